"""Trigger lexicons -> typed events with actors, targets, places, time, modality and evidence.

Works on the offline pipeline (no parser: word order, clause punctuation, quotes and cue words)
and uses the dependency parse of a trained pipeline for subjects when there is one.

Per sentence:
1. triggers from the lexicon (lemmas, inflected forms, separable verbs, compound endings); a noun
   that only modifies another noun or names a purpose ("zur Unterstützung", "the end of the
   invasion") and a German participle used as an adjective ("die geforderten Garantien") are no
   events of their own;
2. the speaker: the subject of a speech verb outside quotes; what follows the speech verb (or
   stands in quotes) is the reported content, whose events do not include the speaker unless a
   pronoun points to them;
3. one event per trigger: participants from the entity mentions of the clause/sentence, actor by
   word order (or the parse), passive agents ("von russischen Streitkräften erobert"),
   pronouns, titles ("der US-Präsident") and capitals used for their country;
4. a speech act (demand, promise, threat, ...) absorbs the event it is about ("fordert den
   Rückzug" is one REQUEST); a refusal makes the event it governs `negated`;
5. a STATEMENT for a named speaker whose words are no typed act;
6. time: the nearest time phrase of the trigger's clause (not one inside a relative clause or after
   a participle), resolved with the tense of the event; otherwise the time of an occasion told
   earlier ("nach dem Telefonat"), of the scene or town the article put on a day, of a
   spokesperson's first dated briefing, or of the neighbouring sentences of the paragraph;
7. the same event told twice in an article is merged, keeping both evidence spans.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from operator import add, itemgetter

from spacy.attrs import ORTH
from spacy.tokens import Doc

from kg.model import Evidence, Time
from kg.nlp import temporal
from kg.nlp.entities import ArticleEntities, Mention, doc_tokens, ends_with_title
from kg.nlp.lexicon import Lexicon, Trigger

SPEECH_ACTS = {"REQUEST", "ACCUSE", "THREATEN", "AGREE"}
PHYSICAL = {"ASSAULT", "MOBILIZE", "COERCE", "AID", "SANCTION", "RETREAT", "PROTEST"}
_CLAUSE_BREAK = {",", ";", ":", "–", "—", "(", ")"}
_CLAUSE_BOUNDS = _CLAUSE_BREAK | {"dass", "that", "which", "while", "um", "weil", "because", "obwohl", "bevor",
                                  "before", "nachdem", "after", "wobei", "whereas"}   # see _clause_bounds
_QUOTE_CHARS = '"„“”«»'
_QUOTE_CHAR = re.compile(f"[{_QUOTE_CHARS}]")
MIN_CONFIDENCE = 0.5
_PREC_RANK = {"year": 0, "month": 1, "week": 2, "day": 3}
_DETS = {"der", "die", "das", "dem", "den", "des", "ein", "eine", "einen", "einem", "einer", "eines",
         "the", "a", "an", "this", "that", "its", "their", "his", "her", "sein", "seine", "seinem", "seinen",
         "seiner", "seines", "ihr", "ihre", "ihrem", "ihren", "ihrer", "ihres"}
_PURPOSE = {"zur", "zum", "für", "um", "for", "to", "toward", "towards", "against"}
_PREPS = {"mit", "with", "gegen", "against", "für", "for", "an", "to", "nach", "über", "about", "on", "von",
          "vom", "zu", "zum", "zur", "of", "in", "im", "auf", "aus", "bei", "beim", "into", "from", "by",
          "between", "zwischen", "as", "als", "at", "across", "near", "nahe", "around", "um"}
_PLACE_PREPS = {"in", "im", "nach", "to", "into", "at", "ins", "aus", "from", "vor", "near", "nahe", "across",
                "around"}
_PASSIVE_AUX = {"wurde", "wurden", "worden", "war", "waren", "was", "were", "been", "being", "is", "are", "ist",
                "sind", "wird", "werden"}
_BACKGROUND = {"hatte", "hatten", "bereits", "schon", "damals", "zuvor", "stets", "früher", "einst", "had",
               "previously", "already", "earlier", "once", "formerly", "ago", "vorher"}
_STATIC_PREPS = {"in", "im", "at"}   # where something happens (not "nach Berlin", "to Paris")
_AGENT_PREPS = {"von", "durch", "by"}
_COUNTRY_PAIRS = {"the two sides", "die beiden seiten", "beide seiten", "both governments", "beide regierungen",
                  "both countries", "the two countries", "both nations", "the two nations", "beide länder",
                  "beiden länder", "beiden ländern", "beide staaten", "beiden staaten", "both sides", "beide seiten",
                  "beiden seiten", "the two neighbours", "the two neighbors", "nuclear-armed neighbours",
                  "nuclear-armed neighbors"}
_TWO_PEOPLE = {"die beiden", "the two", "both leaders", "beide politiker", "the two leaders"}
_PAIR_FIRST_WORDS = {p.split(" ")[0] for p in _COUNTRY_PAIRS | _TWO_PEOPLE}   # where such a phrase can start
_AUXILIARIES = {"hat", "haben", "hatte", "hatten", "ist", "sind", "war", "waren", "wurde", "wurden", "has", "have",
                "had", "was", "were", "did", "will", "wird", "werden", "would", "würde"}
_PAST_MARKERS = {"had", "was", "were", "did", "hatte", "hatten", "war", "waren", "wurde", "wurden", "after",
                 "nachdem", "when", "als", "since", "seit", "ago"}
_IRREGULAR_PARTICIPLES = {"held", "signed", "struck", "begun", "taken", "made", "set", "built", "brought", "won",
                          "fought", "seen", "given", "sent", "shot", "hit", "left", "led", "met", "paid", "sold",
                          "spent", "told", "thrown", "written", "drawn", "broken", "chosen", "known", "shown"}
_SUBORDINATORS = {"if", "when", "that", "after", "because", "unless", "until", "before", "while", "whether", "once",
                  "dass", "wenn", "falls", "nachdem", "bevor", "weil", "ob", "sobald", "während"}
_LED = {"led", "backed", "-led", "-backed", "sponsored", "geführte", "geführten", "geführter", "gestützte",
        "gestützten", "unterstützte", "unterstützten"}   # "the Hamas-led attack": Hamas attacked
_GOVERNMENT_NOUNS = {"regierung", "government", "führung", "leadership", "behörden", "authorities", "officials",
                     "beamte", "administration", "regime", "kabinett", "cabinet", "staatsführung", "machthaber"}
_SUBJECT_PRONOUNS = {"er", "sie", "he", "she"}
_CLAUSE_OPENERS = {"dass", "that", "und", "and", "denn", "aber", "doch", "but", "so", '"', "„", "“", "(", "-", "–"}
_DUAL_NOUNS = {"attack", "attacks", "visit", "visits", "call", "calls", "strike", "strikes", "release", "support",
               "protest", "protests", "talk", "talks", "deal", "ban", "aid", "supplies", "promise", "pledge",
               "threat", "threats", "exercise", "drill", "veto", "retreat", "arrest", "arrests", "sanction"}
_ADJECTIVE_ENDING = re.compile(r"(e|en|er|es|em)$")
_PARTICIPLE_ENDING = re.compile(r"(t|en)(e|en|er|es|em)$")
# a relative day counted from the publication date even when the narrative has moved to another day
_DEICTIC_DAY = re.compile(r"gestern|heute|yesterday|today|tomorrow|^morgen|übermorgen|vorgestern|ago|vor ", re.I)
_SHOULD_HAVE = re.compile(r"\bsoll(en|te|ten)?\b.*\b(haben|sein|worden)\b")   # "soll ... angegriffen haben": hearsay
_QUOTED = re.compile(r"[\"„“”«»]([^\"„“”«»]{3,})[\"„“”«»]?")
_QUOTE_THEN_SAID = re.compile(r"[\"“”»«]\s*,?\s*(so|sagte|said|says|erklärte)\b")
_WORD = re.compile(r"\w+")
_FOUR_DIGITS = re.compile(r"\d{4}")
_NO_NOUN = {"kein", "keine", "keinen", "keinem", "keiner", "no", "without", "ohne"}   # "keine Gespräche"
_NOT_VERB = {"nicht", "nie", "niemals"}
_UNSEEN = object()   # a memo's "not computed yet" (None is a result)
_POSSESSIVES = {"seinem", "seinen", "seiner", "sein", "seine", "seines", "ihrem", "ihren", "ihrer", "ihre",
                "his", "her"}


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
    para: int = 0
    guessed: bool = False          # speaker taken from an earlier sentence (a quote without attribution)
    present: bool = False          # the trigger is a present-tense verb ("trifft", "presses")
    towns: list[str] = field(default_factory=list)   # towns it is told to happen in ("in Berlin")
    quoted: bool = False           # the trigger stands inside quotation marks

    def participants(self) -> set[str]:
        return set(self.actors) | set(self.targets) | set(self.locations)


_VOCAB_MEMOS: dict[int, tuple] = {}   # id(vocab) -> (vocab, lexeme flags); see _lexeme_flags
_MEMO_MAX = 300_000                   # entries per memo before it starts again (a long run sees endless words)


def _lexeme_flags(vocab) -> dict[int, tuple]:
    """Per spaCy vocabulary: orth hash -> (is_punct, is_space, is_alpha, like_num) of the lexeme.
    Each word of an article is a lexeme the process has mostly seen before: a dict look-up per
    token is cheaper than four more columns of Doc.to_array. A lexeme's attributes depend on the
    vocabulary's language (like_num), so there is one memo per vocabulary; the memo holds the
    vocabulary, whose id thus stays its own."""
    entry = _VOCAB_MEMOS.get(id(vocab))
    if entry is None:
        if len(_VOCAB_MEMOS) >= 8:   # pipelines are made once per process; tests make a few more
            _VOCAB_MEMOS.clear()
        entry = _VOCAB_MEMOS[id(vocab)] = (vocab, {})
    return entry[1]


def _lexeme_row(vocab, rows: dict[int, tuple], orth: int) -> tuple:
    """The row of _lexeme_flags for a word not seen yet."""
    if len(rows) >= _MEMO_MAX:
        rows.clear()
    lex = vocab[orth]
    row = rows[orth] = (lex.is_punct, lex.is_space, lex.is_alpha, lex.like_num)
    return row


class _Tokens:
    """What the rules read of a document's tokens, as plain lists indexed by token number, read
    once per document: every ``doc[i]``, ``span[j]`` or iteration over a span creates a spaCy
    Token object, and the rules ask for tokens tens of thousands of times per article. Texts,
    lemmas, offsets and sentence starts are those entities and relations read too
    (:func:`kg.nlp.entities.doc_tokens`, made once per document); the lexeme flags are added here."""

    __slots__ = ("text", "lower", "lemma", "idx", "end", "ws", "punct", "space", "alpha", "num", "pos",
                 "sent_start", "doc_text")

    def __init__(self, doc: Doc):
        base = doc_tokens(doc)
        rows = _lexeme_flags(doc.vocab)
        orth = doc.to_array(ORTH).tolist() if len(doc) else []
        get = rows.get
        lexemes = [get(h) or _lexeme_row(doc.vocab, rows, h) for h in orth]
        # one column at a time: zip(*lexemes) would hold an iterator per token at once, and so
        # many live objects make the garbage collector run once more per document
        punct, space, alpha, num = (list(map(itemgetter(k), lexemes)) for k in range(4))
        self.text: list[str] = base.text
        self.lower: list[str] = base.lower
        self.lemma: list[str] = [lem or low for lem, low in zip(base.lemma, base.lower)]  # lemma_ or lower_
        self.idx: list[int] = base.idx                                   # first character
        self.end: list[int] = list(map(add, base.idx, map(len, base.text)))  # character after the last one
        self.ws: list[bool] = list(map(bool, base.ws))                   # followed by a space (whitespace_)
        self.punct: list[bool] = punct
        self.space: list[bool] = space
        self.alpha: list[bool] = alpha
        self.num: list[bool] = num                                       # like_num
        self.sent_start: list[bool] = base.sent_start                    # is_sent_start
        # part of speech only from a trained tagger; the offline pipeline has none
        self.pos: list[str] = [t.pos_ for t in doc] if doc.has_annotation("POS") else [""] * len(doc)
        self.doc_text = base.doc_text                                    # Doc.text

    def __len__(self) -> int:
        return len(self.text)

    def span_text(self, start: int, end: int) -> str:
        """The text of tokens start..end-1 (Span.text: without the last token's whitespace)."""
        return self.doc_text[self.idx[start]:self.end[end - 1]] if end > start else ""

    def sentences(self) -> list[_Span]:
        """Doc.sents: a sentence starts at every token marked as a sentence start."""
        starts = [0, *(i for i in range(1, len(self.text)) if self.sent_start[i])]
        ends = [*starts[1:], len(self.text)]
        return [_Span(a, b, self.idx[a], self.end[b - 1], self.span_text(a, b)) for a, b in zip(starts, ends) if b > a]

    def at_char(self, char: int) -> int | None:
        """The token of a character (Doc.char_span(char, char + 1, alignment_mode="expand").start):
        the token that holds it, or the next one when it is the space after a token."""
        k = bisect_right(self.idx, char) - 1
        if k < 0 or char >= self.end[k] + self.ws[k]:
            return None
        return k + 1 if char == self.end[k] else k


@dataclass(frozen=True)
class _Span:
    """A sentence: token range, character range and text (what the rules used of a spaCy Span)."""
    start: int
    end: int
    start_char: int
    end_char: int
    text: str


@dataclass
class _Sentence:
    span: _Span
    index: int
    ments: list[Mention]
    quotes: list[tuple[int, int]]            # token ranges inside quotation marks
    triggers: list[tuple[int, Trigger, str]]
    speaker: str | None = None
    speech_i: int | None = None
    content_start: int | None = None          # first token of the reported content
    content_end: int | None = None            # end of it when it comes before the speech verb
    last_subject: str | None = None            # subject of the last verb (for coordinated verbs)
    occasions: list | None = None              # temporal.Occasion references, found when first needed
    clause_of: dict | None = None              # token -> clause number, computed when first needed
    relative: set | None = None                # tokens inside relative clauses, computed when first needed
    reported_phrase: bool = False              # a phrase of the lexicon's reported_phrases is in the sentence
    named: set[int] = field(default_factory=set)   # tokens of the entity mentions of the sentence
    # what the rules ask of `ments` (which do not change once the sentence is made), answered once:
    covered: set[int] = field(init=False)      # tokens inside one of the mentions
    starts: set[int] = field(init=False)       # first tokens of the mentions
    first_at: dict[int, Mention] = field(init=False)   # first token -> the first mention starting there
    agents: dict[tuple, list[Mention]] = field(default_factory=dict)   # see EventExtractor._subject_candidates
    evidence: Evidence | None = None           # the sentence as evidence, made when first needed (see _evidence)

    def __post_init__(self) -> None:
        self.covered = {i for m in self.ments for i in range(m.start, m.end)}
        self.first_at = {}
        for m in self.ments:
            self.first_at.setdefault(m.start, m)
        self.starts = set(self.first_at)

    def in_quote(self, i: int) -> bool:
        return bool(self.quotes) and any(a <= i < b for a, b in self.quotes)

    def in_content(self, i: int) -> bool:
        if self.in_quote(i):
            return True
        if self.content_start is None:
            return False
        return self.content_start <= i < (self.content_end if self.content_end is not None else 10 ** 9)


class EventExtractor:
    def __init__(self, lex: Lexicon, lang: str):
        self.lex = lex
        # German "an" is a preposition ("an die Ukraine"), not the English article
        self._dets = _DETS - {"an", "a"} if lang == "de" else _DETS
        self.lang = lang

    # ------------------------------------------------------------------ entry point
    def extract(self, doc: Doc, ae: ArticleEntities, published: dt.date | None,
                roles: dict[int, list[tuple[str, str]]] | None = None) -> list[RawEvent]:
        """roles: token index of a title -> [(person key, role)] from the relation stage."""
        self.doc, self.ae, self.roles = doc, ae, roles or {}
        self._parsed = doc.has_annotation("DEP")
        self.tok = _Tokens(doc)
        self._text = self.tok.doc_text
        self._low = self.tok.lower
        # the lexicon's triggers of every token (Lexicon.triggers_for, asked once per token instead of
        # once per rule that looks at it), and the tokens where a trigger can start (a word with
        # triggers, the first word of a multi-word trigger, a separable stem): only those can
        # start a trigger, and _triggers looks at no other token
        self._trigs = self.lex.triggers_of(self._low, self.tok.lemma)
        starts_multi, stems = self.lex.multi_by_first, self.lex.split
        self._trigger_starts = [i for i, (low, trigs) in enumerate(zip(self._low, self._trigs))
                                if trigs or low in starts_multi or low in stems]
        self._ref = published
        self._anchor: dt.date | None = None
        self.last_person: dict[str, str] = {}
        self.last_speaker: str | None = None
        self._person_history: list[str] = []
        self._para = self._last_speaker_para = 0
        events: list[RawEvent] = []
        self._prior = events  # the events of the sentences before the current one
        self._place_day: dict[str, Time] = {}  # town -> the first day the article puts it on
        self._speaker_day: dict[str, Time] = {}  # person -> the day the article first quotes them on
        self._casts: list[tuple[int, Time, set[str]]] = []  # scene paragraphs: (paragraph, day, people)
        self._sent_ments: dict[int, list[Mention]] = {}   # sentence -> its mentions, in order
        for m in ae.mentions:
            self._sent_ments.setdefault(m.sent, []).append(m)
        self._mention_starts = {m.start for m in ae.mentions}
        self._role_tokens = sorted(self.roles)   # tokens of titles, in order (see _references)
        self._pair_firsts = [i for i, w in enumerate(self._low) if w in _PAIR_FIRST_WORDS]   # "die beiden", "the two"
        self._title_after: dict[int, bool] = {}   # see _modifies_title
        self._capital_memo: dict[tuple[int, int, str], bool] = {}
        self._resolved: dict[tuple, Time | None] = {}   # see _resolve
        self._noun_memo: dict[tuple, bool] = {}          # see _is_noun_use
        self._mention_ending: dict[int, Mention] = {}   # end token -> the first mention ending there
        self._norp_ending: dict[int, Mention] = {}      # the same for adjectives of countries
        for m in ae.mentions:
            self._mention_ending.setdefault(m.end, m)
            if m.kind == "norp":
                self._norp_ending.setdefault(m.end, m)
        for m in ae.mentions:  # capitals that stand for their government, wherever they occur
            if self._capital_as_country(m):
                ae.metonyms.add(m.start)
        para_time: tuple[Time, int] | None = None
        sents = self._sents = self.tok.sentences()
        para = 0
        for si, span in enumerate(sents):
            if si and self._new_paragraph(sents[si - 1], span):
                para_time = None
                para += 1
            self._para = para
            named = {i for m in self._ments_of(si) for i in range(m.start, m.end)}   # tokens of its mentions
            refs = self._references(span, si, named)
            replaced = {m.start for m in refs if m.kind == "title"}
            # "die Dänin" named as Frederiksen: the person, no longer the country
            ments = [m for m in self._ments_of(si) if self._usable(m)
                     and not (m.kind == "norp" and m.start in replaced)] + refs
            ments.sort(key=lambda m: m.start)
            s = _Sentence(span, si, ments, self._quotes(span), [], named=named)
            low_text = span.text.lower()
            s.reported_phrase = any(p in low_text for p in self.lex.reported_phrases)
            s.triggers = self._triggers(s)
            self._find_speaker(s)
            times = self._times(span) if self._ref else []
            sent_events = self._events(s, times, para_time)
            st = self._statement(s, times, sent_events, para_time)
            if st is not None:
                sent_events.append(st)
            if s.speaker:
                self.last_speaker = s.speaker
                self._last_speaker_para = para
            for ev in sent_events:
                ev.para = para
            events.extend(_merge(sent_events, same_sentence=True))
            self._update_discourse(s)
            resolved = [ev.time for ev in sent_events if ev.time is not None and ev.time.text]
            if not resolved and times and not sent_events:
                resolved = self._scene_time(s, times)  # "Berlin am frühen Dienstagmorgen: ..."
                if resolved:
                    self._casts.append((para, resolved[0], set()))
            if self._casts and self._casts[-1][0] == para:  # who the scene shows
                self._casts[-1][2].update(m.key for m in ments if self._etype(m.key) == "PERSON")
            self._record_places(s, sent_events, resolved)
            if s.speaker and self._etype(s.speaker) == "PERSON":
                day = next((t for t in resolved if t.precision == "day" and t.text), None)
                if day is not None:
                    self._speaker_day.setdefault(s.speaker, day)
            if resolved:
                para_time = (max(resolved, key=lambda t: _PREC_RANK[t.precision]), si)
                days = [t for t in resolved if t.precision == "day"]
                if days:
                    self._anchor = dt.date.fromisoformat(days[-1].value)
        return _merge(_fold_headline(_attribute_quotes(self._lead_times(_inherit_times(self._context_times(events))))))

    def _background(self, ev: RawEvent) -> bool:
        """Told as background ("hatte ... stets abgelehnt", "had previously said")."""
        words = set(_WORD.findall(ev.evidence[0].text.lower())) if ev.evidence else set()
        return bool(words & _BACKGROUND)

    def _scene_time(self, s: _Sentence, times) -> list[Time]:
        """A sentence that tells no event but sets the scene ("Berlin am frühen Dienstagmorgen: ...")
        dates what its paragraph tells next: its day, read as past, when it is not after publication."""
        out = []
        for ph, _pos in times:
            t = self._resolve(ph, "past")
            if t is not None and t.precision == "day" and dt.date.fromisoformat(t.value) <= self._ref:
                out.append(t)
        return out[:1]

    def _record_places(self, s: _Sentence, sent_events: list[RawEvent], resolved: list[Time]) -> None:
        """Remember the day on which the article puts someone in a town ("in Berlin" on Tuesday)."""
        day = next((t for t in resolved if t.precision == "day"), None)
        if day is None:
            return
        towns = {m.key for m in s.ments if self._is_town(m.key) and (
            self._prev_word(m) in _STATIC_PREPS or m.start == s.span.start)}
        if sent_events and not any(ev.time is not None and ev.time.precision == "day" and ev.modality == "asserted"
                                   for ev in sent_events):
            return
        for p in towns:
            self._place_day.setdefault(p, day)

    def _is_town(self, key: str) -> bool:
        info = self.ae.entities.get(key)
        entry = info.entry if info is not None else None
        return entry is not None and entry.type == "LOCATION" and (entry.kind == "city" or bool(entry.capital_of))

    def _context_times(self, events: list[RawEvent]) -> list[RawEvent]:
        """Undated events of the body dated by what the article told before: an event in a town the
        article has put on a day ("sagte Frederiksen in Berlin" after "Berlin am Dienstagmorgen"), a
        meeting of people a scene showed together, a spokesperson's later words (the day of their
        first dated briefing)."""
        for ev in events:
            if ev.time is not None or ev.modality != "asserted" or ev.para <= 1:
                continue
            for p in ev.towns:
                t = self._place_day.get(p)
                if t is not None:
                    ev.time = Time(value=t.value, precision=t.precision, text=t.text)
                    break
            people = {p for p in [*ev.actors, *ev.targets] if self._etype(p) == "PERSON"}
            if ev.time is None and ev.type == "CONSULT" and len(people) >= 2:
                # "Die beiden schütteln sich die Hand" in the scene, "in einem Pressestatement mit
                # Scholz" later: a meeting of people the scene showed together is that scene's
                cast = next((c for c in self._casts if c[0] < ev.para and people <= c[2]), None)
                if cast is not None:
                    ev.time = Time(value=cast[1].value, precision=cast[1].precision, text=cast[1].text)
            t = self._speaker_day.get(ev.actors[0]) if ev.time is None and ev.actors else None
            if t is not None and ev.sent > 1 and not ev.quoted and not self._background(ev):
                # "teilte Sprecher Kornelius am Donnerstag mit ... wollte sich Kornelius nicht äußern":
                # what a spokesperson says later in the article was said at the same briefing
                ev.time = Time(value=t.value, precision=t.precision, text=t.text)
        return events

    def _lead_times(self, events: list[RawEvent]) -> list[RawEvent]:
        """A present-tense event of the headline or lead paragraph with no time happens on the day
        of publication ("Außenminister Wadephul trifft in Peking Wang Yi", "Ukraine presses NATO")."""
        if self._ref is None:
            return events
        for ev in events:
            if ev.time is None and ev.present and ev.para <= 1 and ev.modality == "asserted":
                ev.time = Time(value=self._ref.isoformat(), precision="day", text=None)
        return events

    def _references(self, span: _Span, si: int, taken: set[int]) -> list[Mention]:
        """Mentions without a name: a title standing for a person named before ("des Kanzlers",
        "the president") and "die beiden" / "the two leaders" for the last two people named.
        taken: the tokens of the sentence's mentions."""
        out = []
        if self.roles:
            roles = self._role_tokens
            for i in roles[bisect_left(roles, span.start):bisect_left(roles, span.end)]:
                if i not in taken and i + 1 not in self._mention_starts:
                    key = self.roles[i][0][0]
                    if key in self.ae.entities:
                        out.append(Mention(i, i + 1, si, key, "title", self.tok.text[i]))
        low = self._low[span.start:span.end]
        firsts = self._pair_firsts
        for i in firsts[bisect_left(firsts, span.start):bisect_left(firsts, span.end - 1)]:
            k = i - span.start
            pair = f"{low[k]} {low[k + 1]}"
            triple = f"{pair} {low[k + 2]}" if k + 2 < len(low) else ""
            if triple in _COUNTRY_PAIRS or pair in _COUNTRY_PAIRS:
                countries = self._recent_countries(si)
                if len(countries) >= 2:
                    out += [Mention(i, i + 2, si, c, "title", pair) for c in countries[:2]]
            elif pair in _TWO_PEOPLE:
                people = [p for p in self._recent_people() if p]
                if len(people) >= 2:
                    out += [Mention(i, i + 2, si, p, "title", pair) for p in people[:2]]
        if self.lang == "de":  # "die Dänin", "der Franzose": the person of that country named before
            for m in self._ments_of(si):
                if m.kind != "norp" or m.start == 0:
                    continue
                art = self._low[m.start - 1]
                if not ((art == "die" and m.text.endswith("in")) or (art == "der" and not m.text.endswith("en"))):
                    continue
                person = next((p for p in reversed(self._person_history)
                               if (self.ae.entities[p].entry and self.ae.entities[p].entry.country == m.key)), None)
                if person:
                    out.append(Mention(m.start, m.end, si, person, "title", m.text))
        if self.lang == "en":  # "after they met", "their second meeting": the two people just named
            named_here = list(dict.fromkeys(m.key for m in self._ments_of(si)
                                            if self.ae.entities[m.key].type == "PERSON"))
            pair_people = named_here if len(named_here) == 2 else []
            for k, w in enumerate(low):
                if w in {"they", "their", "them"} and pair_people:
                    i = span.start + k
                    out += [Mention(i, i + 1, si, p, "title", w) for p in pair_people]
        return out

    def _ments_of(self, si: int) -> list[Mention]:
        """The entity mentions of sentence si (ArticleEntities.in_sentence, computed once)."""
        return self._sent_ments.get(si, [])

    def _recent_countries(self, si: int) -> list[str]:
        """The last two countries named before this sentence (or earlier in it)."""
        seen: list[str] = []
        for m in sorted(self.ae.mentions, key=lambda m: -m.start):
            if m.sent > si or m.sent < si - 4:
                continue
            key = m.key
            if self.ae.entities[key].type == "LOCATION" and self.ae.entities[key].entry and \
                    self.ae.entities[key].entry.capital_of:
                key = self.ae.entities[key].entry.capital_of
            if key in self.ae.entities and self.ae.entities[key].type == "COUNTRY" and key not in seen:
                seen.append(key)
            if len(seen) == 2:
                break
        return seen

    def _recent_people(self) -> list[str]:
        return list(dict.fromkeys(reversed(self._person_history)))[:2]

    def _new_paragraph(self, prev: _Span, cur: _Span) -> bool:
        last = prev.end - 1
        while self.tok.space[last] and last > prev.start:
            last -= 1
        return "\n" in self._text[self.tok.end[last]:cur.start_char]

    def _update_discourse(self, s: _Sentence) -> None:
        for m in s.ments:
            info = self.ae.entities.get(m.key)
            if info and info.type == "PERSON":
                self._person_history.append(m.key)
                if info.gender in ("m", "f"):
                    self.last_person[info.gender] = m.key
                self.last_person["any"] = m.key

    # ------------------------------------------------------------------ mentions
    def _usable(self, m: Mention) -> bool:
        info = self.ae.entities.get(m.key)
        if info is None:
            return False
        if info.entry is not None and info.entry.kind == "media":
            return False
        if (m.kind == "norp" or info.type in ("COUNTRY", "ORGANIZATION")) and self._modifies_title(m):
            return False  # "der ukrainische Präsident", "US-Außenminister Rubio", "Russia's President"
        return True

    def _modifies_title(self, m: Mention) -> bool:
        """'der ukrainische Präsident Selenskyj': the adjective describes the person's office.
        Only the words after the mention count: remembered by its end in ``self._title_after``."""
        found = self._title_after.get(m.end)
        if found is None:
            found = self._title_after[m.end] = self._title_follows(m.end)
        return found

    def _title_follows(self, end: int) -> bool:
        """A title (or a German compound ending in one) is among the two words from token end on."""
        n = len(self._low)
        for j in range(end, min(end + 2, n)):
            low = self._low[j]
            if low in self.lex.titles or (self.lang == "de" and ends_with_title(low, self.lex)):
                return True
            if j + 1 < n and f"{low} {self._low[j + 1]}" in self.lex.titles:
                return True
        return False

    def _etype(self, key: str) -> str:
        return self.ae.entities[key].type

    # ------------------------------------------------------------------ quotes and speaker
    def _quotes(self, span: _Span) -> list[tuple[int, int]]:
        """Token ranges inside quotation marks. A mark is opening when a space (or the sentence
        start) is before it and none after it; a closing mark without an opening one closes a
        quote that began in an earlier sentence."""
        text = self._text
        texts = self.tok.text
        out, open_i = [], None
        if not _QUOTE_CHAR.search(span.text):
            return out   # no quotation mark in the sentence
        for i in range(span.start, span.end):
            word = texts[i]
            if not (word in _QUOTE_CHARS or (word[:1] in _QUOTE_CHARS and len(word) > 1)):
                continue
            idx = self.tok.idx[i]
            before = text[idx - 1] if idx > 0 else " "
            after = text[idx + len(word)] if idx + len(word) < len(text) else " "
            opening = word in "„«" or (word != "“" or self.lang != "de") and \
                (before.isspace() or before in "([—–-" or idx == span.start_char) and not after.isspace()
            if word == "“" and self.lang == "de":
                opening = False  # German „...“
            if opening and open_i is None:
                open_i = i
            elif not opening:
                out.append((open_i if open_i is not None else span.start, i + 1))
                open_i = None
        if open_i is not None:  # a quote running past the sentence end
            out.append((open_i, span.end))
        return out

    def _find_speaker(self, s: _Sentence) -> None:
        texts = self.tok.text
        speech = [(i, t, x) for i, t, x in s.triggers if t.type == "SPEECH" and not s.in_quote(i)
                  and self._speech_ok(s, i, t)]
        if not speech:
            return
        # prefer an inverted speech verb after a comma (", sagte Trump", ", teilte X mit", ", Naim said")
        inverted = [x for x in speech if self._after_comma(s, x[0])]
        i, trig, _ = (inverted or speech)[-1] if inverted else speech[0]
        s.speech_i = i
        if trig.attribution == "after":      # "according to X", "laut X", "nach Angaben von X"
            m = next((m for m in s.ments if i < m.start <= i + 6 and self._etype(m.key) != "LOCATION"), None)
            s.speaker = self._agent_key(m) if m else None
            self._subject_mention = m
        elif trig.attribution == "before":   # "X zufolge"
            m = next((m for m in reversed(s.ments) if i - 5 <= m.end <= i and self._etype(m.key) != "LOCATION"),
                     None)
            s.speaker = self._agent_key(m) if m else None
            self._subject_mention = m
        else:
            s.speaker = self._subject(s, i, content=False)
        m = getattr(self, "_subject_mention", None)
        if s.speaker is not None and (self._generic_speaker(s, i) or (m is not None and m.kind == "norp")):
            s.speaker = None  # nobody named speaks ("the official added", "die ukrainische Luftwaffe")
        if s.speaker is not None and self._negated_speech(s, i):
            s.speaker = None  # "wollte sich nicht äußern", "declined to comment"
        # the reported content
        if trig.attribution:
            s.content_start = s.span.start if trig.attribution == "before" or i > s.span.start + 2 else i + 1
            if trig.attribution == "after" and i <= s.span.start + 2:
                j = i + 1
                while j < s.span.end and texts[j] != ",":
                    j += 1
                m = self._subject_mention
                s.content_start = j + 1 if j < s.span.end else (m.end if m is not None else i + 1)
            return
        if self._after_comma(s, i):          # '..., teilte X mit': the content comes first
            s.content_start = s.span.start
            s.content_end = self._comma_before(s, i)
            return
        j = i + 1
        while j < s.span.end and texts[j] not in {",", ":"} and j - i < 12:
            j += 1
        if j < s.span.end and texts[j] in {",", ":"}:
            s.content_start = j + 1
        else:
            s.content_start = i + 1
        if s.quotes and s.quotes[0][1] <= i:  # '"...", sagte Trump': the quote is the content
            s.content_start = None

    def _speech_ok(self, s: _Sentence, i: int, trig: Trigger) -> bool:
        if not trig.quote_only:
            return True
        # "so" introduces a source only in ', so der Experte' / '", so Hoffmeister'
        prev = self.tok.text[i - 1] if i > s.span.start else ""
        return prev in {",", '"', "“", "”", "»", "«"} and any(i < m.start <= i + 4 for m in s.ments) or \
            (prev in {",", '"', "“", "”"} and any(j in self.roles for j in range(i + 1, min(s.span.end, i + 4))))

    def _after_comma(self, s: _Sentence, i: int) -> bool:
        """Is the speech verb with its subject a tail after a comma or closing quote?
        ('..., sagte Trump', '..., teilte Regierungssprecher X mit', '..., regional governor X said')"""
        tk = self.tok
        if self.lang == "en" and self._low[i].endswith("ing"):
            return False  # ", saying ...": a participle; the content follows, the subject is the main one
        subject_seen = False
        j = i - 1
        while j > s.span.start and i - j <= 8:
            text, low = tk.text[j], tk.lower[j]
            if text in {",", '"', "“", "”", "»", "«"}:
                return subject_seen or j == i - 1
            if j in s.covered or j in self.roles or \
                    low in self.lex.generic_speakers or text in self.lex.generic_speakers:
                subject_seen = True
            elif tk.punct[j] or self._trigs[j]:
                return False
            j -= 1
        return False

    def _comma_before(self, s: _Sentence, i: int) -> int:
        j = i - 1
        while j > s.span.start and self.tok.text[j] not in {",", '"', "“", "”", "»", "«"}:
            j -= 1
        return j

    def _negated_speech(self, s: _Sentence, i: int) -> bool:
        """'wollte sich nicht äußern', 'declined to comment', 'äußerte sich nicht'."""
        texts = self.tok.text
        lo = self._clause_start(s.span, i)
        hi = i + 1
        while hi < s.span.end and texts[hi] not in _CLAUSE_BREAK and hi - i < 6:
            hi += 1
        words = [self._low[j] for j in range(lo, hi) if not s.in_quote(j)]
        return any(w in {"nicht", "not", "declined", "refused", "weigerte", "no"} for w in words) and \
            any(w.startswith(("äußer", "comment", "kommentier", "stellung")) for w in words)

    def _generic_speaker(self, s: _Sentence, i: int) -> bool:
        """'a State Department official said', '..., the official added': nobody named speaks."""
        m = getattr(self, "_subject_mention", None)
        lo = self._clause_start(s.span, i)
        for j in [*range(lo, i), *range(i + 1, min(s.span.end, i + 4))]:
            if self._low[j] not in self.lex.generic_speakers and self.tok.text[j] not in self.lex.generic_speakers:
                continue
            if m is None:
                return True
            if m.end == j or m.end == j - 1:       # "State Department official": an org as modifier
                return True
            if m.start > j:                         # "spokesman Dmitry Peskov": the name follows
                continue
            if not (lo <= m.start < i or i < m.start < i + 12):
                return True
        return False

    # ------------------------------------------------------------------ triggers
    def _triggers(self, s: _Sentence) -> list[tuple[int, Trigger, str]]:
        tk, low, lex = self.tok, self._low, self.lex
        inside = s.named
        found: list[tuple[int, Trigger, str]] = []
        used: set[int] = set()
        start, end = s.span.start, s.span.end
        starts = self._trigger_starts
        for i in starts[bisect_left(starts, start):bisect_left(starts, end)]:
            if i in used or i in inside or tk.punct[i] or tk.space[i]:
                continue
            lower = low[i]
            hit = None
            for words in lex.multi_by_first.get(lower, ()):
                n = len(words)
                if tuple(low[i:min(i + n, end)]) == words:
                    hit = (lex.multi[words], n)
                    break
            if hit:
                trigs, n = hit
                for t in trigs:
                    found.append((i, t, tk.span_text(i, i + n)))
                used.update(range(i, i + n))
                continue
            matched = False
            for t in lex.split.get(lower, []):
                part = self._particle(s, i, t.particle)
                if part is not None:
                    found.append((i, t, f"{tk.text[i]} … {tk.text[part]}"))
                    used.update({i, part})
                    matched = True
                    break
            if matched:
                continue
            trigs = self._trigs[i]
            if not trigs:
                continue
            text = tk.text[i]
            if self.lang == "de":
                if text[:1].islower() and trigs[0].lemma[:1].isupper():
                    continue  # a German noun trigger is capitalised
                if text[:1].islower() and self._attributive(i):
                    continue
            if self.lang == "en" and text[:1].isupper() and not tk.sent_start[i] and i != start:
                continue  # "Secretary of State", "Defense": a capitalised word is a name, not a verb
            if trigs[0].type != "SPEECH" and self._modifier_noun(i, trigs[0]):
                continue
            if self.lang == "en" and lower.endswith("ing") and i + 1 < end and i > start and \
                    (low[i - 1] in self._dets or low[i - 1] in _POSSESSIVES) and \
                    tk.text[i + 1][:1].islower() and tk.alpha[i + 1] and low[i + 1] not in _PREPS \
                    and low[i + 1] not in self._dets and low[i + 1] not in {"and", "or", "that", "which"}:
                continue  # "negotiating team", "sanctioning body": a gerund modifying a noun
            for t in trigs:
                # a cue "@place" in `with` accepts a named town or region right after the trigger
                # ("missiles hit Kyiv"); other cues are words
                if t.with_words and not any(low[j] in t.with_words for j in range(i + 1, min(i + 4, end))) and not (
                        self.lang == "de" and any(low[j] in t.with_words for j in range(max(start, i - 4), i))) and not (
                        "@place" in t.with_words and self._place_after(s, i)):
                    continue
                if t.not_after and i > start and low[i - 1] in t.not_after:
                    continue
                if t.needs_object and not (i + 1 in s.starts or i + 2 in s.starts):
                    t = _as_speech(t)  # "warnt vor einem Blindflug": a warning said, no threat to anyone
                if t.noun_only and not self._is_noun_use(i, t, text, strict=True):
                    continue
                found.append((i, t, text))
                used.add(i)
                break
        return found

    def _genitive_agent(self, s: _Sentence, tok_i: int, text: str) -> Mention | None:
        j = tok_i + len(text.split())
        if j >= s.span.end or self._low[j] not in ({"der", "des"} if self.lang == "de" else {"by"}):
            return None
        j += 1
        while j < s.span.end and j - tok_i <= 5 and (self._low[j] in self._dets or self._is_adjective(j)):
            j += 1
        m = s.first_at.get(j)
        if m is not None and self._etype(m.key) in ("COUNTRY", "ORGANIZATION", "PERSON"):
            return m
        return None

    def _place_after(self, s: _Sentence, i: int) -> bool:
        j = i + 1
        while j < s.span.end and self._low[j] in self._dets:
            j += 1
        return any(m.start == j and self._etype(m.key) == "LOCATION" for m in s.ments)

    def _particle(self, s: _Sentence, i: int, particle: str) -> int | None:
        """The separable particle of the verb at token i ("teilte ... mit"): its token, if any."""
        tk = self.tok
        for j in range(i + 1, min(i + 16, s.span.end)):
            if tk.lower[j] == particle:
                if self.lang != "de":
                    return j
                if j + 1 >= len(tk) or tk.punct[j + 1] or tk.space[j + 1] or \
                        tk.lower[j + 1] in {"und", "oder", "aber", "sowie"}:
                    return j
            if self.lang == "en" and j - i > 3:
                break
            if tk.text[j] in {";", ":"}:
                break
        return None

    def _attributive(self, i: int) -> bool:
        """German participle used as an adjective: 'die von Selenskyj geforderten Garantien'."""
        tk = self.tok
        if i + 1 >= len(tk) or not tk.text[i + 1][:1].isupper() or tk.sent_start[i + 1] or \
                not _PARTICIPLE_ENDING.search(tk.lower[i]):
            return False
        if not i:
            return False
        # "die geforderten Garantien", "der von Selenskyj geforderten": after an article or an agent phrase
        if tk.lower[i - 1] in self._dets or self._is_adjective(i - 1):
            return True
        return any(self._low[j] in {"von", "vom"} for j in range(max(0, i - 4), i - 1))

    def _modifier_noun(self, i: int, trig: Trigger) -> bool:
        """A noun that names a purpose or modifies another noun is no event of its own:
        'zur Unterstützung der Ukraine', 'zur Beendigung der russischen Invasion', 'the end of the war'."""
        tk = self.tok
        if not (tk.text[i][:1].isupper() if self.lang == "de" else trig.lemma[:1].islower() and tk.pos[i] != "VERB"):
            return False
        if self.lang != "de" and not self._looks_nominal(i):
            return False
        j = i - 1
        while j >= 0 and (self._low[j] in self._dets or self._is_adjective(j)):
            j -= 1
        if j < 0:
            return False
        if tk.lower[j] in _PURPOSE:
            return True
        if self.lang == "de":
            # genitive attribute: "<Noun> der/des (adj) <trigger>"
            prev = tk.text[j]
            if j < i - 1 and self._low[j + 1] in {"der", "des", "eines", "einer"} and \
                    prev[:1].isupper() and not tk.sent_start[j] and prev not in {"Bei", "Nach", "Vor"}:
                return True
        else:
            if tk.lower[j] == "of":
                return True
        return False

    def _looks_nominal(self, i: int) -> bool:
        if self.tok.pos[i]:
            return self.tok.pos[i] in ("NOUN", "PROPN")
        prev = self._low[i - 1] if i else ""
        return prev in _DETS or prev in {"of", "'s", "’s"} or self.tok.text[i].endswith(("ion", "ment", "ance", "ence"))

    def _is_adjective(self, j: int) -> bool:
        if self.tok.pos[j] == "ADJ":
            return True
        if self.lang == "de":
            low = self._low[j]
            return self.tok.text[j][:1].islower() and bool(_ADJECTIVE_ENDING.search(low)) and \
                low not in {"den", "dem", "der", "des", "einen", "einem", "einer", "eines", "sein"}
        return False

    # ------------------------------------------------------------------ nouns
    def _is_noun_use(self, tok_i: int, trig: Trigger, text: str, strict: bool = False) -> bool:
        """Is the trigger at tok_i (words `text`) used as a noun? Asked several times per trigger
        (events, absorbers, modality, commentary): the answers are kept in ``self._noun_memo``,
        keyed by all they depend on (the trigger only counts by its lemma)."""
        key = (tok_i, text, strict, trig.lemma)
        found = self._noun_memo.get(key)
        if found is None:
            found = self._noun_memo[key] = self._is_noun_use_at(tok_i, trig, text, strict)
        return found

    def _is_noun_use_at(self, tok_i: int, trig: Trigger, text: str, strict: bool) -> bool:
        if self.lang == "de":  # the head is the last word: "gemeinsamen Pressestatement"
            return text.split()[-1][:1].isupper() and trig.lemma.split()[-1][:1].isupper() if text.strip() else False
        tk = self.tok
        low = text.lower()
        tok_low = tk.lower[tok_i]
        if not strict and low not in self.lex.nouns and tok_low not in self.lex.nouns:
            return False
        if tk.pos[tok_i]:
            return tk.pos[tok_i] in ("NOUN", "PROPN")
        if tok_low.endswith(("ed",)) or low in {"meet", "met"}:
            return False
        if not tok_i:
            return True
        prev = tk.lower[tok_i - 1]
        if strict:  # only after a determiner, possessive, number, adjective or agent: "the call", "summit talks"
            return prev in self._dets or tk.num[tok_i - 1] or prev in self.lex.light_verbs or prev in {
                "'s", "’s", "summit", "phone", "peace", "ceasefire", "bilateral", "trilateral", "direct", "indirect",
                "further", "new", "more", "fresh"} or self._mention_ending_at(tok_i) is not None or prev in _PREPS
        if tok_low in _DUAL_NOUNS:
            # "Israel attacks" / "he will visit" (verbs) vs "the attack", "an Israeli strike" (nouns)
            return prev in self._dets or tk.num[tok_i - 1] or prev in {"'s", "’s"} or \
                self._mention_ending_at(tok_i, norp_only=True) is not None or tk.text[tok_i - 1][:1].islower() and \
                prev not in {"to", "will", "would", "could", "can", "may", "might", "should", "must", "they",
                             "he", "she", "we", "i", "you", "who", "and", "not", "also", "did", "does", "do"}
        return True

    def _mention_ending_at(self, tok_i: int, norp_only: bool = False) -> Mention | None:
        ending = self._norp_ending if norp_only else self._mention_ending
        j = tok_i - 1
        while j >= 0 and (self.tok.text[j] in {"-", "'s", "’s"} or self._low[j] in _LED or
                          self._is_adjective(j) or self.tok.num[j]):
            if tok_i - j > 4:
                break
            m = ending.get(j + 1)
            if m is not None:
                return m
            j -= 1
        return ending.get(j + 1)

    def _present_tense(self, tok_i: int) -> bool:
        low = self._low[tok_i]
        if not self.tok.text[tok_i][:1].islower():
            return False
        span = self._sents[self.ae.sent_of_token[tok_i]]
        lo = max(span.start, tok_i - 10)
        if not _AUXILIARIES.isdisjoint(self._low[lo:min(span.end, tok_i + 6)]):
            return False  # "hat ... zugesagt", "had agreed": perfect or past
        if self.lang == "de":
            return low.endswith("t") and not low.startswith("ge") and not low.endswith(("te", "tet")) or \
                low in {"trifft", "bricht", "spricht", "droht", "fordert"}
        if self.lang == "en":
            return low.endswith("s") and not low.endswith(("ss", "ous", "ics")) and low not in self.lex.nouns
        return False

    def _commentary(self, s: _Sentence, tok_i: int, times) -> bool:
        """'..., said the German pledge mattered': a noun in someone's reported words that refers
        back to an event ('the pledge', 'der Angriff') without a time of its own is commentary;
        so is the definite object of another verb ('Wadephul begrüßte die Gespräche')."""
        verb_before = any(i < tok_i and not self._is_noun_use(i, t, x) and t.type != "SPEECH" and
                          self._same_clause(s.span, i, tok_i) for i, t, x in s.triggers)
        if not (s.in_content(tok_i) and s.speech_i is not None) and not verb_before:
            return False
        clause_of = self._clause_map(s)
        if any(clause_of.get(self._token_at(pos)) == clause_of.get(tok_i) for _, pos in times):
            return False
        j = tok_i - 1
        while j > s.span.start and (self._is_adjective(j) or
                                    any(m.start <= j < m.end and m.kind == "norp" for m in s.ments)):
            j -= 1
        return self._low[j] in {"the", "this", "that", "der", "die", "das", "dem", "den", "des", "diese",
                                      "dieser", "diesem", "diesen"}

    def _noun_supported(self, s: _Sentence, tok_i: int, text: str, times=()) -> bool:
        """A noun is an event with an agent ("Israeli airstrike", "Lee's summit", "seinem Treffen"),
        a partner ("talks with Xi", "Gespräch zwischen Selenskyj und Putin") or a light verb
        ("held talks", "Gespräche geführt"); "a ceasefire" or "the release of hostages" alone is not."""
        if self._mention_ending_at(tok_i) is not None:
            return True
        for j in range(tok_i - 1, max(s.span.start, tok_i - 4) - 1, -1):
            if self._low[j] in _POSSESSIVES or self._low[j] in {"their", "its", "ihrer", "ihren", "ihrem"}:
                return True
            if not (self._low[j] in self._dets or self._is_adjective(j) or self.tok.num[j] or self.tok.text[j] == "-"):
                break
        n = len(text.split())
        after = tok_i + max(1, n if " " in text else 1)
        link = {"with", "mit", "between", "zwischen", "among", "by", "von", "des", "der", "of", "on", "against",
                "gegen", "auf"}
        for j in range(after, min(s.span.end, after + 2)):
            if self._low[j] in link:
                for k in range(j + 1, min(s.span.end, j + 7)):
                    if self.tok.text[k] in _CLAUSE_BREAK:
                        break
                    if k in s.starts or k in self.roles:
                        return True
        lo = self._clause_start(s.span, tok_i)
        hi = min(s.span.end, tok_i + 8)
        window = self._low[max(lo, tok_i - 8):hi]
        if any(w in self.lex.light_verbs for w in window):
            return True
        # a caption: the event with its date ("Starmer and Macron during a meeting in London on Aug. 14, 2025")
        return any(ph.kind == "date" and _FOUR_DIGITS.search(ph.text) for ph, _ in times)

    # ------------------------------------------------------------------ events
    def _events(self, s: _Sentence, times, para_time) -> list[RawEvent]:
        out: list[RawEvent] = []
        typed = [(i, t, x) for i, t, x in s.triggers if t.type != "SPEECH" and not t.participants_only]
        negators = [(i, t) for i, t, _ in typed if t.negates]
        # "at the request of Pakistan": a demand named in a prepositional phrase frames the event, it
        # does not swallow it
        absorbers = [(i, t) for i, t, x in typed if t.speech and t.type in SPEECH_ACTS
                     and not ((self._is_noun_use(i, t, x) or self._low[i - 1] in self._dets) and self._in_pp(i))]
        built: dict[int, RawEvent] = {}
        for tok_i, trig, text in typed:
            if self._is_noun_use(tok_i, trig, text) and (
                    not self._noun_supported(s, tok_i, text, times) or self._commentary(s, tok_i, times)):
                continue
            ev = self._build(s, tok_i, trig, text, times, negators, para_time)
            if ev is not None:
                built[tok_i] = ev
        # "an Israeli airstrike ... killed 14", "russischer Angriff tötete sechs Menschen": the verb
        # tells what the attack named before it did - one event, whose actor is the attack's
        nominal = {i: ev for i, ev in built.items() if ev.type == "ASSAULT"
                   and self._is_noun_use(i, next(t for j, t, _ in typed if j == i), ev.trigger)}
        for tok_i, ev in list(built.items()):
            if ev.type != "ASSAULT" or tok_i in nominal:
                continue
            head = next((n for i, n in sorted(nominal.items(), reverse=True)
                         if i < tok_i and tok_i - i <= 12 and self._same_clause(s.span, i, tok_i)), None)
            if head is not None:
                head.targets = _uniq([*head.targets, *(p for p in [*ev.targets, *ev.actors] if p not in head.actors)])
                head.locations = _uniq([*head.locations, *ev.locations])
                head.time = head.time or ev.time
                del built[tok_i]
        for tok_i, ev in built.items():
            trig = next(t for i, t, _ in typed if i == tok_i)
            owner = None
            if not trig.speech and self._is_noun_use(tok_i, trig, ev.trigger):
                owner = next((built.get(i) for i, t in absorbers if i != tok_i and i in built
                              and self._same_clause(s.span, i, tok_i)), None)
            if owner is None and not self._is_noun_use(tok_i, trig, ev.trigger):
                # "demands that Ukraine withdraw its troops": what is demanded is the demand's content
                owner = next((built.get(i) for i, t in absorbers if i < tok_i and i in built and t.type == "REQUEST"
                              and any(self._low[j] in {"that", "dass"} for j in range(i + 1, tok_i))
                              and self._same_clause_or_content(s, i, tok_i)), None)
            if owner is None and trig.type == "CONSULT" and tok_i > s.span.start and self._low[tok_i - 1] in {"to", "zu", "um"}:
                # "met Sybiha in Geneva to discuss a ceasefire": the purpose of the meeting
                owner = next((e for i, e in built.items() if i < tok_i and e.type == "CONSULT" and e is not ev), None)
            if owner is None and self.lang == "en" and tok_i > s.span.start and self.tok.text[tok_i - 1] == "," \
                    and self._low[tok_i].endswith("ing"):
                # "announced sanctions on Tuesday, targeting dozens of tankers": the participle tells
                # more of the event before it
                owner = next((e for i, e in sorted(built.items(), reverse=True) if i < tok_i and e is not ev), None)
            if owner is None and trig.type not in PHYSICAL | {"CONSULT"}:
                # "wies den Vorwurf zurück": the accusation is what is rejected, not a new event
                owner = next((built.get(i) for i, t in negators if i != tok_i and i in built
                              and self._same_clause(s.span, i, tok_i)), None)
            if owner is None and trig.speech and trig.type in SPEECH_ACTS and len(built) > 1 and \
                    self._low[tok_i - 1] in self._dets and self._in_pp(tok_i):
                continue  # "will hold consultations at the request of Pakistan": the frame of the meeting
            if owner is not None:  # "fordert den Rückzug ..." is one REQUEST
                owner.targets = _uniq([*owner.targets, *(p for p in [*ev.actors, *ev.targets]
                                                         if p not in owner.actors)])
                owner.locations = _uniq([*owner.locations, *ev.locations])
                continue
            out.append(ev)
        return out

    def _build(self, s: _Sentence, tok_i: int, trig: Trigger, text: str, times, negators,
               para_time) -> RawEvent | None:
        ev = RawEvent(type=trig.type, trigger=text, trigger_i=tok_i, sent=s.index, confidence=trig.weight)
        in_content = s.in_content(tok_i) and s.speech_i is not None and tok_i != s.speech_i
        ments = s.ments
        if in_content:  # the reporter is not a participant of what they report
            ments = [m for m in ments if m.key != s.speaker or self._pronoun_before(m)]
            ments = [m for m in ments if s.in_content(m.start)] or ments
        places, agents = [], []
        for m in ments:   # (equal mentions are alike: a mention is either a place or an agent)
            (places if self._is_place(m, trig) else agents).append(m)
        places_keys = _uniq(self._as_place_key(m) for m in places)
        passive_agent = self._passive_agent(s, tok_i, agents)
        if trig.type == "CONSULT":
            lo, hi = self._clause_bounds(s, tok_i)
            agents = [m for m in agents if lo <= m.start < hi]
            places = [m for m in places if lo <= m.start < hi]
            places_keys = _uniq(m.key for m in places)
            actors = [m.key for m in agents if self._etype(m.key) == "PERSON"]
            owner = self._possessive_owner(s, tok_i)
            subj = passive_agent or self._subject(s, tok_i, content=in_content)
            for extra in (owner, subj):
                if extra and extra not in actors:
                    actors.insert(0, extra)
            if len(actors) < 2:  # a visit or talks with a country / organisation
                actors += [self._agent_key(m) for m in agents + [p for p in places
                                                                 if self._etype(p.key) == "COUNTRY"]
                           if self._agent_key(m) not in actors]
            ev.actors = _uniq(actors)
            if not any(self._etype(a) == "PERSON" for a in ev.actors) and len(ev.actors) < 2 and not (
                    ev.actors and self._etype(ev.actors[0]) == "ORGANIZATION" and (
                        places or self._light_verb_before(s, tok_i))):
                return None  # a body that meets needs a place or "hold/convene": "the Council will hold consultations"
            if len(ev.actors) >= 2 and not any(self._etype(a) == "PERSON" for a in ev.actors[1:]) and \
                    self._etype(ev.actors[0]) == "PERSON":
                ev.targets = ev.actors[1:]
                ev.actors = ev.actors[:1]
            # "departed for China for summit talks with Xi": the country visited is what it is about
            ev.targets = _uniq([*ev.targets, *(self._agent_key(m) for m in agents
                                               if self._agent_key(m) not in ev.actors
                                               and self._etype(m.key) != "PERSON" and m.kind != "norp")])
            ev.locations = places_keys
        else:
            noun = self._is_noun_use(tok_i, trig, text)
            agent = self._mention_ending_at(tok_i) if noun else None
            if agent is None and noun and trig.type == "ASSAULT":
                agent = self._genitive_agent(s, tok_i, text)  # "Angriff der RSF", "attack by Hamas"
            if agent is not None and agent.key in self.ae.entities and \
                    self._etype(agent.key) in ("COUNTRY", "ORGANIZATION", "PERSON"):
                subj = self._agent_key(agent)  # "Israeli airstrike", "russischer Raketenangriff"
                self._subject_mention = agent
            elif passive_agent is None and self._reduced_passive(s, tok_i):
                return None  # "several Chinese firms accused of supplying parts": accused by whom is not said
            else:
                subj = passive_agent or self._subject(s, tok_i, content=in_content)
            if subj is None:
                return None
            ev.actors = [subj, *self._coordinated(s, getattr(self, "_subject_mention", None), tok_i)]
            if passive_agent:
                targets = [self._agent_key(m) for m in agents if self._agent_key(m) != subj and m.end <= tok_i]
                targets += [m.key for m in places if m.end <= tok_i]
            else:
                targets = [self._agent_key(m) for m in agents if self._agent_key(m) != subj]
            ev.targets = _uniq(targets)
            ev.locations = places_keys
            if trig.type in PHYSICAL and not ev.targets and places_keys:
                ev.targets = places_keys[:1]
        if not ev.actors:
            return None
        ev.towns = [m.key for m in places if self._prev_word(m) in _STATIC_PREPS and self._is_town(m.key)]
        ev.quoted = s.in_quote(tok_i)
        ev.modality = self._modality(s, tok_i, trig, negators)
        if trig.negates and ev.modality == "negated":
            return None  # "did not rule out" is no refusal
        ev.time = self._pick_time(s, times, tok_i, ev.modality, para_time)
        ev.evidence = [_evidence(s)]
        ev.speech = trig.speech
        ev.present = self._present_tense(tok_i)
        conf = trig.weight
        if len(ev.participants()) >= 2:
            conf += 0.1
        if ev.time is not None:
            conf += 0.05
        if ev.modality == "hypothetical":
            conf -= 0.15
        ev.confidence = round(max(0.05, min(conf, 0.95)), 2)
        if ev.confidence < MIN_CONFIDENCE:
            return None
        return ev

    # ------------------------------------------------------------------ roles
    def _is_place(self, m: Mention, trig: Trigger) -> bool:
        t = self._etype(m.key)
        if t == "LOCATION":
            return not self._capital_as_country(m)
        info = self.ae.entities[m.key]
        prev = self._prev_word(m)
        if info.entry is not None and info.entry.alt_type == "LOCATION":
            return prev in _PLACE_PREPS
        if t == "COUNTRY" and m.kind != "norp" and m.start >= 2 and \
                self._low[m.start - 1] in {"der", "des", "of"} and self._low[m.start - 2] in self.lex.directions:
            return True  # "im Nordosten der Ukraine", "in the east of Ukraine"
        if t == "COUNTRY" and trig.type == "CONSULT" and m.kind != "norp":
            return prev in _PLACE_PREPS
        return False

    def _as_place_key(self, m: Mention) -> str:
        return m.key

    def _prev_word(self, m: Mention) -> str:
        j = m.start - 1
        while j >= 0 and self._low[j] in self._dets:
            j -= 1
        return self._low[j] if j >= 0 else ""

    def _agent_key(self, m: Mention) -> str:
        if self._capital_as_country(m):
            self.ae.metonyms.add(m.start)
            return self.ae.entities[m.key].entry.capital_of
        return m.key

    def _capital_as_country(self, m: Mention) -> bool:
        """'Seoul hopes to ...', 'Beijing considers ...': a capital as subject stands for its country."""
        key = (m.start, m.end, m.key)
        found = self._capital_memo.get(key)
        if found is None:
            found = self._capital_memo[key] = self._capital_as_country_at(m)
        return found

    def _capital_as_country_at(self, m: Mention) -> bool:
        info = self.ae.entities.get(m.key)
        if not info or not info.entry or not info.entry.capital_of:
            return False
        tk = self.tok
        prev = self._prev_word(m)
        if prev in {"with", "mit", "against", "gegen", "between", "zwischen", "toward", "towards", "on", "auf"}:
            return True  # "dialogue with Islamabad": a government, not a city
        nxt = m.end if m.end < len(tk) else None   # the token after the name
        if m.start > 0:
            b = m.start - 1
            acts = [t for t in self._trigs[b] +
                    self.lex.split.get(tk.lower[b], []) if t.type not in PHYSICAL]
            if tk.text[b][:1].islower() and tk.alpha[b] and tk.lower[b] not in _PREPS and acts:
                return True  # the object of an act: "forderte Peking auf", "urged Beijing", "warned Moscow"
                # (not of an attack: "missiles hit Kyiv" hit the city)
            if tk.text[b] in {",", ";"} and nxt is not None and tk.alpha[nxt] and tk.text[nxt][:1].islower() and \
                    tk.lower[nxt] not in _PREPS and tk.lower[nxt] not in {"und", "and"}:
                return True  # "Taipeh spricht von ..., Washington fordert ..."
        if self._government_in(m):
            return True  # "die Regierung in Abu Dhabi", "officials in Beijing"
        if prev in _PREPS:
            return False
        if nxt is None:
            return False
        nxt_low = tk.lower[nxt]
        if tk.text[nxt] in {"'s", "’s"}:
            return True  # "Seoul's position"
        if (m.start == 0 or tk.sent_start[m.start]) and tk.alpha[nxt] and \
                tk.text[nxt][:1].islower() and nxt_low not in _PREPS and nxt_low not in {"und", "and"}:
            return True  # "Peking reagierte scharf", "Moscow dismissed ..."
        if (self._trigs[nxt] or nxt_low in self.lex.split) and \
                tk.text[nxt][:1].islower():
            return True
        return tk.pos[nxt] in ("VERB", "AUX") or nxt_low in {"does", "did", "has", "had", "will", "would", "says",
                                                             "said", "hopes", "sees", "considers", "wants", "was",
                                                             "is", "were", "are", "could", "can", "must", "should",
                                                             "wird", "hat", "habe", "sei", "war", "werde", "würde",
                                                             "will", "wolle", "könne"}

    def _subject(self, s: _Sentence, tok_i: int, content: bool) -> str | None:
        key = self._subject_inner(s, tok_i, content)
        j = tok_i - 1
        while j > s.span.start and self._low[j] in {"also", "auch", "then", "dann", "later", "später", "to"}:
            j -= 1
        if self._low[j] in {"and", "und", "sowie"} and getattr(s, "last_subject", None):
            return s.last_subject  # "is scheduled to have lunch with Li ... and meet Zhao": Lee meets Zhao
        if key is not None:
            s.last_subject = key
        return key

    def _subject_candidates(self, s: _Sentence, content: bool) -> list[Mention]:
        """The mentions of a sentence that can be a subject (not a place; in reported content not the
        speaker). The same for every trigger of the sentence: kept in ``s.agents`` by what they
        depend on (content, and then the speaker). Read only."""
        key = (content, s.speaker if content else None)
        agents = s.agents.get(key)
        if agents is None:
            ments = s.ments
            if content:
                ments = [m for m in ments if m.key != s.speaker or self._pronoun_before(m)]
            agents = [m for m in ments if self._etype(m.key) != "LOCATION" or self._capital_as_country(m)]
            agents = [m for m in agents if not (self.ae.entities[m.key].entry and
                                                self.ae.entities[m.key].entry.alt_type == "LOCATION" and
                                                self._prev_word(m) in _PLACE_PREPS)]
            s.agents[key] = agents
        return agents

    def _subject_inner(self, s: _Sentence, tok_i: int, content: bool) -> str | None:
        texts = self.tok.text
        self._subject_mention = None
        span = s.span
        agents = self._subject_candidates(s, content)
        # a trained parser knows the subject (without a parse, the token tree must not be touched)
        for child in (self.doc[tok_i].children if self._parsed else ()):
            if child.dep_ in ("nsubj", "sb", "nsubjpass"):
                for m in agents:
                    if any(m.start <= t.i < m.end for t in child.subtree):
                        return self._agent_key(m)
        clause_start = self._clause_start(span, tok_i)
        before = [m for m in agents if m.end <= tok_i]
        in_clause = [m for m in before if m.start >= clause_start and not self._object_of_prep(m)]
        subord = next((j for j in range(tok_i - 1, clause_start - 1, -1) if self._low[j] in _SUBORDINATORS), None)
        if subord is not None and any(m.start > subord for m in in_clause):
            in_clause = [m for m in in_clause if m.start > subord]  # "respond ... if India attacked": India
        if in_clause:
            # a clause opening with a pronoun: "..., er habe Merz um Taurus gebeten", "Denn der hat
            # Dänemark gedroht" - the pronoun is the subject, the name after it the object
            j = clause_start
            while j < in_clause[0].start and self._low[j] in _CLAUSE_OPENERS:
                j += 1
            low = self._low[j] if j < in_clause[0].start else ""
            g = self.lex.pronouns.get(low) if low in _SUBJECT_PRONOUNS else self._demonstrative(s, j)
            if g:
                pr = self._resolve_pronoun(s, g) if content else (self.last_person.get(g) or self.last_person.get("any"))
                if pr:
                    return pr
        if in_clause:
            persons = [m for m in in_clause if self._etype(m.key) == "PERSON"]
            chosen = (persons or in_clause)[0]
            self._subject_mention = chosen
            return self._agent_key(chosen)
        pr = self._pronoun_subject(s, tok_i)
        if pr:
            return pr
        # German verb-second / quote inversion: "sagte Trump", "betonte ..., Karoline Leavitt"
        stop = tok_i + 1
        while stop < span.end and stop - tok_i <= 12 and texts[stop] not in {",", ";", ":", "–", "—"} and not (
                texts[stop] == "-" and self.tok.ws[stop]):
            stop += 1
        if stop < span.end and texts[stop] == "," and stop + 1 < span.end and \
                any(m.start == stop + 1 and self._etype(m.key) == "PERSON" for m in agents):
            stop += 4  # "betonte die Sprecherin des Weißen Hauses, Karoline Leavitt": the name after the comma
        after = [m for m in agents if tok_i < m.start < stop
                 and self._etype(m.key) in ("PERSON", "COUNTRY", "ORGANIZATION") and not self._object_of_prep(m)]
        if self.lang == "en":
            # English inverts only right after the verb ("said Trump", "said the minister, X"), never
            # across "that": "warned that Pakistan would respond" - Pakistan is not who warned
            after = [m for m in after if not any(self._low[j] in {"that", "whether", "if", "to"}
                                                 for j in range(tok_i + 1, m.start))]
        after = [m for m in after if not s.in_quote(m.start)] or after
        if after:
            persons = [m for m in after if self._etype(m.key) == "PERSON"]
            chosen = (persons or after)[0]
            self._subject_mention = chosen
            return self._agent_key(chosen)
        if before:
            # not a topic label ("Sudan: Dutzende Tote bei Angriff ...")
            cand = [m for m in before if not self._object_of_prep(m)
                    and not (m.end < len(texts) and texts[m.end] == ":" and m.start == span.start)]
            if cand:
                persons = [m for m in cand if self._etype(m.key) == "PERSON"]
                return self._agent_key((persons or cand)[-1])
        return None

    def _coordinated(self, s: _Sentence, m: Mention | None, tok_i: int) -> list[str]:
        """'Qatari and Egyptian mediators', 'Frankreich und Deutschland fordern': co-subjects."""
        out = []
        while m is not None:
            j = m.end
            if j >= tok_i or self._low[j] not in {"and", "und", "sowie", ","}:
                break
            nxt = next((x for x in s.ments if j < x.start <= j + 2 and x.end <= tok_i), None)
            if nxt is None or nxt.key in out:
                break
            out.append(self._agent_key(nxt))
            m = nxt
        return out

    def _reduced_passive(self, s: _Sentence, tok_i: int) -> bool:
        """English participle after a common noun, after the clause's verb: "firms accused of
        supplying parts", "tankers seized by Iran", "civilians killed in the strike"."""
        if self.lang != "en" or tok_i - 1 <= s.span.start or tok_i + 1 >= s.span.end:
            return False
        low = self._low
        trig, prev = low[tok_i], low[tok_i - 1]
        if not (trig.endswith("ed") or trig in _IRREGULAR_PARTICIPLES):
            return False
        if not (self.tok.alpha[tok_i - 1] and self.tok.text[tok_i - 1].islower() and prev not in _AUXILIARIES
                and prev not in _PASSIVE_AUX and prev not in self.lex.pronouns
                and prev not in {"they", "we", "i", "you", "who", "which", "that", "and", "or", "also", "then", "not",
                                 "had"}
                and not prev.endswith("ly")):
            return False
        if tok_i - 1 in s.covered or low[tok_i + 1] not in _PREPS | {"during", "over"}:
            return False
        # the clause's own verb comes earlier: an auxiliary, a past form or another trigger
        triggers = {i for i, _, _ in s.triggers}
        return any(self._low[j] in _AUXILIARIES or j in triggers or
                   (self._low[j].endswith("ed") and self._low[j].isalpha() and self.tok.text[j].islower())
                   for j in range(s.span.start, tok_i - 1))

    def _passive_agent(self, s: _Sentence, tok_i: int, agents: list[Mention]) -> str | None:
        """'von russischen Streitkräften erobert wurde', 'was seized by Russia', 'tankers seized by Iran'."""
        window = self._low[max(s.span.start, tok_i - 2):min(s.span.end, tok_i + 3)]
        if _PASSIVE_AUX.isdisjoint(window) and not self._reduced_passive(s, tok_i):
            return None
        if self.lang == "de":
            cands = [m for m in agents if m.end <= tok_i and tok_i - m.end <= 3 and self._prev_word(m) in _AGENT_PREPS]
        else:
            cands = [m for m in agents if m.start > tok_i and m.start - tok_i <= 3 and self._prev_word(m) == "by"]
        return self._agent_key(cands[0]) if cands else None

    def _head_before(self, i: int) -> int:
        """The first token before i that is no determiner or adjective (-1 at the start)."""
        j = i - 1
        while j >= 0 and (self._low[j] in self._dets or self._is_adjective(j)):
            j -= 1
        return j

    def _in_pp(self, i: int) -> bool:
        """Token i is governed by a preposition ("at the request", "an die Ukraine")."""
        j = self._head_before(i)
        return j >= 0 and self._low[j] in _PREPS

    def _government_in(self, m: Mention) -> bool:
        """'die Regierung in Abu Dhabi', 'officials in Beijing': the town names the government."""
        j = self._head_before(m.start)
        return j >= 1 and self._low[j] in {"in", "aus", "from"} and self._low[j - 1] in _GOVERNMENT_NOUNS

    def _object_of_prep(self, m: Mention) -> bool:
        # "die Regierung in Abu Dhabi": the government, subject of its clause
        return m.start > 0 and self._in_pp(m.start) and not self._government_in(m)

    def _pronoun_before(self, m: Mention) -> bool:
        return False

    def _clause_bounds(self, s: _Sentence, tok_i: int) -> tuple[int, int]:
        """The clause of a trigger: between clause breaks and subordinators ("dass", "that", "um",
        "while"), extended over comma segments that only name people ("Trump, der ukrainische
        Präsident Selenskyj und ... hatten Gespräche geführt")."""
        span = s.span
        breaks = _CLAUSE_BOUNDS

        def is_break(j: int) -> bool:
            return self.tok.text[j] in breaks or self._low[j] in breaks
        lo = tok_i
        while lo > span.start and not is_break(lo - 1):
            lo -= 1
        while lo - 1 > span.start and self.tok.text[lo - 1] == ",":
            seg_end = lo - 1
            seg_start = seg_end
            while seg_start > span.start and not is_break(seg_start - 1):
                seg_start -= 1
            if all(j in s.covered or self._low[j] in self._dets or j in self.roles or
                   self._low[j] in {"und", "and", "sowie", "-"} or self._is_adjective(j) or
                   self._low[j] in self.lex.titles or ends_with_title(self._low[j], self.lex)
                   for j in range(seg_start, seg_end)):
                lo = seg_start
            else:
                break
        hi = tok_i + 1
        while hi < span.end and not is_break(hi):
            hi += 1
        return lo, hi

    def _clause_start(self, span: _Span, tok_i: int) -> int:
        texts, ws = self.tok.text, self.tok.ws
        j = tok_i - 1
        while j > span.start:
            text = texts[j]
            if text in _CLAUSE_BREAK or (text == "-" and ws[j] and ws[j - 1]):
                return j + 1
            j -= 1
        return span.start

    def _resolve_pronoun(self, s: _Sentence, gender: str) -> str | None:
        """In reported content a pronoun points to the speaker; else to the last person named."""
        if s.speaker and self.ae.entities.get(s.speaker) and self._etype(s.speaker) == "PERSON":
            g = self.ae.entities[s.speaker].gender
            if g in (None, gender):
                return s.speaker
        return self.last_person.get(gender) or self.last_person.get("any")

    def _pronoun_subject(self, s: _Sentence, tok_i: int) -> str | None:
        lo = max(s.span.start, tok_i - 3)
        for j in range(tok_i - 1, lo - 1, -1):
            low = self._low[j]
            g = self.lex.pronouns.get(low) or self._demonstrative(s, j)
            if g and low not in _POSSESSIVES:
                if j < s.speech_i if s.speech_i is not None else False:
                    return self.last_person.get(g) or self.last_person.get("any")
                return self._resolve_pronoun(s, g)
            if j in self.roles:  # "der US-Präsident sagte"
                return self.roles[j][0][0]
        if tok_i + 1 < s.span.end and self.lang == "de":
            low = self._low[tok_i + 1]
            if low in {"er", "sie"}:  # "sagte er"
                g = self.lex.pronouns.get(low)
                return self.last_person.get(g) or self.last_person.get("any")
        for j in range(tok_i + 1, min(s.span.end, tok_i + 5)):  # "betonte der US-Präsident"
            if j in self.roles:
                return self.roles[j][0][0]
        return None

    def _demonstrative(self, s: _Sentence, j: int) -> str | None:
        """German "der"/"die" used as a pronoun ("der hat gedroht" = he): its gender, else None."""
        low = self._low[j]
        if self.lang != "de" or low not in {"der", "die"} or j + 1 >= len(self._low):
            return None
        if not (self.tok.alpha[j + 1] and self.tok.text[j + 1][:1].islower()) or j + 1 in s.starts:
            return None
        return "m" if low == "der" else "f"

    def _possessive_owner(self, s: _Sentence, tok_i: int) -> str | None:
        """'nach seinem Treffen mit ...': the owner takes part in the meeting."""
        for j in range(tok_i - 1, max(s.span.start, tok_i - 3) - 1, -1):
            low = self._low[j]
            if low in _POSSESSIVES:
                g = self.lex.pronouns.get(low)
                return self._resolve_pronoun(s, g) if g else None
            if not (self._is_adjective(j) or low in self._dets):
                break
        return None

    # ------------------------------------------------------------------ modality
    def _modality(self, s: _Sentence, tok_i: int, trig: Trigger, negators) -> str:
        span = s.span
        lo = self._clause_start(span, tok_i)
        hi = tok_i + 1
        while hi < span.end and self.tok.text[hi] not in _CLAUSE_BREAK and self.tok.text[hi] != ".":
            hi += 1
        # a speech act's own modality is read before it: "warned that Pakistan would respond" was a
        # warning that happened; only its content is hypothetical
        window = self._low[max(lo, tok_i - 6):(tok_i + 1 if trig.speech else min(hi, tok_i + 5))]
        clause = self._low[lo:hi]
        if not trig.negates:
            if s.reported_phrase and not trig.speech:
                return "reported"  # "... noch nicht bestätigt", "has not been confirmed"
            for neg_i, neg_t in negators:
                if neg_i != tok_i and self._same_clause(span, neg_i, tok_i):
                    return neg_t.governs or "negated"
        near = self._low[max(lo, tok_i - 4):tok_i]
        text = next((x for i, t, x in s.triggers if i == tok_i and t is trig), self.tok.text[tok_i])
        if self._is_noun_use(tok_i, trig, text):
            if not _NO_NOUN.isdisjoint(near):
                return "negated"
        elif not self.lex.negation.isdisjoint(near) or (
                self.lang == "de" and not _NOT_VERB.isdisjoint(clause)):
            return "negated"
        if not trig.negates:
            if s.reported_phrase and self._reported_scope(s, tok_i):
                return "reported"
            joined = " ".join(clause) if self.lang == "de" else ""
            if "soll" in joined and _SHOULD_HAVE.search(joined):
                return "reported"
            if not self.lex.reported.isdisjoint(window):
                return "reported"
        if trig.modality:
            return trig.modality
        if not self.lex.hypothetical.isdisjoint(window):
            return "hypothetical"
        if not self.lex.planned.isdisjoint(self._cue_window(window, tok_i, lo)) or \
                not self.lex.planned.isdisjoint(clause[:4]):
            return "planned"
        # "On Tuesday, Lee is scheduled to have lunch with Li Qiang ... and meet Zhao": the plan covers
        # the coordinated verbs that follow, unless a past form intervenes
        earlier = [self._low[i] for i in range(span.start, tok_i) if not s.in_quote(i)] if s.quotes else \
            self._low[span.start:tok_i]
        for k in range(len(earlier) - 1, -1, -1):
            if earlier[k] in _PAST_MARKERS:
                break
            if earlier[k] in self.lex.planned and earlier[k] not in {"set", "next", "due"}:
                return "planned"
        return "asserted"

    def _cue_window(self, window: list[str], tok_i: int, lo: int) -> list[str]:
        """The modality window without what follows a determiner after the trigger: in "rebuffed
        the peace plan" the plan is the object, not the event's modality."""
        start = max(lo, tok_i - 6)
        out = []
        for k, w in enumerate(window):
            if start + k > tok_i and w in self._dets:
                break
            out.append(w)
        return out

    def _reported_scope(self, s: _Sentence, tok_i: int) -> bool:
        """'..., was vom Kreml noch nicht bestätigt worden sei' covers what the clause before says."""
        return True

    def _same_clause(self, span: _Span, a: int, b: int) -> bool:
        lo, hi = sorted((a, b))
        return not any(self.tok.text[j] in {";", ":"} or self._low[j] in {"aber", "but", "jedoch", "while"}
                       for j in range(lo, hi)) and hi - lo <= 14

    # ------------------------------------------------------------------ time
    def _times(self, span: _Span) -> list[tuple]:
        """Time phrases of a sentence with their character position in the article."""
        return [(ph, span.start_char + ph.start) for ph in temporal.find_time_phrases(span.text, self.lang)]

    def _pick_time(self, s: _Sentence, times, tok_i, modality, para_time) -> Time | None:
        if not times:
            occ = self._occasion_time(s, tok_i)
            if occ is not None:
                return occ
            if para_time and modality in ("asserted", "reported") and s.index - para_time[1] <= 2 and \
                    para_time[0].precision in ("day", "week"):
                t = para_time[0]
                return Time(value=t.value, precision=t.precision, text=t.text)
            return None
        tok_char = self.tok.idx[tok_i]
        tense = "future" if modality in ("planned",) else "past"
        clause_of = self._clause_map(s)
        relative = self._relatives(s)
        trig_clause = clause_of.get(tok_i)
        best = None
        trigger_tokens = {i for i, _, _ in s.triggers if i != tok_i}
        for ph, pos in times:
            ph_tok = self._token_at(pos)
            if ph_tok is not None and s.in_quote(ph_tok) and not s.in_quote(tok_i):
                continue  # "this winter, not next year" inside someone's words dates nothing outside them
            t = self._resolve(ph, tense)
            if t is None:
                continue
            if ph_tok is not None and ph_tok in relative and tok_i not in relative:
                continue  # "Tusk, der 2023 die Wahl gewonnen hatte": the year dates the relative clause only
            if ph_tok is not None and ph_tok > tok_i + 1 and self._participle_before(ph_tok, tok_i):
                continue  # "a scheme launched in July", "the truce reached in May": the participle's time
            other_clause = trig_clause is not None and ph_tok is not None and clause_of.get(ph_tok) != trig_clause
            lo, hi = sorted((tok_i, ph_tok if ph_tok is not None else tok_i))
            between = any(lo < i < hi for i in trigger_tokens) or self.lang == "en" and any(
                self._low[i].endswith("ed") and self.tok.alpha[i] for i in range(lo + 1, hi))
            key = (other_clause, between, abs(pos - tok_char), -_PREC_RANK[t.precision])
            if best is None or key < best[0]:
                best = (key, t)
        return best[1] if best else None

    def _occasion_time(self, s: _Sentence, tok_i: int) -> Time | None:
        """'nach dem Telefonat', 'at the summit', 'anschließend': the time of the occasion told
        earlier in the article (the latest dated event of that kind; for a sequence adverb, the
        event told just before)."""
        occ = None
        for ev in reversed(self._prior):
            if ev.time is None or ev.time.precision not in ("day", "week") or ev.modality == "negated":
                continue
            if occ is None:   # the sentence's occasions matter only once an earlier event is dated
                if s.occasions is None:
                    s.occasions = temporal.find_occasions(s.span.text, self.lang)
                if not s.occasions:
                    return None
                tok_char = self.tok.idx[tok_i] - s.span.start_char
                occ = min(s.occasions, key=lambda o: abs(o.start - tok_char))
            if occ.kind is None or ev.type == occ.kind:
                return Time(value=ev.time.value, precision=ev.time.precision, text=occ.text)
        return None

    def _token_at(self, char: int) -> int | None:
        return self.tok.at_char(char)

    def _same_clause_or_content(self, s: _Sentence, i: int, j: int) -> bool:
        """j is in the clause of i or in the that-clause right after it (no sentence break between)."""
        return not any(self._low[k] in {";", ":"} or self.tok.text[k] in {"–", "—"} for k in range(i + 1, j)) and j - i <= 15

    def _light_verb_before(self, s: _Sentence, tok_i: int) -> bool:
        return any(self._low[j] in self.lex.light_verbs for j in range(max(s.span.start, tok_i - 3), tok_i))

    def _clause_map(self, s: _Sentence) -> dict[int, int]:
        if s.clause_of is None:
            s.clause_of = self._clause_ids(s.span)
        return s.clause_of

    def _relatives(self, s: _Sentence) -> set[int]:
        if s.relative is None:
            s.relative = self._relative_clauses(s.span)
        return s.relative

    def _relative_clauses(self, span: _Span) -> set[int]:
        """Token indices inside comma-delimited relative clauses (", der 2023 die Wahl gewonnen
        hatte,", ", who took office in 2024,"). German "der/die/das" followed by a capitalised word
        opens a main clause as often as a relative one (", die Regierung entscheide ..."): only
        pronouns followed by a lower-case word or a number count."""
        out: set[int] = set()
        i = span.start
        while i < span.end - 1:
            if self.tok.text[i] == "," and self._relative_pronoun(i + 1, i + 2 if i + 2 < span.end else None):
                j = i + 1
                while j < span.end and self.tok.text[j] not in {",", ";", ".", ":", "–", "—", "(", ")"}:
                    out.add(j)
                    j += 1
                i = j
            else:
                i += 1
        return out

    def _relative_pronoun(self, i: int, nxt: int | None) -> bool:
        """Token i opens a relative clause; nxt: the token after it (None at the sentence end)."""
        low = self._low[i]
        if self.lang == "en":
            return low in {"who", "which", "whom", "whose"}
        if self.lang == "de":
            if low in {"deren", "dessen", "welcher", "welche", "welches", "welchem", "welchen"}:
                return True
            tk = self.tok
            return low in {"der", "die", "das", "dem", "den"} and nxt is not None and (
                tk.num[nxt] or (tk.alpha[nxt] and tk.text[nxt][:1].islower()))
        return False

    def _participle_before(self, ph_tok: int, tok_i: int) -> bool:
        """English reduced relative clause: a past participle right before the time phrase ("a
        scheme launched in July") that is not the event's own trigger."""
        if self.lang != "en":
            return False
        j = ph_tok - 1
        if j <= tok_i:
            return False
        if j - 1 > tok_i and self._low[j - 1] in _AUXILIARIES | {"been", "be", "being", "is", "are"}:
            return False  # "was held in May": the clause's own verb
        prev = self._low[j]
        return self.tok.alpha[j] and self.tok.text[j].islower() and (prev.endswith("ed") or prev in _IRREGULAR_PARTICIPLES)

    def _clause_ids(self, span: _Span) -> dict[int, int]:
        ids, c = {}, 0
        texts, low = self.tok.text, self._low
        for i in range(span.start, span.end):
            if texts[i] in _CLAUSE_BREAK or low[i] in {"dass", "that", "which", "who", "when", "after",
                                                       "nachdem", "bevor", "before", "als", "wenn", "while"}:
                c += 1
            ids[i] = c
        return ids

    def _anchor_for(self, ph) -> dt.date:
        """'later that day' / 'am Vortag' count from the day the narrative is at, if any."""
        if self._anchor is not None and (ph.kind == "same_day" or (
                ph.kind == "relative_day" and not _DEICTIC_DAY.search(ph.text))):
            return self._anchor
        return self._ref

    def _resolve(self, ph, tense: str) -> Time | None:
        """temporal.resolve(ph, anchor, tense), remembered for the article in ``self._resolved``:
        every event of a sentence resolves the sentence's phrases again, mostly with the same tense.
        The key is all the result depends on (the phrase's words and kind, the anchor day, the
        tense); the Time objects are shared, and nothing changes a Time once made."""
        anchor = self._anchor_for(ph)
        key = (ph.text, ph.kind, anchor, tense)
        found = self._resolved.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = self._resolved[key] = temporal.resolve(ph, anchor, tense, self.lang)
        return found

    # ------------------------------------------------------------------ statements
    def _statement(self, s: _Sentence, times, sent_events: list[RawEvent], para_time) -> RawEvent | None:
        span = s.span
        speaker = s.speaker
        quote = _quote_text(span)
        guessed = False
        if speaker is None and quote and self._continues_quote(span) and self._para == self._last_speaker_para:
            speaker, guessed = self.last_speaker, True
        if speaker is None:
            return None
        info = self.ae.entities.get(speaker)
        if info is None or info.type == "LOCATION":
            return None
        # a typed speech act of the speaker is the statement; so is a typed event they announce
        if any(e.speech and speaker in e.actors for e in sent_events):
            return None
        if s.speech_i is not None and any(
                s.in_content(e.trigger_i) and e.type != "STATEMENT" for e in sent_events):
            return None
        if any(speaker not in e.actors and e.type != "STATEMENT" and (s.speech_i is None or e.trigger_i > s.speech_i
                                                                    or s.content_end is not None)
               for e in sent_events) and self._etype(speaker) != "PERSON":
            return None  # an organisation as the source of a reported event
        if s.speech_i is not None and any(
                e.type != "STATEMENT" and speaker in e.actors and 0 < e.trigger_i - s.speech_i <= 3 for e in sent_events):
            return None  # "announced sanctions", "verkündete eine Waffenruhe": the announcement is that act
        ev = RawEvent(type="STATEMENT", trigger=self.tok.text[s.speech_i] if s.speech_i is not None else "“…”",
                      trigger_i=s.speech_i if s.speech_i is not None else span.start, sent=s.index)
        ev.actors = [speaker]
        ev.targets = _uniq(self._agent_key(m) for m in s.ments
                           if m.key != speaker and (self._etype(m.key) != "LOCATION" or m.start in self.ae.metonyms))
        ev.targets = [t for t in ev.targets if t != speaker]
        ev.locations = _uniq(m.key for m in s.ments if self._etype(m.key) == "LOCATION"
                             and m.start not in self.ae.metonyms)
        ev.towns = [m.key for m in s.ments if m.key in ev.locations and not s.in_quote(m.start)
                    and self._prev_word(m) in _STATIC_PREPS and self._is_town(m.key)]
        ev.quote = quote
        ev.modality = "asserted"
        ev.present = s.speech_i is not None and self._present_tense(s.speech_i)
        ev.time = self._pick_time(s, times, ev.trigger_i, "asserted", para_time)
        ev.evidence = [_evidence(s)]
        ev.confidence = 0.7 if quote else 0.6
        ev.speech = True
        ev.guessed = guessed
        return ev

    def _continues_quote(self, span: _Span) -> bool:
        text = span.text.strip()
        return bool(_QUOTE_THEN_SAID.search(text)) or \
            text[:1] in _QUOTE_CHARS


def _evidence(s: _Sentence) -> Evidence:
    """The sentence as evidence, one object for all its events (nothing changes an Evidence)."""
    if s.evidence is None:
        s.evidence = Evidence.of_sentence(s.span.text, s.span.start_char)
    return s.evidence


def _quote_text(span: _Span) -> str | None:
    m = _QUOTED.search(span.text)
    return m.group(1).strip() if m else None


def _uniq(items) -> list:
    return list(filter(None, dict.fromkeys(items)))


def _compatible_time(a: Time | None, b: Time | None) -> bool:
    if a is None or b is None:
        return True
    sa, ea = a.span()
    sb, eb = b.span()
    return sa <= eb and sb <= ea


def _inherit_times(events: list[RawEvent]) -> list[RawEvent]:
    """An event whose sentence gives no time takes the day or week of another event of its
    sentence dated from context, or of a neighbouring sentence of the same paragraph (the previous
    one first): news paragraphs tell one occasion."""
    dated = [e for e in events if e.time is not None and e.time.text and e.time.precision in ("day", "week")]
    for ev in events:
        if ev.time is not None or ev.modality not in ("asserted", "reported") or ev.present:
            continue  # a present-tense "Israel says ..." is said now, not on the day told next to it
        near = [e for e in dated if e.para == ev.para and e.modality == ev.modality and abs(e.sent - ev.sent) <= 2
                and e is not ev and (e.sent != ev.sent or e.time.text not in ev.evidence[0].text)]
        if near:
            src = min(near, key=lambda e: (abs(e.sent - ev.sent), e.sent > ev.sent))
            ev.time = Time(value=src.time.value, precision=src.time.precision, text=src.time.text)
    return events


def _fold_headline(events: list[RawEvent]) -> list[RawEvent]:
    """The headline and the lead paragraph tell events of the body again: such an event joins the
    body event of the same type and modality that shares an actor (the most participants in common
    first); the body's time and participants win. A lead event with a time of its own ("am
    Mittwoch") only joins a body event of the same time."""
    out = []
    for ev in events:
        lead = ev.sent == 0 or ev.para <= 1
        if lead:
            own_time = ev.time is not None and ev.time.text and ev.sent > 0
            body = [b for b in events if b is not ev and (b.para > ev.para if ev.sent > 0 else b.sent > 0)
                    and b.type == ev.type and b.modality == ev.modality and set(b.actors) & set(ev.actors)
                    and (not own_time or b.time is None or _compatible_time(b.time, ev.time))]
            if body:
                twin = max(body, key=lambda b: (len(b.participants() & ev.participants()), -b.sent))
                twin.evidence = sorted([*ev.evidence, *(e for e in twin.evidence if e not in ev.evidence)],
                                       key=lambda e: e.start)
                if ev.sent == 0:
                    twin.targets = _uniq([*twin.targets, *(t for t in ev.targets if t not in twin.actors)])
                twin.locations = _uniq([*twin.locations, *ev.locations])
                if twin.time is None:
                    twin.time = ev.time
                twin.confidence = max(twin.confidence, ev.confidence)
                continue
        out.append(ev)
    return out


def _as_speech(trig: Trigger) -> Trigger:
    from dataclasses import replace
    return replace(trig, type="SPEECH", speech=False, needs_object=False)


def _attribute_quotes(events: list[RawEvent]) -> list[RawEvent]:
    """A quote over several sentences is attributed at its end ('"... tired. He is wrong," Rutte
    said'): a statement whose speaker was guessed joins the attributed one that follows."""
    out: list[RawEvent] = []
    for i, ev in enumerate(events):
        if ev.type == "STATEMENT" and ev.guessed:
            nxt = next((e for e in events[i + 1:] if e.type == "STATEMENT" and e.sent in (ev.sent + 1, ev.sent + 2)
                        and e.para == ev.para and not e.guessed), None)
            if nxt is not None:
                nxt.evidence = [*ev.evidence, *(e for e in nxt.evidence if e not in ev.evidence)]
                nxt.targets = _uniq([*nxt.targets, *(t for t in ev.targets if t not in nxt.actors)])
                nxt.quote = ev.quote if not nxt.quote else f"{ev.quote} {nxt.quote}"
                nxt.sent = ev.sent
                continue
        out.append(ev)
    return out


def _merge(events: list[RawEvent], same_sentence: bool = False) -> list[RawEvent]:
    """The same event stated twice is one event with two evidence spans. Within a sentence, events
    of one type and modality with compatible times are one event ("hold talks ... their meeting")."""
    out: list[RawEvent] = []
    for ev in events:
        twin = None
        for o in out:
            if not same_sentence and ev.type == "STATEMENT" and o.type != "STATEMENT" and \
                    o.actors[:1] == ev.actors[:1] and 0 < ev.sent - o.sent <= 1 and o.para == ev.para:
                twin = o  # the words that follow a refusal, demand or pledge are its wording, not a new statement
                break
            if o.type != ev.type or o.modality != ev.modality:
                continue
            if same_sentence:
                shared = set(o.actors + o.targets) & set(ev.actors + ev.targets)
                same = _compatible_time(o.time, ev.time) and (
                    ev.type == "STATEMENT" or set(o.actors) == set(ev.actors) or
                    (ev.type == "CONSULT" and len(shared) >= min(2, len(set(ev.actors + ev.targets)))))
            elif ev.type == "STATEMENT":  # one speaker, one occasion: a quote over several sentences
                same = o.actors == ev.actors and (abs(o.sent - ev.sent) <= 1 or o.para == ev.para)
            elif ev.type == "CONSULT":
                shared = len(set(o.actors + o.targets) & set(ev.actors + ev.targets))
                same = o.time is not None and ev.time is not None and o.time.value == ev.time.value and (
                    shared >= 2 or set(ev.actors) <= set(o.actors) or set(o.actors) <= set(ev.actors))
                # an undated mention of the meeting of the same people ("bei ihrem Treffen")
                same = same or ((o.time is None) != (ev.time is None) and
                                len(set(o.actors) & set(ev.actors)) >= 2 and o.modality == "asserted")
            else:
                same = set(o.actors) == set(ev.actors) and _compatible_time(o.time, ev.time) and (
                    set(o.targets) == set(ev.targets) or (set(o.targets) & set(ev.targets) and o.para <= 1))
            if same:
                twin = o
                break
        if twin is None:
            out.append(ev)
            continue
        twin.evidence.extend(e for e in ev.evidence if e not in twin.evidence)
        twin.actors = _uniq([*twin.actors, *ev.actors]) if ev.type == "CONSULT" else twin.actors
        twin.targets = _uniq([t for t in [*twin.targets, *ev.targets] if t not in twin.actors])
        twin.locations = _uniq([*twin.locations, *ev.locations])
        if twin.sent == 0 and ev.time is not None and ev.time.text:
            twin.time = ev.time  # the body's time beats the headline's
        elif twin.time is None or (ev.time and _PREC_RANK[ev.time.precision] > _PREC_RANK[twin.time.precision]):
            twin.time = ev.time or twin.time
        twin.quote = twin.quote or ev.quote
        twin.confidence = max(twin.confidence, ev.confidence)
    return out


def event_id(article_id: str, ev: RawEvent) -> str:
    key = "|".join([article_id, ev.type, ev.modality, ",".join(sorted(ev.actors)), ",".join(sorted(ev.targets)),
                    str(ev.evidence[0].start if ev.evidence else 0)])
    return "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
