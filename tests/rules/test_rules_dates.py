"""Key dates: the same arithmetic as the verdict (checked by moving as_of across each date), leap days and
month ends, labels in every language, the iCalendar export parsed back, and the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from rules import check
from rules.dates import SPECS, date_labels, format_date
from rules.i18n import LANGS
from rules.ics import key_dates_ics
from rules.registry import RULE_OBJECTS
from rules.verdict import RuleVerdict

sys.path.insert(0, str(Path(__file__).resolve().parent))
from strategies import case_facts  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DAY = timedelta(days=1)
PROFILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(verdict: RuleVerdict, condition_id: str) -> str:
    return next(item.outcome for item in verdict.trace if item.condition_id == condition_id)


def the_date(verdict: RuleVerdict, condition_id: str, kind: str) -> date:
    found = [d for d in verdict.key_dates if d.condition_id == condition_id and d.kind == kind]
    assert len(found) == 1, (condition_id, kind, verdict.key_dates)
    return found[0].date


def at(facts: dict[str, Any], day: date) -> dict[str, Any]:
    """The same facts assessed (and applied for) on `day`."""
    return {**facts, "as_of": day.isoformat(), "application_date": day.isoformat()}


# (rule, facts, condition, kind, day): the verdict's own outcome must flip exactly at the key date. `day` is
# the last day of the period under BGB § 188 Abs. 2 and 3 (leap days, month ends); a waiting period is
# complete on it or from the day after it, as engine.period_complete counts - the flip decides which.
FLIPS = [
    # leap day start: 29 Feb 2024 + 12 months = 28 Feb 2025
    ("aufenthg_25a", {"status": "duldung", "duldung_since": "2024-02-29"}, "duldung_12_months_or_104c", "eligible_from", date(2025, 2, 28)),
    ("aufenthg_25a", {"continuous_stay_since": "2024-02-29"}, "three_years_stay", "eligible_from", date(2027, 2, 28)),
    ("aufenthg_25a", {"birth_date": "2000-02-29"}, "young_person", "eligible_from", date(2014, 3, 1)),
    ("aufenthg_25a", {"birth_date": "1999-11-24"}, "young_person", "eligible_from", date(2013, 11, 24)),
    # the 27th year of someone born on 29 Feb ends with 28 Feb
    ("aufenthg_25a", {"birth_date": "2000-02-29"}, "age_limit_27", "deadline", date(2027, 2, 28)),
    ("aufenthg_25a", {"birth_date": "1999-11-24"}, "age_limit_27", "deadline", date(2026, 11, 23)),
    ("aufenthg_25b", {"continuous_stay_since": "2020-02-29", "minor_children_in_household": 0}, "stay_period", "eligible_from", date(2026, 2, 28)),
    ("aufenthg_25b", {"continuous_stay_since": "2022-02-28", "minor_children_in_household": 1}, "stay_period", "eligible_from", date(2026, 2, 28)),
    # month end: 30 Nov + 3 months = 28 Feb (29 Feb in a leap year); 31 Jan + 12 months = 31 Jan
    ("aufenthg_60c", {"status": "duldung", "duldung_since": "2025-11-30"}, "duldung_three_months", "eligible_from", date(2026, 2, 28)),
    ("aufenthg_60c", {"status": "duldung", "duldung_since": "2023-11-30"}, "duldung_three_months", "eligible_from", date(2024, 2, 29)),
    ("aufenthg_60d", {"status": "duldung", "duldung_since": "2026-01-31"}, "duldung_12_months", "eligible_from", date(2027, 1, 31)),
    ("aufenthg_60d", {"status": "duldung", "duldung_since": "2023-02-28"}, "duldung_12_months", "eligible_from", date(2024, 2, 28)),
    ("aufenthg_12a_bound", {"protection": "refugee", "recognition_date": "2024-02-29"}, "three_year_period", "ends_on", date(2027, 2, 28)),
    ("aufenthg_12a_bound", {"protection": "refugee", "recognition_date": "2024-01-31"}, "three_year_period", "ends_on", date(2027, 1, 30)),
    ("aufenthg_12a_lift", {"protection": "subsidiary", "recognition_date": "2023-08-31"}, "three_year_period", "deadline", date(2026, 8, 30)),
]


@pytest.mark.parametrize(("rule_id", "facts", "condition_id", "kind", "expected"), FLIPS)
def test_key_date_is_where_the_verdict_flips(rule_id: str, facts: dict, condition_id: str, kind: str, expected: date) -> None:
    late = expected + timedelta(days=400)
    computed = the_date(check(rule_id, at(facts, late)), condition_id, kind)
    assert computed == expected or (kind == "eligible_from" and computed == expected + DAY)
    if kind == "eligible_from":  # not met the day before, met on the day
        assert outcome(check(rule_id, at(facts, computed - DAY)), condition_id) == "not_met"
        assert outcome(check(rule_id, at(facts, computed)), condition_id) == "met"
    else:  # deadline / ends_on: still met on the day, no longer the day after
        assert outcome(check(rule_id, at(facts, computed)), condition_id) == "met"
        assert outcome(check(rule_id, at(facts, computed + DAY)), condition_id) == "not_met"


# Month ends and leap days are where calendar arithmetic goes wrong; mix them into random start days.
AWKWARD_DAYS = [date(y, m, d) for y in (2000, 2003, 2004, 2019, 2020, 2023, 2024) for m, d in
                ((1, 31), (2, 28), (2, 29), (3, 31), (8, 31), (11, 30), (12, 31)) if not (m == 2 and d == 29 and y % 4)]
START_DAYS = st.one_of(st.sampled_from(AWKWARD_DAYS), st.dates(date(1995, 1, 1), date(2026, 12, 31)))
AS_OF_DEPENDENT = [  # (rule, facts for a start day, condition, kind)
    ("aufenthg_25a", lambda s: {"status": "duldung", "duldung_since": s}, "duldung_12_months_or_104c", "eligible_from"),
    ("aufenthg_25a", lambda s: {"continuous_stay_since": s}, "three_years_stay", "eligible_from"),
    ("aufenthg_25a", lambda s: {"birth_date": s}, "young_person", "eligible_from"),
    ("aufenthg_25a", lambda s: {"birth_date": s}, "age_limit_27", "deadline"),
    ("aufenthg_25b", lambda s: {"continuous_stay_since": s, "minor_children_in_household": 0}, "stay_period", "eligible_from"),
    ("aufenthg_25b", lambda s: {"continuous_stay_since": s, "minor_children_in_household": 2}, "stay_period", "eligible_from"),
    ("aufenthg_60c", lambda s: {"status": "duldung", "duldung_since": s}, "duldung_three_months", "eligible_from"),
    ("aufenthg_60d", lambda s: {"status": "duldung", "duldung_since": s}, "duldung_12_months", "eligible_from"),
    ("aufenthg_12a_bound", lambda s: {"protection": "refugee", "recognition_date": s}, "three_year_period", "ends_on"),
    ("aufenthg_12a_lift", lambda s: {"protection": "refugee", "recognition_date": s}, "three_year_period", "deadline"),
]


@PROFILE
@given(index=st.integers(0, len(AS_OF_DEPENDENT) - 1), start=START_DAYS)
def test_property_key_date_is_where_the_verdict_flips(index: int, start: date) -> None:
    rule_id, make, condition_id, kind = AS_OF_DEPENDENT[index]
    earliest = date(2016, 1, 1) if rule_id.startswith("aufenthg_12a") else date.fromisoformat(RULE_OBJECTS[rule_id].in_force_from)
    if start < earliest:  # judge within the provision's time (§ 12a Abs. 7: nothing before 2016)
        start = start + relativedelta(years=25)
    facts = make(start.isoformat())
    computed = the_date(check(rule_id, at(facts, start + relativedelta(years=28))), condition_id, kind)
    before, on, after = (check(rule_id, at(facts, d)) for d in (computed - DAY, computed, computed + DAY))
    if kind == "eligible_from":
        assert (outcome(before, condition_id), outcome(on, condition_id)) == ("not_met", "met")
    else:
        assert (outcome(on, condition_id), outcome(after, condition_id)) == ("met", "not_met")


@PROFILE
@given(facts=case_facts(), rule_id=st.sampled_from(sorted(SPECS)))
def test_property_key_dates_are_well_formed(facts: dict, rule_id: str) -> None:
    verdict = check(rule_id, facts, lang="uk")
    applicable = {t.condition_id for t in verdict.trace if t.outcome != "not_applicable"}
    for item in verdict.key_dates:
        assert item.condition_id in applicable
        assert item.in_past == (item.date < date.fromisoformat(verdict.as_of))
        assert set(item.labels) == set(LANGS) and item.label == item.labels["uk"]
        assert all(format_date(item.date, lang) in text for lang, text in item.labels.items())
        assert item.citation.startswith(verdict.provision + " ")
    assert [d.date for d in verdict.key_dates] == sorted(d.date for d in verdict.key_dates)


@pytest.mark.parametrize(("rule_id", "as_of", "condition_id", "key_date", "years"), [
    ("aufenthg_104c", "2023-06-01", "old_five_years_on_key_date", date(2022, 10, 31), 5),
    ("aufenthg_104a", "2008-06-01", "stay_on_1_july_2007", date(2007, 7, 1), 8),
])
def test_key_date_periods_decide_on_the_statutory_key_date(rule_id: str, as_of: str, condition_id: str, key_date: date, years: int) -> None:
    """§ 104a/§ 104c measure the stay on a fixed day: met exactly when the period is complete by that day."""
    anniversary = key_date.replace(year=key_date.year - years)
    for start in (anniversary - 2 * DAY, anniversary - DAY, anniversary, anniversary + DAY):
        verdict = check(rule_id, {"as_of": as_of, "minor_children_in_household": 0, "continuous_stay_since": start.isoformat()})
        reached = the_date(verdict, condition_id, "eligible_from")
        assert reached - start in (timedelta(days=d) for d in range(365 * years, 365 * years + 4))
        assert outcome(verdict, condition_id) == ("met" if reached <= key_date else "not_met"), start


@pytest.mark.parametrize(("facts", "expected", "citation"), [
    ({"as_of": "2026-11-23", "entry_date": "2024-08-31"}, date(2025, 2, 28), "AufenthG § 60c Abs. 2 Nr. 3 Buchst. c"),  # § 188 Abs. 3 BGB
    ({"as_of": "2026-11-23", "entry_date": "2023-08-31"}, date(2024, 2, 29), "AufenthG § 60c Abs. 2 Nr. 3 Buchst. c"),
    ({"as_of": "2026-11-23", "entry_date": "2026-01-31"}, date(2026, 7, 31), "AufenthG § 60c Abs. 2 Nr. 3 Buchst. c"),
    ({"as_of": "2026-11-23", "entry_date": "2018-05-01"}, date(2020, 6, 30), "AufenthG § 60c Abs. 2 Nr. 3 Buchst. b"),
])
def test_60c_identity_deadline(facts: dict, expected: date, citation: str) -> None:
    (item,) = [d for d in check("aufenthg_60c", facts).key_dates if d.condition_id == "identity_clarified_in_time"]
    assert (item.kind, item.date, item.citation) == ("deadline", expected, citation)


@pytest.mark.parametrize(("facts", "expected", "citation"), [
    ({"as_of": "2026-11-23", "entry_date": "2019-05-01"}, date(2024, 12, 31), "AufenthG § 60d Abs. 1 Nr. 1 Buchst. b"),
    # "in den Fällen, in denen der Antrag vor Ablauf des 31. Dezember 2024 gestellt wird, bis zur Beantragung"
    ({"as_of": "2024-07-01", "application_date": "2024-06-03", "entry_date": "2019-05-01"}, date(2024, 6, 3), "AufenthG § 60d Abs. 1 Nr. 1 Buchst. b"),
    # text before 1 March 2024: entry 1 Jan 2017 - 1 Aug 2018, "spätestens bis zum 30. Juni 2020"
    ({"as_of": "2023-06-01", "entry_date": "2018-01-10"}, date(2020, 6, 30), "AufenthG § 60d Abs. 1 Nr. 1 Buchst. c"),
])
def test_60d_identity_deadline(facts: dict, expected: date, citation: str) -> None:
    (item,) = [d for d in check("aufenthg_60d", facts).key_dates if d.kind == "deadline"]
    assert (item.kind, item.date, item.citation) == ("deadline", expected, citation)
    assert item.in_past == (expected < date.fromisoformat(facts["as_of"]))


def test_60d_employment_date_is_a_latest_date_at_month_end() -> None:
    verdict = check("aufenthg_60d", {"as_of": "2026-01-31", "employment_months": 11, "employment_hours_per_week": 20})
    assert the_date(verdict, "employment_20h_12m", "eligible_from") == date(2026, 2, 28)  # 31 Jan + 1 month
    assert "at the latest" in next(d.label for d in verdict.key_dates if d.condition_id == "employment_20h_12m")
    too_few_hours = check("aufenthg_60d", {"as_of": "2026-01-31", "employment_months": 11, "employment_hours_per_week": 19.5})
    assert not [d for d in too_few_hours.key_dates if d.condition_id == "employment_20h_12m"]


@pytest.mark.parametrize(("rule_id", "facts", "absent"), [
    ("aufenthg_12a_bound", {"as_of": "2026-11-23", "status": "duldung", "protection": "none", "recognition_date": "2024-02-29"},
     "three_year_period"),
    ("aufenthg_12a_bound", {"as_of": "2026-11-23", "protection": "refugee", "recognition_date": "2015-12-31"}, "three_year_period"),
    ("aufenthg_104c", {"as_of": "2026-11-23", "continuous_stay_since": "2015-01-01"}, "old_five_years_on_key_date"),
    ("aufenthg_25a", {"as_of": "2026-11-23", "permit_basis": "AufenthG § 104c", "status": "aufenthaltserlaubnis",
                      "duldung_since": "2020-01-01"}, "duldung_12_months_or_104c"),
    ("aufenthg_60c", {"as_of": "2026-11-23", "entry_date": "2024-08-31", "identity_clarified": True}, "identity_clarified_in_time"),
    ("aufenthg_60c", {"as_of": "2026-11-23", "entry_date": "2016-05-01"}, "identity_clarified_in_time"),  # "bis zur Beantragung"
])
def test_no_date_where_the_condition_does_not_apply(rule_id: str, facts: dict, absent: str) -> None:
    assert not [d for d in check(rule_id, facts).key_dates if d.condition_id == absent]


def test_four_year_route_only_without_knowing_there_is_no_child() -> None:
    base = {"as_of": "2026-11-23", "continuous_stay_since": "2022-02-28"}
    assert len(check("aufenthg_25b", base).key_dates) == 2
    (only,) = check("aufenthg_25b", {**base, "minor_children_in_household": 0}).key_dates
    assert only.date in (date(2028, 2, 28), date(2028, 2, 29))  # six years, not four


def test_every_date_spec_names_a_condition_of_its_rule() -> None:
    """Guards the merge with changes to the rule modules: a renamed condition must not silently lose its date."""
    for rule_id, specs in SPECS.items():
        ids = {c.id for c in RULE_OBJECTS[rule_id].conditions}
        for spec in specs:
            assert {spec.condition_id, *spec.unless_failed} <= ids, (rule_id, spec.condition_id, spec.unless_failed)
            assert set(spec.also_for) <= ids | {"old_identity_clarified"}  # § 60d text before March 2024 (issue 10 part A)


def test_date_labels_in_every_language() -> None:
    english = date_labels("en")
    needed = {f"{rule_id}.{spec.key}" for rule_id, specs in SPECS.items() for spec in specs} | {"aufenthg_60d.identity_deadline_old"}
    assert needed <= set(english)
    for lang in LANGS:
        table = date_labels(lang)
        assert set(table) == set(english), lang
        assert all("{date}" in table[key] for key in needed), lang
        assert len(table["date.digits"]) == 10
        if lang != "en":
            assert not [k for k in needed if table[k] == english[k]], lang


@pytest.mark.parametrize(("lang", "expected"), [
    ("de", "14. März 2027"), ("en", "14 March 2027"), ("ru", "14 марта 2027 г."), ("uk", "14 березня 2027 р."),
    ("tr", "14 Mart 2027"), ("ar", "14 مارس 2027"), ("fa", "14 مارس 2027"),
])
def test_local_date_form(lang: str, expected: str) -> None:
    assert format_date(date(2027, 3, 14), lang) == expected


def test_verdict_carries_labels_with_local_dates_and_citations() -> None:
    verdict = check("aufenthg_25b", {"as_of": "2026-11-23", "continuous_stay_since": "2021-03-14", "minor_children_in_household": 0}, lang="de")
    (item,) = verdict.key_dates
    assert item.date in (date(2027, 3, 14), date(2027, 3, 15))  # the anniversary, or the day after it (engine convention)
    assert item.label == f"6 Jahre Aufenthalt erreicht am {item.date.day}. März 2027 (§ 25b)"
    assert item.labels["en"] == f"6 years of stay reached on {item.date.day} March 2027 (§ 25b)"
    assert item.citation == "AufenthG § 25b Abs. 1 Satz 2 Nr. 1"
    assert not item.in_past
    assert json.loads(verdict.model_dump_json())["key_dates"][0]["date"] == item.date.isoformat()


# --- iCalendar -----------------------------------------------------------------------------------
def test_ics_round_trip() -> None:
    facts = {"as_of": "2026-11-23", "birth_date": "2000-02-29", "status": "duldung", "duldung_since": "2026-01-31",
             "continuous_stay_since": "2024-02-29"}
    verdict = check("aufenthg_25a", facts, lang="ru")
    parsed = Calendar.from_ical(key_dates_ics([verdict], lang="ru"))
    events = parsed.walk("VEVENT")
    future = [d for d in verdict.key_dates if not d.in_past]
    assert len(events) == len(future) == 3  # the 14th birthday (2014) is past: not exported
    by_day = {(e.decoded("dtstart"), str(e.get("categories").cats[0])): e for e in events}
    deadline = by_day[(date(2027, 2, 28), "deadline")]
    assert str(deadline.get("summary")) == "Подайте заявление по § 25a до 27-летия, не позднее 28 февраля 2027 г."
    assert deadline.decoded("dtend") == date(2027, 3, 1)
    assert "AufenthG § 25a Abs. 1 Satz 1 Nr. 3" in str(deadline.get("description"))
    assert [a.decoded("trigger") for a in deadline.walk("VALARM")] == [timedelta(days=-14), timedelta(days=-1)]
    assert len({str(e.get("uid")) for e in events}) == 3
    with_past = Calendar.from_ical(key_dates_ics([verdict], lang="ru", include_past=True))
    assert len(with_past.walk("VEVENT")) == 4


def test_ics_rejects_unknown_language() -> None:
    with pytest.raises(ValueError, match="lang"):
        key_dates_ics([], lang="xx")


def test_cli_check_prints_dates_and_writes_ics(tmp_path: Path) -> None:
    facts = tmp_path / "case.json"
    facts.write_text(json.dumps({"as_of": "2026-11-23", "protection": "refugee", "recognition_date": "2024-02-29"}), encoding="utf-8")
    ics = tmp_path / "dates.ics"
    result = subprocess.run([sys.executable, "-m", "rules", "check", "--rule", "aufenthg_12a_bound", "--facts", str(facts),
                             "--lang", "tr", "--ics", str(ics)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    (item,) = json.loads(result.stdout)["key_dates"]
    assert item["label"].startswith("§ 12a ikamet yükümlülüğünüz 28 Şubat 2027 tarihinde sona erer")
    assert "1 key date(s) written" in result.stderr
    (event,) = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert event.decoded("dtstart") == date(2027, 2, 28)


def test_cli_ask_ends_with_the_dates(tmp_path: Path) -> None:
    known = tmp_path / "known.json"
    known.write_text(json.dumps({"status": "duldung", "continuous_stay_since": "2021-03-14", "minor_children_in_household": 0}),
                     encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "rules", "ask", "--rule", "aufenthg_25b", "--facts", str(known),
                             "--as-of", "2026-11-23", "--lang", "de"], cwd=REPO, input="", capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^> 6 Jahre Aufenthalt erreicht am 1[45]\. März 2027 \(§ 25b\) \(AufenthG § 25b Abs\. 1 Satz 2 Nr\. 1\)$",
                     result.stdout, flags=re.MULTILINE), result.stdout
