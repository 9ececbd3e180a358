"""Shared fixtures. `indexed_settings`: Settings whose index holds the FULL real corpus.

The test index lives in `<cache_dir>/test-index` (persistent, outside the repository). It is
built once per machine, reusing the default index's embeddings for identical chunks, and
afterwards only checked: an unchanged corpus costs well under a second.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # works whatever --rootdir or cwd pytest was started with
    sys.path.insert(0, str(REPO_ROOT))


@pytest.fixture(scope="session")
def indexed_settings():
    from core.settings import get_settings
    from ingest.pipeline import run_ingest

    base = get_settings()
    settings = base.model_copy(update={"index_dir": base.cache_dir / "test-index"})
    run_ingest(settings, reuse_from=[base])
    return settings


@pytest.fixture(scope="session")
def live_index(indexed_settings):
    from index.store import open_index

    return open_index(indexed_settings)
