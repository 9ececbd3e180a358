"""AufenthG § 60c – Ausbildungsduldung.

Claim `aufenthg_60c`: an Ausbildungsduldung is to be granted ("ist zu erteilen" -> `met`). Abs. 2 lists
the exclusions ("wird nicht erteilt"), including those of § 60a Abs. 6 and § 19d Abs. 1 Nr. 6, 7.
Two routes: Abs. 1 Satz 1 Nr. 1 (training begun as an asylum seeker and continued after the refusal) and
Nr. 2 (a Duldung holder takes up training); Abs. 2 Nr. 2 and Nr. 5 apply only to Nr. 2.
"""

from __future__ import annotations

from rules.common import convictions_within_fine_tolerance, flag_absent, flag_present, identity_or_steps
from rules.engine import Condition, Outcome, Rule, k_and, k_or, last_day_of_period, period_complete
from rules.facts import CaseFacts

OBLIGED = ("duldung", "ausreisepflichtig")


def route_nr1(f: CaseFacts) -> bool | None:
    """Abs. 1 Satz 1 Nr. 1: training begun 'als Asylbewerber', continued after the asylum application was refused."""
    if f.status is not None and f.status not in OBLIGED:
        return False
    return f.training_begun_as_asylum_seeker


def _route(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1: 'Eine Duldung im Sinne von § 60a Absatz 2 Satz 3 ist zu erteilen, wenn der Ausländer in
    Deutschland 1. als Asylbewerber eine ... qualifizierte Berufsausbildung ... aufgenommen hat ... und nach
    Ablehnung des Asylantrags diese Berufsausbildung fortsetzen möchte oder 2. im Besitz einer Duldung nach
    § 60a ist und eine in Nummer 1 genannte Berufsausbildung aufnimmt.'"""
    if f.status is None:
        return Outcome(None, "residence status unknown", ["status", "training_begun_as_asylum_seeker"])
    if f.status == "aufenthaltsgestattung":
        return Outcome(False, "asylum procedure still pending: the Ausbildungsduldung comes only after rejection")
    if f.status not in OBLIGED:
        return Outcome(False, f"status {f.status}: not obliged to leave, no Duldung needed")
    if f.training_begun_as_asylum_seeker:
        return Outcome(True, "Abs. 1 Satz 1 Nr. 1: training begun as an asylum seeker, to be continued after the refusal")
    if f.status == "duldung":
        return Outcome(True, "Abs. 1 Satz 1 Nr. 2: holds a Duldung and takes up training")
    if f.training_begun_as_asylum_seeker is None:
        return Outcome(None, "obliged to leave without a Duldung: unknown whether the training began during the asylum procedure",
                       ["training_begun_as_asylum_seeker"])
    return Outcome(False, "no Duldung, and the training did not begin during the asylum procedure: Nr. 1 does not apply, "
                   "Nr. 2 needs a Duldung under § 60a first")


def _training(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 Nr. 1 a / Nr. 2: '... eine qualifizierte Berufsausbildung in einem staatlich anerkannten
    oder vergleichbar geregelten Ausbildungsberuf ...'"""
    return flag_present(f, "in_vocational_training", "qualified vocational training taken up or starting", "no qualified vocational training")


def _no_60a6(f: CaseFacts) -> Outcome:
    """Abs. 2 Nr. 1: 'ein Ausschlussgrund nach § 60a Absatz 6 vorliegt,' – § 60a Abs. 6 Satz 1: '1. er sich in
    das Inland begeben hat, um Leistungen nach dem Asylbewerberleistungsgesetz zu erlangen, 2.
    aufenthaltsbeendende Maßnahmen bei ihm aus Gründen, die er selbst zu vertreten hat, nicht vollzogen werden
    können oder 3. er Staatsangehöriger eines sicheren Herkunftsstaates ... ist und sein nach dem 31. August 2015
    gestellter Asylantrag abgelehnt oder zurückgenommen wurde ...'"""
    own_fault = k_or(f.identity_deception, f.obstructs_departure)
    clean = k_and(None if f.entered_to_obtain_benefits is None else not f.entered_to_obtain_benefits,
                  None if own_fault is None else not own_fault,
                  None if f.safe_country_rejected is None else not f.safe_country_rejected)
    found = [n for n in ("entered_to_obtain_benefits", "identity_deception", "obstructs_departure", "safe_country_rejected") if getattr(f, n)]
    return Outcome(clean, ("exclusion under § 60a Abs. 6: " + ", ".join(found)) if found else "no exclusion under § 60a Abs. 6 known",
                   extra_citations=["AufenthG § 60a Abs. 6"])


def _duldung_three_months(f: CaseFacts) -> Outcome:
    """Abs. 2 Nr. 2: 'im Fall von Absatz 1 Satz 1 Nummer 2 der Ausländer bei Antragstellung noch nicht drei
    Monate im Besitz einer Duldung ist,'"""
    nr1 = route_nr1(f)
    if nr1:
        return Outcome(True, "case of Abs. 1 Satz 1 Nr. 1: no minimum Duldung period", applicable=False)
    if f.status is None:
        return Outcome(None, "status unknown", ["status", "duldung_since"])
    if f.status not in OBLIGED:
        return Outcome(True, "only for people obliged to leave", applicable=False)
    if f.status == "ausreisepflichtig":
        if nr1 is None:
            return Outcome(None, "route unknown", ["training_begun_as_asylum_seeker"])
        return Outcome(False, "case of Abs. 1 Satz 1 Nr. 2 without a Duldung")
    if f.duldung_since is None:
        return Outcome(None, "Duldung start unknown", ["duldung_since"])
    done = period_complete(f.duldung_since, f.application_day, months=3)
    return Outcome(done, f"Duldung since {f.duldung_since}; three months run until {last_day_of_period(f.duldung_since, months=3)}, "
                   f"application {f.application_day} (a Duldung 'für Personen mit ungeklärter Identität' does not count, § 60b Abs. 5 Satz 1)",
                   extra_citations=["AufenthG § 60b Abs. 5"])


def _identity(f: CaseFacts) -> Outcome:
    """Abs. 2 Nr. 3: 'die Identität nicht geklärt ist a) bei Einreise in das Bundesgebiet bis zum 31. Dezember
    2016 bis zur Beantragung der Ausbildungsduldung, oder b) bei Einreise ... ab dem 1. Januar 2017 und vor dem
    1. Januar 2020 bis zur Beantragung der Ausbildungsduldung, spätestens jedoch bis zum 30. Juni 2020 oder c)
    bei Einreise ... nach dem 31. Dezember 2019 innerhalb der ersten sechs Monate nach der Einreise; ...' –
    Abs. 7: 'Eine Duldung nach Absatz 1 Satz 1 kann unbeachtlich des Absatzes 2 Nummer 3 erteilt werden, wenn der
    Ausländer die erforderlichen und ihm zumutbaren Maßnahmen für die Identitätsklärung ergriffen hat.'"""
    return identity_or_steps(f, "AufenthG § 60c Abs. 7", "within the deadline of Abs. 2 Nr. 3")


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
    return flag_absent(f, "extremist_ties", "ties to extremist organisations", "no extremist ties", ["AufenthG § 19d Abs. 1 Nr. 6"])


def _no_expulsion_order(f: CaseFacts) -> Outcome:
    """Abs. 2 Nr. 4: '... oder gegen den Ausländer eine Ausweisungsverfügung oder eine Abschiebungsanordnung
    nach § 58a besteht,'"""
    return flag_absent(f, "expulsion_order", "expulsion / § 58a order exists", "no expulsion order")


def _no_imminent_measures(f: CaseFacts) -> Outcome:
    """Abs. 2 Nr. 5: 'im Fall von Absatz 1 Satz 1 Nummer 2 zum Zeitpunkt der Antragstellung konkrete Maßnahmen
    zur Aufenthaltsbeendigung, die in einem hinreichenden sachlichen und zeitlichen Zusammenhang zur
    Aufenthaltsbeendigung stehen, bevorstehen; ...' (c: 'die Buchung von Transportmitteln für die Abschiebung
    eingeleitet wurde')"""
    if route_nr1(f):
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
        Condition("duldung_route", "AufenthG § 60c Abs. 1 Satz 1", _route.__doc__ or "", ("status", "training_begun_as_asylum_seeker"), _route),
        Condition("vocational_training", "AufenthG § 60c Abs. 1 Satz 1", _training.__doc__ or "", ("in_vocational_training",), _training),
        Condition("duldung_three_months", A2 + " Nr. 2", _duldung_three_months.__doc__ or "", ("duldung_since",), _duldung_three_months),
        Condition("no_60a6_exclusion", A2 + " Nr. 1", _no_60a6.__doc__ or "",
                  ("entered_to_obtain_benefits", "identity_deception", "obstructs_departure", "safe_country_rejected"), _no_60a6),
        Condition("identity_clarified_in_time", A2 + " Nr. 3", _identity.__doc__ or "", ("identity_clarified", "identity_steps_taken"), _identity),
        Condition("no_disqualifying_conviction", A2 + " Nr. 4", _offences.__doc__ or "", ("convicted_intentional_offense", "day_fines_total", "day_fines_alien_only"), _offences),
        Condition("no_extremist_ties", A2 + " Nr. 4", _no_extremism.__doc__ or "", ("extremist_ties",), _no_extremism),
        Condition("no_expulsion_order", A2 + " Nr. 4", _no_expulsion_order.__doc__ or "", ("expulsion_order",), _no_expulsion_order),
        Condition("no_imminent_measures", A2 + " Nr. 5", _no_imminent_measures.__doc__ or "", ("deportation_measures_imminent", "deportation_date_fixed"), _no_imminent_measures),
    ),
)
RULES = (RULE,)
