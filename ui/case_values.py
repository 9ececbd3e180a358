"""Words for "check my case": its strings (case_strings.toml), facts as the person reads them
(question labels, never field names; values as words, never True/None; dates in local form), and
reading a typed date in the person's own way of writing it."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.strings import StringTable
from rules.dates import format_date
from rules.i18n import question_labels
from ui.text import is_rtl, normalise_language, t, value_label

CASE_STRINGS_PATH = Path(__file__).with_name("case_strings.toml")


@lru_cache(maxsize=1)
def _strings() -> dict:
    with CASE_STRINGS_PATH.open("rb") as fh:
        return tomllib.load(fh)


CASE_STRINGS = StringTable("case check", lambda code: _strings().get(code, {}))
ct = CASE_STRINGS.t

# Eastern Arabic and Persian digits are read like 0-9.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[./\-]\s*(\d{1,2})\s*[./\-]\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class TypedDateError(ValueError):
    """The text is not a date; the message is in the person's language."""


def parse_typed_date(text: str, lang: str) -> date:
    """'15.03.2019', '15/3/2019', '2019-03-15', '١٥/٠٣/٢٠١٩' -> date(2019, 3, 15). Day first, as in
    every language the app speaks; a year alone or a month alone is not a day, so it is refused."""
    cleaned = text.strip().translate(_DIGITS).replace("\u200f", "").replace("\u200e", "")
    m = _ISO.fullmatch(cleaned)
    parts = (m.group(3), m.group(2), m.group(1)) if m else None
    if parts is None and (m := _DAY_MONTH_YEAR.fullmatch(cleaned)):
        parts = (m.group(1), m.group(2), m.group(3))
    try:
        if parts is None:
            raise ValueError(text)
        day = date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        raise TypedDateError(ct(lang, "date_invalid", text=text.strip()[:40], example=ct(lang, "date_example"))) from None
    return day


# The terminal interview explains raw choice values in brackets ("(duldung: …; none: …)"); the app
# shows each choice in words instead, so that key is cut.
_RAW_CHOICE_KEY = re.compile(r"\s*\((?:[a-z]+: [^()]*)\)?\s*$")


def isolate(text: str, lang: str) -> str:
    """Latin text (citations, German words) inside right-to-left text, isolated so that brackets and
    colons stay on their side (Unicode FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE)."""
    return f"\u2068{text}\u2069" if is_rtl(lang) and text else text


def question_label(fact: str, lang: str) -> str:
    """The question the check asks for `fact`, in `lang`: how a fact is named to the person."""
    texts = question_labels(fact)
    text = texts.get(normalise_language(lang)) or texts.get("en") or texts.get("de") or fact
    return _RAW_CHOICE_KEY.sub("", text) or text


def number_words(value: float | int, lang: str) -> str:
    text = f"{value:g}"
    return text if lang in {"en"} else text.replace(".", ",")


def value_words(fact: str, value: Any, lang: str) -> str:
    """A fact's value as the person reads it: 'ja', '15. März 2019', 'Duldung', '35 Stunden pro Woche'."""
    return isolate(_value_words(fact, value, lang), lang)


def _value_words(fact: str, value: Any, lang: str) -> str:
    if value is None:
        return ct(lang, "not_known")
    if isinstance(value, bool):
        return t(lang, "yes" if value else "no")
    if isinstance(value, date):
        return format_date(value, lang)
    if isinstance(value, (int, float)):
        if "hours" in fact:
            return ct(lang, "hours_value", hours=number_words(value, lang))
        return number_words(value, lang)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return format_date(date.fromisoformat(value), lang)
    if isinstance(value, str):
        return value_label(lang, value)
    return str(value)
