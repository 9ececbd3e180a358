"""The dates a person needs: when a time condition is (or will be) met, the last day to act, and when an
obligation ends.

Every date is computed with the period helpers of `rules.engine` and the constants of the rule modules,
i.e. the same arithmetic the verdict uses. Waiting periods use `first_day_met`, which asks
`engine.period_complete` itself for its first day, so a date cannot disagree with the verdict's counting
convention; ends of periods and deadlines use `engine.period_end` (BGB § 188 Abs. 2 and 3) and
`engine.last_day_of_life_year`. tests/rules/test_rules_dates.py moves as_of across each date and checks
that the condition's outcome in the verdict flips exactly there.

A date is given only for a condition of the text in force on as_of (the rule's `conditions_for`) and only
when the facts it is computed from are known. A deadline is never moved off a weekend or public holiday
(BGB § 193 is not applied): the last day shown is never later than the statute's. Labels live in
rules/labels/dates/<lang>.json, with month names and the date pattern of each language.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from rules import aufenthg_25a, aufenthg_60d
from rules.common import is_104c_holder
from rules.engine import Condition, Outcome, Rule, last_day_of_life_year, last_day_of_period, period_complete, period_end
from rules.facts import CaseFacts
from rules.i18n import LABELS_DIR, LANGS
from rules.verdict import KeyDate, KeyDateKind

DATES_LABELS_DIR = LABELS_DIR / "dates"


# --- date labels -------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def date_labels(lang: str) -> dict[str, str]:
    path = DATES_LABELS_DIR / f"{lang}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"{path}: expected one JSON object of strings")
    return data


def format_date(day: date, lang: str) -> str:
    """The date as people of that language write it: '14. März 2027', '14 марта 2027 г.', '14 مارس 2027'."""
    table = date_labels(lang)
    digits = table["date.digits"]
    text = table["date.pattern"].format(day=day.day, month=table[f"date.month.{day.month}"], year=day.year)
    return "".join(digits[int(c)] if c.isdigit() else c for c in text)


def date_label(rule_id: str, key: str, day: date, lang: str) -> str:
    return date_labels(lang)[f"{rule_id}.{key}"].format(date=format_date(day, lang))


# --- what each rule dates ----------------------------------------------------------------------
@dataclass(frozen=True)
class DateSpec:
    """One date a rule gives: which condition it belongs to, its citation and how it is computed."""

    key: str  # label key: rules/labels/dates/<lang>.json "<rule_id>.<key>"
    kind: KeyDateKind
    condition_id: str
    citation: str
    compute: Callable[[CaseFacts], date | None]  # None: the facts do not give this date
    explains: str  # for the review document: the arithmetic in plain words
    unless_failed: tuple[str, ...] = ()  # no date when one of these conditions is known not to hold
    also_for: tuple[str, ...] = ()  # the same condition under the id another text version gives it


DAY = timedelta(days=1)


def _day_after(day: date) -> date:
    return day + DAY


def first_day_met(since: date, *, years: int = 0, months: int = 0) -> date:
    """The first day on which `engine.period_complete` holds for a period that began on `since`.

    The date is asked of the engine's own predicate (starting from `engine.period_end`, the last day of
    the period under BGB § 188 Abs. 2 and 3), so it follows the counting convention the verdict uses:
    complete on that last day, or from the day after it."""
    day = period_end(since, years=years, months=months)
    while period_complete(since, day - DAY, years=years, months=months):
        day -= DAY
    while not period_complete(since, day, years=years, months=months):
        day += DAY
    return day


def _on_duldung(f: CaseFacts) -> bool:
    return f.duldung_since is not None and f.status in (None, "duldung") and is_104c_holder(f) is not True


# § 25a Abs. 1
def _25a_duldung(f: CaseFacts) -> date | None:
    return first_day_met(f.duldung_since, months=12) if _on_duldung(f) and f.duldung_since else None


def _25a_stay(f: CaseFacts) -> date | None:
    return first_day_met(f.continuous_stay_since, years=3) if f.continuous_stay_since else None


def _25a_age_14(f: CaseFacts) -> date | None:
    # completed_years(): "on > last day of the 14th year", so the first day that counts is the day after.
    return _day_after(last_day_of_life_year(f.birth_date, aufenthg_25a.MIN_AGE_YOUTH)) if f.birth_date else None


def _25a_age_27(f: CaseFacts) -> date | None:
    return last_day_of_life_year(f.birth_date, aufenthg_25a.AGE_LIMIT) if f.birth_date else None


# § 25b Abs. 1 Satz 2 Nr. 1
def _25b_six_years(f: CaseFacts) -> date | None:
    # With a minor child in the household four years suffice; the six-year date would only mislead.
    if f.continuous_stay_since is None or (f.minor_children_in_household or 0) > 0:
        return None
    return first_day_met(f.continuous_stay_since, years=6)


def _25b_four_years(f: CaseFacts) -> date | None:
    # Only a person living with a minor unmarried child can use the four years; unknown -> still shown.
    if f.continuous_stay_since is None or f.minor_children_in_household == 0:
        return None
    return first_day_met(f.continuous_stay_since, years=4)


# § 60c Abs. 2
SECTION_60C_B_FROM, SECTION_60C_B_UNTIL, SECTION_60C_B_DEADLINE = date(2017, 1, 1), date(2019, 12, 31), date(2020, 6, 30)


def _60c_duldung(f: CaseFacts) -> date | None:
    return first_day_met(f.duldung_since, months=3) if _on_duldung(f) and f.duldung_since else None


def _60c_identity_b(f: CaseFacts) -> date | None:
    """Nr. 3 b: entry 1 Jan 2017 – 31 Dec 2019: until the application, 'spätestens jedoch bis zum 30. Juni 2020'."""
    if f.identity_clarified is True or f.entry_date is None:
        return None
    return SECTION_60C_B_DEADLINE if SECTION_60C_B_FROM <= f.entry_date <= SECTION_60C_B_UNTIL else None


def _60c_identity_c(f: CaseFacts) -> date | None:
    """Nr. 3 c: entry after 31 Dec 2019: 'innerhalb der ersten sechs Monate nach der Einreise' (BGB § 187 Abs. 1,
    § 188 Abs. 2 and 3: ends with the day of the sixth month that has the entry day's number, or the month's
    last day)."""
    if f.identity_clarified is True or f.entry_date is None or f.entry_date <= SECTION_60C_B_UNTIL:
        return None
    return f.entry_date + relativedelta(months=6)  # § 187 Abs. 1: the entry day itself does not count


# § 60d Abs. 1
SECTION_60D_CURRENT_FROM = date(2024, 3, 1)  # the text with entry by 31 Dec 2022 (before: entry by 1 Aug 2018)
SECTION_60D_IDENTITY_DEADLINE = date(2024, 12, 31)  # Nr. 1 b: "bis zum 31. Dezember 2024"
SECTION_60D_OLD_ENTRY_FROM, SECTION_60D_OLD_ENTRY_UNTIL = date(2017, 1, 1), date(2018, 8, 1)
SECTION_60D_OLD_IDENTITY_DEADLINE = date(2020, 6, 30)  # old Nr. 1 c: "spätestens bis zum 30. Juni 2020"


def _60d_duldung(f: CaseFacts) -> date | None:
    return first_day_met(f.duldung_since, months=aufenthg_60d.MIN_MONTHS) if _on_duldung(f) and f.duldung_since else None


def _60d_employment(f: CaseFacts) -> date | None:
    # employment_months counts complete months, so the twelfth month is complete at the latest this many
    # months after as_of - if the job (>= 20 h) continues.
    months, hours = f.employment_months, f.employment_hours_per_week
    if months is None or hours is None or hours < aufenthg_60d.MIN_HOURS or months >= aufenthg_60d.MIN_MONTHS:
        return None
    return f.as_of + relativedelta(months=aufenthg_60d.MIN_MONTHS - months)  # whole months are known only


def _60d_identity(f: CaseFacts) -> date | None:
    if f.identity_clarified is True or f.entry_date is None:
        return None
    if f.as_of >= SECTION_60D_CURRENT_FROM:
        if not (date(2017, 1, 1) <= f.entry_date <= aufenthg_60d.ENTRY_CUTOFF):
            return None  # entry up to 2016: "bis zur Beantragung" - no calendar date
        if f.application_date is not None and f.application_date < SECTION_60D_IDENTITY_DEADLINE:
            return f.application_date  # "... in denen der Antrag vor Ablauf des 31. Dezember 2024 gestellt wird, bis zur Beantragung"
        return SECTION_60D_IDENTITY_DEADLINE
    if SECTION_60D_OLD_ENTRY_FROM <= f.entry_date <= SECTION_60D_OLD_ENTRY_UNTIL:
        return SECTION_60D_OLD_IDENTITY_DEADLINE
    return None


def _60d_identity_citation_key(f: CaseFacts) -> str:
    return "identity_deadline" if f.as_of >= SECTION_60D_CURRENT_FROM else "identity_deadline_old"


# § 12a Abs. 1, Abs. 5
def _12a_end(f: CaseFacts) -> date | None:
    return last_day_of_period(f.recognition_date, years=3) if f.recognition_date else None  # bound up to and including this day


# § 104a Abs. 1 Satz 1, § 104c Abs. 1 Satz 1 (old): the stay is measured on a key date, not on as_of
def _104a_eight(f: CaseFacts) -> date | None:
    if f.continuous_stay_since is None or (f.minor_children_in_household or 0) > 0:
        return None
    return first_day_met(f.continuous_stay_since, years=8)


def _104a_six(f: CaseFacts) -> date | None:
    if f.continuous_stay_since is None or f.minor_children_in_household == 0:
        return None
    return first_day_met(f.continuous_stay_since, years=6)


def _104c_five(f: CaseFacts) -> date | None:
    return first_day_met(f.continuous_stay_since, years=5) if f.continuous_stay_since else None


A25 = "AufenthG § 25a Abs. 1 Satz 1"
_12A_GATES = ("covered_person", "recognised_from_2016")  # not bound at all -> no end date, nothing to lift
SPECS: dict[str, tuple[DateSpec, ...]] = {
    "aufenthg_25a": (
        DateSpec("duldung_12_months", "eligible_from", "duldung_12_months_or_104c", A25, _25a_duldung,
                 "Duldung start + 12 calendar months: the first day on which engine.period_complete holds"),
        DateSpec("three_years_stay", "eligible_from", "three_years_stay", A25 + " Nr. 1", _25a_stay,
                 "start of the uninterrupted stay + 3 years: the first day on which engine.period_complete holds"),
        DateSpec("age_14", "eligible_from", "young_person", A25, _25a_age_14,
                 "the day after the 14th year of life is completed (engine.last_day_of_life_year + 1 day)"),
        DateSpec("age_limit_27", "deadline", "age_limit_27", A25 + " Nr. 3", _25a_age_27,
                 "last day of the 27th year of life (engine.last_day_of_life_year: the day before the 27th birthday; "
                 "born 29 Feb -> 28 Feb)"),
    ),
    "aufenthg_25b": (
        DateSpec("stay_6_years", "eligible_from", "stay_period", "AufenthG § 25b Abs. 1 Satz 2 Nr. 1", _25b_six_years,
                 "start of the uninterrupted stay + 6 years: the first day on which engine.period_complete holds; not shown when a minor child lives in the household"),
        DateSpec("stay_4_years_with_child", "eligible_from", "stay_period", "AufenthG § 25b Abs. 1 Satz 2 Nr. 1", _25b_four_years,
                 "start of the uninterrupted stay + 4 years: the first day on which engine.period_complete holds; shown unless it is known that no minor child lives in the household"),
    ),
    "aufenthg_60c": (
        DateSpec("duldung_3_months", "eligible_from", "duldung_three_months", "AufenthG § 60c Abs. 2 Nr. 2", _60c_duldung,
                 "Duldung start + 3 calendar months: the first day on which engine.period_complete holds; the application counts from that day on"),
        DateSpec("identity_deadline", "deadline", "identity_clarified_in_time", "AufenthG § 60c Abs. 2 Nr. 3 Buchst. b", _60c_identity_b,
                 "entry 1 Jan 2017 - 31 Dec 2019: 30 June 2020 (fixed by the statute); not shown once identity is clarified"),
        DateSpec("identity_deadline", "deadline", "identity_clarified_in_time", "AufenthG § 60c Abs. 2 Nr. 3 Buchst. c", _60c_identity_c,
                 "entry after 31 Dec 2019: entry day + 6 months (BGB § 187 Abs. 1: the entry day does not count; a missing day -> last day of the month)"),
    ),
    "aufenthg_60d": (
        DateSpec("duldung_12_months", "eligible_from", "duldung_12_months", "AufenthG § 60d Abs. 1 Nr. 2", _60d_duldung,
                 "Duldung start + 12 calendar months: the first day on which engine.period_complete holds"),
        DateSpec("employment_12_months", "eligible_from", "employment_20h_12m", "AufenthG § 60d Abs. 1 Nr. 3", _60d_employment,
                 "as_of + the months still missing to 12; a latest date, since only whole months are known"),
        DateSpec("identity_deadline", "deadline", "identity_clarified", "AufenthG § 60d Abs. 1 Nr. 1 Buchst. b", _60d_identity,
                 "entry 1 Jan 2017 - 31 Dec 2022: 31 December 2024, or the application day if the application was made "
                 "before; texts before 1 March 2024: 30 June 2020 for entry 1 Jan 2017 - 1 Aug 2018",
                 also_for=("old_identity_clarified",)),
    ),
    "aufenthg_12a_bound": (
        DateSpec("obligation_ends", "ends_on", "three_year_period", "AufenthG § 12a Abs. 1 Satz 1", _12a_end,
                 "recognition day + 3 years (engine.last_day_of_period, BGB § 187 Abs. 2, § 188 Abs. 2 and 3): the last day the obligation binds", _12A_GATES),
    ),
    "aufenthg_12a_lift": (
        DateSpec("lift_application", "deadline", "three_year_period", "AufenthG § 12a Abs. 5 Satz 1", _12a_end,
                 "the obligation can be lifted only while it binds: recognition day + 3 years (engine.period_end, BGB § 188 Abs. 2 and 3)", _12A_GATES),
    ),
    "aufenthg_104a": (
        DateSpec("stay_8_years", "eligible_from", "stay_on_1_july_2007", "AufenthG § 104a Abs. 1 Satz 1", _104a_eight,
                 "start of the stay + 8 years: the first day on which engine.period_complete holds; had to be reached by 1 July 2007", ("scheme_open",)),
        DateSpec("stay_6_years_with_child", "eligible_from", "stay_on_1_july_2007", "AufenthG § 104a Abs. 1 Satz 1", _104a_six,
                 "start of the stay + 6 years (with minor children): the first day on which engine.period_complete holds; had to be reached by 1 July 2007",
                 ("scheme_open",)),
    ),
    "aufenthg_104c": (
        DateSpec("five_years_on_key_date", "eligible_from", "old_five_years_on_key_date", "AufenthG § 104c Abs. 1 Satz 1",
                 _104c_five, "start of the stay + 5 years: the first day on which engine.period_complete holds; had to be reached by 31 October 2022"),
    ),
}


def _label_key(rule_id: str, spec: DateSpec, facts: CaseFacts) -> str:
    if rule_id == "aufenthg_60d" and spec.key == "identity_deadline":
        return _60d_identity_citation_key(facts)
    return spec.key


def _citation(rule_id: str, spec: DateSpec, facts: CaseFacts) -> str:
    if rule_id == "aufenthg_60d" and spec.key == "identity_deadline" and facts.as_of < SECTION_60D_CURRENT_FROM:
        return "AufenthG § 60d Abs. 1 Nr. 1 Buchst. c"
    return spec.citation


def key_dates(rule: Rule, facts: CaseFacts, results: list[tuple[Condition, Outcome]], lang: str = "en") -> list[KeyDate]:
    """The key dates of `rule` on `facts`, earliest first. `results` are the evaluated conditions of the text
    in force (checker.evaluate): a date is given only for a condition evaluated there and applicable."""
    applicable = {condition.id for condition, outcome in results if outcome.applicable}
    failed = {condition.id for condition, outcome in results if outcome.value is False}
    lang = lang if lang in LANGS else "en"
    out: list[KeyDate] = []
    for spec in SPECS.get(rule.rule_id, ()):
        condition_id = next((c for c in (spec.condition_id, *spec.also_for) if c in applicable), None)
        if condition_id is None or failed.intersection(spec.unless_failed):
            continue
        day = spec.compute(facts)
        if day is None:
            continue
        key = _label_key(rule.rule_id, spec, facts)
        labels = {code: date_label(rule.rule_id, key, day, code) for code in LANGS}
        out.append(KeyDate(kind=spec.kind, date=day, condition_id=condition_id, citation=_citation(rule.rule_id, spec, facts),
                           label=labels[lang], labels=labels, in_past=day < facts.as_of))
    return sorted(out, key=lambda item: item.date)


__all__ = ["DateSpec", "SPECS", "key_dates", "format_date", "date_label", "date_labels", "DATES_LABELS_DIR"]
