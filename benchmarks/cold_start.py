"""Cold start of the chat: server launched -> first answer drawn in the browser.

Starts the app on loopback the way `make run` does (`python -m ui.warmup app.py`: the pipeline is
built at server start), opens it in headless Debian Chromium AS SOON AS the server is healthy, asks
one question and times the stages. `--launcher plain` measures plain `streamlit run app.py` (the
pipeline built on the first visit) for comparison. Target: first answer <= 10 s after launch.

    .venv/bin/python benchmarks/cold_start.py [--runs 1] [--launcher warmup|plain] [--question "..."]

Needs `apt-get install -y chromium` and a built index (`make index`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO_ROOT), str(REPO_ROOT / "benchmarks"), str(REPO_ROOT / "tests" / "app")]

import browser_harness as harness  # noqa: E402
from app_server import served_app  # noqa: E402

QUESTION = "Welche Voraussetzungen hat eine Beschäftigungsduldung nach § 60d AufenthG?"
CITATION = "60d"


def one_run(question: str, citation: str, launcher: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, served_app(launcher, Path(tmp) / "app.log") as app:
        with harness.chromium() as browser:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(app.url)
            box = page.get_by_test_id("stChatInput").locator("textarea")
            box.wait_for(timeout=harness.ANSWER_TIMEOUT_MS)
            page_drawn = time.monotonic() - app.started_at
            answer = harness.ask(page, question)  # typed at once: must wait for the warm-up, not be lost
            first_answer = time.monotonic() - app.started_at
            if citation not in answer.inner_text():
                raise AssertionError(f"the first answer does not cite {citation}")
            start = time.monotonic()
            harness.ask(page, question)
            warm_answer = time.monotonic() - start
    return {
        "server_healthy_s": app.healthy_at - app.started_at,
        "page_drawn_s": page_drawn,
        "first_answer_s": first_answer,
        "warm_answer_s": warm_answer,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--launcher", choices=["warmup", "plain"], default="warmup")
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument("--citation", default=CITATION, help="text the first answer must contain")
    args = parser.parse_args()
    results = [one_run(args.question, args.citation, args.launcher) for _ in range(args.runs)]
    with open("/proc/loadavg") as f:
        load = f.read().split()[:3]
    print(f"cold start ({args.launcher} launcher), {args.runs} run(s), seconds since launch (median); load average {' '.join(load)}")
    for key in results[0]:
        values = [r[key] for r in results]
        print(f"  {key:18s} {statistics.median(values):6.1f}   (runs: {', '.join(f'{v:.1f}' for v in values)})")


if __name__ == "__main__":
    main()
