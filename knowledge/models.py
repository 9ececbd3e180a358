"""The entry format of `kb_schema.md` as typed pydantic models (unknown keys are errors)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.citations import provision_of

LANGUAGES = ("de", "en", "ar", "fa", "uk", "tr", "ru")
Topic = Literal[
    "duldung", "work", "residence-rule", "travel", "permits", "closed-schemes", "settlement",
    "fees", "procedure", "cooperation", "family", "appeals", "general",
]
FactKind = Literal["duration", "amount", "date", "level", "count", "percent", "age"]
UNITS: dict[str, tuple[str, ...]] = {
    "duration": ("years", "months", "weeks", "days", "hours"),
    "amount": ("EUR",),
    "age": ("years",),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty")
    return value


class Questions(_Strict):
    de: list[str] = Field(min_length=3)
    en: list[str] = Field(min_length=3)
    ar: list[str] = Field(min_length=3)
    fa: list[str] = Field(min_length=3)
    uk: list[str] = Field(min_length=3)
    tr: list[str] = Field(min_length=3)
    ru: list[str] = Field(min_length=3)

    @field_validator(*LANGUAGES)
    @classmethod
    def _phrasings(cls, value: list[str]) -> list[str]:
        if any(not q.strip() for q in value):
            raise ValueError("holds an empty phrasing")
        if len({q.strip().casefold() for q in value}) != len(value):
            raise ValueError("holds the same phrasing twice")
        return value

    def all(self) -> list[tuple[str, str]]:
        return [(lang, q) for lang in LANGUAGES for q in getattr(self, lang)]


class Span(_Strict):
    citation: str
    text: str

    @field_validator("citation", "text")
    @classmethod
    def _filled(cls, value: str) -> str:
        return _non_empty(value)


class KeyFact(_Strict):
    kind: FactKind
    value: str
    unit: str | None = None
    de: str

    @model_validator(mode="after")
    def _shape(self) -> "KeyFact":
        _non_empty(self.de)
        allowed = UNITS.get(self.kind)
        if allowed and self.unit not in allowed:
            raise ValueError(f"kind '{self.kind}' needs unit one of {', '.join(allowed)} (got {self.unit!r})")
        if not allowed and self.unit is not None:
            raise ValueError(f"kind '{self.kind}' takes no unit (got {self.unit!r})")
        if self.kind == "date":
            try:
                dt.date.fromisoformat(self.value)
            except ValueError:
                raise ValueError(f"date value must be YYYY-MM-DD (got {self.value!r})") from None
        elif self.kind == "level":
            if not re.fullmatch(r"[ABC][12]", self.value):
                raise ValueError(f"level value must be like A2 or B1 (got {self.value!r})")
        elif not re.fullmatch(r"\d+(?:[.,]\d+)?", self.value):
            raise ValueError(f"{self.kind} value must be ASCII digits (got {self.value!r})")
        return self


class CitedText(_Strict):
    cite: str
    de: str
    en: str
    ar: str
    fa: str
    uk: str
    tr: str
    ru: str

    @field_validator("cite", *LANGUAGES)
    @classmethod
    def _filled(cls, value: str) -> str:
        return _non_empty(value)

    def text(self, language: str) -> str:
        return getattr(self, language)


class Review(_Strict):
    status: Literal["draft", "reviewed"] = "draft"
    reviewed_by: str = ""
    reviewed_on: str = ""
    pins: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _reviewed(self) -> "Review":
        if self.reviewed_on:
            try:
                dt.date.fromisoformat(self.reviewed_on)
            except ValueError:
                raise ValueError(f"reviewed_on must be YYYY-MM-DD (got {self.reviewed_on!r})") from None
        if self.status == "reviewed" and not (self.reviewed_by.strip() and self.reviewed_on):
            raise ValueError("status 'reviewed' needs reviewed_by and reviewed_on")
        for citation, digest in self.pins.items():
            if not re.fullmatch(r"[0-9a-f]{64}", digest):
                raise ValueError(f"pin for '{citation}' is not a sha256 hex digest; write pins with `python -m knowledge pin`")
        return self


class Entry(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    topic: Topic
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    questions: Questions
    spans: list[Span] = Field(min_length=1)
    key_facts: list[KeyFact] = Field(default_factory=list)
    answer: list[CitedText] = Field(min_length=1, max_length=3)
    next_steps: list[CitedText] = Field(default_factory=list, max_length=2)
    review: Review = Field(default_factory=Review)
    # where it was loaded from (not part of the file format)
    source_file: Path | None = Field(default=None, exclude=True)

    @field_validator("valid_from", "valid_to", mode="before")
    @classmethod
    def _date(cls, value):
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"must be a date YYYY-MM-DD (got {value!r})") from None
        if isinstance(value, dt.datetime):
            raise ValueError("must be a date without time")
        return value

    @property
    def span_citations(self) -> list[str]:
        return [s.citation for s in self.spans]

    @property
    def provisions(self) -> set[str]:
        return {provision_of(c) for c in self.span_citations}

    @property
    def reviewed(self) -> bool:
        return self.review.status == "reviewed"
