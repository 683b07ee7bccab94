"""The read stage: files, directories, glob patterns, HTML, JSON Lines and stdin -> ``Article``.

``iter_articles(inputs)`` yields one :class:`~kg.model.Article` per document, or one
:class:`ReadError` per document (or input) that could not be read, and never raises for bad
input, so one broken file does not stop a batch::

    for item in iter_articles(["articles/", "extra.jsonl", "-"]):
        if isinstance(item, ReadError):
            log.warning("%s", item)          # "articles/x.txt: binary file"
        else:
            process(item)

Inputs (strings; each is tried in this order):

* ``"-"``: standard input.  Treated as JSON Lines if every non-empty line is a JSON object,
  else as one plain-text article.
* an existing file: ``.jsonl``/``.ndjson`` -> JSON Lines, ``.html``/``.htm``/``.xhtml`` -> HTML,
  ``.md``/``.markdown`` -> Markdown, ``.json`` -> rejected (use JSON Lines), anything else ->
  plain text.
* an existing directory: all ``*.txt *.md *.html *.htm *.jsonl`` files below it (recursive,
  sorted by path, hidden files and directories skipped, symlinked directories not followed).
  The directory is listed when the iterator reaches it; files are read one at a time after that.
* a glob pattern (``articles/**/*.txt``; ``**`` is recursive): the matching files, sorted.
* anything else: ``ReadError("file not found ...")``.

The same file reached twice (e.g. a directory and a file inside it) is read once.

Plain text / Markdown: ``clean_text`` first, then a dateline among the first
``DATELINE_LINES`` non-empty lines ("Stand: 28.01.2025 16:20 Uhr", see ``kg.io.dateline``)
gives ``published`` and is removed; the first remaining non-empty line (Markdown ``#`` stripped)
is the title.  ``Article.text`` is the title, a blank line, then the body with its paragraph
breaks ("\\n\\n").  HTML goes through trafilatura (main text, title, date, canonical URL, image
alt texts as captions) and then the same steps; JSON Lines records (``text`` required;
``title``, ``url``, ``published``, ``language``, ``id`` optional) likewise.  ``Article.id`` is
a given ``id`` or ``article_id(Article.text)``.  The ``published`` / ``language`` keyword
arguments override whatever is detected.

Limits: ``max_bytes`` (default ``MAX_BYTES``, 5 MB) applies to each file read as a whole and,
for JSON Lines, to each line (a JSON Lines file may be larger).  Standard input is spooled to a
temporary file, so a large stream does not sit in memory.
"""
from __future__ import annotations

import datetime as dt
import glob
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from kg.io.cleanup import BLANK_LINES, clean_text
from kg.io.dateline import parse_dateline, parse_published
from kg.io.language import detect_language
from kg.model import Article

__all__ = [
    "ARTICLE_SUFFIXES",
    "DATELINE_LINES",
    "MAX_BYTES",
    "MAX_TITLE_CHARS",
    "ReadError",
    "article_id",
    "decode_bytes",
    "iter_articles",
    "read_text_article",
]

MAX_BYTES = 5_000_000
"""Largest file (or JSON Lines line, or stdin text) read, in bytes; larger input is a ReadError."""

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
"""File types collected from a directory."""

DATELINE_LINES = 8
"""How many non-empty lines at the top of an article are searched for a dateline."""

MAX_TITLE_CHARS = 300
"""A first line longer than this is a paragraph, not a title: the article gets no title."""

_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_MARKDOWN_SUFFIXES = {".md", ".markdown"}
_GLOB_CHARS = re.compile(r"[*?\[]")
_CHUNK = 1 << 20

NOT_FOUND = "file not found (it may have been moved or deleted)"
PERMISSION_DENIED = "permission denied"
EMPTY = "empty article"
BINARY = "binary file"
NO_MATCH = "no files match this pattern"
EMPTY_DIRECTORY = "no article files (*.txt, *.md, *.html, *.jsonl) in directory"


class ReadError(Exception):
    """A document or input that could not be read: ``str(e) == f"{e.source}: {e.reason}"``."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self):  # picklable (e.g. to return from a worker process)
        return (type(self), (self.source, self.reason))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ReadError) and (self.source, self.reason) == (other.source, other.reason)

    def __hash__(self) -> int:
        return hash((self.source, self.reason))


def _too_large(max_bytes: int) -> str:
    return f"file is larger than the limit of {max_bytes} bytes"


# ----------------------------------------------------------------------------------------------
# ids, decoding


def article_id(text: str) -> str:
    """Stable id of an article text: the first 16 hex digits of the SHA-256 of the text after
    Unicode NFC normalisation, whitespace collapsed to single spaces and stripped."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_LATIN1_LETTERS = re.compile(r"[\u00c0-\u00ff]")


def _looks_binary(text: str) -> bool:
    sample = text[:100_000]
    return bool(sample) and ("\x00" in sample or len(_CONTROL.findall(sample)) > 0.10 * len(sample))


def decode_bytes(data: bytes, source: str) -> str:
    """Decode a document: BOM, else UTF-8, else Windows-1252 for Western text, else
    charset-normalizer's best guess.  Raises ReadError for binary or undecodable data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom):].decode(encoding), source)
            except UnicodeDecodeError:
                raise ReadError(source, f"undecodable bytes (tried {encoding.upper()} as its byte order mark says)") from None
    if b"\x00" in data[:100_000]:
        raise ReadError(source, BINARY)
    try:
        return _checked(data.decode("utf-8"), source)
    except UnicodeDecodeError:
        pass
    # Western European legacy encodings are by far the most likely for our news (and
    # charset-normalizer guesses badly on short texts: "Müller" in Latin-1 -> UTF-16).
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _looks_binary(text):
        letters = sum(ch.isalpha() for ch in text[:100_000])
        if letters and len(_LATIN1_LETTERS.findall(text[:100_000])) < 0.3 * letters:
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(source, "undecodable bytes (tried UTF-8 and Windows-1252; no other encoding fits)")
    text = str(best)
    if _looks_binary(text):
        raise ReadError(source, f"undecodable bytes (tried UTF-8 and {best.encoding})")
    return text


def _checked(text: str, source: str) -> str:
    if _looks_binary(text):
        raise ReadError(source, BINARY)
    return text


# ----------------------------------------------------------------------------------------------
# building an Article from text


def _norm_language(language: str | None, source: str) -> str | None:
    if language is None or not language.strip():
        return None
    code = re.split(r"[-_]", language.strip())[0].lower()
    if not re.fullmatch(r"[a-z]{2,3}", code):
        raise ReadError(source, f"invalid language code {language!r} (expected ISO 639-1, e.g. 'de')")
    return code


def _naive(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_MD_LINK = re.compile(r"(?<!!)\[([^\]\n]+)\]\([^)\n]*\)")


def _markdown_to_text(text: str) -> str:
    """Strip the Markdown markup that would otherwise reach NLP: heading marks, links, images
    (their alt text is kept as a caption)."""
    text = _MD_HEADING.sub(r"\1", text)
    text = _MD_IMAGE.sub(r"\1", text)
    return _MD_LINK.sub(r"\1", text)


def _title_of(line: str) -> str:
    return " ".join(re.sub(r"^#{1,6}\s+", "", line.strip()).split())  # "# Title", not "#MeToo"


def _norm_line(line: str) -> str:
    return " ".join(unicodedata.normalize("NFC", line).split()).casefold()


def _build_article(
    text: str,
    *,
    source: str,
    title: str | None = None,
    published: dt.datetime | None = None,
    meta_published: dt.datetime | None = None,
    language: str | None = None,
    url: str | None = None,
    id: str | None = None,
    markdown: bool = False,
) -> Article:
    if markdown:
        text = _markdown_to_text(text)
    lines = clean_text(text, language).split("\n")
    title = _title_of(title) if title else None

    # A dateline near the top gives the publication time and is removed.  The first line may
    # be the title, so it only counts if it is nothing but a date.
    dateline = None
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        found = parse_dateline(line, strict=(seen == 0))
        if found is not None:
            dateline = found
            del lines[i]
            break
        seen += 1
        if seen >= DATELINE_LINES:
            break

    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if title is None:
        if nonblank and len(_title_of(lines[nonblank[0]])) <= MAX_TITLE_CHARS:
            title = _title_of(lines[nonblank[0]]) or None
            del lines[nonblank[0]]
    elif nonblank and _norm_line(_title_of(lines[nonblank[0]])) == _norm_line(title):
        del lines[nonblank[0]]  # the body repeats the title given separately (HTML <h1>)
    body = BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")
    full = f"{title}\n\n{body}" if title and body else (title or body)
    if not full.strip():
        raise ReadError(source, EMPTY)

    if published is None:
        published = meta_published
        if dateline is not None and (
            published is None or (published.date() == dateline.date() and published.time() == dt.time())
        ):
            published = dateline  # the meta date has no time of day: the dateline's is better
    if language is None:
        language = detect_language(full)
    return Article(
        id=id or article_id(full),
        title=title,
        published=_naive(published),
        language=language,
        url=url,
        source=source,
        text=full,
    )


def read_text_article(
    text: str,
    *,
    source: str,
    published: dt.datetime | None = None,
    language: str | None = None,
    markdown: bool = False,
) -> Article:
    """Build an Article from plain text (``markdown=True``: Markdown).  Raises ReadError("empty
    article") if nothing but furniture or whitespace is left."""
    return _build_article(
        text, source=source, published=published, language=_norm_language(language, source), markdown=markdown
    )


# ----------------------------------------------------------------------------------------------
# HTML


class _TagStripper(HTMLParser):
    """Fallback when trafilatura finds no main text: visible text, blocks -> paragraphs."""

    _SKIP = {"script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form", "button"}
    _BLOCK = {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
        "blockquote", "figure", "figcaption", "tr", "table", "pre", "dd", "dt", "main", "title",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: str | None = None
        self._skip = 0
        self._in_title = False
        self._title_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "img" and not self._skip:
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f"\n\n{alt}\n\n")
        if tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
            self.title = " ".join("".join(self._title_parts).split()) or None
        if tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_parts.append(data)
        elif not self._skip:
            self.parts.append(data)

    def text(self) -> str:
        paragraphs = (" ".join(p.split()) for p in "".join(self.parts).split("\n\n"))
        return "\n\n".join(p for p in paragraphs if p)


_TRAFILATURA_IMAGE = re.compile(r"^!\[([^\]\n]*)\]\([^)\n]*\)$")


def _html_parts(markup: str) -> tuple[str, str | None, str | None, dt.datetime | None]:
    """(text, title, url, date) of an HTML page."""
    import trafilatura

    doc = None
    try:
        doc = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_images=True,  # alt texts: captions carry dates and places
            include_tables=True,
            date_extraction_params={"extensive_search": True, "original_date": True,
                                    "outputformat": "%Y-%m-%dT%H:%M:%S"},
        )
    except Exception:  # trafilatura / lxml can fail on broken markup: use the fallback
        doc = None
    text = getattr(doc, "text", None) or ""
    title = getattr(doc, "title", None)
    url = getattr(doc, "url", None)
    date = None
    if getattr(doc, "date", None):
        try:
            date = dt.datetime.fromisoformat(doc.date)
        except ValueError:
            date = parse_published(doc.date)
    if text.strip():
        lines = []
        for line in text.split("\n"):
            m = _TRAFILATURA_IMAGE.match(line.strip())
            lines.append(m[1] if m else line)
        return "\n\n".join(lines), title, url, date
    stripper = _TagStripper()
    stripper.feed(markup)
    stripper.close()
    return stripper.text(), title or stripper.title, url, date


def _html_article(markup: str, *, source: str, published, language) -> Article:
    text, title, url, date = _html_parts(markup)
    return _build_article(
        text,
        source=source, title=title, published=published, meta_published=date, language=language, url=url,
    )


# ----------------------------------------------------------------------------------------------
# JSON Lines


def _record_article(record: Any, *, source: str, published, language) -> Article:
    if not isinstance(record, dict):
        raise ReadError(source, f"expected a JSON object, got {type(record).__name__ if record is not None else 'null'}")
    text = record.get("text")
    if text is None:
        raise ReadError(source, "missing 'text'")
    if not isinstance(text, str):
        raise ReadError(source, f"'text' must be a string, got {type(text).__name__}")
    if not text.strip():
        raise ReadError(source, "empty 'text'")
    fields: dict[str, str | None] = {}
    for key in ("title", "url", "published", "language"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise ReadError(source, f"'{key}' must be a string, got {type(value).__name__}")
        fields[key] = value.strip() if isinstance(value, str) and value.strip() else None
    given_id = record.get("id")
    if given_id is not None and (isinstance(given_id, bool) or not isinstance(given_id, (str, int))):
        raise ReadError(source, f"'id' must be a string, got {type(given_id).__name__}")
    given_id = str(given_id).strip() if given_id is not None else None
    meta_published = None
    if fields["published"]:
        meta_published = parse_published(fields["published"])
        if meta_published is None:
            raise ReadError(source, f"unreadable 'published' value {fields['published']!r} (use an ISO date)")
    return _build_article(
        text,
        source=source,
        title=fields["title"],
        published=published,
        meta_published=meta_published,
        language=language or _norm_language(fields["language"], source),
        url=fields["url"],
        id=given_id or None,
    )


def _iter_jsonl(f: IO[bytes], source: str, *, published, language, max_bytes: int) -> Iterator[Article | ReadError]:
    lineno = 0
    records = 0
    while True:
        raw = f.readline(max_bytes + 2)
        if not raw:
            break
        lineno += 1
        where = f"{source}:{lineno}"
        if not raw.endswith(b"\n") and len(raw) > max_bytes:
            while True:  # skip the rest of the over-long line
                chunk = f.readline(_CHUNK)
                if not chunk or chunk.endswith(b"\n"):
                    break
            records += 1
            yield ReadError(where, f"line is larger than the limit of {max_bytes} bytes")
            continue
        line = raw.rstrip(b"\r\n")
        if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        records += 1
        if len(line) > max_bytes:
            yield ReadError(where, f"line is larger than the limit of {max_bytes} bytes")
            continue
        try:
            yield _record_article(_parse_json_line(line, where), source=where, published=published, language=language)
        except ReadError as e:
            yield e
        except Exception as e:  # a bug or a library failure: report it, keep the batch going
            yield ReadError(where, f"could not read ({type(e).__name__}: {e})")
    if records == 0:
        yield ReadError(source, "empty file (no JSON lines)")


def _parse_json_line(line: bytes, where: str) -> Any:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise ReadError(where, "undecodable bytes (JSON Lines must be UTF-8)") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ReadError(where, f"invalid JSON ({e.msg} at column {e.colno})") from None
    except RecursionError:
        raise ReadError(where, "invalid JSON (nested too deeply)") from None


# ----------------------------------------------------------------------------------------------
# files and inputs


def _open_error(source: str, e: OSError) -> ReadError:
    if isinstance(e, FileNotFoundError):
        return ReadError(source, NOT_FOUND)
    if isinstance(e, PermissionError):
        return ReadError(source, PERMISSION_DENIED)
    if isinstance(e, IsADirectoryError):
        return ReadError(source, "is a directory")
    return ReadError(source, f"could not read file ({e.strerror or e})")


def _read_bytes(path: Path, source: str, max_bytes: int) -> bytes:
    try:
        with open(path, "rb") as f:
            try:
                size = os.fstat(f.fileno()).st_size
            except OSError:
                size = 0
            if size > max_bytes:
                raise ReadError(source, _too_large(max_bytes))
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise _open_error(source, e) from None
    if len(data) > max_bytes:
        raise ReadError(source, _too_large(max_bytes))
    return data


def _read_file(path: Path, source: str, *, published, language, max_bytes: int) -> Iterator[Article | ReadError]:
    suffix = path.suffix.lower()
    if suffix in _JSONL_SUFFIXES:
        try:
            f = open(path, "rb")
        except OSError as e:
            yield _open_error(source, e)
            return
        with f:
            try:
                head = f.read(8192)
            except OSError as e:
                yield _open_error(source, e)
                return
            if b"\x00" in head:
                yield ReadError(source, BINARY)
                return
            f.seek(0)
            yield from _iter_jsonl(f, source, published=published, language=language, max_bytes=max_bytes)
        return
    if suffix == ".json":
        yield ReadError(source, "unsupported file type .json (write one JSON object per line to a .jsonl file)")
        return
    try:
        text = decode_bytes(_read_bytes(path, source, max_bytes), source)
        if suffix in _HTML_SUFFIXES:
            yield _html_article(text, source=source, published=published, language=language)
        else:
            yield _build_article(
                text, source=source, published=published, language=language, markdown=suffix in _MARKDOWN_SUFFIXES
            )
    except ReadError as e:
        yield e
    except Exception as e:  # a bug or a library failure: report it, keep the batch going
        yield ReadError(source, f"could not read ({type(e).__name__}: {e})")


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _list_directory(root: str) -> tuple[list[str], list[ReadError]]:
    files: list[tuple[tuple[str, ...], str]] = []
    errors: list[ReadError] = []

    def onerror(e: OSError) -> None:
        errors.append(_open_error(e.filename or root, e))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not _is_hidden(d))
        for name in filenames:
            if _is_hidden(name) or not name.lower().endswith(ARTICLE_SUFFIXES):
                continue
            path = os.path.join(dirpath, name)
            if os.path.isfile(path):
                files.append((Path(os.path.relpath(path, root)).parts, path))
    files.sort()
    return [path for _, path in files], errors


def _expand(item: str) -> Iterator[str | ReadError]:
    """The files an input names (paths as strings), or ReadErrors."""
    if os.path.isdir(item):
        files, errors = _list_directory(item)
        yield from errors
        if not files and not errors:
            yield ReadError(item, EMPTY_DIRECTORY)
        yield from files
    elif os.path.exists(item) or os.path.islink(item) or not _GLOB_CHARS.search(item):
        yield item  # a file (or a missing path: reading it reports the error)
    else:
        matches = sorted(glob.glob(item, recursive=True))
        if not matches:
            yield ReadError(item, NO_MATCH)
        for match in matches:
            if os.path.isdir(match):
                yield from _expand(match)
            else:
                yield match


def _spool_stdin(max_memory: int) -> IO[bytes]:
    spool = tempfile.SpooledTemporaryFile(max_size=max_memory)
    stream = sys.stdin
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        shutil.copyfileobj(buffer, spool, _CHUNK)
    else:  # a text stream (e.g. io.StringIO in tests)
        while chunk := stream.read(_CHUNK):
            spool.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
    spool.seek(0)
    return spool


def _all_lines_json_objects(f: IO[bytes]) -> bool:
    seen = False
    for raw in f:
        line = raw.strip()
        if not line:
            continue
        if not seen and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.startswith(b"{"):
            return False
        try:
            if not isinstance(json.loads(line), dict):
                return False
        except (ValueError, RecursionError):
            return False
        seen = True
    return seen


def _read_stdin(*, published, language, max_bytes: int) -> Iterator[Article | ReadError]:
    source = "-"
    try:
        spool = _spool_stdin(max_memory=min(max_bytes, 16 * _CHUNK))
    except OSError as e:
        yield ReadError(source, f"could not read standard input ({e.strerror or e})")
        return
    with spool:
        if _all_lines_json_objects(spool):
            spool.seek(0)
            yield from _iter_jsonl(spool, source, published=published, language=language, max_bytes=max_bytes)
            return
        spool.seek(0, io.SEEK_END)
        if spool.tell() > max_bytes:
            yield ReadError(source, f"input is larger than the limit of {max_bytes} bytes")
            return
        spool.seek(0)
        try:
            yield _build_article(decode_bytes(spool.read(), source), source=source, published=published, language=language)
        except ReadError as e:
            yield e
        except Exception as e:
            yield ReadError(source, f"could not read ({type(e).__name__}: {e})")


def iter_articles(
    inputs: Iterable[str] | str,
    *,
    published: dt.datetime | None = None,
    language: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Iterator[Article | ReadError]:
    """Lazily yield an Article per document and a ReadError per failure (see the module
    docstring).  ``published`` / ``language`` override what is detected for every article.

    Raises ValueError (at the first ``next``) only for a bad ``language`` argument.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]  # a single path, not an iterable of characters
    try:
        language = _norm_language(language, "language")
    except ReadError as e:
        raise ValueError(e.reason) from None
    published = _naive(published)
    seen: set[str] = set()
    for item in inputs:
        item = os.fspath(item)
        if item == "-":
            if "-" not in seen:
                seen.add("-")
                yield from _read_stdin(published=published, language=language, max_bytes=max_bytes)
            continue
        for found in _expand(item):
            if isinstance(found, ReadError):
                yield found
                continue
            key = os.path.realpath(found)
            if key in seen:
                continue
            seen.add(key)
            yield from _read_file(Path(found), found, published=published, language=language, max_bytes=max_bytes)
