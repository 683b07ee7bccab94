"""`kg ingest --workers N` and `--dask`: the stored graph is identical to a serial run.

The articles below were written for these tests (real people and places, invented events).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from conftest import KG_BIN, summary_counts, write

ARTICLES: dict[str, str] = {
    "de_wadephul_warschau.txt": """Wadephul trifft Sikorski in Warschau

Stand: 14.05.2025 10:05 Uhr

Außenminister Johann Wadephul hat am Dienstag in Warschau den polnischen Außenminister Radosław Sikorski getroffen. Die beiden Minister sprachen über die Lage an der Grenze zu Belarus.

Sikorski forderte mehr Geld für die Luftverteidigung an der Ostflanke der NATO.
""",
    "en_starmer_kyiv.txt": """Starmer visits Kyiv

March 7, 2025

British Prime Minister Keir Starmer met Ukrainian President Volodymyr Zelensky in Kyiv on Wednesday. The two leaders discussed long-range weapons and a possible ceasefire.

Russia rejected the proposal, Kremlin spokesman Dmitry Peskov said on Thursday.
""",
    "de_macron_bruessel.txt": """Macron fordert gemeinsame Schulden

Stand: 21.06.2025 18:40 Uhr

Der französische Präsident Emmanuel Macron hat am Freitag in Brüssel neue gemeinsame Schulden der Europäischen Union gefordert. Bundeskanzler Friedrich Merz lehnte den Vorschlag ab.

Die Staats- und Regierungschefs wollen im Oktober erneut beraten.
""",
    "en_rubio_riyadh.txt": """Rubio and Lavrov hold talks in Riyadh

February 19, 2025

US Secretary of State Marco Rubio met Russian Foreign Minister Sergei Lavrov in Riyadh on Tuesday. Saudi Arabia hosted the meeting.

Ukraine was not invited, Ukrainian Foreign Minister Andrii Sybiha said.
""",
    "de_erdogan_ankara.txt": """Erdoğan empfängt Selenskyj in Ankara

Stand: 19.02.2025 16:00 Uhr

Der türkische Präsident Recep Tayyip Erdoğan hat am Dienstag in Ankara den ukrainischen Präsidenten Wolodymyr Selenskyj empfangen. Erdoğan bot an, Gespräche zwischen Russland und der Ukraine auszurichten.
""",
    "en_nato_hague.txt": """NATO allies agree on higher spending

June 26, 2025

NATO leaders agreed on Wednesday in The Hague to raise defence spending. NATO Secretary General Mark Rutte welcomed the decision.

Spain refused to commit to the new target, Prime Minister Pedro Sánchez said.
""",
    "de_baerbock_kiew.txt": """Baerbock sagt Kiew Hilfe zu

Stand: 03.12.2024 09:30 Uhr

Außenministerin Annalena Baerbock hat der Ukraine bei einem Besuch in Kiew weitere Unterstützung zugesagt. Sie traf am Montag den ukrainischen Präsidenten Wolodymyr Selenskyj.
""",
    "en_modi_washington.txt": """Modi meets Trump at the White House

February 14, 2025

Indian Prime Minister Narendra Modi met US President Donald Trump at the White House on Thursday. Trump demanded lower tariffs on American goods.
""",
}


def write_corpus(folder: Path, articles: dict[str, str] | None = None) -> Path:
    for name, text in (articles or ARTICLES).items():
        write(folder / name, text)
    return folder


def store_contents(db: Path) -> dict[str, dict]:
    """Everything the store holds, per article, with every list sorted: comparable across runs.
    The extractor fingerprint is left out (it changes whenever kg's code or data files change,
    e.g. while someone edits them during the test run); the facts are compared."""
    from kg.store.sqlite import SQLiteStore

    def norm(rows):
        return sorted(json.dumps({k: v for k, v in dict(r).items() if k != "extractor"}, sort_keys=True,
                                 ensure_ascii=False, default=str) for r in rows)

    out = {}
    with SQLiteStore(db, readonly=True) as store:
        for rec in store.iter_records():
            aid = rec.articles[0]["id"]
            out[aid] = {kind: norm(getattr(rec, kind)) for kind in
                        ("articles", "entities", "events", "participants", "mentions", "reports", "relations",
                         "links")}
        out["__entities__"] = {"rows": norm(dict(r) for r in store.conn.execute("SELECT * FROM entities"))}
    return out


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def serial_store(tmp_path_factory, corpus_dir) -> Path:
    """The reference: a serial `kg ingest` in a fresh process, like the worker processes (which
    load kg's code when they start, as this process did when the test session started)."""
    db = tmp_path_factory.mktemp("serial") / "kg.sqlite"
    env = {k: v for k, v in os.environ.items() if k != "KG_NEO4J_URI"}
    r = subprocess.run([str(KG_BIN), "ingest", str(corpus_dir)], env={**env, "KG_DB": str(db)},
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert summary_counts(r.stdout)["new"] == len(ARTICLES)
    return db


def test_corpus_finds_entities_and_events(serial_store):
    contents = store_contents(serial_store)
    assert len(contents) == len(ARTICLES) + 1
    events = sum(len(v["events"]) for k, v in contents.items() if k != "__entities__")
    assert events >= len(ARTICLES)  # every article has at least one event on average


def test_workers_store_the_same_graph_as_a_serial_run(kg, corpus_dir, serial_store):
    # the CLI as a user runs it; small chunks so that both workers get several
    r = kg.ok("ingest", "--workers", "2", "--batch-size", "2", corpus_dir)
    got = summary_counts(r.stdout)
    assert (got["read"], got["new"]) == (len(ARTICLES), len(ARTICLES))
    assert "2 worker processes" in r.stdout
    assert store_contents(kg.db) == store_contents(serial_store)
    serial_stats = json.loads(json.dumps(_stats(serial_store)))
    assert kg.stats() == serial_stats


def _stats(db: Path) -> dict:
    from kg.store.sqlite import SQLiteStore
    with SQLiteStore(db, readonly=True) as store:
        return store.stats()


def _facts(records) -> dict:
    """GraphRecords without the extractor fingerprint (see store_contents)."""
    from dataclasses import asdict
    d = asdict(records)
    d["articles"] = [{k: v for k, v in a.items() if k != "extractor"} for a in d["articles"]]
    return d


def crash_on_marker(articles):
    """A worker function that dies like a segmentation fault on an article containing CRASH-ME
    (and extracts nothing otherwise: this is about the pool, not about extraction)."""
    from kg.build import GraphRecords
    from kg.parallel import Extracted

    if any("CRASH-ME" in a.text for a in articles):
        os.kill(os.getpid(), signal.SIGSEGV)
    return [Extracted(a.id, a.source, records=GraphRecords()) for a in articles]


def test_a_worker_that_dies_costs_only_its_article(tmp_path, corpus_dir):
    from kg.io.readers import iter_articles
    from kg.parallel import CRASHED, ProcessPoolStream

    bad = write(tmp_path / "x" / "crash.txt", "Crash test\n\nCRASH-ME Olaf Scholz met Emmanuel Macron in Paris.\n")
    arts = list(iter_articles([str(corpus_dir), str(bad), str(corpus_dir / "en_nato_hague.txt")]))
    arts += arts[:3]  # more after the crash: the restarted pool goes on
    stream = ProcessPoolStream(2, chunk_size=2, window=2, work=crash_on_marker)
    out = list(stream.run(iter(arts)))
    assert [x.article_id for x in out] == [a.id for a in arts]
    assert [(x.source, x.error) for x in out if x.error] == [(str(bad), CRASHED)]
    assert stream.restarts >= 1


def test_an_exception_in_extraction_is_one_failure(kg, corpus_dir, monkeypatch, tmp_path):
    """An article whose extraction raises is reported (file and reason); the others are stored."""
    from kg.pipeline import Extractor

    original = Extractor._extract_doc

    def broken(self, art, doc):
        if "Rubio" in art.text:
            raise ValueError("broken on purpose")
        return original(self, art, doc)

    monkeypatch.setattr(Extractor, "_extract_doc", broken)
    r = kg("ingest", corpus_dir)
    assert r.exit_code == 1
    assert summary_counts(r.stdout)["new"] == len(ARTICLES) - 1
    src = str(corpus_dir / "en_rubio_riyadh.txt")
    assert f"error: {src}: extraction failed (ValueError: broken on purpose)" in r.stderr
    assert f"{src}: extraction failed" in r.stdout  # in the final summary too
    assert kg.stats()["articles"] == len(ARTICLES) - 1


def test_workers_option_validation(kg, corpus_dir):
    r = kg("ingest", "--workers", "-1", corpus_dir)
    assert r.exit_code == 2
    r = kg("ingest", "--dask", "tcp://127.0.0.1:1", "--workers", "3", corpus_dir)
    assert r.exit_code == 2 and "--workers" in r.stderr
    r = kg("ingest", "--write-batch", "10", corpus_dir)
    assert r.exit_code == 2 and "--neo4j" in r.stderr
    r = kg("ingest", "--commit-every", "10", "--neo4j", corpus_dir)
    assert r.exit_code == 2 and "--write-batch" in r.stderr
    r = kg("ingest", "--commit-every", "0", corpus_dir)
    assert r.exit_code == 2


def test_missing_dask_is_a_clear_error(kg, corpus_dir, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name == "dask" or name.startswith("dask."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    r = kg("ingest", "--dask", "local", corpus_dir)
    assert r.exit_code == 2
    assert "install kg[dask]" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.slow
def test_dask_cluster_stores_the_same_graph(kg, corpus_dir, serial_store):
    distributed = pytest.importorskip("dask.distributed")
    from kg.pipeline import extractor_fingerprint

    extractor_fingerprint.cache_clear()  # the code on disk, as the Dask workers load it
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        r = kg.ok("ingest", "--dask", cluster.scheduler_address, "--batch-size", "3", corpus_dir)
    got = summary_counts(r.stdout)
    assert (got["read"], got["new"]) == (len(ARTICLES), len(ARTICLES))
    assert f"extraction on Dask ({cluster.scheduler_address})" in r.stdout
    assert store_contents(kg.db) == store_contents(serial_store)


def test_dask_workers_with_another_extractor_are_refused():
    from kg.build import GraphRecords
    from kg.parallel import DaskStream, Extracted, ParallelError

    stream = DaskStream("tcp://127.0.0.1:1", fingerprint="kg-0.1.0+aaaa")
    ok = Extracted("a1", "a.txt", records=GraphRecords(articles=[{"id": "a1", "extractor": "kg-0.1.0+aaaa (offline)"}]))
    stream._check(ok)
    other = Extracted("a1", "a.txt", records=GraphRecords(articles=[{"id": "a1", "extractor": "kg-0.2.0+bbbb (offline)"}]))
    with pytest.raises(ParallelError, match="another extractor"):
        stream._check(other)


def test_unreachable_dask_scheduler_is_one_error_line(kg, corpus_dir, monkeypatch):
    pytest.importorskip("dask.distributed")
    from kg.parallel import DaskStream

    monkeypatch.setattr(DaskStream, "CONNECT_TIMEOUT", 1.0)
    r = kg("ingest", "--dask", "tcp://127.0.0.1:9", corpus_dir)
    assert r.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in r.stderr
    assert "Traceback" not in r.stderr


class RecordingSink:
    """A store that is not the embedded one (like Neo4jStore): records each write()."""

    def __init__(self):
        self.writes: list[list[str]] = []
        self.extractors: dict[str, str] = {}

    def article_extractor(self, article_id):
        return self.extractors.get(article_id)

    def has_article(self, article_id, extractor=None):
        return article_id in self.extractors

    def write(self, records):
        from kg.store.sqlite import WriteResult
        self.writes.append([a["id"] for a in records.articles])
        for a in records.articles:
            self.extractors[a["id"]] = a["extractor"]
        return WriteResult(articles_new=len(records.articles), events=len(records.events))


def test_neo4j_like_stores_get_one_write_per_group_of_articles(corpus_dir, extractor):
    from kg.ingest import DEFAULT_NEO4J_WRITE_BATCH, IngestReport, run_ingest

    sink = RecordingSink()
    report = run_ingest([str(corpus_dir)], sink, IngestReport(), write_batch=3)
    assert [len(w) for w in sink.writes] == [3, 3, 2]
    assert report.articles_stored == report.articles_new == len(ARTICLES)
    assert DEFAULT_NEO4J_WRITE_BATCH > len(ARTICLES)
    sink2 = RecordingSink()
    run_ingest([str(corpus_dir)], sink2, IngestReport())
    assert [len(w) for w in sink2.writes] == [len(ARTICLES)]  # the default: one write for these few
    assert [a for w in sink2.writes for a in w] == [a for w in sink.writes for a in w]  # input order
    again = run_ingest([str(corpus_dir)], sink2, IngestReport())  # resumable on this store too
    assert again.articles_skipped == len(ARTICLES) and len(sink2.writes) == 1
