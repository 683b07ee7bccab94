"""An interactive, self-contained HTML page of a graph (pyvis / vis-network).

The page works offline: the vis-network JavaScript and CSS that ship inside the pyvis package are
read at export time and embedded in the file (pyvis' own template links Bootstrap from a CDN even
in its ``in_line`` mode, so kg renders the page with its own template). A Content-Security-Policy
forbids the page any network access.

Everything that comes from articles (names, aliases, sentences, titles, URLs) is escaped:

- tooltips and the details panel are HTML built here with :func:`html.escape` on every value;
  links are only made from ``http``/``https`` URLs and Wikidata ids ``Q123``;
- node and edge labels are drawn on the canvas as text;
- all data is embedded as JSON with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc., so no
  article text can close the script element.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import networkx as nx

from kg import __version__
from kg.graph import ARTICLE, ENTITY, EVENT, EVENT_LINK, LINK, MENTIONS, PARTICIPANT, RELATION, REPORTS, date_label

__all__ = ["export_html", "render_html", "vis_assets", "safe_url", "ENTITY_STYLE", "EVENT_CATEGORY"]

# ---------------------------------------------------------------------------------- styles
ENTITY_STYLE = {  # type -> (vis shape, colour, legend name)
    "PERSON": ("dot", "#4e79a7", "Person"),
    "COUNTRY": ("diamond", "#e15759", "Country"),
    "ORGANIZATION": ("triangle", "#59a14f", "Organization"),
    "LOCATION": ("triangleDown", "#f28e2b", "Location"),
}
OTHER_ENTITY = ("dot", "#9c755f", "Entity")
EVENT_SHAPE = "hexagon"
EVENT_CATEGORY = {  # category -> (colour, event types)
    "cooperation": ("#6cc3a0", ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT")),
    "verbal conflict": ("#edc948", ("REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST")),
    "material conflict": ("#c0392b", ("SANCTION", "MOBILIZE", "COERCE", "ASSAULT")),
    "statement": ("#b07aa1", ("STATEMENT",)),
}
_EVENT_COLOUR = {t: colour for colour, types in EVENT_CATEGORY.values() for t in types}
ARTICLE_STYLE = ("box", "#d9d9d9")
UNCERTAIN = {"background": "#eeeeee", "border": "#9a9a9a", "font": "#7a7a7a"}
RELATION_COLOUR = "#5b5b9f"
PARTICIPANT_COLOUR = "#a0a0a0"
ARTICLE_EDGE_COLOUR = "#d0d0d0"
FULFILS_COLOUR = "#2a7a2a"
ASSERTED = "asserted"

_WIKIDATA = re.compile(r"Q[1-9]\d*\Z")
_MAX_SENTENCES = 3
_MAX_CHARS = 500


# ---------------------------------------------------------------------------------- escaping
def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def safe_url(url) -> str | None:
    """``url`` if it is an absolute http(s) URL (else None); not escaped yet."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlparse(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in url for c in "\r\n\t "):
        return None
    return url


def _link(url, text) -> str:
    ok = safe_url(url)
    if not ok:
        return _e(text)
    return f'<a href="{_e(ok)}" target="_blank" rel="noopener noreferrer">{_e(text)}</a>'


def _clip(text: str, n: int = _MAX_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _script_json(value) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# ---------------------------------------------------------------------------------- tooltips
def _rows(rows: list[tuple[str, str]]) -> str:
    """(label, already-escaped HTML) rows -> a small table."""
    body = "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows if v not in (None, ""))
    return f'<table class="kg-rows">{body}</table>' if body else ""


def _when(d: dict) -> str:
    start, end, precision = d.get("date_start"), d.get("date_end"), d.get("date_precision")
    if not start:
        return "undated"
    span = start if not end or end == start else f"{start} – {end}"
    out = f"{span} (precision: {precision or 'unknown'})"
    if d.get("date_text"):
        out += f" — “{d['date_text']}”"
    return _e(out)


def _sentences(sentences) -> str:
    items = [sentences] if isinstance(sentences, str) else [s for s in (sentences or []) if s]
    if not items:
        return ""
    lis = "".join(f"<li>“{_e(_clip(s))}”</li>" for s in items[:_MAX_SENTENCES])
    more = f"<li>… {len(items) - _MAX_SENTENCES} more</li>" if len(items) > _MAX_SENTENCES else ""
    return f'<ul class="kg-evidence">{lis}{more}</ul>'


def _articles(titles, urls) -> str:
    titles, urls = list(titles or []), list(urls or [])
    if not titles and not urls:
        return ""
    items = []
    for i in range(max(len(titles), len(urls))):
        title = titles[i] if i < len(titles) else ""
        url = urls[i] if i < len(urls) else ""
        text = title or url or "(untitled article)"
        shown = _link(url, text)
        if url and safe_url(url) and title:
            shown += f' <span class="kg-url">{_e(url)}</span>'
        items.append(f"<li>{shown}</li>")
    return f'<ul class="kg-articles">{"".join(items)}</ul>'


def _modality(m: str | None) -> str:
    m = m or ASSERTED
    cls = "kg-asserted" if m == ASSERTED else "kg-uncertain"
    return f'<span class="{cls}">{_e(m)}</span>'


def _confidence(c) -> str:
    return "" if c is None else _e(f"{float(c):.2f}")


def _entity_tip(n: str, d: dict) -> str:
    name = d.get("name") or n
    wikidata = d.get("wikidata")
    wd = ""
    if wikidata and _WIKIDATA.match(str(wikidata)):
        wd = _link(f"https://www.wikidata.org/wiki/{wikidata}", wikidata)
    aliases = [a for a in (d.get("aliases") or []) if a != name]
    shown = ", ".join(_e(a) for a in aliases[:12]) + (f", … ({len(aliases) - 12} more)" if len(aliases) > 12 else "")
    head = f'<div class="kg-head"><b>{_e(name)}</b> <span class="kg-type">{_e(d.get("type"))}</span></div>'
    return head + _rows([
        ("aliases", shown),
        ("Wikidata", wd),
        ("articles", _e(d.get("n_articles"))),
        ("mentions", _e(d.get("mentions")) if d.get("mentions") else ""),
        ("connections", _e(d.get("degree"))),
        ("id", f"<code>{_e(n)}</code>"),
    ])


def _readings(d: dict) -> str:
    """The dates the articles give a canonical event (when they differ), and why one was chosen."""
    dates, precisions = list(d.get("dates") or []), list(d.get("date_precisions") or [])
    shown = sorted({f"{v} ({precisions[i] if i < len(precisions) and precisions[i] else '?'})"
                    for i, v in enumerate(dates) if v})
    if len(shown) < 2 and not d.get("chosen_reason"):
        return ""
    text = ", ".join(shown) if len(shown) > 1 else ""
    if d.get("chosen_reason"):
        text += (f"; chosen: {d['chosen_reason']}" if text else f"chosen: {d['chosen_reason']}")
    return _e(text)


def _event_tip(n: str, d: dict) -> str:
    head = (f'<div class="kg-head"><b>{_e(d.get("type"))}</b> {_modality(d.get("modality"))}</div>'
            + (f'<div class="kg-summary">{_e(d.get("summary"))}</div>' if d.get("summary") else ""))
    return head + _rows([
        ("date", _when(d)),
        ("dates read", _readings(d)),
        ("modality", _modality(d.get("modality"))),
        ("confidence", _confidence(d.get("confidence"))),
        ("trigger", _e(d.get("trigger"))),
        ("quote", f"“{_e(_clip(d['quote']))}”" if d.get("quote") else ""),
        ("evidence", _sentences(d.get("evidence"))),
        ("source", _articles(d.get("article_titles"), d.get("article_urls"))),
        ("articles", _e(d.get("n_articles"))),
        ("id", f"<code>{_e(n)}</code>"),
    ])


def _article_tip(n: str, d: dict) -> str:
    return f'<div class="kg-head"><b>{_e(d.get("title") or "(untitled article)")}</b> <span class="kg-type">ARTICLE</span></div>' + _rows([
        ("URL", _link(d.get("url"), d.get("url")) if d.get("url") else ""),
        ("published", _e(d.get("published"))),
        ("language", _e(d.get("language"))),
        ("source", _e(d.get("source"))),
        ("id", f"<code>{_e(n)}</code>"),
    ])


def _edge_tip(G: nx.MultiDiGraph, u: str, v: str, d: dict) -> str:
    su, sv = G.nodes[u].get("name") or u, G.nodes[v].get("name") or v
    head = (f'<div class="kg-head"><b>{_e(d.get("type"))}</b></div>'
            f'<div class="kg-summary">{_e(su)} → {_e(sv)}</div>')
    kind = d.get("kind")
    if kind == LINK:
        return head + _rows([
            ("date", _when(d)),
            ("modality", _modality(d.get("modality"))),
            ("confidence", _confidence(d.get("confidence"))),
            ("event", _e(d.get("event_type"))),
            ("evidence", _sentences(d.get("evidence"))),
            ("source", _articles([d.get("article_title") or ""], [d.get("article_url") or ""])),
        ])
    if kind == RELATION:
        return head + _rows([
            ("role", _e(d.get("role"))),
            ("confidence", _confidence(d.get("confidence"))),
            ("evidence", _sentences(d.get("evidence"))),
            ("articles", _e(d.get("n_articles"))),
        ])
    if kind == EVENT_LINK:
        return head + _rows([("meaning", _e("the asserted event fulfils the planned one"))])
    if kind == PARTICIPANT:
        ev = G.nodes[d.get("event_id")] if d.get("event_id") in G else {}
        return head + _rows([
            ("event", _e(ev.get("summary") or ev.get("type"))),
            ("date", _when(d)),
            ("modality", _modality(d.get("modality"))),
        ])
    return head + _rows([("evidence", _sentences(d.get("evidence"))), ("count", _e(d.get("count")))])


# ---------------------------------------------------------------------------------- vis data
def _node_style(n: str, d: dict, size_by: str) -> dict:
    kind = d.get("kind")
    value = d.get("n_articles") if size_by == "articles" else d.get("degree")
    value = value if isinstance(value, (int, float)) else 0
    if kind == ENTITY:
        shape, colour, _ = ENTITY_STYLE.get(d.get("type"), OTHER_ENTITY)
        return dict(label=str(d.get("name") or n), shape=shape, color=colour, value=value,
                    title=_entity_tip(n, d), kgType=f"entity:{d.get('type')}")
    if kind == EVENT:
        modality = d.get("modality") or ASSERTED
        colour = _EVENT_COLOUR.get(d.get("type"), "#bab0ac")
        label = f"{d.get('type')}\n{date_label(d.get('date_start'), d.get('date_end'), d.get('date_precision'))}"
        style = dict(label=label, shape=EVENT_SHAPE, value=value, title=_event_tip(n, d),
                     kgType=f"event:{d.get('type')}", font={"size": 11})
        if modality == ASSERTED:
            style["color"] = colour
        else:
            style["label"] += f"\n({modality})"
            style["color"] = {"background": UNCERTAIN["background"], "border": colour,
                              "highlight": {"background": "#f7f7f7", "border": colour}}
            style["font"] = {"size": 11, "color": UNCERTAIN["font"]}
            style["shapeProperties"] = {"borderDashes": [5, 4]}
            style["borderWidth"] = 2
            style["opacity"] = 0.75
        return style
    if kind == ARTICLE:
        title = d.get("title") or n
        return dict(label=_clip(title, 40), shape=ARTICLE_STYLE[0], color=ARTICLE_STYLE[1], value=value,
                    title=_article_tip(n, d), kgType="article", font={"size": 10})
    return dict(label=str(n), shape="dot", color="#cccccc", value=value, title=_e(n))


def _edge_style(G, u, v, d) -> dict:
    kind = d.get("kind")
    modality = d.get("modality") or ASSERTED
    uncertain = kind in (LINK, PARTICIPANT) and modality != ASSERTED
    etype = str(d.get("type") or "")
    if kind == LINK:
        colour = _EVENT_COLOUR.get(d.get("event_type"), "#888888")
        label = f"{etype} {date_label(d.get('date_start'), d.get('date_end'), d.get('date_precision'))}"
        style = dict(label=label, color=colour, width=1.5)
    elif kind == RELATION:
        label = etype + (f" ({d['role']})" if d.get("role") else "")
        style = dict(label=label, color=RELATION_COLOUR, width=2)
    elif kind == PARTICIPANT:
        style = dict(label=etype, color=PARTICIPANT_COLOUR, width=1)
    elif kind == EVENT_LINK:
        style = dict(label=etype, color=FULFILS_COLOUR, width=2, dashes=[2, 4])
    elif kind in (MENTIONS, REPORTS):
        style = dict(label=etype, color=ARTICLE_EDGE_COLOUR, width=0.5)
    else:
        style = dict(label=etype, color="#999999", width=1)
    if uncertain:
        style["dashes"] = [6, 5]
        style["color"] = {"color": "#b5b5b5", "opacity": 0.8}
        style["label"] += f" ({modality})"
        style["font"] = {"color": UNCERTAIN["font"]}
    elif isinstance(style["color"], str):
        style["color"] = {"color": style["color"]}
    style["title"] = _edge_tip(G, u, v, d)
    return style


def vis_assets() -> tuple[str, str]:
    """(vis-network JavaScript, vis-network CSS) from the pyvis package (no download)."""
    import pyvis
    root = Path(pyvis.__file__).resolve().parent
    candidates = [root / "templates" / "lib", root / "lib"]
    for base in candidates:
        versions = sorted(base.glob("vis-*/vis-network.min.js"),
                          key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)))
        if versions:
            js_path = versions[-1]
            css_path = js_path.with_name("vis-network.css")
            css = css_path.read_text(encoding="utf-8") if css_path.is_file() else ""
            return js_path.read_text(encoding="utf-8"), css
    raise FileNotFoundError("vis-network.min.js not found in the pyvis package (looked in "
                            + ", ".join(str(c) for c in candidates) + "); reinstall pyvis")


def _inline(text: str, tag: str) -> str:
    """Text for inside <script>/<style>: no closing tag can occur in it."""
    return re.sub(rf"</({tag})", r"<\\/\1", text, flags=re.IGNORECASE)


# ---------------------------------------------------------------------------------- legend
def _icon(shape: str, colour: str, *, dashed: bool = False, fill: str | None = None) -> str:
    fill = fill or colour
    dash = ' stroke-dasharray="3,2"' if dashed else ""
    common = f'fill="{fill}" stroke="{colour}" stroke-width="1.5"{dash}'
    shapes = {
        "dot": f'<circle cx="9" cy="9" r="6.5" {common}/>',
        "diamond": f'<polygon points="9,1.5 16.5,9 9,16.5 1.5,9" {common}/>',
        "triangle": f'<polygon points="9,2 16.5,15.5 1.5,15.5" {common}/>',
        "triangleDown": f'<polygon points="1.5,2.5 16.5,2.5 9,16" {common}/>',
        "hexagon": f'<polygon points="5,2 13,2 17,9 13,16 5,16 1,9" {common}/>',
        "box": f'<rect x="1.5" y="4" width="15" height="10" rx="2" {common}/>',
    }
    return f'<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">{shapes[shape]}</svg>'


def _line(colour: str, *, dashed: bool = False, width: float = 2) -> str:
    dash = ' stroke-dasharray="5,4"' if dashed else ""
    return (f'<svg width="30" height="12" viewBox="0 0 30 12" aria-hidden="true"><line x1="1" y1="6" x2="29" y2="6" '
            f'stroke="{colour}" stroke-width="{width}"{dash}/></svg>')


def _legend(G: nx.MultiDiGraph, size_by: str) -> str:
    kinds = Counter(d.get("kind") for _n, d in G.nodes(data=True))
    entity_types = Counter(d.get("type") for _n, d in G.nodes(data=True) if d.get("kind") == ENTITY)
    event_types = Counter(d.get("type") for _n, d in G.nodes(data=True) if d.get("kind") == EVENT)
    items = ['<h2>Legend</h2>', '<h3>Entities</h3><ul>']
    for etype, (shape, colour, name) in ENTITY_STYLE.items():
        items.append(f'<li>{_icon(shape, colour)} {_e(name)} <span class="kg-count">{entity_types.get(etype, 0)}</span></li>')
    items.append("</ul><h3>Events</h3><ul>")
    for category, (colour, types) in EVENT_CATEGORY.items():
        n = sum(event_types.get(t, 0) for t in types)
        items.append(f'<li>{_icon(EVENT_SHAPE, colour)} {_e(category)} <span class="kg-types">'
                     f'{_e(", ".join(types))}</span> <span class="kg-count">{n}</span></li>')
    items.append(f'<li>{_icon(EVENT_SHAPE, "#9a9a9a", dashed=True, fill=UNCERTAIN["background"])} negated, planned, '
                 'reported or hypothetical (dashed, grey)</li>')
    if kinds.get(ARTICLE):
        items.append(f'<li>{_icon(ARTICLE_STYLE[0], "#999999", fill=ARTICLE_STYLE[1])} article '
                     f'<span class="kg-count">{kinds[ARTICLE]}</span></li>')
    items.append("</ul><h3>Edges</h3><ul>")
    items.append(f'<li>{_line(PARTICIPANT_COLOUR, width=1)} takes part (ACTOR_IN, TARGET_OF, LOCATED_AT)</li>')
    items.append(f'<li>{_line(RELATION_COLOUR)} relation (LEADER_OF, MEMBER_OF, …)</li>')
    items.append(f'<li>{_line(_EVENT_COLOUR["CONSULT"])} dated link, coloured like its event (MET, DEMANDED, …)</li>')
    items.append(f'<li>{_line("#b5b5b5", dashed=True)} not asserted: negated, planned, reported, hypothetical</li>')
    if any(d.get("kind") == EVENT_LINK for *_e2, d in G.edges(data=True)):
        items.append(f'<li>{_line(FULFILS_COLOUR, dashed=True)} FULFILS: a planned event that took place</li>')
    if kinds.get(ARTICLE):
        items.append(f'<li>{_line(ARTICLE_EDGE_COLOUR, width=1)} MENTIONS / REPORTS</li>')
    items.append("</ul>")
    items.append(f'<p class="kg-hint">Node size: {"supporting articles" if size_by == "articles" else "connections"}. '
                 "Hover for details; click to pin them below; drag to move; scroll to zoom.</p>")
    return "".join(items)


def _filters_text(G: nx.MultiDiGraph) -> str:
    g = G.graph
    parts = []
    if g.get("date_from") or g.get("date_to"):
        parts.append(f"dates {g.get('date_from') or '…'} to {g.get('date_to') or '…'}")
    if g.get("types"):
        parts.append(f"types {g['types']}")
    if (g.get("min_sources") or 1) > 1:
        parts.append(f"at least {g['min_sources']} supporting articles")
    if g.get("center") and g["center"] in G:
        parts.append(f"around {G.nodes[g['center']].get('name') or g['center']} (depth {g.get('depth')})")
    return "; ".join(parts)


# ---------------------------------------------------------------------------------- page
_CSS = """
html, body { margin: 0; padding: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #222; background: #fafafa; }
header { padding: 10px 16px 6px; border-bottom: 1px solid #ddd; background: #fff; }
header h1 { font-size: 1.3em; margin: 0 0 4px; }
.kg-meta, .kg-note { margin: 2px 0; font-size: 0.85em; color: #555; }
.kg-note { color: #8a5a00; }
main { display: flex; height: calc(100vh - 80px); min-height: 420px; }
#kg-network { flex: 1 1 auto; background: #fff; border-right: 1px solid #ddd; position: relative; }
#kg-side { width: 330px; overflow-y: auto; padding: 8px 12px; font-size: 0.85em; background: #fff; }
#kg-side h2 { font-size: 1.05em; margin: 6px 0; } #kg-side h3 { font-size: 0.95em; margin: 8px 0 2px; }
#kg-side ul { list-style: none; padding: 0; margin: 0; } #kg-side li { margin: 2px 0; }
#kg-side svg { vertical-align: middle; margin-right: 4px; }
.kg-count { color: #888; } .kg-types { color: #888; font-size: 0.85em; } .kg-hint { color: #666; }
#kg-details { border-top: 1px solid #ddd; margin-top: 8px; padding-top: 6px; }
.kg-tip { max-width: 440px; white-space: normal; font-size: 12px; line-height: 1.35; }
.kg-head { margin-bottom: 3px; } .kg-summary { margin-bottom: 4px; color: #333; }
.kg-type { color: #666; font-size: 0.85em; }
.kg-rows { border-collapse: collapse; } .kg-rows th { text-align: left; vertical-align: top; padding: 1px 8px 1px 0;
  color: #666; font-weight: normal; white-space: nowrap; } .kg-rows td { padding: 1px 0; vertical-align: top; }
.kg-rows ul { list-style: none; padding: 0; margin: 0; } .kg-evidence li { font-style: italic; }
.kg-url { color: #888; font-size: 0.85em; word-break: break-all; }
.kg-uncertain { color: #a05a00; font-weight: bold; } .kg-asserted { color: #2a7a2a; }
div.vis-tooltip { white-space: normal; max-width: 460px; }
div.vis-tooltip { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
#kg-network:focus, #kg-network *:focus { outline: none; }
"""

_JS = """
var nodes, edges, network, container, options, data, kgTips = {nodes: {}, edges: {}};
window.kgReady = false;
(function () {
  var rawNodes = __NODES__, rawEdges = __EDGES__;
  options = __OPTIONS__;
  function tipElement(markup) {
    var div = document.createElement('div');
    div.className = 'kg-tip';
    div.innerHTML = markup;  // built by kg with every value HTML-escaped
    return div;
  }
  rawNodes.forEach(function (n) { if (typeof n.title === 'string') { kgTips.nodes[n.id] = n.title; n.title = tipElement(n.title); } });
  rawEdges.forEach(function (e) { if (typeof e.title === 'string') { kgTips.edges[e.id] = e.title; e.title = tipElement(e.title); } });
  nodes = new vis.DataSet(rawNodes);
  edges = new vis.DataSet(rawEdges);
  data = {nodes: nodes, edges: edges};
  container = document.getElementById('kg-network');
  network = new vis.Network(container, data, options);
  window.network = network;
  var details = document.getElementById('kg-details');
  var hint = details.innerHTML;
  network.on('click', function (p) {
    var markup = null;
    if (p.nodes && p.nodes.length) { markup = kgTips.nodes[p.nodes[0]]; }
    else if (p.edges && p.edges.length) { markup = kgTips.edges[p.edges[0]]; }
    details.innerHTML = markup || hint;  // kg-escaped markup only
  });
  function settle() {
    if (window.kgReady) { return; }
    network.setOptions({physics: {enabled: false}});
    window.kgReady = true;
    document.body.setAttribute('data-kg-ready', '1');
  }
  network.once('stabilizationIterationsDone', settle);
  if (rawNodes.length === 0) { settle(); }
  setTimeout(settle, 20000);
})();
"""

_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
        "font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'")


def _options(n_nodes: int) -> dict:
    iterations = 1000 if n_nodes <= 200 else 400
    return {
        "autoResize": True,
        "nodes": {"scaling": {"min": 10, "max": 42, "label": {"enabled": False}},
                  "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "borderWidth": 1.5},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "font": {"size": 9, "align": "middle", "color": "#555555", "strokeWidth": 3,
                           "strokeColor": "#ffffff"},
                  "smooth": {"enabled": True, "type": "continuous", "roundness": 0.4},
                  "selectionWidth": 2},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": n_nodes > 300,
                        "navigationButtons": False, "keyboard": {"enabled": True, "bindToWindow": False}},
        "physics": {"enabled": True, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -9000, "centralGravity": 0.25, "springLength": 130,
                                  "springConstant": 0.035, "damping": 0.35, "avoidOverlap": 0.3},
                    "minVelocity": 0.75, "maxVelocity": 40,
                    "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 50,
                                      "fit": True}},
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 150},
    }


def _network(G: nx.MultiDiGraph, size_by: str):
    """The pyvis Network of ``G`` (nodes and edges with styles and escaped tooltips)."""
    from pyvis.network import Network
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    for n, d in G.nodes(data=True):
        style = _node_style(str(n), d, size_by)
        label = style.pop("label")
        shape = style.pop("shape")
        colour = style.pop("color")
        net.add_node(str(n), label=label, shape=shape, color=colour, **style)
    pair_count: Counter = Counter()
    for i, (u, v, _k, d) in enumerate(G.edges(keys=True, data=True)):
        style = _edge_style(G, u, v, d)
        pair = tuple(sorted((str(u), str(v))))
        k = pair_count[pair]
        pair_count[pair] += 1
        if k:
            style["smooth"] = {"enabled": True, "type": "curvedCW" if k % 2 else "curvedCCW",
                               "roundness": 0.15 * math.ceil(k / 2) + 0.05}
        net.add_edge(str(u), str(v), id=f"e{i}", **style)
    return net


def render_html(G: nx.MultiDiGraph, *, title: str = "kg graph", size_by: str = "degree",
                generated: dt.datetime | None = None) -> str:
    """The page as a string (see :func:`export_html`)."""
    if size_by not in ("degree", "articles"):
        raise ValueError("size_by: degree or articles")
    generated = generated or dt.datetime.now(dt.timezone.utc)
    net = _network(G, size_by)
    options = _options(G.number_of_nodes())
    js_lib, css_lib = vis_assets()
    stamp = generated.astimezone(dt.timezone.utc) if generated.tzinfo else generated
    stamp_text = stamp.strftime("%Y-%m-%d %H:%M:%S") + (" UTC" if generated.tzinfo else "")
    n_nodes, n_edges = G.number_of_nodes(), G.number_of_edges()
    kinds = Counter(d.get("kind") for _n, d in G.nodes(data=True))
    counts = (f"{n_nodes} nodes ({kinds.get(ENTITY, 0)} entities, {kinds.get(EVENT, 0)} events"
              + (f", {kinds[ARTICLE]} articles" if kinds.get(ARTICLE) else "") + f"), {n_edges} edges")
    filters = _filters_text(G)
    dropped = G.graph.get("dropped") or []
    note = ""
    if dropped:
        names = ", ".join(str(x.get("name") or x.get("id")) for x in dropped[:8])
        more = f", … ({len(dropped) - 8} more)" if len(dropped) > 8 else ""
        limit = f" (--max-nodes {G.graph['max_nodes']})" if G.graph.get("max_nodes") else ""
        note = (f'<p class="kg-note" id="kg-dropped">{len(dropped)} less connected node(s) not shown{_e(limit)}: '
                f"{_e(names)}{_e(more)}</p>")
    script = (_JS.replace("__NODES__", _script_json(net.nodes)).replace("__EDGES__", _script_json(net.edges))
              .replace("__OPTIONS__", _script_json(options)))
    empty = '<p class="kg-note" id="kg-empty">Nothing to show: the graph is empty.</p>' if n_nodes == 0 else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kg {_e(__version__)} (pyvis, vis-network)">
<title>{_e(title)}</title>
<style>{_inline(css_lib, "style")}</style>
<style>{_CSS}</style>
<script>{_inline(js_lib, "script")}</script>
</head>
<body>
<header>
<h1 id="kg-title">{_e(title)}</h1>
<p class="kg-meta">Generated <time id="kg-generated" datetime="{_e(stamp.isoformat())}">{_e(stamp_text)}</time>
by kg {_e(__version__)} &middot; <span id="kg-counts">{_e(counts)}</span>{(" &middot; " + _e(filters)) if filters else ""}</p>
{note}{empty}
</header>
<main>
<div id="kg-network"></div>
<aside id="kg-side">
<section id="kg-legend">{_legend(G, size_by)}</section>
<section id="kg-details"><p class="kg-hint">Click a node or an edge to see its details here.</p></section>
</aside>
</main>
<script>{_inline(script, "script")}</script>
</body>
</html>
"""


def export_html(G: nx.MultiDiGraph, path: str | Path, *, title: str = "kg graph", size_by: str = "degree",
                generated: dt.datetime | None = None) -> Path:
    """Write ``G`` as one self-contained interactive HTML page (works offline) and return its path.

    Colour and shape per node type (legend in the page), node size by ``size_by`` (``degree`` or
    ``articles``), edge labels with type and date, tooltips with dates and precision, modality,
    confidence, evidence and source articles; events and links that are not asserted are dashed and
    grey. The layout is computed once (barnesHut, stabilised) and physics is then switched off.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(G, title=title, size_by=size_by, generated=generated), encoding="utf-8")
    return path
