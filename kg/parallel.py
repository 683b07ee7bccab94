"""Extraction streams for `kg ingest`: in this process, in worker processes, or on a Dask cluster.

Every stream takes an iterable of :class:`~kg.model.Article` (read lazily by the caller) and
yields one :class:`Extracted` per article **in input order**: the graph records of the article
(:func:`kg.build.build_records` of its extraction) or the reason its extraction failed. The caller
(:func:`kg.ingest.run_ingest`) writes the records into a store in this process, so the store never
sees more than one writer and the order of writes is the same as in a serial run — the stored graph
is identical whichever stream produced it.

Memory stays flat: articles are sent in chunks of ``chunk_size`` and at most ``window`` chunks are
in flight, so reading never runs ahead of extraction by more than ``window * chunk_size`` articles.

- :func:`serial_stream` — spaCy's ``nlp.pipe`` over chunks in this process.
- :class:`ProcessPoolStream` — ``workers`` processes (``forkserver`` where available, else
  ``spawn``; never ``fork``, which copies threads and open database handles); each builds its
  :class:`~kg.pipeline.Extractor` once. A worker that dies (e.g. a segmentation fault inside a C
  extension) does not end the run: the pool is restarted, the articles that were in flight are
  extracted again one at a time, and the article that kills a worker again is reported as failed.
- :class:`DaskStream` — tasks on a Dask distributed cluster (``pip install 'kg[dask]'``), a
  scheduler address or ``"local"`` for a :class:`dask.distributed.LocalCluster` on this machine.
"""
from __future__ import annotations

import gc
import multiprocessing as mp
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache

from kg.build import GraphRecords, build_records
from kg.model import Article

__all__ = ["Extracted", "ParallelError", "DaskStream", "ProcessPoolStream", "chunked", "default_workers",
           "extract_chunk", "extraction_stream", "serial_stream"]

GC_THRESHOLDS = (10_000, 50, 100)
"""The garbage collector's thresholds in an ingest process, after its Extractor is built (Python's
default: 700, 10, 10). Extraction allocates and frees many small objects per article, most freed
by reference counting: at the default, a young collection runs every few sentences, ~1.3 s of
collections per 1,000 generated articles (~6% of their CPU time); with these 0.15 s
(benchmarks/bench.py prints it). ``KG_GC=default`` keeps Python's defaults."""
# Settings that decide how an article is extracted; worker processes get the values of this process.
ENV_KEYS = ("KG_OFFLINE_PIPELINE", "KG_SPACY_MODELS", "KG_GAZETTEER")
CRASHED = ("the extraction process died while reading this article (killed by a signal, e.g. a "
           "segmentation fault in a C extension)")


@dataclass
class Extracted:
    """The outcome for one article: its graph records, or why its extraction failed."""

    article_id: str
    source: str | None
    records: GraphRecords | None = None
    error: str | None = None

    @property
    def label(self) -> str:
        return self.source or self.article_id

    @property
    def extractor(self) -> str | None:
        return self.records.articles[0].get("extractor") if self.records and self.records.articles else None


class ParallelError(Exception):
    """Parallel extraction cannot go on (Dask missing or unreachable, a worker that cannot start,
    workers running another extractor); ``str(e)`` is one line for the user."""


def default_workers() -> int:
    """One worker per CPU core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def chunked(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _failure(article: Article, exc: BaseException) -> Extracted:
    msg = " ".join(str(exc).split())
    if len(msg) > 300:
        msg = msg[:297] + "..."
    return Extracted(article.id, article.source, error=f"extraction failed ({type(exc).__name__}: {msg})"
                     if msg else f"extraction failed ({type(exc).__name__})")


def _extracted(ex) -> Extracted:
    return Extracted(ex.article.id, ex.article.source, records=build_records(ex))


def extract_chunk(extractor, articles: list[Article]) -> list[Extracted]:
    """Extract a chunk through one ``nlp.pipe`` batch per language; if anything in the chunk raises,
    extract its articles one by one so that only the article at fault is reported as failed."""
    try:
        return [_extracted(ex) for ex in extractor.extract_many(articles, batch_size=max(1, len(articles)))]
    except Exception as exc:
        if len(articles) == 1:
            return [_failure(articles[0], exc)]
    return [item for art in articles for item in extract_chunk(extractor, [art])]


def _kg_env() -> dict[str, str | None]:
    return {k: os.environ.get(k) for k in ENV_KEYS}


def _apply_env(env: dict[str, str | None]) -> None:
    for key, value in env.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def build_extractor(gazetteer: tuple[str, ...] = ()):
    """The Extractor of an ingest process, built once. Its gazetteer, lexicons and pipelines are
    millions of objects that live as long as the process: they are moved out of the garbage
    collector's sight (``gc.freeze``), which otherwise walks all of them at every full collection
    — a few times per article (about 2 ms of an article's ~10 ms of event extraction). While it is
    built the collector is off (see :data:`GC_THRESHOLDS`)."""
    from kg.pipeline import Extractor

    default = os.environ.get("KG_GC") == "default"
    if not default:
        gc.disable()     # what is built here lives as long as the process: nothing to collect
    try:
        extractor = Extractor(gazetteer)
    finally:
        gc.enable()
    gc.collect()
    gc.freeze()
    if not default:
        gc.set_threshold(*GC_THRESHOLDS)
    return extractor


# ------------------------------------------------------------------------------- in this process
def serial_stream(articles: Iterable[Article], *, gazetteer: tuple[str, ...] = (), batch_size: int = 16,
                  extractor=None) -> Iterator[Extracted]:
    """Extract in this process; the Extractor (gazetteer, pipelines) is built at the first article."""
    for chunk in chunked(articles, max(1, batch_size)):
        if extractor is None:
            extractor = build_extractor(gazetteer)
        yield from extract_chunk(extractor, chunk)


# ------------------------------------------------------------------------------- worker processes
_WORKER: dict = {}


def _init_worker(gazetteer: tuple[str, ...], env: dict[str, str | None]) -> None:
    """Pool initializer: runs once per worker process."""
    # Ctrl-C reaches the whole process group; the main process decides (it stops the pool), so a
    # worker neither dies half-way through a chunk nor prints a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _apply_env(env)
    _WORKER["gazetteer"] = gazetteer


def worker_extractor():
    """This worker's Extractor, built at its first chunk (an error raised in a pool initializer
    would only say "broken process pool"; raised here, it reaches the main process as it is)."""
    extractor = _WORKER.get("extractor")
    if extractor is None:
        extractor = _WORKER["extractor"] = build_extractor(_WORKER.get("gazetteer", ()))
    return extractor


def _work(articles: list[Article]) -> list[Extracted]:
    return extract_chunk(worker_extractor(), articles)


def _submit(pool: ProcessPoolExecutor | None, chunk: list[Article], work=_work) -> Future:
    """pool.submit, or a future holding BrokenProcessPool when the pool is already broken."""
    try:
        if pool is None:
            raise BrokenProcessPool("no pool")
        return pool.submit(work, chunk)
    except BrokenProcessPool as exc:
        fut: Future = Future()
        fut.set_exception(exc)
        return fut


def _start_method() -> str:
    return "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"


class ProcessPoolStream:
    """Extraction in ``workers`` processes; results in input order (see the module docstring)."""

    def __init__(self, workers: int, *, gazetteer: tuple[str, ...] = (), chunk_size: int = 16,
                 window: int | None = None, start_method: str | None = None,
                 work: Callable[[list[Article]], list[Extracted]] | None = None):
        """``work``: the function a worker runs on a chunk (a module-level function, picklable;
        default: extract it with the worker's Extractor)."""
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers = workers
        self.gazetteer = tuple(gazetteer)
        self.chunk_size = max(1, chunk_size)
        self.window = window or 2 * workers + 1
        self.start_method = start_method or _start_method()
        self.env = _kg_env()
        self.work = work or _work
        self.restarts = 0
        self._pool: ProcessPoolExecutor | None = None

    def _start(self) -> ProcessPoolExecutor:
        ctx = mp.get_context(self.start_method)
        if self.start_method == "forkserver":
            ctx.set_forkserver_preload(["kg.parallel"])
        self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init_worker,
                                         initargs=(self.gazetteer, self.env))
        return self._pool

    def _stop(self, *, wait: bool) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if wait:
            pool.shutdown(wait=True)
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for p in processes:  # a chunk in progress is not worth waiting for when stopping early
            try:
                p.terminate()
            except Exception:  # already gone
                pass
        for p in processes:
            try:
                p.join(timeout=5)
            except Exception:
                pass

    def __call__(self, articles: Iterable[Article]) -> Iterator[Extracted]:
        return self.run(articles)

    def run(self, articles: Iterable[Article]) -> Iterator[Extracted]:
        pending: deque[tuple[list[Article], object]] = deque()
        chunks = chunked(articles, self.chunk_size)
        pool = self._start()
        ok = False
        try:
            exhausted = False
            while True:
                while not exhausted and len(pending) < self.window:
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                        break
                    pending.append((chunk, _submit(pool, chunk, self.work)))
                if not pending:
                    break
                chunk, fut = pending.popleft()
                try:
                    results = fut.result()
                except BrokenProcessPool:
                    # a worker died: every chunk in flight is lost. Extract them again, one article
                    # at a time, so that the one that kills a worker again is found and skipped.
                    lost = [chunk, *(c for c, _ in pending)]
                    pending.clear()
                    for art in (a for c in lost for a in c):
                        yield from self._isolated(art)
                    pool = self._pool
                    continue
                yield from results
            ok = True
        finally:
            self._stop(wait=ok)

    def _restart(self) -> ProcessPoolExecutor:
        self._stop(wait=False)
        self.restarts += 1
        if self.restarts > 100:
            raise ParallelError("extraction worker processes keep dying; giving up")
        return self._start()

    def _isolated(self, art: Article) -> Iterator[Extracted]:
        pool = self._pool
        try:
            yield from _submit(pool, [art], self.work).result()
            return
        except BrokenProcessPool:
            pool = self._restart()
        try:  # a fresh pool: if it dies again, this article is the cause
            yield from _submit(pool, [art], self.work).result()
        except BrokenProcessPool:
            self._restart()
            yield Extracted(art.id, art.source, error=CRASHED)


# ------------------------------------------------------------------------------------------ Dask
_DASK_LOCK = threading.Lock()


@cache
def _dask_extractor(gazetteer: tuple[str, ...], env: tuple[tuple[str, str | None], ...]):
    _apply_env(dict(env))
    return build_extractor(gazetteer)


def _dask_work(articles: list[Article], gazetteer: tuple[str, ...],
               env: tuple[tuple[str, str | None], ...]) -> list[Extracted]:
    """A Dask task: the Extractor is built once per worker process and reused by later tasks.
    One chunk at a time per process: threads of one worker would only contend for the GIL."""
    with _DASK_LOCK:
        return extract_chunk(_dask_extractor(gazetteer, env), articles)


def _import_dask():
    try:
        from dask import distributed
    except ImportError as exc:
        raise ParallelError(f"--dask needs Dask distributed, which is not installed ({exc}): "
                            f"install kg[dask] (pip install 'kg[dask]')") from None
    return distributed


class DaskStream:
    """Extraction as tasks on a Dask cluster; results in input order, at most ``window`` chunks in
    flight. ``address`` is a scheduler address (``tcp://host:8786``) or ``"local"`` (a
    LocalCluster with ``workers`` single-threaded worker processes on this machine)."""

    CONNECT_TIMEOUT = 30.0  # seconds to reach a scheduler

    def __init__(self, address: str, *, gazetteer: tuple[str, ...] = (), chunk_size: int = 16,
                 workers: int | None = None, window: int | None = None, fingerprint: str | None = None,
                 connect_timeout: float | None = None):
        self.address = address
        self.gazetteer = tuple(gazetteer)
        self.chunk_size = max(1, chunk_size)
        self.workers = workers
        self.window = window
        self.fingerprint = fingerprint
        self.connect_timeout = connect_timeout or self.CONNECT_TIMEOUT
        self.env = tuple(sorted(_kg_env().items()))
        self.client = None
        self.cluster = None

    def _connect(self):
        distributed = _import_dask()
        import logging
        try:
            if self.address == "local":
                self.cluster = distributed.LocalCluster(
                    n_workers=self.workers or default_workers(), threads_per_worker=1, processes=True,
                    dashboard_address=None, silence_logs=logging.ERROR)
                self.client = distributed.Client(self.cluster)
            else:
                self.client = distributed.Client(self.address, timeout=self.connect_timeout)
        except OSError as exc:
            self.close()
            raise ParallelError(f"cannot reach the Dask scheduler at {self.address}: {exc} (start one with "
                                f"'dask scheduler' and workers with 'dask worker ADDRESS', see docs/scale.md)") from None
        return self.client

    def close(self) -> None:
        for thing in (self.client, self.cluster):
            if thing is not None:
                try:
                    thing.close()
                except Exception:  # closing a cluster that is already gone
                    pass
        self.client = self.cluster = None

    def _threads(self) -> int:
        try:
            info = self.client.scheduler_info()
            return max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))
        except Exception:
            return 1

    def __call__(self, articles: Iterable[Article]) -> Iterator[Extracted]:
        return self.run(articles)

    def run(self, articles: Iterable[Article]) -> Iterator[Extracted]:
        distributed = _import_dask()
        client = self._connect()
        window = self.window or 2 * self._threads() + 1
        pending: deque[tuple[list[Article], object]] = deque()
        chunks = chunked(articles, self.chunk_size)

        def submit(chunk: list[Article]):
            return client.submit(_dask_work, chunk, self.gazetteer, self.env, pure=False)

        try:
            exhausted = False
            while True:
                while not exhausted and len(pending) < window:
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                        break
                    pending.append((chunk, submit(chunk)))
                if not pending:
                    break
                chunk, fut = pending.popleft()
                try:
                    results = self._result(fut)
                except distributed.KilledWorker:
                    # the chunk killed its workers (Dask retried it); find the article at fault
                    results = []
                    for art in chunk:
                        try:
                            results.extend(self._result(submit([art])))
                        except distributed.KilledWorker:
                            results.append(Extracted(art.id, art.source, error=CRASHED))
                for item in results:
                    self._check(item)
                    yield item
        finally:
            for _, fut in pending:
                try:
                    fut.cancel()
                except Exception:
                    pass
            self.close()

    def _result(self, fut) -> list[Extracted]:
        try:
            return fut.result()
        except (ModuleNotFoundError, ImportError) as exc:
            raise ParallelError(f"a Dask worker cannot run kg ({type(exc).__name__}: {exc}): install kg "
                                f"(the same version) in the workers' environment") from None

    def _check(self, item: Extracted) -> None:
        got = item.extractor
        if self.fingerprint and got and got.split(" ")[0] != self.fingerprint:
            raise ParallelError(f"the Dask workers run another extractor ({got.split(' ')[0]}) than this "
                                f"process ({self.fingerprint}): install the same kg version and data on the workers")


# ---------------------------------------------------------------------------------------- choose
def extraction_stream(articles: Iterable[Article], *, workers: int | None = None, dask: str | None = None,
                      gazetteer: tuple[str, ...] = (), batch_size: int = 16,
                      fingerprint: str | None = None) -> Iterator[Extracted]:
    """Extracted articles, in input order: on Dask if ``dask`` is set (``workers``: the size of a
    ``"local"`` cluster, default one per core), else in ``workers`` processes (0: one per core),
    else (``workers`` None or 1) in this process."""
    if dask:
        _import_dask()  # fail before reading anything
        return DaskStream(dask, gazetteer=gazetteer, chunk_size=batch_size, workers=workers or None,
                          fingerprint=fingerprint).run(articles)
    n = default_workers() if workers == 0 else (workers or 1)
    if n <= 1:
        return serial_stream(articles, gazetteer=gazetteer, batch_size=batch_size)
    return ProcessPoolStream(n, gazetteer=gazetteer, chunk_size=batch_size).run(articles)


StreamFactory = Callable[[Iterable[Article]], Iterator[Extracted]]
