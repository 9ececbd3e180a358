"""The stored refusal threshold (assistant/calibration.toml), overridable by settings."""

from __future__ import annotations

import tomllib
from pathlib import Path

from assistant.settings import Settings

CALIBRATION_PATH = Path(__file__).resolve().parent / "calibration.toml"


def stored_threshold() -> float:
    return float(tomllib.loads(CALIBRATION_PATH.read_text(encoding="utf-8"))["refusal_threshold"])


def refusal_threshold(settings: Settings) -> float:
    return settings.refusal_threshold if settings.refusal_threshold is not None else stored_threshold()


def stored_margins() -> tuple[float, float]:
    """(margin over the in-scope exemplars, margin over the best statute chunk) for the e5 scope test."""
    data = tomllib.loads(CALIBRATION_PATH.read_text(encoding="utf-8"))
    return float(data["out_of_scope_margin_exemplars"]), float(data["out_of_scope_margin_statute"])
