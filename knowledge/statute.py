"""Statute lookup at sentence level: citation ('AufenthG § 60b Abs. 5 Satz 2') → verbatim unit."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.sentences import StatuteUnit, absatz_units, normalize
from knowledge.statute_source import AbsatzRecord, records_from_corpus, records_from_index

# 'AufenthG § 60b Abs. 5 Satz 2 Nr. 1 Buchst. a' — long forms (Absatz, Nummer, Buchstabe) accepted
_CITATION = re.compile(
    r"^(?P<law>AufenthG|AufenthV)\s*§\s*(?P<section>\d{1,3}[a-z]?)"
    r"(?:\s+(?:Abs\.|Absatz)\s*(?P<absatz>\d{1,2}[a-z]?))?"
    r"(?:\s+(?:Satz|S\.)\s*(?P<satz>\d{1,2}))?"
    r"(?:\s+(?:Nr\.|Nummer)\s*(?P<nummer>\d{1,3}[a-z]?))?"
    r"(?:\s+(?:Buchst\.|Buchstabe)\s*(?P<buchstabe>[a-z]{1,2}))?$"
)


def canonical_citation(citation: str) -> str | None:
    """'AufenthG § 60b Absatz 5 Satz 2' → 'AufenthG § 60b Abs. 5 Satz 2'; None if not a citation."""
    m = _CITATION.match(" ".join(citation.replace("\u00a0", " ").split()))
    if not m:
        return None
    out = f"{m['law']} § {m['section']}"
    if m["absatz"]:
        out += f" Abs. {m['absatz']}"
    if m["satz"]:
        out += f" Satz {m['satz']}"
    if m["nummer"]:
        out += f" Nr. {m['nummer']}"
    if m["buchstabe"]:
        out += f" Buchst. {m['buchstabe']}"
    return out


def provision_of(citation: str) -> str:
    """'AufenthG § 60b Abs. 5 Satz 2' → 'AufenthG § 60b'."""
    m = _CITATION.match(canonical_citation(citation) or citation)
    return f"{m['law']} § {m['section']}" if m else citation


def text_hash(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


@dataclass
class StatuteLookup:
    """All Sätze / Nummern / Buchstaben of the indexed statutes, by canonical citation."""

    units: dict[str, StatuteUnit] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # accepted spelling → canonical
    absaetze: dict[str, int] = field(default_factory=dict)  # Absatz citation → number of Sätze
    origin: str = ""

    @classmethod
    def from_records(cls, records: list[AbsatzRecord], origin: str = "") -> "StatuteLookup":
        lookup = cls(origin=origin)
        for record in records:
            units = absatz_units(record.citation, record.text)
            lookup.absaetze[record.citation] = sum(1 for u in units if u.kind == "satz")
            for unit in units:
                lookup.units[unit.citation] = unit
                for alias in unit.aliases:
                    lookup.aliases.setdefault(alias, unit.citation)
        return lookup

    @classmethod
    def from_corpus(cls, shared_dir: Path | str | None = None, corpus_dir: Path | str | None = None) -> "StatuteLookup":
        return cls.from_records(records_from_corpus(shared_dir, corpus_dir), origin=str(corpus_dir or shared_dir or "corpus"))

    @classmethod
    def from_index(cls, settings=None) -> "StatuteLookup":
        return cls.from_records(records_from_index(settings), origin="live index")

    def resolve(self, citation: str) -> StatuteUnit | None:
        canonical = canonical_citation(citation)
        if canonical is None:
            return None
        key = canonical if canonical in self.units else self.aliases.get(canonical)
        return self.units.get(key) if key else None

    def why_missing(self, citation: str) -> str:
        """A reader's explanation why `citation` resolves to nothing."""
        canonical = canonical_citation(citation)
        if canonical is None:
            return (
                f"'{citation}' is not a citation in the form 'AufenthG § 60b Abs. 5 Satz 2' "
                "(law, §, Abs., Satz, Nr., Buchst.)"
            )
        m = _CITATION.match(canonical)
        provision = f"{m['law']} § {m['section']}"
        if not any(c == provision or c.startswith(provision + " ") for c in self.absaetze):
            return f"{provision} is not in the indexed statute"
        absatz = provision + (f" Abs. {m['absatz']}" if m["absatz"] else "")
        if absatz not in self.absaetze:
            existing = sorted(c.removeprefix(provision).strip() for c in self.absaetze if c.startswith(provision + " "))
            return f"{absatz} does not exist (there are: {', '.join(existing) or 'no numbered Absätze'})"
        count = self.absaetze[absatz]
        if not m["satz"] and not m["nummer"]:
            return f"cite down to the Satz: {absatz} has {count} Sätze (Satz 1 … Satz {count})"
        if m["satz"] and int(m["satz"]) > count:
            return f"{absatz} has only {count} Sätze (a numbered list belongs to the Satz that introduces it)"
        if m["nummer"] and not m["satz"] and count > 1:
            return f"{absatz} has {count} Sätze: name the Satz before the Nummer ('{absatz} Satz 1 Nr. {m['nummer']}')"
        return f"{canonical} does not exist in the indexed statute"

    def hash_of(self, citation: str) -> str | None:
        unit = self.resolve(citation)
        return text_hash(unit.text) if unit else None
