"""Time expressions: find them in a sentence and resolve them against the publication date.

``find_time_phrases(text, lang)`` returns the time phrases of a sentence with character offsets;
``resolve(phrase, ref, tense)`` turns one into a :class:`kg.model.Time` (``YYYY-MM-DD``,
``YYYY-Www``, ``YYYY-MM`` or ``YYYY`` with its precision); ``resolve_text`` does both and picks
the best phrase (most precise, then first; a vague ``same_day`` anchor comes last).

What is read (English and German; the words live in ``kg/data/lexicon/time_<lang>.yaml``):

* explicit dates: "18. August 2025", "18.08.2025", "am 18. August", "Aug. 18", "August 18, 2025",
  "4 January 2026", "2025-08-18", "Montag, den 18. August"                    -> day
* months: "August 2025", "im März 2022", "in June last year", "Anfang November", "mid-July",
  "last November"                                                               -> month
* years: "2014", "in 2017", "since 2019", "im Jahr 2019", "Anfang 2024"         -> year
* weekdays: "am Montag", "on Tuesday", "am frühen Dienstagmorgen", "Später am Dienstag",
  "last Friday", "am kommenden Freitag"                                         -> day
* relative days: gestern/yesterday, heute/today, morgen/tomorrow (not "am Morgen"), vorgestern,
  übermorgen, "am Vortag", "the day before", "three days ago"                   -> day
* same day: "im Laufe des Tages", "later in the day", "am Morgen"             -> the reference day
* weeks / months / years relative to the reference: "letzte Woche", "this week", "am Wochenende",
  "earlier this month", "im vergangenen Monat", "last year", "im Vorjahr", "vor zwei Jahren"
  -> week (ISO ``YYYY-Www``), month or year.

Phrase kinds: date, weekday, relative_day, same_day, relative_week, relative_month,
relative_year, month, year.  Phrases include their preposition ("am Montag", "since 2019") so
that ``Time.text`` shows the words of the article; ``resolve`` re-reads a phrase from its text, so
a caller may build a :class:`TimePhrase` itself (e.g. to re-anchor "the day before" on an event).

A day and month without a year take the year that puts the date nearest to the reference in the
direction of the tense (past: on or before it; future: on or after it; unknown: nearest).
Weekdays: past (and unknown) -> the latest such day on or before the reference; future -> the
next such day on or after it; "last"/"vergangenen" and "next"/"kommenden" exclude the reference
day itself.  A weekend without "last"/"next" is the latest one for past (and unknown) tense and the
coming one for future tense.

Not times: durations ("for two weeks", "seit drei Tagen", "in den kommenden Wochen"), clock
times alone, counts ("11 years", "2,000", "2000 Soldaten"), a bare month name without a day,
year or time word ("August Hanning", "Trump may meet"), life spans in parentheses
("(1876-1949)") and names such as "Welt am Sonntag".

Speed: the lexicons are loaded once and every regular expression is compiled once per language
(``functools.cache``); a sentence is scanned by a dozen precompiled patterns, each skipped
quickly when its trigger words are absent.  ``dateparser`` is only used for languages without a
lexicon, and only on short candidate phrases (a number next to a word) the regexes found.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, NamedTuple

import yaml

from kg.model import Time

__all__ = ["TimePhrase", "find_time_phrases", "resolve", "resolve_text", "load_lexicon",
           "LEXICON_DIR"]

LEXICON_DIR = Path(__file__).resolve().parent.parent / "data" / "lexicon"

YEAR_MIN, YEAR_MAX = 1900, 2100


@dataclass(frozen=True)
class TimePhrase:
    start: int      # char offsets into the text given to find_time_phrases
    end: int
    text: str
    kind: str       # "date", "weekday", "relative_day", "relative_week", "relative_month",
                    # "relative_year", "month", "year", "same_day"


# --------------------------------------------------------------------------------------------
# Lexicon


_LIST_KEYS = (
    "weekday_suffixes", "day_parts", "weekday_adjectives", "date_orders", "ordinal_suffixes",
    "range_words", "articles", "links", "day_prepositions", "month_prepositions",
    "year_prepositions", "period_prepositions", "edges", "seasons", "year_words",
    "period_blocked_after", "same_day", "not_times", "year_blocked_before", "year_blocked_after",
)


@functools.cache
def load_lexicon(lang: str) -> dict[str, Any] | None:
    """The time lexicon of a language (``time_<lang>.yaml``), or None when there is none."""
    if not re.fullmatch(r"[a-z]{2,3}", lang or ""):
        return None
    path = LEXICON_DIR / f"time_{lang}.yaml"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as fh:
        lex = yaml.safe_load(fh) or {}
    _check_lexicon(lex, path)
    return lex


def _check_lexicon(lex: dict, path: Path) -> None:
    def strings(items: Any, where: str) -> None:
        if not isinstance(items, list) or not all(isinstance(w, str) and w.strip() for w in items):
            raise ValueError(f"{path}: {where} must be a list of non-empty strings "
                             f"(quote words such as 'on' or 'no' that YAML reads as booleans)")

    for key in _LIST_KEYS:
        strings(lex.setdefault(key, []), key)
    for key, top in (("months", 12), ("month_abbreviations", 12), ("weekdays", 6)):
        table = lex.setdefault(key, {})
        if not isinstance(table, dict) or not all(
                isinstance(k, str) and isinstance(v, int) and 0 <= v <= top for k, v in table.items()):
            raise ValueError(f"{path}: {key} must map names to numbers")
    for key in ("modifiers", "relative_days", "period_words"):
        entries = lex.setdefault(key, [])
        for i, entry in enumerate(entries):
            strings(entry.get("words"), f"{key}[{i}].words")
            strings(entry.setdefault("not_after", []), f"{key}[{i}].not_after")
            strings(entry.setdefault("only_after", []), f"{key}[{i}].only_after")
            if not isinstance(entry.get("offset"), int):
                raise ValueError(f"{path}: {key}[{i}].offset must be an integer")
    ago = lex.setdefault("ago", {})
    strings(ago.setdefault("before", []), "ago.before")
    strings(ago.setdefault("after", []), "ago.after")
    for unit, words in ago.setdefault("units", {}).items():
        strings(words, f"ago.units.{unit}")
    for unit, words in lex.setdefault("period_units", {}).items():
        strings(words, f"period_units.{unit}")
    lex.setdefault("numbers", {})
    occ = lex.setdefault("occasions", {})
    strings(occ.setdefault("prepositions", []), "occasions.prepositions")
    strings(occ.setdefault("adverbs", []), "occasions.adverbs")
    for etype, words in occ.setdefault("nouns", {}).items():
        strings(words, f"occasions.nouns.{etype}")


# --------------------------------------------------------------------------------------------
# Regex building blocks


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


def _alt(words, *, ci: bool = True) -> str:
    """A non-capturing alternation of words/phrases (any whitespace between the words of a
    phrase), compiled as a character trie so that the regex engine tries few branches; longer
    alternatives are tried first.  Never matches when ``words`` is empty."""
    trie: dict = {}
    for w in set(words):
        node = trie
        for tok in " ".join(w.lower().split() if ci else w.split()):
            node = node.setdefault(tok, {})
        node[""] = {}
    if not trie:
        return r"(?!)"

    def emit(node: dict) -> str:
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + emit(child)
                    for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:                       # a word ends here and longer ones go on
            return f"(?:{body})?"
        return body

    body = emit(trie)
    return f"(?i:{body})" if ci else f"(?:{body})"


_B = r"(?<![\w.])"                 # start of a phrase: not inside a word or number
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_YEAR = r"(?:19\d\d|20\d\d|2100)"
_YEAR_RX = re.compile(rf"(?<!\d){_YEAR}(?!\d)")


class _Trigger(NamedTuple):
    """A rule can only match when all given conditions hold for the text."""

    names: re.Pattern | None = None        # a pattern that occurs somewhere in the text (case-sensitive
                                           # names, a year)
    tokens: frozenset[str] = frozenset()   # one of these lower-case words is in the text
    digit: bool = False                    # the text has a digit

    def fires(self, facts: _Facts) -> bool:
        if self.digit and not facts.digit():
            return False
        if self.tokens and self.tokens.isdisjoint(facts.tokens()):
            return False
        return self.names is None or facts.names(self.names)


class _Facts:
    """The answers to the rules' pre-tests for one text, each found at most once: the rules of a
    language share their tests (five need a digit, three a month name)."""

    __slots__ = ("text", "keywords", "_digit", "_tokens", "_names")

    def __init__(self, text: str, keywords: re.Pattern | None = None):
        self.text = text
        self.keywords = keywords            # the grammar's key words as whole words (_Grammar.keywords)
        self._digit: bool | None = None
        self._tokens: set[str] | None = None
        self._names: dict[re.Pattern, bool] = {}

    def digit(self) -> bool:
        """The text has a digit."""
        if self._digit is None:
            self._digit = _DIGIT.search(self.text) is not None
        return self._digit

    def tokens(self) -> set[str]:
        """The lower-case words of the text that are key words of some rule (all its words when
        the grammar has no key-word pattern): a rule's `tokens` meet this set exactly when they
        meet the set of all words, and one regex scan finds them faster than splitting the text
        into words."""
        if self._tokens is None:
            rx = self.keywords or _WORD
            self._tokens = set(rx.findall(self.text.lower()))
        return self._tokens

    def names(self, rx: re.Pattern) -> bool:
        """rx (case-sensitive names, a year) occurs in the text."""
        found = self._names.get(rx)
        if found is None:
            found = self._names[rx] = rx.search(self.text) is not None
        return found


_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"\w+")
_DAY_DOT_MONTH = re.compile(r"\d\.\d")   # what every numeric date ("18.08.2025", "18.8.") contains


def _key_tokens(phrases) -> frozenset[str]:
    """One word per phrase (its longest) that must occur in a text for the phrase to occur."""
    return frozenset(max(_WORD.findall(p.lower()), key=len) for p in phrases if _WORD.search(p))


class _Rule(NamedTuple):
    kind: str
    regex: re.Pattern
    build: Callable[[re.Match], tuple | None]          # semantics from the match alone
    check: Callable[[str, re.Match], bool] | None      # veto by the surrounding text
    trigger: _Trigger | None                           # cheap pre-test on the whole text
    order: int                                         # tie-break for equally long matches


class _Grammar(NamedTuple):
    rules: tuple[_Rule, ...]
    exclusions: re.Pattern
    keywords: re.Pattern | None = None    # every key word of the rules' triggers, as a whole word


def _keywords(rules) -> re.Pattern | None:
    """One pattern for the key words of all rules (``_Trigger.tokens``), matching a whole word of
    a lower-cased text: ``_Facts.tokens`` finds the key words of a text with one scan."""
    words = {w for r in rules if r.trigger is not None for w in r.trigger.tokens}
    return re.compile(rf"(?<!\w){_alt(words, ci=False)}(?!\w)") if words else None


_LIFESPAN = r"\([^()]{0,40}?\b(?:1[5-9]|20)\d\d\s*[-–—]\s*[^()]{0,40}?\b(?:1[5-9]|20)\d\d\s*\)"


def _preceding_word(text: str, pos: int) -> str:
    """The lower-cased word (or abbreviation) directly before ``pos``."""
    i = pos
    while i > 0 and text[i - 1].isspace():
        i -= 1
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "."):
        j -= 1
    return text[j:i].lower()


def _sentence_initial(text: str, pos: int) -> bool:
    """Whether ``pos`` opens a sentence (start of text or after . ! ? : ; and quotes)."""
    pre = text[:pos].rstrip(" \t\"'„“”»«‚‘’([–—-")
    return not pre or pre[-1] in ".!?:;\n"


# --------------------------------------------------------------------------------------------
# Grammar for a language with a lexicon


@functools.cache
def _grammar(lang: str) -> _Grammar:
    lex = load_lexicon(lang)
    if lex is None:
        return _fallback_grammar(lang)
    return _lexicon_grammar(lex)


def _lexicon_grammar(lex: dict) -> _Grammar:  # noqa: C901 - one builder per rule, kept together
    months = dict(lex["months"])
    abbrs = dict(lex["month_abbreviations"])
    weekdays = dict(lex["weekdays"])
    mods: dict[str, int] = {}
    mod_not_after: dict[str, frozenset[str]] = {}
    mod_only_after: dict[str, frozenset[str]] = {}
    for entry in lex["modifiers"]:
        for w in entry["words"]:
            mods[_norm(w)] = entry["offset"]
            mod_not_after[_norm(w)] = frozenset(_norm(x) for x in entry["not_after"])
            mod_only_after[_norm(w)] = frozenset(_norm(x) for x in entry["only_after"])
    numbers = {_norm(k): int(v) for k, v in lex["numbers"].items()}

    MONTH = _alt(months, ci=False)
    ABBR = _alt(abbrs, ci=False)
    WD = _alt(weekdays, ci=False)
    WDSUF = _alt(lex["weekday_suffixes"], ci=False)
    PART = _alt(lex["day_parts"])
    WDADJ = _alt(lex["weekday_adjectives"])
    ART = _alt(lex["articles"])
    LINK = _alt(lex["links"])
    MOD = _alt(mods)
    EDGE = _alt(lex["edges"])
    SEASON = _alt(lex["seasons"])
    YW = _alt(lex["year_words"])
    DPREP = _alt(lex["day_prepositions"])
    MPREP = _alt(lex["month_prepositions"])
    YPREP = _alt(lex["year_prepositions"])
    PPREP = _alt(lex["period_prepositions"])
    suffixes = lex["ordinal_suffixes"]
    ORD = _alt(suffixes) if lex.get("day_suffix_required") else f"(?:{_alt(suffixes)})?"
    RANGE = _alt(["-", "–", "/", *lex["range_words"]])
    unit_of: dict[str, str] = {}
    for unit, words in lex["period_units"].items():
        for w in words:
            unit_of[_norm(w)] = unit
    UNIT = _alt(unit_of)
    year_units = [w for w, u in unit_of.items() if u == "year"]
    YUNIT = _alt(year_units)

    def ci_trigger(words) -> _Trigger:
        return _Trigger(tokens=_key_tokens(words))

    month_names = re.compile(_alt([*months, *abbrs], ci=False))
    date_trigger = _Trigger(names=month_names, digit=True)
    year_trigger = _Trigger(names=_YEAR_RX, digit=True)   # a four-digit year stands alone in the text

    def mod_ok(text: str, m: re.Match, group: str = "mod") -> bool:
        if m.group(group) is None:
            return True
        word = _norm(m.group(group))
        bad, need = mod_not_after[word], mod_only_after[word]
        if not bad and not need:
            return True
        before = _preceding_word(text, m.start(group))
        return before not in bad and (not need or before in need)

    rules: list[_Rule] = []

    # ---- explicit dates ---------------------------------------------------------------------
    lead = (rf"{_B}(?:(?P<prep>{DPREP})\s+(?:{ART}\s+)?)?"
            rf"(?:(?P<wd>{WD})\s*,?\s+(?:{ART}\s+)?)?")

    def build_date(m: re.Match) -> tuple | None:
        mon = m.group("month")
        month = months.get(mon) if mon in months else abbrs.get(mon.rstrip("."))
        day = int(m.group("day"))
        year = int(m.group("year")) if m.group("year") else None
        if month is None or not _valid_day(year, month, day):
            return None
        return ("date", year, month, day)

    if "dmy" in lex["date_orders"]:
        rx = re.compile(
            lead + rf"(?P<day>{_DAY}){ORD}(?:\s*{RANGE}\s*{_DAY}{ORD})?\s*(?:{LINK}\s+)?"
            rf"(?P<month>{MONTH}|{ABBR}\.?)(?!\w)(?:\s*,?\s*(?P<year>{_YEAR})(?!\d))?(?![\w-])")
        rules.append(_Rule("date", rx, build_date, None, date_trigger, 1))
    if "mdy" in lex["date_orders"]:
        rx = re.compile(
            lead + rf"(?P<month>{MONTH}|{ABBR}\.?)\s*(?P<day>{_DAY})(?:{ORD})?"
            rf"(?:\s*[-–]\s*{_DAY}(?:{ORD})?)?(?![\d:]|[.,]\d)"
            rf"(?:\s*,?\s*(?P<year>{_YEAR})(?!\d))?(?![\w-])")
        rules.append(_Rule("date", rx, build_date, None, date_trigger, 2))
    rules.append(_Rule("date", _ISO, _build_numeric, None, year_trigger, 0))
    if lex.get("numeric_dates"):
        rx = re.compile(
            lead.replace(_B, r"(?<![\w.,])") + _NUMERIC_CORE)
        rules.append(_Rule("date", rx, _build_numeric, None, _Trigger(names=_DAY_DOT_MONTH, digit=True), 3))

    # ---- months -----------------------------------------------------------------------------
    month_rx = re.compile(
        rf"{_B}(?:(?P<prep>{MPREP})\s+)?(?:(?:{ART}\s+)?(?P<edge>{EDGE})(?:\s+|-)(?:{ART}\s+)?)?"
        rf"(?:(?:{ART}\s+)?(?P<mod>{MOD})\s+)?(?:(?P<month>{MONTH})|(?P<abbr>{ABBR})\.)(?!\w)"
        rf"(?:\s*,?\s+(?:{LINK}\s+)?(?:(?P<year>{_YEAR})(?!\d)"
        rf"|(?:{ART}\s+)?(?P<ymod>{MOD})\s+(?P<yunit>{YUNIT})(?!\w)))?")

    def build_month(m: re.Match) -> tuple | None:
        if m.group("abbr"):
            if not m.group("year"):
                return None
            month = abbrs[m.group("abbr")]
        else:
            month = months[m.group("month")]
        year = int(m.group("year")) if m.group("year") else None
        ymod = mods[_norm(m.group("ymod"))] if m.group("ymod") else None
        mod = mods[_norm(m.group("mod"))] if m.group("mod") else None
        if not (m.group("prep") or m.group("edge") or mod is not None or year or ymod is not None):
            return None                       # a bare month name: "August Hanning", "May I"
        return ("month", month, year, ymod, mod)

    def check_month(text: str, m: re.Match) -> bool:
        return mod_ok(text, m) and mod_ok(text, m, "ymod")

    rules.append(_Rule("month", month_rx, build_month, check_month,
                       _Trigger(names=month_names), 4))

    # ---- years ------------------------------------------------------------------------------
    year_rx = re.compile(
        rf"{_B}(?:(?P<prep>{YPREP})\s+)?(?:(?:{ART}\s+)?(?P<edge>{EDGE}|{SEASON})(?:\s+{LINK})?"
        rf"(?:\s+|-))?(?:(?:{ART}\s+)?(?P<yw>{YW})\s+)?(?P<year>{_YEAR})(?!\w)")
    year_before = re.compile(rf"(?<![\w.])(?:{_alt(lex['year_blocked_before'])})\s*$")
    year_after = re.compile(
        rf"\s*(?:%|‰|[€$£]|(?:{_alt(lex['year_blocked_after'])})(?![\w-]))")

    def build_year(m: re.Match) -> tuple | None:
        return ("year", int(m.group("year")))

    def check_year(text: str, m: re.Match) -> bool:
        s, e = m.span("year")
        if not _year_context_ok(text, s, e):
            return False
        if year_after.match(text, e):
            return False
        if s == m.start() and year_before.search(text, max(0, s - 30), s):
            return False
        return True

    rules.append(_Rule("year", year_rx, build_year, check_year, year_trigger, 9))

    # ---- weekdays ---------------------------------------------------------------------------
    wd_rx = re.compile(
        rf"{_B}(?:(?P<prep>{DPREP})\s+)?(?:(?:{ART}\s+)?(?P<mod>{MOD})\s+)?(?:{WDADJ}\s+)?"
        rf"(?P<wd>{WD})(?:{WDSUF})?(?!\w)(?:\s+{PART}(?!\w))?")

    def build_weekday(m: re.Match) -> tuple | None:
        mod = mods[_norm(m.group("mod"))] if m.group("mod") else None
        return ("weekday", weekdays[m.group("wd")], mod)

    rules.append(_Rule("weekday", wd_rx, build_weekday, mod_ok,
                       _Trigger(names=re.compile(_alt(weekdays, ci=False))), 7))

    # ---- relative days ----------------------------------------------------------------------
    rel_ci: dict[str, dict] = {}
    rel_cs: dict[str, dict] = {}
    rel_after: dict[int, tuple[frozenset[str], frozenset[str]]] = {}   # id(entry) -> (not, only)
    for entry in lex["relative_days"]:
        rel_after[id(entry)] = (frozenset(_norm(x) for x in entry["not_after"]),
                                frozenset(_norm(x) for x in entry["only_after"]))
        for w in entry["words"]:
            if entry.get("case_sensitive"):
                rel_cs[w] = entry
                if entry.get("sentence_initial_capital"):
                    rel_cs[w[:1].upper() + w[1:]] = entry
            else:
                rel_ci[_norm(w)] = entry
    rel_rx = re.compile(
        rf"{_B}(?P<w>{_alt(rel_ci)}|{_alt(rel_cs, ci=False)})(?!\w)(?:\s+{PART}(?!\w))?")

    def rel_entry(word: str) -> dict:
        return rel_cs.get(word) or rel_ci[_norm(word)]

    def build_rel(m: re.Match) -> tuple | None:
        return ("day", rel_entry(m.group("w"))["offset"])

    def check_rel(text: str, m: re.Match) -> bool:
        word = m.group("w")
        entry = rel_entry(word)
        if entry.get("case_sensitive") and word not in entry["words"]:
            if not _sentence_initial(text, m.start("w")):   # "Morgen" mid-sentence: morning
                return False
        bad, need = rel_after[id(entry)]
        if not bad and not need:
            return True
        before = _preceding_word(text, m.start("w"))
        return before not in bad and (not need or before in need)

    rules.append(_Rule("relative_day", rel_rx, build_rel, check_rel,
                       ci_trigger([*rel_ci, *rel_cs]), 8))

    # ---- relative periods (weeks, months, years, weekends) ---------------------------------
    period_rx = re.compile(
        rf"{_B}(?:(?P<prep>{PPREP})\s+)?(?:{ART}\s+)?(?:(?P<edge>{EDGE})\s+)?(?:{ART}\s+)?"
        rf"(?:(?P<mod>{MOD})\s+)?(?P<unit>{UNIT})(?!\w)")
    period_after = re.compile(rf"\s+{_alt(lex['period_blocked_after'])}(?!\w)")

    def build_period(m: re.Match) -> tuple | None:
        unit = unit_of[_norm(m.group("unit"))]
        mod = mods[_norm(m.group("mod"))] if m.group("mod") else None
        if mod is None and not m.group("edge") and not (unit == "weekend" and m.group("prep")):
            return None                       # "in der Woche", "des Jahres"
        return ("period", unit, mod, _norm(m.group("edge") or ""))

    def check_period(text: str, m: re.Match) -> bool:
        return mod_ok(text, m) and not period_after.match(text, m.end())

    rules.append(_Rule(_PERIOD_KIND["week"], period_rx, build_period, check_period,
                       ci_trigger(unit_of), 5))

    pwords: dict[str, tuple[str, int]] = {}
    for entry in lex["period_words"]:
        for w in entry["words"]:
            pwords[_norm(w)] = (entry["unit"], entry["offset"])
    if pwords:
        pw_rx = re.compile(rf"{_B}(?:(?:{PPREP})\s+)?(?:{ART}\s+)?(?P<w>{_alt(pwords)})(?!\w)")

        def build_pw(m: re.Match) -> tuple | None:
            unit, offset = pwords[_norm(m.group("w"))]
            return ("period", unit, offset)

        rules.append(_Rule("relative_year", pw_rx, build_pw, None, ci_trigger(pwords), 5))

    # ---- "three days ago" / "vor drei Tagen" -----------------------------------------------
    ago = lex["ago"]
    ago_unit: dict[str, str] = {}
    for unit, words in ago["units"].items():
        for w in words:
            ago_unit[_norm(w)] = unit
    if ago_unit and (ago["before"] or ago["after"]):
        before = rf"{_alt(ago['before'])}\s+" if ago["before"] else ""
        after = rf"\s+{_alt(ago['after'])}" if ago["after"] else ""
        ago_rx = re.compile(rf"{_B}{before}(?P<n>{_alt(numbers)}|\d{{1,3}})\s+"
                            rf"(?P<unit>{_alt(ago_unit)}){after}(?!\w)")

        def build_ago(m: re.Match) -> tuple | None:
            n = m.group("n")
            count = int(n) if n.isdigit() else numbers[_norm(n)]
            return ("ago", ago_unit[_norm(m.group("unit"))], count)

        rules.append(_Rule("relative_day", ago_rx, build_ago, None,
                           ci_trigger([*ago["before"], *ago["after"]]), 6))

    # ---- same day -------------------------------------------------------------------------
    same_rx = re.compile(rf"{_B}(?:{_alt(lex['same_day'])})(?!\w)")
    rules.append(_Rule("same_day", same_rx, lambda m: ("same_day",), None,
                       ci_trigger(lex["same_day"]), 10))

    exclusions = re.compile("|".join([_LIFESPAN] + (
        [rf"(?<!\w){_alt(lex['not_times'], ci=False)}(?!\w)"] if lex["not_times"] else [])))
    return _Grammar(tuple(rules), exclusions, _keywords(rules))


_PERIOD_KIND = {"week": "relative_week", "weekend": "relative_week", "month": "relative_month",
                "year": "relative_year", "day": "relative_day"}

_ISO = re.compile(rf"(?<![\w.-])(?P<year>{_YEAR})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])"
                  rf"(?!\d)")
_NUMERIC_CORE = (rf"(?P<day>{_DAY})\.(?P<month>1[0-2]|0?[1-9])\.(?:(?P<year>{_YEAR}|\d\d)(?!\d))?"
                 rf"(?!\d|[.,]\d)")


def _build_numeric(m: re.Match) -> tuple | None:
    day, month = int(m.group("day")), int(m.group("month"))
    y = m.group("year")
    year = None if not y else int(y) if len(y) == 4 else 2000 + int(y)
    if not _valid_day(year, month, day):
        return None
    return ("date", year, month, day)


def _valid_day(year: int | None, month: int, day: int) -> bool:
    try:
        dt.date(year if year is not None else 2000, month, day)   # 2000: leap year
    except ValueError:
        return False
    return year is None or YEAR_MIN <= year <= YEAR_MAX


def _year_context_ok(text: str, s: int, e: int) -> bool:
    """A four-digit number stands as a year: not part of a larger number, amount or range end."""
    if s > 0:
        c = text[s - 1]
        if c.isdigit() or c in ".,/$€£#№+":
            return False
        if c in "-–" and s >= 2 and text[s - 2].isdigit():
            return False               # "1876-1949": the second number ends a span
        if text[max(0, s - 3):s].rstrip().endswith(("*", "†")):
            return False               # "(* 1950)", "† 2001": birth / death
    if e < len(text):
        c = text[e]
        if c.isdigit() or (c in ".,:" and text[e + 1:e + 2].isdigit()):
            return False
    return True


# --------------------------------------------------------------------------------------------
# Fallback grammar (no lexicon): numeric dates and years; dateparser for "18 août 2025"


def _fallback_grammar(lang: str) -> _Grammar:
    digit = _Trigger(digit=True)
    numeric = re.compile(rf"(?<![\w.,/])(?P<day>{_DAY})[./](?P<month>1[0-2]|0?[1-9])[./]"
                         rf"(?P<year>{_YEAR})(?!\d|[.,/]\d)")
    rules = [
        _Rule("date", _ISO, _build_numeric, None, digit, 0),
        _Rule("date", numeric, _build_numeric, None, digit, 3),
    ]
    if _dateparser_lang(lang):
        word = r"[^\W\d_]{3,12}\.?"
        rx = re.compile(
            rf"(?<![\w.])(?:(?P<d1>{_DAY})\.?\s+(?:de\s+)?{word}(?:\s+(?:de\s+)?{_YEAR})?"
            rf"|{word}\s+(?P<d2>{_DAY})(?!\d)(?:,?\s+{_YEAR})?)(?![\w-])")
        rules.append(_Rule("date", rx, lambda m, _l=lang: _dateparser_date(m.group(0), _l),
                           None, digit, 1))
    year_rx = re.compile(rf"(?<![\w.])(?P<year>{_YEAR})(?!\w)")
    rules.append(_Rule("year", year_rx, lambda m: ("year", int(m.group("year"))),
                       lambda text, m: _year_context_ok(text, *m.span("year")), digit, 9))
    return _Grammar(tuple(rules), re.compile(_LIFESPAN))


@functools.cache
def _dateparser_lang(lang: str) -> bool:
    try:
        from dateparser.languages.loader import default_loader
        default_loader.get_locale(lang)
    except Exception:  # noqa: BLE001 - unknown language, broken install
        return False
    return True


@functools.lru_cache(maxsize=4096)
def _dateparser_date(phrase: str, lang: str) -> tuple | None:
    """("date", year|None, month, day) for a short candidate phrase, via dateparser."""
    import dateparser

    settings = {"REQUIRE_PARTS": ["day", "month"], "PREFER_DAY_OF_MONTH": "first",
                "RETURN_AS_TIMEZONE_AWARE": False,
                "RELATIVE_BASE": dt.datetime(2000, 1, 1)}   # a leap year: 29 Feb stays valid
    try:
        parsed = dateparser.parse(phrase, languages=[lang], settings=settings)
    except Exception:  # noqa: BLE001 - dateparser raises on odd input
        return None
    if parsed is None:
        return None
    year = parsed.year if _YEAR_RX.search(phrase) else None
    if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
        return None
    return ("date", year, parsed.month, parsed.day)


# --------------------------------------------------------------------------------------------
# Finding


@dataclass(frozen=True)
class Occasion:
    """A reference to an occasion ("nach dem Telefonat", "at the summit") or a sequence adverb
    ("anschließend"): the event it dates happened at the time of an event told earlier."""
    start: int
    end: int
    text: str
    kind: str | None        # event type of the occasion (CONSULT, STATEMENT); None: the event just before


@functools.cache
def _occasion_rx(lang: str) -> tuple[re.Pattern | None, re.Pattern | None, dict[str, str]]:
    lex = load_lexicon(lang)
    occ = (lex or {}).get("occasions") or {}
    kinds: dict[str, str] = {}
    for etype, words in (occ.get("nouns") or {}).items():
        for w in words:
            kinds[_norm(w)] = etype
    noun_rx = None
    if occ.get("prepositions") and kinds:
        # German nouns inflect (Gipfels, Treffens, Gesprächen); one adjective may stand between, and a
        # hyphenated compound names the same occasion ("des G20-Gipfels", "the NATO-Russia talks")
        noun_rx = re.compile(
            rf"{_B}(?P<prep>{_alt(occ['prepositions'])})\s+(?:\w+(?:e|en|er|es|em)\s+)?"
            rf"(?:[\w]+-)?(?P<noun>{_alt(kinds)})(?:e?s|e?n)?(?!\w)", re.I)
    adv_rx = re.compile(rf"{_B}(?:{_alt(occ['adverbs'])})(?!\w)", re.I) if occ.get("adverbs") else None
    return noun_rx, adv_rx, kinds


def find_occasions(text: str, lang: str) -> list[Occasion]:
    """Occasion references of a text, in order."""
    noun_rx, adv_rx, kinds = _occasion_rx(lang)
    out = []
    if noun_rx is not None:
        for m in noun_rx.finditer(text):
            out.append(Occasion(m.start(), m.end(), m.group(0), kinds.get(_norm(m.group("noun")))))
    if adv_rx is not None:
        out.extend(Occasion(m.start(), m.end(), m.group(0), None) for m in adv_rx.finditer(text))
    return sorted(out, key=lambda o: o.start)


def find_time_phrases(text: str, lang: str) -> list[TimePhrase]:
    """The time phrases of ``text``, in text order, not overlapping (longest match wins)."""
    if not text:
        return []
    g = _grammar((lang or "").lower())
    cands: list[tuple[int, int, str, int]] = []
    facts = _Facts(text, g.keywords)
    for rule in g.rules:
        if rule.trigger is not None and not rule.trigger.fires(facts):
            continue
        search = rule.regex.search
        pos, n = 0, len(text)
        while pos < n:
            m = search(text, pos)
            if m is None:
                break
            s, e = m.span()
            sem = None
            if e > s and (rule.check is None or rule.check(text, m)):
                sem = rule.build(m)
            if sem is None:                  # rejected: a shorter match may start further in
                pos = s + 1
                continue
            kind = _PERIOD_KIND[sem[1]] if sem[0] in ("period", "ago") else rule.kind
            cands.append((s, e, kind, rule.order))
            pos = e
    if not cands:
        return []
    excluded = [m.span() for m in g.exclusions.finditer(text)]
    if excluded:
        cands = [c for c in cands if not any(c[0] < xe and xs < c[1] for xs, xe in excluded)]
    cands.sort(key=lambda c: (c[0] - c[1], c[3], c[0]))
    chosen: list[tuple[int, int, str, int]] = []
    for c in cands:
        if all(c[1] <= o[0] or o[1] <= c[0] for o in chosen):
            chosen.append(c)
    chosen.sort()
    return [TimePhrase(s, e, text[s:e], kind) for s, e, kind, _ in chosen]


# --------------------------------------------------------------------------------------------
# Resolving


@functools.lru_cache(maxsize=8192)
def _interpret(text: str, kind: str, lang: str) -> tuple | None:
    """The meaning of a phrase text (as found by find_time_phrases) in a language."""
    g = _grammar(lang)
    ordered = sorted(g.rules, key=lambda r: (r.kind != kind and not (
        kind.startswith("relative_") and r.kind.startswith("relative_")), r.order))
    stripped = text.strip()
    for rule in ordered:
        m = rule.regex.fullmatch(stripped)
        if m is not None:
            sem = rule.build(m)
            if sem is not None:
                return sem
    return None


def _norm_tense(tense: str | None) -> str | None:
    t = (tense or "").lower()
    return t if t in ("past", "future") else None


def _iso_week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    n = year * 12 + (month - 1) + delta
    return n // 12, n % 12 + 1


def _pick(cands: list, ref: Any, tense: str | None, dist: Callable[[Any], int]) -> Any:
    if tense == "past":
        pool = [c for c in cands if dist(c) <= 0]
        return max(pool) if pool else None
    if tense == "future":
        pool = [c for c in cands if dist(c) >= 0]
        return min(pool) if pool else None
    return min(cands, key=lambda c: (abs(dist(c)), dist(c) > 0)) if cands else None


def _resolve_sem(sem: tuple, ref: dt.date, tense: str | None) -> tuple[str, str] | None:
    what = sem[0]
    if what == "date":
        _, year, month, day = sem
        if year is None:
            cands = []
            for y in range(ref.year - 4, ref.year + 5):
                try:
                    cands.append(dt.date(y, month, day))
                except ValueError:
                    pass
            d = _pick(cands, ref, tense, lambda c: (c - ref).days)
            if d is None:
                return None
        else:
            d = dt.date(year, month, day)
        return d.isoformat(), "day"
    if what == "month":
        _, month, year, ymod, mod = sem
        if year is None and ymod is not None:
            year = ref.year + ymod
        if year is None:
            here = ref.year * 12 + ref.month - 1
            if mod == 0:
                year = ref.year
            elif mod is not None and mod < 0:
                year = ref.year if month < ref.month else ref.year - 1
            elif mod is not None and mod > 0:
                year = ref.year if month > ref.month else ref.year + 1
            else:
                cands = [(y, month) for y in (ref.year - 1, ref.year, ref.year + 1)]
                picked = _pick(cands, ref, tense, lambda c: c[0] * 12 + c[1] - 1 - here)
                if picked is None:
                    return None
                year = picked[0]
        return f"{year:04d}-{month:02d}", "month"
    if what == "year":
        return f"{sem[1]:04d}", "year"
    if what == "weekday":
        _, wd, mod = sem
        back = (ref.weekday() - wd) % 7
        ahead = (wd - ref.weekday()) % 7
        if mod is not None and mod < 0:
            d = ref - dt.timedelta(days=back or 7)
        elif mod is not None and mod > 0:
            d = ref + dt.timedelta(days=ahead or 7)
        elif tense == "future":
            d = ref + dt.timedelta(days=ahead)
        else:
            d = ref - dt.timedelta(days=back)
        return d.isoformat(), "day"
    if what == "day":
        return (ref + dt.timedelta(days=sem[1])).isoformat(), "day"
    if what == "same_day":
        return ref.isoformat(), "day"
    if what == "period":
        unit, offset = sem[1], sem[2]
        edge = sem[3] if len(sem) > 3 else ""
        if unit == "week":
            return _iso_week(ref + dt.timedelta(weeks=offset or 0)), "week"
        if unit == "weekend":
            weekend = ref.weekday() >= 5
            if offset is not None and offset < 0:
                delta = -1
            elif offset is not None and offset > 0:
                delta = 1 if weekend else 0
            elif tense == "future":
                delta = 0
            else:
                delta = 0 if weekend else -1
            return _iso_week(ref + dt.timedelta(weeks=delta)), "week"
        if unit == "month":
            y, m = _shift_month(ref.year, ref.month, offset or 0)
            return f"{y:04d}-{m:02d}", "month"
        if unit == "year":
            year = ref.year + (offset or 0)
            if edge.startswith(("end", "ende")):          # "by the end of the year" -> December
                return f"{year:04d}-12", "month"
            if edge.startswith(("beginning", "start", "anfang", "beginn")):
                return f"{year:04d}-01", "month"
            return f"{year:04d}", "year"
        return None
    if what == "ago":
        _, unit, n = sem
        if unit == "day":
            return (ref - dt.timedelta(days=n)).isoformat(), "day"
        if unit == "week":
            return _iso_week(ref - dt.timedelta(weeks=n)), "week"
        if unit == "month":
            y, m = _shift_month(ref.year, ref.month, -n)
            return f"{y:04d}-{m:02d}", "month"
        if unit == "year":
            return f"{ref.year - n:04d}", "year"
    return None


def resolve(phrase: TimePhrase, ref: dt.date, tense: str | None = None,
            lang: str = "en") -> Time | None:
    """The time ``phrase`` stands for, seen from the reference date ``ref`` (publication date).

    tense: "past", "future" or None (unknown: weekdays count as past).
    """
    if isinstance(ref, dt.datetime):
        ref = ref.date()
    sem = _interpret(phrase.text, phrase.kind, (lang or "").lower())
    if sem is None:
        return None
    try:
        out = _resolve_sem(sem, ref, _norm_tense(tense))
    except (ValueError, OverflowError):
        return None
    if out is None:
        return None
    value, precision = out
    return Time(value=value, precision=precision, text=phrase.text)


_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def _precision(sem: tuple) -> str:
    what = sem[0]
    if what in ("date", "weekday", "day", "same_day"):
        return "day"
    if what == "month":
        return "month"
    if what == "year":
        return "year"
    unit = sem[1]
    return {"weekend": "week", "day": "day"}.get(unit, unit)


def resolve_text(text: str, ref: dt.date, tense: str | None = None,
                 lang: str = "en") -> Time | None:
    """The best time phrase of ``text`` (most precise, then first; same_day last), resolved."""
    lang = (lang or "").lower()
    ranked = []
    for phrase in find_time_phrases(text, lang):
        sem = _interpret(phrase.text, phrase.kind, lang)
        if sem is None:
            continue
        ranked.append((_PRECISION_RANK[_precision(sem)], sem[0] == "same_day", phrase.start, phrase))
    for *_, phrase in sorted(ranked, key=lambda r: r[:3]):
        t = resolve(phrase, ref, tense, lang)
        if t is not None:
            return t
    return None
