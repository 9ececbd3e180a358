"""AufenthG § 60d – Beschäftigungsduldung.

Claim `aufenthg_60d`: a Beschäftigungsduldung is to be granted ("ist in der Regel ... zu erteilen":
`met` when every condition of Abs. 1 holds). Unlike § 19d Abs. 1 Nr. 7, Nr. 7 here has no 50-day-fine
tolerance: only convictions for offences only foreigners can commit are disregarded.
"""

from __future__ import annotations

from datetime import date

from rules.common import children_attend_school, german_at_least
from rules.engine import Condition, Outcome, Rule, at_least, k_and, period_complete, period_end
from rules.facts import CaseFacts

ENTRY_CUTOFF = date(2022, 12, 31)
MIN_HOURS = 20  # "mindestens 20 Stunden pro Woche"
MIN_MONTHS = 12


def _obliged(f: CaseFacts) -> Outcome:
    """Abs. 1: 'Einem ausreisepflichtigen Ausländer ... ist in der Regel eine Duldung nach § 60a Absatz 2 Satz 3
    für 30 Monate zu erteilen, wenn'"""
    if f.status is None:
        return Outcome(None, "residence status unknown", ["status"])
    ok = f.status in ("duldung", "ausreisepflichtig")
    return Outcome(ok, f"status {f.status}: " + ("obliged to leave" if ok else "not obliged to leave"))


def _entry(f: CaseFacts) -> Outcome:
    """Abs. 1: '... die bis zum 31. Dezember 2022 in das Bundesgebiet eingereist sind, ...'"""
    if f.entry_date is None:
        return Outcome(None, "entry date unknown", ["entry_date"])
    ok = f.entry_date <= ENTRY_CUTOFF
    return Outcome(ok, f"entered {f.entry_date} – " + ("by 31 Dec 2022" if ok else "after 31 Dec 2022"))


def _identity(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 1: 'ihre Identitäten geklärt sind a) bei Einreise in das Bundesgebiet bis zum 31. Dezember 2016
    bis zur Beantragung der Beschäftigungsduldung oder b) bei Einreise in das Bundesgebiet zwischen dem 1. Januar
    2017 und dem 31. Dezember 2022 bis zum 31. Dezember 2024 oder in den Fällen, in denen der Antrag vor Ablauf
    des 31. Dezember 2024 gestellt wird, bis zur Beantragung der Beschäftigungsduldung;' (Abs. 4: reasonable
    steps suffice)"""
    v = f.identity_clarified
    return Outcome(v, {True: "identity clarified in time", False: "identity not clarified in time", None: "unknown"}[v])


def _duldung_12(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 2: 'der ausreisepflichtige Ausländer seit mindestens zwölf Monaten im Besitz einer Duldung ist,'"""
    if f.status is not None and f.status != "duldung":
        return Outcome(False, f"status {f.status}: no Duldung")
    if f.duldung_since is None:
        return Outcome(None, "Duldung start unknown", ["duldung_since"])
    done = period_complete(f.duldung_since, f.as_of, months=MIN_MONTHS)
    return Outcome(done, f"Duldung since {f.duldung_since}; twelve months complete on {period_end(f.duldung_since, months=12)}")


def _employment(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 3: 'der ausreisepflichtige Ausländer seit mindestens zwölf Monaten eine
    sozialversicherungspflichtige Beschäftigung mit einer regelmäßigen Arbeitszeit von mindestens 20 Stunden
    pro Woche ausübt,'"""
    value = k_and(at_least(f.employment_hours_per_week, MIN_HOURS), at_least(f.employment_months, MIN_MONTHS))
    return Outcome(value, f"{f.employment_hours_per_week} h/week for {f.employment_months} months (needs ≥ {MIN_HOURS} h for ≥ {MIN_MONTHS} months)")


def _livelihood_past(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 4: 'der Lebensunterhalt des ausreisepflichtigen Ausländers innerhalb der letzten zwölf Monate
    vor Beantragung der Beschäftigungsduldung durch seine Beschäftigung gesichert war,'"""
    value = k_and(f.livelihood_secured, at_least(f.employment_months, MIN_MONTHS))
    return Outcome(value, f"livelihood secured by the job: {f.livelihood_secured}; job lasted {f.employment_months} months")


def _livelihood_now(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 5: 'der Lebensunterhalt des ausreisepflichtigen Ausländers durch seine Beschäftigung gesichert
    ist,'"""
    return Outcome(f.livelihood_secured, f"livelihood secured: {f.livelihood_secured}", extra_citations=["AufenthG § 2 Abs. 3"])


def _german(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 6: 'der ausreisepflichtige Ausländer über hinreichende mündliche Kenntnisse der deutschen
    Sprache verfügt,' (hinreichend = A2, § 2 Abs. 10)"""
    return Outcome(german_at_least(f, "A2"), f"oral German: {f.german_level}", extra_citations=["AufenthG § 2 Abs. 10"])


def _convictions(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 7: 'der ausreisepflichtige Ausländer und sein Ehegatte oder sein Lebenspartner nicht wegen
    einer im Bundesgebiet begangenen vorsätzlichen Straftat verurteilt wurde, wobei Verurteilungen im Sinne von
    § 32 Absatz 2 Nummer 5 Buchstabe a des Bundeszentralregistergesetzes wegen Straftaten, die nach dem
    Aufenthaltsgesetz oder dem Asylgesetz nur von Ausländern begangen werden können, grundsätzlich außer
    Betracht bleiben,'"""
    was = f.convicted_intentional_offense
    if was is None and f.day_fines_total:
        was = True
    if was is None:
        return Outcome(None, "unknown whether convicted", ["convicted_intentional_offense"])
    if not was:
        return Outcome(True, "no conviction for an intentional offence")
    total, alien = f.day_fines_total, f.day_fines_alien_only
    if total is not None and alien is not None:
        if total - alien > 0:
            return Outcome(False, f"convicted of a general offence ({total - alien} day fines): no tolerance under Nr. 7")
        return Outcome(True, f"only offences foreigners alone can commit ({alien} day fines, BZRG § 32 Abs. 2 Nr. 5 a): disregarded in principle")
    if total is not None and alien is None:
        return Outcome(None, "convicted; unknown whether only for alien-only offences", ["day_fines_alien_only"])
    return Outcome(None, "convicted; kind of offence unknown", ["day_fines_total", "day_fines_alien_only"])


def _no_extremism(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 8: 'der ausreisepflichtige Ausländer und sein Ehegatte oder sein Lebenspartner keine Bezüge zu
    extremistischen oder terroristischen Organisationen haben und diese auch nicht unterstützen,'"""
    v = f.extremist_ties
    return Outcome(None if v is None else not v, f"extremist ties: {v}")


def _no_expulsion_order(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 9: 'gegen den Ausländer keine Ausweisungsverfügung und keine Abschiebungsanordnung nach § 58a
    besteht,'"""
    v = f.expulsion_order
    if v is None:
        return Outcome(None, "unknown whether an expulsion or § 58a order exists")
    return Outcome(not v, f"expulsion / § 58a order: {v}")


def _children(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 10: 'für die in familiärer Lebensgemeinschaft lebenden minderjährigen ledigen Kinder im
    schulpflichtigen Alter deren tatsächlicher Schulbesuch nachgewiesen wird ...'"""
    return children_attend_school(f)


def _integration_course(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 11: 'der ausreisepflichtige Ausländer und sein Ehegatte oder sein Lebenspartner einen
    Integrationskurs, soweit sie zu einer Teilnahme verpflichtet wurden, erfolgreich abgeschlossen haben oder den
    Abbruch nicht zu vertreten haben.'"""
    v = f.integration_course_failed
    if v is None:
        return Outcome(None, "unknown whether an obligatory integration course was failed through own fault")
    return Outcome(not v, "obligatory integration course not completed through own fault" if v else "no failed obligatory course")


A1 = "AufenthG § 60d Abs. 1"
RULE = Rule(
    rule_id="aufenthg_60d",
    provision="AufenthG § 60d",
    mode="met",
    in_force_from="2020-01-01",
    statute_files=("aufenthg_60d.md",),
    conditions=(
        Condition("obliged_to_leave", A1, _obliged.__doc__ or "", ("status",), _obliged),
        Condition("entry_by_2022", A1, _entry.__doc__ or "", ("entry_date",), _entry),
        Condition("employment_20h_12m", A1 + " Nr. 3", _employment.__doc__ or "", ("employment_hours_per_week", "employment_months"), _employment),
        Condition("duldung_12_months", A1 + " Nr. 2", _duldung_12.__doc__ or "", ("duldung_since",), _duldung_12),
        Condition("identity_clarified", A1 + " Nr. 1", _identity.__doc__ or "", ("identity_clarified",), _identity),
        Condition("livelihood_past_12_months", A1 + " Nr. 4", _livelihood_past.__doc__ or "", ("livelihood_secured", "employment_months"), _livelihood_past),
        Condition("livelihood_now", A1 + " Nr. 5", _livelihood_now.__doc__ or "", ("livelihood_secured",), _livelihood_now),
        Condition("german_oral", A1 + " Nr. 6", _german.__doc__ or "", ("german_level",), _german),
        Condition("no_conviction", A1 + " Nr. 7", _convictions.__doc__ or "", ("convicted_intentional_offense", "day_fines_total", "day_fines_alien_only"), _convictions),
        Condition("no_extremist_ties", A1 + " Nr. 8", _no_extremism.__doc__ or "", ("extremist_ties",), _no_extremism),
        Condition("no_expulsion_order", A1 + " Nr. 9", _no_expulsion_order.__doc__ or "", ("expulsion_order",), _no_expulsion_order),
        Condition("children_school", A1 + " Nr. 10", _children.__doc__ or "", ("minor_children_in_household", "children_attend_school"), _children),
        Condition("integration_course", A1 + " Nr. 11", _integration_course.__doc__ or "", ("integration_course_failed",), _integration_course),
    ),
)
RULES = (RULE,)
