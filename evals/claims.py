"""The evaluation's own detector of eligibility claims, independent of the pipeline's gate.

If the evaluation used the gate's phrase list, a claim the gate misses would be invisible to the
evaluation too. The patterns here (claim_patterns.json, data beside this file) were written apart
from the gate's list: regular expressions per language for a sentence that tells the reader they
are eligible, entitled, meet the conditions, will receive a permit or may move; a sentence with a
hedge (whether, if, a question) asserts nothing. Matching is on folded text (`fold`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

PATTERNS_PATH = Path(__file__).resolve().parent / "claim_patterns.json"

# Letter variants that spell the same word differently in Arabic and Persian texts.
_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "’": "'", "`": "'"})
_DROPPED = re.compile("[\u064b-\u065f\u0670\u0640\u200c\u200d]")  # harakat, superscript alef, tatweel, joiners


def fold(text: str) -> str:
    """NFKC, casefold, Arabic/Persian letter variants unified, vowel marks and joiners dropped."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_LETTERS)
    return re.sub(r"\s+", " ", _DROPPED.sub("", text)).strip()


class ClaimPatternError(ValueError):
    """claim_patterns.json is malformed; the message names the language and the pattern."""


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    data = json.loads(PATTERNS_PATH.read_text(encoding="utf-8"))
    claims: list[re.Pattern[str]] = []
    hedges: list[re.Pattern[str]] = []
    for lang, entry in data.items():
        if lang.startswith("_"):
            continue
        for kind, target in (("claims", claims), ("hedges", hedges)):
            for source in entry.get(kind, []):
                try:
                    target.append(re.compile(fold(source)))
                except re.error as err:
                    raise ClaimPatternError(f"{PATTERNS_PATH.name}: {lang}.{kind}: {source!r}: {err}") from None
    return tuple(claims), tuple(hedges)


def is_claim(sentence: str) -> bool:
    """The sentence asserts that the reader is eligible (in any supported language)."""
    claims, hedges = _patterns()
    folded = fold(sentence)
    return any(p.search(folded) for p in claims) and not any(p.search(folded) for p in hedges)
