"""kg's own spaCy components do what the spaCy components they replace did, token for token.

- ``GazetteerRuler`` (the ``kg_gazetteer`` pipe) sets the same entities as spaCy's EntityRuler with
  the same phrase patterns (ORTH, ``overwrite_ents``), overlapping patterns and entities already on
  the document included;
- ``LookupLemmatizer`` (the offline ``lemmatizer`` pipe) sets the lemmas spaCy's Lemmatizer sets in
  "lookup" mode;
- ``kg_sentences`` keeps its sentence starts (line breaks, quotes, sentence-final years).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from kg.nlp.gazetteer import load_gazetteer
from kg.nlp.language import GazetteerRuler, LookupLemmatizer, get_pipeline

ROOT = Path(__file__).resolve().parents[1]


def article_texts(lang: str) -> list[str]:
    """The texts of eval/own and examples in that language (the language is in the file name)."""
    files = sorted([*ROOT.glob("eval/own/*.txt"), *ROOT.glob("examples/*.txt")])
    return [p.read_text(encoding="utf-8") for p in files if f"_{lang}_" in p.name]

TEXTS = [
    "Der US-Präsident Donald Trump traf in Washington den Präsidenten der Europäischen Kommission.",
    "New York and New York City: the United Nations Security Council met in New York on Monday.",
    "The United States and the United Kingdom; United States Secretary of State Marco Rubio.",
    "a b c d e f a b c d",
    "",
]

PATTERNS = [
    {"label": "LOCATION", "pattern": "New York", "id": "New York"},
    {"label": "LOCATION", "pattern": "New York City", "id": "New York City"},
    {"label": "LOCATION", "pattern": "York City", "id": "York City"},
    {"label": "ORGANIZATION", "pattern": "United Nations", "id": "United Nations"},
    {"label": "ORGANIZATION", "pattern": "United Nations Security Council", "id": "United Nations Security Council"},
    {"label": "ORGANIZATION", "pattern": "Security Council", "id": "Security Council"},
    {"label": "COUNTRY", "pattern": "United States", "id": "United States"},
    {"label": "COUNTRY", "pattern": "United Kingdom", "id": "United Kingdom"},
    {"label": "PERSON", "pattern": "States Secretary", "id": "States Secretary"},
    {"label": "PERSON", "pattern": "Marco Rubio", "id": "Marco Rubio"},
    {"label": "PERSON_SHORT", "pattern": "Rubio", "id": "Rubio"},
    {"label": "PERSON", "pattern": "Donald Trump", "id": "Donald Trump"},
    {"label": "NORP", "pattern": "US", "id": "US"},
    {"label": "ORGANIZATION", "pattern": "Europäischen Kommission", "id": "Europäischen Kommission"},
    {"label": "X", "pattern": "a b c", "id": "abc"},
    {"label": "X", "pattern": "b c d", "id": "bcd"},
    {"label": "X", "pattern": "c d e", "id": "cde"},
    {"label": "X", "pattern": "d e f a", "id": "defa"},
    {"label": "X", "pattern": "c d", "id": "cd"},
]


def _ents(doc):
    return [(e.start, e.end, e.label_, e.ent_id_) for e in doc.ents], \
        [(t.ent_iob_, t.ent_type_, t.ent_id_) for t in doc]


def _pair(patterns, lang="en"):
    spacy_nlp = spacy.blank(lang)
    ruler = spacy_nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True,
                                                       "validate": False})
    ruler.add_patterns(patterns)
    kg_nlp = spacy.blank(lang)
    kg_nlp.add_pipe("kg_gazetteer_ruler", name="kg_gazetteer").add_patterns(patterns)
    return spacy_nlp, kg_nlp


@pytest.mark.parametrize("text", TEXTS)
def test_gazetteer_ruler_sets_the_entities_entity_ruler_sets(text):
    spacy_nlp, kg_nlp = _pair(PATTERNS)
    assert _ents(kg_nlp(text)) == _ents(spacy_nlp(text))


def test_gazetteer_ruler_overwrites_overlapping_entities_and_keeps_the_others():
    spacy_nlp, kg_nlp = _pair(PATTERNS)
    text = "Yesterday Marco Rubio and the Security Council of the United Nations met in Paris ."
    docs = []
    for nlp in (spacy_nlp, kg_nlp):
        doc = nlp.make_doc(text)
        doc.ents = [spacy.tokens.Span(doc, 0, 1, label="DATE"), spacy.tokens.Span(doc, 2, 4, label="PER"),
                    spacy.tokens.Span(doc, 5, 6, label="ORG"), spacy.tokens.Span(doc, 12, 13, label="GPE")]
        docs.append(nlp.get_pipe(nlp.pipe_names[0])(doc))
    assert _ents(docs[1]) == _ents(docs[0])


@pytest.mark.parametrize("lang", ["de", "en"])
def test_gazetteer_ruler_with_the_gazetteer_on_the_test_articles(lang):
    """The real patterns, tokenized by kg's tokenizer, on the test articles of that language."""
    nlp = get_pipeline(lang).nlp
    ruler = nlp.get_pipe("kg_gazetteer")
    assert isinstance(ruler, GazetteerRuler)
    texts = article_texts(lang)
    assert texts
    # an EntityRuler with only the patterns that occur in the texts (all 23,000 take long to add)
    patterns = [p for p in load_gazetteer(()).ruler_patterns(lang) if any(p["pattern"] in t for t in texts)]
    reference = spacy.blank(lang)
    reference.tokenizer = nlp.tokenizer
    er = reference.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True,
                                                     "validate": False})
    er.add_patterns(patterns)
    for text in texts:
        with nlp.select_pipes(disable=[n for n in nlp.pipe_names if n != "kg_gazetteer"]):
            got = nlp(text)
        assert _ents(got) == _ents(reference(text))


@pytest.mark.parametrize("lang", ["de", "en", "fr"])
def test_lookup_lemmatizer_sets_the_lemmas_spacys_lookup_lemmatizer_sets(lang):
    nlp = get_pipeline(lang).nlp
    assert isinstance(nlp.get_pipe("lemmatizer"), LookupLemmatizer)
    reference = spacy.blank(lang)
    reference.tokenizer = nlp.tokenizer
    reference.add_pipe("lemmatizer", config={"mode": "lookup"})
    reference.initialize()
    texts = article_texts(lang) + ["", "Die Präsidenten trafen sich. Les présidents se sont rencontrés."]
    for text in texts:
        with nlp.select_pipes(enable=["lemmatizer"]):
            got = nlp(text)
        assert [t.lemma_ for t in got] == [t.lemma_ for t in reference(text)]
    # a token that has a lemma keeps it (as with spaCy's default overwrite=False)
    doc = nlp.make_doc("Die Präsidenten trafen sich.")
    doc[1].lemma_ = "X"
    assert [t.lemma_ for t in nlp.get_pipe("lemmatizer")(doc)][:2] == \
        [reference("Die")[0].lemma_, "X"]


@pytest.mark.parametrize("lang,text,sentences", [
    ("de", "Am 18. August 2025. Die Lage blieb ruhig. Am 3. März 2024. März war kalt.",
     ["Am 18. August 2025.", "Die Lage blieb ruhig.", "Am 3. März 2024. März war kalt."]),
    ("en", 'He said: "We will come." Then he left. ... withdrawal. "Israel will go," he said.\n\n'
           "New paragraph (here.) And 3 more.",
     ['He said: "We will come."', "Then he left. ... withdrawal.", '"Israel will go," he said.\n\n',
      "New paragraph (here.)", "And 3 more."]),
])
def test_kg_sentences(lang, text, sentences):
    assert [s.text for s in get_pipeline(lang).nlp(text).sents] == sentences
