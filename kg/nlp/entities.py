"""Mentions -> entities within one article.

Sources of mentions, strongest first:
1. the gazetteer EntityRuler (names, short forms, adjectives/demonyms of countries);
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
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Span, Token

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


def first_name_gender(token: str) -> str | None:
    """'m'/'f' for a known given name, 'x' for a given name of either gender, None if unknown."""
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


def title_at(doc: Doc, i: int, lex: Lexicon, lang: str):
    """(start, end, spec) of a title starting at token i, longest first; German compounds
    ("Pressesprecherin", "Außenministerin") match by their ending. Computed for every token of the
    document at the first call (entities and relations both ask for every token)."""
    return _title_positions(doc, lex, lang)[i]


def _title_positions(doc: Doc, lex: Lexicon, lang: str) -> list:
    key = (id(lex), lang, len(doc))
    cached = doc.user_data.get("kg_titles")
    if cached is not None and cached[0] == key and cached[1] is lex:
        return cached[2]
    lowers = token_lowers(doc)
    firsts = [t[:1] for t in _texts(doc)] if lang == "de" else None
    titles = lex.titles
    multi_first, suffix_keys = _title_index(lex)
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
                hit = _german_title(i, low, titles, suffix_keys)
        out.append(hit)
    doc.user_data["kg_titles"] = (key, lex, out)
    return out


def _german_title(i: int, low: str, titles: dict, suffix_keys: frozenset):
    # inflected forms: "des Kanzlers", "dem Präsidenten", "der Experten"
    for form in (low, low[:-1] if low.endswith("s") else None, low[:-2] if low.endswith(("en", "es")) else None,
                 low[:-1] if low.endswith("n") else None):
        if not form:
            continue
        if form in titles and form != low:
            return i, i + 1, titles[form]
        if len(form) > 6:
            # the longest title (of 5 letters or more) that the form ends with, the form itself excepted
            for j in range(1, len(form) - 4):
                if form[j:] in suffix_keys:
                    return i, i + 1, titles[form[j:]]
    return None


def token_lowers(doc: Doc) -> list[str]:
    """Lower-case token texts, computed once per document (token access is costly)."""
    cached = doc.user_data.get("kg_lowers")
    if cached is None or len(cached) != len(doc):
        cached = doc.user_data["kg_lowers"] = [t.lower_ for t in doc]
    return cached


def _texts(doc: Doc) -> list[str]:
    """Token texts, computed once per document."""
    cached = doc.user_data.get("kg_texts")
    if cached is None or len(cached) != len(doc):
        cached = doc.user_data["kg_texts"] = [t.text for t in doc]
    return cached


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


class EntityFinder:
    def __init__(self, gaz: Gazetteer, lex: Lexicon, lang: str):
        self.gaz = gaz
        self.lex = lex
        self.lang = lang

    # ------------------------------------------------------------------ entry point
    def find(self, doc: Doc, year: int | None) -> ArticleEntities:
        sent_of = [0] * len(doc)
        for si, sent in enumerate(doc.sents):
            sent_of[sent.start:sent.end] = [si] * (sent.end - sent.start)
        doc_ents = list(doc.ents)  # Doc.ents builds new spans on every access
        ent_starts = {e.start for e in doc_ents}
        ents: dict[str, EntityInfo] = {}
        mentions: list[Mention] = []
        taken = [False] * len(doc)
        pending_short: list[tuple[Span, list]] = []

        def add(span_start, span_end, key, kind, etype, name, entry=None, gender=None):
            info = ents.get(key)
            if info is None:
                info = ents[key] = EntityInfo(key=key, type=etype, name=name, entry=entry,
                                              gender=gender or (entry.gender if entry else None))
            text = doc[span_start:span_end].text
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
        for ent in doc_ents:
            if not ent.ent_id_:
                continue
            cands = self.gaz.candidates(ent.ent_id_, self.lang)
            if any(k == "name" and e.type == "PERSON" for e, k in cands):
                full_names.update(e.id for e, k in cands if k == "name")
        for ent in doc_ents:
            if not ent.ent_id_:
                continue
            cands = self.gaz.candidates(ent.ent_id_, self.lang)
            if not cands:
                continue
            if self._junk_span(ent):
                continue
            names = [(e, k) for e, k in cands if k == "name"]
            shorts = [(e, k) for e, k in cands if k == "short"]
            norps = [(e, k) for e, k in cands if k == "norp"]
            if names:
                entry = self._pick(names, full_names, year)
                if entry is None:
                    continue
                country = self._descriptive_military(ent, entry)
                if country is not None:  # "russische Streitkräfte", "Ukrainian forces": the country acts
                    add(ent.start, ent.end, country.id, "norp", country.type, country.name, country)
                    continue
                add(ent.start, ent.end, entry.id, "name", entry.type, entry.name, entry)
            elif shorts:
                pending_short.append((ent, shorts))
            elif norps:
                entry = norps[0][0]
                add(ent.start, ent.end, entry.id, "norp", entry.type, entry.name, entry)
        # short forms of people: unambiguous, or the full name is in the article
        other_people: set[str] = set()   # surnames the article gives to someone the gazetteer does not know
        for ent, shorts in pending_short:
            prv = doc[ent.start - 1] if ent.start > 0 else None
            if prv is not None and not taken[prv.i] and not prv.is_sent_start and self._is_name_token(prv) and \
                    prv.text[:1].isupper() and all(prv.text not in e.all_names()[0].split() for e, _ in shorts) and \
                    self._title_at(doc, prv.i) is None and (self.lang != "de" or first_name_gender(prv.text) is not None
                                                             or self._title_before(doc, prv.i)):
                other_people.add(ent.text)  # "Hamas-Sprecher Hasem Kassem": another person with that surname
        for ent, shorts in pending_short:
            if ent.text in other_people:
                continue  # resolved with the article's own full name (step 5)
            nxt = doc[ent.end] if ent.end < len(doc) else None
            if nxt is not None and not taken[nxt.i] and self._is_name_token(nxt) and nxt.text[:1].isupper() and \
                    nxt.i not in ent_starts and first_name_gender(ent.text) is None:
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
                add(ent.start, ent.end, entry.id, "short", entry.type, entry.name, entry)

        # 2. trained NER (if any) for what the gazetteer did not know
        for ent in doc_ents:
            if ent.ent_id_ or ent.label_ not in NER_LABELS or any(taken[i] for i in range(ent.start, ent.end)):
                continue
            etype = NER_LABELS[ent.label_]
            span = self._trim(ent)
            if span is None or self._junk_span(span) or span.text in self.lex.not_names:
                continue
            if etype == "PERSON" and len(span) == 1:
                continue  # a lone surname: resolved against full names below
            add(span.start, span.end, f"{etype.lower()}:{slug(span.text)}", "name", etype, span.text)

        # 3. titles + names, 4. first-name patterns
        for start, end, title_info in self._titled_names(doc, taken):
            self._add_person(doc, start, end, add, ents, title_info, sent_of)
        for start, end in self._first_name_patterns(doc, taken):
            self._add_person(doc, start, end, add, ents, None, sent_of)

        # 5. surnames (and German genitives of them) -> the one person with that surname
        self._resolve_surnames(doc, taken, ents, add)
        # capitals can stand for their country ("Beijing says ..."): have the country at hand
        for info in list(ents.values()):
            country = self.gaz.get(info.entry.capital_of) if info.entry and info.entry.capital_of else None
            if country is not None and country.id not in ents:
                ents[country.id] = EntityInfo(key=country.id, type=country.type, name=country.name, entry=country)
        mentions.sort(key=lambda m: m.start)
        return ArticleEntities(entities=ents, mentions=mentions, sent_of_token=sent_of)

    # ------------------------------------------------------------------ helpers
    def _descriptive_military(self, ent: Span, entry: GazEntry) -> GazEntry | None:
        if entry.type != "ORGANIZATION" or entry.kind != "military" or not entry.country or len(ent) < 2:
            return None
        first = ent[0].text
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

    def _junk_span(self, span: Span) -> bool:
        """Weekdays and months are never entities (a gazetteer alias 'May' or 'August' is a date)."""
        text = span.text.lower()
        return text in self.lex.months_lower or text in self.lex.weekdays_lower

    def _trim(self, span: Span) -> Span | None:
        start, end = span.start, span.end
        doc = span.doc
        while start < end and (doc[start].text in self.lex.not_names or not doc[start].text[:1].isupper()):
            start += 1
        while end > start and (doc[end - 1].text in self.lex.not_names or doc[end - 1].is_punct):
            end -= 1
        return doc[start:end] if end > start else None

    def _title_before(self, doc: Doc, i: int) -> bool:
        j = i - 1
        while j >= 0 and doc[j].text in {"-", ","}:
            j -= 1
        return j >= 0 and self._title_at(doc, j) is not None

    def _is_name_token(self, tok: Token) -> bool:
        t = tok.text
        if not _NAME_TOKEN.match(t) or t in self.lex.not_names:
            return False
        lower = t.lower()
        if lower in self.lex.months_lower or lower in self.lex.weekdays_lower or lower in self.lex.titles:
            return False
        if self.lex.triggers_for(lower, tok.lemma_ or lower):
            return False
        if t.isupper() and len(t) > 3:  # acronyms/headline words are not names
            return False
        if self.lang == "de" and lower.endswith(_GERMAN_NOUN_ENDINGS):
            return False  # "Lieferung", "Stiftung", "Wissenschaft": common nouns
        return True

    def _name_run(self, doc: Doc, i: int, taken, max_len: int = 4) -> int:
        """End index of a run of name tokens starting at i (hyphen-joined parts and name particles
        such as al-, bin, von, van, de allowed: "Majed al-Ansari", "Ursula von der Leyen")."""
        j = i
        n = 0
        while j < len(doc) and n < max_len:
            tok = doc[j]
            if n and tok.lower_ in _NAME_PARTICLES and j + 1 < len(doc) and not taken[j + 1]:
                k = j
                while k < len(doc) and (doc[k].lower_ in _NAME_PARTICLES or doc[k].text == "-"):
                    k += 1
                if k < len(doc) and k - j <= 3 and self._is_name_token(doc[k]) and not taken[k]:
                    j = k
                    continue
                break
            if taken[j] or not self._is_name_token(tok):
                break
            j += 1
            n += 1
            # hyphenated name parts: Rahbek-Clemmensen, Sung-lac
            while j + 1 < len(doc) and doc[j].text == "-" and not doc[j].whitespace_ and \
                    not doc[j - 1].whitespace_ and doc[j + 1].text[:1].isalpha() and not taken[j + 1] and (
                        self._is_name_token(doc[j + 1]) or
                        (doc[j + 1].text.islower() and len(doc[j + 1].text) <= 5 and len(doc[j - 1].text) <= 6)):
                j += 2  # "Rahbek-Clemmensen", "Sung-lac"; not "Taurus-Lieferung"
            if j < len(doc) and ("\n" in doc[j - 1].whitespace_ or doc[j - 1].whitespace_ == ""
                                 and doc[j].is_punct):
                break
        return j

    def _titled_names(self, doc: Doc, taken):
        """(start, end, title info) for names that follow a title, possibly after a genitive or
        'of' phrase and a comma: "Pressesprecherin des Weißen Hauses, Karoline Leavitt"."""
        titles = self.lex.titles
        out = []
        for match in _title_positions(doc, self.lex, self.lang):
            if not match:
                continue
            t_start, t_end, spec = match
            j = t_end
            # skip a genitive / "of" phrase (up to 8 tokens) ending in a comma, or a direct comma
            k = j
            if k < len(doc) and doc[k].lower_ in self.lex.affiliation:
                limit = min(len(doc), k + 9)
                while k < limit and doc[k].text not in {",", ".", ";", ":"}:
                    k += 1
                if k < len(doc) and doc[k].text == "," and k + 1 < len(doc):
                    j = k + 1
            elif k < len(doc) and doc[k].text == ",":
                j = k + 1
            if j < len(doc) and taken[j]:
                continue  # the name is already known (a gazetteer person)
            end = self._name_run(doc, j, taken)
            if end > j and (end - j >= 2 or self._plausible_single(doc, j)):
                if doc[j].text[:1].isupper() and doc[j].lower_ not in titles:
                    out.append((j, end, (t_start, t_end, spec)))
        return out

    def _plausible_single(self, doc: Doc, j: int) -> bool:
        """A single capitalised token after a title is a surname only if it is not an ordinary noun."""
        tok = doc[j]
        if self.lang == "de":
            return first_name_gender(tok.text) is None and tok.lemma_ == tok.text and len(tok.text) > 2 \
                and not tok.text.endswith(("ung", "heit", "keit", "schaft", "ion", "tät"))
        return len(tok.text) > 1

    def _title_at(self, doc: Doc, i: int):
        return title_at(doc, i, self.lex, self.lang)

    def _add_person(self, doc, start, end, add, ents, title_info, sent_of):
        span = doc[start:end]
        text = span.text
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
            gender = first_name_gender(doc[start].text)
            info = add(start, end, f"person:{slug(text)}", "name", "PERSON", text,
                       gender=gender if gender in ("m", "f") else None)
        if title_info:
            t_start, t_end, spec = title_info
            info.roles.append((doc[t_start:t_end].text, spec, None, sent_of[start]))

    def _first_name_patterns(self, doc: Doc, taken):
        out = []
        i = 0
        while i < len(doc):
            tok = doc[i]
            if taken[i] or not self._is_name_token(tok) or first_name_gender(tok.text) is None:
                i += 1
                continue
            end = self._name_run(doc, i, taken)
            if end - i >= 2:
                # the surname part must not be an ordinary (German: lemmatised) noun or a known entity
                last = doc[end - 1]
                if not (self.lang == "de" and last.lemma_ != last.text and "-" not in doc[i:end].text):
                    out.append((i, end))
                i = end
            else:
                i += 1
        return out

    def _resolve_surnames(self, doc: Doc, taken, ents, add) -> None:
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
        texts = [t.text for t in doc]
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
                    if not doc[i].whitespace_ and not doc[i + 1].whitespace_ else None
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
