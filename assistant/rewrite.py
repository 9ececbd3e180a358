"""Follow-up questions: "And if I have two children?" only makes sense with the conversation so far.

A question is a follow-up when there is history and it is short, starts with a connective
("and", "und", "so", "و", "і", "и", "peki" ...) or leans on something said before ("that",
"das", "это" ...). Its search query then carries the previous user turns, and the provisions
cited earlier (by the user or in the assistant's answers) become a retrieval signal of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.text import normalise_for_matching
from assistant.glossary import Reading, read
from core.citations import DEFAULT_LAW, LegalRef, bare_sections, find_refs

SHORT_WORDS = 14
_CONNECTIVES = (
    "and ", "and,", "but ", "so ", "ok", "okay", "what if", "what about", "then ", "also ",
    "und ", "und,", "aber ", "also ", "dann ", "was ist wenn", "was wenn", "und wenn", "ok ",
    "و", "ولكن", "طيب", "اما ", "ولی ", "پس ", "و اگر",
    "і ", "а ", "але ", "то ", "а якщо", "і якщо",
    "и ", "а ", "но ", "так ", "а если", "и если",
    "peki", "ve ", "ama ", "yani ", "o zaman", "ya ",
)
_ANAPHORA = re.compile(
    r"\b(?:that|this|it|those|then|there|he|she|they|das|dies|dann|dort|er|sie|es|"
    r"это|этом|тогда|він|вона|це|цьому|тоді|bu|bunu|o zaman)\b|ذلك|هذا|آن|این",
    re.IGNORECASE,
)


@dataclass
class Rewritten:
    query: str
    is_follow_up: bool
    carried_citations: list[str] = field(default_factory=list)


def _citations(text: str, refs: Iterable[LegalRef] | None = None) -> list[str]:
    out: list[str] = []
    for ref in find_refs(text, default_law=DEFAULT_LAW) if refs is None else refs:
        if ref.law and ref.provision not in out:
            out.append(ref.provision)
    for _, p in bare_sections(text):
        if p not in out:
            out.append(p)
    return out


def _own_topic(reading: Reading) -> bool:
    """The question names a provision or a specific legal concept of its own."""
    return bool(_citations(reading.text, reading.refs)) or bool(reading.expansion.specific)


def is_follow_up(question: str, history: list[dict] | None, reading: Reading | None = None) -> bool:
    if not history:
        return False
    norm = normalise_for_matching(question)
    if norm.startswith(_CONNECTIVES):
        return True
    if _own_topic(reading if reading is not None and reading.text == question else read(question)):  # a new, self-contained topic: "Was kostet eine Fiktionsbescheinigung?"
        return False
    if len(norm.split()) <= SHORT_WORDS:
        return True
    return bool(_ANAPHORA.search(question)) and len(norm.split()) <= 2 * SHORT_WORDS


def rewrite(question: str, history: list[dict] | None, reading: Reading | None = None) -> Rewritten:
    """`reading`: the question already read (`glossary.read`), so it is not read twice."""
    if not is_follow_up(question, history, reading):
        return Rewritten(query=question, is_follow_up=False)
    turns = [h for h in history or [] if isinstance(h, dict) and isinstance(h.get("content"), str)]
    users = [h["content"] for h in turns if h.get("role") == "user"][-2:]
    carried: list[str] = []
    for h in reversed(turns):  # most recent first
        for cite in _citations(h["content"]):
            if cite not in carried:
                carried.append(cite)
    query = " ".join([*users, question])
    return Rewritten(query=query, is_follow_up=True, carried_citations=carried[:4])
