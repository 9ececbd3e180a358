"""Opt-in, anonymised log of questions the sources could not answer.

Off by default (`Settings.log_unanswered`): then nothing is written, ever. When an NGO turns it on,
each unanswered question is appended to `Settings.unanswered_log_path` (JSON Lines) after removing
what could identify a person: e-mail addresses, links, dates, every number except statute
references, names after "my name is"-type phrases and capitalised words inside a sentence that are
not legal vocabulary. Only the day, the language and the reason are kept beside the text; no
session, no history, no case facts. The anonymiser is a best effort, which is why the log is opt-in.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from core.settings import Settings, get_settings

MAX_LOGGED_CHARS = 500

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MONTHS = (
    "januar|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|dezember|"
    "january|february|march|may|june|july|october|december|jan|feb|mär|mar|apr|jun|jul|aug|sep|sept|okt|oct|nov|dez|dec"
)
_DATE = re.compile(
    r"\b\d{1,4}[./-]\d{1,2}(?:[./-]\d{2,4})?\b"  # 12.03.2020, 2020-03-12, 03/2020
    rf"|\b\d{{1,2}}\.?\s+(?:{_MONTHS})\.?(?:\s+\d{{2,4}})?\b"  # 12. März 2020
    rf"|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{2,4}})?\b",  # March 12, 2020
    re.IGNORECASE,
)
# Statute references are not personal and are what the NGO needs to see.
_STATUTE_REF = re.compile(
    r"(?:§§?|Art\.|Artikel|Article|Section)\s*\d+\s*[a-z]?\b"
    r"(?:\s*(?:(?:Abs\.?|Absatz|Satz|S\.|Nr\.?|para\.?)\s*\d+[a-z]?\b|\(\d+\)))*",
    re.IGNORECASE,
)
# Statute references are parked as private-use characters (no digits) while numbers are masked.
_PLACEHOLDER = "\ue000"
_PLACEHOLDER_BASE = 0xE100
_NUMBER = re.compile(r"[+]?\d[\d\s./:-]*\d|\d")
_NAME_CUES = re.compile(
    r"(my name is|i am called|i'm called|ich heiße|ich heisse|mein name ist|name:|"
    r"اسمي|اسم من|мене звати|моє ім'я|меня зовут|моё имя|мое имя|benim adım|adım)\s+"
    r"([^\s,.;]+(?:\s+(?-i:[A-ZÄÖÜА-ЯІЇЄҐ])[^\s,.;]*)?)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Capitalised words that are fine even though they may not occur in the statutes.
_ALLOWED_CAPITALISED = {
    "i", "germany", "deutschland", "german", "deutsch", "aufenthg", "aufenthv", "asylg", "bamf",
    "duldung", "ausländerbehörde", "auslaenderbehoerde", "jobcenter", "härtefallkommission",
    "residence", "act", "ordinance", "eu", "sgb", "gg",
}


@lru_cache(maxsize=4)
def _statute_vocabulary(shared_dir: Path) -> frozenset[str]:
    """Lower-cased words of the statute texts (German and the English translation)."""
    words: set[str] = set()
    for path in (shared_dir / "corpus" / "statutes").rglob("*.md"):
        words.update(w.lower() for w in _WORD.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return frozenset(words)


def _mask_capitalised_names(text: str, vocabulary: frozenset[str]) -> str:
    out: list[str] = []
    sentence_start = True
    for piece in re.split(r"(\s+)", text):
        word = piece.strip("\"'“”„«»()[]{}.,;:!?¿¡؟،")
        if (
            word
            and not sentence_start
            and word[0].isupper()
            and word.lower() not in vocabulary
            and word.lower() not in _ALLOWED_CAPITALISED
        ):
            piece = piece.replace(word, "[name]")
        if piece.strip():
            sentence_start = piece.rstrip("\"'”»)").endswith((".", "!", "?", "؟", ":"))
        out.append(piece)
    return "".join(out)


def anonymise(text: str, vocabulary: frozenset[str] = frozenset()) -> str:
    """`text` with identifying details replaced by placeholders ([email], [date], [number], [name])."""
    text = _EMAIL.sub("[email]", text)
    text = _URL.sub("[link]", text)
    text = _DATE.sub("[date]", text)
    protected: list[str] = []

    def _protect(match: re.Match[str]) -> str:
        protected.append(match.group(0))
        return _PLACEHOLDER + chr(_PLACEHOLDER_BASE + len(protected) - 1)

    text = _STATUTE_REF.sub(_protect, text)
    text = _NUMBER.sub("[number]", text)
    text = _NAME_CUES.sub(lambda m: f"{m.group(1)} [name]", text)
    text = _mask_capitalised_names(text, vocabulary)
    text = re.sub(_PLACEHOLDER + ".", lambda m: protected[ord(m.group(0)[1]) - _PLACEHOLDER_BASE], text)
    return re.sub(r"\s+", " ", text).strip()[:MAX_LOGGED_CHARS]


def log_path(settings: Settings) -> Path:
    return settings.unanswered_log_path or (settings.cache_dir / "unanswered.jsonl")


def record_unanswered(question: str, language: str, reason: str, settings: Settings | None = None) -> bool:
    """Append one anonymised entry if the NGO opted in; returns whether anything was written."""
    settings = settings or get_settings()
    if not settings.log_unanswered:
        return False
    entry = {
        "day": datetime.now(UTC).date().isoformat(),
        "language": language,
        "reason": reason,
        "question": anonymise(question, _statute_vocabulary(settings.shared_dir)),
    }
    path = log_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return True
