"""The ONE place where `knowledge` touches `ingest` (its parsers) and `index` (the live index).

It turns the statute corpus (read with the same manifest, loaders and chunk records that ingest
uses) or the live Chroma index into `AbsatzRecord`s: Absatz-level citation + verbatim text.
When those modules move, this file is the only one to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# statute sources only; translations and guides are not what entries cite
_STATUTE_KIND = "statute"


class StatuteSourceError(Exception):
    """The statute text could not be read (missing corpus, bad manifest, no index)."""


@dataclass(frozen=True)
class AbsatzRecord:
    law: str  # 'AufenthG'
    section: str  # '60b'
    paragraph: str  # Absatz '5', '' for a § without numbered Absätze
    text: str  # verbatim, blocks joined by blank lines
    source_id: str = ""
    in_force: bool = True
    valid_until: str = ""  # historical versions: last day this wording applied (YYYY-MM-DD)

    @property
    def citation(self) -> str:
        base = f"{self.law} § {self.section}"
        return f"{base} Abs. {self.paragraph}" if self.paragraph else base


def default_shared_dir() -> Path:
    """The project's shared data folder (`AA_SHARED_DIR`, default as in the app settings)."""
    from core.settings import get_settings

    return Path(get_settings().shared_dir)


def default_settings() -> Any:
    from core.settings import get_settings

    return get_settings()


def records_from_corpus(
    shared_dir: Path | str | None = None,
    corpus_dir: Path | str | None = None,
    manifest_path: Path | str | None = None,
    include_historical: bool = False,
) -> list[AbsatzRecord]:
    """Absätze of the binding statutes in the manifest, read with ingest's own loaders.

    `corpus_dir` works as `python -m ingest --corpus DIR` (a copy of the corpus for tests).
    Historical versions (`in_force = false`, e.g. § 104c until 2025) are included only if asked.
    """
    from core.errors import IngestError
    from ingest.loaders import load_statute
    from ingest.manifest import load_manifest

    settings = default_settings()
    try:
        manifest = load_manifest(
            manifest_path or settings.manifest_path,
            shared_dir or settings.shared_dir,
            corpus_dir,
            settings.cache_dir,
        )
        records: list[AbsatzRecord] = []
        for source in manifest.sources:
            if source.kind != _STATUTE_KIND or (not source.in_force and not include_historical):
                continue
            for section in load_statute(source).sections:
                for paragraph in section.paragraphs:
                    records.append(
                        AbsatzRecord(
                            section.law, section.section, paragraph.number, paragraph.text,
                            source.id, source.in_force, source.valid_until,
                        )
                    )
    except IngestError as exc:
        raise StatuteSourceError(str(exc)) from None
    if not records:
        raise StatuteSourceError("the manifest lists no binding statute sources")
    return records


def records_from_index(settings: Any = None, include_historical: bool = False) -> list[AbsatzRecord]:
    """Absätze rebuilt from the live index's statute chunks (parts of a long Absatz re-joined in order)."""
    from core.errors import IngestError
    from index.store import open_index

    try:
        index = open_index(settings or default_settings())
        chunks = index.all_chunks()
    except IngestError as exc:
        raise StatuteSourceError(str(exc)) from None
    records = records_from_chunks(chunks, include_historical)
    if not records:
        raise StatuteSourceError("the live index holds no statute chunks; run `python -m ingest`")
    return records



def records_from_chunks(chunks: Any, include_historical: bool = False) -> list[AbsatzRecord]:
    """Absätze rebuilt from index chunks (the parts of a long Absatz re-joined in order): shared by the
    live index above and the answering pipeline's in-memory index view."""
    grouped: dict[tuple[str, str, str, str], list[tuple[int, str, bool, str]]] = {}
    for chunk in chunks:
        if chunk.source_kind != _STATUTE_KIND or not chunk.citation:
            continue
        if not chunk.in_force and not include_historical:
            continue
        part = chunk.chunk_id.rsplit(":", 1)[-1].split("~")[0]
        key = (chunk.source_id, chunk.law, chunk.section, chunk.paragraph)
        grouped.setdefault(key, []).append((int(part) if part.isdigit() else 0, chunk.text, chunk.in_force, chunk.valid_until))
    records = []
    for (source_id, law, section, paragraph), parts in grouped.items():
        parts.sort(key=lambda p: p[0])
        text = parts[0][1]
        for part in parts[1:]:
            text += _part_separator(text, part[1]) + part[1]
        records.append(AbsatzRecord(law, section, paragraph, text, source_id, parts[0][2], parts[0][3]))
    return records


_LIST_LABEL = re.compile(r"^(?:\d{1,3}[a-z]?\.|[a-z]{1,2}\))\s")


def _part_separator(before: str, after: str) -> str:
    """How two parts of one long Absatz were joined: at a list item (or after one) they were separate
    blocks (so are table rows); otherwise ingest cut one long block between sentences (or inside one), so a space."""
    last_block = before.rsplit("\n\n", 1)[-1]
    if _LIST_LABEL.match(after) or _LIST_LABEL.match(last_block) or after.lstrip().startswith("|"):
        return "\n\n"
    return " "


def default_embed_fn(settings: Any = None) -> tuple[str, Any]:
    """(model id, texts → L2-normalised vectors) of the project's embedding model, WITHOUT any
    prompt: the matcher adds the prefix itself ("query: " for e5)."""
    from index.embedder import get_embedder

    embedder = get_embedder(settings or default_settings())

    def embed(texts: list[str]):
        return embedder.model.encode(list(texts), batch_size=embedder.batch_size, normalize_embeddings=True, convert_to_numpy=True)

    return embedder.model_name, embed


def eval_question_files() -> list[Path]:
    """The evaluation question sets (shared and the project's own): entry phrasings must not copy them."""
    repo = Path(__file__).resolve().parent.parent
    shared = Path(default_settings().shared_dir)
    files = sorted((shared / "evals").glob("*.jsonl")) + sorted((repo / "evals").glob("*.jsonl"))
    files += sorted((repo / "tests").rglob("*questions*.jsonl"))
    return [f for f in files if f.is_file()]
