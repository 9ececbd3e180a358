"""The source manifest (`corpus/sources.toml`): what gets indexed, with rank, licence and version.

Paths may use placeholders: `{shared}` (settings.shared_dir), `{corpus}` (the statute corpus
folder, default `{shared}/corpus`), `{seeds}` (default `{shared}/seeds`), `{repo}` (this
repository) and `{cache}` (settings.cache_dir, where `ingest fetch` puts downloads).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, model_validator

from core.chunk import SourceKind
from core.errors import IngestError

REPO_ROOT = Path(__file__).resolve().parent.parent

SourceFormat = Literal["statute-md", "translation-md", "gii-xml", "guide"]


class Source(BaseModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$")
    title: str
    kind: SourceKind
    authority_rank: int = Field(ge=1, le=9, description="1 binding statute, 2 translation, 3 guide")
    binding: bool
    language: str
    licence: str
    url: str = ""
    url_template: str = Field("", description="per-provision link, '{section}' is replaced")
    version: str = ""
    retrieved: str = ""
    path: Path
    format: SourceFormat
    law: str = Field("", description="law abbreviation for statutes and translations")
    in_force: bool = True
    valid_until: str = ""
    encoding: str = "utf-8"
    outdated_sections: dict[str, str] = Field(
        default_factory=dict,
        description="translations: § (e.g. '104c') -> last day the translated wording applied; those chunks are marked not in force",
    )

    @model_validator(mode="after")
    def _consistent(self) -> "Source":
        if self.kind in ("statute", "statute_translation") and not self.law and self.format != "gii-xml":
            raise ValueError(f"source '{self.id}': statutes and translations need `law`")
        if self.kind == "guide" and self.format != "guide":
            raise ValueError(f"source '{self.id}': guides use format = \"guide\"")
        if self.kind == "statute_translation" and self.binding:
            raise ValueError(f"source '{self.id}': a translation is never binding")
        return self

    def base_fields(self) -> dict:
        """Source-level fields every chunk of this source carries."""
        return {
            "source_id": self.id,
            "source_title": self.title,
            "source_kind": self.kind,
            "authority_rank": self.authority_rank,
            "binding": self.binding,
            "language": self.language,
            "licence": self.licence,
            "url": self.url,
            "version": self.version,
            "retrieved": self.retrieved,
            "in_force": self.in_force,
            "valid_until": self.valid_until,
        }


class Manifest(BaseModel):
    path: Path
    sources: list[Source]

    def get(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(source_id)


def resolve_dirs(shared_dir: Path | str, corpus_dir: Path | str | None = None) -> dict[str, Path]:
    """Placeholder values. `corpus_dir` (CLI --corpus) may be the shared folder or its `corpus/`."""
    shared = Path(shared_dir).expanduser()
    corpus = shared / "corpus"
    seeds = shared / "seeds"
    if corpus_dir is not None:
        given = Path(corpus_dir).expanduser().resolve()
        if (given / "corpus").is_dir() or (given / "seeds").is_dir():
            shared, corpus, seeds = given, given / "corpus", given / "seeds"
        else:
            corpus = given
            seeds = given / "seeds" if (given / "seeds").is_dir() else given.parent / "seeds"
    return {"shared": shared, "corpus": corpus, "seeds": seeds, "repo": REPO_ROOT}


def load_manifest(
    manifest_path: Path | str,
    shared_dir: Path | str,
    corpus_dir: Path | str | None = None,
    cache_dir: Path | str | None = None,
) -> Manifest:
    manifest_path = Path(manifest_path)
    try:
        raw = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IngestError(manifest_path, "manifest not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise IngestError(manifest_path, f"manifest is not valid TOML: {exc}") from None
    entries = raw.get("source")
    if not isinstance(entries, list) or not entries:
        raise IngestError(manifest_path, "manifest lists no [[source]] entries")
    dirs = {k: str(v) for k, v in resolve_dirs(shared_dir, corpus_dir).items()}
    dirs["cache"] = str(Path(cache_dir).expanduser()) if cache_dir else str(Path.home() / ".cache" / "aufenthalt-assistant")
    sources: list[Source] = []
    for index, entry in enumerate(entries):
        label = entry.get("id", f"#{index + 1}") if isinstance(entry, dict) else f"#{index + 1}"
        try:
            raw_path = str(entry.get("path", ""))
            try:
                resolved = raw_path.format(**dirs)
            except (KeyError, IndexError) as exc:
                raise ValueError(f"unknown placeholder {exc} in path {raw_path!r}; use {{shared}}, {{corpus}}, {{seeds}}, {{repo}} or {{cache}}") from None
            path = Path(resolved)
            if not path.is_absolute():
                path = (manifest_path.parent / path).resolve()
            sources.append(Source(**{**entry, "path": path}))
        except (ValidationError, ValueError, TypeError) as exc:
            raise IngestError(manifest_path, f"source {label}: {_short(exc)}") from None
    ids = [s.id for s in sources]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise IngestError(manifest_path, f"duplicate source ids: {', '.join(duplicates)}")
    return Manifest(path=manifest_path, sources=sources)


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'entry'}: {e['msg']}" for e in exc.errors())
    return str(exc)
