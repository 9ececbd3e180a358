"""The shipped entries (knowledge/entries/) pass every check, pinned, on the real corpus."""

from __future__ import annotations

from knowledge.checks import check_entries
from knowledge.loader import DATA_DIR, load_entries
from knowledge.service import review_needed, service_status


def test_data_folder_passes_all_checks_with_pins(statute):
    loaded = load_entries([DATA_DIR])
    assert loaded.entries, "knowledge/entries/ holds no entries"
    problems = loaded.problems + check_entries(loaded.entries, statute, require_pins=True)
    assert problems == [], "\n".join(str(p) for p in problems)


def test_nothing_needs_review_and_all_current_entries_serve(statute):
    loaded = load_entries([DATA_DIR])
    assert review_needed(statute, loaded.entries) == []
    status = service_status(loaded.entries, statute)
    assert {s.state for s in status.values()} <= {"in_service", "expired"}
