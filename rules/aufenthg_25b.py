"""AufenthG § 25b Abs. 1 – Aufenthaltsgewährung bei nachhaltiger Integration.

Claim `aufenthg_25b`: a permit under Abs. 1 is to be granted ("soll", regular case -> `met` when the
conditions of Satz 2 hold). Abs. 2 refusals, § 5 Abs. 4 and § 11 Abs. 1 are mandatory and override
everything; Abs. 3 waives Nr. 3 and Nr. 4 for illness, disability or age; Abs. 6 replaces the Nr. 1 period
by 30 months of a § 60d Duldung. § 25b derogates only from § 5 Abs. 1 Nr. 1 and Abs. 2: § 5 Abs. 1 Nr. 1a
(identity) and Nr. 2 (any expulsion interest, e.g. a conviction) are regular requirements the authority may
waive (§ 5 Abs. 3 Satz 2) -> `discretionary`; § 104c holders need clarified identity or, with all reasonable
steps taken, the authority's discretion (Abs. 8). § 5 Abs. 1 Nr. 4 (passport) is left to the authority: a
note says so. Judged on the text in force since 31 Dec 2022; an earlier as_of is never `met`.
"""

from __future__ import annotations

from rules.aufenthg_25a import TEXT_SINCE, holder_detail
from rules.common import (children_attend_school, flag_absent, german_at_least, is_104c_holder, no_refusal_5_4_or_entry_ban,
                          other_expulsion_interest_from_convictions)
from rules.engine import Condition, Outcome, Rule, k_and, k_or, last_day_of_period, period_complete, span
from rules.facts import CaseFacts

ABS6_MONTHS = 30


def _historical_text(f: CaseFacts) -> Outcome:
    """Text in force on as_of: § 25b as amended with effect from 31 Dec 2022. 'Einem Ausländer, der geduldet oder
    Inhaber einer Aufenthaltserlaubnis nach § 104c ist,'"""
    return Outcome(False, f"as_of {f.as_of} lies before 31 Dec 2022: the text then in force differed and is not in the corpus; "
                   "the checker does not apply today's text to it")


def _tolerated_or_104c(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1: 'Einem Ausländer, der geduldet oder Inhaber einer Aufenthaltserlaubnis nach § 104c ist,
    soll abweichend von § 5 Absatz 1 Nummer 1 und Absatz 2 eine Aufenthaltserlaubnis erteilt werden, wenn er
    sich nachhaltig in die Lebensverhältnisse der Bundesrepublik Deutschland integriert hat.'"""
    holder = is_104c_holder(f)
    if holder:
        detail, cites = holder_detail(f)
        return Outcome(True, detail, extra_citations=cites)
    if f.status is None:
        return Outcome(None, "residence status unknown", ["status"])
    if f.status == "duldung":
        return Outcome(True, "tolerated (Duldung)")
    if f.status == "aufenthaltserlaubnis" and holder is None:
        return Outcome(None, "legal basis of the residence permit unknown", ["permit_basis"])
    return Outcome(False, f"status {f.status}: neither tolerated nor a § 104c holder")


def _stay_period(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 2 Nr. 1: 'sich seit mindestens sechs Jahren oder, falls er zusammen mit einem minderjährigen
    ledigen Kind in häuslicher Gemeinschaft lebt, seit mindestens vier Jahren ununterbrochen geduldet,
    gestattet oder mit einer Aufenthaltserlaubnis im Bundesgebiet aufgehalten hat,'"""
    regular = _regular_period(f)
    if regular.value is not True:
        abs6 = _abs6_period(f)  # Abs. 6: 30 months of a § 60d Duldung replace the period
        if abs6 is not None:
            return abs6
    return regular


def _regular_period(f: CaseFacts) -> Outcome:
    since = f.continuous_stay_since
    if since is None:
        return Outcome(None, "start of uninterrupted stay unknown", ["continuous_stay_since", "minor_children_in_household"])
    length = span(since, f.as_of)
    light = " (periods with a Duldung 'für Personen mit ungeklärter Identität' do not count, § 60b Abs. 5 Satz 1)"
    cites = ["AufenthG § 60b Abs. 5"] + (["AufenthG § 25b Abs. 7"] if is_104c_holder(f) else [])
    if period_complete(since, f.as_of, years=6):
        return Outcome(True, f"{length} since {since}: six years ran until {last_day_of_period(since, years=6)}" + light, extra_citations=cites)
    if not period_complete(since, f.as_of, years=4):
        return Outcome(False, f"{length} since {since}: less than four years (with 30 months of a § 60d Duldung, Abs. 6 can replace it)")
    kids = f.minor_children_in_household
    if kids is None:
        return Outcome(None, f"{length}: enough only with a minor child in the household", ["minor_children_in_household"])
    if kids > 0:
        return Outcome(True, f"{length} and a minor child in the household: four years suffice" + light, extra_citations=cites)
    return Outcome(False, f"{length}: less than six years and no minor child in the household")


def _abs6_period(f: CaseFacts) -> Outcome | None:
    """Abs. 6: 30 months of a § 60d Duldung replace the period of Abs. 1 Satz 2 Nr. 1 (the § 60d conditions and
    German are checked by the authority: note). None if the route does not help."""
    if f.duldung_60d_since is None or not period_complete(f.duldung_60d_since, f.as_of, months=ABS6_MONTHS):
        return None
    return Outcome(True, f"Beschäftigungsduldung since {f.duldung_60d_since}: 30 months ran until "
                   f"{last_day_of_period(f.duldung_60d_since, months=ABS6_MONTHS)} – Abs. 6 replaces the Nr. 1 period",
                   extra_citations=["AufenthG § 25b Abs. 6"])


def _fdgo_knowledge(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 2 Nr. 2: 'sich zur freiheitlichen demokratischen Grundordnung der Bundesrepublik Deutschland
    bekennt und über Grundkenntnisse der Rechts- und Gesellschaftsordnung und der Lebensverhältnisse im
    Bundesgebiet verfügt,'"""
    return Outcome(k_and(f.commits_to_fdgo, f.knows_legal_social_order),
                   f"commitment {f.commits_to_fdgo}, basic knowledge {f.knows_legal_social_order}")


def _livelihood(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 2 Nr. 3: 'seinen Lebensunterhalt überwiegend durch Erwerbstätigkeit sichert oder bei der
    Betrachtung der bisherigen Schul-, Ausbildungs-, Einkommens- sowie der familiären Lebenssituation zu
    erwarten ist, dass er seinen Lebensunterhalt im Sinne von § 2 Absatz 3 sichern wird, wobei der Bezug von
    Wohngeld unschädlich ist,' – Abs. 3: 'Von den Voraussetzungen des Absatzes 1 Satz 2 Nummer 3 und 4 wird
    abgesehen, wenn der Ausländer sie wegen einer körperlichen, geistigen oder seelischen Krankheit oder
    Behinderung oder aus Altersgründen nicht erfüllen kann.'"""
    own = k_or(f.livelihood_mostly_by_work, f.livelihood_expected)
    value = k_or(own, f.illness_or_disability)
    if own is not True and f.illness_or_disability:
        return Outcome(True, "waived: illness, disability or age (Abs. 3)", extra_citations=["AufenthG § 25b Abs. 3"])
    if own is not True and f.temporary_benefits_exempt:
        return Outcome(True, "temporary benefits are harmless in the regular case (student/apprentice, family, single parent, carer: Satz 3)",
                       extra_citations=["AufenthG § 25b Abs. 1 Satz 3"])
    value = k_or(value, f.temporary_benefits_exempt)
    missing = [n for n in ("livelihood_mostly_by_work", "livelihood_expected", "illness_or_disability", "temporary_benefits_exempt")
               if getattr(f, n) is None]
    return Outcome(value, f"mostly by work {f.livelihood_mostly_by_work}, expected {f.livelihood_expected}",
                   missing if value is None else None, extra_citations=["AufenthG § 2 Abs. 3"])


def _german(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 2 Nr. 4: 'über hinreichende mündliche Deutschkenntnisse im Sinne des Niveaus A2 des
    Gemeinsamen Europäischen Referenzrahmens für Sprachen verfügt und' – waived under Abs. 3 (illness,
    disability, age)."""
    a2 = german_at_least(f, "A2")
    if a2 is not True and f.illness_or_disability:
        return Outcome(True, "waived: illness, disability or age (Abs. 3)", extra_citations=["AufenthG § 25b Abs. 3"])
    value = k_or(a2, f.illness_or_disability)
    missing = [n for n in ("german_level", "illness_or_disability") if getattr(f, n) is None]
    return Outcome(value, f"oral German: {f.german_level}", missing if value is None else None)


def _school(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 2 Nr. 5: 'bei Kindern im schulpflichtigen Alter deren tatsächlichen Schulbesuch nachweist.'"""
    return children_attend_school(f)


def _no_obstruction(f: CaseFacts) -> Outcome:
    """Abs. 2 Nr. 1: 'der Ausländer die Aufenthaltsbeendigung durch vorsätzlich falsche Angaben, durch
    Täuschung über die Identität oder Staatsangehörigkeit oder Nichterfüllung zumutbarer Anforderungen an die
    Mitwirkung bei der Beseitigung von Ausreisehindernissen verhindert oder verzögert oder' – introduced by
    Abs. 2: 'Die Erteilung einer Aufenthaltserlaubnis nach Absatz 1 ist zu versagen, wenn'"""
    if f.identity_deception or f.obstructs_departure:
        return Outcome(False, "mandatory refusal: deception or obstruction of departure")
    if f.identity_deception is None or f.obstructs_departure is None:
        return Outcome(None, "deception / cooperation unknown")
    return Outcome(True, "no deception, duties to cooperate met")


def _no_expulsion_interest(f: CaseFacts) -> Outcome:
    """Abs. 2 Nr. 2: 'ein Ausweisungsinteresse im Sinne von § 54 Absatz 1 oder Absatz 2 Nummer 1 und 2 besteht.'"""
    return flag_absent(f, "expulsion_interest", "mandatory refusal: expulsion interest under § 54 Abs. 1 or Abs. 2 Nr. 1, 2",
                       "no serious expulsion interest", ["AufenthG § 54 Abs. 1", "AufenthG § 54 Abs. 2"])


def _no_other_expulsion_interest(f: CaseFacts) -> Outcome:
    """§ 5 Abs. 1 Nr. 2 (not derogated by § 25b Abs. 1 Satz 1): 'kein Ausweisungsinteresse besteht,' – any interest
    of § 54, e.g. Abs. 2 Nr. 10 for a conviction that is not serious; waivable under § 5 Abs. 3 Satz 2."""
    return other_expulsion_interest_from_convictions(f)


def _no_refusal_5_4_11(f: CaseFacts) -> Outcome:
    """§ 5 Abs. 4: 'Die Erteilung eines Aufenthaltstitels ist zu versagen, wenn ein Ausweisungsinteresse im Sinne
    von § 54 Absatz 1 Nummer 2 oder 4 besteht oder eine Abschiebungsanordnung nach § 58a erlassen wurde.' – § 11
    Abs. 1 Satz 3: no title 'selbst im Falle eines Anspruchs'."""
    return no_refusal_5_4_or_entry_ban(f)


def _identity(f: CaseFacts) -> Outcome:
    """§ 5 Abs. 1 Nr. 1a: 'die Identität und, falls er nicht zur Rückkehr in einen anderen Staat berechtigt ist, die
    Staatsangehörigkeit des Ausländers geklärt ist,' – for § 104c holders Abs. 8: 'Einem Ausländer mit einer
    Aufenthaltserlaubnis nach § 104c soll eine Aufenthaltserlaubnis nach Absatz 1 nur erteilt werden, wenn die
    Voraussetzungen des § 5 Absatz 1 Nummer 1a erfüllt sind. Hat der Ausländer die erforderlichen und ihm
    zumutbaren Maßnahmen für die Identitätsklärung ergriffen, kann sie abweichend von Satz 1 erteilt werden.'"""
    v = f.identity_clarified
    holder = is_104c_holder(f)
    abs8 = ["AufenthG § 25b Abs. 8"] if holder else []
    if v is None:
        return Outcome(None, "unknown whether identity is clarified", ["identity_clarified"])
    if v:
        return Outcome(True, "identity clarified", extra_citations=abs8)
    if holder:
        if f.identity_steps_taken:
            return Outcome(False, "§ 104c holder, identity not clarified but all reasonable steps taken: 'kann' (Abs. 8 Satz 2)",
                           waivable=True, extra_citations=abs8)
        return Outcome(False, "§ 104c holder without clarified identity and without all reasonable steps (Abs. 8)", extra_citations=abs8)
    return Outcome(False, "identity not clarified: regular requirement of § 5 Abs. 1 Nr. 1a, the authority may waive it (§ 5 Abs. 3 Satz 2)",
                   waivable=True, extra_citations=["AufenthG § 5 Abs. 3"])


S2 = "AufenthG § 25b Abs. 1 Satz 2"
HISTORICAL = Condition("text_in_force", "AufenthG § 25b Abs. 1 Satz 1", _historical_text.__doc__ or "", (), _historical_text)
CONDITIONS = (
    Condition("tolerated_or_104c", "AufenthG § 25b Abs. 1 Satz 1", _tolerated_or_104c.__doc__ or "", ("status", "permit_basis"), _tolerated_or_104c),
    Condition("stay_period", S2 + " Nr. 1", _stay_period.__doc__ or "", ("continuous_stay_since", "minor_children_in_household", "duldung_60d_since"), _stay_period),
    Condition("fdgo_and_knowledge", S2 + " Nr. 2", _fdgo_knowledge.__doc__ or "", ("commits_to_fdgo", "knows_legal_social_order"), _fdgo_knowledge),
    Condition("livelihood", S2 + " Nr. 3", _livelihood.__doc__ or "",
              ("livelihood_mostly_by_work", "livelihood_expected", "illness_or_disability", "temporary_benefits_exempt"), _livelihood),
    Condition("german_a2", S2 + " Nr. 4", _german.__doc__ or "", ("german_level", "illness_or_disability"), _german),
    Condition("children_school", S2 + " Nr. 5", _school.__doc__ or "", ("minor_children_in_household", "child_of_school_age", "children_attend_school"), _school),
    Condition("no_deception_or_obstruction", "AufenthG § 25b Abs. 2 Nr. 1", _no_obstruction.__doc__ or "", ("identity_deception", "obstructs_departure"), _no_obstruction),
    Condition("no_expulsion_interest", "AufenthG § 25b Abs. 2 Nr. 2", _no_expulsion_interest.__doc__ or "", ("expulsion_interest",), _no_expulsion_interest),
    Condition("no_other_expulsion_interest", "AufenthG § 5 Abs. 1 Nr. 2", _no_other_expulsion_interest.__doc__ or "",
              ("convicted_intentional_offense", "expulsion_interest"), _no_other_expulsion_interest),
    Condition("no_refusal_5_4_or_entry_ban", "AufenthG § 5 Abs. 4", _no_refusal_5_4_11.__doc__ or "",
              ("expulsion_order", "extremist_ties"), _no_refusal_5_4_11, cited_also=("AufenthG § 11 Abs. 1",)),
    Condition("identity_clarified", "AufenthG § 5 Abs. 1 Nr. 1a", _identity.__doc__ or "", ("identity_clarified", "identity_steps_taken"), _identity),
)


def _notes(f: CaseFacts) -> list[str]:
    notes = ["note.text_before_2022_missing"] if f.as_of < TEXT_SINCE else []
    if f.duldung_60d_since is not None and _abs6_period(f) is not None:
        notes.append("note.25b_abs6")
    return notes


RULE = Rule(
    rule_id="aufenthg_25b",
    provision="AufenthG § 25b",
    mode="met",
    in_force_from="2015-08-01",
    statute_files=("aufenthg_25b.md", "aufenthg_5.md"),
    notes=("note.general_requirements_5",),
    conditions=(HISTORICAL,) + CONDITIONS,
    select=lambda f: (HISTORICAL,) + CONDITIONS if f.as_of < TEXT_SINCE else CONDITIONS,
    extra_notes=_notes,
    text_version_of=lambda f: "not_in_corpus_before_2022-12-31" if f.as_of < TEXT_SINCE else "current",
)
RULES = (RULE,)
