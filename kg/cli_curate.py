"""Curation and merged-event commands (registered by kg.cli._register_extensions):

    kg alias add "Selenski" --to "Volodymyr Zelensky"     kg alias remove "Selenski"     kg alias list
    kg merge A B          (B into A)                        kg unmerge B   (= kg split B)
    kg rename ENTITY "New name"
    kg curation list | remove ACTION SUBJECT | export FILE | import FILE
    kg events [--entity X] [--from D] [--to D] [--min-sources N]    merged events with their sources
    kg event EVENT_ID                                                one merged event: every source and sentence

Decisions live in the embedded store and are applied on every later ingest and push
(see kg/curation.py and docs/curation.md).
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Optional

import typer


def names(ev: dict, role: str) -> str:
    return ", ".join(p["name"] for p in ev["participants"] if p["role"] == role)


def when(ev: dict) -> str:
    """The chosen date of a merged event as one column."""
    if not ev["date_start"]:
        return "????-??-??"
    if ev["date_precision"] != "day":
        return f"{ev['date_value']} ({ev['date_start']}..{ev['date_end']})"
    return ev["date_start"]


def print_canonical_event(ev: dict, out) -> None:
    """A merged event (``SQLiteStore.canonical_event``) for people: date and why, every reading,
    participants, every source with its sentences, FULFILS links. ``out``: a rich Console."""
    out.print(f"{ev['id']}  {ev['type']}  {ev['modality']}  {ev['summary'] or ''}")
    out.print(f"date: {when(ev)}" + (f" ({ev['date_precision']}; {ev['chosen_reason']})" if ev["date_start"]
                                     else " (undated)"))
    for d in ev["dates"]:
        flag = "chosen" if d["chosen"] else ("agrees" if d["agrees"] else "CONFLICT")
        out.print(f"  reading {d['value']} ({d['precision']}) {flag} — {d['title'] or d['article_id']}"
                  + (f" “{d['date_text']}”" if d["date_text"] else ""))
    out.print(f"participants: actors {names(ev, 'ACTOR_IN') or '-'}; targets {names(ev, 'TARGET_OF') or '-'}; "
              f"places {names(ev, 'LOCATED_AT') or '-'}")
    out.print(f"{ev['source_count']} source(s), first reported {ev['first_reported'] or '?'}, "
              f"last {ev['last_reported'] or '?'}")
    for src in ev["sources"]:
        out.print(f"  {src['title'] or src['article_id']} ({src['published'] or 'undated'}, {src['language'] or '?'})"
                  + (f" {src['url']}" if src["url"] else ""))
        for sentence in src["evidence"]:
            out.print(f"      “{sentence}”")
    for pid in ev["fulfils"]:
        out.print(f"fulfils the planned event {pid}")
    for aid in ev["fulfilled_by"]:
        out.print(f"took place as {aid}")


def register(app: typer.Typer) -> None:
    from kg import cli as base

    out, err, DbOpt = base.out, base.err, base.DbOpt

    def open_store(db, readonly=False):
        return base._open_store(db, readonly=readonly)

    def fail(message: str, code: int = 1):
        base._fail(message, code)

    # ------------------------------------------------------------------ helpers
    def resolve(store, text: str, what: str) -> dict:
        """The entity a user means: an id, else a name or alias (exact, any language)."""
        from kg.store.sqlite import fold
        row = store.conn.execute("SELECT * FROM entities WHERE id = ?", (text,)).fetchone()
        if row is not None:
            return dict(row)
        candidates = store.find_entities(text)
        found = [f for f in candidates if fold(text) in {fold(a) for a in [f["name"], *store.aliases(f["id"])]}]
        if not found and len(candidates) == 1:      # a unique partial match ("Köhler")
            found = candidates
        if not found:
            fail(f"no entity called {text!r} for {what} (try 'kg entities', or give the id)")
        if len(found) > 1:
            named = [f for f in found if fold(f["name"]) == fold(text)]
            if len(named) == 1:
                return named[0]
            fail(f"{len(found)} entities are called {text!r}: "
                 + "; ".join(f"{f['name']} ({f['id']})" for f in found[:8]) + f" — give the id for {what}")
        return found[0]

    def changed(store, add=(), remove=()) -> int:
        from kg.curation import CurationError
        try:
            return store.change_decisions(list(add), list(remove))
        except CurationError as exc:
            fail(str(exc))

    # ------------------------------------------------------------------ alias
    alias_app = typer.Typer(no_args_is_help=True, help="Aliases: another name of an entity, applied on every ingest.")
    app.add_typer(alias_app, name="alias")

    @alias_app.command("add")
    def alias_add(alias: str = typer.Argument(..., help="The name (as the extractor outputs it)"),
                  to: str = typer.Option(..., "--to", help="The entity it names (name, alias or id)"),
                  db: Optional[Path] = DbOpt):
        """An extracted entity called ALIAS is the entity --to (now and on every later ingest)."""
        from kg.curation import Decision
        if not alias.strip():
            raise typer.BadParameter("an alias cannot be empty", param_hint="ALIAS")
        store = open_store(db)
        target = resolve(store, to, "--to")
        n = changed(store, add=[Decision("alias", alias.strip(), target["id"], target["name"], target["type"])])
        out.print(f"alias {alias.strip()!r} -> {target['name']} ({target['id']}); re-applied to {n} article(s)")

    @alias_app.command("remove")
    def alias_remove(alias: str = typer.Argument(...), db: Optional[Path] = DbOpt):
        """Withdraw an alias decision."""
        from kg.curation import Decision
        store = open_store(db)
        d = Decision("alias", alias)
        if not any(x.action == "alias" and x.key == d.key for x in store.decisions()):
            fail(f"no alias decision for {alias!r} (see 'kg alias list')")
        n = changed(store, remove=[d])
        out.print(f"alias {alias!r} removed; re-applied to {n} article(s)")

    @alias_app.command("list")
    def alias_list(db: Optional[Path] = DbOpt):
        """The alias decisions."""
        store = open_store(db, readonly=True)
        rows = [d for d in store.decisions() if d.action == "alias"]
        if not rows:
            out.print("no alias decisions")
        for d in rows:
            out.print(f"{d.subject} -> {d.name or ''} ({d.target})")

    # ------------------------------------------------------------------ merge / unmerge / rename
    @app.command("merge")
    def merge_cmd(keep: str = typer.Argument(..., metavar="A", help="The entity that stays (name, alias or id)"),
                  merged: str = typer.Argument(..., metavar="B", help="The entity merged into A"),
                  db: Optional[Path] = DbOpt):
        """Merge entity B into entity A: B's id becomes A's in every record, now and on every later ingest."""
        from kg.curation import Decision
        store = open_store(db)
        a = resolve(store, keep, "A")
        b = resolve(store, merged, "B")
        if a["id"] == b["id"]:
            fail(f"{keep!r} and {merged!r} are already one entity ({a['id']})")
        n = changed(store, add=[Decision("merge", b["id"], a["id"], a["name"], a["type"], b["name"])])
        out.print(f"merged {b['name']} ({b['id']}) into {a['name']} ({a['id']}); re-applied to {n} article(s)")

    def unmerge_impl(merged: str, db):
        from kg.store.sqlite import fold
        store = open_store(db)
        merges = [d for d in store.decisions() if d.action == "merge"]
        hits = [d for d in merges if d.subject == merged] or \
            [d for d in merges if d.subject_name and fold(d.subject_name) == fold(merged)] or \
            [d for d in merges if d.subject_name and fold(d.subject_name).split()[-1:] == fold(merged).split()]
        if not hits:
            fail(f"no merge of {merged!r} to undo (see 'kg curation list')")
        if len(hits) > 1:
            fail(f"{len(hits)} merged entities are called {merged!r}: "
                 + "; ".join(d.subject for d in hits) + " — give the id")
        d = hits[0]
        n = changed(store, remove=[d])
        out.print(f"unmerged {d.subject_name or d.subject} ({d.subject}) from {d.name or d.target} ({d.target}); "
                  f"re-applied to {n} article(s)")

    @app.command("unmerge")
    def unmerge_cmd(merged: str = typer.Argument(..., metavar="B", help="The merged-away entity (id or name)"),
                    db: Optional[Path] = DbOpt):
        """Undo `kg merge A B`: B is its own entity again."""
        unmerge_impl(merged, db)

    @app.command("split")
    def split_cmd(merged: str = typer.Argument(..., metavar="B", help="The merged-away entity (id or name)"),
                  db: Optional[Path] = DbOpt):
        """Same as `kg unmerge B`."""
        unmerge_impl(merged, db)

    @app.command("rename")
    def rename_cmd(entity: str = typer.Argument(..., help="Name, alias or id"),
                   name: str = typer.Argument(..., help="The new name"),
                   db: Optional[Path] = DbOpt):
        """Give an entity a new name (kept on every later ingest; the old name stays an alias)."""
        from kg.curation import Decision
        if not name.strip():
            raise typer.BadParameter("a name cannot be empty", param_hint="NAME")
        store = open_store(db)
        ent = resolve(store, entity, "ENTITY")
        n = changed(store, add=[Decision("rename", ent["id"], name=name.strip())])
        out.print(f"renamed {ent['name']} ({ent['id']}) to {name.strip()}; re-applied to {n} article(s)")

    # ------------------------------------------------------------------ curation files
    cur_app = typer.Typer(no_args_is_help=True, help="User decisions (aliases, merges, renames): list, export, import.")
    app.add_typer(cur_app, name="curation")

    @cur_app.command("list")
    def cur_list(db: Optional[Path] = DbOpt, as_json: bool = typer.Option(False, "--json")):
        """Every decision in force, oldest first."""
        store = open_store(db, readonly=True)
        rows = [d.to_yaml() for d in store.decisions()]
        if as_json:
            print(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if not rows:
            out.print("no decisions")
        for r in rows:
            if r["action"] == "alias":
                out.print(f"alias   {r['alias']!r} -> {r.get('entity_name', '')} ({r['entity']})")
            elif r["action"] == "merge":
                out.print(f"merge   {r.get('merged_name', '')} ({r['merged']}) into {r.get('into_name', '')} ({r['into']})")
            else:
                out.print(f"rename  {r['entity']} -> {r['name']!r}")

    @cur_app.command("remove")
    def cur_remove(action: str = typer.Argument(..., help="alias, merge or rename"),
                   subject: str = typer.Argument(..., help="alias: the name; merge: the merged-away id; "
                                                           "rename: the entity id"),
                   db: Optional[Path] = DbOpt):
        """Withdraw one decision (as listed by `kg curation list`)."""
        from kg.curation import ACTIONS, Decision
        if action not in ACTIONS:
            raise typer.BadParameter(f"one of {', '.join(ACTIONS)}", param_hint="ACTION")
        store = open_store(db)
        d = Decision(action, subject)
        if not any(x.action == action and x.key == d.key for x in store.decisions()):
            fail(f"no {action} decision for {subject!r} (see 'kg curation list')")
        n = changed(store, remove=[d])
        out.print(f"{action} decision for {subject!r} removed; re-applied to {n} article(s)")

    @cur_app.command("export")
    def cur_export(file: str = typer.Argument(..., help="YAML file to write, or - for standard output"),
                   db: Optional[Path] = DbOpt):
        """Write the decisions as YAML (to keep, review or apply to another store)."""
        from kg.curation import export_yaml
        store = open_store(db, readonly=True)
        decisions = store.decisions()
        if file == "-":
            print(export_yaml(decisions), end="")
            return
        try:
            export_yaml(decisions, file)
        except OSError as exc:
            fail(f"{file}: cannot write ({exc.strerror or exc})")
        out.print(f"{len(decisions)} decision(s) written to {file}")

    @cur_app.command("import")
    def cur_import(file: Path = typer.Argument(..., help="YAML file written by `kg curation export`"),
                   db: Optional[Path] = DbOpt):
        """Apply the decisions of a YAML file (each replaces a decision with the same subject)."""
        from kg.curation import CurationError, read_yaml
        try:
            decisions = read_yaml(file)
        except CurationError as exc:
            fail(str(exc))
        store = open_store(db)
        n = changed(store, add=decisions)
        out.print(f"{len(decisions)} decision(s) imported from {file}; re-applied to {n} article(s)")

    # ------------------------------------------------------------------ merged events
    def dates(value: Optional[str], hint: str) -> Optional[str]:
        if value:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise typer.BadParameter(f"not a date (YYYY-MM-DD): {value!r}", param_hint=hint)
        return value

    @app.command("events")
    def events_cmd(entity: Optional[str] = typer.Option(None, "--entity", "-e", help="Only events this entity takes part in"),
                   date_from: Optional[str] = typer.Option(None, "--from", help="YYYY-MM-DD"),
                   date_to: Optional[str] = typer.Option(None, "--to", help="YYYY-MM-DD"),
                   min_sources: int = typer.Option(1, "--min-sources", help="Only events reported by this many articles"),
                   db: Optional[Path] = DbOpt, as_json: bool = typer.Option(False, "--json")):
        """Merged events (one per real-world event across articles) in date order, with their sources."""
        dates(date_from, "--from")
        dates(date_to, "--to")
        from kg.cli import entity_id_of
        from kg.store.sqlite import StoreError
        store = open_store(db, readonly=True)
        entity_id = entity_id_of(store, entity)
        try:
            events = [e for e in store.timeline(entity_id=entity_id, date_from=date_from, date_to=date_to, merged=True)
                      if e["source_count"] >= min_sources]
        except StoreError as exc:
            fail(str(exc))
        if as_json:
            print(json.dumps(events, indent=2, ensure_ascii=False))
            return
        if not events:
            out.print("no events")
        for ev in events:
            line = f"  {when(ev)}  {ev['type']:9s} {ev['modality']:12s} {names(ev, 'ACTOR_IN')}"
            if names(ev, "TARGET_OF"):
                line += f" → {names(ev, 'TARGET_OF')}"
            if names(ev, "LOCATED_AT"):
                line += f" @ {names(ev, 'LOCATED_AT')}"
            out.print(line)
            extra = f"      {ev['source_count']} source(s)"
            if ev["date_start"]:
                extra += f"; date: {ev['chosen_reason']}"
            if ev["conflict"]:
                extra += "; conflicting dates: " + ", ".join(sorted({d["value"] for d in ev["dates"]}))
            if ev["fulfils"]:
                extra += "; fulfils " + ", ".join(ev["fulfils"])
            if ev["fulfilled_by"]:
                extra += "; took place as " + ", ".join(ev["fulfilled_by"])
            out.print(f"{extra}; id={ev['id']}")

    @app.command("event")
    def event_cmd(event_id: str = typer.Argument(..., help="A merged event id or any article's event id"),
                  db: Optional[Path] = DbOpt, as_json: bool = typer.Option(False, "--json")):
        """One merged event: its date and why, every date reading, every source with its sentences."""
        from kg.store.sqlite import StoreError
        store = open_store(db, readonly=True)
        try:
            ev = store.canonical_event(event_id)
        except StoreError as exc:
            fail(str(exc))
        if ev is None:
            fail(f"no event {event_id!r} (try 'kg events')")
        if as_json:
            print(json.dumps(ev, indent=2, ensure_ascii=False))
            return
        print_canonical_event(ev, out)
