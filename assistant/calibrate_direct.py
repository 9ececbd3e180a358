"""Calibrates `assistant.direct.ENTRY_THRESHOLD` and measures the direct answers.

`python -m assistant.calibrate_direct [--out FILE]`: every question of the shared dev set, the
project's own set and the held-out files is answered twice, once with the best knowledge-base entry
whatever its score and once without entries (checker or sentence-level lead). For each threshold
the lead is "good" when it meets every must_include group and cites a gold provision; the
threshold with the most good leads wins (ties: the higher, safer one). Also prints, at the chosen
threshold, the measures of issue 11: direct answer, lead language, lead cites gold, shown characters.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def question_sets() -> dict[str, Path]:
    from core.settings import get_settings

    shared = Path(get_settings().shared_dir) / "evals"
    return {
        "dev": shared / "questions.jsonl",
        "own": REPO / "evals" / "questions.jsonl",
        "heldout": REPO / "tests" / "assistant" / "data" / "heldout_questions.jsonl",
        "heldout2": REPO / "tests" / "assistant" / "data" / "heldout2_questions.jsonl",
    }


def cites_gold(citations: list[str], gold: list[str]) -> bool:
    return any(c == g or c.startswith(g + " ") for c in citations for g in gold)


def meets_groups(text: str, groups: list[list[str]]) -> bool:
    low = text.lower()
    return all(any(alt.lower() in low for alt in group) for group in groups)


def lead_citations(answer) -> list[str]:
    return [c.citation for b in answer.blocks if b.kind == "direct" for c in b.citations]


def main(argv: list[str]) -> int:
    from assistant.language import detect_language
    from assistant.pipeline import get_pipeline

    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else None
    # --measure T: answer with threshold T (the shipped one: --measure default) and print the measures
    measure_at = None
    if "--measure" in argv:
        from assistant.direct import ENTRY_THRESHOLD

        value = argv[argv.index("--measure") + 1]
        measure_at = ENTRY_THRESHOLD if value == "default" else float(value)
    pipeline = get_pipeline()
    direct = pipeline.direct
    captured: dict[str, object] = {}
    original = direct.match_entry

    def capturing(question, lang, result, *args, **kwargs):
        match = original(question, lang, result, *args, **kwargs)
        captured["match"] = match
        evidence = direct.evidence(result)
        captured["fallback"] = direct.fallback_blocks(evidence, [lang])[0] if evidence else []
        return match

    direct.match_entry = capturing
    direct.entry_threshold = -1.0 if not measure_at else measure_at
    rows = []
    for set_name, path in question_sets().items():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            if item.get("expect_refusal"):
                continue
            row = {"set": set_name, "id": item["id"], "lang": item["lang"], "gold": item["gold_citations"], "groups": item.get("must_include", [])}
            captured.clear()
            answer = pipeline.ask(item["question"])
            match = captured.get("match")
            fallback = captured.get("fallback") or []
            row["answer"] = {"lead": answer.lead, "cites": lead_citations(answer), "shown": len(answer.shown_text()),
                             "lead_lang": _lead_language(answer), "answer_lang": answer.language, "refused": answer.could_not_answer}
            row["score"] = getattr(match, "score", None)
            row["entry_id"] = getattr(getattr(match, "entry", None), "id", None)
            row["fallback"] = {"lead": " ".join(b.text for b in fallback), "cites": [c.citation for b in fallback for c in b.citations]}
            rows.append(row)
            print(set_name, item["id"], row["score"], row["entry_id"], file=sys.stderr, flush=True)
    if out:
        out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    if measure_at is not None:
        measures(rows, None)
    else:
        report(rows)
    return 0


def _lead_language(answer) -> str:
    from assistant.language import detect_language

    own = " ".join(b.text for b in answer.blocks if b.kind == "direct" and b.language == answer.language)
    return detect_language(own) if own else ""


def lead_at(row: dict, threshold: float | None) -> dict:
    """The lead the pipeline shows at `threshold` (None: the one it showed)."""
    if threshold is None or row["score"] is None or row["answer"]["refused"]:
        return row["answer"]
    return row["answer"] if row["score"] >= threshold else row["fallback"]


def good(row: dict, threshold: float | None) -> bool:
    lead = lead_at(row, threshold)
    return bool(lead["lead"]) and meets_groups(lead["lead"], row["groups"]) and cites_gold(lead["cites"], row["gold"])


def report(rows: list[dict]) -> None:
    grid = [round(0.80 + 0.005 * i, 3) for i in range(40)]
    table = []
    for threshold in grid:
        table.append((sum(good(r, threshold) for r in rows), threshold))
    for count, threshold in table:
        print(f"threshold {threshold:.3f}: good leads {count}/{len(rows)}")
    best = max(table, key=lambda ct: (ct[0], ct[1]))
    print(f"chosen threshold {best[1]:.3f} ({best[0]}/{len(rows)} good leads)")
    measures(rows, best[1])


def measures(rows: list[dict], threshold: float | None) -> None:
    """Issue 11's measures per set. With a threshold, from a calibration run (entry leads above it);
    without, as answered. Shown characters and lead language are as answered."""
    for set_name in dict.fromkeys(r["set"] for r in rows):
        sub = [r for r in rows if r["set"] == set_name]
        leads = [lead_at(r, threshold) for r in sub]
        with_groups = [(r, l) for r, l in zip(sub, leads) if r["groups"]]
        direct = sum(meets_groups(l["lead"], r["groups"]) for r, l in with_groups)
        lang_ok = sum(r["answer"]["lead_lang"] == r["answer"]["answer_lang"] == r["lang"] for r in sub if not r["answer"]["refused"])
        answered = sum(not r["answer"]["refused"] for r in sub)
        gold = sum(cites_gold(l["cites"], r["gold"]) for r, l in zip(sub, leads))
        shown = sorted(r["answer"]["shown"] for r in sub)
        p90 = shown[int(0.9 * (len(shown) - 1))]
        entries = sum(r["score"] is not None and (threshold is None or r["score"] >= threshold) and bool(r["entry_id"]) for r in sub)
        print(
            f"{set_name}: n={len(sub)} entry leads {entries}; direct answer {direct}/{len(with_groups)}; "
            f"lead language {lang_ok}/{answered}; lead cites gold {gold}/{len(sub)}; "
            f"shown median {statistics.median(shown):.0f} p90 {p90}"
        )


if __name__ == "__main__":
    if "--from" in sys.argv:
        report(json.loads(Path(sys.argv[sys.argv.index("--from") + 1]).read_text(encoding="utf-8")))
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
