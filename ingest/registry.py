"""Which provisions exist: every § and Absatz of the statutes that are indexed (built from their
text, see `get_registry`), so ``exists("AufenthV § 104a")`` is False. The citation grammar itself
lives in `core.citations`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from core.citations import LegalRef, parse_ref

if TYPE_CHECKING:  # pragma: no cover
    from core.settings import Settings


class ProvisionRegistry:
    """Every existing provision and its Absätze, from the statute texts."""

    def __init__(self) -> None:
        self._paragraphs: dict[str, set[str]] = {}
        self._current: dict[str, set[str]] = {}
        self._titles: dict[str, str] = {}

    def add(self, law: str, section: str, paragraphs: Iterable[str] = (), title: str = "", in_force: bool = True) -> None:
        key = f"{law} § {section}"
        paragraphs = [p for p in paragraphs if p]
        self._paragraphs.setdefault(key, set()).update(paragraphs)
        if in_force:
            self._current.setdefault(key, set()).update(paragraphs)
        if title and (key not in self._titles or in_force):
            self._titles[key] = title

    def __len__(self) -> int:
        return len(self._paragraphs)

    def __contains__(self, ref: object) -> bool:
        return isinstance(ref, (str, LegalRef)) and self.exists(ref)

    def provisions(self) -> list[str]:
        return sorted(self._paragraphs, key=_sort_key)

    def paragraphs(self, provision: str) -> list[str]:
        return sorted(self._paragraphs.get(provision, ()), key=_paragraph_key)

    def title(self, provision: str) -> str:
        return self._titles.get(provision, "")

    def exists(self, ref: str | LegalRef, current_only: bool = False) -> bool:
        """The § (and, if given, its Absatz) is in the indexed statutes. Satz/Nr. are not checked.

        Historical texts kept for as-of checks count unless `current_only` (e.g. the 2022
        § 104c Abs. 4 exists, but not in the law in force)."""
        if isinstance(ref, str):
            parsed = parse_ref(ref)
            if parsed is None:
                return False
            ref = parsed
        table = self._current if current_only else self._paragraphs
        if ref.law is None or ref.provision not in table:
            return False
        return not ref.paragraph or ref.paragraph in table[ref.provision]

    def is_current(self, ref: str | LegalRef) -> bool:
        return self.exists(ref, current_only=True)

    def split_mentions(self, refs: Iterable[LegalRef]) -> tuple[list[str], list[str]]:
        """(existing, non-existent) Absatz-level citations, deduplicated in order of appearance."""
        valid: list[str] = []
        invalid: list[str] = []
        for ref in refs:
            if ref.law is None:
                continue
            target = valid if self.exists(ref) else invalid
            if ref.citation not in target:
                target.append(ref.citation)
        return valid, invalid


def _paragraph_key(p: str) -> tuple[int, str]:
    m = re.match(r"(\d+)(.*)", p)
    return (int(m.group(1)), m.group(2)) if m else (0, p)


def _sort_key(provision: str) -> tuple[str, int, str]:
    law, _, section = provision.partition(" § ")
    num, rest = _paragraph_key(section)
    return (law, num, rest)


def registry_from_sections(sections: Iterable, in_force: bool = True, registry: ProvisionRegistry | None = None) -> ProvisionRegistry:
    """Build (or extend) from parsed statute sections (objects with law, section, title, paragraphs)."""
    registry = ProvisionRegistry() if registry is None else registry
    for sec in sections:
        registry.add(sec.law, sec.section, [p.number for p in sec.paragraphs], sec.title, in_force=in_force)
    return registry


@lru_cache(maxsize=4)
def _registry_for(manifest_path: str, shared_dir: str, corpus_dir: str | None) -> ProvisionRegistry:
    from ingest.loaders import load_statute_sections
    from ingest.manifest import load_manifest

    manifest = load_manifest(manifest_path, shared_dir=shared_dir, corpus_dir=corpus_dir)
    registry = ProvisionRegistry()
    for source in manifest.sources:
        if source.kind == "statute":
            registry_from_sections(load_statute_sections(source), source.in_force, registry)
    return registry


def get_registry(settings: "Settings | None" = None, corpus_dir: str | None = None) -> ProvisionRegistry:
    """Registry of the statutes named in the manifest (binding German text; cached).
    `exists()` includes historical versions, `is_current()` only the law in force."""
    if settings is None:
        from core.settings import get_settings

        settings = get_settings()
    return _registry_for(str(settings.manifest_path), str(settings.shared_dir), corpus_dir)


def exists(ref: str | LegalRef, settings: "Settings | None" = None) -> bool:
    return get_registry(settings).exists(ref)
