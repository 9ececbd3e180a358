"""AufenthG § 25b Abs. 1 – Aufenthaltsgewährung bei nachhaltiger Integration.

Claim `aufenthg_25b`: a permit under Abs. 1 is to be granted ("soll", regular case -> `met` when the
conditions of Satz 2 hold). Abs. 2 refusals are mandatory and override everything; Abs. 3 waives Nr. 3
and Nr. 4 for illness, disability or age. § 104c holders need clarified identity (Abs. 8); for Duldung
holders § 5 Abs. 1 Nr. 1a is a regular requirement the authority may waive (§ 5 Abs. 3 Satz 2).
"""

from __future__ import annotations

from rules.common import children_attend_school, german_at_least, is_104c_holder
from rules.engine import Condition, Outcome, Rule, k_or, period_complete, period_end, span
from rules.facts import CaseFacts


def _tolerated_or_104c(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1: 'Einem Ausländer, der geduldet oder Inhaber einer Aufenthaltserlaubnis nach § 104c ist,
    soll abweichend von § 5 Absatz 1 Nummer 1 und Absatz 2 eine Aufenthaltserlaubnis erteilt werden, wenn er
    sich nachhaltig in die Lebensverhältnisse der Bundesrepublik Deutschland integriert hat.'"""
    holder = is_104c_holder(f)
    if holder:
        return Outcome(True, "holds a § 104c permit")
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
    since = f.continuous_stay_since
    if since is None:
        return Outcome(None, "start of uninterrupted stay unknown", ["continuous_stay_since", "minor_children_in_household"])
    length = span(since, f.as_of)
    if period_complete(since, f.as_of, years=6):
        return Outcome(True, f"{length} since {since}: six years complete on {period_end(since, years=6)}")
    if not period_complete(since, f.as_of, years=4):
        return Outcome(False, f"{length} since {since}: less than four years")
    kids = f.minor_children_in_household
    if kids is None:
        return Outcome(None, f"{length}: enough only with a minor child in the household", ["minor_children_in_household"])
    if kids > 0:
        return Outcome(True, f"{length} and a minor child in the household: four years suffice")
    return Outcome(False, f"{length}: less than six years and no minor child in the household")


def _fdgo_knowledge(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 2 Nr. 2: 'sich zur freiheitlichen demokratischen Grundordnung der Bundesrepublik Deutschland
    bekennt und über Grundkenntnisse der Rechts- und Gesellschaftsordnung und der Lebensverhältnisse im
    Bundesgebiet verfügt,'"""
    from rules.engine import k_and

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
    missing = [n for n in ("livelihood_mostly_by_work", "livelihood_expected", "illness_or_disability") if getattr(f, n) is None]
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
    v = f.expulsion_interest
    if v is None:
        return Outcome(None, "unknown whether an expulsion interest (§ 54 Abs. 1, Abs. 2 Nr. 1, 2) exists")
    return Outcome(not v, "mandatory refusal: expulsion interest under § 54" if v else "no expulsion interest",
                   extra_citations=["AufenthG § 54 Abs. 1", "AufenthG § 54 Abs. 2"])


def _identity(f: CaseFacts) -> Outcome:
    """Abs. 8: 'Einem Ausländer mit einer Aufenthaltserlaubnis nach § 104c soll eine Aufenthaltserlaubnis nach
    Absatz 1 nur erteilt werden, wenn die Voraussetzungen des § 5 Absatz 1 Nummer 1a erfüllt sind. Hat der
    Ausländer die erforderlichen und ihm zumutbaren Maßnahmen für die Identitätsklärung ergriffen, kann sie
    abweichend von Satz 1 erteilt werden.' (for Duldung holders: § 5 Abs. 1 Nr. 1a, waivable under § 5 Abs. 3
    Satz 2)"""
    v = f.identity_clarified
    holder = is_104c_holder(f)
    if v is None:
        return Outcome(None, "unknown whether identity is clarified")
    if v:
        return Outcome(True, "identity clarified (or all reasonable steps taken)",
                       extra_citations=["AufenthG § 25b Abs. 8"] if holder else ["AufenthG § 5 Abs. 1"])
    if holder:
        return Outcome(False, "§ 104c holder without clarified identity (Abs. 8)", extra_citations=["AufenthG § 25b Abs. 8"])
    return Outcome(False, "identity not clarified: regular requirement of § 5 Abs. 1 Nr. 1a, the authority may waive it (§ 5 Abs. 3 Satz 2)",
                   waivable=True, extra_citations=["AufenthG § 5 Abs. 1", "AufenthG § 5 Abs. 3"])


S2 = "AufenthG § 25b Abs. 1 Satz 2"
RULE = Rule(
    rule_id="aufenthg_25b",
    provision="AufenthG § 25b",
    mode="met",
    in_force_from="2015-08-01",
    statute_files=("aufenthg_25b.md", "aufenthg_5.md"),
    conditions=(
        Condition("tolerated_or_104c", "AufenthG § 25b Abs. 1 Satz 1", _tolerated_or_104c.__doc__ or "", ("status", "permit_basis"), _tolerated_or_104c),
        Condition("stay_period", S2 + " Nr. 1", _stay_period.__doc__ or "", ("continuous_stay_since", "minor_children_in_household"), _stay_period),
        Condition("fdgo_and_knowledge", S2 + " Nr. 2", _fdgo_knowledge.__doc__ or "", ("commits_to_fdgo", "knows_legal_social_order"), _fdgo_knowledge),
        Condition("livelihood", S2 + " Nr. 3", _livelihood.__doc__ or "", ("livelihood_mostly_by_work", "livelihood_expected", "illness_or_disability"), _livelihood),
        Condition("german_a2", S2 + " Nr. 4", _german.__doc__ or "", ("german_level", "illness_or_disability"), _german),
        Condition("children_school", S2 + " Nr. 5", _school.__doc__ or "", ("minor_children_in_household", "children_attend_school"), _school),
        Condition("no_deception_or_obstruction", "AufenthG § 25b Abs. 2 Nr. 1", _no_obstruction.__doc__ or "", ("identity_deception", "obstructs_departure"), _no_obstruction),
        Condition("no_expulsion_interest", "AufenthG § 25b Abs. 2 Nr. 2", _no_expulsion_interest.__doc__ or "", ("expulsion_interest",), _no_expulsion_interest),
        Condition("identity_clarified", "AufenthG § 25b Abs. 1 Satz 1", _identity.__doc__ or "", ("identity_clarified",), _identity),
    ),
)
RULES = (RULE,)
