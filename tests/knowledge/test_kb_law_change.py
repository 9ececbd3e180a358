"""The issue's required test: a changed statute span takes its entry out of service.

The statute files are copied to a tmp folder, one word of a pinned sentence is changed there, and
the lookup is built from that copy with ingest's own loaders (like `python -m ingest --corpus`).
"""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np
import pytest

from knowledge.loader import DATA_DIR, load_entries
from knowledge.matcher import KnowledgeBase
from knowledge.service import KnowledgeSettings, review_needed, service_status
from knowledge.statute import StatuteLookup
from knowledge.statute_source import default_settings

CHANGED_ID = "dul-ungeklaerte-identitaet-arbeit"  # rests on AufenthG § 60b Abs. 5 Satz 2
UNCHANGED_ID = "dul-arbeitsverbot-einreise-wegen-leistungen"  # rests on AufenthG § 60a Abs. 6 Satz 1 Nr. 1 only
SENTENCE = "Dem Inhaber einer Duldung mit dem Zusatz „für Personen mit ungeklärter Identität“ darf die Ausübung einer Erwerbstätigkeit nicht erlaubt werden."


@pytest.fixture(scope="module")
def changed_statute(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    source = default_settings().shared_dir / "corpus" / "statutes"
    shutil.copytree(source, corpus / "statutes")
    full = corpus / "statutes" / "aufenthg_full.md"
    text = full.read_text(encoding="utf-8")
    assert text.count(SENTENCE) == 1
    full.write_text(text.replace(SENTENCE, SENTENCE.replace("nicht erlaubt", "in der Regel nicht erlaubt")), encoding="utf-8")
    return StatuteLookup.from_corpus(corpus_dir=corpus)


@pytest.fixture(scope="module")
def entries():
    return load_entries([DATA_DIR]).entries


def test_changed_span_takes_its_entry_out_of_service(entries, statute, changed_statute):
    before = service_status(entries, statute, dt.date(2026, 12, 2))
    assert before[CHANGED_ID].state == "in_service" and before[UNCHANGED_ID].state == "in_service"

    after = service_status(entries, changed_statute, dt.date(2026, 12, 2))
    assert after[CHANGED_ID].state == "needs_review"
    assert any("AufenthG § 60b Abs. 5 Satz 2" in r and "changed since it was pinned" in r for r in after[CHANGED_ID].reasons)
    assert after[UNCHANGED_ID].state == "in_service"

    listed = {s.entry_id for s in review_needed(changed_statute, entries)}
    resting_on_it = {e.id for e in entries if any(span.citation == "AufenthG § 60b Abs. 5 Satz 2" for span in e.spans)}
    assert CHANGED_ID in listed and listed == resting_on_it  # exactly the entries citing the changed sentence


def test_changed_entry_is_not_matched_but_unchanged_one_is(entries, statute, changed_statute):
    # a stand-in embedding: every text maps to the same unit vector, so every candidate scores 1.0
    # and only the service status and the provision filter decide (the real model is tested below)
    def same_vector(texts):
        return np.ones((len(texts), 4), dtype=np.float32) / 2.0

    question = "My Duldung says 'für Personen mit ungeklärter Identität'. May I work?"
    current = KnowledgeBase(entries, statute)
    hit = current.match(question, "en", ["AufenthG § 60b"], same_vector, 0.5, model_id="constant")
    assert hit is not None and hit.entry.id.startswith("dul-ungeklaerte-identitaet")
    changed = KnowledgeBase(entries, changed_statute)
    served = {e.id for e in changed.in_service()}
    assert CHANGED_ID not in served and UNCHANGED_ID in served
    for _ in range(2):
        hit = changed.match(question, "en", ["AufenthG § 60b", "AufenthG § 60a"], same_vector, 0.5, model_id="constant")
        assert hit is None or hit.entry.id != CHANGED_ID


def test_reviewed_only_setting_serves_no_drafts(entries, statute):
    kb = KnowledgeBase(entries, statute, KnowledgeSettings(reviewed_only=True))
    assert kb.in_service() == []
    assert "in_service" not in {s.state for s in kb.status().values()}
    assert kb.status()[UNCHANGED_ID].state == "not_reviewed"


def test_validity_dates(entries, statute):
    starting = next(e for e in entries if e.valid_from and not e.valid_to)
    ending = next(e for e in entries if e.valid_to)
    day = dt.timedelta(days=1)
    assert service_status(entries, statute, starting.valid_from - day)[starting.id].state == "not_yet_valid"
    assert service_status(entries, statute, starting.valid_from)[starting.id].state == "in_service"
    assert service_status(entries, statute, ending.valid_to)[ending.id].state != "expired"
    assert service_status(entries, statute, ending.valid_to + day)[ending.id].state == "expired"


def test_review_needed_report_for_ingest(changed_statute, statute):
    from knowledge.service import review_needed_report

    assert review_needed_report(statute) == []
    lines = review_needed_report(changed_statute)
    assert any(line.startswith(f"knowledge entry '{CHANGED_ID}' needs review") for line in lines)
    assert all("AufenthG § 60b Abs. 5 Satz 2" in line for line in lines)
