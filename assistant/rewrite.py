"""Follow-up questions: "And if I have two children?" only makes sense with the conversation so far.

A question is a follow-up when there is history and it is short, starts with a connective
("and", "und", "so", "و", "і", "и", "peki" ...) or leans on something said before ("that",
"das", "это" ...). Its search query then carries the previous user turns, and the provisions
cited earlier (by the user or in the assistant's answers) become a retrieval signal of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.glossary import normalise_for_matching
from ingest.citations import find_refs

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


def _citations(text: str) -> list[str]:
    out: list[str] = []
    for ref in find_refs(text, default_law="AufenthG"):
        if ref.law and ref.provision not in out:
            out.append(ref.provision)
    for m in re.findall(r"(?<![\w§.,])(\d{1,3}[a-z])(?!\w)", text):
        p = f"AufenthG § {m.lower()}"
        if p not in out:
            out.append(p)
    return out


def _own_topic(question: str) -> bool:
    """The question names a provision or a specific legal concept of its own."""
    from assistant.glossary import expand

    return bool(_citations(question)) or bool(expand(question).specific)


def is_follow_up(question: str, history: list[dict] | None) -> bool:
    if not history:
        return False
    norm = normalise_for_matching(question)
    if norm.startswith(_CONNECTIVES):
        return True
    if _own_topic(question):  # a new, self-contained topic: "Was kostet eine Fiktionsbescheinigung?"
        return False
    if len(norm.split()) <= SHORT_WORDS:
        return True
    return bool(_ANAPHORA.search(question)) and len(norm.split()) <= 2 * SHORT_WORDS


def rewrite(question: str, history: list[dict] | None) -> Rewritten:
    if not is_follow_up(question, history):
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
