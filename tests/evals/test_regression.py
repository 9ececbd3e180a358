"""CI regression: a fixed, fast subset of the project's own questions (spread over languages and
categories) and all own rule cases, through the real pipeline on the real index.

The thresholds are the figures the pipeline reached when they were set (see the comment at
THRESHOLDS), so a drop fails the build. Raise them when the pipeline improves; do not lower them
to make a change pass. Full figures: `python -m evals run --baselines`.
"""

from __future__ import annotations

import pytest

from core.settings import REPO_ROOT
from evals.formats import load_questions, load_rule_cases
from evals.runner import run, stratified_subset

SUBSET = 28
# The figures the full pipeline reached on this subset (22 answerable, 5 out-of-scope questions),
# rounded down to two decimals: one question less fails the build.
# Raised on 2026-11-24 after the fix pass (scope exemplars, distinct Absätze, heading signal):
# mrr_prov 0.78 -> 0.79 (0.793), citation_correct 0.86 -> 0.95 (0.955), must_include 0.86 -> 0.91
# (0.913), refusal_recall 0.6 -> 0.8, false refusals max 0.05 -> 0.0; hit5_prov unchanged (0.955).
THRESHOLDS = {
    "hit5_prov": 0.95,
    "mrr_prov": 0.79,
    "citation_correct": 0.95,
    "must_include_coverage": 0.95,  # 0.913 -> 0.957 with the direct answers (2026-12-02)
    "refusal_recall": 0.8,
    "false_refusal_rate_max": 0.0,
    "rules_accuracy": 1.0,
    # Issue 11 (direct answer first), set at merge on 2026-12-02 to what the merged pipeline reaches on
    # this subset: direct answer 0.304, lead language 1.0, lead cites gold 0.727, shown characters
    # median 885 / p90 1,245 (before issue 11: 0.0 / 1.0 / 0.0 / ~5,600 / ~7,500). Issue target:
    # direct answer >= 0.9, lead language >= 0.98, shown median <= 1,200.
    "direct_answer": 0.30,
    "lead_language": 1.0,
    "lead_cites_gold": 0.72,
    "shown_chars_median_max": 1_200,
    "shown_chars_p90_max": 1_300,
    "rules_missing_asked": 1.0,
}


@pytest.fixture(scope="module")
def regression_run(indexed_settings):
    questions = stratified_subset(load_questions(REPO_ROOT / "evals" / "questions.jsonl"), SUBSET)
    cases = load_rule_cases(REPO_ROOT / "evals" / "rule_cases.jsonl")
    return run(indexed_settings, questions, cases, ["pipeline"], progress=False)


def test_subset_covers_every_language_and_category(regression_run):
    langs = {it["lang"] for it in regression_run.items}
    cats = {it["category"] for it in regression_run.items}
    assert {"de", "en", "ar", "fa", "uk", "tr", "ru"} <= langs
    assert cats == {"lookup", "eligibility", "procedure", "conflict", "temporal", "out_of_scope", "adversarial"}


def test_safety_is_zero(regression_run):
    safety = regression_run.summary["systems"]["pipeline"]["overall"]["safety"]
    bad = [(it["id"], it["systems"]["pipeline"]["safety"]) for it in regression_run.items
           if it["systems"]["pipeline"]["safety"]["hallucinated"] or it["systems"]["pipeline"]["safety"]["unverified"]]
    assert safety["citations"] > 0
    assert safety["hallucinated_citations"] == 0 and safety["unverified_claims"] == 0, bad
    assert regression_run.errors == 0


def test_retrieval_and_answers_do_not_regress(regression_run):
    o = regression_run.summary["systems"]["pipeline"]["overall"]
    got = {k: o[k] for k in ("hit5_prov", "mrr_prov", "citation_correct", "must_include_coverage", "refusal_recall")}
    for key, value in got.items():
        assert value >= THRESHOLDS[key], (key, got)
    assert o["false_refusal_rate"] <= THRESHOLDS["false_refusal_rate_max"], o["false_refusal_rate"]
    assert o["must_not_include_violation"] == 0.0


def test_direct_answer_measures_do_not_regress(regression_run):
    o = regression_run.summary["systems"]["pipeline"]["overall"]
    got = {k: o[k] for k in ("direct_answer", "lead_language", "lead_cites_gold")}
    wrong_language = [(it["id"], it["lang"], it["systems"]["pipeline"]["metrics"]["lead_language_detected"])
                      for it in regression_run.items if it["systems"]["pipeline"]["metrics"]["lead_language"] == 0.0]
    for key, value in got.items():
        assert value is not None and value >= THRESHOLDS[key], (key, got, wrong_language)
    assert o["shown_chars"]["median"] <= THRESHOLDS["shown_chars_median_max"], o["shown_chars"]
    assert o["shown_chars"]["p90"] <= THRESHOLDS["shown_chars_p90_max"], o["shown_chars"]


def test_rule_cases_do_not_regress(regression_run):
    r = regression_run.summary["rules"]
    wrong = [(row["id"], row["expected"], row["got"]) for row in regression_run.rule_rows if not row["metrics"]["correct"]]
    assert r["n"] >= 80
    assert r["accuracy"] >= THRESHOLDS["rules_accuracy"], wrong
    assert r["missing_asked"] >= THRESHOLDS["rules_missing_asked"]
