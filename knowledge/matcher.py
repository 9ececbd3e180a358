"""Question → best in-service entry, for the answering pipeline.

Only entries whose main provision (the § of their first answer sentence, e.g. 'AufenthG § 60b')
is among the retrieved provisions are candidates, so an entry about § X never answers a question
whose top provisions do not include § X. Score = the highest cosine between the question and any
of the entry's phrasings (all languages). Below `threshold`, no entry answers (the sentence-level
fallback does). The threshold is calibrated on the eval sets later; `DEFAULT_THRESHOLD` is a
placeholder, not a measured value.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from knowledge.loader import load_entries
from knowledge.models import Entry
from knowledge.service import EntryStatus, KnowledgeSettings, review_needed, service_status
from core.citations import provision_of
from knowledge.statute import StatuteLookup

EmbedFn = Callable[[list[str]], Sequence[Sequence[float]]]
DEFAULT_THRESHOLD = 0.90  # placeholder until calibrated (e5 cosines of related questions sit ~0.8-0.9)
E5_QUERY_PREFIX = "query: "

# (model id, sha256 of prefixed text) -> vector; phrasings are embedded once per process
_VECTOR_CACHE: dict[tuple[str, str], np.ndarray] = {}


@dataclass
class Match:
    entry: Entry
    score: float
    phrasing: str  # the phrasing that scored best
    phrasing_language: str
    language: str  # the language the answer should be shown in


def _key(model_id: str, text: str) -> tuple[str, str]:
    return model_id, hashlib.sha256(text.encode("utf-8")).hexdigest()


def embed_cached(texts: list[str], embed_fn: EmbedFn, model_id: str) -> np.ndarray:
    missing = [t for t in dict.fromkeys(texts) if _key(model_id, t) not in _VECTOR_CACHE]
    if missing:
        vectors = np.asarray(embed_fn(missing), dtype=np.float32)
        if vectors.shape[0] != len(missing):
            raise ValueError(f"embed_fn returned {vectors.shape[0]} vectors for {len(missing)} texts")
        for text, vector in zip(missing, vectors):
            _VECTOR_CACHE[_key(model_id, text)] = vector
    return np.stack([_VECTOR_CACHE[_key(model_id, t)] for t in texts])


def main_provision(entry: Entry) -> str:
    return provision_of(entry.answer[0].cite)


def match_entries(
    entries: Iterable[Entry],
    question: str,
    language: str,
    retrieved_provisions: Iterable[str],
    embed_fn: EmbedFn,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    model_id: str,
    prefix: str = E5_QUERY_PREFIX,
) -> Match | None:
    """Best entry among `entries` (already filtered to in-service ones) with score >= threshold."""
    if not question.strip():
        raise ValueError("question is empty")
    retrieved = {provision_of(p) for p in retrieved_provisions}
    candidates = [e for e in entries if main_provision(e) in retrieved]
    if not candidates:
        return None
    phrasings = [(entry, lang, q) for entry in candidates for lang, q in entry.questions.all()]
    vectors = embed_cached([prefix + q for _, _, q in phrasings], embed_fn, model_id)
    query = np.asarray(embed_fn([prefix + question]), dtype=np.float32)[0]
    scores = vectors @ query
    best = int(np.argmax(scores))
    if float(scores[best]) < threshold:
        return None
    entry, lang, phrasing = phrasings[best]
    return Match(entry, float(scores[best]), phrasing, lang, language)


class KnowledgeBase:
    """Entries + the statute they are checked against; serves only in-service entries."""

    def __init__(self, entries: list[Entry], statute: StatuteLookup, settings: KnowledgeSettings | None = None):
        self.entries = entries
        self.statute = statute
        self.settings = settings or KnowledgeSettings()
        self._status: dict[dt.date, dict[str, EntryStatus]] = {}

    @classmethod
    def load(cls, statute: StatuteLookup, settings: KnowledgeSettings | None = None, paths: list[Path] | None = None) -> "KnowledgeBase":
        """Entries from `settings.entries`; entries that do not even load are left out (check lists them)."""
        settings = settings or KnowledgeSettings()
        return cls(load_entries(paths or settings.entries).entries, statute, settings)

    def status(self, as_of: dt.date | None = None) -> dict[str, EntryStatus]:
        as_of = as_of or dt.date.today()
        if as_of not in self._status:
            self._status[as_of] = service_status(self.entries, self.statute, as_of, reviewed_only=self.settings.reviewed_only)
        return self._status[as_of]

    def in_service(self, as_of: dt.date | None = None) -> list[Entry]:
        status = self.status(as_of)
        return [e for e in self.entries if status[e.id].in_service]

    def review_needed(self) -> list[EntryStatus]:
        return review_needed(self.statute, self.entries)

    def match(
        self,
        question: str,
        language: str,
        retrieved_provisions: Iterable[str],
        embed_fn: EmbedFn,
        threshold: float = DEFAULT_THRESHOLD,
        *,
        model_id: str,
        prefix: str = E5_QUERY_PREFIX,
        as_of: dt.date | None = None,
    ) -> Match | None:
        return match_entries(
            self.in_service(as_of), question, language, retrieved_provisions, embed_fn, threshold, model_id=model_id, prefix=prefix
        )
