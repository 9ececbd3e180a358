"""Run rule-case files in the FORMAT.md format (shared dev set and rules/cases/*.jsonl)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from rules.checker import check
from rules.facts import FactsError
from rules.registry import UnknownRuleError
from rules.verdict import RuleVerdict, VerdictValue

OWN_CASES_DIR = Path(__file__).resolve().parent / "cases"


class RuleCase(BaseModel):
    id: str
    rule: str
    description: str = ""
    facts: dict[str, Any]
    expected: VerdictValue
    expected_missing: list[str] = Field(default_factory=list)
    key_citations: list[str] = Field(default_factory=list)
    notes: str = ""


class CaseFileError(ValueError):
    pass


def load_cases(path: Path) -> list[RuleCase]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise CaseFileError(f"cannot read {path}: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise CaseFileError(f"{path} is not UTF-8 text") from None
    cases = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            cases.append(RuleCase.model_validate(json.loads(line)))
        except json.JSONDecodeError as err:
            raise CaseFileError(f"{path}:{number}: not valid JSON ({err.msg})") from None
        except ValidationError as err:
            fields = ", ".join(".".join(map(str, e["loc"])) + ": " + e["msg"] for e in err.errors())
            raise CaseFileError(f"{path}:{number}: not a rule case ({fields})") from None
    return cases


def cites(verdict: RuleVerdict, key: str) -> bool:
    """A cited 'AufenthG § 25b Abs. 1 Satz 2 Nr. 4' counts for 'AufenthG § 25b Abs. 1' and 'AufenthG § 25b'."""
    return any(c == key or c.startswith(key + " ") for c in verdict.citations)


class CaseResult(BaseModel):
    case: RuleCase
    verdict: RuleVerdict | None
    error: str = ""

    @property
    def correct(self) -> bool:
        return self.verdict is not None and self.verdict.verdict == self.case.expected

    @property
    def missing_not_asked(self) -> list[str]:
        if self.verdict is None or self.case.expected != "needs_info":
            return []
        return [f for f in self.case.expected_missing if f not in self.verdict.missing_facts]

    @property
    def citations_not_cited(self) -> list[str]:
        if self.verdict is None:
            return list(self.case.key_citations)
        return [k for k in self.case.key_citations if not cites(self.verdict, k)]


def run_case(case: RuleCase) -> CaseResult:
    try:
        return CaseResult(case=case, verdict=check(case.rule, case.facts))
    except (FactsError, UnknownRuleError) as err:
        return CaseResult(case=case, verdict=None, error=str(err))
