"""kg.export: GraphML / GEXF / JSON / neo4j-admin CSV files and the offline HTML page; `kg export ...`.

Built from hand-made extractions (no NLP). One of them is hostile: an entity called
``<img src=x onerror=alert(1)>``, evidence ``<script>alert(1)</script>``, a ``javascript:`` URL and
a title with markup. Whatever an article says must show up as text and never run.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import networkx as nx
import pytest
from typer.testing import CliRunner

from kg.build import build_records
from kg.export.files import export_csv, export_gexf, export_graphml, export_json
from kg.export.html import export_html, render_html
from kg.graph import build_graph, from_store
from kg.model import Article, Entity, Event, Evidence, Extraction, Relation, Time
from kg.store.sqlite import SQLiteStore

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
EVIL = "person:evil"
Z, T, UKR, RUS = "person:volodymyr-zelensky", "person:donald-trump", "country:ukr", "country:rus"
EVIDENCE = f'{SCRIPT} met Zelensky; he said "yes"\nand left.'
GENERATED = dt.datetime(2025, 9, 1, 12, 0, tzinfo=dt.timezone.utc)


def _ev(text, sentence):
    start = text.index(sentence)
    return [Evidence(text=sentence, start=start, end=start + len(sentence))]


def hostile() -> Extraction:
    s2 = "Trump and Zelensky plan to meet next week."
    s3 = "Russia did not demand anything of Ukraine."
    s4 = "Zelensky is president of Ukraine."
    text = " ".join([EVIDENCE, s2, s3, s4])
    return Extraction(
        article=Article(id="art-evil", title="<b onmouseover=alert(1)>Evil & title</b>",
                        published=dt.datetime(2025, 8, 19, 7, 30), language="en", url="javascript:alert(1)",
                        source="evil.txt", text=text),
        entities=[
            Entity(id=EVIL, type="PERSON", name=IMG, aliases=['"><script>alert(2)</script>'], mentions=1),
            Entity(id=Z, type="PERSON", name="Volodymyr Zelensky", aliases=["Selenskyj", "Zelensky"],
                   wikidata="Q3874799", mentions=3),
            Entity(id=T, type="PERSON", name="Donald Trump", aliases=["Trump"], wikidata="Q22686", mentions=1),
            Entity(id=UKR, type="COUNTRY", name="Ukraine", wikidata="Q212", mentions=2),
            Entity(id=RUS, type="COUNTRY", name="Russia", aliases=["Russland", "Russian Federation"],
                   wikidata="Q159", mentions=1),
        ],
        events=[
            Event(id="ev-1", type="CONSULT", summary=f"{IMG} met Zelensky", actors=[EVIL, Z],
                  time=Time(value="2025-08-18", precision="day", text="on Monday"), evidence=_ev(text, EVIDENCE),
                  confidence=0.9),
            Event(id="ev-2", type="CONSULT", summary="Trump and Zelensky plan to meet", actors=[T, Z],
                  time=Time(value="2025-W36", precision="week", text="next week"), modality="planned",
                  evidence=_ev(text, s2), confidence=0.6),
            Event(id="ev-3", type="REQUEST", summary="Russia did not demand", actors=[RUS], targets=[UKR],
                  modality="negated", evidence=_ev(text, s3), confidence=0.5),
        ],
        relations=[Relation(type="LEADER_OF", source=Z, target=UKR, role="President", evidence=_ev(text, s4))],
        extractor="kg-test/1",
    )


def friendly() -> Extraction:
    s1, s2 = "Zelensky met Trump in Washington on Monday.", "They plan to meet again next week."
    text = f"{s1} {s2}"
    return Extraction(
        article=Article(id="art-good", title="Zelensky meets Trump", published=dt.datetime(2025, 8, 19, 9, 0),
                        language="en", url="https://example.org/news?a=1&b=<2>", source="good.txt", text=text),
        entities=[
            Entity(id=Z, type="PERSON", name="Volodymyr Zelensky", aliases=["Zelensky"], wikidata="Q3874799",
                   mentions=1),
            Entity(id=T, type="PERSON", name="Donald Trump", aliases=["Trump"], wikidata="Q22686", mentions=1),
            Entity(id="location:washington", type="LOCATION", name="Washington", mentions=1),
        ],
        events=[Event(id="ev-4", type="CONSULT", summary="Zelensky met Trump", actors=[Z, T],
                      location="location:washington", time=Time(value="2025-08-18", precision="day", text="on Monday"),
                      evidence=_ev(text, s1), confidence=0.95),
                # the meeting the other article announces too: two supporting articles
                Event(id="ev-5", type="CONSULT", summary="Trump and Zelensky plan to meet", actors=[T, Z],
                      time=Time(value="2025-W36", precision="week", text="next week"), modality="planned",
                      evidence=_ev(text, s2), confidence=0.6)],
        extractor="kg-test/1",
    )


def records():
    return [build_records(hostile()), build_records(friendly())]


@pytest.fixture(scope="module")
def G():
    return build_graph(records())


@pytest.fixture(scope="module")
def GA():
    return build_graph(records(), articles=True)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse_tags(page: str) -> list[tuple[str, dict]]:
    """The elements of the page as a browser's parser sees them (script content is not markup)."""
    p = _Tags()
    p.feed(page)
    return p.tags


def page_data(page: str) -> tuple[list[dict], list[dict], dict]:
    """The vis nodes, edges and options embedded in an exported page."""
    m = re.search(r"var rawNodes = (\[.*?\]), rawEdges = (\[.*?\]);\s*options = (\{.*?\});\n", page, re.S)
    assert m, "no embedded graph data in the page"
    return json.loads(m.group(1)), json.loads(m.group(2)), json.loads(m.group(3))


# ------------------------------------------------------------------------------------ GraphML, GEXF, JSON
def test_graphml_is_read_back_with_nodes_and_attributes(G, tmp_path):
    path = export_graphml(G, tmp_path / "kg.graphml")
    R = nx.read_graphml(path)
    assert set(R.nodes) == set(G.nodes) and R.number_of_edges() == G.number_of_edges()
    z = R.nodes[Z]
    assert z["name"] == "Volodymyr Zelensky" and z["type"] == "PERSON" and z["wikidata"] == "Q3874799"
    assert z["aliases"] == "Selenskyj; Zelensky" and z["label"] == "Volodymyr Zelensky"
    assert z["neo4j_label"] == "Person" and z["n_articles"] == 2
    ev = R.nodes["ev-4"]
    assert (ev["type"], ev["date_start"], ev["modality"], ev["confidence"]) == ("CONSULT", "2025-08-18", "asserted", 0.95)
    assert ev["article_urls"] == "https://example.org/news?a=1&b=<2>"
    assert R.nodes[EVIL]["name"] == IMG  # text stays text in a data file
    types = {d["type"] for *_e, d in R.edges(data=True)}
    assert types == {"ACTOR_IN", "TARGET_OF", "LOCATED_AT", "LEADER_OF", "MET", "DEMANDED"}
    met = [d for *_e, d in R.edges(data=True) if d["type"] == "MET" and d["event_id"] == "ev-4"][0]
    assert met["label"] == "MET 2025-08-18" and met["date_precision"] == "day"


def test_gexf_for_gephi(G, tmp_path):
    path = export_gexf(G, tmp_path / "kg.gexf")
    root = ET.parse(path).getroot()
    assert root.tag.endswith("gexf")
    R = nx.read_gexf(path)
    assert R.number_of_nodes() == G.number_of_nodes() and R.number_of_edges() == G.number_of_edges()
    assert {d["rel_type"] for *_e, d in R.edges(data=True)} >= {"ACTOR_IN", "MET", "LEADER_OF"}
    assert R.nodes[Z]["label"] == "Volodymyr Zelensky"
    # GEXF's own edge type attribute stays valid (directed), the relationship type is rel_type
    assert {e.get("type") for e in root.iter() if e.tag.endswith("}edge")} <= {None, "directed"}


def test_node_link_json(G, tmp_path):
    path = export_json(G, tmp_path / "kg.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == G.number_of_nodes() and len(data["edges"]) == G.number_of_edges()
    R = nx.node_link_graph(data, edges="edges")
    assert set(R.nodes) == set(G.nodes)
    assert R.nodes[Z]["aliases"] == ["Selenskyj", "Zelensky"]  # lists stay lists in JSON
    assert R.nodes["ev-1"]["evidence"] == [EVIDENCE]


# ------------------------------------------------------------------------------------ CSV for neo4j-admin
EXPECTED_HEADERS = {
    "nodes_entities.csv": "id:ID,name,type,aliases:string[],wikidata,:LABEL",
    "nodes_events.csv": "id:ID,type,summary,modality,confidence:double,date_start:date,date_end:date,date_precision,"
                        "date_text,trigger,quote,article_id,source_count:int,chosen_reason,date_value,"
                        "first_reported:localdatetime,last_reported:localdatetime,dates:string[],"
                        "date_precisions:string[],date_articles:string[],:LABEL",
    "nodes_articles.csv": "id:ID,title,url,published:localdatetime,language,source,extractor,:LABEL",
    "rels_participants.csv": ":START_ID,:END_ID,:TYPE",
    "rels_relations.csv": ":START_ID,:END_ID,:TYPE,role,confidence:double,articles:string[],evidence:string[]",
    "rels_links.csv": ":START_ID,:END_ID,:TYPE,event_id,event_type,date_start:date,date_end:date,date_precision,"
                      "modality,article_id",
    "rels_mentions.csv": ":START_ID,:END_ID,:TYPE,count:int,evidence",
    "rels_reports.csv": ":START_ID,:END_ID,:TYPE,evidence:string[]",
    "rels_event_links.csv": ":START_ID,:END_ID,:TYPE",
}


def read_csv(path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as fh:
        lines = fh.read().split("\n")
    header = lines[0]
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return header, rows


def test_csv_in_neo4j_admin_import_format(GA, tmp_path):
    counts = export_csv(GA, tmp_path / "csv")
    files = {p.name for p in (tmp_path / "csv").iterdir()}
    assert files == set(EXPECTED_HEADERS)
    data = {}
    for name, header in EXPECTED_HEADERS.items():
        got, rows = read_csv(tmp_path / "csv" / name)
        assert got == header, name
        assert counts[name] == len(rows)
        data[name] = rows
    ents = {r["id:ID"]: r for r in data["nodes_entities.csv"]}
    assert ents[Z][":LABEL"] == "Entity;Person" and ents[UKR][":LABEL"] == "Entity;Country"
    assert ents[Z]["aliases:string[]"].split(";") == ["Selenskyj", "Zelensky"]
    assert ents[RUS]["aliases:string[]"].split(";") == ["Russian Federation", "Russland"]
    assert ents[EVIL]["name"] == IMG
    events = {r["id:ID"]: r for r in data["nodes_events.csv"]}
    assert events["ev-4"][":LABEL"] == "Event;Consult" and events["ev-3"][":LABEL"] == "Event;Request"
    assert events["ev-2"]["date_start:date"] == "2025-09-01" and events["ev-2"]["date_end:date"] == "2025-09-07"
    assert events["ev-3"]["date_start:date"] == ""  # undated: no property
    assert float(events["ev-4"]["confidence:double"]) == 0.95
    arts = {r["id:ID"]: r for r in data["nodes_articles.csv"]}
    assert arts["art-good"]["published:localdatetime"] == "2025-08-19T09:00:00" and arts["art-good"][":LABEL"] == "Article"
    ids = set(ents) | set(events) | set(arts)
    assert len(ids) == len(ents) + len(events) + len(arts)  # one id space, no clashes
    allowed = {"ACTOR_IN", "TARGET_OF", "LOCATED_AT", "LEADER_OF", "MET", "DEMANDED", "MENTIONS", "REPORTS"}
    n_rels = 0
    for name in EXPECTED_HEADERS:
        if name.startswith("rels_"):
            for r in data[name]:
                assert r[":START_ID"] in ids and r[":END_ID"] in ids, (name, r)
                assert r[":TYPE"] in allowed
                n_rels += 1
    assert n_rels == GA.number_of_edges()
    assert len(ents) + len(events) + len(arts) == GA.number_of_nodes()
    # one sentence is one array element: its ';' cannot split it, its line break is gone
    reports = {r[":END_ID"]: r for r in data["rels_reports.csv"]}
    element = reports["ev-1"]["evidence:string[]"]
    assert element.split(";") == [element] and "\n" not in element and '"yes"' in element
    # raw file: one line per record (neo4j-admin without --multiline-fields)
    raw = (tmp_path / "csv" / "rels_reports.csv").read_text(encoding="utf-8")
    assert raw.count("\n") == len(data["rels_reports.csv"]) + 1
    links = [r for r in data["rels_links.csv"] if r["event_id"] == "ev-2"]
    assert links and links[0]["modality"] == "planned" and links[0]["date_precision"] == "week"


# ------------------------------------------------------------------------------------ HTML
@pytest.fixture(scope="module")
def page(G):
    return render_html(G, title="Talks <b>& friends</b>", generated=GENERATED)


def test_html_works_offline(page):
    # no external script, stylesheet, image, frame or font: everything is inline
    for tag, attrs in parse_tags(page):
        assert "src" not in attrs and not (tag == "link" and "href" in attrs), (tag, attrs)
    assert not re.search(r"<(script|link|img|iframe|source|embed|object)\b[^>]*\b(src|href)\s*=", page, re.I)
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", page, re.I)
    assert "@import" not in page and "url(http" not in page
    assert "cdn." not in page.lower() and "cdnjs" not in page.lower()
    assert "vis.Network" in page and "DataSet" in page  # vis-network itself is in the file
    assert "Content-Security-Policy" in page and "connect-src 'none'" in page


def test_html_has_title_timestamp_and_legend(page, G):
    assert "<title>Talks &lt;b&gt;&amp; friends&lt;/b&gt;</title>" in page
    assert '<h1 id="kg-title">Talks &lt;b&gt;&amp; friends&lt;/b&gt;</h1>' in page
    assert "2025-09-01 12:00:00 UTC" in page and 'datetime="2025-09-01T12:00:00+00:00"' in page
    legend = re.search(r'<section id="kg-legend">(.*?)</section>', page, re.S).group(1)
    for text in ("Person", "Country", "Organization", "Location", "cooperation", "verbal conflict",
                 "material conflict", "statement", "negated, planned, reported or hypothetical", "relation",
                 "dated link"):
        assert text in legend, text
    assert f"{G.number_of_nodes()} nodes" in page and f"{G.number_of_edges()} edges" in page


def test_html_escapes_everything_from_articles(page):
    for raw in (IMG, SCRIPT, "<script>alert(2)", "<b onmouseover", 'onerror=alert(1)>', "<2>"):
        assert raw not in page, raw
    assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", page, re.I)
    tags = parse_tags(page)
    assert [t for t, _a in tags if t == "script"] == ["script", "script"]  # vis-network and ours, nothing else
    assert not [t for t, _a in tags if t in ("img", "b", "a", "iframe", "object", "embed")]
    nodes, edges, _ = page_data(page)
    evil = next(n for n in nodes if n["id"] == EVIL)
    assert evil["label"] == IMG  # drawn on the canvas as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in evil["title"] and "<img" not in evil["title"]
    assert "&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in evil["title"]
    ev1 = next(n for n in nodes if n["id"] == "ev-1")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; met Zelensky; he said &quot;yes&quot; and left." in ev1["title"]
    assert "<script" not in ev1["title"]
    # the javascript: URL becomes no link; the title is shown as escaped text
    assert "&lt;b onmouseover=alert(1)&gt;Evil &amp; title&lt;/b&gt;" in ev1["title"] and "href" not in ev1["title"]
    ev4 = next(n for n in nodes if n["id"] == "ev-4")
    assert 'href="https://example.org/news?a=1&amp;b=&lt;2&gt;"' in ev4["title"]


def test_html_nodes_edges_and_styles(page, G):
    nodes, edges, options = page_data(page)
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    assert {n["id"] for n in nodes} == set(G.nodes)
    by_id = {n["id"]: n for n in nodes}
    assert by_id[Z]["shape"] == "dot" and by_id[UKR]["shape"] == "diamond"
    assert by_id["location:washington"]["shape"] == "triangleDown"
    assert by_id["ev-4"]["shape"] == "hexagon" and by_id["ev-4"]["label"] == "CONSULT\n2025-08-18"
    assert by_id[Z]["value"] == G.nodes[Z]["degree"]  # size by degree
    # planned and negated events look different: dashed border, grey, and say so
    for eid, modality in (("ev-2", "planned"), ("ev-3", "negated")):
        n = by_id[eid]
        assert n["shapeProperties"]["borderDashes"] and n["color"]["background"] == "#eeeeee"
        assert n["label"].endswith(f"({modality})")
    assert "borderDashes" not in by_id["ev-4"].get("shapeProperties", {})
    met = next(e for e in edges if e["label"].startswith("MET 2025-08-18") and e["from"] == Z and e["to"] == T)
    assert not met.get("dashes")
    for needle in ("2025-08-18 (precision: day)", "on Monday", "asserted", "0.95", "Zelensky met Trump in Washington",
                   "Zelensky meets Trump", "https://example.org/news"):
        assert needle in met["title"], needle
    planned = next(e for e in edges if e["label"].startswith("MET week of 2025-09-01"))
    assert planned["dashes"] and "(planned)" in planned["label"]
    leader = next(e for e in edges if e["label"].startswith("LEADER_OF"))
    assert leader["label"] == "LEADER_OF (President)"
    assert by_id[Z]["title"].count('href="https://www.wikidata.org/wiki/Q3874799"') == 1
    # the layout settles, then physics is switched off
    assert options["physics"]["solver"] == "barnesHut" and options["physics"]["stabilization"]["enabled"]
    assert "stabilizationIterationsDone" in page and "physics: {enabled: false}" in page


def test_html_size_by_articles_and_dropped_nodes(tmp_path):
    H = build_graph(records(), max_nodes=3)
    path = export_html(H, tmp_path / "out" / "small.html", size_by="articles", generated=GENERATED)
    page = path.read_text(encoding="utf-8")
    nodes, _edges, _ = page_data(page)
    assert len(nodes) == 3
    assert {n["id"]: n["value"] for n in nodes}[Z] == 2  # two supporting articles
    note = re.search(r'<p class="kg-note" id="kg-dropped">(.*?)</p>', page, re.S).group(1)
    assert f"{len(H.graph['dropped'])} less connected node(s) not shown" in note
    assert "&lt;img src=x onerror=alert(1)&gt;" in note or "Ukraine" in note


def test_empty_graph_page(tmp_path):
    page = render_html(nx.MultiDiGraph(), generated=GENERATED)
    assert "the graph is empty" in page and "0 nodes" in page


# ------------------------------------------------------------------------------------ kg export
@pytest.fixture
def db(tmp_path):
    path = tmp_path / "kg.sqlite"
    with SQLiteStore(path) as store:
        for rec in records():
            store.write(rec)
    return path


def run(db, *args):
    from kg.cli import app
    result = CliRunner().invoke(app, [str(a) for a in args], env={"KG_DB": str(db), "KG_NEO4J_URI": None})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_kg_export_html(db, tmp_path):
    out = tmp_path / "graph.html"
    r = run(db, "export", "html", out, "--title", "My <graph>")
    assert r.exit_code == 0, r.stderr
    with SQLiteStore(db, readonly=True) as store:
        G = from_store(store)
    assert r.stdout.splitlines() == [f"wrote {out}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges"]
    page = out.read_text(encoding="utf-8")
    assert "<title>My &lt;graph&gt;</title>" in page and IMG not in page
    # around one entity, found by an alias
    r = run(db, "export", "html", out, "--entity", "Selenskyj", "--depth", "1", "--view", "entities")
    assert r.exit_code == 0, r.stderr
    nodes, edges, _ = page_data(out.read_text(encoding="utf-8"))
    assert {n["id"] for n in nodes} == {Z, T, EVIL, UKR, "location:washington"}
    assert all(not n["id"].startswith("ev-") for n in nodes)
    assert "kg graph: Volodymyr Zelensky" in out.read_text(encoding="utf-8")
    r = run(db, "export", "html", out, "--types", "PERSON,CONSULT", "--from", "2025-08-01", "--to", "2025-08-31",
            "--max-nodes", "3")
    assert r.exit_code == 0, r.stderr
    assert "left out" in r.stdout and "(--max-nodes 3)" in r.stdout
    nodes, _e, _o = page_data(out.read_text(encoding="utf-8"))
    assert len(nodes) <= 3


def _read_back(fmt: str, path):
    if fmt == "graphml":
        return nx.read_graphml(path)
    if fmt == "gexf":
        return nx.read_gexf(path)
    return nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_kg_export_files(db, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    r = run(db, "export", fmt, out, "--min-sources", "2")
    assert r.exit_code == 0, r.stderr
    R = _read_back(fmt, out)
    assert r.stdout.startswith(f"wrote {out}: {R.number_of_nodes()} nodes, {R.number_of_edges()} edges")
    # only what both articles support: Zelensky, Trump and the meeting both announce
    entities = {n for n, d in R.nodes(data=True) if d["kind"] == "entity"}
    events = [d for _n, d in R.nodes(data=True) if d["kind"] == "event"]
    assert entities == {Z, T}
    assert events and all(d["n_articles"] >= 2 and d["modality"] == "planned" for d in events)


def test_kg_export_csv(db, tmp_path):
    out = tmp_path / "csv"
    r = run(db, "export", "csv", out)
    assert r.exit_code == 0, r.stderr
    assert {p.name for p in out.iterdir()} == set(EXPECTED_HEADERS)
    assert "neo4j-admin database import full neo4j --nodes=" in r.stdout
    _h, arts = read_csv(out / "nodes_articles.csv")
    assert {a["id:ID"] for a in arts} == {"art-evil", "art-good"}


def test_kg_export_errors_are_one_line(db, tmp_path):
    out = tmp_path / "x.html"
    cases = [
        (("--entity", "Nobody Atall"), 1, "error: no entity called 'Nobody Atall' (try 'kg entities')"),
        (("--from", "2025-8-1"), 2, "error: --from: not a date (YYYY-MM-DD): '2025-8-1'"),
        (("--types", "PERSON,WIZARD"), 2, "error: unknown type 'WIZARD'"),
        (("--from", "2030-01-01"), 1, "error: nothing in "),
        (("--size", "huge"), 2, "error: --size: degree or articles, not 'huge'"),
        (("--max-nodes", "0"), 2, "error: --max-nodes must be at least 1"),
    ]
    for args, code, start in cases:
        r = run(db, "export", "html", out, *args)
        assert r.exit_code == code, (args, r.stdout, r.stderr)
        lines = r.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(start), (args, r.stderr)
    assert not out.exists()
    empty = tmp_path / "empty.sqlite"
    SQLiteStore(empty).close()
    r = run(empty, "export", "graphml", tmp_path / "x.graphml")
    assert r.exit_code == 1 and r.stderr.splitlines() == [f"error: the graph in {empty} is empty (run 'kg ingest' first)"]
    r = run(tmp_path / "missing.sqlite", "export", "json", tmp_path / "x.json")
    assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1 and "no store here yet" in r.stderr
