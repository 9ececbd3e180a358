"""AufenthG § 25a Abs. 1 – Aufenthaltsgewährung bei gut integrierten Jugendlichen und jungen Volljährigen.

Claim `aufenthg_25a`: a permit under Abs. 1 is to be granted ("soll ... erteilt werden": `met` when
every condition holds). Abs. 1 Satz 3, § 5 Abs. 4 and § 11 Abs. 1 are mandatory refusals. The general
requirements of § 5 Abs. 1 Nr. 1a (identity) and Nr. 2 (no expulsion interest of any kind) apply in the
regular case; for a humanitarian permit the authority may waive them (§ 5 Abs. 3 Satz 2), so failing them
gives `discretionary`. § 5 Abs. 1 Nr. 4 (passport) is left to the authority: a note says so.
Judged on the text in force since 31 Dec 2022; the earlier text is not in the corpus, so an earlier
as_of is never `met`.
"""

from __future__ import annotations

from datetime import date

from rules.common import (flag_absent, flag_present, is_104c_holder, no_expulsion_interest_5_1_2,
                          no_refusal_5_4_or_entry_ban)
from rules.engine import (Condition, Outcome, Rule, completed_years, k_or, last_day_of_life_year, period_complete,
                          last_day_of_period)
from rules.facts import CaseFacts

TEXT_SINCE = date(2022, 12, 31)  # G v. 21.12.2022 (Chancen-Aufenthaltsrecht) changed § 25a; the earlier text is not in the corpus
TRANSITIONAL_104C_FROM = date(2026, 1, 1)  # current § 104c Abs. 2


def holder_detail(f: CaseFacts) -> tuple[str, list[str]]:
    """A § 104c holder: since 2026 the permit can be extended only as § 25a or § 25b (current § 104c Abs. 2)."""
    if f.as_of >= TRANSITIONAL_104C_FROM:
        return ("holds a § 104c permit; it can be extended only as a § 25a or § 25b permit (§ 104c Abs. 2)",
                ["AufenthG § 104c Abs. 2"])
    return "holds a § 104c permit", []


def historical_text(f: CaseFacts) -> Outcome:
    """Text in force on as_of: § 25a and § 25b as amended with effect from 31 Dec 2022 (corpus: aufenthg_full.md,
    aufenthg_2004.xml of Stand 21 Dec 2022). 'Einem jugendlichen oder jungen volljährigen Ausländer, der Inhaber
    einer Aufenthaltserlaubnis nach § 104c oder seit mindestens zwölf Monaten im Besitz einer Duldung ist,'"""
    return Outcome(False, f"as_of {f.as_of} lies before 31 Dec 2022: the text then in force differed and is not in the corpus; "
                   "the checker does not apply today's text to it")

MIN_AGE_YOUTH = 14  # "Jugendlicher": from the completed 14th year (cf. § 1 Abs. 2 JGG)
AGE_LIMIT = 27


def _permit_or_duldung(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1: 'Einem jugendlichen oder jungen volljährigen Ausländer, der Inhaber einer
    Aufenthaltserlaubnis nach § 104c oder seit mindestens zwölf Monaten im Besitz einer Duldung ist, ...'"""
    holder = is_104c_holder(f)
    if holder:
        detail, cites = holder_detail(f)
        return Outcome(True, detail, extra_citations=cites)
    if f.status is None and holder is None:
        return Outcome(None, "residence status unknown", ["status", "duldung_since"])
    if f.status == "aufenthaltserlaubnis" and holder is None:
        return Outcome(None, "legal basis of the residence permit unknown", ["permit_basis"])
    if f.status != "duldung":
        return Outcome(False, f"status {f.status}: neither a Duldung nor a § 104c permit")
    if f.duldung_since is None:
        return Outcome(None, "Duldung start unknown", ["duldung_since"])
    done = period_complete(f.duldung_since, f.as_of, months=12)
    end = last_day_of_period(f.duldung_since, months=12)
    return Outcome(done, f"Duldung since {f.duldung_since}: twelve months run until {end} "
                   "(a Duldung 'für Personen mit ungeklärter Identität' does not count, § 60b Abs. 5 Satz 1)",
                   extra_citations=["AufenthG § 60b Abs. 5"])


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
    return Outcome(done, f"uninterrupted since {f.continuous_stay_since}; three years run until {last_day_of_period(f.continuous_stay_since, years=3)}")


def _school(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 Nr. 2: 'er im Bundesgebiet in der Regel seit drei Jahren erfolgreich eine Schule besucht
    oder einen anerkannten Schul- oder Berufsabschluss erworben hat. Von dieser Voraussetzung wird abgesehen,
    wenn der Ausländer sie wegen einer körperlichen, geistigen oder seelischen Krankheit oder Behinderung
    nicht erfüllen kann,'"""
    school = None if f.school_years_in_germany is None else f.school_years_in_germany >= 3
    # Only illness or disability that prevents school waives Nr. 2 (not age, unlike § 25b Abs. 3).
    value = k_or(school, f.recognized_degree, f.illness_prevents_school)
    missing = [n for n in ("school_years_in_germany", "recognized_degree", "illness_prevents_school") if getattr(f, n) is None]
    detail = f"school years {f.school_years_in_germany}, recognised qualification {f.recognized_degree}"
    if value and not school and not f.recognized_degree:
        detail += "; waived: illness or disability prevents school (Nr. 2 Satz 2)"
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
    return flag_present(f, "integration_expected", "positive integration prognosis", "no positive integration prognosis")


def _fdgo(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 Nr. 5: 'keine konkreten Anhaltspunkte dafür bestehen, dass der Ausländer sich nicht zur
    freiheitlichen demokratischen Grundordnung der Bundesrepublik Deutschland bekennt.'"""
    return flag_present(f, "commits_to_fdgo", "commits to the free democratic basic order", "does not commit to the free democratic basic order")


def _no_deception(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 3: 'Die Erteilung einer Aufenthaltserlaubnis ist zu versagen, wenn die Abschiebung aufgrund
    eigener falscher Angaben des Ausländers oder aufgrund seiner Täuschung über seine Identität oder
    Staatsangehörigkeit ausgesetzt ist.'"""
    return flag_absent(f, "identity_deception", "mandatory refusal: deportation suspended because of own false statements/deception",
                       "no deception")


def _identity(f: CaseFacts) -> Outcome:
    """§ 5 Abs. 1 Nr. 1a (Abs. 6 for § 104c holders): 'die Identität und, falls er nicht zur Rückkehr in einen
    anderen Staat berechtigt ist, die Staatsangehörigkeit des Ausländers geklärt ist,' – Abs. 6 Satz 2: 'Hat der
    Ausländer die erforderlichen und ihm zumutbaren Maßnahmen für die Identitätsklärung ergriffen, kann sie
    abweichend von Satz 1 erteilt werden.'"""
    v = f.identity_clarified
    holder = is_104c_holder(f)
    if v is None:
        return Outcome(None, "unknown whether identity is clarified", ["identity_clarified"])
    if v:
        return Outcome(True, "identity clarified", extra_citations=["AufenthG § 25a Abs. 6"] if holder else [])
    if holder:
        if f.identity_steps_taken:
            return Outcome(False, "§ 104c holder, identity not clarified but all reasonable steps taken: 'kann' (Abs. 6 Satz 2)",
                           waivable=True, extra_citations=["AufenthG § 25a Abs. 6"])
        return Outcome(False, "§ 104c holder: Abs. 6 requires clarified identity, or all reasonable steps for the authority's discretion",
                       extra_citations=["AufenthG § 25a Abs. 6"])
    return Outcome(False, "identity not clarified: regular requirement, the authority may waive it (§ 5 Abs. 3 Satz 2)",
                   waivable=True, extra_citations=["AufenthG § 5 Abs. 3"])


def _no_expulsion_interest(f: CaseFacts) -> Outcome:
    """§ 5 Abs. 1 Nr. 2: 'kein Ausweisungsinteresse besteht,'"""
    return no_expulsion_interest_5_1_2(f)


def _no_refusal_5_4_11(f: CaseFacts) -> Outcome:
    """§ 5 Abs. 4: 'Die Erteilung eines Aufenthaltstitels ist zu versagen, wenn ein Ausweisungsinteresse im Sinne
    von § 54 Absatz 1 Nummer 2 oder 4 besteht oder eine Abschiebungsanordnung nach § 58a erlassen wurde.' – § 11
    Abs. 1 Satz 3: no title 'selbst im Falle eines Anspruchs'."""
    return no_refusal_5_4_or_entry_ban(f)


A1S1 = "AufenthG § 25a Abs. 1 Satz 1"
HISTORICAL = Condition("text_in_force", "AufenthG § 25a Abs. 1 Satz 1", historical_text.__doc__ or "", (), historical_text)
CONDITIONS = (
    Condition("duldung_12_months_or_104c", A1S1, _permit_or_duldung.__doc__ or "", ("status", "permit_basis", "duldung_since"), _permit_or_duldung),
    Condition("age_limit_27", A1S1 + " Nr. 3", _age_limit.__doc__ or "", ("birth_date", "application_date"), _age_limit),
    Condition("young_person", A1S1, _young_person.__doc__ or "", ("birth_date",), _young_person),
    Condition("three_years_stay", A1S1 + " Nr. 1", _three_years_stay.__doc__ or "", ("continuous_stay_since",), _three_years_stay),
    Condition("school_or_qualification", A1S1 + " Nr. 2", _school.__doc__ or "", ("school_years_in_germany", "recognized_degree", "illness_prevents_school"), _school),
    Condition("integration_prognosis", A1S1 + " Nr. 4", _integration_expected.__doc__ or "", ("integration_expected",), _integration_expected),
    Condition("fdgo", A1S1 + " Nr. 5", _fdgo.__doc__ or "", ("commits_to_fdgo",), _fdgo),
    Condition("no_identity_deception", "AufenthG § 25a Abs. 1 Satz 3", _no_deception.__doc__ or "", ("identity_deception",), _no_deception),
    Condition("identity_clarified", "AufenthG § 5 Abs. 1 Nr. 1a", _identity.__doc__ or "", ("identity_clarified", "identity_steps_taken"), _identity),
    Condition("no_expulsion_interest", "AufenthG § 5 Abs. 1 Nr. 2", _no_expulsion_interest.__doc__ or "",
              ("expulsion_interest", "convicted_intentional_offense"), _no_expulsion_interest),
    Condition("no_refusal_5_4_or_entry_ban", "AufenthG § 5 Abs. 4", _no_refusal_5_4_11.__doc__ or "",
              ("expulsion_order", "extremist_ties"), _no_refusal_5_4_11, cited_also=("AufenthG § 11 Abs. 1",)),
)
RULE = Rule(
    rule_id="aufenthg_25a",
    provision="AufenthG § 25a",
    mode="met",
    in_force_from="2011-07-01",
    statute_files=("aufenthg_25a.md", "aufenthg_5.md"),
    notes=("note.25a_livelihood", "note.general_requirements_5"),
    select=lambda f: (HISTORICAL,) + CONDITIONS if f.as_of < TEXT_SINCE else CONDITIONS,
    extra_notes=lambda f: ["note.text_before_2022_missing"] if f.as_of < TEXT_SINCE else [],
    text_version_of=lambda f: "not_in_corpus_before_2022-12-31" if f.as_of < TEXT_SINCE else "current",
    conditions=(HISTORICAL,) + CONDITIONS,
)
RULES = (RULE,)

