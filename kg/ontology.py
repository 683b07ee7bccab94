"""The fixed ontology (kg/data/ontology.yaml): the whitelist of labels and relationship types."""
from __future__ import annotations

from functools import cache
from importlib import resources

import yaml


@cache
def ontology() -> dict:
    with resources.files("kg.data").joinpath("ontology.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def entity_label(entity_type: str) -> str:
    return ontology()["entity_types"][entity_type]


def event_label(event_type: str) -> str:
    return ontology()["event_types"][event_type]["label"]


def event_link(event_type: str) -> tuple[str, bool]:
    """The derived entity-entity relationship type of an event type, and whether it is symmetric."""
    spec = ontology()["event_types"][event_type]
    return spec["link"], bool(spec.get("symmetric", False))


def relation_types() -> list[str]:
    return list(ontology()["relation_types"])


def link_types() -> list[str]:
    return sorted({spec["link"] for spec in ontology()["event_types"].values()})
