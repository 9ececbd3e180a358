"""AufenthG § 12a – Wohnsitzregelung (residence obligation), current text.

Two claims: `aufenthg_12a_bound` (the obligation of Abs. 1 binds the person on as_of) and
`aufenthg_12a_lift` (an obligation must be lifted on application, Abs. 5).
"""

from __future__ import annotations

from datetime import date

from rules.common import flag_absent, flag_present
from rules.engine import Condition, Outcome, Rule, at_least, k_and, k_not, k_or, last_day_of_period
from rules.facts import CaseFacts

ABS7_CUTOFF = date(2016, 1, 1)
MIN_HOURS = 15  # "mindestens 15 Stunden wöchentlich"

# Protection forms / permit bases named in Abs. 1 Satz 1: international protection (refugee, subsidiary;
# Asylberechtigte hold refugee status as well), or a first permit under §§ 22, 23, 24 Abs. 1, 25 Abs. 3.
COVERED_PROTECTION = {"asylum", "refugee", "subsidiary", "national_ban", "temporary_protection", "resettlement"}
COVERED_BASES = ("AufenthG § 22", "AufenthG § 23", "AufenthG § 24 Abs. 1", "AufenthG § 25 Abs. 1", "AufenthG § 25 Abs. 2", "AufenthG § 25 Abs. 3")
NOT_RECOGNISED_STATUS = {"duldung", "aufenthaltsgestattung", "ausreisepflichtig", "none"}


def _covered(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1: '... ein Ausländer, dem internationaler Schutz nach der Verordnung (EU) 2024/1347
    zuerkannt worden ist oder dem nach §§ 22, 23, 24 Absatz 1 oder 25 Absatz 3 erstmalig eine
    Aufenthaltserlaubnis erteilt worden ist, ...'"""
    # Either route suffices: a protection status, or a first permit under §§ 22, 23, 24 Abs. 1, 25 Abs. 3. A
    # given protection value never overrides a covering permit basis (and vice versa).
    by_protection = None if f.protection is None else f.protection in COVERED_PROTECTION
    by_basis = None if f.permit_basis is None else any(f.permit_basis == b or f.permit_basis.startswith(b + " ") for b in COVERED_BASES)
    if by_protection:
        return Outcome(True, f"protection: {f.protection}")
    if by_basis:
        return Outcome(True, f"permit basis {f.permit_basis}")
    if f.status in NOT_RECOGNISED_STATUS:  # without any residence permit neither route is open
        by_protection = False if by_protection is None else by_protection
        by_basis = False if by_basis is None else by_basis
    if by_protection is False and by_basis is False:
        return Outcome(False, "no protection status and no permit under §§ 22, 23, 24 Abs. 1, 25 Abs. 3"
                       + (f" (status {f.status})" if f.status in NOT_RECOGNISED_STATUS else ""))
    missing = [n for n, v in (("protection", by_protection), ("permit_basis", by_basis)) if v is None]
    return Outcome(None, "unknown whether a protection status or a permit under §§ 22, 23, 24 Abs. 1, 25 Abs. 3 applies", missing)


def _before_2016(f: CaseFacts) -> Outcome:
    """Abs. 7: 'Die Absätze 1 bis 6 gelten nicht für Ausländer, deren Anerkennung oder erstmalige
    Erteilung der Aufenthaltserlaubnis im Sinne des Absatzes 1 vor dem 1. Januar 2016 erfolgte.'"""
    if f.recognition_date is None:
        return Outcome(None, "recognition date unknown", ["recognition_date"])
    if f.recognition_date < ABS7_CUTOFF:
        return Outcome(False, f"recognised {f.recognition_date} – before 1 Jan 2016: Abs. 1 to 6 do not apply")
    return Outcome(True, f"recognised {f.recognition_date} – on or after 1 Jan 2016")


def _three_years_running(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1: '... für den Zeitraum von drei Jahren ab Anerkennung oder Erteilung der
    Aufenthaltserlaubnis ...' (the checker's one convention, BGB § 187 Abs. 2 Satz 1, § 188 Abs. 2: the
    recognition day counts; the period ends with the day before the third anniversary)."""
    if f.recognition_date is None:
        return Outcome(None, "recognition date unknown", ["recognition_date"])
    end = last_day_of_period(f.recognition_date, years=3)
    if f.as_of <= end:
        return Outcome(True, f"three-year period runs up to and including {end} (as_of {f.as_of})")
    return Outcome(False, f"three-year period ended on {end} (as_of {f.as_of}); an extension under Satz 3 needs non-compliance")


def employment_in_sense_of_abs1_s2(f: CaseFacts) -> bool | None:
    """Social-insurance job of at least 15 h/week (person, spouse/partner or minor child) with an income
    of at least the average single-person need under SGB II §§ 20, 22. Both parts are cumulative."""
    hours = k_or(at_least(f.employment_hours_per_week, MIN_HOURS), at_least(f.family_member_employment_hours_per_week, MIN_HOURS))
    return k_and(hours, f.income_covers_single_need)


def _no_employment_exception(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 2: 'Satz 1 findet keine Anwendung, wenn der Ausländer, sein Ehegatte, eingetragener
    Lebenspartner oder ein minderjähriges lediges Kind, mit dem er verwandt ist und in familiärer
    Lebensgemeinschaft lebt, eine sozialversicherungspflichtige Beschäftigung mit einem Umfang von
    mindestens 15 Stunden wöchentlich aufnimmt oder aufgenommen hat, durch die diese Person mindestens über
    ein Einkommen in Höhe des monatlichen durchschnittlichen Bedarfs nach den §§ 20 und 22 des Zweiten
    Buches Sozialgesetzbuch für eine Einzelperson verfügt, ...'"""
    exc = employment_in_sense_of_abs1_s2(f)
    hours = (f.employment_hours_per_week, f.family_member_employment_hours_per_week)
    detail = f"hours/week: self {hours[0]}, family {hours[1]}; income covers single need: {f.income_covers_single_need}"
    return Outcome(k_not(exc), ("employment exception applies – " if exc else "no employment exception – ") + detail if exc is not None else detail)


def _no_training_exception(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 2: '... oder eine Berufsausbildung aufnimmt oder aufgenommen hat ...'"""
    return flag_absent(f, "in_vocational_training", "in vocational training – exception", "not in training")


def _no_study_exception(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 2: '... oder in einem Studien- oder Ausbildungsverhältnis steht ...'"""
    return flag_absent(f, "studying", "studying – exception", "not studying")


def _no_measure_exception(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 2: '... oder einen Integrationskurs nach § 43, einen Berufssprachkurs nach § 45a, eine
    Qualifizierungsmaßnahme von einer Dauer von mindestens drei Monaten, die zu einer Berufsanerkennung
    führt, oder eine Weiterbildungsmaßnahme nach den §§ 81 und 82 des Dritten Buches Sozialgesetzbuch
    aufnimmt, aufgenommen oder abgeschlossen hat, sofern der Kurs oder die Maßnahme nicht an dem nach Satz 1
    verpflichtenden Wohnsitz ohne Verzögerung durchgeführt oder fortgesetzt werden kann.'"""
    return flag_absent(f, "integration_measure_elsewhere", "course/measure only available elsewhere – exception", "no such course elsewhere")


S1 = "AufenthG § 12a Abs. 1 Satz 1"
S2 = "AufenthG § 12a Abs. 1 Satz 2"
COVERED = Condition("covered_person", S1, _covered.__doc__ or "", ("protection", "permit_basis", "status"), _covered)
ABS7 = Condition("recognised_from_2016", "AufenthG § 12a Abs. 7", _before_2016.__doc__ or "", ("recognition_date",), _before_2016)
PERIOD = Condition("three_year_period", S1, _three_years_running.__doc__ or "", ("recognition_date",), _three_years_running)

BOUND = Rule(
    rule_id="aufenthg_12a_bound",
    provision="AufenthG § 12a",
    mode="met",
    in_force_from="2016-08-06",
    statute_files=("aufenthg_12a.md",),
    notes=("note.12a_bound",),
    conditions=(
        COVERED,
        ABS7,
        PERIOD,
        Condition("no_employment_exception", S2, _no_employment_exception.__doc__ or "",
                  ("employment_hours_per_week", "income_covers_single_need", "family_member_employment_hours_per_week"), _no_employment_exception),
        Condition("no_training_exception", S2, _no_training_exception.__doc__ or "", ("in_vocational_training",), _no_training_exception),
        Condition("no_study_exception", S2, _no_study_exception.__doc__ or "", ("studying",), _no_study_exception),
        Condition("no_measure_exception", S2, _no_measure_exception.__doc__ or "", ("integration_measure_elsewhere",), _no_measure_exception),
    ),
)


# --- Abs. 5: lifting on application -----------------------------------------------------------
def _ground_1a(f: CaseFacts) -> Outcome:
    """Abs. 5 Satz 1 Nr. 1 a: '... wenn der Ausländer nachweist, dass ... an einem anderen Ort ... ihm oder
    seinem Ehegatten, eingetragenen Lebenspartner oder einem minderjährigen ledigen Kind, mit dem er
    verwandt ist und in familiärer Lebensgemeinschaft lebt, eine sozialversicherungspflichtige
    Beschäftigung im Sinne von Absatz 1 Satz 2, ein den Lebensunterhalt überwiegend sicherndes Einkommen
    oder ein Ausbildungs- oder Studienplatz zur Verfügung steht,'"""
    offer = k_or(employment_in_sense_of_abs1_s2(f), f.livelihood_mostly_by_work, f.in_vocational_training, f.studying)
    value = k_and(f.available_elsewhere, offer)
    return Outcome(value, f"job/income/training/study place: {offer}; at another place: {f.available_elsewhere}")


def _ground_1b(f: CaseFacts) -> Outcome:
    """Abs. 5 Satz 1 Nr. 1 b: '... ein Integrationskurs nach § 43, ein Berufssprachkurs nach § 45a, eine
    Qualifizierungsmaßnahme von einer Dauer von mindestens drei Monaten, die zu einer Berufsanerkennung
    führt, oder eine Weiterbildungsmaßnahme nach den §§ 81 und 82 des Dritten Buches Sozialgesetzbuch
    zeitnah zur Verfügung steht, oder'"""
    return flag_present(f, "integration_measure_elsewhere", "course/measure available only elsewhere", "no course/measure only elsewhere")


def _ground_1c(f: CaseFacts) -> Outcome:
    """Abs. 5 Satz 1 Nr. 1 c: '... der Ehegatte, eingetragene Lebenspartner oder ein minderjähriges lediges
    Kind, mit dem er verwandt ist und mit dem er zuvor in familiärer Lebensgemeinschaft gelebt hat, an einem
    anderen Wohnort leben,' (other relatives, e.g. siblings, do not count)"""
    return flag_present(f, "family_elsewhere", "spouse/partner/minor child living elsewhere", "no spouse/partner/minor child elsewhere")


def _ground_2(f: CaseFacts) -> Outcome:
    """Abs. 5 Satz 1 Nr. 2: '... zur Vermeidung einer Härte; eine Härte liegt insbesondere vor, wenn a) nach
    Einschätzung des zuständigen Jugendamtes Leistungen und Maßnahmen der Kinder- und Jugendhilfe ... mit
    Ortsbezug beeinträchtigt würden, b) aus anderen dringenden persönlichen Gründen die Übernahme durch ein
    anderes Land zugesagt wurde oder c) für den Betroffenen aus sonstigen Gründen vergleichbare unzumutbare
    Einschränkungen entstehen.'"""
    return flag_present(f, "hardship_reason", "hardship", "no hardship")


A5 = "AufenthG § 12a Abs. 5 Satz 1"
LIFT = Rule(
    rule_id="aufenthg_12a_lift",
    provision="AufenthG § 12a",
    mode="met",
    in_force_from="2016-08-06",
    statute_files=("aufenthg_12a.md",),
    notes=("note.12a_lift",),
    conditions=(
        COVERED,
        ABS7,
        PERIOD,
        Condition("ground_job_training_elsewhere", A5 + " Nr. 1 Buchst. a", _ground_1a.__doc__ or "",
                  ("available_elsewhere", "employment_hours_per_week", "income_covers_single_need", "livelihood_mostly_by_work",
                   "in_vocational_training", "studying", "family_member_employment_hours_per_week"),
                  _ground_1a, any_of="grounds", cited_also=("AufenthG § 12a Abs. 1 Satz 2",)),
        Condition("ground_course_elsewhere", A5 + " Nr. 1 Buchst. b", _ground_1b.__doc__ or "", ("integration_measure_elsewhere",), _ground_1b, any_of="grounds"),
        Condition("ground_family_elsewhere", A5 + " Nr. 1 Buchst. c", _ground_1c.__doc__ or "", ("family_elsewhere",), _ground_1c, any_of="grounds"),
        Condition("ground_hardship", A5 + " Nr. 2", _ground_2.__doc__ or "", ("hardship_reason",), _ground_2, any_of="grounds"),
    ),
)

RULES = (BOUND, LIFT)
