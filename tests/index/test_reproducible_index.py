"""The persisted index gives the same dense top-k in every process, and the vectors a fresh process
used to recompute (provision titles) are stored with it."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from index.store import POINTER_FILE
from index.vector_cache import provision_title_texts

# a reader that opens the version folder with plain chromadb (no model), queries, prints the ids
_READER = """
import json, sys, chromadb
path, name, queries = sys.argv[1], sys.argv[2], json.loads(sys.stdin.read())
client = chromadb.PersistentClient(path=path, settings=chromadb.Settings(anonymized_telemetry=False))
got = client.get_collection(name, embedding_function=None).query(query_embeddings=queries, n_results=10, include=[])
print(json.dumps(got["ids"]))
"""


def _query_vectors(live_index, count: int = 25) -> list[list[float]]:
    """Deterministic queries near the data: normalised sums of three stored chunk embeddings."""
    got = live_index.collection.get(include=["embeddings"], limit=300)
    vectors = np.asarray(got["embeddings"], dtype=np.float32)
    rng = np.random.default_rng(12)
    out = []
    for _ in range(count):
        v = vectors[rng.choice(len(vectors), 3, replace=False)].sum(axis=0)
        out.append((v / np.linalg.norm(v)).tolist())
    return out


def _top_ids_in_fresh_process(indexed_settings, queries) -> list[list[str]]:
    root = indexed_settings.resolved_index_dir
    version = json.loads((root / POINTER_FILE).read_text())["current"]
    done = subprocess.run(
        [sys.executable, "-c", _READER, str(root / version), indexed_settings.collection_name],
        input=json.dumps(queries), capture_output=True, text=True, timeout=300, check=True,
    )
    return json.loads(done.stdout)


def test_two_processes_get_identical_dense_top_k(indexed_settings, live_index):
    queries = _query_vectors(live_index)
    first = _top_ids_in_fresh_process(indexed_settings, queries)
    second = _top_ids_in_fresh_process(indexed_settings, queries)
    assert len(first) == len(queries) and all(len(ids) == 10 for ids in first)
    differing = [i for i, (a, b) in enumerate(zip(first, second)) if a != b]
    assert not differing, f"{len(differing)} of {len(queries)} queries got other top-10 ids in the second process"


def test_whole_hnsw_graph_is_persisted(indexed_settings, live_index):
    """Chroma's persisted graph holds one length entry (4 bytes) per record; records missing there
    would be replayed from the write-ahead log in a process-dependent order."""
    root = indexed_settings.resolved_index_dir / live_index.version
    (segment,) = [p for p in root.iterdir() if p.is_dir()]
    assert (segment / "length.bin").stat().st_size == 4 * live_index.collection.count()


class _NoModel:
    model_name = "never-loaded"
    query_prompt = "query: "
    passage_prompt = "passage: "

    def embed_passages(self, texts):  # pragma: no cover - the test fails if reached
        raise AssertionError(f"{len(texts)} provision titles were not stored at ingest")

    embed_queries = embed_passages


def test_ingest_stored_every_provision_title_vector(indexed_settings, live_index):
    from index.embedder import get_embedder

    embedder = get_embedder(indexed_settings)
    _provisions, titles = provision_title_texts(live_index.all_chunks())
    assert len(titles) > 100
    stand_in = _NoModel()
    stand_in.model_name, stand_in.passage_prompt = embedder.model_name, embedder.passage_prompt
    stored = live_index.stored_vectors.embed(stand_in, titles, "passage")
    fresh = embedder.embed_passages(titles[:5])
    assert np.allclose(stored[:5], fresh, atol=1e-4)
