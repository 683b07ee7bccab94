"""Relations between entities: LEADER_OF / HOLDS_ROLE from titles, PART_OF from the gazetteer,
SEEKS_MEMBERSHIP, CLAIMS, OCCUPIES, ALLY_OF, MEMBER_OF from cue words (kg/data/lexicon)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache

from spacy.tokens import Doc

from kg.model import Evidence
from kg.nlp.entities import ArticleEntities, Mention, doc_tokens, title_positions
from kg.nlp.gazetteer import Gazetteer
from kg.nlp.lexicon import Lexicon

_DETS = {"der", "die", "das", "des", "dem", "den", "the", "a", "an", "'s", "’s", "s"}
_APPOSITION_SKIP = _DETS | {"the", "former", "ehemalige", "ehemaliger", "frühere"}


@dataclass
class RawRelation:
    type: str
    source: str
    target: str
    role: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 0.7


@dataclass
class RelationResult:
    relations: list[RawRelation]
    title_refs: dict[int, list[tuple[str, str]]]   # title token index -> [(person key, role)]


class RelationExtractor:
    def __init__(self, gaz: Gazetteer, lex: Lexicon, lang: str):
        self.gaz, self.lex, self.lang = gaz, lex, lang

    def extract(self, doc: Doc, ae: ArticleEntities, year: int | None) -> RelationResult:
        self.ae, self.year = ae, year
        self.tok = doc_tokens(doc)
        titles = title_positions(doc, self.lex, self.lang)
        self.by_token: dict[int, Mention] = {}
        for m in ae.mentions:
            for i in range(m.start, m.end):
                self.by_token[i] = m
        rels: list[RawRelation] = []
        title_refs: dict[int, list[tuple[str, str]]] = {}
        pending_titles = []
        covered = -1
        for i, hit in enumerate(titles):
            if not hit or i in self.by_token or i < covered:
                continue
            t_start, t_end, spec = hit
            covered = t_end
            person = self._person_for_title(t_start, t_end)
            ev = self._evidence(ae.sent_of_token[i])
            if person is None:
                pending_titles.append((t_start, t_end, spec))
                continue
            org = self._org_for_title(t_start, t_end, spec, person)
            title_refs[t_start] = [(person, spec["role"])]
            if org and org != person:
                rels.append(RawRelation(spec["relation"], person, org, spec["role"], [ev], 0.8))
        # a title without a name refers to a person introduced with it ("der US-Präsident")
        known = {(r.target, r.role): r.source for r in rels}
        by_role: dict[str, set[str]] = {}
        for r in rels:
            by_role.setdefault(r.role, set()).add(r.source)
        for t_start, t_end, spec in pending_titles:
            org = self._org_for_title(t_start, t_end, spec, None)
            person = known.get((org, spec["role"])) if org else None
            if person is None and org:
                # "der US-Präsident": the one person of the article whose office it is
                holders = [k for k, info in ae.entities.items() if info.type == "PERSON" and info.entry
                           and self._known_office(info.entry, spec) == org and info.named]
                if len(holders) == 1:
                    person = holders[0]
                    ev = self._evidence(ae.sent_of_token[t_start])
                    rels.append(RawRelation(spec["relation"], person, org, spec["role"], [ev], 0.7))
                    known[(org, spec["role"])] = person
            if person is None and len(by_role.get(spec["role"], ())) == 1:
                person = next(iter(by_role[spec["role"]]))
            if person:
                title_refs[t_start] = [(person, spec["role"])]
        for m in ae.mentions:  # a title inside a gazetteer name: "König Abdullah II.", "King Charles"
            info = ae.entities.get(m.key)
            if info is None or info.type != "PERSON" or info.entry is None or m.end - m.start < 2:
                continue
            hit = titles[m.start]
            if not hit or hit[1] >= m.end:
                continue
            spec = hit[2]
            org = spec.get("country") or self._known_office(info.entry, spec)
            if org and org != m.key:
                ev = self._evidence(ae.sent_of_token[m.start])
                rels.append(RawRelation(spec["relation"], m.key, org, spec["role"], [ev], 0.8))
        rels.extend(self._cue_relations())
        rels.extend(self._part_of())
        return RelationResult(relations=_dedupe(rels), title_refs=title_refs)

    def _evidence(self, sent: int) -> Evidence:
        start, end = self.tok.sents[sent]
        return Evidence.of_sentence(self.tok.span_text(start, end), self.tok.idx[start])

    # ------------------------------------------------------------------ titles
    def _person_at(self, i: int) -> str | None:
        m = self.by_token.get(i)
        if m and self.ae.entities[m.key].type == "PERSON":
            return m.key
        return None

    def _person_for_title(self, t_start: int, t_end: int) -> str | None:
        texts, lowers = self.tok.text, self.tok.lower
        n = len(texts)
        # directly after: "US-Präsident Donald Trump", "President Lee"
        p = self._person_at(t_end)
        if p:
            return p
        # after a comma: "Pressesprecherin des Weißen Hauses, Karoline Leavitt"
        j = t_end
        limit = min(n, t_end + 10)
        if j < n and (lowers[j] in self.lex.affiliation or texts[j] == ","):
            while j < limit and texts[j] != ",":
                if texts[j] in {".", ";", ":"}:
                    break
                j += 1
            if j < n - 1 and texts[j] == ",":
                p = self._person_at(j + 1)
                if p:
                    return p
        # apposition before: "Zhao Leji, chairman of ...", "Scholz, der Bundeskanzler"
        k = t_start - 1
        while k >= 0 and lowers[k] in _APPOSITION_SKIP:
            k -= 1
        if k >= 1 and texts[k] == ",":
            p = self._person_at(k - 1)
            if p:
                return p
        return None

    def _org_for_title(self, t_start: int, t_end: int, spec: dict, person: str | None) -> str | None:
        texts, lowers = self.tok.text, self.tok.lower
        n = len(texts)
        ents = self.ae.entities
        if spec.get("topic_prefix"):
            # "China-Expertin", "EU-Korrespondent": the prefix is the subject, not the employer
            j = t_end
            if j < n and lowers[j] in {"of", "des", "der", "von", "vom", "at", "bei", "beim"}:
                for x in range(j + 1, min(n, j + 8)):
                    if texts[x] in {",", ".", ";"}:
                        break
                    m = self.by_token.get(x)
                    if m and ents[m.key].type == "ORGANIZATION":
                        return m.key
            return None
        # compound: "US-Präsident", "NATO-Chef", "Kreml-Sprecher"
        if t_start >= 2 and texts[t_start - 1] == "-" and (t_start - 2) in self.by_token:
            m = self.by_token[t_start - 2]
            if ents[m.key].type in ("COUNTRY", "ORGANIZATION"):
                return m.key
        # just before: "Chinese President", "Dänemarks Regierungschefin", "der russischen Präsidenten"
        k = t_start - 1
        while k >= 0 and lowers[k] in _DETS:
            k -= 1
        if k >= 0 and k in self.by_token:
            m = self.by_token[k]
            if ents[m.key].type in ("COUNTRY", "ORGANIZATION") and m.key != person:
                return m.key
        # after: "Präsident der Ukraine", "chairman of the Standing Committee ...", "des Weißen Hauses"
        j = t_end
        if j < n and lowers[j] in {"of", "des", "der", "von", "vom", "for"}:
            for x in range(j + 1, min(n, j + 10)):
                if texts[x] in {",", ".", ";"}:
                    break
                m = self.by_token.get(x)
                if m and ents[m.key].type in ("COUNTRY", "ORGANIZATION"):
                    # longest organisation mention wins ("Standing Committee of the National People's Congress")
                    return m.key
        if spec.get("country"):
            return spec["country"]
        # the gazetteer knows the person's office
        info = ents.get(person) if person else None
        if info is not None and info.entry is not None:
            return self._known_office(info.entry, spec)
        return None

    def _known_office(self, entry, spec: dict) -> str | None:
        """The organisation of the person's gazetteer role that fits the title: "President Lee" is
        President of South Korea; a minister without a country is a minister of their country."""
        title = spec["role"].lower()
        roles = [r for r in entry.roles if r.org]
        fitting = [r for r in roles if title in r.title.lower() or r.title.lower() in title]
        for pool in (fitting, [r for r in roles if r.relation == spec["relation"]]):
            active = [r for r in pool if r.active(self.year)] or pool
            if active:
                return self._ministry_country(active[0].org, spec)
        if entry.country and (spec["relation"] == "HOLDS_ROLE" or any(r.relation == "LEADER_OF" for r in roles)):
            return entry.country
        return None

    def _ministry_country(self, org: str, spec: dict) -> str:
        """A minister holds a post of their country ("Foreign Minister Baerbock" -> Germany), not of
        the ministry the gazetteer files the office under; spokespeople and heads of other bodies
        keep the body ("Kremlin spokesman")."""
        entry = self.gaz.get(org)
        role = spec["role"].lower()
        if entry is not None and entry.kind == "government_body" and entry.country and \
                spec["relation"] == "HOLDS_ROLE" and ("minister" in role or "secretary" in role):
            return entry.country
        return org

    # ------------------------------------------------------------------ cue words
    def _cue_relations(self) -> list[RawRelation]:
        out = []
        cues = self.lex.relation_cues
        ents = self.ae.entities
        by_sent: dict[int, list[Mention]] = {}
        for m in self.ae.mentions:
            by_sent.setdefault(m.sent, []).append(m)
        lowers = self.tok.lower
        singles, _, multis = _cue_words(self.lex)
        for si, (start, end) in enumerate(self.tok.sents):
            ments = by_sent.get(si)
            if not ments:
                continue
            sent_text = self.tok.span_text(start, end)
            sent_low = sent_text.lower()
            firsts = _first_positions(lowers[start:end], self.lex if self.lang == "de" else None)
            if singles.isdisjoint(firsts[0]) and not firsts[1] and not any(w in sent_low for w in multis):
                continue   # no cue word in the sentence
            ev = None   # the sentence's evidence, one list shared by its relations
            for rtype, words in cues.items():
                pos = self._cue_position(start, words, sent_low, firsts)
                if pos is None:
                    continue
                if ev is None:
                    ev = [Evidence.of_sentence(sent_text, self.tok.idx[start])]
                countries = [m for m in ments if ents[m.key].type == "COUNTRY"]
                orgs = [m for m in ments if ents[m.key].type == "ORGANIZATION" and
                        (ents[m.key].entry is None or ents[m.key].entry.kind in (None, "igo", "alliance", "other"))]
                places = [m for m in ments if ents[m.key].type == "LOCATION"]
                if rtype in ("SEEKS_MEMBERSHIP", "MEMBER_OF") and countries and orgs:
                    org = _nearest(orgs, pos)
                    named = [c for c in countries if c.kind != "norp"] or countries
                    country = _nearest(named, pos)
                    out.append(RawRelation(rtype, country.key, org.key, None, ev, 0.6))
                elif rtype in ("CLAIMS", "OCCUPIES") and countries and places:
                    places = [p for p in places if self._territory(p.key)]
                    if not places:
                        continue
                    place = _nearest(places, pos)
                    claimant = _nearest([c for c in countries if not self._owner(place.key, c.key)] or countries, pos)
                    if not self._owner(place.key, claimant.key):
                        out.append(RawRelation(rtype, claimant.key, place.key, None, ev, 0.55))
                elif rtype == "ALLY_OF" and len({c.key for c in countries}) >= 2:
                    after = [c for c in countries if c.start > pos]
                    before = [c for c in countries if c.start < pos]
                    if after and before:
                        a, b = before[0], after[0]
                        if a.key != b.key:
                            out.append(RawRelation(rtype, a.key, b.key, None, ev, 0.55))
        return out

    def _cue_position(self, sent_start: int, words, sent_low, firsts) -> int | None:
        exact, suffixes = firsts
        for w in words:
            if " " in w:
                idx = sent_low.find(w)
                if idx >= 0:
                    char = self.tok.idx[sent_start] + idx
                    return self.tok.char_span_start(char, char + len(w))
                continue
            # the first token that is the word, or (German) a longer compound ending in a long word
            k = exact.get(w)
            if suffixes is not None and len(w) > 5:
                k2 = suffixes.get(w)
                if k2 is not None and (k is None or k2 < k):
                    k = k2
            if k is not None:
                return sent_start + k
        return None

    def _territory(self, key: str) -> bool:
        """Claims and occupations concern regions, islands, peninsulas, territories - not capitals."""
        entry = self.gaz.get(key)
        return entry is None or (entry.capital_of is None and entry.kind not in ("city", "sea", "continent"))

    def _owner(self, place: str, country: str) -> bool:
        entry = self.gaz.get(place)
        return bool(entry and entry.part_of == country)

    # ------------------------------------------------------------------ gazetteer
    def _part_of(self) -> list[RawRelation]:
        out = []
        ents = self.ae.entities
        for key, info in ents.items():
            if info.type != "LOCATION" or not info.entry or not info.named:
                continue
            parent = info.entry.part_of or info.entry.capital_of
            if parent and parent in ents and ents[parent].named:
                out.append(RawRelation("PART_OF", key, parent, None, [], 0.9))
        return out


def _first_positions(tokens: list[str], german: Lexicon | None) -> tuple[dict[str, int], dict[str, int] | None]:
    """For one sentence's lower-case tokens: where each token first occurs and, in German (the
    lexicon given), where each cue word of 6 letters or more first occurs as the ending of a token
    at least 3 letters longer than it (what :meth:`RelationExtractor._cue_position` looks for)."""
    exact: dict[str, int] = {}
    for k, tok in enumerate(tokens):
        exact.setdefault(tok, k)
    if german is None:
        return exact, None
    suffixes: dict[str, int] = {}
    for k, tok in enumerate(tokens):
        for w in _cue_endings(german, tok):
            suffixes.setdefault(w, k)
    return exact, suffixes


@cache
def _cue_words(lex: Lexicon) -> tuple[frozenset, tuple[str, ...], tuple[str, ...]]:
    """The lexicon's cue words: those of one word, the long ones among them (a German compound can
    end in them), the cues of several words."""
    words = [w for ws in lex.relation_cues.values() for w in ws]
    singles = frozenset(w for w in words if " " not in w)
    return singles, tuple(sorted(w for w in singles if len(w) > 5)), tuple(w for w in words if " " in w)


@lru_cache(maxsize=100_000)
def _cue_endings(lex: Lexicon, tok: str) -> tuple[str, ...]:
    """The long cue words a token ends in with 3 letters or more before them ("beitrittsantrag")."""
    return tuple(w for w in _cue_words(lex)[1] if len(tok) - len(w) >= 3 and tok.endswith(w))


def _nearest(ments: list[Mention], pos: int) -> Mention:
    return min(ments, key=lambda m: min(abs(m.start - pos), abs(m.end - pos)))


def _dedupe(rels: list[RawRelation]) -> list[RawRelation]:
    out: dict[tuple, RawRelation] = {}
    for r in rels:
        key = (r.type, r.source, r.target)
        if key in out:
            out[key].evidence.extend(e for e in r.evidence if e not in out[key].evidence)
            out[key].confidence = max(out[key].confidence, r.confidence)
            out[key].role = out[key].role or r.role
        else:
            out[key] = r
    return list(out.values())
