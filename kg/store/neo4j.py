"""Neo4j 5 store: load :class:`kg.build.GraphRecords` into Neo4j and query it.

The Cypher lives in the ``cypher/`` folder of the repository (``schema.cypher``, ``load/*.cypher``,
``queries/*.cypher``) and is read at run time (:func:`cypher_dir`).

Rules kept here:

- every value is sent as a query parameter (``UNWIND $rows AS row ...``); rows are flat dicts whose
  values are scalars or lists of scalars (Neo4j property values cannot be maps);
- labels and relationship types cannot be parameters in Neo4j 5 (before 5.26), so load statements
  carry ``{label}`` / ``{type}`` placeholders that :func:`render` replaces with a name taken ONLY from
  the ontology whitelist (``kg/data/ontology.yaml`` via :mod:`kg.ontology`); anything else raises
  :class:`NotInOntology`;
- writes are idempotent: writing the same records twice leaves the graph unchanged, and re-writing
  an article replaces what it asserted before (``cypher/load/replace_article.cypher``);
- one event across articles: when the records carry the canonical layer (``SQLiteStore.iter_records``,
  i.e. ``kg push``), the :Event nodes ARE the canonical events (id = canonical id, ``source_count``,
  date readings) and each article's ``REPORTS`` edge carries its evidence and its own event ids
  (:func:`canonical_view`); records without it (``build_records``) load one :Event per article event;
- entities merged away by curation (``retired_entities``) are deleted (``DETACH DELETE`` by id).

This module imports without a server; connecting happens on first use.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from kg.build import GraphRecords
from kg.config import Neo4jSettings
from kg.ontology import entity_label, event_label, link_types, ontology, relation_types
from kg.store import StoreUnavailable, WriteResult

try:  # the driver is a dependency, but keep the module importable (and its pure helpers usable) without it
    import neo4j
    from neo4j import exceptions as neo4j_exceptions
except ImportError:  # pragma: no cover
    neo4j = None
    neo4j_exceptions = None

# The driver logs connection failures ("Unable to retrieve routing information") that we report
# ourselves as one line; without this, Python's last-resort handler would print them to stderr too.
# An application that configures logging still gets them.
if not logging.getLogger("neo4j").handlers:
    logging.getLogger("neo4j").addHandler(logging.NullHandler())

__all__ = [
    "Neo4jStore", "Neo4jWriteResult", "Neo4jStoreError", "Neo4jUnavailable", "Neo4jWriteError", "Neo4jQueryError",
    "NotInOntology", "cypher_dir", "load_query", "list_queries", "parse_params", "render",
    "split_statements", "batched", "plan_write", "to_plain", "whitelist", "canonical_view",
]

# Labels and relationship types of the store itself (not in the ontology file).
NODE_LABELS = ("Entity", "Event", "Article")
STORE_TYPES = ("MENTIONS", "REPORTS", "FULFILS")
# Load order (GraphRecords kinds; "fulfils" = event_links, "retired" = retired_entities;
# "extractors" = the articles' extractor fingerprints, written after all of the articles' facts: an
# interrupted write leaves its articles without one, and they are extracted again on resume. The
# retired entities (curation; every write sends them all again) are deleted after that.)
LOAD_ORDER = ("articles", "entities", "events", "participants", "mentions", "reports", "relations", "links",
              "fulfils", "extractors", "retired")

_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_DATABASE_NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound"
_HINT_START = "is the server running? (docker compose up -d)"
_SCHEMES = ("bolt", "neo4j", "bolt+s", "neo4j+s", "bolt+ssc", "neo4j+ssc")


# ---------------------------------------------------------------------------------------- errors
class Neo4jStoreError(StoreUnavailable):
    """Base of every error this module raises on purpose; ``str(exc)`` is one line for the user.
    A :class:`kg.store.StoreUnavailable`, like the embedded store's errors."""


class Neo4jUnavailable(Neo4jStoreError):
    """Neo4j cannot be used: not configured, unreachable, credentials rejected, unknown database,
    or (subclass :class:`Neo4jWriteError`) a write failed part-way."""


class Neo4jWriteError(Neo4jUnavailable):
    """A write failed mid-way; ``committed`` of ``total`` batches (transactions) were committed."""

    def __init__(self, message: str, *, committed: int, total: int):
        super().__init__(message)
        self.committed = committed
        self.total = total


class Neo4jQueryError(Neo4jStoreError):
    """The server rejected a query (syntax error, missing parameter, ...)."""


class NotInOntology(ValueError):
    """A label or relationship type that is not in the ontology whitelist."""


# ---------------------------------------------------------------------------------- cypher files
def cypher_dir() -> Path:
    """The folder holding schema.cypher, load/ and queries/.

    $KG_CYPHER_DIR if set, else ``<repo>/cypher`` next to the ``kg`` package (source checkout or
    editable install), else ``kg/cypher`` shipped inside the package (package data).
    """
    candidates: list[Path] = []
    env = os.environ.get("KG_CYPHER_DIR")
    if env:
        candidates.append(Path(env).expanduser())
    import kg

    if getattr(kg, "__file__", None):
        candidates.append(Path(kg.__file__).resolve().parent.parent / "cypher")
    candidates.append(Path(__file__).resolve().parent.parent.parent / "cypher")
    try:
        packaged = resources.files("kg") / "cypher"
        candidates.append(Path(str(packaged)))
    except (ModuleNotFoundError, TypeError, ValueError):  # pragma: no cover
        pass
    for path in candidates:
        if (path / "schema.cypher").is_file():
            return path
    raise FileNotFoundError("cannot find the cypher/ folder (schema.cypher, load/, queries/); looked in "
                            + ", ".join(str(p) for p in dict.fromkeys(candidates))
                            + " — set KG_CYPHER_DIR or reinstall kg with its package data")


def _read(rel: str) -> str:
    return (cypher_dir() / rel).read_text(encoding="utf-8")


def split_statements(text: str) -> list[str]:
    """Split Cypher text on ``;`` outside strings, backticks and comments.

    Comments are removed; empty statements are dropped.
    """
    out: list[str] = []
    buf: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            buf.append(" ")
            continue
        if c in "'\"`":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" and c != "`" else 1
            buf.append(text[i:j + 1])
            i = j + 1
            continue
        if c == ";":
            out.append("".join(buf))
            buf = []
        else:
            buf.append(c)
        i += 1
    out.append("".join(buf))
    return [s.strip() for s in out if s.strip()]


# ----------------------------------------------------------------------------- whitelist, render
def whitelist() -> dict[str, tuple[str, ...]]:
    """Every label / relationship type the loader may put into Cypher text, by family."""
    onto = ontology()
    roles = onto["participant_roles"]
    return {
        "entity": tuple(onto["entity_types"].values()),
        "event": tuple(spec["label"] for spec in onto["event_types"].values()),
        "participant": (roles["actor"], roles["target"]),
        "location": (roles["location"],),
        "relation": tuple(relation_types()),
        "link": tuple(link_types()),
    }


def allowed_names() -> set[str]:
    """All labels and relationship types that may appear in any statement."""
    names = set(NODE_LABELS) | set(STORE_TYPES)
    for values in whitelist().values():
        names.update(values)
    return names


def check_name(family: str, name: str) -> str:
    """``name`` if it is a label / relationship type of ``family`` in the ontology, else raise."""
    allowed = whitelist().get(family)
    if allowed is None:
        raise NotInOntology(f"unknown label family {family!r}")
    if not isinstance(name, str) or name not in allowed or not _IDENT.match(name):
        raise NotInOntology(f"{name!r} is not a {family} label/type of kg/data/ontology.yaml "
                            f"(allowed: {', '.join(allowed)})")
    return name


def _joined(family: str, sep: str) -> str:
    return sep.join(check_name(family, n) for n in whitelist()[family])


def render(template: str, *, family: str | None = None, name: str | None = None) -> str:
    """Replace the placeholders of a statement with ontology names.

    ``{label}`` / ``{type}``: ``name``, checked against ``family`` (:class:`NotInOntology` if it is not
    whitelisted). ``{entity_labels}`` / ``{event_labels}``: all labels of the family joined by ':';
    ``{participant_types}`` / ``{link_types}`` / ``{relation_types}``: all types joined by '|'.
    Any other ``{word}`` is an error.
    """
    def sub(m: re.Match) -> str:
        key = m.group(1)
        if key in ("label", "type"):
            if family is None or name is None:
                raise NotInOntology(f"statement needs a {{{key}}} but none was given")
            return check_name(family, name)
        if key == "entity_labels":
            return _joined("entity", ":")
        if key == "event_labels":
            return _joined("event", ":")
        if key == "participant_types":
            return "|".join([*whitelist()["participant"], *whitelist()["location"]])
        if key == "link_types":
            return _joined("link", "|")
        if key == "relation_types":
            return _joined("relation", "|")
        raise NotInOntology(f"unknown placeholder {{{key}}} in statement")

    return _PLACEHOLDER.sub(sub, template)


# ------------------------------------------------------------------------------- :param defaults
_PARAM_LINE = re.compile(r"^\s*//\s*:param\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?:=>|:)\s*(.*?)\s*;?\s*$")


class _Literal:
    """A tiny parser for Cypher literals as written in ``:param name => value`` lines."""

    _NUMBER = re.compile(r"-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
    _ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "'": "'", '"': '"', "\\": "\\"}

    def __init__(self, text: str):
        self.text, self.i = text, 0

    def parse(self):
        value = self.value()
        self.ws()
        if self.i != len(self.text):
            raise ValueError(f"unexpected {self.text[self.i:]!r}")
        return value

    def ws(self):
        while self.i < len(self.text) and self.text[self.i].isspace():
            self.i += 1

    def value(self):
        self.ws()
        t, i = self.text, self.i
        if i >= len(t):
            raise ValueError("missing value")
        c = t[i]
        if c in "'\"":
            return self.string(c)
        if c == "[":
            return self.sequence("]", self.value)
        if c == "{":
            return dict(self.sequence("}", self.pair))
        m = self._NUMBER.match(t, i)
        if m:
            self.i = m.end()
            s = m.group()
            return float(s) if any(x in s for x in ".eE") else int(s)
        m = re.compile(r"[A-Za-z_]+").match(t, i)
        if m and m.group().lower() in ("true", "false", "null"):
            self.i = m.end()
            return {"true": True, "false": False, "null": None}[m.group().lower()]
        raise ValueError(f"not a literal: {t[i:]!r}")

    def string(self, quote: str) -> str:
        t = self.text
        out, i = [], self.i + 1
        while i < len(t) and t[i] != quote:
            if t[i] == "\\" and i + 1 < len(t):
                nxt = t[i + 1]
                if nxt == "u" and i + 5 < len(t):
                    out.append(chr(int(t[i + 2:i + 6], 16)))
                    i += 6
                    continue
                out.append(self._ESCAPES.get(nxt, "\\" + nxt))
                i += 2
                continue
            out.append(t[i])
            i += 1
        if i >= len(t):
            raise ValueError("unterminated string")
        self.i = i + 1
        return "".join(out)

    def sequence(self, close: str, item: Callable):
        self.i += 1
        items = []
        self.ws()
        if self.text.startswith(close, self.i):
            self.i += 1
            return items
        while True:
            items.append(item())
            self.ws()
            if self.text.startswith(",", self.i):
                self.i += 1
                continue
            if self.text.startswith(close, self.i):
                self.i += 1
                return items
            raise ValueError(f"expected ',' or {close!r} at {self.text[self.i:]!r}")

    def pair(self):
        self.ws()
        if self.text[self.i:self.i + 1] in ("'", '"'):
            key = self.string(self.text[self.i])
        else:
            m = re.compile(r"`([^`]+)`|([A-Za-z_][A-Za-z0-9_]*)").match(self.text, self.i)
            if not m:
                raise ValueError(f"expected a map key at {self.text[self.i:]!r}")
            key = m.group(1) or m.group(2)
            self.i = m.end()
        self.ws()
        if not self.text.startswith(":", self.i):
            raise ValueError("expected ':' after map key")
        self.i += 1
        return key, self.value()


def parse_params(text: str) -> dict[str, Any]:
    """The defaults of the ``// :param name => value`` lines of a query file."""
    params: dict[str, Any] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        m = _PARAM_LINE.match(line)
        if not m:
            continue
        try:
            params[m.group(1)] = _Literal(m.group(2)).parse()
        except ValueError as exc:
            raise ValueError(f"line {lineno}: cannot read the default of :param {m.group(1)}: {exc}") from None
    return params


def list_queries() -> list[str]:
    """Names of the query files in cypher/queries (without .cypher)."""
    return sorted(p.stem for p in (cypher_dir() / "queries").glob("*.cypher"))


def load_query(name_or_path: str) -> tuple[str, dict[str, Any]]:
    """A query and its ``:param`` defaults.

    ``name_or_path``: a file of cypher/queries by name (with or without ``.cypher``), any path to a
    file, or raw Cypher text (returned as-is with no defaults). A bare name that matches no file
    raises FileNotFoundError listing the available queries.
    """
    text = name_or_path.strip()
    if "\n" not in text and len(text) < 4096:
        path = Path(text).expanduser()
        if path.is_file():
            return _query_file(path)
        if re.fullmatch(r"[\w.\-/\\~]+", text):
            try:
                qdir = cypher_dir() / "queries"
            except FileNotFoundError:
                qdir = None
            if qdir is not None:
                stem = text[:-len(".cypher")] if text.endswith(".cypher") else text
                candidate = qdir / f"{stem}.cypher"
                if candidate.is_file():
                    return _query_file(candidate)
            names = ", ".join(list_queries()) if qdir is not None else "(cypher/ folder not found)"
            raise FileNotFoundError(f"no query {text!r}: not a file and not one of {names}")
    return name_or_path, {}


def _query_file(path: Path) -> tuple[str, dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    statements = split_statements(text)
    if len(statements) != 1:
        raise ValueError(f"{path}: a query file must hold exactly one statement, found {len(statements)}")
    try:
        params = parse_params(text)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    return text.strip().rstrip(";").rstrip() + "\n", params


# ----------------------------------------------------------------------------------- row shaping
def batched(rows: list, size: int) -> Iterator[list]:
    """Consecutive slices of ``rows`` of at most ``size`` items."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size}")
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _published(value):
    """ISO date-time without time zone for localdatetime(); aware values keep their wall-clock time."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time())
    else:
        text = str(value).strip().replace("Z", "+00:00")
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    return parsed.replace(tzinfo=None).isoformat()


def _iso_date(value):
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)[:10]


def _scalar(value):
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _dedupe(rows: Iterable[dict], key: Callable[[dict], Any]) -> list[dict]:
    """Last row per key wins (in the order keys were first seen)."""
    out: dict[Any, dict] = {}
    for row in rows:
        out[key(row)] = row
    return list(out.values())


def _article_rows(records: GraphRecords) -> list[dict]:
    rows = []
    hashes = article_hashes(records)
    for r in _dedupe(records.articles, lambda r: r["id"]):
        rows.append({
            "id": r["id"], "title": r.get("title"), "url": r.get("url"),
            "published": _published(r.get("published")), "language": r.get("language"),
            "source": r.get("source"), "extractor": r.get("extractor"), "records_hash": hashes[r["id"]],
        })
    return rows


def article_hashes(records: GraphRecords) -> dict[str, str]:
    """A hash of everything each article asserts (its rows of every kind), to tell an unchanged
    re-write from a replacing one."""
    def canon(row: dict) -> str:
        return json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)

    out = {}
    for art in records.articles:
        aid = art["id"]
        event_ids = {e["id"] for e in records.events if e.get("article_id") == aid}
        event_ids |= {r["event_id"] for r in records.reports if r["article_id"] == aid}
        mentioned = {m["entity_id"] for m in records.mentions if m["article_id"] == aid}
        parts = {
            "article": [canon({k: v for k, v in art.items() if k != "records_hash"})],
            "entities": [canon(e) for e in records.entities if e["id"] in mentioned],
            "events": [canon(e) for e in records.events if e.get("article_id") == aid],
            "participants": [canon(x) for x in records.participants if x["event_id"] in event_ids],
            "mentions": [canon(m) for m in records.mentions if m["article_id"] == aid],
            "reports": [canon(r) for r in records.reports if r["article_id"] == aid],
            "relations": [canon(r) for r in records.relations if r.get("article_id") == aid],
            "links": [canon(x) for x in records.links if x.get("article_id") == aid],
        }
        blob = json.dumps({k: sorted(set(v)) for k, v in parts.items()}, sort_keys=True, ensure_ascii=False)
        out[aid] = hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]
    return out


def _label(lookup: Callable[[str], str], type_: str, what: str) -> str:
    try:
        return lookup(type_)
    except (KeyError, TypeError):
        raise NotInOntology(f"{type_!r} is not an {what} type of kg/data/ontology.yaml") from None


def _entity_rows(records: GraphRecords) -> list[dict]:
    merged: dict[str, dict] = {}
    for r in records.entities:
        label = r.get("label") or _label(entity_label, r["type"], "entity")
        row = merged.get(r["id"])
        aliases = [a for a in (r.get("aliases") or []) if isinstance(a, str) and a]
        if row is None:
            merged[r["id"]] = {"id": r["id"], "type": r["type"], "label": label, "name": r.get("name"),
                               "aliases": sorted(set(aliases)), "wikidata": r.get("wikidata")}
        else:
            row.update(type=r["type"], label=label, name=r.get("name") or row["name"],
                       aliases=sorted(set(row["aliases"]) | set(aliases)),
                       wikidata=r.get("wikidata") or row["wikidata"])
    return list(merged.values())


_EVENT_KEYS = ("id", "type", "summary", "modality", "confidence", "date_start", "date_end", "date_precision",
               "date_text", "trigger", "quote", "article_id")
# canonical events only (None for per-article ones); lists are the date readings, parallel
_CANONICAL_KEYS = ("source_count", "chosen_reason", "date_value")
_CANONICAL_LISTS = ("dates", "date_precisions", "date_articles")


def _event_rows(records: GraphRecords) -> list[dict]:
    rows = []
    first_article: dict[str, Any] = {}
    for r in records.events:
        first_article.setdefault(r["id"], r.get("article_id"))
    for r in _dedupe(records.events, lambda r: r["id"]):
        row = {k: _scalar(r.get(k)) for k in _EVENT_KEYS}
        row["article_id"] = first_article[r["id"]] or row["article_id"]  # the article that created it
        row["label"] = r.get("label") or _label(event_label, r["type"], "event")
        row["date_start"] = _iso_date(row["date_start"])
        row["date_end"] = _iso_date(row["date_end"])
        for key in _CANONICAL_KEYS:
            row[key] = _scalar(r.get(key))
        for key in ("first_reported", "last_reported"):
            row[key] = _published(r.get(key))
        for key in _CANONICAL_LISTS:
            row[key] = [v if v is not None else "" for v in (r.get(key) or [])]
        rows.append(row)
    return rows


def _participant_rows(records: GraphRecords) -> list[dict]:
    return _dedupe(({"event_id": r["event_id"], "entity_id": r["entity_id"], "role": r["role"]}
                    for r in records.participants), lambda r: (r["event_id"], r["entity_id"], r["role"]))


def _mention_rows(records: GraphRecords) -> list[dict]:
    """MENTIONS rows with ``aliases``: the names the article gives the entity (they keep the
    entity's alias_counts; records without them fall back to the entity row's names)."""
    names: dict[str, set] = {}
    for e in records.entities:
        names.setdefault(e["id"], set()).update(a for a in [e.get("name"), *(e.get("aliases") or [])]
                                                if isinstance(a, str) and a)
    return _dedupe(({"article_id": r["article_id"], "entity_id": r["entity_id"], "count": r.get("count"),
                     "evidence": r.get("evidence"), "start": r.get("start"), "end": r.get("end"),
                     "aliases": sorted(a for a in (r["aliases"] if r.get("aliases") is not None
                                                   else names.get(r["entity_id"], ()))
                                       if isinstance(a, str) and a)}
                    for r in records.mentions), lambda r: (r["article_id"], r["entity_id"]))


def _json_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, str):  # a JSON-encoded list (as stored by the embedded store)
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    return [v for v in value if v is not None] if isinstance(value, (list, tuple)) else [value]


def _report_rows(records: GraphRecords) -> list[dict]:
    return _dedupe(({"article_id": r["article_id"], "event_id": r["event_id"],
                     "evidence": _json_list(r.get("evidence")), "starts": _json_list(r.get("starts")),
                     "ends": _json_list(r.get("ends")),
                     "event_ids": _json_list(r.get("event_ids")) or [r["event_id"]]}
                    for r in records.reports), lambda r: (r["article_id"], r["event_id"]))


def _fulfils_rows(records: GraphRecords) -> list[dict]:
    return _dedupe(({"source": r["source"], "target": r["target"]} for r in records.event_links
                    if r.get("type", "FULFILS") == "FULFILS"), lambda r: (r["source"], r["target"]))


def _retired_rows(records: GraphRecords) -> list[dict]:
    return _dedupe(({"id": r["id"]} for r in records.retired_entities if r.get("id")), lambda r: r["id"])


def canonical_view(records: GraphRecords) -> GraphRecords:
    """The records as Neo4j stores them: with a canonical layer (``event_members``), canonical events
    replace the per-article ones (events, participants and links of the canonical events; one REPORTS
    row per article and canonical event with the evidence of all the article's events in it and their
    ids in ``event_ids``). Without one, the records themselves."""
    if not records.event_members and not records.canonical_events:
        return records
    mapping = {m["event_id"]: m["canonical_id"] for m in records.event_members}
    kept = [e for e in records.events if e["id"] not in mapping]   # events outside the layer stay
    kept_ids = {e["id"] for e in kept}
    view = GraphRecords(
        articles=records.articles, entities=records.entities, mentions=records.mentions,
        relations=records.relations,
        events=[*records.canonical_events, *kept],
        participants=[*records.canonical_participants,
                      *(p for p in records.participants if p["event_id"] in kept_ids)],
        links=[*records.canonical_links, *(l for l in records.links if l["event_id"] in kept_ids)],
        event_links=records.event_links, retired_entities=records.retired_entities,
    )
    reports: dict[tuple, dict] = {}
    for r in records.reports:
        cid = mapping.get(r["event_id"], r["event_id"])
        row = reports.setdefault((r["article_id"], cid), {"article_id": r["article_id"], "event_id": cid,
                                                          "evidence": [], "starts": [], "ends": [], "event_ids": []})
        evidence, starts, ends = _json_list(r.get("evidence")), _json_list(r.get("starts")), _json_list(r.get("ends"))
        for i, sentence in enumerate(evidence):
            if sentence in row["evidence"]:
                continue
            row["evidence"].append(sentence)
            row["starts"].append(starts[i] if i < len(starts) else -1)
            row["ends"].append(ends[i] if i < len(ends) else -1)
        if r["event_id"] not in row["event_ids"]:
            row["event_ids"].append(r["event_id"])
    view.reports = list(reports.values())
    return view


def _relation_rows(records: GraphRecords) -> list[dict]:
    """One row per (source, type, target): articles and evidence accumulated, evidence sources parallel."""
    merged: dict[tuple, dict] = {}
    for r in records.relations:
        key = (r["source"], r["type"], r["target"])
        row = merged.setdefault(key, {"source": r["source"], "target": r["target"], "type": r["type"],
                                      "role": None, "confidence": None, "articles": [], "evidence": [],
                                      "evidence_articles": []})
        article = r.get("article_id") or ""
        if r.get("role"):
            row["role"] = r["role"]
        conf = r.get("confidence")
        if conf is not None and (row["confidence"] is None or conf > row["confidence"]):
            row["confidence"] = conf
        if article and article not in row["articles"]:
            row["articles"].append(article)
        evidence = r.get("evidence")
        for sentence in ([evidence] if isinstance(evidence, str) else _json_list(evidence)):
            if sentence and sentence not in row["evidence"]:
                row["evidence"].append(sentence)
                row["evidence_articles"].append(article)
    return list(merged.values())


_LINK_KEYS = ("source", "target", "type", "event_id", "event_type", "date_start", "date_end", "date_precision",
              "modality", "article_id")


def _link_rows(records: GraphRecords) -> list[dict]:
    rows = []
    for r in _dedupe(records.links, lambda r: (r["source"], r["type"], r["target"], r["event_id"])):
        row = {k: _scalar(r.get(k)) for k in _LINK_KEYS}
        row["date_start"] = _iso_date(row["date_start"])
        row["date_end"] = _iso_date(row["date_end"])
        rows.append(row)
    return rows


def _group(rows: list[dict], key: str) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    return groups


@dataclass
class Batch:
    """One transaction's worth of work: a statement (placeholders already replaced) and its rows."""

    kind: str                      # "replace" or a GraphRecords kind
    statements: list[str]
    params: dict[str, Any]
    name: str | None = None        # the label / relationship type substituted, if any
    rows: int = 0

    def describe(self) -> str:
        return self.kind + (f" :{self.name}" if self.name else "")


@dataclass
class WritePlan:
    batches: list[Batch] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LOAD_ORDER, 0))

    def add(self, kind: str, template: str, rows: list[dict], size: int, *, family=None, name=None):
        statements = split_statements(template)  # comments dropped: placeholders live in code only
        if len(statements) != 1:
            raise ValueError(f"a load file must hold exactly one statement ({kind}: {len(statements)})")
        statement = render(statements[0], family=family, name=name)
        for chunk in batched(rows, size):
            self.batches.append(Batch(kind, [statement], {"rows": chunk}, name, len(chunk)))
        self.rows[kind] = self.rows.get(kind, 0) + len(rows)


def _replace_params(records: GraphRecords, article_ids: list[str]) -> dict[str, Any]:
    ids = set(article_ids)
    event_ids = {r["id"] for r in records.events if r.get("article_id") in ids}
    event_ids |= {r["event_id"] for r in records.reports if r["article_id"] in ids}
    return {
        "article_ids": list(article_ids),
        "event_ids": sorted(event_ids),
        "link_keys": sorted({(r["source"], r["type"], r["target"], r["event_id"])
                             for r in records.links if r.get("article_id") in ids or r["event_id"] in event_ids}),
        "participant_keys": sorted({(r["entity_id"], r["role"], r["event_id"])
                                    for r in records.participants if r["event_id"] in event_ids}),
        "relation_keys": sorted({(r["source"], r["type"], r["target"])
                                 for r in records.relations if r.get("article_id") in ids}),
    }


def _keys_as_lists(params: dict[str, Any]) -> dict[str, Any]:
    return {k: [list(x) for x in v] if k.endswith("_keys") else v for k, v in params.items()}


def plan_write(records: GraphRecords, batch_size: int, *, replace: bool = True) -> WritePlan:
    """Every transaction :meth:`Neo4jStore.write` will run, in order, with its statement and rows."""
    if batch_size < 1:
        raise ValueError(f"batch size must be at least 1, got {batch_size}")
    records = canonical_view(records)
    plan = WritePlan()
    roles = ontology()["participant_roles"]
    if replace and records.articles:
        statements = [render(s) for s in split_statements(_read("load/replace_article.cypher"))]
        article_ids = list(dict.fromkeys(r["id"] for r in records.articles))
        for chunk in batched(article_ids, batch_size):
            params = _keys_as_lists(_replace_params(records, chunk))
            plan.batches.append(Batch("replace", statements, params, None, len(chunk)))
    plan.add("articles", _read("load/articles.cypher"), _article_rows(records), batch_size)
    template = _read("load/entities.cypher")
    for label, rows in _group(_entity_rows(records), "label").items():
        plan.add("entities", template, rows, batch_size, family="entity", name=label)
    template = _read("load/events.cypher")
    for label, rows in _group(_event_rows(records), "label").items():
        plan.add("events", template, rows, batch_size, family="event", name=label)
    rows = _participant_rows(records)
    for row in rows:  # accept the role keys of the ontology too ("actor" -> ACTOR_IN)
        row["role"] = roles.get(row["role"], row["role"])
    for role, rows in _group(rows, "role").items():
        if role == roles["location"]:
            plan.add("participants", _read("load/locations.cypher"), rows, batch_size, family="location", name=role)
        else:
            plan.add("participants", _read("load/participants.cypher"), rows, batch_size,
                     family="participant", name=role)
    plan.add("mentions", _read("load/mentions.cypher"), _mention_rows(records), batch_size)
    plan.add("reports", _read("load/reports.cypher"), _report_rows(records), batch_size)
    template = _read("load/relations.cypher")
    for rtype, rows in _group(_relation_rows(records), "type").items():
        plan.add("relations", template, rows, batch_size, family="relation", name=rtype)
    template = _read("load/links.cypher")
    for ltype, rows in _group(_link_rows(records), "type").items():
        plan.add("links", template, rows, batch_size, family="link", name=ltype)
    plan.add("fulfils", _read("load/fulfils.cypher"), _fulfils_rows(records), batch_size)
    plan.add("extractors", _read("load/extractors.cypher"),
             [{"id": r["id"], "extractor": r["extractor"]} for r in _article_rows(records)], batch_size)
    plan.add("retired", _read("load/retire_entities.cypher"), _retired_rows(records), batch_size)
    return plan


# ------------------------------------------------------------------------------ result values
def to_plain(value: Any) -> Any:
    """Neo4j result values -> JSON-able Python values.

    Temporal values become ISO strings, nodes ``{"_labels": [...], **properties}``, relationships
    ``{"_type", "_start", "_end", **properties}`` (start/end: the nodes' ``id`` property, else
    element id), paths ``{"nodes": [...], "relationships": [...]}``, points ``{"srid", "x", "y"[, "z"]}``.
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if neo4j is not None:
        from neo4j import graph as ngraph
        from neo4j import spatial, time as ntime

        if isinstance(value, (ntime.Date, ntime.DateTime, ntime.Time, ntime.Duration)):
            return value.iso_format()
        if isinstance(value, ngraph.Node):
            return {"_labels": sorted(value.labels), **{k: to_plain(v) for k, v in value.items()}}
        if isinstance(value, ngraph.Relationship):
            return {"_type": value.type, "_start": _node_key(value.start_node), "_end": _node_key(value.end_node),
                    **{k: to_plain(v) for k, v in value.items()}}
        if isinstance(value, ngraph.Path):
            return {"nodes": [to_plain(n) for n in value.nodes],
                    "relationships": [to_plain(r) for r in value.relationships]}
        if isinstance(value, spatial.Point):
            keys = ("x", "y", "z")[:len(value)]
            return {"srid": value.srid, **{k: float(v) for k, v in zip(keys, value)}}
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return str(value)


def _node_key(node) -> Any:
    if node is None:
        return None
    try:
        if "id" in node:
            return to_plain(node["id"])
    except TypeError:  # pragma: no cover
        pass
    return getattr(node, "element_id", None)


def _record_dict(record) -> dict[str, Any]:
    items = record.items() if hasattr(record, "items") else dict(record).items()
    return {k: to_plain(v) for k, v in items}


# ------------------------------------------------------------------------------ error messages
def _walk(exc: BaseException, seen=None) -> Iterator[BaseException]:
    seen = seen if seen is not None else set()
    if exc is None or id(exc) in seen:
        return
    seen.add(id(exc))
    yield exc
    for inner in getattr(exc, "exceptions", ()) or ():
        yield from _walk(inner, seen)
    yield from _walk(exc.__cause__, seen)
    yield from _walk(exc.__context__, seen)


def _first_line(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= 300 else text[:297] + "..."


def _reach_cause(exc: BaseException) -> str:
    text = " ".join(str(e) for e in _walk(exc)).lower()
    if "refused" in text:
        return "connection refused"
    if "dns" in text or "name or service not known" in text or "nodename nor servname" in text \
            or "getaddrinfo" in text or "name resolution" in text:
        return "the host name cannot be resolved"
    if "timed out" in text or "timeout" in text:
        return "the connection timed out"
    if "ssl" in text or "certificate" in text or "tls" in text:
        return "TLS handshake failed (check the scheme: bolt:// vs bolt+s://)"
    if "routing" in text:
        return "no routing information (a neo4j:// URI needs a reachable server; try bolt://)"
    msg = getattr(exc, "message", None) or str(exc)
    return _first_line(msg) or type(exc).__name__


def _code(exc: BaseException) -> str:
    code = getattr(exc, "code", None)
    return code if isinstance(code, str) else ""


def _server_message(exc: BaseException) -> str:
    msg = getattr(exc, "message", None)
    if not isinstance(msg, str) or not msg:
        msg = str(exc)
    return _first_line(msg)


# ------------------------------------------------------------------------------------- the store
@dataclass
class Neo4jWriteResult(WriteResult):
    """The embedded store's ``WriteResult`` plus ``batches`` / ``rows``: how many transactions and
    rows per kind were sent."""

    batches: int = 0
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LOAD_ORDER, 0))

    def add(self, other: "WriteResult") -> None:
        super().add(other)
        self.batches += getattr(other, "batches", 0)
        for kind, n in getattr(other, "rows", {}).items():
            self.rows[kind] = self.rows.get(kind, 0) + n


class Neo4jStore:
    """The graph in a Neo4j 5 server.

    Example::

        with Neo4jStore(Neo4jSettings()) as store:   # KG_NEO4J_URI, _USER, _PASSWORD, _DATABASE, _BATCH
            store.write(records)                     # the schema is created before the first write
            rows = store.run_query("met_between", {"date_from": "2025-08-01"})

    Every method raises :class:`Neo4jUnavailable` (one line naming the URI and the cause) when the
    server cannot be used, :class:`Neo4jWriteError` when a write fails part-way and
    :class:`Neo4jQueryError` when the server rejects a query.
    """

    def __init__(self, settings: Neo4jSettings | None = None, *, driver=None, curation=None):
        """``curation``: a :class:`kg.curation.Curation` applied to every write (for ``kg ingest
        --neo4j``, which does not go through the embedded store; records from
        ``SQLiteStore.iter_records`` are curated already and applying it again changes nothing)."""
        self.curation = curation
        self.settings = settings if settings is not None else Neo4jSettings()
        if not self.settings.uri:
            raise Neo4jUnavailable("Neo4j is not configured: set KG_NEO4J_URI (e.g. bolt://localhost:7687; "
                                   "see docs/neo4j.md)")
        if int(self.settings.batch_size) < 1:
            raise Neo4jUnavailable(f"KG_NEO4J_BATCH must be at least 1, got {self.settings.batch_size}")
        self.uri = self.settings.uri
        self._driver = driver
        self._verified = False
        self._schema_ready = False

    # -------------------------------------------------------------------------- lifecycle
    def __enter__(self) -> "Neo4jStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._driver is not None:
            try:
                self._driver.close()
            except Exception:  # closing a broken connection must not hide the real error
                pass
            self._driver = None
            self._verified = False

    def _unavailable(self, exc: BaseException) -> Neo4jStoreError:
        """The one-line error for a driver exception."""
        s = self.settings
        db = s.database or "neo4j (the default)"
        if neo4j_exceptions is not None:
            if isinstance(exc, neo4j_exceptions.AuthError) or _code(exc).startswith("Neo.ClientError.Security."):
                if "RateLimit" in _code(exc) or "too many times" in _server_message(exc):
                    return Neo4jUnavailable(f"Neo4j at {self.uri} rejected the credentials for user '{s.user}' too "
                                            f"many times and now blocks logins for a while (set KG_NEO4J_PASSWORD, "
                                            f"then wait)")
                if _code(exc) == "Neo.ClientError.Security.Forbidden" or isinstance(exc, neo4j_exceptions.Forbidden):
                    return Neo4jUnavailable(f"Neo4j at {self.uri}: user '{s.user}' may not do this on database "
                                            f"{db}: {_server_message(exc)}")
                return Neo4jUnavailable(f"Neo4j at {self.uri} rejected the credentials for user '{s.user}' "
                                        f"(set KG_NEO4J_PASSWORD)")
            if _code(exc) == _DATABASE_NOT_FOUND:
                return Neo4jUnavailable(f"Neo4j at {self.uri} has no database '{s.database}' (set "
                                        f"KG_NEO4J_DATABASE, or unset it for the default; Community edition has "
                                        f"only 'neo4j')")
            if isinstance(exc, neo4j_exceptions.DatabaseUnavailable):
                return Neo4jUnavailable(f"Neo4j at {self.uri}: database {db} is not available "
                                        f"({_server_message(exc)})")
            if isinstance(exc, neo4j_exceptions.TransientError):
                return Neo4jUnavailable(f"Neo4j at {self.uri} is busy or recovering and the driver's retries ran "
                                        f"out ({_code(exc)}: {_server_message(exc)}); try again")
            if isinstance(exc, (neo4j_exceptions.ServiceUnavailable, neo4j_exceptions.SessionExpired,
                                neo4j_exceptions.ConnectionPoolError)):
                return Neo4jUnavailable(f"cannot reach Neo4j at {self.uri}: {_reach_cause(exc)} — {_HINT_START}")
            if isinstance(exc, neo4j_exceptions.Neo4jError):
                return Neo4jQueryError(f"Neo4j at {self.uri} rejected the query: {_code(exc) or type(exc).__name__}: "
                                       f"{_server_message(exc)}")
            if isinstance(exc, neo4j_exceptions.ConfigurationError):
                return Neo4jUnavailable(f"invalid Neo4j settings for {self.uri}: {_first_line(str(exc))}")
            if isinstance(exc, neo4j_exceptions.DriverError):
                return Neo4jUnavailable(f"Neo4j at {self.uri}: {type(exc).__name__}: {_first_line(str(exc))}")
        if isinstance(exc, OSError):
            return Neo4jUnavailable(f"cannot reach Neo4j at {self.uri}: {_reach_cause(exc)} — {_HINT_START}")
        return Neo4jUnavailable(f"Neo4j at {self.uri}: {type(exc).__name__}: {_first_line(str(exc))}")

    def _translatable(self, exc: BaseException) -> bool:
        if isinstance(exc, OSError):
            return True
        return neo4j_exceptions is not None and isinstance(
            exc, (neo4j_exceptions.Neo4jError, neo4j_exceptions.DriverError))

    def _connect(self):
        if self._driver is None:
            if neo4j is None:  # pragma: no cover
                raise Neo4jUnavailable("the 'neo4j' Python driver is not installed (pip install neo4j)")
            scheme = self.uri.split("://", 1)[0].lower() if "://" in self.uri else ""
            if scheme not in _SCHEMES:
                raise Neo4jUnavailable(f"invalid Neo4j URI {self.uri!r}: use bolt://host:7687 (or "
                                       f"{', '.join(s + '://' for s in _SCHEMES[1:])})")
            try:
                self._driver = neo4j.GraphDatabase.driver(self.uri, auth=(self.settings.user, self.settings.password),
                                                          user_agent="kg")
            except Exception as exc:
                raise Neo4jUnavailable(f"invalid Neo4j URI {self.uri!r}: {_first_line(str(exc)) or type(exc).__name__} "
                                       f"(use bolt://host:7687 or neo4j://host:7687)") from exc
        if not self._verified:
            try:
                self._driver.verify_connectivity()
            except Exception as exc:
                if self._translatable(exc):
                    raise self._unavailable(exc) from exc
                raise
            self._verified = True
        return self._driver

    def _session(self):
        return self._connect().session(database=self.settings.database)

    def _call(self, fn: Callable, *args):
        """Run fn(session, *args) and translate driver errors."""
        try:
            with self._session() as session:
                return fn(session, *args)
        except Neo4jStoreError:
            raise
        except Exception as exc:
            if self._translatable(exc):
                raise self._unavailable(exc) from exc
            raise

    # ------------------------------------------------------------------------------ API
    def ping(self) -> dict[str, Any]:
        """Connect, authenticate and open the database; ``{"uri", "server", "database"}``."""
        driver = self._connect()

        def probe(session):
            return session.execute_read(lambda tx: tx.run("RETURN 1 AS ok").data())

        self._call(probe)
        server = None
        try:
            info = driver.get_server_info()
            server = getattr(info, "agent", None)
        except Exception:
            pass
        return {"uri": self.uri, "server": server, "database": self.settings.database or "neo4j"}

    def init_schema(self) -> list[str]:
        """Create the constraints and indexes of cypher/schema.cypher (idempotent); wait until online."""
        statements = split_statements(_read("schema.cypher"))

        def run(session):
            for statement in statements:
                session.run(statement).consume()
            session.run("CALL db.awaitIndexes($seconds)", {"seconds": 300}).consume()

        self._call(run)
        self._schema_ready = True
        return statements

    def write(self, records: GraphRecords, *, replace: bool = True,
              progress: Callable[[Batch, int, int], None] | None = None) -> Neo4jWriteResult:
        """Load records: ``batch_size`` rows per transaction, kinds in dependency order.

        With ``replace`` (default) the facts the articles asserted before are replaced first (see
        cypher/load/replace_article.cypher). ``progress(batch, done, total)`` is called after each
        committed batch. A failure raises :class:`Neo4jWriteError` saying how many batches were
        committed; the committed ones stay (re-running the same write is safe: it is idempotent).
        """
        if self.curation:
            records = self.curation.apply(records)
            known = {r.get("id") for r in records.retired_entities}
            records.retired_entities = [*records.retired_entities,
                                        *(r for r in self.curation.retired() if r["id"] not in known)]
        records = canonical_view(records)
        plan = plan_write(records, int(self.settings.batch_size), replace=replace)
        result = Neo4jWriteResult(rows=dict(plan.rows), events=len(records.events),
                                  edges=len(records.participants) + len(records.relations) + len(records.links),
                                  entity_ids={e["id"] for e in records.entities})
        total = len(plan.batches)
        if not total:
            return result
        if not self._schema_ready:
            self.init_schema()
        committed = 0
        stored_hashes: dict[str, Any] = {}
        created = {"articles": 0, "entities": 0}
        try:
            with self._session() as session:
                for batch in plan.batches:
                    info = session.execute_write(_run_batch, batch) or {}
                    stored_hashes.update(info.get("existing", {}))
                    if batch.kind in created:
                        created[batch.kind] += info.get("nodes_created", 0)
                    committed += 1
                    if progress is not None:
                        progress(batch, committed, total)
        except Exception as exc:
            if not self._translatable(exc):
                raise
            cause = str(self._unavailable(exc))
            failed = plan.batches[committed].describe() if committed < total else "?"
            raise Neo4jWriteError(f"{cause}; the write failed in batch {committed + 1} of {total} ({failed}): "
                                  f"{committed} of {total} batches were committed before the failure and stay "
                                  f"(re-run the same write to finish: it is idempotent)",
                                  committed=committed, total=total) from exc
        result.batches = total
        new_hashes = article_hashes(records)
        if replace:
            for aid, new_hash in new_hashes.items():
                if aid not in stored_hashes:
                    result.articles_new += 1
                elif stored_hashes[aid] == new_hash:
                    result.articles_unchanged += 1
                else:
                    result.articles_replaced += 1
        else:
            result.articles_new = created["articles"]
            result.articles_replaced = len(new_hashes) - created["articles"]
        result.entities_new = created["entities"]
        result.entities_updated = len(result.entity_ids) - created["entities"]
        return result

    def push(self, chunks: Iterable[GraphRecords], *, articles_per_write: int | None = None,
             progress: Callable[[int], None] | None = None) -> Neo4jWriteResult:
        """Write many GraphRecords (e.g. ``SQLiteStore.iter_records()``, one per article), grouped so
        that each write handles up to ``articles_per_write`` (default: batch size) articles: far
        fewer transactions than one write per article. ``progress(articles_done)`` after each write."""
        size = articles_per_write or int(self.settings.batch_size)
        total = Neo4jWriteResult()
        pending = GraphRecords()

        def flush():
            nonlocal pending
            if not len(pending):
                return
            total.add(self.write(pending))
            pending = GraphRecords()
            if progress is not None:
                progress(total.articles)

        for chunk in chunks:
            pending.extend(chunk)
            if len(pending.articles) >= size:
                flush()
        flush()
        return total

    def article_extractor(self, article_id: str) -> str | None:
        """The extractor that produced the stored version of an article (None: not stored)."""
        rows = self.query("MATCH (a:Article {id: $id}) RETURN a.extractor AS extractor", {"id": article_id})
        return rows[0]["extractor"] if rows else None

    def has_article(self, article_id: str, extractor: str | None = None) -> bool:
        rows = self.query("MATCH (a:Article {id: $id}) RETURN a.extractor AS extractor", {"id": article_id})
        return bool(rows) and (extractor is None or rows[0]["extractor"] == extractor)

    def query(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one read-only statement; rows as JSON-able dicts."""
        params = dict(params or {})

        def run(session):
            return session.execute_read(lambda tx: [_record_dict(r) for r in tx.run(cypher, params)])

        return self._call(run)

    def run_query(self, name_or_path: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """:func:`load_query` + :meth:`query`; ``params`` override the file's ``:param`` defaults."""
        text, defaults = load_query(name_or_path)
        return self.query(text, {**defaults, **(params or {})})

    def counts(self) -> dict[str, Any]:
        """``{"nodes": {label: n}, "relationships": {type: n}, "total_nodes": n, "total_relationships": n}``
        for the labels / types of the ontology and the store (zero counts left out); from Neo4j's
        count store, so cheap on any size."""
        labels = list(dict.fromkeys([*NODE_LABELS, *whitelist()["entity"], *whitelist()["event"]]))
        types = list(dict.fromkeys([*STORE_TYPES, *whitelist()["participant"], *whitelist()["location"],
                                    *whitelist()["relation"], *whitelist()["link"]]))
        known = allowed_names()

        def read(tx):
            nodes, rels = {}, {}
            for label in labels:
                assert label in known
                n = tx.run(f"MATCH (n:`{label}`) RETURN count(n) AS n").single()["n"]
                if n:
                    nodes[label] = n
            for rtype in types:
                assert rtype in known
                n = tx.run(f"MATCH ()-[r:`{rtype}`]->() RETURN count(r) AS n").single()["n"]
                if n:
                    rels[rtype] = n
            total_nodes = tx.run("MATCH (n) RETURN count(n) AS n").single()["n"]
            total_rels = tx.run("MATCH ()-[r]->() RETURN count(r) AS n").single()["n"]
            return {"nodes": nodes, "relationships": rels, "total_nodes": total_nodes,
                    "total_relationships": total_rels}

        return self._call(lambda session: session.execute_read(read))


def _nodes_created(summary) -> int:
    counters = getattr(summary, "counters", None)
    return int(getattr(counters, "nodes_created", 0) or 0)


def _run_batch(tx, batch: Batch) -> dict[str, Any]:
    """One managed write transaction (retried by the driver on transient errors)."""
    if batch.kind != "replace":
        created = 0
        for statement in batch.statements:
            created += _nodes_created(tx.run(statement, batch.params).consume())
        return {"nodes_created": created}
    stored, owned_query, *rest = batch.statements
    existing = {r["id"]: r.get("records_hash") for r in tx.run(stored, batch.params).data()}
    rows = tx.run(owned_query, batch.params).data()
    owned = list(rows[0]["owned"]) if rows and rows[0].get("owned") else []
    new_ids = set(batch.params["event_ids"])
    params = {**batch.params, "owned": owned, "drop": [e for e in owned if e not in new_ids]}
    for statement in rest:
        tx.run(statement, params).consume()
    return {"existing": existing}
