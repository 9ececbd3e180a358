"""Every knob of the product: one pydantic-settings class made of described groups.

Values come from the environment (prefix ``AA_``, e.g. ``AA_EMBEDDING_MODEL``) or a ``.env``
file; nested names use ``__``. Every layer (index, ingest, assistant, ui,
evals) reads the same object via ``get_settings()``; it lives in `core`, below all of them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
# Marker for the embedded default model, built once from PyPI wheels (see index/builtin_model.py).
BUILTIN_E5 = "builtin:multilingual-e5-small"


def _default_cache_dir() -> Path:
    return Path.home() / ".cache" / "aufenthalt-assistant"


class SourceSettings(BaseModel):
    """Where the statute texts and guides are read from."""

    manifest_path: Path = Field(REPO_ROOT / "corpus" / "sources.toml", description="source manifest")
    # Third-party texts are read from here (never copied into the repo); `{shared}` in the manifest.
    shared_dir: Path = Field(REPO_ROOT.parent / "shared", description="folder holding corpus/ and seeds/")
    fetch_laws: list[str] = Field(["aufenthg_2004", "aufenthv"], description="gesetze-im-internet.de slugs for `ingest fetch`")
    fetch_base_url: str = Field("https://www.gesetze-im-internet.de", description="where `ingest fetch` downloads the official XML")


class StorageSettings(BaseModel):
    """Where the models and the index live (a local folder, or a Chroma server)."""

    cache_dir: Path = Field(default_factory=_default_cache_dir, description="models and the local index live here")
    index_dir: Path | None = Field(None, description="Chroma persistent folder; default <cache_dir>/index")
    collection_name: str = Field("aufenthaltsrecht", description="Chroma collection name (versions get a suffix)")
    chroma_host: str | None = Field(None, description="use a Chroma server (HttpClient) instead of local disk")
    chroma_port: int = Field(8000, description="port of the Chroma server when chroma_host is set")

    @property
    def resolved_index_dir(self) -> Path:
        return self.index_dir or (self.cache_dir / "index")

    @property
    def builtin_model_dir(self) -> Path:
        return self.cache_dir / "models" / "multilingual-e5-small"


class EmbeddingSettings(BaseModel):
    """The e5 embedding model and how texts are fed to it."""

    embedding_model: str = Field(BUILTIN_E5, description="`builtin:multilingual-e5-small` or any sentence-transformers name/path")
    query_prompt: str = Field("query: ", description="e5 prefix for questions")
    passage_prompt: str = Field("passage: ", description="e5 prefix for indexed texts")
    # Measured (benchmarks/embedding_bench.py): batch size barely matters; 512 tokens costs ~10 %
    # on long Absätze but 256 would cut off the last sentences of about half of them.
    embedding_batch_size: int = Field(16, description="texts per embedding batch during ingest")
    embedding_max_seq_length: int = Field(512, description="tokens per text; longer texts are cut")
    device: str = Field("cpu", description="torch device of the embedding model")


class RetrievalSettings(BaseModel):
    """How many candidates retrieval weighs, how many provisions an answer cites, when it refuses."""

    top_k: int = Field(5, description="provisions an answer cites (the main one and related ones)")
    candidates_per_retriever: int = Field(40, description="chunks each retrieval signal contributes before fusion")
    refusal_threshold: float | None = Field(None, description="override the calibrated refusal threshold")


class AnsweringSettings(BaseModel):
    """The answer backend (deterministic composer or an optional chat model) and the assessment date."""

    answer_backend: Literal["compose", "ollama", "openai", "llamacpp"] = Field(
        "compose", description="`compose` (deterministic, no LLM) or an optional chat-model backend"
    )
    llm_model: str = Field("", description="model name for the ollama/openai backends")
    llm_base_url: str = Field("", description="server URL for the ollama/openai backends")
    llm_api_key: str = Field("", description="API key for an OpenAI-compatible server")
    llm_gguf_path: Path | None = Field(None, description="GGUF file for the llamacpp backend")
    llm_temperature: float = Field(0.0, description="sampling temperature of the chat model")
    as_of: str | None = Field(None, description="assessment date YYYY-MM-DD; default today")
    knowledge_reviewed_only: bool = Field(
        False, description="answer only from knowledge-base entries a human reviewer marked 'reviewed' (knowledge/README.md)"
    )


class PrivacySettings(BaseModel):
    """What may be written anywhere (by default nothing a user types)."""

    # Off by default: nothing a user types is written anywhere.
    log_unanswered: bool = Field(False, description="opt-in anonymised log of unanswered questions")
    unanswered_log_path: Path | None = Field(None, description="where that log is written")


# Listed in reverse: pydantic orders the fields from the last base to the first (sources first).
class Settings(
    PrivacySettings, AnsweringSettings, RetrievalSettings, EmbeddingSettings, StorageSettings, SourceSettings, BaseSettings
):
    """All groups in one object with flat names (`settings.top_k`, env `AA_TOP_K`); a component may
    type its parameter as the one group it reads."""

    model_config = SettingsConfigDict(env_prefix="AA_", env_file=".env", env_nested_delimiter="__", extra="ignore")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
