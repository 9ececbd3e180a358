"""valid_from / valid_to mean "the period in which this entry's answer is true" (knowledge/README.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.loader import DATA_DIR, load_entries
from knowledge.service import service_status


@pytest.fixture(scope="module")
def entries():
    return load_entries([DATA_DIR]).entries


@pytest.fixture(scope="module")
def by_id(entries):
    return {e.id: e for e in entries}


def _state(entries, statute, entry_id, day):
    return service_status(entries, statute, day)[entry_id].state


def test_closed_schemes_stay_closed_in_later_years(entries, statute, by_id):
    """'§ 104a / § 104c is closed' is true from the closing on, with no end."""
    for entry_id, closed_from in (("per-104a-altfallregelung", dt.date(2010, 1, 1)),
                                  ("per-104c-kein-neuer-antrag", dt.date(2026, 1, 1))):
        entry = by_id[entry_id]
        assert entry.valid_from == closed_from and entry.valid_to is None, entry_id
        assert "closed" in " ".join(a.en for a in entry.answer) or entry_id.startswith("per-104c"), entry_id
        for year in (2027, 2031):
            assert _state(entries, statute, entry_id, dt.date(year, 6, 1)) == "in_service", (entry_id, year)
        assert _state(entries, statute, entry_id, closed_from - dt.timedelta(days=1)) == "not_yet_valid"


def test_entries_on_old_conditions_end_with_the_old_law(entries, statute, by_id):
    for entry_id in ("per-104c-alt-voraussetzungen", "per-104c-alt-dauer-18-monate"):
        entry = by_id[entry_id]
        assert entry.valid_to == dt.date(2025, 12, 31)
        assert _state(entries, statute, entry_id, dt.date(2025, 12, 31)) == "in_service"
        assert _state(entries, statute, entry_id, dt.date(2027, 6, 1)) == "expired"


def test_suspension_answer_ends_when_the_suspension_ends(entries, statute, by_id):
    """'No family reunification to subsidiary protection, until 23 July 2027' stops being true after it."""
    entry_id = "res-familie-subsidiaer-nachzug-ausgesetzt"
    assert by_id[entry_id].valid_to == dt.date(2027, 7, 23)
    assert _state(entries, statute, entry_id, dt.date(2027, 7, 23)) == "in_service"
    assert _state(entries, statute, entry_id, dt.date(2027, 7, 24)) == "expired"


def test_no_entry_ends_before_it_is_true_and_dated_entries_are_the_reviewed_set(entries):
    dated = {e.id for e in entries if e.valid_from or e.valid_to}
    # every dated entry was reviewed for the meaning above; a new dated entry is added here on review
    assert dated == {
        "per-104a-altfallregelung", "per-104c-kein-neuer-antrag", "per-104c-bestehende-erlaubnis-verlaengerung",
        "per-104c-alt-voraussetzungen", "per-104c-alt-dauer-18-monate", "per-104c-ablauf-antrag-25b-fiktion",
        "res-familie-subsidiaer-nachzug-ausgesetzt",
    }
