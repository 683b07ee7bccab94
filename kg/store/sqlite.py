"""The embedded default store: one SQLite file in WAL mode, one transaction per article.

It loads the same :class:`kg.build.GraphRecords` as the Neo4j store. An article's facts (events,
relations, links, mentions) are keyed by the article id, so writing an article again replaces
exactly its facts: the same article twice changes nothing, a re-extracted article replaces its old
facts. Entities are shared across articles; an entity that no article mentions any more is removed.
"""
from __future__ import annotations

import json
import sqlite3
import unicodedata
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kg.build import GraphRecords

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, title TEXT, url TEXT, published TEXT, language TEXT, source TEXT,
    extractor TEXT, ingested_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
);
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, label TEXT, name TEXT NOT NULL, wikidata TEXT
);
CREATE TABLE IF NOT EXISTS entity_aliases (
    entity_id TEXT NOT NULL, alias TEXT NOT NULL, folded TEXT NOT NULL, article_id TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias, article_id)
);
CREATE INDEX IF NOT EXISTS entity_aliases_folded ON entity_aliases (folded);
CREATE INDEX IF NOT EXISTS entity_aliases_article ON entity_aliases (article_id);
CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL, entity_id TEXT NOT NULL, count INTEGER, evidence TEXT, start INTEGER, "end" INTEGER,
    PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions (entity_id);
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL, type TEXT NOT NULL, label TEXT, summary TEXT,
    modality TEXT, confidence REAL, date_start TEXT, date_end TEXT, date_precision TEXT, date_text TEXT,
    trigger TEXT, quote TEXT
);
CREATE INDEX IF NOT EXISTS events_article ON events (article_id);
CREATE INDEX IF NOT EXISTS events_date ON events (date_start);
CREATE TABLE IF NOT EXISTS participants (
    event_id TEXT NOT NULL, entity_id TEXT NOT NULL, role TEXT NOT NULL, article_id TEXT NOT NULL,
    PRIMARY KEY (event_id, entity_id, role)
);
CREATE INDEX IF NOT EXISTS participants_entity ON participants (entity_id);
CREATE TABLE IF NOT EXISTS reports (
    article_id TEXT NOT NULL, event_id TEXT NOT NULL, evidence TEXT, starts TEXT, ends TEXT,
    PRIMARY KEY (article_id, event_id)
);
CREATE TABLE IF NOT EXISTS relations (
    source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL, article_id TEXT NOT NULL,
    role TEXT, confidence REAL, evidence TEXT, start INTEGER, "end" INTEGER,
    PRIMARY KEY (source, type, target, article_id)
);
CREATE TABLE IF NOT EXISTS links (
    source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL, event_id TEXT NOT NULL,
    event_type TEXT, date_start TEXT, date_end TEXT, date_precision TEXT, modality TEXT, article_id TEXT NOT NULL,
    PRIMARY KEY (source, type, target, event_id)
);
CREATE INDEX IF NOT EXISTS links_source ON links (source);
CREATE INDEX IF NOT EXISTS links_target ON links (target);
"""

_PER_ARTICLE = ("entity_aliases", "mentions", "events", "participants", "reports", "relations", "links")


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used to look names up."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("ß", "ss").casefold()
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text)).strip()


def _like_escape(text: str) -> str:
    """`text` as a literal inside a LIKE pattern (fold() keeps '_', a LIKE wildcard)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class WriteResult:
    articles_new: int = 0
    articles_replaced: int = 0
    articles_unchanged: int = 0
    entities_new: int = 0
    entities_updated: int = 0
    events: int = 0
    edges: int = 0
    entity_ids: set = field(default_factory=set)

    def add(self, other: "WriteResult") -> None:
        for name in ("articles_new", "articles_replaced", "articles_unchanged", "entities_new",
                     "entities_updated", "events", "edges"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


class StoreError(Exception):
    pass


class SQLiteStore:
    def __init__(self, path: str | Path, *, readonly: bool = False):
        self.path = Path(path)
        if readonly and not self.path.exists():
            raise StoreError(f"{self.path}: no store here yet (run 'kg ingest' first, or give --db)")
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=OFF")
            if not readonly:
                self.conn.executescript(_SCHEMA)
                self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif self.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                   "AND name IN ('meta', 'articles')").fetchone()[0] < 2:
                # an empty file or another program's SQLite database: reading would fail later
                # with "no such table" tracebacks
                self.conn.close()
                raise StoreError(f"{self.path}: not a kg store (a SQLite file without kg's tables)")
        except sqlite3.DatabaseError as exc:
            if getattr(self, "conn", None) is not None:
                self.conn.close()
            raise StoreError(f"{self.path}: not a kg store ({exc})") from exc

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @contextmanager
    def transaction(self):
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:  # includes KeyboardInterrupt: the interrupted article is rolled back
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    # ------------------------------------------------------------------ writing
    def article_extractor(self, article_id: str) -> str | None:
        row = self.conn.execute("SELECT extractor FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row["extractor"] if row else None

    def has_article(self, article_id: str, extractor: str | None = None) -> bool:
        stored = self.article_extractor(article_id)
        return stored is not None and (extractor is None or stored == extractor)

    def write(self, records: GraphRecords) -> WriteResult:
        """Write the records of one or more articles; each article in its own transaction."""
        result = WriteResult()
        for art_records in _split_by_article(records):
            with self.transaction():
                result.add(self._write_article(art_records))
        return result

    def _write_article(self, rec: GraphRecords) -> WriteResult:
        c = self.conn
        res = WriteResult()
        art = rec.articles[0]
        existing = c.execute("SELECT extractor FROM articles WHERE id = ?", (art["id"],)).fetchone()
        before = self._article_fingerprint(art["id"]) if existing else None
        if existing:
            for table in _PER_ARTICLE:
                c.execute(f"DELETE FROM {table} WHERE article_id = ?", (art["id"],))
        c.execute(
            "INSERT INTO articles (id, title, url, published, language, source, extractor) VALUES (?,?,?,?,?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET title=excluded.title, url=coalesce(excluded.url, url), "
            "published=excluded.published, language=excluded.language, source=excluded.source, "
            "extractor=excluded.extractor",
            (art["id"], art["title"], art["url"], art["published"], art["language"], art["source"], art["extractor"]),
        )
        for ent in rec.entities:
            row = c.execute("SELECT name, type, wikidata FROM entities WHERE id = ?", (ent["id"],)).fetchone()
            if row is None:
                res.entities_new += 1
                c.execute("INSERT INTO entities (id, type, label, name, wikidata) VALUES (?,?,?,?,?)",
                          (ent["id"], ent["type"], ent["label"], ent["name"], ent["wikidata"]))
            else:
                if (row["name"], row["type"], row["wikidata"]) != (ent["name"], ent["type"],
                                                                   ent["wikidata"] or row["wikidata"]):
                    c.execute("UPDATE entities SET name=?, type=?, label=?, wikidata=coalesce(?, wikidata) WHERE id=?",
                              (ent["name"], ent["type"], ent["label"], ent["wikidata"], ent["id"]))
                res.entities_updated += 1
            res.entity_ids.add(ent["id"])
            for alias in {ent["name"], *ent["aliases"]}:
                c.execute("INSERT OR IGNORE INTO entity_aliases VALUES (?,?,?,?)",
                          (ent["id"], alias, fold(alias), art["id"]))
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
                      [(r["article_id"], r["event_id"], json.dumps(r["evidence"], ensure_ascii=False),
                        json.dumps(r["starts"]), json.dumps(r["ends"])) for r in rec.reports])
        c.executemany(
            'INSERT OR REPLACE INTO relations (source, type, target, article_id, role, confidence, evidence, start, "end") '
            "VALUES (?,?,?,?,?,?,?,?,?)",
            [(r["source"], r["type"], r["target"], r["article_id"], r["role"], r["confidence"], r["evidence"],
              r["start"], r["end"]) for r in rec.relations])
        c.executemany(
            "INSERT OR REPLACE INTO links VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(l["source"], l["type"], l["target"], l["event_id"], l["event_type"], l["date_start"], l["date_end"],
              l["date_precision"], l["modality"], l["article_id"]) for l in rec.links])
        self._drop_orphans()
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
        self.conn.execute("DELETE FROM entities WHERE id NOT IN (SELECT entity_id FROM mentions)")

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
        return [r[0] for r in self.conn.execute(
            "SELECT alias, count(*) FROM entity_aliases WHERE entity_id = ? GROUP BY alias ORDER BY 2 DESC, 1",
            (entity_id,))]

    def find_entities(self, name: str) -> list[dict]:
        """Entities whose id, name or any alias (any language, folded) is NAME; then substring matches."""
        folded = fold(name)
        rows = self.conn.execute(
            "SELECT DISTINCT e.* FROM entities e JOIN entity_aliases a ON a.entity_id = e.id "
            "WHERE a.folded = ? OR e.id = ?", (folded, name)).fetchall()
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
                 date_to: str | None = None) -> list[dict]:
        sql = ("SELECT ev.*, a.title AS article_title, a.published AS article_published FROM events ev "
               "JOIN articles a ON a.id = ev.article_id WHERE 1=1 ")
        args: list = []
        if entity_id:
            sql += "AND ev.id IN (SELECT event_id FROM participants WHERE entity_id = ?) "
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
                "WHERE p.event_id = ? ORDER BY p.role, e.name", (ev["id"],))]
            rep = self.conn.execute("SELECT evidence, starts, ends FROM reports WHERE event_id = ?",
                                    (ev["id"],)).fetchall()
            ev["evidence"] = [s for r in rep for s in json.loads(r["evidence"] or "[]")]
        return events

    def iter_records(self) -> Iterator[GraphRecords]:
        """The stored graph, one GraphRecords per article (for `kg push` and exports)."""
        c = self.conn
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
            yield rec

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())


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
