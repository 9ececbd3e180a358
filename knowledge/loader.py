"""Entry files (`*.toml`, many `[[entry]]` tables each) → validated `Entry` models.

A file that is not readable TOML raises `KnowledgeLoadError` naming the file and line. An entry
that breaks the format (missing language, unknown key, bad date, …) becomes a `Problem` naming
file, entry id and field, so one bad entry does not hide the problems of the others.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from knowledge.models import Entry
from knowledge.problems import KnowledgeLoadError, Problem

DATA_DIR = Path(__file__).resolve().parent / "entries"


@dataclass
class LoadResult:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def entry_files(paths: list[Path | str] | None = None) -> list[Path]:
    """The .toml files named, or inside the folders named (default: the package's data folder)."""
    files: list[Path] = []
    for raw in paths or [DATA_DIR]:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(path.glob("*.toml")))
        elif path.is_file():
            files.append(path)
        else:
            raise KnowledgeLoadError(path, "no such file or folder")
    return files


def _field_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(entry)"


def _describe(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return "unknown key (see kb_schema.md for the allowed keys)"
    message = error.get("msg", "invalid")
    return message.removeprefix("Value error, ")


def parse_entries(text: str, path: Path | str = "<text>") -> LoadResult:
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeLoadError(path, f"not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"entry"})
    raw_entries = data.get("entry")
    result = LoadResult(files=[path])
    if unknown:
        result.problems.append(Problem(check="format", entry_id="(file)", field=", ".join(unknown), reason="unknown top-level key; entries are [[entry]] tables", file=path))
    if raw_entries is None:
        raise KnowledgeLoadError(path, "holds no [[entry]] tables")
    if not isinstance(raw_entries, list):
        raise KnowledgeLoadError(path, "'entry' must be an array of tables: write [[entry]], not [entry]")
    for index, raw in enumerate(raw_entries):
        entry_id = str(raw.get("id") or f"#{index + 1}") if isinstance(raw, dict) else f"#{index + 1}"
        try:
            entry = Entry.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                result.problems.append(
                    Problem(check="format", entry_id=entry_id, field=_field_path(error["loc"]), reason=_describe(error), file=path)
                )
            continue
        entry.source_file = path
        result.entries.append(entry)
    return result


def load_file(path: Path | str) -> LoadResult:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeLoadError(path, "file not found") from None
    except UnicodeDecodeError as exc:
        raise KnowledgeLoadError(path, f"not UTF-8 (byte position {exc.start})") from None
    return parse_entries(text, path)


def load_entries(paths: list[Path | str] | None = None) -> LoadResult:
    """All entries of the given files/folders (default: `knowledge/entries/`)."""
    total = LoadResult()
    for path in entry_files(paths):
        one = load_file(path)
        total.entries.extend(one.entries)
        total.problems.extend(one.problems)
        total.files.append(path)
    return total
