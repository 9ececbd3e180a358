"""The evaluation's own language detector for answer text (de, en, ar, fa, uk, tr, ru).

Deliberately independent of the assistant's detector (lingua in `assistant/language.py`): a measure
that asked the assistant's own detector whether the assistant answered in the right language could
not catch the detector's mistakes (a Kurdish question answered in Turkish). This one uses only the
script and a short list of function words and letters per language, in `langid_markers.json`.

Statute citations ("AufenthG § 60b Abs. 5 Satz 2", with a heading in brackets after them) and quoted
German („…“) are removed first: an English lead that cites the German statute is still an English lead.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from core.citations import reference_spans

SUPPORTED = ("de", "en", "ar", "fa", "uk", "tr", "ru")
UNDETERMINED = ""

# What may stand around a reference that core.citations.reference_spans leaves: the law's name
# before it, a Buchstabe after it, and the German heading in brackets ("§ 38a (Aufenthaltserlaubnis für …)").
_AROUND_REFERENCE = re.compile(r"\b(?:AufenthG|AufenthV)\s*$")
_AFTER_REFERENCE = re.compile(r"^(?:\s*(?:Buchst\.|Buchstabe)\s*[a-z]{1,2}\b)?(?:\s*\([^()]*\))?")
# German words (headings, terms like "Duldung") inside an Arabic-script or Cyrillic answer are
# loanwords; an English or German answer has no Arabic or Cyrillic letters. So a non-Latin script
# with at least this share of the letters decides the family.
NON_LATIN_SHARE = 0.2
_GERMAN_QUOTE = re.compile(r"„[^“”]*[“”]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _markers() -> dict:
    return json.loads((Path(__file__).with_name("langid_markers.json")).read_text(encoding="utf-8"))


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    for script in ("ARABIC", "CYRILLIC", "LATIN"):
        if name.startswith(script):
            return script
    return ""


def _strip(text: str) -> str:
    """The text without German quotes and legal references (the citation grammar is core.citations')."""
    text = _GERMAN_QUOTE.sub(" ", text or "")
    pieces, pos = [], 0
    for start, end in reference_spans(text):
        if start < pos:
            continue
        before = _AROUND_REFERENCE.search(text, pos, start)
        pieces.append(text[pos : before.start() if before else start])
        pos = end + _AFTER_REFERENCE.match(text[end:]).end()
        pieces.append(" ")
    pieces.append(text[pos:])
    return "".join(pieces)


def _best(text: str, words: list[str], langs: tuple[str, ...]) -> str:
    """The language with the most function-word and marker-letter hits (ties: undetermined)."""
    markers = _markers()
    scores = {}
    for lang in langs:
        m = markers[lang]
        stop = set(m["words"])
        score = sum(1 for w in words if w in stop)
        score += sum(text.count(ch) for ch in m.get("letters", ""))
        scores[lang] = score
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    if ranked[0][1] == 0 or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return UNDETERMINED
    return ranked[0][0]


def detect(text: str) -> str:
    """Language code of `text` (one of SUPPORTED) or "" when it cannot be told."""
    text = unicodedata.normalize("NFC", _strip(text))
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            s = _script(ch)
            if s:
                counts[s] = counts.get(s, 0) + 1
    if not counts:
        return UNDETERMINED
    total = sum(counts.values())
    non_latin = {k: v for k, v in counts.items() if k != "LATIN" and v / total >= NON_LATIN_SHARE}
    script = max(non_latin, key=non_latin.get) if non_latin else max(counts, key=counts.get)
    folded = text.casefold()
    words = _WORD.findall(folded)
    if script == "ARABIC":
        return _best(folded, words, ("ar", "fa"))
    if script == "CYRILLIC":
        return _best(folded, words, ("uk", "ru"))
    return _best(folded, words, ("de", "en", "tr"))
