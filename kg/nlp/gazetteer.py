"""The gazetteer: YAML files in kg/data/gazetteer (format: FORMAT.md there), loaded once.

It yields
- :class:`GazEntry` records (id, type, name, aliases, wikidata, roles, part_of, ...),
- phrase patterns in spaCy's EntityRuler format for the ``kg_gazetteer`` pipe (label = entity type,
  id = gazetteer id; short forms of people get the label ``PERSON_SHORT`` so the entity stage can
  check they are unambiguous),
- adjective/demonym patterns (label ``NORP``) that stand for a country ("russischen", "Danes").
"""
from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

FILES = {
    "countries.yaml": "COUNTRY",
    "organizations.yaml": "ORGANIZATION",
    "locations.yaml": "LOCATION",
    "people_leaders.yaml": "PERSON",
    "people_officials.yaml": "PERSON",
}
GERMAN_ADJ_ENDINGS = ("", "e", "en", "er", "es", "em")


@dataclass
class Role:
    title: str
    org: str | None
    relation: str = "HOLDS_ROLE"
    start: int | None = None
    end: int | None = None

    def active(self, year: int | None) -> bool:
        if year is None:
            return self.end is None
        return (self.start or 0) <= year <= (self.end or 9999)


@dataclass
class GazEntry:
    id: str
    type: str
    name: str
    wikidata: str | None = None
    aliases: list[str] = field(default_factory=list)
    short: list[str] = field(default_factory=list)
    adjectives: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    kind: str | None = None
    country: str | None = None
    part_of: str | None = None
    capital_of: str | None = None
    alt_type: str | None = None
    gender: str | None = None
    roles: list[Role] = field(default_factory=list)

    def all_names(self) -> list[str]:
        return list(dict.fromkeys([self.name, *self.aliases, *self.short]))


class Gazetteer:
    def __init__(self, entries: list[GazEntry]):
        self.entries: dict[str, GazEntry] = {}
        for e in entries:
            self.add(e)
        self._index()

    def add(self, entry: GazEntry) -> None:
        old = self.entries.get(entry.id)
        if old is None:
            self.entries[entry.id] = entry
            return
        # a user entry with a known id extends the built-in one
        for attr in ("aliases", "short", "adjectives", "demonyms"):
            merged = list(dict.fromkeys([*getattr(old, attr), *getattr(entry, attr)]))
            setattr(old, attr, merged)
        for attr in ("name", "wikidata", "kind", "country", "part_of", "capital_of", "alt_type", "gender"):
            if getattr(entry, attr):
                setattr(old, attr, getattr(entry, attr))
        if entry.roles:
            old.roles = [*old.roles, *entry.roles]

    def _index(self) -> None:
        self._forms: dict[str, dict] = {}
        self.by_short: dict[str, list[str]] = defaultdict(list)
        for e in self.entries.values():
            for s in e.short:
                self.by_short[s].append(e.id)

    def get(self, entry_id: str | None) -> GazEntry | None:
        return self.entries.get(entry_id) if entry_id else None

    def __len__(self) -> int:
        return len(self.entries)

    # ------------------------------------------------------------------ patterns
    def surface_forms(self, lang: str) -> dict[str, list[tuple[str, str]]]:
        """Every surface form -> [(entry id, kind)], kind in name|short|norp.

        German genitives (Dänemarks, Trumps) and adjective inflections (russischen) are generated.
        """
        forms: dict[str, list[tuple[str, str]]] = defaultdict(list)
        generated: dict[str, list[tuple[str, str]]] = defaultdict(list)

        def add(text: str, eid: str, kind: str, table=forms) -> None:
            text = " ".join(str(text).split())
            if text and (eid, kind) not in table[text]:
                table[text].append((eid, kind))

        genitive = lang == "de"
        for e in self.entries.values():
            for n in [e.name, *e.aliases]:
                kind = "short" if e.type == "PERSON" and " " not in n and n in e.short else "name"
                add(n, e.id, kind)
                if genitive and e.type != "ORGANIZATION" and n[-1:] not in "sxzß" and n[-1:].isalpha():
                    add(n + "s", e.id, kind, generated)
            for s in e.short:
                add(s, e.id, "short")
                if genitive and s[-1:] not in "sxzß" and s[-1:].isalpha():
                    add(s + "s", e.id, "short", generated)
            for adj in e.adjectives:
                if adj[:1].islower():  # German base form: generate inflections, both cases (sentence start)
                    for end in GERMAN_ADJ_ENDINGS:
                        add(adj + end, e.id, "norp", generated)
                        add((adj + end)[:1].upper() + (adj + end)[1:], e.id, "norp", generated)
                else:
                    add(adj, e.id, "norp")
            for dem in e.demonyms:
                add(dem, e.id, "norp")
        # a generated form (genitive, inflection) never competes with a form written out in full:
        # "Hamas" is the organisation, not the genitive of the Syrian city Hama
        for text, cands in generated.items():
            if text not in forms:
                forms[text] = cands
        return dict(forms)

    def ruler_patterns(self, lang: str) -> list[dict]:
        """Phrase patterns (spaCy's EntityRuler format) for the ``kg_gazetteer`` pipe: label = entity
        type (NORP for adjectives and demonyms), id = the surface form, which :meth:`candidates`
        turns into gazetteer entries."""
        pats = []
        for text, cands in self.surface_forms(lang).items():
            kinds = {k for _, k in cands}
            if kinds == {"norp"}:
                label = "NORP"
            else:
                label = self.entries[next(eid for eid, k in cands if k != "norp")].type
            pats.append({"label": label, "pattern": text, "id": text})
        return pats

    def candidates(self, form: str, lang: str) -> list[tuple["GazEntry", str]]:
        table = self._forms.get(lang)
        if table is None:
            table = self._forms[lang] = self.surface_forms(lang)
        return [(self.entries[eid], kind) for eid, kind in table.get(form, [])]


def _entry(raw: dict, etype: str, source: str) -> GazEntry:
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("name"):
        raise ValueError(f"{source}: every gazetteer entry needs 'id' and 'name' (got {raw!r:.80})")
    roles = [Role(title=r.get("title", ""), org=r.get("org"), relation=r.get("relation", "HOLDS_ROLE"),
                  start=r.get("start"), end=r.get("end")) for r in raw.get("roles") or []]
    etype = raw.get("type") or etype
    return GazEntry(
        id=str(raw["id"]), type=etype, name=str(raw["name"]), wikidata=raw.get("wikidata") or None,
        aliases=[str(a) for a in raw.get("aliases") or []], short=[str(a) for a in raw.get("short") or []],
        adjectives=[str(a) for a in raw.get("adjectives") or []],
        demonyms=[str(a) for a in raw.get("demonyms") or []], kind=raw.get("kind"),
        country=raw.get("country"), part_of=raw.get("part_of"), capital_of=raw.get("capital_of"),
        alt_type=raw.get("alt_type"), gender=raw.get("gender"), roles=roles,
    )


def _type_from_id(entry_id: str) -> str | None:
    prefix = entry_id.split(":", 1)[0]
    return {"country": "COUNTRY", "org": "ORGANIZATION", "location": "LOCATION", "person": "PERSON"}.get(prefix)


# libyaml's parser when PyYAML has it (same documents, about 7x faster: ~1.3 s less start-up per process)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_file(path: Path | str, default_type: str | None = None) -> list[GazEntry]:
    path = Path(path)
    with open(path, encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_YAML_LOADER) or []
    if not isinstance(data, list):
        raise ValueError(f"{path}: a gazetteer file is a YAML list of entries (see FORMAT.md)")
    out = []
    for raw in data:
        etype = default_type or (raw.get("type") if isinstance(raw, dict) else None) or \
            _type_from_id(str(raw.get("id", "")) if isinstance(raw, dict) else "")
        if etype not in ("PERSON", "COUNTRY", "ORGANIZATION", "LOCATION"):
            raise ValueError(f"{path}: entry {raw.get('id')!r} needs a 'type' (PERSON, COUNTRY, ORGANIZATION, "
                             "LOCATION) or an id prefix person:/country:/org:/location:")
        out.append(_entry(raw, etype, str(path)))
    return out


def builtin_entries() -> list[GazEntry]:
    folder = resources.files("kg.data").joinpath("gazetteer")
    entries: list[GazEntry] = []
    for name, etype in FILES.items():
        res = folder.joinpath(name)
        if res.is_file():
            with resources.as_file(res) as p:
                entries.extend(load_file(p, etype))
    return entries


@cache
def load_gazetteer(extra: tuple[str, ...] = ()) -> Gazetteer:
    """The built-in gazetteer plus user files (``--gazetteer FILE`` or $KG_GAZETTEER, ':'-separated)."""
    entries = builtin_entries()
    env = tuple(p for p in os.environ.get("KG_GAZETTEER", "").split(os.pathsep) if p)
    for path in (*env, *extra):
        entries.extend(load_file(path))
    return Gazetteer(entries)
