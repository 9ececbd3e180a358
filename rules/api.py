"""What the chat, the app and the CLI call: verify a claim, list a provision's conditions, and
ask for the missing facts in the order that decides fastest."""

from __future__ import annotations

from datetime import date
from typing import Any, get_args

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, Field

from rules.checker import check, statute_sentence
from rules.facts import GERMAN_LEVELS, CaseFacts, FactsError, parse_facts, Protection, Status
from rules.i18n import LANGS, condition_labels, question_labels
from rules.registry import UnknownRuleError, get_rule
from rules.verdict import ClaimCheck, VerdictValue

VERDICTS: tuple[str, ...] = get_args(VerdictValue)


def verify_claim(rule_id: str, asserted_verdict: str, facts: CaseFacts | dict[str, Any], lang: str = "en") -> ClaimCheck:
    """confirmed: the checker reaches the asserted verdict; contradicted: it reaches another decided
    verdict; unverifiable: it needs facts that are missing (or the input cannot be checked)."""
    if asserted_verdict not in VERDICTS:
        raise ValueError(f"asserted_verdict must be one of {', '.join(VERDICTS)}, got {asserted_verdict!r}")
    try:
        verdict = check(rule_id, facts, lang=lang)
    except (FactsError, UnknownRuleError) as err:
        return ClaimCheck(rule_id=rule_id, asserted=asserted_verdict, status="unverifiable", verdict=None, error=str(err))  # type: ignore[arg-type]
    if verdict.verdict == asserted_verdict:
        status = "confirmed"
    elif verdict.verdict == "needs_info":
        status = "unverifiable"
    else:
        status = "contradicted"
    return ClaimCheck(rule_id=rule_id, asserted=asserted_verdict, status=status, verdict=verdict)  # type: ignore[arg-type]


class ConditionInfo(BaseModel):
    """One condition of a provision, for listing what it requires (no facts involved)."""

    condition_id: str
    label: str
    labels: dict[str, str]
    citation: str
    statute_text: str
    facts: list[str]
    alternative_group: str | None = Field(None, description="conditions sharing a group are alternatives")


def conditions(rule_id: str, lang: str = "en", as_of: date | str | None = None) -> list[ConditionInfo]:
    """The conditions of the text in force on `as_of` (default today), with plain-language labels."""
    rule = get_rule(rule_id)
    facts = CaseFacts() if as_of is None else parse_facts({"as_of": as_of if isinstance(as_of, str) else as_of.isoformat()})
    out = []
    for cond in rule.conditions_for(facts):
        labels = condition_labels(rule.provision, cond.id)
        out.append(ConditionInfo(condition_id=cond.id, label=labels.get(lang) or labels["en"], labels=labels,
                                 citation=cond.citation, statute_text=statute_sentence(cond), facts=list(cond.facts),
                                 alternative_group=cond.any_of))
    return out


class Question(BaseModel):
    fact: str
    text: str
    texts: dict[str, str]
    kind: str = Field(description="date, bool, int, number, choice, text")
    choices: list[str] = Field(default_factory=list)


def fact_kind(fact: str) -> tuple[str, list[str]]:
    if fact == "status":
        return "choice", list(get_args(Status))
    if fact == "protection":
        return "choice", list(get_args(Protection))
    if fact == "german_level":
        return "choice", list(GERMAN_LEVELS)
    annotation = str(CaseFacts.model_fields[fact].annotation)
    for kind in ("date", "bool", "int", "float"):
        if kind in annotation:
            return ("number" if kind == "float" else kind), []
    return "text", []


def _domain(fact: str, facts: CaseFacts) -> list[Any]:
    """A few representative values, to see which unknown fact decides the verdict on its own."""
    kind, choices = fact_kind(fact)
    if kind == "bool":
        return [True, False]
    if kind == "choice":
        return choices
    if kind == "date":
        ago = [relativedelta(months=1), relativedelta(years=2), relativedelta(years=5), relativedelta(years=9), relativedelta(years=30)]
        if fact == "birth_date":
            ago = [relativedelta(years=10), relativedelta(years=20), relativedelta(years=40)]
        return [(facts.as_of - d).isoformat() for d in ago]
    if kind == "int":
        return [0, 1, 30, 60, 100] if "fines" in fact else [0, 2, 24]
    if kind == "number":
        return [0, 10, 15, 20, 40]
    return []


def _question(fact: str, lang: str) -> Question:
    texts = question_labels(fact)
    kind, choices = fact_kind(fact)
    return Question(fact=fact, text=texts.get(lang) or texts["en"], texts=texts, kind=kind, choices=choices)


def next_questions(rule_id: str, facts: CaseFacts | dict[str, Any], lang: str = "en") -> list[Question]:
    """Missing facts in the order that decides fastest: first the fact whose answer most often decides
    the verdict on its own, then the one leaving the fewest open facts; ties keep the statute's order."""
    parsed = parse_facts(facts)
    verdict = check(rule_id, parsed)
    if verdict.verdict != "needs_info":
        return []
    base = parsed.model_dump(exclude_none=True)
    scored = []
    for index, fact in enumerate(verdict.missing_facts):
        values = _domain(fact, parsed)
        decided = remaining = 0
        for value in values:
            try:
                outcome = check(rule_id, {**base, fact: value})
            except FactsError:
                continue
            decided += outcome.verdict != "needs_info"
            remaining += len(outcome.missing_facts)
        n = max(len(values), 1)
        scored.append((-decided / n, remaining / n, index, fact))
    # Facts presumed absent (documented, with a note) are asked after the decisive ones.
    later = [fact for fact in verdict.presumed_absent if fact not in verdict.missing_facts]
    return [_question(fact, lang) for *_, fact in sorted(scored)] + [_question(fact, lang) for fact in later]


__all__ = ["verify_claim", "conditions", "next_questions", "ConditionInfo", "Question", "LANGS"]
