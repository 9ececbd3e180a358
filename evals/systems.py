"""The systems compared in one run, on the same questions and the same index.

- ``pipeline``: the product, `assistant.pipeline.ask` (retrieval, composed answer, validation, gate).
- ``bm25``: bm25s over the structured chunks of the index (statutes and their translation).
- ``dense``: Chroma query with the same embedding model over the same structured chunks.
- ``naive_rag``: what a typical LangChain tutorial builds: RecursiveCharacterTextSplitter
  (1000/200) over the raw source files of the manifest, the same embedding model, an in-memory
  vector store, top-k by similarity; citations read from the nearest preceding ``# § N`` heading.

Baselines answer with their top-k chunks (no generation) and never refuse; they see only the
question text (no history, no facts), as tutorials do.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from core.citations import provision_of
from evals.formats import QuestionItem

SYSTEM_LABELS = {
    "pipeline": "Full pipeline",
    "bm25": "BM25 only",
    "dense": "Dense only",
    "naive_rag": "Naive LangChain RAG",
}


@dataclass
class SystemOutput:
    system: str
    ranked_provisions: list[str] = field(default_factory=list)
    ranked_citations: list[str] = field(default_factory=list)
    answer_text: str = ""
    cited: list[str] = field(default_factory=list)
    refused: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)
    wall_ms: float = 0.0
    answer: Any = None  # assistant.types.Answer for the pipeline
    language: str = ""
    error: str = ""
    # The direct answer as the user sees it first (see evals/README.md for how each system's lead is taken),
    # the citations of the lead, and everything shown before the "more" marker.
    lead: str = ""
    lead_cited: list[str] = field(default_factory=list)
    shown_text: str = ""


def _dedupe(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


class FullPipeline:
    name = "pipeline"

    def __init__(self, settings) -> None:
        from assistant.pipeline import ask

        self._ask = ask
        self.settings = settings

    def run(self, item: QuestionItem) -> SystemOutput:
        history = [t.model_dump() for t in item.history] or None
        start = time.perf_counter()
        answer = self._ask(item.question, history=history, facts=item.facts, language=None, settings=self.settings)
        wall = (time.perf_counter() - start) * 1000
        return SystemOutput(
            system=self.name,
            ranked_provisions=_dedupe([r.provision for r in answer.retrieved]),
            ranked_citations=_dedupe([r.best_citation or r.provision for r in answer.retrieved]),
            answer_text=answer.text(),
            cited=list(answer.cited_provisions),
            refused=bool(answer.could_not_answer),
            timings_ms=dict(answer.timings_ms),
            wall_ms=wall,
            answer=answer,
            language=answer.language,
            **pipeline_lead(answer),
        )


def pipeline_lead(answer) -> dict:
    """The pipeline's lead: its "direct" blocks; an answer without them (before issue 11) leads with its first block."""
    lead_blocks = [b for b in answer.blocks if b.kind == "direct"] or answer.blocks[:1]
    return {
        "lead": " ".join(b.text for b in lead_blocks),
        "lead_cited": _dedupe([c.citation for b in lead_blocks for c in b.citations]),
        "shown_text": answer.shown_text(),
    }


def chunk_lead(top: list) -> dict:
    """A baseline's lead is its best passage (one Absatz or one translated paragraph), cited to that passage;
    a baseline has no "more" part, so all its k passages are shown."""
    if not top:
        return {"lead": "", "lead_cited": [], "shown_text": ""}
    return {"lead": top[0].text, "lead_cited": _dedupe([top[0].citation or top[0].provision]),
            "shown_text": "\n\n".join(c.text for c in top)}


def structured_chunks(index) -> list:
    """Statute and translation chunks in force that carry a provision (what the baselines search)."""
    return [c for c in index.all_chunks() if c.provision and c.in_force and c.source_kind in ("statute", "statute_translation")]


class _ChunkRanker:
    name = ""

    def __init__(self, settings, k: int) -> None:
        self.settings = settings
        self.k = k

    def _search(self, text: str) -> list:  # -> list[Chunk], best first
        raise NotImplementedError

    def run(self, item: QuestionItem) -> SystemOutput:
        start = time.perf_counter()
        chunks = self._search(item.question)
        wall = (time.perf_counter() - start) * 1000
        top = chunks[: self.k]
        return SystemOutput(
            system=self.name,
            ranked_provisions=_dedupe([c.provision for c in chunks]),
            ranked_citations=_dedupe([c.citation or c.provision for c in chunks]),
            answer_text="\n\n".join(c.text for c in top),
            cited=_dedupe([c.citation or c.provision for c in top]),
            timings_ms={"retrieve": wall},
            wall_ms=wall,
            **chunk_lead(top),
        )


_WORDS = re.compile(r"\w+", re.UNICODE)


class BM25Only(_ChunkRanker):
    name = "bm25"

    def __init__(self, settings, index, k: int, depth: int = 50) -> None:
        import bm25s

        super().__init__(settings, k)
        self.depth = depth
        self.chunks = structured_chunks(index)
        # heading prefixed as in the file ('§ 25b Aufenthaltsgewährung ...'), so '§ 25b' in a question can match
        corpus = [self._tokens(f"§ {c.section} {c.title} {c.text}") for c in self.chunks]
        self.vocab: dict[str, int] = {}
        ids = [[self.vocab.setdefault(t, len(self.vocab)) for t in doc] for doc in corpus]
        self.model = bm25s.BM25()
        self.model.index(bm25s.tokenization.Tokenized(ids=ids, vocab=self.vocab), show_progress=False)

    @staticmethod
    def _tokens(text: str) -> list[str]:
        return [w.lower() for w in _WORDS.findall(text)]

    def _search(self, text: str) -> list:
        ids = [self.vocab[t] for t in self._tokens(text) if t in self.vocab]
        if not ids:
            return []
        scores = self.model.get_scores(ids)
        order = np.argsort(-scores)[: self.depth]
        return [self.chunks[i] for i in order if scores[i] > 0]


class DenseOnly(_ChunkRanker):
    name = "dense"

    def __init__(self, settings, index, embedder, k: int, depth: int = 50) -> None:
        super().__init__(settings, k)
        self.index = index
        self.embedder = embedder
        self.depth = depth
        self.by_id = {c.chunk_id: c for c in structured_chunks(index)}

    def _search(self, text: str) -> list:
        vector = self.embedder.embed_queries([text])[0]
        result = self.index.collection.query(query_embeddings=[list(map(float, vector))], n_results=self.depth * 2)
        ids = result["ids"][0]
        return [self.by_id[i] for i in ids if i in self.by_id][: self.depth]


# --------------------------------------------------------------------------- naive RAG

_DE_HEADING = re.compile(r"^# § (\d+[a-z]?)\b", re.M)
_EN_HEADING = re.compile(r"^\**Section (\d+[a-z]?)\b", re.M)
_ABSATZ = re.compile(r"^\((\d+[a-z]?)\)\s", re.M)


@dataclass
class NaiveChunk:
    text: str
    source_id: str
    citation: str  # '' when no heading precedes it (guides, preambles)

    @property
    def provision(self) -> str:
        return provision_of(self.citation) if self.citation else ""


def citation_before(full_text: str, end: int, law: str) -> str:
    """Citation of the nearest preceding '# § N' (or 'Section N') heading and '(N)' Absatz before `end`."""
    if not law:
        return ""
    head = full_text[:end]
    last, section = -1, ""
    for pattern in (_DE_HEADING, _EN_HEADING):
        for m in pattern.finditer(head):
            if m.start() > last:
                last, section = m.start(), m.group(1)
    if not section:
        return ""
    citation = f"{law} § {section}"
    absatz = None
    for m in _ABSATZ.finditer(head, last):
        absatz = m.group(1)
    return f"{citation} Abs. {absatz}" if absatz else citation


class _Precomputed(Embeddings):
    """langchain Embeddings that serve vectors computed (and cached on disk) before; queries go to the model."""

    def __init__(self, inner, texts: list[str], vectors: np.ndarray) -> None:
        self.inner = inner
        self.known = {t: v for t, v in zip(texts, vectors)}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = [t for t in texts if t not in self.known]
        if missing:
            self.known.update(zip(missing, self.inner.embed_documents(missing)))
        return [list(map(float, self.known[t])) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


class NaiveLangChainRAG:
    name = "naive_rag"

    def __init__(self, settings, embedder, k: int, depth: int = 50) -> None:
        from langchain_core.documents import Document
        from langchain_core.vectorstores import InMemoryVectorStore
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from ingest.manifest import load_manifest

        self.k = k
        self.depth = depth
        manifest = load_manifest(settings.manifest_path, settings.shared_dir, cache_dir=settings.cache_dir)
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
        docs: list[Document] = []
        for source in manifest.sources:
            if not source.in_force:
                continue
            text = source.path.read_text(encoding=source.encoding, errors="replace")
            for doc in splitter.create_documents([text], metadatas=[{"source_id": source.id}]):
                start = doc.metadata["start_index"]
                # the heading that governs the chunk's first line, or one inside the chunk
                end = start + min(len(doc.page_content), 200)
                law = source.law if source.kind != "guide" else ""
                doc.metadata["citation"] = citation_before(text, end, law)
                docs.append(doc)
        self.embeddings = embedder.as_langchain()
        vectors = self._cached_vectors(settings, [d.page_content for d in docs])
        self.store = InMemoryVectorStore(_Precomputed(self.embeddings, [d.page_content for d in docs], vectors))
        self.store.add_documents(docs)
        self.size = len(docs)

    def _cached_vectors(self, settings, texts: list[str]) -> np.ndarray:
        digest = hashlib.sha256(("\x00".join(texts) + str(settings.embedding_model)).encode()).hexdigest()[:16]
        cache = settings.cache_dir / "evals" / f"naive_rag_{digest}.npy"
        if cache.is_file():
            return np.load(cache)
        vectors = np.asarray(self.embeddings.embed_documents(texts), dtype=np.float32)
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.save(cache, vectors)
        return vectors

    def run(self, item: QuestionItem) -> SystemOutput:
        start = time.perf_counter()
        docs = self.store.similarity_search(item.question, k=self.depth)
        wall = (time.perf_counter() - start) * 1000
        chunks = [NaiveChunk(d.page_content, d.metadata["source_id"], d.metadata.get("citation", "")) for d in docs]
        top = chunks[: self.k]
        return SystemOutput(
            system=self.name,
            ranked_provisions=_dedupe([c.provision for c in chunks]),
            ranked_citations=_dedupe([c.citation for c in chunks]),
            answer_text="\n\n".join(c.text for c in top),
            cited=_dedupe([c.citation for c in top]),
            timings_ms={"retrieve": wall},
            wall_ms=wall,
            **chunk_lead(top),
        )


def build_systems(settings, names: list[str]) -> dict[str, Any]:
    """Instantiate the requested systems once (index and embedder shared)."""
    systems: dict[str, Any] = {}
    index = embedder = None
    if any(n in names for n in ("bm25", "dense", "naive_rag")):
        from index.embedder import get_embedder
        from index.store import open_index

        index = open_index(settings)
        embedder = get_embedder(settings)
    k = settings.top_k
    for name in names:
        if name == "pipeline":
            systems[name] = FullPipeline(settings)
        elif name == "bm25":
            systems[name] = BM25Only(settings, index, k)
        elif name == "dense":
            systems[name] = DenseOnly(settings, index, embedder, k)
        elif name == "naive_rag":
            systems[name] = NaiveLangChainRAG(settings, embedder, k)
        else:
            raise ValueError(f"unknown system {name!r} (known: {', '.join(SYSTEM_LABELS)})")
    return systems
