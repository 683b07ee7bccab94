"""Datelines: the short "when was this published" line near the top of an article.

``parse_dateline(line)`` turns lines such as ::

    Aug 20, 2025, 4:20 PM            • Aug 20, 2025, 4:20 PM
    20.08.2025 16:20                 Stand: 28.01.2025 16:20 Uhr
    2026-01-04 10:23                 Published: 4 January 2026
    Veröffentlicht am 3. März 2025   Publié le 20 août 2025 à 16h20

into a naive :class:`datetime.datetime` (a missing time of day becomes 00:00) and returns
``None`` for everything else.  Regular expressions handle the common English / German forms;
``dateparser`` (languages en, de, fr, es, it) is tried only on a line that has already passed
the dateline checks below, never on running text:

* at most 80 characters and containing a four-digit year (19xx / 20xx), so relative dates
  ("vor 2 Stunden") are never read: they depend on the day the file is read;
* apart from date words (months, weekdays, "Uhr", "Stand", "Published", time zones, ...) the
  line has at most three other words and all of them are capitalised (a city, an agency, an
  author).  A lower-case word ("traf", "said") marks an ordinary sentence, which is rejected.
  With ``strict=True`` (used for a title candidate) no other word at all is allowed.

Time zones are dropped: the clock time is kept as written ("naive, local").
"""
from __future__ import annotations

import datetime as dt
import functools
import re

__all__ = ["parse_dateline", "parse_published", "MAX_DATELINE_CHARS"]

MAX_DATELINE_CHARS = 80

_MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    [
        "jan januar jänner january janv janvier enero ene gennaio gen",
        "feb februar feber february févr fevr février fevrier febrero febbraio",
        "mar mär märz maerz march mars marzo",
        "apr april avr avril abril aprile",
        "may mai mayo maggio mag",
        "jun juni june juin junio giugno giu",
        "jul juli july juil juillet julio luglio lug",
        "aug august août aout agosto ago",
        "sep sept september septembre septiembre set settembre",
        "oct okt oktober october octobre octubre ottobre ott",
        "nov november novembre noviembre",
        "dec dez dezember december déc décembre decembre diciembre dic dicembre",
    ],
    start=1,
):
    for _n in _names.split():
        _MONTHS[_n] = _num

_WEEKDAYS = set(
    """
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag mo di mi do fr sa so
    lundi mardi mercredi jeudi vendredi samedi dimanche
    lunes martes miércoles miercoles jueves viernes sábado sabado domingo
    lunedì lunedi martedì martedi mercoledì mercoledi giovedì giovedi venerdì venerdi sabato domenica
    """.split()
)

# Words a dateline may contain besides the date itself (lower-cased, without dots).
_FILLERS = set(
    """
    published updated last first posted modified created date dated on at by the of and
    stand veröffentlicht aktualisiert zuletzt erschienen erstellt geändert datum am um uhr von und vom
    publié publiée publie mis à a jour le la du de et par
    publicado actualizado actualización el del las los
    pubblicato aggiornato aggiornamento il alle ore di
    am pm utc gmt cet cest mez mesz et est edt ct cst cdt pt pst pdt bst kst jst msk ist hkt sgt aedt aest
    z local time ortszeit heure hora h
    """.split()
)

_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_YEAR = r"(?P<y>(?:19|20)\d\d)"

_ISO = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)"
    r"(?:(?:[T ]|,\s*)(?P<H>\d\d):(?P<M>\d\d)(?::(?P<S>\d\d)(?:[.,]\d+)?)?)?"
    r"(?:\s*(?:Z|[+-]\d\d:?\d\d))?(?!\d)"
)
_DMY_NUM = re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?" + _YEAR + r"(?!\d)")
_DMY_NAME = re.compile(
    r"(?<!\w)(?P<d>\d{1,2})(?:\.|er|st|nd|rd|th)?\s+(?:de\s+)?(?P<mon>" + _MONTH_RE + r")\.?,?\s+(?:de\s+)?"
    + _YEAR + r"(?!\d)",
    re.IGNORECASE,
)
_MDY_NAME = re.compile(
    r"(?<!\w)(?P<mon>" + _MONTH_RE + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?,?\s+" + _YEAR + r"(?!\d)",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"(?<![\d.:])(?P<H>\d{1,2})(?::|h\s?)(?P<M>\d\d)(?::(?P<S>\d\d))?(?!\d)"
    r"(?:\s*(?P<ampm>[ap]\.?\s?m\.?)(?!\w))?",
    re.IGNORECASE,
)
_TIME_DOT_UHR = re.compile(r"(?<![\d.:])(?P<H>\d{1,2})\.(?P<M>\d\d)\s*Uhr\b", re.IGNORECASE)
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_WORD = re.compile(r"[^\W\d_]+")
_LEADING_BULLETS = re.compile(r"^[\s•·*\-–—|>»›:]+")
_PREFIX = re.compile(
    r"^(?:(?:first\s+|last\s+)?(?:published|updated|posted|modified)|stand|(?:zuletzt\s+)?(?:veröffentlicht|aktualisiert)"
    r"|erschienen|datum|date|publié(?:e)?|mis à jour|publicado|actualizado|pubblicato|aggiornato)"
    r"(?:\s+(?:on|am|le|el|il|at|um))?\s*:?\s*",
    re.IGNORECASE,
)


def parse_dateline(line: str, *, strict: bool = False) -> dt.datetime | None:
    """Return the date (and time) a dateline states, or None if ``line`` is not a dateline."""
    s = line.strip()
    if not s or len(s) > MAX_DATELINE_CHARS or not _HAS_YEAR.search(s) or s[-1] in "?!":
        return None
    if not _looks_like_dateline(s, strict=strict):
        return None
    found = _regex_date(s)
    if found is not None:
        return found
    return _dateparser_date(s)


def parse_published(value: str) -> dt.datetime | None:
    """Read a ``published`` value: ISO date / datetime (offset dropped) or a dateline string."""
    s = value.strip()
    if not s:
        return None
    try:
        if len(s) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(s), dt.time())
        return dt.datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return parse_dateline(s)


def _looks_like_dateline(s: str, *, strict: bool) -> bool:
    others = 0
    for word in _WORD.findall(s):
        w = word.lower()
        if len(w) == 1 or w in _FILLERS or w in _MONTHS or w in _WEEKDAYS:
            continue
        if not word[0].isupper():
            return False  # an ordinary sentence ("Am 3. März 2025 traf ...")
        others += 1
    return others <= (0 if strict else 3)


def _regex_date(s: str) -> dt.datetime | None:
    for pattern in (_ISO, _DMY_NUM, _DMY_NAME, _MDY_NAME):
        m = pattern.search(s)
        if not m:
            continue
        g = m.groupdict()
        month = int(g["m"]) if g.get("m") else _MONTHS[g["mon"].lower()]
        try:
            day = dt.date(int(g["y"]), month, int(g["d"]))
        except ValueError:
            return None
        if g.get("H") is not None:
            try:
                return dt.datetime.combine(day, dt.time(int(g["H"]), int(g["M"]), int(g["S"] or 0)))
            except ValueError:
                return None
        rest = s[: m.start()] + " " * (m.end() - m.start()) + s[m.end():]
        return dt.datetime.combine(day, _find_time(rest) or dt.time())
    return None


def _find_time(s: str) -> dt.time | None:
    m = _TIME.search(s) or _TIME_DOT_UHR.search(s)
    if not m:
        return None
    hour, minute = int(m["H"]), int(m["M"])
    second = int(m.groupdict().get("S") or 0)
    ampm = (m.groupdict().get("ampm") or "").lower().replace(".", "").replace(" ", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        return dt.time(hour, minute, second)
    except ValueError:
        return None


@functools.cache
def _dateparser():
    import dateparser  # imported lazily: only needed for the rarer forms

    return dateparser


_DATEPARSER_SETTINGS = {
    "RETURN_AS_TIMEZONE_AWARE": False,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
}


def _dateparser_date(s: str) -> dt.datetime | None:
    s = _LEADING_BULLETS.sub("", s)
    s = _PREFIX.sub("", s, count=1)
    s = re.sub(r"(?<=\d)h(?=\d\d)", ":", s)  # 16h20 -> 16:20
    if not s:
        return None
    try:
        result = _dateparser().parse(s, languages=["en", "de", "fr", "es", "it"], settings=_DATEPARSER_SETTINGS)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    if result is None:
        return None
    return result.replace(tzinfo=None)
