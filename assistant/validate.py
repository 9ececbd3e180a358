"""Citation validator (haystack-style answer check) for composed and generated text.

* every kept sentence carries at least one citation to a retrieved chunk of an existing provision;
* citations to anything not retrieved (or not existing) are removed;
* quoted words must stand verbatim in the cited chunk after Unicode-aware normalisation;
* uncited sentences are dropped.

Quotes are compared after `core.text.normalise_text` (Unicode-aware, "ß" stays "ß").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.types import Citation
from core.chunk import Chunk
from core.text import normalise_text, split_sentences
from core.citations import find_refs

# quoted passages in generated text: „…“, "…", “…”, «…», '…' (at least 3 words to count as a quote)
_QUOTED = re.compile(r"[„“\"«»‚‘]([^„“”\"«»]{12,}?)[“”\"«»‘’]")
_BRACKETED = re.compile(r"\[([^\[\]]{3,80})\]")


def quote_in_text(quote: str, source: str) -> bool:
    """The quote stands verbatim (after normalisation) in the source text."""
    q = normalise_text(quote).strip(" .,;:\"'…")
    return bool(q) and q in normalise_text(source)


def make_citation(chunk: Chunk, quote: str | None = None) -> Citation:
    """A Citation whose quote is verified to stand in the chunk (else the chunk's own text)."""
    text = quote if quote and quote_in_text(quote, chunk.text) else chunk.text
    return Citation(
        citation=chunk.citation or chunk.source_title,
        source_id=chunk.source_id,
        source_title=chunk.source_title,
        source_kind=chunk.source_kind,
        binding=chunk.binding,
        quote=text,
        url=chunk.url,
        version=chunk.version,
        chunk_id=chunk.chunk_id,
        language=chunk.language,
    )


@dataclass
class ValidatedSentence:
    text: str
    citations: list[Citation]


@dataclass
class ValidationReport:
    kept: list[ValidatedSentence] = field(default_factory=list)
    dropped_uncited: list[str] = field(default_factory=list)
    dropped_bad_quote: list[str] = field(default_factory=list)
    removed_citations: list[str] = field(default_factory=list)
    dropped_bad_citation: list[str] = field(default_factory=list)
    dropped_key_fact: list[str] = field(default_factory=list)  # a number the evidence does not contain


def _cited_refs(sentence: str) -> list[str]:
    refs = []
    for ref in find_refs(sentence, default_law="AufenthG"):
        if ref.law:
            refs.append(ref.citation)
    return refs


def validate_generated(text: str, retrieved: list[Chunk]) -> ValidationReport:
    """Check generated text sentence by sentence against the retrieved (citable) chunks."""
    by_citation: dict[str, list[Chunk]] = {}
    for chunk in retrieved:
        if chunk.citation:
            by_citation.setdefault(chunk.citation, []).append(chunk)
            by_citation.setdefault(chunk.provision, []).append(chunk)
    report = ValidationReport()
    for sentence in split_sentences(text):
        refs = _cited_refs(sentence)
        chunks: list[Chunk] = []
        for ref in refs:
            hit = by_citation.get(ref)  # "§ 25b Abs. 9" must exist as retrieved; "§ 25b" matches the provision
            if hit:
                chunks.extend(c for c in hit if c not in chunks)
            elif ref not in report.removed_citations:
                report.removed_citations.append(ref)
        if not chunks:
            report.dropped_uncited.append(sentence)
            continue
        quotes = [q.strip() for q in _QUOTED.findall(sentence)]
        if any(not any(quote_in_text(q, c.text) for c in chunks) for q in quotes):
            report.dropped_bad_quote.append(sentence)
            continue
        shown = _strip_invalid_refs(sentence, report.removed_citations)
        if any(r not in by_citation for r in _cited_refs(shown)):
            report.dropped_bad_citation.append(sentence)  # an invented citation inside the prose
            continue
        cits = []
        for c in chunks:
            quote = next((q for q in quotes if quote_in_text(q, c.text)), None)
            cits.append(make_citation(c, quote))
        report.kept.append(ValidatedSentence(shown, cits))
    return report


def _strip_invalid_refs(sentence: str, invalid: list[str]) -> str:
    """Remove bracketed citations to things not retrieved, e.g. "[§ 999 AufenthG]"."""
    def repl(m: re.Match[str]) -> str:
        inner = m.group(1)
        refs = [r.citation for r in find_refs(inner, default_law="AufenthG") if r.law]
        return "" if refs and all(r in invalid for r in refs) else m.group(0)

    return re.sub(r"\s{2,}", " ", _BRACKETED.sub(repl, sentence)).strip()
