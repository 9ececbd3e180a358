"""All provisions the checker knows, by rule id, and their public metadata (`RULES`)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from rules import aufenthg_12a, aufenthg_23a, aufenthg_25a, aufenthg_25b, aufenthg_60c, aufenthg_60d, aufenthg_104a, aufenthg_104c
from rules.engine import Rule

_MODULES = (aufenthg_12a, aufenthg_23a, aufenthg_25a, aufenthg_25b, aufenthg_60c, aufenthg_60d, aufenthg_104a, aufenthg_104c)
RULE_OBJECTS: dict[str, Rule] = {rule.rule_id: rule for module in _MODULES for rule in module.RULES}


def _rules_by_provision() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for rule_id, rule in RULE_OBJECTS.items():
        found.setdefault(rule.provision, []).append(rule_id)
    return {provision: tuple(ids) for provision, ids in found.items()}


# The one provision -> rule ids map: every rule id whose conditions describe the provision, in the
# order the modules define them (the first is listed as "what it requires": § 12a bound, then lift).
PROVISION_RULE_IDS: dict[str, tuple[str, ...]] = _rules_by_provision()


class UnknownRuleError(KeyError):
    def __str__(self) -> str:
        return f"unknown rule id {self.args[0]!r}; known: {', '.join(RULE_OBJECTS)}"


def get_rule(rule_id: str) -> Rule:
    try:
        return RULE_OBJECTS[rule_id]
    except KeyError:
        raise UnknownRuleError(rule_id) from None


class RuleInfo(BaseModel):
    """What the chat and the app need to know about a rule without running it."""

    rule_id: str
    provision: str
    title: dict[str, str] = Field(description="plain-language claim per language code")
    in_force_from: str
    in_force_until: str | None = Field(None, description="last day new grants were possible, None if still open")
    closed: bool | str = Field(False, description="'closed' for a closed scheme (§ 104a), else False")
    outcome_when_all_met: str = Field(description="'met' (ist/soll) or 'discretionary' (darf/kann)")
    statute_files: list[str]


def _info(rule: Rule) -> RuleInfo:
    from rules.i18n import title_labels

    return RuleInfo(
        rule_id=rule.rule_id,
        provision=rule.provision,
        title=title_labels(rule.rule_id),
        in_force_from=rule.in_force_from,
        in_force_until=rule.in_force_until,
        closed="closed" if rule.closed else False,
        outcome_when_all_met=rule.mode,
        statute_files=list(rule.statute_files),
    )


RULES: dict[str, RuleInfo] = {rule_id: _info(rule) for rule_id, rule in RULE_OBJECTS.items()}
