"""StoredVectors: keyed by model, prompt and text; recomputes only what is missing; survives a restart."""

from __future__ import annotations

import numpy as np

from index.vector_cache import StoredVectors


class _CountingEmbedder:
    query_prompt = "query: "
    passage_prompt = "passage: "

    def __init__(self, model_name: str = "model-a"):
        self.model_name = model_name
        self.seen: list[str] = []

    def _vectors(self, texts, prompt):
        self.seen.extend(texts)
        return np.asarray([[len(prompt + t), float(sum(map(ord, t)) % 97), 1.0] for t in texts], dtype=np.float32)

    def embed_queries(self, texts):
        return self._vectors(texts, self.query_prompt)

    def embed_passages(self, texts):
        return self._vectors(texts, self.passage_prompt)


def test_only_missing_texts_are_embedded_and_a_new_process_reads_them(tmp_path):
    path = tmp_path / "vectors.npz"
    embedder = _CountingEmbedder()
    first = StoredVectors(path).embed(embedder, ["a", "bb"], "query")
    assert embedder.seen == ["a", "bb"]
    again = StoredVectors(path)  # as a fresh process would open it
    both = again.embed(embedder, ["bb", "ccc", "a"], "query")
    assert embedder.seen == ["a", "bb", "ccc"]
    assert np.array_equal(both[0], first[1]) and np.array_equal(both[2], first[0])


def test_other_prompt_or_model_is_a_miss(tmp_path):
    path = tmp_path / "vectors.npz"
    StoredVectors(path).embed(_CountingEmbedder(), ["a"], "query")
    as_passage = _CountingEmbedder()
    StoredVectors(path).embed(as_passage, ["a"], "passage")
    other_model = _CountingEmbedder("model-b")
    StoredVectors(path).embed(other_model, ["a"], "query")
    assert as_passage.seen == ["a"] and other_model.seen == ["a"]


def test_damaged_file_is_recomputed(tmp_path):
    path = tmp_path / "vectors.npz"
    path.write_bytes(b"not an npz")
    embedder = _CountingEmbedder()
    out = StoredVectors(path).embed(embedder, ["x"], "query")
    assert out.shape == (1, 3) and embedder.seen == ["x"]
    assert len(StoredVectors(path)) == 1
