"""Which supported language a question is written in (lingua, restricted to our languages)."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

SUPPORTED_LANGUAGES = ("de", "en", "ar", "fa", "uk", "tr", "ru")
FALLBACK_LANGUAGE = "en"

# Script hints decide quickly and robustly where lingua's n-gram statistics are weak on short,
# mixed texts ("Duldung § 60d kaç ay?"): a question with Persian-only letters is Farsi, etc.
_PERSIAN_ONLY = re.compile(r"[پچژگکی]")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
_UKRAINIAN_ONLY = re.compile(r"[іїєґІЇЄҐ]")
_RUSSIAN_ONLY = re.compile(r"[ыэъЫЭЪё]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_TURKISH_ONLY = re.compile(r"[ğışĞİŞ]")
# German statutory words are quoted in questions of every language; they must not make a
# Turkish or English question "German", so they are removed before detection.
_GERMAN_LOANWORDS = re.compile(
    r"\b(?:duldung\w*|aufenthalt\w*|ausbildung\w*|beschäftigung\w*|ausländerbehörde|härtefall\w*|"
    r"fiktionsbescheinigung|niederlassungserlaubnis|wohnsitz\w*|widerspruch|klage|antrag|"
    r"chancen-aufenthaltsrecht|\w*kenntnisse|bürgergeld|jobcenter|bamf|aufenthg|aufenthv|abs|satz|nr)\b",
    re.IGNORECASE,
)
# Words the user quotes ('hinreichende') are usually the German terms asked about, not the user's language.
_QUOTED = re.compile(r"(?<!\w)[\'\"‚„“”‘’«»][^\'\"‚„“”‘’«»]{1,60}[\'\"‚„“”‘’«»](?!\w)")
_CITATION = re.compile(r"§+\s*\d+\s*[a-z]?(?:\s*(?:abs\.?|absatz)\s*\d+[a-z]?)?", re.IGNORECASE)


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [
        Language.GERMAN,
        Language.ENGLISH,
        Language.ARABIC,
        Language.PERSIAN,
        Language.UKRAINIAN,
        Language.TURKISH,
        Language.RUSSIAN,
    ]
    return LanguageDetectorBuilder.from_languages(*languages).build()


_lock = threading.Lock()


def normalise_language(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().lower().split("-")[0].split("_")[0]
    return code if code in SUPPORTED_LANGUAGES else None


def detect_language(text: str, explicit: str | None = None) -> str:
    """The user's language: an explicit, supported choice wins; otherwise detected; else English."""
    chosen = normalise_language(explicit)
    if chosen:
        return chosen
    if not text or not text.strip():
        return FALLBACK_LANGUAGE
    if _ARABIC_SCRIPT.search(text):
        return "fa" if _PERSIAN_ONLY.search(text) else "ar"
    if _CYRILLIC.search(text):
        if _UKRAINIAN_ONLY.search(text):
            return "uk"
        if _RUSSIAN_ONLY.search(text):
            return "ru"
    stripped = _GERMAN_LOANWORDS.sub(" ", _CITATION.sub(" ", _QUOTED.sub(" ", text)))
    if _TURKISH_ONLY.search(stripped):
        return "tr"
    if len(stripped.strip()) < 3:
        stripped = text
    with _lock:  # lingua's detector is not documented as thread-safe
        result = _detector().detect_language_of(stripped)
    if result is None:
        return FALLBACK_LANGUAGE
    code = result.iso_code_639_1.name.lower()
    return code if code in SUPPORTED_LANGUAGES else FALLBACK_LANGUAGE
