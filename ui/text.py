"""Interface strings of the chat and inert rendering of any text that came from outside.

The strings live in `strings.toml` beside this file (data, per language). `inert_markdown`
turns arbitrary text into Markdown that Streamlit shows literally: no HTML, no links, no
formatting the writer did not intend. The app renders every user text through it.
"""

from __future__ import annotations

import string
import tomllib
from functools import lru_cache
from pathlib import Path

from core.languages import FALLBACK_LANGUAGE, SUPPORTED_LANGUAGES, is_rtl  # noqa: F401 - is_rtl is part of this module's API
from core.languages import normalise_language as _supported
from core.strings import StringTable

UI_STRINGS_PATH = Path(__file__).with_name("strings.toml")


@lru_cache(maxsize=1)
def _strings() -> dict:
    with UI_STRINGS_PATH.open("rb") as fh:
        return tomllib.load(fh)


def languages() -> dict[str, str]:
    """Language code -> its own name, in the order the selector shows them."""
    names = _strings()["languages"]
    return {code: names[code] for code in SUPPORTED_LANGUAGES}


def normalise_language(lang: str | None) -> str:
    """A supported code for `lang` ('de-DE' -> 'de'); unknown languages get English UI text."""
    return _supported(lang) or FALLBACK_LANGUAGE


def _chat_and_shared(code: str) -> dict[str, str]:
    """The shared table of a language plus the chat's own section (`[chat.<code>]`)."""
    return {**_strings().get(code, {}), **_strings().get("chat", {}).get(code, {})}


UI_STRINGS = StringTable("interface", _chat_and_shared)
t = UI_STRINGS.t


VALUE_LABELS = StringTable("value label", lambda code: _strings().get("values", {}).get(code, {}))


def value_label(lang: str | None, value: str) -> str:
    """Plain-language label of an enumerated fact value ('duldung' -> 'Duldung (toleration)')."""
    return VALUE_LABELS.lookup(lang, value) or value


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
