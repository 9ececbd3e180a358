"""Property tests: monotonicity in disqualifying and unknown facts, and citations that exist."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from strategies import case_facts  # noqa: E402

from rules import check  # noqa: E402
from rules.registry import RULES  # noqa: E402
from ingest.registry import get_registry  # noqa: E402


def citation_exists(citation: str) -> bool:
    """The § and Absatz stand in the statute text in force (the texts the index is built from)."""
    return get_registry().is_current(citation)


RULE_IDS = sorted(RULES)
DISQUALIFYING: dict[str, list[dict]] = {
    # protection "none" disqualifies only together with a permit basis outside §§ 22, 23, 24 Abs. 1, 25 Abs. 3 (either route binds)
    "aufenthg_12a_bound": [{"in_vocational_training": True}, {"studying": True}, {"integration_measure_elsewhere": True},
                           {"protection": "none", "permit_basis": "AufenthG § 16a"}],
    "aufenthg_12a_lift": [{"protection": "none", "permit_basis": "AufenthG § 16a"}],
    "aufenthg_23a": [{"serious_offenses": True}, {"deportation_date_fixed": True}, {"hardship_commission_request": False}, {"status": "aufenthaltsgestattung"}],
    "aufenthg_25a": [{"identity_deception": True}, {"status": "aufenthaltsgestattung", "permit_basis": "AufenthG § 16a"},
                     {"expulsion_order": True}, {"extremist_ties": True}],
    "aufenthg_25b": [{"identity_deception": True}, {"obstructs_departure": True}, {"expulsion_interest": True},
                     {"expulsion_order": True}, {"extremist_ties": True}],
    "aufenthg_60c": [{"entered_to_obtain_benefits": True}, {"safe_country_rejected": True}, {"expulsion_order": True},
                     {"extremist_ties": True}, {"deportation_measures_imminent": True}, {"identity_deception": True},
                     {"convicted_intentional_offense": True, "day_fines_total": 200, "day_fines_alien_only": 0}],
    "aufenthg_60d": [{"extremist_ties": True}, {"expulsion_order": True}, {"integration_course_failed": True},
                     {"convicted_intentional_offense": True, "day_fines_total": 5, "day_fines_alien_only": 0}],
    "aufenthg_104a": [{"extremist_ties": True}, {"identity_deception": True}, {"obstructs_departure": True},
                      {"convicted_intentional_offense": True, "day_fines_total": 200, "day_fines_alien_only": 0}],
    "aufenthg_104c": [{"identity_deception": True}, {"convicted_intentional_offense": True, "day_fines_total": 200, "day_fines_alien_only": 0},
                      {"expulsion_order": True}, {"extremist_ties": True}],
}
# Known facts that bar a residence title under § 5 Abs. 4 ("ist zu versagen"), § 11 Abs. 1 ("selbst im Falle eines
# Anspruchs") or that found an expulsion interest under § 54 (§ 5 Abs. 1 Nr. 2: then at most the authority's
# discretion). For the Duldungen (§§ 60c, 60d) the same facts are exclusions of their own (§ 60c Abs. 2 Nr. 4,
# § 60d Abs. 1 Nr. 7 to 9).
BARRING_5_4_11_54: dict[str, list[dict]] = {
    "aufenthg_25a": [{"expulsion_order": True}, {"extremist_ties": True}, {"expulsion_interest": True},
                     {"convicted_intentional_offense": True}],
    "aufenthg_25b": [{"expulsion_order": True}, {"extremist_ties": True}, {"expulsion_interest": True},
                     {"convicted_intentional_offense": True}],
    "aufenthg_104c": [{"expulsion_order": True}, {"extremist_ties": True}, {"expulsion_interest": True}],
    "aufenthg_60c": [{"expulsion_order": True}, {"extremist_ties": True}],
    "aufenthg_60d": [{"expulsion_order": True}, {"extremist_ties": True}],
}
PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROFILE
@given(rule_id=st.sampled_from(RULE_IDS), facts=case_facts(), data=st.data())
def test_adding_a_disqualifying_fact_never_turns_not_met_into_met(rule_id: str, facts: dict, data: st.DataObject) -> None:
    before = check(rule_id, facts).verdict
    extra = data.draw(st.sampled_from(DISQUALIFYING[rule_id]))
    after = check(rule_id, {**facts, **extra}).verdict
    assert after != "met"
    if before == "not_met":
        assert after == "not_met"


@PROFILE
@given(rule_id=st.sampled_from(sorted(BARRING_5_4_11_54)), facts=case_facts(), data=st.data())
def test_a_known_5_4_11_or_54_fact_never_yields_met(rule_id: str, facts: dict, data: st.DataObject) -> None:
    extra = data.draw(st.sampled_from(BARRING_5_4_11_54[rule_id]))
    assert check(rule_id, {**facts, **extra}).verdict != "met", extra


def test_a_barring_fact_turns_a_met_case_into_no_met() -> None:
    """The same property on cases that are `met` without the fact (random facts rarely reach `met`)."""
    from rules.case_files import OWN_CASES_DIR, load_cases

    met_cases = [c for path in sorted(OWN_CASES_DIR.glob("*.jsonl")) for c in load_cases(path)
                 if c.rule in BARRING_5_4_11_54 and c.expected == "met"]
    assert len(met_cases) >= 15
    for case in met_cases:
        for extra in BARRING_5_4_11_54[case.rule]:
            assert check(case.rule, {**case.facts, **extra}).verdict != "met", (case.id, extra)


@PROFILE
@given(rule_id=st.sampled_from(RULE_IDS), facts=case_facts(), data=st.data())
def test_removing_a_fact_never_turns_an_open_or_failed_claim_into_met(rule_id: str, facts: dict, data: st.DataObject) -> None:
    before = check(rule_id, facts)
    removable = [k for k in facts if k != "as_of"]
    if not removable:
        return
    drop = data.draw(st.sampled_from(removable))
    after = check(rule_id, {k: v for k, v in facts.items() if k != drop})
    if before.verdict != "met" and after.verdict == "met":
        assert _documented_reading(drop, facts, after), (drop, before.verdict)


ORDER_NOTE = "note.expulsion_order_presumed_absent"
INTEREST_NOTE = "note.expulsion_interest_false_covers_convictions"


def _documented_reading(dropped: str, facts: dict, after) -> bool:
    """The two documented readings (rules/README.md) under which less information can give `met`:
    1. an unknown `expulsion_order` is presumed absent, and the verdict carries the note saying so;
    2. `expulsion_interest: false` (no expulsion interest under § 54) settles unknown extremist ties and an unknown
       conviction; a known tie or conviction beside it is the worse reading of conflicting facts and decides.
       Dropping that conflicting fact leaves the stated `false` to decide (for a conviction with its note)."""
    from rules.i18n import note_labels

    def shows(key: str) -> bool:
        return note_labels(key)["en"] in after.notes

    if dropped == "expulsion_order":
        return "expulsion_order" in after.presumed_absent and shows(ORDER_NOTE)
    if facts.get("expulsion_interest") is False:
        if dropped == "extremist_ties":
            return facts["extremist_ties"] is True
        if dropped in ("convicted_intentional_offense", "day_fines_total"):
            return shows(INTEREST_NOTE)
    return False


def test_removing_a_fact_from_an_own_case_never_gives_met_except_the_documented_readings() -> None:
    """The same monotonicity, exhaustively on every own case and every fact (random facts rarely reach `met`), plus
    each case with a conflicting tie or conviction beside `expulsion_interest: false`."""
    from rules.case_files import OWN_CASES_DIR, load_cases

    exempted = 0
    for path in sorted(OWN_CASES_DIR.glob("*.jsonl")):
        for case in load_cases(path):
            variants = [case.facts]
            if case.facts.get("expulsion_interest") is False:
                variants += [{**case.facts, "extremist_ties": True}, {**case.facts, "convicted_intentional_offense": True}]
            for facts in variants:
                before = check(case.rule, facts)
                if before.verdict == "met":
                    continue
                # as_of and application_date (default: as_of) are never unknown, dropping them changes the facts
                for drop in [k for k in facts if k not in ("as_of", "application_date")]:
                    after = check(case.rule, {k: v for k, v in facts.items() if k != drop})
                    if after.verdict == "met":
                        assert _documented_reading(drop, facts, after), (case.id, drop, before.verdict)
                        exempted += 1
    assert exempted > 0  # the readings are exercised, so the exemption cannot hide in an untested corner


@PROFILE
@given(rule_id=st.sampled_from(RULE_IDS), facts=case_facts())
def test_every_citation_exists_in_the_statute(rule_id: str, facts: dict) -> None:
    verdict = check(rule_id, facts)
    cited = set(verdict.citations) | {t.citation for t in verdict.trace} | {c for t in verdict.trace for c in t.also_cited}
    for citation in cited:
        assert citation_exists(citation), citation


@PROFILE
@given(rule_id=st.sampled_from(RULE_IDS), facts=case_facts())
def test_verdict_shape(rule_id: str, facts: dict) -> None:
    verdict = check(rule_id, facts)
    if verdict.verdict == "needs_info":
        assert verdict.missing_facts, "needs_info must name the facts that would decide it"
        assert all(facts.get(f) is None for f in verdict.missing_facts), "asks only for unknown facts"
    else:
        assert verdict.missing_facts == []
    for item in verdict.trace:
        if item.outcome == "unknown":
            assert item.missing_facts and all(facts.get(f) is None for f in item.missing_facts), item
    if rule_id == "aufenthg_23a":
        assert verdict.verdict != "met"
    if rule_id in ("aufenthg_104a",) and facts["as_of"] > "2009-12-31":
        assert verdict.verdict == "not_met"
    if rule_id == "aufenthg_104c" and facts["as_of"] >= "2026-01-01":
        assert verdict.verdict == "not_met"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_all_conditions_cite_existing_provisions(rule_id: str) -> None:
    from rules.registry import RULE_OBJECTS

    rule = RULE_OBJECTS[rule_id]
    from rules.aufenthg_104c import CURRENT, NOT_YET, OLD

    conditions = rule.conditions + (CURRENT + NOT_YET + OLD if rule_id == "aufenthg_104c" else ())
    for cond in conditions:
        assert citation_exists(cond.citation), cond.citation
        for extra in cond.cited_also:
            assert citation_exists(extra), extra


def test_citation_checker_rejects_invented_provisions() -> None:
    assert not citation_exists("AufenthV § 104a")
    assert not citation_exists("AufenthG § 104c Abs. 3")  # only in the old text
    assert not citation_exists("AufenthG § 25b Abs. 9")
    assert citation_exists("AufenthG § 25b Abs. 1 Satz 2 Nr. 4")
    assert citation_exists("AufenthV § 39")
