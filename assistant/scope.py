"""Is the question one our sources cover? The one place where refusal is decided.

A question is out of scope when no provision of ours is named and
* a listed off-topic subject (glossary/out_of_scope.yaml) outweighs the specific in-scope concepts
  and the residence-law concepts of the question do not point at what was retrieved (a fee
  question that mentions Jobcenter benefits is still a fee question); or
* e5 puts the question clearly nearer to out-of-scope exemplar questions than to in-scope ones
  and to any statute chunk (`ScopeExemplars.out_of_scope`, all languages alike); or
* no glossary concept points at a provision and nothing matches well enough (the calibrated
  threshold in scope.toml, written by `python -m assistant.calibrate`).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from assistant import glossary
from assistant.retrieve import RetrievalResult
from core.settings import Settings
from index.vector_cache import embed_stored

CALIBRATION_PATH = Path(__file__).resolve().parent / "scope.toml"


def _calibration() -> dict[str, Any]:
    return tomllib.loads(CALIBRATION_PATH.read_text(encoding="utf-8"))


def stored_threshold() -> float:
    return float(_calibration()["refusal_threshold"])


def refusal_threshold(settings: Settings) -> float:
    return settings.refusal_threshold if settings.refusal_threshold is not None else stored_threshold()


def stored_margins() -> tuple[float, float]:
    """(margin over the in-scope exemplars, margin over the best statute chunk) for the e5 scope test."""
    data = _calibration()
    return float(data["out_of_scope_margin_exemplars"]), float(data["out_of_scope_margin_statute"])


def scope_score(result: RetrievalResult) -> float:
    """The evidence that the sources cover the question: the best dense cosine of a statute chunk."""
    return result.top_dense


def concepts_hit_retrieved(result: RetrievalResult, top: int = 3) -> bool:
    """A glossary concept of the question points at one of the best-ranked provisions: the
    question's residence-law content is what retrieval found."""
    wanted = set(result.concept_provisions)  # concepts of weight >= 0.5 (generic words below that)
    return any(p.provision in wanted for p in result.provisions[:top])


class ScopeExemplars:
    """Out-of-scope and in-scope exemplar questions (glossary/*_exemplars.yaml), embedded once."""

    def __init__(self, embedder: Any, index: Any = None) -> None:
        import numpy as np
        import yaml

        def load(name: str) -> list[str]:
            data = yaml.safe_load((glossary.GLOSSARY_DIR / name).read_text(encoding="utf-8")) or {}
            return [str(q) for questions in data.values() for q in questions or []]

        self.out_texts = load("out_of_scope_exemplars.yaml")
        self.in_texts = load("in_scope_exemplars.yaml")
        # stored with the index after the first process embedded them (index/vector_cache.py)
        self.out_vectors = embed_stored(embedder, self.out_texts, "query", index)
        self.in_vectors = embed_stored(embedder, self.in_texts, "query", index)
        self.margin_exemplars, self.margin_statute = stored_margins()

    def margins(self, result: RetrievalResult) -> tuple[float, float]:
        """(nearest out-of-scope - nearest in-scope exemplar, nearest out-of-scope - best statute chunk)."""
        if result.query_vector is None:
            return (-1.0, -1.0)
        out_sim = float((self.out_vectors @ result.query_vector).max())
        in_sim = float((self.in_vectors @ result.query_vector).max())
        return (out_sim - in_sim, out_sim - result.top_dense)

    def out_of_scope(self, result: RetrievalResult) -> bool:
        by_exemplars, by_statute = self.margins(result)
        return by_exemplars > self.margin_exemplars and by_statute > self.margin_statute


class Scope:
    """Built once per pipeline (embeds the exemplars); read-only afterwards."""

    def __init__(self, settings: Settings, embedder: Any, index: Any = None) -> None:
        self.settings = settings
        self.exemplars = ScopeExemplars(embedder, index)

    def topic_is_context(self, result: RetrievalResult) -> bool:
        """An out-of-scope word is only context ("does Kindergeld count as public funds", "the
        Jobcenter wrote that I must attend the integration course") when a residence-law concept
        of the question points at the best-ranked provision AND e5 finds the question no nearer to
        the out-of-scope exemplars than to the in-scope ones and to the best statute chunk (both
        margins <= 0: the mirror image of `ScopeExemplars.out_of_scope`, no tuned number)."""
        if not concepts_hit_retrieved(result, top=1):
            return False
        return max(self.exemplars.margins(result)) <= 0.0

    def should_refuse(self, result: RetrievalResult, question: str, language: str) -> bool:
        """See the module docstring; `question` is the search text, `language` the user's."""
        if not result.provisions:
            return True
        if result.explicit:
            return False
        topics = len(glossary.out_of_scope(question, language))
        if topics and topics >= result.specific_concepts and not self.topic_is_context(result):
            return True
        if result.specific_concepts <= topics and self.exemplars.out_of_scope(result):
            return True
        return result.targeted_concepts == 0 and scope_score(result) < refusal_threshold(self.settings)
