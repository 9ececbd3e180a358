"""AufenthG § 104a – Altfallregelung (a closed 2007 scheme).

Claim `aufenthg_104a`: a permit under § 104a can (still) be granted. The key date of the stay is
1 July 2007, not as_of; Abs. 5 Satz 1 fixes the validity of any such permit at 31 December 2009, so no
new permit can be granted after that day (extension only for holders, Abs. 5 Satz 2). "Soll" -> `met`
when every condition holds on a historical as_of.
"""

from __future__ import annotations

from datetime import date

from rules.common import children_attend_school, convictions_within_fine_tolerance, flag_absent, flag_present, german_at_least
from rules.engine import Condition, Outcome, Rule, k_or, period_complete, span
from rules.facts import CaseFacts

KEY_DATE = date(2007, 7, 1)
IN_FORCE = date(2007, 8, 28)
LAST_VALID_DAY = date(2009, 12, 31)
LANGUAGE_GRACE_UNTIL = date(2008, 7, 1)


def _open(f: CaseFacts) -> Outcome:
    """Abs. 5 Satz 1: 'Die Aufenthaltserlaubnis wird mit einer Gültigkeit bis zum 31. Dezember 2009 erteilt.'"""
    if f.as_of < IN_FORCE:
        return Outcome(False, f"§ 104a entered into force on {IN_FORCE}")
    if f.as_of > LAST_VALID_DAY:
        return Outcome(False, f"closed scheme: a § 104a permit is valid only until {LAST_VALID_DAY}; no new permit on {f.as_of}")
    return Outcome(True, f"as_of {f.as_of}: the scheme was open")


def _tolerated(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1: 'Einem geduldeten Ausländer soll abweichend von § 5 Abs. 1 Nr. 1 und Abs. 2 eine
    Aufenthaltserlaubnis erteilt werden, ...'"""
    if f.status is None:
        return Outcome(None, "status unknown", ["status"])
    return Outcome(f.status == "duldung", f"status {f.status}")


def _stay_on_key_date(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1: '... wenn er sich am 1. Juli 2007 seit mindestens acht Jahren oder, falls er zusammen mit
    einem oder mehreren minderjährigen ledigen Kindern in häuslicher Gemeinschaft lebt, seit mindestens sechs
    Jahren ununterbrochen geduldet, gestattet oder mit einer Aufenthaltserlaubnis aus humanitären Gründen im
    Bundesgebiet aufgehalten hat ...'"""
    since = f.continuous_stay_since
    if since is None:
        return Outcome(None, "start of uninterrupted stay unknown", ["continuous_stay_since", "minor_children_in_household"])
    if since > KEY_DATE:
        return Outcome(False, f"stay began {since}, after the key date {KEY_DATE}")
    length = span(since, KEY_DATE)
    if period_complete(since, KEY_DATE, years=8):
        return Outcome(True, f"{length} on {KEY_DATE}: eight years complete")
    if not period_complete(since, KEY_DATE, years=6):
        return Outcome(False, f"{length} on {KEY_DATE}: less than six years")
    kids = f.minor_children_in_household
    if kids is None:
        return Outcome(None, f"{length} on {KEY_DATE}: enough only with minor children", ["minor_children_in_household"])
    return Outcome(kids > 0, f"{length} on {KEY_DATE}: " + ("six years suffice with minor children" if kids else "less than eight years, no minor children"))


def _housing(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 Nr. 1: 'über ausreichenden Wohnraum verfügt,'"""
    return flag_present(f, "adequate_housing", "adequate housing", "no adequate housing")


def _german(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 Nr. 2: 'über hinreichende mündliche Deutschkenntnisse im Sinne des Niveaus A2 des Gemeinsamen
    Europäischen Referenzrahmens für Sprachen verfügt,' – Satz 4: 'Von der Voraussetzung des Satzes 1 Nr. 2 kann bis
    zum 1. Juli 2008 abgesehen werden.' Satz 5: '... wird abgesehen, wenn der Ausländer sie wegen einer
    körperlichen, geistigen oder seelischen Krankheit oder Behinderung oder aus Altersgründen nicht erfüllen kann.'"""
    a2 = german_at_least(f, "A2")
    if a2 is not True and f.illness_or_disability:
        return Outcome(True, "waived: illness, disability or age (Abs. 1 Satz 5)")
    value = k_or(a2, f.illness_or_disability)
    if value is False and f.as_of <= LANGUAGE_GRACE_UNTIL:
        return Outcome(False, "below A2; the authority may waive it until 1 July 2008", waivable=True)
    missing = [n for n in ("german_level", "illness_or_disability") if getattr(f, n) is None]
    return Outcome(value, f"oral German: {f.german_level}", missing if value is None else None)


def _school(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 Nr. 3: 'bei Kindern im schulpflichtigen Alter den tatsächlichen Schulbesuch nachweist,'"""
    return children_attend_school(f)


def _no_deception(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 Nr. 4: 'die Ausländerbehörde nicht vorsätzlich über aufenthaltsrechtlich relevante Umstände
    getäuscht oder behördliche Maßnahmen zur Aufenthaltsbeendigung nicht vorsätzlich hinausgezögert oder
    behindert hat,'"""
    if f.identity_deception or f.obstructs_departure:
        return Outcome(False, "deceived the authority or delayed removal")
    if f.identity_deception is None or f.obstructs_departure is None:
        return Outcome(None, "deception / obstruction unknown")
    return Outcome(True, "no deception, no obstruction")


def _no_extremism(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 Nr. 5: 'keine Bezüge zu extremistischen oder terroristischen Organisationen hat und diese auch
    nicht unterstützt und'"""
    return flag_absent(f, "extremist_ties", "ties to extremist or terrorist organisations", "no extremist ties")


def _convictions(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 Nr. 6: 'nicht wegen einer im Bundesgebiet begangenen vorsätzlichen Straftat verurteilt wurde,
    wobei Geldstrafen von insgesamt bis zu 50 Tagessätzen oder bis zu 90 Tagessätzen wegen Straftaten, die nach
    dem Aufenthaltsgesetz oder dem Asylgesetz nur von Ausländern begangen werden können, grundsätzlich außer
    Betracht bleiben.'"""
    return convictions_within_fine_tolerance(f)


S1 = "AufenthG § 104a Abs. 1 Satz 1"
RULE = Rule(
    rule_id="aufenthg_104a",
    provision="AufenthG § 104a",
    mode="met",
    in_force_from="2007-08-28",
    in_force_until="2009-12-31",
    closed=True,
    statute_files=("aufenthg_104a.md",),
    notes=("note.104a_closed",),
    conditions=(
        Condition("scheme_open", "AufenthG § 104a Abs. 5 Satz 1", _open.__doc__ or "", (), _open),
        Condition("tolerated", S1, _tolerated.__doc__ or "", ("status",), _tolerated),
        Condition("stay_on_1_july_2007", S1, _stay_on_key_date.__doc__ or "", ("continuous_stay_since", "minor_children_in_household"), _stay_on_key_date),
        Condition("adequate_housing", S1 + " Nr. 1", _housing.__doc__ or "", ("adequate_housing",), _housing),
        Condition("german_a2", S1 + " Nr. 2", _german.__doc__ or "", ("german_level", "illness_or_disability"), _german),
        Condition("children_school", S1 + " Nr. 3", _school.__doc__ or "", ("minor_children_in_household", "child_of_school_age", "children_attend_school"), _school),
        Condition("no_deception", S1 + " Nr. 4", _no_deception.__doc__ or "", ("identity_deception", "obstructs_departure"), _no_deception),
        Condition("no_extremist_ties", S1 + " Nr. 5", _no_extremism.__doc__ or "", ("extremist_ties",), _no_extremism),
        Condition("no_disqualifying_conviction", S1 + " Nr. 6", _convictions.__doc__ or "", ("convicted_intentional_offense", "day_fines_total", "day_fines_alien_only"), _convictions),
    ),
)
RULES = (RULE,)
