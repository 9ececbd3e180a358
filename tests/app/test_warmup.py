"""ui/warmup.py: the pipeline warm-up reports its steps, ends ready or with a named error, and the
launcher passes its arguments to `streamlit run` in the same process."""

from __future__ import annotations

import sys
import threading

import pytest

from ui import warmup


def test_progress_follows_the_steps_until_ready():
    release = threading.Event()
    reached_index = threading.Event()

    def load(advance):
        advance("libraries")
        advance("model")
        advance("index")
        reached_index.set()
        release.wait(10)
        advance("first answer")

    w = warmup._Warmup(load)
    assert w.status() == warmup.WarmupStatus(False, False, "", 0.0, "", 0.0)
    w.start()
    w.start()  # idempotent: one thread
    assert reached_index.wait(10)
    during = w.status()
    assert during.started and not during.ready and during.step == "index"
    assert 0.0 < during.fraction < 1.0
    assert not w.wait(timeout=0.05)
    release.set()
    assert w.wait(timeout=10)
    done = w.status()
    assert done.ready and done.step == "ready" and done.fraction == 1.0 and not done.error


def test_a_failed_warm_up_is_named_not_ready():
    def load(advance):
        advance("libraries")
        raise FileNotFoundError("no index at /nowhere; build it with `python -m ingest`")

    w = warmup._Warmup(load)
    assert w.wait(timeout=10)
    failed = w.status()
    assert not failed.ready and failed.error.startswith("FileNotFoundError: no index")


def test_every_interface_language_has_a_loading_label():
    from ui.text import languages

    assert set(languages()) <= set(warmup.LOADING_LABEL)


def test_launcher_runs_streamlit_with_the_given_arguments(monkeypatch):
    from streamlit.web import cli as streamlit_cli

    started, seen = [], []
    monkeypatch.setattr(warmup, "start", lambda: started.append(True))
    monkeypatch.setattr(streamlit_cli, "main", lambda: seen.append(list(sys.argv)))
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    warmup.main(["app.py", "--server.port", "8599"])
    assert started == [True]
    assert seen == [["streamlit", "run", "app.py", "--server.port", "8599"]]
