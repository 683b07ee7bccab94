"""Stores: the embedded default store (sqlite) and Neo4j; both load kg.build.GraphRecords."""
from __future__ import annotations

from dataclasses import dataclass, field

_COUNTS = ("articles_new", "articles_replaced", "articles_unchanged", "entities_new", "entities_updated",
           "events", "edges")


@dataclass
class WriteResult:
    """What a write did (both stores report it; kg ingest sums it up)."""

    articles_new: int = 0
    articles_replaced: int = 0
    articles_unchanged: int = 0
    entities_new: int = 0
    entities_updated: int = 0
    events: int = 0
    edges: int = 0
    entity_ids: set = field(default_factory=set)

    @property
    def articles(self) -> int:
        return self.articles_new + self.articles_replaced + self.articles_unchanged

    def add(self, other: "WriteResult") -> None:
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.entity_ids |= other.entity_ids


class StoreUnavailable(Exception):
    """A store cannot be reached or refused the write; the message is one line naming it and the cause."""
