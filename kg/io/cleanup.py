"""Drop page furniture (logos, ads, share buttons, photo credits, ...) from article text.

The patterns are data, in ``kg/data/furniture.yaml`` (see the comments there), compiled once per
language.  Cleaning works line by line and never rewrites a sentence:

* a line that is furniture as a whole is dropped;
* a photo credit at the end of a caption line is cut ("..., 18. August 2025 AP Photo" keeps
  "..., 18. August 2025"); image captions themselves are kept, they carry dates and places;
* a line that repeats the line before it (alt text followed by the caption, possibly with a
  credit) is kept once;
* surrounding whitespace of each line is stripped, runs of blank lines become one blank line
  (paragraph breaks stay "\\n\\n").
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = ["FURNITURE_FILE", "clean_text", "is_furniture"]

FURNITURE_FILE = Path(__file__).resolve().parent.parent / "data" / "furniture.yaml"

_MAX_FURNITURE_LINE = 600  # longer lines are prose: not even tested against the patterns
_MAX_CAPTION_LINE = 500    # trailing credits are only cut from lines up to this length
_MAX_CREDIT_CHARS = 200    # ... and only from their last 200 characters

# Lower-case words a credit may contain ("Foto: picture alliance/dpa"); any other word starting
# with a lower-case letter means the "credit" is prose ("Bild: das ist falsch").
_CREDIT_LOWER_WORDS = set(
    """
    dpa ddp epd kna afp ap epa efe picture alliance via for and und von de du the by of images image
    photo photos foto fotos bild bilder courtesy handout screenshot archiv archive file pool
    photographer fotograf imago getty reuters
    """.split()
)
_CREDIT_KEYWORD = re.compile(
    r"^\W*(foto|fotos|bild|bilder|photo|photos|photograph|image|picture|credit|credits|bildquelle|fotoquelle|"
    r"crédits?(\s+photo)?|quelle foto)\s*:", re.IGNORECASE
)
_WORD = re.compile(r"[^\W\d_]+")
# Runs of three or more line breaks (written out: re scans for "\n{3,}" position by position, ~30x slower).
BLANK_LINES = re.compile(r"\n\n\n+")


@dataclass(frozen=True)
class _Patterns:
    line: re.Pattern[str]
    guarded: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...]  # (required words, line pattern)
    credit_line: re.Pattern[str]
    trailing_strong: re.Pattern[str]
    trailing_any: re.Pattern[str]
    markers: tuple[str, ...]


@functools.cache
def _furniture() -> dict:
    with open(FURNITURE_FILE, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _entries(items, lang: str | None, *, guarded: list | None = None) -> list[str]:
    """The patterns of ``items`` that apply to ``lang``; with a ``guarded`` list, entries that
    name ``requires`` words go there as (words, pattern) instead."""
    out = []
    for item in items or []:
        if isinstance(item, str):
            out.append(item)
        elif lang is None or "lang" not in item or lang in item["lang"]:
            if guarded is not None and item.get("requires"):
                guarded.append((tuple(w.lower() for w in item["requires"]), item["pattern"]))
            else:
                out.append(item["pattern"])
    return out


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns) or "(?!)"


@functools.cache
def _patterns(lang: str | None) -> _Patterns:
    data = _furniture()
    line_patterns: list[str] = []
    guarded: list[tuple[tuple[str, ...], str]] = []
    for group in (data.get("lines") or {}).values():
        line_patterns += _entries(group, lang, guarded=guarded)
    credits = data.get("credits") or {}
    strong = _alternation(_entries(credits.get("strong"), lang))
    agency = _alternation(_entries(credits.get("agencies"), lang))
    one = f"(?:{strong}|{agency})"
    several = rf"{one}(?:\s*[/|,;]\s*{one})*"
    flags = re.IGNORECASE
    return _Patterns(
        line=re.compile(_alternation(line_patterns), flags),
        guarded=tuple((words, re.compile(pattern, flags)) for words, pattern in guarded),
        credit_line=re.compile(rf"[(\[]?\s*(?P<credit>{several})\s*[)\]]?", flags),
        trailing_strong=re.compile(
            rf"(?:\s+|\s*[(\[]\s*)(?P<credit>(?:{strong})(?:\s*[/|,;]\s*{one})*)\s*[)\]]?\s*$", flags
        ),
        trailing_any=re.compile(rf"(?:\s+|\s*[(\[]\s*)(?P<credit>{several})\s*[)\]]?\s*$", flags),
        markers=tuple(m.lower() for m in credits.get("markers") or ()),
    )


def _plausible_credit(credit: str) -> bool:
    body = _CREDIT_KEYWORD.sub("", credit, count=1)
    for word in _WORD.findall(body):
        if len(word) > 1 and word[0].islower() and word.lower() not in _CREDIT_LOWER_WORDS:
            return False
    return True


def is_furniture(line: str, lang: str | None = None) -> bool:
    """True if the (single) line is page furniture that ``clean_text`` drops."""
    s = line.strip()
    if not s:
        return False
    if len(s) > _MAX_FURNITURE_LINE:
        return False
    p = _patterns(lang)
    if p.line.fullmatch(s):
        return True
    if p.guarded:
        folded = _folded(s)
        for words, pattern in p.guarded:
            if (folded is None or any(w in folded for w in words)) and pattern.fullmatch(s):
                return True
    m = p.credit_line.fullmatch(s)
    return bool(m and _plausible_credit(m["credit"]))


# The only characters that a case-insensitive regular expression matches to a letter their
# str.lower() is not: "İ" and "ı" (i), "ſ" (s).  A line with one of them is tested against every
# pattern, so skipping the lines without a pattern's ``requires`` words never changes a result.
_FOLD_EXCEPTIONS = re.compile("[\u0130\u0131\u017f]")


def _folded(line: str) -> str | None:
    """``line.lower()`` for the ``requires`` test, or None if that test cannot be trusted."""
    return None if _FOLD_EXCEPTIONS.search(line) else line.lower()


def _cut_trailing_credit(line: str, pattern: re.Pattern[str]) -> str:
    if len(line) > _MAX_CAPTION_LINE:
        return line
    offset = max(0, len(line) - _MAX_CREDIT_CHARS)  # credits are short: only search the tail
    m = pattern.search(line, offset)
    if not m or not m.start() or not _plausible_credit(m["credit"]):
        return line
    return line[: m.start()].rstrip()


def _norm(line: str) -> str:
    return " ".join(unicodedata.normalize("NFC", line).split()).casefold()


def clean_text(text: str, lang: str | None = None) -> str:
    """Return ``text`` without page furniture (see the module docstring).

    ``lang`` (ISO 639-1) restricts language-specific patterns to that language; with None
    every pattern applies, which is right for pages that mix languages (a German article on a
    French portal says "7 min de lecture").
    """
    p = _patterns(lang)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    out: list[str] = []
    prev: str | None = None  # the last kept non-blank line, normalised
    blanks_since_prev = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            out.append("")
            blanks_since_prev += 1
            continue
        if is_furniture(line, lang):
            continue
        tail = line[-_MAX_CREDIT_CHARS:].lower()
        if any(marker in tail for marker in p.markers):
            line = _cut_trailing_credit(line, p.trailing_strong)
        norm = _norm(line)
        if prev is not None and blanks_since_prev <= 1:
            if norm == prev:
                continue  # the same caption twice (alt text + caption)
            if norm.startswith(prev):
                cut = _cut_trailing_credit(line, p.trailing_any)
                if _norm(cut) == prev:
                    continue  # caption repeated with a bare agency credit ("... Reuters")
        out.append(line)
        prev = norm
        blanks_since_prev = 0
    return BLANK_LINES.sub("\n\n", "\n".join(out)).strip("\n")
