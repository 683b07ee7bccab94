"""An interrupted `kg ingest`, started again, skips what it stored and ends with the same store as
one clean run; `--force` re-extracts; the progress bar knows its total when inputs are files."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import KG_BIN, summary_counts, write
from test_parallel import ARTICLES, store_contents, write_corpus


N_VARIANTS = 64


def variants(n: int) -> dict[str, str]:
    """n distinct articles: the constructed ones with a numbered closing line (so each has its own id)."""
    out = {}
    items = list(ARTICLES.items())
    for i in range(n):
        name, text = items[i % len(items)]
        out[f"{i:03d}_{name}"] = text + f"\nDieser Bericht hat die Nummer {i}.\n" if name.startswith("de") \
            else text + f"\nThis is report number {i}.\n"
    return out


def clean_run(folder: Path, db: Path) -> Path:
    from kg.ingest import IngestReport, run_ingest
    from kg.store.sqlite import SQLiteStore

    with SQLiteStore(db) as store:
        report = run_ingest([str(folder)], store, IngestReport())
    assert not report.failures
    return db


def article_count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as c:
            return c.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_interrupted_run_resumes_and_ends_like_a_clean_run(kg, tmp_path, monkeypatch, extractor):
    from kg.store.sqlite import SQLiteStore

    corpus = write_corpus(tmp_path / "corpus")
    clean = clean_run(corpus, tmp_path / "clean.sqlite")
    k = 3
    original = SQLiteStore.write
    calls = {"n": 0}

    def write_then_interrupt(self, records):
        if calls["n"] == k:
            raise KeyboardInterrupt  # Ctrl-C while the (k+1)-th article is being written
        calls["n"] += 1
        return original(self, records)

    monkeypatch.setattr(SQLiteStore, "write", write_then_interrupt)
    r = kg("ingest", corpus)
    assert r.exit_code == 130
    assert f"interrupted: {k} article(s) committed" in r.stderr
    assert kg.stats()["articles"] == k
    monkeypatch.setattr(SQLiteStore, "write", original)

    r = kg.ok("ingest", corpus)  # the same command again
    got = summary_counts(r.stdout)
    assert (got["read"], got["new"], got["unchanged"]) == (len(ARTICLES), len(ARTICLES) - k, k)
    assert f"({k} already stored by this extractor: skipped)" in r.stdout
    assert store_contents(kg.db) == store_contents(clean)
    assert kg.stats() == _stats(clean)

    # a third run skips everything; --force extracts everything again and changes nothing
    got = summary_counts(kg.ok("ingest", corpus).stdout)
    assert (got["new"], got["unchanged"]) == (0, len(ARTICLES))
    r = kg.ok("ingest", "--force", corpus)
    got = summary_counts(r.stdout)
    assert (got["new"], got["replaced"], got["unchanged"]) == (0, 0, len(ARTICLES))
    assert "skipped" not in r.stdout
    assert got["entities_updated"] > 0  # extracted and written again, not skipped
    assert store_contents(kg.db) == store_contents(clean)


def _stats(db: Path) -> dict:
    from kg.store.sqlite import SQLiteStore
    with SQLiteStore(db, readonly=True) as store:
        return json.loads(json.dumps(store.stats()))


def signal_ingest(tmp_path: Path, options: list[str], *, after: int, sig: int):
    """Start `kg ingest` (committing every 2 articles) on N_VARIANTS articles, send `sig` to its
    process group once `after` articles are committed, and wait for it: corpus, db, env, return
    code, stdout, stderr."""
    corpus = tmp_path / "corpus"
    for name, text in variants(N_VARIANTS).items():
        write(corpus / name, text)
    db = tmp_path / "kg.sqlite"
    env = {**os.environ, "KG_DB": str(db)}
    env.pop("KG_NEO4J_URI", None)
    p = subprocess.Popen([str(KG_BIN), "ingest", *options, "--batch-size", "2", "--commit-every", "2", str(corpus)],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while article_count(db) < after and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        if p.poll() is not None:
            pytest.fail(f"kg ingest ended before it could be signalled: {p.communicate()}")
        os.killpg(p.pid, sig)
        stdout, stderr = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
    return corpus, db, env, p.returncode, stdout, stderr


@pytest.mark.slow
def test_ctrl_c_with_worker_processes_then_resume(tmp_path, extractor):
    """A real Ctrl-C (SIGINT to the process group, as a terminal sends it) during `kg ingest -j 2`."""
    corpus, db, env, returncode, stdout, stderr = signal_ingest(tmp_path, ["-j", "2"], after=5, sig=signal.SIGINT)
    assert returncode == 130, (stdout, stderr)
    stored = article_count(db)
    assert 5 <= stored < N_VARIANTS
    assert f"interrupted: {stored} article(s) committed" in stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1].startswith("interrupted:")  # nothing from the workers after it

    r = subprocess.run([str(KG_BIN), "ingest", "-j", "2", str(corpus)], env=env, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr
    got = summary_counts(r.stdout)
    assert (got["read"], got["new"], got["unchanged"]) == (N_VARIANTS, N_VARIANTS - stored, stored)
    assert f"({stored} already stored by this extractor: skipped)" in r.stdout
    # the reference run in a fresh process too: it loads the same code as the runs above
    clean = tmp_path / "clean.sqlite"
    r = subprocess.run([str(KG_BIN), "ingest", str(corpus)], env={**env, "KG_DB": str(clean)},
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert store_contents(db) == store_contents(clean)


def test_an_error_while_writing_one_article_keeps_the_articles_before_it(tmp_path, monkeypatch, extractor):
    """Articles are committed in groups; an article whose write fails is rolled back alone: the
    articles written before it (in its group too) are committed and counted, and running again
    finishes the job."""
    from kg.ingest import IngestReport, run_ingest
    from kg.store.sqlite import SQLiteStore

    corpus = write_corpus(tmp_path / "corpus")
    clean = clean_run(corpus, tmp_path / "clean.sqlite")
    db = tmp_path / "kg.sqlite"
    original = SQLiteStore._drop_orphans
    calls = {"n": 0}

    def fail_third(self):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk on fire")
        return original(self)

    monkeypatch.setattr(SQLiteStore, "_drop_orphans", fail_third)
    report = IngestReport()
    with SQLiteStore(db) as store:
        with pytest.raises(RuntimeError, match="disk on fire"):
            run_ingest([str(corpus)], store, report)
        assert article_count(db) == 2          # committed: another connection sees them
    assert report.articles_stored == report.articles_new == 2
    monkeypatch.setattr(SQLiteStore, "_drop_orphans", original)
    report = IngestReport()
    with SQLiteStore(db) as store:
        run_ingest([str(corpus)], store, report)
    assert (report.articles_skipped, report.articles_new) == (2, len(ARTICLES) - 2)
    assert store_contents(db) == store_contents(clean)


@pytest.mark.slow
def test_a_killed_run_keeps_whole_articles_and_resumes(tmp_path, extractor):
    """kill -9 (or a power cut) during `kg ingest`: the store holds the articles of the groups
    committed before, each whole, nothing of the others; the same command again finishes the job."""
    corpus, db, env, *_ = signal_ingest(tmp_path, [], after=3, sig=signal.SIGKILL)
    stored = article_count(db)
    assert 3 <= stored < N_VARIANTS
    clean = tmp_path / "clean.sqlite"
    r = subprocess.run([str(KG_BIN), "ingest", str(corpus)], env={**env, "KG_DB": str(clean)},
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    whole, expected = store_contents(db), store_contents(clean)
    assert len(whole) == stored + 1          # the articles, and the entities
    for aid, facts in whole.items():         # every stored article has all its facts, as in a clean run
        if aid != "__entities__":
            facts.pop("entities"), expected[aid].pop("entities")   # names may change with later articles
            assert facts == expected[aid], aid

    r = subprocess.run([str(KG_BIN), "ingest", str(corpus)], env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    got = summary_counts(r.stdout)
    assert (got["read"], got["new"], got["unchanged"]) == (N_VARIANTS, N_VARIANTS - stored, stored)
    assert store_contents(db) == store_contents(clean)


@pytest.mark.slow
def test_kill_with_sigterm_commits_what_was_written_then_resume(tmp_path, extractor):
    """`kill PID` (SIGTERM, as a job scheduler stops a job) is handled like Ctrl-C: the articles
    written so far are committed (those of the open group too), and the run says so and exits
    with 143; the same command again finishes the job."""
    corpus, db, env, returncode, stdout, stderr = signal_ingest(tmp_path, [], after=3, sig=signal.SIGTERM)
    assert returncode == 143, (stdout, stderr)
    stored = article_count(db)
    assert 3 <= stored < N_VARIANTS
    assert f"terminated: {stored} article(s) committed" in stderr
    assert "Traceback" not in stderr
    r = subprocess.run([str(KG_BIN), "ingest", str(corpus)], env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    got = summary_counts(r.stdout)
    assert (got["read"], got["new"], got["unchanged"]) == (N_VARIANTS, N_VARIANTS - stored, stored)


def test_progress_counts_inputs_when_cheap(tmp_path):
    from kg.ingest import _count_articles

    d = write_corpus(tmp_path / "corpus")
    write(d / "notes.csv", "not an article\n")  # not collected from a directory
    lines = write(tmp_path / "more.jsonl", '{"text": "a"}\n\n{"text": "b"}\n{"text": "c"}\n')
    assert _count_articles([str(d)]) == len(ARTICLES)
    assert _count_articles([str(d), str(d / "en_nato_hague.txt"), str(lines)]) == len(ARTICLES) + 3
    assert _count_articles([str(lines)], max_jsonl_bytes=10) is None  # too big to count quickly
    assert _count_articles(["-"]) is None
    assert _count_articles([str(tmp_path / "missing.txt")]) == 1  # read, then reported as failed


def test_progress_bar_advances_per_article_done(tmp_path, monkeypatch, extractor):
    import kg.ingest as ingest
    from kg.store.sqlite import SQLiteStore

    seen = {}

    class Recorder:
        def __init__(self, total=None):
            seen["total"], seen["labels"], seen["closed"] = total, [], False

        def advance(self, label):
            seen["labels"].append(label)

        def close(self):
            seen["closed"] = True

    monkeypatch.setattr(ingest, "_Progress", Recorder)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    d = write_corpus(tmp_path / "corpus")
    write(d / "empty.txt", "")
    with SQLiteStore(tmp_path / "kg.sqlite") as store:
        report = ingest.run_ingest([str(d)], store, ingest.IngestReport(), progress=True)
        assert report.failed == 1 and report.articles_stored == len(ARTICLES)
        assert seen["total"] == len(ARTICLES) + 1
        assert len(seen["labels"]) == len(ARTICLES) + 1 and seen["closed"]
        ingest.run_ingest([str(d)], store, ingest.IngestReport(), progress=True)  # all skipped: still counted
        assert len(seen["labels"]) == len(ARTICLES) + 1
