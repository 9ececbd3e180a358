"""The review document: every condition of every rule appears with its citation, statute sentence and the
cases that make it fail; the committed copy in rules/review_document/ is current; the CLI writes it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rules.case_files import OWN_CASES_DIR, load_cases, run_case
from rules.checker import statute_sentence
from rules.i18n import provision_key
from rules.registry import RULE_OBJECTS
from rules.review import CaseRuns, all_conditions, split_docstring, write_review

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "rules" / "review_document"


@pytest.fixture(scope="module")
def review_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("review")
    write_review(out)
    return out


def sections(page: str, rule_id: str) -> dict[str, str]:
    """condition id -> its section of the page, within the part of the page for claim `rule_id`."""
    part = page.split(f"## Claim `{rule_id}`", 1)[1].split("\n## Claim `", 1)[0]
    return {chunk.split("`", 1)[0]: chunk for chunk in part.split("\n### `")[1:]}


def test_every_condition_of_every_rule_appears_with_its_citation(review_dir: Path) -> None:
    runs = CaseRuns.load()
    for rule in RULE_OBJECTS.values():
        stem = provision_key(rule.provision)
        page = (review_dir / f"{stem}.md").read_text(encoding="utf-8")
        html_page = (review_dir / f"{stem}.html").read_text(encoding="utf-8")
        found = sections(page, rule.rule_id)
        conditions = all_conditions(rule, runs)
        assert {c.id for c in rule.conditions} <= {c.id for c in conditions}
        for condition in conditions:  # all text versions (§ 104c) included
            assert condition.id in found, (rule.rule_id, condition.id)
            section = found[condition.id]
            assert f"Citation: {condition.citation}" in section, (rule.rule_id, condition.id)
            assert statute_sentence(condition) in section
            assert f'id="{rule.rule_id}.{condition.id}"' in html_page and condition.citation in html_page


def test_cases_that_make_a_condition_fail_are_listed_under_it(review_dir: Path) -> None:
    checked = 0
    for path in sorted(OWN_CASES_DIR.glob("*.jsonl")):
        for case in load_cases(path):
            result = run_case(case)
            assert result.verdict is not None, case.id
            rule = RULE_OBJECTS[case.rule]
            found = sections((review_dir / f"{provision_key(rule.provision)}.md").read_text(encoding="utf-8"), case.rule)
            for item in result.verdict.trace:
                if item.outcome == "not_met":
                    tested = found[item.condition_id].split("Cases that test it", 1)[1]
                    assert f"`{case.id}`" in tested, (case.id, item.condition_id)
                    checked += 1
    assert checked > 50


def test_index_links_every_provision(review_dir: Path) -> None:
    index = (review_dir / "index.md").read_text(encoding="utf-8")
    for rule in RULE_OBJECTS.values():
        assert f"({provision_key(rule.provision)}.md)" in index
    import inspect

    from rules import engine

    assert "combine" in index and inspect.cleandoc(engine.period_complete.__doc__ or "").splitlines()[0] in index


def test_committed_review_document_is_current(review_dir: Path) -> None:
    """rules/review_document/ is what a lawyer reads; a change to a rule module must regenerate it."""
    stale = [p.name for p in sorted(review_dir.glob("*.md"))
             if not (COMMITTED / p.name).exists() or (COMMITTED / p.name).read_text(encoding="utf-8") != p.read_text(encoding="utf-8")]
    assert not stale, f"regenerate: python -m rules review --out rules/review_document --format md ({', '.join(stale)})"


def test_split_docstring_keeps_quotes_and_remarks() -> None:
    quotes, remarks = split_docstring("Abs. 1 Nr. 3: 'vor Vollendung des 27. Lebensjahres' (BGB § 187 Abs. 2 Satz 2)")
    assert quotes == ["vor Vollendung des 27. Lebensjahres"]
    assert remarks == ["Abs. 1 Nr. 3", "(BGB § 187 Abs. 2 Satz 2)"]
    assert split_docstring("the person's job") == (["the person's job"], [])  # an apostrophe is not a quotation


def test_cli_review_writes_pages_and_rejects_unknown_format(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "rules", "review", "--out", str(tmp_path / "out")]
    result = subprocess.run(run + ["--format", "md"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "aufenthg_25b.md").exists() and not (tmp_path / "out" / "aufenthg_25b.html").exists()
    bad = subprocess.run(run + ["--format", "pdf"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "pdf" in bad.stderr
