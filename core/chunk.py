"""The unit of the index: one chunk of a source, with its canonical citation.

Chroma metadata takes only str/int/float/bool, so lists are stored joined by "; "
and absent values as "" (see `to_metadata` / `from_metadata`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

SourceKind = Literal["statute", "statute_translation", "guide"]

LIST_SEPARATOR = "; "


class Chunk(BaseModel):
    chunk_id: str = Field(description="stable id: '<source_id>:<citation or heading>:<part>'")
    text: str = Field(description="verbatim source text of the chunk (what quotes are checked against)")
    source_id: str
    source_title: str
    source_kind: SourceKind
    authority_rank: int = Field(description="1 binding statute, 2 official translation, 3 guide")
    binding: bool
    language: str
    licence: str = ""
    url: str = Field("", description="link to the official text of this provision, or the guide's URL")
    version: str = Field("", description="Stand / version of the source")
    retrieved: str = Field("", description="retrieval/download date YYYY-MM-DD")
    # legal position (statutes and translations); empty for guides
    law: str = ""  # 'AufenthG'
    section: str = ""  # '12a' (no §)
    paragraph: str = ""  # Absatz '5', '2a'; '' when the § has no numbered Absätze
    number: str = ""  # Nummer when a long Absatz was split along its Nummern
    title: str = ""  # section title, or the guide's heading
    citation: str = ""  # 'AufenthG § 12a Abs. 5' (guides: '')
    provision: str = ""  # 'AufenthG § 12a' (guides: '')
    in_force: bool = True  # False for historical versions kept for as_of checks
    valid_until: str = ""  # last day a historical text applied, YYYY-MM-DD
    # guides: canonical references the chunk mentions, split into existing and non-existent ones
    mentions: list[str] = Field(default_factory=list)
    invalid_mentions: list[str] = Field(default_factory=list)
    content_hash: str = ""

    def to_metadata(self) -> dict[str, str | int | float | bool]:
        data = self.model_dump(exclude={"text", "chunk_id"})
        data["mentions"] = LIST_SEPARATOR.join(self.mentions)
        data["invalid_mentions"] = LIST_SEPARATOR.join(self.invalid_mentions)
        return data

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, metadata: dict) -> "Chunk":
        data = dict(metadata)
        for key in ("mentions", "invalid_mentions"):
            raw = data.get(key) or ""
            data[key] = [m for m in raw.split(LIST_SEPARATOR) if m]
        return cls(chunk_id=chunk_id, text=text, **data)
