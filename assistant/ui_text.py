"""Interface strings of the chat and inert rendering of any text that came from outside.

The strings live in `i18n_ui.toml` beside this file (data, per language). `inert_markdown`
turns arbitrary text into Markdown that Streamlit shows literally: no HTML, no links, no
formatting the writer did not intend. The app renders every user text through it.
"""

from __future__ import annotations

import string
import tomllib
from functools import lru_cache
from pathlib import Path

UI_STRINGS_PATH = Path(__file__).with_name("i18n_ui.toml")
RTL_LANGUAGES = frozenset({"ar", "fa"})
FALLBACK_CHAIN = ("en", "de")


@lru_cache(maxsize=1)
def _strings() -> dict:
    with UI_STRINGS_PATH.open("rb") as fh:
        return tomllib.load(fh)


def languages() -> dict[str, str]:
    """Language code -> its own name, in the order the selector shows them."""
    return dict(_strings()["languages"])


def normalise_language(lang: str | None) -> str:
    """A supported code for `lang` ('de-DE' -> 'de'); unknown languages get English UI text."""
    code = (lang or "").split("-")[0].split("_")[0].lower()
    return code if code in languages() else "en"


def is_rtl(lang: str | None) -> bool:
    return normalise_language(lang) in RTL_LANGUAGES


def t(lang: str | None, key: str, **values: object) -> str:
    """The interface string `key` in `lang`, falling back to English, then German."""
    table = _strings()
    for code in (normalise_language(lang), *FALLBACK_CHAIN):
        text = table.get(code, {}).get(key)
        if text is not None:
            return text.format(**values) if values else text
    raise KeyError(f"interface string {key!r} is missing in every language")


def value_label(lang: str | None, value: str) -> str:
    """Plain-language label of an enumerated fact value ('duldung' -> 'Duldung (toleration)')."""
    table = _strings().get("values", {})
    for code in (normalise_language(lang), *FALLBACK_CHAIN):
        label = table.get(code, {}).get(value)
        if label is not None:
            return label
    return value


# Every ASCII punctuation character may be backslash-escaped in CommonMark, and an escaped one is
# always literal. Escaping all of them is simpler and safer than picking the "dangerous" ones:
# it covers HTML (<), links ([ ]( )), emphasis, headings, tables, Streamlit's :color[...] and
# $math$ directives alike.
_ESCAPE = str.maketrans({ch: "\\" + ch for ch in string.punctuation})


def inert_markdown(text: str) -> str:
    """Markdown that displays `text` literally, keeping its line breaks."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # Two trailing spaces make a hard line break; leading spaces would start a code block.
    return "  \n".join(line.strip().translate(_ESCAPE) for line in lines)
