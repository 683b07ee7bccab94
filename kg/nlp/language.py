"""The spaCy pipeline per language: a trained pipeline when one is installed, else the built-in
offline pipeline (tokenizer + sentence rules + lookup lemmas + gazetteer phrase matcher).

Both get the same extra components, so both produce the same contract JSON:
- hyphenated compounds are split ("US-Präsident" -> "US", "-", "Präsident") so that the gazetteer
  finds names inside them;
- ``kg_sentences``: sentence starts at line breaks and after sentence-final years ("... 2025. Die");
- ``kg_gazetteer``, a :class:`GazetteerRuler` (spaCy's EntityRuler, cheaper) fed by the gazetteer
  (before ``ner`` when the pipeline has one, so gazetteer names win and the statistical NER adds
  the rest).
"""
from __future__ import annotations

import importlib.util
import re
from bisect import bisect_left
from pathlib import Path
from dataclasses import dataclass
from functools import cache

import numpy
import spacy
from spacy.attrs import IS_SPACE, LEMMA, LENGTH, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.strings import get_string_id
from spacy.tokenizer import Tokenizer
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex

from kg import config
from kg.nlp.gazetteer import load_gazetteer
from kg.nlp.lexicon import lexicon

_SENT_END = {".", "!", "?", "…", "…"}
_QUOTES = {'"', "“", "„", "»", "«"}
_CLOSERS = {'"', "“", "”", "»", "«", "'", "’", ")", "„"}


@dataclass(frozen=True)
class Pipeline:
    nlp: Language
    lang: str
    kind: str  # "trained:<name>" or "offline"

    @property
    def trained(self) -> bool:
        return self.kind.startswith("trained")


def installed_models() -> dict[str, str | None]:
    """Language -> the configured trained pipeline if it is installed (a package name such as
    de_core_news_md, or the path of a pipeline saved with nlp.to_disk)."""
    out = {}
    for lang, name in config.pipeline_models().items():
        if Path(name).expanduser().is_dir():
            out[lang] = str(Path(name).expanduser())
        else:
            try:
                out[lang] = name if importlib.util.find_spec(name) else None
            except (ImportError, ValueError):
                out[lang] = None
    return out


@Language.component("kg_sentences")
def kg_sentences(doc: Doc) -> Doc:
    """Sentence starts: after line breaks, after . ! ? (and closing quotes) before an upper-case
    word or an opening quote, and after a sentence-final year ("... 18. August 2025. Die ...")."""
    months = lexicon(doc.lang_).months_lower
    n = len(doc)
    if n == 0:
        return doc
    # Token attributes are read as arrays (a Token object per token is costly), and the result is
    # written in one go: setting Token.is_sent_start one token at a time makes spaCy rescan the
    # document each time (quadratic). Only the tokens after a mark (. ! ? …, a possible year
    # "2025.", whitespace) and those while a sentence end is pending are looked at: elsewhere no
    # sentence starts.
    strings = doc.vocab.strings
    cols = doc.to_array([ORTH, SPACY, LENGTH, IS_SPACE])
    marks = numpy.isin(cols[:, 0], _sent_end_ids()) | (cols[:, 2] == 5) | (cols[:, 3] == 1)
    orths, spaces = cols[:, 0].tolist(), cols[:, 1].tolist()
    marked = numpy.flatnonzero(marks).tolist()
    is_marked = marks.tolist()
    starts = [False] * n
    starts[0] = True
    ended: bool | str = False  # does the text before this token end a sentence?
    i = 1
    while i < n:
        if not ended and not is_marked[i - 1]:
            k = bisect_left(marked, i)   # the next mark: nothing starts before the token after it
            if k == len(marked):
                break
            i = marked[k] + 1
            continue
        prev, text = strings[orths[i - 1]], strings[orths[i]]
        is_space = text.isspace()
        if prev in _SENT_END:
            ended = True
        elif prev[-1:] == "." and _YEAR_END.fullmatch(prev):
            ended = "year"
        elif prev not in _CLOSERS and not prev.isspace():
            ended = False
        if prev in _QUOTES and starts[i - 1]:
            ended = False  # an opening quote starts the sentence; the word after it does not
        if "\n" in prev:   # (a token's whitespace_ is " " or "": line breaks are tokens)
            start = not is_space
        elif text in _QUOTES and ended and spaces[i - 1] and not spaces[i]:
            start = True  # an opening quote after a sentence: '... withdrawal. "Israel will ...'
        elif is_space or text in _CLOSERS:
            start = False
        elif ended == "year":
            start = text.istitle() and text.lower() not in months
        elif ended:
            start = text[:1].isupper() or text[:1] in '"„“»' or text[:1].isdigit()
        else:
            start = False
        starts[i] = start
        i += 1
    values = numpy.where(numpy.array(starts, dtype=bool), 1, -1).astype("uint64").reshape(n, 1)
    doc.from_array([SENT_START], values)
    return doc


@cache
def _sent_end_ids() -> numpy.ndarray:
    return numpy.array([get_string_id(s) for s in _SENT_END], dtype="uint64")


_YEAR_END = re.compile(r"(1[89]|20)\d\d\.")


def _split_hyphens(nlp: Language) -> None:
    infixes = list(nlp.Defaults.infixes or [])
    infixes.append(r"(?<=[A-Za-zÄÖÜäöüß0-9.])-(?=[A-ZÄÖÜ])")   # US-Präsident, NATO-Chef, Rahbek-Clemmensen
    infixes.append(r"(?<=[A-ZÄÖÜ]{2})-(?=[a-zäöüß])")           # NATO-geführt
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


class GazetteerRuler:
    """spaCy's EntityRuler as kg uses it (phrase patterns on ORTH with a label and an id each, found
    entities overwrite earlier ones), without its per-document costs: EntityRuler counts all of its
    ~23,000 patterns on every call, makes a Token for every token of every match and installs a
    warnings filter per document. The entities set are the same, in the same order of preference
    (longest match first, then the earlier one)."""

    def __init__(self, nlp: Language, name: str = "kg_gazetteer"):
        self.nlp = nlp
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._ent_ids: dict[int, tuple[str, str]] = {}  # match key -> (label, id)

    def add_patterns(self, patterns: list[dict]) -> None:
        """Patterns as for EntityRuler: {"label": ..., "pattern": "text", "id": ...}; the text is
        tokenized by the pipeline's tokenizer."""
        strings = self.nlp.vocab.strings
        docs = self.nlp.tokenizer.pipe(p["pattern"] for p in patterns)
        for p, pattern_doc in zip(patterns, docs):
            key = f"{p['label']}||{p['id']}"   # the key EntityRuler gives it
            self._ent_ids[strings.add(key)] = (p["label"], p["id"])
            self.matcher.add(key, [pattern_doc])

    def __call__(self, doc: Doc) -> Doc:
        matches = sorted({(key, start, end) for key, start, end in self.matcher(doc) if start != end},
                         key=lambda m: (m[2] - m[1], -m[1]), reverse=True)
        new_ents = []
        seen: set[int] = set()
        for key, start, end in matches:
            if start not in seen and end - 1 not in seen:
                label, ent_id = self._ent_ids[key]
                new_ents.append(Span(doc, start, end, label=label, span_id=ent_id))
                seen.update(range(start, end))
        old_ents = [e for e in doc.ents if not any(i in seen for i in range(e.start, e.end))]
        doc.set_ents(old_ents + new_ents, default="outside")
        return doc


@Language.factory("kg_gazetteer_ruler")
def _make_gazetteer_ruler(nlp: Language, name: str) -> GazetteerRuler:
    return GazetteerRuler(nlp, name)


def _add_gazetteer(nlp: Language, lang: str, gazetteer_files: tuple[str, ...]) -> None:
    gaz = load_gazetteer(gazetteer_files)
    before = "ner" if "ner" in nlp.pipe_names else None
    ruler = nlp.add_pipe("kg_gazetteer_ruler", name="kg_gazetteer", before=before)
    ruler.add_patterns(gaz.ruler_patterns(lang))


# chunks (whitespace-separated strings) whose tokenization the tokenizer remembers; spaCy's default
# of 10,000 is reached after a few hundred news articles, and a chunk not remembered costs about 25x
TOKENIZER_CACHE_SIZE = 100_000


def _fresh_tokenizer_cache(nlp: Language) -> None:
    """Give the tokenizer an empty cache of chunk tokenizations.

    The gazetteer's ~23,000 phrase patterns went through the tokenizer and filled its cache, which
    never evicts: every chunk of every article then took spaCy's slow path (3.6 instead of 0.2 ms
    per article). Setting the rules again (the same rules) makes new, empty tables."""
    tok = nlp.tokenizer
    if isinstance(tok, Tokenizer):
        tok.max_cache_size = max(tok.max_cache_size, TOKENIZER_CACHE_SIZE)
        tok.rules = dict(tok.rules)


class LookupLemmatizer:
    """spaCy's Lemmatizer in "lookup" mode (lemma = the form's entry in spacy-lookups-data's
    ``lemma_lookup`` table, else the form itself; tokens that have a lemma keep it), with the lemma
    of each distinct form looked up once per process and a document's lemmas written in one go
    instead of token by token."""

    def __init__(self, nlp: Language, name: str = "lemmatizer"):
        self.vocab = nlp.vocab
        self.name = name
        self.table = None
        self._lemma_of: dict[int, int] = {}   # orth -> lemma (string hashes)

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        """Loads the language's lookup table (ValueError when spacy-lookups-data has none)."""
        self.table = load_lookups(lang=self.vocab.lang, tables=["lemma_lookup"]).get_table("lemma_lookup")
        self._lemma_of = {}

    def _lemma(self, orth: int) -> int:
        text = self.vocab.strings[orth]
        found = self.table.get(text, text)
        lemma = self._lemma_of[orth] = self.vocab.strings.add(found if isinstance(found, str) else found[0])
        return lemma

    def __call__(self, doc: Doc) -> Doc:
        if self.table is None:
            raise ValueError(f"{self.name}: call nlp.initialize() first (no lookup table loaded)")
        if not len(doc):
            return doc
        lemma_of, lemma = self._lemma_of.get, self._lemma
        orths, lemmas = doc.to_array([ORTH, LEMMA]).T.tolist()
        new = [old or lemma_of(orth) or lemma(orth) for orth, old in zip(orths, lemmas)]
        doc.from_array([LEMMA], numpy.array(new, dtype="uint64"))
        return doc


@Language.factory("kg_lookup_lemmatizer")
def _make_lookup_lemmatizer(nlp: Language, name: str) -> LookupLemmatizer:
    return LookupLemmatizer(nlp, name)


def _offline(lang: str) -> Language:
    try:
        nlp = spacy.blank(lang)
    except Exception:  # an unknown language code: multi-language tokenizer
        nlp = spacy.blank("xx")
    try:
        nlp.add_pipe("kg_lookup_lemmatizer", name="lemmatizer")
        nlp.initialize()
    except Exception:  # no lookup table for this language
        if "lemmatizer" in nlp.pipe_names:
            nlp.remove_pipe("lemmatizer")
    return nlp


@cache
def get_pipeline(lang: str, gazetteer_files: tuple[str, ...] = ()) -> Pipeline:
    lang = (lang or "en").lower()
    name = None if config.offline_only() else installed_models().get(lang)
    if name:
        nlp = spacy.load(name)
        kind = f"trained:{name}"
    else:
        nlp = _offline(lang)
        kind = "offline"
    _split_hyphens(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kg_sentences", before="parser")
    elif "senter" in nlp.pipe_names:
        nlp.add_pipe("kg_sentences", before="senter")
    else:
        nlp.add_pipe("kg_sentences", first=True)
    _add_gazetteer(nlp, lang, gazetteer_files)
    _fresh_tokenizer_cache(nlp)
    return Pipeline(nlp=nlp, lang=lang, kind=kind)
