"""`python -m knowledge pin`: write each entry's `[entry.review] pins` table, nothing else.

The file stays byte-identical outside the one `pins = {…}` line of each entry (or the
`[entry.review.pins]` table, if a file uses that form); the result is re-parsed and compared.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from knowledge.problems import KnowledgeLoadError

_ENTRY_HEADER = re.compile(r"^[ \t]*\[\[entry\]\][ \t]*(?:#.*)?$", re.M)
_HEADER = re.compile(r"^[ \t]*\[")
_REVIEW_HEADER = re.compile(r"^[ \t]*\[entry\.review\][ \t]*(?:#.*)?$")
_PINS_TABLE_HEADER = re.compile(r"^[ \t]*\[entry\.review\.pins\][ \t]*(?:#.*)?$")
_PINS_LINE = re.compile(r"^[ \t]*pins[ \t]*=")


def pins_line(pins: dict[str, str]) -> str:
    inner = ", ".join(f"{json.dumps(c, ensure_ascii=False)} = {json.dumps(h)}" for c, h in pins.items())
    return "pins = { " + inner + " }" if inner else "pins = {}"


def _rewrite_block(block: str, pins: dict[str, str]) -> str:
    lines = block.split("\n")
    new_line = pins_line(pins)
    review_at = next((i for i, line in enumerate(lines) if _REVIEW_HEADER.match(line)), None)
    table_at = next((i for i, line in enumerate(lines) if _PINS_TABLE_HEADER.match(line)), None)
    if table_at is not None:  # '[entry.review.pins]' form: replace that table's key lines
        end = next((j for j in range(table_at + 1, len(lines)) if _HEADER.match(lines[j])), len(lines))
        keep_tail = [line for line in lines[table_at + 1 : end] if not line.strip() or line.lstrip().startswith("#")]
        body = [f"{json.dumps(c, ensure_ascii=False)} = {json.dumps(h)}" for c, h in pins.items()]
        return "\n".join(lines[: table_at + 1] + body + keep_tail + lines[end:])
    if review_at is None:
        # no review table yet: add one at the end of the entry (before trailing blank lines)
        end = len(lines)
        while end > 0 and not lines[end - 1].strip():
            end -= 1
        return "\n".join(lines[:end] + ["", "[entry.review]", 'status = "draft"', new_line] + lines[end:])
    end = next((j for j in range(review_at + 1, len(lines)) if _HEADER.match(lines[j])), len(lines))
    for j in range(review_at + 1, end):
        if _PINS_LINE.match(lines[j]):
            lines[j] = new_line
            return "\n".join(lines)
    last_key = max((j for j in range(review_at, end) if lines[j].strip() and not lines[j].lstrip().startswith("#")), default=review_at)
    lines.insert(last_key + 1, new_line)
    return "\n".join(lines)


def write_pins(path: Path, pins_by_id: dict[str, dict[str, str]]) -> list[str]:
    """Rewrite the pins of the entries named in `pins_by_id`; returns the ids whose pins changed."""
    text = path.read_text(encoding="utf-8")
    starts = [m.start() for m in _ENTRY_HEADER.finditer(text)]
    if not starts:
        raise KnowledgeLoadError(path, "holds no [[entry]] tables")
    pieces = [text[: starts[0]]]
    changed: list[str] = []
    for k, start in enumerate(starts):
        block = text[start : starts[k + 1] if k + 1 < len(starts) else len(text)]
        try:
            raw = tomllib.loads(block)["entry"][0]
        except (tomllib.TOMLDecodeError, KeyError, IndexError) as exc:
            raise KnowledgeLoadError(path, f"entry block {k + 1} cannot be parsed on its own: {exc}") from None
        entry_id = raw.get("id")
        wanted = pins_by_id.get(entry_id)
        if wanted is not None and raw.get("review", {}).get("pins", {}) != wanted:
            block = _rewrite_block(block, wanted)
            changed.append(entry_id)
        pieces.append(block)
    new_text = "".join(pieces)
    if new_text == text:
        return []
    _verify(path, text, new_text, pins_by_id)
    path.write_text(new_text, encoding="utf-8")
    return changed


def _verify(path: Path, old: str, new: str, pins_by_id: dict[str, dict[str, str]]) -> None:
    """The rewrite changed pins only."""
    before, after = tomllib.loads(old), tomllib.loads(new)
    for a, b in zip(before["entry"], after["entry"], strict=True):
        a_rest = {**a, "review": {k: v for k, v in a.get("review", {}).items() if k != "pins"}}
        b_rest = {**b, "review": {k: v for k, v in b.get("review", {}).items() if k != "pins"}}
        if not a.get("review"):
            a_rest["review"] = {"status": "draft"}
        if a_rest != b_rest or (b["id"] in pins_by_id and b["review"].get("pins") != pins_by_id[b["id"]]):
            raise KnowledgeLoadError(path, f"pin rewrite of entry '{b.get('id')}' would change more than its pins; file left unchanged")
