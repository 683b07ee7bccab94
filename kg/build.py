"""Build stage: one Extraction -> graph records that both stores (embedded and Neo4j) load.

Every record is a flat dict whose values are scalars or lists of scalars, so the same rows can be
bound as Neo4j parameters (``UNWIND $rows AS row``) and written to SQLite.

Record kinds (one list each in :class:`GraphRecords`):

- ``articles``   (:Article {id, title, url, published, language, source, extractor})
- ``entities``   (:Entity:<Label> {id, type, name, aliases, wikidata})
- ``events``     (:Event:<Label> {id, type, summary, modality, confidence, date_start, date_end,
                  date_precision, date_text, trigger, quote, article_id})
- ``participants`` entity -[ACTOR_IN|TARGET_OF]-> event, event -[LOCATED_AT]-> entity
- ``mentions``   (:Article)-[:MENTIONS {count, evidence, start, end, aliases}]->(:Entity)
- ``reports``    (:Article)-[:REPORTS {evidence, starts, ends}]->(:Event)
- ``relations``  entity -[LEADER_OF|HOLDS_ROLE|...{role, article_id, evidence, start, end}]-> entity
- ``links``      derived "who did what to whom when": entity -[MET|DEMANDED|...]-> entity with
                  {event_id, date_start, date_end, date_precision, modality, article_id}

The canonical layer (one event across articles, see :mod:`kg.merge`) is not built from one
extraction: :meth:`kg.store.sqlite.SQLiteStore.iter_records` fills these kinds from the store, and
the Neo4j loader then writes canonical events instead of per-article ones. ``build_records`` leaves
them empty (a store that receives them ignores them and computes its own).

- ``canonical_events``       {id, type, label, summary, modality, confidence, date_start, date_end,
                              date_precision, date_text, date_value, trigger, quote, article_id,
                              source_count, first_reported, last_reported, chosen_reason,
                              dates, date_precisions, date_articles}
- ``event_members``          {canonical_id, event_id, article_id}: the article's events -> canonical ids
- ``canonical_participants`` {event_id (canonical id), entity_id, role}
- ``canonical_links``        derived links of canonical events (same keys as ``links``)
- ``event_links``            {source, type, target}: (asserted event)-[:FULFILS]->(planned event)
- ``retired_entities``       {id, into}: entities merged away by curation (deleted in Neo4j)
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field, fields

from kg.model import Extraction
from kg.ontology import entity_label, event_label, event_link

KINDS = ("articles", "entities", "events", "participants", "mentions", "reports", "relations", "links")
CANONICAL_KINDS = ("canonical_events", "event_members", "canonical_participants", "canonical_links", "event_links",
                   "retired_entities")


@dataclass
class GraphRecords:
    articles: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    participants: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    reports: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    # the canonical layer (filled by SQLiteStore.iter_records, empty from build_records)
    canonical_events: list[dict] = field(default_factory=list)
    event_members: list[dict] = field(default_factory=list)
    canonical_participants: list[dict] = field(default_factory=list)
    canonical_links: list[dict] = field(default_factory=list)
    event_links: list[dict] = field(default_factory=list)
    retired_entities: list[dict] = field(default_factory=list)

    def extend(self, other: "GraphRecords") -> None:
        for f in fields(self):
            getattr(self, f.name).extend(getattr(other, f.name))

    def counts(self) -> dict[str, int]:
        return {f.name: len(getattr(self, f.name)) for f in fields(self)}

    def __len__(self) -> int:
        return sum(self.counts().values())


def build_records(ex: Extraction) -> GraphRecords:
    art = ex.article
    out = GraphRecords()
    out.articles.append({
        "id": art.id,
        "title": art.title,
        "url": art.url,
        "published": art.published.isoformat() if art.published else None,
        "language": art.language,
        "source": art.source,
        "extractor": ex.extractor,
    })
    types = {}
    for ent in ex.entities:
        types[ent.id] = ent.type
        out.entities.append({
            "id": ent.id,
            "type": ent.type,
            "label": entity_label(ent.type),
            "name": ent.name,
            "aliases": sorted(set(ent.aliases)),
            "wikidata": ent.wikidata,
        })
    first_evidence = _entity_evidence(ex)
    for ent in ex.entities:
        ev = first_evidence.get(ent.id)
        out.mentions.append({
            "article_id": art.id,
            "entity_id": ent.id,
            "count": max(ent.mentions, 1),
            "evidence": ev.text if ev else None,
            "start": ev.start if ev else None,
            "end": ev.end if ev else None,
            # the names this article gives the entity (for alias counts across articles)
            "aliases": sorted({ent.name, *ent.aliases}),
        })
    for event in ex.events:
        start = end = None
        if event.time:
            s, e = event.time.span()
            start, end = s.isoformat(), e.isoformat()
        out.events.append({
            "id": event.id,
            "type": event.type,
            "label": event_label(event.type),
            "summary": event.summary,
            "modality": event.modality,
            "confidence": event.confidence,
            "date_start": start,
            "date_end": end,
            "date_precision": event.time.precision if event.time else None,
            "date_text": event.time.text if event.time else None,
            "trigger": event.trigger,
            "quote": event.quote,
            "article_id": art.id,
        })
        for role, ids in (("ACTOR_IN", event.actors), ("TARGET_OF", event.targets),
                          ("LOCATED_AT", _locations(event))):
            for entity_id in ids:
                out.participants.append({"event_id": event.id, "entity_id": entity_id, "role": role})
        out.reports.append({
            "article_id": art.id,
            "event_id": event.id,
            "evidence": [e.text for e in event.evidence],
            "starts": [e.start for e in event.evidence],
            "ends": [e.end for e in event.evidence],
        })
        out.links.extend(_links(event, types, art.id, start, end))
    for rel in ex.relations:
        ev = rel.evidence[0] if rel.evidence else None
        out.relations.append({
            "source": rel.source,
            "target": rel.target,
            "type": rel.type,
            "role": rel.role,
            "confidence": rel.confidence,
            "article_id": art.id,
            "evidence": ev.text if ev else None,
            "start": ev.start if ev else None,
            "end": ev.end if ev else None,
        })
    return out


def _locations(event) -> list[str]:
    locs = list(event.locations)
    if event.location and event.location not in locs:
        locs.insert(0, event.location)
    return locs


def _entity_evidence(ex: Extraction):
    """The first evidence sentence of an event or relation that involves each entity."""
    found = {}
    for event in ex.events:
        if not event.evidence:
            continue
        for entity_id in itertools.chain(event.actors, event.targets, _locations(event)):
            found.setdefault(entity_id, event.evidence[0])
    for rel in ex.relations:
        if rel.evidence:
            found.setdefault(rel.source, rel.evidence[0])
            found.setdefault(rel.target, rel.evidence[0])
    return found


def _links(event, types: dict[str, str], article_id: str, start, end) -> list[dict]:
    """Derived timestamped entity-entity relationships of one event."""
    link, symmetric = event_link(event.type)
    base = {
        "type": link,
        "event_id": event.id,
        "event_type": event.type,
        "date_start": start,
        "date_end": end,
        "date_precision": event.time.precision if event.time else None,
        "modality": event.modality,
        "article_id": article_id,
    }
    pairs: list[tuple[str, str]] = []
    if symmetric:
        people = [x for x in dict.fromkeys([*event.actors, *event.targets]) if types.get(x) != "LOCATION"]
        pairs = list(itertools.combinations(people, 2))
    else:
        targets = [t for t in event.targets if t not in event.actors] or _locations(event)
        pairs = [(a, t) for a in event.actors for t in targets if a != t]
    return [{**base, "source": a, "target": b} for a, b in pairs]
