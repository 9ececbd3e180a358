"""AufenthG § 25a Abs. 1 – Aufenthaltsgewährung bei gut integrierten Jugendlichen und jungen Volljährigen.

Claim `aufenthg_25a`: a permit under Abs. 1 is to be granted ("soll ... erteilt werden": `met` when
every condition holds). Abs. 1 Satz 3 is a mandatory refusal. The general requirements of § 5 Abs. 1
Nr. 1a (identity) and Nr. 2 (no expulsion interest) apply in the regular case; for a humanitarian
permit the authority may waive them (§ 5 Abs. 3 Satz 2), so failing them gives `discretionary`.
"""

from __future__ import annotations

from rules.common import is_104c_holder
from rules.engine import (Condition, Outcome, Rule, completed_years, k_or, last_day_of_life_year, period_complete,
                          period_end)
from rules.facts import CaseFacts

MIN_AGE_YOUTH = 14  # "Jugendlicher": from the completed 14th year (cf. § 1 Abs. 2 JGG)
AGE_LIMIT = 27


def _permit_or_duldung(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1: 'Einem jugendlichen oder jungen volljährigen Ausländer, der Inhaber einer
    Aufenthaltserlaubnis nach § 104c oder seit mindestens zwölf Monaten im Besitz einer Duldung ist, ...'"""
    holder = is_104c_holder(f)
    if holder:
        return Outcome(True, "holds a § 104c permit")
    if f.status is None and holder is None:
        return Outcome(None, "residence status unknown", ["status", "duldung_since"])
    if f.status == "aufenthaltserlaubnis" and holder is None:
        return Outcome(None, "legal basis of the residence permit unknown", ["permit_basis"])
    if f.status != "duldung":
        return Outcome(False, f"status {f.status}: neither a Duldung nor a § 104c permit")
    if f.duldung_since is None:
        return Outcome(None, "Duldung start unknown", ["duldung_since"])
    done = period_complete(f.duldung_since, f.as_of, months=12)
    end = period_end(f.duldung_since, months=12)
    return Outcome(done, f"Duldung since {f.duldung_since}: twelve months {'complete' if done else 'only'} on {end}")


def _young_person(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1: 'Einem jugendlichen oder jungen volljährigen Ausländer ...'"""
    if f.birth_date is None:
        return Outcome(None, "birth date unknown", ["birth_date"])
    ok = completed_years(f.birth_date, MIN_AGE_YOUTH, f.application_day)
    return Outcome(ok, "at least 14 on the day of application" if ok else "a child under 14 on the day of application (Abs. 2 covers the family)")


def _three_years_stay(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 Nr. 1: 'er sich seit drei Jahren ununterbrochen erlaubt, geduldet oder mit einer
    Aufenthaltsgestattung im Bundesgebiet aufhält,'"""
    if f.continuous_stay_since is None:
        return Outcome(None, "start of uninterrupted stay unknown", ["continuous_stay_since"])
    done = period_complete(f.continuous_stay_since, f.as_of, years=3)
    return Outcome(done, f"uninterrupted since {f.continuous_stay_since}; three years complete on {period_end(f.continuous_stay_since, years=3)}")


def _school(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 Nr. 2: 'er im Bundesgebiet in der Regel seit drei Jahren erfolgreich eine Schule besucht
    oder einen anerkannten Schul- oder Berufsabschluss erworben hat. Von dieser Voraussetzung wird abgesehen,
    wenn der Ausländer sie wegen einer körperlichen, geistigen oder seelischen Krankheit oder Behinderung
    nicht erfüllen kann,'"""
    school = None if f.school_years_in_germany is None else f.school_years_in_germany >= 3
    value = k_or(school, f.recognized_degree, f.illness_or_disability)
    missing = [n for n in ("school_years_in_germany", "recognized_degree", "illness_or_disability") if getattr(f, n) is None]
    detail = f"school years {f.school_years_in_germany}, recognised qualification {f.recognized_degree}"
    if value and not school and not f.recognized_degree:
        detail += "; waived for illness or disability"
    return Outcome(value, detail, missing if value is None else None)


def _age_limit(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 Nr. 3: 'der Antrag auf Erteilung der Aufenthaltserlaubnis vor Vollendung des 27.
    Lebensjahres gestellt wird,' (BGB § 187 Abs. 2 Satz 2: the year is completed at the end of the day
    before the birthday)"""
    if f.birth_date is None:
        return Outcome(None, "birth date unknown", ["birth_date"])
    last = last_day_of_life_year(f.birth_date, AGE_LIMIT)
    ok = f.application_day <= last
    return Outcome(ok, f"application on {f.application_day}; 27th year completed at the end of {last}")


def _integration_expected(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 Nr. 4: 'es gewährleistet erscheint, dass er sich auf Grund seiner bisherigen Ausbildung
    und Lebensverhältnisse in die Lebensverhältnisse der Bundesrepublik Deutschland einfügen kann und'"""
    return Outcome(f.integration_expected, f"positive integration prognosis: {f.integration_expected}")


def _fdgo(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 Nr. 5: 'keine konkreten Anhaltspunkte dafür bestehen, dass der Ausländer sich nicht zur
    freiheitlichen demokratischen Grundordnung der Bundesrepublik Deutschland bekennt.'"""
    return Outcome(f.commits_to_fdgo, f"commits to the free democratic basic order: {f.commits_to_fdgo}")


def _no_deception(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 3: 'Die Erteilung einer Aufenthaltserlaubnis ist zu versagen, wenn die Abschiebung aufgrund
    eigener falscher Angaben des Ausländers oder aufgrund seiner Täuschung über seine Identität oder
    Staatsangehörigkeit ausgesetzt ist.'"""
    v = f.identity_deception
    if v is None:
        return Outcome(None, "unknown whether the deportation is suspended because of own deception")
    return Outcome(not v, "mandatory refusal: deportation suspended because of own false statements/deception" if v else "no deception")


def _identity(f: CaseFacts) -> Outcome:
    """§ 5 Abs. 1 Nr. 1a (Abs. 6 for § 104c holders): 'die Identität und, falls er nicht zur Rückkehr in einen
    anderen Staat berechtigt ist, die Staatsangehörigkeit des Ausländers geklärt ist,'"""
    v = f.identity_clarified
    if v is None:
        return Outcome(None, "unknown whether identity is clarified")
    if v:
        return Outcome(True, "identity clarified (or all reasonable steps taken)",
                       extra_citations=["AufenthG § 25a Abs. 6"] if is_104c_holder(f) else [])
    if is_104c_holder(f):
        return Outcome(False, "§ 104c holder: Abs. 6 requires clarified identity or all reasonable steps",
                       extra_citations=["AufenthG § 25a Abs. 6"])
    return Outcome(False, "identity not clarified: regular requirement, the authority may waive it (§ 5 Abs. 3 Satz 2)",
                   waivable=True, extra_citations=["AufenthG § 5 Abs. 3"])


def _no_expulsion_interest(f: CaseFacts) -> Outcome:
    """§ 5 Abs. 1 Nr. 2: 'kein Ausweisungsinteresse besteht,'"""
    v = f.expulsion_interest
    if v is None:
        return Outcome(None, "unknown whether an expulsion interest exists")
    if v:
        return Outcome(False, "expulsion interest: regular requirement not met, the authority may waive it (§ 5 Abs. 3 Satz 2)",
                       waivable=True, extra_citations=["AufenthG § 5 Abs. 3"])
    return Outcome(True, "no expulsion interest")


A1S1 = "AufenthG § 25a Abs. 1 Satz 1"
RULE = Rule(
    rule_id="aufenthg_25a",
    provision="AufenthG § 25a",
    mode="met",
    in_force_from="2011-07-01",
    statute_files=("aufenthg_25a.md", "aufenthg_5.md"),
    notes=("note.25a_livelihood",),
    conditions=(
        Condition("duldung_12_months_or_104c", A1S1, _permit_or_duldung.__doc__ or "", ("status", "permit_basis", "duldung_since"), _permit_or_duldung),
        Condition("age_limit_27", A1S1 + " Nr. 3", _age_limit.__doc__ or "", ("birth_date", "application_date"), _age_limit),
        Condition("young_person", A1S1, _young_person.__doc__ or "", ("birth_date",), _young_person),
        Condition("three_years_stay", A1S1 + " Nr. 1", _three_years_stay.__doc__ or "", ("continuous_stay_since",), _three_years_stay),
        Condition("school_or_qualification", A1S1 + " Nr. 2", _school.__doc__ or "", ("school_years_in_germany", "recognized_degree", "illness_or_disability"), _school),
        Condition("integration_prognosis", A1S1 + " Nr. 4", _integration_expected.__doc__ or "", ("integration_expected",), _integration_expected),
        Condition("fdgo", A1S1 + " Nr. 5", _fdgo.__doc__ or "", ("commits_to_fdgo",), _fdgo),
        Condition("no_identity_deception", "AufenthG § 25a Abs. 1 Satz 3", _no_deception.__doc__ or "", ("identity_deception",), _no_deception),
        Condition("identity_clarified", "AufenthG § 5 Abs. 1 Nr. 1a", _identity.__doc__ or "", ("identity_clarified",), _identity),
        Condition("no_expulsion_interest", "AufenthG § 5 Abs. 1 Nr. 2", _no_expulsion_interest.__doc__ or "", ("expulsion_interest",), _no_expulsion_interest),
    ),
)
RULES = (RULE,)
