"""AufenthG § 23a – Aufenthaltsgewährung in Härtefällen.

Claim `aufenthg_23a`: a hardship permit *can* be granted. Never `met`: the supreme Land authority
"darf anordnen" and the person has no right to it (Abs. 1 Satz 4); the checker can only rule out
exclusions. The Härtefallkommission acts only on its own initiative (Abs. 2 Satz 2, 3).
"""

from __future__ import annotations

from rules.common import flag_absent, flag_present
from rules.engine import Condition, Outcome, Rule
from rules.facts import CaseFacts

ENFORCEABLY_OBLIGED = {"duldung", "ausreisepflichtig"}  # a Duldung leaves the obligation to leave untouched (§ 60a Abs. 3)


def _obliged_to_leave(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1: 'Die oberste Landesbehörde darf anordnen, dass einem Ausländer, der vollziehbar
    ausreisepflichtig ist, abweichend von den in diesem Gesetz festgelegten Erteilungs- und
    Verlängerungsvoraussetzungen für einen Aufenthaltstitel sowie von den §§ 10 und 11 eine
    Aufenthaltserlaubnis erteilt wird, ...'"""
    if f.status is None:
        return Outcome(None, "residence status unknown", ["status"])
    if f.status in ENFORCEABLY_OBLIGED:
        return Outcome(True, f"status {f.status}: enforceably obliged to leave", extra_citations=["AufenthG § 60a Abs. 3"] if f.status == "duldung" else [])
    return Outcome(False, f"status {f.status}: not enforceably obliged to leave")


def _hardship_request(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1: '... wenn eine von der Landesregierung durch Rechtsverordnung eingerichtete
    Härtefallkommission darum ersucht (Härtefallersuchen).'"""
    return flag_present(f, "hardship_commission_request", "the Härtefallkommission has made a hardship request", "no hardship request")


def _no_serious_offences(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 3: 'Die Annahme eines Härtefalls ist in der Regel ausgeschlossen, wenn der Ausländer
    Straftaten von erheblichem Gewicht begangen hat ...'"""
    # "in der Regel": excluded in the regular case; only an atypical case escapes it (detail and note say so).
    return flag_absent(f, "serious_offenses", "offences of considerable weight: excluded in the regular case (an atypical case may escape it)",
                       "no offences of considerable weight")


def _no_return_date(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 3: '... oder wenn ein Rückführungstermin bereits konkret feststeht.'"""
    return flag_absent(f, "deportation_date_fixed", "a return date is concretely fixed: excluded in the regular case (an atypical case may escape it)",
                       "no return date fixed")


A1 = "AufenthG § 23a Abs. 1"
RULE = Rule(
    rule_id="aufenthg_23a",
    provision="AufenthG § 23a",
    mode="discretionary",
    in_force_from="2005-01-01",
    statute_files=("aufenthg_23a.md",),
    notes=("note.23a_selbstbefassung", "note.23a_no_right", "note.23a_livelihood", "note.23a_regelausschluss"),
    conditions=(
        Condition("enforceably_obliged_to_leave", A1 + " Satz 1", _obliged_to_leave.__doc__ or "", ("status",), _obliged_to_leave),
        Condition("hardship_request", A1 + " Satz 1", _hardship_request.__doc__ or "", ("hardship_commission_request",), _hardship_request,
                  cited_also=("AufenthG § 23a Abs. 2",)),
        Condition("no_serious_offences", A1 + " Satz 3", _no_serious_offences.__doc__ or "", ("serious_offenses",), _no_serious_offences),
        Condition("no_fixed_return_date", A1 + " Satz 3", _no_return_date.__doc__ or "", ("deportation_date_fixed",), _no_return_date),
    ),
)
RULES = (RULE,)
