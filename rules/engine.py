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


# --- exact periods: one convention, BGB § 187 Abs. 2 Satz 1 with § 188 Abs. 2 (second case) and Abs. 3 --
# The day on which a state began (entry, first day of a Duldung, recognition, first day of a job) counts as a
# full day (§ 187 Abs. 2 Satz 1). A period of years or months then ends at the end of the day before the
# day that corresponds to the start day by its number (§ 188 Abs. 2, second case); if that corresponding
# day is missing in the last month, at the end of that month's last day (§ 188 Abs. 3). So "six years
# since 2020-11-22" end with 2026-11-21 and are complete on the anniversary 2026-11-22; "three years from
# recognition on 2024-05-10" (§ 12a) bind up to and including 2027-05-09; one year from 2024-02-29 ends
# with 2025-02-28. `last_day_of_period` is the last day, `first_day_complete` (= `period_end`, the name
# callers used before) the first day on which the period has elapsed. This is how the authorities read the key dates of §§ 104a, 104c ("am 31. Oktober 2022
# seit fünf Jahren": since 31 October 2017 at the latest). Ages follow the same rule by statute (§ 187
# Abs. 2 Satz 2): see last_day_of_life_year.
def last_day_of_period(since: date, *, years: int = 0, months: int = 0) -> date:
    """The last day of a period that began on `since` (the period ends at the end of this day)."""
    corresponding = since + relativedelta(years=years, months=months)
    if corresponding.day != since.day:  # that day is missing in the month: § 188 Abs. 3, its last day
        return corresponding
    return corresponding - timedelta(days=1)


def first_day_complete(since: date, *, years: int = 0, months: int = 0) -> date:
    """The first day on which a period that began on `since` has fully elapsed (usually the anniversary)."""
    return last_day_of_period(since, years=years, months=months) + timedelta(days=1)


def period_end(since: date, *, years: int = 0, months: int = 0) -> date:
    """Kept name: the day on which the period is complete (usually the anniversary) = first_day_complete."""
    return first_day_complete(since, years=years, months=months)


def period_complete(since: date | None, on: date, *, years: int = 0, months: int = 0) -> Tri:
    """True if a state held since the day `since` has lasted the full period on the day `on`.

    Six years from 2020-11-22 are complete on 2026-11-22; one year from 2024-02-29 on 2025-03-01.
    """
    if since is None:
        return None
    return on >= first_day_complete(since, years=years, months=months)


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
    # label keys of notes the verdict must show because this outcome rests on a documented reading of
    # the facts (e.g. an unknown expulsion order presumed absent): never a silent `met`
    note_keys: list[str] = field(default_factory=list)
    presumed_absent: list[str] = field(default_factory=list)  # unknown facts treated as absent (still asked last)


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
