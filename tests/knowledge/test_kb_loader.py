"""Loading entry files: errors name the file, the entry id and the field."""

from __future__ import annotations

import pytest
from conftest import VALID_ENTRY

from knowledge.loader import load_entries, load_file, parse_entries
from knowledge.problems import KnowledgeLoadError


def _problems(text):
    result = parse_entries(text, "kb.toml")
    return [(p.entry_id, p.field, p.reason) for p in result.problems], result.entries


def test_valid_entry_loads():
    problems, entries = _problems(VALID_ENTRY)
    assert problems == []
    assert entries[0].id == "test-arbeit-ungeklaerte-identitaet"
    assert entries[0].provisions == {"AufenthG § 60b"}


def test_malformed_toml_names_file_and_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('[[entry]\nid = "x"\n', encoding="utf-8")
    with pytest.raises(KnowledgeLoadError, match=r"broken.toml: not valid TOML.*line 1"):
        load_file(path)


def test_entry_must_be_an_array_of_tables():
    with pytest.raises(KnowledgeLoadError, match=r"\[\[entry\]\]"):
        parse_entries('[entry]\nid = "x"\n', "kb.toml")


def test_missing_file_and_not_utf8(tmp_path):
    with pytest.raises(KnowledgeLoadError, match="no such file"):
        load_entries([tmp_path / "nope.toml"])
    bad = tmp_path / "latin1.toml"
    bad.write_bytes("[[entry]]\nid = \"ä\"\n".encode("latin-1"))
    with pytest.raises(KnowledgeLoadError, match="not UTF-8"):
        load_file(bad)


def test_missing_language_is_named():
    text = VALID_ENTRY.replace('fa = ["آیا با دولدونگ', 'xx = ["آیا با دولدونگ')
    problems, entries = _problems(text)
    assert entries == []
    assert ("test-arbeit-ungeklaerte-identitaet", "questions.fa", "missing") in problems
    assert any(p[1] == "questions.xx" and "unknown key" in p[2] for p in problems)


def test_too_few_phrasings_and_missing_answer_language():
    text = VALID_ENTRY.replace(', "Job mit Duldung ohne geklärte Identität?"', "").replace('tr = "Hayır. Bu Duldung ile size çalışma izni verilemez."\n', "")
    problems, _ = _problems(text)
    fields = {p[1] for p in problems}
    assert {"questions.de", "answer[0].tr"} <= fields


def test_unknown_key_and_bad_date_and_bad_id():
    text = VALID_ENTRY.replace('valid_from = "2019-08-21"', 'valid_from = "2019-02-30"\ncolour = "red"').replace(
        'id = "test-arbeit-ungeklaerte-identitaet"', 'id = "Test Arbeit"'
    )
    problems, _ = _problems(text)
    by_field = {p[1]: p[2] for p in problems}
    assert "unknown key" in by_field["colour"]
    assert "YYYY-MM-DD" in by_field["valid_from"]
    assert "id" in by_field


def test_reviewed_needs_reviewer_and_date():
    problems, _ = _problems(VALID_ENTRY.replace('status = "draft"', 'status = "reviewed"'))
    assert any(p[1] == "review" and "reviewed_by" in p[2] for p in problems)


def test_key_fact_unit_and_value_shape():
    text = VALID_ENTRY.replace(
        "[[entry.answer]]",
        '[[entry.key_facts]]\nkind = "duration"\nvalue = "six"\nde = "sechs Jahren"\n\n[[entry.answer]]',
    )
    problems, _ = _problems(text)
    assert any(p[1] == "key_facts[0]" and "unit" in p[2] for p in problems)


def test_one_bad_entry_does_not_hide_the_others():
    bad = VALID_ENTRY.replace("test-arbeit-ungeklaerte-identitaet", "zweiter-eintrag").replace('topic = "duldung"', 'topic = "weather"')
    result = parse_entries(VALID_ENTRY + bad, "kb.toml")
    assert [e.id for e in result.entries] == ["test-arbeit-ungeklaerte-identitaet"]
    assert [(p.entry_id, p.field) for p in result.problems] == [("zweiter-eintrag", "topic")]
