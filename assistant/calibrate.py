"""Quick quality loop for the answering pipeline on a question file (FORMAT.md format).

    python -m assistant.calibrate --questions ../shared/evals/questions.jsonl [--write]

Prints citation hit@5 per language (gold provision among the first five provisions the answer
cites; § level and Absatz level), refusal precision/recall, gate events and latency. The refusal
threshold is calibrated here from the retrieval features of every question (see `best_threshold`:
the highest threshold that refuses no answerable question of the file). The out-of-scope
topic list is left out of this computation on purpose: the threshold is the backstop for subjects the
list does not know, so it is fitted as if the list did not exist. `--write` stores it in
assistant/scope.toml. The full evaluation lives in `evals/`; this is the developer's loop.
"""

from __future__ import annotations

import json
import math
import re
import statistics
import time
from collections import defaultdict
from pathlib import Path

import typer

from core.citations import provision_of

app = typer.Typer(add_completion=False, help=__doc__)


def _cited_provisions(answer, limit: int = 5) -> list[str]:
    out: list[str] = []
    for citation in answer.cited_provisions:
        p = provision_of(citation)
        if p.startswith(("AufenthG §", "AufenthV §")) and p not in out:
            out.append(p)
    return out[:limit]


def _absatz_hit(gold: str, cited: list[str]) -> bool:
    return any(c == gold or c.startswith(gold + " ") for c in cited)


def load_questions(path: Path) -> list[dict]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as err:
            raise typer.BadParameter(f"{path}:{number}: not valid JSON ({err.msg})") from None
    return items


def best_threshold(rows: list[dict]) -> tuple[float, float]:
    """(threshold, refusal F1). Rows: `forced` (True/False: decided before the threshold; None: the
    threshold decides), `score` and `expect` (refusal expected).

    A wrongly refused answerable question costs more than a missed refusal (the list of off-topic
    subjects is the first line; the threshold is the backstop), so the threshold is the highest one
    that refuses no answerable question of the calibration set: the lowest score among answerable
    rows the threshold decides (`score < threshold` refuses); when no answerable row reaches the
    threshold, the lowest score of any answerable question. F1 is reported for information.
    """
    answerable = [r["score"] for r in rows if r["forced"] is None and not r["expect"]]
    if not answerable:  # nothing answerable reached the threshold: bound it by the weakest answerable question
        answerable = [r["score"] for r in rows if not r["expect"]]
    threshold = math.floor(min(answerable) * 1e4) / 1e4 if answerable else 0.0  # floor: never above it
    tp = fp = fn = 0
    for r in rows:
        pred = r["forced"] if r["forced"] is not None else r["score"] < threshold
        tp += pred and r["expect"]
        fp += pred and not r["expect"]
        fn += (not pred) and r["expect"]
    p = tp / (tp + fp) if tp + fp else 1.0
    rc = tp / (tp + fn) if tp + fn else 1.0
    return threshold, (2 * p * rc / (p + rc) if p + rc else 0.0)


def _claiming_model(pipeline, item: dict):
    """A fake LLM that asserts eligibility (and one true, cited sentence) for the question's top provision."""
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from assistant.rewrite import rewrite

    rewritten = rewrite(item["question"], item.get("history"))
    result = pipeline.engine.retrieve(rewritten.query, item.get("lang", "en"), carried=rewritten.carried_citations)
    if not result.provisions:
        return FakeListChatModel(responses=["You qualify."])
    top = result.provisions[0]
    return FakeListChatModel(responses=[f"You qualify for {top.provision} [{top.best_citation}]. You can move wherever you like [{top.best_citation}]."])


@app.command()
def main(
    questions: Path = typer.Option(..., exists=True, dir_okay=False, help="JSONL question file"),
    write: bool = typer.Option(False, help="store the calibrated threshold in assistant/scope.toml"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="print every miss"),
    llm_claims: bool = typer.Option(
        False, "--llm-claims", help="stress the gate: a fake chat model claims eligibility for the top provision in every answer"
    ),
) -> None:
    from assistant.pipeline import get_pipeline
    from assistant.scope import CALIBRATION_PATH, scope_score

    pipeline = get_pipeline()
    items = load_questions(questions)
    per_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # hits § level, hits Absatz level, total
    refusal = {"tp": 0, "fp": 0, "fn": 0}
    gate = defaultdict(int)
    latencies: list[float] = []
    rows: list[dict] = []
    for item in items:
        model = _claiming_model(pipeline, item) if llm_claims else None
        start = time.perf_counter()
        answer = pipeline.ask(item["question"], history=item.get("history"), facts=item.get("facts"), language=None, chat_model=model)
        latencies.append((time.perf_counter() - start) * 1000)
        for event in answer.gate_events:
            gate[event.action] += 1
        expect = bool(item.get("expect_refusal"))
        refusal["tp"] += answer.could_not_answer and expect
        refusal["fp"] += answer.could_not_answer and not expect
        refusal["fn"] += (not answer.could_not_answer) and expect
        # features for threshold calibration
        rewritten = __import__("assistant.rewrite", fromlist=["rewrite"]).rewrite(answer.question, item.get("history"))
        result = pipeline.engine.retrieve(rewritten.query, answer.language, carried=rewritten.carried_citations)
        forced = None
        if not result.provisions:
            forced = True
        elif result.explicit:
            forced = False
        elif result.targeted_concepts:
            forced = False
        rows.append({"forced": forced, "score": scope_score(result), "expect": expect})
        if expect:
            continue
        gold = item.get("gold_citations", [])
        cited_prov = _cited_provisions(answer)
        cited_all = [c for c in answer.cited_provisions if provision_of(c) in cited_prov]
        mode_all = item.get("gold_mode") == "all"
        hits_p = [(provision_of(g) in cited_prov) for g in gold]
        hits_a = [_absatz_hit(g, cited_all) for g in gold]
        hit_p = all(hits_p) if mode_all else any(hits_p)
        hit_a = all(hits_a) if mode_all else any(hits_a)
        lang = item.get("lang", "?")
        per_lang[lang][0] += hit_p
        per_lang[lang][1] += hit_a
        per_lang[lang][2] += 1
        if verbose and not (hit_p and hit_a):
            typer.echo(f"MISS {item['id']} [{lang}] gold={gold} cited={cited_prov} lead={answer.retrieved[0].provision if answer.retrieved else '-'}"
                       f" refused={answer.could_not_answer}")
    total = [sum(v[i] for v in per_lang.values()) for i in range(3)]
    typer.echo(f"questions: {len(items)}  answerable: {total[2]}")
    typer.echo(f"citation hit@5 (§ level):      {total[0]}/{total[2]} = {total[0] / max(total[2], 1):.1%}")
    typer.echo(f"citation hit@5 (Absatz level): {total[1]}/{total[2]} = {total[1] / max(total[2], 1):.1%}")
    for lang in sorted(per_lang):
        p, a, n = per_lang[lang]
        typer.echo(f"  {lang}: § {p}/{n}  Abs. {a}/{n}")
    tp, fp, fn = refusal["tp"], refusal["fp"], refusal["fn"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    typer.echo(f"refusal precision {precision:.2f} ({tp}/{tp + fp})  recall {recall:.2f} ({tp}/{tp + fn})")
    typer.echo("gate events: " + (", ".join(f"{k}={v}" for k, v in sorted(gate.items())) or "none"))
    latencies.sort()
    typer.echo(f"latency per ask: p50 {statistics.median(latencies):.0f} ms, p95 {latencies[int(0.95 * (len(latencies) - 1))]:.0f} ms")
    threshold, f1 = best_threshold(rows)
    typer.echo(f"calibrated refusal threshold: {threshold:.4f} (refusal F1 {f1:.2f}); rows decided by threshold: "
               f"{sum(r['forced'] is None for r in rows)}")
    if write:
        text = CALIBRATION_PATH.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^refusal_threshold = .*$", f"refusal_threshold = {threshold:.4f}", text)
        CALIBRATION_PATH.write_text(text, encoding="utf-8")
        typer.echo(f"written to {CALIBRATION_PATH}")


if __name__ == "__main__":
    app()
