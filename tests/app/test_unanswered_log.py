"""The opt-in log of unanswered questions: off by default, anonymised when on."""

from __future__ import annotations

import json

from core.settings import Settings
from ui.unanswered_log import anonymise, record_unanswered


def test_nothing_is_written_by_default(tmp_path):
    settings = Settings(cache_dir=tmp_path, unanswered_log_path=tmp_path / "log.jsonl")
    assert settings.log_unanswered is False
    assert record_unanswered("Mein Name ist Anna Schmidt", "de", "not_covered", settings) is False
    assert list(tmp_path.iterdir()) == []


def test_opt_in_writes_one_anonymised_line(tmp_path):
    path = tmp_path / "sub" / "log.jsonl"
    settings = Settings(cache_dir=tmp_path, log_unanswered=True, unanswered_log_path=path)
    question = (
        "My name is Ahmad Karimi, born 12.03.1990, write to ahmad.k@example.org or call +49 151 2345678. "
        "Does § 25b Abs. 1 AufenthG help? I live with Fatima in Bielefeld."
    )
    assert record_unanswered(question, "en", "not_covered", settings)
    assert record_unanswered("Kann ich am 3. März 2026 umziehen?", "de", "negative_feedback", settings)
    entries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(entries) == 2
    first = entries[0]
    assert set(first) == {"day", "language", "reason", "question"}
    logged = first["question"]
    for private in ("Ahmad", "Karimi", "1990", "ahmad.k", "151", "Fatima", "Bielefeld"):
        assert private not in logged
    assert "§ 25b Abs. 1 AufenthG" in logged  # statute references are kept: they tell the NGO what is missing
    assert "[email]" in logged and "[date]" in logged and "[name]" in logged
    assert "2026" not in entries[1]["question"] and "März" not in entries[1]["question"]


def test_anonymise_masks_numbers_and_cued_names_in_other_scripts():
    assert anonymise("меня зовут Иван, мне 34 года") == "меня зовут [name], мне [number] года"
    assert anonymise("اسمي أحمد وعمري 25 سنة") == "اسمي [name] وعمري [number] سنة"
    masked = anonymise("Aktenzeichen 7-123/45 und § 60c Abs. 2 Nr. 3")
    assert masked.startswith("Aktenzeichen [") and masked.endswith("] und § 60c Abs. 2 Nr. 3")
    assert not any(ch.isdigit() for ch in masked.removesuffix("§ 60c Abs. 2 Nr. 3"))
    assert anonymise("visit https://x.example/a?b=1 now") == "visit [link] now"
