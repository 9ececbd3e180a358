"""Tests shared by several provisions (convictions with day-fine tolerance, language level, children)."""

from __future__ import annotations

from rules.engine import Outcome, Tri
from rules.facts import GERMAN_LEVELS, CaseFacts

GENERAL_FINE_LIMIT = 50  # "Geldstrafen von insgesamt bis zu 50 Tagessätzen"
ALIEN_ONLY_FINE_LIMIT = 90  # "oder bis zu 90 Tagessätzen wegen Straftaten, die ... nur von Ausländern begangen werden können"


def german_at_least(facts: CaseFacts, level: str) -> Tri:
    if facts.german_level is None:
        return None
    return GERMAN_LEVELS.index(facts.german_level) >= GERMAN_LEVELS.index(level)


def convicted(facts: CaseFacts) -> Tri:
    if facts.convicted_intentional_offense is not None:
        return facts.convicted_intentional_offense
    if facts.day_fines_total is not None and facts.day_fines_total > 0:
        return True
    return None


def convictions_within_fine_tolerance(facts: CaseFacts) -> Outcome:
    """§ 19d Abs. 1 Nr. 7, § 104a Abs. 1 Satz 1 Nr. 6, § 104c Abs. 1 Satz 1 Nr. 2 (old):
    not convicted of an intentional offence in Germany, fines up to 50 day fines in total, or up to
    90 day fines for offences only foreigners can commit, being disregarded in principle."""
    was = convicted(facts)
    if was is None:
        return Outcome(None, "unknown whether convicted", ["convicted_intentional_offense"])
    if was is False:
        return Outcome(True, "no conviction for an intentional offence")
    total, alien = facts.day_fines_total, facts.day_fines_alien_only
    if total is None:
        return Outcome(None, "convicted; number of day fines unknown", ["day_fines_total", "day_fines_alien_only"])
    if total <= GENERAL_FINE_LIMIT:
        return Outcome(True, f"{total} day fines in total ≤ {GENERAL_FINE_LIMIT}: disregarded in principle")
    if alien is None:
        if total > ALIEN_ONLY_FINE_LIMIT:
            return Outcome(False, f"{total} day fines > {ALIEN_ONLY_FINE_LIMIT}: above both tolerances")
        return Outcome(None, f"{total} day fines: depends on how many were for offences only foreigners can commit", ["day_fines_alien_only"])
    general = total - alien
    if general == 0:
        if alien <= ALIEN_ONLY_FINE_LIMIT:
            return Outcome(True, f"{alien} day fines, all for offences only foreigners can commit, ≤ {ALIEN_ONLY_FINE_LIMIT}")
        return Outcome(False, f"{alien} day fines for alien-only offences > {ALIEN_ONLY_FINE_LIMIT}")
    if general <= GENERAL_FINE_LIMIT and alien <= ALIEN_ONLY_FINE_LIMIT:
        # Mixed totals: whether the two tolerances add up is contested; only the authority can decide.
        return Outcome(False, f"mixed: {general} general + {alien} alien-only day fines; adding the tolerances is contested",
                       waivable=True)
    return Outcome(False, f"{total} day fines ({general} for general offences) > {GENERAL_FINE_LIMIT}")


def children_attend_school(facts: CaseFacts) -> Outcome:
    """Nachweis des tatsächlichen Schulbesuchs der Kinder im schulpflichtigen Alter."""
    kids = facts.minor_children_in_household
    if kids is None:
        if facts.children_attend_school is True:
            return Outcome(True, "children attend school")
        return Outcome(None, "unknown whether minor children live in the household",
                       ["minor_children_in_household", "children_attend_school"])
    if kids == 0:
        return Outcome(True, "no minor children in the household", applicable=False)
    if facts.children_attend_school is None:
        return Outcome(None, f"{kids} minor child(ren); school attendance unknown", ["children_attend_school"])
    return Outcome(facts.children_attend_school, "school attendance proven" if facts.children_attend_school else "children of school age do not attend school")


def is_104c_holder(facts: CaseFacts) -> Tri:
    if facts.permit_basis is not None:
        return facts.permit_basis.startswith("AufenthG § 104c")
    if facts.status is not None and facts.status != "aufenthaltserlaubnis":
        return False
    return None


def flag_absent(facts: CaseFacts, name: str, yes: str, no: str) -> Outcome:
    """A disqualifying fact: met when known to be absent."""
    value = getattr(facts, name)
    if value is None:
        return Outcome(None, f"{name} unknown", [name])
    return Outcome(not value, yes if value else no)


def flag_present(facts: CaseFacts, name: str, yes: str, no: str) -> Outcome:
    value = getattr(facts, name)
    if value is None:
        return Outcome(None, f"{name} unknown", [name])
    return Outcome(value, yes if value else no)
