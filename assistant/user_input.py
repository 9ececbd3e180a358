"""What a user typed, made safe before anything else sees it; the one home of the question limit.

* `check_question` (the chat page): empty, overly long and binary-looking input gets a clear reason
  (an i18n key of the chat) instead of an answer; everything else is normalised (NFC, stray control
  characters and bidi overrides removed).
* `clean_question` (`ask()`, for every caller: app, evaluation, CLI): HTML tags stripped, never
  interpreted; control characters removed; cut at the same limit (and says so).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

# A question that needs more than this is a document, not a question; the retriever would only see
# its beginning anyway.
MAX_QUESTION_CHARS = 4000
# Share of non-printable characters above which the input is treated as binary.
MAX_NONPRINTABLE_SHARE = 0.10

_KEEP_CONTROLS = {"\n", "\t"}
_TAG = re.compile(r"<[^>]{0,500}>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bidi embedding/override/isolate controls can make text display differently from what it is.
# Zero-width (non-)joiners stay: Persian and Arabic spelling needs them.
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


@dataclass(frozen=True)
class InputCheck:
    ok: bool
    text: str = ""
    error: str | None = None  # i18n key: error_empty, error_too_long, error_binary
    values: dict[str, int] = field(default_factory=dict)  # for the message, e.g. length and limit


def _non_printable(ch: str) -> bool:
    if ch in _KEEP_CONTROLS or ch == "\r":
        return False
    # Cc control, Cs surrogate, Co private use, Cn unassigned; U+FFFD marks undecodable bytes.
    return unicodedata.category(ch) in {"Cc", "Cs", "Co", "Cn"} or ch == "\ufffd"


def check_question(raw: str | None, max_chars: int = MAX_QUESTION_CHARS) -> InputCheck:
    """Validate and normalise one chat message."""
    text = raw or ""
    if "\x00" in text:
        return InputCheck(False, error="error_binary")
    if text and sum(map(_non_printable, text)) / len(text) > MAX_NONPRINTABLE_SHARE:
        return InputCheck(False, error="error_binary")
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if not _non_printable(ch) and ch not in _BIDI_CONTROLS)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return InputCheck(False, error="error_empty")
    if len(text) > max_chars:
        return InputCheck(False, error="error_too_long", values={"length": len(text), "limit": max_chars})
    return InputCheck(True, text=text)


def clean_question(raw: object) -> tuple[str, bool]:
    """(plain text for retrieval, truncated?). HTML tags are stripped, never interpreted."""
    text = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    if "<" in text and ">" in text:
        text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _CONTROL.sub(" ", text)
    text = re.sub(r"[ \t]+", " ", text).strip()
    truncated = len(text) > MAX_QUESTION_CHARS
    return (text[:MAX_QUESTION_CHARS], truncated)
