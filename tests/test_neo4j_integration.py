"""kg.store.neo4j against a real Neo4j 5 server.

Run:  docker compose up -d && KG_NEO4J_URI=bolt://localhost:7687 pytest -m neo4j
(KG_NEO4J_USER / KG_NEO4J_PASSWORD / KG_NEO4J_DATABASE as for kg itself; see docs/neo4j.md).

The tests do not wipe the database: every node they create has an id starting with a per-run prefix
("kgtest-<random>:") and is deleted again at the end. The names are the real ones, so that the
default parameters of every query in cypher/queries find the fixture graph.
"""
from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(not os.environ.get("KG_NEO4J_URI"),
                       reason="needs a Neo4j 5 server: set KG_NEO4J_URI (e.g. bolt://localhost:7687 after "
                              "`docker compose up -d`), see docs/neo4j.md"),
]

from kg.build import GraphRecords, build_records  # noqa: E402
from kg.config import Neo4jSettings  # noqa: E402
from kg.model import Article, Entity, Event, Evidence, Extraction, Relation, Time  # noqa: E402
from kg.store.neo4j import Neo4jStore, list_queries, load_query  # noqa: E402


# ------------------------------------------------------------------------------ fixture graph
def ev(text: str, sentence: str) -> list[Evidence]:
    start = text.index(sentence)
    return [Evidence(text=sentence, start=start, end=start + len(sentence))]


def people(p: str) -> dict[str, Entity]:
    def e(key, etype, name, aliases=(), wikidata=None, mentions=1):
        return Entity(id=p + key, type=etype, name=name, aliases=list(aliases), wikidata=wikidata, mentions=mentions)

    return {
        "zel": e("person:volodymyr-zelensky", "PERSON", "Wolodymyr Selenskyj",
                 ["Selenskyj", "Zelensky", "Volodymyr Zelensky"], "Q3881", 4),
        "trump": e("person:donald-trump", "PERSON", "Donald Trump", ["Trump"], "Q22686", 2),
        "putin": e("person:vladimir-putin", "PERSON", "Wladimir Putin", ["Putin", "Vladimir Putin"], "Q7747", 3),
        "ukraine": e("country:ukraine", "COUNTRY", "Ukraine", ["die Ukraine"], "Q212", 2),
        "russia": e("country:russia", "COUNTRY", "Russia", ["Russland"], "Q159"),
        "usa": e("country:usa", "COUNTRY", "United States", ["USA"], "Q30"),
        "donetsk": e("location:donetsk-oblast", "LOCATION", "Donetsk", ["Donezk"]),
        "washington": e("location:washington", "LOCATION", "Washington"),
        "nato": e("org:nato", "ORGANIZATION", "NATO", ["Nato"], "Q7184"),
    }


TEXT1 = ("Wolodymyr Selenskyj traf Donald Trump am 18. August 2025 in Washington. "
         "Wladimir Putin forderte am 15. August 2025, dass die Ukraine sich aus Donezk zurückzieht. "
         "Selenskyj lehnte es ab, Donezk abzutreten. "
         "Selenskyj sagte, die Ukraine wolle weiterhin der Nato beitreten. "
         "Trump und Putin wollen sich im Oktober 2025 treffen. "
         "Putin schloss ein Treffen mit Selenskyj aus. "
         "Präsident Selenskyj führt die Ukraine. Trump ist Präsident der USA. Putin ist Präsident Russlands. "
         "Donezk ist eine Region der Ukraine. Die Ukraine strebt die Nato-Mitgliedschaft an.")

TEXT2 = ("Zelensky met Trump in Washington on August 18, 2025. "
         "Putin demanded on August 15, 2025 that Ukraine withdraw from Donetsk. "
         "President Zelensky leads Ukraine.")


def article1(p: str, *, version: int = 1) -> Extraction:
    E = people(p)
    t = TEXT1
    events = [
        Event(id=p + "ev:meeting", type="CONSULT", summary="Selenskyj met Trump in Washington", trigger="traf",
              actors=[E["zel"].id, E["trump"].id], location=E["washington"].id,
              time=Time(value="2025-08-18", precision="day", text="am 18. August 2025"),
              evidence=ev(t, "Wolodymyr Selenskyj traf Donald Trump am 18. August 2025 in Washington."),
              confidence=0.9),
        Event(id=p + "ev:demand", type="REQUEST", summary="Putin demanded Ukraine withdraw from Donetsk",
              trigger="forderte", actors=[E["putin"].id], targets=[E["ukraine"].id], locations=[E["donetsk"].id],
              time=Time(value="2025-08-15", precision="day", text="am 15. August 2025"),
              quote="dass die Ukraine sich aus Donezk zurückzieht",
              evidence=ev(t, "Wladimir Putin forderte am 15. August 2025, dass die Ukraine sich aus Donezk "
                             "zurückzieht."), confidence=0.8),
        Event(id=p + ("ev:reject" if version == 1 else "ev:reject-v2"), type="REJECT",
              summary="Selenskyj refused to cede Donetsk" if version == 1 else "Selenskyj refused any cession",
              trigger="lehnte ab", actors=[E["zel"].id], targets=[E["donetsk"].id],
              time=Time(value="2025-08-18", precision="day"),
              evidence=ev(t, "Selenskyj lehnte es ab, Donezk abzutreten."), confidence=0.8),
        Event(id=p + "ev:nato", type="STATEMENT", summary="Selenskyj: Ukraine still wants to join NATO",
              trigger="sagte", actors=[E["zel"].id], targets=[E["nato"].id],
              time=Time(value="2025-08-18", precision="day"), quote="die Ukraine wolle weiterhin der Nato beitreten",
              evidence=ev(t, "Selenskyj sagte, die Ukraine wolle weiterhin der Nato beitreten."), confidence=0.7),
        Event(id=p + "ev:planned", type="CONSULT", summary="Trump and Putin plan to meet", trigger="treffen",
              actors=[E["trump"].id, E["putin"].id], modality="planned",
              time=Time(value="2025-10", precision="month", text="im Oktober 2025"),
              evidence=ev(t, "Trump und Putin wollen sich im Oktober 2025 treffen."), confidence=0.7),
    ]
    if version == 1:
        events.append(
            Event(id=p + "ev:no-meeting", type="CONSULT", summary="Putin ruled out meeting Selenskyj",
                  trigger="schloss aus", actors=[E["putin"].id, E["zel"].id], modality="negated",
                  evidence=ev(t, "Putin schloss ein Treffen mit Selenskyj aus."), confidence=0.6))
    relations = [
        Relation(type="LEADER_OF", source=E["zel"].id, target=E["ukraine"].id, role="Präsident",
                 evidence=ev(t, "Präsident Selenskyj führt die Ukraine."), confidence=0.9),
        Relation(type="LEADER_OF", source=E["trump"].id, target=E["usa"].id, role="Präsident",
                 evidence=ev(t, "Trump ist Präsident der USA."), confidence=0.9),
        Relation(type="LEADER_OF", source=E["putin"].id, target=E["russia"].id, role="Präsident",
                 evidence=ev(t, "Putin ist Präsident Russlands."), confidence=0.9),
        Relation(type="PART_OF", source=E["donetsk"].id, target=E["ukraine"].id,
                 evidence=ev(t, "Donezk ist eine Region der Ukraine."), confidence=0.9),
    ]
    if version == 1:
        relations.append(Relation(type="SEEKS_MEMBERSHIP", source=E["ukraine"].id, target=E["nato"].id,
                                  evidence=ev(t, "Die Ukraine strebt die Nato-Mitgliedschaft an."), confidence=0.8))
    return Extraction(
        article=Article(id=p + "article:1", title="Selenskyj trifft Trump", language="de",
                        published=dt.datetime(2025, 8, 19, 7, 30), url="https://example.org/de/1",
                        source="fixture-1.txt", text=t),
        entities=list(E.values()), events=events, relations=relations, extractor=f"kg-test/{version}")


def article2(p: str) -> Extraction:
    E = people(p)
    t = TEXT2
    return Extraction(
        article=Article(id=p + "article:2", title="Zelensky meets Trump", language="en",
                        published=dt.datetime(2025, 8, 18, 21, 0), url="https://example.org/en/2",
                        source="fixture-2.txt", text=t),
        entities=[E[k] for k in ("zel", "trump", "putin", "ukraine", "donetsk", "washington")],
        events=[
            Event(id=p + "ev:meeting", type="CONSULT", summary="Zelensky met Trump in Washington", trigger="met",
                  actors=[E["zel"].id, E["trump"].id], location=E["washington"].id,
                  time=Time(value="2025-08-18", precision="day", text="on August 18, 2025"),
                  evidence=ev(t, "Zelensky met Trump in Washington on August 18, 2025."), confidence=0.9),
            Event(id=p + "ev:demand", type="REQUEST", summary="Putin demanded Ukraine withdraw from Donetsk",
                  trigger="demanded", actors=[E["putin"].id], targets=[E["ukraine"].id],
                  locations=[E["donetsk"].id], time=Time(value="2025-08-15", precision="day"),
                  evidence=ev(t, "Putin demanded on August 15, 2025 that Ukraine withdraw from Donetsk."),
                  confidence=0.8),
        ],
        relations=[Relation(type="LEADER_OF", source=E["zel"].id, target=E["ukraine"].id, role="President",
                            evidence=ev(t, "President Zelensky leads Ukraine."), confidence=0.8)],
        extractor="kg-test/1",
    )


def fixture_records(p: str, *, version: int = 1) -> GraphRecords:
    records = build_records(article1(p, version=version))
    records.extend(build_records(article2(p)))
    return records


# --------------------------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def store():
    s = Neo4jStore(Neo4jSettings())
    s.ping()
    yield s
    s.close()


def new_prefix() -> str:
    return f"kgtest-{uuid.uuid4().hex[:10]}:"


def wipe(store: Neo4jStore, prefix: str) -> None:
    def run(session):
        for label in ("Event", "Article", "Entity"):
            session.execute_write(lambda tx, q: tx.run(q, {"p": prefix}).consume(),
                                  f"MATCH (n:{label}) WHERE n.id STARTS WITH $p DETACH DELETE n")

    store._call(run)


def scoped_counts(store: Neo4jStore, prefix: str) -> dict:
    nodes = store.query("MATCH (n) WHERE n.id STARTS WITH $p UNWIND labels(n) AS label "
                        "RETURN label, count(*) AS n ORDER BY label", {"p": prefix})
    rels = store.query("MATCH (a)-[r]->(b) WHERE a.id STARTS WITH $p OR b.id STARTS WITH $p "
                       "RETURN type(r) AS type, count(DISTINCT r) AS n ORDER BY type", {"p": prefix})
    return {"nodes": {r["label"]: r["n"] for r in nodes}, "relationships": {r["type"]: r["n"] for r in rels}}


@pytest.fixture(scope="module")
def graph(store):
    prefix = new_prefix()
    store.write(fixture_records(prefix))
    yield prefix
    wipe(store, prefix)


# ----------------------------------------------------------------------------------- tests
def test_ping(store):
    info = store.ping()
    assert info["uri"] == os.environ["KG_NEO4J_URI"]
    assert info["server"] is None or "Neo4j/5" in info["server"] or "Neo4j/202" in info["server"]


def test_schema_constraints_and_indexes(store):
    store.init_schema()
    store.init_schema()  # idempotent
    constraints = store.query("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
                              "RETURN name, type, labelsOrTypes, properties")
    unique = {(c["labelsOrTypes"][0], tuple(c["properties"])) for c in constraints
              if "UNIQUE" in c["type"] and c["labelsOrTypes"]}
    assert {("Entity", ("id",)), ("Event", ("id",)), ("Article", ("id",))} <= unique
    indexes = {i["name"]: i for i in store.query("SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state "
                                                 "RETURN name, type, labelsOrTypes, properties, state")}
    assert indexes["entity_names"]["type"] == "FULLTEXT"
    assert set(indexes["entity_names"]["properties"]) == {"name", "aliases"}
    ranged = {(i["labelsOrTypes"][0], tuple(i["properties"])) for i in indexes.values()
              if i["type"] == "RANGE" and i["labelsOrTypes"]}
    assert {("Entity", ("name",)), ("Event", ("date_start",)), ("Event", ("type",)),
            ("Article", ("published",))} <= ranged
    ours = ("entity_id", "event_id", "article_id", "entity_name", "event_date_start", "event_type",
            "article_published", "event_article_id", "entity_names")
    assert all(indexes[name]["state"] == "ONLINE" for name in ours)


def test_written_values_have_neo4j_types(store, graph):
    rows = store.query("MATCH (ev:Event {id: $id}) RETURN ev.date_start AS d, labels(ev) AS labels",
                       {"id": graph + "ev:meeting"})
    assert rows[0]["d"] == "2025-08-18"
    assert sorted(rows[0]["labels"]) == ["Consult", "Event"]
    typed = store.query("MATCH (ev:Event {id: $id}) RETURN ev.date_start = date('2025-08-18') AS is_date",
                        {"id": graph + "ev:meeting"})
    assert typed == [{"is_date": True}]
    art = store.query("MATCH (a:Article {id: $id}) RETURN a.published = localdatetime('2025-08-19T07:30') AS ok",
                      {"id": graph + "article:1"})
    assert art == [{"ok": True}]
    zel = store.query("MATCH (e:Entity:Person {id: $id}) RETURN e.aliases AS aliases, e.wikidata AS q",
                      {"id": graph + "person:volodymyr-zelensky"})
    assert zel == [{"aliases": ["Selenskyj", "Volodymyr Zelensky", "Zelensky"], "q": "Q3881"}]
    met = store.query("MATCH (:Entity {id: $a})-[l:MET]-(:Entity {id: $b}) RETURN l.date_start AS d, "
                      "l.event_id AS ev, l.modality AS m",
                      {"a": graph + "person:volodymyr-zelensky", "b": graph + "person:donald-trump"})
    assert met == [{"d": "2025-08-18", "ev": graph + "ev:meeting", "m": "asserted"}]
    leader = store.query("MATCH (:Entity {id: $a})-[r:LEADER_OF]->(:Entity {id: $b}) "
                         "RETURN r.articles AS articles, r.evidence AS evidence, r.evidence_articles AS sources",
                         {"a": graph + "person:volodymyr-zelensky", "b": graph + "country:ukraine"})
    assert len(leader) == 1
    assert sorted(leader[0]["articles"]) == [graph + "article:1", graph + "article:2"]
    assert len(leader[0]["evidence"]) == 2 and len(leader[0]["sources"]) == 2
    reports = store.query("MATCH (a:Article)-[:REPORTS]->(ev:Event {id: $id}) RETURN count(a) AS n",
                          {"id": graph + "ev:meeting"})
    assert reports == [{"n": 2}]


def test_writing_the_same_records_twice_changes_nothing(store):
    prefix = new_prefix()
    try:
        result = store.write(fixture_records(prefix))
        assert result.articles_new == 2 and result.entities_new == 9
        first, first_global = scoped_counts(store, prefix), store.counts()
        summary = store.write(fixture_records(prefix))
        assert summary.rows["events"] == 6
        assert summary.articles_unchanged == 2 and summary.articles_new == 0 and summary.entities_new == 0
        assert store.article_extractor(prefix + "article:1") == "kg-test/1"
        assert store.has_article(prefix + "article:2", "kg-test/1")
        assert scoped_counts(store, prefix) == first
        assert store.counts() == first_global
        # one article at a time gives the same graph too
        store.write(build_records(article2(prefix)))
        store.write(build_records(article1(prefix)))
        assert scoped_counts(store, prefix) == first
        assert first["nodes"]["Event"] == 6 and first["nodes"]["Article"] == 2 and first["nodes"]["Entity"] == 9
        assert first["relationships"]["REPORTS"] == 8 and first["relationships"]["LEADER_OF"] == 3
    finally:
        wipe(store, prefix)


def test_rewriting_an_article_replaces_its_events(store):
    prefix = new_prefix()
    try:
        store.write(build_records(article1(prefix)))   # article 1 first: it creates the shared events
        store.write(build_records(article2(prefix)))
        before = scoped_counts(store, prefix)
        result = store.write(build_records(article1(prefix, version=2)))
        assert result.articles_replaced == 1
        ids = {r["id"] for r in store.query("MATCH (ev:Event) WHERE ev.id STARTS WITH $p RETURN ev.id AS id",
                                            {"p": prefix})}
        assert prefix + "ev:reject" not in ids and prefix + "ev:no-meeting" not in ids
        assert prefix + "ev:reject-v2" in ids
        assert {prefix + "ev:meeting", prefix + "ev:demand", prefix + "ev:nato", prefix + "ev:planned"} <= ids
        # links of the removed events are gone, the new event has its link
        stale = store.query("MATCH ()-[l]->() WHERE l.event_id IN $ids RETURN count(l) AS n",
                            {"ids": [prefix + "ev:reject", prefix + "ev:no-meeting"]})
        assert stale == [{"n": 0}]
        new = store.query("MATCH (:Entity {id: $a})-[l:REJECTED {event_id: $e}]->(:Entity {id: $b}) "
                          "RETURN count(l) AS n", {"a": prefix + "person:volodymyr-zelensky",
                                                   "b": prefix + "location:donetsk-oblast", "e": prefix + "ev:reject-v2"})
        assert new == [{"n": 1}]
        # a relation only article 1 asserted, and it no longer does: gone
        seeks = store.query("MATCH (:Entity {id: $a})-[r:SEEKS_MEMBERSHIP]->() RETURN count(r) AS n",
                            {"a": prefix + "country:ukraine"})
        assert seeks == [{"n": 0}]
        # a relation both articles assert keeps both, once
        leader = store.query("MATCH (:Entity {id: $a})-[r:LEADER_OF]->(:Entity {id: $b}) RETURN r.articles AS a",
                             {"a": prefix + "person:volodymyr-zelensky", "b": prefix + "country:ukraine"})
        assert len(leader) == 1 and sorted(leader[0]["a"]) == [prefix + "article:1", prefix + "article:2"]
        # events shared with article 2 are still reported by both
        shared = store.query("MATCH (a:Article)-[:REPORTS]->(:Event {id: $e}) RETURN count(a) AS n",
                             {"e": prefix + "ev:meeting"})
        assert shared == [{"n": 2}]
        after = scoped_counts(store, prefix)
        assert after["nodes"]["Event"] == before["nodes"]["Event"] - 1
        assert after["relationships"].get("SEEKS_MEMBERSHIP", 0) == 0
        # re-writing version 2 again changes nothing
        store.write(build_records(article1(prefix, version=2)))
        assert scoped_counts(store, prefix) == after
        # an article that stops reporting a shared event hands its provenance over
        slim = article1(prefix, version=2)
        slim.events = [e for e in slim.events if e.id != prefix + "ev:demand"]
        store.write(build_records(slim))
        demand = store.query("MATCH (ev:Event {id: $e}) OPTIONAL MATCH (a:Article)-[:REPORTS]->(ev) "
                             "RETURN ev.article_id AS owner, collect(a.id) AS reporters", {"e": prefix + "ev:demand"})
        assert demand == [{"owner": prefix + "article:2", "reporters": [prefix + "article:2"]}]
    finally:
        wipe(store, prefix)


@pytest.mark.parametrize("name", list_queries())
def test_every_query_finds_the_fixture(store, graph, name):
    text, params = load_query(name)
    rows = store.query(text, params)
    assert rows, f"{name} returned no rows with its default parameters"


def test_queries_see_fixture_details(store, graph):
    rows = store.run_query("met_between", {"date_from": "2025-08-18", "date_to": "2025-08-18"})
    assert any({r["who"], r["met"]} == {"Wolodymyr Selenskyj", "Donald Trump"} and r["date_start"] == "2025-08-18"
               and r["places"] == ["Washington"] for r in rows)
    rows = store.run_query("territorial_demands")
    assert any(r["demanded_by"] == ["Wladimir Putin"] and "Ukraine" in r["addressed_to"] for r in rows)
    rows = store.run_query("region_events")
    assert any("Donetsk" in r["places"] for r in rows)
    rows = store.run_query("multi_source_events")
    assert any(r["event_id"] == graph + "ev:meeting" and r["reports"] == 2 for r in rows)
    rows = store.run_query("edge_evidence")
    assert any("Zelensky met Trump in Washington on August 18, 2025." in r["sentences"] for r in rows)
    rows = store.run_query("ruled_out", {"actor": "Putin"})
    assert any(r["kind"] == "negated consult" for r in rows)
    rows = store.run_query("shortest_path")
    assert rows and rows[0]["hops"] <= 3
