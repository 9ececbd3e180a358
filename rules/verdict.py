"""Typed results of the rule checker. The chat, the evaluation and the CLI all read these."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

VerdictValue = Literal["met", "not_met", "needs_info", "discretionary"]
ConditionOutcome = Literal["met", "not_met", "unknown", "not_applicable"]
ClaimStatus = Literal["confirmed", "contradicted", "unverifiable"]


class ConditionResult(BaseModel):
    """One condition the checker evaluated, with the statute sentence it encodes."""

    condition_id: str
    outcome: ConditionOutcome
    citation: str = Field(description="canonical, as fine as the statute allows: 'AufenthG § 25b Abs. 1 Satz 2 Nr. 1'")
    labels: dict[str, str] = Field(description="plain-language label per language code (de, en, ar, fa, uk, tr, ru)")
    statute_text: str = Field("", description="the German sentence this condition encodes")
    detail: str = Field("", description="how the facts decided it, e.g. '6 years 2 months since 2020-09-01'")
    missing_facts: list[str] = Field(default_factory=list)

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.labels.get("de", self.condition_id)


class RuleVerdict(BaseModel):
    rule_id: str
    provision: str = Field(description="canonical provision, e.g. 'AufenthG § 25b'")
    verdict: VerdictValue
    as_of: str
    trace: list[ConditionResult]
    missing_facts: list[str] = Field(default_factory=list, description="fact names that would decide it, most decisive first")
    citations: list[str] = Field(default_factory=list, description="every provision the reasoning relied on")
    notes: list[str] = Field(default_factory=list, description="e.g. how the Härtefallkommission works, temporal remarks")


class ClaimCheck(BaseModel):
    rule_id: str
    asserted: VerdictValue
    status: ClaimStatus
    verdict: RuleVerdict | None
