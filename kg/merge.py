"""One event across articles: the canonical event layer of the embedded store.

Per-article events stay as they are (table ``events``, keyed by the article's own event id, so that
replacing an article replaces exactly its events). On top of them the store keeps *canonical events*:
every per-article event is a member of exactly one canonical event, and events from different
articles (and languages) that describe the same happening share one.

The rule (:func:`match`) — a new event joins a canonical event when

1. the **type** is the same (CONSULT, ASSAULT, ...);
2. the **modality** is the same: planned, negated, asserted, reported and hypothetical versions of a
   meeting are different events (a planned meeting and the meeting that then took place are linked
   ``FULFILS`` instead, see below);
3. the **key participants** overlap (:func:`participants_match`): for CONSULT (symmetric) at least two
   shared participants, or the same participant set; for the other types at least one shared actor,
   no contradicting targets (both have targets and none is shared), and either the same actors or at
   least two shared participants (actors + targets);
4. the **places** do not contradict: when both name places, at least one is shared;
5. the **time spans are compatible** (:func:`time_relation`): the spans overlap, which compares them
   at the coarser precision ("last week" contains Monday of that week; March contains 17 March). An
   undated event stands for the week around its article's publication (published ± 7 days); an
   undated event of an article without a date never merges. Two *day* dates that differ by one day
   still mean the same event when the participants are exactly the same (a report written after
   midnight, "yesterday" vs "on Monday" across time zones): the event is merged and both readings
   are kept as a **conflict**. Anything further apart is a different event.

Among several candidates the event joins the best: time agreeing over tolerated, the same
participants over overlapping ones, more sources, then the smaller id.

The canonical date is chosen from the readings of its members (:func:`choose_date`): the most precise
reading; among equally precise readings that disagree the one with the most sources, then the one
reported first, then the earlier date. ``chosen_reason`` says which rule decided: ``only reading``,
``all sources agree``, ``most precise``, ``most sources``, ``earliest report``, ``earliest date`` or
``undated``. All readings stay in ``event_dates`` with their article.

Planned -> happened: an asserted canonical event ``FULFILS`` a planned one (table ``event_links``)
when type and participants match as above, the plan was reported no later than the happening, the
event took place on or after the plan was first reported, and its time fits the plan: overlapping the
planned date (± 1 day) when the plan has one, else within :data:`PLAN_HORIZON` days after the plan was
first reported. A planned event is linked to the earliest such event only.

Cost: a new event is compared only with the canonical events found through the index
``canonical_keys (type, modality, entity_id, span_class, window_start)`` — same type and modality,
one shared actor or target, and a time window that overlaps the event's (± 1 day) — never with every
other event. Windows are keyed by length class (:data:`SPAN_CLASSES`: a day, a week or so, a month,
a year, longer), so that the windows that can overlap a span are, per class, one range scan of
window starts: between the span's start minus the class's longest window and the span's end; the
candidates that cannot match on time are never read. Work per article is proportional to its events
times the number of candidates; an event that joins a canonical event combines the stored
aggregates with its own (:meth:`EventMerger._add_member`), whatever the number of reports it already
has. The candidates are the canonical events of the same type sharing a participant within a few days: their
number grows with the density of the news about one actor (many events per day about the same
country), not with the size of the store as such. Assignment is greedy in ingest order: borderline cases (an event that fits two canonical events)
may group differently when articles arrive in another order. Removing an article (re-ingest,
curation) removes its members and recomputes the canonical events it touched; a canonical event
without members is deleted; the remaining members are not re-clustered.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from kg.model import time_span
from kg.ontology import event_label, event_link

PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
UNDATED_WINDOW = dt.timedelta(days=7)     # an undated event: published ± 7 days
TOLERANCE = dt.timedelta(days=1)          # two day dates this far apart may still be one event
PLAN_HORIZON = dt.timedelta(days=60)      # an undated plan is fulfilled within this many days
HAPPENED = "asserted"                     # the modality that fulfils a planned event

KEYS_SCHEMA = """
CREATE TABLE IF NOT EXISTS canonical_keys (
    type TEXT NOT NULL, modality TEXT NOT NULL, entity_id TEXT NOT NULL, actor INTEGER NOT NULL,
    span_class INTEGER NOT NULL, window_start TEXT NOT NULL, window_end TEXT NOT NULL, ckey INTEGER NOT NULL,
    PRIMARY KEY (type, modality, entity_id, actor, span_class, window_start, ckey)
) WITHOUT ROWID;
"""
"""The index through which events find candidate canonical events (see the module docstring). It
has no index by canonical event (one more page to write per row): a canonical event's rows are
deleted by their keys, computed from its stored window and participants (:meth:`EventMerger._old_keys`)."""

MEMBERS_SCHEMA = """
CREATE TABLE IF NOT EXISTS event_members (
    event_id TEXT NOT NULL, ckey INTEGER NOT NULL, article_id TEXT NOT NULL,
    PRIMARY KEY (article_id, event_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_members_ckey ON event_members (ckey);
"""
"""Keyed by article first (schema version 4; before, by event id, a hash: a page of its own per
event): an article's members share a page or two. A member is found by its event id alone only
by a scan (``SQLiteStore.canonical_id``)."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS canonical_events (
    ckey INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, label TEXT, modality TEXT NOT NULL,
    summary TEXT, confidence REAL, date_value TEXT, date_start TEXT, date_end TEXT, date_precision TEXT,
    date_text TEXT, chosen_reason TEXT, source_count INTEGER NOT NULL DEFAULT 0,
    member_count INTEGER NOT NULL DEFAULT 0, first_reported TEXT, last_reported TEXT, window_start TEXT,
    window_end TEXT, trigger TEXT, quote TEXT, article_id TEXT, first_key TEXT, quote_key TEXT, rep_key TEXT
);
CREATE INDEX IF NOT EXISTS canonical_events_date ON canonical_events (date_start);
""" + MEMBERS_SCHEMA + """CREATE TABLE IF NOT EXISTS canonical_participants (
    ckey INTEGER NOT NULL, entity_id TEXT NOT NULL, role TEXT NOT NULL,
    PRIMARY KEY (ckey, entity_id, role)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS canonical_participants_entity ON canonical_participants (entity_id);
""" + KEYS_SCHEMA + """CREATE TABLE IF NOT EXISTS event_dates (
    ckey INTEGER NOT NULL, event_id TEXT NOT NULL, article_id TEXT NOT NULL, value TEXT NOT NULL,
    precision TEXT NOT NULL, date_text TEXT, published TEXT,
    PRIMARY KEY (ckey, event_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS canonical_readings (
    ckey INTEGER NOT NULL, value TEXT NOT NULL, precision TEXT NOT NULL, articles INTEGER NOT NULL,
    first_key TEXT NOT NULL, event_id TEXT NOT NULL, article_id TEXT NOT NULL, published TEXT, date_text TEXT,
    PRIMARY KEY (ckey, value)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS event_links (
    source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL,
    PRIMARY KEY (source, type, target)
);
CREATE INDEX IF NOT EXISTS event_links_target ON event_links (target);
"""
"""Schema version 5: a canonical event has a public id (``id``: the id of its first member event, a
hash) and an internal key ``ckey``, an integer given in creation order. The tables of the layer
refer to it by ``ckey``, so that the rows of new canonical events go to the end of their tables and
indexes instead of each to a random page of its own (the cost of a write grew with the store:
docs/scale.md); readers join ``canonical_events`` for the public id. ``event_links`` holds public ids."""

SPAN_CLASSES = (0, 15, 31, 366, None)
"""Length classes of canonical_keys windows: the longest (window_end - window_start, in days) of
each class — a day, a week or an undated window (± 7 days), a month, a year; None: longer."""

INTERNAL_COLUMNS = ("ckey", "window_start", "window_end", "first_key", "quote_key", "rep_key")
"""Columns of canonical_events that are bookkeeping, not a property of the event."""

CANONICAL_TABLES = ("canonical_events", "event_members", "canonical_participants", "canonical_keys",
                    "event_dates", "canonical_readings", "event_links")


# ------------------------------------------------------------------------------ the rule, pure
Span = tuple[dt.date, dt.date]


def value_of(start: str | None, precision: str | None) -> str | None:
    """The Time.value (YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY) of a stored span start and precision."""
    if not start or not precision:
        return None
    day = dt.date.fromisoformat(start[:10])
    if precision == "day":
        return day.isoformat()
    if precision == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if precision == "month":
        return day.strftime("%Y-%m")
    return f"{day.year:04d}"


def _date(value) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def undated_window(published) -> Span | None:
    day = _date(published)
    return (day - UNDATED_WINDOW, day + UNDATED_WINDOW) if day else None


def overlap(a: Span, b: Span) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def gap(a: Span, b: Span) -> dt.timedelta:
    """Days between two spans that do not overlap (zero if they do)."""
    if overlap(a, b):
        return dt.timedelta(0)
    return b[0] - a[1] if a[1] < b[0] else a[0] - b[1]


def participants_match(event_type: str, a_actors: frozenset, a_targets: frozenset,
                       b_actors: frozenset, b_targets: frozenset) -> bool:
    """Do two events share their key participants (rule 3 of the module docstring)?"""
    pa, pb = a_actors | a_targets, b_actors | b_targets
    if not pa or not pb:
        return False
    if event_link(event_type)[1]:  # symmetric (CONSULT): who is actor or target is arbitrary
        return len(pa & pb) >= 2 or pa == pb
    if not a_actors & b_actors:
        return False
    if a_targets and b_targets and not a_targets & b_targets:
        return False
    return a_actors == b_actors or len(pa & pb) >= 2


def locations_compatible(a: frozenset, b: frozenset) -> bool:
    return not a or not b or bool(a & b)


def time_relation(a: Span | None, a_precision: str | None, b: Span | None, b_precision: str | None,
                  same_participants: bool) -> str | None:
    """``"agree"`` (the spans overlap: compatible at the coarser precision), ``"tolerated"`` (two day
    dates one day apart, same participants: the same event with conflicting dates) or None."""
    if a is None or b is None:
        return None
    if overlap(a, b):
        return "agree"
    if same_participants and a_precision == "day" and b_precision == "day" and gap(a, b) <= TOLERANCE:
        return "tolerated"
    return None


@dataclass
class Reading:
    """One article's date for a canonical event."""

    value: str
    precision: str
    article_id: str
    event_id: str
    published: str | None = None
    date_text: str | None = None


def choose_date(readings: list[Reading]) -> tuple[Reading | None, str]:
    """The reading a canonical event shows, and why (see the module docstring)."""
    if not readings:
        return None, "undated"
    values = {r.value for r in readings}
    finest = min(PRECISION_RANK[r.precision] for r in readings)
    best = [r for r in readings if PRECISION_RANK[r.precision] == finest]
    candidates = sorted({r.value for r in best})

    def pick(value: str) -> Reading:
        return min((r for r in best if r.value == value), key=lambda r: (r.published or "9999", r.event_id))

    if len(values) == 1:
        return pick(candidates[0]), ("only reading" if len({r.article_id for r in readings}) == 1
                                     else "all sources agree")
    if len(candidates) == 1:
        return pick(candidates[0]), "most precise"
    sources = {v: len({r.article_id for r in best if r.value == v}) for v in candidates}
    top = max(sources.values())
    candidates = [v for v in candidates if sources[v] == top]
    if len(candidates) == 1:
        return pick(candidates[0]), "most sources"
    first = {v: min(r.published or "9999" for r in best if r.value == v) for v in candidates}
    earliest = min(first.values())
    candidates = [v for v in candidates if first[v] == earliest]
    if len(candidates) == 1:
        return pick(candidates[0]), "earliest report"
    return pick(min(candidates)), "earliest date"


@dataclass
class Member:
    """What a canonical event aggregates of one of its per-article events."""

    event_id: str
    article_id: str
    published: str | None
    date_start: str | None
    date_precision: str | None
    date_text: str | None
    confidence: float | None
    summary: str | None
    trigger: str | None
    quote: str | None

    @property
    def key(self) -> str:
        return order_key(self.published, self.event_id)

    def reading(self) -> Reading | None:
        if not self.date_start or self.date_precision not in PRECISION_RANK:
            return None
        return Reading(value=value_of(self.date_start, self.date_precision), precision=self.date_precision,
                       article_id=self.article_id, event_id=self.event_id, published=self.published,
                       date_text=self.date_text)


def order_key(published: str | None, event_id: str) -> str:
    """A member's place in the order ``published, event_id`` (undated articles first, as SQLite
    sorts NULL), as one comparable string: the first member, the first quote and the representative
    of a canonical event are kept by this key so that adding a member compares with one key instead
    of reading every member again."""
    return ("1" + published if published else "0") + "\x00" + event_id


def reading_key(published: str | None, event_id: str) -> str:
    """A reading's place in the order in which :func:`choose_date` picks among readings of one
    value: reported first (undated articles last), then the event id."""
    return (published or "9999") + "\x01" + event_id


_SUMMARISE_SQL = (
    "INSERT INTO canonical_readings SELECT ckey, value, precision, count(DISTINCT article_id), "
    "min(coalesce(published, '9999') || char(1) || event_id), event_id, article_id, published, date_text "
    "FROM event_dates WHERE ckey = ? GROUP BY value")   # the bare columns: those of the min() row


def summarise_readings(conn: sqlite3.Connection, ckey: int) -> None:
    """Rebuild the per-value summary (``canonical_readings``) of a canonical event's readings
    from ``event_dates``: per date value, the number of articles that give it and its first reading."""
    conn.execute("DELETE FROM canonical_readings WHERE ckey = ?", (ckey,))
    conn.execute(_SUMMARISE_SQL, (ckey,))


def add_reading(conn: sqlite3.Connection, ckey: int, r: Reading, new_article: bool) -> None:
    """Count one more reading of a canonical event in its summary; ``new_article``: no other
    reading of this value comes from the same article."""
    key = reading_key(r.published, r.event_id)
    row = conn.execute("SELECT articles, first_key FROM canonical_readings WHERE ckey = ? AND value = ?",
                       (ckey, r.value)).fetchone()
    if row is None:
        conn.execute("INSERT INTO canonical_readings VALUES (?,?,?,?,?,?,?,?,?)",
                     (ckey, r.value, r.precision, 1, key, r.event_id, r.article_id, r.published, r.date_text))
    elif key < row[1]:
        conn.execute("UPDATE canonical_readings SET articles = articles + ?, first_key = ?, event_id = ?, "
                     "article_id = ?, published = ?, date_text = ? WHERE ckey = ? AND value = ?",
                     (int(new_article), key, r.event_id, r.article_id, r.published, r.date_text, ckey, r.value))
    elif new_article:
        conn.execute("UPDATE canonical_readings SET articles = articles + 1 WHERE ckey = ? AND value = ?",
                     (ckey, r.value))


def choose_stored_date(conn: sqlite3.Connection, ckey: int) -> tuple[Reading | None, str]:
    """:func:`choose_date` over the summary of a canonical event's readings (one row per distinct
    date value, see :func:`summarise_readings`) instead of every reading: the same reading and
    reason as ``choose_date`` (tests/test_merge.py checks both on random readings), at a cost that
    does not grow with the number of reports."""
    rows = conn.execute("SELECT value, precision, articles, first_key, event_id, article_id, published, date_text "
                        "FROM canonical_readings WHERE ckey = ? ORDER BY value", (ckey,)).fetchall()
    if not rows:
        return None, "undated"

    def pick(row) -> Reading:
        return Reading(value=row[0], precision=row[1], article_id=row[5], event_id=row[4], published=row[6],
                       date_text=row[7])

    if len(rows) == 1:
        return pick(rows[0]), ("only reading" if rows[0][2] == 1 else "all sources agree")
    finest = min(PRECISION_RANK[r[1]] for r in rows)
    candidates = [r for r in rows if PRECISION_RANK[r[1]] == finest]
    if len(candidates) == 1:
        return pick(candidates[0]), "most precise"
    top = max(r[2] for r in candidates)
    candidates = [r for r in candidates if r[2] == top]
    if len(candidates) == 1:
        return pick(candidates[0]), "most sources"
    earliest = min(r[3].split("\x01")[0] for r in candidates)
    candidates = [r for r in candidates if r[3].split("\x01")[0] == earliest]
    if len(candidates) == 1:
        return pick(candidates[0]), "earliest report"
    return pick(min(candidates, key=lambda r: r[0])), "earliest date"


@dataclass
class EventView:
    """What the rule needs to know of an event (a per-article event or a canonical one)."""

    id: str
    type: str
    modality: str
    actors: frozenset = frozenset()
    targets: frozenset = frozenset()
    locations: frozenset = frozenset()
    span: Span | None = None          # dated span, or the undated window
    precision: str | None = None      # None: undated
    sources: int = 0
    member: "Member | None" = None    # a per-article event: what its canonical event aggregates
    row: "sqlite3.Row | None" = None  # a canonical event read from the store: its stored row
    key: int | None = None            # a canonical event: its ckey (``id`` is its public id)

    @property
    def participants(self) -> frozenset:
        return self.actors | self.targets


def match(event: EventView, canon: EventView) -> str | None:
    """How ``event`` fits the canonical event ``canon``: "agree", "tolerated" or None (no match)."""
    if event.type != canon.type or event.modality != canon.modality:
        return None
    if not participants_match(event.type, event.actors, event.targets, canon.actors, canon.targets):
        return None
    if not locations_compatible(event.locations, canon.locations):
        return None
    return time_relation(event.span, event.precision, canon.span, canon.precision,
                         event.participants == canon.participants)


def _could_match(event: EventView, roles: dict[str, set]) -> bool:
    """Can a canonical event with these participants (role -> entity ids, as stored) match
    ``event`` (:func:`match`'s participant and place rules, which do not depend on the rest)?"""
    actors = frozenset(roles.get("ACTOR_IN", ()))
    return participants_match(event.type, event.actors, event.targets, actors,
                              frozenset(roles.get("TARGET_OF", ())) - actors) and \
        locations_compatible(event.locations, frozenset(roles.get("LOCATED_AT", ())))


_AGGREGATES = ("summary", "confidence", "date_value", "date_start", "date_end", "date_precision", "date_text",
               "chosen_reason", "source_count", "member_count", "first_reported", "last_reported", "window_start",
               "window_end", "trigger", "quote", "article_id", "first_key", "quote_key", "rep_key")
"""The columns of canonical_events aggregated from the members (:func:`_aggregate_values`)."""
_CREATE_SQL = (f"INSERT OR IGNORE INTO canonical_events (id, type, label, modality, {', '.join(_AGGREGATES)}) "
               f"VALUES ({','.join('?' * (4 + len(_AGGREGATES)))})")
_UPDATE_SQL = f"UPDATE canonical_events SET {', '.join(c + '=?' for c in _AGGREGATES)} WHERE ckey=?"


def _aggregate_values(*, summary, confidence, chosen: Reading | None, reason: str, span: Span | None, sources: int,
                      members: int, first, last, window: Span | None, trigger, quote, article_id, first_key,
                      quote_key, rep_key) -> tuple:
    """The values of the :data:`_AGGREGATES` columns, in their order."""
    return (summary, confidence, chosen.value if chosen else None,
            span[0].isoformat() if span else None, span[1].isoformat() if span else None,
            chosen.precision if chosen else None, chosen.date_text if chosen else None, reason,
            sources, members, first, last,
            window[0].isoformat() if window else None, window[1].isoformat() if window else None,
            trigger, quote, article_id, first_key, quote_key, rep_key)


@lru_cache(maxsize=128)
def _keyed_sql(entities: int, roles: str) -> str:
    """The query of :meth:`EventMerger._keyed` for this many entity ids and these actor flags."""
    marks = ",".join("?" * entities)
    return " UNION ALL ".join(
        f"SELECT ckey FROM canonical_keys WHERE type = ? AND modality = ? AND entity_id IN ({marks}) "
        f"AND actor IN ({roles}) AND span_class = ? AND window_start BETWEEN ? AND ? AND window_end >= ?"
        for _ in SPAN_CLASSES)


def _key_entities(event_type: str, actors: Iterable[str], targets: Iterable[str]) -> set[str]:
    """The participants through which an event of this type is keyed in ``canonical_keys`` and
    looked up there: every participant of a symmetric type (CONSULT), the actors of the others
    (:func:`participants_match` needs a shared actor)."""
    return set(actors) | set(targets) if event_link(event_type)[1] else set(actors)


def _keyed_query(event_type: str, modality: str, actors: Iterable[str], targets: Iterable[str],
                 span: Span) -> tuple[str, list] | None:
    """The query of :meth:`EventMerger._keyed` and its arguments (None: no key participants)."""
    entity_ids = sorted(_key_entities(event_type, actors, targets))
    roles = "0, 1" if event_link(event_type)[1] else "1"
    if not entity_ids:
        return None
    start, end = _iso(span[0]), _iso(span[1])
    args = []
    for i, lowest in enumerate(_lowest_starts(span[0])):
        args += [event_type, modality, *entity_ids, i, lowest, end, start]
    return _keyed_sql(len(entity_ids), roles), args


@lru_cache(maxsize=8192)
def _iso(day: dt.date) -> str:
    return day.isoformat()


@lru_cache(maxsize=8192)
def _lowest_starts(start: dt.date) -> tuple[str, ...]:
    """Per :data:`SPAN_CLASSES` class, the earliest window start of that class that can overlap a
    span starting on ``start`` (the query of :meth:`EventMerger._keyed`; days recur: cached)."""
    return tuple("" if longest is None else (start - dt.timedelta(days=longest)).isoformat()
                 for longest in SPAN_CLASSES)


def span_class(span: Span) -> int:
    """The :data:`SPAN_CLASSES` index of a window."""
    days = (span[1] - span[0]).days
    for i, longest in enumerate(SPAN_CLASSES):
        if longest is None or days <= longest:
            return i
    raise AssertionError("the last class has no bound")


def _span_of(start: str | None, end: str | None) -> Span | None:
    return (_date(start), _date(end)) if start and end else None


def _widen(span: Span, before: dt.timedelta, after: dt.timedelta) -> Span:
    return span[0] - before, span[1] + after


# --------------------------------------------------------------------------- the store's layer
class PlannedKeys:
    """Per event type, the entities that have ``canonical_keys`` rows of planned events: a superset
    kept by the store for its connection, so that :meth:`EventMerger.finish` asks the index for
    the plans an event may fulfil only when one of its key participants has a plan of its type at
    all (most events have none; the look-up is a range scan per window class and participant).

    A type's set is read from the store on first use; rows written through a merger that holds
    this object are added to it. Rows deleted, or rolled back, stay in it: a superset only costs a
    look-up that finds nothing. Rows written by another connection are not seen: :meth:`check`
    (``PRAGMA data_version``, which changes when another connection commits) forgets everything
    then."""

    def __init__(self) -> None:
        self._types: dict[str, set[str]] = {}
        self._version: int | None = None

    def check(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version:
            self._types.clear()
            self._version = version

    def entities(self, conn: sqlite3.Connection, event_type: str) -> set[str]:
        found = self._types.get(event_type)
        if found is None:
            found = self._types[event_type] = {r[0] for r in conn.execute(
                "SELECT DISTINCT entity_id FROM canonical_keys WHERE type = ? AND modality = 'planned'",
                (event_type,))}
        return found

    def add(self, event_type: str, entities: Iterable[str]) -> None:
        found = self._types.get(event_type)
        if found is not None:
            found.update(entities)


@dataclass
class EventMerger:
    """Maintains the canonical layer inside the embedded store's transaction for one article write.

    Usage (see :meth:`kg.store.sqlite.SQLiteStore._write_article`)::

        m = EventMerger(conn)
        m.remove_article(article_id)   # before its per-article rows are deleted / replaced
        ... write the article's rows ...
        m.add_article(article_id)
        m.finish()                     # FULFILS links of everything touched

    Canonical events are handled by their ``ckey`` (see :data:`SCHEMA`); their public ids only
    matter for the tie-break among candidates and in ``event_links``.
    """

    conn: sqlite3.Connection
    touched: set = field(default_factory=set)     # ckeys
    deleted: dict = field(default_factory=dict)   # ckey -> ckeys of the planned events it fulfilled
    _siblings: dict = field(default_factory=dict)  # ckey -> date values of this article's members
    new: set = field(default_factory=set)         # created by this merger (no FULFILS links before it)
    latest: dict = field(default_factory=dict)    # ckey -> its view after the last member added
    planned_keys: PlannedKeys | None = None       # the store's, to skip look-ups of plans that cannot exist

    # ------------------------------------------------------------------ members
    def remove_article(self, article_id: str) -> set[str]:
        c = self.conn
        keys = {r[0] for r in c.execute("SELECT DISTINCT ckey FROM event_members WHERE article_id = ?",
                                        (article_id,))}
        c.execute("DELETE FROM event_members WHERE article_id = ?", (article_id,))
        for k in sorted(keys):
            self.recompute(k)
        self.touched |= keys
        return keys

    def add_article(self, article_id: str, records=None) -> set[str]:
        """Merge the article's events into the canonical layer. ``records``: the article's graph
        records as just written (after curation), to take its events and participants from
        instead of reading back the rows written from them."""
        events = self._article_events(article_id, records)
        events.sort(key=lambda e: (PRECISION_RANK.get(e.precision, 9), e.id))
        assigned = set()
        # the members added here, per canonical event: the article's other members of an event
        # (its members from before were removed: remove_article, or rebuild's empty tables)
        self._siblings = {}
        members = []
        for ev in events:
            best, best_key = None, None
            for canon in self._candidates(ev):
                relation = match(ev, canon)
                if relation is None:
                    continue
                key = (relation != "agree", ev.participants != canon.participants, -canon.sources, canon.id)
                if best_key is None or key < best_key:
                    best, best_key = canon, key
            if best is None:
                k = self._create_from(ev)
            else:
                k = best.key
                self._add_member(ev, best)
            self._siblings.setdefault(k, []).append(value_of(ev.member.date_start, ev.member.date_precision))
            members.append((ev.id, k, article_id))
            assigned.add(k)
        # nothing above reads event_members (the siblings are known here): one statement
        self.conn.executemany("INSERT OR REPLACE INTO event_members (event_id, ckey, article_id) "
                              "VALUES (?,?,?)", members)
        self._siblings = {}
        self.touched |= assigned
        return assigned

    def finish(self) -> None:
        """Recompute the FULFILS links of every canonical event touched since the last call."""
        planned: set[int] = set()
        for fulfilled in self.deleted.values():   # (a deleted ckey may be given to a new event)
            planned |= fulfilled
        for k in sorted(self.touched):
            canon = self.latest.get(k)         # known when its last change was an added member
            if canon is None:
                canon = self._view(k)
            if canon is None:
                continue
            if canon.modality == "planned":
                planned.add(k)
            elif canon.modality == HAPPENED:
                if k not in self.new:          # the plans it fulfilled before this write
                    planned |= self._fulfilled(canon.id)
                if canon.span is not None and self._may_fulfil(canon):
                    # a plan this event can fulfil has its window in here (see _relink)
                    window = _widen(canon.span, PLAN_HORIZON + UNDATED_WINDOW, TOLERANCE)
                    planned |= self._keyed(canon.type, "planned", canon.actors, canon.targets, window)
        for pk in sorted(planned):
            self._relink(pk)
        self.touched.clear()
        self.deleted.clear()
        self.latest.clear()
        self.new.clear()

    def _may_fulfil(self, canon: EventView) -> bool:
        """Whether a planned event of this type may have one of this event's key participants
        (those :meth:`_keyed` looks up), as far as :attr:`planned_keys` knows; without it, True."""
        if self.planned_keys is None:
            return True
        keyed = _key_entities(canon.type, canon.actors, canon.targets)
        return not keyed.isdisjoint(self.planned_keys.entities(self.conn, canon.type))

    # ------------------------------------------------------------------ reading
    def _article_events(self, article_id: str, records=None) -> list[EventView]:
        """The views of the article's events, as stored or (``records``) as about to be: the rows
        of the records' events (the last of equal ids, as the store's INSERT OR REPLACE keeps)
        and participants."""
        c = self.conn
        parts: dict[str, dict[str, set]] = {}
        if records is None:
            pub = c.execute("SELECT published FROM articles WHERE id = ?", (article_id,)).fetchone()
            published = pub[0] if pub else None
            part_rows = c.execute("SELECT event_id, entity_id, role FROM participants WHERE article_id = ?",
                                  (article_id,))
            rows = c.execute("SELECT id, type, modality, date_start, date_end, date_precision, date_text, "
                             "confidence, summary, trigger, quote FROM events WHERE article_id = ?", (article_id,))
        else:
            published = records.articles[0]["published"]
            part_rows = ((p["event_id"], p["entity_id"], p["role"]) for p in records.participants)
            rows = {e["id"]: e for e in records.events}.values()
        for r in part_rows:
            parts.setdefault(r[0], {}).setdefault(r[2], set()).add(r[1])
        out = []
        for e in rows:
            roles = parts.get(e["id"], {})
            actors = frozenset(roles.get("ACTOR_IN", ()))
            if e["date_start"] and e["date_precision"]:
                span = (_date(e["date_start"]), _date(e["date_end"] or e["date_start"]))
                precision = e["date_precision"]
            else:
                span, precision = undated_window(published), None
            view = EventView(id=e["id"], type=e["type"], modality=e["modality"] or "asserted", actors=actors,
                             targets=frozenset(roles.get("TARGET_OF", ())) - actors,
                             locations=frozenset(roles.get("LOCATED_AT", ())), span=span,
                             precision=precision)
            view.member = Member(event_id=e["id"], article_id=article_id, published=published,
                                 date_start=e["date_start"], date_precision=e["date_precision"],
                                 date_text=e["date_text"], confidence=e["confidence"], summary=e["summary"],
                                 trigger=e["trigger"], quote=e["quote"])
            out.append(view)
        return out

    def _fulfilled(self, cid: str) -> set[int]:
        """The ckeys of the planned events the canonical event of this public id fulfils."""
        return {r[0] for r in self.conn.execute(
            "SELECT ce.ckey FROM event_links l JOIN canonical_events ce ON ce.id = l.target "
            "WHERE l.source = ? AND l.type = 'FULFILS'", (cid,))}

    def _keyed(self, event_type: str, modality: str, actors: Iterable[str], targets: Iterable[str],
               span: Span) -> set[int]:
        """The ckeys of the canonical events of this type and modality whose time window overlaps ``span`` and
        that can share key participants with an event of these actors and targets
        (:func:`participants_match`): one of the actors as an actor, or for a symmetric type one
        of the participants in either role. Per length class, one range scan of window starts
        (see the module docstring)."""
        query = _keyed_query(event_type, modality, actors, targets, span)
        if query is None:
            return set()
        return {r[0] for r in self.conn.execute(*query)}

    def _keyed_views(self, event_type: str, modality: str, actors: Iterable[str], targets: Iterable[str],
                     span: Span, like: EventView) -> list[EventView]:
        """:meth:`_views` of :meth:`_keyed`, ``like`` an event: the participants of the keyed
        canonical events in one query with the key look-up (every keyed event has participants:
        its keys are written from them)."""
        query = _keyed_query(event_type, modality, actors, targets, span)
        if query is None:
            return []
        sql, args = query
        roles: dict[int, dict[str, set]] = {}
        for r in self.conn.execute(f"SELECT ckey, entity_id, role FROM canonical_participants WHERE ckey IN ({sql})",
                                   args):
            roles.setdefault(r[0], {}).setdefault(r[2], set()).add(r[1])
        return self._rows_of(sorted(roles), roles, like)

    def _candidates(self, ev: EventView) -> list[EventView]:
        if ev.span is None or not ev.participants:
            return []
        search = _widen(ev.span, TOLERANCE, TOLERANCE)   # agree (overlap) or tolerated (1 day apart)
        return self._keyed_views(ev.type, ev.modality, ev.actors, ev.targets, search, like=ev)

    def _views(self, keys: Iterable[int], like: EventView | None = None) -> list[EventView]:
        """The views of the canonical events of these ckeys (those that exist), in ckey order; two queries.
        ``like``: only those whose participants and places can match this event's
        (:func:`participants_match`, :func:`locations_compatible`): their participants are read
        first, and only their rows after (the index finds events sharing one participant, most
        of which do not match: the rows of those are never read)."""
        keys = sorted(set(keys))
        if not keys:
            return []
        roles: dict[int, dict[str, set]] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            for r in self.conn.execute(f"SELECT ckey, entity_id, role FROM canonical_participants "
                                       f"WHERE ckey IN ({','.join('?' * len(chunk))})", chunk):
                roles.setdefault(r[0], {}).setdefault(r[2], set()).add(r[1])
        return self._rows_of(keys, roles, like)

    def _rows_of(self, keys: list[int], roles: dict[int, dict[str, set]], like: EventView | None) -> list[EventView]:
        """The views of these ckeys (sorted) given their participants: the rows of those that
        can match ``like`` (all without it) read in one query per 500."""
        if like is not None:
            keys = [k for k in keys if _could_match(like, roles.get(k, {}))]
        rows: dict[int, sqlite3.Row] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            for row in self.conn.execute(f"SELECT * FROM canonical_events WHERE ckey IN ({','.join('?' * len(chunk))})",
                                         chunk):
                rows[row[0]] = row
        return [self._make_view(rows[k], roles.get(k, {})) for k in keys if k in rows]

    def _view(self, k: int) -> EventView | None:
        views = self._views((k,))
        return views[0] if views else None

    @staticmethod
    def _make_view(row, roles: dict[str, set]) -> EventView:
        span = None
        if row["window_start"] and row["window_end"]:
            span = (_date(row["window_start"]), _date(row["window_end"]))
        actors = frozenset(roles.get("ACTOR_IN", ()))
        return EventView(id=row["id"], type=row["type"], modality=row["modality"], actors=actors,
                         targets=frozenset(roles.get("TARGET_OF", ())) - actors,
                         locations=frozenset(roles.get("LOCATED_AT", ())), span=span,
                         precision=row["date_precision"], sources=row["source_count"], row=row, key=row["ckey"])

    # ------------------------------------------------------------------ writing
    def _create_from(self, ev: EventView) -> int:
        """A new canonical event whose only member is ``ev``: its row written whole in one
        statement, with what :meth:`_add_member` would aggregate from one member. Its id is the
        event's, or ``<id>~2``, ``~3``... when that is taken (by the canonical event of another
        article); its ckey the next integer. Returns the ckey."""
        c, m = self.conn, ev.member
        key = m.key
        reading = m.reading()
        if reading is not None:
            chosen, reason = reading, "only reading"
            span = window = time_span(reading.value)
        else:
            chosen, reason, span = None, "undated", None
            window = undated_window(m.published)
        values = [ev.type, event_label(ev.type), ev.modality, *_aggregate_values(
            summary=m.summary, confidence=max(0, m.confidence or 0), chosen=chosen, reason=reason, span=span,
            sources=1, members=1, first=m.published or None, last=m.published or None, window=window,
            trigger=m.trigger, quote=m.quote or None, article_id=m.article_id, first_key=key,
            quote_key=key if m.quote else None, rep_key=key)]
        cid, n = ev.id, 1
        while not (cursor := c.execute(_CREATE_SQL, [cid, *values])).rowcount:
            n += 1                      # the id is taken
            cid = f"{ev.id}~{n}"
        k = cursor.lastrowid
        if reading is not None:
            c.execute("INSERT INTO event_dates VALUES (?,?,?,?,?,?,?)",
                      (k, reading.event_id, reading.article_id, reading.value, reading.precision,
                       reading.date_text, reading.published))
            c.execute("INSERT INTO canonical_readings VALUES (?,?,?,?,?,?,?,?,?)",
                      (k, reading.value, reading.precision, 1, reading_key(reading.published, reading.event_id),
                       reading.event_id, reading.article_id, reading.published, reading.date_text))
        c.executemany("INSERT INTO canonical_participants VALUES (?,?,?)",
                      [(k, e, role) for role, ids in (("ACTOR_IN", ev.actors), ("TARGET_OF", ev.targets),
                                                      ("LOCATED_AT", ev.locations)) for e in sorted(ids)])
        self._write_keys(k, ev.type, ev.modality, ev.actors, ev.targets, window)
        self.new.add(k)
        self.latest[k] = EventView(id=cid, type=ev.type, modality=ev.modality, actors=ev.actors,
                                   targets=ev.targets, locations=ev.locations, span=window,
                                   precision=chosen.precision if chosen else None, sources=1, key=k)
        return k

    def _delete(self, k: int) -> None:
        c = self.conn
        self.latest.pop(k, None)
        row = c.execute("SELECT id FROM canonical_events WHERE ckey = ?", (k,)).fetchone()
        if row is None:
            return
        cid = row[0]
        self._drop_keys(k, self._old_keys(k))
        self.deleted[k] = self._fulfilled(cid)
        c.execute("DELETE FROM canonical_events WHERE ckey = ?", (k,))
        for table in ("canonical_participants", "event_dates", "canonical_readings"):
            c.execute(f"DELETE FROM {table} WHERE ckey = ?", (k,))
        c.execute("DELETE FROM event_links WHERE source = ? OR target = ?", (cid, cid))

    def recompute(self, k: int) -> None:
        """Aggregate a canonical event from all its members (participants, readings, chosen date,
        sources, window, index keys); delete it when it has no members left. Used when members
        leave (an article is replaced or removed); a member that joins is added by
        :meth:`_add_member`, which gives the same result without reading the other members."""
        c = self.conn
        self.latest.pop(k, None)
        members = c.execute(
            "SELECT m.event_id, m.article_id, e.date_start, e.date_end, e.date_precision, e.date_text, e.confidence, "
            "e.summary, e.trigger, e.quote, a.published FROM event_members m JOIN events e "
            "ON e.article_id = m.article_id AND e.id = m.event_id "
            "JOIN articles a ON a.id = m.article_id WHERE m.ckey = ? ORDER BY a.published, m.event_id",
            (k,)).fetchall()
        if not members:
            self._delete(k)
            return
        head = c.execute("SELECT type, modality FROM canonical_events WHERE ckey = ?", (k,)).fetchone()
        self._drop_keys(k, self._old_keys(k))
        readings = [Reading(value=value_of(m["date_start"], m["date_precision"]), precision=m["date_precision"],
                            article_id=m["article_id"], event_id=m["event_id"], published=m["published"],
                            date_text=m["date_text"])
                    for m in members if m["date_start"] and m["date_precision"] in PRECISION_RANK]
        chosen, reason = choose_date(readings)
        if chosen is not None:
            span = time_span(chosen.value)
            window = span
        else:
            windows = [w for w in (undated_window(m["published"]) for m in members) if w]
            span = None
            window = (min(w[0] for w in windows), max(w[1] for w in windows)) if windows else None
        by_id = {m["event_id"]: m for m in members}
        rep = by_id[chosen.event_id] if chosen else max(members, key=lambda m: (m["confidence"] or 0))
        published = [m["published"] for m in members if m["published"]]
        quoted = next((m for m in members if m["quote"]), None)
        # participants: the union of the members'; an entity that acts in one report is an actor
        roles: dict[str, set] = {}
        for r in c.execute("SELECT p.entity_id, p.role FROM event_members m JOIN participants p "
                           "ON p.article_id = m.article_id AND p.event_id = m.event_id WHERE m.ckey = ?",
                           (k,)):
            roles.setdefault(r[1], set()).add(r[0])
        actors = roles.get("ACTOR_IN", set())
        targets = roles.get("TARGET_OF", set()) - actors
        c.execute("DELETE FROM canonical_participants WHERE ckey = ?", (k,))
        c.executemany("INSERT INTO canonical_participants VALUES (?,?,?)",
                      [(k, e, role) for role, ids in (("ACTOR_IN", actors), ("TARGET_OF", targets),
                                                        ("LOCATED_AT", roles.get("LOCATED_AT", set())))
                       for e in sorted(ids)])
        self._write_keys(k, head["type"], head["modality"], actors, targets, window)
        c.execute("DELETE FROM event_dates WHERE ckey = ?", (k,))
        c.executemany("INSERT INTO event_dates VALUES (?,?,?,?,?,?,?)",
                      [(k, r.event_id, r.article_id, r.value, r.precision, r.date_text, r.published)
                       for r in readings])
        summarise_readings(c, k)
        self._update(k, summary=rep["summary"], confidence=max((m["confidence"] or 0) for m in members),
                     chosen=chosen, reason=reason, span=span, sources=len({m["article_id"] for m in members}),
                     members=len(members), first=min(published) if published else None,
                     last=max(published) if published else None, window=window, trigger=rep["trigger"],
                     quote=quoted["quote"] if quoted else None, article_id=members[0]["article_id"],
                     first_key=order_key(members[0]["published"], members[0]["event_id"]),
                     quote_key=order_key(quoted["published"], quoted["event_id"]) if quoted else None,
                     rep_key=order_key(rep["published"], rep["event_id"]))

    def _add_member(self, ev: EventView, canon: EventView) -> None:
        """Aggregate one new member into an existing canonical event (a new one: :meth:`_create_from`):
        the result equals :meth:`recompute`'s, but the cost does not grow with the members the event
        already has (a story reported by hundreds of articles): the stored aggregates are combined
        with the new member's, and the date is chosen by SQLite over the stored readings.
        ``canon``: the canonical event as just read by :meth:`_candidates` (its row and
        participants), which spares reading them again."""
        c, m, k, old = self.conn, ev.member, canon.key, canon.row
        key = m.key
        reading = m.reading()
        # the other members of this event from the same article (usually none): for the count of
        # sources, and of the articles that give a date value (their date values)
        siblings = self._siblings.get(k, [])
        if reading is not None:
            c.execute("INSERT INTO event_dates VALUES (?,?,?,?,?,?,?)",
                      (k, reading.event_id, reading.article_id, reading.value, reading.precision,
                       reading.date_text, reading.published))
            add_reading(c, k, reading, new_article=reading.value not in siblings)
        # the chosen date: only a new reading can change it
        if reading is not None:
            chosen, reason = (reading, "only reading") if not old["date_value"] and \
                old["chosen_reason"] == "undated" else choose_stored_date(c, k)
        elif old["date_value"]:
            chosen = Reading(value=old["date_value"], precision=old["date_precision"], article_id="", event_id="",
                             date_text=old["date_text"])
            reason = old["chosen_reason"]
        else:
            chosen, reason = None, "undated"
        confidence = max(old["confidence"], m.confidence or 0)
        # the representative: the member of the chosen reading, else the most confident (the first
        # in member order among equals)
        if reading is not None:
            rep_key = order_key(chosen.published, chosen.event_id)
            if chosen.event_id == m.event_id:
                summary, trigger = m.summary, m.trigger
            elif old["rep_key"] == rep_key:
                summary, trigger = old["summary"], old["trigger"]
            else:
                row = c.execute("SELECT summary, trigger FROM events WHERE article_id = ? AND id = ?",
                                (chosen.article_id, chosen.event_id)).fetchone()
                summary, trigger = row[0], row[1]
        elif chosen is None and ((m.confidence or 0) > old["confidence"] or (
                (m.confidence or 0) == old["confidence"] and key < old["rep_key"])):
            rep_key, summary, trigger = key, m.summary, m.trigger
        else:
            rep_key, summary, trigger = old["rep_key"], old["summary"], old["trigger"]
        old_window = _span_of(old["window_start"], old["window_end"])
        if chosen is not None:
            span = window = time_span(chosen.value)
        else:
            span, window = None, old_window
            mine = undated_window(m.published)
            if mine is not None:
                window = mine if window is None else (min(window[0], mine[0]), max(window[1], mine[1]))
        sources = old["source_count"] + (0 if siblings else 1)
        first_reported, last_reported = old["first_reported"], old["last_reported"]
        if m.published:
            first_reported = min(first_reported, m.published) if first_reported else m.published
            last_reported = max(last_reported, m.published) if last_reported else m.published
        if key < old["first_key"]:
            article_id, first_key = m.article_id, key
        else:
            article_id, first_key = old["article_id"], old["first_key"]
        quote, quote_key = old["quote"], old["quote_key"]
        if m.quote and (quote_key is None or key < quote_key):
            quote, quote_key = m.quote, key
        # participants: the union; an entity that acts in one report is an actor, not a target
        before = {"ACTOR_IN": set(canon.actors), "TARGET_OF": set(canon.targets), "LOCATED_AT": set(canon.locations)}
        roles = {"ACTOR_IN": before["ACTOR_IN"] | ev.actors, "LOCATED_AT": before["LOCATED_AT"] | ev.locations}
        roles["TARGET_OF"] = (before["TARGET_OF"] | ev.targets) - roles["ACTOR_IN"]
        gone = before["TARGET_OF"] - roles["TARGET_OF"]
        if gone:
            c.executemany("DELETE FROM canonical_participants WHERE ckey = ? AND entity_id = ? AND role = ?",
                          [(k, e, "TARGET_OF") for e in sorted(gone)])
        c.executemany("INSERT INTO canonical_participants VALUES (?,?,?)",
                      [(k, e, role) for role in ("ACTOR_IN", "TARGET_OF", "LOCATED_AT")
                       for e in sorted(roles[role] - before[role])])
        if window != old_window or roles["ACTOR_IN"] != before["ACTOR_IN"] or \
                roles["TARGET_OF"] != before["TARGET_OF"]:
            self._drop_keys(k, (ev.type, ev.modality, before["ACTOR_IN"], before["TARGET_OF"], old_window))
            self._write_keys(k, ev.type, ev.modality, roles["ACTOR_IN"], roles["TARGET_OF"], window)
        self._update(k, summary=summary, confidence=confidence, chosen=chosen, reason=reason, span=span,
                     sources=sources, members=old["member_count"] + 1, first=first_reported, last=last_reported,
                     window=window, trigger=trigger, quote=quote, article_id=article_id, first_key=first_key,
                     quote_key=quote_key, rep_key=rep_key)
        self.latest[k] = EventView(id=canon.id, type=ev.type, modality=ev.modality,
                                   actors=frozenset(roles["ACTOR_IN"]), targets=frozenset(roles["TARGET_OF"]),
                                   locations=frozenset(roles["LOCATED_AT"]), span=window,
                                   precision=chosen.precision if chosen else None, sources=sources, key=k)

    @staticmethod
    def _key_rows(k: int, event_type: str, modality: str, actors, targets, window: Span | None) -> list[tuple]:
        """The canonical_keys rows of a canonical event (see :meth:`_keyed`), without window_end: one
        per participant of a symmetric type (CONSULT), one per actor of the others — :meth:`_keyed`
        finds those by a shared actor only (schema version 6; before, their targets had rows too,
        which no look-up read)."""
        if window is None:
            return []
        cls, start = span_class(window), window[0].isoformat()
        return [(event_type, modality, e, int(e in actors), cls, start, k)
                for e in sorted(_key_entities(event_type, actors, targets))]

    def _write_keys(self, k: int, event_type: str, modality: str, actors, targets, window: Span | None) -> None:
        """The index rows through which later events find this canonical event (see :meth:`_keyed`)."""
        if window is not None:
            end = window[1].isoformat()
            rows = self._key_rows(k, event_type, modality, actors, targets, window)
            self.conn.executemany("INSERT OR IGNORE INTO canonical_keys VALUES (?,?,?,?,?,?,?,?)",
                                  [(*row[:6], end, row[6]) for row in rows])
            if modality == "planned" and self.planned_keys is not None:
                self.planned_keys.add(event_type, [row[2] for row in rows])

    def _old_keys(self, k: int) -> tuple | None:
        """What a canonical event's keys were written from: its stored type, modality, actors,
        targets and window (None when it is not stored)."""
        row = self.conn.execute("SELECT type, modality, window_start, window_end FROM canonical_events WHERE ckey = ?",
                                (k,)).fetchone()
        if row is None:
            return None
        roles: dict[str, set] = {"ACTOR_IN": set(), "TARGET_OF": set()}
        for entity, role in self.conn.execute("SELECT entity_id, role FROM canonical_participants "
                                              "WHERE ckey = ?", (k,)):
            if role in roles:
                roles[role].add(entity)
        return (row[0], row[1], roles["ACTOR_IN"], roles["TARGET_OF"], _span_of(row[2], row[3]))

    def _drop_keys(self, k: int, old: tuple | None) -> None:
        """Delete the keys written from ``old`` (see :meth:`_old_keys`), each by its primary key."""
        if old is not None:
            self.conn.executemany("DELETE FROM canonical_keys WHERE type = ? AND modality = ? AND entity_id = ? "
                                  "AND actor = ? AND span_class = ? AND window_start = ? AND ckey = ?",
                                  self._key_rows(k, *old))

    def _update(self, k: int, **aggregates) -> None:
        self.conn.execute(_UPDATE_SQL, (*_aggregate_values(**aggregates), k))

    # ------------------------------------------------------------------ planned -> happened
    def _relink(self, pk: int) -> None:
        c = self.conn
        plan = self._view(pk)
        if plan is None:                    # deleted: its links went with it (_delete)
            return
        c.execute("DELETE FROM event_links WHERE target = ? AND type = 'FULFILS'", (plan.id,))
        row = plan.row
        if plan.modality != "planned" or plan.span is None:
            return
        announced = _date(row["first_reported"])
        if plan.precision is not None:      # a dated plan: the event fits its date (± 1 day)
            search = _widen(plan.span, TOLERANCE, TOLERANCE)
        elif announced is not None:         # an undated plan: within the horizon after it was announced
            search = (announced, announced + PLAN_HORIZON)
        else:
            return
        best = None
        for happened in self._keyed_views(plan.type, HAPPENED, plan.actors, plan.targets, search, like=plan):
            aid = happened.id
            if happened.span is None:
                continue
            if not participants_match(plan.type, plan.actors, plan.targets, happened.actors, happened.targets):
                continue
            if not locations_compatible(plan.locations, happened.locations):
                continue
            if not overlap(happened.span, search):
                continue
            reported = happened.row["last_reported"]
            if row["first_reported"] and reported and reported < row["first_reported"]:
                continue                    # the plan must have been reported before the happening
            if announced is not None and happened.span[1] < announced:
                continue                    # it happened before it was planned: another occasion
            key = (happened.span[0], aid)
            if best is None or key < best:
                best = key
        if best is not None:
            c.execute("INSERT OR IGNORE INTO event_links (source, type, target) VALUES (?, 'FULFILS', ?)",
                      (best[1], plan.id))


def rebuild(conn: sqlite3.Connection) -> None:
    """Recompute the whole canonical layer from the per-article events, articles in ingest order."""
    for table in CANONICAL_TABLES:
        conn.execute(f"DELETE FROM {table}")
    merger = EventMerger(conn)
    for (aid,) in conn.execute("SELECT id FROM articles ORDER BY ingested_at, id").fetchall():
        merger.add_article(aid)
    merger.finish()
