"""Benchmark `kg ingest`: throughput, memory, time per stage, cost relative to bare spaCy.

    .venv/bin/python benchmarks/bench.py                      # 1000 generated articles, serial
    .venv/bin/python benchmarks/bench.py --n 1000,2000        # each size in a fresh process + linearity
    .venv/bin/python benchmarks/bench.py --n 1000 --workers 2
    .venv/bin/python benchmarks/bench.py --input articles/ --profile 300
    KG_NEO4J_URI=bolt://localhost:7687 .venv/bin/python benchmarks/bench.py --neo4j

The default corpus is generated from ``benchmarks/templates.yaml`` (sentence templates in English
and German, slots filled from kg's gazetteer, ~700 words per article, half in each language,
``--background`` of the sentences without events, see ``BACKGROUND``,
published in file order at ``--per-day`` articles a day, see ``PER_DAY``) and kept in
``$TMPDIR/kg-bench/`` for the next run. ``--input PATH`` takes any folder, file or JSONL.

Printed: articles/s and words/s end to end into a fresh embedded store (``--db``, default a
temporary file), peak RSS (``ru_maxrss``; of this process and of the largest worker), time per
stage (read, nlp, entities, relations, events, time, resolve, build, store — measured by wrapping
those functions from the outside, serial runs only), the ratio of kg's extraction time to bare
``nlp.pipe`` over the same texts with the same pipelines, whether anything cached (gazetteer,
pipelines, lexicons, grammars, YAML) was built again during the run, and with ``--profile K`` the
functions where kg's own time goes (cProfile over K articles). With ``KG_NEO4J_URI`` set and
``--neo4j``: relationships written per second into Neo4j.

This is a measurement tool: it asserts nothing, and no test depends on its figures.
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

STAGES = ("read", "skip-check", "nlp", "entities", "relations", "events", "time", "resolve", "extract-other",
          "build", "store")


# ---------------------------------------------------------------------------------------- corpus
def _german_name(entry) -> str:
    """The German name of a country: the alias whose genitive (+s) the gazetteer also lists."""
    names = set(entry.aliases)
    for alias in entry.aliases:
        if alias + "s" in names and " " not in alias:
            return alias
    return entry.name


def _plain(name: str) -> bool:
    """Names without abbreviation dots, apostrophes or brackets ("St. George's (Grenada)"). With
    those, spaCy's tokenizer leaves wrong dependency edges on the tokens of a doc without a parse,
    which crashed kg (Token.children in events.py) until events.py stopped reading the parse of
    unparsed docs; they stay out so that corpora (and figures) are comparable across versions."""
    return not any(c in name for c in ".'’()")


def _pools(gaz, year: int) -> dict:
    people = [e for e in gaz.entries.values()
              if e.type == "PERSON" and e.short and any(r.active(year) for r in e.roles)
              and _plain(e.name) and _plain(e.short[0])]
    countries = [e for e in gaz.entries.values()
                 if e.type == "COUNTRY" and len(e.adjectives) >= 2 and e.adjectives[0][:1].isupper()
                 and e.adjectives[1][:1].islower() and _plain(e.name) and _plain(_german_name(e))]
    capitals: dict[str, list] = defaultdict(list)
    for e in gaz.entries.values():
        if e.type == "LOCATION" and e.capital_of and _plain(e.name):
            capitals[e.capital_of].append(e)
    return {"people": sorted(people, key=lambda e: e.id), "countries": sorted(countries, key=lambda e: e.id),
            "capitals": capitals, "all_capitals": sorted((c for cs in capitals.values() for c in cs),
                                                         key=lambda e: e.id)}


START = dt.datetime(2024, 1, 1)
PER_DAY = 15.0
"""Generated articles published per day (default): article i appears on day i / PER_DAY, in the
order of its file name, as in a news archive ingested in order — a politics desk of a few outlets.
The density of news per day is then the same in a corpus of 1,000 articles (67 days) and of
10,000 (667 days), and the first N articles of any generated corpus are the N-article corpus.
``--per-day 0``: every article on a random day of the first 660 (the corpus of generator 2),
where 10 times the articles put 10 times the news on each day (see docs/scale.md)."""
SPREAD_DAYS = 660
POOL_YEARS = (2024, 2025)   # people are drawn from those in office in the year of publication


def _published(rng: random.Random, i: int, per_day: float) -> dt.datetime:
    day = int(i / per_day) if per_day > 0 else rng.randrange(0, SPREAD_DAYS)
    return START + dt.timedelta(days=day, hours=rng.randrange(6, 22), minutes=rng.randrange(60))


def _article(rng: random.Random, lang: str, tpl: dict, pools_by_year: dict, words: int,
             published: dt.datetime, background: float = 0.0) -> str:
    t = tpl[lang]
    pools = pools_by_year[min(max(published.year, POOL_YEARS[0]), POOL_YEARS[-1])]
    p = rng.sample(pools["people"], 3)
    c = rng.sample(pools["countries"], 3)

    def capital(country):
        caps = pools["capitals"].get(country.id)
        return (rng.choice(caps) if caps else rng.choice(pools["all_capitals"])).name

    orgs = rng.sample(tpl["organisations"][lang], 2)
    day = published - dt.timedelta(days=rng.randrange(1, 6))
    months = tpl["months"][lang]
    slots = {
        "p1": p[0].name, "p2": p[1].name, "p3": p[2].name,
        "s1": p[0].short[0], "s2": p[1].short[0], "s3": p[2].short[0],
        "c1": c[0].name if lang == "en" else _german_name(c[0]),
        "c2": c[1].name if lang == "en" else _german_name(c[1]),
        "c3": c[2].name if lang == "en" else _german_name(c[2]),
        "a1": c[0].adjectives[0 if lang == "en" else 1], "a2": c[1].adjectives[0 if lang == "en" else 1],
        "city1": capital(c[0]), "city2": capital(c[1]), "org": orgs[0], "org2": orgs[1],
        "date": (f"{months[day.month - 1]} {day.day}" if lang == "en" else f"{day.day}. {months[day.month - 1]}"),
    }

    def fill(template: str) -> str:
        return template.format(**slots, weekday=rng.choice(tpl["weekdays"][lang]), month=rng.choice(months),
                               n=rng.randrange(2, 40), m=rng.randrange(5, 500))

    title = fill(rng.choice(t["titles"]))
    dateline = t["dateline"].format(month=months[published.month - 1], day=published.day, year=published.year,
                                    dd=f"{published.day:02d}", mm=f"{published.month:02d}",
                                    hh=f"{published.hour:02d}", mi=f"{published.minute:02d}")
    paragraphs, para, count = [], [], 0
    decks: dict[str, list[str]] = {"sentences": [], "background": []}
    while count < words:
        pool = "background" if background and rng.random() < background else "sentences"
        deck = decks[pool]
        if not deck:
            deck += t[pool]
            rng.shuffle(deck)
        sentence = fill(deck.pop())
        para.append(sentence)
        count += len(sentence.split())
        if len(para) >= rng.randrange(2, 5):
            paragraphs.append(" ".join(para))
            para = []
    if para:
        paragraphs.append(" ".join(para))
    return "\n\n".join([title, dateline, *paragraphs]) + "\n"


GENERATOR = 4   # 4: a share of background sentences; 3: published in order at PER_DAY articles a day
#                 (2: at random over 660 days)
BACKGROUND = 0.55
"""Share of a generated article's sentences drawn from the templates' ``background`` (sentences
that report no event). Real news mixes reports of events with context, figures and descriptions:
kg finds 21-36 events per 1,000 words in the real German and English articles it was measured on
(docs/scale.md), 57 in a corpus of event sentences only (``--background 0``, generator 3). At 0.4
a generated corpus has about 36 per 1,000 words, the densest of those real articles."""


def corpus_name(n: int, *, seed: int = 1, words: int = 700, fmt: str = "txt", per_day: float = PER_DAY,
                background: float = BACKGROUND) -> str:
    """The folder name (under $TMPDIR/kg-bench) of a generated corpus."""
    return f"n{n}-w{words}-s{seed}-d{per_day:g}-b{background:g}-{fmt}"


def generate_corpus(n: int, folder: Path, *, seed: int = 1, words: int = 700, fmt: str = "txt",
                    per_day: float = PER_DAY, background: float = BACKGROUND) -> Path:
    """n articles (alternately English and German) in `folder`; reused when already complete."""
    marker = folder / ".complete"
    spec = {"generator": GENERATOR, "n": n, "seed": seed, "words": words, "format": fmt, "per_day": per_day,
            "background": background, "templates": (HERE / "templates.yaml").stat().st_mtime}
    if marker.exists() and json.loads(marker.read_text()) == spec:
        return folder
    from kg.nlp.gazetteer import load_gazetteer

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*"):
        if old.is_file():
            old.unlink()
    tpl = yaml.safe_load((HERE / "templates.yaml").read_text(encoding="utf-8"))
    gaz = load_gazetteer()
    known = {lang: set(gaz.surface_forms(lang)) for lang in ("en", "de")}
    tpl["organisations"] = {lang: [o for o in names if o in known[lang]] for lang, names in tpl["organisations"].items()}
    pools_by_year = {y: _pools(gaz, y) for y in POOL_YEARS}
    rng = random.Random(seed)
    jsonl = open(folder / "corpus.jsonl", "w", encoding="utf-8") if fmt == "jsonl" else None
    try:
        for i in range(n):
            lang = "en" if i % 2 == 0 else "de"
            text = _article(rng, lang, tpl, pools_by_year, words, _published(rng, i, per_day), background)
            if jsonl:
                # the dateline stays in the text: the reader finds it as in a .txt file
                jsonl.write(json.dumps({"id": f"bench-{seed}-{i}", "text": text}, ensure_ascii=False) + "\n")
            else:
                (folder / f"{i:06d}_{lang}.txt").write_text(text, encoding="utf-8")
    finally:
        if jsonl:
            jsonl.close()
    marker.write_text(json.dumps(spec))
    return folder


def replicate_corpus(source: str, n: int, base: Path) -> Path:
    """A JSON Lines corpus of n articles cycling through the articles at ``source`` (read by kg's
    reader): copy k of an article keeps its text, title, language and publication date, and gets the
    id ``<id>-r<k>``, so that kg stores it as another article reporting the same events. Kept in
    ``base`` for the next run."""
    import hashlib

    from kg.io.readers import ReadError, iter_articles

    articles = [a for a in iter_articles([source]) if not isinstance(a, ReadError)]
    if not articles:
        raise SystemExit(f"--replicate: no articles in {source}")
    key = hashlib.sha1("\n".join(sorted(a.id for a in articles)).encode()).hexdigest()[:10]
    out = base / f"replicated-{key}-n{n}.jsonl"
    if out.exists():
        return out
    base.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8") as f:
        for i in range(n):
            a = articles[i % len(articles)]
            f.write(json.dumps({"id": f"{a.id}-r{i // len(articles)}", "text": a.text, "title": a.title,
                                "language": a.language,
                                "published": a.published.isoformat() if a.published else None},
                               ensure_ascii=False) + "\n")
    tmp.rename(out)
    return out


# ------------------------------------------------------------------------------- instrumentation
class Timers:
    """Wrap functions from the outside and add up the time spent in them (and the calls).
    The clock is this process's CPU time: figures do not depend on what else runs on the machine."""

    clock = staticmethod(time.process_time)

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._undo: list = []

    def wrap(self, owner, attr: str, stage: str) -> None:
        original = getattr(owner, attr)
        seconds, calls, clock = self.seconds, self.calls, self.clock

        def timed(*args, **kwargs):
            t0 = clock()
            try:
                return original(*args, **kwargs)
            finally:
                seconds[stage] += clock() - t0
                calls[stage] += 1

        self._set(owner, attr, timed, original)

    def wrap_generator(self, owner, attr: str, stage: str) -> None:
        """For generator functions: the time spent inside each next()."""
        original = getattr(owner, attr)
        seconds, calls, clock = self.seconds, self.calls, self.clock

        def timed(*args, **kwargs):
            it = iter(original(*args, **kwargs))
            while True:
                t0 = clock()
                try:
                    item = next(it)
                except StopIteration:
                    seconds[stage] += clock() - t0
                    return
                seconds[stage] += clock() - t0
                calls[stage] += 1
                yield item

        self._set(owner, attr, timed, original)

    def count(self, owner, attr: str, name: str) -> None:
        original = getattr(owner, attr)
        calls = self.calls

        def counted(*args, **kwargs):
            calls[name] += 1
            return original(*args, **kwargs)

        self._set(owner, attr, counted, original)

    def _set(self, owner, attr, new, original) -> None:
        setattr(owner, attr, new)
        self._undo.append((owner, attr, original))

    def undo(self) -> None:
        for owner, attr, original in reversed(self._undo):
            setattr(owner, attr, original)
        self._undo.clear()


def instrument(t: Timers) -> None:
    import spacy.language
    import kg.ingest
    import kg.parallel
    import kg.pipeline
    from kg.nlp import temporal
    from kg.nlp.entities import EntityFinder
    from kg.nlp.events import EventExtractor
    from kg.nlp.relations import RelationExtractor
    from kg.store.sqlite import SQLiteStore

    t.wrap_generator(kg.ingest, "iter_articles", "read")
    t.wrap(SQLiteStore, "article_extractor", "skip-check")
    t.wrap_generator(spacy.language.Language, "pipe", "nlp")
    t.wrap(EntityFinder, "find", "entities")
    t.wrap(RelationExtractor, "extract", "relations")
    t.wrap(EventExtractor, "extract", "events")
    t.wrap(temporal, "find_time_phrases", "time")
    t.wrap(temporal, "resolve", "time")
    t.wrap(kg.pipeline, "canonical_entities", "resolve")
    t.wrap(kg.pipeline.Extractor, "_extract_doc", "extract_doc")
    t.wrap(kg.parallel, "build_records", "build")
    t.wrap(SQLiteStore, "write", "store")


def watch_rebuilds(t: Timers) -> dict:
    """Count calls that build expensive things; after the warm-up every count should stay 0."""
    import re

    import spacy
    import kg.nlp.gazetteer as gazetteer
    import kg.nlp.language as language
    from kg.nlp import lexicon, temporal

    for owner, attr, name in ((gazetteer, "load_file", "gazetteer.load_file"),
                              (gazetteer.Gazetteer, "__init__", "Gazetteer()"),
                              (gazetteer.Gazetteer, "ruler_patterns", "Gazetteer.ruler_patterns"),
                              (gazetteer.Gazetteer, "surface_forms", "Gazetteer.surface_forms"),
                              (language, "_offline", "spaCy pipeline built"),
                              (spacy, "blank", "spacy.blank"), (spacy, "load", "spacy.load"),
                              (yaml, "safe_load", "yaml.safe_load"), (yaml, "load", "yaml.load"),
                              (re, "compile", "re.compile")):
        t.count(owner, attr, name)
    caches = {}
    for name, fn in (("get_pipeline", language.get_pipeline), ("load_gazetteer", gazetteer.load_gazetteer),
                     ("lexicon", lexicon.lexicon), ("temporal._grammar", getattr(temporal, "_grammar", None))):
        if fn is not None and hasattr(fn, "cache_info"):
            caches[name] = fn
    return {name: fn.cache_info().misses for name, fn in caches.items()} | {"__fns__": caches}


def cpu_s(who) -> float:
    u = resource.getrusage(who)
    return u.ru_utime + u.ru_stime


class Descendants:
    """Peak RSS and CPU time of this process's descendants (worker processes started through a
    forkserver are not our children, so getrusage(RUSAGE_CHILDREN) misses them): sampled by psutil."""

    def __init__(self, interval: float = 0.5):
        import threading
        self.peak_rss: dict[int, float] = {}
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def _run(self, interval: float) -> None:
        try:
            import psutil
        except ImportError:
            return
        me = psutil.Process()
        while not self._stop.is_set():
            for p in me.children(recursive=True):
                try:
                    with p.oneshot():
                        self.peak_rss[p.pid] = max(self.peak_rss.get(p.pid, 0), p.memory_info().rss / 2**20)
                        t = p.cpu_times()
                        self.cpu[p.pid] = t.user + t.system
                except psutil.Error:
                    pass
            self._stop.wait(interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KB on Linux


# --------------------------------------------------------------------------------------- one run
def bare_nlp_pipe(inputs: list[str], batch_size: int) -> tuple[float, dict[str, float], int]:
    """CPU seconds spent in nlp.pipe alone (the same pipelines and batches per language), the same
    split into the tokenizer and each pipeline component (a second pass), and the number of docs."""
    from kg.io.readers import ReadError, iter_articles
    from kg.pipeline import DEFAULT_LANGUAGE, Extractor

    extractor = Extractor()  # its pipelines (get_pipeline is cached per argument tuple: ask as it asks)
    total, docs = 0.0, 0
    parts: dict[str, float] = defaultdict(float)
    batch: list = []

    def run(batch) -> float:
        by_lang: dict[str, list[str]] = defaultdict(list)
        for a in batch:
            by_lang[a.language or DEFAULT_LANGUAGE].append(a.text)
        spent = 0.0
        for lang, texts in by_lang.items():
            nlp = extractor.pipeline(lang).nlp
            t0 = time.process_time()
            for _ in nlp.pipe(texts):
                pass
            spent += time.process_time() - t0
            t0 = time.process_time()
            ds = [nlp.make_doc(t) for t in texts]
            parts["tokenizer"] += time.process_time() - t0
            for name, proc in nlp.pipeline:
                t0 = time.process_time()
                ds = list(proc.pipe(ds)) if hasattr(proc, "pipe") else [proc(d) for d in ds]
                parts[name] += time.process_time() - t0
        return spent

    for a in iter_articles(inputs):
        if isinstance(a, ReadError):
            continue
        batch.append(a)
        docs += 1
        if len(batch) >= batch_size:
            total += run(batch)
            batch = []
    if batch:
        total += run(batch)
    return total, dict(parts), docs


WARM_UP = {"en": "Warm-up\n\nMarch 5, 2025\n\nOlaf Scholz met Emmanuel Macron in Paris on Monday. "
                 "He said the talks were good.\n",
           "de": "Aufwärmen\n\nStand: 05.03.2025 10:00 Uhr\n\nOlaf Scholz traf am Montag in Paris Emmanuel "
                 "Macron. Er sagte, die Gespräche seien gut gewesen.\n"}


def warm_up() -> None:
    """What every process does once: gazetteer, pipelines, lexicons, time grammars (one tiny article
    per language), so that the timed run shows only per-article costs."""
    from kg.io.readers import _build_article
    from kg.pipeline import Extractor

    ex = Extractor()
    for lang, text in WARM_UP.items():
        ex.extract(_build_article(text, source=f"warm-up-{lang}", published=None, language=lang))


def one_run(args, inputs: list[str]) -> dict:
    from kg.ingest import IngestReport, run_ingest
    from kg.store.sqlite import SQLiteStore

    result: dict = {"n": args.n[0], "workers": args.workers, "batch_size": args.batch_size,
                    "inputs": inputs, "cpus": os.cpu_count(), "load_before": os.getloadavg()[0]}
    serial = args.workers in (None, 1) and not args.dask
    words = {"n": 0, "articles": 0}

    import kg.ingest

    original_iter = kg.ingest.iter_articles

    def counting_iter(*a, **k):
        for item in original_iter(*a, **k):
            if hasattr(item, "text"):
                words["n"] += len(item.text.split())
                words["articles"] += 1
            yield item

    kg.ingest.iter_articles = counting_iter
    if serial:
        t0 = time.perf_counter()
        warm_up()
        result["startup_s"] = time.perf_counter() - t0
    result["rss_after_startup_mb"] = rss_mb()

    timers = Timers()
    misses_before = {}
    if serial:
        instrument(timers)
        misses_before = watch_rebuilds(timers)
    first = {}
    if not serial:
        import kg.ingest as ki
        original_stream = ki.extraction_stream

        def stamped(*a, **k):
            for item in original_stream(*a, **k):
                first.setdefault("t", time.perf_counter())
                yield item

        ki.extraction_stream = stamped

    db = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="kg-bench-db-")) / "kg.sqlite"
    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    report = IngestReport()
    collector = {"s": 0.0, "n": 0, "t": 0.0}

    def on_gc(phase, info):
        if phase == "start":
            collector["t"] = time.process_time()
        else:
            collector["s"] += time.process_time() - collector["t"]
            collector["n"] += 1

    gc.callbacks.append(on_gc)
    cpu0 = cpu_s(resource.RUSAGE_SELF), cpu_s(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with Descendants() as kids, SQLiteStore(db) as store:
        run_ingest(inputs, store, report, workers=args.workers, dask=args.dask, batch_size=args.batch_size,
                   force=True)
        wall = time.perf_counter() - t0
        result["store_stats"] = {k: v for k, v in store.stats().items() if isinstance(v, int)}
    timers.undo()
    gc.callbacks.remove(on_gc)
    result["gc_s"], result["gc_collections"] = collector["s"], collector["n"]
    kg.ingest.iter_articles = original_iter
    result["cpu_s"] = cpu_s(resource.RUSAGE_SELF) - cpu0[0]
    result["cpu_children_s"] = max(cpu_s(resource.RUSAGE_CHILDREN) - cpu0[1], sum(kids.cpu.values()))
    result["articles_per_cpu_s"] = report.articles_stored / max(result["cpu_s"] + result["cpu_children_s"], 1e-9)
    result["rss_peak_mb"] = rss_mb()
    result["rss_children_peak_mb"] = max([rss_mb(resource.RUSAGE_CHILDREN), *kids.peak_rss.values()])
    result.update(wall_s=wall, articles=report.articles_stored, failed=report.failed, words=words["n"],
                  articles_per_s=report.articles_stored / wall, words_per_s=words["n"] / wall,
                  edges=report.edges, events=report.events, db=str(db), db_mb=store_size(db))
    if first:
        steady = wall - (first["t"] - t0)
        result["first_result_s"] = first["t"] - t0
        result["steady_articles_per_s"] = report.articles_stored / max(steady, 1e-9)
    if serial:
        s = dict(timers.seconds)
        s["events"] = s.get("events", 0) - s.get("time", 0)  # events without its time resolution
        inner = sum(s.get(k, 0) for k in ("entities", "relations")) + timers.seconds.get("events", 0) \
            + s.get("resolve", 0)
        s["extract-other"] = s.pop("extract_doc", 0) - inner
        result["stages_s"] = {k: s.get(k, 0.0) for k in STAGES}
        result["unaccounted_s"] = result["cpu_s"] - sum(result["stages_s"].values())
        extraction = timers.seconds.get("nlp", 0) + timers.seconds.get("extract_doc", 0)
        result["extraction_s"] = extraction
        fns = misses_before.pop("__fns__")
        result["rebuilt_during_run"] = {
            **{f"{name} (cache misses)": fn.cache_info().misses - misses_before[name] for name, fn in fns.items()},
            **{k: v for k, v in timers.calls.items() if k not in STAGES and k not in ("extract_doc",)}}
        if not args.no_bare:
            bare, parts, docs = bare_nlp_pipe(inputs, args.batch_size)
            result["bare_nlp_pipe_s"] = bare
            result["bare_nlp_components_s"] = parts
            result["extraction_vs_bare"] = extraction / bare if bare else None
    if args.neo4j:
        result["neo4j"] = neo4j_run(args, inputs)
    if args.profile:
        result["profile"] = profile(inputs, args.profile, args.batch_size, args.profile_top)
    return result


def store_size(db: Path) -> float:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6


def neo4j_run(args, inputs: list[str]) -> dict:
    from kg.config import Neo4jSettings
    from kg.ingest import IngestReport, run_ingest
    from kg.store.neo4j import Neo4jStore

    settings = Neo4jSettings()
    if not settings.configured:
        return {"skipped": "KG_NEO4J_URI is not set"}
    t = Timers()
    t.wrap(Neo4jStore, "write", "neo4j-write")
    report = IngestReport()
    t0 = time.perf_counter()
    with Neo4jStore(settings) as store:
        run_ingest(inputs, store, report, workers=args.workers, batch_size=args.batch_size, force=True,
                   write_batch=args.write_batch)
    wall = time.perf_counter() - t0
    t.undo()
    write_s = t.seconds.get("neo4j-write", 0.0)
    return {"articles": report.articles_stored, "relationships": report.edges, "wall_s": wall,
            "write_s": write_s, "writes": t.calls.get("neo4j-write", 0),
            "relationships_per_s_write": report.edges / write_s if write_s else None,
            "articles_per_s": report.articles_stored / wall}


def profile(inputs: list[str], k: int, batch_size: int, top: int) -> str:
    """cProfile over the extraction of the first k articles (read outside the profile)."""
    import itertools

    from kg.io.readers import ReadError, iter_articles
    from kg.parallel import serial_stream
    from kg.pipeline import Extractor

    arts = [a for a in itertools.islice((a for a in iter_articles(inputs) if not isinstance(a, ReadError)), k)]
    ex = Extractor()
    prof = cProfile.Profile()
    prof.enable()
    for _ in serial_stream(arts, extractor=ex, batch_size=batch_size):
        pass
    prof.disable()
    out = io.StringIO()
    st = pstats.Stats(prof, stream=out)
    st.sort_stats("tottime")
    out.write(f"\n--- cProfile, {len(arts)} articles: top {top} functions by own time (tottime) ---\n")
    st.print_stats(top)
    out.write(f"\n--- kg's own functions by cumulative time ---\n")
    st.sort_stats("cumtime")
    st.print_stats(r"/kg/", top)
    return out.getvalue()


# ------------------------------------------------------------------------------------------- print
def show(r: dict) -> None:
    n = r["articles"]
    mode = "serial" if r.get("stages_s") else (f"Dask {r.get('dask')}" if r.get("dask") else f"{r['workers']} workers")
    print(f"\n== {n} articles, {r['words']} words ({r['words'] / max(n, 1):.0f}/article), {mode}, "
          f"{r['cpus']} CPUs, load average before {r['load_before']:.2f} ==")
    if "startup_s" in r:
        print(f"startup (gazetteer + pipelines, once per process): {r['startup_s']:.1f}s")
    print(f"end to end: {r['wall_s']:.1f}s  {r['articles_per_s']:.1f} articles/s  {r['words_per_s']:.0f} words/s"
          f"  ({r['articles_per_s'] / (r['workers'] or 1 if not r.get('stages_s') else 1):.1f} articles/s per "
          f"extraction process)")
    print(f"CPU time: {r['cpu_s']:.1f}s in this process + {r['cpu_children_s']:.1f}s in workers = "
          f"{r['articles_per_cpu_s']:.1f} articles per CPU-second (per core, independent of other load)")
    if "gc_s" in r:
        print(f"garbage collector (this process, start-up of the ingest included): {r['gc_s']:.2f}s in "
              f"{r['gc_collections']} collections")
    if "steady_articles_per_s" in r:
        print(f"first result after {r['first_result_s']:.1f}s (worker start-up); from then on "
              f"{r['steady_articles_per_s']:.1f} articles/s")
    print(f"peak RSS: this process {r['rss_peak_mb']:.0f} MB (after start-up {r['rss_after_startup_mb']:.0f} MB)"
          + (f", largest worker {r['rss_children_peak_mb']:.0f} MB" if r["rss_children_peak_mb"] > 1 else ""))
    print(f"store: {r['store_stats']}, {r['db_mb']:.1f} MB; failed {r['failed']}")
    events = (r.get("store_stats") or {}).get("events")
    if events is not None and r["words"]:
        print(f"density: {1000 * events / r['words']:.1f} events per 1,000 words "
              f"(real news measured: 21-36, docs/scale.md)")
    if r.get("stages_s"):
        cpu = r["cpu_s"]
        print("CPU time per stage:        total s   ms/article   share of CPU")
        for k, v in r["stages_s"].items():
            print(f"  {k:22s} {v:10.2f} {1000 * v / max(n, 1):12.2f} {100 * v / cpu:6.1f}%")
        print(f"  {'(rest: ingest loop)':22s} {r['unaccounted_s']:10.2f} {1000 * r['unaccounted_s'] / max(n, 1):12.2f} "
              f"{100 * r['unaccounted_s'] / cpu:6.1f}%")
        if "bare_nlp_pipe_s" in r:
            print(f"extraction (nlp + kg's stages) {r['extraction_s']:.1f} CPU-s vs bare nlp.pipe "
                  f"{r['bare_nlp_pipe_s']:.1f} CPU-s over the same texts: {r['extraction_vs_bare']:.2f}x")
            print("  bare nlp.pipe by component (ms/article): " + ", ".join(
                f"{k} {1000 * v / max(n, 1):.1f}" for k, v in r["bare_nlp_components_s"].items()))
        rebuilt = {k: v for k, v in r["rebuilt_during_run"].items() if v}
        print("built during the timed run (after a warm-up of one article per language; re.compile "
              "counts calls, most served from re's cache): " +
              (", ".join(f"{k}: {v} ({v / max(n, 1):.2f}/article)" for k, v in rebuilt.items()) if rebuilt
               else "nothing"))
    if r.get("neo4j"):
        print(f"neo4j: {r['neo4j']}")
    if r.get("profile"):
        print(r["profile"])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", default="1000", help="articles to generate; several (1000,2000) run one after another, "
                                                "each in a fresh process, and report linearity")
    ap.add_argument("--input", help="a folder, file or JSONL of articles instead of the generated corpus")
    ap.add_argument("--replicate", action="store_true",
                    help="with --input: cycle its articles into a corpus of --n articles (copies keep text and "
                         "dates, ids differ: every copy reports the same events, the worst case for merging)")
    ap.add_argument("--workers", type=int, default=None, help="kg ingest --workers (default: serial)")
    ap.add_argument("--dask", help="kg ingest --dask SCHEDULER|local")
    ap.add_argument("--db", help="the store to write (default: a fresh temporary file)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--words", type=int, default=700, help="words per generated article")
    ap.add_argument("--format", choices=("txt", "jsonl"), default="txt", help="generated corpus: files or one JSONL")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-day", type=float, default=PER_DAY,
                    help=f"generated articles published per day, in file order (default {PER_DAY:g}); 0: all "
                         f"on random days of the same {SPREAD_DAYS} (news per day grows with --n)")
    ap.add_argument("--background", type=float, default=BACKGROUND,
                    help=f"generated corpus: share of sentences that report no event (default {BACKGROUND:g}, "
                         f"about the event density of real news; 0: event sentences only, generator 3)")
    ap.add_argument("--corpus-dir", help="where to keep generated corpora (default $TMPDIR/kg-bench)")
    ap.add_argument("--profile", type=int, default=0, metavar="K", help="cProfile the extraction of K articles")
    ap.add_argument("--profile-top", type=int, default=30)
    ap.add_argument("--no-bare", action="store_true", help="skip the bare nlp.pipe comparison")
    ap.add_argument("--neo4j", action="store_true", help="also ingest into Neo4j (KG_NEO4J_URI) and time the writes")
    ap.add_argument("--write-batch", type=int, default=None, help="articles per Neo4j write")
    ap.add_argument("--json", help="write the results as JSON to this file")
    args = ap.parse_args(argv)
    args.n = [int(x) for x in str(args.n).split(",") if x.strip()]

    if len(args.n) > 1:
        return sizes(args, argv if argv is not None else sys.argv[1:])

    if args.input and args.replicate:
        base = Path(args.corpus_dir) if args.corpus_dir else Path(tempfile.gettempdir()) / "kg-bench"
        t0 = time.perf_counter()
        inputs = [str(replicate_corpus(args.input, args.n[0], base))]
        print(f"corpus: {inputs[0]} ({time.perf_counter() - t0:.1f}s to build or check)", file=sys.stderr)
    elif args.input:
        inputs = [args.input]
    else:
        base = Path(args.corpus_dir) if args.corpus_dir else Path(tempfile.gettempdir()) / "kg-bench"
        folder = base / corpus_name(args.n[0], seed=args.seed, words=args.words, fmt=args.format,
                                    per_day=args.per_day, background=args.background)
        t0 = time.perf_counter()
        generate_corpus(args.n[0], folder, seed=args.seed, words=args.words, fmt=args.format, per_day=args.per_day,
                        background=args.background)
        print(f"corpus: {folder} ({time.perf_counter() - t0:.1f}s to generate or check)", file=sys.stderr)
        inputs = [str(folder)]
    r = one_run(args, inputs)
    r["dask"] = args.dask
    show(r)
    if args.json:
        Path(args.json).write_text(json.dumps(r, indent=2, default=str))
    return 0


def sizes(args, argv: list[str]) -> int:
    """Each size in a fresh process (clean caches and peak RSS), then a linearity line."""
    rest = []
    skip = False
    for i, a in enumerate(argv):
        if skip:
            skip = False
            continue
        if a in ("--n", "--json"):
            skip = True
            continue
        if a.startswith(("--n=", "--json=")):
            continue
        rest.append(a)
    results = []
    for n in args.n:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
            out = f.name
        subprocess.run([sys.executable, __file__, "--n", str(n), "--json", out, *rest], check=True)
        results.append(json.loads(Path(out).read_text()))
        os.unlink(out)
    print("\n== linearity ==")
    base = results[0]
    for r in results:
        cpu, base_cpu = r["cpu_s"] + r["cpu_children_s"], base["cpu_s"] + base["cpu_children_s"]
        print(f"  n={r['articles']:6d}  {r['wall_s']:8.1f}s  {r['articles_per_s']:6.1f} articles/s  "
              f"peak RSS {r['rss_peak_mb']:.0f} MB  ratio to n={base['articles']}: wall time "
              f"{r['wall_s'] / base['wall_s']:.2f}, CPU time {cpu / max(base_cpu, 1e-9):.2f} "
              f"(size ratio {r['articles'] / max(base['articles'], 1):.1f})")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
