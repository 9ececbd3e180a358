"""Hypothesis strategies for case facts (any subset of the FORMAT.md vocabulary, valid values)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import get_args

from hypothesis import strategies as st

from rules.facts import DATE_FACTS, GERMAN_LEVELS, CaseFacts, Protection, Status

AS_OF_DATES = [date(2007, 10, 1), date(2008, 7, 2), date(2009, 12, 31), date(2018, 6, 1), date(2023, 4, 1),
               date(2025, 12, 31), date(2026, 1, 1), date(2026, 11, 23)]


def _value_strategy(name: str, as_of: date) -> st.SearchStrategy:
    if name in DATE_FACTS:
        return st.integers(0, 40 * 366).map(lambda d: (as_of - timedelta(days=d)).isoformat())
    if name == "status":
        return st.sampled_from(get_args(Status))
    if name == "protection":
        return st.sampled_from(get_args(Protection))
    if name == "german_level":
        return st.sampled_from(GERMAN_LEVELS)
    if name == "permit_basis":
        return st.sampled_from(["AufenthG § 104c", "AufenthG § 25 Abs. 2", "AufenthG § 25 Abs. 3", "AufenthG § 24 Abs. 1", "AufenthG § 16a"])
    if name == "assigned_state":
        return st.sampled_from(["Sachsen", "Bayern", "Hessen"])
    if name in ("employment_hours_per_week", "family_member_employment_hours_per_week"):
        return st.sampled_from([0, 10, 14.9, 15, 19.9, 20, 40])
    if name in ("day_fines_total", "day_fines_alien_only"):
        return st.sampled_from([0, 30, 50, 51, 90, 91, 200])
    if name in ("minor_children_in_household", "employment_months"):
        return st.sampled_from([0, 1, 2, 11, 12, 18])
    if name == "school_years_in_germany":
        return st.sampled_from([0, 2.9, 3, 6])
    return st.booleans()


FACT_FIELDS = [n for n in CaseFacts.model_fields if n != "as_of"]


@st.composite
def case_facts(draw: st.DrawFn) -> dict:
    as_of = draw(st.sampled_from(AS_OF_DATES))
    chosen = draw(st.lists(st.sampled_from(FACT_FIELDS), unique=True, max_size=len(FACT_FIELDS)))
    facts: dict = {"as_of": as_of.isoformat()}
    for name in chosen:
        facts[name] = draw(_value_strategy(name, as_of))
    if "day_fines_total" in facts and "day_fines_alien_only" in facts and facts["day_fines_alien_only"] > facts["day_fines_total"]:
        facts["day_fines_alien_only"] = facts["day_fines_total"]
    if "birth_date" in facts:  # nothing can happen before birth
        for name in DATE_FACTS:
            if name not in ("as_of", "birth_date") and name in facts and facts[name] < facts["birth_date"]:
                facts[name] = facts["birth_date"]
    return facts
