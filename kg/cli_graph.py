"""`kg export html|graphml|gexf|json|csv`, `kg central` and `kg path`: the graph commands.

Registered by kg.cli (``_register_extensions``) through :func:`register`. Like kg.cli, no logic of
its own: options are parsed here, the graph comes from :mod:`kg.graph`, files from :mod:`kg.export`.
Every error is one line on stderr and a non-zero exit code (2: a bad option value, 1: nothing to
show or not found).
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

FromOpt = typer.Option(None, "--from", help="Only events and links on or after this date (YYYY-MM-DD)")
ToOpt = typer.Option(None, "--to", help="Only events and links on or before this date (YYYY-MM-DD)")
DbOpt = typer.Option(None, "--db", help="Embedded store file (default: $KG_DB or ~/.local/share/kg/kg.sqlite)")
Neo4jOpt = typer.Option(False, "--neo4j", help="Read the graph from Neo4j (KG_NEO4J_URI) instead of the embedded store")
EntityOpt = typer.Option(None, "--entity", "-e", help="Only the neighbourhood of this entity (name or alias in any language, or id)")
DepthOpt = typer.Option(1, "--depth", help="With --entity: how many steps away (an event two entities share is one step)")
TypesOpt = typer.Option(None, "--types", help="Comma-separated entity, event and/or relationship types, e.g. PERSON,COUNTRY,CONSULT,MET")
MinSourcesOpt = typer.Option(1, "--min-sources", help="Only what at least N articles support")
MaxNodesOpt = typer.Option(None, "--max-nodes", help="Keep only the N most connected nodes (the rest is reported)")

VIEWS = ("all", "events", "entities")


def _cli():
    from kg import cli
    return cli


def _usage_error(message: str) -> None:
    _cli()._fail(message, 2)


def _check_options(date_from, date_to, types, min_sources, max_nodes, depth=None):
    from kg.graph import GraphError, parse_date, parse_types
    try:
        f, t = parse_date(date_from, "--from"), parse_date(date_to, "--to")
        if f and t and f > t:
            raise GraphError(f"--from {f} is after --to {t}")
        tf = parse_types(types)
    except GraphError as exc:
        _usage_error(str(exc))
    if min_sources is not None and min_sources < 1:
        _usage_error("--min-sources must be at least 1")
    if max_nodes is not None and max_nodes < 1:
        _usage_error("--max-nodes must be at least 1")
    if depth is not None and depth < 0:
        _usage_error("--depth must be 0 or more")
    return f, t, tf


def _load_graph(*, db, neo4j, entity, depth, date_from, date_to, types, min_sources, max_nodes, articles):
    """Build the graph the options ask for; exits with one line on any problem."""
    from kg.graph import GraphError, build_graph, ego, find_entity, limit_nodes, neo4j_records
    cli = _cli()
    f, t, tf = _check_options(date_from, date_to, types, min_sources, max_nodes, depth)
    filters = dict(date_from=f, date_to=t, types=tf, min_sources=min_sources, articles=articles)
    center = None
    if neo4j:
        from kg.store import StoreUnavailable
        n4 = cli._neo4j_store()
        try:
            G = build_graph(neo4j_records(n4, date_from=f, date_to=t), **filters)
        except StoreUnavailable as exc:
            cli._fail(str(exc), 2)
        finally:
            n4.close()
        source = f"Neo4j ({n4.settings.uri})"
        if entity:
            found = find_entity(G, entity)
            if not found:
                cli._fail(f"no entity called {entity!r} in the graph (try 'kg entities')")
            center = found[0]
    else:
        store = cli._open_store(db, readonly=True)
        try:
            if entity:
                found = store.find_entities(entity)
                if not found:
                    cli._fail(f"no entity called {entity!r} (try 'kg entities')")
                if len(found) > 1:
                    cli.err.print(f"{len(found)} entities match {entity!r}; using {found[0]['name']} "
                                  f"({found[0]['id']}). Others: "
                                  + "; ".join(f"{x['name']} ({x['id']})" for x in found[1:6]))
                center = found[0]["id"]
            G = build_graph(store.iter_records(), **filters)
        finally:
            store.close()
        source = str(store.path)
    if G.number_of_nodes() == 0:
        if f or t or tf or min_sources > 1:
            cli._fail(f"nothing in {source} matches these filters (dates, --types, --min-sources)")
        cli._fail(f"the graph in {source} is empty (run 'kg ingest' first)")
    try:
        if center is not None:
            if center not in G:
                cli._fail(f"{entity!r} is not in the graph with these filters")
            G = ego(G, center, depth)
        if max_nodes is not None:
            G = limit_nodes(G, max_nodes, keep=[center] if center else ())
    except GraphError as exc:
        cli._fail(str(exc))
    return G


def _summary(path: Path, G) -> None:
    cli = _cli()
    cli.out.print(f"wrote {path}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges")
    dropped = G.graph.get("dropped") or []
    if dropped:
        names = ", ".join(str(x.get("name") or x.get("id")) for x in dropped[:10])
        more = f", ... ({len(dropped) - 10} more)" if len(dropped) > 10 else ""
        cli.out.print(f"left out {len(dropped)} less connected node(s) (--max-nodes {G.graph.get('max_nodes')}): "
                      f"{names}{more}")


def _write(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except OSError as exc:
        _cli()._fail(f"cannot write {exc.filename or args[1]}: {exc.strerror or exc}")


# ------------------------------------------------------------------------------------- export
def export_html(
    out: Path = typer.Argument(..., help="The HTML file to write", dir_okay=False),
    db: Optional[Path] = DbOpt,
    neo4j: bool = Neo4jOpt,
    entity: Optional[str] = EntityOpt,
    depth: int = DepthOpt,
    date_from: Optional[str] = FromOpt,
    date_to: Optional[str] = ToOpt,
    types: Optional[str] = TypesOpt,
    min_sources: int = MinSourcesOpt,
    max_nodes: Optional[int] = MaxNodesOpt,
    title: Optional[str] = typer.Option(None, "--title", help="Page title (default: kg graph, with the entity)"),
    size: str = typer.Option("degree", "--size", help="Node size by 'degree' (connections) or 'articles' (supporting articles)"),
    view: str = typer.Option("all", "--view", help="all: entities, events and dated links; events: without the "
                             "derived links; entities: entities with links and relations only"),
    articles: bool = typer.Option(False, "--articles", help="Also show article nodes (MENTIONS, REPORTS)"),
):
    """An interactive graph page that works offline (one self-contained HTML file)."""
    from kg.export.html import export_html as write_html
    from kg.graph import entity_graph, events_graph
    if size not in ("degree", "articles"):
        _usage_error(f"--size: degree or articles, not {size!r}")
    if view not in VIEWS:
        _usage_error(f"--view: one of {', '.join(VIEWS)}, not {view!r}")
    _check_options(date_from, date_to, types, min_sources, max_nodes, depth)
    G = _load_graph(db=db, neo4j=neo4j, entity=entity, depth=depth, date_from=date_from, date_to=date_to,
                    types=types, min_sources=min_sources, max_nodes=None, articles=articles)
    if view == "entities":
        G = entity_graph(G)
    elif view == "events":
        G = events_graph(G)
    if max_nodes is not None:
        from kg.graph import limit_nodes
        G = limit_nodes(G, max_nodes, keep=[G.graph["center"]] if G.graph.get("center") else ())
    if G.number_of_nodes() == 0:
        _cli()._fail("nothing to show with these options")
    if title is None:
        title = "kg graph"
        if G.graph.get("center") in G:
            title += f": {G.nodes[G.graph['center']].get('name')}"
    path = _write(write_html, G, out, title=title, size_by=size)
    _summary(path, G)
    if G.number_of_nodes() > 1500 and not max_nodes:
        _cli().out.print(f"{G.number_of_nodes()} nodes make a slow page; --max-nodes 500 keeps the most connected, "
                         "--entity NAME --depth 2 a neighbourhood")


def _files_command(fmt: str):
    def command(
        out: Path = typer.Argument(..., help="The file to write" if fmt != "csv" else "The directory to write the CSV files into"),
        db: Optional[Path] = DbOpt,
        neo4j: bool = Neo4jOpt,
        entity: Optional[str] = EntityOpt,
        depth: int = DepthOpt,
        date_from: Optional[str] = FromOpt,
        date_to: Optional[str] = ToOpt,
        types: Optional[str] = TypesOpt,
        min_sources: int = MinSourcesOpt,
        max_nodes: Optional[int] = MaxNodesOpt,
        articles: bool = typer.Option(fmt == "csv", "--articles/--no-articles",
                                      help="Include article nodes with MENTIONS and REPORTS"),
    ):
        from kg.export import files
        G = _load_graph(db=db, neo4j=neo4j, entity=entity, depth=depth, date_from=date_from, date_to=date_to,
                        types=types, min_sources=min_sources, max_nodes=max_nodes, articles=articles)
        cli = _cli()
        if fmt == "csv":
            if out.exists() and not out.is_dir():
                _cli()._fail(f"{out} is a file; give a directory for the CSV files")
            counts = _write(files.export_csv, G, out)
            _summary(out, G)
            for name, n in counts.items():
                cli.out.print(f"  {name:22s} {n} row(s)")
            cli.out.print("import into an empty database (then run 'kg neo4j init' for constraints and indexes):")
            cli.out.print("  " + files.import_command(out))
            return
        writer = {"graphml": files.export_graphml, "gexf": files.export_gexf, "json": files.export_json}[fmt]
        path = _write(writer, G, out)
        _summary(path, G)

    command.__doc__ = {
        "graphml": "GraphML for Gephi, yEd, Cytoscape (list values joined with '; ').",
        "gexf": "GEXF for Gephi (list values joined with '; ').",
        "json": "node-link JSON (networkx node_link_data).",
        "csv": "CSV files for 'neo4j-admin database import' (nodes_*.csv, rels_*.csv).",
    }[fmt]
    return command


# ------------------------------------------------------------------------------------- analytics
def central(
    date_from: Optional[str] = FromOpt,
    date_to: Optional[str] = ToOpt,
    limit: int = typer.Option(20, "--limit", help="Show at most this many (0 = all)"),
    relations: bool = typer.Option(False, "--relations", help="Count static relations (LEADER_OF, ...) too"),
    db: Optional[Path] = DbOpt,
    as_json: bool = typer.Option(False, "--json"),
):
    """The most central actors in a date window: degree (distinct partners they met, demanded,
    attacked, ...) and betweenness, over dated links that are asserted or reported."""
    import json

    from rich.table import Table

    from kg.graph import build_graph, centrality
    cli = _cli()
    f, t, _tf = _check_options(date_from, date_to, None, 1, None)
    if limit < 0:
        _usage_error("--limit must be 0 or more")
    store = cli._open_store(db, readonly=True)
    try:
        G = build_graph(store.iter_records())
    finally:
        store.close()
    if G.number_of_nodes() == 0:
        cli._fail(f"the graph in {store.path} is empty (run 'kg ingest' first)")
    rows = centrality(G, f, t, relations=relations, limit=limit or None)
    if not rows:
        window = f" between {f or '...'} and {t or '...'}" if (f or t) else ""
        cli._fail(f"no dated interactions{window} (nothing to rank)")
    if as_json:
        print(json.dumps([{**r.entity, "degree": r.degree, "betweenness": r.betweenness} for r in rows],
                         indent=2, ensure_ascii=False))
        return
    table = Table("#", "name", "type", "degree", "betweenness", title="Most central"
                  + (f", {f or '...'} to {t or '...'}" if (f or t) else ""), title_justify="left")
    for i, r in enumerate(rows, 1):
        table.add_row(str(i), r.entity["name"] or r.entity["id"], r.entity["type"] or "", str(r.degree),
                      f"{r.betweenness:.3f}")
    cli.out.print(table)


def _describe(node: dict) -> str:
    from kg.graph import date_label
    if node.get("kind") == "event":
        date = date_label(node.get("date_start"), node.get("date_end"), node.get("date_precision"))
        mod = node.get("modality") or "asserted"
        return f"[{node.get('type')} {date}{'' if mod == 'asserted' else ', ' + mod}] {node.get('summary') or ''}".rstrip()
    return f"{node.get('name') or node.get('id')} ({node.get('type')})"


def _edge_text(e: dict) -> str:
    from kg.graph import date_label
    from kg.ontology import ontology
    symmetric = {s["link"] for s in ontology()["event_types"].values() if s.get("symmetric")}
    if e.get("kind") == "link" and e.get("type") in symmetric:
        arrow = f"-{e.get('type')}-"
    else:
        arrow = f"-{e.get('type')}->" if e.get("direction") == "->" else f"<-{e.get('type')}-"
    bits = []
    if e.get("kind") == "link":
        bits.append(date_label(e.get("date_start"), e.get("date_end"), e.get("date_precision")))
        bits.append(e.get("modality") or "asserted")
    if e.get("role"):
        bits.append(e["role"])
    return arrow + (f" ({', '.join(bits)})" if bits else "")


def path(
    a: str = typer.Argument(..., help="From this entity (name or alias in any language, or id)"),
    b: str = typer.Argument(..., help="To this entity"),
    db: Optional[Path] = DbOpt,
    as_json: bool = typer.Option(False, "--json"),
):
    """The shortest path between two entities, with the events on it."""
    import json

    from kg.graph import GraphError, build_graph, shortest_path
    cli = _cli()
    store = cli._open_store(db, readonly=True)
    try:
        ids = []
        for name in (a, b):
            found = store.find_entities(name)
            if not found:
                cli._fail(f"no entity called {name!r} (try 'kg entities')")
            ids.append(found[0]["id"])
        G = build_graph(store.iter_records())
    finally:
        store.close()
    if ids[0] == ids[1]:
        cli._fail(f"{a!r} and {b!r} are the same entity ({ids[0]})")
    try:
        p = shortest_path(G, ids[0], ids[1])
    except GraphError as exc:
        cli._fail(str(exc))
    if as_json:
        print(json.dumps({"hops": p.hops, "nodes": p.nodes,
                          "steps": [{"source": s.source["id"], "target": s.target["id"], "edges": s.edges}
                                    for s in p.steps],
                          "events": p.events}, indent=2, ensure_ascii=False, default=str))
        return
    out = cli.out
    out.print(f"{p.nodes[0].get('name')} → {p.nodes[-1].get('name')}: {p.hops} step(s)")
    out.print(f"  {_describe(p.steps[0].source)}")
    for step in p.steps:
        edges = step.edges
        shown = "  or  ".join(_edge_text(e) for e in edges[:3]) + (f"  (+{len(edges) - 3} more)" if len(edges) > 3 else "")
        out.print(f"    {shown}")
        out.print(f"  {_describe(step.target)}")
    if p.events:
        out.print("\nevents on the path")
        from kg.graph import date_label
        for ev in p.events:
            date = date_label(ev.get("date_start"), ev.get("date_end"), ev.get("date_precision"))
            out.print(f"  {date:18s} {ev.get('type'):9s} {ev.get('modality') or 'asserted':12s} {ev.get('summary') or ''}")
            for s in (ev.get("evidence") or [])[:1]:
                titles = [x for x in ev.get("article_titles") or [] if x]
                out.print(f"      “{s[:200]}”" + (f"  — {titles[0]}" if titles else ""))


# ------------------------------------------------------------------------------------- register
def register(app: typer.Typer) -> None:
    export_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                             help="Export the graph: interactive offline HTML, GraphML/GEXF (Gephi), "
                                  "node-link JSON, CSV for neo4j-admin import.")
    export_app.command("html")(export_html)
    for fmt in ("graphml", "gexf", "json", "csv"):
        export_app.command(fmt)(_files_command(fmt))
    app.add_typer(export_app, name="export")
    app.command("central")(central)
    app.command("path")(path)
