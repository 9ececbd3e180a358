"""Which provisions exist: § headings (`# § N – Title`) and Absatz markers `(N)` of the full
statute texts in the shared corpus. Used to make sure a verdict never cites a provision that
does not exist (e.g. the invented '§ 104a AufenthV')."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_HEADING = re.compile(r"^# § (\d+[a-z]?)\s+[–-]")
_ABSATZ = re.compile(r"^\((\d+[a-z]?)\)\s")
_CITATION = re.compile(r"^(AufenthG|AufenthV) § (\d+[a-z]?)(?: Abs\. (\d+[a-z]?))?(?: Satz \d+)?(?: Nr\. \d+[a-z]?)?(?: Buchst\. [a-z])?$")
FULL_TEXTS = {"AufenthG": "aufenthg_full.md", "AufenthV": "aufenthv_full.md"}


def _statutes_dir() -> Path:
    from assistant.settings import get_settings

    return get_settings().shared_dir / "corpus" / "statutes"


@lru_cache(maxsize=None)
def sections(law: str, statutes_dir: Path | None = None) -> dict[str, frozenset[str]]:
    """{'12a': {'1', '1a', '2', ...}, ...} for one law."""
    path = (statutes_dir or _statutes_dir()) / FULL_TEXTS[law]
    found: dict[str, set[str]] = {}
    current: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = _HEADING.match(line)
        if heading:
            current = heading.group(1)
            found.setdefault(current, set())
            continue
        if line.startswith("# "):
            current = None
            continue
        absatz = _ABSATZ.match(line)
        if current and absatz:
            found[current].add(absatz.group(1))
    return {k: frozenset(v) for k, v in found.items()}


def citation_exists(citation: str, statutes_dir: Path | None = None) -> bool:
    """True if the law, § and (if given) Absatz of a canonical citation exist in the full text."""
    match = _CITATION.match(citation)
    if not match:
        return False
    law, section, absatz = match.groups()
    table = sections(law, statutes_dir)
    if section not in table:
        return False
    return absatz is None or absatz in table[section]
