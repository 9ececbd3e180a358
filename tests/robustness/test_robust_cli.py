"""The command lines (`python -m rules`, `python -m assistant`, `python -m evals`) on hostile files:
exit code 2 and one line on stderr that names the problem without repeating the value whole."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# One line naming the file and the problem; well below the size of any offending value here.
MAX_ERROR_CHARS = 700

HOSTILE_FILES = {
    "brackets_200000": "[" * 200_000,
    "facts_nested_3000": '{"status": ' + "[" * 3000 + "1" + "]" * 3000 + "}",
    "integer_5000_digits": '{"employment_months": ' + "9" * 5000 + "}",
    "huge_string": json.dumps({"as_of": "2026-01-01" + "x" * 200_000}),
    "nan": '{"employment_hours_per_week": NaN}',
    "surrogate_key": '{"\\udc00status": 1}',
    "not_an_object": "[1, 2, 3]",
    "not_utf8": "\udcff",  # written with surrogateescape: the byte 0xff
}


def run(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=REPO, capture_output=True, text=True, timeout=300,
                          errors="backslashreplace")


def hostile(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.json"
    path.write_bytes(HOSTILE_FILES[name].encode("utf-8", "surrogateescape"))
    return path


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-2000:]
    assert lines[0].lower().startswith("error") and len(lines[0]) < MAX_ERROR_CHARS, lines[0][:2000]


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_rules_check_rejects_a_hostile_facts_file_in_one_line(tmp_path, name):
    assert_one_line_error(run("rules", "check", "--rule", "aufenthg_25b", "--facts", str(hostile(tmp_path, name))))


def test_rules_check_reads_null_as_unknown(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"as_of": "2026-11-23", "status": "duldung", "minor_children_in_household": None,
                                "employment_hours_per_week": None}), encoding="utf-8")
    result = run("rules", "check", "--rule", "aufenthg_25b", "--facts", str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["verdict"] in ("needs_info", "not_met")


def test_rules_check_shows_a_long_as_of_only_in_part():
    assert_one_line_error(run("rules", "check", "--rule", "aufenthg_25b", "--as-of", "2026" * 10_000))


@pytest.mark.parametrize("line", ['{"id": "x", "rule": "aufenthg_25b", "facts": ' + "[" * 5000 + "]" * 5000 + "}", '{"id": ' + "7" * 5000 + "}"])
def test_rules_cases_rejects_a_hostile_line_in_one_line(tmp_path, line):
    path = tmp_path / "cases.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    assert_one_line_error(run("rules", "cases", str(path)))


@pytest.mark.parametrize("name", ["brackets_200000", "facts_nested_3000", "integer_5000_digits", "huge_string", "not_an_object", "not_utf8"])
def test_assistant_ask_rejects_a_hostile_facts_file_in_one_line(tmp_path, name):
    # the facts are checked before the pipeline is loaded: no model, no index needed
    assert_one_line_error(run("assistant", "ask", "Kann ich § 25b bekommen?", "--facts", str(hostile(tmp_path, name))))


@pytest.mark.parametrize("line", ["[" * 200_000, '{"id": ' + "7" * 5000 + "}"])
def test_evals_run_rejects_a_hostile_line_in_one_line(tmp_path, line):
    path = tmp_path / "questions.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    result = run("evals", "run", "--questions", str(path), "--no-rules", "--out", str(tmp_path / "out"), "--no-progress")
    assert_one_line_error(result)
