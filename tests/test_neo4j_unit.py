"""kg.store.neo4j without a server: statements, parameters, whitelist, batching, errors.

A fake driver records every (query, params) the store sends.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from neo4j import exceptions as nx

from kg.build import GraphRecords, build_records
from kg.config import Neo4jSettings
from kg.model import Article, Entity, Event, Evidence, Extraction, Relation, Time
from kg.ontology import ontology
from kg.store import StoreUnavailable
from kg.store import neo4j as store_mod
from kg.store.neo4j import (Neo4jQueryError, Neo4jStore, Neo4jUnavailable, Neo4jWriteError, Neo4jWriteResult,
                            NotInOntology, allowed_names, article_hashes, batched, cypher_dir, list_queries,
                            load_query, parse_params, plan_write, render, split_statements, to_plain, whitelist)

URI = "bolt://localhost:7687"
CYPHER = cypher_dir()


# ------------------------------------------------------------------------------------ fixtures
def small_extraction() -> Extraction:
    text = ("Wolodymyr Selenskyj traf Donald Trump am 18. August 2025 in Washington. "
            "Selenskyj ist Präsident der Ukraine.")
    s1 = text.index("Selenskyj ist")
    return Extraction(
        article=Article(id="art-1", title="Selenskyj trifft Trump", published=dt.datetime(2025, 8, 19, 7, 30),
                        language="de", url="https://example.org/a1", source="example.txt", text=text),
        entities=[
            Entity(id="person:volodymyr-zelensky", type="PERSON", name="Volodymyr Zelensky",
                   aliases=["Selenskyj", "Wolodymyr Selenskyj"], wikidata="Q3881", mentions=2),
            Entity(id="person:donald-trump", type="PERSON", name="Donald Trump", aliases=["Trump"],
                   wikidata="Q22686", mentions=1),
            Entity(id="country:ukraine", type="COUNTRY", name="Ukraine", aliases=["der Ukraine"],
                   wikidata="Q212", mentions=1),
        ],
        events=[Event(id="ev-1", type="CONSULT", summary="Zelensky met Trump", trigger="traf",
                      actors=["person:volodymyr-zelensky", "person:donald-trump"],
                      time=Time(value="2025-08-18", precision="day", text="am 18. August 2025"),
                      evidence=[Evidence(text=text[:s1].strip(), start=0, end=s1 - 1)], confidence=0.9)],
        relations=[Relation(type="LEADER_OF", source="person:volodymyr-zelensky", target="country:ukraine",
                            role="Präsident", evidence=[Evidence(text=text[s1:], start=s1, end=len(text))],
                            confidence=0.8)],
        extractor="kg-test/1",
    )


class FakeResult:
    def __init__(self, rows, created=0):
        self.rows = rows
        self.created = created

    def data(self):
        return [dict(r) for r in self.rows]

    def single(self):
        return self.rows[0] if self.rows else None

    def consume(self):
        return SimpleNamespace(counters=SimpleNamespace(nodes_created=self.created))

    def __iter__(self):
        return iter(self.rows)


class FakeDriver:
    """Records (query, params); can fail on connect or on the n-th write transaction."""

    def __init__(self, *, connect_error=None, write_error=None, fail_on_write=None, responder=None, created=None):
        self.calls: list[tuple[str, dict]] = []
        self.created = created or (lambda q, p: 0)
        self.connect_error = connect_error
        self.write_error = write_error
        self.fail_on_write = fail_on_write
        self.responder = responder or (lambda q, p: [])
        self.writes = 0
        self.closed = False
        self.databases = []

    def verify_connectivity(self):
        if self.connect_error is not None:
            raise self.connect_error

    def get_server_info(self):
        return type("Info", (), {"agent": "Neo4j/5.26.0"})()

    def session(self, database=None):
        self.databases.append(database)
        return FakeSession(self)

    def close(self):
        self.closed = True

    def _run(self, query, params=None, **kw):
        params = dict(params or {}, **kw)
        self.calls.append((query, params))
        return FakeResult(self.responder(query, params), self.created(query, params))


class FakeTx:
    def __init__(self, driver):
        self.driver = driver

    def run(self, query, params=None, **kw):
        return self.driver._run(query, params, **kw)


class FakeSession:
    def __init__(self, driver):
        self.driver = driver

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, query, params=None, **kw):
        return self.driver._run(query, params, **kw)

    def execute_write(self, fn, *args, **kwargs):
        self.driver.writes += 1
        if self.driver.fail_on_write is not None and self.driver.writes >= self.driver.fail_on_write:
            raise self.driver.write_error
        return fn(FakeTx(self.driver), *args, **kwargs)

    def execute_read(self, fn, *args, **kwargs):
        return fn(FakeTx(self.driver), *args, **kwargs)


def make_store(driver, **settings) -> Neo4jStore:
    return Neo4jStore(Neo4jSettings(uri=URI, user="neo4j", password="pw", **settings), driver=driver)


# ------------------------------------------------------------------------------- cypher parsing
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_NAMES = re.compile(r"(?<![\w$.`])[A-Za-z_]\w*\s*:\s*([A-Z]\w*(?:\s*[:|]\s*[A-Z]\w*)*)|"
                    r"[(\[]\s*:\s*([A-Z]\w*(?:\s*[:|]\s*[A-Z]\w*)*)")
_PARAM = re.compile(r"\$([A-Za-z_]\w*)")
_ROW_KEY = re.compile(r"\brow\.(?:`([^`]+)`|(\w+))")


def code_only(statement: str) -> str:
    """The statement without string literals (comments are already gone after split_statements)."""
    return _STRING.sub("''", statement)


def labels_and_types(statement: str) -> set[str]:
    names = set()
    for m in _NAMES.finditer(code_only(statement)):
        chain = m.group(1) or m.group(2)
        names.update(n.strip() for n in re.split(r"[:|]", chain) if n.strip())
    return names


def strings_of(statement: str) -> list[str]:
    return [s[1:-1] for s in _STRING.findall(statement)]


LOAD_FAMILIES = {  # load file -> (placeholder family, kind of rows it receives)
    "articles": (None, "articles"), "entities": ("entity", "entities"), "events": ("event", "events"),
    "participants": ("participant", "participants"), "locations": ("location", "participants"),
    "mentions": (None, "mentions"), "reports": (None, "reports"), "relations": ("relation", "relations"),
    "links": ("link", "links"), "replace_article": (None, "replace"),
    "fulfils": (None, "fulfils"), "retire_entities": (None, "retired"), "extractors": (None, "extractors"),
}
REPLACE_PARAMS = {"article_ids", "event_ids", "owned", "drop", "link_keys", "participant_keys", "relation_keys"}


def test_every_load_file_is_known_and_renders_to_whitelisted_names():
    files = sorted(p.stem for p in (CYPHER / "load").glob("*.cypher"))
    assert set(files) == set(LOAD_FAMILIES), "a load file without a test entry (or the reverse)"
    allowed = allowed_names()
    records = build_records(small_extraction())
    records.event_links = [{"source": "ev-1", "type": "FULFILS", "target": "ev-0"}]
    records.retired_entities = [{"id": "person:old", "into": "person:donald-trump"}]
    plan = plan_write(records, 1000)
    row_keys: dict[str, set] = {}
    for batch in plan.batches:
        if batch.kind != "replace":
            for row in batch.params["rows"]:
                row_keys.setdefault(batch.kind, set()).update(row)
    for stem, (family, kind) in LOAD_FAMILIES.items():
        text = (CYPHER / "load" / f"{stem}.cypher").read_text(encoding="utf-8")
        assert text.lstrip().startswith("//"), f"{stem}: needs a header comment"
        names = whitelist()[family] if family else [None]
        for name in names:
            statements = [render(s, family=family, name=name) for s in split_statements(text)]
            assert statements, stem
            for st in statements:
                assert not re.search(r"\{[a-z_]+\}|%s|%\(|\{\d*\}", st), f"{stem}: placeholder left: {st}"
                assert labels_and_types(st) <= allowed, (stem, labels_and_types(st) - allowed)
                # values only ever come from parameters: no literals at all in load statements
                assert strings_of(st) == [] or set(strings_of(st)) <= {""}, (stem, strings_of(st))
                params = set(_PARAM.findall(st))
                if kind == "replace":
                    assert params <= REPLACE_PARAMS, (stem, params)
                else:
                    assert params == {"rows"}, (stem, params)
                    assert st.startswith("UNWIND $rows AS row"), stem
                    used = {a or b for a, b in _ROW_KEY.findall(st)}
                    missing = used - row_keys[kind]
                    assert not missing, f"{stem}: uses row keys the loader never sends: {missing}"
            if family:
                rendered = " ".join(statements)
                assert name in labels_and_types(rendered), f"{stem}: {name} not substituted"


def test_schema_file():
    statements = split_statements((CYPHER / "schema.cypher").read_text(encoding="utf-8"))
    assert all("IF NOT EXISTS" in s for s in statements)
    text = " ".join(statements)
    for needle in ("FOR (e:Entity) REQUIRE e.id IS UNIQUE", "FOR (ev:Event) REQUIRE ev.id IS UNIQUE",
                   "FOR (a:Article) REQUIRE a.id IS UNIQUE", "ON (e.name)", "ON (ev.date_start)", "ON (ev.type)",
                   "ON (a.published)", "CREATE FULLTEXT INDEX entity_names", "ON EACH [e.name, e.aliases]"):
        assert needle in text, needle
    assert all(labels_and_types(s) <= allowed_names() for s in statements)


QUERY_LITERALS = {"", ": ", "actor", "target", "in", "about", "rejected", "negated ", "seeks membership",
                  "entity_names"}


def test_every_query_file_is_parameterised_and_whitelisted():
    names = list_queries()
    assert len(names) >= 12
    onto = ontology()
    vocabulary = (allowed_names() | set(onto["event_types"]) | set(onto["entity_types"])
                  | set(onto["modalities"]) | set(onto["precisions"]) | QUERY_LITERALS)
    for name in names:
        path = CYPHER / "queries" / f"{name}.cypher"
        raw = path.read_text(encoding="utf-8")
        assert raw.startswith("//"), f"{name}: needs a header comment"
        text, defaults = load_query(name)
        statements = split_statements(text)
        assert len(statements) == 1, name
        st = statements[0]
        assert render(st) == st, f"{name}: query files take no placeholders"
        assert labels_and_types(st) <= allowed_names(), (name, labels_and_types(st) - allowed_names())
        used = set(_PARAM.findall(code_only(st)))
        assert used == set(defaults), f"{name}: used {sorted(used)} but :param defaults for {sorted(defaults)}"
        assert set(strings_of(st)) <= vocabulary, (name, set(strings_of(st)) - vocabulary)
        assert re.match(r"(?i)(MATCH|OPTIONAL MATCH|CALL|WITH|UNWIND)\b", st), name
        json.dumps(defaults)  # defaults are plain values


def test_split_statements_respects_strings_and_comments():
    text = "// a; comment\nMATCH (n {x: 'a;b'}) RETURN n; /* c; */ RETURN \"x;y\" AS `w;z`;\n\n"
    assert split_statements(text) == ["MATCH (n {x: 'a;b'}) RETURN n", 'RETURN "x;y" AS `w;z`']


# ---------------------------------------------------------------------------------- whitelisting
def test_render_refuses_labels_outside_the_ontology():
    template = (CYPHER / "load" / "entities.cypher").read_text(encoding="utf-8")
    assert "SET e:Person," in render(template, family="entity", name="Person")
    for bad in ("Hacker", "Consult", "Person) DETACH DELETE (x", "Person`", "", None, "person"):
        with pytest.raises(NotInOntology):
            render(template, family="entity", name=bad)
    with pytest.raises(NotInOntology):
        render((CYPHER / "load" / "links.cypher").read_text(encoding="utf-8"), family="link", name="LEADER_OF")
    with pytest.raises(NotInOntology):
        render("MATCH (n:{label}) RETURN n")            # no name given
    with pytest.raises(NotInOntology):
        render("MATCH (n:{whatever}) RETURN n")


def test_rows_with_unknown_labels_or_types_are_refused():
    records = build_records(small_extraction())
    records.entities[0]["label"] = "Spy"
    with pytest.raises(NotInOntology):
        plan_write(records, 10)
    records = build_records(small_extraction())
    records.links[0]["type"] = "KNOWS`]->() DETACH DELETE (x"
    with pytest.raises(NotInOntology):
        plan_write(records, 10)
    records = build_records(small_extraction())
    records.participants[0]["role"] = "FRIEND_OF"
    with pytest.raises(NotInOntology):
        plan_write(records, 10)


# ------------------------------------------------------------------------------------ batching
def test_batched():
    assert [len(b) for b in batched(list(range(10)), 3)] == [3, 3, 3, 1]
    assert list(batched([], 5)) == []
    with pytest.raises(ValueError):
        list(batched([1], 0))


def test_plan_splits_rows_into_batches_of_the_configured_size():
    records = GraphRecords()
    for i in range(7):
        ex = small_extraction()
        ex.article.id = f"art-{i}"
        for ent in ex.entities:
            ent.id = f"{ent.id}-{i}"
        ex.events[0].id = f"ev-{i}"
        ex.events[0].actors = [f"person:volodymyr-zelensky-{i}", f"person:donald-trump-{i}"]
        ex.relations[0].source = f"person:volodymyr-zelensky-{i}"
        ex.relations[0].target = f"country:ukraine-{i}"
        records.extend(build_records(ex))
    plan = plan_write(records, 3)
    sizes: dict[tuple, list[int]] = {}
    for batch in plan.batches:
        n = len(batch.params["article_ids"]) if batch.kind == "replace" else len(batch.params["rows"])
        assert 1 <= n <= 3
        sizes.setdefault((batch.kind, batch.name), []).append(n)
    assert sizes[("replace", None)] == [3, 3, 1]
    assert sizes[("articles", None)] == [3, 3, 1]
    assert sizes[("entities", "Person")] == [3, 3, 3, 3, 2]      # 14 persons
    assert sizes[("entities", "Country")] == [3, 3, 1]
    assert sizes[("links", "MET")] == [3, 3, 1]
    assert plan.rows["entities"] == 21
    kinds = [b.kind for b in plan.batches]
    order = ["replace", *store_mod.LOAD_ORDER]
    assert kinds == sorted(kinds, key=order.index), "kinds must be written in dependency order"


def test_duplicate_rows_are_merged_before_sending():
    records = build_records(small_extraction())
    other = small_extraction()
    other.article.id = "art-2"
    other.entities[0].aliases = ["Zelensky"]
    other.relations[0].evidence = [Evidence(text="Zelensky, the Ukrainian president", start=0, end=10)]
    records.extend(build_records(other))
    plan = plan_write(records, 100)
    entity_rows = [r for b in plan.batches if b.kind == "entities" for r in b.params["rows"]]
    assert len(entity_rows) == 3
    zel = next(r for r in entity_rows if r["id"] == "person:volodymyr-zelensky")
    assert zel["aliases"] == ["Selenskyj", "Wolodymyr Selenskyj", "Zelensky"]
    rel = next(r for b in plan.batches if b.kind == "relations" for r in b.params["rows"])
    assert rel["articles"] == ["art-1", "art-2"]
    assert rel["evidence"] == ["Selenskyj ist Präsident der Ukraine.", "Zelensky, the Ukrainian president"]
    assert rel["evidence_articles"] == ["art-1", "art-2"]
    events = [r for b in plan.batches if b.kind == "events" for r in b.params["rows"]]
    assert len(events) == 1
    reports = [r for b in plan.batches if b.kind == "reports" for r in b.params["rows"]]
    assert {(r["article_id"], r["event_id"]) for r in reports} == {("art-1", "ev-1"), ("art-2", "ev-1")}


# -------------------------------------------------------------------------------- what is sent
def _assert_flat(value, where):
    assert not isinstance(value, dict), f"{where}: a map value"
    if isinstance(value, list):
        for item in value:
            assert isinstance(item, (str, int, float, bool)) or item is None, f"{where}: list of non-scalars"
            assert item is not None, f"{where}: null inside a list cannot be stored"


def test_write_sends_parameterised_statements_for_a_small_extraction():
    driver = FakeDriver(responder=lambda q, p: [{"owned": []}] if "AS owned" in q else [])
    with make_store(driver, batch_size=50) as store:
        summary = store.write(build_records(small_extraction()))
    assert driver.closed
    calls = driver.calls
    # schema first: constraints and indexes, then wait for them
    schema = split_statements((CYPHER / "schema.cypher").read_text(encoding="utf-8"))
    assert [q for q, _ in calls[:len(schema)]] == schema
    assert calls[len(schema)][0].startswith("CALL db.awaitIndexes")
    rest = calls[len(schema) + 1:]
    # then the replace step for the article (11 statements in one transaction)
    replace = [c for c in rest if "article_ids" in c[1]]
    assert len(replace) == 11
    assert replace[0][0].startswith("UNWIND $article_ids AS article_id\nMATCH (a:Article {id: article_id})")
    assert replace[0][1]["article_ids"] == ["art-1"]
    assert replace[0][1]["event_ids"] == ["ev-1"]
    assert replace[2][1]["link_keys"] == [["person:volodymyr-zelensky", "MET", "person:donald-trump", "ev-1"]]
    assert replace[2][1]["owned"] == [] and replace[4][1]["drop"] == []
    assert replace[0][1]["relation_keys"] == [["person:volodymyr-zelensky", "LEADER_OF", "country:ukraine"]]
    assert sorted(replace[0][1]["participant_keys"]) == [["person:donald-trump", "ACTOR_IN", "ev-1"],
                                                           ["person:volodymyr-zelensky", "ACTOR_IN", "ev-1"]]
    loads = [(q, p["rows"]) for q, p in rest if "rows" in p]
    by_start = {}
    for q, rows in loads:
        for needle in ("MERGE (a:Article", "MERGE (e:Entity", "MERGE (ev:Event", "MERGE (x)-[:ACTOR_IN]",
                       "MERGE (a)-[m:MENTIONS]", "MERGE (a)-[r:REPORTS]", "MERGE (s)-[r:LEADER_OF]",
                       "MERGE (s)-[l:MET {event_id: row.event_id}]"):
            if needle in q:
                by_start.setdefault(needle, []).extend(rows)
    assert list(by_start) == ["MERGE (a:Article", "MERGE (e:Entity", "MERGE (ev:Event", "MERGE (x)-[:ACTOR_IN]",
                              "MERGE (a)-[m:MENTIONS]", "MERGE (a)-[r:REPORTS]", "MERGE (s)-[r:LEADER_OF]",
                              "MERGE (s)-[l:MET {event_id: row.event_id}]"]
    for q, rows in loads:
        assert "{label}" not in q and "{type}" not in q
        for row in rows:
            for key, value in row.items():
                _assert_flat(value, f"{q.splitlines()[0]} row.{key}")
    article = by_start["MERGE (a:Article"][0]
    assert article["published"] == "2025-08-19T07:30:00"
    persons = [q for q, rows in loads if "MERGE (e:Entity" in q and "SET e:Person" in q]
    assert len(persons) == 1 and "REMOVE e:Person:Country:Organization:Location" in persons[0]
    assert any("SET e:Country" in q for q, _ in loads)
    event = by_start["MERGE (ev:Event"][0]
    assert event["date_start"] == "2025-08-18" and event["date_end"] == "2025-08-18"
    assert any("SET ev:Consult" in q for q, _ in loads)
    met = by_start["MERGE (s)-[l:MET {event_id: row.event_id}]"]
    assert len(met) == 1
    assert met[0]["date_start"] == "2025-08-18" and met[0]["date_precision"] == "day"
    assert {met[0]["source"], met[0]["target"]} == {"person:volodymyr-zelensky", "person:donald-trump"}
    leader = by_start["MERGE (s)-[r:LEADER_OF]"][0]
    assert leader["articles"] == ["art-1"] and leader["role"] == "Präsident"
    assert leader["evidence"] == ["Selenskyj ist Präsident der Ukraine."]
    report = by_start["MERGE (a)-[r:REPORTS]"][0]
    assert report["evidence"] and report["starts"] == [0]
    assert summary.rows["links"] == 1 and summary.batches == len(
        plan_write(build_records(small_extraction()), 50).batches)
    assert summary.articles_new == 1 and summary.articles == 1 and summary.events == 1
    assert article["records_hash"] == article_hashes(build_records(small_extraction()))["art-1"]


def test_replace_uses_owned_events_returned_by_the_server():
    def responder(q, p):
        return [{"owned": ["ev-1", "ev-old"]}] if "AS owned" in q else []

    driver = FakeDriver(responder=responder)
    store = make_store(driver)
    store._schema_ready = True
    store.write(build_records(small_extraction()))
    drop = [p for q, p in driver.calls if "DETACH DELETE ev" in q]
    assert drop and drop[0]["drop"] == ["ev-old"] and drop[0]["owned"] == ["ev-1", "ev-old"]


def test_write_without_replace_and_empty_records():
    driver = FakeDriver()
    store = make_store(driver)
    empty = store.write(GraphRecords())
    assert empty.batches == 0 and empty.rows == dict.fromkeys(store_mod.LOAD_ORDER, 0) and empty.articles == 0
    assert driver.calls == []  # nothing to do: not even the schema
    store.write(build_records(small_extraction()), replace=False)
    assert not any("article_ids" in p for _, p in driver.calls)


def test_same_records_give_the_same_plan():
    a = plan_write(build_records(small_extraction()), 2)
    b = plan_write(build_records(small_extraction()), 2)
    assert [(x.kind, x.statements, x.params) for x in a.batches] == [(x.kind, x.statements, x.params) for x in b.batches]


def test_push_groups_records():
    driver = FakeDriver(responder=lambda q, p: [{"owned": []}] if "AS owned" in q else [])
    store = make_store(driver, batch_size=2)
    chunks = []
    for i in range(5):
        ex = small_extraction()
        ex.article.id = f"art-{i}"
        chunks.append(build_records(ex))
    seen = []
    summary = store.push(chunks, progress=seen.append)
    assert summary.articles == 5 and seen == [2, 4, 5]
    assert summary.rows["articles"] == 5 and summary.articles_new == 5


def test_write_result_tells_new_unchanged_and_replaced_articles():
    records = build_records(small_extraction())
    changed = small_extraction()
    changed.article.id = "art-2"
    changed.events[0].summary = "something else"
    records.extend(build_records(changed))
    third = small_extraction()
    third.article.id = "art-3"
    records.extend(build_records(third))
    hashes = article_hashes(records)
    assert len(set(hashes.values())) == 3

    def responder(q, p):
        if "AS records_hash" in q:   # art-1 stored with the same facts, art-2 with other facts, art-3 new
            return [{"id": "art-1", "records_hash": hashes["art-1"]}, {"id": "art-2", "records_hash": "old"}]
        return [{"owned": []}] if "AS owned" in q else []

    def created(q, p):
        return 1 if "MERGE (e:Entity" in q and "SET e:Country" in q else 0

    store = make_store(FakeDriver(responder=responder, created=created))
    result = store.write(records)
    assert isinstance(result, Neo4jWriteResult)
    assert (result.articles_new, result.articles_unchanged, result.articles_replaced) == (1, 1, 1)
    assert result.entities_new == 1 and result.entities_updated == 2
    assert result.entity_ids == {"person:volodymyr-zelensky", "person:donald-trump", "country:ukraine"}
    assert result.events == 3 and result.edges == 3 * (2 + 1 + 1)
    # the same facts give the same hash, whatever the order of the rows
    again = build_records(small_extraction())
    again.entities.reverse()
    assert article_hashes(again)["art-1"] == hashes["art-1"]


def test_extractor_fingerprint_is_written_last():
    """An interrupted write must not leave an article marked as stored by this extractor: the
    replace step and the article batch clear the fingerprint, the last batch sets it."""
    records = build_records(small_extraction())
    records.retired_entities = [{"id": "person:old", "into": "person:donald-trump"}]
    plan = plan_write(records, 50)
    kinds = [b.kind for b in plan.batches]
    (last,) = [b for b in plan.batches if b.kind == "extractors"]
    assert kinds[-2:] == ["extractors", "retired"]   # after every batch of the article's facts
    assert last.params["rows"] == [{"id": "art-1", "extractor": "kg-test/1"}]
    assert "SET a.extractor = row.extractor" in last.statements[0]
    for batch in plan.batches:
        if batch is not last:
            assert not any("a.extractor = row.extractor" in st for st in batch.statements), batch.kind
    replace = next(b for b in plan.batches if b.kind == "replace")
    assert "SET a.extractor = null" in replace.statements[-1]
    articles = next(b for b in plan.batches if b.kind == "articles")
    assert "a.extractor = null" in articles.statements[0]


def test_article_extractor_and_has_article():
    driver = FakeDriver(responder=lambda q, p: [{"extractor": "kg-test/1"}] if p.get("id") == "art-1" else [])
    store = make_store(driver)
    assert store.article_extractor("art-1") == "kg-test/1"
    assert store.article_extractor("nope") is None
    assert store.has_article("art-1") and store.has_article("art-1", "kg-test/1")
    assert not store.has_article("art-1", "kg-test/2") and not store.has_article("nope")


# ------------------------------------------------------------------------------------- queries
def test_load_query_reads_param_defaults(tmp_path):
    text, params = load_query("met_between")
    assert params == {"date_from": "2025-01-01", "date_to": "2025-12-31", "modalities": ["asserted", "reported"]}
    assert "MATCH (a:Entity)-[l:MET]->(b:Entity)" in text
    assert load_query("met_between.cypher") == (text, params)
    assert load_query(str(CYPHER / "queries" / "met_between.cypher")) == (text, params)
    f = tmp_path / "mine.cypher"
    f.write_text("// mine\n// :param n => 3\n// :param who => \"O'Neil \\\"x\\\"\"\nRETURN $n AS n, $who AS w;\n")
    assert load_query(str(f)) == ("// mine\n// :param n => 3\n// :param who => \"O'Neil \\\"x\\\"\"\n"
                                  "RETURN $n AS n, $who AS w\n", {"n": 3, "who": "O'Neil \"x\""})
    raw = "MATCH (n:Entity) RETURN n.name LIMIT 3"
    assert load_query(raw) == (raw, {})
    with pytest.raises(FileNotFoundError, match="met_between"):
        load_query("no_such_query")


def test_parse_params_literals():
    text = "\n".join([
        "// :param s => 'a\\'b'", "//:param d => \"x\"", "// :param i => -3", "// :param f => 2.5",
        "// :param b => TRUE", "// :param n => null", "// :param l => ['x', 1, [2]]",
        "// :param m => {a: 1, `b c`: 'd', 'e': [ ]}", "// :param colon: 7", "MATCH (n) RETURN n",
        "// not a param => 1",
    ])
    assert parse_params(text) == {"s": "a'b", "d": "x", "i": -3, "f": 2.5, "b": True, "n": None,
                                  "l": ["x", 1, [2]], "m": {"a": 1, "b c": "d", "e": []}, "colon": 7}
    with pytest.raises(ValueError, match="line 1"):
        parse_params("// :param x => date('2025-01-01')")


def test_query_converts_result_values():
    from neo4j import time as ntime
    from neo4j.graph import Graph, Node

    graph = Graph()
    node = Node(graph, "4:db:1", 1, ["Entity", "Person"], {"id": "p1", "name": "X", "aliases": ["Y"]})
    rows = [{"d": ntime.Date(2025, 8, 18), "t": ntime.DateTime(2025, 8, 19, 7, 30), "n": node,
             "l": [ntime.Date(2025, 1, 1)], "x": 1.5, "s": "ok", "none": None}]
    driver = FakeDriver(responder=lambda q, p: rows)
    result = make_store(driver).query("MATCH (n) WHERE n.id = $id RETURN n", {"id": "p1"})
    assert driver.calls[-1] == ("MATCH (n) WHERE n.id = $id RETURN n", {"id": "p1"})
    assert result == [{"d": "2025-08-18", "t": "2025-08-19T07:30:00.000000000", "l": ["2025-01-01"], "x": 1.5,
                       "s": "ok", "none": None,
                       "n": {"_labels": ["Entity", "Person"], "id": "p1", "name": "X", "aliases": ["Y"]}}]
    json.dumps(result)


def test_run_query_merges_defaults_with_given_params():
    driver = FakeDriver()
    make_store(driver).run_query("met_between", {"date_from": "2025-08-01"})
    query, params = driver.calls[-1]
    assert "MATCH (a:Entity)-[l:MET]->(b:Entity)" in query
    assert params == {"date_from": "2025-08-01", "date_to": "2025-12-31", "modalities": ["asserted", "reported"]}


def test_to_plain_python_values():
    assert to_plain({"a": (1, dt.date(2025, 1, 2)), "b": float("nan")}) == {"a": [1, "2025-01-02"], "b": None}


def test_counts_reads_whitelisted_labels_only():
    def responder(q, p):
        return [{"n": 2 if ":`Person`" in q or ":`MET`" in q else 0}]

    driver = FakeDriver(responder=responder)
    counts = make_store(driver).counts()
    assert counts == {"nodes": {"Person": 2}, "relationships": {"MET": 2}, "total_nodes": 0,
                      "total_relationships": 0}
    for q, _ in driver.calls:
        assert labels_and_types(q.replace("`", "")) <= allowed_names()


# -------------------------------------------------------------------------------------- errors
def _one_line(exc) -> str:
    text = str(exc)
    assert "\n" not in text and text.strip() == text
    return text


def test_unreachable_server_message():
    err = nx.ServiceUnavailable("Couldn't connect to localhost:7687 (resolved to ('127.0.0.1:7687',)):\n"
                                "Failed to establish connection to ResolvedIPv4Address(('127.0.0.1', 7687)) "
                                "(reason [Errno 111] Connection refused)")
    store = make_store(FakeDriver(connect_error=err))
    with pytest.raises(Neo4jUnavailable) as info:
        store.ping()
    assert _one_line(info.value) == ("cannot reach Neo4j at bolt://localhost:7687: connection refused — "
                                     "is the server running? (docker compose up -d)")
    with pytest.raises(Neo4jUnavailable, match="connection refused"):
        store.write(build_records(small_extraction()))


def test_unresolvable_host_message():
    err = nx.ServiceUnavailable("Failed to DNS resolve address nohost.invalid:7687: [Errno -2] Name or service not known")
    with pytest.raises(Neo4jUnavailable) as info:
        make_store(FakeDriver(connect_error=err)).ping()
    assert "host name cannot be resolved" in _one_line(info.value) and URI in str(info.value)


def test_bad_credentials_message():
    err = nx.AuthError("The client is unauthorized due to authentication failure.")
    with pytest.raises(Neo4jUnavailable) as info:
        make_store(FakeDriver(connect_error=err)).counts()
    assert _one_line(info.value) == ("Neo4j at bolt://localhost:7687 rejected the credentials for user 'neo4j' "
                                     "(set KG_NEO4J_PASSWORD)")


def test_unknown_database_message():
    class DatabaseNotFound(nx.ClientError):
        code = "Neo.ClientError.Database.DatabaseNotFound"
        message = "Database does not exist. Database name: 'nope'."

    class Driver(FakeDriver):
        def session(self, database=None):
            raise DatabaseNotFound("Database does not exist. Database name: 'nope'.")

    with pytest.raises(Neo4jUnavailable) as info:
        make_store(Driver(), database="nope").ping()
    text = _one_line(info.value)
    assert URI in text and "'nope'" in text and "KG_NEO4J_DATABASE" in text


def test_query_error_is_not_reported_as_unavailable():
    class Syntax(nx.CypherSyntaxError):
        code = "Neo.ClientError.Statement.SyntaxError"
        message = "Invalid input 'MATC'\n  line 1"

    driver = FakeDriver(responder=lambda q, p: (_ for _ in ()).throw(Syntax("Invalid input")))
    with pytest.raises(Neo4jQueryError) as info:
        make_store(driver).query("MATC (n) RETURN n")
    assert not isinstance(info.value, Neo4jUnavailable)
    assert "SyntaxError" in _one_line(info.value)


def test_write_failing_mid_way_says_how_many_batches_were_committed():
    err = nx.ServiceUnavailable("Failed to read from defunct connection (reason [Errno 111] Connection refused)")
    driver = FakeDriver(write_error=err, fail_on_write=4,
                        responder=lambda q, p: [{"owned": []}] if "AS owned" in q else [])
    store = make_store(driver)
    total = len(plan_write(build_records(small_extraction()), store.settings.batch_size).batches)
    with pytest.raises(Neo4jWriteError) as info:
        store.write(build_records(small_extraction()))
    text = _one_line(info.value)
    assert info.value.committed == 3 and info.value.total == total
    assert f"3 of {total} batches were committed" in text and URI in text and "connection refused" in text
    assert isinstance(info.value, Neo4jUnavailable)


def test_errors_are_store_unavailable():
    assert issubclass(Neo4jUnavailable, StoreUnavailable) and issubclass(Neo4jQueryError, StoreUnavailable)
    assert issubclass(Neo4jWriteError, Neo4jUnavailable)


def test_not_configured():
    with pytest.raises(Neo4jUnavailable, match="KG_NEO4J_URI"):
        Neo4jStore(Neo4jSettings(uri=None))


def test_invalid_uri_scheme():
    store = Neo4jStore(Neo4jSettings(uri="foo://localhost:7687"))
    with pytest.raises(Neo4jUnavailable) as info:
        store.ping()
    assert "foo://localhost:7687" in _one_line(info.value)


def test_real_driver_connection_refused():
    """The real driver against a closed local port: the same one-line message."""
    store = Neo4jStore(Neo4jSettings(uri="bolt://127.0.0.1:1"))
    try:
        with pytest.raises(Neo4jUnavailable) as info:
            store.ping()
    finally:
        store.close()
    text = _one_line(info.value)
    assert text.startswith("cannot reach Neo4j at bolt://127.0.0.1:1: ")
    assert "docker compose up -d" in text


def test_module_imports_without_a_server():
    import importlib
    import subprocess
    import sys

    code = "import kg.store.neo4j as m; print(m.Neo4jStore.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         cwd=str(Path(__file__).resolve().parent.parent))
    assert out.returncode == 0, out.stderr
    assert importlib.import_module("kg.store.neo4j") is store_mod
