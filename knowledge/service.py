"""Which entries may be shown: checks pass, pins match the indexed statute, valid on `as_of`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from knowledge.checks import check_ids_and_dates, content_problems, pin_problems
from knowledge.loader import DATA_DIR
from knowledge.models import Entry
from knowledge.statute import StatuteLookup

ServiceState = Literal["in_service", "needs_review", "expired", "not_yet_valid", "not_reviewed"]


class KnowledgeSettings(BaseModel):
    """Knobs of the knowledge base (the app's settings can hold one of these)."""

    entries: list[Path] = Field(default_factory=lambda: [DATA_DIR], description="entry files or folders")
    reviewed_only: bool = Field(False, description="serve only entries a human reviewer marked 'reviewed'")


@dataclass
class EntryStatus:
    entry_id: str
    state: ServiceState
    reasons: list[str] = field(default_factory=list)

    @property
    def in_service(self) -> bool:
        return self.state == "in_service"


def service_status(
    entries: list[Entry],
    statute: StatuteLookup,
    as_of: dt.date | None = None,
    reviewed_only: bool = False,
) -> dict[str, EntryStatus]:
    """Per entry id: in_service | needs_review (why) | expired | not_yet_valid | not_reviewed.

    needs_review wins over the dates: a failing check or a pin that no longer matches (or is
    missing) means nobody has confirmed the entry against this wording of the law."""
    as_of = as_of or dt.date.today()
    duplicate_ids = {p.entry_id for p in check_ids_and_dates(entries) if p.check == "ids"}
    out: dict[str, EntryStatus] = {}
    for entry in entries:
        reasons = [f"{p.field}: {p.reason}" for p in pin_problems(entry, statute, require=True)]
        reasons += [f"{p.field}: {p.reason}" for p in content_problems(entry, statute)]
        if entry.id in duplicate_ids:
            reasons.append("id: used by more than one entry")
        if entry.valid_from and entry.valid_to and entry.valid_to < entry.valid_from:
            reasons.append("valid_to is before valid_from")
        if reasons:
            state: ServiceState = "needs_review"
        elif entry.valid_to and as_of > entry.valid_to:
            state, reasons = "expired", [f"valid_to {entry.valid_to}"]
        elif entry.valid_from and as_of < entry.valid_from:
            state, reasons = "not_yet_valid", [f"valid_from {entry.valid_from}"]
        elif reviewed_only and not entry.reviewed:
            state, reasons = "not_reviewed", ["review.status is 'draft' and only reviewed entries are served"]
        else:
            state = "in_service"
        out[entry.id] = EntryStatus(entry.id, state, reasons)
    return out


def review_needed(statute: StatuteLookup, entries: list[Entry]) -> list[EntryStatus]:
    """Entries whose pinned spans changed or vanished in `statute` (what ingest and CI list)."""
    out = []
    for entry in entries:
        reasons = [p.reason for p in pin_problems(entry, statute, require=False)]
        if reasons:
            out.append(EntryStatus(entry.id, "needs_review", reasons))
    return out


def review_needed_report(statute: StatuteLookup | None = None, paths: list[Path] | None = None, settings=None) -> list[str]:
    """Lines for `python -m ingest` / CI after a new statute version: one per entry needing review.

    Default: the statute as the live index holds it (`settings` as for ingest), the shipped entries."""
    from knowledge.loader import load_entries

    statute = statute or StatuteLookup.from_index(settings)
    entries = load_entries(paths or [DATA_DIR]).entries
    return [f"knowledge entry '{s.entry_id}' needs review: {'; '.join(s.reasons)}" for s in review_needed(statute, entries)]


def after_ingest(settings=None) -> list[str]:
    """The `aufenthalt_assistant.after_ingest` hook (pyproject.toml): after `python -m ingest` built
    the index, the entries whose pinned spans changed in it, one line each (empty: nothing to review)."""
    return review_needed_report(settings=settings)
