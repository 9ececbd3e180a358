"""Case facts on the fuzz run's findings: null is unknown, hostile values give a short facts error."""

from __future__ import annotations

from datetime import date

import pytest

from rules import RULES, FactsError, parse_facts
from rules.checker import check
from rules.facts import FACT_NAMES, SHOWN_PROBLEMS

NUMERIC_FACTS = ["minor_children_in_household", "employment_hours_per_week", "employment_months",
                 "family_member_employment_hours_per_week", "school_years_in_germany", "day_fines_total", "day_fines_alien_only"]
# A facts error names the field and quotes the value only in part; this is well above any honest message.
MAX_MESSAGE_CHARS = 600


def nested(depth: int, leaf: object = 1) -> object:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("name", FACT_NAMES)
def test_null_is_unknown_for_every_fact(name):
    if name == "as_of":  # the assessment date, not a fact: absent or null means today
        assert parse_facts({name: None}).as_of == date.today()
    else:
        assert getattr(parse_facts({name: None}), name) is None


@pytest.mark.parametrize("rule", RULES)
def test_every_rule_checks_a_case_of_nulls(rule):
    verdict = check(rule, {**dict.fromkeys(FACT_NAMES), "as_of": "2026-11-23"})
    assert verdict.verdict in ("needs_info", "not_met", "discretionary", "met")


@pytest.mark.parametrize("name", NUMERIC_FACTS)
def test_null_numeric_fact_next_to_known_ones_is_unknown(name):
    facts = parse_facts({"status": "duldung", name: None, "german_level": "A2"})
    assert getattr(facts, name) is None and facts.status == "duldung"


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"status": nested(3000)}, "status"),
        ({"assigned_state": {"a": nested(3000)}}, "assigned_state"),
        ({"employment_months": 10**5000}, "employment_months"),
        ({"employment_hours_per_week": 10**5000}, "employment_hours_per_week"),
        ({"employment_hours_per_week": float("nan")}, "employment_hours_per_week"),
        ({"school_years_in_germany": float("inf")}, "school_years_in_germany"),
        ({"as_of": "x" * 1_000_000}, "as_of"),
        ({"assigned_state": "Bay\ud800ern"}, "assigned_state"),
        ({"assigned_state": "B" * 10_000}, "assigned_state"),
        ({"permit_basis": "AufenthG § " + "1" * 100_000}, "permit_basis"),
    ],
)
def test_hostile_values_give_a_short_facts_error_naming_the_field(facts, field):
    with pytest.raises(FactsError) as caught:
        parse_facts(facts)
    message = str(caught.value)
    assert caught.value.fields == [field]
    assert message.startswith(f"invalid case facts – {field}: ")
    assert len(message) < MAX_MESSAGE_CHARS
    message.encode("utf-8")  # printable and serialisable


def test_a_huge_unknown_field_name_with_a_surrogate_is_cut_and_escaped():
    with pytest.raises(FactsError) as caught:
        parse_facts({"\udc00" + "k" * 100_000: 1})
    assert len(str(caught.value)) < MAX_MESSAGE_CHARS
    str(caught.value).encode("utf-8")


def test_many_problems_are_counted_not_all_listed():
    with pytest.raises(FactsError) as caught:
        parse_facts({f"unknown_{i}": i for i in range(10_000)})
    assert len(caught.value.fields) == 10_000
    assert f"and {10_000 - SHOWN_PROBLEMS} more" in str(caught.value)
    assert len(str(caught.value)) < 2 * MAX_MESSAGE_CHARS


@pytest.mark.parametrize("value", [True, -1, 100_001])
def test_counts_stay_strict(value):
    with pytest.raises(FactsError):
        parse_facts({"minor_children_in_household": value})
