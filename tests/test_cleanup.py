"""clean_text: page furniture goes, captions and prose stay verbatim."""
from __future__ import annotations

import re

import pytest
import yaml

from kg.io.cleanup import FURNITURE_FILE, clean_text, is_furniture


@pytest.mark.parametrize(
    "line",
    [
        "...", "…", "* * *", "-----",
        "Logo Beispielportal - Hotel & Spa", "Logo", "Beispielzeitung Logo",
        "Advertisement", "ANZEIGE", "Werbung", "Sponsored", "Publicité", "Advertisement - Scroll to continue",
        "in partnership with", "In Partnerschaft mit", "en partenariat avec", "in partnership with Hörbuchdienst",
        "7 min de lecture", "5 min read", "Lesezeit: 3 Min.", "3 Minuten Lesezeit", "Lesedauer 4 Minuten",
        "Share", "Teilen", "Artikel teilen", "Kommentare", "12 Kommentare", "Comments (3)", "1", "245", "1.2K",
        "AP Photo", "AP Photo/Jane Doe", "Foto: dpa", "Foto: picture alliance/dpa | Max Muster", "Bild: Reuters",
        "Reuters", "(c) AFP", "© AFP", "Getty Images", "AFP via Getty Images", "picture alliance/dpa",
        "IMAGO/Beispiel", "dpa/AFP",
        "© 2025 Beispielzeitung", "Copyright 2025 Beispiel Media. All rights reserved.",
        "Alle Rechte vorbehalten.",
        "Mehr zum Thema", "Read more", "Read more: Ministers meet in Brussels", "Lesen Sie auch",
        "Lesen Sie auch: Minister beraten in Brüssel", "Weiterlesen",
        "We use cookies to improve your experience. By continuing you accept our cookie policy.",
        "Wir verwenden Cookies, um Inhalte zu personalisieren.", "Alle akzeptieren", "Cookie-Einstellungen",
        "(Reporting by Anna Beispiel in London; Additional reporting by Bo Muster; Editing by Cy Probe)",
        "Reporting by Anna Beispiel; Editing by Cy Probe", "Mit Material von dpa und Reuters",
        "Redaktion: Anna Beispiel",
    ],
)
def test_furniture_lines(line):
    assert is_furniture(line), line
    assert clean_text(f"Erster Absatz.\n\n{line}\n\nZweiter Absatz.") == "Erster Absatz.\n\nZweiter Absatz."


@pytest.mark.parametrize(
    "line",
    [
        "Die Minister trafen sich am Dienstag in Brüssel.",
        "Reuters reported that the talks had failed.",
        "Er sagte im Interview mit der Bild: das ist falsch",
        "(c) the member states shall inform the Commission",
        "Der Konzern stellte am Montag sein neues Logo vor.",
        "Logo und Name der Partei wurden geändert.",
        "Share prices fell sharply after the announcement.",
        "Copyright law was reformed in 2019.",
        "Read more about the summit in our live blog, he said.",
        "The EU requires websites to ask before they set cookies.",
        "Berlin",
        "2. Sanktionen gegen Russland",
        "Scholz, Macron und Tusk in Berlin, 18. August 2025",
        "Reporting by the ministry was sparse, Merz said, and it was wrong.",
        "Text: Merz met Macron.",
    ],
)
def test_prose_is_kept_verbatim(line):
    assert not is_furniture(line), line
    text = f"Titel\n\n{line}\n\nSchluss."
    assert clean_text(text) == text


def test_caption_kept_credit_dropped_duplicate_collapsed():
    text = (
        "Ein Absatz über das Treffen.\n\n"
        " Die Minister vor dem Ratsgebäude in Brüssel, 18. August 2025\n"
        "Die Minister vor dem Ratsgebäude in Brüssel, 18. August 2025 AP Photo\n\n"
        "Ein zweiter Absatz."
    )
    assert clean_text(text) == (
        "Ein Absatz über das Treffen.\n\nDie Minister vor dem Ratsgebäude in Brüssel, 18. August 2025\n\n"
        "Ein zweiter Absatz."
    )


@pytest.mark.parametrize(
    "caption",
    [
        "Demonstranten vor dem Parlament in Kiew, 3. März 2025 Foto: dpa",
        "Demonstranten vor dem Parlament in Kiew, 3. März 2025 (Foto: picture alliance/dpa | Max Muster)",
        "Demonstranten vor dem Parlament in Kiew, 3. März 2025 © AFP",
        "Demonstranten vor dem Parlament in Kiew, 3. März 2025 AP Photo/Jane Doe",
        "Demonstranten vor dem Parlament in Kiew, 3. März 2025 Getty Images",
    ],
)
def test_trailing_credit_cut_from_caption(caption):
    assert clean_text(caption) == "Demonstranten vor dem Parlament in Kiew, 3. März 2025"


def test_bare_agency_only_cut_from_a_repeated_caption():
    assert clean_text("Putin aide speaks to Reuters") == "Putin aide speaks to Reuters"
    assert clean_text("Soldaten in Charkiw, 2. Mai 2025\nSoldaten in Charkiw, 2. Mai 2025 Reuters") == (
        "Soldaten in Charkiw, 2. Mai 2025"
    )


def test_caption_after_credit_only_line():
    text = "Soldaten in Charkiw, 2. Mai 2025\nFoto: dpa\n\nDer Text."
    assert clean_text(text) == "Soldaten in Charkiw, 2. Mai 2025\n\nDer Text."


def test_whole_page():
    page = (
        "...\n\nLogo Beispielportal\nin partnership with\nLogo Hörbuchdienst\n\n"
        "Minister uneins über Sanktionen\n\n• Mar 4, 2025, 9:15 AM\n7 min de lecture\n1\n\n"
        "Die Außenminister berieten in Brüssel.\n\nAnzeige\n\n"
        "Die Minister vor dem Ratsgebäude, 4. März 2025\nDie Minister vor dem Ratsgebäude, 4. März 2025 AP Photo\n\n"
        "Lesen Sie auch: Ungarn blockiert erneut\n\nUngarn lehnte ab.\n\nTeilen\nKommentare\n© 2025 Beispielportal\n"
    )
    assert clean_text(page) == (
        "Minister uneins über Sanktionen\n\n• Mar 4, 2025, 9:15 AM\n\n"  # datelines are the reader's job
        "Die Außenminister berieten in Brüssel.\n\nDie Minister vor dem Ratsgebäude, 4. März 2025\n\n"
        "Ungarn lehnte ab."
    )


def test_paragraphs_and_line_endings():
    assert clean_text("A\r\n\r\n\r\n\r\nB\rC\n") == "A\n\nB\nC"
    assert clean_text("\ufeffTitel\n\n\n") == "Titel"
    assert clean_text("") == ""
    assert clean_text("Anzeige\n5 min read") == ""


def test_language_specific_patterns():
    assert clean_text("Text.\n\nPub\n\nMehr Text.", "fr") == "Text.\n\nMehr Text."
    assert clean_text("Text.\n\nPub\n\nMehr Text.", "en") == "Text.\n\nPub\n\nMehr Text."
    assert clean_text("Text.\n\nPub\n\nMehr Text.") == "Text.\n\nMehr Text."  # unknown language: all patterns


def test_furniture_file_is_valid():
    data = yaml.safe_load(FURNITURE_FILE.read_text(encoding="utf-8"))
    assert set(data) == {"lines", "credits"}
    assert data["credits"]["markers"]
    for group in [*data["lines"].values(), data["credits"]["strong"], data["credits"]["agencies"]]:
        for entry in group:
            pattern = entry if isinstance(entry, str) else entry["pattern"]
            re.compile(pattern)


def test_long_lines_are_never_furniture():
    line = "We use cookies in this story: " + "the regulator said it would examine the practice. " * 12
    assert len(line) > 600
    assert not is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "We use cookies to improve your experience. By continuing you accept our cookie policy.",
        "WE USE COOKİES to improve your experience.",   # "İ" is "i" to the pattern, not to str.lower()
        "Beispiel Media. All right\u017f reserved.",     # long s
        "Copyright 2025 Beispiel Media. ALL RIGHTS RESERVED.",
        "Beispiel Media. All rıghts reserved.",          # dotless i
        "Die Minister trafen sich am Dienstag in Brüssel.",
        "Cookies were served at the summit in Brussels, the minister said.",
    ],
)
def test_required_words_never_change_a_result(line):
    """Patterns with ``requires`` words are skipped for lines without them: is_furniture says what
    testing every pattern says."""
    from kg.io import cleanup

    data = cleanup._furniture()
    patterns = [p for group in data["lines"].values() for p in cleanup._entries(group, None)]
    credit = cleanup._patterns(None).credit_line.fullmatch(line)
    everything = bool(re.compile(cleanup._alternation(patterns), re.IGNORECASE).fullmatch(line)) or bool(
        credit and cleanup._plausible_credit(credit["credit"]))
    assert is_furniture(line) == everything


def test_required_words_are_in_the_patterns():
    data = yaml.safe_load(FURNITURE_FILE.read_text(encoding="utf-8"))
    for group in data["lines"].values():
        for entry in group:
            if isinstance(entry, dict) and entry.get("requires"):
                for word in entry["requires"]:
                    assert word == word.lower() and word in entry["pattern"], (word, entry["pattern"])
