"""Manifest → loaders → chunks → embeddings → a new index version, swapped in atomically.

Every source is read and chunked before anything is written, so bad input (an `IngestError`)
never touches the live index. If every source is unchanged (same file bytes, manifest entry,
chunker and embedding configuration), nothing is done. Otherwise a new version is built;
chunks whose id and embedded text are unchanged reuse their stored embeddings.
"""

from __future__ import annotations

import ast
import fcntl
import hashlib
import json
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.split import MAX_CHUNK_CHARS, PreparedChunk, guide_chunks, statute_chunks
from ingest.registry import ProvisionRegistry, registry_from_sections
from core.errors import IngestError
from ingest.loaders import StatuteDocument, load_guide_sections, load_statute
from ingest.manifest import Manifest, Source, load_manifest
from index.store import IndexBuild, live_state, try_open_index

if TYPE_CHECKING:  # pragma: no cover
    from core.settings import Settings

# Bump to force a rebuild; the code of the chunk-producing modules is hashed in as well, so any
# change to loaders/chunking/citations rebuilds (reusing embeddings of chunks that stay identical).
CHUNKER_VERSION = "2026-11-23.1"
# Bump when what a build stores besides the chunks changes (rebuilds, reusing every embedding).
# 2026-12-02.1: HNSW graph persisted whole at the end of the build; provision-title vectors stored.
STORE_LAYOUT = "2026-12-02.1"
# relative to the repository root
_CODE_FILES = ("ingest/loaders.py", "ingest/split.py", "ingest/registry.py", "core/citations.py", "core/chunk.py")


def _code_hash() -> str:
    """Hash of the code (not comments or docstrings) of the modules that shape chunks."""
    here = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for name in _CODE_FILES:
        tree = ast.parse((here / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
        h.update(ast.dump(tree).encode())
    return h.hexdigest()[:16]
EMBED_SLICE = 128  # progress granularity; texts are sorted by length first so padding stays small

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class SourceReport:
    id: str
    title: str
    kind: str
    chunks: int = 0
    skipped: int = 0  # translation parts without a current German provision, duplicates
    stand: str = ""
    changed: bool = True


@dataclass
class IngestResult:
    location: str
    version: str
    seconds: float
    unchanged: bool
    sources: list[SourceReport] = field(default_factory=list)
    total_chunks: int = 0
    embedded: int = 0
    reused: int = 0
    duplicates: int = 0
    embed_seconds: float = 0.0


def source_fingerprint(source: Source, config_key: str) -> str:
    data = source.path.read_bytes() if source.path.is_file() else b""
    if not data:
        # let the loader produce the precise message (missing, empty, not a file)
        if source.format == "guide":
            load_guide_sections(source.path, source.encoding)
        else:
            load_statute(source)
    entry = source.model_dump(mode="json", exclude={"path"})
    h = hashlib.sha256()
    h.update(data)
    h.update(json.dumps(entry, sort_keys=True).encode())
    h.update(config_key.encode())
    return h.hexdigest()[:32]


def embedding_key(settings: "Settings") -> str:
    """What a stored vector depends on besides its text: vectors are reusable iff this matches."""
    return json.dumps(
        {
            "model": settings.embedding_model,
            "max_seq_length": settings.embedding_max_seq_length,
            "passage_prompt": settings.passage_prompt,
        },
        sort_keys=True,
    )


def config_key(settings: "Settings") -> str:
    return json.dumps(
        {"chunker": CHUNKER_VERSION, "store": STORE_LAYOUT, "code": _code_hash(), "max_chunk_chars": MAX_CHUNK_CHARS, "embedding": embedding_key(settings)},
        sort_keys=True,
    )


def _dedupe_key(prepared: PreparedChunk) -> tuple:
    c = prepared.chunk
    return (c.language, c.in_force, c.citation, " ".join(c.text.split()))


def build_chunks(manifest: Manifest) -> tuple[list[PreparedChunk], list[SourceReport], ProvisionRegistry, int]:
    """Read and chunk every source. Raises IngestError (naming the file) on bad input."""
    documents: dict[str, StatuteDocument] = {}
    for source in manifest.sources:
        if source.kind != "guide":
            documents[source.id] = load_statute(source)
    registry = ProvisionRegistry()
    for source in manifest.sources:
        if source.kind == "statute":
            registry_from_sections(documents[source.id].sections, source.in_force, registry)
    prepared: list[PreparedChunk] = []
    reports: list[SourceReport] = []
    seen: set[tuple] = set()
    seen_ids: set[str] = set()
    duplicates = 0
    for source in manifest.sources:
        report = SourceReport(source.id, source.title, source.kind)
        if source.kind == "guide":
            chunks = guide_chunks(load_guide_sections(source.path, source.encoding), source.base_fields(), registry)
        else:
            document = documents[source.id]
            report.stand = document.stand or source.version
            check = registry if source.kind == "statute_translation" else None
            chunks, report.skipped = statute_chunks(
                document.sections, source.base_fields(), check, source.url_template, source.outdated_sections
            )
        for item in chunks:
            key = _dedupe_key(item)
            if key in seen:
                duplicates += 1
                report.skipped += 1
                continue
            seen.add(key)
            chunk_id = item.chunk.chunk_id
            n = 1
            while chunk_id in seen_ids:  # e.g. a § heading repeated in a file
                n += 1
                chunk_id = f"{item.chunk.chunk_id}~{n}"
            item.chunk.chunk_id = chunk_id
            seen_ids.add(chunk_id)
            prepared.append(item)
            report.chunks += 1
        if report.chunks == 0:
            raise IngestError(source.path, "no indexable text found")
        reports.append(report)
    return prepared, reports, registry, duplicates


def run_ingest(
    settings: "Settings",
    corpus_dir: Path | str | None = None,
    manifest_path: Path | str | None = None,
    progress: Progress | None = None,
    force: bool = False,
    reuse_from: "list[Settings] | None" = None,
) -> IngestResult:
    """Build or update the index of `settings`. `reuse_from`: other indexes (e.g. the default one
    when building the test index) whose stored embeddings may be reused for identical chunks."""
    with _build_lock(settings):
        return _run_ingest(settings, corpus_dir, manifest_path, progress, force, reuse_from)


@contextmanager
def _build_lock(settings: "Settings"):
    """One builder at a time per local index folder (e.g. two pytest sessions); readers never wait."""
    if settings.chroma_host:
        yield
        return
    root = settings.resolved_index_dir
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run_ingest(settings, corpus_dir, manifest_path, progress, force, reuse_from) -> IngestResult:
    started = time.perf_counter()
    notify = progress or (lambda stage, done, total: None)
    manifest = load_manifest(
        manifest_path or settings.manifest_path, settings.shared_dir, corpus_dir=corpus_dir, cache_dir=settings.cache_dir
    )
    key = config_key(settings)
    fingerprints = {s.id: source_fingerprint(s, key) for s in manifest.sources}
    quick = live_state(settings)
    if not force and quick is not None and quick[2].get("fingerprints") == fingerprints:
        reports = [SourceReport(**{**r, "changed": False}) for r in quick[2].get("sources", [])]
        return IngestResult(
            location=quick[1],
            version=quick[0],
            seconds=time.perf_counter() - started,
            unchanged=True,
            sources=reports,
            total_chunks=sum(r.chunks for r in reports),
            reused=sum(r.chunks for r in reports),
        )

    live = try_open_index(settings)
    old_state = live.state if live is not None else {}
    if not force and live is not None and old_state.get("fingerprints") == fingerprints:
        # an index built before ingest_state.json existed: unchanged, nothing to build
        reports = [SourceReport(**{**r, "changed": False}) for r in old_state.get("sources", [])]
        return IngestResult(
            location=live.location,
            version=live.version,
            seconds=time.perf_counter() - started,
            unchanged=True,
            sources=reports,
            total_chunks=sum(r.chunks for r in reports),
            reused=sum(r.chunks for r in reports),
        )

    notify("read", 0, len(manifest.sources))
    prepared, reports, _registry, duplicates = build_chunks(manifest)
    for report in reports:
        report.changed = old_state.get("fingerprints", {}).get(report.id) != fingerprints[report.id]
    notify("read", len(manifest.sources), len(manifest.sources))

    # reuse embeddings of unchanged chunks (same id and same embedded text)
    vectors: list[list[float] | None] = [None] * len(prepared)
    reused = 0
    donors = [live] if live is not None else []
    for other in reuse_from or []:
        donor = try_open_index(other)
        if donor is not None:
            donors.append(donor)
    for donor in donors:
        if donor.state.get("embedding") != embedding_key(settings):
            continue  # other model or chunker: its vectors do not fit
        missing = [i for i, v in enumerate(vectors) if v is None]
        stored = donor.embeddings_for([prepared[i].chunk.chunk_id for i in missing])
        for i in missing:
            hit = stored.get(prepared[i].chunk.chunk_id)
            if hit and hit[0] == prepared[i].chunk.content_hash:
                vectors[i] = hit[1]
                reused += 1
    todo = sorted((i for i, v in enumerate(vectors) if v is None), key=lambda i: len(prepared[i].embed_text))
    embed_seconds = 0.0
    if todo:
        from index.embedder import get_embedder

        embedder = get_embedder(settings)
        notify("embed", 0, len(todo))
        t0 = time.perf_counter()
        for start in range(0, len(todo), EMBED_SLICE):
            batch = todo[start : start + EMBED_SLICE]
            out = embedder.embed_passages([prepared[i].embed_text for i in batch])
            for i, vector in zip(batch, out):
                vectors[i] = vector.tolist()
            notify("embed", min(start + EMBED_SLICE, len(todo)), len(todo))
        embed_seconds = time.perf_counter() - t0

    build = IndexBuild(settings, record_count=len(prepared))
    try:
        notify("store", 0, len(prepared))
        build.add([p.chunk for p in prepared], vectors)  # type: ignore[arg-type]
        notify("store", len(prepared), len(prepared))
        # provision headings, embedded here once instead of in every answering process at start
        from index.embedder import get_embedder
        from index.vector_cache import provision_title_texts

        _provisions, titles = provision_title_texts([p.chunk for p in prepared])
        notify("titles", 0, len(titles))
        build.stored_vectors.embed(get_embedder(settings), titles, "passage")
        notify("titles", len(titles), len(titles))
        state = {
            "config": key,
            "embedding": embedding_key(settings),
            "fingerprints": fingerprints,
            "built": date.today().isoformat(),
            "manifest": str(manifest.path),
            "sources": [r.__dict__ for r in reports],
        }
        index = build.commit(state)
    except BaseException:
        build.abort()
        raise
    return IngestResult(
        location=index.location,
        version=index.version,
        seconds=time.perf_counter() - started,
        unchanged=False,
        sources=reports,
        total_chunks=len(prepared),
        embedded=len(todo),
        reused=reused,
        duplicates=duplicates,
        embed_seconds=embed_seconds,
    )
