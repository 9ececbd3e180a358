"""Case facts: the public vocabulary of /work/shared/evals/FORMAT.md, one optional field each, plus a
few project facts (below `integration_course_failed`) where that vocabulary cannot express what the
statute asks. Two FORMAT facts are read more narrowly than FORMAT.md words them, because the statute
does: `identity_clarified` means the identity is clarified (taking all reasonable steps is the separate
fact `identity_steps_taken`), and `expulsion_interest` is only the serious interest of § 54 Abs. 1 or
Abs. 2 Nr. 1, 2 (§ 5 Abs. 1 Nr. 2 also counts the others, e.g. a conviction).

Absent or ``null`` (None) always means *unknown* (``as_of`` is the assessment date, not a fact:
absent or ``null`` means today). Validation is strict on purpose: a wrong date
format, a negative number, an unknown status or a date after ``as_of`` is an error naming the field,
never a silent default. The error quotes the offending value only in part (long text cut, lists,
objects and huge numbers described), so a hostile value cannot flood or crash the message.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, ValidationError, model_validator

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# No real count (children, months, day fines) comes near this; a bound keeps arithmetic and
# messages small when a 5,000-digit integer is sent.
MAX_COUNT = 100_000
# A free-text fact (a Land, a legal basis) is a few words.
MAX_TEXT_FACT_CHARS = 100


def _strict_date(value: Any) -> Any:
    """Accept only a real date or a 'YYYY-MM-DD' string (no timestamps, no '23.11.2026')."""
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE_RE.match(value.strip()):
        return date.fromisoformat(value.strip())
    raise ValueError("expected a date in the form YYYY-MM-DD")


def _no_bool_number(value: Any) -> Any:
    # JSON true/false would otherwise be read as 1/0 hours.
    if isinstance(value, bool):
        raise ValueError("expected a number, not true/false")
    return value


def _canonical_permit_basis(value: Any) -> Any:
    if value is None:
        return value
    if not isinstance(value, str) or len(value) > MAX_TEXT_FACT_CHARS:
        raise ValueError("expected a legal basis such as 'AufenthG § 25 Abs. 3'")
    text = " ".join(value.replace("§", " § ").split())
    text = re.sub(r"\bAbsatz\b", "Abs.", text)
    trailing = re.fullmatch(r"(§ .+?) (AufenthG|AsylG|AufenthV)", text)  # '§ 25 Abs. 3 AufenthG'
    if trailing:
        text = f"{trailing.group(2)} {trailing.group(1)}"
    match = re.fullmatch(r"(AufenthG|AsylG|AufenthV) § (\d+[a-z]?)( Abs\. ?\d+[a-z]?)?( Satz \d+)?( Nr\. ?\d+[a-z]?)?", text)
    if not match:
        raise ValueError("expected a canonical legal basis such as 'AufenthG § 25 Abs. 3' or 'AufenthG § 104c'")
    return re.sub(r"(Abs\.|Nr\.)(\d)", r"\1 \2", text)


def _plain_text(value: Any) -> Any:
    """A free-text fact is a few printable words: no control characters, no lone surrogates."""
    if isinstance(value, str) and not value.isprintable():
        raise ValueError("expected plain text without control characters")
    return value


FactDate = Annotated[date | None, BeforeValidator(_strict_date)]
def _as_of_date(value: Any) -> date:
    # null is the natural JSON for "not given": for the assessment date that means today, as absent does
    return date.today() if value is None else _strict_date(value)


AsOfDate = Annotated[date, BeforeValidator(_as_of_date)]  # never None: absent or null means today
# The bounds sit on the inner type: on `float | None` pydantic would apply them to None as well
# and raise a TypeError instead of reading null as "unknown".
NonNegNumber = Annotated[Annotated[float, Field(ge=0, le=168, allow_inf_nan=False)] | None, BeforeValidator(_no_bool_number)]
NonNegInt = Annotated[Annotated[int, Field(ge=0, le=MAX_COUNT)] | None, BeforeValidator(_no_bool_number)]

Status = Literal["duldung", "aufenthaltsgestattung", "aufenthaltserlaubnis", "niederlassungserlaubnis", "ausreisepflichtig", "none"]
Protection = Literal["asylum", "refugee", "subsidiary", "national_ban", "temporary_protection", "resettlement", "none"]
GermanLevel = Literal["none", "A1", "A2", "B1", "B2", "C1", "C2"]
GERMAN_LEVELS: tuple[str, ...] = ("none", "A1", "A2", "B1", "B2", "C1", "C2")


class CaseFacts(BaseModel):
    """Field names and meanings exactly as in FORMAT.md ('Case facts vocabulary')."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    as_of: AsOfDate = Field(default_factory=date.today, description="date of the assessment (default: today)")
    birth_date: FactDate = None
    entry_date: FactDate = Field(None, description="first entry into Germany")
    status: Status | None = None
    duldung_since: FactDate = Field(None, description="continuously holds a Duldung since")
    permit_basis: Annotated[str | None, BeforeValidator(_canonical_permit_basis)] = None
    protection: Protection | None = None
    recognition_date: FactDate = Field(None, description="recognition, or first issue of the permit that triggers § 12a")
    assigned_state: Annotated[Annotated[str, Field(max_length=MAX_TEXT_FACT_CHARS)] | None, BeforeValidator(_plain_text)] = None
    continuous_stay_since: FactDate = None
    minor_children_in_household: NonNegInt = None
    children_attend_school: StrictBool | None = None
    employment_hours_per_week: NonNegNumber = None
    employment_months: NonNegInt = None
    family_member_employment_hours_per_week: NonNegNumber = None
    income_covers_single_need: StrictBool | None = None
    livelihood_secured: StrictBool | None = None
    livelihood_mostly_by_work: StrictBool | None = None
    livelihood_expected: StrictBool | None = None
    in_vocational_training: StrictBool | None = None
    studying: StrictBool | None = None
    integration_measure_elsewhere: StrictBool | None = None
    family_elsewhere: StrictBool | None = None
    hardship_reason: StrictBool | None = None
    german_level: GermanLevel | None = None
    school_years_in_germany: Annotated[Annotated[float, Field(ge=0, le=30, allow_inf_nan=False)] | None, BeforeValidator(_no_bool_number)] = None
    recognized_degree: StrictBool | None = None
    commits_to_fdgo: StrictBool | None = None
    knows_legal_social_order: StrictBool | None = None
    convicted_intentional_offense: StrictBool | None = None
    day_fines_total: NonNegInt = None
    day_fines_alien_only: NonNegInt = None
    serious_offenses: StrictBool | None = None
    expulsion_interest: StrictBool | None = None
    identity_clarified: StrictBool | None = None
    identity_deception: StrictBool | None = None
    obstructs_departure: StrictBool | None = None
    deportation_date_fixed: StrictBool | None = None
    hardship_commission_request: StrictBool | None = None
    illness_or_disability: StrictBool | None = None
    extremist_ties: StrictBool | None = None
    application_date: FactDate = Field(None, description="default: as_of")
    available_elsewhere: StrictBool | None = None
    integration_expected: StrictBool | None = None
    adequate_housing: StrictBool | None = None
    entered_to_obtain_benefits: StrictBool | None = None
    safe_country_rejected: StrictBool | None = None
    deportation_measures_imminent: StrictBool | None = None
    expulsion_order: StrictBool | None = None
    integration_course_failed: StrictBool | None = None
    # --- project facts (not in FORMAT.md) ---
    identity_steps_taken: StrictBool | None = Field(
        None, description="took all necessary and reasonable steps to clarify the identity, within the deadline where one applies "
        "(§ 60d Abs. 1 Nr. 1: by 31 Dec 2024 for entries 2017–2022; § 60c Abs. 2 Nr. 3 c: six months after entry)")
    training_begun_as_asylum_seeker: StrictBool | None = Field(
        None, description="began the qualified vocational training while the asylum application was pending (§ 60c Abs. 1 Satz 1 Nr. 1)")
    child_of_school_age: StrictBool | None = Field(None, description="at least one minor child in the household is of school age")
    illness_prevents_school: StrictBool | None = Field(
        None, description="a physical, mental or psychological illness or disability prevents school attendance (§ 25a Abs. 1 Satz 1 Nr. 2)")
    temporary_benefits_exempt: StrictBool | None = Field(
        None, description="receives social benefits only temporarily as a student/apprentice, family with minor children, single parent "
        "who cannot be expected to work, or carer of a close relative (§ 25b Abs. 1 Satz 3)")
    juvenile_measures_only: StrictBool | None = Field(
        None, description="every conviction was under juvenile criminal law and none imposed Jugendstrafe (old § 104c Abs. 1 Satz 1 Nr. 2)")
    single_parent: StrictBool | None = Field(None, description="raises a child alone (old § 60d Abs. 1 Nr. 3: 20 instead of 35 hours)")
    duldung_60d_since: FactDate = Field(None, description="holds a Beschäftigungsduldung under § 60d since (§ 25b Abs. 6)")

    @model_validator(mode="after")
    def _consistent(self) -> CaseFacts:
        # Facts cannot lie in the future of the assessment.
        for name in DATE_FACTS:
            value = getattr(self, name)
            if name != "as_of" and value is not None and value > self.as_of:
                raise ValueError(f"{name} ({value.isoformat()}) lies after as_of ({self.as_of.isoformat()})")
        if self.birth_date is not None:
            for name in DATE_FACTS:
                value = getattr(self, name)
                if name not in ("as_of", "birth_date") and value is not None and value < self.birth_date:
                    raise ValueError(f"{name} ({value.isoformat()}) lies before birth_date ({self.birth_date.isoformat()})")
        if (
            self.day_fines_total is not None
            and self.day_fines_alien_only is not None
            and self.day_fines_alien_only > self.day_fines_total
        ):
            raise ValueError("day_fines_alien_only is larger than day_fines_total")
        return self

    @property
    def application_day(self) -> date:
        return self.application_date or self.as_of

    def known(self) -> dict[str, Any]:
        """Only the facts that are known (as_of always)."""
        return {k: v for k, v in self.model_dump().items() if v is not None}


FACT_NAMES: tuple[str, ...] = tuple(CaseFacts.model_fields)
DATE_FACTS: tuple[str, ...] = (
    "as_of", "birth_date", "entry_date", "duldung_since", "recognition_date", "continuous_stay_since", "application_date",
    "duldung_60d_since",
)


class FactsError(ValueError):
    """Bad case facts; `fields` names every offending field."""

    def __init__(self, message: str, fields: list[str]):
        super().__init__(message)
        self.fields = fields


def parse_facts(facts: CaseFacts | dict[str, Any]) -> CaseFacts:
    """Validate a mapping into CaseFacts, turning pydantic errors into one readable FactsError."""
    if isinstance(facts, CaseFacts):
        return facts
    if not isinstance(facts, dict):
        raise FactsError("facts must be a JSON object of case facts", ["facts"])
    try:
        return CaseFacts.model_validate(facts)
    except ValidationError as err:
        raise facts_error(err) from None
    except RecursionError:  # a value nested thousands deep
        raise FactsError("invalid case facts – a value is nested too deeply", ["facts"]) from None


# How much of an offending value or field name an error message repeats.
SHOWN_CHARS = 40
# How many problems one message lists; the rest are counted.
SHOWN_PROBLEMS = 5


def _shown_name(text: str) -> str:
    """A field name for the message: cut, and escaped when it holds line breaks, controls or a
    lone surrogate (the message must stay one printable line)."""
    text = text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"
    return text if text and text.isprintable() else repr(text)


def shown_value(value: Any) -> str:
    """The offending value for an error message, never whole: a hostile value (3,000 levels deep,
    a 5,000-digit number, a megabyte of text) must neither crash the message nor flood it."""
    if isinstance(value, dict):
        return "a JSON object"
    if isinstance(value, (list, tuple, set)):
        return "a list"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        # str() of such an int is refused by Python above 4,300 digits
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, str):
        return repr(value[:SHOWN_CHARS]) + ("…" if len(value) > SHOWN_CHARS else "")
    return f"a value of type {type(value).__name__}"


def facts_error(err: ValidationError) -> FactsError:
    fields: list[str] = []
    parts: list[str] = []
    for item in err.errors():
        loc = _shown_name(".".join(str(p) for p in item["loc"])) if item["loc"] else ""
        msg = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            msg = "unknown fact (not in the FORMAT.md vocabulary)"
        if not loc:  # model-level check: the message names the field first; else the mapping itself (a bad key)
            loc = msg.split(" ", 1)[0] if item["type"] == "value_error" else "facts"
        fields.append(loc)
        value = item.get("input")
        shown = "" if isinstance(value, dict) else f" (got {shown_value(value)})"
        parts.append(f"{loc}: {msg}{shown}")
    more = len(parts) - SHOWN_PROBLEMS
    listed = "; ".join(parts[:SHOWN_PROBLEMS]) + (f"; and {more} more" if more > 0 else "")
    return FactsError("invalid case facts – " + listed, fields)


# Case facts are one flat object; a few levels allow for a whole rule case around them.
MAX_FACTS_JSON_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


class FactsFileError(ValueError):
    """A facts file that cannot be read as JSON; the message names the problem, never the content."""


def read_facts_json(text: str) -> Any:
    """`json.loads` for a facts file, with the nesting depth checked first: the JSON reader recurses
    and gives up with a RecursionError ('[' x 200,000), which is no place to end a command."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub('""', text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
        if deepest > MAX_FACTS_JSON_DEPTH:
            raise FactsFileError(f"nested more than {MAX_FACTS_JSON_DEPTH} levels deep; case facts are one flat JSON object")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise FactsFileError(f"not valid JSON (line {err.lineno}: {err.msg})") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise FactsFileError("holds a number too long to read") from None
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise FactsFileError("nested too deeply") from None
