"""Canonical entities within an article: gazetteer id (with Wikidata id where known), else the
entity type plus the normalised full name. Decides which mentions become entities in the output:
everything mentioned by name, plus countries named only by an adjective or demonym when they take
part in an event or relation ("russischer Raketenangriff" -> Russia is the actor)."""
from __future__ import annotations

from kg.model import Entity
from kg.nlp.entities import ArticleEntities

MAX_ALIASES = 40


def canonical_entities(ae: ArticleEntities, used: set[str]) -> list[Entity]:
    counts: dict[str, int] = {}
    literal: dict[str, int] = {}
    metonym_forms: dict[str, list[str]] = {}
    for m in ae.mentions:
        counts[m.key] = counts.get(m.key, 0) + 1
        if m.start in ae.metonyms:
            country = ae.entities[m.key].entry.capital_of
            metonym_forms.setdefault(country, []).append(m.text)
            counts[country] = counts.get(country, 0) + 1
        else:
            literal[m.key] = literal.get(m.key, 0) + 1
    out = []
    for key, info in ae.entities.items():
        if not info.named and key not in used:
            continue
        if counts.get(key) and not literal.get(key) and key not in metonym_forms and key not in used:
            continue  # a capital that only ever stood for its country ("Seoul hopes ...")
        if info.entry is not None and info.entry.kind == "media" and key not in used:
            continue  # outlets as byline, dateline or photo credit are no entities
        aliases: list[str] = []
        seen = {info.name}
        for a in [*info.surface, *metonym_forms.get(key, []), *(info.entry.aliases if info.entry else []),
                  *(info.entry.short if info.entry else [])]:
            if a not in seen:
                seen.add(a)
                aliases.append(a)
        out.append(Entity(
            id=key, type=info.type, name=info.name, aliases=aliases[:MAX_ALIASES], wikidata=info.wikidata,
            mentions=counts.get(key, 0), roles=sorted({r[1]["role"] for r in info.roles}),
        ))
    out.sort(key=lambda e: (-e.mentions, e.name))
    return out
