"""Helpers for the extraction tests (test_extraction_*.py, test_trained_pipeline.py).

Every sentence these tests feed to the extractor was written for them: the people and places are
real or invented, the events are invented. The helpers build an article the way a user's file is
read (title, dateline, body), run the shared :class:`kg.pipeline.Extractor` and look things up in
its output the way a user reads it: entities by canonical name, events by type, actors by name.

Every extraction made through :func:`extract` is also checked against the contract (see
:func:`check_contract`): evidence spans point into the article text, events and relations only
refer to entities of the output, and the JSON validates against schemas/extraction.schema.json.
"""
from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path

from kg.io.readers import read_text_article
from kg.model import Article, Entity, Event, Extraction, Relation

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schemas" / "extraction.schema.json"

# Publication date of most test articles: Wednesday 20 August 2025 (ISO week 2025-W34).
WED = dt.datetime(2025, 8, 20, 12, 0)
LAST_MONDAY = "2025-08-18"      # "am Montag" / "on Monday" told in the past tense
NEXT_MONDAY = "2025-08-25"      # ... told in the future tense
YESTERDAY = "2025-08-19"
LAST_WEEK = "2025-W33"
NEXT_WEEK = "2025-W35"

TITLES = {"de": "Lagebericht am Abend", "en": "Evening news roundup"}


def dateline(published: dt.datetime, lang: str) -> str:
    if lang == "de":
        return published.strftime("Stand: %d.%m.%Y %H:%M Uhr")
    return published.strftime("%b %d, %Y, %I:%M %p").replace(" 0", " ")


def article(body: str, lang: str = "de", published: dt.datetime | None = WED, title: str | None = None) -> Article:
    """An article read like a .txt file: "Title\\n\\nDateline\\n\\nBody"."""
    title = title or TITLES.get(lang, "News")
    head = f"{title}\n\n{dateline(published, lang)}\n\n" if published else f"{title}\n\n"
    return read_text_article(head + body, source="t", language=lang, published=published)


def extract(extractor, body: str, lang: str = "de", published: dt.datetime | None = WED,
            title: str | None = None) -> Extraction:
    x = extractor.extract(article(body, lang, published, title))
    check_contract(x)
    return x


# ------------------------------------------------------------------------------------ contract
@cache
def _validator():
    import jsonschema

    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def schema_errors(x: Extraction) -> list[str]:
    doc = json.loads(x.to_json())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(doc)]


def check_contract(x: Extraction) -> None:
    text = x.article.text
    known = {e.id for e in x.entities}
    assert len(known) == len(x.entities), f"duplicate entity ids: {[e.id for e in x.entities]}"
    spans = [(f"event {ev.type} {ev.trigger!r}", sp) for ev in x.events for sp in ev.evidence]
    spans += [(f"relation {r.type} {r.source}->{r.target}", sp) for r in x.relations for sp in r.evidence]
    for what, sp in spans:
        assert sp.text.strip(), f"{what}: empty evidence"
        assert 0 <= sp.start < sp.end <= len(text), f"{what}: evidence offsets {sp.start}:{sp.end} out of range"
        assert text[sp.start:sp.end].strip() == sp.text.strip(), (
            f"{what}: evidence {sp.text!r} is not article.text[{sp.start}:{sp.end}] = {text[sp.start:sp.end]!r}")
    for ev in x.events:
        assert ev.evidence, f"event {ev.type} {ev.trigger!r} has no evidence"
        assert ev.actors, f"event {ev.type} {ev.trigger!r} has no actor"
        for key in [*ev.actors, *ev.targets, *ev.locations, *([ev.location] if ev.location else [])]:
            assert key in known, f"event {ev.type} {ev.trigger!r} refers to {key}, which is no entity of the output"
        assert not set(ev.actors) & set(ev.targets), f"event {ev.type}: an actor is also a target"
    for r in x.relations:
        assert r.source in known and r.target in known, f"relation {r.type} {r.source}->{r.target}: unknown entity"
    assert schema_errors(x) == []


# ------------------------------------------------------------------------------------ look-ups
def describe(x: Extraction) -> str:
    """The extraction in a few lines, for assertion messages."""
    names = {e.id: e.name for e in x.entities}
    lines = [f"  entity {e.name!r} {e.type} {e.id} wikidata={e.wikidata} aliases={e.aliases[:5]}" for e in x.entities]
    for ev in x.events:
        t = f"{ev.time.value} ({ev.time.precision}, {ev.time.text!r})" if ev.time else None
        lines.append(f"  event {ev.type} {ev.modality} {ev.trigger!r} actors={[names.get(a, a) for a in ev.actors]} "
                     f"targets={[names.get(a, a) for a in ev.targets]} "
                     f"locations={[names.get(a, a) for a in ev.locations]} time={t}")
    for r in x.relations:
        lines.append(f"  relation {r.type} {names.get(r.source, r.source)} -> {names.get(r.target, r.target)}"
                     f" role={r.role}")
    return "\n".join(lines) or "  (nothing)"


def entity(x: Extraction, name: str) -> Entity:
    """The entity with this canonical name."""
    found = [e for e in x.entities if e.name == name]
    assert len(found) == 1, f"no (unique) entity named {name!r}:\n{describe(x)}"
    return found[0]


def names(x: Extraction) -> set[str]:
    return {e.name for e in x.entities}


def has_entity(x: Extraction, name: str, etype: str | None = None) -> bool:
    return any(e.name == name and (etype is None or e.type == etype) for e in x.entities)


def name_of(x: Extraction, key: str) -> str:
    return next((e.name for e in x.entities if e.id == key), key)


def actors(x: Extraction, ev: Event) -> set[str]:
    return {name_of(x, k) for k in ev.actors}


def targets(x: Extraction, ev: Event) -> set[str]:
    return {name_of(x, k) for k in ev.targets}


def places(x: Extraction, ev: Event) -> set[str]:
    return {name_of(x, k) for k in ev.locations}


def participants(x: Extraction, ev: Event) -> set[str]:
    return actors(x, ev) | targets(x, ev) | places(x, ev)


def events(x: Extraction, etype: str | None = None, modality: str | None = None) -> list[Event]:
    return [ev for ev in x.events if (etype is None or ev.type == etype) and (modality is None or ev.modality == modality)]


def the_event(x: Extraction, etype: str, modality: str | None = None, actor: str | None = None) -> Event:
    """The one event of this type (and modality, and with this actor name) in the extraction."""
    found = [ev for ev in events(x, etype, modality) if actor is None or actor in actors(x, ev)]
    assert len(found) == 1, (f"expected one {etype} event (modality={modality}, actor={actor}), "
                             f"found {len(found)}:\n{describe(x)}")
    return found[0]


def relation(x: Extraction, rtype: str, source: str, target: str) -> Relation:
    """The relation of this type between the entities with these canonical names."""
    found = [r for r in x.relations
             if r.type == rtype and name_of(x, r.source) == source and name_of(x, r.target) == target]
    assert len(found) == 1, f"expected one {rtype} {source} -> {target}:\n{describe(x)}"
    return found[0]


def has_relation(x: Extraction, rtype: str, source: str, target: str) -> bool:
    return any(r.type == rtype and name_of(x, r.source) == source and name_of(x, r.target) == target
               for r in x.relations)
