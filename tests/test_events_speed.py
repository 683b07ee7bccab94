"""The shortcuts that make event and time extraction fast give the answers of the slow way.

events._Tokens reads token columns through a per-vocabulary memo instead of spaCy's Token objects;
Lexicon.triggers_of reads the trigger memo for a whole document; the time grammar skips a rule when
its pre-test (a digit, a key word, a month name, a year) fails. Each is compared here with what it
replaces. Nothing here is timed.
"""
from __future__ import annotations

import pytest

from kg.nlp import temporal
from kg.nlp.events import _Tokens
from kg.nlp.language import get_pipeline
from kg.nlp.lexicon import lexicon

TEXTS = {
    "en": "Ukrainian President Volodymyr Zelensky met Polish President Andrzej Duda in Warsaw on Tuesday. "
          "“We agreed on 2,000 drones,” he said on 4 January 2026 - three days ago.\n\n"
          "The two leaders discussed air defence (1876-1949) and 12 grain exports since 2019.",
    "de": "Bundeskanzler Friedrich Merz traf am Montag in Berlin den französischen Präsidenten Emmanuel Macron. "
          "„Wir sind uns einig“, sagte er am 18.08.2025; zwei Tage später reiste er nach Kiew.\n\n"
          "Die beiden Politiker berieten im Vorjahr über 2.000 Soldaten und die Unterstützung der Ukraine.",
}


@pytest.mark.parametrize("lang", ["en", "de"])
def test_token_columns_are_spacys(lang):
    doc = get_pipeline(lang).nlp(TEXTS[lang])
    for _ in range(2):   # the second time from the memo
        tok = _Tokens(doc)
        assert tok.text == [t.text for t in doc]
        assert tok.lower == [t.lower_ for t in doc]
        assert tok.lemma == [t.lemma_ or t.lower_ for t in doc]
        assert tok.idx == [t.idx for t in doc]
        assert tok.end == [t.idx + len(t.text) for t in doc]
        assert tok.ws == [bool(t.whitespace_) for t in doc]
        assert tok.punct == [t.is_punct for t in doc]
        assert tok.space == [t.is_space for t in doc]
        assert tok.alpha == [t.is_alpha for t in doc]
        assert tok.num == [t.like_num for t in doc]
        assert tok.sent_start == [bool(t.is_sent_start) for t in doc]
        assert tok.doc_text == doc.text
        for col in (tok.ws, tok.punct, tok.space, tok.alpha, tok.num, tok.sent_start):
            assert all(type(v) is bool for v in col)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_triggers_of_a_document_are_those_of_its_words(lang):
    doc = get_pipeline(lang).nlp(TEXTS[lang])
    lex = lexicon(lang)
    lowers = [t.lower_ for t in doc]
    lemmas = [t.lemma_ or t.lower_ for t in doc]
    expected = [lex._triggers_for(low, lem) for low, lem in zip(lowers, lemmas)]
    assert lex.triggers_of(lowers, lemmas) == expected
    assert any(expected)


def _sentences() -> list[tuple[str, str]]:
    out = []
    for lang, text in TEXTS.items():
        out += [(lang, s.text) for s in get_pipeline(lang).nlp(text).sents]
    out += [("en", "In 2017, since 2019, Aug. 18, August 18, 2025, mid-July, last November, later in the day."),
            ("de", "Vor zwei Jahren, im Vorjahr, am Vortag; übermorgen; Morgen kommt er. Am 2025-08-18 und 3.4."),
            ("fr", "Le 18 août 2025, puis le 19/08/2025 et en 2024.")]
    return out


@pytest.mark.parametrize("lang,text", _sentences())
def test_rule_pre_tests_skip_no_time_phrase(lang, text, monkeypatch):
    found = temporal.find_time_phrases(text, lang)
    monkeypatch.setattr(temporal._Trigger, "fires", lambda self, facts: True)   # every rule runs
    assert temporal.find_time_phrases(text, lang) == found
