"""Which supported language a question is written in (lingua, restricted to our languages)."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from core.languages import FALLBACK_LANGUAGE, SUPPORTED_LANGUAGES, normalise_language

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
# Short function words decide between English and German where lingua is swayed by the German
# nouns a question quotes ("Does my Aufenthaltserlaubnis allow Erwerbstätigkeit?"): nouns are
# borrowed across languages, function words are not. Words spelt the same in both are left out.
_FUNCTION_WORDS = {
    "en": frozenset("the a an i i'm my me you your is are do does did can could how what when where which who why "
                    "to of for on with and or if it have has had be been will would should get got after before "
                    "not this that there they we our from at about".split()),
    "de": frozenset("der das den dem des ich mein meine meinen ist sind ein eine einen einem und oder wie wann wo "
                    "mit für nach von zu auf bei kann muss habe hat nicht sich auch wenn dass es sie wir mir mich "
                    "gilt werden wird im zum zur bin darf welche welcher gibt noch schon".split()),
}
_LATIN_WORD = re.compile(r"[a-zäöüß']+", re.IGNORECASE)
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


@lru_cache(maxsize=1)
def _cyrillic_detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.UKRAINIAN, Language.RUSSIAN).build()


def _by_function_words(text: str) -> str | None:
    """'en' or 'de' when the function words clearly say so (at least two, more than the other)."""
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    counts = {lang: sum(w in vocab for w in words) for lang, vocab in _FUNCTION_WORDS.items()}
    (best, n_best), (_, n_other) = sorted(counts.items(), key=lambda kv: -kv[1])
    return best if n_best >= 2 and n_best > n_other else None


_lock = threading.Lock()


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
        # Cyrillic without a telling letter ("Что такое Chancenkarte по AufenthG?") is Ukrainian or
        # Russian, never a Latin-script language because of the German words it quotes
        cyrillic_only = " ".join(re.findall(r"[\u0400-\u04FF]+", text))
        with _lock:
            result = _cyrillic_detector().detect_language_of(cyrillic_only)
        return "uk" if result is not None and result.iso_code_639_1.name.lower() == "uk" else "ru"
    stripped = _GERMAN_LOANWORDS.sub(" ", _CITATION.sub(" ", _QUOTED.sub(" ", text)))
    if _TURKISH_ONLY.search(stripped):
        return "tr"
    if len(stripped.strip()) < 3:
        stripped = text
    by_words = _by_function_words(stripped)
    if by_words:
        return by_words
    with _lock:  # lingua's detector is not documented as thread-safe
        result = _detector().detect_language_of(stripped)
    if result is None:
        return FALLBACK_LANGUAGE
    code = result.iso_code_639_1.name.lower()
    return code if code in SUPPORTED_LANGUAGES else FALLBACK_LANGUAGE


# ------------------------------------------------------------------ unsupported languages
# A question in a language we do not answer in must be recognised as such, never taken for the
# nearest supported one (Kurmanji with "ş" looked Turkish, Sorani/Pashto look Persian/Arabic).
UNSUPPORTED_NAMES: dict[str, tuple[str, str]] = {  # code -> (English name, German name)
    "ku": ("Kurdish (Kurmanji)", "Kurdisch (Kurmandschi)"),
    "ckb": ("Kurdish (Sorani)", "Kurdisch (Sorani)"),
    "ps": ("Pashto", "Paschtu"),
    "ur": ("Urdu", "Urdu"),
    "ti": ("Tigrinya", "Tigrinya"),
    "fr": ("French", "Französisch"),
    "so": ("Somali", "Somali"),
    "es": ("Spanish", "Spanisch"),
    "it": ("Italian", "Italienisch"),
    "sq": ("Albanian", "Albanisch"),
    "pt": ("Portuguese", "Portugiesisch"),
    "pl": ("Polish", "Polnisch"),
    "ro": ("Romanian", "Rumänisch"),
    "sw": ("Swahili", "Suaheli"),
    "vi": ("Vietnamese", "Vietnamesisch"),
}
_SORANI_ONLY = re.compile(r"[ڕڵۆێە]")  # letters Persian and Arabic do not use
_PASHTO_ONLY = re.compile(r"[ټډړږښګڼۍې]")
_URDU_ONLY = re.compile(r"[ٹڈڑںے]")
_ETHIOPIC = re.compile(r"[\u1200-\u137F]")
_KURMANJI_WORDS = frozenset(
    "ez tu em hûn ew min te wî wê me we ji li bi û ku çi çawa çima kengî kîjan heye hene nîne tune dikarim dikare "
    "dixwazim divê bikim bike bibim karê kar bo jî ye yê ya an yan çend sal destûr wergirim bigirim".split()
)
_KURMANJI_LETTERS = re.compile(r"[êîûÊÎÛ]")


def _looks_kurmanji(text: str) -> bool:
    words = [w.lower() for w in re.findall(r"[a-zçêîşûA-ZÇÊÎŞÛ]+", text)]
    hits = sum(w in _KURMANJI_WORDS for w in words)
    return hits >= 3 or (hits >= 2 and bool(_KURMANJI_LETTERS.search(text)))


@lru_cache(maxsize=1)
def _wide_detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [
        Language.GERMAN, Language.ENGLISH, Language.TURKISH,
        Language.FRENCH, Language.SOMALI, Language.SPANISH, Language.ITALIAN, Language.ALBANIAN,
        Language.PORTUGUESE, Language.POLISH, Language.ROMANIAN, Language.SWAHILI, Language.VIETNAMESE,
    ]
    return LanguageDetectorBuilder.from_languages(*languages).build()


UNSUPPORTED_MIN_CONFIDENCE = 0.6  # lingua's relative confidence; below it we keep the supported guess


def detect_unsupported(text: str) -> str | None:
    """The code of an unsupported language the question is written in (UNSUPPORTED_NAMES), or None."""
    if not text or not text.strip():
        return None
    if _ETHIOPIC.search(text):
        return "ti"
    if _ARABIC_SCRIPT.search(text):
        if _SORANI_ONLY.search(text):
            return "ckb"
        if _PASHTO_ONLY.search(text):
            return "ps"
        if _URDU_ONLY.search(text):
            return "ur"
        return None  # Arabic or Persian (Dari is Persian)
    if _CYRILLIC.search(text):
        return None
    stripped = _GERMAN_LOANWORDS.sub(" ", _CITATION.sub(" ", _QUOTED.sub(" ", text)))
    if _looks_kurmanji(stripped):
        return "ku"
    if _by_function_words(stripped) or _TURKISH_ONLY.search(stripped) or len(stripped.split()) < 3:
        return None
    with _lock:
        values = _wide_detector().compute_language_confidence_values(stripped)
    if not values:
        return None
    top = values[0]
    code = top.language.iso_code_639_1.name.lower()
    if code in SUPPORTED_LANGUAGES or top.value < UNSUPPORTED_MIN_CONFIDENCE:
        return None
    return code if code in UNSUPPORTED_NAMES else None


def unsupported_name(code: str, lang: str) -> str:
    english, german = UNSUPPORTED_NAMES.get(code, (code, code))
    return german if lang == "de" else english
