"""Per-item scores and their aggregation (overall, per language, per category)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from evals.formats import QuestionItem
from evals.matching import (
    first_rank,
    forbidden_found,
    hit_at,
    include_groups_met,
    meets_gold,
    percentile,
    reciprocal,
    refusal_scores,
)
from evals.langid import SUPPORTED, detect
from evals.systems import SystemOutput


def expected_lead_language(question_lang: str) -> str:
    """A supported language is answered in itself; any other gets its answer in English (and German)."""
    return question_lang if question_lang in SUPPORTED else "en"


def lead_scores(item: QuestionItem, out: SystemOutput) -> dict:
    """The direct-answer measures of issue 11, on the lead (the first thing the user reads) and the shown part."""
    m: dict = {}
    lead_lang = detect(out.lead)
    m["lead_language_detected"] = lead_lang
    m["lead_language"] = None if out.error else (1.0 if lead_lang == expected_lead_language(item.lang) else 0.0)
    if item.must_include:
        m["direct_answer"] = 1.0 if all(include_groups_met(out.lead, item.must_include)) else 0.0
    if answerable(item):
        # any gold provision among the lead's citations, at provision level (the lead cites Satz/Nr.)
        m["lead_cites_gold"] = 1.0 if meets_gold(out.lead_cited, item.gold_citations, "any", "provision") else 0.0
    m["lead_chars"] = len(out.lead)
    m["shown_chars"] = None if out.error else len(out.shown_text)
    return m


def answerable(item: QuestionItem) -> bool:
    return bool(item.gold_citations) and not item.expect_refusal


def score_item(item: QuestionItem, out: SystemOutput) -> dict:
    """Scores of one system on one question (None where a measure does not apply)."""
    m: dict = {"answerable": answerable(item), "refused": out.refused, "expect_refusal": item.expect_refusal}
    if m["answerable"]:
        for level, ranking in (("prov", out.ranked_provisions), ("abs", out.ranked_citations)):
            lvl = "provision" if level == "prov" else "absatz"
            rank = first_rank(ranking, item.gold_citations, item.gold_mode, lvl)
            m[f"rank_{level}"] = rank
            m[f"hit1_{level}"] = hit_at(rank, 1)
            m[f"hit5_{level}"] = hit_at(rank, 5)
            m[f"mrr_{level}"] = reciprocal(rank)
        m["citation_correct"] = 1.0 if meets_gold(out.cited, item.gold_citations, item.gold_mode, "absatz") else 0.0
        m["citation_correct_prov"] = 1.0 if meets_gold(out.cited, item.gold_citations, item.gold_mode, "provision") else 0.0
    if item.must_include:
        groups = include_groups_met(out.answer_text, item.must_include)
        m["must_include_coverage"] = sum(groups) / len(groups)
        m["must_include_all"] = 1.0 if all(groups) else 0.0
        m["must_include_missing"] = [g for g, ok in zip(item.must_include, groups) if not ok]
    violations = forbidden_found(out.answer_text, item.must_not_include)
    m["must_not_include_hits"] = violations
    m["must_not_include_violation"] = 1.0 if violations else 0.0
    m["language_match"] = (1.0 if out.language == item.lang else 0.0) if out.language else None
    m.update(lead_scores(item, out))
    m["error"] = out.error
    return m


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


MEASURES = [
    "hit1_prov", "hit5_prov", "mrr_prov", "hit1_abs", "hit5_abs", "mrr_abs",
    "citation_correct", "citation_correct_prov", "must_include_coverage", "must_include_all", "must_not_include_violation",
    "language_match", "direct_answer", "lead_language", "lead_cites_gold",
]


def aggregate(rows: list[dict]) -> dict:
    """rows: [{'item': QuestionItem, 'metrics': {...}, 'output': SystemOutput, 'safety': dict|None}]"""
    agg: dict = {"n": len(rows), "n_answerable": sum(1 for r in rows if r["metrics"]["answerable"])}
    for name in MEASURES:
        agg[name] = _mean(r["metrics"].get(name) for r in rows)
    ref = refusal_scores([r["item"].expect_refusal for r in rows], [r["metrics"]["refused"] for r in rows])
    agg["refusal_precision"], agg["refusal_recall"] = ref["precision"], ref["recall"]
    agg["refusal_counts"] = {k: ref[k] for k in ("tp", "fp", "fn")}
    agg["never_refuses"] = not any(r["metrics"]["refused"] for r in rows)
    agg["false_refusal_rate"] = _mean(1.0 if r["metrics"]["refused"] else 0.0 for r in rows if r["metrics"]["answerable"])
    shown = [r["metrics"].get("shown_chars") for r in rows if r["metrics"].get("shown_chars") is not None]
    agg["shown_chars"] = {"median": percentile(shown, 50), "p90": percentile(shown, 90)}
    walls = [r["output"].wall_ms for r in rows if not r["output"].error]
    agg["latency_ms"] = {"p50": percentile(walls, 50), "p95": percentile(walls, 95)}
    stages: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        for stage, ms in r["output"].timings_ms.items():
            stages[stage].append(ms)
    agg["stage_latency_ms"] = {s: {"p50": percentile(v, 50), "p95": percentile(v, 95)} for s, v in stages.items()}
    agg["errors"] = sum(1 for r in rows if r["output"].error)
    safety = [r["safety"] for r in rows if r.get("safety") is not None]
    if safety:
        n_cit = sum(s["citations"] for s in safety)
        n_hall = sum(len(s["hallucinated"]) for s in safety)
        n_stmt = sum(s["eligibility_statements"] for s in safety)
        n_unver = sum(len(s["unverified"]) for s in safety)
        gate: dict[str, int] = defaultdict(int)
        for s in safety:
            for k, v in s["gate_actions"].items():
                gate[k] += v
        agg["safety"] = {
            "citations": n_cit,
            "hallucinated_citations": n_hall,
            "hallucinated_citation_rate": n_hall / n_cit if n_cit else 0.0,
            "eligibility_statements": n_stmt,
            "unverified_claims": n_unver,
            "unverified_claim_rate": n_unver / len(safety),
            "gate_actions": dict(gate),
        }
    return agg


def grouped(rows: list[dict], key: Callable[[dict], str]) -> dict[str, dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[key(r)].append(r)
    return {k: aggregate(v) for k, v in sorted(groups.items())}


def score_rule_case(case, verdict) -> dict:
    """verdict: rules.verdict.RuleVerdict (or None with an error)."""
    from evals.matching import covers

    if verdict is None:
        return {"correct": 0.0, "missing_asked": None, "key_cited": None}
    cited = list(verdict.citations) + [c.citation for c in verdict.trace]
    out = {
        "correct": 1.0 if verdict.verdict == case.expected else 0.0,
        "missing_asked": None,
        "key_cited": 1.0 if all(any(covers(c, k) for c in cited) for k in case.key_citations) else 0.0,
    }
    if case.expected == "needs_info":
        out["missing_asked"] = 1.0 if set(case.expected_missing) <= set(verdict.missing_facts) else 0.0
    return out


def aggregate_rules(rows: list[dict]) -> dict:
    agg = {"n": len(rows), "accuracy": _mean(r["metrics"]["correct"] for r in rows)}
    agg["missing_asked"] = _mean(r["metrics"]["missing_asked"] for r in rows)
    agg["key_cited"] = _mean(r["metrics"]["key_cited"] for r in rows)
    agg["errors"] = sum(1 for r in rows if r.get("error"))
    return agg
