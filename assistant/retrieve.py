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
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant import glossary
from core.settings import Settings
from assistant.types import RetrievedProvision
from core.chunk import Chunk
from core.citations import DEFAULT_LAW, LegalRef, bare_sections, find_refs, provision_of
from index.vector_cache import embed_stored, provision_title_texts

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


def explicit_citations(text: str, view: CorpusView, refs: tuple[LegalRef, ...] | None = None) -> tuple[list[str], list[str]]:
    """(existing, missing) canonical citations the question names, incl. bare '25b' for AufenthG.
    `refs`: the references of `text` when they are already parsed."""
    found: list[str] = []
    missing: list[str] = []
    if refs is None:
        refs = tuple(find_refs(text, default_law=DEFAULT_LAW))
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
    for section, provision in bare_sections(text):
        if section.lower() in missing_sections:
            continue
        if provision in view.by_provision and provision not in found:
            found.append(provision)
    return found, missing


def _provision_of(chunk: Chunk) -> list[tuple[str, str]]:
    """(provision, citation) pairs a chunk counts for; guides count for what they mention."""
    if chunk.source_kind == "guide":
        return [(provision_of(m), m) for m in chunk.mentions]
    return [(chunk.provision, chunk.citation)] if chunk.provision else []


class HybridEngine:
    """Thread-safe after construction: all state is read-only; the embedder serialises itself."""

    def __init__(self, settings: Settings, index: Any, embedder: Any) -> None:
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.view = CorpusView(index.all_chunks())
        # every provision's heading, German and English (see index.vector_cache.provision_title_texts);
        # the vectors were computed at ingest and are loaded with the index
        self.title_provisions, titles = provision_title_texts(index.all_chunks())
        self.title_vectors = embed_stored(embedder, titles, "passage", index) if titles else np.zeros((0, 1))

    # ----------------------------------------------------------------------------- signals
    def _dense(self, queries: list[str], k: int) -> tuple[list[list[tuple[Chunk, float]]], np.ndarray]:
        vectors = np.asarray(self.embedder.embed_queries(queries))
        res = self.index.collection.query(query_embeddings=vectors.tolist(), n_results=k, include=["distances"])
        out = []
        for ids, dists in zip(res["ids"], res["distances"]):
            out.append([(self.view.by_id[i], 1.0 - float(d)) for i, d in zip(ids, dists) if i in self.view.by_id])
        return out, vectors

    def _title_hits(self, vector: np.ndarray) -> list[str]:
        """Provisions whose heading (German + English) e5 finds nearest to the question."""
        if not len(self.title_vectors):
            return []
        sims = self.title_vectors @ vector
        return [self.title_provisions[i] for i in np.argsort(-sims)[:TITLE_CANDIDATES]]

    def _chunk_signals(self, question: str, de_query: str, german_terms: list[str], language: str) -> tuple[dict[str, list[tuple[Chunk, float]]], np.ndarray]:
        """The ranked chunk lists of every chunk-level signal, and the e5 vectors of the queries."""
        k = self.settings.candidates_per_retriever
        signals: dict[str, list[tuple[Chunk, float]]] = {}
        signals["bm25_de"] = self.view.bm25_de.search(de_query, k)
        if language == "en":
            signals["bm25_en"] = self.view.bm25_en.search(question, k)
        dense_queries = [question]
        if german_terms:
            dense_queries.append(" ".join(german_terms))
        dense, vectors = self._dense(dense_queries, k)
        signals["dense"] = dense[0]
        if len(dense) > 1:
            signals["dense_de"] = dense[1]
        return signals, vectors

    def retrieve(
        self,
        question: str,
        language: str,
        carried: list[str] | None = None,
        as_of_past: bool = False,
        reading: glossary.Reading | None = None,
    ) -> RetrievalResult:
        """`question` is the (rewritten) search text; `carried` the provisions a follow-up inherits;
        `reading` the question already read (used when it is the search text)."""
        view = self.view
        if reading is None or reading.text != question:
            reading = glossary.read(question)
        expansion = reading.expansion
        explicit, missing = explicit_citations(question, view, reading.refs)
        # A named provision that does not exist ("§ 90 AufenthV") is flagged by the composer; it is
        # never mapped onto the same number of the other law: the content of the question decides.
        de_query = " ".join([question, *expansion.german_terms])
        signals, vectors = self._chunk_signals(question, de_query, expansion.german_terms, language)
        fusion = _Fusion(view)
        fusion.add_chunk_signals(signals)
        for rank, provision in enumerate(self._title_hits(vectors[0]), 1):
            fusion.add("title", provision, provision, rank, SIGNAL_WEIGHTS["title"])
        fusion.add_glossary(expansion.target_scores())
        fusion.add_named(explicit, carried or [])
        provisions, chunks = fusion.ranked(max(self.settings.top_k * 2, 8))
        return RetrievalResult(
            provisions=provisions,
            chunks=chunks,
            query=de_query,
            explicit=explicit,
            missing_citations=missing,
            guide_hits=fusion.guide_hits,
            historical=[c for p in provisions[:3] for c in view.historical_by_provision.get(p.provision, [])],
            concepts=[c.id for c in expansion.concepts],
            specific_concepts=len(expansion.specific),
            targeted_concepts=len(expansion.targeted),
            top_dense=max((s for c, s in signals["dense"] if c.source_kind != "guide"), default=0.0),
            temporal=as_of_past or bool(_TEMPORAL.search(question)),
            concept_provisions=list(dict.fromkeys(provision_of(t) for c in expansion.targeted if c.weight >= 0.5 for t in c.targets)),
            query_vector=vectors[0],
        )


class _Fusion:
    """Weighted reciprocal-rank fusion at provision level, and the Absatz scores inside each provision.
    The order of `add` calls is the order of the sums (kept stable: equal inputs, equal scores)."""

    def __init__(self, view: CorpusView) -> None:
        self.view = view
        self.provision_score: dict[str, float] = {}
        self.citation_score: dict[str, float] = {}
        self.debug: dict[str, dict[str, float]] = {}
        self.guide_hits: list[Chunk] = []

    def add(self, signal: str, provision: str, citation: str, rank: int, weight: float) -> None:
        self.provision_score[provision] = self.provision_score.get(provision, 0.0) + weight / (FUSION_K + rank)
        if citation != provision:  # a named or targeted Absatz
            share = GLOSSARY_ABSATZ_SHARE if signal == "glossary" else 1.0
            self._add_citation(citation, share * weight / (ABSATZ_K + rank))
        self.debug.setdefault(provision, {})[signal] = float(rank)

    def _add_citation(self, citation: str, value: float) -> None:
        self.citation_score[citation] = self.citation_score.get(citation, 0.0) + value

    def add_chunk_signals(self, signals: dict[str, list[tuple[Chunk, float]]]) -> None:
        """Chunk hits count for their provision (guides, at reduced weight, for what they mention)."""
        view = self.view
        for name, hits in signals.items():
            seen_prov: set[str] = set()
            seen_cite: set[str] = set()
            prov_rank = 0
            for chunk_rank, (chunk, _score) in enumerate(hits, 1):
                if chunk.source_kind == "statute" and not chunk.in_force:
                    continue
                is_guide = chunk.source_kind == "guide"
                if is_guide and chunk not in self.guide_hits:
                    self.guide_hits.append(chunk)
                for provision, citation in _provision_of(chunk):
                    if provision not in view.by_provision:
                        continue
                    weight = SIGNAL_WEIGHTS["guide_bridge" if is_guide else name]
                    if is_guide:
                        weight *= SIGNAL_WEIGHTS[name]
                    if provision not in seen_prov:
                        seen_prov.add(provision)
                        prov_rank += 1
                        self.add(name, provision, provision, prov_rank, weight)
                    if not is_guide and citation not in seen_cite and citation in view.by_citation:
                        # the Absatz inside its provision is chosen by its own rank in each signal
                        self._add_citation(citation, weight / (ABSATZ_K + chunk_rank))
                    seen_cite.add(citation)

    def add_glossary(self, target_scores: dict[str, float]) -> None:
        """The provisions (and Absätze) the question's glossary concepts point at."""
        targets = sorted(target_scores.items(), key=lambda kv: -kv[1])
        seen_prov: set[str] = set()
        rank = 0
        for citation, strength in targets:
            provision = provision_of(citation)
            if provision not in self.view.by_provision:
                continue
            cite = citation if citation in self.view.by_citation else provision
            if provision not in seen_prov:
                seen_prov.add(provision)
                rank += 1
                self.add("glossary", provision, cite, rank, SIGNAL_WEIGHTS["glossary"] * min(1.0, strength))
            elif cite != provision:
                self._add_citation(cite, GLOSSARY_ABSATZ_SHARE * 0.5 * SIGNAL_WEIGHTS["glossary"] / (ABSATZ_K + rank))

    def add_named(self, explicit: list[str], carried: list[str]) -> None:
        """Provisions the question names, then those a follow-up carries over from the conversation."""
        for position, cite in enumerate(explicit):
            self.add("cited", provision_of(cite), cite, position + 1, SIGNAL_WEIGHTS["cited"])
        for position, cite in enumerate(carried):
            provision = provision_of(cite)
            if provision in self.view.by_provision:
                self.add("history", provision, cite if cite in self.view.by_citation else provision, position + 1, SIGNAL_WEIGHTS["history"])

    def ranked(self, limit: int) -> tuple[list[RetrievedProvision], dict[str, Chunk]]:
        """The best `limit` provisions, each with its chunks ordered by Absatz score, and every chunk used."""
        ranked = sorted(self.provision_score.items(), key=lambda kv: -kv[1])[:limit]
        provisions: list[RetrievedProvision] = []
        chunks: dict[str, Chunk] = {}
        for provision, score in ranked:
            candidates = list(self.view.by_provision[provision])
            candidates.sort(key=lambda c: (-self.citation_score.get(c.citation, 0.0), c.chunk_id))
            ordered_ids = [c.chunk_id for c in candidates if self.citation_score.get(c.citation, 0.0) > 0] or [candidates[0].chunk_id]
            for cid in ordered_ids:
                chunks[cid] = self.view.by_id[cid]
            provisions.append(
                RetrievedProvision(
                    provision=provision,
                    best_citation=candidates[0].citation,
                    score=round(score, 6),
                    chunk_ids=ordered_ids,
                    signals=self.debug.get(provision, {}),
                )
            )
        for guide in self.guide_hits:
            chunks[guide.chunk_id] = guide
        return provisions, chunks
