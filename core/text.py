"""Text normalisation and sentence splitting, one definition each.

`normalise_text` (quotes are checked with it): NFKC (composes "a" + combining diaeresis into "ä",
turns the no-break space into a space), lower-case with `str.lower` (NOT `casefold`, which would
turn "ß" into "ss" and let "Strasse" pass for "Straße"), typographic quotes and dashes unified,
soft hyphens removed, whitespace collapsed. "ä ö ü ß §" stay what they are.

`normalise_for_matching` (glossary and claim phrases, never shown): case- and script-variant
insensitive (Arabic/Persian letter variants, digits, diacritics, half-spaces).
"""

from __future__ import annotations

import re
import unicodedata

_QUOTE_CHARS = str.maketrans({c: '"' for c in "„“”«»‟″〝〞＂"} | {c: "'" for c in "‚‘’‹›′＇`´"})
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−﹣－"})
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))

_SENTENCE_END = re.compile(r"[.!?؟。]+[\"'”“»)]*\s+|\n+")
# "Abs. 1", "Nr. 3", "z. B. die", "e.g. the": a period after these does not end a sentence
_ABBREVIATIONS = {"abs", "nr", "nrn", "s", "art", "bzw", "vgl", "ca", "z", "b", "e", "g", "i", "v", "ggf", "sog", "usw", "etc", "bgbl", "no", "para", "sec", "u", "d", "h", "str", "dr", "st"}
_ARABIC_VARIANTS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ۀ": "ه",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ی",
        "\u0640": None,  # tatweel
        "\u200c": None,  # zero-width non-joiner (Persian half-space)
        "\u200d": None,
        "’": "'",
        "ʼ": "'",
        "`": "'",
    }
)
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_DIACRITICS = re.compile(r"[\u064B-\u065F\u0670]")


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_INVISIBLE).translate(_QUOTE_CHARS).translate(_DASHES).lower()
    return re.sub(r"\s+", " ", text).strip()


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, not split after legal abbreviations or before a number/lower-case word."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if not m.group(0).startswith("\n"):
            before = re.search(r"(\w+)[.!?؟。]*$", text[start : m.start() + 1])
            after = text[m.end() : m.end() + 1]
            if before and before.group(1).lower() in _ABBREVIATIONS:
                continue
            if after and (after.isdigit() or after.islower()):
                continue
        piece = text[start : m.end()].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def normalise_for_matching(text: str) -> str:
    """Case- and variant-insensitive form used for glossary matching (never shown to users)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _DIACRITICS.sub("", text.translate(_ARABIC_VARIANTS).translate(_DIGITS))
    return re.sub(r"\s+", " ", text).strip()
