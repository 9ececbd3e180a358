"""The evaluation file readers: the project's sets and the shared dev set load; bad lines get clear errors."""

import json

import pytest

from core.settings import REPO_ROOT, get_settings
from evals.formats import EvalFormatError, load_questions, load_rule_cases
from ingest.registry import get_registry

OWN_Q = REPO_ROOT / "evals" / "questions.jsonl"
OWN_RC = REPO_ROOT / "evals" / "rule_cases.jsonl"

GOOD_Q = {"id": "t-1", "lang": "de", "question": "Was ist § 25b?", "category": "lookup",
          "gold_citations": ["AufenthG § 25b Abs. 1"], "must_include": [["A2"]], "must_not_include": [], "expect_refusal": False}
GOOD_RC = {"id": "t-rc-1", "rule": "aufenthg_25b", "description": "x", "facts": {"as_of": "2026-11-23", "status": "duldung"},
           "expected": "needs_info", "expected_missing": ["german_level"], "key_citations": ["AufenthG § 25b Abs. 1"], "notes": ""}


def _write(tmp_path, rows):
    p = tmp_path / "f.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return p


def test_own_sets_meet_the_issue_targets():
    questions = load_questions(OWN_Q)
    cases = load_rule_cases(OWN_RC)
    assert len(questions) >= 150 and len(cases) >= 80
    assert {q.category for q in questions} == {"lookup", "eligibility", "procedure", "conflict", "temporal", "out_of_scope", "adversarial"}
    assert {"de", "en", "ar", "fa", "uk", "tr", "ru"} <= {q.lang for q in questions}
    assert sum(1 for q in questions if q.history) >= 10
    assert {c.rule for c in cases} == {"aufenthg_12a_bound", "aufenthg_12a_lift", "aufenthg_23a", "aufenthg_25a", "aufenthg_25b",
                                        "aufenthg_60c", "aufenthg_60d", "aufenthg_104a", "aufenthg_104c"}
    assert {c.expected for c in cases} == {"met", "not_met", "needs_info", "discretionary"}
    assert all(c.expected_missing for c in cases if c.expected == "needs_info")
    assert all(q.id.startswith("aa-q-") for q in questions) and all(c.id.startswith("aa-rc-") for c in cases)
    assert all(q.expect_refusal == (q.category == "out_of_scope") or q.category == "adversarial" for q in questions)


def test_every_gold_citation_exists_in_the_statutes():
    registry = get_registry(get_settings())
    cited = [(q.id, c) for q in load_questions(OWN_Q) for c in q.gold_citations]
    cited += [(c.id, k) for c in load_rule_cases(OWN_RC) for k in c.key_citations]
    missing = [(i, c) for i, c in cited if not registry.exists(c)]
    assert cited and missing == []


def test_shared_dev_set_loads():
    shared = get_settings().shared_dir / "evals"
    assert len(load_questions(shared / "questions.jsonl")) == 60
    assert len(load_rule_cases(shared / "rule_cases.jsonl")) == 45


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"colour": "red"}, "field 'colour': unknown field"),
        ({"category": "trivia"}, "field 'category'"),
        ({"gold_citations": ["§ 25b AufenthG"]}, "not canonical"),
        ({"facts": {"as_of": "2026-13-01"}}, "not a valid date"),
        ({"facts": {"favourite_food": "rice"}}, "unknown fact name 'favourite_food'"),
        ({"facts": {"german_level": "A3"}}, "'german_level': 'A3' is not one of"),
        ({"facts": {"studying": "yes"}}, "'studying': 'yes' is not a valid bool"),
        ({"must_include": [[]]}, "must_include group"),
    ],
)
def test_question_errors_name_line_and_field(tmp_path, change, expected):
    path = _write(tmp_path, [GOOD_Q, {**GOOD_Q, "id": "t-2", **change}])
    with pytest.raises(EvalFormatError) as err:
        load_questions(path)
    assert f"{path}:2" in str(err.value) and expected in str(err.value)


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"rule": "aufenthg_99"}, "unknown rule id 'aufenthg_99'"),
        ({"expected": "maybe"}, "field 'expected'"),
        ({"expected_missing": ["shoe_size"]}, "unknown fact name 'shoe_size'"),
        ({"facts": {"birth_date": "1.2.2000"}}, "fact 'birth_date': not a valid date"),
    ],
)
def test_rule_case_errors_name_line_and_field(tmp_path, change, expected):
    path = _write(tmp_path, [{**GOOD_RC, **change}])
    with pytest.raises(EvalFormatError) as err:
        load_rule_cases(path)
    assert f"{path}:1" in str(err.value) and expected in str(err.value)


def test_broken_json_duplicate_ids_and_missing_file(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text(json.dumps(GOOD_Q) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(EvalFormatError, match=r"bad.jsonl:2: not valid JSON"):
        load_questions(p)
    with pytest.raises(EvalFormatError, match="duplicate id 't-1'"):
        load_questions(_write(tmp_path, [GOOD_Q, GOOD_Q]))
    with pytest.raises(EvalFormatError, match="file not found"):
        load_questions(tmp_path / "nope.jsonl")
