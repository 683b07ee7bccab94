"""The `kg` command: parses options, calls the pipeline, a store, an exporter; no logic of its own."""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from kg import __version__
from kg.config import Neo4jSettings, default_db_path

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="kg: turn political news articles into a timestamped knowledge graph.")
neo4j_app = typer.Typer(no_args_is_help=True, help="Neo4j: schema and status.")
app.add_typer(neo4j_app, name="neo4j")

out = Console(highlight=False, soft_wrap=True, markup=False, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)

DbOpt = typer.Option(None, "--db", help="Embedded store file (default: $KG_DB or ~/.local/share/kg/kg.sqlite)")
GazOpt = typer.Option(None, "--gazetteer", help="Extra gazetteer YAML file(s) (format: kg/data/gazetteer/FORMAT.md)")
PubOpt = typer.Option(None, "--published", help="Publication date/time to use (ISO), overrides the dateline")
LangOpt = typer.Option(None, "--language", help="Language code (de, en, ...), overrides detection")


def _published(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"not an ISO date or date-time: {value!r}", param_hint="--published")


def _language(value: str | None) -> str | None:
    if value is None:
        return None
    v = value.strip().lower()
    if not (2 <= len(v) <= 3 and v.isalpha()):
        raise typer.BadParameter(f"expected a language code such as de or en, got {value!r}",
                                 param_hint="--language")
    return v


def _db(path: Path | None) -> Path:
    return Path(path).expanduser() if path else default_db_path()


def _fail(message: str, code: int = 1) -> None:
    err.print(f"error: {message}")
    raise typer.Exit(code)


def _open_store(path: Path | None, readonly: bool = False):
    from kg.store.sqlite import SQLiteStore, StoreError
    try:
        return SQLiteStore(_db(path), readonly=readonly)
    except StoreError as exc:
        _fail(str(exc))


# ---------------------------------------------------------------------------- extract
@app.command()
def extract(
    inputs: list[str] = typer.Argument(..., help="Files, directories, globs, or - for stdin"),
    format: str = typer.Option("json", "--format", "-f", help="json (the extraction contract) or table"),
    published: Optional[str] = PubOpt,
    language: Optional[str] = LangOpt,
    gazetteer: Optional[list[Path]] = GazOpt,
    with_text: bool = typer.Option(False, "--with-text", help="Include the cleaned article text in the JSON"),
):
    """Print what kg finds in articles: entities, events, relations (JSON contract or a table)."""
    from kg.io.readers import ReadError, iter_articles
    from kg.parallel import build_extractor

    if format not in ("json", "table"):
        raise typer.BadParameter("use json or table", param_hint="--format")
    extractor = build_extractor(tuple(gazetteer or ()))
    results, failed = [], 0
    articles = []
    for item in iter_articles(inputs, published=_published(published), language=_language(language)):
        if isinstance(item, ReadError):
            err.print(f"error: {item}")
            failed += 1
        else:
            articles.append(item)
    for ex in extractor.extract_many(articles):
        results.append(ex)
    if format == "json":
        docs = [json.loads(ex.to_json(with_text=with_text)) for ex in results]
        if len(docs) == 1 and len(inputs) == 1 and failed == 0:
            print(json.dumps(docs[0], indent=2, ensure_ascii=False))
        elif docs:
            print(json.dumps(docs, indent=2, ensure_ascii=False))
    else:
        for ex in results:
            _print_extraction(ex)
    raise typer.Exit(1 if failed else 0)


def _print_extraction(ex) -> None:
    a = ex.article
    out.print(f"{a.title or '(untitled)'}  ({a.language}, published {a.published or 'unknown'})")
    names = {e.id: e.name for e in ex.entities}
    t = Table("entity", "type", "mentions", "wikidata", title="Entities", title_justify="left")
    for e in ex.entities:
        t.add_row(e.name, e.type, str(e.mentions), e.wikidata or "")
    out.print(t)
    t = Table("date", "type", "modality", "actors", "targets", "where", "evidence", title="Events",
              title_justify="left")
    for ev in sorted(ex.events, key=lambda e: (e.time.value if e.time else "9999")):
        t.add_row(ev.time.value if ev.time else "", ev.type, ev.modality,
                  ", ".join(names.get(x, x) for x in ev.actors), ", ".join(names.get(x, x) for x in ev.targets),
                  ", ".join(names.get(x, x) for x in ev.locations),
                  (ev.evidence[0].text[:90] + "…") if ev.evidence else "")
    out.print(t)
    t = Table("source", "relation", "target", "role", title="Relations", title_justify="left")
    for r in ex.relations:
        t.add_row(names.get(r.source, r.source), r.type, names.get(r.target, r.target), r.role or "")
    out.print(t)


# ---------------------------------------------------------------------------- ingest
@app.command()
def ingest(
    inputs: list[str] = typer.Argument(..., help="Files, directories, globs, or - for stdin"),
    db: Optional[Path] = DbOpt,
    neo4j: bool = typer.Option(False, "--neo4j", help="Write to Neo4j (KG_NEO4J_URI) instead of the embedded store"),
    force: bool = typer.Option(False, "--force", help="Re-extract articles already stored"),
    published: Optional[str] = PubOpt,
    language: Optional[str] = LangOpt,
    gazetteer: Optional[list[Path]] = GazOpt,
    batch_size: int = typer.Option(16, "--batch-size", min=1,
                                   help="Articles per spaCy batch (and per chunk sent to a worker)"),
    workers: Optional[int] = typer.Option(None, "--workers", "-j", min=0,
                                          help="Extraction processes (default 1; 0 = one per CPU core; with --dask "
                                               "local: its worker processes, default one per core); the store is "
                                               "written by this process"),
    dask: Optional[str] = typer.Option(None, "--dask", metavar="SCHEDULER",
                                       help="Extract on a Dask cluster: a scheduler address (tcp://host:8786) or "
                                            "'local' (needs kg[dask]; see docs/scale.md)"),
    write_batch: Optional[int] = typer.Option(None, "--write-batch", min=1,
                                              help="Articles per Neo4j write (default 50); for the embedded store "
                                                   "see --commit-every"),
    commit_every: Optional[int] = typer.Option(None, "--commit-every", min=1,
                                               help="Embedded store: articles per transaction at most (default "
                                                    "1024, the first groups smaller, and at least every 30 s); each article is stored whole "
                                                    "or not at all, a crash loses at most the open transaction"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar"),
):
    """Read, extract and store articles. Re-ingesting an article changes nothing; after an
    extractor change its facts are replaced. An interrupted run, started again, skips the articles
    it already stored."""
    from kg.ingest import IngestReport, Terminated, run_ingest, terminate_like_interrupt
    from kg.parallel import ParallelError

    if dask and dask != "local" and workers is not None:
        raise typer.BadParameter("sets the number of local workers: use it with --dask local, a cluster "
                                 "has its own workers", param_hint="--workers")
    if write_batch and not neo4j:
        raise typer.BadParameter("is for Neo4j (--neo4j): the embedded store takes --commit-every",
                                 param_hint="--write-batch")
    if commit_every and neo4j:
        raise typer.BadParameter("is for the embedded store: Neo4j takes --write-batch", param_hint="--commit-every")
    sink = None
    if neo4j:
        sink = _neo4j_store()
    else:
        sink = _open_store(db)
    report = IngestReport()
    single_file = (len(inputs) == 1 and inputs[0] != "-" and not Path(inputs[0]).is_dir()
                   and not inputs[0].lower().endswith((".jsonl", ".ndjson")))
    try:
        with terminate_like_interrupt():
            run_ingest(inputs, sink, report, published=_published(published), language=_language(language),
                       gazetteer=tuple(str(g) for g in gazetteer or ()), force=force, batch_size=batch_size,
                       progress=not quiet and not single_file, on_error=lambda e: err.print(f"error: {e}"),
                       workers=workers, dask=dask, write_batch=write_batch, group_commit=commit_every)
    except KeyboardInterrupt as exc:
        stopped = "terminated" if isinstance(exc, Terminated) else "interrupted"
        err.print(f"{stopped}: {report.articles_stored} article(s) committed; articles still being processed "
                  "were not stored. Run the same command again to finish (stored articles are skipped).")
        raise typer.Exit(143 if isinstance(exc, Terminated) else 130)
    except ParallelError as exc:
        err.print(f"error: {exc}")
        err.print(f"{report.articles_stored} article(s) were stored before the error.")
        raise typer.Exit(2)
    except Exception as exc:  # a store that fails (e.g. Neo4j going away) ends the run with one line
        from kg.store import StoreUnavailable
        if isinstance(exc, StoreUnavailable):
            err.print(f"error: {exc}")
            err.print(f"{report.articles_stored} article(s) were stored before the error.")
            raise typer.Exit(2)
        raise
    finally:
        close = getattr(sink, "close", None)
        if close:
            close()
    out.print(report.summary(target="Neo4j" if neo4j else str(_db(db))))
    raise typer.Exit(1 if report.failed else 0)


def _neo4j_store():
    from kg.store import StoreUnavailable
    from kg.store.neo4j import Neo4jStore
    settings = Neo4jSettings()
    if not settings.configured:
        _fail("Neo4j is not configured: set KG_NEO4J_URI (e.g. bolt://localhost:7687), see docs/neo4j.md")
    try:
        store = Neo4jStore(settings)
        store.ping()
        return store
    except StoreUnavailable as exc:
        _fail(str(exc), 2)


# ---------------------------------------------------------------------------- read commands
@app.command()
def stats(db: Optional[Path] = DbOpt, as_json: bool = typer.Option(False, "--json")):
    """Counts of articles, entities, events and edges in the embedded store."""
    store = _open_store(db, readonly=True)
    s = store.stats()
    if as_json:
        print(json.dumps(s, indent=2))
        return
    out.print(f"store: {store.path}")
    for k in ("articles", "entities", "events", "merged_events", "relations", "links", "participants",
              "decisions"):
        if k in s:
            out.print(f"  {k:13s} {s[k]}")
    out.print("  entities by type: " + ", ".join(f"{k} {v}" for k, v in s["entities_by_type"].items()))
    out.print("  events by type:   " + ", ".join(f"{k} {v}" for k, v in s["events_by_type"].items()))


@app.command()
def entities(
    type: Optional[str] = typer.Option(None, "--type", "-t", help="PERSON, COUNTRY, ORGANIZATION or LOCATION"),
    as_json: bool = typer.Option(False, "--json"),
    limit: int = typer.Option(0, "--limit", help="Show at most this many (0 = all)"),
    db: Optional[Path] = DbOpt,
):
    """List entities, most often mentioned first."""
    from kg.model import ENTITY_TYPES
    if type and type.upper() not in ENTITY_TYPES:
        raise typer.BadParameter(f"one of {', '.join(ENTITY_TYPES)}", param_hint="--type")
    rows = _open_store(db, readonly=True).entities(type)
    if limit:
        rows = rows[:limit]
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    t = Table("name", "type", "articles", "mentions", "wikidata", "aliases")
    for r in rows:
        t.add_row(r["name"], r["type"], str(r["articles"]), str(r["mentions"]), r["wikidata"] or "",
                  ", ".join(a for a in r["aliases"][:6] if a != r["name"]))
    out.print(t)


@app.command()
def show(name: str = typer.Argument(..., help="Name or alias in any language, or an entity id"),
         db: Optional[Path] = DbOpt, as_json: bool = typer.Option(False, "--json")):
    """An entity with its relations, dated edges, events and the sentences behind them; or an
    event (by id) with every source and sentence."""
    store = _open_store(db, readonly=True)
    from kg.store.sqlite import StoreError
    try:
        event = store.canonical_event(name)
    except StoreError:
        event = None
    if event:
        if as_json:
            print(json.dumps(event, indent=2, ensure_ascii=False, default=str))
        else:
            from kg.cli_curate import print_canonical_event
            print_canonical_event(event, out)
        return
    found = store.find_entities(name)
    if not found:
        _fail(f"no entity called {name!r} (try 'kg entities')")
    if len(found) > 1 and not as_json:
        err.print(f"{len(found)} entities match {name!r}; showing the first. Others: "
                  + "; ".join(f"{f['name']} ({f['id']})" for f in found[1:6]))
    ent = store.entity(found[0]["id"])
    if as_json:
        print(json.dumps(ent, indent=2, ensure_ascii=False, default=str))
        return
    out.print(f"{ent['name']}  {ent['type']}  id={ent['id']}"
              + (f"  wikidata={ent['wikidata']}" if ent["wikidata"] else ""))
    out.print("aliases: " + ", ".join(ent["aliases"]))
    if ent["relations"]:
        out.print("\nrelations")
        for r in ent["relations"]:
            out.print(f"  {r['source_name']} {r['type']} {r['target_name']}"
                      + (f" ({r['role']})" if r["role"] else "")
                      + (f"\n      “{r['evidence']}”" if r["evidence"] else ""))
    if ent["events"]:
        out.print("\nevents")
        for ev in ent["events"]:
            _print_event(ev)
    out.print(f"\nin {len(ent['articles'])} article(s): " + "; ".join(a["title"] or a["id"] for a in ent["articles"]))


def entity_id_of(store, name: str | None) -> str | None:
    """The id of the entity a user named (any alias, any language); one error line if none."""
    if not name:
        return None
    found = store.find_entities(name)
    if not found:
        _fail(f"no entity called {name!r}")
    return found[0]["id"]


def _print_event(ev: dict) -> None:
    date = ev["date_start"] or "????-??-??"
    if ev["date_precision"] and ev["date_precision"] != "day":
        date = f"{ev['date_start']}..{ev['date_end']} ({ev['date_precision']})"
    who = ", ".join(f"{p['name']}" for p in ev["participants"] if p["role"] == "ACTOR_IN")
    whom = ", ".join(f"{p['name']}" for p in ev["participants"] if p["role"] == "TARGET_OF")
    where = ", ".join(f"{p['name']}" for p in ev["participants"] if p["role"] == "LOCATED_AT")
    line = f"  {date}  {ev['type']:9s} {ev['modality']:12s} {who}"
    if whom:
        line += f" → {whom}"
    if where:
        line += f" @ {where}"
    if ev.get("source_count"):
        line += f"  [{ev['source_count']} source{'s' if ev['source_count'] != 1 else ''}]"
    out.print(line)
    for s in ev.get("evidence", [])[:2]:
        out.print(f"      “{s[:160]}”  — {ev.get('article_title') or ''}")


@app.command()
def timeline(
    entity: Optional[str] = typer.Option(None, "--entity", "-e", help="Only events this entity takes part in"),
    date_from: Optional[str] = typer.Option(None, "--from", help="YYYY-MM-DD"),
    date_to: Optional[str] = typer.Option(None, "--to", help="YYYY-MM-DD"),
    db: Optional[Path] = DbOpt,
    as_json: bool = typer.Option(False, "--json"),
    per_article: bool = typer.Option(False, "--per-article",
                                     help="One line per article's report instead of merged events"),
):
    """Events in date order (undated ones last); the same event reported by several articles is
    shown once with its number of sources (--per-article: every report)."""
    for v, hint in ((date_from, "--from"), (date_to, "--to")):
        if v:
            try:
                dt.date.fromisoformat(v)
            except ValueError:
                raise typer.BadParameter(f"not a date (YYYY-MM-DD): {v!r}", param_hint=hint)
    store = _open_store(db, readonly=True)
    entity_id = entity_id_of(store, entity)
    events = store.timeline(entity_id=entity_id, date_from=date_from, date_to=date_to, merged=not per_article)
    if as_json:
        print(json.dumps(events, indent=2, ensure_ascii=False))
        return
    if not events:
        out.print("no events")
    for ev in events:
        _print_event(ev)


@app.command()
def doctor(db: Optional[Path] = DbOpt):
    """Check the installation: spaCy pipelines per language, store, Neo4j."""
    import spacy
    from kg.nlp.gazetteer import load_gazetteer
    from kg.nlp.language import installed_models
    out.print(f"kg {__version__}, spaCy {spacy.__version__}, Python {sys.version.split()[0]}")
    from kg.config import offline_only
    for lang, name in installed_models().items():
        if name and offline_only():
            out.print(f"  {lang}: built-in offline pipeline (KG_OFFLINE_PIPELINE is set; {name} is installed)")
        elif name:
            out.print(f"  {lang}: trained pipeline {name} (NER + parser)")
        else:
            out.print(f"  {lang}: built-in offline pipeline (gazetteer + rules); for better results: "
                      f"python -m spacy download {__import__('kg.config', fromlist=['x']).pipeline_models()[lang]}")
    gaz = load_gazetteer()
    by_type: dict[str, int] = {}
    for e in gaz.entries.values():
        by_type[e.type] = by_type.get(e.type, 0) + 1
    out.print("  gazetteer: " + ", ".join(f"{v} {k.lower()}" for k, v in sorted(by_type.items())))
    path = _db(db)
    if path.exists():
        from kg.store.sqlite import SQLiteStore, StoreError
        try:
            with SQLiteStore(path, readonly=True) as store:
                s = store.stats()
                out.print(f"  store: {path} ({store.size_bytes() / 1e6:.1f} MB, {s['articles']} articles, "
                          f"{s['entities']} entities, {s['events']} events)")
        except (StoreError, Exception) as exc:  # a damaged or foreign file: report, don't crash
            out.print(f"  store: {path} cannot be read: {exc}")
    else:
        out.print(f"  store: {path} (not created yet)")
    settings = Neo4jSettings()
    if not settings.configured:
        out.print("  neo4j: not configured (set KG_NEO4J_URI to use it)")
    else:
        from kg.store import StoreUnavailable
        from kg.store.neo4j import Neo4jStore
        try:
            with Neo4jStore(settings) as n4:
                n4.ping()
            out.print(f"  neo4j: {settings.uri} reachable")
        except StoreUnavailable as exc:
            out.print(f"  neo4j: {exc}")


# ---------------------------------------------------------------------------- neo4j
@neo4j_app.command("init")
def neo4j_init():
    """Create constraints and indexes (cypher/schema.cypher) in Neo4j."""
    from kg.store import StoreUnavailable
    store = _neo4j_store()
    try:
        store.init_schema()
        out.print(f"schema applied to {store.settings.uri}")
    except StoreUnavailable as exc:
        _fail(str(exc), 2)
    finally:
        store.close()


@app.command()
def push(db: Optional[Path] = DbOpt):
    """Copy the embedded store into Neo4j (idempotent)."""
    from kg.store import StoreUnavailable
    store = _open_store(db, readonly=True)
    n4 = _neo4j_store()
    total = store.stats()["articles"]
    try:
        result = n4.push(store.iter_records())
    except StoreUnavailable as exc:
        _fail(str(exc), 2)
    finally:
        n4.close()
    out.print(f"pushed {total} article(s) to {n4.settings.uri}: {result.entities_new} new entities, "
              f"{result.events} events, {result.edges} edges")


@app.command()
def query(
    cypher: str = typer.Argument(..., help="A file in cypher/queries (name or path) or Cypher text"),
    param: Optional[list[str]] = typer.Option(None, "--param", "-p", help="k=v (repeatable)"),
    as_json: bool = typer.Option(False, "--json"),
):
    """Run a read-only Cypher query against Neo4j and print a table or JSON."""
    from kg.store import StoreUnavailable
    from kg.store.neo4j import load_query
    try:
        text, params = load_query(cypher)
    except (FileNotFoundError, ValueError) as exc:
        raise typer.BadParameter(str(exc), param_hint="CYPHER")
    for p in param or []:
        k, sep, v = p.partition("=")
        if not sep:
            raise typer.BadParameter(f"expected k=v, got {p!r}", param_hint="--param")
        try:
            params[k] = json.loads(v)
        except json.JSONDecodeError:
            params[k] = v
    n4 = _neo4j_store()
    try:
        rows = n4.query(text, params)
    except StoreUnavailable as exc:
        _fail(str(exc), 2)
    finally:
        n4.close()
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    if not rows:
        out.print("(no rows)")
        return
    t = Table(*rows[0].keys())
    for r in rows:
        t.add_row(*(json.dumps(v, ensure_ascii=False, default=str) if not isinstance(v, str) else v
                    for v in r.values()))
    out.print(t)


def _register_extensions() -> None:
    """Command groups that live in their own modules (graph exports and analytics, curation)."""
    import importlib
    for name in ("kg.cli_graph", "kg.cli_curate"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(app)


_register_extensions()


@app.callback(invoke_without_command=True)
def main(version: bool = typer.Option(False, "--version", help="Print the version")):
    if version:
        print(f"kg {__version__}")
        raise typer.Exit(0)


if __name__ == "__main__":
    app()
