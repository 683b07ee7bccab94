"""read -> nlp -> temporal -> events/relations -> resolve: one Extraction per article."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from kg import __version__
from kg.model import Article, Entity, Event, Extraction, Relation
from kg.nlp.entities import EntityFinder
from kg.nlp.events import EventExtractor, event_id
from kg.nlp.gazetteer import load_gazetteer
from kg.nlp.language import get_pipeline
from kg.nlp.lexicon import lexicon
from kg.nlp.relations import RelationExtractor
from kg.resolve import MAX_ALIASES, canonical_entities

DEFAULT_LANGUAGE = "en"


@cache
def extractor_fingerprint() -> str:
    """Version + hash of the extraction code and data: a stored article whose fingerprint differs
    was extracted by another extractor and is re-extracted on the next ingest."""
    root = Path(__file__).parent
    h = hashlib.sha1(__version__.encode())
    files = sorted([*root.glob("nlp/*.py"), root / "pipeline.py", root / "resolve.py",
                    *root.glob("data/**/*.yaml")])
    for p in files:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return f"kg-{__version__}+{h.hexdigest()[:10]}"


class Extractor:
    def __init__(self, gazetteer_files: Iterable[str] = ()):
        self.gazetteer_files = tuple(str(p) for p in gazetteer_files)
        self.gaz = load_gazetteer(self.gazetteer_files)

    def pipeline(self, lang: str):
        return get_pipeline(lang or DEFAULT_LANGUAGE, self.gazetteer_files)

    def describe(self, lang: str) -> str:
        return f"{extractor_fingerprint()} ({self.pipeline(lang).kind})"

    def extract(self, article: Article) -> Extraction:
        return next(self.extract_many([article]))

    def extract_many(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Extraction]:
        """Extractions in input order; texts go through spaCy's nlp.pipe in batches per language."""
        batch: list[Article] = []
        for art in articles:
            batch.append(art)
            if len(batch) >= batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, batch: list[Article]) -> Iterator[Extraction]:
        docs: dict[int, object] = {}
        by_lang: dict[str, list[int]] = {}
        for i, art in enumerate(batch):
            by_lang.setdefault(art.language or DEFAULT_LANGUAGE, []).append(i)
        for lang, idx in by_lang.items():
            nlp = self.pipeline(lang).nlp
            for i, doc in zip(idx, nlp.pipe(batch[i].text for i in idx)):
                docs[i] = doc
        for i, art in enumerate(batch):
            yield self._extract_doc(art, docs[i])

    def _extract_doc(self, art: Article, doc) -> Extraction:
        lang = art.language or DEFAULT_LANGUAGE
        lex = lexicon(lang if lang in ("de", "en") else lang)
        year = art.published.year if art.published else None
        ae = EntityFinder(self.gaz, lex, lang).find(doc, year)
        rr = RelationExtractor(self.gaz, lex, lang).extract(doc, ae, year)
        raw_events = EventExtractor(lex, lang).extract(
            doc, ae, art.published.date() if art.published else None, rr.title_refs)
        used = set()
        for ev in raw_events:
            used |= ev.participants()
        for r in rr.relations:
            used |= {r.source, r.target}
        entities = canonical_entities(ae, used)
        known = {e.id for e in entities}
        # the country of an office the article names only by its title ("Bundesaußenministerin
        # Baerbock": Germany) is an entity of the graph even where the article never names it
        for r in rr.relations:
            entry = self.gaz.get(r.target) if r.target not in known else None
            if entry is not None and entry.type in ("COUNTRY", "ORGANIZATION"):
                entities.append(Entity(id=entry.id, type=entry.type, name=entry.name,
                                       aliases=entry.all_names()[1:MAX_ALIASES + 1], wikidata=entry.wikidata,
                                       mentions=0, roles=[]))
                known.add(entry.id)
        events = []
        names = {e.id: e.name for e in entities}
        for ev in raw_events:
            ev.actors = [a for a in ev.actors if a in known]
            ev.targets = [t for t in ev.targets if t in known and t not in ev.actors]
            ev.locations = [x for x in ev.locations if x in known]
            if not ev.actors:
                continue
            events.append(Event(
                id=event_id(art.id, ev), type=ev.type, summary=_summary(ev, names),
                trigger=ev.trigger, actors=ev.actors, targets=ev.targets,
                location=ev.locations[0] if ev.locations else None, locations=ev.locations, time=ev.time,
                modality=ev.modality, quote=ev.quote, evidence=ev.evidence, confidence=ev.confidence,
            ))
        relations = [Relation(type=r.type, source=r.source, target=r.target, role=r.role, evidence=r.evidence,
                              confidence=r.confidence)
                     for r in rr.relations if r.source in known and r.target in known]
        return Extraction(article=art, entities=entities, events=events, relations=relations,
                          extractor=self.describe(lang))


def _summary(ev, names: dict[str, str]) -> str:
    actors = " and ".join([names.get(a, a) for a in ev.actors[:3]])
    targets = ", ".join([names.get(t, t) for t in ev.targets[:3]])
    where = ", ".join([names.get(x, x) for x in ev.locations[:2]])
    parts = [actors, ev.type.lower(), f"({ev.trigger})"]
    if targets:
        parts.append(f"→ {targets}")
    if where:
        parts.append(f"in/about {where}")
    if ev.modality != "asserted":
        parts.append(f"[{ev.modality}]")
    return " ".join(parts)
