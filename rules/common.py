"""Tests shared by several provisions (convictions with day-fine tolerance, language level, children,
the general refusal grounds of § 5 Abs. 4 and § 11, flags)."""

from __future__ import annotations

from rules.engine import Outcome, Tri
from rules.facts import GERMAN_LEVELS, CaseFacts

GENERAL_FINE_LIMIT = 50  # "Geldstrafen von insgesamt bis zu 50 Tagessätzen"
ALIEN_ONLY_FINE_LIMIT = 90  # "oder bis zu 90 Tagessätzen wegen Straftaten, die ... nur von Ausländern begangen werden können"
BZRG_FINE_LIMIT = 90  # BZRG § 32 Abs. 2 Nr. 5 a: "Geldstrafe von nicht mehr als neunzig Tagessätzen"


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
    if total == 0:
        # Convicted, but not to a fine: the tolerance covers only fines (Geldstrafen).
        return Outcome(False, "convicted to a sentence other than a fine: the day-fine tolerance does not apply")
    if total <= GENERAL_FINE_LIMIT:
        return Outcome(True, f"{total} day fines in total ≤ {GENERAL_FINE_LIMIT}: disregarded in principle")
    if alien is None:
        if total > GENERAL_FINE_LIMIT + ALIEN_ONLY_FINE_LIMIT:
            return Outcome(False, f"{total} day fines > {GENERAL_FINE_LIMIT} + {ALIEN_ONLY_FINE_LIMIT}: above both tolerances")
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
    return Outcome(False, f"{total} day fines ({general} for general offences, {alien} alien-only): above the tolerance")


def convictions_bzrg_alien_only(facts: CaseFacts) -> Outcome:
    """§ 60d Abs. 1 Nr. 7: only 'Verurteilungen im Sinne von § 32 Absatz 2 Nummer 5 Buchstabe a BZRG' for
    alien-only offences are disregarded: a fine of at most 90 day fines, with no other sentence on the
    register. There is no 50-day-fine tolerance for other offences."""
    was = convicted(facts)
    if was is None:
        return Outcome(None, "unknown whether convicted", ["convicted_intentional_offense"])
    if was is False:
        return Outcome(True, "no conviction for an intentional offence")
    total, alien = facts.day_fines_total, facts.day_fines_alien_only
    if total is None:
        return Outcome(None, "convicted; kind of sentence unknown", ["day_fines_total", "day_fines_alien_only"])
    if total == 0:
        return Outcome(False, "convicted to a sentence other than a fine: not a conviction under BZRG § 32 Abs. 2 Nr. 5 a")
    if alien is None:
        return Outcome(None, "convicted; unknown whether only for offences only foreigners can commit", ["day_fines_alien_only"])
    if total - alien > 0:
        return Outcome(False, f"convicted of a general offence ({total - alien} day fines): Nr. 7 disregards only alien-only offences")
    if alien > BZRG_FINE_LIMIT:
        return Outcome(False, f"{alien} day fines for alien-only offences > {BZRG_FINE_LIMIT}: not a conviction under BZRG § 32 Abs. 2 Nr. 5 a")
    return Outcome(True, f"only alien-only offences, {alien} day fines ≤ {BZRG_FINE_LIMIT} and no other sentence (BZRG § 32 Abs. 2 Nr. 5 a): disregarded in principle")


def children_attend_school(facts: CaseFacts) -> Outcome:
    """Nachweis des tatsächlichen Schulbesuchs der Kinder im schulpflichtigen Alter."""
    kids = facts.minor_children_in_household
    school_age = facts.child_of_school_age
    attend = facts.children_attend_school
    if kids == 0 or school_age is False:
        return Outcome(True, "no minor children in the household" if kids == 0 else "no child of school age", applicable=False)
    if attend is True:
        return Outcome(True, "children of school age attend school")
    if kids is None and school_age is None:
        return Outcome(None, "unknown whether a child of school age lives in the household",
                       ["minor_children_in_household", "child_of_school_age", "children_attend_school"])
    if attend is None:
        if school_age is None:  # ask first whether any child is of school age
            return Outcome(None, f"{kids} minor child(ren); unknown whether any is of school age", ["child_of_school_age", "children_attend_school"])
        return Outcome(None, "a child of school age; school attendance unknown", ["children_attend_school"])
    # children_attend_school false (FORMAT.md: children of school age do not actually attend school)
    return Outcome(False, "a child of school age does not attend school")


def is_104c_holder(facts: CaseFacts) -> Tri:
    if facts.permit_basis is not None:
        return facts.permit_basis.startswith("AufenthG § 104c")
    if facts.status is not None and facts.status != "aufenthaltserlaubnis":
        return False
    return None


EXPULSION_ORDER_NOTE = "note.expulsion_order_presumed_absent"
EXPULSION_INTEREST_NONE_NOTE = "note.expulsion_interest_false_covers_convictions"


def no_refusal_5_4_or_entry_ban(facts: CaseFacts) -> Outcome:
    """§ 5 Abs. 4: 'Die Erteilung eines Aufenthaltstitels ist zu versagen, wenn ein Ausweisungsinteresse im
    Sinne von § 54 Absatz 1 Nummer 2 oder 4 besteht oder eine Abschiebungsanordnung nach § 58a erlassen wurde.'
    § 11 Abs. 1 Satz 3: '... noch darf ihm, selbst im Falle eines Anspruchs nach diesem Gesetz, ein
    Aufenthaltstitel erteilt werden.'

    Known facts decide: an order or extremist ties -> `not_met`. `expulsion_interest: false` (FORMAT.md: none under
    § 54 Abs. 1, which includes Nr. 2 and 4) settles the first case of § 5 Abs. 4, so unknown extremist ties no
    longer matter. An unknown expulsion order (a decision the person has been served) is presumed absent, and the
    verdict carries a note that such an order would bar the permit; it is asked after the decisive facts."""
    cites = ["AufenthG § 5 Abs. 4", "AufenthG § 11 Abs. 1"]
    if facts.expulsion_order:
        return Outcome(False, "an expulsion order (with its entry and residence ban, § 11 Abs. 1) or a § 58a order exists: "
                       "no permit while it stands; for §§ 25a, 25b the ban 'soll aufgehoben werden' (§ 11 Abs. 4 Satz 2) – ask for that first",
                       extra_citations=cites + ["AufenthG § 11 Abs. 4"])
    if facts.extremist_ties:
        return Outcome(False, "ties to extremist or terrorist organisations: expulsion interest of § 54 Abs. 1 Nr. 2, "
                       "§ 5 Abs. 4 'ist zu versagen'", extra_citations=cites)
    presumed = {"note_keys": [EXPULSION_ORDER_NOTE], "presumed_absent": ["expulsion_order"]} if facts.expulsion_order is None else {}
    order = ("expulsion / § 58a order unknown: presumed absent – such an order would bar the permit (§ 11 Abs. 1, § 5 Abs. 4), "
             "see the note" if presumed else "no expulsion or § 58a order")
    if facts.extremist_ties is None and facts.expulsion_interest is not False:
        return Outcome(None, f"unknown whether extremist or terrorist ties (§ 54 Abs. 1 Nr. 2, 4) exist; {order}", ["extremist_ties"],
                       extra_citations=cites, **presumed)
    interest = ("no extremist ties" if facts.extremist_ties is False
                else "no expulsion interest under § 54 Abs. 1 (so none under Nr. 2 or 4)")
    return Outcome(True, f"{interest}; {order}", extra_citations=cites, **presumed)


def no_expulsion_interest_5_1_2(facts: CaseFacts) -> Outcome:
    """§ 5 Abs. 1 Nr. 2: 'kein Ausweisungsinteresse besteht,' – any expulsion interest of § 54, not only the
    serious ones of § 54 Abs. 1 and Abs. 2 Nr. 1, 2. A conviction for an intentional offence founds one at
    least under § 54 Abs. 2 Nr. 10 unless it is minor. For a humanitarian permit the authority may waive the
    requirement (§ 5 Abs. 3 Satz 2): `discretionary`, never `met`. `expulsion_interest: false` is read as no
    expulsion interest at all (see other_expulsion_interest_from_convictions)."""
    if facts.expulsion_interest:
        return Outcome(False, "serious expulsion interest: regular requirement not met, the authority may waive it (§ 5 Abs. 3 Satz 2); "
                       "if it is one of § 54 Abs. 1 Nr. 2 or 4, § 5 Abs. 4 bars the permit", waivable=True,
                       extra_citations=["AufenthG § 5 Abs. 3", "AufenthG § 54 Abs. 1"])
    by_conviction = other_expulsion_interest_from_convictions(facts)
    if by_conviction.value is False or facts.expulsion_interest is False:
        return by_conviction
    missing = ["expulsion_interest"] + (["convicted_intentional_offense"] if by_conviction.value is None else [])
    return Outcome(None, "unknown whether an expulsion interest exists", missing)


def other_expulsion_interest_from_convictions(facts: CaseFacts) -> Outcome:
    """§ 5 Abs. 1 Nr. 2 beyond § 54 Abs. 1 and Abs. 2 Nr. 1, 2: a known conviction for an intentional offence founds an
    expulsion interest (§ 54 Abs. 2 Nr. 10) unless minor -> waivable failure (§ 5 Abs. 3 Satz 2), even if the person
    said there is no expulsion interest (the worse reading of conflicting facts). With the conviction unknown,
    `expulsion_interest: false` (no expulsion interest under § 54 at all) settles it; the verdict carries a note
    saying how the checker read it."""
    was = convicted(facts)
    if was:
        return Outcome(False, "convicted of an intentional offence: an expulsion interest (§ 54 Abs. 2 Nr. 10) unless minor; "
                       "the authority may waive § 5 Abs. 1 Nr. 2 (§ 5 Abs. 3 Satz 2)", waivable=True,
                       extra_citations=["AufenthG § 5 Abs. 3", "AufenthG § 54 Abs. 2"])
    if was is False:
        return Outcome(True, "no conviction for an intentional offence")
    if facts.expulsion_interest is False:
        return Outcome(True, "no expulsion interest under § 54 stated; read as none at all, also none from a conviction (see the note)",
                       extra_citations=["AufenthG § 54 Abs. 2"], note_keys=[EXPULSION_INTEREST_NONE_NOTE],
                       presumed_absent=["convicted_intentional_offense"])
    return Outcome(None, "unknown whether convicted of an intentional offence", ["convicted_intentional_offense"])


def identity_or_steps(f: CaseFacts, waiver: str, what: str) -> Outcome:
    """Identity clarified in time -> met. Not clarified, but all necessary and reasonable steps taken in time ->
    the authority 'kann' grant it anyway (`waiver`): a failure it may overlook, so at most `discretionary`."""
    if f.identity_clarified:
        return Outcome(True, f"identity clarified {what}")
    if f.identity_clarified is None:
        return Outcome(None, f"unknown whether the identity was clarified {what}", ["identity_clarified"])
    if f.identity_steps_taken:
        return Outcome(False, f"identity not clarified {what}, but all reasonable steps taken: the authority may grant it anyway ('kann')",
                       waivable=True, extra_citations=[waiver])
    # FORMAT.md's identity_clarified already counts reasonable steps taken in time, so `false` alone means
    # neither; the separate fact can only improve the outcome (to the authority's discretion).
    return Outcome(False, f"identity not clarified {what}" + (" and not all reasonable steps taken" if f.identity_steps_taken is False
                   else "; if all reasonable steps were taken in time, the authority may grant it anyway (identity_steps_taken)"))


def flag_absent(facts: CaseFacts, name: str, yes: str, no: str, citations: list[str] | None = None) -> Outcome:
    """A disqualifying fact: met when known to be absent. `yes`/`no`: detail when present/absent."""
    value = getattr(facts, name)
    if value is None:
        return Outcome(None, f"{name} unknown", [name], extra_citations=list(citations or []))
    return Outcome(not value, yes if value else no, extra_citations=list(citations or []))


def flag_present(facts: CaseFacts, name: str, yes: str, no: str, citations: list[str] | None = None) -> Outcome:
    """A required fact: met when known to be present."""
    value = getattr(facts, name)
    if value is None:
        return Outcome(None, f"{name} unknown", [name], extra_citations=list(citations or []))
    return Outcome(value, yes if value else no, extra_citations=list(citations or []))
