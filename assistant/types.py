"""Typed values that flow from `ask()` to the app, the evaluation, the CLI and the tests."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from core.chunk import SourceKind
from rules.verdict import RuleVerdict

BlockKind = Literal[
    "lead",  # template sentence in the user's language
    "conditions",  # plain-language conditions from the rule checker's labels
    "quote",  # binding German text, verbatim
    "translation",  # English translation, marked non-binding
    "guide",  # guide excerpt that agrees with the statute
    "conflict",  # a guide contradicts the statute or cites a provision that does not exist
    "temporal",  # the provision is expired / closed / transitional
    "verdict",  # a checker verdict with its trace
    "missing_facts",  # what the checker still needs to know
    "refusal",  # the sources do not cover it
    "notice",  # not legal advice, go to counselling
    "generated",  # validated LLM output (optional backends only)
    "direct",  # the direct answer: 1-3 sentences in the user's language, each cited
    "why",  # one verbatim statute sentence (German, Satz/Nr. citation); its translation follows as "translation"
    "todo",  # what to do next, cited
    "warning",  # guide conflict or expired-law note about the direct answer's provisions
    "more",  # marker line; every block after it is the "More" part
]


class Citation(BaseModel):
    citation: str = Field(description="canonical, e.g. 'AufenthG § 12a Abs. 5'")
    source_id: str
    source_title: str
    source_kind: SourceKind
    binding: bool
    quote: str = Field(description="verbatim from the chunk's stored text")
    url: str
    version: str = Field(description="Stand / version of the source")
    chunk_id: str
    language: str


class Block(BaseModel):
    kind: BlockKind
    text: str
    citations: list[Citation] = Field(default_factory=list)
    language: str = Field("", description="language of `text`; quotes stay German")


class RetrievedProvision(BaseModel):
    """One provision after fusion and per-provision aggregation, best first."""

    provision: str = Field(description="'AufenthG § 12a'")
    best_citation: str = Field(description="best-matching Absatz, e.g. 'AufenthG § 12a Abs. 5'")
    score: float
    chunk_ids: list[str]
    signals: dict[str, float] = Field(default_factory=dict, description="per-retriever ranks/scores for debugging")


class GateEvent(BaseModel):
    statement: str
    rule_id: str | None
    action: Literal["confirmed", "blocked", "rewritten", "asked_for_facts"]
    reason: str


class Answer(BaseModel):
    question: str
    language: str
    search_query: str = Field("", description="question after follow-up rewriting and glossary expansion")
    blocks: list[Block] = Field(default_factory=list)
    verdicts: list[RuleVerdict] = Field(default_factory=list)
    could_not_answer: bool = Field(False, description="the sources do not cover the question")
    missing_facts: list[str] = Field(default_factory=list)
    retrieved: list[RetrievedProvision] = Field(default_factory=list)
    gate_events: list[GateEvent] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict, description="per stage")
    backend: str = "compose"
    unsupported_language: str | None = Field(
        None, description="detected unsupported language code (e.g. 'ku'); the answer is then in English and German"
    )

    @property
    def citations(self) -> list[Citation]:
        return [c for b in self.blocks for c in b.citations]

    @property
    def cited_provisions(self) -> list[str]:
        seen: dict[str, None] = {}
        for c in self.citations:
            seen.setdefault(c.citation, None)
        return list(seen)

    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)

    @property
    def lead(self) -> str:
        """Text of the "direct" blocks: the direct answer."""
        return " ".join(b.text for b in self.blocks if b.kind == "direct")

    def _more_index(self) -> int:
        for i, block in enumerate(self.blocks):
            if block.kind == "more":
                return i
        return len(self.blocks)

    def shown_blocks(self) -> list[Block]:
        """All blocks before the "more" marker (everything when there is no marker)."""
        return self.blocks[: self._more_index()]

    def more_blocks(self) -> list[Block]:
        """The blocks after the "more" marker."""
        return self.blocks[self._more_index() + 1 :]

    def shown_text(self) -> str:
        return "\n\n".join(b.text for b in self.shown_blocks())
