"""`python -m ingest` lists the entries that need review, through the entry point group
`aufenthalt_assistant.after_ingest` (ingest never imports knowledge); CI lists them too."""

from __future__ import annotations

import sys
import tomllib

import pytest

from core.settings import REPO_ROOT
from ingest.cli import AFTER_INGEST_GROUP, _run_after_ingest_hooks, after_ingest_hooks
from knowledge.loader import DATA_DIR, load_entries
from knowledge.service import after_ingest, review_needed


def test_pyproject_registers_the_knowledge_hook_and_ingest_finds_it():
    declared = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    assert declared[AFTER_INGEST_GROUP] == {"knowledge_review": "knowledge.service:after_ingest"}
    hooks = after_ingest_hooks()
    assert hooks["knowledge_review"].load() is after_ingest


def test_ingest_discovers_an_installed_hook_by_its_group(tmp_path, monkeypatch, capsys):
    """A distribution on sys.path that registers a hook is run after the build; its lines are printed."""
    dist = tmp_path / "after_ingest_probe-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: after-ingest-probe\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(f"[{AFTER_INGEST_GROUP}]\nprobe = after_ingest_probe:report\n", encoding="utf-8")
    (tmp_path / "after_ingest_probe.py").write_text(
        "def report(settings):\n    return [f'probe saw settings {settings!r}']\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("ingest.cli.after_ingest_hooks",
                        lambda: {k: v for k, v in after_ingest_hooks().items() if k == "probe"})
    assert "probe" in after_ingest_hooks()
    lines = _run_after_ingest_hooks("SETTINGS")
    assert lines == ["probe saw settings 'SETTINGS'"]
    assert "probe saw settings 'SETTINGS'" in capsys.readouterr().out
    sys.modules.pop("after_ingest_probe", None)


def test_a_failing_hook_is_reported_not_fatal(monkeypatch, capsys):
    class Broken:
        def load(self):
            def hook(settings):
                raise RuntimeError("no index")
            return hook

    monkeypatch.setattr("ingest.cli.after_ingest_hooks", lambda: {"broken": Broken()})
    assert _run_after_ingest_hooks(None) == []
    assert "after-ingest hook broken failed: RuntimeError: no index" in capsys.readouterr().err


def test_knowledge_hook_on_the_live_index_reports_nothing_for_the_current_statute(indexed_settings):
    assert after_ingest(indexed_settings) == []


def test_ci_lists_the_entries_that_need_review(statute):
    """Fails naming every entry whose pinned statute sentence changed or vanished."""
    needs = review_needed(statute, load_entries([DATA_DIR]).entries)
    assert needs == [], "entries that need review:\n" + "\n".join(f"- {s.entry_id}: {'; '.join(s.reasons)}" for s in needs)
