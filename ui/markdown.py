"""Markdown for the chat: pipeline text keeps its structure (bullets, paragraphs, quotes) but
nothing in it is interpreted (no HTML, links or formatting), see `ui.text.inert_markdown`."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from urllib.parse import urlparse

from ui.text import inert_markdown


def plain_markdown(text: str) -> str:
    """Inert Markdown for pipeline text; its bullet items ("• ...", "- ...") become a list."""
    text = re.sub(r"\s+•\s+", "\n• ", text)
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped[:2] in {"- ", "• ", "* "}:
            lines.append("- " + inert_markdown(stripped[2:]))
        elif stripped:
            lines.append(inert_markdown(stripped))
    # a list item must start on its own line; other lines end with a hard break
    return "".join(
        ("\n" if line.startswith("- ") and i else "  \n" if i else "") + line for i, line in enumerate(lines)
    )


def quote_markdown(text: str) -> str:
    """A verbatim quote as a Markdown blockquote, paragraph and item breaks kept, nothing interpreted."""
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            out.append(">")
        elif stripped[:2] == "• ":
            out.append("> - " + inert_markdown(stripped[2:]))
        else:
            out.append("> " + inert_markdown(stripped))
    return "\n".join(out)


def split_heading(text: str) -> tuple[str, str]:
    """('Verbindlicher Gesetzestext, AufenthG § 25b Abs. 1:', quote) when the block starts with such a line."""
    first, _, rest = text.partition("\n")
    if rest.strip() and first.rstrip().endswith(":") and len(first) < 300:
        return first.strip(), rest
    return "", text


def safe_url(url: str) -> str | None:
    return url if urlparse(url).scheme in {"http", "https"} else None


def paced(markdown: str, words_per_chunk: int = 8) -> Iterator[str]:
    """A few words at a time, for st.write_stream. The answer is already complete (it is composed
    from the sources, not generated); pacing only lets the reader start at the top."""
    words = markdown.split(" ")
    for start in range(0, len(words), words_per_chunk):
        yield ("" if start == 0 else " ") + " ".join(words[start:start + words_per_chunk])
        time.sleep(0.01)
