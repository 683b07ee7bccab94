"""User decisions that survive re-ingest (kg/curation.py, kg/cli_curate.py): alias, merge, unmerge,
rename, YAML export/import, and what `kg push` sends to Neo4j for them."""
from __future__ import annotations

import datetime as dt
import zlib
from pathlib import Path

import pytest

from kg.build import GraphRecords, build_records
from kg.curation import Curation, CurationError, Decision, export_yaml, read_yaml
from kg.model import Article, Entity, Event, Evidence, Extraction, Relation, Time
from kg.store.neo4j import plan_write
from kg.store.sqlite import SQLiteStore

MULTI = Path(__file__).parent / "fixtures" / "multi"

MERZ = dict(id="person:friedrich-merz", type="PERSON", name="Friedrich Merz", aliases=["Merz"])
MERZ_SHORT = dict(id="person:merz", type="PERSON", name="Merz")
MACRON = dict(id="person:emmanuel-macron", type="PERSON", name="Emmanuel Macron", aliases=["Macron"],
              wikidata="Q3052772")
SELENSKI = dict(id="person:selenski", type="PERSON", name="Selenski")
ZELENSKY = dict(id="person:volodymyr-zelensky", type="PERSON", name="Volodymyr Zelensky",
                aliases=["Zelensky", "Selenskyj"], wikidata="Q3881")
GERMANY = dict(id="country:deu", type="COUNTRY", name="Germany")
BERLIN = dict(id="location:berlin", type="LOCATION", name="Berlin")


def extraction(aid, entities, events=(), relations=(), published="2025-03-18T10:00") -> Extraction:
    return Extraction(article=Article(id=aid, title=f"Article {aid}", language="de",
                                      published=dt.datetime.fromisoformat(published), source=f"{aid}.txt",
                                      text=f"text of {aid}"),
                      entities=[Entity(mentions=1, **e) for e in entities], events=list(events),
                      relations=list(relations), extractor="test")


def meet(eid, a, b, when="2025-03-17", sentence=None):
    sentence = sentence or f"{a['name']} traf {b['name']}."
    return Event(id=eid, type="CONSULT", actors=[a["id"], b["id"]], time=Time(value=when, precision="day"),
                 evidence=[Evidence(text=sentence, start=0, end=len(sentence))], confidence=0.8)


@pytest.fixture
def store(tmp_path):
    s = SQLiteStore(tmp_path / "kg.sqlite")
    yield s
    s.close()


def write(store, *extractions):
    for ex in extractions:
        store.write(build_records(ex))


def ids(store) -> set[str]:
    return {e["id"] for e in store.entities()}


# ---------------------------------------------------------------------------- the rules on records
def test_apply_rewrites_every_record_and_keeps_names_as_aliases():
    rec = build_records(extraction("a", [MERZ, MERZ_SHORT, MACRON, GERMANY], [
        meet("e1", MERZ_SHORT, MACRON), meet("e2", MERZ, MERZ_SHORT)],
        relations=[Relation(type="LEADER_OF", source=MERZ_SHORT["id"], target=GERMANY["id"]),
                   Relation(type="LEADER_OF", source=MERZ["id"], target=GERMANY["id"])]))
    cur = Curation([Decision("merge", MERZ_SHORT["id"], MERZ["id"], "Friedrich Merz", "PERSON", "Merz")])
    out = cur.apply(rec)
    assert rec.entities[1]["id"] == MERZ_SHORT["id"]                 # the input is left as it was
    assert sorted(e["id"] for e in out.entities) == [GERMANY["id"], MACRON["id"], MERZ["id"]]
    merz = next(e for e in out.entities if e["id"] == MERZ["id"])
    assert merz["name"] == "Friedrich Merz" and merz["aliases"] == ["Merz"] and merz["wikidata"] is None
    assert next(m for m in out.mentions if m["entity_id"] == MERZ["id"])["count"] == 2
    assert {(p["event_id"], p["entity_id"]) for p in out.participants} == \
        {("e1", MERZ["id"]), ("e1", MACRON["id"]), ("e2", MERZ["id"])}
    assert [(l["source"], l["target"]) for l in out.links] == [(MERZ["id"], MACRON["id"])]  # no self-link
    assert [(r["source"], r["target"]) for r in out.relations] == [(MERZ["id"], GERMANY["id"])]


def test_alias_maps_the_extracted_name_and_rename_sets_the_name():
    rec = build_records(extraction("a", [SELENSKI, MACRON], [meet("e1", SELENSKI, MACRON)]))
    cur = Curation([Decision("alias", "selenski", ZELENSKY["id"], ZELENSKY["name"], "PERSON"),
                    Decision("rename", ZELENSKY["id"], name="Wolodymyr Selenskyj")])
    out = cur.apply(rec)
    z = next(e for e in out.entities if e["id"] == ZELENSKY["id"])
    assert z["name"] == "Wolodymyr Selenskyj" and "Selenski" in z["aliases"]
    assert {p["entity_id"] for p in out.participants} == {ZELENSKY["id"], MACRON["id"]}


def test_merge_chains_and_cycles():
    cur = Curation([Decision("merge", "c", "b"), Decision("merge", "b", "a")])
    assert cur.resolve("c") == "a" and cur.sources("a") == {"a", "b", "c"} and cur.cycle() is None
    assert Curation([Decision("merge", "a", "b"), Decision("merge", "b", "a")]).cycle() is not None


# ---------------------------------------------------------------------------- the store
def test_a_surname_alone_never_merges_with_a_full_name(store):
    write(store, extraction("a", [MERZ_SHORT, MACRON], [meet("a-m", MERZ_SHORT, MACRON)]),
          extraction("b", [MERZ, MACRON], [meet("b-m", MERZ, MACRON)]))
    assert {MERZ["id"], MERZ_SHORT["id"]} <= ids(store)
    assert len(store.timeline(merged=True)) == 2          # and their meetings are not merged either


def test_merge_and_unmerge(store):
    write(store, extraction("a", [MERZ_SHORT, MACRON], [meet("a-m", MERZ_SHORT, MACRON)]),
          extraction("b", [MERZ, MACRON], [meet("b-m", MERZ, MACRON)]))
    n = store.change_decisions([Decision("merge", MERZ_SHORT["id"], MERZ["id"], "Friedrich Merz", "PERSON", "Merz")])
    assert n == 1
    assert MERZ_SHORT["id"] not in ids(store)
    assert store.entity(MERZ["id"])["alias_counts"] == {"Friedrich Merz": 2, "Merz": 2}
    (e,) = store.timeline(merged=True)                     # now one person: one meeting, two sources
    assert e["source_count"] == 2
    assert [x["id"] for x in store.find_entities("person:merz")] == [MERZ["id"]]   # the old id still finds it
    assert store.retired_entities() == [{"id": MERZ_SHORT["id"], "into": MERZ["id"]}]
    # re-ingesting the article keeps the merge
    write(store, extraction("a", [MERZ_SHORT, MACRON], [meet("a-m", MERZ_SHORT, MACRON)]))
    assert MERZ_SHORT["id"] not in ids(store)
    # unmerge: two entities and two meetings again
    store.change_decisions(remove=[Decision("merge", MERZ_SHORT["id"])])
    assert {MERZ["id"], MERZ_SHORT["id"]} <= ids(store)
    assert store.entity(MERZ["id"])["alias_counts"] == {"Friedrich Merz": 1, "Merz": 1}
    assert len(store.timeline(merged=True)) == 2
    assert store.retired_entities() == []


def test_a_merge_applies_to_articles_kept_as_json_text_by_older_stores(store):
    write(store, extraction("a", [MERZ_SHORT, MACRON], [meet("a-m", MERZ_SHORT, MACRON)]),
          extraction("b", [MERZ, MACRON], [meet("b-m", MERZ, MACRON)]))
    (kept,) = store.conn.execute("SELECT records FROM article_records WHERE article_id = 'a'").fetchone()
    assert isinstance(kept, bytes) and b"Emmanuel Macron" not in kept   # compressed
    with store.transaction():      # as a store written before the records were compressed
        store.conn.execute("UPDATE article_records SET records = ? WHERE article_id = 'a'",
                           (zlib.decompress(kept).decode("utf-8"),))
    store.change_decisions([Decision("merge", MERZ_SHORT["id"], MERZ["id"], "Friedrich Merz", "PERSON", "Merz")])
    assert MERZ_SHORT["id"] not in ids(store)
    (e,) = store.timeline(merged=True)
    assert e["source_count"] == 2


def test_a_merge_that_makes_a_cycle_is_refused(store):
    write(store, extraction("a", [MERZ_SHORT, MERZ]))
    store.change_decisions([Decision("merge", MERZ_SHORT["id"], MERZ["id"])])
    with pytest.raises(CurationError, match="cycle"):
        store.change_decisions([Decision("merge", MERZ["id"], MERZ_SHORT["id"])])
    assert [d.subject for d in store.decisions()] == [MERZ_SHORT["id"]]    # rolled back
    assert ids(store) == {MERZ["id"]}


def test_alias_applies_to_stored_and_later_articles(store):
    write(store, extraction("a", [SELENSKI, MACRON], [meet("a-m", SELENSKI, MACRON)]))
    store.change_decisions([Decision("alias", "Selenski", ZELENSKY["id"], ZELENSKY["name"], "PERSON")])
    assert ids(store) == {ZELENSKY["id"], MACRON["id"]}
    assert store.entity(ZELENSKY["id"])["name"] == "Volodymyr Zelensky"
    write(store, extraction("b", [SELENSKI], published="2025-03-19T10:00"))
    assert ids(store) == {ZELENSKY["id"], MACRON["id"]}
    assert store.aliases_with_counts(ZELENSKY["id"])["Selenski"] == 2
    assert store.retired_entities() == [{"id": SELENSKI["id"], "into": ZELENSKY["id"]}]


def test_rename_survives_reingest_and_a_new_article(store):
    write(store, extraction("a", [MERZ, MACRON]))
    store.change_decisions([Decision("rename", MERZ["id"], name="Friedrich Merz (CDU)")])
    assert store.entity(MERZ["id"])["name"] == "Friedrich Merz (CDU)"
    write(store, extraction("a", [MERZ, MACRON]), extraction("b", [MERZ], published="2025-03-20T10:00"))
    assert store.entity(MERZ["id"])["name"] == "Friedrich Merz (CDU)"
    assert [e["id"] for e in store.find_entities("Friedrich Merz")] == [MERZ["id"]]   # the old name is an alias


def test_yaml_round_trip(tmp_path, store):
    decisions = [Decision("alias", "Selenski", ZELENSKY["id"], ZELENSKY["name"], "PERSON"),
                 Decision("merge", MERZ_SHORT["id"], MERZ["id"], "Friedrich Merz", "PERSON", "Merz"),
                 Decision("rename", MERZ["id"], name="Friedrich Merz (CDU)")]
    path = tmp_path / "curation.yaml"
    export_yaml(decisions, path)
    assert [d.to_yaml() for d in read_yaml(path)] == [d.to_yaml() for d in decisions]
    for text, message in (("decisions: [{action: nuke}]", "unknown action"), ("version: 7", "unknown version"),
                          ("- a\n- b", "expected a mapping"), ("decisions: [{action: merge, into: x}]", "merged"),
                          ("a: [", "not a YAML file")):
        bad = tmp_path / "bad.yaml"
        bad.write_text(text)
        with pytest.raises(CurationError, match=message) as info:
            read_yaml(bad)
        assert "\n" not in str(info.value)


# ---------------------------------------------------------------------------- Neo4j
def test_push_deletes_merged_away_entities_in_neo4j(store):
    write(store, extraction("a", [MERZ_SHORT, MACRON], [meet("a-m", MERZ_SHORT, MACRON)]),
          extraction("b", [MERZ, MACRON], [meet("b-m", MERZ, MACRON)]))
    store.change_decisions([Decision("merge", MERZ_SHORT["id"], MERZ["id"], "Friedrich Merz", "PERSON", "Merz")])
    records = GraphRecords()
    for rec in store.iter_records():
        records.extend(rec)
    assert records.retired_entities == [{"id": MERZ_SHORT["id"], "into": MERZ["id"]}]
    assert MERZ_SHORT["id"] not in {e["id"] for e in records.entities}
    plan = plan_write(records, 100)
    (retire,) = [b for b in plan.batches if b.kind == "retired"]
    assert retire.params == {"rows": [{"id": MERZ_SHORT["id"]}]}
    assert retire.statements == ["UNWIND $rows AS row\nMATCH (e:Entity {id: row.id})\nDETACH DELETE e"]
    assert plan.batches[-1] is retire                       # after everything else
    entities = [r for b in plan.batches if b.kind == "entities" for r in b.params["rows"]]
    assert next(r for r in entities if r["id"] == MERZ["id"])["aliases"] == ["Friedrich Merz", "Merz"]


# ---------------------------------------------------------------------------- the commands
def test_alias_rename_merge_commands_survive_reingest(kg, tmp_path):
    files = [MULTI / "de_koehler.txt", MULTI / "en_kohler.txt", MULTI / "de_koeller.txt"]
    kg.ok("ingest", "-q", *files)
    names = {e["name"] for e in kg.json("entities", "--json", "--type", "PERSON")}
    assert {"Jürgen Köhler", "Jürgen Köller"} <= names
    out = kg.ok("alias", "add", "Jürgen Köller", "--to", "Jürgen Köhler").stdout
    assert "person:jurgen-kohler" in out and "1 article(s)" in out
    people = kg.json("entities", "--json", "--type", "PERSON")
    assert [(e["name"], e["articles"]) for e in people] == [("Jürgen Köhler", 3)]
    assert kg.json("show", "--json", "Köller")["id"] == "person:jurgen-kohler"
    # re-extracting every article keeps the decision
    kg.ok("ingest", "-q", "--force", *files)
    assert [e["name"] for e in kg.json("entities", "--json", "--type", "PERSON")] == ["Jürgen Köhler"]
    kg.ok("rename", "Köhler", "Jürgen Köhler (Regierungssprecher)")
    kg.ok("ingest", "-q", "--force", *files)
    assert [e["name"] for e in kg.json("entities", "--json", "--type", "PERSON")] == \
        ["Jürgen Köhler (Regierungssprecher)"]
    listed = kg.ok("alias", "list").stdout
    assert "Jürgen Köller -> Jürgen Köhler (person:jurgen-kohler)" in listed
    # export, then apply to a fresh store of the same articles
    exported = tmp_path / "decisions.yaml"
    kg.ok("curation", "export", exported)
    assert [d.action for d in read_yaml(exported)] == ["alias", "rename"]
    other = type(kg)(db=tmp_path / "other.sqlite", runner=kg.runner)
    other.ok("ingest", "-q", *files)
    assert len(other.json("entities", "--json", "--type", "PERSON")) == 2
    other.ok("curation", "import", exported)
    assert [e["name"] for e in other.json("entities", "--json", "--type", "PERSON")] == \
        ["Jürgen Köhler (Regierungssprecher)"]
    # withdrawing the alias splits the misspelt person off again
    kg.ok("alias", "remove", "Jürgen Köller")
    assert len(kg.json("entities", "--json", "--type", "PERSON")) == 2


def test_merge_unmerge_commands(kg):
    kg.ok("ingest", "-q", MULTI / "de_merz_macron_berlin.txt", MULTI / "en_merz_macron_berlin.txt")
    before = len(kg.json("entities", "--json"))
    assert "merged Emmanuel Macron" in kg.ok("merge", "Friedrich Merz", "Macron").stdout
    assert len(kg.json("entities", "--json")) == before - 1
    assert kg.json("show", "--json", "Macron")["id"] == "person:friedrich-merz"
    assert kg.json("curation", "list", "--json")[0]["merged"] == "person:emmanuel-macron"
    r = kg("merge", "Friedrich Merz", "Merz")
    assert r.exit_code == 1 and "already one entity" in r.stderr
    assert "unmerged Emmanuel Macron" in kg.ok("split", "Macron").stdout
    assert len(kg.json("entities", "--json")) == before
    assert kg.json("show", "--json", "Macron")["id"] == "person:emmanuel-macron"
    r = kg("unmerge", "Macron")
    assert r.exit_code == 1 and r.stderr.startswith("error: no merge of 'Macron'")
    r = kg("alias", "add", "X", "--to", "Nobody Known")
    assert r.exit_code == 1 and "no entity called 'Nobody Known'" in r.stderr


def test_neo4j_store_applies_curation_to_direct_writes():
    """`kg ingest --neo4j` does not go through the embedded store: Neo4jStore(curation=...) applies
    the decisions itself and deletes the merged-away node."""
    from kg.config import Neo4jSettings
    from kg.store.neo4j import Neo4jStore
    from tests.test_neo4j_unit import FakeDriver

    driver = FakeDriver(responder=lambda q, p: [{"owned": []}] if "AS owned" in q else [])
    cur = Curation([Decision("merge", MERZ_SHORT["id"], MERZ["id"], "Friedrich Merz", "PERSON", "Merz")])
    store = Neo4jStore(Neo4jSettings(uri="bolt://localhost:7687", password="pw"), driver=driver, curation=cur)
    store._schema_ready = True
    store.write(build_records(extraction("a", [MERZ_SHORT, MACRON], [meet("a-m", MERZ_SHORT, MACRON)])))
    loaded = [row for q, p in driver.calls if "MERGE" in q for row in p.get("rows", [])]
    assert loaded and all(MERZ_SHORT["id"] not in (r.get("id"), r.get("entity_id"), r.get("source"), r.get("target"))
                          for r in loaded)
    deletes = [p["rows"] for q, p in driver.calls if q.endswith("DETACH DELETE e")]
    assert deletes == [[{"id": MERZ_SHORT["id"]}]]


def test_withdrawing_a_rename_restores_the_extracted_name(kg):
    kg.ok("ingest", "-q", MULTI / "de_koehler.txt")
    kg.ok("rename", "person:jurgen-kohler", "J. Köhler")
    assert kg.json("show", "--json", "person:jurgen-kohler")["name"] == "J. Köhler"
    kg.ok("curation", "remove", "rename", "person:jurgen-kohler")
    shown = kg.json("show", "--json", "person:jurgen-kohler")
    assert shown["name"] == "Jürgen Köhler" and "J. Köhler" not in shown["aliases"]
    r = kg("curation", "remove", "rename", "person:jurgen-kohler")
    assert r.exit_code == 1 and "no rename decision" in r.stderr
