"""What a user typed, made safe before anything else sees it; the one home of the question limit.

* `check_question` (the chat page): empty, overly long and binary-looking input gets a clear reason
  (an i18n key of the chat) instead of an answer; everything else is normalised (NFC, stray control
  characters and bidi overrides removed).
* `clean_input` (the first step of `ask()`, for every caller: app, evaluation, CLI): the question
  and the conversation history are cut BEFORE any other work (a pasted book or a 1,000-turn history
  costs no more than the limit), then cleaned: entities decoded first and tags stripped afterwards
  (so "&lt;script&gt;" cannot come back as a live tag), never interpreted; control characters,
  lone surrogates, private-use and bidi controls removed. Input without a word or a § reference
  (emoji only, "12345", bytes, binary) is *unreadable*: the pipeline answers "could not answer"
  instead of searching for it. A language hint that is not a string is no hint.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

# A question that needs more than this is a document, not a question; the retriever would only see
# its beginning anyway.
MAX_QUESTION_CHARS = 4000
# Share of non-printable characters above which the input is treated as binary.
MAX_NONPRINTABLE_SHARE = 0.10
# The raw text is cut here before anything else looks at it; tags and entities can make the raw
# text several times longer than what is left after cleaning.
MAX_RAW_CHARS = 4 * MAX_QUESTION_CHARS
# A follow-up is resolved from the last turns only (rewrite uses the last two user turns and the
# most recent citations); older turns are dropped before they are cleaned.
MAX_HISTORY_TURNS = 10
# Longer tag nestings than this are not peeled further: the remaining angle brackets are dropped.
_MAX_TAG_PASSES = 5

_KEEP_CONTROLS = {"\n", "\t"}
_TAG = re.compile(r"<[^<>]*>")  # innermost first; repeated until none is left
_CITATION = re.compile(r"§\s*\d")
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
    if len(text) > MAX_RAW_CHARS:  # refused before the per-character checks walk a pasted book
        return InputCheck(False, error="error_too_long", values={"length": len(text.strip()), "limit": max_chars})
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


class CleanInput(NamedTuple):
    """What `ask()` works with; `text` is "" when the question is empty or unreadable."""

    text: str
    truncated: bool
    history: list[dict[str, str]]
    language: str | None
    unreadable: bool


def clean_input(question: object, history: object = None, language: object = None) -> CleanInput:
    """The question, the last turns of the history and the language hint, cut first, then cleaned."""
    text, truncated, unreadable = _clean_text(question)
    return CleanInput(text, truncated, _clean_history(history), language[:32] if isinstance(language, str) else None, unreadable)


def clean_question(raw: object) -> tuple[str, bool]:
    """(plain text for retrieval, truncated?). HTML tags are stripped, never interpreted."""
    text, truncated, _ = _clean_text(raw)
    return text, truncated


def is_blank(raw: object) -> bool:
    """Nothing was typed at all (as opposed to something unreadable)."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _clean_history(history: object) -> list[dict[str, str]]:
    if not isinstance(history, (list, tuple)):
        return []
    turns: list[dict[str, str]] = []
    for turn in history[-MAX_HISTORY_TURNS:]:
        if not isinstance(turn, dict) or not isinstance(turn.get("role"), str):
            continue
        content, _, _ = _clean_text(turn.get("content"))
        if content:
            turns.append({"role": turn["role"][:32], "content": content})
    return turns


def _clean_text(raw: object) -> tuple[str, bool, bool]:
    """(text, truncated?, unreadable?). Bytes and other non-text are unreadable, not str()-ed."""
    if is_blank(raw):
        return "", False, False
    if not isinstance(raw, str):
        return "", False, True
    text = raw[:MAX_RAW_CHARS]
    truncated = len(raw) > len(text)
    # each distinct character is looked at once, not each character: a long text has few distinct ones
    non_printable = {ch for ch in set(text) if _non_printable(ch)}
    if "\x00" in non_printable or sum(map(text.count, non_printable)) / len(text) > MAX_NONPRINTABLE_SHARE:
        return "", False, True
    text = _drop_invisible(text)  # lone surrogates first: normalisation and decoding choke on them
    text = _strip_tags(html.unescape(unicodedata.normalize("NFC", text)))
    text = _drop_invisible(text)  # entities can decode to control characters
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ \t]+", " ", text).strip()
    if text and not any(ch.isalpha() for ch in text) and not _CITATION.search(text):
        return "", False, True  # emoji only, "12345", punctuation: no question to search for
    truncated = truncated or len(text) > MAX_QUESTION_CHARS
    return text[:MAX_QUESTION_CHARS], truncated, False


def _drop_invisible(text: str) -> str:
    """Non-printable characters become spaces, bidi controls vanish."""
    table = {ord(ch): (None if ch in _BIDI_CONTROLS else " ") for ch in set(text) if ch in _BIDI_CONTROLS or _non_printable(ch)}
    return text.translate(table) if table else text


def _strip_tags(text: str) -> str:
    for _ in range(_MAX_TAG_PASSES):
        if "<" not in text or ">" not in text:
            return text
        text = _TAG.sub(" ", text)
    return text.replace("<", " ").replace(">", " ") if _TAG.search(text) else text
