"""`kg ingest`: read -> extract -> build -> store, streaming.

Articles are read lazily (:func:`kg.io.readers.iter_articles`), articles already stored by this
extractor are skipped (content-hash id + extractor fingerprint; ``force`` re-extracts them), the rest
go through an extraction stream (:mod:`kg.parallel`: this process, worker processes or Dask) in
chunks of ``batch_size`` (one spaCy ``nlp.pipe`` batch each), and the records come back in input
order to the writer here. The embedded store writes every article in its own savepoint and commits
them in groups (up to 1,024 articles or about 30 seconds of writing per transaction): an interrupted run
(Ctrl-C, an error) commits every article written whole before the interruption, a crash loses at
most the open group, never part of an article, and running the same command again finishes the job;
Neo4j gets one ``write()`` per ``write_batch`` articles.
"""
from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kg.build import GraphRecords
from kg.io.readers import ReadError, iter_articles
from kg.model import Article
from kg.parallel import ParallelError, default_workers, extraction_stream
from kg.pipeline import extractor_fingerprint

DEFAULT_NEO4J_WRITE_BATCH = 50
"""Articles per Neo4jStore.write() during `kg ingest --neo4j` (fewer, larger transactions)."""


@dataclass
class IngestReport:
    articles_seen: int = 0
    articles_stored: int = 0
    articles_new: int = 0
    articles_replaced: int = 0
    articles_unchanged: int = 0
    articles_skipped: int = 0
    entities_new: int = 0
    entities_updated: int = 0
    events: int = 0
    edges: int = 0
    failures: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    mode: str = ""

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def add(self, res) -> None:
        """Add a store's WriteResult / Neo4jWriteResult."""
        self.articles_new += res.articles_new
        self.articles_replaced += res.articles_replaced
        self.articles_unchanged += res.articles_unchanged
        self.entities_new += res.entities_new
        self.entities_updated += res.entities_updated
        self.events += res.events
        self.edges += res.edges

    def summary(self, target: str) -> str:
        secs = self.seconds
        skipped = (f" ({self.articles_skipped} already stored by this extractor: skipped)"
                   if self.articles_skipped else "")
        lines = [
            f"{self.articles_seen} article(s) read in {secs:.1f}s into {target}: "
            f"{self.articles_new} new, {self.articles_replaced} re-extracted, "
            f"{self.articles_unchanged + self.articles_skipped} unchanged{skipped}",
            f"entities: {self.entities_new} new, {self.entities_updated} updated; events: {self.events}; "
            f"edges: {self.edges}",
        ]
        if self.articles_stored:
            lines.append(f"time: {secs:.1f}s, {self.articles_stored / max(secs, 1e-9):.1f} article(s)/s stored"
                         + (f" ({self.mode})" if self.mode else ""))
        if self.failures:
            lines.append(f"{self.failed} input(s) failed:")
            lines.extend(f"  {f}" for f in self.failures)
        return "\n".join(lines)


def run_ingest(inputs: list[str], sink, report: IngestReport, *, published: dt.datetime | None = None,
               language: str | None = None, gazetteer: tuple[str, ...] = (), force: bool = False,
               batch_size: int = 16, progress: bool = False,
               on_error: Callable[[ReadError], None] | None = None,
               workers: int | None = None, dask: str | None = None, write_batch: int | None = None,
               group_commit: int | None = None) -> IngestReport:
    """Ingest into `sink` (SQLiteStore or Neo4jStore). Articles already stored with the same
    extractor are skipped unless `force`; KeyboardInterrupt propagates after the last commit.

    ``workers``: extraction processes (None or 1: in this process, 0: one per core); ``dask``: a
    Dask scheduler address or "local" (extraction on a Dask cluster; ``workers`` is the size of the
    local cluster, default one per core); ``write_batch``: articles per
    ``sink.write`` (default 1 for the embedded store and DEFAULT_NEO4J_WRITE_BATCH for Neo4j).

    The embedded store groups commits (:meth:`kg.store.sqlite.SQLiteStore.begin_group`): up to
    ``group_commit`` articles (default ``GROUP_ARTICLES``, 1024, the first groups smaller) or
    about 30 seconds of writing per transaction, each article in its own savepoint; ``report.articles_stored`` and the counts
    are those of the committed articles. On Ctrl-C or an exception the articles written whole
    before it are committed (the article being written is rolled back) before it propagates."""
    gazetteer = tuple(str(g) for g in gazetteer)
    fingerprint = extractor_fingerprint()
    has_article = getattr(sink, "has_article", None)
    n_workers = default_workers() if workers == 0 else (workers or 1)
    report.mode = (f"extraction on Dask ({dask})" if dask else
                   f"extraction in {n_workers} worker processes" if n_workers > 1 else "")
    if dask or n_workers > 1:
        for g in gazetteer:  # a worker would fail on it later, with a less helpful message
            if not Path(g).is_file():
                raise ParallelError(f"gazetteer file not found: {g}")
    group = max(1, write_batch or (1 if _transactional(sink) else DEFAULT_NEO4J_WRITE_BATCH))
    bar = _Progress(_count_articles(inputs)) if progress and sys.stderr.isatty() else None

    def fail(error: ReadError) -> None:
        report.failures.append(str(error))
        if on_error:
            on_error(error)
        if bar:
            bar.advance(error.source)

    def articles() -> Iterator[Article]:
        for item in iter_articles(inputs, published=published, language=language):
            if isinstance(item, ReadError):
                fail(item)
                continue
            report.articles_seen += 1
            if not force and has_article is not None and _stored_with(sink, item.id, fingerprint):
                report.articles_skipped += 1
                if bar:
                    bar.advance(item.source or item.id)
                continue
            yield item

    pending = GraphRecords()
    labels: list[str] = []
    grouped = _transactional(sink)   # the embedded store: group commits, counted when committed

    def counted(res) -> None:
        report.add(res)
        report.articles_stored += res.articles

    def flush() -> None:
        nonlocal pending
        if not labels:
            return
        with _deferred_interrupt():  # a Ctrl-C waits until the commit is also counted
            res = sink.write(pending)
            if grouped:              # what this write committed (the group's articles, or none yet)
                counted(res)
            else:
                report.add(res)
                report.articles_stored += len(labels)
        if bar:
            for label in labels:
                bar.advance(label)
        pending = GraphRecords()
        labels.clear()

    def end_group() -> None:
        with _deferred_interrupt():
            counted(sink.end_group())

    stream = extraction_stream(articles(), workers=workers, dask=dask, gazetteer=gazetteer,
                               batch_size=batch_size, fingerprint=fingerprint)
    if grouped:
        sink.begin_group(**({"articles": group_commit} if group_commit else {}))
    try:
        for item in stream:
            if item.error is not None:
                fail(ReadError(item.label, item.error))
                continue
            pending.extend(item.records)
            labels.append(item.label)
            if len(labels) >= group:
                flush()
        flush()
        if grouped:
            end_group()
    except BaseException:
        # Ctrl-C or an error (in extraction, or while writing one article, which the store rolled
        # back to before it): the articles written whole before it are committed and counted
        if grouped:
            try:
                end_group()
            except Exception:  # the commit itself failed: they are not stored, and not counted
                pass
        raise
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()  # stops worker processes / the Dask client at once after an interruption
        if bar:
            bar.close()
    return report


def _transactional(sink) -> bool:
    """The embedded store: each write commits article by article."""
    from kg.store.sqlite import SQLiteStore
    return isinstance(sink, SQLiteStore)


def _stored_with(sink, article_id: str, fingerprint: str) -> bool:
    stored = sink.article_extractor(article_id)
    return stored is not None and stored.split(" ")[0] == fingerprint


def _count_articles(inputs: list[str], max_jsonl_bytes: int = 1 << 30) -> int | None:
    """How many articles the inputs hold, when that is cheap to know: files are listed (as the
    reader lists them) and JSON Lines files counted by their non-empty lines; None for standard input
    or JSON Lines over ``max_jsonl_bytes`` in total (the progress bar then shows no total)."""
    from kg.io.readers import _expand  # the reader's own listing, so the count matches what it reads

    total = 0
    jsonl_bytes = 0
    seen: set[str] = set()
    try:
        for item in inputs:
            if item == "-":
                return None
            for found in _expand(item):
                if isinstance(found, ReadError):
                    continue
                key = os.path.realpath(found)
                if key in seen:
                    continue
                seen.add(key)
                if found.lower().endswith((".jsonl", ".ndjson")):
                    jsonl_bytes += os.path.getsize(found)
                    if jsonl_bytes > max_jsonl_bytes:
                        return None
                    with open(found, "rb") as f:
                        total += sum(1 for line in f if line.strip())
                else:
                    total += 1
    except OSError:
        return None
    return total


class _Progress:
    """A rich progress bar on stderr: articles done (stored, skipped or failed), rate and ETA."""

    def __init__(self, total: int | None = None):
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)
        self.p = Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                          MofNCompleteColumn(), TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                          TextColumn("ETA"), TimeRemainingColumn(),
                          console=Console(stderr=True), transient=True)
        self.task = self.p.add_task("ingesting", total=total, rate="")
        self.start = time.monotonic()
        self.n = 0
        self.p.start()

    def advance(self, label: str) -> None:
        from rich.markup import escape
        self.n += 1
        rate = self.n / max(time.monotonic() - self.start, 1e-6)
        name = os.path.basename(label) or label
        self.p.update(self.task, advance=1, description=escape(name if len(name) <= 28 else "…" + name[-27:]),
                      rate=f"{rate:.1f}/s")

    def close(self) -> None:
        self.p.stop()


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill PID``, a job scheduler stopping the run): handled like Ctrl-C — the articles
    written so far are committed — see :func:`terminate_like_interrupt`."""


@contextmanager
def terminate_like_interrupt():
    """While inside, SIGTERM raises :class:`Terminated` (a KeyboardInterrupt) in the main thread
    instead of ending the process at once, so that a run stopped by ``kill`` commits what it
    wrote, as one stopped by Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise Terminated

    old = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


@contextmanager
def _deferred_interrupt():
    """Hold Ctrl-C (and SIGTERM) back while a write commits and is counted, so that the number of
    articles an interrupted run reports is exactly the number stored; the interrupt is raised right
    after. (Blocking the signal is not enough: another thread may receive it.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    old = {sig: signal.signal(sig, lambda signum, frame: received.append(signum))
           for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        if signal.SIGTERM in received:
            raise Terminated
        if received:
            raise KeyboardInterrupt
