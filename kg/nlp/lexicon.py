"""Trigger, speech, modality and title lexicons (kg/data/lexicon/events_<lang>.yaml), compiled once
per process into look-up tables."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Trigger:
    type: str            # event type, or "SPEECH"
    lemma: str
    weight: float = 0.6
    speech: bool = False
    negates: bool = False
    modality: str | None = None
    suffix: bool = False
    participants_only: bool = False
    particle: str | None = None
    with_words: tuple[str, ...] = ()
    noun_only: bool = False
    attribution: str | None = None   # "according to X" (after) / "X zufolge" (before): X is the source
    quote_only: bool = False
    governs: str | None = None       # modality of what a refusal governs ("denied that ..." -> reported)
    needs_object: bool = False       # "warnte Berlin vor ..." is a threat; "warnte vor ..." only a statement
    not_after: tuple[str, ...] = ()   # no trigger right after these words ("hit back" is no support)


@dataclass(eq=False)
class Lexicon:
    lang: str
    single: dict[str, list[Trigger]] = field(default_factory=dict)       # lower-case form/lemma -> triggers
    multi: dict[tuple[str, ...], list[Trigger]] = field(default_factory=dict)  # token sequences
    multi_by_first: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)  # first word -> sequences
    split: dict[str, list[Trigger]] = field(default_factory=dict)        # separable stem -> triggers (with particle)
    suffixes: list[tuple[str, Trigger]] = field(default_factory=list)    # compound endings (German nouns)
    negation: frozenset = frozenset()
    planned: frozenset = frozenset()
    reported: frozenset = frozenset()
    reported_phrases: tuple = ()
    hypothetical: frozenset = frozenset()
    titles: dict[str, dict] = field(default_factory=dict)              # lower-case title -> {role, relation, country}
    title_words_max: int = 1
    affiliation: frozenset = frozenset()
    pronouns: dict[str, str] = field(default_factory=dict)             # pronoun -> gender
    not_names: frozenset = frozenset()
    months_lower: frozenset = frozenset()
    weekdays_lower: frozenset = frozenset()
    relation_cues: dict[str, tuple[str, ...]] = field(default_factory=dict)   # type -> lower-case cues
    light_verbs: frozenset = frozenset()
    nouns: frozenset = frozenset()
    directions: frozenset = frozenset()
    generic_speakers: frozenset = frozenset()
    _memo: dict = field(default_factory=dict, repr=False)   # (lower, lemma) -> triggers, filled on use

    def triggers_for(self, lower: str, lemma: str) -> list[Trigger]:
        key = (lower, lemma)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._triggers_for(lower, lemma)
            if len(self._memo) > 200_000:  # bounded: a long-running process sees endless words
                self._memo.clear()
        return found

    def triggers_of(self, lowers: list[str], lemmas: list[str]) -> list[list[Trigger]]:
        """triggers_for of every (lower, lemma) pair of a document, reading the memo directly.
        (One key at a time: a list of all the document's keys would be hundreds of live tuples,
        each counted by the garbage collector.)"""
        get = self._memo.get
        out = []
        for key in zip(lowers, lemmas):
            found = get(key)
            out.append(found if found is not None else self.triggers_for(*key))
        return out

    def _triggers_for(self, lower: str, lemma: str) -> list[Trigger]:
        found = self.single.get(lower) or self.single.get(lemma.lower())
        if found:
            return found
        if self.suffixes and len(lower) > 6:
            for suf, trig in self.suffixes:
                if lower.endswith(suf) and len(lower) - len(suf) >= 3:
                    return [trig]
        return []


def _read(lang: str) -> dict | None:
    res = resources.files("kg.data").joinpath("lexicon", f"events_{lang}.yaml")
    if not res.is_file():
        return None
    with res.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    _check_words(data, f"events_{lang}.yaml")
    return data


def _check_words(node, where: str) -> None:
    """YAML reads bare on/off/yes/no as booleans: a word list must hold only strings."""
    if isinstance(node, dict):
        for k, v in node.items():
            _check_words(v, f"{where}:{k}")
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, bool):
                raise ValueError(f"{where}: a word is read as a boolean ({item}); quote words like \"on\" or \"no\"")
            _check_words(item, where)


def _time_words(lang: str) -> tuple[frozenset, frozenset]:
    """Month and weekday names (lower-case) from the time lexicon kg/data/lexicon/time_<lang>.yaml."""
    res = resources.files("kg.data").joinpath("lexicon", f"time_{lang}.yaml")
    if not res.is_file():
        res = resources.files("kg.data").joinpath("lexicon", "time_en.yaml")
    with res.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    months = {str(k).lower() for k in (data.get("months") or {})}
    days = {str(k).lower() for k in (data.get("weekdays") or {})}
    return frozenset(months), frozenset(days)


@cache
def lexicon(lang: str) -> Lexicon:
    data = _read(lang)
    if data is None:  # other languages: English cues are the best we have for loanwords; no triggers
        lex = Lexicon(lang=lang)
        lex.months_lower, lex.weekdays_lower = _time_words(lang)
        return lex
    lex = Lexicon(lang=lang)

    def add_entries(section: dict, etype: str) -> None:
        for lemma, opts in (section or {}).items():
            opts = opts or {}
            trig = Trigger(
                type=etype, lemma=lemma, weight=float(opts.get("weight", 0.6)), speech=bool(opts.get("speech")),
                negates=bool(opts.get("negates")), modality=opts.get("modality"), suffix=bool(opts.get("suffix")),
                participants_only=bool(opts.get("participants_only")), particle=opts.get("particle"),
                with_words=tuple(w.lower() for w in opts.get("with", []) or opts.get("with_object", []) or []),
                noun_only=bool(opts.get("noun_only")), attribution=opts.get("attribution"),
                quote_only=bool(opts.get("quote_only")), needs_object=bool(opts.get("needs_object")), governs=opts.get("governs"),
                not_after=tuple(w.lower() for w in opts.get("not_after", []) or []),
            )
            forms = [lemma, *(opts.get("forms") or [])]
            if trig.particle:
                for stem in opts.get("stem") or []:
                    lex.split.setdefault(stem.lower(), []).append(trig)
            for form in forms:
                words = tuple(str(form).lower().split())
                if len(words) == 1:
                    lex.single.setdefault(words[0], []).append(trig)
                else:
                    lex.multi.setdefault(words, []).append(trig)
            if trig.suffix:
                lex.suffixes.append((lemma.lower(), trig))
                for form in opts.get("forms") or []:
                    if " " not in form:
                        lex.suffixes.append((str(form).lower(), trig))

    for etype, section in (data.get("triggers") or {}).items():
        add_entries(section, etype)
    add_entries(data.get("speech") or {}, "SPEECH")
    lex.suffixes.sort(key=lambda x: -len(x[0]))
    for words in sorted(lex.multi, key=len, reverse=True):  # longest first
        lex.multi_by_first.setdefault(words[0], []).append(words)
    mod = data.get("modality") or {}
    lex.negation = frozenset(w.lower() for w in mod.get("negation", []))
    lex.planned = frozenset(w.lower() for w in mod.get("planned", []))
    lex.reported = frozenset(w.lower() for w in mod.get("reported", []))
    lex.reported_phrases = tuple(w.lower() for w in mod.get("reported_phrases", []))
    lex.hypothetical = frozenset(w.lower() for w in mod.get("hypothetical", []))
    lex.titles = {k.lower(): v for k, v in (data.get("titles") or {}).items()}
    lex.title_words_max = max((len(k.split()) for k in lex.titles), default=1)
    lex.affiliation = frozenset(data.get("affiliation") or [])
    lex.pronouns = {p: g for g, words in (data.get("pronouns") or {}).items() for p in words}
    lex.not_names = frozenset(data.get("not_names") or [])
    lex.months_lower, lex.weekdays_lower = _time_words(lang)
    lex.directions = frozenset(str(w).lower() for w in data.get("directions") or [])
    lex.nouns = frozenset(str(w).lower() for w in data.get("nouns") or [])
    lex.light_verbs = frozenset(str(w).lower() for w in data.get("light_verbs") or [])
    lex.generic_speakers = frozenset(str(w).lower() for w in data.get("generic_speakers") or [])
    lex.relation_cues = {k: tuple(str(w).lower() for w in v) for k, v in (data.get("relation_cues") or {}).items()}
    return lex
