"""Typed results of the rule checker. The chat, the evaluation and the CLI all read these."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

VerdictValue = Literal["met", "not_met", "needs_info", "discretionary"]
ConditionOutcome = Literal["met", "not_met", "unknown", "not_applicable"]
ClaimStatus = Literal["confirmed", "contradicted", "unverifiable"]
KeyDateKind = Literal["eligible_from", "deadline", "ends_on"]


class ConditionResult(BaseModel):
    """One condition the checker evaluated, with the statute sentence it encodes."""

    condition_id: str
    outcome: ConditionOutcome
    citation: str = Field(description="canonical, as fine as the statute allows: 'AufenthG § 25b Abs. 1 Satz 2 Nr. 1'")
    labels: dict[str, str] = Field(description="plain-language label per language code (de, en, ar, fa, uk, tr, ru)")
    statute_text: str = Field("", description="the German sentence this condition encodes")
    detail: str = Field("", description="how the facts decided it, e.g. '6 years 2 months since 2020-09-01'")
    missing_facts: list[str] = Field(default_factory=list)
    # added by the rules helper (compatible: defaults)
    waivable: bool = Field(False, description="not met, but the authority may overlook it by discretion")
    also_cited: list[str] = Field(default_factory=list, description="further provisions this condition relies on")

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.labels.get("de", self.condition_id)


class KeyDate(BaseModel):
    """A date the person needs: when a time condition is (or will be) met, the last day to act, or when
    an obligation ends. Computed by rules/dates.py with the period helpers the verdict uses."""

    kind: KeyDateKind = Field(description="eligible_from: condition met from this day on; deadline: last day to act; ends_on: last day an obligation binds")
    date: dt.date
    condition_id: str = Field(description="the condition of the trace this date belongs to")
    citation: str = Field(description="down to Satz/Nr., e.g. 'AufenthG § 25a Abs. 1 Satz 1 Nr. 3'")
    label: str = Field(description="in the requested language, with the date in local form")
    labels: dict[str, str] = Field(description="the same label per language code")
    in_past: bool = Field(description="the date lies before as_of (reached, or a deadline missed)")


class RuleVerdict(BaseModel):
    rule_id: str
    provision: str = Field(description="canonical provision, e.g. 'AufenthG § 25b'")
    verdict: VerdictValue
    as_of: str
    trace: list[ConditionResult]
    missing_facts: list[str] = Field(default_factory=list, description="fact names that would decide it, most decisive first")
    citations: list[str] = Field(default_factory=list, description="every provision the reasoning relied on")
    notes: list[str] = Field(default_factory=list, description="e.g. how the Härtefallkommission works, temporal remarks")
    # added by the rules helper (compatible: defaults)
    notes_i18n: list[dict[str, str]] = Field(default_factory=list, description="each note per language code")
    text_version: str = Field("current", description="statute text applied: 'current' or e.g. 'fassung_bis_2025-12-31'")
    presumed_absent: list[str] = Field(default_factory=list, description="unknown facts the checker treated as absent; "
                                       "each comes with a note in `notes` (README: interpretation choices)")
    key_dates: list[KeyDate] = Field(default_factory=list, description="dates to act on or wait for, earliest first")

    def label(self, condition_id: str, lang: str) -> str:
        for item in self.trace:
            if item.condition_id == condition_id:
                return item.label(lang)
        raise KeyError(condition_id)


class ClaimCheck(BaseModel):
    rule_id: str
    asserted: VerdictValue
    status: ClaimStatus
    verdict: RuleVerdict | None
    error: str = Field("", description="why the claim could not be checked (bad facts, unknown rule), else ''")
