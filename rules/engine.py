"""The small machinery every provision module uses: three-valued logic, exact periods, and
turning condition outcomes into a RuleVerdict.

Three-valued (Kleene) logic: True = condition met, False = not met, None = unknown. An unknown
fact can therefore never produce `met` where it matters: `k_and(True, None)` is None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from dateutil.relativedelta import relativedelta

from rules.facts import CaseFacts

Tri = bool | None
Mode = Literal["met", "discretionary"]  # what the claim is when every condition holds


# --- three-valued logic --------------------------------------------------------------------
def k_and(*values: Tri) -> Tri:
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def k_or(*values: Tri) -> Tri:
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


def k_not(value: Tri) -> Tri:
    return None if value is None else not value


def at_least(value: float | None, threshold: float) -> Tri:
    return None if value is None else value >= threshold


# --- exact periods (BGB §§ 187, 188 via relativedelta, never day counts) ----------------------
def period_complete(since: date | None, on: date, *, years: int = 0, months: int = 0) -> Tri:
    """True if a state held 'since' a day has lasted the full period on `on`.

    Anniversary rule: six years from 2020-11-22 are complete on 2026-11-22, not a day earlier.
    relativedelta keeps calendar months (2024-02-29 + 1 year = 2025-02-28, like BGB § 188 Abs. 3).
    """
    if since is None:
        return None
    return on >= since + relativedelta(years=years, months=months)


def period_end(since: date, *, years: int = 0, months: int = 0) -> date:
    return since + relativedelta(years=years, months=months)


def last_day_of_life_year(birth_date: date, year: int) -> date:
    """The day at whose end the `year`-th year of life is completed (BGB § 187 Abs. 2 Satz 2, § 188 Abs. 2).

    Born 1999-11-24: the 27th year is completed at the end of 2026-11-23. Born 2000-02-29: the
    27th year ends with 2027-02-28 (the day before the 'birthday', which in a common year is 1 March).
    """
    return (birth_date - timedelta(days=1)) + relativedelta(years=year)


def completed_years(birth_date: date, year: int, on: date) -> bool:
    """Has the person completed their `year`-th year of life before the day `on` began?"""
    return on > last_day_of_life_year(birth_date, year)


def span(start: date, end: date) -> str:
    delta = relativedelta(end, start)
    return f"{delta.years} y {delta.months} m {delta.days} d"


# --- conditions ------------------------------------------------------------------------------
@dataclass
class Outcome:
    value: Tri
    detail: str = ""
    missing: list[str] | None = None  # None: the condition's unknown facts
    waivable: bool = False  # a failure the authority may overlook by discretion
    applicable: bool = True
    extra_citations: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Condition:
    """One requirement or exclusion, as the statute states it."""

    id: str
    citation: str
    statute: str  # the German sentence (or clause) this condition encodes
    facts: tuple[str, ...]
    test: Callable[[CaseFacts], Outcome]
    any_of: str | None = None  # conditions sharing a group name are alternatives (one suffices)
    cited_also: tuple[str, ...] = ()  # further provisions the condition relies on


@dataclass(frozen=True)
class Rule:
    rule_id: str
    provision: str
    mode: Mode
    conditions: tuple[Condition, ...]
    in_force_from: str
    in_force_until: str | None = None  # last day new permits/decisions are possible; 'closed' for closed schemes
    closed: bool = False
    notes: tuple[str, ...] = ()  # label keys of notes always attached
    statute_files: tuple[str, ...] = ()
    select: Callable[[CaseFacts], tuple[Condition, ...]] | None = None  # temporal choice of text
    extra_notes: Callable[[CaseFacts], list[str]] | None = None
    text_version_of: Callable[[CaseFacts], str] | None = None  # which statute text judged the case

    def conditions_for(self, facts: CaseFacts) -> tuple[Condition, ...]:
        return self.select(facts) if self.select else self.conditions


def unknown_facts(facts: CaseFacts, names: Iterable[str]) -> list[str]:
    return [n for n in names if getattr(facts, n) is None]


def ordered_union(lists: Iterable[Iterable[str]]) -> list[str]:
    seen: dict[str, None] = {}
    for items in lists:
        for item in items:
            seen.setdefault(item, None)
    return list(seen)
