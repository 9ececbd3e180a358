"""The source manifest: placeholders, --corpus, validation errors."""

from __future__ import annotations

import pytest

from core.settings import get_settings
from core.errors import IngestError
from ingest.manifest import load_manifest

SETTINGS = get_settings()


def test_default_manifest_lists_the_corpus():
    manifest = load_manifest(SETTINGS.manifest_path, SETTINGS.shared_dir)
    by_id = {s.id: s for s in manifest.sources}
    assert by_id["aufenthg"].path == SETTINGS.shared_dir / "corpus" / "statutes" / "aufenthg_full.md"
    assert all(s.path.exists() for s in manifest.sources)
    assert [s.authority_rank for s in manifest.sources if s.kind == "statute"] == [1, 1, 1]
    assert by_id["aufenthg-en"].authority_rank == 2 and not by_id["aufenthg-en"].binding
    assert by_id["aufenthg-104c-bis-2025"].valid_until == "2025-12-31" and not by_id["aufenthg-104c-bis-2025"].in_force
    guides = [s for s in manifest.sources if s.kind == "guide"]
    assert len(guides) == 3 and all(s.title and "local use only" in s.licence and s.authority_rank == 3 for s in guides)
    # per-§ files duplicate the full laws and are not listed
    assert not any(s.path.name in ("aufenthg_12a.md", "aufenthv_47.md") for s in manifest.sources)


@pytest.mark.parametrize("given", ["shared", "corpus"])
def test_corpus_option_accepts_shared_or_corpus_folder(given):
    folder = SETTINGS.shared_dir if given == "shared" else SETTINGS.shared_dir / "corpus"
    manifest = load_manifest(SETTINGS.manifest_path, "/nonexistent", corpus_dir=folder)
    assert all(s.path.exists() for s in manifest.sources)


ENTRY = '''
[[source]]
id = "{id}"
title = "t"
kind = "{kind}"
authority_rank = 3
binding = false
language = "de"
licence = "x"
path = "{path}"
format = "guide"
'''


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "no \\[\\[source\\]\\] entries"),
        ("[[source]\nid=", "not valid TOML"),
        (ENTRY.format(id="a", kind="blog", path="x.txt"), "source a: kind"),
        (ENTRY.format(id="a", kind="guide", path="{nowhere}/x.txt"), "unknown placeholder"),
        (ENTRY.format(id="a", kind="guide", path="x.txt") * 2, "duplicate source ids: a"),
        (ENTRY.format(id="Bad Id", kind="guide", path="x.txt"), "source Bad Id: id"),
    ],
)
def test_bad_manifest(tmp_path, text, message):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError, match=message) as info:
        load_manifest(path, SETTINGS.shared_dir)
    assert "sources.toml" in str(info.value)
