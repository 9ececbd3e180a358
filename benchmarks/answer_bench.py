"""Answer latency in the default (compose) mode.

    python benchmarks/answer_bench.py [--rounds 3] [--askers 10]

Warm, one asker: p50/p95 over the dev questions (targets p50 <= 150 ms, p95 <= 500 ms).
10 concurrent askers (threads sharing the one cached Pipeline): p95 per answer (target <= 2 s).
Questions come from ../shared/evals/questions.jsonl (text only; nothing is written anywhere).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.pipeline import get_pipeline  # noqa: E402
from core.settings import get_settings  # noqa: E402


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=Path, default=get_settings().shared_dir / "evals" / "questions.jsonl")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--askers", type=int, default=10)
    args = parser.parse_args()
    items = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]

    start = time.perf_counter()
    pipeline = get_pipeline()
    print(f"pipeline load (index, BM25, embedder): {time.perf_counter() - start:.1f} s")

    def one(item: dict) -> float:
        t0 = time.perf_counter()
        pipeline.ask(item["question"], history=item.get("history"), facts=item.get("facts"))
        return (time.perf_counter() - t0) * 1000

    for item in items:  # warm-up round: first-call costs (tokeniser paths, rule tables)
        one(item)
    single = [one(item) for _ in range(args.rounds) for item in items]
    print(f"one asker, warm: n={len(single)} p50 {statistics.median(single):.0f} ms  p95 {pct(single, 0.95):.0f} ms  max {max(single):.0f} ms")

    work = items * args.rounds
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.askers) as pool:
        concurrent = list(pool.map(one, work))
    wall = time.perf_counter() - t0
    print(
        f"{args.askers} concurrent askers: n={len(concurrent)} p50 {statistics.median(concurrent):.0f} ms  "
        f"p95 {pct(concurrent, 0.95):.0f} ms  throughput {len(concurrent) / wall:.1f} answers/s"
    )
    stages: dict[str, list[float]] = {}
    for item in items:
        answer = pipeline.ask(item["question"], history=item.get("history"), facts=item.get("facts"))
        for name, ms in answer.timings_ms.items():
            stages.setdefault(name, []).append(ms)
    print("stage p50 (ms): " + ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in stages.items()))


if __name__ == "__main__":
    main()
