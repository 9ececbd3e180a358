"""The one error type for bad ingest input: it names the file and what is wrong with it."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A source could not be read or parsed. The live index is never touched when this is raised."""

    def __init__(self, path: Path | str | None, problem: str):
        self.path = Path(path) if path is not None else None
        self.problem = problem
        where = f"{self.path}: " if self.path is not None else ""
        super().__init__(f"{where}{problem}")
