"""AufenthG § 60c – Ausbildungsduldung.

Claim `aufenthg_60c`: an Ausbildungsduldung is to be granted ("ist zu erteilen" -> `met`). Abs. 2 lists
the exclusions ("wird nicht erteilt"), including those of § 60a Abs. 6 and § 19d Abs. 1 Nr. 6, 7.
"""

from __future__ import annotations

from rules.common import convictions_within_fine_tolerance
from rules.engine import Condition, Outcome, Rule, k_and, k_or, period_complete, period_end
from rules.facts import CaseFacts


def _route(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1: 'Eine Duldung im Sinne von § 60a Absatz 2 Satz 3 ist zu erteilen, wenn der Ausländer in
    Deutschland 1. als Asylbewerber eine ... qualifizierte Berufsausbildung ... aufgenommen hat ... und nach
    Ablehnung des Asylantrags diese Berufsausbildung fortsetzen möchte oder 2. im Besitz einer Duldung nach
    § 60a ist und eine in Nummer 1 genannte Berufsausbildung aufnimmt.'"""
    if f.status is None:
        return Outcome(None, "residence status unknown", ["status"])
    if f.status == "duldung":
        return Outcome(True, "holds a Duldung (Abs. 1 Satz 1 Nr. 2)")
    if f.status == "ausreisepflichtig":
        return Outcome(True, "asylum application rejected, obliged to leave (Abs. 1 Satz 1 Nr. 1: continuing training begun as asylum seeker)")
    if f.status == "aufenthaltsgestattung":
        return Outcome(False, "asylum procedure still pending: the Ausbildungsduldung comes only after rejection")
    return Outcome(False, f"status {f.status}: not obliged to leave, no Duldung needed")


def _training(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 Nr. 1 a / Nr. 2: '... eine qualifizierte Berufsausbildung in einem staatlich anerkannten
    oder vergleichbar geregelten Ausbildungsberuf ...'"""
    v = f.in_vocational_training
    return Outcome(v, f"qualified vocational training taken up or starting: {v}")


def _no_60a6(f: CaseFacts) -> Outcome:
    """Abs. 2 Nr. 1: 'ein Ausschlussgrund nach § 60a Absatz 6 vorliegt,' – § 60a Abs. 6 Satz 1: '1. er sich in
    das Inland begeben hat, um Leistungen nach dem Asylbewerberleistungsgesetz zu erlangen, 2.
    aufenthaltsbeendende Maßnahmen bei ihm aus Gründen, die er selbst zu vertreten hat, nicht vollzogen werden
    können oder 3. er Staatsangehöriger eines sicheren Herkunftsstaates ... ist und sein nach dem 31. August 2015
    gestellter Asylantrag abgelehnt oder zurückgenommen wurde ...'"""
    own_fault = k_or(f.identity_deception, f.obstructs_departure)
    clean = k_and(f.entered_to_obtain_benefits is False if f.entered_to_obtain_benefits is not None else None,
                  None if own_fault is None else not own_fault,
                  f.safe_country_rejected is False if f.safe_country_rejected is not None else None)
    found = [n for n in ("entered_to_obtain_benefits", "identity_deception", "obstructs_departure", "safe_country_rejected") if getattr(f, n)]
    return Outcome(clean, ("exclusion under § 60a Abs. 6: " + ", ".join(found)) if found else "no exclusion under § 60a Abs. 6 known",
                   extra_citations=["AufenthG § 60a Abs. 6"])


def _duldung_three_months(f: CaseFacts) -> Outcome:
    """Abs. 2 Nr. 2: 'im Fall von Absatz 1 Satz 1 Nummer 2 der Ausländer bei Antragstellung noch nicht drei
    Monate im Besitz einer Duldung ist,'"""
    if f.status == "ausreisepflichtig":
        return Outcome(True, "case of Abs. 1 Satz 1 Nr. 1: no minimum Duldung period", applicable=False)
    if f.status is None:
        return Outcome(None, "status unknown", ["status", "duldung_since"])
    if f.status != "duldung":
        return Outcome(True, "only for Duldung holders", applicable=False)
    if f.duldung_since is None:
        return Outcome(None, "Duldung start unknown", ["duldung_since"])
    done = period_complete(f.duldung_since, f.application_day, months=3)
    return Outcome(done, f"Duldung since {f.duldung_since}; three months complete on {period_end(f.duldung_since, months=3)}, application {f.application_day}")


def _identity(f: CaseFacts) -> Outcome:
    """Abs. 2 Nr. 3: 'die Identität nicht geklärt ist a) bei Einreise in das Bundesgebiet bis zum 31. Dezember
    2016 bis zur Beantragung der Ausbildungsduldung, oder b) bei Einreise ... ab dem 1. Januar 2017 und vor dem
    1. Januar 2020 bis zur Beantragung der Ausbildungsduldung, spätestens jedoch bis zum 30. Juni 2020 oder c)
    bei Einreise ... nach dem 31. Dezember 2019 innerhalb der ersten sechs Monate nach der Einreise; die Frist
    gilt als gewahrt, wenn der Ausländer innerhalb der ... Frist alle erforderlichen und ihm zumutbaren
    Maßnahmen für die Identitätsklärung ergriffen hat ...' (Abs. 7: may be granted despite Nr. 3 if all
    reasonable steps were taken)"""
    v = f.identity_clarified
    if v is None:
        return Outcome(None, "unknown whether identity was clarified in time")
    return Outcome(v, "identity clarified in time" if v else "identity not clarified within the deadline")


def _offences(f: CaseFacts) -> Outcome:
    """Abs. 2 Nr. 4: 'ein Ausschlussgrund nach § 19d Absatz 1 Nummer 6 oder 7 vorliegt oder gegen den Ausländer
    eine Ausweisungsverfügung oder eine Abschiebungsanordnung nach § 58a besteht,' – § 19d Abs. 1 Nr. 7: 'nicht
    wegen einer im Bundesgebiet begangenen vorsätzlichen Straftat verurteilt wurde, wobei Geldstrafen von
    insgesamt bis zu 50 Tagessätzen oder bis zu 90 Tagessätzen wegen Straftaten, die nach dem Aufenthaltsgesetz
    oder dem Asylgesetz nur von Ausländern begangen werden können, grundsätzlich außer Betracht bleiben.'"""
    out = convictions_within_fine_tolerance(f)
    out.extra_citations.append("AufenthG § 19d Abs. 1 Nr. 7")
    return out


def _no_extremism(f: CaseFacts) -> Outcome:
    """Abs. 2 Nr. 4 with § 19d Abs. 1 Nr. 6: 'keine Bezüge zu extremistischen oder terroristischen
    Organisationen hat und diese auch nicht unterstützt'"""
    v = f.extremist_ties
    if v is None:
        return Outcome(None, "extremist ties unknown", extra_citations=["AufenthG § 19d Abs. 1 Nr. 6"])
    return Outcome(not v, "ties to extremist organisations" if v else "no extremist ties", extra_citations=["AufenthG § 19d Abs. 1 Nr. 6"])


def _no_expulsion_order(f: CaseFacts) -> Outcome:
    """Abs. 2 Nr. 4: '... oder gegen den Ausländer eine Ausweisungsverfügung oder eine Abschiebungsanordnung
    nach § 58a besteht,'"""
    v = f.expulsion_order
    if v is None:
        return Outcome(None, "unknown whether an expulsion or § 58a order exists")
    return Outcome(not v, "expulsion / § 58a order exists" if v else "no expulsion order")


def _no_imminent_measures(f: CaseFacts) -> Outcome:
    """Abs. 2 Nr. 5: 'im Fall von Absatz 1 Satz 1 Nummer 2 zum Zeitpunkt der Antragstellung konkrete Maßnahmen
    zur Aufenthaltsbeendigung, die in einem hinreichenden sachlichen und zeitlichen Zusammenhang zur
    Aufenthaltsbeendigung stehen, bevorstehen; ...' (c: 'die Buchung von Transportmitteln für die Abschiebung
    eingeleitet wurde')"""
    if f.status == "ausreisepflichtig":
        return Outcome(True, "case of Abs. 1 Satz 1 Nr. 1", applicable=False)
    # A concretely fixed return date is itself an imminent measure; "no measures imminent" covers it.
    imminent = True if f.deportation_date_fixed else f.deportation_measures_imminent
    if imminent is None:
        return Outcome(None, "unknown whether concrete measures to end the stay are imminent",
                       [n for n in ("deportation_measures_imminent", "deportation_date_fixed") if getattr(f, n) is None])
    return Outcome(not imminent, "concrete measures to end the stay are imminent" if imminent else "no concrete measures imminent")


A2 = "AufenthG § 60c Abs. 2"
RULE = Rule(
    rule_id="aufenthg_60c",
    provision="AufenthG § 60c",
    mode="met",
    in_force_from="2020-01-01",
    statute_files=("aufenthg_60c.md", "aufenthg_60a.md", "aufenthg_19d.md"),
    notes=("note.60c_timing",),
    conditions=(
        Condition("duldung_route", "AufenthG § 60c Abs. 1 Satz 1", _route.__doc__ or "", ("status",), _route),
        Condition("vocational_training", "AufenthG § 60c Abs. 1 Satz 1", _training.__doc__ or "", ("in_vocational_training",), _training),
        Condition("duldung_three_months", A2 + " Nr. 2", _duldung_three_months.__doc__ or "", ("duldung_since",), _duldung_three_months),
        Condition("no_60a6_exclusion", A2 + " Nr. 1", _no_60a6.__doc__ or "",
                  ("entered_to_obtain_benefits", "identity_deception", "obstructs_departure", "safe_country_rejected"), _no_60a6),
        Condition("identity_clarified_in_time", A2 + " Nr. 3", _identity.__doc__ or "", ("identity_clarified",), _identity),
        Condition("no_disqualifying_conviction", A2 + " Nr. 4", _offences.__doc__ or "", ("convicted_intentional_offense", "day_fines_total", "day_fines_alien_only"), _offences),
        Condition("no_extremist_ties", A2 + " Nr. 4", _no_extremism.__doc__ or "", ("extremist_ties",), _no_extremism),
        Condition("no_expulsion_order", A2 + " Nr. 4", _no_expulsion_order.__doc__ or "", ("expulsion_order",), _no_expulsion_order),
        Condition("no_imminent_measures", A2 + " Nr. 5", _no_imminent_measures.__doc__ or "", ("deportation_measures_imminent", "deportation_date_fixed"), _no_imminent_measures),
    ),
)
RULES = (RULE,)
