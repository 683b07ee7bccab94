"""A networkx view of the stored graph, for exports and analytics.

:func:`build_graph` turns :class:`kg.build.GraphRecords` (one per article, as
``SQLiteStore.iter_records()`` yields them, or read back from Neo4j by :func:`from_neo4j`) into a
``networkx.MultiDiGraph`` with the same shape as the Neo4j graph:

- **entity nodes** (``kind="entity"``): ``id, name, type, label, aliases, wikidata, n_articles,
  mentions, degree``;
- **event nodes** (``kind="event"``): ``id, name, type, label, summary, modality, confidence,
  date_start, date_end, date_precision, date_text, trigger, quote, evidence`` (sentences),
  ``article_id`` (the article that first reported it), ``article_ids, article_titles,
  article_urls`` (parallel lists), ``n_articles, degree``;
- **article nodes** (``kind="article"``, only with ``articles=True``): ``id, name, title, url,
  published, language, source, extractor``;
- **participant edges** (``kind="participant"``): entity -[ACTOR_IN|TARGET_OF]-> event and
  event -[LOCATED_AT]-> entity;
- **relation edges** (``kind="relation"``): entity -[LEADER_OF|MEMBER_OF|...]-> entity, one per
  (source, type, target) over all articles, with ``role, confidence, articles, evidence, n_articles``;
- **link edges** (``kind="link"``): the derived "who did what to whom when" edges
  entity -[MET|DEMANDED|...]-> entity, one per event, with the event's date, modality, confidence,
  evidence and source article;
- **event links** (``kind="event_link"``): (asserted event)-[FULFILS]->(planned event), when the
  store found that a planned event took place;
- with ``articles=True`` also ``MENTIONS`` (article -> entity) and ``REPORTS`` (article -> event).

Events are the store's **canonical events** when the records carry that layer (one real-world event
reported by several articles is one node, as in Neo4j; ``SQLiteStore.iter_records`` provides it),
else one event per article. Canonical event nodes also have ``source_count``, ``chosen_reason``,
``date_value``, ``first_reported``, ``last_reported`` and the date readings ``dates``,
``date_precisions``, ``date_articles``.

Node keys are the store ids (``person:volodymyr-zelensky``, ``ev-...``, article hashes). Every edge
has ``kind`` and ``type``. List-valued attributes are lists of scalars (the exporters in
:mod:`kg.export.files` join them for formats that need scalars).

Supporting articles (``n_articles``, used by ``min_sources``): for an entity the articles that
mention it; for a relation the articles that assert it; for a canonical event the articles that
report it; for a per-article event the articles that report it or the *same* event (same type,
modality, actors, targets and start date).
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import networkx as nx

from kg.build import GraphRecords
from kg.ontology import ontology

__all__ = [
    "build_graph", "from_store", "from_neo4j", "neo4j_records", "ego", "entity_graph", "events_graph",
    "centrality", "shortest_path", "limit_nodes", "find_entity", "parse_types", "parse_date",
    "TypeFilter", "Central", "GraphPath", "PathStep", "GraphError", "date_label",
]

ENTITY, EVENT, ARTICLE = "entity", "event", "article"
PARTICIPANT, RELATION, LINK, MENTIONS, REPORTS = "participant", "relation", "link", "mentions", "reports"
EVENT_LINK = "event_link"
#: properties of canonical events (merged across articles) kept on event nodes when present
_CANONICAL_EXTRAS = ("source_count", "chosen_reason", "date_value", "first_reported", "last_reported", "dates",
                     "date_precisions", "date_articles")
#: modalities that count as something that happened (or was reported to have happened)
FACTUAL = ("asserted", "reported")


class GraphError(ValueError):
    """A problem the user can fix (unknown type, bad date, unknown entity, no path); one line."""


# ------------------------------------------------------------------------------------ parsing
def parse_date(value: str | dt.date | None, what: str = "date") -> str | None:
    """``YYYY-MM-DD`` (or a date) -> ISO string; None stays None; anything else -> GraphError."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise GraphError(f"{what}: not a date (YYYY-MM-DD): {value!r}") from None


@dataclass(frozen=True)
class TypeFilter:
    """Which entity types, event types and edge types to keep (an empty set keeps all of that family)."""

    entities: frozenset = frozenset()
    events: frozenset = frozenset()
    edges: frozenset = frozenset()

    def __bool__(self) -> bool:
        return bool(self.entities or self.events or self.edges)


def _vocabulary() -> dict[str, tuple[str, str]]:
    """Upper-cased name or label -> (family, canonical name)."""
    onto = ontology()
    vocab: dict[str, tuple[str, str]] = {}
    for etype, label in onto["entity_types"].items():
        vocab[etype.upper()] = vocab[label.upper()] = ("entities", etype)
    for evtype, spec in onto["event_types"].items():
        vocab[evtype.upper()] = vocab[spec["label"].upper()] = ("events", evtype)
    for rtype in onto["relation_types"]:
        vocab[rtype.upper()] = ("edges", rtype)
    for spec in onto["event_types"].values():
        vocab[spec["link"].upper()] = ("edges", spec["link"])
    for role in onto["participant_roles"].values():
        vocab[role.upper()] = ("edges", role)
    vocab["FULFILS"] = ("edges", "FULFILS")
    return vocab


def parse_types(types: str | Iterable[str] | TypeFilter | None) -> TypeFilter:
    """``"PERSON,CONSULT,MET"`` (or a list) -> :class:`TypeFilter`. Entity types (PERSON, Country,
    ...), event types (CONSULT, Assault, ...) and relationship types (LEADER_OF, MET, ACTOR_IN, ...),
    case-insensitive. Unknown names raise :class:`GraphError` listing what is allowed."""
    if types is None or isinstance(types, TypeFilter):
        return types or TypeFilter()
    items = types.split(",") if isinstance(types, str) else list(types)
    vocab = _vocabulary()
    found: dict[str, set] = {"entities": set(), "events": set(), "edges": set()}
    for raw in items:
        name = str(raw).strip()
        if not name:
            continue
        hit = vocab.get(name.upper())
        if hit is None:
            onto = ontology()
            raise GraphError(
                f"unknown type {name!r}; entity types: {', '.join(onto['entity_types'])}; event types: "
                f"{', '.join(onto['event_types'])}; relationship types: "
                f"{', '.join(sorted({v[1] for v in vocab.values() if v[0] == 'edges'}))}")
        found[hit[0]].add(hit[1])
    return TypeFilter(frozenset(found["entities"]), frozenset(found["events"]), frozenset(found["edges"]))


def date_label(start: str | None, end: str | None, precision: str | None) -> str:
    """A short human form of a dated span: ``2025-03-11``, ``week of 2025-03-17``, ``2025-03``, ``2025``."""
    if not start:
        return "undated"
    if precision == "week":
        return f"week of {start}"
    if precision == "month":
        return start[:7]
    if precision == "year":
        return start[:4]
    if end and end != start and precision not in ("day", None):
        return f"{start}..{end}"
    return start


# ------------------------------------------------------------------------------- collecting
@dataclass
class _Collected:
    articles: dict[str, dict] = field(default_factory=dict)
    entities: dict[str, dict] = field(default_factory=dict)
    entity_articles: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    entity_mentions: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    events: dict[str, dict] = field(default_factory=dict)
    event_reports: dict[str, dict[str, list]] = field(default_factory=lambda: defaultdict(dict))
    participants: dict[tuple, dict] = field(default_factory=dict)
    mentions: dict[tuple, dict] = field(default_factory=dict)
    relations: dict[tuple, dict] = field(default_factory=dict)
    links: dict[tuple, dict] = field(default_factory=dict)
    event_links: set = field(default_factory=set)


def _records(records) -> Iterable[GraphRecords]:
    if isinstance(records, GraphRecords):
        return [records]
    return records


def _canonical(rec: GraphRecords) -> GraphRecords:
    """Records with a canonical layer (one event across articles, filled by
    ``SQLiteStore.iter_records``) as Neo4j stores them: canonical events replace the per-article ones."""
    if not (getattr(rec, "event_members", None) or getattr(rec, "canonical_events", None)):
        return rec
    try:
        from kg.store.neo4j import canonical_view
    except ImportError:  # pragma: no cover - a store without the canonical layer
        return rec
    return canonical_view(rec)


def _collect(records) -> _Collected:
    c = _Collected()
    for rec in _records(records):
        rec = _canonical(rec)
        for a in rec.articles:
            c.articles[a["id"]] = dict(a)
        for e in rec.entities:
            cur = c.entities.get(e["id"])
            aliases = set(e.get("aliases") or [])
            if cur is None:
                c.entities[e["id"]] = {"id": e["id"], "type": e["type"], "label": e.get("label"),
                                       "name": e["name"], "wikidata": e.get("wikidata"), "aliases": aliases}
            else:
                cur["aliases"] |= aliases
                cur["name"], cur["type"] = e["name"], e["type"]
                cur["label"] = e.get("label") or cur["label"]
                cur["wikidata"] = cur["wikidata"] or e.get("wikidata")
        for m in rec.mentions:
            c.entity_articles[m["entity_id"]].add(m["article_id"])
            c.entity_mentions[m["entity_id"]] += int(m.get("count") or 1)
            c.mentions[(m["article_id"], m["entity_id"])] = m
        for ev in rec.events:
            if ev["id"] not in c.events:
                c.events[ev["id"]] = dict(ev)
            if ev.get("article_id"):
                c.event_reports[ev["id"]].setdefault(ev["article_id"], [])
        for r in rec.reports:
            c.event_reports[r["event_id"]][r["article_id"]] = list(r.get("evidence") or [])
        for p in rec.participants:
            c.participants[(p["event_id"], p["entity_id"], p["role"])] = p
        for r in rec.relations:
            key = (r["source"], r["type"], r["target"])
            agg = c.relations.setdefault(key, {"role": None, "confidence": None, "articles": [], "evidence": []})
            agg["role"] = r.get("role") or agg["role"]
            conf = r.get("confidence")
            if conf is not None and (agg["confidence"] is None or conf > agg["confidence"]):
                agg["confidence"] = conf
            if r.get("article_id") and r["article_id"] not in agg["articles"]:
                agg["articles"].append(r["article_id"])
            for s in ([r["evidence"]] if isinstance(r.get("evidence"), str) else (r.get("evidence") or [])):
                if s and s not in agg["evidence"]:
                    agg["evidence"].append(s)
        for l in rec.links:
            c.links[(l["source"], l["type"], l["target"], l["event_id"])] = l
        for l in getattr(rec, "event_links", None) or ():
            c.event_links.add((l["source"], l.get("type") or "FULFILS", l["target"]))
    return c


def _event_support(c: _Collected) -> dict[str, int]:
    """Event id -> number of supporting articles.

    A canonical event (merged across articles by the store, it has ``source_count``) counts the
    articles reporting it. A per-article event counts the articles reporting it or an equivalent
    event of another article (same type, modality, actors, targets and start date)."""
    actors: dict[str, set] = defaultdict(set)
    targets: dict[str, set] = defaultdict(set)
    for (event_id, entity_id, role) in c.participants:
        if role == "ACTOR_IN":
            actors[event_id].add(entity_id)
        elif role == "TARGET_OF":
            targets[event_id].add(entity_id)
    own = {eid: set(c.event_reports.get(eid, {})) | ({ev["article_id"]} if ev.get("article_id") else set())
           for eid, ev in c.events.items()}
    groups: dict[tuple, set] = defaultdict(set)
    keys = {}
    for eid, ev in c.events.items():
        if ev.get("source_count") is None and (actors[eid] or targets[eid]):
            key = (ev["type"], ev.get("modality"), frozenset(actors[eid]), frozenset(targets[eid]), ev.get("date_start"))
        else:
            key = ("event", eid)
        keys[eid] = key
        groups[key] |= own[eid]
    return {eid: max(len(groups[keys[eid]]), int(ev.get("source_count") or 0)) for eid, ev in c.events.items()}


def _overlaps(start: str | None, end: str | None, date_from: str | None, date_to: str | None) -> bool:
    if date_from is None and date_to is None:
        return True
    if not start:
        return False
    end = end or start
    return (date_from is None or end >= date_from) and (date_to is None or start <= date_to)


# ------------------------------------------------------------------------------- building
def build_graph(records, *, date_from: str | dt.date | None = None, date_to: str | dt.date | None = None,
                types: str | Iterable[str] | TypeFilter | None = None, min_sources: int = 1,
                max_nodes: int | None = None, articles: bool = False) -> nx.MultiDiGraph:
    """The graph of ``records`` (an iterable of :class:`GraphRecords`, or one), filtered.

    - ``date_from`` / ``date_to`` (``YYYY-MM-DD``, inclusive): keep events and links whose date span
      overlaps the window (undated ones are dropped) and the entities taking part in them; static
      relations are kept between those entities.
    - ``types``: entity, event and/or relationship types (see :func:`parse_types`); an empty family
      keeps all of it.
    - ``min_sources``: keep entities, events and relations supported by at least that many articles.
    - When any filter is given, nodes left without any edge are dropped.
    - ``max_nodes``: keep the most connected nodes (:func:`limit_nodes`); what was dropped is in
      ``G.graph["dropped"]``.
    - ``articles``: add article nodes with MENTIONS and REPORTS edges.
    """
    date_from, date_to = parse_date(date_from, "--from"), parse_date(date_to, "--to")
    if date_from and date_to and date_from > date_to:
        raise GraphError(f"--from {date_from} is after --to {date_to}")
    tf = parse_types(types)
    try:
        min_sources = int(min_sources or 1)
    except (TypeError, ValueError):
        raise GraphError(f"--min-sources: not a number: {min_sources!r}") from None
    if min_sources < 1:
        raise GraphError("--min-sources must be at least 1")
    dated = date_from is not None or date_to is not None
    filtered = dated or bool(tf) or min_sources > 1

    c = _collect(records)
    support = _event_support(c)

    # events
    keep_events = {}
    for eid, ev in c.events.items():
        if tf.events and ev["type"] not in tf.events:
            continue
        if not _overlaps(ev.get("date_start"), ev.get("date_end"), date_from, date_to):
            continue
        if support[eid] < min_sources:
            continue
        keep_events[eid] = ev

    # entities
    def entity_ok(eid: str) -> bool:
        ent = c.entities.get(eid)
        if ent is None:
            return False
        if tf.entities and ent["type"] not in tf.entities:
            return False
        return min_sources <= 1 or len(c.entity_articles.get(eid, ())) >= min_sources

    keep_entities = {eid for eid in c.entities if entity_ok(eid)}
    if dated:
        active = {eid for (event_id, eid, _role) in c.participants if event_id in keep_events}
        active |= {x for (s, _t, tgt, event_id) in c.links if event_id in keep_events for x in (s, tgt)}
        keep_entities &= active

    def edge_ok(etype: str) -> bool:
        return not tf.edges or etype in tf.edges

    G = nx.MultiDiGraph()
    G.graph.update({"name": "kg", "date_from": date_from, "date_to": date_to,
                    "types": ",".join(sorted(tf.entities | tf.events | tf.edges)), "min_sources": min_sources})

    for eid in sorted(keep_entities):
        ent = c.entities[eid]
        G.add_node(eid, kind=ENTITY, id=eid, name=ent["name"], type=ent["type"],
                   label=ent.get("label") or ontology()["entity_types"].get(ent["type"], ent["type"]),
                   aliases=sorted(a for a in ent["aliases"] if a and a != ent["name"]),
                   wikidata=ent.get("wikidata"), n_articles=len(c.entity_articles.get(eid, ())),
                   mentions=c.entity_mentions.get(eid, 0))
    for eid, ev in sorted(keep_events.items(), key=lambda kv: (kv[1].get("date_start") or "9999", kv[0])):
        reports = c.event_reports.get(eid, {})
        art_ids = list(reports) or ([ev["article_id"]] if ev.get("article_id") else [])
        evidence = list(dict.fromkeys(s for aid in art_ids for s in reports.get(aid, []) if s))
        arts = [c.articles.get(aid, {}) for aid in art_ids]
        spec = ontology()["event_types"].get(ev["type"], {})
        G.add_node(eid, kind=EVENT, id=eid, name=ev.get("summary") or ev["type"], type=ev["type"],
                   label=ev.get("label") or spec.get("label", ev["type"]), summary=ev.get("summary"),
                   modality=ev.get("modality") or "asserted", confidence=ev.get("confidence"),
                   date_start=ev.get("date_start"), date_end=ev.get("date_end"),
                   date_precision=ev.get("date_precision"), date_text=ev.get("date_text"),
                   trigger=ev.get("trigger"), quote=ev.get("quote"), evidence=evidence,
                   article_id=ev.get("article_id"), article_ids=art_ids, article_titles=[a.get("title") or "" for a in arts],
                   article_urls=[a.get("url") or "" for a in arts], n_articles=support[eid],
                   **{k: ev[k] for k in _CANONICAL_EXTRAS if ev.get(k) not in (None, [], "")})

    for (event_id, entity_id, role), _p in sorted(c.participants.items()):
        if event_id not in G or entity_id not in G or not edge_ok(role):
            continue
        ev = G.nodes[event_id]
        attrs = dict(kind=PARTICIPANT, type=role, event_id=event_id, modality=ev["modality"],
                     date_start=ev["date_start"], date_end=ev["date_end"], date_precision=ev["date_precision"])
        if role == "LOCATED_AT":
            G.add_edge(event_id, entity_id, key=role, **attrs)
        else:
            G.add_edge(entity_id, event_id, key=role, **attrs)

    for (source, rtype, target), agg in sorted(c.relations.items()):
        if source not in G or target not in G or not edge_ok(rtype):
            continue
        n = len(agg["articles"]) or 1
        if n < min_sources:
            continue
        G.add_edge(source, target, key=rtype, kind=RELATION, type=rtype, role=agg["role"],
                   confidence=agg["confidence"], articles=list(agg["articles"]), evidence=list(agg["evidence"]),
                   n_articles=n)

    for (source, ltype, target, event_id), l in sorted(c.links.items()):
        if event_id not in G or source not in G or target not in G or not edge_ok(ltype):
            continue
        ev = G.nodes[event_id]
        art = c.articles.get(l.get("article_id") or "", {})
        G.add_edge(source, target, key=f"{ltype}|{event_id}", kind=LINK, type=ltype, event_id=event_id,
                   event_type=l.get("event_type") or ev["type"], date_start=l.get("date_start"),
                   date_end=l.get("date_end"), date_precision=l.get("date_precision"),
                   modality=l.get("modality") or ev["modality"], confidence=ev["confidence"],
                   evidence=list(ev["evidence"]), article_id=l.get("article_id"),
                   article_title=art.get("title"), article_url=art.get("url"), n_articles=ev["n_articles"])

    for (source, etype, target) in sorted(c.event_links):
        if source in G and target in G and edge_ok(etype):
            G.add_edge(source, target, key=etype, kind=EVENT_LINK, type=etype)

    if filtered:
        G.remove_nodes_from([n for n in list(G) if G.degree(n) == 0])

    if articles:
        mentions_of: dict[str, list] = defaultdict(list)
        for (art, eid) in c.mentions:
            if eid in G:
                mentions_of[art].append(eid)
        reports_of: dict[str, list] = defaultdict(list)
        for eid, reps in c.event_reports.items():
            if eid in G:
                for art in reps:
                    reports_of[art].append(eid)
        for aid, a in sorted(c.articles.items()):
            mentioned, reported = sorted(mentions_of.get(aid, [])), sorted(reports_of.get(aid, []))
            if not mentioned and not reported and filtered:
                continue
            G.add_node(aid, kind=ARTICLE, id=aid, name=a.get("title") or aid, title=a.get("title"),
                       url=a.get("url"), published=a.get("published"), language=a.get("language"),
                       source=a.get("source"), extractor=a.get("extractor"))
            for eid in mentioned:
                m = c.mentions[(aid, eid)]
                G.add_edge(aid, eid, key="MENTIONS", kind=MENTIONS, type="MENTIONS", count=m.get("count"),
                           evidence=m.get("evidence"))
            for eid in reported:
                G.add_edge(aid, eid, key="REPORTS", kind=REPORTS, type="REPORTS",
                           evidence=list(c.event_reports[eid][aid]))

    _set_degrees(G)
    G.graph["dropped"] = []
    if max_nodes is not None:
        G = limit_nodes(G, max_nodes)
    return G


def _set_degrees(G: nx.MultiDiGraph) -> None:
    """``degree``: edges to entities and events (article edges left out, so that being mentioned
    often does not count as being connected)."""
    for n, data in G.nodes(data=True):
        if data.get("kind") == ARTICLE:
            data["degree"] = G.degree(n)
            continue
        others = itertools.chain((v for _u, v in G.out_edges(n)), (u for u, _v in G.in_edges(n)))
        data["degree"] = sum(1 for m in others if G.nodes[m].get("kind") != ARTICLE)


def limit_nodes(G: nx.MultiDiGraph, max_nodes: int, *, keep: Iterable[str] = ()) -> nx.MultiDiGraph:
    """A copy of ``G`` with at most ``max_nodes`` nodes: the most connected ones (degree, then
    supporting articles, then id), always including ``keep``. Nodes left without edges by the cut
    are dropped too. ``G.graph["dropped"]`` lists what was dropped (``id, name, kind, type,
    degree``), most connected first."""
    try:
        max_nodes = int(max_nodes)
    except (TypeError, ValueError):
        raise GraphError(f"--max-nodes: not a number: {max_nodes!r}") from None
    if max_nodes < 1:
        raise GraphError("--max-nodes must be at least 1")
    H = G.copy()
    previously = list(G.graph.get("dropped") or [])
    if H.number_of_nodes() <= max_nodes:
        H.graph["dropped"] = previously
        return H
    pinned = [n for n in keep if n in H]

    def rank(n):
        d = H.nodes[n]
        return (-(d.get("degree") if d.get("degree") is not None else H.degree(n)), -(d.get("n_articles") or 0), str(n))

    ordered = pinned + [n for n in sorted(H, key=rank) if n not in pinned]
    gone = ordered[max_nodes:]
    H.remove_nodes_from(gone)
    had_edges = {n for n in H if G.degree(n) > 0}
    orphans = [n for n in H if H.degree(n) == 0 and n in had_edges and n not in pinned]
    H.remove_nodes_from(orphans)
    dropped = []
    for n in gone + orphans:
        d = G.nodes[n]
        dropped.append({"id": n, "name": d.get("name"), "kind": d.get("kind"), "type": d.get("type"),
                        "degree": d.get("degree", G.degree(n))})
    dropped.sort(key=lambda x: (-(x["degree"] or 0), str(x["id"])))
    _set_degrees(H)
    H.graph["dropped"] = previously + dropped
    H.graph["max_nodes"] = max_nodes
    return H


# --------------------------------------------------------------------------------- sources
def from_store(store, **filters) -> nx.MultiDiGraph:
    """:func:`build_graph` over everything in an embedded store (``SQLiteStore``)."""
    return build_graph(store.iter_records(), **filters)


def _read_export_cypher() -> list[str]:
    from kg.store.neo4j import cypher_dir, render, split_statements
    text = (cypher_dir() / "export" / "graph.cypher").read_text(encoding="utf-8")
    statements = [render(s) for s in split_statements(text)]
    kinds = ("articles", "entities", "events", "participants", "mentions", "reports", "relations", "links",
             "event_links")
    if len(statements) != len(kinds):
        raise RuntimeError(f"cypher/export/graph.cypher: expected {len(kinds)} statements "
                           f"({', '.join(kinds)}), found {len(statements)}")
    return statements


def neo4j_records(store, *, date_from: str | None = None, date_to: str | None = None) -> GraphRecords:
    """Read the graph back from Neo4j (``Neo4jStore``) as :class:`GraphRecords`, with the statements
    of ``cypher/export/graph.cypher`` (dates are parameters: the window is applied in the server
    already)."""
    params = {"date_from": parse_date(date_from, "--from"), "date_to": parse_date(date_to, "--to")}
    (q_articles, q_entities, q_events, q_participants, q_mentions, q_reports, q_relations,
     q_links, q_event_links) = _read_export_cypher()
    rec = GraphRecords()
    rec.articles = [_published_iso(r) for r in store.query(q_articles, params)]
    rec.entities = [{**r, "aliases": list(r.get("aliases") or [])} for r in store.query(q_entities, params)]
    rec.events = [_dates_iso(r) for r in store.query(q_events, params)]
    rec.participants = store.query(q_participants, params)
    rec.mentions = store.query(q_mentions, params)
    rec.reports = [{**r, "evidence": list(r.get("evidence") or [])} for r in store.query(q_reports, params)]
    for r in store.query(q_relations, params):
        articles = list(r.get("articles") or []) or [None]
        evidence = list(r.get("evidence") or [])
        sources = list(r.get("evidence_articles") or [])
        for aid in articles:
            own = [s for s, src in zip(evidence, sources) if src == aid] or (evidence if len(articles) == 1 else [])
            rec.relations.append({"source": r["source"], "target": r["target"], "type": r["type"],
                                  "role": r.get("role"), "confidence": r.get("confidence"), "article_id": aid,
                                  "evidence": own})
    rec.links = [_dates_iso(r) for r in store.query(q_links, params)]
    if hasattr(rec, "event_links"):
        rec.event_links = store.query(q_event_links, params)
    return rec


def _iso(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return str(value)


def _dates_iso(row: dict) -> dict:
    out = dict(row)
    for k in ("date_start", "date_end"):
        if out.get(k) is not None:
            out[k] = _iso(out[k])[:10]
    for k in ("first_reported", "last_reported"):
        if out.get(k) is not None:
            out[k] = _iso(out[k])
    return out


def _published_iso(row: dict) -> dict:
    out = dict(row)
    if out.get("published") is not None:
        out["published"] = _iso(out["published"])
    return out


def from_neo4j(store, **filters) -> nx.MultiDiGraph:
    """:func:`build_graph` over the graph stored in Neo4j (a ``Neo4jStore``)."""
    records = neo4j_records(store, date_from=filters.get("date_from"), date_to=filters.get("date_to"))
    return build_graph(records, **filters)


# -------------------------------------------------------------------------------- lookups
def find_entity(G: nx.MultiDiGraph, name: str) -> list[str]:
    """Entity node ids whose id, name or any alias is ``name`` (case/accent-insensitive), else
    whose name or alias contains it."""
    from kg.store.sqlite import fold
    target = fold(name)
    exact, partial = [], []
    for n, d in G.nodes(data=True):
        if d.get("kind") != ENTITY:
            continue
        names = [d.get("name") or "", *(d.get("aliases") or [])]
        folded = [fold(x) for x in names]
        if n == name or target in folded:
            exact.append(n)
        elif target and any(target in f for f in folded):
            partial.append(n)
    key = lambda n: (-(G.nodes[n].get("n_articles") or 0), len(G.nodes[n].get("name") or ""), n)  # noqa: E731
    return sorted(exact, key=key) or sorted(partial, key=key)


def _entity(G: nx.MultiDiGraph, entity_id: str) -> dict:
    if entity_id not in G or G.nodes[entity_id].get("kind") != ENTITY:
        raise GraphError(f"no entity {entity_id!r} in the graph")
    return G.nodes[entity_id]


# ------------------------------------------------------------------------------- subgraphs
def ego(G: nx.MultiDiGraph, entity_id: str, depth: int = 1) -> nx.MultiDiGraph:
    """The neighbourhood of an entity: entities up to ``depth`` steps away, where one step is a
    direct relation or link, or an event both take part in (entity -> event -> entity); with the
    events connecting them. Articles are not walked through. ``G.graph["center"]`` is the entity."""
    _entity(G, entity_id)
    depth = int(depth)
    if depth < 0:
        raise GraphError("--depth must be 0 or more")
    U = G.to_undirected(as_view=True)
    kind = lambda n: G.nodes[n].get("kind")  # noqa: E731
    entities, events = {entity_id}, set()
    frontier = {entity_id}
    for _ in range(depth):
        nxt = set()
        for n in frontier:
            for m in U.neighbors(n):
                if kind(m) == ENTITY:
                    nxt.add(m)
                elif kind(m) == EVENT:
                    events.add(m)
                    nxt.update(x for x in U.neighbors(m) if kind(x) == ENTITY)
        nxt -= entities
        entities |= nxt
        frontier = nxt
    # events among the included entities are part of the picture too: those with two participants
    # inside, or with all of their participants inside
    for ev in [n for n, d in G.nodes(data=True) if d.get("kind") == EVENT and n not in events]:
        people = {x for x in U.neighbors(ev) if kind(x) == ENTITY}
        inside = people & entities
        if len(inside) >= 2 or (inside and inside == people):
            events.add(ev)
    H = G.subgraph(entities | events).copy()
    _set_degrees(H)
    H.graph["center"] = entity_id
    H.graph["depth"] = depth
    return H


def entity_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Entities only, with the derived links (MET, DEMANDED, ...) and static relations between them."""
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if d.get("kind") == ENTITY)
    H.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)
                     if d.get("kind") in (LINK, RELATION) and u in H and v in H)
    _set_degrees(H)
    return H


def events_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``G`` without the derived links (events carry the same facts): entities, events, articles,
    participants and relations."""
    H = G.copy()
    H.remove_edges_from([(u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if d.get("kind") == LINK])
    _set_degrees(H)
    return H


# ------------------------------------------------------------------------------- analytics
class Central(NamedTuple):
    entity: dict      # id, name, type
    degree: int       # number of distinct entities it interacted with in the window
    betweenness: float  # normalised betweenness centrality in the interaction graph


def centrality(G: nx.MultiDiGraph, date_from: str | None = None, date_to: str | None = None, *,
               modalities: Iterable[str] | None = FACTUAL, relations: bool = False,
               limit: int | None = None) -> list[Central]:
    """The most central entities of the interaction graph: entities joined by derived links (who
    met, demanded, attacked... whom) dated within [date_from, date_to] with a modality in
    ``modalities`` (default: asserted and reported; None: all), plus static relations if
    ``relations``. Degree = distinct partners; betweenness normalised. Most central first."""
    date_from, date_to = parse_date(date_from, "--from"), parse_date(date_to, "--to")
    mods = set(modalities) if modalities is not None else None
    U = nx.Graph()
    for u, v, d in G.edges(data=True):
        kind = d.get("kind")
        if kind == LINK:
            if mods is not None and d.get("modality") not in mods:
                continue
            if not _overlaps(d.get("date_start"), d.get("date_end"), date_from, date_to):
                continue
        elif not (kind == RELATION and relations):
            continue
        if u != v:
            U.add_edge(u, v)
    if U.number_of_nodes() == 0:
        return []
    betweenness = nx.betweenness_centrality(U, normalized=True)
    out = []
    for n in U:
        d = G.nodes[n]
        out.append(Central({"id": n, "name": d.get("name"), "type": d.get("type")}, U.degree(n),
                           round(betweenness.get(n, 0.0), 6)))
    out.sort(key=lambda c: (-c.degree, -c.betweenness, c.entity["name"] or "", c.entity["id"]))
    return out[:limit] if limit else out


@dataclass
class PathStep:
    source: dict       # node attributes (id, name, kind, type, ...)
    target: dict
    edges: list[dict]  # every edge between the two (type, kind, direction "->" or "<-", dates, ...)


@dataclass
class GraphPath:
    nodes: list[dict]
    steps: list[PathStep]
    events: list[dict]  # the events on the path: event nodes on it and the events behind its links

    @property
    def hops(self) -> int:
        return len(self.steps)


def shortest_path(G: nx.MultiDiGraph, a: str, b: str) -> GraphPath:
    """The shortest path between two entities over relations, links and events (not through
    articles), with every edge between consecutive nodes and the events on the way."""
    _entity(G, a)
    _entity(G, b)
    U = nx.Graph()
    U.add_nodes_from(n for n, d in G.nodes(data=True) if d.get("kind") in (ENTITY, EVENT))
    U.add_edges_from((u, v) for u, v, d in G.edges(data=True) if u in U and v in U and u != v)
    try:
        ids = nx.shortest_path(U, a, b)
    except nx.NetworkXNoPath:
        raise GraphError(f"no path between {G.nodes[a].get('name')!r} and {G.nodes[b].get('name')!r}") from None
    node = lambda n: {"id": n, **G.nodes[n]}  # noqa: E731
    steps, event_ids = [], []
    for x, y in zip(ids, ids[1:]):
        edges = []
        for u, v, direction in ((x, y, "->"), (y, x, "<-")):
            for _k, d in (G.get_edge_data(u, v) or {}).items():
                edges.append({**d, "direction": direction})
        order = {"asserted": 0, "reported": 1}
        edges.sort(key=lambda e: (e.get("kind") != LINK, order.get(e.get("modality"), 2),
                                  e.get("date_start") or "9999", e.get("type") or ""))
        steps.append(PathStep(node(x), node(y), edges))
        for e in edges:
            if e.get("event_id"):
                event_ids.append(e["event_id"])
    event_ids = [n for n in ids if G.nodes[n].get("kind") == EVENT] + event_ids
    events = [node(e) for e in dict.fromkeys(event_ids) if e in G]
    events.sort(key=lambda e: (e.get("date_start") or "9999", e["id"]))
    return GraphPath([node(n) for n in ids], steps, events)
