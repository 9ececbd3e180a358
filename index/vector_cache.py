"""Vectors of texts other than chunks (provision titles, scope exemplars), stored with the index.

A fresh process used to spend ~30 s re-embedding every provision title and every scope exemplar
before it could answer. Those vectors now live beside the index version they were computed for
(local: ``<index_dir>/<version>/vectors.npz``; Chroma server: ``<cache_dir>/vectors/<collection>.npz``),
keyed by sha256(model, prompt, text): a changed text, prompt or model is simply a miss, embedded
and written back, so nothing stale is ever read and only what changed is recomputed.

Ingest fills the provision titles (`provision_title_texts`) before it publishes a version; texts
only the answering layer knows (the scope exemplars) are embedded by the first process that needs
them and written back, so every later process loads them.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any, Literal

import numpy as np

from core.chunk import Chunk

VECTORS_FILE = "vectors.npz"
Kind = Literal["query", "passage"]


def vector_key(model_name: str, prompt: str, text: str) -> str:
    return hashlib.sha256("\x00".join((model_name, prompt, text)).encode("utf-8")).hexdigest()


def provision_title_texts(chunks: list[Chunk]) -> tuple[list[str], list[str]]:
    """(provisions, their headings "German title / English title"), sorted by provision.

    A compact topic description that e5 matches across languages where the statute body, long and
    technical, is too far from an everyday question. Used by retrieval and precomputed by ingest, so
    both must build exactly this text."""
    ordered = sorted(chunks, key=lambda c: c.chunk_id)
    german: dict[str, str] = {}
    english: dict[str, str] = {}
    for c in ordered:
        if c.source_kind == "statute" and c.in_force and c.provision:
            german.setdefault(c.provision, c.title)
        elif c.source_kind == "statute_translation" and c.provision and c.title:
            english.setdefault(c.provision, c.title)
    provisions = sorted(german)
    texts = [" / ".join(x for x in (german[p], english.get(p, "")) if x) for p in provisions]
    return provisions, texts


class StoredVectors:
    """The vector file of one index version; thread-safe; writes are atomic (tmp + os.replace)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._vectors: dict[str, np.ndarray] | None = None

    def _load(self) -> dict[str, np.ndarray]:
        if self._vectors is None:
            self._vectors = _read(self.path)
        return self._vectors

    def __len__(self) -> int:
        with self._lock:
            return len(self._load())

    def embed(self, embedder: Any, texts: list[str], kind: Kind) -> np.ndarray:
        """Vectors of `texts` as `embedder.embed_queries` / `embed_passages` gives them; only the
        texts not stored yet are embedded (and then stored)."""
        prompt = embedder.query_prompt if kind == "query" else embedder.passage_prompt
        keys = [vector_key(embedder.model_name, prompt or "", t) for t in texts]
        with self._lock:
            stored = self._load()
            missing = [i for i, k in enumerate(keys) if k not in stored]
            if missing:
                embed = embedder.embed_queries if kind == "query" else embedder.embed_passages
                fresh = np.asarray(embed([texts[i] for i in missing]), dtype=np.float32)
                for i, vector in zip(missing, fresh):
                    stored[keys[i]] = vector
                self._write(stored)
            if not texts:
                return np.zeros((0, 0), dtype=np.float32)
            return np.stack([stored[k] for k in keys])

    def _write(self, stored: dict[str, np.ndarray]) -> None:
        """Merge with what another process may have written meanwhile, then replace atomically."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            merged = {**_read(self.path), **stored}
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            keys = sorted(merged)
            with open(tmp, "wb") as handle:
                np.savez(handle, keys=np.asarray(keys), vectors=np.stack([merged[k] for k in keys]))
            os.replace(tmp, self.path)
            self._vectors = merged
        except OSError:
            pass  # a read-only index folder: the vectors stay in memory for this process


def _read(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as data:
            return {str(k): v for k, v in zip(data["keys"], data["vectors"])}
    except (FileNotFoundError, ValueError, KeyError, OSError):
        return {}  # missing or damaged: recomputed and rewritten


def embed_stored(embedder: Any, texts: list[str], kind: Kind, index: Any) -> np.ndarray:
    """`embedder`'s vectors of `texts`, from `index.stored_vectors` when the index has it."""
    stored = getattr(index, "stored_vectors", None)
    if isinstance(stored, StoredVectors) and hasattr(embedder, "model_name"):
        return stored.embed(embedder, texts, kind)
    embed = embedder.embed_queries if kind == "query" else embedder.embed_passages
    return np.asarray(embed(texts))
