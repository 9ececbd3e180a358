"""The rule checker's verdicts for one question: each rule is checked at most once on the case
facts, and the composer and the eligibility gate share the result (listed in the order first needed)."""

from __future__ import annotations

from typing import Any

from rules.verdict import RuleVerdict


class CaseVerdicts:
    def __init__(self, facts: dict[str, Any] | None, lang: str) -> None:
        self.facts = facts
        self.lang = lang
        self._by_rule: dict[str, RuleVerdict | None] = {}

    def of(self, rule_id: str) -> RuleVerdict | None:
        """The verdict of `rule_id` on the facts; None when the checker cannot judge them."""
        if rule_id not in self._by_rule:
            from rules import check

            try:
                self._by_rule[rule_id] = check(rule_id, self.facts or {}, lang=self.lang)
            except Exception:  # noqa: BLE001 - bad facts or an unknown rule: answer without a verdict
                self._by_rule[rule_id] = None
        return self._by_rule[rule_id]

    @property
    def all(self) -> list[RuleVerdict]:
        return [v for v in self._by_rule.values() if v is not None]
