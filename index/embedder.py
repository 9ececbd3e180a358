"""Sentence embeddings for queries and statute passages, shared by ingest, retrieval, app and evals.

``get_embedder(settings)`` returns one cached :class:`Embedder` per model configuration. With
the default ``settings.embedding_model == BUILTIN_E5`` the model is the offline-built
multilingual-e5-small folder (see ``index/builtin_model.py``); any other value is passed to
``SentenceTransformer`` as a name or path, with the prompts taken from settings.

e5 models are trained with "query: " / "passage: " prefixes; using the wrong one (or none)
measurably hurts retrieval, so callers pick a method, never a prompt string.
"""

from __future__ import annotations

import threading
from pathlib import Path
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from core.settings import BUILTIN_E5, Settings, get_settings
from index.builtin_model import build_builtin_model, set_offline_env

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

CHROMA_FUNCTION_NAME = "aufenthalt-sentence-transformer"


class EmbeddingModelError(RuntimeError):
    """The configured embedding model cannot be loaded."""


def _check_texts(texts: Any, what: str) -> list[str]:
    if isinstance(texts, str):
        raise TypeError(f"{what} expects a list of strings, got a single string; wrap it in a list")
    texts = list(texts)
    for index, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"{what}: item {index} is {type(text).__name__}, expected str")
    return texts


class Embedder:
    """A loaded sentence-transformers model plus the prompts and batch size from settings."""

    def __init__(self, model: SentenceTransformer, model_name: str, settings: Settings):
        self._model = model
        self._lock = threading.Lock()  # torch inference from several Streamlit threads at once is slower, not faster
        self.model_name = model_name
        self.query_prompt = settings.query_prompt
        self.passage_prompt = settings.passage_prompt
        self.batch_size = settings.embedding_batch_size
        self.max_seq_length = int(model.max_seq_length)
        self.dimension = int(model.get_embedding_dimension())

    @property
    def model(self) -> SentenceTransformer:
        return self._model

    def _encode(self, texts: list[str], prompt: str, show_progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                texts,
                prompt=prompt,
                batch_size=self.batch_size,
                show_progress_bar=show_progress,
                convert_to_numpy=True,
                normalize_embeddings=True,  # also for arbitrary models without a Normalize module
            )
        return np.asarray(vectors, dtype=np.float32)

    def embed_queries(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """L2-normalised float32 [n, dimension] for search questions (``settings.query_prompt``)."""
        return self._encode(_check_texts(texts, "embed_queries"), self.query_prompt, show_progress)

    def embed_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """L2-normalised float32 [n, dimension] for indexed text (``settings.passage_prompt``)."""
        return self._encode(_check_texts(texts, "embed_passages"), self.passage_prompt, show_progress)

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for ``text`` as a passage (incl. prompt and specials), before truncation."""
        return len(self._model.tokenizer(self.passage_prompt + text, add_special_tokens=True)["input_ids"])

    def as_langchain(self):
        """A ``langchain_core.embeddings.Embeddings`` view: documents -> passages, query -> query."""
        return _langchain_class()(self)

    def as_chroma(self):
        """A chromadb ``EmbeddingFunction``: ``__call__`` embeds documents, ``embed_query`` queries."""
        return _chroma_class()(self)

    @cached_property
    def config(self) -> dict[str, Any]:
        return {
            "model_name": self.model_name,
            "query_prompt": self.query_prompt,
            "passage_prompt": self.passage_prompt,
            "max_seq_length": self.max_seq_length,
        }

    def __repr__(self) -> str:
        return f"Embedder({self.model_name!r}, dimension={self.dimension}, max_seq_length={self.max_seq_length})"


# ----------------------------------------------------------------------------- loading
_cache: dict[tuple, Embedder] = {}
_cache_lock = threading.Lock()


def _cache_key(settings: Settings) -> tuple:
    return (
        settings.embedding_model,
        str(settings.builtin_model_dir) if settings.embedding_model == BUILTIN_E5 else None,
        settings.device,
        settings.embedding_max_seq_length,
        settings.query_prompt,
        settings.passage_prompt,
        settings.embedding_batch_size,
    )


def get_embedder(settings: Settings | None = None) -> Embedder:
    """The embedder for ``settings`` (loaded once per process and configuration)."""
    settings = settings or get_settings()
    key = _cache_key(settings)
    with _cache_lock:
        embedder = _cache.get(key)
        if embedder is None:
            embedder = _cache[key] = _load(settings)
        return embedder


def _load(settings: Settings) -> Embedder:
    if settings.embedding_max_seq_length < 8:
        raise EmbeddingModelError(f"embedding_max_seq_length={settings.embedding_max_seq_length} is too small")
    if settings.embedding_model == BUILTIN_E5:
        set_offline_env()  # before sentence_transformers/huggingface_hub read it
        path = build_builtin_model(settings)
        model = _load_snapshot(path, settings)
        if model is None:
            model = _sentence_transformer(str(path), settings, local_files_only=True)
            _save_snapshot(model, path, settings)
    else:
        model = _sentence_transformer(settings.embedding_model, settings, local_files_only=False)
    limit = getattr(model.tokenizer, "model_max_length", None) or settings.embedding_max_seq_length
    model.max_seq_length = min(settings.embedding_max_seq_length, int(limit))
    return Embedder(model, settings.embedding_model, settings)


# A fresh process spent ~10 s of CPU building the XLM-R tokenizer from tokenizer.json (17 MB, parsed
# several times by transformers) and ~1 s on the rest of the model. The loaded builtin model is
# therefore kept as a torch snapshot beside its folder and loaded in ~1.5 s. The snapshot is our own
# file in our own cache (never downloaded), named by everything that shapes the loaded object; any
# failure to read it falls back to the normal load, which rewrites it.
SNAPSHOT_PREFIX = "loaded-"


def _snapshot_path(path: Path, settings: Settings) -> Path:
    import hashlib
    import importlib.metadata as md

    build = path / "aufenthalt-model-build.json"
    parts = [
        build.read_text(encoding="utf-8") if build.exists() else "",
        *(f"{name}={md.version(name)}" for name in ("torch", "transformers", "sentence-transformers", "tokenizers")),
        str(settings.device),
        *(f"{f.name}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in sorted(path.glob("*.json")) + [path / "model.safetensors"] if f.exists()),
    ]
    return path.parent / f"{path.name}.{SNAPSHOT_PREFIX}{hashlib.sha256(chr(0).join(parts).encode()).hexdigest()[:16]}.pt"


def _load_snapshot(path: Path, settings: Settings) -> SentenceTransformer | None:
    import torch

    try:
        snapshot = _snapshot_path(path, settings)
        if not snapshot.exists():
            return None
        model = torch.load(snapshot, weights_only=False, map_location=settings.device)
        model.eval()
        return model
    except Exception:  # noqa: BLE001 - a stale or damaged snapshot: load normally and rewrite it
        return None


def _save_snapshot(model: SentenceTransformer, path: Path, settings: Settings) -> None:
    import os

    import torch

    try:
        snapshot = _snapshot_path(path, settings)
        for old in path.parent.glob(f"{path.name}.{SNAPSHOT_PREFIX}*.pt"):
            old.unlink(missing_ok=True)  # older library versions: never read again
        tmp = snapshot.with_name(f".{snapshot.name}.{os.getpid()}.tmp")
        torch.save(model, tmp)
        os.replace(tmp, snapshot)
    except Exception:  # noqa: BLE001 - read-only cache or unpicklable model: load normally next time
        pass


def _sentence_transformer(name: str, settings: Settings, local_files_only: bool) -> SentenceTransformer:
    from sentence_transformers import SentenceTransformer

    try:
        model = SentenceTransformer(
            name, device=settings.device, trust_remote_code=False, local_files_only=local_files_only
        )
    except Exception as error:  # noqa: BLE001 - many loader errors; one clear message
        raise EmbeddingModelError(
            f"could not load embedding model {name!r} ({type(error).__name__}: {error}). "
            f"Check AA_EMBEDDING_MODEL, or use the builtin `{BUILTIN_E5}` (`python -m ingest build-model`)."
        ) from error
    model.eval()
    return model


# ----------------------------------------------------------------------------- adapters
_adapter_lock = threading.Lock()
_adapter_classes: dict[str, type] = {}


def _langchain_class() -> type:
    with _adapter_lock:
        if "langchain" not in _adapter_classes:
            from langchain_core.embeddings import Embeddings

            class LangchainEmbeddings(Embeddings):
                def __init__(self, embedder: Embedder):
                    self.embedder = embedder

                def embed_documents(self, texts: list[str]) -> list[list[float]]:
                    return self.embedder.embed_passages(texts).tolist()

                def embed_query(self, text: str) -> list[float]:
                    return self.embedder.embed_queries([text])[0].tolist()

            _adapter_classes["langchain"] = LangchainEmbeddings
        return _adapter_classes["langchain"]


def _chroma_class() -> type:
    with _adapter_lock:
        if "chroma" not in _adapter_classes:
            from chromadb.api.types import Documents, EmbeddingFunction
            from chromadb.utils.embedding_functions import register_embedding_function

            class ChromaEmbeddingFunction(EmbeddingFunction[Documents]):
                def __init__(self, embedder: Embedder):
                    self.embedder = embedder

                def __call__(self, input: Documents) -> list[np.ndarray]:
                    return list(self.embedder.embed_passages(list(input)))

                def embed_query(self, input: Documents) -> list[np.ndarray]:
                    return list(self.embedder.embed_queries(list(input)))

                @staticmethod
                def name() -> str:
                    return CHROMA_FUNCTION_NAME

                def default_space(self) -> str:
                    return "cosine"

                def supported_spaces(self) -> list[str]:
                    return ["cosine", "ip", "l2"]

                def get_config(self) -> dict[str, Any]:
                    return dict(self.embedder.config)

                @staticmethod
                def build_from_config(config: dict[str, Any]) -> ChromaEmbeddingFunction:
                    base = get_settings()
                    settings = base.model_copy(update={
                        "embedding_model": config.get("model_name", base.embedding_model),
                        "query_prompt": config.get("query_prompt", base.query_prompt),
                        "passage_prompt": config.get("passage_prompt", base.passage_prompt),
                        "embedding_max_seq_length": config.get("max_seq_length", base.embedding_max_seq_length),
                    })
                    return ChromaEmbeddingFunction(get_embedder(settings))

                def validate_config_update(self, old_config: dict[str, Any], new_config: dict[str, Any]) -> None:
                    if old_config.get("model_name") != new_config.get("model_name"):
                        raise ValueError("the embedding model of an existing collection cannot change; re-ingest instead")

            register_embedding_function(ChromaEmbeddingFunction)
            _adapter_classes["chroma"] = ChromaEmbeddingFunction
        return _adapter_classes["chroma"]
