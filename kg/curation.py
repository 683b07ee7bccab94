"""User decisions about entities that survive re-ingest: aliases, merges, renames.

A decision is stored in the embedded store (table ``decisions``) and applied to every article's
records when they are written — at ingest, at re-ingest, and when a decision is added or withdrawn
(the store keeps each article's records as the extractor made them, ``article_records``, and
re-applies the decisions to the articles a decision concerns). ``kg push`` then copies the curated
graph to Neo4j and deletes the nodes of merged-away entities there.

- ``alias``  (``kg alias add "Selenski" --to "Volodymyr Zelensky"``): an entity the extractor outputs
  under that name (its canonical name, compared case-, accent- and punctuation-insensitively) or
  with that id is the target entity. The extracted name stays an alias of the target.
- ``merge``  (``kg merge A B``): entity B is entity A: B's id is rewritten to A's in every record
  (mentions, participants, relations, links, aliases); B's names become aliases of A. Merges chain
  (C into B into A); a merge that would make a cycle is refused. ``kg unmerge B`` withdraws it.
- ``rename`` (``kg rename ENTITY "New name"``): the entity's name is set to the new name on every
  write; the old name stays an alias.

Order of application: alias, then merges (followed to the end of the chain), then the rename of the
resulting id. Decisions are exported / imported as YAML (``kg curation export FILE`` / ``import``):

.. code-block:: yaml

    version: 1
    decisions:
    - {action: alias, alias: Selenski, entity: person:volodymyr-zelensky, entity_name: Volodymyr Zelensky,
       entity_type: PERSON}
    - {action: merge, into: person:friedrich-merz, merged: person:merz, into_name: Friedrich Merz,
       into_type: PERSON, merged_name: Merz}
    - {action: rename, entity: person:jurgen-kohler, name: Jürgen Köhler}

See docs/curation.md.
"""
from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kg.build import CANONICAL_KINDS, GraphRecords
from kg.ontology import entity_label, event_link

ACTIONS = ("alias", "merge", "rename")
YAML_VERSION = 1


class CurationError(ValueError):
    """A decision that cannot be taken (unknown entity, cycle, bad file); one line for the user."""


def fold(text: str) -> str:
    from kg.store.sqlite import fold as _fold
    return _fold(text)


@dataclass
class Decision:
    action: str                      # alias | merge | rename
    subject: str                     # alias: the name; merge: the merged-away id; rename: the entity id
    target: str | None = None        # alias / merge: the entity id it maps to
    name: str | None = None          # alias / merge: the target's name; rename: the new name
    type: str | None = None          # alias / merge: the target's type
    subject_name: str | None = None  # merge: the merged-away entity's name (for `kg unmerge NAME`)
    created: str | None = None

    @property
    def key(self) -> str:
        """One decision per key: a later decision with the same key replaces the earlier one."""
        return fold(self.subject) if self.action == "alias" else self.subject

    # ---------------------------------------------------------------- YAML form
    def to_yaml(self) -> dict:
        if self.action == "alias":
            out = {"action": "alias", "alias": self.subject, "entity": self.target, "entity_name": self.name,
                   "entity_type": self.type}
        elif self.action == "merge":
            out = {"action": "merge", "into": self.target, "merged": self.subject, "into_name": self.name,
                   "into_type": self.type, "merged_name": self.subject_name}
        else:
            out = {"action": "rename", "entity": self.subject, "name": self.name}
        if self.created:
            out["created"] = self.created
        return {k: v for k, v in out.items() if v is not None}

    @classmethod
    def from_yaml(cls, item, where: str = "") -> "Decision":
        if not isinstance(item, dict):
            raise CurationError(f"{where}: a decision must be a mapping, got {type(item).__name__}")
        action = item.get("action")

        def need(key):
            value = item.get(key)
            if not isinstance(value, str) or not value.strip():
                raise CurationError(f"{where}: a {action} decision needs '{key}' (a non-empty string)")
            return value.strip()

        def opt(key):
            value = item.get(key)
            return str(value) if value is not None else None

        if action == "alias":
            return cls("alias", need("alias"), need("entity"), opt("entity_name"), opt("entity_type"),
                       created=opt("created"))
        if action == "merge":
            return cls("merge", need("merged"), need("into"), opt("into_name"), opt("into_type"),
                       opt("merged_name"), created=opt("created"))
        if action == "rename":
            return cls("rename", need("entity"), name=need("name"), created=opt("created"))
        raise CurationError(f"{where}: unknown action {action!r} (one of {', '.join(ACTIONS)})")


@dataclass
class Curation:
    """The decisions in force, ready to be applied to records."""

    decisions: list[Decision] = field(default_factory=list)

    def __post_init__(self):
        self.aliases: dict[str, Decision] = {}
        self.merges: dict[str, Decision] = {}
        self.renames: dict[str, str] = {}
        for d in self.decisions:
            if d.action == "alias":
                self.aliases[fold(d.subject)] = d
                self.aliases.setdefault(d.subject, d)     # an entity id given as the alias
            elif d.action == "merge":
                self.merges[d.subject] = d
            elif d.action == "rename":
                self.renames[d.subject] = d.name

    def __bool__(self) -> bool:
        return bool(self.decisions)

    # ---------------------------------------------------------------- ids
    def resolve(self, entity_id: str) -> str:
        """The id an entity ends up with after the merge chain (cycle-safe)."""
        seen = {entity_id}
        while entity_id in self.merges:
            nxt = self.merges[entity_id].target
            if nxt in seen:
                break
            seen.add(nxt)
            entity_id = nxt
        return entity_id

    def map_entity(self, entity_id: str, name: str | None) -> tuple[str, Decision | None]:
        """The curated id of an extracted entity, and the decision that moved it (None: kept)."""
        decision = None
        alias = self.aliases.get(entity_id) or (self.aliases.get(fold(name)) if name else None)
        if alias is not None and alias.target != entity_id:
            decision, entity_id = alias, alias.target
        final = self.resolve(entity_id)
        if final != entity_id:
            decision = self._last_merge(entity_id) or decision
        return final, decision

    def _last_merge(self, entity_id: str) -> Decision | None:
        last, seen = None, {entity_id}
        while entity_id in self.merges:
            last = self.merges[entity_id]
            if last.target in seen:
                break
            seen.add(last.target)
            entity_id = last.target
        return last

    def cycle(self) -> Decision | None:
        """A merge decision that is part of a cycle (A into B into A), if any."""
        for start in self.merges:
            seen, cur = {start}, start
            while cur in self.merges:
                cur = self.merges[cur].target
                if cur == start:
                    return self.merges[start]
                if cur in seen:
                    break
                seen.add(cur)
        return None

    def sources(self, entity_id: str) -> set[str]:
        """``entity_id`` and every id merged into it (directly or through a chain)."""
        out, todo = {entity_id}, [entity_id]
        while todo:
            cur = todo.pop()
            for src, d in self.merges.items():
                if d.target == cur and src not in out:
                    out.add(src)
                    todo.append(src)
        return out

    def alias_names(self, entity_ids: Iterable[str]) -> set[str]:
        """Folded names of alias decisions that map to any of ``entity_ids``."""
        ids = set(entity_ids)
        return {fold(d.subject) for d in self.decisions if d.action == "alias" and d.target in ids}

    def retired(self) -> list[dict]:
        """Merged-away entities, ``{id, into}`` (``into`` after the whole chain)."""
        return [{"id": src, "into": self.resolve(src)} for src in sorted(self.merges)
                if self.resolve(src) != src]

    # ---------------------------------------------------------------- records
    def apply(self, records: GraphRecords) -> GraphRecords:
        """The records with every decision applied (a new object; ``records`` is left as it is)."""
        if not self:
            return records
        mapping: dict[str, str] = {}
        moved_by: dict[str, Decision] = {}
        for row in records.entities:
            final, decision = self.map_entity(row["id"], row.get("name"))
            mapping[row["id"]] = final
            if decision is not None:
                moved_by[row["id"]] = decision

        def m(entity_id):
            if entity_id in mapping:
                return mapping[entity_id]
            final, _ = self.map_entity(entity_id, None)
            return final

        out = GraphRecords(articles=[dict(r) for r in records.articles])
        for kind in CANONICAL_KINDS:
            setattr(out, kind, copy.deepcopy(getattr(records, kind)))
        # entities: one row per curated id; names of the rows merged into it become aliases
        groups: dict[str, list[dict]] = {}
        for row in records.entities:
            groups.setdefault(mapping[row["id"]], []).append(row)
        for final, rows in groups.items():
            own = next((r for r in rows if r["id"] == final), None)
            decision = next((moved_by[r["id"]] for r in rows if r["id"] in moved_by), None)
            name = self.renames.get(final) or (own or {}).get("name") or (decision.name if decision else None) \
                or rows[0].get("name")
            etype = (own or {}).get("type") or (decision.type if decision and decision.type else None) \
                or rows[0]["type"]
            names = set()
            for r in rows:
                names.add(r.get("name"))
                names.update(r.get("aliases") or [])
            names.discard(None)
            names.discard(name)
            # the Wikidata id is the entity's own: one merged into it does not bring its id along
            wikidata = own.get("wikidata") if own else None
            try:
                label = entity_label(etype)
            except KeyError:
                label = rows[0].get("label")
            out.entities.append({**(own or rows[0]), "id": final, "type": etype, "label": label, "name": name,
                                 "aliases": sorted(names), "wikidata": wikidata})
        # mentions: counts add up, the first evidence stays
        mentions: dict[tuple, dict] = {}
        for row in records.mentions:
            key = (row["article_id"], m(row["entity_id"]))
            names = set(row.get("aliases") or [])
            if key not in mentions:
                mentions[key] = {**row, "entity_id": key[1]}
                if "aliases" in row:
                    mentions[key]["aliases"] = sorted(names)
            else:
                kept = mentions[key]
                kept["count"] = (kept.get("count") or 0) + (row.get("count") or 0)
                if kept.get("evidence") is None and row.get("evidence") is not None:
                    kept.update(evidence=row["evidence"], start=row.get("start"), end=row.get("end"))
                if "aliases" in kept or "aliases" in row:
                    kept["aliases"] = sorted(set(kept.get("aliases") or []) | names)
        curated_names = {e["id"]: e["name"] for e in out.entities}
        for (aid, eid), row in mentions.items():
            if "aliases" in row and curated_names.get(eid):   # the curated name is one the article gives it
                row["aliases"] = sorted(set(row["aliases"]) | {curated_names[eid]})
        out.mentions = list(mentions.values())
        out.events = [dict(r) for r in records.events]
        out.reports = [copy.deepcopy(r) for r in records.reports]
        # participants: an entity that is an actor of an event is not also its target
        parts = [{**r, "entity_id": m(r["entity_id"])} for r in records.participants]
        actors = {(p["event_id"], p["entity_id"]) for p in parts if p["role"] == "ACTOR_IN"}
        seen = set()
        for p in parts:
            key = (p["event_id"], p["entity_id"], p["role"])
            if key in seen or (p["role"] == "TARGET_OF" and (p["event_id"], p["entity_id"]) in actors):
                continue
            seen.add(key)
            out.participants.append(p)
        seen = set()
        for r in records.relations:
            row = {**r, "source": m(r["source"]), "target": m(r["target"])}
            key = (row["source"], row["type"], row["target"], row.get("article_id"))
            if row["source"] == row["target"] or key in seen:
                continue
            seen.add(key)
            out.relations.append(row)
        seen = set()
        for link in records.links:
            row = {**link, "source": m(link["source"]), "target": m(link["target"])}
            if row["source"] == row["target"]:
                continue
            try:
                symmetric = event_link(row.get("event_type"))[1] if row.get("event_type") else False
            except KeyError:
                symmetric = False
            pair = tuple(sorted((row["source"], row["target"]))) if symmetric else (row["source"], row["target"])
            key = (pair, row["type"], row["event_id"])
            if key in seen:
                continue
            seen.add(key)
            out.links.append(row)
        return out


# -------------------------------------------------------------------------------- YAML files
def export_yaml(decisions: list[Decision], path: str | Path | None = None) -> str:
    doc = {"version": YAML_VERSION, "decisions": [d.to_yaml() for d in decisions]}
    text = ("# kg curation decisions: `kg curation import FILE` applies them to a store (see docs/curation.md)\n"
            + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000))
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def read_yaml(path: str | Path) -> list[Decision]:
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CurationError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CurationError(f"{path}: not a YAML file ({' '.join(str(exc).split())[:200]})") from None
    if doc is None:
        return []
    if not isinstance(doc, dict) or not isinstance(doc.get("decisions", []), list):
        raise CurationError(f"{path}: expected a mapping with a 'decisions' list")
    version = doc.get("version", YAML_VERSION)
    if version != YAML_VERSION:
        raise CurationError(f"{path}: unknown version {version!r} (this kg reads version {YAML_VERSION})")
    return [Decision.from_yaml(item, f"{path}: decision {i}") for i, item in enumerate(doc.get("decisions") or [], 1)]


def now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat()


__all__ = ["ACTIONS", "Curation", "CurationError", "Decision", "export_yaml", "read_yaml"]
