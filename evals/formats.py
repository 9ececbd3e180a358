"""Readers for the two evaluation file formats of ``shared/evals/FORMAT.md``.

Every line is checked against the public contract: unknown fields, bad dates, unknown rule
ids, unknown fact names or values are reported as `EvalFormatError` naming the file, the line
and the field, never as a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rules import RULES
from rules.case_files import RuleCase

CATEGORIES = ("lookup", "eligibility", "procedure", "conflict", "temporal", "out_of_scope", "adversarial")
RULE_IDS = tuple(RULES)
VERDICTS = ("met", "not_met", "needs_info", "discretionary")

# Case-facts vocabulary of FORMAT.md: name -> type, or a tuple of allowed values.
_STATUS = ("duldung", "aufenthaltsgestattung", "aufenthaltserlaubnis", "niederlassungserlaubnis", "ausreisepflichtig", "none")
_PROTECTION = ("asylum", "refugee", "subsidiary", "national_ban", "temporary_protection", "resettlement", "none")
_GERMAN = ("none", "A1", "A2", "B1", "B2", "C1", "C2")
FACTS: dict[str, Any] = {
    "as_of": "date", "birth_date": "date", "entry_date": "date", "status": _STATUS, "duldung_since": "date",
    "permit_basis": "str", "protection": _PROTECTION, "recognition_date": "date", "assigned_state": "str",
    "continuous_stay_since": "date", "minor_children_in_household": "int", "children_attend_school": "bool",
    "employment_hours_per_week": "number", "employment_months": "int", "family_member_employment_hours_per_week": "number",
    "income_covers_single_need": "bool", "livelihood_secured": "bool", "livelihood_mostly_by_work": "bool",
    "livelihood_expected": "bool", "in_vocational_training": "bool", "studying": "bool",
    "integration_measure_elsewhere": "bool", "family_elsewhere": "bool", "hardship_reason": "bool",
    "german_level": _GERMAN, "school_years_in_germany": "number", "recognized_degree": "bool", "commits_to_fdgo": "bool",
    "knows_legal_social_order": "bool", "convicted_intentional_offense": "bool", "day_fines_total": "int",
    "day_fines_alien_only": "int", "serious_offenses": "bool", "expulsion_interest": "bool", "identity_clarified": "bool",
    "identity_deception": "bool", "obstructs_departure": "bool", "deportation_date_fixed": "bool",
    "hardship_commission_request": "bool", "illness_or_disability": "bool", "extremist_ties": "bool",
    "application_date": "date", "available_elsewhere": "bool", "integration_expected": "bool", "adequate_housing": "bool",
    "entered_to_obtain_benefits": "bool", "safe_country_rejected": "bool", "deportation_measures_imminent": "bool",
    "expulsion_order": "bool", "integration_course_failed": "bool",
}


class EvalFormatError(ValueError):
    """A line of an evaluation file does not follow FORMAT.md."""


def _check_date(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a valid date YYYY-MM-DD: {value!r}") from None
    if len(value) != 10:
        raise ValueError(f"not a valid date YYYY-MM-DD: {value!r}")
    return value


def check_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Validate a case-facts object against the vocabulary; raise ValueError naming the fact."""
    if not isinstance(facts, dict):
        raise ValueError("facts must be an object")
    for name, value in facts.items():
        if name not in FACTS:
            raise ValueError(f"unknown fact name {name!r}")
        kind = FACTS[name]
        ok = True
        if isinstance(kind, tuple):
            ok = value in kind
            if not ok:
                raise ValueError(f"fact {name!r}: {value!r} is not one of {', '.join(kind)}")
        elif kind == "date":
            try:
                _check_date(value)
            except ValueError as exc:
                raise ValueError(f"fact {name!r}: {exc}") from None
        elif kind == "bool":
            ok = isinstance(value, bool)
        elif kind == "int":
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        elif kind == "number":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
        elif kind == "str":
            ok = isinstance(value, str) and value.strip() != ""
        if not ok:
            raise ValueError(f"fact {name!r}: {value!r} is not a valid {kind}")
    return facts


_CITATION_RE = r"^(AufenthG|AufenthV) § \d+[a-z]?( Abs\. \d+[a-z]?)?$"


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str = Field(min_length=1)


def check_canonical_citations(value: list[str]) -> list[str]:
    for c in value:
        if not re.match(_CITATION_RE, c):
            raise ValueError(f"citation {c!r} is not canonical ('AufenthG § 25b Abs. 1')")
    return value


class QuestionItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    lang: str = Field(pattern=r"^[a-z]{2}$")
    question: str = Field(min_length=1)
    history: list[Turn] = Field(default_factory=list)
    category: Literal["lookup", "eligibility", "procedure", "conflict", "temporal", "out_of_scope", "adversarial"]
    gold_citations: list[str] = Field(default_factory=list)
    gold_mode: Literal["any", "all"] = "any"
    must_include: list[list[str]] = Field(default_factory=list)
    must_not_include: list[str] = Field(default_factory=list)
    expect_refusal: bool = False
    facts: dict[str, Any] | None = None
    notes: str = ""

    @field_validator("gold_citations")
    @classmethod
    def _canonical(cls, value: list[str]) -> list[str]:
        return check_canonical_citations(value)

    @field_validator("must_include")
    @classmethod
    def _groups(cls, value: list[list[str]]) -> list[list[str]]:
        for group in value:
            if not group or any(not s.strip() for s in group):
                raise ValueError("each must_include group needs at least one non-empty alternative")
        return value

    @field_validator("facts")
    @classmethod
    def _facts(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if value is None else check_facts(value)


class CheckedRuleCase(RuleCase):
    """A rule case (`rules.case_files.RuleCase`) read strictly: no unknown fields, a known rule id,
    facts the checker accepts."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)

    @field_validator("rule")
    @classmethod
    def _rule(cls, value: str) -> str:
        if value not in RULE_IDS:
            raise ValueError(f"unknown rule id {value!r} (known: {', '.join(RULE_IDS)})")
        return value

    @field_validator("facts")
    @classmethod
    def _facts(cls, value: dict[str, Any]) -> dict[str, Any]:
        return check_facts(value)

    @field_validator("expected_missing")
    @classmethod
    def _missing(cls, value: list[str]) -> list[str]:
        for name in value:
            if name not in FACTS:
                raise ValueError(f"unknown fact name {name!r}")
        return value

    @field_validator("key_citations")
    @classmethod
    def _canonical(cls, value: list[str]) -> list[str]:
        return check_canonical_citations(value)


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "(line)"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        parts.append(f"field {field!r}: {msg}")
    return "; ".join(parts)


def _load(path: Path, model: type[BaseModel]) -> list:
    path = Path(path)
    if not path.is_file():
        raise EvalFormatError(f"{path}: file not found")
    items, seen = [], {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise EvalFormatError(f"{path}: not UTF-8 ({exc.reason})") from None
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise EvalFormatError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise EvalFormatError(f"{path}:{n}: a line must be a JSON object")
        try:
            item = model.model_validate(data)
        except ValidationError as exc:
            raise EvalFormatError(f"{path}:{n} (id {data.get('id', '?')!r}): {_describe(exc)}") from None
        if item.id in seen:
            raise EvalFormatError(f"{path}:{n}: duplicate id {item.id!r} (first on line {seen[item.id]})")
        seen[item.id] = n
        items.append(item)
    if not items:
        raise EvalFormatError(f"{path}: no items")
    return items


def load_questions(path: str | Path) -> list[QuestionItem]:
    return _load(Path(path), QuestionItem)


def load_rule_cases(path: str | Path) -> list[CheckedRuleCase]:
    return _load(Path(path), CheckedRuleCase)
