"""Run a provision's conditions on the facts and combine them into a RuleVerdict.

Combination (the same for every rule):
1. any condition not met that no discretion can overcome (requirements, mandatory refusals) -> not_met;
2. otherwise any unknown condition -> needs_info, listing the facts that would decide it;
3. otherwise a failure the authority may overlook (e.g. § 5 Abs. 3 Satz 2) -> discretionary;
4. otherwise the rule's own mode: `met` ("ist/soll ... erteilt werden", regular case) or
   `discretionary` ("darf/kann").
Conditions sharing an `any_of` group are alternatives: the group holds if one of them does.
"""

from __future__ import annotations

import re
from typing import Any

from rules.dates import key_dates
from rules.engine import Condition, Outcome, Rule, ordered_union, unknown_facts
from rules.facts import CaseFacts, parse_facts
from rules.i18n import LANGS, condition_labels, note_labels
from rules.registry import get_rule
from rules.verdict import ConditionResult, RuleVerdict

_ELLIPSIS_RE = re.compile(r"\.\.\.|…")


def statute_sentence(condition: Condition) -> str:
    """Verbatim statute words for the condition: the longest unelided piece of the first quotation in
    its docstring (docstrings quote the German text in '...'; elisions are marked with '...')."""
    parts = condition.statute.split("'")
    quote = parts[1] if len(parts) >= 3 else condition.statute
    pieces = [" ".join(p.split()).strip(" ,;") for p in _ELLIPSIS_RE.split(quote)]
    return max(pieces, key=len) if pieces else ""


def _outcome_name(outcome: Outcome) -> str:
    if not outcome.applicable:
        return "not_applicable"
    return {True: "met", False: "not_met", None: "unknown"}[outcome.value]


def evaluate(rule: Rule, facts: CaseFacts) -> list[tuple[Condition, Outcome]]:
    results = []
    for condition in rule.conditions_for(facts):
        outcome = condition.test(facts)
        if outcome.value is None:
            # Ask only for facts that are really unknown.
            asked = [m for m in (outcome.missing or []) if getattr(facts, m) is None]
            outcome.missing = asked or unknown_facts(facts, condition.facts)
        results.append((condition, outcome))
    return results


def combine(rule: Rule, results: list[tuple[Condition, Outcome]]) -> tuple[str, list[str]]:
    """Verdict and ordered missing facts from condition outcomes."""
    units: list[list[tuple[Condition, Outcome]]] = []
    groups: dict[str, list[tuple[Condition, Outcome]]] = {}
    for item in results:
        group = item[0].any_of
        if group is None:
            units.append([item])
        elif group not in groups:
            groups[group] = [item]
            units.append(groups[group])
        else:
            groups[group].append(item)

    hard_fail = soft_fail = False
    missing: list[list[str]] = []
    for unit in units:
        values = [o.value for _, o in unit]
        if len(unit) > 1:  # alternatives
            if any(v is True and not o.waivable for v, (_, o) in zip(values, unit)):
                continue
            if any(v is None for v in values):
                missing.append(ordered_union(o.missing or [] for _, o in unit if o.value is None))
                continue
            if all(o.waivable for _, o in unit if o.value is False) and any(o.waivable for _, o in unit):
                soft_fail = True
            else:
                hard_fail = True
            continue
        _, outcome = unit[0]
        if outcome.value is False:
            if outcome.waivable:
                soft_fail = True
            else:
                hard_fail = True
        elif outcome.value is None:
            missing.append(outcome.missing or [])
    if hard_fail:
        return "not_met", []
    if missing:
        return "needs_info", ordered_union(missing)
    if soft_fail or rule.mode == "discretionary":
        return "discretionary", []
    return "met", []


def check(rule_id: str, facts: CaseFacts | dict[str, Any], lang: str = "en") -> RuleVerdict:
    """Decide whether the claim `rule_id` holds on `facts` (see FORMAT.md for the claims)."""
    rule = get_rule(rule_id)
    parsed = parse_facts(facts)
    results = evaluate(rule, parsed)
    verdict, missing = combine(rule, results)
    trace = []
    citations: dict[str, None] = {}
    for condition, outcome in results:
        labels = condition_labels(rule.provision, condition.id)
        trace.append(
            ConditionResult(
                condition_id=condition.id,
                outcome=_outcome_name(outcome),  # type: ignore[arg-type]
                citation=condition.citation,
                labels=labels,
                statute_text=statute_sentence(condition),
                detail=outcome.detail,
                missing_facts=list(outcome.missing or []) if outcome.value is None else [],
                waivable=outcome.waivable and outcome.value is False,
                also_cited=list(condition.cited_also) + outcome.extra_citations,
            )
        )
        citations.setdefault(condition.citation, None)
        for extra in list(condition.cited_also) + outcome.extra_citations:
            citations.setdefault(extra, None)
    note_keys = list(rule.notes) + (rule.extra_notes(parsed) if rule.extra_notes else [])
    for _, outcome in results:
        note_keys.extend(key for key in outcome.note_keys if key not in note_keys)
    presumed = ordered_union(outcome.presumed_absent for _, outcome in results)
    notes_i18n = [note_labels(key) for key in note_keys]
    lang = lang if lang in LANGS else "en"
    return RuleVerdict(
        rule_id=rule.rule_id,
        provision=rule.provision,
        verdict=verdict,  # type: ignore[arg-type]
        as_of=parsed.as_of.isoformat(),
        trace=trace,
        missing_facts=missing,
        citations=list(citations),
        notes=[n.get(lang) or n["en"] for n in notes_i18n],
        notes_i18n=notes_i18n,
        text_version=rule.text_version_of(parsed) if rule.text_version_of else "current",
        presumed_absent=presumed,
        key_dates=key_dates(rule, parsed, results, lang),
    )
