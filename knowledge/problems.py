"""One problem found in an entry: which file, which entry, which field, and why."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel


class Problem(BaseModel):
    check: str  # 'format', 'languages', 'spans', 'cites', 'key_facts', 'numbers', 'ids', 'dates', 'pins'
    entry_id: str
    field: str  # 'spans[0].text', 'answer[1].fa', ...
    reason: str
    file: Path | None = None

    def __str__(self) -> str:
        where = f"{self.file}: " if self.file else ""
        return f"{where}[{self.entry_id}] {self.field}: {self.reason} ({self.check})"


class KnowledgeLoadError(Exception):
    """A file that cannot be read as entries at all (missing, not UTF-8, not TOML, no [[entry]])."""

    def __init__(self, path: Path | str, message: str):
        self.path = Path(path)
        super().__init__(f"{path}: {message}")
