"""`kg stats / entities / show / timeline / doctor / --version` on a store of constructed articles."""
from __future__ import annotations

import importlib.metadata
import re
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import kg as kg_package
from conftest import (DE_BAERBOCK, DE_MERZ, EN_SANCTIONS, EN_ZELENSKY, EN_ZELENSKY_BERLIN, EXAMPLE, KG,
                      summary_counts, write)
from kg.store.sqlite import SQLiteStore

# "  2025-04-01  CONSULT ...", "  2025-03-17..2025-03-23 (week)  STATEMENT ...", "  ????-??-??  REJECT ..."
DATE_LINE = re.compile(r"^  (\d{4}-\d{2}-\d{2}|\?{4}-\?{2}-\?{2})(?:\.\.\d{4}-\d{2}-\d{2} \((?:week|month|year)\))?"
                       r"  ([A-Z]+) ")


@pytest.fixture(scope="module")
def store_kg(tmp_path_factory, extractor) -> KG:
    """One store for the module: the bundled example plus five constructed articles."""
    d = tmp_path_factory.mktemp("read")
    files = [EXAMPLE,
             write(d / "in" / "de_merz.txt", DE_MERZ),
             write(d / "in" / "en_zelensky_warsaw.txt", EN_ZELENSKY),
             write(d / "in" / "en_zelensky_berlin.txt", EN_ZELENSKY_BERLIN),
             write(d / "in" / "de_baerbock.txt", DE_BAERBOCK),
             write(d / "in" / "en_sanctions.txt", EN_SANCTIONS)]
    k = KG(db=d / "kg.sqlite", runner=CliRunner())
    r = k.ok("ingest", "-q", *files)
    assert summary_counts(r.stdout)["new"] == 6
    return k


def event_lines(stdout: str) -> list[tuple[str, str]]:
    """(date, type) of each event line `kg show` / `kg timeline` print."""
    return [m.groups() for m in map(DATE_LINE.match, stdout.splitlines()) if m]


def sql_count(db, table: str) -> int:
    with sqlite3.connect(db) as c:
        return c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# ---------------------------------------------------------------------------- stats

def test_stats_json_matches_the_store(store_kg):
    s = store_kg.stats()
    for table in ("articles", "entities", "events", "relations", "links", "participants"):
        assert s[table] == sql_count(store_kg.db, table), table
    assert s["articles"] == 6
    assert sum(s["entities_by_type"].values()) == s["entities"]
    assert sum(s["events_by_type"].values()) == s["events"]
    assert {"PERSON", "COUNTRY", "LOCATION", "ORGANIZATION"} == set(s["entities_by_type"])
    assert s["events_by_type"]["CONSULT"] >= 3  # Merz-Macron, Zelensky-Duda, Zelensky-Merz
    with SQLiteStore(store_kg.db, readonly=True) as store:
        assert store.stats() == s


def test_stats_text_shows_the_same_numbers(store_kg):
    s = store_kg.stats()
    out = store_kg.ok("stats").stdout
    assert out.splitlines()[0] == f"store: {store_kg.db}"
    shown = dict(re.findall(r"^  (articles|entities|events|relations|links|participants)\s+(\d+)$", out, re.M))
    assert {k: int(v) for k, v in shown.items()} == {k: s[k] for k in shown} and len(shown) == 6
    assert f"PERSON {s['entities_by_type']['PERSON']}" in out
    assert f"CONSULT {s['events_by_type']['CONSULT']}" in out


def test_read_commands_without_a_store(kg):
    for args in (["stats"], ["entities"], ["show", "Macron"], ["timeline"]):
        r = kg(*args)
        assert r.exit_code == 1, args
        assert r.stderr.splitlines() == [f"error: {kg.db}: no store here yet (run 'kg ingest' first, or give --db)"]
    assert not kg.db.exists()


# ---------------------------------------------------------------------------- entities

def test_entities_type_person_json(store_kg):
    rows = store_kg.json("entities", "--type", "PERSON", "--json")
    assert rows and {r["type"] for r in rows} == {"PERSON"}
    by_name = {r["name"]: r for r in rows}
    assert {"Emmanuel Macron", "Friedrich Merz", "Volodymyr Zelensky", "Andrzej Duda", "Annalena Baerbock",
            "Marco Rubio"} <= set(by_name)
    assert not {"Berlin", "Ukraine", "NATO", "Warsaw"} & set(by_name)
    assert by_name["Emmanuel Macron"]["wikidata"] == "Q3052772"
    assert "Macron" in by_name["Emmanuel Macron"]["aliases"]
    assert "Selenskyj" in by_name["Volodymyr Zelensky"]["aliases"]
    # one entity across languages and articles: Merz in a German and an English article
    assert by_name["Friedrich Merz"]["articles"] == 2
    assert by_name["Volodymyr Zelensky"]["articles"] == 3
    # most often mentioned first
    assert [r["articles"] for r in rows] == sorted((r["articles"] for r in rows), reverse=True)
    assert store_kg.json("entities", "-t", "person", "--json") == rows


def test_entities_table_and_limit(store_kg):
    out = store_kg.ok("entities", "--type", "LOCATION").stdout
    assert "Berlin" in out and "Warsaw" in out and "Emmanuel Macron" not in out
    assert len(store_kg.json("entities", "--limit", "3", "--json")) == 3
    all_rows = store_kg.json("entities", "--json")
    assert len(all_rows) == store_kg.stats()["entities"]


def test_entities_unknown_type(store_kg):
    r = store_kg("entities", "--type", "PARTY")
    assert r.exit_code == 2 and "--type" in r.stderr and "PERSON" in r.stderr


# ---------------------------------------------------------------------------- show

@pytest.mark.parametrize("name", ["Selenskyj", "selenskyj", "Zelensky", "Volodymyr Zelensky"])
def test_show_finds_zelensky_by_german_alias(store_kg, name):
    r = store_kg.ok("show", name)
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Volodymyr Zelensky  PERSON  id=")
    assert "Selenskyj" in next(line for line in lines if line.startswith("aliases: "))
    events = event_lines(r.stdout)
    assert ("2025-04-01", "CONSULT") in events  # met Duda in Warsaw on Tuesday (article of Fri 4 April)
    assert ("2025-05-14", "CONSULT") in events  # met Merz in Berlin on Wednesday (article of Fri 16 May)
    dated = [d for d, _ in events if not d.startswith("?")]
    assert dated == sorted(dated)
    first_undated = next((i for i, (d, _) in enumerate(events) if d.startswith("?")), len(events))
    assert all(d.startswith("?") for d, _ in events[first_undated:])
    # evidence sentences, with the article they are from
    assert any("met Polish President Andrzej Duda in Warsaw on Tuesday" in line
               and line.endswith("— Zelensky and Duda meet in Warsaw") for line in lines)
    assert any("met German Chancellor Friedrich Merz in Berlin on Wednesday" in line for line in lines)
    assert lines[-1].startswith("in 3 article(s): ")
    assert "Zelensky and Duda meet in Warsaw" in lines[-1] and "Zelensky visits Berlin" in lines[-1]


def test_show_event_line_names_participants_and_place(store_kg):
    out = store_kg.ok("show", "Andrzej Duda").stdout
    line = next(line for line in out.splitlines() if line.startswith("  2025-04-01  CONSULT"))
    assert "Andrzej Duda" in line and "Volodymyr Zelensky" in line and line.endswith("@ Warsaw")


def test_show_json(store_kg):
    ent = store_kg.json("show", "Macron", "--json")
    assert (ent["name"], ent["type"], ent["wikidata"]) == ("Emmanuel Macron", "PERSON", "Q3052772")
    consult = [ev for ev in ent["events"] if ev["type"] == "CONSULT" and ev["date_start"] == "2025-03-17"]
    assert consult
    names = {p["name"] for p in consult[0]["participants"]}
    assert {"Friedrich Merz", "Emmanuel Macron"} <= names
    assert any("Emmanuel Macron" in s for s in consult[0]["evidence"])
    assert [a["title"] for a in ent["articles"]] == ["Merz empfängt Macron in Berlin"]
    assert any(link["type"] == "MET" and {link["source_name"], link["target_name"]} == {"Friedrich Merz",
                                                                                        "Emmanuel Macron"}
               and link["date_start"] == "2025-03-17" for link in ent["links"])


def test_show_nonexistent(store_kg):
    r = store_kg("show", "nonexistent")
    assert r.exit_code != 0
    assert r.stderr.splitlines() == ["error: no entity called 'nonexistent' (try 'kg entities')"]
    assert r.stdout == ""


def test_show_underscore_is_not_a_wildcard(store_kg):
    r = store_kg("show", "_")
    assert r.exit_code == 1, r.stdout


def test_show_name_with_markup_characters(store_kg):  # regression: rich markup raised MarkupError
    r = store_kg("show", "[/qqq]")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == ["error: no entity called '[/qqq]' (try 'kg entities')"]


@settings(max_examples=25, deadline=None)
@given(name=st.one_of(st.text(max_size=30), st.from_regex(r"\[/?[a-z]{1,6}\][a-z ]{0,10}", fullmatch=True)))
def test_show_any_name_answers_or_says_not_found(store_kg, name):
    if name.startswith("-"):
        name = " " + name  # not an option
    r = store_kg("show", name)
    if r.exit_code == 0:
        assert re.match(r"^.+  (PERSON|COUNTRY|ORGANIZATION|LOCATION)  id=", r.stdout.splitlines()[0])
    else:
        assert r.exit_code == 1
        assert len(r.stderr.splitlines()) == 1 and r.stderr.startswith("error: no entity called ")


# ---------------------------------------------------------------------------- timeline

def test_timeline_entity_and_window(store_kg):
    r = store_kg.ok("timeline", "--entity", "Selenskyj", "--from", "2025-04-01", "--to", "2025-04-30")
    events = event_lines(r.stdout)
    assert ("2025-04-01", "CONSULT") in events
    assert {d for d, _ in events} == {"2025-04-01"}
    assert "Andrzej Duda" in r.stdout and "Friedrich Merz" not in r.stdout

    evs = store_kg.json("timeline", "--entity", "Selenskyj", "--from", "2025-04-01", "--json")
    starts = [e["date_start"] for e in evs]
    assert starts == sorted(starts) and None not in starts
    assert {"2025-04-01", "2025-05-14"} <= set(starts)
    for ev in evs:
        assert "Volodymyr Zelensky" in {p["name"] for p in ev["participants"]}
        assert ev["date_end"] >= "2025-04-01"


def test_timeline_whole_store_is_in_date_order_with_undated_last(store_kg):
    evs = store_kg.json("timeline", "--json")
    assert len(evs) == store_kg.stats()["events"]
    starts = [e["date_start"] for e in evs]
    dated = [s for s in starts if s]
    assert starts[:len(dated)] == sorted(dated)
    assert all(s is None for s in starts[len(dated):])
    # the text output lists the same events in the same order
    assert [d for d, _ in event_lines(store_kg.ok("timeline").stdout)] == [
        s or "????-??-??" for s in starts]


def test_timeline_window_without_entity(store_kg):
    evs = store_kg.json("timeline", "--from", "2025-02-01", "--to", "2025-02-28", "--json")
    assert evs and all("2025-02-01" <= e["date_start"] <= "2025-02-28" for e in evs)
    consult = [e for e in evs if e["type"] == "CONSULT"]
    assert [e["date_start"] for e in consult] == ["2025-02-09"]  # Baerbock met Sybiha in Kyiv "am Sonntag"
    assert {"Annalena Baerbock", "Andrii Sybiha", "Kyiv"} <= {p["name"] for p in consult[0]["participants"]}


@pytest.mark.parametrize("args,hint", [(["--from", "2025-13-01"], "--from"), (["--to", "yesterday"], "--to")])
def test_timeline_bad_dates(store_kg, args, hint):
    r = store_kg("timeline", *args)
    assert r.exit_code == 2 and hint in r.stderr


def test_timeline_unknown_entity(store_kg):
    r = store_kg("timeline", "--entity", "Nobody Atall")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == ["error: no entity called 'Nobody Atall'"]


def test_timeline_empty_window(store_kg):
    r = store_kg.ok("timeline", "--from", "1990-01-01", "--to", "1990-12-31")
    assert r.stdout.strip() == "no events"


# ---------------------------------------------------------------------------- doctor, version

def test_doctor_names_store_and_pipelines(store_kg, extractor):
    out = store_kg.ok("doctor").stdout
    store_line = next(line for line in out.splitlines() if line.strip().startswith("store:"))
    assert str(store_kg.db) in store_line
    s = store_kg.stats()
    assert f"{s['articles']} articles" in store_line and f"{s['events']} events" in store_line
    for lang in ("de", "en"):
        line = next(line for line in out.splitlines() if line.startswith(f"  {lang}: "))
        kind = extractor.pipeline(lang).kind  # what extraction in this process really uses
        if kind.startswith("trained:"):
            assert f"trained pipeline {kind.split(':', 1)[1]}" in line
        else:
            assert "built-in offline pipeline" in line
    assert out.startswith(f"kg {kg_package.__version__}, spaCy ")


def test_doctor_without_store(kg):
    out = kg.ok("doctor").stdout
    assert f"store: {kg.db} (not created yet)" in out
    assert not kg.db.exists()


@pytest.mark.parametrize("content", [b"", b"not a database\n" * 10], ids=["empty", "text"])
def test_doctor_reports_a_broken_store(kg, content):  # regression: was a StoreError traceback
    kg.db.parent.mkdir(parents=True)
    kg.db.write_bytes(content)
    out = kg.ok("doctor").stdout
    line = next(line for line in out.splitlines() if line.strip().startswith("store:"))
    assert str(kg.db) in line and "not a kg store" in line


def test_doctor_honours_offline_pipeline_setting(kg):  # regression: claimed the trained pipeline
    # any importable module counts as "installed" to installed_models(); 'json' stands in for a model
    out = kg.ok("doctor", env={"KG_SPACY_MODELS": "en=json", "KG_OFFLINE_PIPELINE": "1"}).stdout
    line = next(line for line in out.splitlines() if line.startswith("  en: "))
    assert "built-in offline pipeline" in line
    out = kg.ok("doctor", env={"KG_SPACY_MODELS": "en=json"}).stdout
    line = next(line for line in out.splitlines() if line.startswith("  en: "))
    assert "trained pipeline json" in line


def test_version(kg):
    r = kg.ok("--version")
    assert r.stdout == f"kg {kg_package.__version__}\n"
    assert kg_package.__version__ == importlib.metadata.version("kg")
