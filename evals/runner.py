"""One evaluation run: every system on every question, the rule cases, metrics, safety, files."""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from evals.formats import CheckedRuleCase, QuestionItem
from evals.metrics import aggregate, aggregate_rules, grouped, score_item, score_rule_case
from evals.systems import SystemOutput, build_systems


@dataclass
class RunResult:
    questions_path: str
    rule_cases_path: str
    systems: list[str]
    items: list[dict] = field(default_factory=list)  # per question: per system output + metrics
    rule_rows: list[dict] = field(default_factory=list)
    summary: dict = field(default_factory=dict)

    @property
    def safety_failures(self) -> int:
        s = self.summary.get("systems", {}).get("pipeline", {}).get("overall", {}).get("safety")
        if not s:
            return 0
        return s["hallucinated_citations"] + s["unverified_claims"]

    @property
    def errors(self) -> int:
        return sum(sys["overall"]["errors"] for sys in self.summary.get("systems", {}).values()) + self.summary.get("rules", {}).get("errors", 0)


def stratified_subset(items: list[QuestionItem], n: int, seed: int = 7) -> list[QuestionItem]:
    """n items spread over language x category (round robin over the groups, fixed seed)."""
    if n >= len(items):
        return list(items)
    groups: dict[tuple[str, str], list[QuestionItem]] = defaultdict(list)
    rng = random.Random(seed)
    for it in items:
        groups[(it.lang, it.category)].append(it)
    for g in groups.values():
        rng.shuffle(g)
    keys = sorted(groups)
    rng.shuffle(keys)
    chosen: list[QuestionItem] = []
    while len(chosen) < n:
        for k in keys:
            if groups[k] and len(chosen) < n:
                chosen.append(groups[k].pop())
    order = {it.id: i for i, it in enumerate(items)}
    return sorted(chosen, key=lambda it: order[it.id])


def _output_dict(out: SystemOutput, keep_ranking: int = 10) -> dict:
    d = {
        "answer_text": out.answer_text,
        "lead": out.lead,
        "lead_cited": out.lead_cited,
        "shown_text": out.shown_text,
        "cited": out.cited,
        "refused": out.refused,
        "language": out.language,
        "ranked_provisions": out.ranked_provisions[:keep_ranking],
        "ranked_citations": out.ranked_citations[:keep_ranking],
        "timings_ms": out.timings_ms,
        "wall_ms": round(out.wall_ms, 2),
        "error": out.error,
    }
    if out.answer is not None:
        d["citations"] = [c.model_dump(include={"citation", "chunk_id", "quote", "source_kind"}) for c in out.answer.citations]
        d["gate_events"] = [e.model_dump() for e in out.answer.gate_events]
        d["verdicts"] = [{"rule_id": v.rule_id, "verdict": v.verdict, "missing_facts": v.missing_facts} for v in out.answer.verdicts]
        d["missing_facts"] = out.answer.missing_facts
        d["blocks"] = [{"kind": b.kind, "language": b.language, "chars": len(b.text),
                        "citations": [c.citation for c in b.citations]} for b in out.answer.blocks]
    return d


def run(settings, questions: list[QuestionItem], rule_cases: list[CheckedRuleCase], system_names: list[str],
        questions_path: str = "", rule_cases_path: str = "", progress: bool = True) -> RunResult:
    from evals.safety import SafetyChecker

    systems = build_systems(settings, system_names)
    checker = SafetyChecker(settings) if "pipeline" in systems else None
    result = RunResult(questions_path=questions_path, rule_cases_path=rule_cases_path, systems=list(systems))
    rows: dict[str, list[dict]] = {name: [] for name in systems}
    bar = tqdm(total=len(questions) * len(systems), desc="questions", disable=not progress, leave=False)
    for item in questions:
        record = {"id": item.id, "lang": item.lang, "category": item.category, "question": item.question,
                  "history": [t.model_dump() for t in item.history], "facts": item.facts,
                  "gold_citations": item.gold_citations, "gold_mode": item.gold_mode, "must_include": item.must_include,
                  "must_not_include": item.must_not_include, "expect_refusal": item.expect_refusal, "systems": {}}
        for name, system in systems.items():
            try:
                out = system.run(item)
            except Exception as exc:  # one failing question must not end the run; it is counted and reported
                out = SystemOutput(system=name, error=f"{type(exc).__name__}: {exc}")
            metrics = score_item(item, out)
            safety = None
            if name == "pipeline" and checker is not None and out.answer is not None:
                safety = checker.check(out.answer, item.facts).as_dict()
            rows[name].append({"item": item, "metrics": metrics, "output": out, "safety": safety})
            record["systems"][name] = {**_output_dict(out), "metrics": metrics, "safety": safety}
            bar.update(1)
        result.items.append(record)
    bar.close()

    summary: dict = {"systems": {}, "n_questions": len(questions), "n_rule_cases": len(rule_cases)}
    for name, r in rows.items():
        summary["systems"][name] = {
            "overall": aggregate(r),
            "by_lang": grouped(r, lambda x: x["item"].lang),
            "by_category": grouped(r, lambda x: x["item"].category),
            "by_turns": grouped(r, lambda x: "multi-turn" if x["item"].history else "single question"),
        }
    if rule_cases:
        result.rule_rows = run_rule_cases(rule_cases)
        summary["rules"] = aggregate_rules(result.rule_rows)
        summary["rules_by_rule"] = {}
        by_rule: dict[str, list[dict]] = defaultdict(list)
        for row in result.rule_rows:
            by_rule[row["rule"]].append(row)
        summary["rules_by_rule"] = {k: aggregate_rules(v) for k, v in sorted(by_rule.items())}
    result.summary = summary
    return result


def run_rule_cases(cases: list[CheckedRuleCase]) -> list[dict]:
    from rules import check

    rows = []
    for case in cases:
        start = time.perf_counter()
        verdict, error = None, ""
        try:
            verdict = check(case.rule, case.facts)
        except Exception as exc:  # reported per case
            error = f"{type(exc).__name__}: {exc}"
        rows.append({
            "id": case.id, "rule": case.rule, "description": case.description, "facts": case.facts,
            "expected": case.expected, "expected_missing": case.expected_missing, "key_citations": case.key_citations,
            "got": verdict.verdict if verdict else None, "missing_facts": verdict.missing_facts if verdict else [],
            "citations": verdict.citations if verdict else [], "error": error,
            "ms": round((time.perf_counter() - start) * 1000, 2),
            "metrics": score_rule_case(case, verdict),
        })
    return rows


def write_results(result: RunResult, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "results.json"
    data = {"questions": result.questions_path, "rule_cases": result.rule_cases_path, "systems": result.systems,
            "summary": result.summary, "items": result.items, "rule_cases_results": result.rule_rows}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return path
