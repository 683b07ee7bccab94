"""Settings from command-line options and KG_* environment variables (options win)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def default_db_path() -> Path:
    """The embedded store: $KG_DB, else $XDG_DATA_HOME/kg/kg.sqlite (~/.local/share/kg/kg.sqlite)."""
    env = os.environ.get("KG_DB")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "kg" / "kg.sqlite"


@dataclass
class Neo4jSettings:
    uri: str | None = field(default_factory=lambda: os.environ.get("KG_NEO4J_URI"))
    user: str = field(default_factory=lambda: os.environ.get("KG_NEO4J_USER", "neo4j"))
    password: str = field(default_factory=lambda: os.environ.get("KG_NEO4J_PASSWORD", "kg-password"))
    database: str | None = field(default_factory=lambda: os.environ.get("KG_NEO4J_DATABASE") or None)
    batch_size: int = field(default_factory=lambda: int(os.environ.get("KG_NEO4J_BATCH", "2000")))

    @property
    def configured(self) -> bool:
        return bool(self.uri)

    def override(self, *, uri=None, user=None, password=None, database=None, batch_size=None) -> "Neo4jSettings":
        return Neo4jSettings(uri=uri or self.uri, user=user or self.user, password=password or self.password,
                             database=database or self.database, batch_size=batch_size or self.batch_size)


def pipeline_models() -> dict[str, str]:
    """Trained spaCy pipelines to prefer per language, e.g. KG_SPACY_MODELS='de=de_core_news_lg,en=en_core_web_trf'."""
    models = {"de": "de_core_news_md", "en": "en_core_web_md"}
    for part in filter(None, os.environ.get("KG_SPACY_MODELS", "").split(",")):
        lang, _, name = part.partition("=")
        models[lang.strip()] = name.strip()
    return models


def offline_only() -> bool:
    """KG_OFFLINE_PIPELINE=1 ignores installed trained pipelines (reproducible scores)."""
    return os.environ.get("KG_OFFLINE_PIPELINE", "") not in ("", "0", "false", "no")
