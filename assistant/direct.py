"""The direct answer and its proof: what the user sees before "more".

Sources, in this order (issue 11):
1. the rule checker, when case facts are known: its verdict with the key dates;
2. a reviewed knowledge-base entry (`knowledge/`) whose main provision is among the retrieved top
   provisions and whose phrasings match the question well enough (`ENTRY_THRESHOLD`);
3. sentence-level evidence: the Satz / Nummer of the retrieved provisions nearest to the question,
   shown with an honest template lead ("the law does not answer this in a sentence I can summarise").

Everything shown is a template sentence, a reviewed entry sentence, a checker label or a verbatim
statute sentence; each direct sentence carries its citation down to Satz / Nr.
"""

from __future__ import annotations

import atexit
import datetime as dt
import threading
import time
from pathlib import Path
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.compose import excerpt
from assistant.i18n import t
from assistant.types import Block, Citation
from assistant.validate import make_citation, quote_in_text
from core.chunk import Chunk
from knowledge import KnowledgeBase
from knowledge.service import KnowledgeSettings
from knowledge.matcher import E5_QUERY_PREFIX, Match, embed_cached, main_provision
from knowledge.sentences import StatuteUnit, absatz_units, split_sentences
from knowledge.statute import StatuteLookup, provision_of
from knowledge.statute_source import AbsatzRecord, records_from_chunks
from rules.verdict import RuleVerdict

# An entry answers only when its main provision is among the first ENTRY_TOP_N retrieved provisions.
ENTRY_TOP_N = 3
# Cosine (multilingual-e5-small, "query: " prefix) between the question and the entry's best
# phrasing. Calibrated 2026-12-02 with `python -m assistant.calibrate_direct` on 285 answerable
# questions (shared dev 53, evals/questions.jsonl 141, tests/assistant/data/heldout 57 + heldout2 34):
# a lead is good when it meets every must_include group and cites a gold provision. Good leads by
# threshold: 0.80-0.845 107, 0.88 109, 0.89 112, 0.905 115, 0.91 113, 0.92 115, 0.93 110, 0.95 104,
# 0.97 93. 0.92 ties 0.905 and is the safer (fewer entry leads on neighbouring questions).
ENTRY_THRESHOLD = 0.92
CALIBRATION = "0.92: 115/285 good leads (0.88: 109, 0.95: 104); dev 13/53 entry leads, own 63/141"
ENTRY_TIE_MARGIN = 0.015
# Sentence-level evidence: units of the first EVIDENCE_PROVISIONS provisions, at most
# EVIDENCE_ABSAETZE retrieved Absätze each, are scored against the question.
EVIDENCE_PROVISIONS = 3
EVIDENCE_ABSAETZE = 4
TOP_PROVISION_BONUS = 0.015  # the best-ranked provision wins near-ties (retrieval saw more signals)
WHY_CHARS = 360  # a "why" sentence longer than this is shown as a verbatim prefix with " …"
LEAD_QUOTE_CHARS = 300
TRANSLATION_CHARS = 260
MAX_WHY = 2


@dataclass
class Evidence:
    unit: StatuteUnit
    chunk: Chunk
    score: float


class PhrasingVectorFile:
    """The knowledge base's phrasing vectors (knowledge.matcher's cache) kept on disk in the cache
    folder, so that a new process does not embed ~6,000 phrasings again (minutes on a busy CPU)."""

    SAVE_EVERY_S = 30.0

    def __init__(self, cache_dir: Path, model_id: str):
        from knowledge import matcher

        self._cache = matcher._VECTOR_CACHE
        self.model_id = model_id
        self.path = cache_dir / f"knowledge-phrasings-{model_id.replace('/', '_').replace(':', '_')}.npz"
        self._saved_size = 0
        self._last_save = 0.0
        if self.path.exists():
            try:
                data = np.load(self.path)
                for digest, vector in zip(data["keys"], data["vectors"]):
                    self._cache.setdefault((model_id, str(digest)), vector)
            except (OSError, ValueError, KeyError):
                pass  # a damaged cache file is rebuilt
        self._saved_size = self._size()
        atexit.register(self.save_if_grown, True)

    def _size(self) -> int:
        return sum(1 for model, _ in self._cache if model == self.model_id)

    def save_if_grown(self, force: bool = False) -> None:
        size = self._size()
        if size == self._saved_size or (not force and time.monotonic() - self._last_save < self.SAVE_EVERY_S and self._saved_size):
            return
        items = [(digest, vector) for (model, digest), vector in list(self._cache.items()) if model == self.model_id]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array([d for d, _ in items]), vectors=np.stack([v for _, v in items]))
        tmp.replace(self.path)
        self._saved_size, self._last_save = size, time.monotonic()


def records_from_view(view: Any) -> list[AbsatzRecord]:
    """Absätze of the in-memory index view (no second index open or model load)."""
    return records_from_chunks(view.by_id.values(), include_historical=True)


def _absatz_of(unit_citation: str) -> str:
    """'AufenthG § 60b Abs. 5 Satz 2' → 'AufenthG § 60b Abs. 5'."""
    words = unit_citation.split()
    return " ".join(words[:5]) if len(words) >= 5 and words[3] == "Abs." else " ".join(words[:3])


class DirectAnswerer:
    """Built once per Pipeline from its index view and embedder."""

    def __init__(self, view: Any, embedder: Any, knowledge: KnowledgeBase | None = None, cache_dir: Path | None = None,
                 reviewed_only: bool = False):
        self.view = view
        self._phrasing_cache = PhrasingVectorFile(Path(cache_dir), embedder.model_name) if cache_dir else None
        self.embedder = embedder
        records = records_from_view(view)
        self.statute = StatuteLookup.from_records(records, origin="pipeline index")
        self.knowledge = knowledge or KnowledgeBase.load(self.statute, KnowledgeSettings(reviewed_only=reviewed_only))
        self.units_by_absatz: dict[str, list[StatuteUnit]] = {}
        for record in records:
            if record.in_force:
                self.units_by_absatz[record.citation] = [u for u in absatz_units(record.citation, record.text) if u.kind == "satz" or u.kind == "nummer"]
        self._unit_vectors: dict[str, np.ndarray] = {}
        self._lock = threading.RLock()
        self.entry_threshold = ENTRY_THRESHOLD

    # ---------------------------------------------------------------- embeddings
    def _embed_plain(self, texts: list[str]) -> np.ndarray:
        model = self.embedder.model
        return model.encode(list(texts), batch_size=self.embedder.batch_size, normalize_embeddings=True, convert_to_numpy=True)

    def unit_vectors(self, units: list[StatuteUnit]) -> np.ndarray:
        with self._lock:
            missing = [u for u in units if u.citation not in self._unit_vectors]
            if missing:
                vectors = np.asarray(self.embedder.embed_passages([u.text for u in missing]), dtype=np.float32)
                for unit, vector in zip(missing, vectors):
                    self._unit_vectors[unit.citation] = vector
            return np.stack([self._unit_vectors[u.citation] for u in units])

    # ---------------------------------------------------------------- sources
    def match_entry(self, question: str, lang: str, result: Any, as_of: dt.date | None = None, threshold: float | None = None) -> Match | None:
        """The in-service entry that answers the question, or None.

        Candidates: entries whose main provision is among the first ENTRY_TOP_N retrieved ones.
        Score: the best cosine between the question and the entry's phrasings (knowledge.matcher).
        Entries within ENTRY_TIE_MARGIN of the best are near-ties (sibling entries on one §, e.g.
        "what is the Duldung for unclear identity" vs "may I work with it"): the one whose cited
        statute sentences are nearest to the question wins."""
        threshold = self.entry_threshold if threshold is None else threshold
        provisions = {provision_of(p.provision) for p in result.provisions[:ENTRY_TOP_N]}
        candidates = [e for e in self.knowledge.in_service(as_of) if main_provision(e) in provisions]
        if not candidates or not question.strip():
            return None
        with self._lock:
            phrasings = [(entry, q) for entry in candidates for _, q in entry.questions.all()]
            vectors = embed_cached([E5_QUERY_PREFIX + q for _, q in phrasings], self._embed_plain, self.embedder.model_name)
            query = self._embed_plain([E5_QUERY_PREFIX + question])[0]
            if self._phrasing_cache is not None:
                self._phrasing_cache.save_if_grown()
        scores = vectors @ query
        best: dict[str, tuple[float, Any]] = {}
        for (entry, _), score in zip(phrasings, scores):
            if entry.id not in best or score > best[entry.id][0]:
                best[entry.id] = (float(score), entry)
        top_score = max(s for s, _ in best.values())
        if top_score < threshold:
            return None
        near = [(s, e) for s, e in best.values() if s >= top_score - ENTRY_TIE_MARGIN]
        if len(near) > 1 and result.query_vector is not None:
            near.sort(key=lambda se: -self._span_closeness(se[1], result.query_vector))
        else:
            near.sort(key=lambda se: -se[0])
        score, entry = near[0]
        return Match(entry, score, "", lang, lang)

    def _span_closeness(self, entry: Any, query_vector: Any) -> float:
        units = [u for u in (self.statute.resolve(s.citation) for s in entry.spans) if u is not None]
        if not units:
            return -1.0
        return float((self.unit_vectors(units) @ np.asarray(query_vector, dtype=np.float32)).max())

    def evidence(self, result: Any) -> list[Evidence]:
        """Statute units of the retrieved provisions, best first."""
        candidates: list[tuple[StatuteUnit, Chunk, float]] = []
        for rank, prov in enumerate(result.provisions[:EVIDENCE_PROVISIONS]):
            seen: list[str] = []
            for cid in prov.chunk_ids:
                chunk = self.view.by_id.get(cid)
                if chunk is None or chunk.citation in seen or not chunk.in_force:
                    continue
                seen.append(chunk.citation)
                for unit in self.units_by_absatz.get(chunk.citation, []):
                    candidates.append((unit, self.view.by_citation[chunk.citation][0], TOP_PROVISION_BONUS if rank == 0 else 0.0))
                if len(seen) == EVIDENCE_ABSAETZE:
                    break
        if not candidates or result.query_vector is None:
            return []
        vectors = self.unit_vectors([u for u, _, _ in candidates])
        scores = vectors @ np.asarray(result.query_vector, dtype=np.float32) + np.array([b for _, _, b in candidates])
        order = np.argsort(-scores)
        return [Evidence(candidates[i][0], candidates[i][1], float(scores[i])) for i in order]

    # ---------------------------------------------------------------- blocks
    def unit_citation(self, unit_citation: str, quote: str | None = None) -> Citation | None:
        absatz = _absatz_of(unit_citation)
        chunks = self.view.by_citation.get(absatz, [])
        unit = self.statute.resolve(unit_citation)
        text = quote or (unit.text if unit else None)
        holding = [c for c in chunks if text and quote_in_text(text, c.text)] or chunks[:1]
        if not holding:
            return None
        return make_citation(holding[0], text).model_copy(update={"citation": unit.citation if unit else unit_citation})

    def why_blocks(self, unit_citations: list[str], lang: str) -> list[Block]:
        blocks: list[Block] = []
        for cite in list(dict.fromkeys(unit_citations))[:MAX_WHY]:
            unit = self.statute.resolve(cite)
            if unit is None:
                continue
            shown = excerpt(unit.text, WHY_CHARS)
            citation = self.unit_citation(unit.citation, shown)
            if citation is None:
                continue
            cut = "" if shown == unit.text else " …"
            blocks.append(Block(kind="why", text=f"{unit.citation}: „{shown}“{cut}", citations=[citation], language="de"))
            translation = self.translation_sentence(unit) if lang != "de" else None
            if translation is not None:
                blocks.append(translation)
        return blocks

    def translation_sentence(self, unit: StatuteUnit) -> Block | None:
        """The English sentence at the same Satz position, only when the translation of the Absatz
        has as many sentences as the German one (else the positions cannot be trusted)."""
        if unit.kind != "satz" or not unit.satz:
            return None
        absatz = _absatz_of(unit.citation)
        translations = self.view.translation_by_citation.get(absatz, [])
        german_count = sum(1 for u in self.units_by_absatz.get(absatz, []) if u.kind == "satz")
        if not translations or not german_count:
            return None
        sentences = split_sentences(" ".join(c.text for c in translations))
        if len(sentences) != german_count:
            return None
        sentence = excerpt(sentences[unit.satz - 1], TRANSLATION_CHARS)
        return Block(
            kind="translation",
            text=f"{t('en', 'direct_translation')} \"{sentence}\"",
            citations=[make_citation(translations[0], sentence)],
            language="en",
        )

    def entry_blocks(self, match: Match, langs: list[str]) -> tuple[list[Block], list[Block], list[Block]]:
        """(direct, why, todo) blocks of a matched entry."""
        entry = match.entry
        direct: list[Block] = []
        todo: list[Block] = []
        for lang in langs:
            for sentence in entry.answer:
                citation = self.unit_citation(sentence.cite)
                direct.append(Block(kind="direct", text=f"{sentence.text(lang)} ({sentence.cite})", citations=[citation] if citation else [], language=lang))
            for step in entry.next_steps:
                citation = self.unit_citation(step.cite)
                todo.append(Block(kind="todo", text=f"{step.text(lang)} ({step.cite})", citations=[citation] if citation else [], language=lang))
        why = self.why_blocks([s.citation for s in entry.spans], langs[0])
        return direct, why, todo

    def fallback_blocks(self, evidence: list[Evidence], langs: list[str]) -> tuple[list[Block], list[Block]]:
        """The honest lead: the closest sentence of the law, verbatim; (direct, why)."""
        best = evidence[0]
        shown = excerpt(best.unit.text, LEAD_QUOTE_CHARS)
        cut = "" if shown == best.unit.text else " …"
        citation = self.unit_citation(best.unit.citation, shown)
        direct = [
            Block(
                kind="direct",
                text=f"{t(lang, 'direct_fallback', citation=best.unit.citation)} „{shown}“{cut}",
                citations=[citation] if citation else [],
                language=lang,
            )
            for lang in langs
        ]
        translation = self.translation_sentence(best.unit) if langs[0] != "de" else None
        others = [e.unit.citation for e in evidence[1:2]]  # one more sentence as proof, budget allowing
        why = ([translation] if translation else []) + self.why_blocks(others, langs[0])
        return direct, why

    def verdict_blocks(self, verdict: RuleVerdict, langs: list[str]) -> list[Block]:
        """The checker's verdict and its key dates as the direct answer."""
        blocks: list[Block] = []
        for lang in langs:
            text = t(lang, "verdict", provision=verdict.provision, verdict=t(lang, f"verdict_{verdict.verdict}"))
            citations: list[Citation] = []
            for condition in verdict.trace:
                if condition.outcome in ("met", "not_met"):
                    c = self.unit_citation(condition.citation, condition.statute_text or None)
                    if c is not None:
                        citations.append(c)
                        break
            blocks.append(Block(kind="direct", text=text, citations=citations, language=lang))
            for key_date in verdict.key_dates[:2]:
                c = self.unit_citation(key_date.citation)
                blocks.append(Block(kind="direct", text=f"{key_date.label} ({key_date.citation})", citations=[c] if c else [], language=lang))
        return blocks


def lead_provisions(blocks: list[Block]) -> set[str]:
    return {provision_of(c.citation) for b in blocks if b.kind in ("direct", "why") for c in b.citations}
