"""The builtin model loaded from its snapshot is the model loaded from its folder."""

from __future__ import annotations

import numpy as np

from core.settings import get_settings
from index import embedder as embedder_module
from index.builtin_model import build_builtin_model


def test_snapshot_gives_identical_vectors_and_is_named_by_versions():
    settings = get_settings()
    path = build_builtin_model(settings)
    fresh = embedder_module._sentence_transformer(str(path), settings, local_files_only=True)
    embedder_module._save_snapshot(fresh, path, settings)
    snapshot = embedder_module._snapshot_path(path, settings)
    assert snapshot.exists() and "transformers" not in snapshot.name  # a hash, not a readable list
    loaded = embedder_module._load_snapshot(path, settings)
    assert loaded is not None
    texts = ["query: Wie lange gilt eine Duldung?", "passage: § 60a Vorübergehende Aussetzung der Abschiebung", "query: هل يحق لي"]
    assert np.array_equal(
        fresh.encode(texts, normalize_embeddings=True, convert_to_numpy=True),
        loaded.encode(texts, normalize_embeddings=True, convert_to_numpy=True),
    )


def test_damaged_snapshot_falls_back(tmp_path, monkeypatch):
    settings = get_settings()
    path = build_builtin_model(settings)
    monkeypatch.setattr(embedder_module, "_snapshot_path", lambda p, s: tmp_path / "broken.pt")
    (tmp_path / "broken.pt").write_bytes(b"not a torch file")
    assert embedder_module._load_snapshot(path, settings) is None
