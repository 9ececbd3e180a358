"""Statute lookup at sentence level: citation ('AufenthG § 60b Abs. 5 Satz 2') → verbatim unit."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from core.citations import canonical_citation, canonical_parts, provision_of
from knowledge.sentences import StatuteUnit, absatz_units, normalize
from knowledge.statute_source import AbsatzRecord, records_from_corpus, records_from_index

# The citation grammar has one home, core.citations; imported here so `knowledge.statute` keeps
# offering it to its users.


def text_hash(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


@dataclass
class StatuteVersion:
    """The units of one wording: the law in force, or a historical wording of some §§."""

    units: dict[str, StatuteUnit] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # accepted spelling → canonical
    absaetze: dict[str, int] = field(default_factory=dict)  # Absatz citation → number of Sätze
    valid_until: dt.date | None = None  # None: in force
    source_id: str = ""

    def add(self, record: AbsatzRecord) -> None:
        units = absatz_units(record.citation, record.text)
        self.absaetze[record.citation] = sum(1 for u in units if u.kind == "satz")
        for unit in units:
            self.units[unit.citation] = unit
            for alias in unit.aliases:
                self.aliases.setdefault(alias, unit.citation)

    def resolve(self, canonical: str) -> StatuteUnit | None:
        key = canonical if canonical in self.units else self.aliases.get(canonical)
        return self.units.get(key) if key else None

    def provisions(self) -> set[str]:
        return {provision_of(c) for c in self.absaetze}


@dataclass
class StatuteLookup:
    """All Sätze / Nummern / Buchstaben of the indexed statutes, by canonical citation.

    `current` is the law in force. A historical wording (e.g. § 104c until 2025-12-31) is used
    for a citation only when asked for a date it covers (`as_of` <= its last day): closed-scheme
    entries are checked against the wording they explain (their `valid_to`)."""

    current: StatuteVersion = field(default_factory=StatuteVersion)
    historical: list[StatuteVersion] = field(default_factory=list)
    origin: str = ""

    @property
    def units(self) -> dict[str, StatuteUnit]:
        return self.current.units

    @property
    def absaetze(self) -> dict[str, int]:
        return self.current.absaetze

    @classmethod
    def from_records(cls, records: list[AbsatzRecord], origin: str = "") -> "StatuteLookup":
        lookup = cls(origin=origin)
        by_source: dict[str, StatuteVersion] = {}
        for record in records:
            if record.in_force:
                lookup.current.add(record)
                continue
            if record.source_id not in by_source:
                until = dt.date.fromisoformat(record.valid_until) if record.valid_until else dt.date.min
                by_source[record.source_id] = StatuteVersion(valid_until=until, source_id=record.source_id)
            by_source[record.source_id].add(record)
        lookup.historical = sorted(by_source.values(), key=lambda v: v.valid_until)
        return lookup

    @classmethod
    def from_corpus(cls, shared_dir: Path | str | None = None, corpus_dir: Path | str | None = None) -> "StatuteLookup":
        records = records_from_corpus(shared_dir, corpus_dir, include_historical=True)
        return cls.from_records(records, origin=str(corpus_dir or shared_dir or "corpus"))

    @classmethod
    def from_index(cls, settings=None) -> "StatuteLookup":
        return cls.from_records(records_from_index(settings, include_historical=True), origin="live index")

    def version_for(self, citation: str, as_of: dt.date | None = None) -> StatuteVersion:
        """The wording that applied on `as_of` to the § of `citation` (default: the law in force)."""
        if as_of is not None:
            provision = provision_of(citation)
            for version in self.historical:
                if version.valid_until >= as_of and provision in version.provisions():
                    return version
        return self.current

    def resolve(self, citation: str, as_of: dt.date | None = None) -> StatuteUnit | None:
        canonical = canonical_citation(citation)
        if canonical is None:
            return None
        return self.version_for(canonical, as_of).resolve(canonical)

    def why_missing(self, citation: str, as_of: dt.date | None = None) -> str:
        """A reader's explanation why `citation` resolves to nothing."""
        canonical = canonical_citation(citation)
        if canonical is None:
            return (
                f"'{citation}' is not a citation in the form 'AufenthG § 60b Abs. 5 Satz 2' "
                "(law, §, Abs., Satz, Nr., Buchst.)"
            )
        version = self.version_for(canonical, as_of)
        wording = f" (wording until {version.valid_until})" if version.valid_until else ""
        m = canonical_parts(canonical)
        provision = f"{m['law']} § {m['section']}"
        if not any(c == provision or c.startswith(provision + " ") for c in version.absaetze):
            historical = [v.valid_until for v in self.historical if provision in v.provisions()]
            hint = f"; a wording until {historical[-1]} exists: set the entry's valid_to" if historical and not as_of else ""
            return f"{provision} is not in the indexed statute{wording}{hint}"
        absatz = provision + (f" Abs. {m['absatz']}" if m["absatz"] else "")
        if absatz not in version.absaetze:
            existing = sorted(c.removeprefix(provision).strip() for c in version.absaetze if c.startswith(provision + " "))
            return f"{absatz} does not exist{wording} (there are: {', '.join(existing) or 'no numbered Absätze'})"
        count = version.absaetze[absatz]
        if not m["satz"] and not m["nummer"]:
            return f"cite down to the Satz: {absatz} has {count} Sätze (Satz 1 … Satz {count}){wording}"
        if m["satz"] and int(m["satz"]) > count:
            return f"{absatz} has only {count} Sätze{wording} (a numbered list belongs to the Satz that introduces it)"
        if m["nummer"] and not m["satz"] and count > 1:
            return f"{absatz} has {count} Sätze: name the Satz before the Nummer ('{absatz} Satz 1 Nr. {m['nummer']}')"
        return f"{canonical} does not exist in the indexed statute{wording}"

    def hash_of(self, citation: str, as_of: dt.date | None = None) -> str | None:
        unit = self.resolve(citation, as_of)
        return text_hash(unit.text) if unit else None
