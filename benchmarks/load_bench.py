"""Load benchmark: 5, 10 and 20 concurrent browser sessions against the running chat on loopback.

Starts the app the way `make run` does (`python -m ui.warmup app.py`, 127.0.0.1 only), waits until
one warm-up answer is drawn, then for each level opens that many independent browser sessions
(Playwright contexts in one headless Debian Chromium: separate cookies, separate Streamlit
sessions). Every session asks known questions one after the other and checks that the answer cites
the expected provision. The whole run is bounded: `--rounds` questions per session, each at most
`--answer-timeout` seconds. It prints per level p50/p95 seconds per answer (question sent -> whole
answer drawn), errors (timeouts, wrong/missing citation) and the server's memory (RSS) over time.

    .venv/bin/python benchmarks/load_bench.py [--levels 5 10 20] [--rounds 3]

A benchmark, not a test: it prints figures. Targets (issue 12): 20 sessions, 0 errors, p95 < 3 s,
no memory growth across levels. The browser runs on the same 2 cores as the server, so its own CPU
use is part of the figures; say how loaded the machine was (the load average is printed).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO_ROOT), str(REPO_ROOT / "benchmarks"), str(REPO_ROOT / "tests" / "app")]

import browser_harness as harness  # noqa: E402
from app_server import MemorySampler, served_app  # noqa: E402

# (question, text its answer must contain): explicit provisions, so the expected citation is certain
QUESTIONS = [
    ("Welche Voraussetzungen hat eine Beschäftigungsduldung nach § 60d AufenthG?", "§ 60d"),
    ("What does § 25b AufenthG require?", "§ 25b"),
    ("Wie lange gilt eine Duldung nach § 60a AufenthG?", "§ 60a"),
    ("Was regelt § 12a AufenthG zur Wohnsitzregelung?", "§ 12a"),
]
ANSWERS = '[data-testid="stChatMessage"]:has([data-testid="stChatMessageAvatarAssistant"])'


@dataclass
class LevelResult:
    sessions: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    rss_before: float = 0.0
    rss_peak: float = 0.0
    rss_after: float = 0.0


async def _ask(page, question: str, citation: str, timeout_s: float) -> float:
    answers = page.locator(ANSWERS)
    before = await answers.count()
    box = page.get_by_test_id("stChatInput").locator("textarea")
    await box.fill(question)
    start = time.monotonic()
    await box.press("Enter")
    answer = answers.nth(before)
    await answer.locator('[class*="st-key-feedback-"]').first.wait_for(timeout=timeout_s * 1000)
    elapsed = time.monotonic() - start
    text = await answer.inner_text()
    if citation not in text:
        raise AssertionError(f"answer to {question[:40]!r} lacks {citation}")
    return elapsed


async def _session(browser, url: str, number: int, rounds: int, timeout_s: float, result: LevelResult) -> None:
    context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE")
    try:
        page = await context.new_page()
        # 20 Streamlit pages starting at once on 2 cores take longer than Playwright's 30 s default
        await page.goto(url, timeout=timeout_s * 1000)
        await page.get_by_test_id("stChatInput").locator("textarea").wait_for(timeout=timeout_s * 1000)
        for r in range(rounds):
            question, citation = QUESTIONS[(number + r) % len(QUESTIONS)]
            try:
                result.latencies.append(await _ask(page, question, citation, timeout_s))
            except Exception as exc:  # noqa: BLE001 - every failure is counted and named
                result.errors.append(f"session {number} round {r}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
                return
    except Exception as exc:  # noqa: BLE001
        result.errors.append(f"session {number} start: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    finally:
        await context.close()


async def _run(levels: list[int], rounds: int, timeout_s: float, settle_s: float) -> tuple[list[LevelResult], MemorySampler, float]:
    from playwright.async_api import async_playwright

    results: list[LevelResult] = []
    with tempfile.TemporaryDirectory() as tmp, served_app("warmup", Path(tmp) / "app.log") as app:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=harness.CHROMIUM, args=harness.CHROMIUM_ARGS)
            with MemorySampler(app, interval=1.0) as memory:
                warm = LevelResult(1)
                await _session(browser, app.url, 0, 1, 600, warm)  # waits for the warm-up to finish
                if warm.errors:
                    raise RuntimeError(f"warm-up answer failed: {warm.errors}")
                ready_rss = app.rss_mb()
                for level in levels:
                    await asyncio.sleep(settle_s)
                    result = LevelResult(level, rss_before=app.rss_mb())
                    t0 = time.monotonic()
                    mark = len(memory.samples)
                    await asyncio.gather(*(_session(browser, app.url, i, rounds, timeout_s, result) for i in range(level)))
                    result.seconds = time.monotonic() - t0
                    await asyncio.sleep(settle_s)  # closed sessions are dropped by the server
                    result.rss_after = app.rss_mb()
                    result.rss_peak = max((mb for _, mb in memory.samples[mark:]), default=result.rss_after)
                    results.append(result)
            await browser.close()
    return results, memory, ready_rss


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", type=int, nargs="+", default=[5, 10, 20])
    parser.add_argument("--rounds", type=int, default=3, help="questions per session")
    parser.add_argument("--answer-timeout", type=float, default=120.0, help="seconds per answer before it counts as an error")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds between levels")
    args = parser.parse_args()
    load_before = open("/proc/loadavg").read().split()[:3]
    results, memory, ready_rss = asyncio.run(_run(args.levels, args.rounds, args.answer_timeout, args.settle))
    load_after = open("/proc/loadavg").read().split()[:3]

    print(f"load benchmark: {args.rounds} questions per session, sessions concurrent, loopback; "
          f"load average before {' '.join(load_before)}, after {' '.join(load_after)}")
    print("| sessions | answers | errors | p50 s | p95 s | max s | wall s | RSS before MB | RSS peak MB | RSS after MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        lat = r.latencies
        print(f"| {r.sessions} | {len(lat)} | {len(r.errors)} | {statistics.median(lat) if lat else float('nan'):.2f} | "
              f"{_percentile(lat, 0.95):.2f} | {max(lat) if lat else float('nan'):.2f} | {r.seconds:.0f} | "
              f"{r.rss_before:.0f} | {r.rss_peak:.0f} | {r.rss_after:.0f} |")
    print(f"server RSS when warm (before the first level): {ready_rss:.0f} MB")
    print("server RSS over time (s since sampling began: MB), every 10th sample:")
    print("  " + ", ".join(f"{t:.0f}: {mb:.0f}" for t, mb in memory.samples[::10]))
    for r in results:
        for error in r.errors:
            print("  error:", error)


if __name__ == "__main__":
    main()
