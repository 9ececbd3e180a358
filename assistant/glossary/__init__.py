"""The multilingual glossary (terms.yaml) and the out-of-scope topic list (out_of_scope.yaml).

`expand(text)` finds the concepts a question mentions in any supported language and returns
their German statutory terms (for BM25 over the German text and a second dense query) and their
target provisions (a retrieval signal of its own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from core.citations import DEFAULT_LAW, LegalRef, find_refs
from core.text import normalise_for_matching

GLOSSARY_DIR = Path(__file__).resolve().parent
SPECIFIC_WEIGHT = 1.0  # entries at or above this weight are specific legal concepts ("in scope")

_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
_LATIN = re.compile(r"^[\x00-\u024F\s'\-/.]+$")


def _term_pattern(term: str) -> re.Pattern[str]:
    norm = normalise_for_matching(term)
    if _ARABIC_SCRIPT.search(norm):
        return re.compile(re.escape(norm).replace(r"\ ", r"\s+"))  # clitics (ال، و، ب، ل، می) attach: match anywhere
    # every word of a multi-word term is a stem: "тимчасов захист" matches "тимчасовий захист"
    body = r"\w*\s+".join(re.escape(word) for word in norm.split(" "))
    if _LATIN.match(norm) and len(norm) <= 3:
        return re.compile(rf"(?<![\w]){body}(?![\w])")  # short Latin words: whole word only
    return re.compile(rf"(?<![\w]){body}")  # word start; stems catch inflections


@dataclass(frozen=True)
class Concept:
    id: str
    german: tuple[str, ...]
    targets: tuple[str, ...]
    weight: float
    patterns: tuple[re.Pattern[str], ...]
    all_of: tuple[str, ...] = ()  # a combination concept: present when all these concepts are
    by_language: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = ()  # the same patterns per language


@dataclass
class Expansion:
    concepts: list[Concept] = field(default_factory=list)

    @property
    def german_terms(self) -> list[str]:
        seen: dict[str, None] = {}
        for concept in self.concepts:
            for term in concept.german:
                seen.setdefault(term, None)
        return list(seen)

    @property
    def targeted(self) -> list[Concept]:
        return [c for c in self.concepts if c.targets]

    @property
    def specific(self) -> list[Concept]:
        return [c for c in self.concepts if c.weight >= SPECIFIC_WEIGHT]

    def target_scores(self) -> dict[str, float]:
        """Citation -> score: concept weight, decaying with the target's position in its list."""
        scores: dict[str, float] = {}
        for concept in self.concepts:
            for position, citation in enumerate(concept.targets):
                value = concept.weight / (1.0 + 0.5 * position)
                scores[citation] = scores.get(citation, 0.0) + value
        return scores


def _load(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of entries")
    return data


COMPOUND_TAIL_MIN = 6  # German out-of-scope words this long also match as a compound's tail


def _compound_pattern(term: str) -> re.Pattern[str]:
    """German forms compounds: "steuer" must also find "Hundesteuer", "Umsatzsteuer"."""
    norm = normalise_for_matching(term)
    return re.compile(re.escape(norm))


def _concepts(entries: list[dict], path: Path, compound_tails: bool = False) -> tuple[Concept, ...]:
    def pattern(lang: str, term: str) -> re.Pattern[str]:
        if compound_tails and lang == "de" and " " not in term and len(term) >= COMPOUND_TAIL_MIN:
            return _compound_pattern(term)
        return _term_pattern(term)

    concepts = []
    for entry in entries:
        if "id" in entry and "all_of" in entry and "terms" not in entry:
            entry = {**entry, "terms": {}}
        if "id" not in entry or "terms" not in entry:
            raise ValueError(f"{path}: every entry needs `id` and `terms` or `all_of` ({entry!r:.80})")
        terms = [(lang, str(t)) for lang, lang_terms in entry["terms"].items() for t in (lang_terms or [])]
        concepts.append(
            Concept(
                id=entry["id"],
                german=tuple(entry.get("de", [])),
                targets=tuple(entry.get("targets", [])),
                weight=float(entry.get("weight", 1.0)),
                patterns=tuple(pattern(lang, t) for lang, t in terms if t.strip()),
                all_of=tuple(entry.get("all_of", [])),
                by_language=tuple(
                    (lang, tuple(pattern(lang, str(t)) for t in (lang_terms or []) if str(t).strip()))
                    for lang, lang_terms in entry["terms"].items()
                ),
            )
        )
    return tuple(concepts)


@lru_cache(maxsize=1)
def concepts() -> tuple[Concept, ...]:
    path = GLOSSARY_DIR / "terms.yaml"
    return _concepts(_load(path), path)


@lru_cache(maxsize=1)
def out_of_scope_topics() -> tuple[Concept, ...]:
    path = GLOSSARY_DIR / "out_of_scope.yaml"
    return _concepts(_load(path), path, compound_tails=True)


def _matches(text: str, pool: tuple[Concept, ...]) -> list[Concept]:
    norm = normalise_for_matching(text)
    found = [c for c in pool if not c.all_of and any(p.search(norm) for p in c.patterns)]
    ids = {c.id for c in found}
    found += [c for c in pool if c.all_of and all(i in ids for i in c.all_of)]
    return found


def expand(text: str) -> Expansion:
    return Expansion(_matches(text, concepts()))


@dataclass(frozen=True)
class Reading:
    """What a question says, read once per question and shared by the follow-up rewrite and
    retrieval: its glossary concepts and the legal references it names (bare law = AufenthG)."""

    text: str
    expansion: Expansion
    refs: tuple[LegalRef, ...]


def read(text: str) -> Reading:
    return Reading(text=text, expansion=expand(text), refs=tuple(find_refs(text, default_law=DEFAULT_LAW)))


# Out-of-scope words of the question's own language count, plus German and English ones (people
# quote "Kindergeld", "Jobcenter" in every language); a Turkish stem must not fire inside a German
# word ("vergi" in "Vergiss").
QUOTED_LANGUAGES = ("de", "en")


def out_of_scope(text: str, language: str | None = None) -> list[Concept]:
    if language is None:
        return _matches(text, out_of_scope_topics())
    norm = normalise_for_matching(text)
    wanted = {language, *QUOTED_LANGUAGES}
    return [
        c for c in out_of_scope_topics()
        if any(p.search(norm) for lang, patterns in c.by_language if lang in wanted for p in patterns)
    ]
