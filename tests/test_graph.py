"""kg.graph: the networkx view of stored records, its filters and analytics, and `kg central` / `kg path`.

The graph is built from two small hand-made extractions (no NLP involved), so every count below
can be worked out by hand:

article A1 (19 Aug 2025): Zelensky and Trump meet in Washington on 18 Aug (asserted); Russia
demands something of Ukraine on 19 Aug; Zelensky LEADER_OF Ukraine, Putin LEADER_OF Russia.
article A2 (25 Aug 2025): Trump and Putin meet in Alaska on 15 Aug; Zelensky and Trump met on
18 Aug (the same meeting as in A1: corroborated by two articles); Putin and Zelensky *plan* to meet
in the week of 1 Sep; Putin LEADER_OF Russia; NATO is mentioned but takes part in nothing.
"""
from __future__ import annotations

import datetime as dt
import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from kg.build import GraphRecords, build_records
from kg.graph import (GraphError, build_graph, centrality, ego, entity_graph, events_graph, find_entity, from_neo4j,
                      from_store, limit_nodes, parse_types, shortest_path)
from kg.model import Article, Entity, Event, Evidence, Extraction, Relation, Time
from kg.store.sqlite import SQLiteStore

Z, T, P = "person:volodymyr-zelensky", "person:donald-trump", "person:vladimir-putin"
UKR, RUS, WAS, ALA, NATO = "country:ukr", "country:rus", "location:washington", "location:alaska", "org:nato"


def _ev(text: str, sentence: str) -> list[Evidence]:
    start = text.index(sentence)
    return [Evidence(text=sentence, start=start, end=start + len(sentence))]


def _entities(*ids) -> list[Entity]:
    known = {
        Z: Entity(id=Z, type="PERSON", name="Volodymyr Zelensky", aliases=["Selenskyj", "Wolodymyr Selenskyj"],
                  wikidata="Q3874799", mentions=2),
        T: Entity(id=T, type="PERSON", name="Donald Trump", aliases=["Trump"], wikidata="Q22686", mentions=2),
        P: Entity(id=P, type="PERSON", name="Vladimir Putin", aliases=["Putin", "Wladimir Putin"], wikidata="Q7747",
                  mentions=1),
        UKR: Entity(id=UKR, type="COUNTRY", name="Ukraine", aliases=["der Ukraine"], wikidata="Q212", mentions=1),
        RUS: Entity(id=RUS, type="COUNTRY", name="Russia", aliases=["Russland"], wikidata="Q159", mentions=1),
        WAS: Entity(id=WAS, type="LOCATION", name="Washington", mentions=1),
        ALA: Entity(id=ALA, type="LOCATION", name="Alaska", mentions=1),
        NATO: Entity(id=NATO, type="ORGANIZATION", name="NATO", mentions=1),
    }
    return [known[i] for i in ids]


def extraction_a1() -> Extraction:
    s1, s2, s3, s4 = ("Selenskyj traf Trump am Montag in Washington.",
                      "Russland fordert von der Ukraine Zugeständnisse.", "Selenskyj ist Präsident der Ukraine.",
                      "Putin ist Präsident Russlands.")
    text = " ".join([s1, s2, s3, s4])
    return Extraction(
        article=Article(id="art-a1", title="Selenskyj trifft Trump", published=dt.datetime(2025, 8, 19, 7, 30),
                        language="de", url="https://example.org/a1", source="a1.txt", text=text),
        entities=_entities(Z, T, P, UKR, RUS, WAS),
        events=[
            Event(id="ev-a1", type="CONSULT", summary="Zelensky met Trump", trigger="traf", actors=[Z, T],
                  location=WAS, time=Time(value="2025-08-18", precision="day", text="am Montag"),
                  evidence=_ev(text, s1), confidence=0.9),
            Event(id="ev-a2", type="REQUEST", summary="Russia demands concessions of Ukraine", trigger="fordert",
                  actors=[RUS], targets=[UKR], time=Time(value="2025-08-19", precision="day"),
                  evidence=_ev(text, s2), confidence=0.7),
        ],
        relations=[Relation(type="LEADER_OF", source=Z, target=UKR, role="Präsident", evidence=_ev(text, s3),
                            confidence=0.8),
                   Relation(type="LEADER_OF", source=P, target=RUS, role="Präsident", evidence=_ev(text, s4),
                            confidence=0.8)],
        extractor="kg-test/1",
    )


def extraction_a2() -> Extraction:
    s1 = "Trump met Putin in Alaska on Friday."
    s2 = "On Monday Trump had met Zelensky."
    s3 = "Putin and Zelensky plan to meet next week, Putin said."
    s4 = "NATO was not involved."
    text = " ".join([s1, s2, s3, s4])
    return Extraction(
        article=Article(id="art-a2", title="After Alaska", published=dt.datetime(2025, 8, 25, 9, 0), language="en",
                        url="https://example.org/a2", source="a2.txt", text=text),
        entities=_entities(Z, T, P, RUS, ALA, NATO),
        events=[
            Event(id="ev-b1", type="CONSULT", summary="Trump met Putin", actors=[T, P], location=ALA,
                  time=Time(value="2025-08-15", precision="day", text="on Friday"), evidence=_ev(text, s1),
                  confidence=0.9),
            Event(id="ev-b2", type="CONSULT", summary="Trump met Zelensky", actors=[Z, T],
                  time=Time(value="2025-08-18", precision="day", text="on Monday"), evidence=_ev(text, s2),
                  confidence=0.8),
            Event(id="ev-b3", type="CONSULT", summary="Putin and Zelensky plan to meet", actors=[P, Z],
                  time=Time(value="2025-W36", precision="week", text="next week"), modality="planned",
                  evidence=_ev(text, s3), confidence=0.6),
        ],
        relations=[Relation(type="LEADER_OF", source=P, target=RUS, role="President", confidence=0.9)],
        extractor="kg-test/1",
    )


def records() -> list[GraphRecords]:
    return [build_records(extraction_a1()), build_records(extraction_a2())]


def kinds(G) -> dict[str, set]:
    out: dict[str, set] = {}
    for n, d in G.nodes(data=True):
        out.setdefault(d["kind"], set()).add(n)
    return out


def edge_kinds(G) -> dict[str, int]:
    out: dict[str, int] = {}
    for *_e, d in G.edges(data=True):
        out[d["kind"]] = out.get(d["kind"], 0) + 1
    return out


@pytest.fixture(scope="module")
def G():
    return build_graph(records())


# ------------------------------------------------------------------------------------ building
def test_nodes_and_edges_of_the_whole_graph(G):
    assert isinstance(G, nx.MultiDiGraph)
    assert kinds(G) == {"entity": {Z, T, P, UKR, RUS, WAS, ALA, NATO},
                        "event": {"ev-a1", "ev-a2", "ev-b1", "ev-b2", "ev-b3"}}
    # participants: a1 2 actors + place, a2 actor + target, b1 2 actors + place, b2 2, b3 2
    # relations: 2 LEADER_OF; links: 4 MET + 1 DEMANDED
    assert edge_kinds(G) == {"participant": 12, "relation": 2, "link": 5}
    assert G.number_of_nodes() == 13 and G.number_of_edges() == 19


def test_entity_and_event_attributes(G):
    z = G.nodes[Z]
    assert z["name"] == "Volodymyr Zelensky" and z["type"] == "PERSON" and z["wikidata"] == "Q3874799"
    assert {"Selenskyj", "Wolodymyr Selenskyj"} <= set(z["aliases"])
    assert z["n_articles"] == 2
    assert z["degree"] == 7  # 3 events + LEADER_OF + 3 MET links
    ev = G.nodes["ev-a1"]
    assert (ev["type"], ev["modality"], ev["date_start"], ev["date_precision"]) == ("CONSULT", "asserted",
                                                                                   "2025-08-18", "day")
    assert ev["confidence"] == 0.9 and ev["date_text"] == "am Montag"
    assert ev["evidence"] == ["Selenskyj traf Trump am Montag in Washington."]
    assert ev["article_titles"] == ["Selenskyj trifft Trump"] and ev["article_urls"] == ["https://example.org/a1"]
    # the same meeting is reported by A2 as well: two supporting articles
    assert ev["n_articles"] == 2 and G.nodes["ev-b2"]["n_articles"] == 2 and G.nodes["ev-b1"]["n_articles"] == 1
    planned = G.nodes["ev-b3"]
    assert planned["modality"] == "planned" and planned["date_precision"] == "week"
    assert (planned["date_start"], planned["date_end"]) == ("2025-09-01", "2025-09-07")


def test_edges_have_the_store_directions_and_types(G):
    assert G.has_edge(Z, "ev-a1", "ACTOR_IN") and G.has_edge("ev-a1", WAS, "LOCATED_AT")
    assert G.has_edge(UKR, "ev-a2", "TARGET_OF")
    rel = G.get_edge_data(Z, UKR, "LEADER_OF")
    assert rel["kind"] == "relation" and rel["role"] == "Präsident" and rel["articles"] == ["art-a1"]
    assert rel["evidence"] == ["Selenskyj ist Präsident der Ukraine."]
    met = G.get_edge_data(Z, T, "MET|ev-a1")
    assert met["type"] == "MET" and met["date_start"] == "2025-08-18" and met["modality"] == "asserted"
    assert met["article_title"] == "Selenskyj trifft Trump" and met["evidence"]
    assert G.get_edge_data(P, Z, "MET|ev-b3")["modality"] == "planned"


def test_article_nodes_are_optional():
    H = build_graph(records(), articles=True)
    assert kinds(H)["article"] == {"art-a1", "art-a2"}
    assert edge_kinds(H)["mentions"] == 6 + 6 and edge_kinds(H)["reports"] == 5
    # being mentioned does not count as being connected
    assert H.nodes[Z]["degree"] == 7


def test_same_records_from_the_embedded_store(tmp_path, G):
    with SQLiteStore(tmp_path / "kg.sqlite") as store:
        for rec in records():
            store.write(rec)
        S = from_store(store)
    assert set(S.nodes) - {"ev-b2"} == set(G.nodes) - {"ev-b2"}
    if "ev-b2" in S:  # a store without the canonical layer: one event per article, as built
        assert sorted(S.edges(keys=True)) == sorted(G.edges(keys=True))
        return
    # the store merges the meeting both articles report into one canonical event (as Neo4j stores it)
    ev = S.nodes["ev-a1"]
    assert ev["n_articles"] == 2 and ev["source_count"] == 2
    assert set(ev["article_ids"]) == {"art-a1", "art-a2"}
    assert set(ev["evidence"]) == {"Selenskyj traf Trump am Montag in Washington.", "On Monday Trump had met Zelensky."}
    assert edge_kinds(S) == {"participant": 10, "relation": 2, "link": 4}
    assert S.nodes[Z]["degree"] == 5  # 2 events + LEADER_OF + 2 MET links


@pytest.mark.skipif(not hasattr(GraphRecords(), "event_links"), reason="the store has no canonical event layer")
def test_a_planned_meeting_that_took_place_is_linked_to_it(tmp_path):
    from kg.export.files import export_csv
    from kg.export.html import render_html
    text = "Putin met Zelensky in Istanbul on Wednesday."
    a3 = Extraction(
        article=Article(id="art-a3", title="Putin meets Zelensky", published=dt.datetime(2025, 9, 5, 8, 0),
                        language="en", text=text),
        entities=_entities(Z, P),
        events=[Event(id="ev-c1", type="CONSULT", summary="Putin met Zelensky", actors=[P, Z],
                      time=Time(value="2025-09-03", precision="day"), evidence=_ev(text, text), confidence=0.9)],
        extractor="kg-test/1")
    with SQLiteStore(tmp_path / "kg.sqlite") as store:
        for rec in [*records(), build_records(a3)]:
            store.write(rec)
        S = from_store(store)
    fulfils = [(u, v) for u, v, d in S.edges(data=True) if d["type"] == "FULFILS"]
    assert fulfils == [("ev-c1", "ev-b3")]  # the meeting on 3 Sep fulfils the one planned for that week
    assert S.get_edge_data("ev-c1", "ev-b3", "FULFILS")["kind"] == "event_link"
    assert "FULFILS: a planned event that took place" in render_html(S)
    export_csv(S, tmp_path / "csv")
    assert (tmp_path / "csv" / "rels_event_links.csv").read_text(encoding="utf-8").splitlines() == [
        ":START_ID,:END_ID,:TYPE", "ev-c1,ev-b3,FULFILS"]


# ------------------------------------------------------------------------------------ filters
def test_date_window_keeps_overlapping_events_and_their_entities():
    H = build_graph(records(), date_from="2025-08-18", date_to="2025-08-19")
    assert kinds(H) == {"entity": {Z, T, UKR, RUS, WAS}, "event": {"ev-a1", "ev-a2", "ev-b2"}}
    # the week-precision event overlaps a window that touches its week
    W = build_graph(records(), date_from="2025-09-03", date_to="2025-09-03")
    assert kinds(W)["event"] == {"ev-b3"}


def test_type_filter_entities_and_events():
    persons = build_graph(records(), types="PERSON")
    assert kinds(persons)["entity"] == {Z, T, P}
    # Russia's demand of Ukraine has no person in it: left without edges, it is dropped
    assert kinds(persons)["event"] == {"ev-a1", "ev-b1", "ev-b2", "ev-b3"}
    assert edge_kinds(persons) == {"participant": 8, "link": 4}
    consult = build_graph(records(), types=["consult"])
    assert kinds(consult)["event"] == {"ev-a1", "ev-b1", "ev-b2", "ev-b3"}
    met_only = build_graph(records(), types="PERSON,MET")
    assert kinds(met_only) == {"entity": {Z, T, P}} and edge_kinds(met_only) == {"link": 4}


def test_unknown_type_and_bad_date_are_one_line_errors():
    with pytest.raises(GraphError, match=r"unknown type 'PRESIDENT'.*entity types: PERSON"):
        build_graph(records(), types="PERSON,PRESIDENT")
    with pytest.raises(GraphError, match=r"--from: not a date \(YYYY-MM-DD\): '2025-13-01'"):
        build_graph(records(), date_from="2025-13-01")
    with pytest.raises(GraphError, match="after"):
        build_graph(records(), date_from="2025-09-01", date_to="2025-08-01")
    assert parse_types("Person, Consult,LEADER_OF").entities == {"PERSON"}


def test_min_sources_keeps_what_two_articles_support():
    H = build_graph(records(), min_sources=2)
    # entities mentioned by both articles; the meeting both report; Putin LEADER_OF Russia (both)
    assert kinds(H) == {"entity": {Z, T, P, RUS}, "event": {"ev-a1", "ev-b2"}}
    assert {(u, v, k) for u, v, k, d in H.edges(keys=True, data=True) if d["kind"] == "relation"} == {
        (P, RUS, "LEADER_OF")}
    assert H.get_edge_data(P, RUS, "LEADER_OF")["n_articles"] == 2


def test_max_nodes_keeps_the_most_connected_and_reports_the_rest(G):
    H = build_graph(records(), max_nodes=4)
    # degrees: Zelensky 7, Trump 6, Putin 5, then Russia 3 (two articles; ties broken by supporting articles)
    assert set(H.nodes) == {Z, T, P, RUS}
    dropped = H.graph["dropped"]
    assert {d["id"] for d in dropped} == set(G.nodes) - {Z, T, P, RUS}
    assert dropped[0]["degree"] >= dropped[-1]["degree"]
    assert {"id", "name", "kind", "degree"} <= set(dropped[0])
    # a pinned node stays even when it is not among the most connected
    K = limit_nodes(G, 2, keep=[WAS])
    assert WAS in K and len(K) <= 2
    assert limit_nodes(G, 100).graph["dropped"] == []


# ------------------------------------------------------------------------------------ subgraphs
def test_ego_network_by_depth(G):
    one = ego(G, T, 1)
    assert kinds(one) == {"entity": {T, Z, P, WAS, ALA}, "event": {"ev-a1", "ev-b1", "ev-b2", "ev-b3"}}
    assert one.graph["center"] == T
    two = ego(G, T, 2)
    assert kinds(two)["entity"] == {T, Z, P, WAS, ALA, UKR, RUS}
    assert "ev-a2" in two
    assert set(ego(G, T, 0).nodes) == {T}
    with pytest.raises(GraphError):
        ego(G, "person:nobody", 1)


def test_entity_graph_has_only_entities_with_links_and_relations(G):
    E = entity_graph(G)
    assert set(E.nodes) == {Z, T, P, UKR, RUS, WAS, ALA, NATO}
    assert edge_kinds(E) == {"relation": 2, "link": 5}
    assert edge_kinds(events_graph(G)) == {"participant": 12, "relation": 2}


def test_find_entity_by_alias_in_any_language(G):
    assert find_entity(G, "Selenskyj") == [Z]
    assert find_entity(G, "wladimir putin") == [P]
    assert find_entity(G, "nobody at all") == []


# ------------------------------------------------------------------------------------ analytics
def test_shortest_path_with_the_events_on_it(G):
    p = shortest_path(G, WAS, ALA)
    assert [n["id"] for n in p.nodes] == [WAS, "ev-a1", T, "ev-b1", ALA]
    assert p.hops == 4
    assert [e["id"] for e in p.events] == ["ev-b1", "ev-a1"]  # date order: 15 Aug, 18 Aug
    q = shortest_path(G, UKR, T)
    assert [n["id"] for n in q.nodes] == [UKR, Z, T]
    assert [e["type"] for e in q.steps[0].edges] == ["LEADER_OF"] and q.steps[0].edges[0]["direction"] == "<-"
    # both articles' meetings of Zelensky and Trump connect them: every edge and event is there
    assert [(e["type"], e["event_id"]) for e in q.steps[1].edges] == [("MET", "ev-a1"), ("MET", "ev-b2")]
    assert [e["id"] for e in q.events] == ["ev-a1", "ev-b2"]
    r = shortest_path(G, Z, P)
    assert r.hops == 1 and [e["id"] for e in r.events] == ["ev-b3"] and r.events[0]["modality"] == "planned"
    with pytest.raises(GraphError, match="no path between 'NATO' and 'Donald Trump'"):
        shortest_path(G, NATO, T)


def test_centrality_order_and_date_window(G):
    ranked = centrality(G)
    # asserted/reported links only: Zelensky-Trump (twice), Trump-Putin, Russia-Ukraine
    assert ranked[0].entity["id"] == T and ranked[0].degree == 2
    assert ranked[0].betweenness == pytest.approx(1 / 6, abs=1e-4)  # on the only Zelensky-Putin path, 5 nodes
    assert {c.entity["id"] for c in ranked} == {Z, T, P, RUS, UKR}
    assert all(c.betweenness == 0 for c in ranked[1:])
    window = centrality(G, date_to="2025-08-16")
    assert {c.entity["id"]: c.degree for c in window} == {T: 1, P: 1}
    everything = centrality(G, modalities=None)  # the planned Putin-Zelensky meeting counts too
    assert {c.entity["id"]: c.degree for c in everything if c.entity["type"] == "PERSON"} == {Z: 2, T: 2, P: 2}
    assert centrality(G, date_from="2030-01-01") == []


# ------------------------------------------------------------------------------------ neo4j
class _FakeTx:
    def __init__(self, driver):
        self.driver = driver

    def run(self, query, params=None, **kw):
        self.driver.calls.append((query, dict(params or {}, **kw)))
        return iter(self.driver.responder(query, len(self.driver.calls) - 1))


class _FakeSession:
    def __init__(self, driver):
        self.driver = driver

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute_read(self, fn, *args, **kwargs):
        return fn(_FakeTx(self.driver), *args, **kwargs)


class _FakeDriver:
    def __init__(self, responder):
        self.responder = responder
        self.calls = []

    def verify_connectivity(self):
        pass

    def session(self, database=None):
        return _FakeSession(self)

    def close(self):
        pass


def _neo4j_rows() -> list[list[dict]]:
    """What a Neo4j holding both articles returns for the 9 statements of cypher/export/graph.cypher."""
    from neo4j.time import Date, DateTime
    recs = GraphRecords()
    for r in records():
        recs.extend(r)
    articles = [{**a, "published": DateTime.from_iso_format(a["published"]) if a["published"] else None}
                for a in recs.articles]
    entities = {}
    for e in recs.entities:
        cur = entities.setdefault(e["id"], {**e, "aliases": []})
        cur["aliases"] = sorted(set(cur["aliases"]) | set(e["aliases"]))
    date = lambda v: Date.from_iso_format(v) if v else None  # noqa: E731
    events = [{**e, "date_start": date(e["date_start"]), "date_end": date(e["date_end"])} for e in recs.events]
    relations = {}
    for r in recs.relations:
        agg = relations.setdefault((r["source"], r["type"], r["target"]), {
            "source": r["source"], "target": r["target"], "type": r["type"], "role": r["role"],
            "confidence": r["confidence"], "articles": [], "evidence": [], "evidence_articles": []})
        agg["articles"].append(r["article_id"])
        if r["evidence"]:
            agg["evidence"].append(r["evidence"])
            agg["evidence_articles"].append(r["article_id"])
    links = [{**l, "date_start": date(l["date_start"]), "date_end": date(l["date_end"])} for l in recs.links]
    return [articles, list(entities.values()), events, recs.participants, recs.mentions, recs.reports,
            list(relations.values()), links, []]


def test_from_neo4j_reads_the_same_graph_with_parameterised_cypher(G):
    from kg.config import Neo4jSettings
    from kg.store.neo4j import Neo4jStore
    rows = _neo4j_rows()
    expected_start = ["MATCH (a:Article)", "MATCH (e:Entity)", "MATCH (ev:Event)", "MATCH (ev:Event)-[p:",
                      "MATCH (a:Article)-[m:MENTIONS]", "MATCH (a:Article)-[r:REPORTS]", "MATCH (s:Entity)-[r:",
                      "MATCH (s:Entity)-[l:", "MATCH (a:Event)-[f:FULFILS]"]

    def responder(query, i):
        assert query.startswith(expected_start[i]), (i, query[:60])
        return rows[i]

    driver = _FakeDriver(responder)
    store = Neo4jStore(Neo4jSettings(uri="bolt://localhost:7687", user="neo4j", password="pw"), driver=driver)
    N = from_neo4j(store)
    assert len(driver.calls) == 9
    for query, params in driver.calls:
        assert params == {"date_from": None, "date_to": None}
        assert "{" not in query.replace("{participant_types}", "")  # placeholders rendered from the ontology
        assert "'" not in query and '"' not in query  # values only as parameters
    assert set(N.nodes) == set(G.nodes)
    assert sorted(N.edges(keys=True)) == sorted(G.edges(keys=True))
    assert N.nodes["ev-a1"]["date_start"] == "2025-08-18" and N.nodes["ev-a1"]["evidence"] == G.nodes["ev-a1"]["evidence"]
    assert N.get_edge_data(P, RUS, "LEADER_OF")["n_articles"] == 2
    # a date window is sent as parameters
    driver.calls.clear()
    W = from_neo4j(store, date_from="2025-08-18", date_to="2025-08-19")
    assert all(p == {"date_from": "2025-08-18", "date_to": "2025-08-19"} for _q, p in driver.calls)
    assert kinds(W)["event"] == {"ev-a1", "ev-a2", "ev-b2"}


# ------------------------------------------------------------------------------------ CLI
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


def test_kg_central_prints_the_most_central_actors(db):
    r = run(db, "central")
    assert r.exit_code == 0, r.stderr
    lines = [line for line in r.stdout.splitlines() if "│" in line]
    assert "Donald Trump" in lines[0] and "0.167" in lines[0]
    r = run(db, "central", "--from", "2025-08-01", "--to", "2025-08-16", "--json")
    assert r.exit_code == 0
    assert {row["name"]: row["degree"] for row in json.loads(r.stdout)} == {"Donald Trump": 1, "Vladimir Putin": 1}
    r = run(db, "central", "--limit", "1", "--json")
    assert [row["name"] for row in json.loads(r.stdout)] == ["Donald Trump"]


def test_kg_central_errors_are_one_line(db, tmp_path):
    r = run(db, "central", "--from", "2025-02-30")
    assert r.exit_code == 2 and r.stderr.splitlines() == ["error: --from: not a date (YYYY-MM-DD): '2025-02-30'"]
    r = run(db, "central", "--from", "2030-01-01")
    assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1 and "no dated interactions" in r.stderr
    empty = tmp_path / "empty.sqlite"
    SQLiteStore(empty).close()
    r = run(empty, "central")
    assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1 and "empty" in r.stderr


def test_kg_path_prints_the_path_and_its_events(db):
    r = run(db, "path", "Ukraine", "Trump")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert out.splitlines()[:4] == [
        "Ukraine → Donald Trump: 2 step(s)",
        "  Ukraine (COUNTRY)",
        "    <-LEADER_OF- (Präsident)",
        "  Volodymyr Zelensky (PERSON)",
    ]
    # one merged meeting (canonical layer) or the two articles' meetings
    assert out.splitlines()[4] in ("    -MET- (2025-08-18, asserted)",
                                   "    -MET- (2025-08-18, asserted)  or  -MET- (2025-08-18, asserted)")
    assert out.splitlines()[5] == "  Donald Trump (PERSON)"
    assert "events on the path" in out and "Selenskyj traf Trump am Montag in Washington." in out
    r = run(db, "path", "Selenskyj", "Wladimir Putin")
    assert "    -MET- (week of 2025-09-01, planned)" in r.stdout.splitlines()  # MET has no direction
    assert "Putin and Zelensky plan to meet next week, Putin said." in r.stdout
    r = run(db, "path", "Washington", "Alaska", "--json")
    data = json.loads(r.stdout)
    assert data["hops"] == 4 and [e["id"] for e in data["events"]] == ["ev-b1", "ev-a1"]


def test_kg_path_errors_are_one_line(db):
    r = run(db, "path", "Selenskyj", "Nobody Atall")
    assert r.exit_code == 1 and r.stderr.splitlines() == ["error: no entity called 'Nobody Atall' (try 'kg entities')"]
    r = run(db, "path", "NATO", "Trump")
    assert r.exit_code == 1 and r.stderr.splitlines() == ["error: no path between 'NATO' and 'Donald Trump'"]
