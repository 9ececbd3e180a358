"""Numbers, units, dates and levels in German statute words and in the 7 answer languages."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Cyrillic А, В, С typed for a CEFR level ("рівень А2") count as the Latin letters
_CYRILLIC_LEVEL = str.maketrans("АВС", "ABC")

_UNITS_DE = {
    "years": r"Jahr(?:e|en|es|s)?\b|jährig",
    "months": r"Monat(?:e|en|s)?\b|monatig",
    "weeks": r"Woche(?:n)?\b",
    "days": r"(?:Kalender|Werk|Arbeits)?[Tt]ag(?:e|en|es)?\b",
    "hours": r"Stunde(?:n)?\b",
    "EUR": r"Euro\b|EUR\b|€",
}
# unit words of all seven languages, searched near the number (stems; Turkish 'ay' as a word)
_UNITS_ANY = {
    "years": r"jahr|jähr|year|سن[ةو]|سنين|عام|أعوام|سال|рок|рік|річ|yıl|yil|yaş|год|лет",
    "months": r"monat|month|شهر|أشهر|شهور|ماه|місяц|місяць|(?<![^\W\d_])ay(?:l|da|dır)?|месяц",
    "weeks": r"woche|week|أسبوع|أسابيع|هفته|тиж|hafta|недел",
    "days": r"tag|day|يوم|أيام|روز|дн|день|доб|gün|gun|сут",
    "hours": r"stunde|hour|ساع|ساعت|годин|saat|час",
    "EUR": r"euro|eur\b|€|يورو|یورو|євро|евро|avro",
}

NUMBER_WORDS_DE = {
    "null": 0, "eins": 1, "ein": 1, "eine": 1, "einem": 1, "einen": 1, "einer": 1, "eines": 1,
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
    "zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15,
    "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19, "zwanzig": 20, "dreißig": 30,
    "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90,
    "hundert": 100, "einhundert": 100, "tausend": 1000,
}
# spelled-out numbers that should be digits in an answer (de and en; "ein"/"one" are articles too)
_SPELLED = re.compile(
    r"\b(?:zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|hundert|"
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundred)\b",
    re.I,
)
MONTHS_DE = {
    m: i
    for i, m in enumerate(
        "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(), start=1
    )
}

# a citation written into an answer text: "§ 60a", "Abs. 6", "Satz 2", "Section 25b" ...
CITATION_IN_TEXT = re.compile(
    r"§+\s*\d*\w*|\b(?:Abs\.|Absatz|Absätze|Satz|Nr\.|Nummer|Buchst\.|Art\.|Artikel|Section|Paragraph|para\.)\s*\d+\w*",
    re.I,
)
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:[ .,\u00a0\u202f]\d{3})+(?![\d])")
_COMPOUND_UNIT = re.compile(r"(\w+?)(?:jährig|monatig|wöchig|tägig|stündig)\w*")
_LEVEL = re.compile(r"(?<![A-Za-z0-9])([ABC])[ \u00a0]?([12])(?![0-9])")  # "A2", statute style "A 1"


def _levels(text: str) -> list[str]:
    return [letter + digit for letter, digit in _LEVEL.findall(text)]
_INT = re.compile(r"\d+")


def ascii_digits(text: str) -> str:
    return text.translate(_DIGITS)


def german_number(word: str) -> int | None:
    """'sechs' → 6, 'vierundzwanzig' → 24, '18' → 18; None if not a number."""
    w = word.lower().strip(".,;:")
    if w.isdigit():
        return int(w)
    if w in NUMBER_WORDS_DE:
        return NUMBER_WORDS_DE[w]
    m = re.fullmatch(r"(\w+?)und(\w+zig|dreißig)", w)
    if m and m.group(1) in NUMBER_WORDS_DE and m.group(2) in NUMBER_WORDS_DE:
        return NUMBER_WORDS_DE[m.group(1)] + NUMBER_WORDS_DE[m.group(2)]
    return None


@dataclass
class Reading:
    """What the German span words of a key fact say."""

    numbers: list[int]
    units: list[str]
    dates: list[dt.date]
    levels: list[str]


def read_german(words: str) -> Reading:
    numbers: list[int] = []
    text = _THOUSANDS.sub(lambda m: re.sub(r"\D", "", m.group(0)), ascii_digits(words))  # "1 000" → 1000
    for token in re.findall(r"[\wäöüß]+", text):
        n = german_number(token)
        compound = _COMPOUND_UNIT.fullmatch(token.lower())
        if n is None and compound:  # "zweijährigen", "sechsmonatige"
            n = german_number(compound.group(1))
        if n is not None:
            numbers.append(n)
    units = [unit for unit, pattern in _UNITS_DE.items() if re.search(pattern, words)]
    dates: list[dt.date] = []
    for d, month, year in re.findall(r"(\d{1,2})\.\s*(" + "|".join(MONTHS_DE) + r")\s+(\d{4})", words):
        dates.append(_date(int(year), MONTHS_DE[month], int(d)))
    for d, m, y in re.findall(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})", words):
        dates.append(_date(int(y), int(m), int(d)))
    levels = _levels(words)
    return Reading(numbers, units, [d for d in dates if d], levels)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def prepare(text: str) -> str:
    """Answer text with ASCII digits and Latin level letters."""
    return ascii_digits(text).translate(_CYRILLIC_LEVEL)


def citations_in(text: str) -> list[str]:
    return [m.group(0).strip() for m in CITATION_IN_TEXT.finditer(text)]


def spelled_numbers_in(text: str) -> list[str]:
    return [m.group(0) for m in _SPELLED.finditer(text)]


def levels_in(text: str) -> list[str]:
    return _levels(prepare(text))


def numbers_in(text: str) -> list[tuple[str, int, int]]:
    """Integer tokens (value, start, end) of an answer text, ignoring levels and written citations."""
    text = prepare(text)
    text = CITATION_IN_TEXT.sub(lambda m: " " * len(m.group(0)), text)
    text = _LEVEL.sub(lambda m: " " * len(m.group(0)), text)
    out = []
    for m in _THOUSANDS.finditer(text):  # "1 000", "1.000", "1,000" are one number
        out.append((re.sub(r"\D", "", m.group(0)).lstrip("0") or "0", m.start(), m.end()))
    text = _THOUSANDS.sub(lambda m: " " * len(m.group(0)), text)
    out += [(m.group(0).lstrip("0") or "0", m.start(), m.end()) for m in _INT.finditer(text)]
    return sorted(out, key=lambda t: t[1])


def value_tokens(kind: str, value: str) -> set[str]:
    """The integer tokens a key fact allows in an answer text."""
    if kind == "level":
        return set()
    if kind == "date":
        d = dt.date.fromisoformat(value)
        return {str(d.year), str(d.day), str(d.month)}
    return {part.lstrip("0") or "0" for part in re.split(r"[.,]", value)}


def has_value(text: str, kind: str, value: str, unit: str | None) -> str | None:
    """None if `text` states the key fact's value (with its unit nearby); else what is missing."""
    prepared = prepare(text)
    if kind == "level":
        return None if value in _levels(prepared) else f"level {value} not found"
    tokens = numbers_in(text)
    if kind == "date":
        d = dt.date.fromisoformat(value)
        found = {t for t, _, _ in tokens}
        missing = [p for p in (str(d.year), str(d.day)) if p not in found]
        return None if not missing else f"date {value}: {' and '.join(missing)} not found (year and day must appear)"
    wanted = value.replace(",", ".").split(".")[0].lstrip("0") or "0"
    hits = [(s, e) for t, s, e in tokens if t == wanted]
    if not hits:
        return f"{value} not found (write it in digits)"
    pattern = _UNITS_ANY.get(unit or "") if kind in ("duration", "amount") else None
    if pattern is None:  # an age reads naturally without "years" ("children under 16")
        return None
    for start, end in hits:
        window = prepared[max(0, start - 25) : end + 40].lower()
        if re.search(pattern, window):
            return None
    return f"{value} found, but no '{unit}' word next to it"
