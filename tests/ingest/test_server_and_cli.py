"""Chroma server mode (HttpClient against a real `chroma run` on loopback), fetch offline, CLI."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.settings import get_settings
from core.errors import IngestError
from ingest.fetch import fetch_all
from ingest.pipeline import run_ingest
from index.store import open_index

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = _free_port()
    log = open(tmp_path / "chroma.log", "w")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            assert proc.poll() is None, (tmp_path / "chroma.log").read_text()
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma server did not start")
    yield port
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.mark.server
def test_http_mode_builds_and_switches_atomically(chroma_server, tmp_path):
    import chromadb

    guide = tmp_path / "guide.md"
    filler = " Sie prüft den Einzelfall und richtet gegebenenfalls ein Ersuchen an die oberste Landesbehörde." * 3
    guide.write_text("# Härtefall\n\nDie Härtefallkommission nach § 23a AufenthG entscheidet aus eigener Initiative." + filler + "\n", encoding="utf-8")
    manifest = tmp_path / "sources.toml"
    manifest.write_text(
        f'''[[source]]
id = "ngo"
title = "NGO"
kind = "guide"
authority_rank = 3
binding = false
language = "de"
licence = "test"
path = "{guide}"
format = "guide"
''',
        encoding="utf-8",
    )
    settings = get_settings().model_copy(
        update={"chroma_host": "127.0.0.1", "chroma_port": chroma_server, "manifest_path": manifest, "collection_name": "testidx"}
    )
    first = run_ingest(settings)
    index = open_index(settings)
    assert index.version == first.version and index.collection.name == first.version
    assert index.collection.count() == first.total_chunks >= 1
    hit, score = index.search("Härtefallkommission", k=1)[0]
    assert "Härtefallkommission" in hit.text and score > 0.5
    assert run_ingest(settings).unchanged

    guide.write_text(guide.read_text(encoding="utf-8") + "\n# Neu\n\nWeitere Hinweise zu § 25b AufenthG." + filler + "\n", encoding="utf-8")
    second = run_ingest(settings)
    assert second.version != first.version and second.reused >= 1
    assert open_index(settings).collection.name == second.version
    third_guide = guide.read_text(encoding="utf-8") + "\n# Noch mehr\n\nUnd § 25a AufenthG." + filler + "\n"
    guide.write_text(third_guide, encoding="utf-8")
    third = run_ingest(settings)
    client = chromadb.HttpClient(host="127.0.0.1", port=chroma_server, settings=chromadb.Settings(anonymized_telemetry=False))
    names = {c.name for c in client.list_collections()}
    # live + previous kept, older versions dropped, plus the alias record collection
    assert names == {third.version, second.version, "testidx-alias"}


def test_fetch_offline_fails_cleanly(tmp_path):
    settings = get_settings().model_copy(update={"fetch_base_url": f"http://127.0.0.1:{_free_port()}", "cache_dir": tmp_path})
    with pytest.raises(IngestError, match="offline or the site is unreachable"):
        fetch_all(settings, timeout=3)
    proc = subprocess.run(
        [sys.executable, "-m", "ingest", "fetch", "--timeout", "3"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
        env={**os.environ, "AA_FETCH_BASE_URL": settings.fetch_base_url, "AA_CACHE_DIR": str(tmp_path)},
    )
    assert proc.returncode == 2
    assert "offline" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "fetched").exists() or not any((tmp_path / "fetched").rglob("xml.zip"))


def test_fetch_parses_a_served_archive(tmp_path):
    """A local HTTP server stands in for gesetze-im-internet.de, serving the real (old) XML."""
    import http.server
    import threading
    import zipfile

    site = tmp_path / "site" / "aufenthg_2004"
    site.mkdir(parents=True)
    with zipfile.ZipFile(site / "xml.zip", "w") as zf:
        zf.write(get_settings().shared_dir / "corpus" / "statutes" / "aufenthg_2004.xml", "BJNR195010004.xml")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path / "site"), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings = get_settings().model_copy(
            update={"fetch_base_url": f"http://127.0.0.1:{server.server_port}", "cache_dir": tmp_path / "cache", "fetch_laws": ["aufenthg_2004"]}
        )
        (fetched,) = fetch_all(settings, timeout=10)
    finally:
        server.shutdown()
    assert fetched.stand == "zuletzt geändert durch Art. 5 G v. 21.12.2022 I 2847"
    assert fetched.sections > 180 and fetched.path.exists()
    assert (fetched.path.parent / "fetch.json").read_text(encoding="utf-8").count(fetched.downloaded) == 1


def test_cli_search_and_status(indexed_settings):
    env = {**os.environ, "AA_INDEX_DIR": str(indexed_settings.resolved_index_dir)}
    proc = subprocess.run([sys.executable, "-m", "ingest", "search", "Härtefallkommission Ersuchen", "-k", "3"],
                          cwd=REPO, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "AufenthG § 23a" in proc.stdout and "score" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "ingest", "status"], cwd=REPO, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "aufenthg" in proc.stdout and "Stand" in proc.stdout


def test_cli_missing_index_is_a_clean_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "ingest", "search", "x"], cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "AA_INDEX_DIR": str(tmp_path / "none")})
    assert proc.returncode == 2 and "no index" in proc.stderr and "Traceback" not in proc.stderr
