"""Mentions -> entities within one article.

Sources of mentions, strongest first:
1. the gazetteer pipe ``kg_gazetteer`` (names, short forms, adjectives/demonyms of countries);
2. titles and roles: "Pressesprecherin des Weißen Hauses, Karoline Leavitt", "Foreign Minister X";
3. a trained pipeline's NER (when installed);
4. capitalised-name patterns that start with a known first name ("Jon Rahbek-Clemmensen").
Then surnames later in the article resolve to the full name (unless two people share it), short
gazetteer forms resolve only when unambiguous, and junk (weekdays, months, sentence-initial words,
media in credits) never becomes an entity.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache, lru_cache

from spacy.attrs import IDX, IS_PUNCT, LEMMA, LOWER, ORTH, SENT_START, SPACY
from spacy.tokens import Doc

from kg.nlp.gazetteer import GazEntry, Gazetteer
from kg.nlp.lexicon import Lexicon

_GERMAN_NOUN_ENDINGS = ("ung", "heit", "keit", "schaft", "tion", "ität", "ismus", "körper", "kräfte", "zeug",
                        "gruppe", "ministerium", "behörde", "verband", "stiftung", "institut", "amt", "rat")
_NAME_PARTICLES = {"al", "el", "bin", "ibn", "abu", "bint", "von", "van", "de", "der", "den", "da", "di", "del",
                   "la", "le", "ben", "zu"}
NER_LABELS = {"PER": "PERSON", "PERSON": "PERSON", "ORG": "ORGANIZATION", "GPE": "LOCATION", "LOC": "LOCATION"}
_NAME_TOKEN = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.-]*$")


@dataclass
class Mention:
    start: int          # token index
    end: int
    sent: int           # sentence index
    key: str            # entity key
    kind: str           # name | short | norp | surname | title
    text: str


@dataclass
class EntityInfo:
    key: str
    type: str
    name: str
    entry: GazEntry | None = None
    surface: list[str] = field(default_factory=list)
    roles: list[tuple[str, dict, str | None, int]] = field(default_factory=list)  # (title text, spec, org key, sent)
    gender: str | None = None
    named: bool = False      # mentioned by name (not only by an adjective or title)

    @property
    def wikidata(self) -> str | None:
        return self.entry.wikidata if self.entry else None


@dataclass
class ArticleEntities:
    entities: dict[str, EntityInfo]
    mentions: list[Mention]
    sent_of_token: list[int]
    metonyms: set[int] = field(default_factory=set)   # starts of capital mentions that stand for the country

    def in_sentence(self, sent: int) -> list[Mention]:
        return [m for m in self.mentions if m.sent == sent]


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("ß", "ss").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@cache
def _first_names():
    import gender_guesser.detector as gd
    det = gd.Detector(case_sensitive=True)
    return det


@lru_cache(maxsize=65536)
def first_name_gender(token: str) -> str | None:
    """'m'/'f' for a known given name, 'x' for a given name of either gender, None if unknown
    (asked for the same words again and again: cached)."""
    if len(token) < 2 or not token[:1].isupper():
        return None
    g = _first_names().get_gender(token)
    if g in ("male", "mostly_male"):
        return "m"
    if g in ("female", "mostly_female"):
        return "f"
    if g == "andy":
        return "x"
    return None


class DocTokens:
    """What entities and relations read of a document's tokens, as plain lists indexed by token
    number, read once per document (:func:`doc_tokens`): ``doc[i]``, iterating over a Doc or Span,
    and ``Span.text`` create a spaCy Token object per token, and the rules ask for tokens thousands
    of times per article."""

    __slots__ = ("text", "lower", "lemma", "ws", "punct", "sent_start", "idx", "sents", "sent_of", "doc_text")

    def __init__(self, doc: Doc):
        strings = doc.vocab.strings
        if len(doc):
            cols = doc.to_array([ORTH, LOWER, LEMMA, SPACY, IS_PUNCT, SENT_START, IDX]).T.tolist()
        else:
            cols = [[] for _ in range(7)]
        orth, lower, lemma, ws, punct, sent_start, idx = cols
        self.text: list[str] = _decode(strings, orth)
        self.lower: list[str] = _decode(strings, lower)     # lower_
        self.lemma: list[str] = _decode(strings, lemma)     # lemma_ ("" when there is none)
        self.ws: list[int] = ws                             # 1: followed by a space (whitespace_), else 0
        self.punct: list[int] = punct                       # 1: is_punct, else 0
        self.sent_start: list[bool] = [x == 1 for x in sent_start]        # is_sent_start is True
        self.idx: list[int] = idx                                         # first character
        self.doc_text = "".join(t + " " if w else t for t, w in zip(self.text, self.ws))   # Doc.text
        self.sents: list[tuple[int, int]] = [(s.start, s.end) for s in doc.sents]
        self.sent_of: list[int] = [0] * len(doc)                          # token -> sentence number
        for si, (a, b) in enumerate(self.sents):
            self.sent_of[a:b] = [si] * (b - a)

    def __len__(self) -> int:
        return len(self.text)

    def span_text(self, start: int, end: int) -> str:
        """Span.text of tokens start..end-1 (without the last token's whitespace)."""
        return self.doc_text[self.idx[start]:self.idx[end - 1] + len(self.text[end - 1])] if end > start else ""

    def char_span_start(self, start_char: int, end_char: int) -> int | None:
        """``Doc.char_span(start_char, end_char, alignment_mode="expand").start``; None where that
        gives no span or an empty one."""
        first, last = self._token_by_char(start_char), self._token_by_char(end_char - 1)
        if first < 0 or last < 0:
            return None
        if start_char == self.idx[first] + len(self.text[first]):
            first += 1   # the space after a token is not part of it
        return first if last + 1 > first else None

    def _token_by_char(self, char: int) -> int:
        """The token whose text or trailing space holds the character, else -1."""
        k = bisect_right(self.idx, char) - 1
        if k < 0 or char >= self.idx[k] + len(self.text[k]) + self.ws[k]:
            return -1
        return k


_STRINGS: dict[int, str] = {}   # string-store hash -> string: decoding from the store makes a new str each time


def _decode(strings, ids: list[int]) -> list[str]:
    """``[strings[i] for i in ids]``, from a per-process table of the strings seen before."""
    try:
        return list(map(_STRINGS.__getitem__, ids))
    except KeyError:
        if len(_STRINGS) > 500_000:   # bounded: a long-running process sees endless words
            _STRINGS.clear()
        for i in ids:
            if i not in _STRINGS:
                _STRINGS[i] = strings[i]
        return list(map(_STRINGS.__getitem__, ids))


def doc_tokens(doc: Doc) -> DocTokens:
    """The document's :class:`DocTokens`, made at the first call."""
    cached = doc.user_data.get("kg_tokens")
    if cached is None or len(cached) != len(doc):
        cached = doc.user_data["kg_tokens"] = DocTokens(doc)
    return cached


def token_lowers(doc: Doc) -> list[str]:
    """Lower-case token texts, computed once per document (token access is costly)."""
    return doc_tokens(doc).lower


def title_at(doc: Doc, i: int, lex: Lexicon, lang: str):
    """(start, end, spec) of a title starting at token i, longest first; German compounds
    ("Pressesprecherin", "Außenministerin") match by their ending. Computed for every token of the
    document at the first call (entities and relations both ask for every token)."""
    return title_positions(doc, lex, lang)[i]


def title_positions(doc: Doc, lex: Lexicon, lang: str) -> list:
    """:func:`title_at` for every token of the document."""
    key = (id(lex), lang, len(doc))
    cached = doc.user_data.get("kg_titles")
    if cached is not None and cached[0] == key and cached[1] is lex:
        return cached[2]
    tokens = doc_tokens(doc)
    lowers = tokens.lower
    firsts = [t[:1] for t in tokens.text] if lang == "de" else None
    titles = lex.titles
    multi_first = _title_index(lex)[0]
    out = []
    for i, low in enumerate(lowers):
        hit = None
        if low in multi_first or " " in low:   # a title of several words can start here
            for n in range(lex.title_words_max, 1, -1):
                if i + n > len(lowers):
                    continue
                spec = titles.get(" ".join(lowers[i:i + n]))
                if spec:
                    hit = (i, i + n, spec)
                    break
        if hit is None:
            spec = titles.get(low)
            if spec:
                hit = (i, i + 1, spec)
            elif firsts is not None and low[:1] != firsts[i]:   # German, capitalised
                spec = _german_title(lex, low)
                if spec is not None:
                    hit = (i, i + 1, spec)
        out.append(hit)
    doc.user_data["kg_titles"] = (key, lex, out)
    return out


@lru_cache(maxsize=100_000)
def _german_title(lex: Lexicon, low: str) -> dict | None:
    """The title of a capitalised German word that is no title itself, answered once per word: an
    inflected form ("des Kanzlers", "dem Präsidenten", "der Experten") or a compound ending in a
    title ("Pressesprecherin")."""
    titles, suffix_keys = lex.titles, _title_index(lex)[1]
    for form in (low, low[:-1] if low.endswith("s") else None, low[:-2] if low.endswith(("en", "es")) else None,
                 low[:-1] if low.endswith("n") else None):
        if not form:
            continue
        if form in titles and form != low:
            return titles[form]
        if len(form) > 6:
            # the longest title (of 5 letters or more) that the form ends with, the form itself excepted
            for j in range(1, len(form) - 4):
                if form[j:] in suffix_keys:
                    return titles[form[j:]]
    return None


def ends_with_title(word: str, lex: Lexicon) -> bool:
    """A German compound ending in a title of 5 letters or more ("Pressesprecherin", "Außenministerin"),
    the title itself included."""
    keys = _title_index(lex)[1]
    return len(word) > 6 and any(word[j:] in keys for j in range(len(word) - 4))


@cache
def _title_index(lex: Lexicon) -> tuple[frozenset, frozenset]:
    """First words of the titles of several words; the titles of 5 letters or more (German
    compounds are matched by their ending)."""
    return (frozenset(k.split(" ")[0] for k in lex.titles if " " in k),
            frozenset(k for k in lex.titles if len(k) >= 5))


@lru_cache(maxsize=100_000)
def _name_like(lex: Lexicon, lang: str, t: str, lemma: str) -> bool:
    """Can the token (text t, lemma_) be part of a person's name? Answered once per form and lexicon."""
    if not _NAME_TOKEN.match(t) or t in lex.not_names:
        return False
    lower = t.lower()
    if lower in lex.months_lower or lower in lex.weekdays_lower or lower in lex.titles:
        return False
    if lex.triggers_for(lower, lemma or lower):
        return False
    if t.isupper() and len(t) > 3:  # acronyms/headline words are not names
        return False
    if lang == "de" and lower.endswith(_GERMAN_NOUN_ENDINGS):
        return False  # "Lieferung", "Stiftung", "Wissenschaft": common nouns
    return True


class EntityFinder:
    def __init__(self, gaz: Gazetteer, lex: Lexicon, lang: str):
        self.gaz = gaz
        self.lex = lex
        self.lang = lang

    # ------------------------------------------------------------------ entry point
    def find(self, doc: Doc, year: int | None) -> ArticleEntities:
        tok = self.tok = doc_tokens(doc)
        self.titles = title_positions(doc, self.lex, self.lang)
        texts = tok.text
        n = len(tok)
        sent_of = list(tok.sent_of)
        # (start, end, label, gazetteer form, text) of each entity of the doc (Doc.ents makes spans)
        doc_ents = [(e.start, e.end, e.label_, e.ent_id_, tok.span_text(e.start, e.end)) for e in doc.ents]
        ent_starts = {e[0] for e in doc_ents}
        ents: dict[str, EntityInfo] = {}
        mentions: list[Mention] = []
        taken = [False] * n
        pending_short: list[tuple[int, int, str, list]] = []

        def add(span_start, span_end, key, kind, etype, name, entry=None, gender=None):
            info = ents.get(key)
            if info is None:
                info = ents[key] = EntityInfo(key=key, type=etype, name=name, entry=entry,
                                              gender=gender or (entry.gender if entry else None))
            text = tok.span_text(span_start, span_end)
            if kind != "norp" and text not in info.surface:
                info.surface.append(text)
            if kind in ("name", "short", "surname"):
                info.named = True
            mentions.append(Mention(span_start, span_end, sent_of[span_start], key, kind, text))
            for i in range(span_start, span_end):
                taken[i] = True
            return info

        # 1. gazetteer
        full_names = set()
        gaz_ents = []
        for start, end, _, form, text in doc_ents:
            if not form:
                continue
            cands = self.gaz.candidates(form, self.lang)
            gaz_ents.append((start, end, text, cands))
            if any(k == "name" and e.type == "PERSON" for e, k in cands):
                full_names.update(e.id for e, k in cands if k == "name")
        for start, end, text, cands in gaz_ents:
            if not cands:
                continue
            if self._junk(text):
                continue
            names = [(e, k) for e, k in cands if k == "name"]
            shorts = [(e, k) for e, k in cands if k == "short"]
            norps = [(e, k) for e, k in cands if k == "norp"]
            if names:
                entry = self._pick(names, full_names, year)
                if entry is None:
                    continue
                country = self._descriptive_military(start, end, entry)
                if country is not None:  # "russische Streitkräfte", "Ukrainian forces": the country acts
                    add(start, end, country.id, "norp", country.type, country.name, country)
                    continue
                add(start, end, entry.id, "name", entry.type, entry.name, entry)
            elif shorts:
                pending_short.append((start, end, text, shorts))
            elif norps:
                entry = norps[0][0]
                add(start, end, entry.id, "norp", entry.type, entry.name, entry)
        # short forms of people: unambiguous, or the full name is in the article
        other_people: set[str] = set()   # surnames the article gives to someone the gazetteer does not know
        for start, end, text, shorts in pending_short:
            p = start - 1
            if p >= 0 and not taken[p] and not tok.sent_start[p] and self._is_name_token(p) and \
                    texts[p][:1].isupper() and all(texts[p] not in e.all_names()[0].split() for e, _ in shorts) and \
                    self.titles[p] is None and (self.lang != "de" or first_name_gender(texts[p]) is not None
                                                or self._title_before(p)):
                other_people.add(text)  # "Hamas-Sprecher Hasem Kassem": another person with that surname
        for start, end, text, shorts in pending_short:
            if text in other_people:
                continue  # resolved with the article's own full name (step 5)
            if end < n and not taken[end] and self._is_name_token(end) and texts[end][:1].isupper() and \
                    end not in ent_starts and first_name_gender(text) is None:
                continue  # "hero Kim Gu": another person who shares the surname
            in_article = [e for e, _ in shorts if e.id in full_names]
            if len(in_article) == 1:
                entry = in_article[0]
            elif len(shorts) == 1 and not in_article:
                entry = shorts[0][0]
            else:
                active = [e for e, _ in shorts if any(r.active(year) for r in e.roles)]
                entry = active[0] if len(active) == 1 and not in_article else None
            if entry is not None:
                add(start, end, entry.id, "short", entry.type, entry.name, entry)

        # 2. trained NER (if any) for what the gazetteer did not know
        for start, end, label, form, _ in doc_ents:
            if form or label not in NER_LABELS or any(taken[i] for i in range(start, end)):
                continue
            etype = NER_LABELS[label]
            trimmed = self._trim(start, end)
            if trimmed is None:
                continue
            start, end = trimmed
            text = tok.span_text(start, end)
            if self._junk(text) or text in self.lex.not_names:
                continue
            if etype == "PERSON" and end - start == 1:
                continue  # a lone surname: resolved against full names below
            add(start, end, f"{etype.lower()}:{slug(text)}", "name", etype, text)

        # 3. titles + names, 4. first-name patterns
        for start, end, title_info in self._titled_names(taken):
            self._add_person(start, end, add, ents, title_info, sent_of)
        for start, end in self._first_name_patterns(taken):
            self._add_person(start, end, add, ents, None, sent_of)

        # 5. surnames (and German genitives of them) -> the one person with that surname
        self._resolve_surnames(taken, ents, add)
        # capitals can stand for their country ("Beijing says ..."): have the country at hand
        for info in list(ents.values()):
            country = self.gaz.get(info.entry.capital_of) if info.entry and info.entry.capital_of else None
            if country is not None and country.id not in ents:
                ents[country.id] = EntityInfo(key=country.id, type=country.type, name=country.name, entry=country)
        mentions.sort(key=lambda m: m.start)
        return ArticleEntities(entities=ents, mentions=mentions, sent_of_token=sent_of)

    # ------------------------------------------------------------------ helpers
    # (token arguments are token numbers; self.tok holds the document's tokens)
    def _descriptive_military(self, start: int, end: int, entry: GazEntry) -> GazEntry | None:
        if entry.type != "ORGANIZATION" or entry.kind != "military" or not entry.country or end - start < 2:
            return None
        first = self.tok.text[start]
        if any(e.id == entry.country and k == "norp" for e, k in self.gaz.candidates(first, self.lang)):
            return self.gaz.get(entry.country)
        return None

    def _pick(self, names, full_names, year) -> GazEntry | None:
        if len(names) == 1:
            return names[0][0]
        people = [e for e, _ in names if e.type == "PERSON"]
        if people and len(people) == len(names):
            in_article = [e for e in people if e.id in full_names]
            active = [e for e in people if any(r.active(year) for r in e.roles)]
            if len(active) == 1:
                return active[0]
            return in_article[0] if len(in_article) == 1 else None
        # mixed types (e.g. a country and a region share a name): prefer country, org, location
        order = {"COUNTRY": 0, "ORGANIZATION": 1, "LOCATION": 2, "PERSON": 3}
        return sorted((e for e, _ in names), key=lambda e: order[e.type])[0]

    def _junk(self, text: str) -> bool:
        """Weekdays and months are never entities (a gazetteer alias 'May' or 'August' is a date)."""
        text = text.lower()
        return text in self.lex.months_lower or text in self.lex.weekdays_lower

    def _trim(self, start: int, end: int) -> tuple[int, int] | None:
        texts, not_names = self.tok.text, self.lex.not_names
        while start < end and (texts[start] in not_names or not texts[start][:1].isupper()):
            start += 1
        while end > start and (texts[end - 1] in not_names or self.tok.punct[end - 1]):
            end -= 1
        return (start, end) if end > start else None

    def _title_before(self, i: int) -> bool:
        j = i - 1
        while j >= 0 and self.tok.text[j] in {"-", ","}:
            j -= 1
        return j >= 0 and self.titles[j] is not None

    def _is_name_token(self, i: int) -> bool:
        return _name_like(self.lex, self.lang, self.tok.text[i], self.tok.lemma[i])

    def _name_run(self, i: int, taken, max_len: int = 4) -> int:
        """End index of a run of name tokens starting at i (hyphen-joined parts and name particles
        such as al-, bin, von, van, de allowed: "Majed al-Ansari", "Ursula von der Leyen")."""
        tok = self.tok
        texts, lowers, ws = tok.text, tok.lower, tok.ws
        n_tokens = len(texts)
        j = i
        n = 0
        while j < n_tokens and n < max_len:
            if n and lowers[j] in _NAME_PARTICLES and j + 1 < n_tokens and not taken[j + 1]:
                k = j
                while k < n_tokens and (lowers[k] in _NAME_PARTICLES or texts[k] == "-"):
                    k += 1
                if k < n_tokens and k - j <= 3 and self._is_name_token(k) and not taken[k]:
                    j = k
                    continue
                break
            if taken[j] or not self._is_name_token(j):
                break
            j += 1
            n += 1
            # hyphenated name parts: Rahbek-Clemmensen, Sung-lac
            while j + 1 < n_tokens and texts[j] == "-" and not ws[j] and \
                    not ws[j - 1] and texts[j + 1][:1].isalpha() and not taken[j + 1] and (
                        self._is_name_token(j + 1) or
                        (texts[j + 1].islower() and len(texts[j + 1]) <= 5 and len(texts[j - 1]) <= 6)):
                j += 2  # "Rahbek-Clemmensen", "Sung-lac"; not "Taurus-Lieferung"
            # (a token's whitespace_ is " " or "": line breaks are tokens of their own)
            if j < n_tokens and not ws[j - 1] and tok.punct[j]:
                break
        return j

    def _titled_names(self, taken):
        """(start, end, title info) for names that follow a title, possibly after a genitive or
        'of' phrase and a comma: "Pressesprecherin des Weißen Hauses, Karoline Leavitt"."""
        titles = self.lex.titles
        texts, lowers = self.tok.text, self.tok.lower
        n = len(texts)
        out = []
        for match in self.titles:
            if not match:
                continue
            t_start, t_end, spec = match
            j = t_end
            # skip a genitive / "of" phrase (up to 8 tokens) ending in a comma, or a direct comma
            k = j
            if k < n and lowers[k] in self.lex.affiliation:
                limit = min(n, k + 9)
                while k < limit and texts[k] not in {",", ".", ";", ":"}:
                    k += 1
                if k < n and texts[k] == "," and k + 1 < n:
                    j = k + 1
            elif k < n and texts[k] == ",":
                j = k + 1
            if j < n and taken[j]:
                continue  # the name is already known (a gazetteer person)
            end = self._name_run(j, taken)
            if end > j and (end - j >= 2 or self._plausible_single(j)):
                if texts[j][:1].isupper() and lowers[j] not in titles:
                    out.append((j, end, (t_start, t_end, spec)))
        return out

    def _plausible_single(self, j: int) -> bool:
        """A single capitalised token after a title is a surname only if it is not an ordinary noun."""
        text = self.tok.text[j]
        if self.lang == "de":
            return first_name_gender(text) is None and self.tok.lemma[j] == text and len(text) > 2 \
                and not text.endswith(("ung", "heit", "keit", "schaft", "ion", "tät"))
        return len(text) > 1

    def _add_person(self, start, end, add, ents, title_info, sent_of):
        text = self.tok.span_text(start, end)
        # genitive s in German ("Frederiksens") is not part of the name
        if self.lang == "de" and end - start >= 1 and text.endswith("s") and len(text) > 4:
            base = text[:-1]
            for info in ents.values():
                if info.type == "PERSON" and base in info.surface:
                    text = base
        existing = [i for i in ents.values() if i.type == "PERSON" and (text in i.surface or i.name == text)]
        if existing:
            info = existing[0]
            add(start, end, info.key, "name", "PERSON", info.name)
        else:
            gender = first_name_gender(self.tok.text[start])
            info = add(start, end, f"person:{slug(text)}", "name", "PERSON", text,
                       gender=gender if gender in ("m", "f") else None)
        if title_info:
            t_start, t_end, spec = title_info
            info.roles.append((self.tok.span_text(t_start, t_end), spec, None, sent_of[start]))

    def _first_name_patterns(self, taken):
        texts, lemmas = self.tok.text, self.tok.lemma
        out = []
        i = 0
        while i < len(texts):
            # (a given name is capitalised: most tokens are ruled out by their first letter)
            if taken[i] or not texts[i][:1].isupper() or not self._is_name_token(i) \
                    or first_name_gender(texts[i]) is None:
                i += 1
                continue
            end = self._name_run(i, taken)
            if end - i >= 2:
                # the surname part must not be an ordinary (German: lemmatised) noun or a known entity
                if not (self.lang == "de" and lemmas[end - 1] != texts[end - 1]
                        and "-" not in self.tok.span_text(i, end)):
                    out.append((i, end))
                i = end
            else:
                i += 1
        return out

    def _resolve_surnames(self, taken, ents, add) -> None:
        by_last: dict[str, list[str]] = {}
        for info in ents.values():
            if info.type != "PERSON":
                continue
            forms = set()
            for s in info.surface + [info.name]:
                parts = s.replace("-", " - ").split()
                if len(parts) >= 2:
                    forms.add(s.split()[-1])
            for f in forms:
                by_last.setdefault(f, [])
                if info.key not in by_last[f]:
                    by_last[f].append(info.key)
        if not by_last:
            return
        texts, ws = self.tok.text, self.tok.ws
        i = 0
        while i < len(texts):
            if taken[i] or not texts[i][:1].isupper():
                i += 1
                continue
            # hyphenated surname "Rahbek-Clemmensen" spans three tokens
            for n in (3, 1):
                if i + n > len(texts):
                    continue
                text = texts[i] if n == 1 else texts[i] + texts[i + 1] + texts[i + 2] \
                    if not ws[i] and not ws[i + 1] else None
                if text is None:
                    continue
                cand = by_last.get(text)
                if cand is None and self.lang == "de" and text.endswith("s"):
                    cand = by_last.get(text[:-1])
                if cand and len(cand) == 1 and not any(taken[i:i + n]):
                    info = ents[cand[0]]
                    add(i, i + n, info.key, "surname", "PERSON", info.name)
                    i += n - 1
                    break
            i += 1
