"""Build the answering pipeline when the server starts, not on the first visit.

    python -m ui.warmup app.py --server.port 8501     (what `make run` does)

starts Streamlit's own server (`streamlit run ...`, same arguments) in this process and, in a
background thread of the same process, loads the embedding model, the index and the keyword
index and answers one fixed question. Streamlit 1.67 has no documented server-start hook, so the
launcher is the hook; the app shares this module's state because it runs in the same process.

The page asks `status()` and shows the progress while the pipeline is not ready
(`render_progress`); a question typed meanwhile is kept by Streamlit's chat input and answered as
soon as `wait_until_ready()` returns. Under plain `streamlit run app.py` the app calls `start()`
on the first visit instead (the old behaviour, with progress).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

WARM_QUESTION = "Was ist eine Duldung?"
# shown while the pipeline loads (the interface languages of ui/strings.toml)
LOADING_LABEL = {
    "de": "Der Assistent startet … Ihre Frage wird beantwortet, sobald er bereit ist.",
    "en": "The assistant is starting … your question will be answered as soon as it is ready.",
    "ar": "المساعد قيد التشغيل … سيتم الرد على سؤالك فور جاهزيته.",
    "fa": "دستیار در حال راه‌اندازی است … به محض آماده شدن به پرسش شما پاسخ داده می‌شود.",
    "uk": "Асистент запускається … на ваше запитання буде дано відповідь, щойно він буде готовий.",
    "tr": "Asistan başlatılıyor … hazır olur olmaz sorunuz yanıtlanacak.",
    "ru": "Ассистент запускается … на ваш вопрос будет дан ответ, как только он будет готов.",
}
# (step name, share of the warm-up time it takes, measured on the 2-core box)
STEPS = (("libraries", 0.35), ("model", 0.25), ("index", 0.30), ("first answer", 0.10))


@dataclass(frozen=True)
class WarmupStatus:
    started: bool
    ready: bool
    step: str  # the step being done now ("" before start, "ready" when done)
    fraction: float  # 0..1
    error: str  # "" unless the warm-up failed (the app then loads on demand and shows its error)
    seconds: float


def _load_pipeline(advance: Callable[[str], None]) -> None:
    """The real warm-up: what the first question would otherwise pay for, step by step."""
    advance("libraries")
    from core.settings import get_settings
    from index.embedder import get_embedder

    settings = get_settings()
    advance("model")
    get_embedder(settings)
    advance("index")
    from assistant.pipeline import ask, get_pipeline

    get_pipeline(settings)
    advance("first answer")
    ask(WARM_QUESTION, settings=settings)


class _Warmup:
    def __init__(self, load: Callable[[Callable[[str], None]], None] = _load_pipeline) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._step = ""
        self._fraction = 0.0
        self._error = ""
        self._started_at = 0.0
        self._seconds = 0.0

    def start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._started_at = time.monotonic()
            self._thread = threading.Thread(target=self._run, name="pipeline-warmup", daemon=True)
            self._thread.start()

    def _advance(self, step: str) -> None:
        names = [name for name, _ in STEPS]
        self._fraction = sum(share for _, share in STEPS[: names.index(step)])
        self._step = step

    def _run(self) -> None:
        try:
            self._load(self._advance)
            self._step, self._fraction = "ready", 1.0
        except Exception as exc:  # noqa: BLE001 - reported on the page; the app retries on demand
            self._error = f"{type(exc).__name__}: {exc}"
        finally:
            self._seconds = time.monotonic() - self._started_at
            self._done.set()

    def status(self) -> WarmupStatus:
        return WarmupStatus(
            started=self._thread is not None,
            ready=self._done.is_set() and not self._error,
            step=self._step,
            fraction=self._fraction,
            error=self._error,
            seconds=self._seconds if self._done.is_set() else (time.monotonic() - self._started_at if self._thread else 0.0),
        )

    def wait(self, timeout: float | None = None) -> bool:
        self.start()
        return self._done.wait(timeout)


_WARMUP = _Warmup()


def start() -> None:
    """Start warming in the background (idempotent, per process)."""
    _WARMUP.start()


def status() -> WarmupStatus:
    return _WARMUP.status()


def wait_until_ready(timeout: float | None = None) -> bool:
    """Block until the warm-up finished (ready or failed); False on timeout."""
    return _WARMUP.wait(timeout)


def render_progress(lang: str, poll_seconds: float = 0.4) -> None:
    """While warming: a progress bar that follows the steps, removed when ready. Streamlit stops
    this loop at once when the visitor sends a question (the rerun then waits in `load_assistant`)."""
    import streamlit as st

    start()
    if _WARMUP.status().ready or _WARMUP.status().error:
        return
    slot = st.empty()
    while True:
        now = _WARMUP.status()
        if now.ready or now.error:
            slot.empty()
            return
        slot.progress(min(max(now.fraction, 0.02), 0.98), text=LOADING_LABEL.get(lang, LOADING_LABEL["en"]))
        time.sleep(poll_seconds)


def main(argv: list[str] | None = None) -> None:
    """`python -m ui.warmup <streamlit run arguments>`: warm in the background, serve in front."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        args = ["app.py"]
    start()
    from streamlit.web import cli as streamlit_cli

    sys.argv = ["streamlit", "run", *args]
    streamlit_cli.main()


if __name__ == "__main__":
    # run the imported module's main: the app imports `ui.warmup`, and must see the same state
    from ui import warmup as _shared

    _shared.main()
