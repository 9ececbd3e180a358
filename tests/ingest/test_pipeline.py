"""Ingest end to end on small manifests: real loaders, real model, real Chroma.

Atomic rebuilds, skipping unchanged sources, and bad input that must leave the live index alone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.settings import get_settings
from core.errors import IngestError
from ingest.pipeline import run_ingest
from index.store import IndexBuild, open_index

REPO = Path(__file__).resolve().parents[2]
STATUTES = get_settings().shared_dir / "corpus" / "statutes"

HISTORICAL_104C = f'''
[[source]]
id = "aufenthg-104c-alt"
title = "AufenthG § 104c (historisch)"
kind = "statute"
authority_rank = 1
binding = true
language = "de"
licence = "gemeinfrei"
path = "{STATUTES / 'aufenthg_104c_fassung_bis_2025-12-31.md'}"
format = "statute-md"
law = "AufenthG"
in_force = false
valid_until = "2025-12-31"
'''


def guide_entry(source_id: str, path: Path) -> str:
    return f'''
[[source]]
id = "{source_id}"
title = "Test guide {source_id}"
kind = "guide"
authority_rank = 3
binding = false
language = "de"
licence = "test"
path = "{path}"
format = "guide"
'''


@pytest.fixture
def small(tmp_path):
    guide = tmp_path / "ngo_guide.md"
    guide.write_text(
        "# Wohnsitzauflage\n\nDie Wohnsitzregelung nach § 12a AufenthG gilt drei Jahre.\n\n"
        "# Chancen\n\nDas alte Chancen-Aufenthaltsrecht (§ 104c AufenthG) und die erfundene Regel § 104a AufenthV.\n",
        encoding="utf-8",
    )
    manifest = tmp_path / "sources.toml"
    manifest.write_text(HISTORICAL_104C + guide_entry("ngo-guide", guide), encoding="utf-8")
    settings = get_settings().model_copy(update={"index_dir": tmp_path / "index", "manifest_path": manifest})
    return settings, manifest, guide


def test_build_search_and_skip_unchanged(small):
    settings, manifest, guide = small
    first = run_ingest(settings)
    assert not first.unchanged and first.embedded == first.total_chunks > 5
    index = open_index(settings)
    chunks = index.all_chunks()
    guide_chunks = [c for c in chunks if c.source_id == "ngo-guide"]
    assert any("AufenthV § 104a" in c.invalid_mentions for c in guide_chunks)
    assert any("AufenthG § 104c" in c.mentions for c in guide_chunks)
    # validity is judged against the statutes of this manifest, which hold only § 104c
    assert any("AufenthG § 12a" in c.invalid_mentions for c in guide_chunks)
    hits = index.search("Chancen-Aufenthaltsrecht geduldet fünf Jahre", k=3)
    assert hits[0][0].provision == "AufenthG § 104c" and not hits[0][0].in_force

    again = run_ingest(settings)
    assert again.unchanged and again.embedded == 0 and again.version == first.version

    # one source changes: a new version, unchanged chunks reuse their stored vectors
    guide.write_text(guide.read_text(encoding="utf-8") + "\n# Neu\n\nEin neuer Abschnitt über § 25b AufenthG.\n", encoding="utf-8")
    third = run_ingest(settings)
    assert not third.unchanged and third.version != first.version
    assert third.reused >= 5 and third.embedded < third.total_chunks
    assert any("neuer Abschnitt" in c.text for c in open_index(settings).all_chunks())
    # the previous version is kept for readers that still have it open; nothing else is left
    versions = sorted(p.name for p in settings.resolved_index_dir.glob("v-*"))
    assert versions == sorted([first.version, third.version])


BAD_INPUTS = {
    "malformed XML": ("law.xml", b"<dokumente><norm><metadaten>", "gii-xml", "malformed XML"),
    "empty file": ("empty.md", b"", "guide", "file is empty"),
    "unknown file type": ("guide.docx", b"PK\x03\x04 binary", "guide", "unknown file type"),
    "wrong encoding": ("latin1.txt", "Härtefallkommission und Ausländerbehörde".encode("latin-1"), "guide", "not valid utf-8"),
    "pointing nowhere": (None, None, "guide", "file not found"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_names_file_and_leaves_index_untouched(small, tmp_path, case):
    settings, manifest, _ = small
    before = run_ingest(settings)
    count = open_index(settings).collection.count()
    name, content, fmt, message = BAD_INPUTS[case]
    path = tmp_path / (name or "does_not_exist.txt")
    if content is not None:
        path.write_bytes(content)
    if fmt == "gii-xml":
        entry = f'''
[[source]]
id = "bad"
title = "bad"
kind = "statute"
authority_rank = 1
binding = true
language = "de"
licence = "x"
path = "{path}"
format = "gii-xml"
law = "AufenthG"
'''
    else:
        entry = guide_entry("bad", path)
    manifest.write_text(manifest.read_text(encoding="utf-8") + entry, encoding="utf-8")
    with pytest.raises(IngestError, match=message) as info:
        run_ingest(settings)
    assert path.name in str(info.value)
    live = open_index(settings)
    assert live.version == before.version and live.collection.count() == count

    # the command line says the same in one line, exit code 2, no traceback
    proc = subprocess.run(
        [sys.executable, "-m", "ingest", "--manifest", str(manifest)],
        cwd=REPO, env={**os.environ, "AA_INDEX_DIR": str(settings.resolved_index_dir)},
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 2, proc.stderr
    assert path.name in proc.stderr and "Traceback" not in proc.stderr


def test_failure_while_writing_keeps_previous_index(small, monkeypatch):
    settings, _, guide = small
    before = run_ingest(settings)
    guide.write_text(guide.read_text(encoding="utf-8") + "\n# Mehr\n\nNoch ein Abschnitt.\n", encoding="utf-8")
    real_add = IndexBuild.add

    def add_then_crash(self, chunks, embeddings):
        real_add(self, chunks[:3], embeddings[:3])  # part of the new version is on disk ...
        raise OSError("disk full")  # ... when writing fails

    monkeypatch.setattr(IndexBuild, "add", add_then_crash)
    with pytest.raises(OSError, match="disk full"):
        run_ingest(settings)
    live = open_index(settings)
    assert live.version == before.version
    assert live.search("Chancen-Aufenthaltsrecht", k=1)
    assert sorted(p.name for p in settings.resolved_index_dir.glob("v-*")) == [before.version]


def test_killed_ingest_leaves_previous_index_serving(small):
    settings, manifest, _ = small
    before = run_ingest(settings)
    # a much bigger source makes the second run take long enough to be killed mid-way
    manifest.write_text(
        manifest.read_text(encoding="utf-8")
        + HISTORICAL_104C.replace("aufenthg-104c-alt", "aufenthv-full")
        .replace("aufenthg_104c_fassung_bis_2025-12-31.md", "aufenthv_full.md")
        .replace('law = "AufenthG"', 'law = "AufenthV"'),
        encoding="utf-8",
    )
    env = {**os.environ, "AA_INDEX_DIR": str(settings.resolved_index_dir), "AA_MANIFEST_PATH": str(manifest)}
    proc = subprocess.Popen([sys.executable, "-m", "ingest"], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(12)  # model loaded, embedding under way
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    live = open_index(settings)
    assert live.version == before.version
    hits = live.search("Chancen-Aufenthaltsrecht", k=1)
    assert hits and hits[0][0].provision == "AufenthG § 104c"
