"""Deterministic eligibility checker for AufenthG provisions (see /work/shared/evals/FORMAT.md).

    from rules import check, verify_claim, CaseFacts, RULES, PROVISION_RULE_IDS, conditions, next_questions
"""

from rules.api import conditions, next_questions, verify_claim
from rules.checker import check
from rules.facts import CaseFacts, FactsError, parse_facts
from rules.registry import PROVISION_RULE_IDS, RULES, UnknownRuleError

__all__ = ["check", "verify_claim", "conditions", "next_questions", "CaseFacts", "FactsError", "parse_facts", "RULES", "PROVISION_RULE_IDS", "UnknownRuleError"]
