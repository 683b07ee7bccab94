"""Benchmark the embedded store alone: replay extracted articles into a fresh SQLite store.

    .venv/bin/python benchmarks/store_bench.py --n 1000                # blocks of 1000 articles
    .venv/bin/python benchmarks/store_bench.py --n 10000 --block 1000 --workers 2
    .venv/bin/python benchmarks/store_bench.py --n 2000 --block 500 --profile 300
    .venv/bin/python benchmarks/store_bench.py --n 9000 --db /tmp/9k.sqlite        # then, in seconds:
    .venv/bin/python benchmarks/store_bench.py --base /tmp/9k.sqlite --offset 9000 --n 1000 --block 250
    .venv/bin/python benchmarks/store_bench.py --base /tmp/6k.sqlite --offset 6000 --n 4000 --group 4000
    .venv/bin/python benchmarks/store_bench.py --n 1000 --dump /tmp/new.jsonl.gz   # invariant check:
    .venv/bin/python benchmarks/store_bench.py --n 1000 --code /tmp/kg-main --dump /tmp/old.jsonl.gz
    .venv/bin/python benchmarks/store_bench.py --compare /tmp/old.jsonl.gz /tmp/new.jsonl.gz

The articles are the benchmark's generated corpus (``bench.generate_corpus``, ``--per-day`` as in
bench.py: the first N of the 10,000-article corpus are the N-article corpus). Their graph records are extracted once with kg's
own extraction stream (``kg.parallel.extraction_stream``, ``--workers`` processes) and cached as a
pickle under ``$TMPDIR/kg-store-bench/``, keyed by N, the extractor fingerprint and the generator (a cache of more
articles serves fewer), so later runs only replay them: extraction of 10,000 articles takes ~7 CPU
minutes once, a replay a few minutes at most.

The replay goes through :func:`kg.ingest.run_ingest` exactly as ``kg ingest --force`` does (one
writer, input order, the store's own transactions); only reading and extraction are replaced by the
cached records, so every CPU second measured is the store's. ``--code DIR`` imports kg from another
checkout (e.g. ``git archive main kg | tar -x -C DIR``) to measure or dump the code of another branch
on the same records.

Printed: per block of ``--block`` articles the CPU milliseconds per article (this process,
``time.process_time``: independent of other load on the machine), of which the COMMIT statements,
and with ``--statements`` the SQL statements executed per article; then the totals, the store size, and the WAL size just
before the store is closed (the WAL is folded in and truncated on close). ``--profile K`` prints a
cProfile of the replay of the first K articles (a separate, fresh store). ``--dump FILE`` writes a
normalised dump of every user-visible table (sorted rows, ``ingested_at`` left out) after the
replay; ``--compare A B`` compares two dumps table by table. ``--base DB --offset K`` replays articles
K..K+N onto a copy of a store built before (``--n K --db DB``): the cost of writing into a large
store without replaying all of it again (the first block includes filling the page cache).

This is a measurement tool: it asserts nothing, and no test depends on its figures.
"""
from __future__ import annotations

import argparse
import cProfile
import dataclasses
import gzip
import io
import json
import os
import pickle
import pstats
import shutil
import sys
import tempfile
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = Path(tempfile.gettempdir()) / "kg-store-bench"

DUMP_TABLES = ("articles", "entities", "entity_aliases", "mentions", "events", "participants", "reports",
               "relations", "links", "article_records", "raw_entities", "canonical_events", "event_members",
               "canonical_participants", "event_dates", "event_links", "canonical_keys", "canonical_readings",
               "decisions")


def _use_code(code: str | None) -> None:
    for path in ([code] if code else []) + [str(ROOT)]:
        if path not in sys.path:
            sys.path.insert(0 if path == code else 1, path)


# ------------------------------------------------------------------------------------- records
def records(n: int, workers: int, per_day: float) -> list[dict]:
    """The graph records of the first n generated articles, one dict (GraphRecords fields) each."""
    from bench import BACKGROUND, GENERATOR, corpus_name, generate_corpus  # noqa: E402  (benchmarks/bench.py)
    from kg.pipeline import extractor_fingerprint

    fp = f"{extractor_fingerprint()}-g{GENERATOR}-d{per_day:g}-b{BACKGROUND:g}"
    CACHE.mkdir(parents=True, exist_ok=True)
    for cached in sorted(CACHE.glob(f"records-*-{fp}.pickle"), key=lambda p: int(p.name.split("-")[1])):
        if int(cached.name.split("-")[1]) >= n:
            with open(cached, "rb") as f:
                return pickle.load(f)[:n]
    from kg.io.readers import ReadError, iter_articles
    from kg.parallel import extraction_stream

    size = max(n, 1000)
    corpus = generate_corpus(size, Path(tempfile.gettempdir()) / "kg-bench" / corpus_name(size, per_day=per_day),
                             per_day=per_day)
    paths = sorted(str(p) for p in corpus.glob("*.txt"))[:n]
    arts = (a for a in iter_articles(paths) if not isinstance(a, ReadError))
    out = []
    t0 = time.perf_counter()
    for item in extraction_stream(arts, workers=workers, batch_size=16):
        if item.records is not None:
            out.append({f.name: getattr(item.records, f.name) for f in dataclasses.fields(item.records)})
        if len(out) % 500 == 0:
            print(f"  extracted {len(out)} articles in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    path = CACHE / f"records-{n}-{fp}.pickle"
    with open(path.with_suffix(".tmp"), "wb") as f:
        pickle.dump(out, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(path.with_suffix(".tmp"), path)
    return out


# -------------------------------------------------------------------------------------- replay
class _Meter:
    """CPU time of the COMMIT statements and the number of statements of the store's connection."""

    def __init__(self, count: bool):
        self.commit_s = 0.0
        self.statements = 0
        self.count = count


def _timed_connections(meter: _Meter):
    import sqlite3

    class TimedConnection(sqlite3.Connection):
        def execute(self, sql, *args):
            if not sql.startswith("COMMIT"):
                return super().execute(sql, *args)
            t0 = time.process_time()
            try:
                return super().execute(sql, *args)
            finally:
                meter.commit_s += time.process_time() - t0

    original = sqlite3.connect

    def connect(*args, **kwargs):
        conn = original(*args, factory=TimedConnection, **kwargs)
        if meter.count:
            conn.set_trace_callback(lambda _sql: setattr(meter, "statements", meter.statements + 1))
        return conn

    return connect


def replay(recs: list[dict], db: Path, *, block: int, quiet: bool = False, statements: bool = False,
           base: Path | None = None, offset: int = 0, group: int | None = None) -> dict:
    """Write the records through run_ingest into a fresh store at db (a copy of ``base`` when
    given); figures per block."""
    import kg.ingest as ingest
    import kg.store.sqlite as sqlite_mod
    from kg.build import GraphRecords
    from kg.parallel import Extracted
    from kg.store.sqlite import SQLiteStore

    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    if base is not None:
        shutil.copyfile(base, db)
    meter = _Meter(statements)
    by_id = {r["articles"][0]["id"]: r for r in recs}
    marks: list[tuple[float, float, int]] = []

    @dataclasses.dataclass
    class Stub:
        id: str
        source: str

    def iter_articles(inputs, **_):
        for r in recs:
            yield Stub(r["articles"][0]["id"], r["articles"][0]["source"] or r["articles"][0]["id"])

    def extraction_stream(articles, **_):
        for i, art in enumerate(articles):
            if i % block == 0:
                marks.append((time.process_time(), meter.commit_s, meter.statements))
            yield Extracted(art.id, art.source, records=GraphRecords(**{k: list(v) for k, v in by_id[art.id].items()}))
        marks.append((time.process_time(), meter.commit_s, meter.statements))

    saved = ingest.iter_articles, ingest.extraction_stream, sqlite_mod.sqlite3.connect
    ingest.iter_articles, ingest.extraction_stream = iter_articles, extraction_stream
    sqlite_mod.sqlite3.connect = _timed_connections(meter)
    try:
        store = SQLiteStore(db)
        try:
            report = ingest.run_ingest(["replay"], store, ingest.IngestReport(), force=True, group_commit=group)
            # the last block ends when everything is committed (the group commit's last one too)
            marks.append((time.process_time(), meter.commit_s, meter.statements))
            wal = db.with_name(db.name + "-wal")
            wal_mb = wal.stat().st_size / 1e6 if wal.exists() else 0.0
            t0 = time.process_time()
        finally:
            store.close()
        close_s = time.process_time() - t0
    finally:
        ingest.iter_articles, ingest.extraction_stream, sqlite_mod.sqlite3.connect = saved
    # marks: one at the start of each block, the end of the stream, after the final commit
    rows = []
    starts = marks[:-2] + [marks[-1]]
    for i in range(len(starts) - 1):
        (c0, k0, s0), (c1, k1, s1) = starts[i], starts[i + 1]
        n = min(block, len(recs) - i * block)
        rows.append({"from": offset + i * block, "to": offset + i * block + n, "cpu_ms": (c1 - c0) * 1000 / n,
                     "commit_ms": (k1 - k0) * 1000 / n, "statements": (s1 - s0) / n})
    total = marks[-1][0] - marks[0][0]
    out = {"articles": report.articles_stored, "blocks": rows, "cpu_ms": total * 1000 / max(len(recs), 1),
           "commit_ms": (marks[-1][1] - marks[0][1]) * 1000 / max(len(recs), 1),
           "statements": (marks[-1][2] - marks[0][2]) / max(len(recs), 1),
           "wal_mb_before_close": wal_mb, "close_s": close_s,
           "db_mb": sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6}
    if not quiet:
        show(out)
    return out


def show(r: dict) -> None:
    print(f"{'articles':>13}  {'CPU ms/art':>10}  {'commit ms':>9}  {'statements':>10}")
    for b in r["blocks"]:
        print(f"{b['from']:>6}-{b['to']:<6}  {b['cpu_ms']:10.2f}  {b['commit_ms']:9.2f}  {b['statements']:10.0f}")
    print(f"{'all':>13}  {r['cpu_ms']:10.2f}  {r['commit_ms']:9.2f}  {r['statements']:10.0f}")
    first, last = r["blocks"][0], r["blocks"][-1]
    print(f"last block / first block: {last['cpu_ms'] / first['cpu_ms']:.2f}x; commit share "
          f"{r['commit_ms'] / r['cpu_ms']:.0%}; {r['articles']} articles committed")
    print(f"WAL before close {r['wal_mb_before_close']:.1f} MB; checkpoint+close {r['close_s']:.2f} s CPU; "
          f"store after close {r['db_mb']:.1f} MB")


# ---------------------------------------------------------------------------------------- dump
def dump(db: Path, out: Path) -> None:
    """Every table as sorted JSON rows (ingested_at left out), canonical events named by their
    public id (a store of schema 5 refers to them by ckey, one of schema 4 by id: the dumps compare)."""
    import sqlite3

    conn = sqlite3.connect(db)
    with gzip.open(out, "wt", encoding="utf-8") as f:
        for table in DUMP_TABLES:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "ingested_at"]
            if table == "canonical_events":
                cols = [c for c in cols if c != "ckey"]
            select = [f"(SELECT id FROM canonical_events ce WHERE ce.ckey = t.ckey)" if c == "ckey" else _quote(c)
                      for c in cols]
            cols = ["canonical_id" if c == "ckey" else c for c in cols]
            rows = sorted(json.dumps([_plain(v) for v in r], ensure_ascii=False)
                          for r in conn.execute(f"SELECT {', '.join(select)} FROM {table} t"))
            f.write(json.dumps({"table": table, "columns": cols, "rows": len(rows)}) + "\n")
            for row in rows:
                f.write(row + "\n")
    conn.close()


def _plain(value):
    """A stored value as dumped: compressed records (article_records) as their JSON, normalised
    (sorted keys, standard separators: how it was serialised does not count, what it says does)."""
    if isinstance(value, bytes):
        return json.dumps(json.loads(zlib.decompress(value)), ensure_ascii=False, sort_keys=True)
    return value


def _quote(col: str) -> str:
    return '"' + col.replace('"', '""') + '"'


def _load(path: Path) -> dict[str, tuple[list, list[str]]]:
    tables: dict[str, tuple[list, list[str]]] = {}
    current = None
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            if isinstance(obj, dict):
                current = obj["table"]
                tables[current] = (obj["columns"], [])
            else:
                tables[current][1].append(line.rstrip("\n"))
    return tables


def compare(a: Path, b: Path) -> int:
    ta, tb = _load(a), _load(b)
    differ = 0
    for table in sorted(set(ta) | set(tb)):
        if table not in ta or table not in tb:
            print(f"{table}: only in {'A' if table in ta else 'B'}")
            differ += 1
            continue
        (ca, ra), (cb, rb) = ta[table], tb[table]
        if ca != cb:
            print(f"{table}: columns differ: {ca} vs {cb}")
            differ += 1
        elif ra != rb:
            sa, sb = set(ra), set(rb)
            print(f"{table}: {len(ra)} vs {len(rb)} rows; {len(sa - sb)} only in A, {len(sb - sa)} only in B")
            for row in sorted(sa - sb)[:3]:
                print(f"   A: {row[:200]}")
            for row in sorted(sb - sa)[:3]:
                print(f"   B: {row[:200]}")
            differ += 1
        else:
            print(f"{table}: {len(ra)} rows identical")
    print("identical" if not differ else f"{differ} table(s) differ")
    return 1 if differ else 0


# ---------------------------------------------------------------------------------------- main
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="articles (default 1000)")
    ap.add_argument("--block", type=int, default=1000, help="articles per reported block (default 1000)")
    ap.add_argument("--workers", type=int, default=2, help="extraction processes for the one-off extraction")
    ap.add_argument("--base", help="replay onto a copy of this store (closed by kg, e.g. an earlier --db) "
                                   "instead of an empty one; with --offset")
    ap.add_argument("--offset", type=int, default=0,
                    help="replay articles OFFSET..OFFSET+N of the corpus (with --base: the articles after those "
                         "the base store holds)")
    ap.add_argument("--per-day", type=float, default=None,
                    help="generated articles per day (default: bench.py's, see bench.PER_DAY; 0: random days)")
    ap.add_argument("--db", help="store path (default: a fresh temporary file)")
    ap.add_argument("--group", type=int, default=None,
                    help="articles per transaction (kg ingest --commit-every; default: kg's groups)")
    ap.add_argument("--code", help="import kg from this checkout instead")
    ap.add_argument("--profile", type=int, default=0, metavar="K", help="cProfile the replay of K articles")
    ap.add_argument("--top", type=int, default=40, help="functions shown by --profile")
    ap.add_argument("--dump", help="write a normalised dump of the user-visible tables here (.gz)")
    ap.add_argument("--compare", nargs=2, metavar=("A", "B"), help="compare two dumps and exit")
    ap.add_argument("--statements", action="store_true",
                    help="count the SQL statements per article (a trace callback: adds some CPU time)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = ap.parse_args(argv)
    if args.compare:
        return compare(Path(args.compare[0]), Path(args.compare[1]))
    _use_code(args.code)
    import kg
    from bench import PER_DAY  # noqa: E402  (benchmarks/bench.py)

    if args.per_day is None:
        args.per_day = PER_DAY

    print(f"kg from {Path(kg.__file__).parent}", file=sys.stderr)
    recs = records(args.offset + args.n, args.workers, args.per_day)[args.offset:]
    db = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="kg-store-bench-")) / "kg.sqlite"
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        replay(recs[:args.profile], db.with_name("profile.sqlite"), block=args.profile, quiet=True)
        prof.disable()
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(args.top)
        print(s.getvalue())
    result = replay(recs, db, block=args.block, statements=args.statements,
                    base=Path(args.base) if args.base else None, offset=args.offset, group=args.group)
    if args.json:
        print(json.dumps(result))
    if args.dump:
        dump(db, Path(args.dump))
        print(f"dump written to {args.dump}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
