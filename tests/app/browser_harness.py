"""Start the real Streamlit app and an NGO host page on two distinct host names, and drive them with
Debian's Chromium through Python Playwright. Used by test_browser.py and benchmarks/cold_start.py.

Both names resolve to 127.0.0.1 only inside Chromium (`--host-resolver-rules`): the app is framed
cross-site from `http://ngo-site.test:PORT1/` to `http://chat-app.test:PORT2/?embed=true`, so host
and origin checks run as in production (localhost/127.0.0.1 would always be accepted).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_INSTALL = "apt-get update && apt-get install -y chromium"
HOST_SITE, APP_SITE = "ngo-site.test", "chat-app.test"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    f"--host-resolver-rules=MAP {HOST_SITE} 127.0.0.1, MAP {APP_SITE} 127.0.0.1",
]
APP_START_TIMEOUT_S = 180
ANSWER_TIMEOUT_MS = 180_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def settings_env(settings: object | None) -> dict[str, str]:
    """The environment that makes the app's `get_settings()` equal `settings` (AA_ variables)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AA_")}
    if settings is not None:
        for name, value in settings.model_dump(mode="json").items():  # type: ignore[attr-defined]
            if value is None:
                continue
            env[f"AA_{name.upper()}"] = json.dumps(value) if isinstance(value, (list, dict)) else str(value)
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class RunningApp:
    process: subprocess.Popen
    port: int
    started_at: float  # time.monotonic() just before launch
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://{APP_SITE}:{self.port}/?embed=true"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def running_app(settings: object | None, log_dir: Path) -> Iterator[RunningApp]:
    """`streamlit run app.py` with the shipped .streamlit/config.toml; stopped (whole process group) on exit."""
    port = free_port()
    log_path = log_dir / "streamlit.log"
    started = time.monotonic()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1"],
            cwd=REPO_ROOT,
            env=settings_env(settings),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    app = RunningApp(process, port, started, log_path)
    try:
        deadline = time.monotonic() + APP_START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode}:\n{app.log()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not become healthy in {APP_START_TIMEOUT_S}s:\n{app.log()}")
            time.sleep(0.3)
        yield app
    finally:
        stop_process_group(process)


def stop_process_group(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def host_page(app_url: str) -> bytes:
    """The shipped example page with its iframe pointed at the app under test."""
    html = (REPO_ROOT / "embed" / "host.html").read_text(encoding="utf-8")
    assert "https://chat.example.org/?embed=true" in html
    return html.replace("https://chat.example.org/?embed=true", app_url).replace('loading="lazy"', 'loading="eager"').encode()


@contextlib.contextmanager
def host_site(app_url: str) -> Iterator[str]:
    body = host_page(app_url)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            if self.path not in {"/", "/index.html"}:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST_SITE}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# --- driving the chat inside the iframe ------------------------------------------------------------
def chat_frame(page: object) -> object:
    return page.frame_locator("iframe.chat-frame")  # type: ignore[attr-defined]


def wait_for_chat(frame: object) -> None:
    frame.get_by_test_id("stChatInput").locator("textarea").wait_for(timeout=APP_START_TIMEOUT_S * 1000)  # type: ignore[attr-defined]


def ask(frame: object, question: str) -> object:
    """Type a question, wait until its answer is drawn; returns the locator of the answer message."""
    answers = frame.locator('[data-testid="stChatMessage"]:has([data-testid="stChatMessageAvatarAssistant"])')  # type: ignore[attr-defined]
    before = answers.count()
    box = frame.get_by_test_id("stChatInput").locator("textarea")  # type: ignore[attr-defined]
    box.fill(question)
    box.press("Enter")
    answer = answers.nth(before)
    # The feedback buttons are drawn last: once they are there, the whole answer is.
    answer.locator('[class*="st-key-feedback-"]').first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    return answer
