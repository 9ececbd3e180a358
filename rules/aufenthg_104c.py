"""AufenthG § 104c – Chancen-Aufenthaltsrecht, judged on the text in force on as_of.

* as_of before 31 Dec 2022: not yet in force.
* 31 Dec 2022 – 31 Dec 2025: old text (corpus file aufenthg_104c_fassung_bis_2025-12-31.md):
  "soll ... erteilt werden" -> `met` when every condition holds.
* from 1 Jan 2026: current text, a transitional rule only – existing permits continue (Abs. 1) and can be
  extended only as § 25a or § 25b permits (Abs. 2); no new Chancen-Aufenthaltsrecht -> `not_met`.
Claim `aufenthg_104c`: a *new* permit under § 104c can be granted.
"""

from __future__ import annotations

from datetime import date

from rules.common import convicted, convictions_within_fine_tolerance, flag_present, is_104c_holder, no_refusal_5_4_or_entry_ban
from rules.engine import Condition, Outcome, Rule, period_complete, span
from rules.facts import CaseFacts

OLD_IN_FORCE = date(2022, 12, 31)
OLD_LAST_DAY = date(2025, 12, 31)
KEY_DATE = date(2022, 10, 31)
OLD_VERSION = "fassung_bis_2025-12-31"
CURRENT_TEXT_FROM = date(2026, 1, 1)  # the day after OLD_LAST_DAY: the transitional text, no new permits


# --- current text (from 1 Jan 2026) ------------------------------------------------------------
def _no_new_permits(f: CaseFacts) -> Outcome:
    """Abs. 1 (current): 'Eine Aufenthaltserlaubnis nach § 104c in der Fassung dieses Gesetzes vom 31. Dezember
    2022 gilt bis zum Ende ihrer Geltungsdauer als Aufenthaltstitel nach Kapitel 2 Abschnitt 5.'"""
    return Outcome(False, f"as_of {f.as_of}: since 1 Jan 2026 § 104c only keeps permits already issued; no new permit")


def _extension_only_25a_25b(f: CaseFacts) -> Outcome:
    """Abs. 2 (current): 'Die Aufenthaltserlaubnis nach § 104c in der Fassung dieses Gesetzes vom 31. Dezember 2022
    kann nur als Aufenthaltserlaubnis nach § 25a oder § 25b verlängert werden.'"""
    holder = is_104c_holder(f)
    detail = ("holds a § 104c permit: it can be extended only as § 25a or § 25b" if holder
              else "a § 104c permit could only be extended as § 25a or § 25b")
    return Outcome(False, detail, extra_citations=["AufenthG § 25a Abs. 1", "AufenthG § 25b Abs. 1"])


# --- before the old text entered into force ----------------------------------------------------
def _not_yet(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 (Fassung bis 31.12.2025), in force from 31 Dec 2022: 'Einem geduldeten Ausländer soll ... eine
    Aufenthaltserlaubnis erteilt werden, ...'"""
    return Outcome(False, f"as_of {f.as_of}: § 104c entered into force on {OLD_IN_FORCE}")


# --- old text (31 Dec 2022 – 31 Dec 2025) --------------------------------------------------------
def _tolerated(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 (Fassung bis 31.12.2025): 'Einem geduldeten Ausländer soll abweichend von § 5 Absatz 1 Nummer 1,
    1a und 4 sowie § 5 Absatz 2 eine Aufenthaltserlaubnis erteilt werden, ...'"""
    if f.status is None:
        return Outcome(None, "status unknown", ["status"])
    return Outcome(f.status == "duldung", f"status {f.status}")


def _five_years(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 (Fassung bis 31.12.2025): '... wenn er sich am 31. Oktober 2022 seit fünf Jahren ununterbrochen
    geduldet, gestattet oder mit einer Aufenthaltserlaubnis im Bundesgebiet aufgehalten hat ...'"""
    since = f.continuous_stay_since
    if since is None:
        return Outcome(None, "start of uninterrupted stay unknown", ["continuous_stay_since"])
    if since > KEY_DATE:
        return Outcome(False, f"stay began {since}, after the key date {KEY_DATE}")
    ok = period_complete(since, KEY_DATE, years=5)
    return Outcome(ok, f"{span(since, KEY_DATE)} on {KEY_DATE} (five years needed on the key date, not on as_of)")


def _fdgo(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 Nr. 1 (Fassung bis 31.12.2025): 'sich zur freiheitlichen demokratischen Grundordnung der
    Bundesrepublik Deutschland bekennt und'"""
    return flag_present(f, "commits_to_fdgo", "commits to the free democratic basic order", "does not commit to the free democratic basic order")


def _convictions(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 1 Nr. 2 (Fassung bis 31.12.2025): 'nicht wegen einer im Bundesgebiet begangenen vorsätzlichen
    Straftat verurteilt wurde, wobei Geldstrafen von insgesamt bis zu 50 Tagessätzen oder bis zu 90 Tagessätzen wegen
    Straftaten, die nach dem Aufenthaltsgesetz oder dem Asylgesetz nur von Ausländern begangen werden können, oder
    Verurteilungen nach dem Jugendstrafrecht, die nicht auf Jugendstrafe lauten, grundsätzlich außer Betracht
    bleiben.'"""
    if convicted(f) and f.day_fines_total in (None, 0):
        # Juvenile-law sanctions carry no day fines; those that are not Jugendstrafe are disregarded.
        if f.juvenile_measures_only:
            return Outcome(True, "only juvenile-law sanctions other than Jugendstrafe: disregarded in principle")
        if f.juvenile_measures_only is None:
            return Outcome(None, "convicted: unknown whether only juvenile-law sanctions other than Jugendstrafe, or the day fines",
                           ["juvenile_measures_only", "day_fines_total"] if f.day_fines_total is None else ["juvenile_measures_only"])
    return convictions_within_fine_tolerance(f)


def _no_repeated_deception(f: CaseFacts) -> Outcome:
    """Abs. 1 Satz 2 (Fassung bis 31.12.2025): 'Die Aufenthaltserlaubnis nach Satz 1 soll versagt werden, wenn der
    Ausländer wiederholt vorsätzlich falsche Angaben gemacht oder über seine Identität oder Staatsangehörigkeit
    getäuscht hat und dadurch seine Abschiebung verhindert.'"""
    # The facts cannot say "wiederholt", and "soll versagt" leaves atypical cases open. Read safely: a known
    # deception that prevents the deportation is refused in the regular case (never `met`); the detail says
    # that a single deception, or an atypical case, is for the authority to weigh.
    v = f.identity_deception
    if v is None:
        return Outcome(None, "unknown whether deception prevents the deportation", ["identity_deception"])
    if v:
        return Outcome(False, "deception prevents the deportation: refused in the regular case ('soll versagt') if it was repeated "
                       "('wiederholt'); a single deception or an atypical case is for the authority to weigh")
    return Outcome(True, "no deception")


def _no_expulsion_interest(f: CaseFacts) -> Outcome:
    """§ 5 Abs. 1 Nr. 2 (not derogated by § 104c): 'kein Ausweisungsinteresse besteht,' – convictions are judged
    by the special rule of Abs. 1 Satz 1 Nr. 2 (fines within its tolerance are disregarded in principle), so only
    the serious interest is read here; waivable under § 5 Abs. 3 Satz 2."""
    v = f.expulsion_interest
    if v is None:
        return Outcome(None, "unknown whether an expulsion interest exists", ["expulsion_interest"])
    if v:
        return Outcome(False, "expulsion interest: regular requirement not met; the authority may waive it (§ 5 Abs. 3 Satz 2)",
                       waivable=True, extra_citations=["AufenthG § 5 Abs. 3"])
    return Outcome(True, "no serious expulsion interest; convictions are judged under Nr. 2")


def _no_refusal_5_4_11(f: CaseFacts) -> Outcome:
    """§ 5 Abs. 4 (not derogated by § 104c): 'Die Erteilung eines Aufenthaltstitels ist zu versagen, wenn ein
    Ausweisungsinteresse im Sinne von § 54 Absatz 1 Nummer 2 oder 4 besteht oder eine Abschiebungsanordnung nach
    § 58a erlassen wurde.' – § 11 Abs. 1 Satz 3: no title 'selbst im Falle eines Anspruchs'."""
    return no_refusal_5_4_or_entry_ban(f)


OLD_S1 = "AufenthG § 104c Abs. 1 Satz 1"
CURRENT = (
    Condition("no_new_permits", "AufenthG § 104c Abs. 1", _no_new_permits.__doc__ or "", (), _no_new_permits),
    Condition("extension_only_25a_25b", "AufenthG § 104c Abs. 2", _extension_only_25a_25b.__doc__ or "", ("permit_basis",), _extension_only_25a_25b),
)
NOT_YET = (Condition("not_yet_in_force", OLD_S1, _not_yet.__doc__ or "", (), _not_yet),)
OLD = (
    Condition("old_tolerated", OLD_S1, _tolerated.__doc__ or "", ("status",), _tolerated),
    Condition("old_five_years_on_key_date", OLD_S1, _five_years.__doc__ or "", ("continuous_stay_since",), _five_years),
    Condition("old_fdgo", OLD_S1 + " Nr. 1", _fdgo.__doc__ or "", ("commits_to_fdgo",), _fdgo),
    Condition("old_no_disqualifying_conviction", OLD_S1 + " Nr. 2", _convictions.__doc__ or "",
              ("convicted_intentional_offense", "day_fines_total", "day_fines_alien_only", "juvenile_measures_only"), _convictions),
    Condition("old_no_repeated_deception", "AufenthG § 104c Abs. 1 Satz 2", _no_repeated_deception.__doc__ or "", ("identity_deception",), _no_repeated_deception),
    Condition("no_expulsion_interest", "AufenthG § 5 Abs. 1 Nr. 2", _no_expulsion_interest.__doc__ or "",
              ("expulsion_interest",), _no_expulsion_interest),
    Condition("no_refusal_5_4_or_entry_ban", "AufenthG § 5 Abs. 4", _no_refusal_5_4_11.__doc__ or "",
              ("expulsion_order", "extremist_ties"), _no_refusal_5_4_11, cited_also=("AufenthG § 11 Abs. 1",)),
)


def _select(f: CaseFacts) -> tuple[Condition, ...]:
    if f.as_of < OLD_IN_FORCE:
        return NOT_YET
    if f.as_of <= OLD_LAST_DAY:
        return OLD
    return CURRENT


def _version(f: CaseFacts) -> str:
    return OLD_VERSION if OLD_IN_FORCE <= f.as_of <= OLD_LAST_DAY else "current"


def _notes(f: CaseFacts) -> list[str]:
    return ["note.104c_old_text"] if _version(f) == OLD_VERSION else ["note.104c_transitional"]


RULE = Rule(
    rule_id="aufenthg_104c",
    provision="AufenthG § 104c",
    mode="met",
    in_force_from="2022-12-31",
    in_force_until="2025-12-31",
    statute_files=("aufenthg_104c.md", "aufenthg_104c_fassung_bis_2025-12-31.md"),
    conditions=CURRENT + NOT_YET + OLD,
    select=_select,
    text_version_of=_version,
    extra_notes=_notes,
)
RULES = (RULE,)
