from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import get_settings


@pytest.fixture(scope="session")
def shared_rule_cases() -> Path:
    path = get_settings().shared_dir / "evals" / "rule_cases.jsonl"
    if not path.exists():
        pytest.skip(f"shared dev set not found at {path}")
    return path
