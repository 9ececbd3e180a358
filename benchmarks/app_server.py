"""Start the chat on loopback for the benchmarks, the way `make run` does, and watch its memory.

`served_app(launcher="warmup")` runs `python -m ui.warmup app.py ...` (pipeline built at server
start); `launcher="plain"` runs `streamlit run app.py` (pipeline built on the first visit), for
comparison. The server gets its own process group and is stopped with it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    process: subprocess.Popen
    port: int
    started_at: float  # time.monotonic() at launch
    healthy_at: float = 0.0
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def rss_mb(self) -> float:
        """Resident memory of the server process (MB), from /proc."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")


def command(launcher: str, port: int) -> list[str]:
    args = ["app.py", "--server.port", str(port), "--server.address", "127.0.0.1"]
    if launcher == "warmup":
        return [sys.executable, "-m", "ui.warmup", *args]
    if launcher == "plain":
        return [sys.executable, "-m", "streamlit", "run", *args]
    raise ValueError(f"launcher must be 'warmup' or 'plain', got {launcher!r}")


@contextlib.contextmanager
def served_app(launcher: str = "warmup", log_path: Path | None = None) -> Iterator[Served]:
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(REPO_ROOT)}
    log = open(log_path, "w") if log_path else subprocess.DEVNULL
    started = time.monotonic()
    process = subprocess.Popen(command(launcher, port), cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    served = Served(process, port, started, log_path=log_path)
    try:
        deadline = started + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the app exited with {process.returncode} (log: {log_path})")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{served.url}_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the app was not healthy within {START_TIMEOUT_S}s")
            time.sleep(0.2)
        served.healthy_at = time.monotonic()
        yield served
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if log is not subprocess.DEVNULL:
            log.close()


@dataclass
class MemorySampler:
    """Samples the server's RSS every `interval` seconds in a thread: [(seconds since start, MB)]."""

    served: Served
    interval: float = 1.0
    samples: list[tuple[float, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        t0 = time.monotonic()
        while not self._stop.is_set():
            self.samples.append((time.monotonic() - t0, self.served.rss_mb()))
            self._stop.wait(self.interval)

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
