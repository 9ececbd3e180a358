"""Per-language string tables (data files) and the one translator `StringTable.t`.

The composed answer's template sentences and the chat's interface strings are two tables read the
same way: the user's language first, then English, then German; placeholders in {braces}."""

from __future__ import annotations

from collections.abc import Callable

from core.languages import FALLBACK_LANGUAGE, normalise_language

FALLBACK_CHAIN = (FALLBACK_LANGUAGE, "de")


class StringTable:
    """`tables(code)` returns the strings of one language (cached by the caller)."""

    def __init__(self, name: str, tables: Callable[[str], dict[str, str]]) -> None:
        self.name = name
        self._tables = tables

    def lookup(self, lang: str | None, key: str) -> str | None:
        for code in (normalise_language(lang) or FALLBACK_LANGUAGE, *FALLBACK_CHAIN):
            text = self._tables(code).get(key)
            if text:
                return text
        return None

    def t(self, lang: str | None, key: str, **values: object) -> str:
        """The string `key` in `lang` with `values` filled in."""
        text = self.lookup(lang, key)
        if text is None:
            raise KeyError(f"{self.name} string {key!r} is missing in every language")
        return text.format(**values) if values else text
