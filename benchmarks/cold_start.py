"""Cold start of the chat: `streamlit run app.py` launched -> first answer drawn in the browser.

Runs the real app (shipped config, real pipeline and index from the current settings, i.e. the
AA_* environment) framed cross-site by embed/host.html in headless Debian Chromium, exactly as the
browser test does, and prints the stages:

    .venv/bin/python benchmarks/cold_start.py [--runs 1] [--question "..."]

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
sys.path[:0] = [str(REPO_ROOT), str(REPO_ROOT / "tests" / "app")]

import browser_harness as harness  # noqa: E402

from core.settings import get_settings  # noqa: E402


def one_run(question: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        with harness.running_app(get_settings(), Path(tmp)) as app:
            healthy = time.monotonic() - app.started_at
            with harness.host_site(app.url) as host_url, harness.chromium() as browser:
                page = browser.new_page(viewport={"width": 1280, "height": 1000})
                page.goto(host_url)
                frame = harness.chat_frame(page)
                harness.wait_for_chat(frame)
                page_drawn = time.monotonic() - app.started_at
                harness.ask(frame, question)
                first_answer = time.monotonic() - app.started_at
                start = time.monotonic()
                harness.ask(frame, question)
                warm_answer = time.monotonic() - start
    return {"server_healthy_s": healthy, "page_drawn_s": page_drawn, "first_answer_s": first_answer, "warm_answer_s": warm_answer}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--question", default="Welche Voraussetzungen hat eine Beschäftigungsduldung nach § 60d AufenthG?")
    args = parser.parse_args()
    results = [one_run(args.question) for _ in range(args.runs)]
    print(f"cold start over {args.runs} run(s), seconds since `streamlit run` (median):")
    for key in results[0]:
        values = [r[key] for r in results]
        print(f"  {key:18s} {statistics.median(values):6.1f}   (runs: {', '.join(f'{v:.1f}' for v in values)})")


if __name__ == "__main__":
    main()
