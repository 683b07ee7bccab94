"""Language identification with lingua, restricted to the languages news input is likely in.

The detector is built once per process (``functools.cache``).  It runs in lingua's default
(high-accuracy) mode: on a 2,000-character sample low-accuracy mode saved only ~0.4 ms per
article (1.6 ms -> 1.2 ms) while being less reliable on short texts, so it is not worth it.
Only the first ``MAX_CHARS`` characters are examined.
"""
from __future__ import annotations

import functools

__all__ = ["LANGUAGES", "MAX_CHARS", "detect_language"]

#: ISO 639-1 codes of the languages the detector chooses from.
LANGUAGES: tuple[str, ...] = (
    "en", "de", "fr", "es", "it", "nl", "pl", "ru", "uk", "pt", "tr", "ar", "zh", "ja", "ko",
)
MAX_CHARS = 2000
_MIN_LETTERS = 10  # below this the guess is noise ("Hello" -> Italian)


@functools.cache
def _detector():
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the language ``text`` is written in, or None if it cannot be told."""
    sample = text[:MAX_CHARS]
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return None
    language = _detector().detect_language_of(sample)
    if language is None:
        return None
    return language.iso_code_639_1.name.lower()
