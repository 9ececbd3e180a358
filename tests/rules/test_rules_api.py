"""The API the chat and the app use: check, verify_claim, conditions, next_questions, RULES, labels."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from rules import RULES, CaseFacts, FactsError, check, conditions, next_questions, verify_claim
from rules.engine import (completed_years, first_day_complete, last_day_of_life_year, last_day_of_period, period_complete,
                          period_end)
from rules.facts import FACT_NAMES, parse_facts
from rules.i18n import LABELS_DIR, LANGS, QUESTIONS_DIR
from rules.registry import RULE_OBJECTS

TOLERATED_25B = {"as_of": "2026-11-23", "status": "duldung", "continuous_stay_since": "2020-11-22", "minor_children_in_household": 0,
                 "commits_to_fdgo": True, "knows_legal_social_order": True, "livelihood_mostly_by_work": True, "german_level": "A2",
                 "identity_clarified": True, "identity_deception": False, "obstructs_departure": False, "expulsion_interest": False,
                 "convicted_intentional_offense": False, "extremist_ties": False, "expulsion_order": False}


# --- data files -------------------------------------------------------------------------------
def test_every_language_has_every_label_and_question() -> None:
    en_labels = json.loads((LABELS_DIR / "en.json").read_text(encoding="utf-8"))
    en_questions = json.loads((QUESTIONS_DIR / "en.json").read_text(encoding="utf-8"))
    assert set(en_questions) == set(FACT_NAMES)
    for lang in LANGS:
        labels = json.loads((LABELS_DIR / f"{lang}.json").read_text(encoding="utf-8"))
        questions = json.loads((QUESTIONS_DIR / f"{lang}.json").read_text(encoding="utf-8"))
        assert set(labels) == set(en_labels), lang
        assert set(questions) == set(en_questions), lang
        assert all(v.strip() for v in list(labels.values()) + list(questions.values())), lang
        if lang != "en":  # real translations, not copies
            same = [k for k in labels if labels[k] == en_labels[k]]
            assert len(same) < 3, (lang, same)


def test_every_condition_has_a_label_in_every_language() -> None:
    from rules.aufenthg_104c import CURRENT, NOT_YET, OLD

    for rule_id in RULES:
        extra = CURRENT + NOT_YET + OLD if rule_id == "aufenthg_104c" else ()
        for cond in RULE_OBJECTS[rule_id].conditions + extra:
            from rules.i18n import condition_labels

            assert set(condition_labels(RULE_OBJECTS[rule_id].provision, cond.id)) == set(LANGS), (rule_id, cond.id)


def test_rules_metadata() -> None:
    assert set(RULES) == {"aufenthg_12a_bound", "aufenthg_12a_lift", "aufenthg_23a", "aufenthg_25a", "aufenthg_25b",
                          "aufenthg_60c", "aufenthg_60d", "aufenthg_104a", "aufenthg_104c"}
    assert RULES["aufenthg_104a"].closed == "closed"
    assert RULES["aufenthg_104c"].in_force_until == "2025-12-31"
    assert RULES["aufenthg_23a"].outcome_when_all_met == "discretionary"
    assert RULES["aufenthg_25b"].provision == "AufenthG § 25b"
    assert set(RULES["aufenthg_60d"].title) == set(LANGS)


# --- verdicts ---------------------------------------------------------------------------------
def test_trace_has_citations_labels_and_statute_text() -> None:
    verdict = check("aufenthg_25b", TOLERATED_25B)
    assert verdict.verdict == "met"
    nr1 = next(t for t in verdict.trace if t.condition_id == "stay_period")
    assert nr1.citation == "AufenthG § 25b Abs. 1 Satz 2 Nr. 1"
    assert "sechs Jahren" in nr1.statute_text
    assert set(nr1.labels) == set(LANGS)
    assert "until 2026-11-21" in nr1.detail  # since 2020-11-22: six years end with 2026-11-21 (BGB § 187 Abs. 2, § 188 Abs. 2)


def test_unknown_fact_never_gives_met() -> None:
    facts = {k: v for k, v in TOLERATED_25B.items() if k != "german_level"}
    verdict = check("aufenthg_25b", facts)
    assert verdict.verdict == "needs_info"
    assert verdict.missing_facts[0] == "german_level"


def test_mandatory_refusal_overrides_everything() -> None:
    verdict = check("aufenthg_25b", {**TOLERATED_25B, "expulsion_interest": True, "german_level": None})
    assert verdict.verdict == "not_met"


def test_23a_notes_explain_selbstbefassung_in_every_language() -> None:
    verdict = check("aufenthg_23a", {"as_of": "2026-11-23", "status": "duldung", "hardship_commission_request": True,
                                     "serious_offenses": False, "deportation_date_fixed": False}, lang="ar")
    assert verdict.verdict == "discretionary"
    note = verdict.notes_i18n[0]
    assert set(note) == set(LANGS)
    assert "Selbstbefassung" in note["de"] and "own initiative" in note["en"]
    assert verdict.notes[0] == note["ar"]


def test_104c_text_version_follows_as_of() -> None:
    old = check("aufenthg_104c", {"as_of": "2023-04-01", "status": "duldung"})
    new = check("aufenthg_104c", {"as_of": "2026-04-01", "status": "duldung"})
    assert old.text_version == "fassung_bis_2025-12-31" and old.verdict == "needs_info"
    assert new.text_version == "current" and new.verdict == "not_met"


# --- claims -----------------------------------------------------------------------------------
def test_verify_claim_statuses() -> None:
    assert verify_claim("aufenthg_25b", "met", TOLERATED_25B).status == "confirmed"
    contradicted = verify_claim("aufenthg_25b", "met", {**TOLERATED_25B, "continuous_stay_since": "2020-12-23"})
    assert contradicted.status == "contradicted" and contradicted.verdict.verdict == "not_met"
    unverifiable = verify_claim("aufenthg_25b", "met", {"as_of": "2026-11-23", "status": "duldung"})
    assert unverifiable.status == "unverifiable" and unverifiable.verdict.missing_facts
    bad = verify_claim("aufenthg_25b", "met", {"status": "refugee"})
    assert bad.status == "unverifiable" and bad.verdict is None and "status" in bad.error
    assert verify_claim("aufenthg_23a", "met", {"as_of": "2026-11-23", "status": "duldung", "hardship_commission_request": True,
                                                "serious_offenses": False, "deportation_date_fixed": False}).status == "contradicted"
    with pytest.raises(ValueError):
        verify_claim("aufenthg_25b", "eligible", TOLERATED_25B)


def test_conditions_listing() -> None:
    items = conditions("aufenthg_25b", "tr")
    assert [i.citation for i in items][:2] == ["AufenthG § 25b Abs. 1 Satz 1", "AufenthG § 25b Abs. 1 Satz 2 Nr. 1"]
    assert all(i.label and i.label == i.labels["tr"] for i in items)
    old = conditions("aufenthg_104c", "en", "2023-01-10")
    assert any(i.condition_id == "old_five_years_on_key_date" for i in old)
    assert [i.condition_id for i in conditions("aufenthg_104c", "en", "2026-11-23")] == ["no_new_permits", "extension_only_25a_25b"]
    lift = conditions("aufenthg_12a_lift", "de")
    assert {i.alternative_group for i in lift if i.condition_id.startswith("ground_")} == {"grounds"}


def test_next_questions_only_missing_and_decisive_first() -> None:
    questions = next_questions("aufenthg_23a", {"as_of": "2026-11-23"}, "fa")
    assert [q.fact for q in questions][0] == "status"
    assert all(q.text == q.texts["fa"] for q in questions)
    assert next_questions("aufenthg_25b", TOLERATED_25B) == []
    open_25a = next_questions("aufenthg_25a", {"as_of": "2026-11-23", "status": "duldung", "duldung_since": "2023-02-01"})
    facts_asked = [q.fact for q in open_25a]
    assert "status" not in facts_asked and "birth_date" in facts_asked
    assert open_25a[0].kind in {"date", "bool", "choice", "number", "int"}


# --- facts ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("bad", "field"),
    [({"employment_hours_per_week": -0.5}, "employment_hours_per_week"), ({"status": "geduldet"}, "status"),
     ({"entry_date": "2016/03/01"}, "entry_date"), ({"as_of": "2026-01-01", "birth_date": "2026-01-02"}, "birth_date"),
     ({"duldung_since": 20230101}, "duldung_since"), ({"children_attend_school": "yes"}, "children_attend_school"),
     ({"day_fines_total": True}, "day_fines_total"), ({"birth_date": "2000-01-01", "entry_date": "1999-12-31"}, "entry_date"), ({"as_of": "today"}, "as_of"), ({"day_fines_total": 10, "day_fines_alien_only": 20}, "day_fines_alien_only")],
)
def test_bad_facts_name_the_field(bad: dict, field: str) -> None:
    with pytest.raises(FactsError) as err:
        check("aufenthg_25b", bad)
    assert field in str(err.value) and field in err.value.fields


def test_permit_basis_is_normalised() -> None:
    assert CaseFacts(permit_basis="§ 25 Absatz 3 AufenthG").permit_basis == "AufenthG § 25 Abs. 3"
    assert CaseFacts(permit_basis="AufenthG §104c").permit_basis == "AufenthG § 104c"
    with pytest.raises(Exception):
        CaseFacts(permit_basis="Chancen")


def test_null_as_of_means_today() -> None:
    assert parse_facts({"as_of": None}).as_of == date.today()


def test_as_of_defaults_to_today() -> None:
    assert CaseFacts().as_of == date.today()
    assert check("aufenthg_60d", {}).as_of == date.today().isoformat()


# --- exact date arithmetic --------------------------------------------------------------------
def test_periods_and_life_years_to_the_day() -> None:
    # BGB § 187 Abs. 2 Satz 1, § 188 Abs. 2 and 3: the start day counts, the day before the anniversary is the last day.
    assert period_complete(date(2020, 11, 22), date(2026, 11, 22), years=6)
    assert not period_complete(date(2020, 11, 23), date(2026, 11, 22), years=6)
    assert last_day_of_period(date(2020, 11, 22), years=6) == date(2026, 11, 21)
    assert first_day_complete(date(2020, 11, 22), years=6) == date(2026, 11, 22)
    assert last_day_of_period(date(2024, 2, 29), years=1) == date(2025, 2, 28)  # § 188 Abs. 3: 29 Feb is missing
    assert not period_complete(date(2024, 2, 29), date(2025, 2, 28), years=1)
    assert period_complete(date(2024, 2, 29), date(2025, 3, 1), years=1)
    assert last_day_of_period(date(2025, 1, 31), months=1) == date(2025, 2, 28)  # month end
    assert last_day_of_period(date(2025, 3, 1), months=1) == date(2025, 3, 31)
    assert last_day_of_period(date(2024, 5, 10), years=3) == date(2027, 5, 9)  # § 12a: bound up to and including
    assert period_end(date(2020, 11, 22), years=6) == date(2026, 11, 22)  # the kept name: the day it is complete
    assert last_day_of_life_year(date(1999, 11, 24), 27) == date(2026, 11, 23)
    assert last_day_of_life_year(date(2000, 2, 29), 27) == date(2027, 2, 28)
    assert last_day_of_life_year(date(2000, 2, 29), 28) == date(2028, 2, 28)
    assert not completed_years(date(2000, 2, 29), 27, date(2027, 2, 28))
    assert completed_years(date(2000, 2, 29), 27, date(2027, 3, 1))


def _normalised(text: str) -> str:
    return " ".join(text.split())


def test_statute_text_is_verbatim_from_the_corpus() -> None:
    """Each condition's statute_text must be words of the statute (never invented), from the right file."""
    from core.settings import get_settings
    from rules.aufenthg_104c import CURRENT, NOT_YET, OLD
    from rules.checker import statute_sentence

    statutes = get_settings().shared_dir / "corpus" / "statutes"
    full = _normalised((statutes / "aufenthg_full.md").read_text(encoding="utf-8"))
    old_104c = _normalised((statutes / "aufenthg_104c_fassung_bis_2025-12-31.md").read_text(encoding="utf-8"))
    # § 60d before 1 March 2024: the official XML of Stand 21 Dec 2022 (tags stripped).
    xml = (statutes / "aufenthg_2004.xml").read_text(encoding="utf-8")
    old_60d = _normalised(re.sub(r"<[^>]+>", " ", xml[xml.index("<enbez>§ 60d</enbez>"):xml.index("<enbez>", xml.index("<enbez>§ 60d</enbez>") + 10)]))
    old_60d = re.sub(r" ([,;.])", r"\1", old_60d)
    from rules.aufenthg_60d import OLD_CONDITION_IDS

    for rule_id, rule in RULE_OBJECTS.items():
        conds = CURRENT + NOT_YET + OLD if rule_id == "aufenthg_104c" else rule.conditions
        for cond in conds:
            text = statute_sentence(cond)
            assert len(text) >= 15, (rule_id, cond.id, text)
            source = old_104c if cond in OLD + NOT_YET and cond.citation.startswith("AufenthG § 104c") else full
            if rule_id == "aufenthg_60d" and cond.id in OLD_CONDITION_IDS:
                source = old_60d
            assert text in source, (rule_id, cond.id, text)
