"""The layer contract (pyproject.toml, [tool.importlinter]): every import points down.

    ui | evals  ->  assistant  ->  ingest | rules  ->  index  ->  core
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from importlinter.cli import lint_imports

REPO_ROOT = Path(__file__).resolve().parent.parent
NOT_LAYERED = {"tests", "benchmarks"}  # they may import anything


def _config() -> dict:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def test_every_package_has_a_layer():
    """A new top-level package cannot escape the contract by not being named in it."""
    packages = {p.parent.name for p in REPO_ROOT.glob("*/__init__.py")} - NOT_LAYERED
    config = _config()
    layered = {name.strip() for layer in config["contracts"][0]["layers"] for name in layer.split("|")}
    assert set(config["root_packages"]) == packages
    assert layered == packages


def test_imports_follow_the_layer_contract(capsys, monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    exit_code = lint_imports(config_filename=str(REPO_ROOT / "pyproject.toml"), no_cache=True)
    report = capsys.readouterr().out
    assert exit_code == 0, report
    assert "Every import points down KEPT" in report
