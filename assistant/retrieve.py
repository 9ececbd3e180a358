"""Hybrid cross-lingual retrieval, aggregated per provision.

Signals, each a ranked list of chunks mapped onto German provisions:
  * ``bm25_de``  BM25 (German Snowball stems + compound tails) over the binding German text, with the
                 question expanded by the glossary's German statutory terms;
  * ``bm25_en``  BM25 over the English translation (only for questions written in English); a hit
                 counts for the German provision it translates;
  * ``dense``    e5 from Chroma for the question as typed, over all chunks;
  * ``dense_de`` e5 for the glossary's German expansion of the question;
  * ``glossary`` the provisions the matched glossary concepts point to;
  * ``cited``    provisions the question names explicitly ("§ 25b", "Section 60d", "25b");
  * ``title``    e5 between the question and every provision's heading, German + English.
Guide chunks never compete as provisions of their own: a guide hit counts, at reduced weight, for the
existing provisions it mentions ("guides as bridges"). Translation chunks count for the German
provision with the same canonical citation. Fusion is weighted reciprocal-rank fusion at provision
level (one § cannot crowd out the others); inside the chosen provision the Absätze are ranked the same
way at chunk level. Historical (not in force) texts never appear as results; they are returned
separately so the composer can show them as history.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant import glossary
from assistant.settings import Settings
from assistant.types import RetrievedProvision
from ingest.chunk import Chunk
from ingest.citations import LegalRef, find_refs

# Relative weight of each signal in the fusion. Chosen by reasoning about reliability, then checked
# with `python -m assistant.calibrate` (dense on the typed question is the most robust cross-lingual
# signal; an explicit citation is what the user asked about).
SIGNAL_WEIGHTS: dict[str, float] = {
    "bm25_de": 1.0,
    "bm25_en": 0.8,
    "dense": 1.0,
    "dense_de": 0.8,
    "glossary": 1.2,
    "cited": 3.0,
    "guide_bridge": 0.4,
    "history": 1.5,
    # provision headings (de + en) by e5; weight chosen on the dev set + heldout_questions.jsonl:
    # 0 -> MRR 0.944 / 0.856, 0.5 -> 0.950 / 0.871, 0.8 -> 0.950 / 0.869, 1.2 -> 0.950 / 0.859
    "title": 0.5,
}
TITLE_CANDIDATES = 10  # provisions taken from the title signal
FUSION_K = 20  # reciprocal-rank constant at provision level (a few strong signals: keep ranks distinct)
ABSATZ_K = 5  # rank constant for choosing the Absatz inside a provision (raw chunk ranks per signal)
# How much a glossary concept's typical Absatz counts when choosing the Absatz inside a provision.
# Measured on the dev set (gold Absatz in top 5): share 1.0 -> 42/53, 0.3 -> 37/53, 0 -> 36/53.
GLOSSARY_ABSATZ_SHARE = 1.0

_WORD = re.compile(r"[\wäöüß]+", re.UNICODE)
_BARE_SECTION = re.compile(r"(?<![\w§.,])(\d{1,3}[a-z])(?![\w])", re.IGNORECASE)
_TEMPORAL = re.compile(
    r"\b(?:19|20)(?:0\d|1\d|2[0-5])\b|früher|damals|alte fassung|old version|back then|previously|used to|"
    r"bis 2025|before 2026|vor 2026",
    re.IGNORECASE,
)


@dataclass
class RetrievalResult:
    provisions: list[RetrievedProvision]
    chunks: dict[str, Chunk]  # every chunk referenced by `provisions` and guides/translations used
    query: str  # the expanded search query
    explicit: list[str] = field(default_factory=list)  # existing citations named in the question
    missing_citations: list[str] = field(default_factory=list)  # named but not in the index
    guide_hits: list[Chunk] = field(default_factory=list)
    historical: list[Chunk] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)
    specific_concepts: int = 0
    targeted_concepts: int = 0  # concepts (any weight) that point at provisions
    out_of_scope_topics: list[str] = field(default_factory=list)
    top_dense: float = 0.0
    temporal: bool = False
    concept_provisions: list[str] = field(default_factory=list)  # provisions the glossary concepts point at
    query_vector: Any = None  # e5 vector of the question as searched (for the scope decision)


class _Stemmer:
    """German Snowball stems plus compound tails that occur in the corpus vocabulary."""

    def __init__(self) -> None:
        import Stemmer  # PyStemmer

        self._stem = Stemmer.Stemmer("german").stemWord
        self.vocabulary: set[str] = set()

    def words(self, text: str) -> list[str]:
        return [w.lower() for w in _WORD.findall(text)]

    def learn(self, texts: list[str]) -> None:
        for text in texts:
            self.vocabulary.update(w for w in self.words(text) if len(w) >= 5)

    def tokens(self, text: str) -> list[str]:
        out: list[str] = []
        for word in self.words(text):
            out.append(self._stem(word))
            if len(word) >= 10:  # Beschäftigungsduldung -> also Duldung
                for cut in range(4, len(word) - 4):
                    tail = word[cut:]
                    if tail in self.vocabulary:
                        out.append(self._stem(tail))
                        break
        return out


class _BM25:
    def __init__(self, chunks: list[Chunk], stemmer: _Stemmer, with_title: bool = True) -> None:
        import bm25s

        self.chunks = chunks
        self._stemmer = stemmer
        corpus = [stemmer.tokens(f"{c.title} {c.text}" if with_title else c.text) for c in chunks]
        self._model = bm25s.BM25()
        self._vocab: dict[str, int] = {}
        ids = [[self._vocab.setdefault(t, len(self._vocab)) for t in doc] for doc in corpus]
        self._model.index(bm25s.tokenization.Tokenized(ids=ids, vocab=self._vocab), show_progress=False)

    def search(self, text: str, k: int) -> list[tuple[Chunk, float]]:
        tokens = [self._vocab[t] for t in self._stemmer.tokens(text) if t in self._vocab]
        if not tokens or not self.chunks:
            return []
        scores = self._model.get_scores(tokens)
        top = np.argsort(-scores)[:k]
        return [(self.chunks[i], float(scores[i])) for i in top if scores[i] > 0]


class CorpusView:
    """Everything retrieval needs, loaded once from the index."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.by_id = {c.chunk_id: c for c in chunks}
        self.german = [c for c in chunks if c.source_kind == "statute" and c.in_force and c.provision]
        self.historical = [c for c in chunks if c.source_kind == "statute" and not c.in_force]
        self.translation = [c for c in chunks if c.source_kind == "statute_translation" and c.provision]
        self.guides = [c for c in chunks if c.source_kind == "guide"]
        self.by_citation: dict[str, list[Chunk]] = {}
        self.by_provision: dict[str, list[Chunk]] = {}
        for c in self.german:
            self.by_citation.setdefault(c.citation, []).append(c)
            self.by_provision.setdefault(c.provision, []).append(c)
        self.translation_by_citation: dict[str, list[Chunk]] = {}
        for c in self.translation:
            self.translation_by_citation.setdefault(c.citation, []).append(c)
        self.historical_by_provision: dict[str, list[Chunk]] = {}
        for c in self.historical:
            self.historical_by_provision.setdefault(c.provision, []).append(c)
        # guides that cite a provision that does not exist somewhere: never quoted as agreeing
        self.unreliable_guides = {c.source_id for c in self.guides if c.invalid_mentions}
        self.stemmer = _Stemmer()
        self.stemmer.learn([c.text for c in self.german])
        self.bm25_de = _BM25(self.german, self.stemmer)
        self.bm25_en = _BM25(self.translation, self.stemmer)

    def exists(self, citation: str) -> bool:
        return citation in self.by_citation or citation in self.by_provision

    def titles(self, provision: str) -> str:
        chunks = self.by_provision.get(provision) or []
        return chunks[0].title if chunks else ""


def explicit_citations(text: str, view: CorpusView) -> tuple[list[str], list[str]]:
    """(existing, missing) canonical citations the question names, incl. bare '25b' for AufenthG."""
    found: list[str] = []
    missing: list[str] = []
    refs: list[LegalRef] = find_refs(text, default_law="AufenthG")
    for ref in refs:
        if ref.law is None:
            continue
        cite = ref.citation if ref.citation in view.by_citation else ref.provision
        if view.exists(cite):
            if cite not in found:
                found.append(cite)
        else:
            full = ref.citation
            if full not in missing:
                missing.append(full)
    # a bare "104a" that belongs to a named but non-existent "§ 104a AufenthV" is not AufenthG § 104a:
    # a provision of another law is never silently put in its place (the answer flags it instead)
    missing_sections = {ref.section.lower() for ref in refs if ref.law and not view.exists(ref.provision)}
    for m in _BARE_SECTION.finditer(text):
        provision = f"AufenthG § {m.group(1).lower()}"
        if m.group(1).lower() in missing_sections:
            continue
        if provision in view.by_provision and provision not in found:
            found.append(provision)
    return found, missing


def _provision_of(chunk: Chunk) -> list[tuple[str, str]]:
    """(provision, citation) pairs a chunk counts for; guides count for what they mention."""
    if chunk.source_kind == "guide":
        return [(m.split(" Abs.")[0], m) for m in chunk.mentions]
    return [(chunk.provision, chunk.citation)] if chunk.provision else []


class HybridEngine:
    """Thread-safe after construction: all state is read-only; the embedder serialises itself."""

    def __init__(self, settings: Settings, index: Any, embedder: Any) -> None:
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.view = CorpusView(index.all_chunks())
        # every provision's heading, German and English ("Recht auf Wiederkehr / Right of return"):
        # a compact topic description that e5 matches across languages where the statute body,
        # long and technical, is too far from an everyday question (embedded once, ~5 s)
        self.title_provisions = sorted(self.view.by_provision)
        titles = []
        for provision in self.title_provisions:
            english = next((c.title for c in self.view.translation if c.provision == provision and c.title), "")
            titles.append(" / ".join(x for x in (self.view.titles(provision), english) if x))
        self.title_vectors = np.asarray(embedder.embed_passages(titles)) if titles else np.zeros((0, 1))

    # ----------------------------------------------------------------------------- signals
    def _dense(self, queries: list[str], k: int) -> tuple[list[list[tuple[Chunk, float]]], np.ndarray]:
        vectors = np.asarray(self.embedder.embed_queries(queries))
        res = self.index.collection.query(query_embeddings=vectors.tolist(), n_results=k, include=["distances"])
        out = []
        for ids, dists in zip(res["ids"], res["distances"]):
            out.append([(self.view.by_id[i], 1.0 - float(d)) for i, d in zip(ids, dists) if i in self.view.by_id])
        return out, vectors

    def retrieve(
        self,
        question: str,
        language: str,
        carried: list[str] | None = None,
        as_of_past: bool = False,
    ) -> RetrievalResult:
        """`question` is the (rewritten) search text; `carried` the provisions a follow-up inherits."""
        view = self.view
        k = self.settings.candidates_per_retriever
        expansion = glossary.expand(question)
        german_terms = expansion.german_terms
        explicit, missing = explicit_citations(question, view)
        # A named provision that does not exist ("§ 90 AufenthV") is flagged by the composer; it is
        # never mapped onto the same number of the other law: the content of the question decides.
        de_query = " ".join([question, *german_terms])
        signals: dict[str, list[tuple[Chunk, float]]] = {}
        signals["bm25_de"] = view.bm25_de.search(de_query, k)
        if language == "en":
            signals["bm25_en"] = view.bm25_en.search(question, k)
        dense_queries = [question]
        if german_terms:
            dense_queries.append(" ".join(german_terms))
        dense, vectors = self._dense(dense_queries, k)
        signals["dense"] = dense[0]
        if len(dense) > 1:
            signals["dense_de"] = dense[1]
        top_dense = max((s for c, s in dense[0] if c.source_kind != "guide"), default=0.0)
        title_hits: list[str] = []
        if len(self.title_vectors):
            sims = self.title_vectors @ vectors[0]
            title_hits = [self.title_provisions[i] for i in np.argsort(-sims)[:TITLE_CANDIDATES]]

        provision_score: dict[str, float] = {}
        citation_score: dict[str, float] = {}
        debug: dict[str, dict[str, float]] = {}
        guide_hits: list[Chunk] = []

        def add(signal: str, provision: str, citation: str, rank: int, weight: float) -> None:
            value = weight / (FUSION_K + rank)
            provision_score[provision] = provision_score.get(provision, 0.0) + value
            if citation != provision:  # a named or targeted Absatz
                share = GLOSSARY_ABSATZ_SHARE if signal == "glossary" else 1.0
                citation_score[citation] = citation_score.get(citation, 0.0) + share * weight / (ABSATZ_K + rank)
            debug.setdefault(provision, {})[signal] = float(rank)

        for name, hits in signals.items():
            seen_prov: set[str] = set()
            seen_cite: set[str] = set()
            prov_rank = 0
            for chunk_rank, (chunk, _score) in enumerate(hits, 1):
                if chunk.source_kind == "statute" and not chunk.in_force:
                    continue
                is_guide = chunk.source_kind == "guide"
                if is_guide and chunk not in guide_hits:
                    guide_hits.append(chunk)
                for provision, citation in _provision_of(chunk):
                    if provision not in view.by_provision:
                        continue
                    weight = SIGNAL_WEIGHTS["guide_bridge" if is_guide else name]
                    if is_guide:
                        weight *= SIGNAL_WEIGHTS[name]
                    if provision not in seen_prov:
                        seen_prov.add(provision)
                        prov_rank += 1
                        add(name, provision, provision, prov_rank, weight)
                    if not is_guide and citation not in seen_cite and citation in view.by_citation:
                        # the Absatz inside its provision is chosen by its own rank in each signal
                        citation_score[citation] = citation_score.get(citation, 0.0) + weight / (ABSATZ_K + chunk_rank)
                    seen_cite.add(citation)

        for rank, provision in enumerate(title_hits, 1):
            add("title", provision, provision, rank, SIGNAL_WEIGHTS["title"])

        targets = sorted(expansion.target_scores().items(), key=lambda kv: -kv[1])
        seen_prov = set()
        rank = 0
        for citation, strength in targets:
            provision = citation.split(" Abs.")[0]
            if provision not in view.by_provision:
                continue
            cite = citation if citation in view.by_citation else provision
            if provision not in seen_prov:
                seen_prov.add(provision)
                rank += 1
                add("glossary", provision, cite, rank, SIGNAL_WEIGHTS["glossary"] * min(1.0, strength))
            elif cite != provision:
                citation_score[cite] = citation_score.get(cite, 0.0) + GLOSSARY_ABSATZ_SHARE * 0.5 * SIGNAL_WEIGHTS["glossary"] / (ABSATZ_K + rank)

        for position, cite in enumerate(explicit):
            provision = cite.split(" Abs.")[0]
            add("cited", provision, cite, position + 1, SIGNAL_WEIGHTS["cited"])

        for position, cite in enumerate(carried or []):
            provision = cite.split(" Abs.")[0]
            if provision in view.by_provision:
                add("history", provision, cite if cite in view.by_citation else provision, position + 1, SIGNAL_WEIGHTS["history"])

        ranked = sorted(provision_score.items(), key=lambda kv: -kv[1])[: max(self.settings.top_k * 2, 8)]
        provisions: list[RetrievedProvision] = []
        chunks: dict[str, Chunk] = {}
        for provision, score in ranked:
            candidates = [c for c in view.by_provision[provision]]
            candidates.sort(key=lambda c: (-citation_score.get(c.citation, 0.0), c.chunk_id))
            best = candidates[0].citation
            ordered_ids = [c.chunk_id for c in candidates if citation_score.get(c.citation, 0.0) > 0] or [candidates[0].chunk_id]
            for cid in ordered_ids:
                chunks[cid] = view.by_id[cid]
            provisions.append(
                RetrievedProvision(
                    provision=provision,
                    best_citation=best,
                    score=round(score, 6),
                    chunk_ids=ordered_ids,
                    signals=debug.get(provision, {}),
                )
            )
        for g in guide_hits:
            chunks[g.chunk_id] = g
        temporal = as_of_past or bool(_TEMPORAL.search(question))
        historical = [c for p in provisions[:3] for c in view.historical_by_provision.get(p.provision, [])]
        return RetrievalResult(
            provisions=provisions,
            chunks=chunks,
            query=de_query,
            explicit=explicit,
            missing_citations=missing,
            guide_hits=guide_hits,
            historical=historical,
            concepts=[c.id for c in expansion.concepts],
            specific_concepts=len(expansion.specific),
            targeted_concepts=len(expansion.targeted),
            out_of_scope_topics=[c.id for c in glossary.out_of_scope(question, language)],
            top_dense=top_dense,
            temporal=temporal,
            concept_provisions=list(dict.fromkeys(t.split(" Abs.")[0] for c in expansion.targeted if c.weight >= 0.5 for t in c.targets)),
            query_vector=vectors[0],
        )


class HybridRetriever(BaseRetriever):
    """langchain retriever over the hybrid engine: one Document per chunk of the top provisions."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    engine: Any
    language: str = "en"
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        result = self.engine.retrieve(query, self.language)
        docs: list[Document] = []
        for rank, prov in enumerate(result.provisions[: self.k]):
            for cid in prov.chunk_ids[:2]:
                chunk = result.chunks[cid]
                meta = {k: v for k, v in chunk.to_metadata().items()}
                meta.update(chunk_id=cid, provision_rank=rank + 1, provision_score=prov.score)
                docs.append(Document(page_content=chunk.text, metadata=meta, id=cid))
        return docs
