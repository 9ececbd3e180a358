"""The languages the product speaks, and how a language code is read."""

from __future__ import annotations

# The order is the order of the language selector.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("de", "en", "ar", "fa", "uk", "tr", "ru")
FALLBACK_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"ar", "fa"})


def normalise_language(code: str | None) -> str | None:
    """The supported code for `code` ('de-DE', 'DE_de' -> 'de'); None when it is not supported."""
    if not code:
        return None
    code = code.strip().lower().split("-")[0].split("_")[0]
    return code if code in SUPPORTED_LANGUAGES else None


def is_rtl(lang: str | None) -> bool:
    return normalise_language(lang) in RTL_LANGUAGES
