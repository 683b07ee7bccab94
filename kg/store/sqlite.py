"""The embedded default store: one SQLite file in WAL mode; every article is written whole or not at all.

Each :meth:`SQLiteStore.write` of an article is its own transaction, except inside a group
(:meth:`SQLiteStore.begin_group`, used by ``kg ingest``): there every article is written in its own
savepoint and the group's transaction is committed every ``GROUP_ARTICLES`` articles or
``GROUP_SECONDS`` seconds, so that the cost of a commit (and of the pages it writes) is shared.

It loads the same :class:`kg.build.GraphRecords` as the Neo4j store. An article's facts (events,
relations, links, mentions) are keyed by the article id, so writing an article again replaces
exactly its facts: the same article twice changes nothing, a re-extracted article replaces its old
facts. Entities are shared across articles; an entity that no article mentions any more is removed.

One world across articles:

- user decisions (``decisions``: aliases, merges, renames, see :mod:`kg.curation`) are applied to
  every article's records when they are written; the records as the extractor made them are kept
  (``article_records``, ``raw_entities``) so that a new or withdrawn decision can be re-applied to
  the articles it concerns;
- after each article write, inside the same transaction, :class:`kg.merge.EventMerger` assigns the
  article's events to canonical events (``canonical_events``, ``event_members``, ``event_dates``,
  ``event_links``; see :mod:`kg.merge` for the rule).
"""
from __future__ import annotations

import json
from json.encoder import encode_basestring as _json_string
from functools import lru_cache
import sqlite3
import time
import unicodedata
import zlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from kg import merge as event_merge
from kg.build import KINDS, GraphRecords, _links
from kg.store import WriteResult  # noqa: F401  (also kg.store.sqlite.WriteResult)
from kg.curation import Curation, CurationError, Decision, now

SCHEMA_VERSION = 6
# Group commits (kg ingest). An article's rows go to the last pages of many key ranges (an entity's
# participants, aliases, links; a canonical-event key group) and to random pages of the index of
# canonical events by public id (a hash): a transaction of many articles writes a page touched by
# several of them once, so larger groups write fewer pages per article (see docs/scale.md).
GROUP_ARTICLES = 1024   # articles per transaction at most ...
GROUP_SECONDS = 30.0    # ... and seconds a group transaction stays open at most (checked per article)
FIRST_GROUP = (256, 7.5)  # the first group of a run is smaller (articles, seconds), each next one twice
                          # as large up to the limits above: a run stopped early (kill -9, a crash)
                          # keeps its first articles, a long run writes in large groups
WAL_AUTOCHECKPOINT_PAGES = 100000  # ~400 MB of WAL between checkpoints while writing (default 1000)
CACHE_KIB = 393216                 # page cache of a writing connection (default 2 MB): most of the
                                   # indexes that writing touches stay in memory (64 MB: ~50% slower
                                   # writes at 9,000 articles)

RAW_LEVEL = 1   # zlib level of the kept extractor records (article_records): ~6x smaller JSON, ~0.2 ms
                # an article; they are read back only when a curation decision is re-applied

_PARTICIPANTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS participants (
    event_id TEXT NOT NULL, entity_id TEXT NOT NULL, role TEXT NOT NULL, article_id TEXT NOT NULL,
    PRIMARY KEY (article_id, event_id, entity_id, role)
);
CREATE INDEX IF NOT EXISTS participants_entity ON participants (entity_id);
"""
"""Keyed by article first (version 4), in a table with rowids (version 6): the index by entity then
holds (entity, rowid), so an entity's new rows go to the end of its range; without rowids it held
(entity, article id, ...), and every new row of a much-mentioned entity went to a random page of
its range (~20 pages an article at 9,000 articles, against ~6 at 1,000)."""

_EVENTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id TEXT NOT NULL, article_id TEXT NOT NULL, type TEXT NOT NULL, label TEXT, summary TEXT,
    modality TEXT, confidence REAL, date_start TEXT, date_end TEXT, date_precision TEXT, date_text TEXT,
    trigger TEXT, quote TEXT,
    PRIMARY KEY (article_id, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_date ON events (date_start);
"""
"""Keyed by article first (schema version 6; before, by event id, a hash: each event put a row on a
random page of that index). Events are looked up by (article, event id), as members, participants
and reports know the article; a look-up by an event id alone (``kg event ID`` of an event that is
not the first report of its merged event) reads the members table (~20 ms at 9,000 articles once
its pages are cached)."""

_ALIASES_SCHEMA = """
CREATE TABLE IF NOT EXISTS entity_aliases (
    entity_id TEXT NOT NULL, alias TEXT NOT NULL, folded TEXT NOT NULL, article_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entity_aliases_entity ON entity_aliases (entity_id);
CREATE INDEX IF NOT EXISTS entity_aliases_folded ON entity_aliases (folded);
CREATE INDEX IF NOT EXISTS entity_aliases_article ON entity_aliases (article_id);
"""
_LINKS_SCHEMA = """
CREATE TABLE IF NOT EXISTS links (
    source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL, event_id TEXT NOT NULL,
    event_type TEXT, date_start TEXT, date_end TEXT, date_precision TEXT, modality TEXT, article_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS links_source ON links (source);
CREATE INDEX IF NOT EXISTS links_target ON links (target);
CREATE INDEX IF NOT EXISTS links_article ON links (article_id);
"""
"""Aliases and links (version 4) have no primary key: a key ending in an article or event id (a
hash) put every new row of a much-mentioned entity or pair on a random page of its group. Indexed
by entity and by source (version 6; by (entity, alias) and (source, type, target) before: one range
per name or pair, thousands of them, each new row on the last page of its own), new rows go to the
end of their entity's range (rowid order); the readers ask for an entity's aliases and links. The
writer adds each row once per article (duplicates are dropped before the insert)."""

_OLD_INDEXES = (("links_pair", ""), ("entity_aliases_entity", "(entity_id, alias)"))
"""Indexes of an older layout (name, a text of their definition; empty: any definition), dropped
when a store is opened for writing; the schema creates their successors."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, title TEXT, url TEXT, published TEXT, language TEXT, source TEXT,
    extractor TEXT, ingested_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
);
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, label TEXT, name TEXT NOT NULL, wikidata TEXT
);
""" + _ALIASES_SCHEMA + """CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL, entity_id TEXT NOT NULL, count INTEGER, evidence TEXT, start INTEGER, "end" INTEGER,
    PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions (entity_id);
""" + _EVENTS_SCHEMA + _PARTICIPANTS_SCHEMA + """CREATE TABLE IF NOT EXISTS reports (
    article_id TEXT NOT NULL, event_id TEXT NOT NULL, evidence TEXT, starts TEXT, ends TEXT,
    PRIMARY KEY (article_id, event_id)
);
CREATE TABLE IF NOT EXISTS relations (
    source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL, article_id TEXT NOT NULL,
    role TEXT, confidence REAL, evidence TEXT, start INTEGER, "end" INTEGER,
    PRIMARY KEY (source, type, target, article_id)
);
CREATE INDEX IF NOT EXISTS relations_article ON relations (article_id);
""" + _LINKS_SCHEMA + """CREATE TABLE IF NOT EXISTS article_records (article_id TEXT PRIMARY KEY, records TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS raw_entities (
    article_id TEXT NOT NULL, entity_id TEXT NOT NULL, folded TEXT NOT NULL,
    PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX IF NOT EXISTS raw_entities_id ON raw_entities (entity_id);
CREATE INDEX IF NOT EXISTS raw_entities_folded ON raw_entities (folded);
CREATE TABLE IF NOT EXISTS decisions (
    action TEXT NOT NULL, key TEXT NOT NULL, subject TEXT NOT NULL, target TEXT, name TEXT, type TEXT,
    subject_name TEXT, created TEXT, seq INTEGER NOT NULL,
    PRIMARY KEY (action, key)
);
"""
"""The tables of the store but the canonical layer (``kg.merge.SCHEMA``), which is created after an
older store's layer was migrated (its indexes name columns the older tables lack)."""

_REKEYED = (("events", "id TEXT PRIMARY KEY", _EVENTS_SCHEMA),
            ("participants", "PRIMARY KEY (event_id, entity_id, role)", _PARTICIPANTS_SCHEMA),
            ("participants", "WITHOUT ROWID", _PARTICIPANTS_SCHEMA),
            ("entity_aliases", "PRIMARY KEY (entity_id, alias, article_id)", _ALIASES_SCHEMA),
            ("links", "PRIMARY KEY (source, type, target, event_id)", _LINKS_SCHEMA))
"""Tables whose older layout (marked by a text of their CREATE statement) put rows on random pages,
and their current layout (see :meth:`SQLiteStore._rekey`; event_members: see
:meth:`SQLiteStore._migrate_canonical`): events keyed by event id (to version 5), participants by
event id (version 3) or without rowids (versions 4-5), aliases and links with keys ending in a hash
(version 3)."""

_CKEYED = {
    "event_members": ("event_id, ckey, article_id", "o.event_id, ce.ckey, o.article_id"),
    "canonical_participants": ("ckey, entity_id, role", "ce.ckey, o.entity_id, o.role"),
    "canonical_keys": ("type, modality, entity_id, actor, span_class, window_start, window_end, ckey",
                       "o.type, o.modality, o.entity_id, o.actor, o.span_class, o.window_start, o.window_end, ce.ckey"),
    "event_dates": ("ckey, event_id, article_id, value, precision, date_text, published",
                    "ce.ckey, o.event_id, o.article_id, o.value, o.precision, o.date_text, o.published"),
    "canonical_readings": ("ckey, value, precision, articles, first_key, event_id, article_id, published, date_text",
                           "ce.ckey, o.value, o.precision, o.articles, o.first_key, o.event_id, o.article_id, "
                           "o.published, o.date_text"),
}
"""Version 5: the tables that refer to a canonical event by ``ckey`` instead of its public id, and
how a version 3 or 4 table (``o``, joined to the new canonical_events ``ce`` by public id) is copied
into them (see :meth:`SQLiteStore._migrate_canonical`)."""

_PER_ARTICLE = ("entity_aliases", "mentions", "events", "participants", "reports", "relations", "links",
                "raw_entities", "article_records")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used to look names up (names recur across
    articles: cached)."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("ß", "ss").casefold()
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text)).strip()


def json_list(values: list) -> str:
    """``json.dumps(values, ensure_ascii=False)`` for the lists of a report (sentences, offsets),
    without building an encoder per call (three lists per event: a tenth of the store's time)."""
    if all(type(v) is str for v in values):
        return "[" + ", ".join(map(_json_string, values)) + "]"
    if all(type(v) is int for v in values):
        return "[" + ", ".join(map(str, values)) + "]"
    return json.dumps(values, ensure_ascii=False)


def _preferred_name(old: str, new: str) -> str:
    """The name an entity keeps when an article spells it differently: the newest spelling, except
    that a spelling with diacritics is not replaced by the same name without them ("Jürgen Köhler"
    stays when an English article writes "Jurgen Kohler": both are person:jurgen-kohler)."""
    if old and new and old != new and fold(old) == fold(new):
        def marks(text):
            return sum(1 for ch in text if ord(ch) > 127)
        if marks(old) > marks(new):
            return old
    return new


def _like_escape(text: str) -> str:
    """`text` as a literal inside a LIKE pattern (fold() keeps '_', a LIKE wildcard)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class StoreError(Exception):
    pass


class SQLiteStore:
    def __init__(self, path: str | Path, *, readonly: bool = False):
        self.path = Path(path)
        if readonly and not self.path.exists():
            raise StoreError(f"{self.path}: no store here yet (run 'kg ingest' first, or give --db)")
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # which (type, entity) pairs have planned events: lets the merger skip empty look-ups
        self._planned = event_merge.PlannedKeys()
        try:
            self._connect()
            self._curation: Curation | None = None
            self._readonly = readonly
            self._group: _Group | None = None
            if not readonly:
                # Writing (ingest): one commit per article. SQLite's default checkpoints the WAL
                # into the database every 1000 pages, i.e. every few articles, rewriting the same
                # index pages again and again; checkpoint rarely instead (and once on close). A
                # larger page cache keeps the merge indexes in memory.
                self.conn.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
                self.conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
                fresh = not self.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                              "AND name = 'articles'").fetchone()[0]
                self.conn.executescript(_SCHEMA)
                self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                                  (str(SCHEMA_VERSION if fresh else 1),))
                self._migrate()
                for name, text in _OLD_INDEXES:
                    row = self.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                                            (name,)).fetchone()
                    if row is not None and text in row[0]:
                        self.conn.execute(f"DROP INDEX {name}")
                self.conn.executescript(_SCHEMA + event_merge.SCHEMA)
            elif self.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                   "AND name IN ('meta', 'articles')").fetchone()[0] < 2:
                # an empty file or another program's SQLite database: reading would fail later
                # with "no such table" tracebacks
                self.conn.close()
                raise StoreError(f"{self.path}: not a kg store (a SQLite file without kg's tables)")
            elif self._version() < SCHEMA_VERSION:
                # written by an older kg: upgrade it (as opening it for writing does), then read
                self.conn.close()
                try:
                    SQLiteStore(self.path).close()
                except (StoreError, sqlite3.Error) as exc:
                    raise StoreError(f"{self.path}: made by an older kg; it is upgraded when opened for "
                                     f"writing, which failed ({exc})") from exc
                self._connect()
        except sqlite3.DatabaseError as exc:
            if getattr(self, "conn", None) is not None:
                self.conn.close()
            raise StoreError(f"{self.path}: not a kg store ({exc})") from exc

    def _connect(self) -> None:
        # statements differ by the length of their IN (...) lists: keep more of them compiled
        self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30, cached_statements=1024)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=OFF")

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        if self._group is not None:
            try:   # an open group holds whole articles only: keep them
                self.end_group()
            except sqlite3.Error:
                pass
        if not self._readonly:
            try:   # fold the WAL into the database and truncate it (readers need not replay it)
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass   # another connection is reading: the next writer checkpoints
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @contextmanager
    def transaction(self):
        """One transaction; inside an open group (:meth:`begin_group`) a savepoint of the group's."""
        if self._group is not None and self.conn.in_transaction:
            with self._savepoint():
                yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:  # includes KeyboardInterrupt: the interrupted article is rolled back
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    @contextmanager
    def _savepoint(self):
        """Undo everything done inside on an exception (KeyboardInterrupt too), keep it otherwise."""
        self.conn.execute("SAVEPOINT article")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:   # SQLite may have rolled the whole transaction back itself
                self.conn.execute("ROLLBACK TO article")
                self.conn.execute("RELEASE article")
            else:
                self._group_lost()
            raise
        self.conn.execute("RELEASE article")

    # ------------------------------------------------------------------ group commits
    def begin_group(self, articles: int | None = None, seconds: float = GROUP_SECONDS) -> None:
        """Group commits (``kg ingest``): from now on :meth:`write` writes each article inside a
        savepoint of one open transaction, committed once it holds ``articles`` articles or is
        ``seconds`` old (checked after each article), or by :meth:`commit` / :meth:`end_group`.
        Without ``articles``: up to ``GROUP_ARTICLES``, starting from ``FIRST_GROUP`` (the first
        group of 256 articles or 7.5 seconds, each next one twice as large).
        An article whose write fails (an exception, Ctrl-C) is rolled back to its savepoint: the
        articles written before it in the group stay and are committed by the next commit. A crash
        of the process loses the open group as a whole (never part of an article)."""
        if articles is None:
            self._group = _Group(GROUP_ARTICLES, seconds, first=FIRST_GROUP)
        else:
            self._group = _Group(max(1, articles), seconds)

    def commit(self) -> WriteResult:
        """Commit the open group; what it committed (nothing when no group transaction is open)."""
        group = self._group
        if group is None or not self.conn.in_transaction:
            if group is not None:
                group.reset()
            return WriteResult()
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            group.reset()
            raise
        done = group.pending
        group.reset()
        group.commits += 1
        return done

    def end_group(self) -> WriteResult:
        """Commit the open group and write each article in its own transaction again."""
        try:
            return self.commit()
        finally:
            self._group = None

    def _group_lost(self) -> None:
        """SQLite rolled the group's transaction back (an I/O error, disk full): nothing of it is stored."""
        if self._group is not None:
            self._group.reset()

    def _version(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else SCHEMA_VERSION

    def _migrate(self) -> None:
        """Upgrade an older store in place. Version 1 (before canonical events and curation): keep
        each article's records as the extractor's. Versions 1 and 2 (canonical events aggregated by
        reading every member, keyed by month): recompute the canonical event layer. Version 3:
        key participants by article, aliases and links by entity (:meth:`_rekey`). Versions 3 and
        4: refer to canonical events by ckey (:meth:`_migrate_canonical`). Versions 3 to 5: key
        events by article, give participants rowids (:meth:`_rekey`), drop the key rows of the
        targets of non-symmetric events. About 10-20 seconds for 10,000 articles, except the
        recomputation."""
        version = self._version()
        if version >= SCHEMA_VERSION:
            return
        with self.transaction():
            if version < 2:
                for rec in list(self.iter_records(canonical=False)):
                    self._keep_raw(rec)
            self._rekey()
            self._migrate_canonical(rebuild=version < 3)
            if version >= 3:   # version 6: no key rows for the targets of non-symmetric types
                symmetric = sorted({t for (t,) in self.conn.execute("SELECT DISTINCT type FROM canonical_keys")
                                    if event_merge.event_link(t)[1]})
                self.conn.execute(f"DELETE FROM canonical_keys WHERE actor = 0 AND type NOT IN "
                                  f"({','.join('?' * len(symmetric))})", symmetric)
            self.conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))

    def _migrate_canonical(self, rebuild: bool) -> None:
        """Version 5: the canonical layer refers to canonical events by ``ckey`` (see
        :data:`kg.merge.SCHEMA`). A version 3 or 4 layer is copied (ckeys in the order the
        canonical events were created); an older one, or one that lacks a column, is recomputed
        (:func:`kg.merge.rebuild`)."""
        c = self.conn
        columns = {t: [r[1] for r in c.execute(f"PRAGMA table_info({t})")] for t in event_merge.CANONICAL_TABLES}
        if "ckey" in columns["canonical_events"]:
            return
        for table in event_merge.CANONICAL_TABLES:    # the indexes of the new tables take the same names
            self._drop_indexes(table)
        wanted = {t: {col.strip() for col in new.split(",")} - {"ckey"} | {"canonical_id"}
                  for t, (new, _) in _CKEYED.items()}
        copy = columns["canonical_events"] and not rebuild and all(
            wanted[t] <= set(columns[t]) for t in _CKEYED)
        renamed = []
        for table in event_merge.CANONICAL_TABLES:
            if columns[table] and table != "event_links":
                c.execute(f"ALTER TABLE {table} RENAME TO {table}_v4")
                renamed.append(table)
        self._run_script(event_merge.SCHEMA)
        if copy:
            cols = ", ".join(f'"{col}"' for col in columns["canonical_events"])
            c.execute(f"INSERT INTO canonical_events (ckey, {cols}) SELECT rowid, {cols} FROM canonical_events_v4 "
                      f"ORDER BY rowid")
            for table, (new, old) in _CKEYED.items():
                c.execute(f"INSERT OR IGNORE INTO {table} ({new}) SELECT {old} FROM {table}_v4 o "
                          f"JOIN canonical_events ce ON ce.id = o.canonical_id ORDER BY ce.ckey")
        for table in renamed:
            c.execute(f"DROP TABLE {table}_v4")
        if not copy:
            event_merge.rebuild(c)

    def _rekey(self) -> None:
        """Tables of an older layout (:data:`_REKEYED`) are copied into their current one: events
        and participants keyed by article first, not by event id (participants with rowids, so
        that the index by entity grows at the end of each entity's range); aliases and links
        indexed without the article or event id at the end of their key."""
        c = self.conn
        for table, old_key, schema in _REKEYED:
            row = c.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
            if row is None or old_key not in row[0]:
                continue
            columns = ", ".join(f'"{r[1]}"' for r in c.execute(f"PRAGMA table_info({table})"))
            self._drop_indexes(table)   # the new layout's indexes take the same names
            c.execute(f"ALTER TABLE {table} RENAME TO {table}_v3")
            self._run_script(schema)
            c.execute(f"INSERT OR IGNORE INTO {table} ({columns}) SELECT {columns} FROM {table}_v3")
            c.execute(f"DROP TABLE {table}_v3")

    def _drop_indexes(self, table: str) -> None:
        """Drop the indexes of a table (not those of its primary key or UNIQUE columns)."""
        for (index,) in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                          "AND sql IS NOT NULL", (table,)).fetchall():
            self.conn.execute(f"DROP INDEX {index}")

    def _run_script(self, script: str) -> None:
        """The statements of a schema script, inside the open transaction (executescript commits)."""
        for statement in script.split(";"):
            if statement.strip():
                self.conn.execute(statement)

    def _has_table(self, name: str) -> bool:
        return bool(self.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                                      (name,)).fetchone()[0])

    def _require_canonical(self) -> None:
        if not self._has_table("canonical_events"):
            raise StoreError(f"{self.path}: this store predates merged events; open it once for writing "
                             f"(e.g. 'kg ingest' of any article) to upgrade it")

    # ------------------------------------------------------------------ writing
    def article_extractor(self, article_id: str) -> str | None:
        row = self.conn.execute("SELECT extractor FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row["extractor"] if row else None

    def has_article(self, article_id: str, extractor: str | None = None) -> bool:
        stored = self.article_extractor(article_id)
        return stored is not None and (extractor is None or stored == extractor)

    def write(self, records: GraphRecords) -> WriteResult:
        """Write the records of one or more articles, each article whole or not at all: each in its
        own transaction, or inside an open group (:meth:`begin_group`) in a savepoint of the group's
        transaction. What was committed by this call: every article written, or in a group the
        articles of the group transaction committed by this call (none while it stays open)."""
        group = self._group
        if group is None:
            result = WriteResult()
            for art_records in _split_by_article(records):
                with self.transaction():
                    result.add(self._write_article(art_records))
            return result
        committed = WriteResult()
        for art_records in _split_by_article(records):
            if not self.conn.in_transaction:
                group.reset()
                self.conn.execute("BEGIN IMMEDIATE")
                group.started = time.monotonic()
            with self._savepoint():
                res = self._write_article(art_records)
            group.pending.add(res)
            group.articles += 1
            if group.full():
                committed.add(self.commit())
        return committed

    def _write_article(self, rec: GraphRecords) -> WriteResult:
        c = self.conn
        res = WriteResult()
        art = rec.articles[0]
        existing = c.execute("SELECT extractor FROM articles WHERE id = ?", (art["id"],)).fetchone()
        before = self._article_fingerprint(art["id"]) if existing else None
        self._planned.check(c)      # forgets what it knew if another connection has committed
        merger = event_merge.EventMerger(c, planned_keys=self._planned)
        # entities that can lose their last mention here: the article's old ones and its new ones
        # (after every write no entity is without a mention, so no others need checking)
        maybe_orphans = {ent["id"] for ent in rec.entities}
        if existing:
            maybe_orphans |= {r[0] for r in c.execute("SELECT entity_id FROM mentions WHERE article_id = ?",
                                                      (art["id"],))}
            merger.remove_article(art["id"])
            for table in _PER_ARTICLE:
                c.execute(f"DELETE FROM {table} WHERE article_id = ?", (art["id"],))
        self._keep_raw(rec)
        rec = self.curation().apply(rec)
        c.execute(
            "INSERT INTO articles (id, title, url, published, language, source, extractor) VALUES (?,?,?,?,?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET title=excluded.title, url=coalesce(excluded.url, url), "
            "published=excluded.published, language=excluded.language, source=excluded.source, "
            "extractor=excluded.extractor",
            (art["id"], art["title"], art["url"], art["published"], art["language"], art["source"], art["extractor"]),
        )
        stored = {}
        ids = sorted({ent["id"] for ent in rec.entities})
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for row in c.execute(f"SELECT id, name, type, wikidata FROM entities "
                                 f"WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                stored[row["id"]] = row
        aliases = []
        for ent in rec.entities:
            row = stored.get(ent["id"])
            if row is None:
                res.entities_new += 1
                c.execute("INSERT INTO entities (id, type, label, name, wikidata) VALUES (?,?,?,?,?)",
                          (ent["id"], ent["type"], ent["label"], ent["name"], ent["wikidata"]))
                stored[ent["id"]] = {"name": ent["name"], "type": ent["type"], "wikidata": ent["wikidata"]}
            else:
                name = _preferred_name(row["name"], ent["name"])
                if ent["id"] in self.curation().renames:
                    name = ent["name"]
                if (row["name"], row["type"], row["wikidata"]) != (name, ent["type"],
                                                                   ent["wikidata"] or row["wikidata"]):
                    c.execute("UPDATE entities SET name=?, type=?, label=?, wikidata=coalesce(?, wikidata) WHERE id=?",
                              (name, ent["type"], ent["label"], ent["wikidata"], ent["id"]))
                    stored[ent["id"]] = {"name": name, "type": ent["type"],
                                         "wikidata": ent["wikidata"] or row["wikidata"]}
                res.entities_updated += 1
            res.entity_ids.add(ent["id"])
            aliases += [(ent["id"], alias, fold(alias), art["id"]) for alias in {ent["name"], *ent["aliases"]}]
        c.executemany("INSERT INTO entity_aliases VALUES (?,?,?,?)", list(dict.fromkeys(aliases)))
        c.executemany(
            'INSERT OR REPLACE INTO mentions (article_id, entity_id, count, evidence, start, "end") VALUES (?,?,?,?,?,?)',
            [(m["article_id"], m["entity_id"], m["count"], m["evidence"], m["start"], m["end"]) for m in rec.mentions])
        c.executemany(
            "INSERT OR REPLACE INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(e["id"], e["article_id"], e["type"], e["label"], e["summary"], e["modality"], e["confidence"],
              e["date_start"], e["date_end"], e["date_precision"], e["date_text"], e["trigger"], e["quote"])
             for e in rec.events])
        c.executemany("INSERT OR IGNORE INTO participants VALUES (?,?,?,?)",
                      [(p["event_id"], p["entity_id"], p["role"], art["id"]) for p in rec.participants])
        c.executemany("INSERT OR REPLACE INTO reports VALUES (?,?,?,?,?)",
                      [(r["article_id"], r["event_id"], json_list(r["evidence"]), json_list(r["starts"]),
                        json_list(r["ends"])) for r in rec.reports])
        c.executemany(
            'INSERT OR REPLACE INTO relations (source, type, target, article_id, role, confidence, evidence, start, "end") '
            "VALUES (?,?,?,?,?,?,?,?,?)",
            [(r["source"], r["type"], r["target"], r["article_id"], r["role"], r["confidence"], r["evidence"],
              r["start"], r["end"]) for r in rec.relations])
        links = {(l["source"], l["type"], l["target"], l["event_id"]):   # the last of equal links, as REPLACE did
                 (l["source"], l["type"], l["target"], l["event_id"], l["event_type"], l["date_start"], l["date_end"],
                  l["date_precision"], l["modality"], l["article_id"]) for l in rec.links}
        c.executemany("INSERT INTO links VALUES (?,?,?,?,?,?,?,?,?,?)", list(links.values()))
        self._orphan_candidates = maybe_orphans | {ent["id"] for ent in rec.entities}
        self._drop_orphans()
        merger.add_article(art["id"], rec)
        merger.finish()
        res.events = len(rec.events)
        res.edges = len(rec.participants) + len(rec.relations) + len(rec.links)
        if not existing:
            res.articles_new = 1
        elif before == self._article_fingerprint(art["id"]):
            res.articles_unchanged = 1
        else:
            res.articles_replaced = 1
        return res

    def _article_fingerprint(self, article_id: str) -> tuple:
        c = self.conn
        return tuple(
            tuple(tuple(r) for r in c.execute(f"SELECT * FROM {table} WHERE article_id = ? ORDER BY 1, 2, 3",
                                              (article_id,)).fetchall())
            for table in ("events", "participants", "relations", "links", "mentions"))

    def _drop_orphans(self) -> None:
        """Delete the entities that no article mentions any more. Only the candidates the article
        write set (``_orphan_candidates``) are looked up, by id: the cost does not grow with the
        number of entities stored; without candidates, every entity is checked."""
        ids = self.__dict__.pop("_orphan_candidates", None)
        if ids is None:
            self.conn.execute("DELETE FROM entities WHERE id NOT IN (SELECT entity_id FROM mentions)")
            return
        ids_sorted = sorted(ids)
        for i in range(0, len(ids_sorted), 500):
            chunk = ids_sorted[i:i + 500]
            self.conn.execute(f"DELETE FROM entities WHERE id IN ({','.join('?' * len(chunk))}) "
                              f"AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id = entities.id)", chunk)

    def _keep_raw(self, rec: GraphRecords) -> None:
        """The article's records as the extractor made them (before curation), to re-apply decisions."""
        aid = rec.articles[0]["id"]
        raw = {kind: getattr(rec, kind) for kind in KINDS}
        # orjson: UTF-8 JSON (compact separators), the same values json.loads reads back
        self.conn.execute("INSERT OR REPLACE INTO article_records VALUES (?,?)",
                          (aid, zlib.compress(orjson.dumps(raw, default=str), RAW_LEVEL)))
        self.conn.executemany("INSERT OR IGNORE INTO raw_entities VALUES (?,?,?)",
                              [(aid, e["id"], fold(e.get("name") or "")) for e in rec.entities])

    def _raw_records(self, article_id: str) -> GraphRecords | None:
        row = self.conn.execute("SELECT records FROM article_records WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        data = row[0]
        # zlib-compressed JSON (bytes); older stores kept the JSON as text
        return GraphRecords(**orjson.loads(zlib.decompress(data) if isinstance(data, bytes) else data))

    # ------------------------------------------------------------------ curation
    def curation(self) -> Curation:
        """The decisions in force (cached until a decision changes)."""
        if self._curation is None:
            self._curation = Curation(self.decisions()) if self._has_table("decisions") else Curation()
        return self._curation

    def decisions(self) -> list[Decision]:
        if not self._has_table("decisions"):
            return []
        return [Decision(r["action"], r["subject"], r["target"], r["name"], r["type"], r["subject_name"],
                         r["created"])
                for r in self.conn.execute("SELECT * FROM decisions ORDER BY seq")]

    def _affected_articles(self, curation: Curation, decision: Decision) -> set[str]:
        """Articles whose extracted records the decision (under ``curation``) can change."""
        if decision.action == "alias":
            ids, names = {decision.subject}, {fold(decision.subject)}
        else:
            ids = curation.sources(decision.subject)
            names = curation.alias_names(ids)
        ids, names = sorted(ids), sorted(n for n in names if n)
        out: set[str] = set()
        for values, column in ((ids, "entity_id"), (names, "folded")):
            for i in range(0, len(values), 500):
                chunk = values[i:i + 500]
                out |= {r[0] for r in self.conn.execute(
                    f"SELECT DISTINCT article_id FROM raw_entities WHERE {column} IN ({','.join('?' * len(chunk))})",
                    chunk)}
        return out

    def change_decisions(self, add: list[Decision] = (), remove: list[Decision] = ()) -> int:
        """Add (or replace: one decision per action and key) and withdraw decisions, then re-apply
        the decisions to every article they concern, all in one transaction. The number of
        articles re-applied."""
        with self.transaction():
            old = self.curation()
            affected: set[str] = set()
            for d in [*add, *remove]:
                affected |= self._affected_articles(old, d)
            for d in remove:
                self.conn.execute("DELETE FROM decisions WHERE action = ? AND key = ?", (d.action, d.key))
            for d in add:
                if d.action not in ("alias", "merge", "rename"):
                    raise CurationError(f"unknown action {d.action!r}")
                seq = self.conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM decisions").fetchone()[0]
                self.conn.execute(
                    "INSERT OR REPLACE INTO decisions (action, key, subject, target, name, type, subject_name, "
                    "created, seq) VALUES (?,?,?,?,?,?,?,?,?)",
                    (d.action, d.key, d.subject, d.target, d.name, d.type, d.subject_name, d.created or now(), seq))
            self._curation = None
            new = self.curation()
            if any(d.action == "merge" for d in add):
                cycle = new.cycle()
                if cycle is not None:
                    self._curation = None
                    raise CurationError(f"merging {cycle.subject} into {cycle.target} would make a cycle "
                                        f"(it is itself merged into {cycle.subject}); unmerge first")
            for d in [*add, *remove]:
                affected |= self._affected_articles(new, d)
            try:
                for aid in sorted(affected):
                    raw = self._raw_records(aid)
                    if raw is not None:
                        self._write_article(raw)
            except BaseException:
                self._curation = None
                raise
        return len(affected)

    def retired_entities(self) -> list[dict]:
        """Entities that curation moved away (merged, or extracted under an alias), ``{id, into}``;
        none that the store still has. ``kg push`` deletes them in Neo4j."""
        cur = self.curation()
        out = {r["id"]: r for r in cur.retired()}
        for d in cur.decisions:
            if d.action != "alias":
                continue
            for (eid,) in self.conn.execute("SELECT DISTINCT entity_id FROM raw_entities WHERE folded = ? "
                                            "OR entity_id = ?", (fold(d.subject), d.subject)):
                final = cur.resolve(d.target)
                if eid != final:
                    out.setdefault(eid, {"id": eid, "into": final})
        return [r for eid, r in sorted(out.items())
                if not self.conn.execute("SELECT 1 FROM entities WHERE id = ?", (eid,)).fetchone()]

    # ------------------------------------------------------------------ reading
    def stats(self) -> dict[str, int]:
        c = self.conn
        out = {}
        for name, sql in (
            ("articles", "SELECT count(*) FROM articles"),
            ("entities", "SELECT count(*) FROM entities"),
            ("events", "SELECT count(*) FROM events"),
            ("relations", "SELECT count(*) FROM relations"),
            ("links", "SELECT count(*) FROM links"),
            ("participants", "SELECT count(*) FROM participants"),
        ):
            out[name] = c.execute(sql).fetchone()[0]
        out["entities_by_type"] = dict(c.execute("SELECT type, count(*) FROM entities GROUP BY type ORDER BY 2 DESC"))
        out["events_by_type"] = dict(c.execute("SELECT type, count(*) FROM events GROUP BY type ORDER BY 2 DESC"))
        if self._has_table("canonical_events"):
            out["merged_events"] = c.execute("SELECT count(*) FROM canonical_events").fetchone()[0]
            out["decisions"] = c.execute("SELECT count(*) FROM decisions").fetchone()[0]
        return out

    def entities(self, entity_type: str | None = None) -> list[dict]:
        sql = ("SELECT e.id, e.type, e.name, e.wikidata, count(DISTINCT m.article_id) AS articles, "
               "coalesce(sum(m.count), 0) AS mentions FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id ")
        args: tuple = ()
        if entity_type:
            sql += "WHERE e.type = ? "
            args = (entity_type.upper(),)
        sql += "GROUP BY e.id ORDER BY articles DESC, mentions DESC, e.name"
        rows = [dict(r) for r in self.conn.execute(sql, args)]
        for r in rows:
            r["aliases"] = self.aliases(r["id"])
        return rows

    def aliases(self, entity_id: str) -> list[str]:
        return list(self.aliases_with_counts(entity_id))

    def aliases_with_counts(self, entity_id: str) -> dict[str, int]:
        """Every name the entity was given, with the number of articles that gave it, most
        frequent first (the extractor's names and aliases per article, after curation)."""
        return {r[0]: r[1] for r in self.conn.execute(
            "SELECT alias, count(DISTINCT article_id) FROM entity_aliases WHERE entity_id = ? "
            "GROUP BY alias ORDER BY 2 DESC, 1", (entity_id,))}

    def find_entities(self, name: str) -> list[dict]:
        """Entities whose id, name or any alias (any language, folded) is NAME; then substring matches."""
        folded = fold(name)
        rows = self.conn.execute(
            "SELECT DISTINCT e.* FROM entities e JOIN entity_aliases a ON a.entity_id = e.id "
            "WHERE a.folded = ? OR e.id = ?", (folded, name)).fetchall()
        if not rows and folded and self._has_table("decisions"):   # an alias the user added
            cur = self.curation()
            targets = {cur.resolve(d.target) for d in cur.decisions if d.action == "alias" and fold(d.subject) == folded}
            targets |= {cur.resolve(name)} - {name}          # the id of an entity merged away
            rows = [r for t in sorted(targets) for r in self.conn.execute("SELECT * FROM entities WHERE id = ?", (t,))]
        if not rows and folded:
            rows = self.conn.execute(
                "SELECT DISTINCT e.* FROM entities e JOIN entity_aliases a ON a.entity_id = e.id "
                "WHERE a.folded LIKE ? ESCAPE '\\' ORDER BY length(e.name) LIMIT 10",
                (f"%{_like_escape(folded)}%",)).fetchall()
        return [dict(r) for r in rows]

    def entity(self, entity_id: str) -> dict | None:
        row = self.conn.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None:
            return None
        out = dict(row)
        out["aliases"] = self.aliases(entity_id)
        out["alias_counts"] = self.aliases_with_counts(entity_id)
        out["relations"] = [dict(r) for r in self.conn.execute(
            "SELECT r.*, s.name AS source_name, t.name AS target_name, a.title AS article_title "
            "FROM relations r JOIN entities s ON s.id = r.source JOIN entities t ON t.id = r.target "
            "LEFT JOIN articles a ON a.id = r.article_id WHERE r.source = ? OR r.target = ? "
            "ORDER BY r.type, t.name", (entity_id, entity_id))]
        out["links"] = [dict(r) for r in self.conn.execute(
            "SELECT l.*, s.name AS source_name, t.name AS target_name FROM links l "
            "JOIN entities s ON s.id = l.source JOIN entities t ON t.id = l.target "
            "WHERE l.source = ? OR l.target = ? ORDER BY l.date_start IS NULL, l.date_start, l.type",
            (entity_id, entity_id))]
        out["events"] = self.timeline(entity_id=entity_id)
        out["articles"] = [dict(r) for r in self.conn.execute(
            "SELECT a.id, a.title, a.published, m.count FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE m.entity_id = ? ORDER BY a.published", (entity_id,))]
        return out

    def timeline(self, *, entity_id: str | None = None, date_from: str | None = None,
                 date_to: str | None = None, merged: bool = False) -> list[dict]:
        """Events in date order, undated last. ``merged``: canonical events (one per real-world
        event, see :meth:`canonical_event` for the keys) instead of every article's own events."""
        if merged:
            return self._merged_timeline(entity_id, date_from, date_to)
        sql = ("SELECT ev.*, a.title AS article_title, a.published AS article_published FROM events ev "
               "JOIN articles a ON a.id = ev.article_id WHERE 1=1 ")
        args: list = []
        if entity_id:
            sql += "AND (ev.article_id, ev.id) IN (SELECT article_id, event_id FROM participants WHERE entity_id = ?) "
            args.append(entity_id)
        if date_from:
            sql += "AND ev.date_end >= ? "
            args.append(date_from)
        if date_to:
            sql += "AND ev.date_start <= ? "
            args.append(date_to)
        sql += "ORDER BY ev.date_start IS NULL, ev.date_start, a.published, ev.id"
        events = [dict(r) for r in self.conn.execute(sql, args)]
        for ev in events:
            ev["participants"] = [dict(r) for r in self.conn.execute(
                "SELECT p.role, p.entity_id, e.name, e.type FROM participants p JOIN entities e ON e.id = p.entity_id "
                "WHERE p.article_id = ? AND p.event_id = ? ORDER BY p.role, e.name", (ev["article_id"], ev["id"]))]
            rep = self.conn.execute("SELECT evidence, starts, ends FROM reports WHERE article_id = ? AND event_id = ?",
                                    (ev["article_id"], ev["id"])).fetchall()
            ev["evidence"] = [s for r in rep for s in json.loads(r["evidence"] or "[]")]
        return events

    # ------------------------------------------------------------------ merged events
    def _merged_timeline(self, entity_id, date_from, date_to) -> list[dict]:
        self._require_canonical()
        sql = "SELECT id FROM canonical_events ce WHERE 1=1 "
        args: list = []
        if entity_id:
            sql += ("AND ce.ckey IN (SELECT ckey FROM canonical_participants WHERE entity_id = ? "
                    "AND role IN ('ACTOR_IN', 'TARGET_OF', 'LOCATED_AT')) ")
            args.append(entity_id)
        if date_from:
            sql += "AND ce.date_end >= ? "
            args.append(date_from)
        if date_to:
            sql += "AND ce.date_start <= ? "
            args.append(date_to)
        sql += "ORDER BY ce.date_start IS NULL, ce.date_start, ce.first_reported, ce.id"
        return [self.canonical_event(r[0]) for r in self.conn.execute(sql, args).fetchall()]

    def canonical_id(self, event_id: str) -> str | None:
        """The canonical event of a per-article event id (or the canonical id itself). Every event
        is a member of one; members are keyed by article, so an event id alone is looked for in
        the members table, the smallest that has it (no index by event id: see _EVENTS_SCHEMA)."""
        if self.conn.execute("SELECT 1 FROM canonical_events WHERE id = ?", (event_id,)).fetchone():
            return event_id
        row = self.conn.execute("SELECT ce.id FROM event_members m JOIN canonical_events ce ON ce.ckey = m.ckey "
                                "WHERE m.event_id = ?", (event_id,)).fetchone()
        return row[0] if row else None

    def canonical_event(self, event_id: str) -> dict | None:
        """One merged event: its chosen date and why, every article that reports it (``sources``:
        article, the article's own event ids, date reading and sentences), every date reading
        (``dates``), participants, evidence (all sentences) and FULFILS links. ``event_id`` may
        be a canonical id or the id of any of its per-article events. Keys shared with
        :meth:`timeline`: id, type, label, summary, modality, confidence, date_start, date_end,
        date_precision, date_text, trigger, quote, article_title, article_published, participants,
        evidence."""
        self._require_canonical()
        cid = self.canonical_id(event_id)
        if cid is None:
            return None
        c = self.conn
        ev = dict(c.execute("SELECT * FROM canonical_events WHERE id = ?", (cid,)).fetchone())
        ckey = ev["ckey"]
        for key in event_merge.INTERNAL_COLUMNS:
            ev.pop(key, None)
        ev["participants"] = [dict(r) for r in c.execute(
            "SELECT p.role, p.entity_id, e.name, e.type FROM canonical_participants p "
            "JOIN entities e ON e.id = p.entity_id WHERE p.ckey = ? ORDER BY p.role, e.name", (ckey,))]
        sources: dict[str, dict] = {}
        for r in c.execute(
                "SELECT m.article_id, m.event_id, a.title, a.url, a.source, a.published, a.language, "
                "e.date_start, e.date_precision, e.date_text, e.modality, r.evidence FROM event_members m "
                "JOIN articles a ON a.id = m.article_id JOIN events e ON e.article_id = m.article_id AND e.id = m.event_id "
                "LEFT JOIN reports r ON r.event_id = m.event_id AND r.article_id = m.article_id "
                "WHERE m.ckey = ? ORDER BY a.published, m.article_id, m.event_id", (ckey,)):
            src = sources.setdefault(r["article_id"], {
                "article_id": r["article_id"], "title": r["title"], "url": r["url"], "source": r["source"],
                "published": r["published"], "language": r["language"], "event_ids": [], "dates": [],
                "evidence": []})
            src["event_ids"].append(r["event_id"])
            value = event_merge.value_of(r["date_start"], r["date_precision"])
            if value and value not in src["dates"]:
                src["dates"].append(value)
            for sentence in json.loads(r["evidence"] or "[]"):
                if sentence not in src["evidence"]:
                    src["evidence"].append(sentence)
        ev["sources"] = list(sources.values())
        ev["evidence"] = [s for src in ev["sources"] for s in src["evidence"]]
        first = ev["sources"][0] if ev["sources"] else {}
        ev["article_title"] = first.get("title")
        ev["article_published"] = first.get("published")
        chosen_span = (ev["date_start"], ev["date_end"])
        ev["dates"] = []
        for r in c.execute("SELECT d.value, d.precision, d.date_text, d.article_id, d.event_id, a.title, a.published "
                           "FROM event_dates d JOIN articles a ON a.id = d.article_id WHERE d.ckey = ? "
                           "ORDER BY a.published, d.article_id, d.event_id", (ckey,)):
            span = event_merge.time_span(r["value"])
            agrees = bool(chosen_span[0]) and span[0].isoformat() <= chosen_span[1] \
                and chosen_span[0] <= span[1].isoformat()
            ev["dates"].append({**dict(r), "chosen": r["value"] == ev["date_value"], "agrees": agrees})
        ev["conflict"] = any(not d["agrees"] for d in ev["dates"])
        ev["fulfils"] = [r[0] for r in c.execute(
            "SELECT target FROM event_links WHERE source = ? AND type = 'FULFILS' ORDER BY target", (cid,))]
        ev["fulfilled_by"] = [r[0] for r in c.execute(
            "SELECT source FROM event_links WHERE target = ? AND type = 'FULFILS' ORDER BY source", (cid,))]
        return ev

    def iter_records(self, *, canonical: bool = True) -> Iterator[GraphRecords]:
        """The stored graph, one GraphRecords per article (for `kg push` and exports): the curated
        per-article records, and (``canonical``) the canonical layer of the article's events —
        what the Neo4j loader writes as :Event nodes. The first article's records also carry the
        entities merged away by curation (``retired_entities``)."""
        c = self.conn
        canonical = canonical and self._has_table("canonical_events")
        retired = self.retired_entities() if canonical else []
        for art in c.execute("SELECT id, title, url, published, language, source, extractor FROM articles "
                             "ORDER BY ingested_at, id").fetchall():
            aid = art["id"]
            rec = GraphRecords(articles=[dict(art)])
            for e in c.execute("SELECT e.* FROM entities e JOIN mentions m ON m.entity_id = e.id "
                               "WHERE m.article_id = ?", (aid,)):
                rec.entities.append({**dict(e), "aliases": [r[0] for r in c.execute(
                    "SELECT alias FROM entity_aliases WHERE entity_id = ? AND article_id = ? ORDER BY alias",
                    (e["id"], aid))]})
            rec.mentions = [dict(r) for r in c.execute(
                'SELECT article_id, entity_id, count, evidence, start, "end" FROM mentions WHERE article_id = ?', (aid,))]
            rec.events = [dict(r) for r in c.execute("SELECT * FROM events WHERE article_id = ?", (aid,))]
            rec.participants = [dict(r) for r in c.execute(
                "SELECT event_id, entity_id, role FROM participants WHERE article_id = ?", (aid,))]
            rec.reports = [{"article_id": r["article_id"], "event_id": r["event_id"],
                            "evidence": json.loads(r["evidence"] or "[]"), "starts": json.loads(r["starts"] or "[]"),
                            "ends": json.loads(r["ends"] or "[]")}
                           for r in c.execute("SELECT * FROM reports WHERE article_id = ?", (aid,))]
            rec.relations = [dict(r) for r in c.execute(
                'SELECT source, target, type, role, confidence, article_id, evidence, start, "end" '
                "FROM relations WHERE article_id = ?", (aid,))]
            rec.links = [dict(r) for r in c.execute("SELECT * FROM links WHERE article_id = ?", (aid,))]
            aliases: dict[str, list[str]] = {}
            for r in c.execute("SELECT entity_id, alias FROM entity_aliases WHERE article_id = ? ORDER BY alias",
                               (aid,)):
                aliases.setdefault(r[0], []).append(r[1])
            for m in rec.mentions:
                m["aliases"] = aliases.get(m["entity_id"], [])
            if canonical:
                self._canonical_records(rec, aid)
                if retired:
                    rec.retired_entities, retired = retired, []
            yield rec

    def _canonical_records(self, rec: GraphRecords, aid: str) -> None:
        c = self.conn
        rec.event_members = [dict(r) for r in c.execute(
            "SELECT ce.id AS canonical_id, m.event_id, m.article_id FROM event_members m "
            "JOIN canonical_events ce ON ce.ckey = m.ckey WHERE m.article_id = ? ORDER BY m.event_id", (aid,))]
        cids = sorted({m["canonical_id"] for m in rec.event_members})
        types = {}
        for cid in cids:
            row = dict(c.execute("SELECT * FROM canonical_events WHERE id = ?", (cid,)).fetchone())
            readings = c.execute("SELECT value, precision, article_id FROM event_dates WHERE ckey = ? "
                                 "ORDER BY article_id, event_id", (row["ckey"],)).fetchall()
            rec.canonical_events.append({
                "id": cid, "type": row["type"], "label": row["label"], "summary": row["summary"],
                "modality": row["modality"], "confidence": row["confidence"], "date_start": row["date_start"],
                "date_end": row["date_end"], "date_precision": row["date_precision"], "date_text": row["date_text"],
                "date_value": row["date_value"], "trigger": row["trigger"], "quote": row["quote"],
                "article_id": row["article_id"], "source_count": row["source_count"],
                "first_reported": row["first_reported"], "last_reported": row["last_reported"],
                "chosen_reason": row["chosen_reason"], "dates": [r[0] for r in readings],
                "date_precisions": [r[1] for r in readings], "date_articles": [r[2] for r in readings]})
            parts = [dict(r) for r in c.execute(
                "SELECT ? AS event_id, entity_id, role FROM canonical_participants WHERE ckey = ? "
                "ORDER BY role, entity_id", (cid, row["ckey"]))]
            rec.canonical_participants.extend(parts)
            for p in parts:
                if p["entity_id"] not in types:
                    t = c.execute("SELECT type FROM entities WHERE id = ?", (p["entity_id"],)).fetchone()
                    types[p["entity_id"]] = t[0] if t else None
            event = _CanonicalEvent(
                id=cid, type=row["type"], modality=row["modality"],
                actors=[p["entity_id"] for p in parts if p["role"] == "ACTOR_IN"],
                targets=[p["entity_id"] for p in parts if p["role"] == "TARGET_OF"],
                locations=[p["entity_id"] for p in parts if p["role"] == "LOCATED_AT"],
                time=_Precision(row["date_precision"]) if row["date_precision"] else None)
            rec.canonical_links.extend(_links(event, types, row["article_id"], row["date_start"], row["date_end"]))
            rec.event_links.extend(dict(r) for r in c.execute(
                "SELECT source, type, target FROM event_links WHERE source = ? OR target = ? ORDER BY 1, 3",
                (cid, cid)))

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())


@dataclass
class _Group:
    """An open group commit: the limits, and what its transaction holds so far."""

    max_articles: int
    max_seconds: float
    articles: int = 0
    started: float = 0.0
    pending: WriteResult = field(default_factory=WriteResult)
    first: tuple[int, float] | None = None   # the first group's limits, doubled per commit (FIRST_GROUP)
    commits: int = 0

    def full(self) -> bool:
        articles, seconds = self.max_articles, self.max_seconds
        if self.first is not None and self.commits < 16:
            articles = min(articles, self.first[0] << self.commits)
            seconds = min(seconds, self.first[1] * (1 << self.commits))
        return self.articles >= articles or time.monotonic() - self.started >= seconds

    def reset(self) -> None:
        self.articles, self.pending = 0, WriteResult()


@dataclass
class _Precision:
    precision: str


@dataclass
class _CanonicalEvent:
    """What kg.build._links needs of an event, for the derived links of a canonical event."""

    id: str
    type: str
    modality: str
    actors: list
    targets: list
    locations: list
    time: _Precision | None
    location: str | None = None


def _split_by_article(records: GraphRecords) -> Iterator[GraphRecords]:
    if len(records.articles) == 1:
        yield records
        return
    for art in records.articles:
        aid = art["id"]
        mentioned = {m["entity_id"] for m in records.mentions if m["article_id"] == aid}
        events = [e for e in records.events if e["article_id"] == aid]
        event_ids = {e["id"] for e in events}
        yield GraphRecords(
            articles=[art],
            entities=[e for e in records.entities if e["id"] in mentioned],
            events=events,
            participants=[p for p in records.participants if p["event_id"] in event_ids],
            mentions=[m for m in records.mentions if m["article_id"] == aid],
            reports=[r for r in records.reports if r["article_id"] == aid],
            relations=[r for r in records.relations if r["article_id"] == aid],
            links=[l for l in records.links if l["article_id"] == aid],
        )
