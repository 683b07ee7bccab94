"""The embedded store (SQLiteStore) fed with records built from hand-made extractions."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.build import build_records
from kg.model import Article, Entity, Event, Evidence, Extraction, Relation, Time
from kg.store.sqlite import SQLiteStore, StoreError, fold, json_list

PER_ARTICLE_TABLES = ("entity_aliases", "mentions", "events", "participants", "reports", "relations", "links")


# ---------------------------------------------------------------------------- builders

MACRON = dict(id="person:emmanuel-macron", type="PERSON", name="Emmanuel Macron", aliases=["Macron"],
              wikidata="Q3052772")
MERZ = dict(id="person:friedrich-merz", type="PERSON", name="Friedrich Merz", aliases=["Merz"])
BERLIN = dict(id="location:berlin", type="LOCATION", name="Berlin", wikidata="Q64")
ZELENSKY_EN = dict(id="person:volodymyr-zelensky", type="PERSON", name="Volodymyr Zelensky",
                   aliases=["Zelensky", "Zelenskyy"])
ZELENSKY_DE = dict(id="person:volodymyr-zelensky", type="PERSON", name="Volodymyr Zelensky",
                   aliases=["Wolodymyr Selenskyj", "Selenskyj"])
GENEVA = dict(id="location:geneva", type="LOCATION", name="Geneva", aliases=["Genève", "Genf"], wikidata="Q71")
RUSSIA = dict(id="country:rus", type="COUNTRY", name="Russia", aliases=["Russland"], wikidata="Q159")
UKRAINE = dict(id="country:ukr", type="COUNTRY", name="Ukraine", wikidata="Q212")


def article(aid: str, published: str | None = "2025-03-19T14:30", title: str | None = None) -> Article:
    return Article(id=aid, title=title or f"Article {aid}", language="de",
                   published=dt.datetime.fromisoformat(published) if published else None,
                   source=f"{aid}.txt", text=f"text of {aid}")


def event(eid: str, etype: str, actors, targets=(), locations=(), when: str | None = None,
          precision: str = "day", sentence: str | None = None, modality: str = "asserted") -> Event:
    sentence = sentence or f"Sentence of {eid}."
    return Event(id=eid, type=etype, actors=list(actors), targets=list(targets), locations=list(locations),
                 location=locations[0] if locations else None,
                 time=Time(value=when, precision=precision, text=when) if when else None,
                 modality=modality, evidence=[Evidence(text=sentence, start=0, end=len(sentence))],
                 confidence=0.9)


def extraction(aid: str, entities, events=(), relations=(), published: str | None = "2025-03-19T14:30",
               extractor: str = "test-extractor (offline)") -> Extraction:
    return Extraction(article=article(aid, published), entities=[Entity(mentions=1, **e) for e in entities],
                      events=list(events), relations=list(relations), extractor=extractor)


def merz_macron(aid="a1", **kw) -> Extraction:
    """Merz met Macron in Berlin on Monday 17 March 2025."""
    return extraction(aid, [MERZ, MACRON, BERLIN], [
        event(f"{aid}-consult", "CONSULT", [MERZ["id"], MACRON["id"]], locations=[BERLIN["id"]], when="2025-03-17",
              sentence="Bundeskanzler Friedrich Merz traf am Montag in Berlin Emmanuel Macron."),
    ], **kw)


def count(store: SQLiteStore, table: str, where: str = "", args=()) -> int:
    return store.conn.execute(f"SELECT count(*) FROM {table} {where}", args).fetchone()[0]


def all_counts(store: SQLiteStore) -> dict[str, int]:
    return {t: count(store, t) for t in ("articles", "entities", *PER_ARTICLE_TABLES)}


@pytest.fixture
def store(tmp_path):
    s = SQLiteStore(tmp_path / "kg.sqlite")
    yield s
    s.close()


# ---------------------------------------------------------------------------- writing

def test_first_write_stores_article_entities_event_and_edges(store):
    res = store.write(build_records(merz_macron()))
    assert (res.articles_new, res.articles_replaced, res.articles_unchanged) == (1, 0, 0)
    assert (res.entities_new, res.events) == (3, 1)
    s = store.stats()
    assert (s["articles"], s["entities"], s["events"]) == (1, 3, 1)
    assert s["entities_by_type"] == {"PERSON": 2, "LOCATION": 1}
    assert s["events_by_type"] == {"CONSULT": 1}
    # CONSULT is symmetric: one MET link between the two people, none to the place
    links = store.conn.execute("SELECT source, type, target, date_start FROM links").fetchall()
    assert [tuple(r) for r in links] == [(MERZ["id"], "MET", MACRON["id"], "2025-03-17")]
    roles = {(r["entity_id"], r["role"]) for r in store.conn.execute("SELECT * FROM participants")}
    assert roles == {(MERZ["id"], "ACTOR_IN"), (MACRON["id"], "ACTOR_IN"), (BERLIN["id"], "LOCATED_AT")}


def test_repeated_aliases_and_links_in_one_article_are_stored_once(store):
    rec = build_records(merz_macron())
    rec.entities = rec.entities + [dict(rec.entities[0])]    # the same entity twice (e.g. after a merge)
    rec.links = rec.links + [dict(rec.links[0], date_precision="month")]   # a repeated link: the last wins
    store.write(rec)
    aliases = store.conn.execute("SELECT entity_id, alias, count(*) FROM entity_aliases GROUP BY 1, 2").fetchall()
    assert aliases and all(n == 1 for _, _, n in aliases)
    first = rec.links[0]
    assert [tuple(r) for r in store.conn.execute(
        "SELECT date_precision FROM links WHERE source = ? AND type = ? AND target = ? AND event_id = ?",
        (first["source"], first["type"], first["target"], first["event_id"]))] == [("month",)]
    assert count(store, "links") == len(rec.links) - 1


def test_same_article_twice_changes_nothing(store):
    recs = build_records(merz_macron())
    store.write(recs)
    before = all_counts(store)
    stats_before = store.stats()
    res = store.write(build_records(merz_macron()))
    assert (res.articles_new, res.articles_replaced, res.articles_unchanged) == (0, 0, 1)
    assert res.entities_new == 0
    assert all_counts(store) == before
    assert store.stats() == stats_before


def test_changed_extraction_replaces_the_articles_facts(store):
    store.write(build_records(merz_macron()))
    changed = extraction("a1", [MERZ, MACRON, BERLIN], [
        event("a1-reject", "REJECT", [MERZ["id"]], targets=[MACRON["id"]], when="2025-03-18",
              sentence="Merz lehnte den Vorschlag von Macron ab."),
    ])
    res = store.write(build_records(changed))
    assert (res.articles_new, res.articles_replaced, res.articles_unchanged) == (0, 1, 0)
    events = {e["id"]: e for e in store.timeline()}
    assert set(events) == {"a1-reject"}
    assert events["a1-reject"]["evidence"] == ["Merz lehnte den Vorschlag von Macron ab."]
    links = [tuple(r) for r in store.conn.execute("SELECT source, type, target, event_id FROM links")]
    assert links == [(MERZ["id"], "REJECTED", MACRON["id"], "a1-reject")]
    assert count(store, "participants", "WHERE event_id = ?", ("a1-consult",)) == 0
    assert count(store, "reports", "WHERE event_id = ?", ("a1-consult",)) == 0
    assert store.stats()["articles"] == 1


def test_shared_entity_is_one_row_with_aliases_from_both_articles(store):
    store.write(build_records(extraction("en1", [ZELENSKY_EN, GENEVA])))
    res = store.write(build_records(extraction("de1", [ZELENSKY_DE, RUSSIA])))
    assert res.entities_new == 1 and res.entities_updated == 1
    assert count(store, "entities", "WHERE id = ?", (ZELENSKY_EN["id"],)) == 1
    assert store.stats()["entities"] == 3
    aliases = set(store.aliases(ZELENSKY_EN["id"]))
    assert {"Volodymyr Zelensky", "Zelensky", "Zelenskyy", "Wolodymyr Selenskyj", "Selenskyj"} <= aliases
    row = next(r for r in store.entities("PERSON") if r["id"] == ZELENSKY_EN["id"])
    assert row["articles"] == 2


@pytest.mark.parametrize("query", ["selenskyj", "SELENSKYJ", "Selenskyj", "wolodymyr  selenskyj", "zelenskyy",
                                   "Volodymyr Zelensky", "volodymyr zelensky", "person:volodymyr-zelensky"])
def test_find_entities_by_any_alias_case_insensitively(store, query):
    store.write(build_records(extraction("en1", [ZELENSKY_EN, GENEVA])))
    store.write(build_records(extraction("de1", [ZELENSKY_DE, RUSSIA])))
    assert [e["name"] for e in store.find_entities(query)] == ["Volodymyr Zelensky"]


@pytest.mark.parametrize("query", ["geneve", "GENÈVE", "Genève", "genf"])
def test_find_entities_is_accent_insensitive(store, query):
    store.write(build_records(extraction("en1", [ZELENSKY_EN, GENEVA])))
    assert [e["id"] for e in store.find_entities(query)] == ["location:geneva"]


def test_find_entities_unknown_name_finds_nothing(store):
    store.write(build_records(extraction("en1", [ZELENSKY_EN, GENEVA])))
    assert store.find_entities("Angela Merkel") == []


def test_find_entities_falls_back_to_substrings_but_not_wildcards(store):
    store.write(build_records(extraction("en1", [ZELENSKY_EN, GENEVA])))
    store.write(build_records(extraction("de1", [ZELENSKY_DE, RUSSIA])))
    assert [e["name"] for e in store.find_entities("selensk")] == ["Volodymyr Zelensky"]
    assert [e["name"] for e in store.find_entities("russ")] == ["Russia"]
    # '_' and '%' are LIKE wildcards: as names they match nothing here
    assert store.find_entities("_") == []
    assert store.find_entities("%") == []
    assert store.find_entities("r_ssia") == []


@given(st.one_of(st.lists(st.text()), st.lists(st.integers()), st.lists(st.one_of(st.none(), st.integers(), st.text()))))
def test_report_lists_are_stored_as_json_would_write_them(values):
    assert json_list(values) == json.dumps(values, ensure_ascii=False)
    assert json.loads(json_list(values)) == values


def test_fold():
    assert fold("Genève") == fold("GENEVE") == "geneve"
    assert fold("Außenministerin") == "aussenministerin"
    assert fold("  Wolodymyr   Selenskyj ") == "wolodymyr selenskyj"


def test_entity_no_article_mentions_any_more_is_removed(store):
    store.write(build_records(merz_macron("a1")))
    store.write(build_records(extraction("a2", [MERZ, UKRAINE])))
    # a1 re-extracted without Macron: Macron is mentioned nowhere now; Merz still is (a2)
    store.write(build_records(extraction("a1", [MERZ, BERLIN])))
    assert store.find_entities("Macron") == []
    assert store.entity(MACRON["id"]) is None
    assert count(store, "entity_aliases", "WHERE entity_id = ?", (MACRON["id"],)) == 0
    assert count(store, "participants", "WHERE entity_id = ?", (MACRON["id"],)) == 0
    assert {e["id"] for e in store.entities()} == {MERZ["id"], BERLIN["id"], UKRAINE["id"]}
    assert store.entity(MERZ["id"])["name"] == "Friedrich Merz"


# ---------------------------------------------------------------------------- timeline

@pytest.fixture
def timeline_store(store):
    z, r, u = ZELENSKY_EN["id"], RUSSIA["id"], UKRAINE["id"]
    store.write(build_records(extraction("t1", [ZELENSKY_EN, RUSSIA, UKRAINE], [
        event("t1-undated", "REJECT", [z], [r]),
        event("t1-march10", "STATEMENT", [z], [r], when="2025-03-10"),
        event("t1-assault", "ASSAULT", [r], [u], when="2025-03-12"),
    ], published="2025-03-12T10:00")))
    store.write(build_records(extraction("t2", [ZELENSKY_EN, RUSSIA], [
        event("t2-march05", "ACCUSE", [z], [r], when="2025-03-05"),
        event("t2-week11", "CONSULT", [z, r], when="2025-W11", precision="week"),  # 10..16 March
        event("t2-april", "REQUEST", [r], [z], when="2025-04-02"),
    ], published="2025-04-03T09:00")))
    return store


def test_timeline_orders_by_date_with_undated_last(timeline_store):
    evs = timeline_store.timeline()
    assert [e["id"] for e in evs] == ["t2-march05", "t1-march10", "t2-week11", "t1-assault", "t2-april",
                                      "t1-undated"]
    week = next(e for e in evs if e["id"] == "t2-week11")
    assert (week["date_start"], week["date_end"], week["date_precision"]) == ("2025-03-10", "2025-03-16", "week")


def test_timeline_filters_by_entity(timeline_store):
    ids = [e["id"] for e in timeline_store.timeline(entity_id=UKRAINE["id"])]
    assert ids == ["t1-assault"]
    ids = [e["id"] for e in timeline_store.timeline(entity_id=ZELENSKY_EN["id"])]
    assert "t1-assault" not in ids and ids[-1] == "t1-undated" and len(ids) == 5


def test_timeline_filters_by_date_window(timeline_store):
    ids = [e["id"] for e in timeline_store.timeline(date_from="2025-03-11", date_to="2025-03-31")]
    # the week 10..16 March overlaps the window; undated events are not in any window
    assert ids == ["t2-week11", "t1-assault"]
    assert [e["id"] for e in timeline_store.timeline(date_from="2025-04-01")] == ["t2-april"]
    assert [e["id"] for e in timeline_store.timeline(date_to="2025-03-05")] == ["t2-march05"]
    ids = [e["id"] for e in timeline_store.timeline(entity_id=ZELENSKY_EN["id"], date_from="2025-03-06",
                                                    date_to="2025-03-12")]
    assert ids == ["t1-march10", "t2-week11"]


def test_timeline_event_has_participants_and_evidence(timeline_store):
    ev = next(e for e in timeline_store.timeline() if e["id"] == "t1-assault")
    assert {(p["name"], p["role"]) for p in ev["participants"]} == {("Russia", "ACTOR_IN"), ("Ukraine", "TARGET_OF")}
    assert ev["evidence"] == ["Sentence of t1-assault."]
    assert ev["article_title"] == "Article t1"


# ---------------------------------------------------------------------------- round trip, atomicity

def test_iter_records_round_trips(store, tmp_path):
    store.write(build_records(merz_macron("a1")))
    store.write(build_records(extraction("a2", [ZELENSKY_DE, RUSSIA, UKRAINE], [
        event("a2-assault", "ASSAULT", [RUSSIA["id"]], [UKRAINE["id"]], when="2025-W11", precision="week"),
        event("a2-undated", "STATEMENT", [ZELENSKY_DE["id"]], [RUSSIA["id"]], modality="reported"),
    ], relations=[
        Relation(type="LEADER_OF", source=ZELENSKY_DE["id"], target=UKRAINE["id"], role="President",
                 evidence=[Evidence(text="Präsident Selenskyj", start=0, end=19)]),
    ])))
    records = list(store.iter_records())
    assert [r.articles[0]["id"] for r in records] == ["a1", "a2"]
    with SQLiteStore(tmp_path / "copy.sqlite") as copy:
        for rec in records:
            res = copy.write(rec)
            assert res.articles_new == 1
        assert copy.stats() == store.stats()
        assert all_counts(copy) == all_counts(store)
        assert copy.timeline() == store.timeline()
        assert copy.entity(ZELENSKY_DE["id"]) == store.entity(ZELENSKY_DE["id"])
        assert copy.entity(MACRON["id"])["wikidata"] == "Q3052772"
        # and writing the copy's records back into the original is a no-op
        for rec in copy.iter_records():
            assert store.write(rec).articles_unchanged == 1


def test_interrupt_inside_second_article_keeps_first_and_no_trace_of_second(tmp_path, monkeypatch):
    path = tmp_path / "kg.sqlite"
    store = SQLiteStore(path)
    store.write(build_records(merz_macron("a1")))
    after_first = all_counts(store)

    def interrupted():
        raise KeyboardInterrupt

    # _drop_orphans runs inside _write_article after every row of the article is inserted
    monkeypatch.setattr(store, "_drop_orphans", interrupted)
    with pytest.raises(KeyboardInterrupt):
        store.write(build_records(extraction("a2", [ZELENSKY_DE, RUSSIA], [
            event("a2-accuse", "ACCUSE", [ZELENSKY_DE["id"]], [RUSSIA["id"]], when="2025-03-18")])))
    store.close()

    with SQLiteStore(path, readonly=True) as reopened:
        assert all_counts(reopened) == after_first
        assert reopened.has_article("a1") and not reopened.has_article("a2")
        for table in ("articles",):
            assert count(reopened, table, "WHERE id = 'a2'") == 0
        for table in PER_ARTICLE_TABLES:
            assert count(reopened, table, "WHERE article_id = 'a2'") == 0, table
        assert reopened.find_entities("Selenskyj") == []
        assert [e["id"] for e in reopened.timeline()] == ["a1-consult"]


def test_interrupt_in_first_write_of_an_existing_article_keeps_old_facts(store, monkeypatch):
    store.write(build_records(merz_macron("a1")))
    before = all_counts(store)
    monkeypatch.setattr(store, "_drop_orphans", lambda: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        store.write(build_records(extraction("a1", [MERZ])))
    assert all_counts(store) == before
    assert [e["id"] for e in store.timeline()] == ["a1-consult"]


# ---------------------------------------------------------------------------- group commits

def committed_articles(path) -> list[str]:
    """The articles another connection sees: what is committed."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as other:
        return [r[0] for r in other.execute("SELECT id FROM articles ORDER BY id")]


def zelensky(aid: str) -> Extraction:
    return extraction(aid, [ZELENSKY_DE, RUSSIA], [
        event(f"{aid}-accuse", "ACCUSE", [ZELENSKY_DE["id"]], [RUSSIA["id"]], when="2025-03-18")])


def test_a_group_commits_every_n_articles_and_counts_what_it_committed(store):
    store.begin_group(articles=2, seconds=3600)
    assert store.write(build_records(merz_macron("a1"))).articles == 0     # written, not committed yet
    assert committed_articles(store.path) == []
    assert store.has_article("a1")                                       # the writer sees its own group
    res = store.write(build_records(zelensky("a2")))
    assert (res.articles, res.articles_new) == (2, 2)                    # the whole group, committed
    assert committed_articles(store.path) == ["a1", "a2"]
    assert store.write(build_records(merz_macron("a3"))).articles == 0
    assert store.end_group().articles_new == 1
    assert committed_articles(store.path) == ["a1", "a2", "a3"]
    assert store.end_group().articles == 0                               # nothing open: nothing to do
    assert store.write(build_records(merz_macron("a4"))).articles == 1  # no group: a transaction each
    assert committed_articles(store.path) == ["a1", "a2", "a3", "a4"]


def test_the_first_groups_of_a_run_are_small_and_each_next_twice_as_large(store, monkeypatch):
    """Default groups start small (a run stopped early by kill -9 keeps its first articles) and
    double up to GROUP_ARTICLES (a long run writes in large groups)."""
    import kg.store.sqlite as sqlite_store
    monkeypatch.setattr(sqlite_store, "FIRST_GROUP", (1, 3600.0))
    monkeypatch.setattr(sqlite_store, "GROUP_ARTICLES", 4)
    store.begin_group()
    committed_after = []
    for i in range(12):
        if store.write(build_records(merz_macron(f"a{i:02d}"))).articles:
            committed_after.append(i + 1)
    assert committed_after == [1, 3, 7, 11]          # groups of 1, 2, 4, then 4 (the limit)
    store.end_group()
    assert len(committed_articles(store.path)) == 12


def test_a_group_is_also_committed_after_its_time(store):
    store.begin_group(articles=100, seconds=0)
    assert store.write(build_records(merz_macron("a1"))).articles_new == 1
    assert committed_articles(store.path) == ["a1"]


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_an_article_that_fails_in_a_group_loses_nothing_else(tmp_path, monkeypatch, error):
    path = tmp_path / "kg.sqlite"
    store = SQLiteStore(path)
    store.begin_group(articles=32, seconds=3600)
    store.write(build_records(merz_macron("a1")))
    after_first = all_counts(store)
    original = SQLiteStore._drop_orphans
    monkeypatch.setattr(store, "_drop_orphans", lambda: (_ for _ in ()).throw(error("in the middle")))
    with pytest.raises(error):
        store.write(build_records(zelensky("a2")))       # every row of a2 written, then it fails
    assert all_counts(store) == after_first                # a2 is rolled back, a1 is still there
    monkeypatch.setattr(store, "_drop_orphans", lambda: original(store))
    store.write(build_records(merz_macron("a3")))
    res = store.end_group()
    assert (res.articles_new, res.events) == (2, 2)
    store.close()
    assert committed_articles(path) == ["a1", "a3"]
    with SQLiteStore(path, readonly=True) as reopened:
        for table in PER_ARTICLE_TABLES:
            assert count(reopened, table, "WHERE article_id = 'a2'") == 0, table
        assert reopened.find_entities("Selenskyj") == []
        assert {e["id"] for e in reopened.timeline(merged=True)} == {"a1-consult"}


def test_a_crash_loses_the_open_group_whole_and_nothing_committed(tmp_path):
    path = tmp_path / "kg.sqlite"
    store = SQLiteStore(path)
    store.begin_group(articles=10, seconds=3600)
    store.write(build_records(merz_macron("a1")))
    store.write(build_records(zelensky("a2")))
    assert store.commit().articles_new == 2
    store.write(build_records(merz_macron("a3")))       # open
    store.write(build_records(merz_macron("a1", published="2025-03-20T10:00")))  # a1 replaced, open
    store.conn.close()                                   # the process dies: no commit, no checkpoint
    with SQLiteStore(path, readonly=True) as reopened:
        assert [a["id"] for a in reopened.conn.execute("SELECT id FROM articles ORDER BY id")] == ["a1", "a2"]
        assert count(reopened, "mentions", "WHERE article_id = 'a3'") == 0
        assert reopened.conn.execute("SELECT published FROM articles WHERE id = 'a1'").fetchone()[0] \
            == "2025-03-19T14:30:00"
        assert {e["id"] for e in reopened.timeline(merged=True)} == {"a1-consult", "a2-accuse"}


# ---------------------------------------------------------------------------- the file

def test_replacing_an_article_finds_its_rows_by_index_not_by_scanning_every_table(store):
    """Re-ingesting after an extractor change replaces every article's facts: each per-article
    table must find an article's rows through an index, or a re-ingest of N articles reads N times
    the whole store."""
    from kg.store.sqlite import _PER_ARTICLE

    for table in _PER_ARTICLE:
        plan = " ".join(r[3] for r in store.conn.execute(f"EXPLAIN QUERY PLAN DELETE FROM {table} WHERE article_id = ?",
                                                          ("a1",)))
        assert "SCAN" not in plan and "article_id=?" in plan, (table, plan)


def test_wal_mode(store):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.write(build_records(merz_macron()))
    with sqlite3.connect(store.path) as other:  # persistent: another connection sees WAL too
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_readonly_store_that_does_not_exist(tmp_path):
    with pytest.raises(StoreError, match="no store here yet"):
        SQLiteStore(tmp_path / "missing.sqlite", readonly=True)
    assert not (tmp_path / "missing.sqlite").exists()


@pytest.mark.parametrize("readonly", [False, True], ids=["write", "read"])
@pytest.mark.parametrize("content", [
    b"These are the minutes of the meeting, not a database at all.\n" * 20,
    b"SQLite format 3\x00" + b"\xff" * 200,
], ids=["text", "corrupt-header"])
def test_non_sqlite_file_raises_store_error(tmp_path, readonly, content):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(content)
    with pytest.raises(StoreError) as info:
        SQLiteStore(path, readonly=readonly)
    msg = str(info.value)
    assert msg.startswith(f"{path}: not a kg store"), msg
    assert "\n" not in msg
    assert path.read_bytes() == content  # left untouched


@pytest.mark.parametrize("setup", ["empty-file", "other-sqlite-db"])
def test_readonly_open_of_a_sqlite_file_without_kg_tables_raises_store_error(tmp_path, setup):
    path = tmp_path / "other.sqlite"
    if setup == "empty-file":
        path.write_bytes(b"")
    else:
        with sqlite3.connect(path) as c:
            c.execute("CREATE TABLE notes (x)")
    with pytest.raises(StoreError, match=r"not a kg store"):
        SQLiteStore(path, readonly=True)
