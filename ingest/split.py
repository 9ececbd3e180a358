"""Chunking by legal structure (statutes) and by heading (guides).

Size. multilingual-e5-small reads at most 512 tokens; German and English statute text runs at
about 4.3 characters per token with its tokenizer (measured on 200 random Absätze each). Chunks
are kept to about `MAX_CHUNK_CHARS` = 1,000 characters (≈ 230 tokens plus header), i.e. one
legal point per chunk and within even a 256-token window: an Absatz up to that size stays whole
(the median Absatz has ~480 characters); a longer one is split along its Nummern, each part
embedded with the header and the lead sentence (the text before "1.") as context, while the
stored `text` stays the verbatim source so quotes can be checked against it. With
`embedding_max_seq_length` = 512 (settings default) the few single Nummern longer than that
(about 3 % of chunks) are still embedded whole; short chunks keep the padding cost low because
texts are sorted by length before batching.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from core.chunk import Chunk
from core.citations import LAWS, LegalRef, dominant_law, find_refs
from ingest.registry import ProvisionRegistry
from ingest.loaders import GuideSection, Paragraph, StatuteSection

MAX_CHUNK_CHARS = 1000
LEAD_CONTEXT_CHARS = 400  # lead sentence repeated in a split part's embedding input, at most
MIN_GUIDE_SECTION_CHARS = 200  # a guide section shorter than this joins the next one

_ITEM = re.compile(r"^(\d{1,2}[a-z]?)\.\s")
_SUBITEM = re.compile(r"^(?:[a-z]{1,2}\)|[a-z]{2}\))\s")
_SENTENCE_END = re.compile(r"(?<=[.;:])\s+(?=[A-ZÄÖÜ§(])")


@dataclass
class PreparedChunk:
    """A chunk plus the text its embedding is computed from (header and context added)."""

    chunk: Chunk
    embed_text: str


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _pack(pieces: list[str], limit: int, breaks: set[int] | None = None) -> list[list[int]]:
    """Greedy groups of consecutive piece indices whose joined length stays within `limit`;
    a new group always starts at an index in `breaks`."""
    groups: list[list[int]] = []
    size = 0
    for i, piece in enumerate(pieces):
        if groups and size + len(piece) + 2 <= limit and i not in (breaks or ()):
            groups[-1].append(i)
            size += len(piece) + 2
        else:
            groups.append([i])
            size = len(piece)
    return groups


def sentence_groups(text: str, limit: int = MAX_CHUNK_CHARS) -> list[str]:
    """Verbatim sentence groups of at most ~`limit` characters (a single longer sentence stays whole)."""
    sentences = _SENTENCE_END.split(text)
    return [" ".join(sentences[i] for i in group) for group in _pack(sentences, limit)]


@dataclass
class _Segment:
    text: str
    number: str  # Nummer for list items, '' for running text
    context: str  # running text that introduces this item ('' for running text)


def _segments(paragraph_text: str) -> list[_Segment]:
    segments: list[_Segment] = []
    lead = ""
    for block in paragraph_text.split("\n\n"):
        item = _ITEM.match(block)
        if item:
            segments.append(_Segment(block, item.group(1), lead))
        elif _SUBITEM.match(block) and segments and segments[-1].number:
            segments[-1].text += "\n\n" + block
        else:
            segments.append(_Segment(block, "", ""))
            lead = block
    return segments


def split_paragraph(text: str, limit: int = MAX_CHUNK_CHARS) -> list[tuple[str, str, str]]:
    """Parts of one Absatz as (verbatim text, Nummer label, context for the embedding)."""
    if len(text) <= limit:
        return [(text, "", "")]
    segments = _segments(text)
    expanded: list[_Segment] = []
    for seg in segments:
        if not seg.number and len(seg.text) > limit:
            expanded.extend(_Segment(part, "", "") for part in sentence_groups(seg.text, limit))
        else:
            expanded.append(seg)
    # a running-text block after a list starts a new part (it introduces the next list)
    breaks = {i for i in range(1, len(expanded)) if not expanded[i].number and expanded[i - 1].number}
    parts = []
    for group in _pack([s.text for s in expanded], limit, breaks):
        members = [expanded[i] for i in group]
        numbers = [m.number for m in members if m.number]
        label = numbers[0] if len(numbers) == 1 else (f"{numbers[0]}–{numbers[-1]}" if numbers else "")
        first = members[0]
        context = first.context if first.number else ""
        parts.append(("\n\n".join(m.text for m in members), label, context))
    return parts


def _header(section: StatuteSection, paragraph: Paragraph) -> str:
    absatz = f" Abs. {paragraph.number}" if paragraph.number else ""
    return f"{section.law} § {section.section} {section.title}{absatz}:".replace("  ", " ")


def statute_chunks(
    sections: list[StatuteSection],
    base: dict,
    registry: ProvisionRegistry | None = None,
    url_template: str = "",
    outdated_sections: dict[str, str] | None = None,
) -> tuple[list[PreparedChunk], int]:
    """Chunks of a statute or its translation. `base` holds the source-level Chunk fields.

    With a `registry` (translations), parts whose German provision no longer exists are
    skipped, so no chunk is ever cited to a non-existent provision. Returns (chunks, skipped).
    """
    out: list[PreparedChunk] = []
    skipped = 0
    for section in sections:
        provision = f"{section.law} § {section.section}"
        for paragraph in section.paragraphs:
            citation = provision + (f" Abs. {paragraph.number}" if paragraph.number else "")
            if registry is not None and not registry.exists(citation):
                skipped += 1
                continue
            header = _header(section, paragraph)
            for part_index, (text, number, context) in enumerate(split_paragraph(paragraph.text)):
                lead = context[:LEAD_CONTEXT_CHARS] + ("…" if len(context) > LEAD_CONTEXT_CHARS else "")
                embed_text = "\n".join(x for x in (header, lead, text) if x)
                fields = {k: v for k, v in base.items() if k != "url"}
                if outdated_sections and section.section in outdated_sections:
                    fields.update(in_force=False, valid_until=outdated_sections[section.section])
                chunk = Chunk(
                    chunk_id=f"{base['source_id']}:{citation}:{part_index}",
                    text=text,
                    law=section.law,
                    section=section.section,
                    paragraph=paragraph.number,
                    number=number,
                    title=section.title,
                    citation=citation,
                    provision=provision,
                    url=url_template.format(section=section.section) if url_template else base.get("url", ""),
                    content_hash=content_hash(embed_text),
                    **fields,
                )
                out.append(PreparedChunk(chunk, embed_text))
    return out, skipped


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "text"


def _resolve_bare(refs: list[LegalRef], default_law: str, registry: ProvisionRegistry) -> list[LegalRef]:
    """A reference that names no law ("§ 25b Abs. 1") gets the guide's main law if the provision
    exists there, else the first of our laws where it exists, else the main law (then invalid)."""
    out = []
    for ref in refs:
        if ref.law is None:
            candidates = [default_law] + [law for law in LAWS if law != default_law]
            law = next((c for c in candidates if registry.exists(replace(ref, law=c))), default_law)
            ref = replace(ref, law=law)
        out.append(ref)
    return out


def guide_chunks(sections: list[GuideSection], base: dict, registry: ProvisionRegistry) -> list[PreparedChunk]:
    """Chunks of a guide: heading sections (tiny ones merged forward), long ones split at blocks."""
    full_text = "\n\n".join(s.text for s in sections)
    default_law = dominant_law(full_text) or "AufenthG"
    merged: list[GuideSection] = []
    carry: GuideSection | None = None
    for section in sections:
        if carry is not None:
            section = GuideSection(carry.heading or section.heading, carry.text + "\n\n" + section.text)
            carry = None
        if len(section.text) < MIN_GUIDE_SECTION_CHARS:
            carry = section
        else:
            merged.append(section)
    if carry is not None:
        if merged:
            merged[-1] = GuideSection(merged[-1].heading, merged[-1].text + "\n\n" + carry.text)
        else:
            merged.append(carry)
    out: list[PreparedChunk] = []
    for index, section in enumerate(merged):
        blocks = [b for b in re.split(r"\n\s*\n|\n(?=\S)", section.text) if b.strip()]
        pieces: list[str] = []
        for block in blocks:
            pieces.extend(sentence_groups(block) if len(block) > MAX_CHUNK_CHARS else [block])
        groups = _pack(pieces, MAX_CHUNK_CHARS)
        for part_index, group in enumerate(groups):
            text = "\n\n".join(pieces[i] for i in group)
            heading = section.heading
            context = heading if (part_index > 0 and heading) else ""
            embed_text = "\n".join(x for x in (base["source_title"] + ":", context, text) if x)
            valid, invalid = registry.split_mentions(_resolve_bare(find_refs(text), default_law, registry))
            chunk = Chunk(
                chunk_id=f"{base['source_id']}:{index:03d}-{_slug(heading)}:{part_index}",
                text=text,
                title=heading,
                mentions=valid,
                invalid_mentions=invalid,
                content_hash=content_hash(embed_text),
                **base,
            )
            out.append(PreparedChunk(chunk, embed_text))
    return out
