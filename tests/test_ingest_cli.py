"""`kg ingest` and `kg extract` as a user runs them: summaries, counts, error lines, exit codes."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import (DE_LATIN1, DE_LATIN1_TITLE, DE_MERZ, EN_SANCTIONS, EN_ZELENSKY, EXAMPLE, KG_BIN,
                      error_lines, summary_counts, write)
from kg.io.readers import MAX_BYTES


def titles(db) -> list[str]:
    with sqlite3.connect(db) as c:
        return sorted(r[0] for r in c.execute("SELECT title FROM articles"))


# ---------------------------------------------------------------------------- ingest: the happy path

def test_ingest_example_prints_summary_matching_the_store(kg):
    r = kg.ok("ingest", EXAMPLE)
    assert r.stderr == ""
    got = summary_counts(r.stdout)
    s = kg.stats()
    assert s["articles"] == 1
    assert got["read"] == got["new"] == 1 and got["replaced"] == got["unchanged"] == 0
    assert got["entities_new"] == s["entities"] >= 10
    assert got["events"] == s["events"] >= 5
    assert got["edges"] == s["participants"] + s["relations"] + s["links"]
    assert str(kg.db) in r.stdout
    assert "failed" not in r.stdout


def test_ingest_again_changes_nothing(kg):
    kg.ok("ingest", EXAMPLE)
    before = kg.stats()
    r = kg.ok("ingest", EXAMPLE)
    got = summary_counts(r.stdout)
    assert (got["read"], got["new"], got["replaced"], got["unchanged"]) == (1, 0, 0, 1)
    assert (got["entities_new"], got["events"]) == (0, 0)
    assert kg.stats() == before


def test_ingest_force_reextracts_with_equal_counts(kg):
    kg.ok("ingest", EXAMPLE)
    before = kg.stats()
    r = kg.ok("ingest", "--force", EXAMPLE)
    got = summary_counts(r.stdout)
    # re-extracted by the same extractor: the same facts, so the article is reported unchanged
    assert (got["read"], got["new"], got["replaced"], got["unchanged"]) == (1, 0, 0, 1)
    assert got["entities_new"] == 0 and got["entities_updated"] == before["entities"]
    assert got["events"] == before["events"]
    assert kg.stats() == before


def test_ingest_directory_of_three_articles(kg, corpus):
    r = kg.ok("ingest", corpus["merz"].parent)
    got = summary_counts(r.stdout)
    assert (got["read"], got["new"]) == (3, 3)
    assert r.stderr == ""
    s = kg.stats()
    assert s["articles"] == 3
    assert titles(kg.db) == ["Baerbock reist nach Kiew", "Merz empfängt Macron in Berlin",
                             "Zelensky and Duda meet in Warsaw"]
    # the shared entity Ukraine (mentioned in all three) is one row
    ukraine = [e for e in kg.json("entities", "--type", "COUNTRY", "--json") if e["name"] == "Ukraine"]
    assert len(ukraine) == 1 and ukraine[0]["articles"] == 3


def test_ingest_stdin(kg):
    r = kg.ok("ingest", "-", input=DE_MERZ)
    assert summary_counts(r.stdout)["new"] == 1
    assert titles(kg.db) == ["Merz empfängt Macron in Berlin"]


def test_ingest_latin1_file_is_read_not_failed(kg, tmp_path):
    path = write(tmp_path / "latin1.txt", DE_LATIN1, encoding="latin-1")
    assert "ß".encode("latin-1") in path.read_bytes()
    r = kg.ok("ingest", path)
    assert r.stderr == ""
    assert titles(kg.db) == [DE_LATIN1_TITLE]
    names = {e["name"] for e in kg.json("entities", "--type", "PERSON", "--json")}
    assert "Annalena Baerbock" in names


# ---------------------------------------------------------------------------- ingest: bad inputs

def _bad_inputs(tmp_path):
    d = tmp_path / "bad"
    empty_dir = d / "no_articles"
    empty_dir.mkdir(parents=True)
    (empty_dir / "notes.pdf").write_bytes(b"%PDF-1.4")
    huge = d / "huge.txt"
    with open(huge, "wb") as f:  # over the limit: rejected before it is read
        f.truncate(MAX_BYTES + 1)
    return {
        "empty": (write(d / "empty.txt", ""), "empty article", 0),
        "whitespace": (write(d / "blank.txt", " \n\n\t \n"), "empty article", 0),
        "binary": (write(d / "scan.txt", b"%\x00\x01\x02IMAGE\x00\x00DATA" * 50), "binary file", 0),
        "missing": (d / "missing.txt", "file not found", 0),
        "empty-dir": (empty_dir, "no article files", 0),
        "huge": (huge, f"larger than the limit of {MAX_BYTES} bytes", 0),
        "json": (write(d / "article.json", json.dumps({"text": EN_SANCTIONS})), "unsupported file type .json", 0),
        # a JSON Lines file with a malformed 2nd line: lines 1 and 3 are ingested
        "jsonl": (write(d / "batch.jsonl", "\n".join([
            json.dumps({"text": EN_SANCTIONS, "url": "https://example.org/eu"}),
            '{"text": "Merz traf Macron", "title": ',
            json.dumps({"title": "Macron in Rom", "published": "2025-03-21", "language": "de",
                        "text": "Der französische Präsident Emmanuel Macron hat am Donnerstag in Rom die "
                                "italienische Ministerpräsidentin Giorgia Meloni getroffen."}),
        ]) + "\n"), "invalid JSON", 2),
    }


@pytest.mark.parametrize("case", ["empty", "whitespace", "binary", "missing", "empty-dir", "huge", "json", "jsonl"])
def test_bad_input_gives_one_error_line_and_the_rest_is_ingested(kg, tmp_path, case):
    good = write(tmp_path / "good" / "zelensky.txt", EN_ZELENSKY)
    bad, reason, extra_articles = _bad_inputs(tmp_path)[case]
    r = kg("ingest", good, bad)
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    where = f"{bad}:2" if case == "jsonl" else str(bad)
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"error: {where}: "), lines[0]
    assert reason in lines[0]
    got = summary_counts(r.stdout)
    assert got["new"] == 1 + extra_articles
    assert "1 input(s) failed:" in r.stdout and f"  {where}: " in r.stdout
    assert kg.stats()["articles"] == 1 + extra_articles
    assert "Zelensky and Duda meet in Warsaw" in titles(kg.db)


def test_jsonl_good_lines_keep_their_fields(kg, tmp_path):
    bad, _, _ = _bad_inputs(tmp_path)["jsonl"]
    r = kg("ingest", bad)
    assert r.exit_code == 1
    with sqlite3.connect(kg.db) as c:
        rows = dict(c.execute("SELECT source, url FROM articles"))
    assert rows == {f"{bad}:1": "https://example.org/eu", f"{bad}:3": None}


def test_batch_with_every_kind_of_bad_input(kg, tmp_path, corpus):
    bad = _bad_inputs(tmp_path)
    latin1 = write(tmp_path / "latin1.txt", DE_LATIN1, encoding="latin-1")
    inputs = [corpus["merz"].parent, latin1, *(path for path, _, _ in bad.values())]
    r = kg("ingest", *inputs)
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert len(lines) == len(bad), r.stderr
    assert all(line.startswith("error: ") for line in lines)
    for path, reason, _ in bad.values():
        assert sum(str(path) in line and reason in line for line in lines) == 1, (path, reason)
    # 3 from the directory, the Latin-1 file, 2 good JSON Lines records
    assert kg.stats()["articles"] == 6
    assert summary_counts(r.stdout)["new"] == 6


def test_only_bad_inputs_exit_1_and_store_nothing(kg, tmp_path):
    bad, _, _ = _bad_inputs(tmp_path)["empty"]
    r = kg("ingest", bad, tmp_path / "nope.txt")
    assert r.exit_code == 1
    assert len(r.stderr.splitlines()) == 2
    assert summary_counts(r.stdout)["read"] == 0
    assert kg.stats()["articles"] == 0


def test_subprocess_exit_code_and_stderr(tmp_path, extractor):
    """The installed `kg` script, as a shell user runs it (no in-process shortcuts)."""
    d = tmp_path / "in"
    write(d / "merz.txt", DE_MERZ)
    empty = write(d / "empty.txt", "")
    binary = write(d / "scan.txt", b"\x00\x01\x02\x03" * 100)
    db = tmp_path / "kg.sqlite"
    env = {**os.environ, "KG_DB": str(db), "COLUMNS": "200"}
    env.pop("KG_NEO4J_URI", None)
    p = subprocess.run([str(KG_BIN), "ingest", str(d)], env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 1, p.stderr
    assert "Traceback" not in p.stderr
    assert p.stderr.splitlines() == [f"error: {empty}: empty article", f"error: {binary}: binary file"]
    assert summary_counts(p.stdout)["new"] == 1
    p = subprocess.run([str(KG_BIN), "stats", "--json"], env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0 and json.loads(p.stdout)["articles"] == 1
    p = subprocess.run([str(KG_BIN), "ingest", "-q", str(d / "merz.txt")], env=env, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0 and p.stderr == ""
    assert summary_counts(p.stdout)["unchanged"] == 1


def test_interrupted_ingest_keeps_committed_articles(kg, corpus, monkeypatch):
    from kg.store.sqlite import SQLiteStore

    calls = {"n": 0}
    original = SQLiteStore._drop_orphans

    def interrupt_second(self):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return original(self)

    monkeypatch.setattr(SQLiteStore, "_drop_orphans", interrupt_second)
    inputs = [corpus["merz"], corpus["zelensky"], corpus["baerbock"]]
    r = kg("ingest", *inputs)
    assert r.exit_code == 130
    assert "interrupted: 1 article(s) committed" in r.stderr
    assert kg.stats()["articles"] == 1
    assert titles(kg.db) == ["Merz empfängt Macron in Berlin"]
    monkeypatch.setattr(SQLiteStore, "_drop_orphans", original)
    r = kg.ok("ingest", *inputs)  # "run the same command again to finish"
    got = summary_counts(r.stdout)
    assert (got["new"], got["unchanged"]) == (2, 1)
    assert kg.stats()["articles"] == 3


def test_ingest_into_a_file_that_is_not_a_store(kg, tmp_path):
    notes = write(tmp_path / "notes.txt", "Meeting notes, not a database.\n" * 20)
    r = kg("ingest", "--db", notes, EXAMPLE)
    assert r.exit_code == 1
    assert error_lines(r.stderr) == [f"error: {notes}: not a kg store (file is not a database)"]
    assert notes.read_text() == "Meeting notes, not a database.\n" * 20


def test_bad_published_option(kg):
    r = kg("ingest", "--published", "next tuesday", EXAMPLE)
    assert r.exit_code == 2
    assert "--published" in r.stderr and "next tuesday" in r.stderr
    assert kg.stats()["articles"] == 0


@pytest.mark.parametrize("command", ["ingest", "extract"])
def test_bad_language_option_is_a_usage_error(kg, command):
    r = kg(command, "--language", "zz!", EXAMPLE)  # was a ValueError traceback
    assert r.exit_code == 2
    assert "--language" in r.stderr and "zz!" in r.stderr
    assert r.stdout == ""
    assert not kg.db.exists() or kg.stats()["articles"] == 0


# regression: error lines and the summary went through rich markup, "[draft]" vanished, "[/b]" crashed
@pytest.mark.parametrize("command", ["ingest", "extract"])
def test_error_line_names_a_file_with_brackets_in_its_name(kg, tmp_path, command):
    bad = write(tmp_path / "notes [draft].txt", "")
    good = write(tmp_path / "zelensky.txt", EN_ZELENSKY)
    r = kg(command, good, bad)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [f"error: {bad}: empty article"]
    if command == "ingest":
        assert f"  {bad}: empty article" in r.stdout.splitlines()


@pytest.mark.parametrize("command", ["ingest", "extract"])
def test_path_with_closing_markup_tag_does_not_crash(kg, tmp_path, command):
    bad = write(tmp_path / "x [" / "b].txt", "")
    r = kg(command, bad, write(tmp_path / "zelensky.txt", EN_ZELENSKY))
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [f"error: {bad}: empty article"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400))
def test_arbitrary_text_never_crashes_ingest(kg, tmp_path, text):
    path = tmp_path / "fuzz.txt"
    path.write_text(text, encoding="utf-8")
    r = kg("ingest", "-q", path)  # a traceback fails inside kg()
    assert r.exit_code in (0, 1)
    if r.exit_code == 0:
        assert r.stderr == ""
        assert summary_counts(r.stdout)["read"] == 1
    else:
        lines = r.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {path}: "), r.stderr
        assert summary_counts(r.stdout)["read"] == 0


# ---------------------------------------------------------------------------- extract

def test_extract_one_file_prints_one_json_object(kg, tmp_path):
    doc = kg.json("extract", write(tmp_path / "merz.txt", DE_MERZ))
    assert isinstance(doc, dict)
    art = doc["article"]
    assert art["title"] == "Merz empfängt Macron in Berlin"
    assert art["published"] == "2025-03-19T14:30:00"  # from the dateline "Stand: 19.03.2025 14:30 Uhr"
    assert art["language"] == "de"
    assert "text" not in art
    ents = {e["name"]: e for e in doc["entities"]}
    assert ents["Emmanuel Macron"]["type"] == "PERSON"
    assert ents["Emmanuel Macron"]["wikidata"] == "Q3052772"
    assert ents["Friedrich Merz"]["type"] == "PERSON"
    assert ents["Berlin"]["type"] == "LOCATION"
    merz, macron = ents["Friedrich Merz"]["id"], ents["Emmanuel Macron"]["id"]
    consult = [ev for ev in doc["events"] if ev["type"] == "CONSULT"
               and {merz, macron} <= {*ev["actors"], *ev["targets"]}]
    # "am Montag" in an article of Wednesday 19 March 2025 (a headline may add an undated twin)
    assert {"value": "2025-03-17", "precision": "day"} in [
        {k: ev["time"][k] for k in ("value", "precision")} for ev in consult if ev["time"]], doc["events"]
    assert not kg.db.exists()  # extract does not store


def test_extract_two_files_prints_a_json_list_in_input_order(kg, tmp_path):
    a = write(tmp_path / "merz.txt", DE_MERZ)
    b = write(tmp_path / "zelensky.txt", EN_ZELENSKY)
    docs = kg.json("extract", b, a)
    assert isinstance(docs, list)
    assert [(d["article"]["title"], d["article"]["language"]) for d in docs] == [
        ("Zelensky and Duda meet in Warsaw", "en"), ("Merz empfängt Macron in Berlin", "de")]
    assert docs[0]["article"]["published"] == "2025-04-04T00:00:00"


def test_extract_published_and_language_override(kg, tmp_path):
    path = write(tmp_path / "zelensky.txt", EN_ZELENSKY)
    doc = kg.json("extract", "--published", "2025-04-11", path)  # a Friday: "on Tuesday" is 8 April
    assert doc["article"]["published"] == "2025-04-11T00:00:00"
    dates = {ev["time"]["value"] for ev in doc["events"] if ev["type"] == "CONSULT" and ev["time"]}
    assert dates == {"2025-04-08"}
    doc = kg.json("extract", "--language", "de", "--published", "2025-05-02T08:15", path)
    assert doc["article"]["language"] == "de"
    assert doc["article"]["published"] == "2025-05-02T08:15:00"


def test_extract_table_shows_entities_and_events(kg, tmp_path):
    r = kg.ok("extract", "-f", "table", write(tmp_path / "merz.txt", DE_MERZ))
    out = r.stdout
    assert "Merz empfängt Macron in Berlin" in out and "published 2025-03-19 14:30:00" in out
    for name, etype in (("Emmanuel Macron", "PERSON"), ("Friedrich Merz", "PERSON"), ("Berlin", "LOCATION")):
        line = next((line for line in out.splitlines() if name in line and etype in line), None)
        assert line, f"{name} {etype} not in table:\n{out}"
    assert "Q3052772" in out
    assert any("2025-03-17" in line and "CONSULT" in line for line in out.splitlines())
    assert not out.lstrip().startswith("{")


def test_extract_stdin(kg):
    doc = kg.json("extract", "-", input=DE_MERZ)
    assert doc["article"]["source"] == "-"
    assert doc["article"]["published"] == "2025-03-19T14:30:00"
    assert doc["article"]["language"] == "de"
    assert "Emmanuel Macron" in {e["name"] for e in doc["entities"]}


def test_extract_with_a_bad_file_still_prints_the_good_one(kg, tmp_path):
    good = write(tmp_path / "merz.txt", DE_MERZ)
    r = kg("extract", good, tmp_path / "missing.txt")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [f"error: {tmp_path / 'missing.txt'}: file not found "
                                     "(it may have been moved or deleted)"]
    docs = json.loads(r.stdout)
    assert [d["article"]["title"] for d in docs] == ["Merz empfängt Macron in Berlin"]


def test_extract_bad_format(kg):
    r = kg("extract", "-f", "xml", EXAMPLE)
    assert r.exit_code == 2 and "--format" in r.stderr
