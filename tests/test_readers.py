"""The read stage: files, directories, globs, HTML, JSON Lines, stdin -> Article / ReadError."""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import pickle
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.io import readers
from kg.io.dateline import parse_dateline, parse_published
from kg.io.language import detect_language
from kg.io.readers import (
    MAX_BYTES,
    ReadError,
    article_id,
    decode_bytes,
    iter_articles,
    read_text_article,
)
from kg.model import Article

DE_BODY = (
    "Die Außenministerin hat am Dienstag in Brüssel mit ihren Amtskollegen über neue Sanktionen "
    "gegen Russland beraten. Eine Einigung wurde nicht erzielt.\n\n"
    "Ungarn lehnte den Vorschlag der Kommission erneut ab, hieß es aus Diplomatenkreisen."
)
EN_BODY = (
    "The foreign ministers met in Brussels on Tuesday to discuss new sanctions against Russia. "
    "No agreement was reached.\n\n"
    "Hungary again rejected the Commission's proposal, diplomats said."
)


def write(path, text: str, encoding: str = "utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def read_all(*inputs, **kw) -> list:
    return list(iter_articles([str(i) for i in inputs], **kw))


def articles(items) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def errors(items) -> list[ReadError]:
    return [i for i in items if isinstance(i, ReadError)]


# ----------------------------------------------------------------------------------------------
# plain text / markdown


def test_txt_title_dateline_furniture_and_paragraphs(tmp_path):
    path = write(
        tmp_path / "a.txt",
        "...\n\nLogo Beispielportal\nin partnership with\nLogo Hörbuchdienst\n\n"
        "EU-Außenminister uneins über Sanktionen\n\n"
        "• Mar 4, 2025, 9:15 AM\n5 min read\n3\n\n" + DE_BODY + "\n",
    )
    [art] = read_all(path)
    assert isinstance(art, Article)
    assert art.title == "EU-Außenminister uneins über Sanktionen"
    assert art.published == dt.datetime(2025, 3, 4, 9, 15)
    assert art.language == "de"
    assert art.source == str(path)
    assert art.text == "EU-Außenminister uneins über Sanktionen\n\n" + DE_BODY
    assert art.id == article_id(art.text)
    for junk in ("Logo", "partnership", "min read", "Mar 4, 2025"):
        assert junk not in art.text


def test_dateline_before_title(tmp_path):
    path = write(tmp_path / "a.txt", "2026-01-04 10:23\n\nMinisters meet in Brussels\n\n" + EN_BODY)
    [art] = read_all(path)
    assert art.title == "Ministers meet in Brussels"
    assert art.published == dt.datetime(2026, 1, 4, 10, 23)
    assert art.language == "en"
    assert "2026-01-04" not in art.text


def test_dateline_only_searched_near_the_top(tmp_path):
    paragraphs = "\n\n".join(f"Paragraph number {i} says something about the talks." for i in range(10))
    path = write(tmp_path / "a.txt", "Title line\n\n" + paragraphs + "\n\n20.08.2025 16:20\n")
    [art] = read_all(path)
    assert art.published is None
    assert "20.08.2025 16:20" in art.text


def test_title_like_a_date_is_kept_as_title(tmp_path):
    path = write(tmp_path / "a.txt", "Brexit: 31. Januar 2020\n\n" + DE_BODY)
    [art] = read_all(path)
    assert art.title == "Brexit: 31. Januar 2020"
    assert art.published is None


def test_sentence_with_date_is_not_a_dateline(tmp_path):
    path = write(tmp_path / "a.txt", "Gipfel in Brüssel\n\nAm 3. März 2025 trafen sich die Minister.\n\n" + DE_BODY)
    [art] = read_all(path)
    assert art.published is None
    assert "Am 3. März 2025 trafen sich die Minister." in art.text


def test_title_markdown_marks_stripped_in_txt_but_not_hashtags(tmp_path):
    [a] = read_all(write(tmp_path / "a.txt", "## Gipfel in Brüssel\n\nText."))
    [b] = read_all(write(tmp_path / "b.txt", "#MeToo-Debatte im Bundestag\n\nText."))
    assert (a.title, b.title) == ("Gipfel in Brüssel", "#MeToo-Debatte im Bundestag")


def test_long_first_line_is_not_a_title(tmp_path):
    long_para = "The ministers met. " * 30
    [art] = read_all(write(tmp_path / "a.txt", long_para.strip() + "\n\nMore text here."))
    assert art.title is None
    assert art.text.startswith("The ministers met.")


def test_markdown(tmp_path):
    path = write(
        tmp_path / "a.md",
        "# Gipfel in Brüssel\n\nVeröffentlicht am 3. März 2025\n\n"
        "![Die Minister in Brüssel, 3. März 2025](bild.jpg)\n\n"
        "## Keine Einigung\n\nDie [Außenminister](https://example.org) berieten über Sanktionen gegen Russland.\n",
    )
    [art] = read_all(path)
    assert art.title == "Gipfel in Brüssel"
    assert art.published == dt.datetime(2025, 3, 3)
    assert art.text == (
        "Gipfel in Brüssel\n\nDie Minister in Brüssel, 3. März 2025\n\nKeine Einigung\n\n"
        "Die Außenminister berieten über Sanktionen gegen Russland."
    )


def test_overrides(tmp_path):
    path = write(tmp_path / "a.txt", "Titel\n\nStand: 28.01.2025 16:20 Uhr\n\n" + DE_BODY)
    when = dt.datetime(2024, 5, 1, 8, 0)
    [art] = read_all(path, published=when, language="EN")
    assert art.published == when
    assert art.language == "en"
    assert "Stand:" not in art.text  # the dateline is furniture either way


def test_read_text_article_directly():
    art = read_text_article("Titel\n\n20.08.2025 16:20\n\n" + DE_BODY, source="mem")
    assert (art.title, art.published, art.source, art.language) == ("Titel", dt.datetime(2025, 8, 20, 16, 20), "mem", "de")
    with pytest.raises(ReadError) as info:
        read_text_article("Anzeige\n\n5 min read\n", source="mem")
    assert str(info.value) == "mem: empty article"


# ----------------------------------------------------------------------------------------------
# datelines


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Aug 20, 2025, 4:20 PM", dt.datetime(2025, 8, 20, 16, 20)),
        ("• Aug 20, 2025, 4:20 PM", dt.datetime(2025, 8, 20, 16, 20)),
        ("20.08.2025 16:20", dt.datetime(2025, 8, 20, 16, 20)),
        ("Stand: 28.01.2025 16:20 Uhr", dt.datetime(2025, 1, 28, 16, 20)),
        ("2026-01-04 10:23", dt.datetime(2026, 1, 4, 10, 23)),
        ("2026-01-04T10:23:00+09:00", dt.datetime(2026, 1, 4, 10, 23)),
        ("Published: 4 January 2026", dt.datetime(2026, 1, 4)),
        ("Veröffentlicht am 3. März 2025", dt.datetime(2025, 3, 3)),
        ("Mittwoch, 20. August 2025, 16:20 Uhr", dt.datetime(2025, 8, 20, 16, 20)),
        ("16.20 Uhr, 20.08.2025", dt.datetime(2025, 8, 20, 16, 20)),
        ("Updated Jan. 4, 2026 10:23 a.m. ET", dt.datetime(2026, 1, 4, 10, 23)),
        ("12:30 AM, Aug 1, 2025", dt.datetime(2025, 8, 1, 0, 30)),
        ("Berlin, 20.08.2025", dt.datetime(2025, 8, 20)),
        ("By Jane Doe | Aug 20, 2025 at 9:05 a.m. ET", dt.datetime(2025, 8, 20, 9, 5)),
        ("Publié le 20 août 2025 à 16h20", dt.datetime(2025, 8, 20, 16, 20)),
        ("Pubblicato il 20 agosto 2025 alle 16:20", dt.datetime(2025, 8, 20, 16, 20)),
        ("20 de agosto de 2025, 16:20", dt.datetime(2025, 8, 20, 16, 20)),
        # not datelines
        ("Am 3. März 2025 trafen sich die Minister", None),
        ("The summit ended on Aug 20, 2025.", None),
        ("Er sagte am 20.08.2025, dass er komme", None),
        ("vor 2 Stunden", None),
        ("2 hours ago", None),
        ("31.02.2025", None),
        ("2025", None),
        ("Share", None),
        ("", None),
        ("Stand: 28.01.2025 16:20 Uhr " + "x" * 80, None),  # longer than 80 characters
    ],
)
def test_parse_dateline(line, expected):
    assert parse_dateline(line) == expected


def test_parse_dateline_strict_allows_no_other_words():
    assert parse_dateline("Berlin, 20.08.2025", strict=True) is None
    assert parse_dateline("Stand: 28.01.2025 16:20 Uhr", strict=True) == dt.datetime(2025, 1, 28, 16, 20)


def test_parse_published():
    assert parse_published("2025-08-20") == dt.datetime(2025, 8, 20)
    assert parse_published("2025-08-20T14:20:00Z") == dt.datetime(2025, 8, 20, 14, 20)
    assert parse_published("Aug 20, 2025, 4:20 PM") == dt.datetime(2025, 8, 20, 16, 20)
    assert parse_published("soon") is None


# ----------------------------------------------------------------------------------------------
# HTML

HTML_PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8">
<title>EU-Außenminister uneins | Beispielzeitung</title>
<link rel="canonical" href="https://example.org/politik/sanktionen">
<meta property="article:published_time" content="2025-03-04">
</head><body><nav><a href="/">Start</a> <a href="/politik">Politik</a></nav>
<article><h1>EU-Außenminister uneins über Sanktionen</h1>
<p>Stand: 04.03.2025 09:15 Uhr</p>
<p>Die Außenministerin hat am Dienstag in Brüssel mit ihren Amtskollegen über neue Sanktionen
gegen Russland beraten. Eine Einigung wurde nicht erzielt.</p>
<figure><img src="a.jpg" alt="Die Minister in Brüssel, 4. März 2025">
<figcaption>Die Minister in Brüssel, 4. März 2025 Foto: dpa</figcaption></figure>
<p>Anzeige</p>
<p>Ungarn lehnte den Vorschlag der Kommission erneut ab, hieß es aus Diplomatenkreisen.</p>
</article><footer>© 2025 Beispielzeitung</footer></body></html>"""


def test_html(tmp_path):
    [art] = read_all(write(tmp_path / "a.html", HTML_PAGE))
    assert isinstance(art, Article), art
    assert art.title == "EU-Außenminister uneins über Sanktionen"
    assert art.url == "https://example.org/politik/sanktionen"
    assert art.published == dt.datetime(2025, 3, 4, 9, 15)  # meta date + the dateline's time
    assert art.language == "de"
    assert art.text.startswith("EU-Außenminister uneins über Sanktionen\n\nDie Außenministerin hat")
    assert art.text.count("Die Minister in Brüssel, 4. März 2025") == 1  # caption kept once
    for junk in ("Anzeige", "Foto: dpa", "©", "Stand:", "Politik", "<"):
        assert junk not in art.text


def test_html_fallback_when_trafilatura_finds_nothing(tmp_path, monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    page = (
        "<html><head><title>Treffen in Berlin</title><style>p{color:red}</style></head><body>"
        "<nav>Menü</nav><div>Scholz &amp; Macron trafen sich in Berlin.</div>"
        "<p>Sie sprachen über die Ukraine.</p><script>var x = 1;</script></body></html>"
    )
    [art] = read_all(write(tmp_path / "a.htm", page))
    assert art.title == "Treffen in Berlin"
    assert art.text == "Treffen in Berlin\n\nScholz & Macron trafen sich in Berlin.\n\nSie sprachen über die Ukraine."


# ----------------------------------------------------------------------------------------------
# JSON Lines


def test_jsonl(tmp_path):
    lines = [
        json.dumps({"text": DE_BODY, "title": "Keine Einigung", "url": "https://example.org/1",
                    "published": "2025-03-04T09:15:00+01:00", "id": "given-1"}),
        "",
        json.dumps({"text": "Stand: 28.01.2025 16:20 Uhr\n\n" + EN_BODY, "title": "Ministers meet", "language": "en-GB"}),
        json.dumps({"text": "Sanctions talks stall\n\n" + EN_BODY, "published": "Aug 20, 2025, 4:20 PM"}),
    ]
    path = write(tmp_path / "a.jsonl", "\n".join(lines) + "\n")
    a, b, c = read_all(path)
    assert a.id == "given-1" and a.title == "Keine Einigung" and a.url == "https://example.org/1"
    assert a.published == dt.datetime(2025, 3, 4, 9, 15) and a.language == "de"
    assert a.text == "Keine Einigung\n\n" + DE_BODY  # the title leads the text
    assert a.source == f"{path}:1"
    assert b.source == f"{path}:3" and b.language == "en"
    assert b.published == dt.datetime(2025, 1, 28, 16, 20) and "Stand:" not in b.text
    assert b.id == article_id(b.text)
    assert c.title == "Sanctions talks stall" and c.published == dt.datetime(2025, 8, 20, 16, 20)


@pytest.mark.parametrize(
    "line, reason",
    [
        ('{"text": "unterminated', "invalid JSON"),
        ("[1, 2]", "expected a JSON object, got list"),
        ('{"title": "no text"}', "missing 'text'"),
        ('{"text": "   "}', "empty 'text'"),
        ('{"text": 42}', "'text' must be a string"),
        ('{"text": "Anzeige\\n\\n5 min read"}', "empty article"),
        ('{"text": "Ein Text.", "published": "bald"}', "unreadable 'published'"),
    ],
)
def test_jsonl_bad_line_yields_one_error_and_the_rest_still_read(tmp_path, line, reason):
    good = json.dumps({"text": EN_BODY})
    path = write(tmp_path / "a.jsonl", f"{good}\n{line}\n{good}\n")
    items = read_all(path)
    assert [type(i) for i in items] == [Article, ReadError, Article]
    err = items[1]
    assert err.source == f"{path}:2"
    assert reason in err.reason
    assert str(err) == f"{path}:2: {err.reason}"


def test_jsonl_line_over_the_limit(tmp_path):
    path = write(tmp_path / "a.jsonl", json.dumps({"text": "x " * 200}) + "\n" + json.dumps({"text": EN_BODY}) + "\n")
    items = read_all(path, max_bytes=300)
    assert [type(i) for i in items] == [ReadError, Article]
    assert items[0].reason == "line is larger than the limit of 300 bytes"


def test_empty_jsonl_file(tmp_path):
    [err] = read_all(write(tmp_path / "a.jsonl", "\n\n"))
    assert isinstance(err, ReadError) and "empty file" in err.reason


# ----------------------------------------------------------------------------------------------
# bad input in a batch


def test_batch_with_bad_inputs(tmp_path):
    good = write(tmp_path / "in" / "01_good.txt", "Keine Einigung\n\n" + DE_BODY)
    empty = write(tmp_path / "in" / "02_empty.txt", "  \n\n\t\n")
    binary = tmp_path / "in" / "03_binary.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    latin = write(tmp_path / "in" / "04_latin1.txt", "Grüße aus Köln\n\n" + DE_BODY, encoding="latin-1")
    jsonl = write(tmp_path / "in" / "05_records.jsonl", json.dumps({"text": EN_BODY}) + "\n{not json}\n")
    (tmp_path / "in" / ".hidden.txt").write_text("hidden")
    (tmp_path / "in" / "notes.csv").write_text("a,b")
    empty_dir = tmp_path / "empty_dir"
    (empty_dir / "sub").mkdir(parents=True)
    (empty_dir / "readme.csv").write_text("x")
    missing = tmp_path / "missing.txt"

    items = read_all(tmp_path / "in", missing, empty_dir)
    by_source = {i.source: i for i in items}
    assert isinstance(by_source[str(good)], Article)
    assert isinstance(by_source[str(latin)], Article)
    assert by_source[str(latin)].title == "Grüße aus Köln"
    assert isinstance(by_source[f"{jsonl}:1"], Article)
    expected_errors = {
        str(empty): "empty article",
        str(binary): "binary file",
        f"{jsonl}:2": "invalid JSON (Expecting property name enclosed in double quotes at column 2)",
        str(missing): "file not found (it may have been moved or deleted)",
        str(empty_dir): "no article files (*.txt, *.md, *.html, *.jsonl) in directory",
    }
    assert {e.source: e.reason for e in errors(items)} == expected_errors
    assert len(items) == 3 + len(expected_errors)
    assert not any(".hidden" in i.source or "notes.csv" in i.source for i in items)


def test_file_vanishes_between_listing_and_reading(tmp_path):
    write(tmp_path / "a.txt", "Erster Artikel\n\n" + DE_BODY)
    second = write(tmp_path / "b.txt", "Zweiter Artikel\n\n" + DE_BODY)
    write(tmp_path / "c.txt", "Dritter Artikel\n\n" + DE_BODY)
    it = iter_articles([str(tmp_path)])
    first = next(it)
    assert first.title == "Erster Artikel"
    second.unlink()
    rest = list(it)
    assert [type(i) for i in rest] == [ReadError, Article]
    assert rest[0].source == str(second)
    assert rest[0].reason == "file not found (it may have been moved or deleted)"
    assert rest[1].title == "Dritter Artikel"


def test_file_over_the_limit(tmp_path):
    big = write(tmp_path / "big.txt", "Titel\n\n" + "Wort " * 100)
    [err] = read_all(big, max_bytes=100)
    assert err.reason == "file is larger than the limit of 100 bytes"
    assert MAX_BYTES == 5_000_000


def test_permission_denied(tmp_path, monkeypatch):
    path = write(tmp_path / "secret.txt", "Titel\n\n" + DE_BODY)
    real_open = open

    def fake_open(file, *args, **kwargs):
        if os.fspath(file) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", fake_open)
    [err] = read_all(path)
    assert (err.source, err.reason) == (str(path), "permission denied")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read anything")
def test_permission_denied_real(tmp_path):
    path = write(tmp_path / "secret.txt", "Titel\n\n" + DE_BODY)
    path.chmod(0)
    try:
        [err] = read_all(path)
        assert err.reason == "permission denied"
    finally:
        path.chmod(0o644)


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x01, 0x02, 0x03, 0x04, 0x05] * 20))
    [err] = read_all(path)
    assert err.source == str(path)
    assert err.reason == "undecodable bytes (tried UTF-8 and Windows-1252; no other encoding fits)"


def test_decode_bytes():
    assert decode_bytes("\ufeffÄrger".encode("utf-8"), "x") == "Ärger"
    assert decode_bytes("Ärger in Köln".encode("utf-16"), "x") == "Ärger in Köln"
    assert decode_bytes("Müller".encode("latin-1"), "x") == "Müller"
    assert decode_bytes("Гренландия и Дания ведут переговоры".encode("cp1251"), "x") == (
        "Гренландия и Дания ведут переговоры"
    )
    with pytest.raises(ReadError, match="binary file"):
        decode_bytes(b"abc\x00def", "x")


def test_json_suffix_is_rejected_with_a_hint(tmp_path):
    [err] = read_all(write(tmp_path / "a.json", json.dumps({"text": "x"})))
    assert ".jsonl" in err.reason


# ----------------------------------------------------------------------------------------------
# inputs: directories, globs, stdin


def test_directory_recursive_sorted_and_hidden_skipped(tmp_path):
    write(tmp_path / "b.txt", "B\n\nText b.")
    write(tmp_path / "a" / "z.md", "# AZ\n\nText az.")
    write(tmp_path / "a" / "y.html", "<html><body><h1>AY</h1><p>Text ay.</p></body></html>")
    write(tmp_path / ".git" / "x.txt", "hidden dir")
    write(tmp_path / "a" / ".x.txt", "hidden file")
    items = read_all(tmp_path)
    assert [os.path.relpath(i.source, tmp_path) for i in items] == [
        os.path.join("a", "y.html"), os.path.join("a", "z.md"), "b.txt",
    ]
    assert all(isinstance(i, Article) for i in items)


def test_glob(tmp_path):
    write(tmp_path / "x" / "1.txt", "Eins\n\nText.")
    write(tmp_path / "x" / "deep" / "2.txt", "Zwei\n\nText.")
    write(tmp_path / "x" / "3.md", "Drei\n\nText.")
    items = read_all(tmp_path / "x" / "**" / "*.txt")
    assert [i.title for i in items] == ["Eins", "Zwei"]
    [err] = read_all(tmp_path / "nothing" / "*.txt")
    assert err.reason == "no files match this pattern"
    assert err.source == str(tmp_path / "nothing" / "*.txt")


def test_same_file_twice_is_read_once(tmp_path):
    path = write(tmp_path / "a.txt", "Eins\n\nText.")
    assert len(read_all(tmp_path, path, tmp_path / "*.txt")) == 1


def test_single_string_input(tmp_path):
    path = write(tmp_path / "a.txt", "Eins\n\nText.")
    assert [a.title for a in iter_articles(str(path))] == ["Eins"]


def test_iterator_is_lazy(tmp_path):
    it = iter_articles([str(tmp_path / "later")])
    write(tmp_path / "later" / "b.txt", "Zwei\n\nText.")
    assert next(it).title == "Zwei"  # nothing was looked at before the first next()


def test_stdin_text(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("Keine Einigung\n\nStand: 04.03.2025 09:15 Uhr\n\n" + DE_BODY))
    [art] = read_all("-")
    assert art.source == "-"
    assert art.title == "Keine Einigung"
    assert art.published == dt.datetime(2025, 3, 4, 9, 15)
    assert art.language == "de"


def test_stdin_bytes(monkeypatch):
    class Stdin:
        buffer = io.BytesIO(("Grüße aus Köln\n\n" + DE_BODY).encode("latin-1"))

    monkeypatch.setattr(sys, "stdin", Stdin())
    [art] = read_all("-")
    assert art.title == "Grüße aus Köln"


def test_stdin_jsonl(monkeypatch):
    data = json.dumps({"text": EN_BODY, "title": "One"}) + "\n\n" + json.dumps({"text": DE_BODY, "title": "Zwei"}) + "\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(data))
    items = read_all("-")
    assert [(i.source, i.title, i.language) for i in items] == [("-:1", "One", "en"), ("-:3", "Zwei", "de")]


def test_stdin_with_a_non_object_line_is_text(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"text": "x"}\nNot JSON at all, just prose.\n'))
    [art] = read_all("-")
    assert art.source == "-" and art.title == '{"text": "x"}'


def test_stdin_empty(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n  \n"))
    [err] = read_all("-")
    assert (err.source, err.reason) == ("-", "empty article")


def test_library_failure_becomes_a_read_error(tmp_path, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(readers, "detect_language", boom)
    path = write(tmp_path / "a.txt", "Titel\n\nText.")
    [err] = read_all(path)
    assert err.source == str(path) and "RuntimeError: kaputt" in err.reason


# ----------------------------------------------------------------------------------------------
# ids, errors, language


def test_bad_language_argument():
    with pytest.raises(ValueError, match="invalid language code"):
        next(iter_articles(["x.txt"], language="deutsch!"))


def test_read_error():
    e = ReadError("a/b.txt", "binary file")
    assert (e.source, e.reason, str(e)) == ("a/b.txt", "binary file", "a/b.txt: binary file")
    assert pickle.loads(pickle.dumps(e)) == e


_words = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüßÄÖÜ.,", min_size=1, max_size=8), min_size=1, max_size=20)
_spaces = st.text(alphabet=" \t\n\r\u00a0", min_size=1, max_size=4)


@given(_words, st.data())
def test_article_id_stable_under_whitespace(words, data):
    plain = " ".join(words)
    seps = [data.draw(_spaces) for _ in words]
    noisy = data.draw(_spaces) + "".join(w + s for w, s in zip(words, seps))
    assert article_id(noisy) == article_id(plain)
    assert len(article_id(plain)) == 16 and all(c in "0123456789abcdef" for c in article_id(plain))


@given(_words, _words)
def test_article_id_differs_for_different_text(a, b):
    if " ".join(a) != " ".join(b):
        assert article_id(" ".join(a)) != article_id(" ".join(b))


def test_article_id_nfc():
    assert article_id("Gru\u0308ße") == article_id("Grüße")


def test_detect_language():
    assert detect_language(DE_BODY) == "de"
    assert detect_language(EN_BODY) == "en"
    assert detect_language("Les ministres se sont réunis à Bruxelles mardi.") == "fr"
    assert detect_language("Hi") is None
    assert detect_language("") is None


def test_detect_language_reads_a_sample():
    from kg.io import language

    long_de = " ".join([DE_BODY] * 20)
    assert detect_language(long_de) == "de"
    assert len(language._sample(long_de)) < language.MAX_CHARS
    # a head of figures is no sample: the first MAX_CHARS characters are read
    table = "1.234 5.678 9.012 " * 40 + long_de
    assert language._sample(table) == table[: language.MAX_CHARS]
    assert detect_language(table) == "de"
    # only letters within the first MAX_CHARS characters count
    assert detect_language("1 " * 1000 + EN_BODY) is None
