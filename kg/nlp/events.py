"""Trigger lexicons -> typed events with actors, targets, places, time, modality and evidence.

Works on the offline pipeline (no parser: word order, clause punctuation and cue words) and uses
the dependency parse of a trained pipeline for subjects when it is there.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.model import Evidence, Time
from kg.nlp import temporal
from kg.nlp.entities import ArticleEntities, EntityInfo, Mention
from kg.nlp.lexicon import Lexicon, Trigger

SPEECH_ACTS = {"REQUEST", "REJECT", "ACCUSE", "THREATEN", "AGREE", "SUPPORT"}
PHYSICAL = {"ASSAULT", "MOBILIZE", "COERCE", "AID", "SANCTION", "RETREAT", "PROTEST"}
_CLAUSE_BREAK = {",", ";", ":", "–", "—", "(", ")"}
_QUOTE_RE = re.compile(r"[\"„“”«»]([^\"„“”«»]{3,})[\"„“”«»]")
MIN_CONFIDENCE = 0.45


@dataclass
class RawEvent:
    type: str
    trigger: str
    trigger_i: int
    sent: int
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    time: Time | None = None
    modality: str = "asserted"
    confidence: float = 0.5
    quote: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    speech: bool = False

    def participants(self) -> set[str]:
        return set(self.actors) | set(self.targets) | set(self.locations)


class EventExtractor:
    def __init__(self, lex: Lexicon, lang: str):
        self.lex = lex
        self.lang = lang

    # ------------------------------------------------------------------ entry point
    def extract(self, doc: Doc, ae: ArticleEntities, published: dt.date | None,
                roles: dict[int, list[tuple[str, str]]] | None = None) -> list[RawEvent]:
        """roles: token index of a title -> [(person key, role)] from the relation stage."""
        self.doc, self.ae, self.roles = doc, ae, roles or {}
        ref = published
        self._ref = ref
        self._anchor = None
        events: list[RawEvent] = []
        sents = list(doc.sents)
        para_time: tuple[Time, int] | None = None   # last time seen in this paragraph
        anchor: dt.date | None = None                 # last day-precise date (for "later that day")
        last_person: dict[str, str] = {}              # gender -> last person key (pronouns)
        last_speaker: str | None = None
        for si, sent in enumerate(sents):
            if si and "\n\n" in doc.text[sents[si - 1].end_char:sent.start_char + 1]:
                para_time = None
            ments = [m for m in ae.in_sentence(si) if self._usable(m)]
            times = self._times(sent) if ref else []
            self._anchor = anchor
            triggers = self._triggers(sent, ments)
            sent_events: list[RawEvent] = []
            negators = [t for t in triggers if t[1].negates]
            for tok_i, trig, text in triggers:
                if trig.type == "SPEECH":
                    continue
                ev = self._build(sent, si, tok_i, trig, text, ments, times, negators, last_person, last_speaker,
                                 para_time)
                if ev is not None:
                    sent_events.append(ev)
            st = self._statement(sent, si, triggers, ments, times, last_person, last_speaker, sent_events, para_time)
            if st is not None:
                sent_events.append(st)
                last_speaker = st.actors[0]
            events.extend(sent_events)
            # discourse state
            for m in ments:
                info = ae.entities.get(m.key)
                if info and info.type == "PERSON":
                    if info.gender in ("m", "f"):
                        last_person[info.gender] = m.key
                    last_person["any"] = m.key
            resolved = [t for t in (ev.time for ev in sent_events) if t is not None]
            if resolved:
                para_time = (max(resolved, key=lambda t: _PREC_RANK[t.precision]), si)
                days = [t for t in resolved if t.precision == "day"]
                if days:
                    anchor = dt.date.fromisoformat(days[-1].value)
        return _merge(events)

    # ------------------------------------------------------------------ mentions
    def _usable(self, m: Mention) -> bool:
        info = self.ae.entities.get(m.key)
        if info is None:
            return False
        if info.entry is not None and info.entry.kind == "media":
            return False
        if m.kind == "norp" and self._modifies_title(m):
            return False
        return True

    def _modifies_title(self, m: Mention) -> bool:
        """'der ukrainische Präsident Selenskyj': the adjective describes the person's office."""
        doc = self.doc
        for j in range(m.end, min(m.end + 2, len(doc))):
            if doc[j].lower_ in self.lex.titles or (self.lang == "de" and _title_suffix(doc[j].lower_, self.lex)):
                return True
        return False

    # ------------------------------------------------------------------ triggers
    def _triggers(self, sent: Span, ments: list[Mention]) -> list[tuple[int, Trigger, str]]:
        doc = self.doc
        inside = {i for m in self.ae.mentions if m.sent == self.ae.sent_of_token[sent.start]
                  for i in range(m.start, m.end)}
        found: list[tuple[int, Trigger, str]] = []
        used: set[int] = set()
        toks = list(sent)
        for k, tok in enumerate(toks):
            if tok.i in used or tok.i in inside or tok.is_punct or tok.is_space:
                continue
            # multi-word forms
            hit = None
            for words, trigs in self.lex.multi.items():
                n = len(words)
                if tuple(t.lower_ for t in toks[k:k + n]) == words:
                    hit = (trigs, n)
                    break
            if hit:
                trigs, n = hit
                for t in trigs:
                    found.append((tok.i, t, doc[tok.i:tok.i + n].text))
                used.update(range(tok.i, tok.i + n))
                continue
            # separable verbs: stem ... particle
            for t in self.lex.split.get(tok.lower_, []):
                part = self._particle(toks, k, t.particle)
                if part is not None:
                    found.append((tok.i, t, f"{tok.text} … {part.text}"))
                    used.update({tok.i, part.i})
                    break
            else:
                trigs = self.lex.triggers_for(tok.lower_, tok.lemma_ or tok.lower_)
                if self.lang == "de" and trigs and tok.text[:1].islower() and trigs[0].lemma[:1].isupper():
                    trigs = []  # a noun trigger must be capitalised in German
                for t in trigs:
                    if t.with_words and not any(x.lower_ in t.with_words for x in toks[k + 1:k + 4]):
                        continue
                    if t.noun_only and k and toks[k - 1].lower_ in {"he", "she", "it", "who"}:
                        continue
                    found.append((tok.i, t, tok.text))
                    used.add(tok.i)
        return found

    def _particle(self, toks: list[Token], k: int, particle: str) -> Token | None:
        for tok in toks[k + 1:k + 16]:
            if tok.lower_ == particle and (self.lang != "de" or tok.i + 1 >= len(self.doc) or
                                          self.doc[tok.i + 1].is_punct or self.doc[tok.i + 1].lower_ in
                                          {"und", "oder", "aber", "sowie"}):
                return tok
            if self.lang == "en" and tok.i - toks[k].i > 3:
                break
            if tok.text in {";", ":"}:
                break
        return None

    # ------------------------------------------------------------------ event building
    def _build(self, sent, si, tok_i, trig: Trigger, text, ments, times, negators, last_person,
               last_speaker, para_time) -> RawEvent | None:
        if trig.participants_only:
            return None
        doc = self.doc
        ev = RawEvent(type=trig.type, trigger=text, trigger_i=tok_i, sent=si, confidence=trig.weight)
        entities = self.ae.entities
        people = [m for m in ments if entities[m.key].type != "LOCATION"]
        places = [m for m in ments if entities[m.key].type == "LOCATION" or self._as_place(m)]
        places_keys = _uniq(m.key for m in places)
        if trig.type == "CONSULT":
            actors = [m.key for m in people if entities[m.key].type == "PERSON" and m not in places]
            subj = self._subject(sent, tok_i, ments, last_person, last_speaker)
            if subj and subj not in actors:
                actors.insert(0, subj)
            if len(set(actors)) < 2:
                others = [m.key for m in people if m not in places and m.key not in actors]
                actors += others
            ev.actors = _uniq(actors)
            if len(ev.actors) >= 2 and not any(entities[a].type == "PERSON" for a in ev.actors[1:]):
                ev.targets = ev.actors[1:]
                ev.actors = ev.actors[:1]
            ev.locations = places_keys
        else:
            subj = self._subject(sent, tok_i, ments, last_person, last_speaker)
            if subj is None:
                return None
            ev.actors = [subj]
            after = [m.key for m in people if m.key != subj and m not in places]
            ev.targets = _uniq(after)
            ev.locations = places_keys
            if trig.type in PHYSICAL and not ev.targets and places_keys:
                ev.targets = places_keys[:1]
        if not ev.actors:
            return None
        if len(ev.participants()) < 2 and trig.weight < 0.7:
            return None
        ev.modality = self._modality(sent, tok_i, trig, negators)
        ev.time = self._pick_time(times, tok_i, ev.modality, para_time, si)
        ev.evidence = [Evidence(text=sent.text.strip(), start=sent.start_char, end=sent.end_char)]
        ev.speech = trig.speech
        conf = trig.weight
        if len(ev.participants()) >= 2:
            conf += 0.05
        if ev.time is not None:
            conf += 0.05
        ev.confidence = round(min(conf, 0.95), 2)
        if ev.confidence < MIN_CONFIDENCE:
            return None
        return ev

    def _as_place(self, m: Mention) -> bool:
        """A building used as a metonym is a place after a place preposition: 'im Weißen Haus'."""
        info = self.ae.entities[m.key]
        if info.entry is None or info.entry.alt_type != "LOCATION" or m.start == 0:
            return False
        prev = self.doc[m.start - 1].lower_
        prev2 = self.doc[m.start - 2].lower_ if m.start > 1 else ""
        return prev in {"im", "in", "ins", "at", "vor"} or (prev == "the" and prev2 in {"at", "in", "inside"})

    def _subject(self, sent: Span, tok_i: int, ments: list[Mention], last_person, last_speaker) -> str | None:
        doc = self.doc
        entities = self.ae.entities
        agents = [m for m in ments if entities[m.key].type != "LOCATION" or self._capital_as_country(m)]
        trig = doc[tok_i]
        # a trained parser knows the subject
        if trig.has_dep() if hasattr(trig, "has_dep") else False:
            for child in trig.children:
                if child.dep_ in ("nsubj", "sb", "nsubjpass"):
                    for m in agents:
                        if m.start <= child.i < m.end or any(m.start <= t.i < m.end for t in child.subtree):
                            return self._agent_key(m)
        before = [m for m in agents if m.end <= tok_i]
        clause_start = self._clause_start(sent, tok_i)
        # nearest agent before the trigger in its clause
        in_clause = [m for m in before if m.start >= clause_start and not self._is_object_of_prep(m)]
        if in_clause:
            # prefer a person, else the nearest
            persons = [m for m in in_clause if entities[m.key].type == "PERSON"]
            return self._agent_key((persons or in_clause)[-1] if not persons else persons[0])
        # pronoun or title right before the trigger ("er sagte", "der Präsident sagte")
        pr = self._pronoun_near(sent, tok_i, last_person)
        if pr:
            return pr
        # verb-second: "sagte Trump", "betonte die Pressesprecherin ..., Karoline Leavitt"
        after = [m for m in agents if m.start > tok_i and m.start - tok_i <= 12
                 and entities[m.key].type in ("PERSON", "COUNTRY", "ORGANIZATION")]
        if after and self._verb_first(sent, tok_i):
            return self._agent_key(after[0])
        if before:
            persons = [m for m in before if entities[m.key].type == "PERSON"]
            return self._agent_key(persons[-1] if persons else before[-1])
        return None

    def _agent_key(self, m: Mention) -> str:
        if self._capital_as_country(m):
            return self.ae.entities[m.key].entry.capital_of
        return m.key

    def _capital_as_country(self, m: Mention) -> bool:
        info = self.ae.entities.get(m.key)
        if not info or not info.entry or not info.entry.capital_of or info.entry.capital_of not in self.ae.entities:
            return False
        prev = self.doc[m.start - 1].lower_ if m.start else ""
        return prev not in {"in", "nach", "to", "im", "from", "aus", "at", "von", "for", "into"}

    def _is_object_of_prep(self, m: Mention) -> bool:
        if m.start == 0:
            return False
        j = m.start - 1
        while j > 0 and (self.doc[j].lower_ in {"der", "die", "das", "dem", "den", "des", "the", "a", "an"}
                         or self.ae.entities.get(m.key) and self.doc[j].pos_ == "ADJ"):
            j -= 1
        return self.doc[j].lower_ in {"mit", "with", "gegen", "against", "für", "for", "an", "to", "nach", "über",
                                      "about", "on", "von", "vom", "zu", "zum", "zur", "of", "in", "auf", "aus",
                                      "bei", "beim", "into", "from", "by", "between", "zwischen", "as", "als"}

    def _clause_start(self, sent: Span, tok_i: int) -> int:
        j = tok_i - 1
        while j > sent.start:
            if self.doc[j].text in _CLAUSE_BREAK:
                return j + 1
            j -= 1
        return sent.start

    def _verb_first(self, sent: Span, tok_i: int) -> bool:
        """German V2 / quote inversion: nothing agent-like before the verb in its clause."""
        return True

    def _pronoun_near(self, sent: Span, tok_i: int, last_person) -> str | None:
        doc = self.doc
        lo = max(sent.start, tok_i - 3)
        for j in range(tok_i - 1, lo - 1, -1):
            g = self.lex.pronouns.get(doc[j].lower_)
            if g and doc[j].lower_ not in {"his", "her", "seinem", "seinen", "seiner", "sein", "seine", "seines",
                                            "ihrem", "ihren", "ihrer", "ihre"}:
                return last_person.get(g) or last_person.get("any")
            if j in self.roles:  # "der US-Präsident sagte"
                return self.roles[j][0][0]
        for j in range(tok_i + 1, min(sent.end, tok_i + 3)):
            g = self.lex.pronouns.get(doc[j].lower_)
            if g and self.lang == "de" and doc[j].lower_ in {"er", "sie"}:
                return last_person.get(g) or last_person.get("any")
        return None

    def _modality(self, sent: Span, tok_i: int, trig: Trigger, negators) -> str:
        doc = self.doc
        lo = self._clause_start(sent, tok_i)
        hi = tok_i + 1
        while hi < sent.end and doc[hi].text not in _CLAUSE_BREAK and doc[hi].text != ".":
            hi += 1
        window = [t.lower_ for t in doc[max(lo, tok_i - 8):min(hi, tok_i + 6)]]
        clause_text = " ".join(t.lower_ for t in doc[lo:hi])
        sent_text = sent.text.lower()
        if not trig.negates:
            for neg_i, neg_t, _ in negators:
                if neg_i != tok_i and self._same_clause(sent, neg_i, tok_i):
                    return "negated"
            if any(w in self.lex.negation for w in window):
                return "negated"
        if any(p in sent_text for p in self.lex.reported_phrases):
            return "reported" if not trig.negates else "asserted"
        if self.lang == "de" and re.search(r"\bsoll(en)?\b.*\b(haben|sein|worden)\b", clause_text):
            return "reported"
        if any(w in self.lex.reported for w in window) and not trig.negates:
            return "reported"
        if trig.modality:
            return trig.modality
        if any(w in self.lex.hypothetical for w in window):
            return "hypothetical"
        if any(w in self.lex.planned for w in window):
            return "planned"
        return "asserted"

    def _same_clause(self, sent: Span, a: int, b: int) -> bool:
        lo, hi = sorted((a, b))
        return not any(self.doc[j].text in {";", ":"} or self.doc[j].lower_ in {"aber", "but", "jedoch"}
                       for j in range(lo, hi)) and hi - lo <= 14

    # ------------------------------------------------------------------ time
    def _times(self, sent: Span) -> list[tuple]:
        """Time phrases of a sentence with their character position in the article."""
        return [(ph, sent.start_char + ph.start) for ph in temporal.find_time_phrases(sent.text, self.lang)]

    def _pick_time(self, times, tok_i, modality, para_time, si) -> Time | None:
        ref = self._ref
        if not times:
            if para_time and modality in ("asserted", "reported") and si - para_time[1] <= 2:
                return para_time[0]
            return None
        tok_char = self.doc[tok_i].idx
        tense = "future" if modality == "planned" else "past"
        best = None
        for ph, pos in times:
            t = temporal.resolve(ph, self._anchor_for(ph), tense, self.lang)
            if t is None:
                continue
            dist = abs(pos - tok_char)
            key = (dist, -_PREC_RANK[t.precision])
            if best is None or key < best[0]:
                best = (key, t)
        return best[1] if best else None

    def _anchor_for(self, ph) -> dt.date:
        """'later that day' / 'am Vortag' count from the day the narrative is at, if any."""
        if ph.kind in ("same_day", "relative_day") and self._anchor is not None and \
                not re.search(r"gestern|heute|yesterday|today|morgen\b|tomorrow", ph.text, re.I):
            return self._anchor
        return self._ref

    # ------------------------------------------------------------------ statements
    def _statement(self, sent, si, triggers, ments, times, last_person, last_speaker, sent_events,
                   para_time) -> RawEvent | None:
        speech = [(i, t, x) for i, t, x in triggers if t.type == "SPEECH"]
        quote = _QUOTE_RE.search(sent.text)
        if not speech and not quote:
            return None
        if any(e.speech for e in sent_events):
            return None  # the typed speech act (demand, refusal, ...) is the statement
        tok_i = speech[0][0] if speech else None
        speaker = None
        if tok_i is not None:
            speaker = self._subject(sent, tok_i, ments, last_person, last_speaker)
        if speaker is None and quote and (speech or self._quote_attrib(sent)):
            speaker = last_speaker
        if speaker is None:
            return None
        info = self.ae.entities.get(speaker)
        if info is None or info.type == "LOCATION":
            return None
        ev = RawEvent(type="STATEMENT", trigger=speech[0][2] if speech else "“…”", trigger_i=tok_i or sent.start,
                      sent=si)
        ev.actors = [speaker]
        ev.targets = _uniq(m.key for m in ments if m.key != speaker and self.ae.entities[m.key].type != "LOCATION"
                           and not (speech and m.start <= speech[0][0] < m.end))
        ev.locations = _uniq(m.key for m in ments if self.ae.entities[m.key].type == "LOCATION")
        ev.quote = quote.group(1).strip() if quote else None
        ev.modality = "asserted"
        ev.time = self._pick_time(times, ev.trigger_i, "asserted", para_time, si)
        ev.evidence = [Evidence(text=sent.text.strip(), start=sent.start_char, end=sent.end_char)]
        ev.confidence = 0.7 if quote else 0.6
        return ev

    def _quote_attrib(self, sent: Span) -> bool:
        return bool(re.search(r"[\"“”»«]\s*,?\s*(so|sagte|said|says|erklärte)\b", sent.text))


_PREC_RANK = {"year": 0, "month": 1, "week": 2, "day": 3}


def _title_suffix(low: str, lex: Lexicon) -> bool:
    return len(low) > 6 and any(low.endswith(k) for k in lex.titles if len(k) >= 5)


def _uniq(items) -> list:
    return list(dict.fromkeys(items))


def _merge(events: list[RawEvent]) -> list[RawEvent]:
    """The same event stated twice in one article is one event with two evidence spans."""
    out: list[RawEvent] = []
    for ev in events:
        twin = None
        for o in out:
            if o.type != ev.type or o.modality != ev.modality:
                continue
            if ev.type == "STATEMENT":
                same = o.actors == ev.actors and abs(o.sent - ev.sent) <= 2
            else:
                same = set(o.actors) == set(ev.actors) and (
                    set(o.targets) == set(ev.targets) or ev.type == "CONSULT")
                if same and ev.type == "CONSULT" and o.time and ev.time and o.time.value != ev.time.value:
                    same = False
            if same and o.time and ev.time and o.time.value != ev.time.value and ev.type != "STATEMENT":
                same = False
            if same:
                twin = o
                break
        if twin is None:
            out.append(ev)
            continue
        twin.evidence.extend(e for e in ev.evidence if e not in twin.evidence)
        twin.targets = _uniq([*twin.targets, *ev.targets])
        twin.locations = _uniq([*twin.locations, *ev.locations])
        if twin.time is None or (ev.time and _PREC_RANK[ev.time.precision] > _PREC_RANK[twin.time.precision]):
            twin.time = ev.time or twin.time
        twin.quote = twin.quote or ev.quote
        twin.confidence = max(twin.confidence, ev.confidence)
    return out


def event_id(article_id: str, ev: RawEvent) -> str:
    key = "|".join([article_id, ev.type, ev.modality, ",".join(sorted(ev.actors)), ",".join(sorted(ev.targets)),
                    str(ev.evidence[0].start if ev.evidence else 0)])
    return "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
