"""The command line, run as a user would (subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rules", *args], cwd=REPO, input=stdin, capture_output=True, text=True, timeout=120)


@pytest.fixture()
def case_file(tmp_path: Path) -> Path:
    facts = {"as_of": "2026-11-23", "status": "duldung", "continuous_stay_since": "2020-11-22", "minor_children_in_household": 0,
             "commits_to_fdgo": True, "knows_legal_social_order": True, "livelihood_mostly_by_work": True, "german_level": "A2",
             "identity_clarified": True, "identity_deception": False, "obstructs_departure": False, "expulsion_interest": False,
             "convicted_intentional_offense": False, "extremist_ties": False, "expulsion_order": False}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    return path


def test_check_prints_verdict_json(case_file: Path) -> None:
    result = run("check", "--rule", "aufenthg_25b", "--facts", str(case_file))
    assert result.returncode == 0, result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["verdict"] == "met"
    assert verdict["provision"] == "AufenthG § 25b"
    assert any(t["citation"] == "AufenthG § 25b Abs. 1 Satz 2 Nr. 1" for t in verdict["trace"])


def test_check_in_another_language(case_file: Path) -> None:
    result = run("check", "--rule", "aufenthg_23a", "--facts", str(case_file), "--lang", "de")
    assert result.returncode == 0, result.stderr
    notes = json.loads(result.stdout)["notes"]
    assert any("Selbstbefassung" in n for n in notes)


def test_cases_reports_accuracy_on_shared_set(shared_rule_cases: Path) -> None:
    result = run("cases", str(shared_rule_cases))
    assert result.returncode == 0, result.stdout + result.stderr
    total = sum(1 for line in shared_rule_cases.read_text(encoding="utf-8").splitlines() if line.strip())
    assert f"accuracy: {total}/{total} = 100.0%" in result.stdout, result.stdout
    assert "WRONG" not in result.stdout
    assert "expected_missing not asked: 0" in result.stdout and "key_citations not cited: 0" in result.stdout


def test_cases_lists_wrong_case(tmp_path: Path) -> None:
    line = {"id": "x-1", "rule": "aufenthg_23a", "facts": {"as_of": "2026-11-23", "status": "aufenthaltsgestattung"},
            "expected": "discretionary", "expected_missing": [], "key_citations": ["AufenthG § 23a Abs. 1", "AufenthG § 99 Abs. 9"]}
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = run("cases", str(path))
    assert result.returncode == 1
    assert "accuracy: 0/1" in result.stdout
    assert "WRONG x-1" in result.stdout and "got not_met" in result.stdout
    assert "AufenthG § 99 Abs. 9" in result.stdout


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"employment_hours_per_week": -1}, "employment_hours_per_week"),
        ({"status": "refugee-ish"}, "status"),
        ({"birth_date": "23.11.2000"}, "birth_date"),
        ({"as_of": "2026-11-23", "birth_date": "2026-12-01"}, "birth_date"),
        ({"continuous_stay_since": "2020-13-01"}, "continuous_stay_since"),
        ({"german_level": "A3"}, "german_level"),
        ({"childrens": 2}, "childrens"),
    ],
)
def test_bad_facts_exit_2_naming_field(tmp_path: Path, facts: dict, field: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    result = run("check", "--rule", "aufenthg_25b", "--facts", str(path))
    assert result.returncode == 2
    assert field in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_bad_files_and_rule_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    for args in (("check", "--rule", "aufenthg_25b", "--facts", str(broken)),
                 ("check", "--rule", "aufenthg_25b", "--facts", str(tmp_path / "absent.json")),
                 ("check", "--rule", "aufenthg_99z", "--facts", str(broken)),
                 ("cases", str(broken))):
        result = run(*args)
        assert result.returncode == 2, args
        assert result.stderr.startswith("error: "), result.stderr
        assert "Traceback" not in result.stderr


def test_ask_interview_reprompts_and_decides() -> None:
    # status, then answers in the order asked; 'maybe' must be rejected with a re-prompt.
    answers = "\n".join(["aufenthaltserlaubnis", "maybe", "no"]) + "\n"
    result = run("ask", "--rule", "aufenthg_23a", "--as-of", "2026-11-23", stdin=answers)
    assert result.returncode == 0, result.stderr
    assert "Invalid answer" not in result.stdout  # choice accepted first time
    assert "Result: not_met" in result.stdout


def test_ask_rejects_bad_date_and_asks_again() -> None:
    answers = "\n".join(["duldung", "31.12.2016", "2016-12-31"]) + "\n" + "\n" * 40
    result = run("ask", "--rule", "aufenthg_25b", "--as-of", "2026-11-23", stdin=answers)
    assert result.returncode == 0, result.stderr
    assert "Result:" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
