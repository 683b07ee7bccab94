"""The records of the extraction contract (see ``schemas/extraction.schema.json``).

These pydantic models are the single definition of what extraction hands to storage.
``schemas/extraction.schema.json`` is generated from them (``python -m kg.model``) and a test
checks that the committed file and the models agree.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EntityType = Literal["PERSON", "COUNTRY", "ORGANIZATION", "LOCATION"]
ENTITY_TYPES: tuple[str, ...] = ("PERSON", "COUNTRY", "ORGANIZATION", "LOCATION")

EventType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    "STATEMENT",
]
EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]

Modality = Literal["asserted", "negated", "planned", "reported", "hypothetical"]
MODALITIES: tuple[str, ...] = Modality.__args__  # type: ignore[attr-defined]

Precision = Literal["day", "week", "month", "year"]

RelationType = Literal[
    "LEADER_OF", "HOLDS_ROLE", "MEMBER_OF", "PART_OF", "SEEKS_MEMBERSHIP", "CLAIMS", "OCCUPIES",
    "ALLY_OF",
]
RELATION_TYPES: tuple[str, ...] = RelationType.__args__  # type: ignore[attr-defined]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Article(_Model):
    """One input document, after reading and clean-up."""

    id: str = Field(description="Stable hash of the normalised text")
    title: str | None = None
    published: dt.datetime | None = Field(None, description="Publication date and time (naive, local)")
    language: str | None = Field(None, description="ISO 639-1 code")
    url: str | None = None
    source: str | None = Field(None, description="Where it was read from (path, path:line, '-')")
    text: str = Field("", description="Cleaned article text; evidence offsets point into it")


class Evidence(_Model):
    text: str = Field(description="The sentence the fact was read from")
    start: int = Field(ge=0, description="Character offset of the sentence in the article text")
    end: int = Field(ge=0)

    @classmethod
    def of_sentence(cls, text: str, start: int) -> "Evidence":
        """The sentence ``text`` found at ``start`` in the article, without surrounding whitespace
        (the offsets still point at exactly the stripped text)."""
        stripped = text.strip()
        start += len(text) - len(text.lstrip())
        return cls(text=stripped, start=start, end=start + len(stripped))


class Time(_Model):
    value: str = Field(description="YYYY-MM-DD, YYYY-Www, YYYY-MM or YYYY",
                       pattern=r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2})?$")
    precision: Precision
    text: str | None = Field(None, description="The words of the article the time was read from")

    def span(self) -> tuple[dt.date, dt.date]:
        """First and last day the value covers."""
        return time_span(self.value)


def time_span(value: str) -> tuple[dt.date, dt.date]:
    """First and last day of an ISO day, ISO week, month or year value."""
    if re.fullmatch(r"\d{4}-W\d{2}", value):
        start = dt.date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
        return start, start + dt.timedelta(days=6)
    if re.fullmatch(r"\d{4}", value):
        return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        y, m = int(value[:4]), int(value[5:7])
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        return dt.date(y, m, 1), nxt - dt.timedelta(days=1)
    day = dt.date.fromisoformat(value[:10])
    return day, day


class Entity(_Model):
    id: str = Field(description="Canonical id: gazetteer id, or type + normalised full name")
    type: EntityType
    name: str = Field(description="Canonical (preferably English) name")
    aliases: list[str] = Field(default_factory=list, description="Other forms, incl. those seen in the text")
    wikidata: str | None = Field(None, pattern=r"^Q\d+$")
    mentions: int = Field(0, ge=0, description="How often the article mentions it")
    roles: list[str] = Field(default_factory=list, description="Titles seen with a person, e.g. 'President'")


class Event(_Model):
    id: str
    type: EventType
    summary: str | None = None
    trigger: str | None = Field(None, description="The word(s) that signal the event")
    actors: list[str] = Field(default_factory=list, description="Entity ids of who did it")
    targets: list[str] = Field(default_factory=list, description="Entity ids it was done to or about")
    location: str | None = Field(None, description="Entity id of where it happened")
    locations: list[str] = Field(default_factory=list, description="All places / territories concerned")
    time: Time | None = None
    modality: Modality = "asserted"
    quote: str | None = Field(None, description="Quoted words, for statements")
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = Field(0.5, ge=0.0, le=1.0)


class Relation(_Model):
    type: RelationType
    source: str
    target: str
    role: str | None = Field(None, description="Title behind LEADER_OF / HOLDS_ROLE")
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = Field(0.5, ge=0.0, le=1.0)


class Extraction(_Model):
    """What extraction yields for one article; the contract between extraction and storage."""

    article: Article
    entities: list[Entity] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    extractor: str | None = Field(None, description="Extractor version and pipeline used")

    def to_json(self, *, indent: int | None = 2, with_text: bool = False) -> str:
        exclude = None if with_text else {"article": {"text"}}
        return self.model_dump_json(indent=indent, exclude=exclude)


def json_schema() -> dict:
    schema = Extraction.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/kg/kg/schemas/extraction.schema.json"
    schema["title"] = "kg extraction"
    return schema


if __name__ == "__main__":  # regenerate schemas/extraction.schema.json
    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
