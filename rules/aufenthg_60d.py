"""AufenthG § 60d – Beschäftigungsduldung, judged on the text in force on as_of.

Claim `aufenthg_60d`: a Beschäftigungsduldung is to be granted ("ist in der Regel ... zu erteilen":
`met` when every condition of Abs. 1 holds). Nr. 7 has no 50-day-fine tolerance: only convictions in the
sense of BZRG § 32 Abs. 2 Nr. 5 a (at most 90 day fines, no other sentence) for alien-only offences are
disregarded.

* as_of before 1 Jan 2020: not yet in force.
* 1 Jan 2020 – 29 Feb 2024: the earlier text (entry by 1 Aug 2018, 18 months of at least 35 hours a week,
  20 for single parents), read from the official XML `aufenthg_2004.xml` (Stand 21 Dec 2022) in the corpus.
* from 1 Mar 2024: the current text (entry by 31 Dec 2022, 12 months of at least 20 hours).
The spouse's part of Nr. 1, 7, 8, 11, the children's offences in Nr. 10 and the look-back of Nr. 4 are
not fully expressible in the facts: a note on every verdict says what the authority checks beyond them.
"""

from __future__ import annotations

from datetime import date

from rules.common import (children_attend_school, convictions_bzrg_alien_only, flag_absent, flag_present, german_at_least,
                          identity_or_steps)
from rules.engine import Condition, Outcome, Rule, at_least, k_and, last_day_of_period, period_complete
from rules.facts import CaseFacts

IN_FORCE = date(2020, 1, 1)
CURRENT_FROM = date(2024, 3, 1)
OLD_VERSION = "fassung_bis_2024-02-29"
ENTRY_CUTOFF = date(2022, 12, 31)
OLD_ENTRY_CUTOFF = date(2018, 8, 1)
MIN_HOURS = 20  # "mindestens 20 Stunden pro Woche"
MIN_MONTHS = 12
OLD_MIN_HOURS = 35
OLD_MIN_HOURS_SINGLE_PARENT = 20
OLD_MIN_MONTHS = 18


def _not_yet(f: CaseFacts) -> Outcome:
    """Abs. 1 (in force from 1 Jan 2020): 'ist in der Regel eine Duldung nach § 60a Absatz 2 Satz 3 für 30 Monate zu
    erteilen, wenn'"""
    return Outcome(False, f"as_of {f.as_of}: § 60d entered into force on {IN_FORCE}")


def _obliged(f: CaseFacts) -> Outcome:
    """Abs. 1: 'Einem ausreisepflichtigen Ausländer ... ist in der Regel eine Duldung nach § 60a Absatz 2 Satz 3
    für 30 Monate zu erteilen, wenn'"""
    if f.status is None:
        return Outcome(None, "residence status unknown", ["status"])
    ok = f.status in ("duldung", "ausreisepflichtig")
    return Outcome(ok, f"status {f.status}: " + ("obliged to leave" if ok else "not obliged to leave"))


def _entry(f: CaseFacts) -> Outcome:
    """Abs. 1: '... die bis zum 31. Dezember 2022 in das Bundesgebiet eingereist sind, ...' ('bis zum': the
    day itself counts)"""
    if f.entry_date is None:
        return Outcome(None, "entry date unknown", ["entry_date"])
    ok = f.entry_date <= ENTRY_CUTOFF
    return Outcome(ok, f"entered {f.entry_date} – " + ("on or before 31 Dec 2022" if ok else "after 31 Dec 2022"))


def _old_entry(f: CaseFacts) -> Outcome:
    """Abs. 1 (Fassung bis 29.2.2024): 'Einem ausreisepflichtigen Ausländer und seinem Ehegatten oder seinem
    Lebenspartner, die bis zum 1. August 2018 in das Bundesgebiet eingereist sind,'"""
    if f.entry_date is None:
        return Outcome(None, "entry date unknown", ["entry_date"])
    ok = f.entry_date <= OLD_ENTRY_CUTOFF
    return Outcome(ok, f"entered {f.entry_date} – " + ("on or before 1 Aug 2018" if ok else "after 1 Aug 2018 (text in force until 29 Feb 2024)"))


def _identity(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 1: 'ihre Identitäten geklärt sind a) bei Einreise in das Bundesgebiet bis zum 31. Dezember 2016
    bis zur Beantragung der Beschäftigungsduldung oder b) bei Einreise in das Bundesgebiet zwischen dem 1. Januar
    2017 und dem 31. Dezember 2022 bis zum 31. Dezember 2024 oder in den Fällen, in denen der Antrag vor Ablauf
    des 31. Dezember 2024 gestellt wird, bis zur Beantragung der Beschäftigungsduldung;' – Abs. 4: 'Eine Duldung
    nach Absatz 1 kann unbeachtlich des Absatzes 1 Nummer 1 erteilt werden, wenn der Ausländer die erforderlichen
    und ihm zumutbaren Maßnahmen für die Identitätsklärung ergriffen hat.'"""
    return identity_or_steps(f, "AufenthG § 60d Abs. 4", "in time (by 31 Dec 2024 or the application)")


def _old_identity(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 1 (Fassung bis 29.2.2024): 'ihre Identitäten geklärt sind a) bei Einreise in das Bundesgebiet bis
    zum 31. Dezember 2016 und am 1. Januar 2020 vorliegenden Beschäftigungsverhältnis nach Absatz 1 Nummer 3 bis zur
    Beantragung der Beschäftigungsduldung oder ...' – Abs. 4 (steps taken: 'kann')"""
    return identity_or_steps(f, "AufenthG § 60d Abs. 4", "in time (by 30 Jun 2020 or the application)")


def _duldung_12(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 2: 'der ausreisepflichtige Ausländer seit mindestens zwölf Monaten im Besitz einer Duldung ist,'"""
    if f.status is not None and f.status != "duldung":
        return Outcome(False, f"status {f.status}: no Duldung")
    if f.duldung_since is None:
        return Outcome(None, "Duldung start unknown", ["duldung_since"])
    done = period_complete(f.duldung_since, f.as_of, months=MIN_MONTHS)
    return Outcome(done, f"Duldung since {f.duldung_since}; twelve months run until {last_day_of_period(f.duldung_since, months=12)} "
                   "(a Duldung 'für Personen mit ungeklärter Identität' does not count, § 60b Abs. 5 Satz 1)",
                   extra_citations=["AufenthG § 60b Abs. 5"])


def _employment(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 3: 'der ausreisepflichtige Ausländer seit mindestens zwölf Monaten eine
    sozialversicherungspflichtige Beschäftigung mit einer regelmäßigen Arbeitszeit von mindestens 20 Stunden
    pro Woche ausübt,'"""
    value = k_and(at_least(f.employment_hours_per_week, MIN_HOURS), at_least(f.employment_months, MIN_MONTHS))
    return Outcome(value, f"{f.employment_hours_per_week} h/week for {f.employment_months} months (needs ≥ {MIN_HOURS} h for ≥ {MIN_MONTHS} months)")


def _old_employment(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 3 (Fassung bis 29.2.2024): 'der ausreisepflichtige Ausländer seit mindestens 18 Monaten eine
    sozialversicherungspflichtige Beschäftigung mit einer regelmäßigen Arbeitszeit von mindestens 35 Stunden pro
    Woche ausübt; bei Alleinerziehenden gilt eine regelmäßige Arbeitszeit von mindestens 20 Stunden pro Woche,'"""
    hours = f.employment_hours_per_week
    months = at_least(f.employment_months, OLD_MIN_MONTHS)
    if hours is None:
        enough = None
    elif hours >= OLD_MIN_HOURS:
        enough = True
    elif hours < OLD_MIN_HOURS_SINGLE_PARENT:
        enough = False
    else:
        enough = f.single_parent
    value = k_and(enough, months)
    missing = [n for n in ("employment_hours_per_week", "employment_months") if getattr(f, n) is None]
    if enough is None and hours is not None:
        missing.append("single_parent")
    return Outcome(value, f"{hours} h/week for {f.employment_months} months (text until 29 Feb 2024: ≥ 35 h, single parents ≥ 20 h, "
                   f"for ≥ {OLD_MIN_MONTHS} months)", missing if value is None else None)


def _livelihood_past(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 4: 'der Lebensunterhalt des ausreisepflichtigen Ausländers innerhalb der letzten zwölf Monate
    vor Beantragung der Beschäftigungsduldung durch seine Beschäftigung gesichert war,'"""
    value = k_and(f.livelihood_secured, at_least(f.employment_months, MIN_MONTHS))
    return Outcome(value, f"livelihood secured by the job: {f.livelihood_secured}; employed {f.employment_months} months "
                   "(read from today's facts: the authority checks the twelve months before the application)")


def _livelihood_now(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 5: 'der Lebensunterhalt des ausreisepflichtigen Ausländers durch seine Beschäftigung gesichert
    ist,'"""
    out = flag_present(f, "livelihood_secured", "livelihood secured by the job", "livelihood not secured", ["AufenthG § 2 Abs. 3"])
    return out


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
    return convictions_bzrg_alien_only(f)


def _no_extremism(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 8: 'der ausreisepflichtige Ausländer und sein Ehegatte oder sein Lebenspartner keine Bezüge zu
    extremistischen oder terroristischen Organisationen haben und diese auch nicht unterstützen,'"""
    return flag_absent(f, "extremist_ties", "ties to extremist or terrorist organisations", "no extremist ties")


def _no_expulsion_order(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 9: 'gegen den Ausländer keine Ausweisungsverfügung und keine Abschiebungsanordnung nach § 58a
    besteht,'"""
    return flag_absent(f, "expulsion_order", "an expulsion order or a § 58a order exists", "no expulsion / § 58a order")


def _children(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 10: 'für die in familiärer Lebensgemeinschaft lebenden minderjährigen ledigen Kinder im
    schulpflichtigen Alter deren tatsächlicher Schulbesuch nachgewiesen wird ...'"""
    return children_attend_school(f)


def _integration_course(f: CaseFacts) -> Outcome:
    """Abs. 1 Nr. 11: 'der ausreisepflichtige Ausländer und sein Ehegatte oder sein Lebenspartner einen
    Integrationskurs, soweit sie zu einer Teilnahme verpflichtet wurden, erfolgreich abgeschlossen haben oder den
    Abbruch nicht zu vertreten haben.'"""
    return flag_absent(f, "integration_course_failed", "obligatory integration course not completed through own fault",
                       "no failed obligatory course")


A1 = "AufenthG § 60d Abs. 1"
OBLIGED = Condition("obliged_to_leave", A1, _obliged.__doc__ or "", ("status",), _obliged)
SHARED_TAIL = (
    Condition("duldung_12_months", A1 + " Nr. 2", _duldung_12.__doc__ or "", ("duldung_since",), _duldung_12),
    Condition("livelihood_past_12_months", A1 + " Nr. 4", _livelihood_past.__doc__ or "", ("livelihood_secured", "employment_months"), _livelihood_past),
    Condition("livelihood_now", A1 + " Nr. 5", _livelihood_now.__doc__ or "", ("livelihood_secured",), _livelihood_now),
    Condition("german_oral", A1 + " Nr. 6", _german.__doc__ or "", ("german_level",), _german),
    Condition("no_conviction", A1 + " Nr. 7", _convictions.__doc__ or "", ("convicted_intentional_offense", "day_fines_total", "day_fines_alien_only"), _convictions),
    Condition("no_extremist_ties", A1 + " Nr. 8", _no_extremism.__doc__ or "", ("extremist_ties",), _no_extremism),
    Condition("no_expulsion_order", A1 + " Nr. 9", _no_expulsion_order.__doc__ or "", ("expulsion_order",), _no_expulsion_order),
    Condition("children_school", A1 + " Nr. 10", _children.__doc__ or "", ("minor_children_in_household", "child_of_school_age", "children_attend_school"), _children),
    Condition("integration_course", A1 + " Nr. 11", _integration_course.__doc__ or "", ("integration_course_failed",), _integration_course),
)
CURRENT = (
    OBLIGED,
    Condition("entry_by_2022", A1, _entry.__doc__ or "", ("entry_date",), _entry),
    Condition("employment_20h_12m", A1 + " Nr. 3", _employment.__doc__ or "", ("employment_hours_per_week", "employment_months"), _employment),
    Condition("identity_clarified", A1 + " Nr. 1", _identity.__doc__ or "", ("identity_clarified", "identity_steps_taken"), _identity),
) + SHARED_TAIL
OLD = (
    OBLIGED,
    Condition("old_entry_by_aug_2018", A1, _old_entry.__doc__ or "", ("entry_date",), _old_entry),
    Condition("old_employment_35h_18m", A1 + " Nr. 3", _old_employment.__doc__ or "", ("employment_hours_per_week", "employment_months", "single_parent"), _old_employment),
    Condition("old_identity_clarified", A1 + " Nr. 1", _old_identity.__doc__ or "", ("identity_clarified", "identity_steps_taken"), _old_identity),
) + SHARED_TAIL
NOT_YET = (Condition("not_yet_in_force", A1, _not_yet.__doc__ or "", (), _not_yet),)
OLD_CONDITION_IDS = frozenset(c.id for c in OLD if c.id.startswith("old_"))


def _select(f: CaseFacts) -> tuple[Condition, ...]:
    if f.as_of < IN_FORCE:
        return NOT_YET
    return OLD if f.as_of < CURRENT_FROM else CURRENT


def _version(f: CaseFacts) -> str:
    return OLD_VERSION if IN_FORCE <= f.as_of < CURRENT_FROM else "current"


def _notes(f: CaseFacts) -> list[str]:
    notes = ["note.60d_not_checked"]
    if _version(f) == OLD_VERSION:
        notes.append("note.60d_old_text")
    else:
        notes.append("note.60d_bis_zum")
    return notes


RULE = Rule(
    rule_id="aufenthg_60d",
    provision="AufenthG § 60d",
    mode="met",
    in_force_from="2020-01-01",
    statute_files=("aufenthg_60d.md", "aufenthg_2004.xml"),
    conditions=tuple(dict.fromkeys(CURRENT + OLD + NOT_YET)),
    select=_select,
    text_version_of=_version,
    extra_notes=_notes,
)
RULES = (RULE,)
