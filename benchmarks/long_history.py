"""What a long conversation costs one answer: a 1,000-turn history and a 100,000-character question.

    python benchmarks/long_history.py [--turns 1000] [--rounds 5]

Prints the median per stage (`Answer.timings_ms`: input, rewrite, retrieve, ...) and in total, for a
short follow-up after `--turns` turns, a follow-up after 2 turns (the baseline), and an oversized
question. The repository root is appended to sys.path, not prepended: with PYTHONPATH set to
another checkout the same script measures that checkout (before/after comparisons).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))

from assistant.pipeline import get_pipeline  # noqa: E402

USER_TURN = "Ich bin seit 2019 geduldet, arbeite Vollzeit und habe zwei Kinder. Kann ich eine Aufenthaltserlaubnis nach § 25b bekommen?"
ASSISTANT_TURN = (
    "Nach AufenthG § 25b Abs. 1 soll einer geduldeten Ausländerin eine Aufenthaltserlaubnis erteilt werden, wenn sie sich "
    "nachhaltig in die Lebensverhältnisse der Bundesrepublik Deutschland integriert hat. &lt;b&gt;Hinweis&lt;/b&gt; "
) * 12  # about 2,600 characters, with entities, as an answer text pasted back might carry
FOLLOW_UP = "Und wenn meine Tochter bei mir lebt?"


def history(turns: int) -> list[dict]:
    return [{"role": "user", "content": USER_TURN} if i % 2 == 0 else {"role": "assistant", "content": ASSISTANT_TURN} for i in range(turns)]


def measure(pipeline, question: str, turns: list[dict], rounds: int) -> tuple[float, dict[str, float]]:
    totals: list[float] = []
    stages: dict[str, list[float]] = {}
    for _ in range(rounds):
        start = time.perf_counter()
        answer = pipeline.ask(question, history=turns)
        totals.append((time.perf_counter() - start) * 1000)
        for name, ms in answer.timings_ms.items():
            stages.setdefault(name, []).append(ms)
    return statistics.median(totals), {name: statistics.median(v) for name, v in stages.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pipeline = get_pipeline()
    cases = [
        (f"follow-up after {args.turns} turns", FOLLOW_UP, history(args.turns)),
        ("follow-up after 2 turns", FOLLOW_UP, history(2)),
        ("question of 100,000 characters", "Wie lange gilt eine Duldung? " * 3500, []),
    ]
    print(f"{'case':36} {'total ms':>9}  stages (median ms)")
    for name, question, turns in cases:
        pipeline.ask(question, history=turns)  # warm
        total, stages = measure(pipeline, question, turns, args.rounds)
        shown = ", ".join(f"{k} {v:.0f}" for k, v in stages.items())
        print(f"{name:36} {total:9.0f}  {shown}")


if __name__ == "__main__":
    main()
