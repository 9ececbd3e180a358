"""The Chroma index: open the live version, build a new one beside it, swap atomically.

Local disk (default, `chromadb.PersistentClient`)::

    <index_dir>/CURRENT            {"current": "v-...", "previous": "v-..."}  (replaced atomically)
    <index_dir>/v-20261123T2301-1a2b/   one complete Chroma database per build

A build writes a new version folder; only when it is complete is CURRENT replaced (os.replace is
atomic), so a failed or killed ingest leaves the previous version serving. Old and half-built
folders are removed by the next successful build (the previous version is kept for readers
that still have it open).

Chroma server (`settings.chroma_host`, `chromadb.HttpClient`): each build is a new collection
``<collection_name>-v...``; a one-record pointer collection ``<collection_name>-alias`` names
the live one. Upserting that record is a single atomic write on the server, so readers switch
from one complete collection to the next; the previous collection is kept, older ones dropped.

The ingest state (source hashes, Stand, chunk counts) is stored in the collection metadata and
beside it (local: `<version>/ingest_state.json`; server: the alias record), so an unchanged
corpus is recognised without opening Chroma or loading the model.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.chunk import Chunk
from core.errors import IngestError
from index.vector_cache import VECTORS_FILE, StoredVectors

if TYPE_CHECKING:  # pragma: no cover
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

    from core.settings import Settings

POINTER_FILE = "CURRENT"
STATE_FILE = "ingest_state.json"
STATE_KEY = "ingest_state"
ADD_BATCH = 1000
# Chroma rejects a sync threshold below 2; a build of fewer records is synced by its size anyway
MIN_SYNC_THRESHOLD = 2


class IndexMissingError(IngestError):
    """There is no complete index yet."""


def _chroma_settings():
    import chromadb

    return chromadb.Settings(anonymized_telemetry=False, allow_reset=False)


def _embedding_function(settings: "Settings"):
    from index.embedder import get_embedder

    return get_embedder(settings).as_chroma()


def _hnsw_configuration(record_count: int) -> dict[str, Any]:
    """Cosine HNSW whose graph is written to disk exactly once, after the last record of the build.

    Chroma persists the HNSW graph every `sync_threshold` records (default 1000); records after the
    last sync stay only in the write-ahead log and are re-inserted into the graph each time a
    process opens the index, in an order that differs between processes, so the dense top-k was
    not reproducible across restarts (2,000 of 2,766 chunks persisted). With the threshold equal to
    the build's record count the whole graph is persisted at the end of the build and every reader
    loads the same graph (tests/index/test_reproducible.py)."""
    return {"hnsw": {"space": "cosine", "sync_threshold": max(MIN_SYNC_THRESHOLD, record_count)}}


def _new_version_name() -> str:
    return "v-" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)


class Index:
    """The live index: `.collection` (chromadb Collection), `.all_chunks()`, `.state`."""

    def __init__(self, collection: "Collection", settings: "Settings", location: str, version: str, vectors_path: Path):
        self.collection = collection
        self.settings = settings
        self.location = location
        self.version = version
        self._chunks: list[Chunk] | None = None
        # provision-title and scope-exemplar vectors of this version (index/vector_cache.py)
        self.stored_vectors = StoredVectors(vectors_path)

    @property
    def state(self) -> dict[str, Any]:
        return read_state(self.collection)

    def all_chunks(self) -> list[Chunk]:
        if self._chunks is None:
            got = self.collection.get(include=["documents", "metadatas"])
            chunks = [Chunk.from_metadata(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
            self._chunks = sorted(chunks, key=lambda c: c.chunk_id)
        return list(self._chunks)

    def embeddings_for(self, ids: list[str]) -> dict[str, tuple[str, list[float]]]:
        """{chunk_id: (content_hash, embedding)} for those ids present here."""
        out: dict[str, tuple[str, list[float]]] = {}
        for start in range(0, len(ids), 5000):
            got = self.collection.get(ids=ids[start : start + 5000], include=["embeddings", "metadatas"])
            for chunk_id, emb, meta in zip(got["ids"], got["embeddings"], got["metadatas"]):
                out[chunk_id] = (meta.get("content_hash", ""), list(emb))
        return out

    def search(self, query: str, k: int = 5, where: dict | None = None) -> list[tuple[Chunk, float]]:
        """Dense top-k: (chunk, cosine similarity)."""
        from index.embedder import get_embedder

        vector = get_embedder(self.settings).embed_queries([query])
        res = self.collection.query(query_embeddings=vector, n_results=k, where=where, include=["documents", "metadatas", "distances"])
        return [
            (Chunk.from_metadata(i, d, m), 1.0 - float(dist))
            for i, d, m, dist in zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0])
        ]


def read_state(collection: "Collection") -> dict[str, Any]:
    raw = (collection.metadata or {}).get(STATE_KEY)
    return json.loads(raw) if raw else {}


# ----------------------------------------------------------------------------- backends


class _LocalBackend:
    def __init__(self, settings: "Settings"):
        self.settings = settings
        self.root = settings.resolved_index_dir

    @property
    def location(self) -> str:
        return str(self.root)

    def _pointer(self) -> dict[str, str]:
        path = self.root / POINTER_FILE
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise IngestError(path, "index pointer file is corrupt; delete the index folder and re-run `python -m ingest`") from None

    def current(self) -> str | None:
        name = self._pointer().get("current")
        return name if name and (self.root / name).is_dir() else None

    def vectors_path(self, name: str) -> Path:
        return self.root / name / VECTORS_FILE

    def _client(self, name: str) -> "ClientAPI":
        import chromadb

        return chromadb.PersistentClient(path=str(self.root / name), settings=_chroma_settings())

    def open(self, name: str, settings: "Settings") -> "Collection":
        return self._client(name).get_collection(self.settings.collection_name, embedding_function=_embedding_function(settings))

    def create(self, settings: "Settings", record_count: int) -> tuple[str, "Collection"]:
        self.root.mkdir(parents=True, exist_ok=True)
        name = _new_version_name()
        collection = self._client(name).create_collection(
            self.settings.collection_name,
            configuration=_hnsw_configuration(record_count),
            embedding_function=_embedding_function(settings),
        )
        return name, collection

    def current_state(self) -> tuple[str, dict] | None:
        name = self.current()
        if name is None:
            return None
        try:
            return name, json.loads((self.root / name / STATE_FILE).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def publish(self, name: str, state: dict[str, Any]) -> None:
        (self.root / name / STATE_FILE).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        previous = self.current()
        tmp = self.root / f".{POINTER_FILE}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps({"current": name, "previous": previous}), encoding="utf-8")
        os.replace(tmp, self.root / POINTER_FILE)  # the atomic switch

    def drop(self, name: str) -> None:
        shutil.rmtree(self.root / name, ignore_errors=True)

    def cleanup(self) -> None:
        keep = {v for v in self._pointer().values() if v}
        for path in self.root.glob("v-*"):
            if path.is_dir() and path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)


class _HttpBackend:
    def __init__(self, settings: "Settings"):
        import chromadb

        self.settings = settings
        try:
            self.client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=_chroma_settings())
            self.client.heartbeat()
        except Exception as exc:  # noqa: BLE001 - connection errors come in many types
            raise IngestError(None, f"cannot reach Chroma server {settings.chroma_host}:{settings.chroma_port}: {exc}") from None
        self.alias_name = f"{settings.collection_name}-alias"

    @property
    def location(self) -> str:
        return f"http://{self.settings.chroma_host}:{self.settings.chroma_port} (collection {self.settings.collection_name})"

    def vectors_path(self, name: str) -> Path:
        return self.settings.cache_dir / "vectors" / f"{name}.npz"

    def _alias(self) -> "Collection":
        # one record, explicit 1-d vector; no embedding function so Chroma never loads its default
        return self.client.get_or_create_collection(self.alias_name, embedding_function=None)

    def _pointer(self) -> dict[str, str]:
        got = self._alias().get(ids=["current"], include=["metadatas"])
        return dict(got["metadatas"][0]) if got["ids"] else {}

    def current(self) -> str | None:
        name = self._pointer().get("current")
        if not name:
            return None
        existing = {c.name for c in self.client.list_collections()}
        return name if name in existing else None

    def open(self, name: str, settings: "Settings") -> "Collection":
        return self.client.get_collection(name, embedding_function=_embedding_function(settings))

    def create(self, settings: "Settings", record_count: int) -> tuple[str, "Collection"]:
        name = f"{self.settings.collection_name}-{_new_version_name()}"
        collection = self.client.create_collection(
            name, configuration=_hnsw_configuration(record_count), embedding_function=_embedding_function(settings)
        )
        return name, collection

    def current_state(self) -> tuple[str, dict] | None:
        pointer = self._pointer()
        name = self.current()
        if name is None or not pointer.get("state"):
            return None
        return name, json.loads(pointer["state"])

    def publish(self, name: str, state: dict[str, Any]) -> None:
        previous = self.current() or ""
        record = {"current": name, "previous": previous, "state": json.dumps(state, ensure_ascii=False)}
        self._alias().upsert(ids=["current"], embeddings=[[1.0]], metadatas=[record], documents=[""])

    def drop(self, name: str) -> None:
        try:
            self.client.delete_collection(name)
        except Exception:  # noqa: BLE001 - already gone
            pass

    def cleanup(self) -> None:
        pointer = self._pointer()
        keep = {pointer.get("current"), pointer.get("previous")}
        prefix = f"{self.settings.collection_name}-v-"
        for collection in self.client.list_collections():
            if collection.name.startswith(prefix) and collection.name not in keep:
                self.drop(collection.name)


def backend_for(settings: "Settings"):
    return _HttpBackend(settings) if settings.chroma_host else _LocalBackend(settings)


def open_index(settings: "Settings | None" = None) -> Index:
    """The live index for `settings` (local folder, or the Chroma server when chroma_host is set)."""
    if settings is None:
        from core.settings import get_settings

        settings = get_settings()
    backend = backend_for(settings)
    name = backend.current()
    if name is None:
        raise IndexMissingError(None, f"no index at {backend.location}; build it with `python -m ingest`")
    return Index(backend.open(name, settings), settings, backend.location, name, backend.vectors_path(name))


def live_state(settings: "Settings") -> tuple[str, str, dict] | None:
    """(version, location, ingest state) of the live index, without loading the model."""
    backend = backend_for(settings)
    found = backend.current_state()
    return (found[0], backend.location, found[1]) if found else None


def try_open_index(settings: "Settings") -> Index | None:
    try:
        return open_index(settings)
    except IndexMissingError:
        return None


class IndexBuild:
    """A new index version being written beside the live one; `commit()` swaps it in."""

    def __init__(self, settings: "Settings", record_count: int):
        """`record_count`: how many chunks `add()` will receive in all (the graph is persisted once
        that many are in)."""
        self.settings = settings
        self.backend = backend_for(settings)
        self.record_count = record_count
        self.name, self.collection = self.backend.create(settings, record_count)
        self.stored_vectors = StoredVectors(self.backend.vectors_path(self.name))
        self.done = False

    def add(self, chunks: list[Chunk], embeddings: list[list[float]]) -> None:
        for start in range(0, len(chunks), ADD_BATCH):
            part = chunks[start : start + ADD_BATCH]
            self.collection.add(
                ids=[c.chunk_id for c in part],
                documents=[c.text for c in part],
                metadatas=[c.to_metadata() for c in part],
                embeddings=embeddings[start : start + ADD_BATCH],
            )

    def commit(self, state: dict[str, Any]) -> Index:
        stored = self.collection.count()
        if stored != self.record_count:
            raise IngestError(None, f"index build announced {self.record_count} records but holds {stored}; the HNSW graph would be left partly unpersisted")
        self.collection.modify(metadata={STATE_KEY: json.dumps(state, ensure_ascii=False)})
        self.backend.publish(self.name, state)
        self.done = True
        self.backend.cleanup()
        return Index(self.backend.open(self.name, self.settings), self.settings, self.backend.location, self.name, self.backend.vectors_path(self.name))

    def abort(self) -> None:
        if not self.done:
            self.backend.drop(self.name)
