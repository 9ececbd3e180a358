"""The shipped nginx configuration (embed/nginx/chat-app.conf), run on loopback in front of the
running app: security headers on every response, the metrics endpoint not public, the WebSocket
proxied (the page draws its chat input only over it), and no CSP violation in Chromium.

Needs nginx (`apt-get install -y nginx-light`) and Debian's Chromium, like the browser tests.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import browser_harness as harness

REPO_ROOT = Path(__file__).resolve().parents[2]
SNIPPET = REPO_ROOT / "embed" / "nginx" / "chat-app.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
FRAME_ANCESTORS = "'self' https://www.ngo.example https://ngo.example"


def _nginx_conf(tmp: Path, listen_port: int, app_port: int) -> str:
    user = "user root;" if os.geteuid() == 0 else ""  # workers must write the temp folders below
    return f"""
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream chat_app {{ server 127.0.0.1:{app_port}; keepalive 4; }}
    server {{
        listen 127.0.0.1:{listen_port};
        server_name localhost;
        set $chat_frame_ancestors "{FRAME_ANCESTORS}";
        include {SNIPPET};
    }}
}}
"""


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.skip("nginx missing; install it with: apt-get install -y nginx-light")
    if not Path(harness.CHROMIUM).exists():
        pytest.skip(f"Chromium missing; install it with: {harness.CHROMIUM_INSTALL}")
    tmp = tmp_path_factory.mktemp("nginx")
    with harness.running_app(None, tmp) as app:
        port = harness.free_port()
        conf = tmp / "nginx.conf"
        conf.write_text(_nginx_conf(tmp, port, app.port))
        checked = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        process = subprocess.Popen([NGINX, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                    break
                except OSError:
                    time.sleep(0.1)
            yield {"proxy": f"http://localhost:{port}", "app": f"http://127.0.0.1:{app.port}"}
        finally:
            process.terminate()
            process.wait(timeout=10)


def _get(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}


def test_security_headers_on_page_static_files_and_errors(proxied):
    index_status, _ = _get(proxied["proxy"] + "/")
    assert index_status == 200
    for path in ("/", "/_stcore/health", "/favicon.png", "/no-such-page", "/_stcore/metrics"):
        _status, headers = _get(proxied["proxy"] + path)
        csp = headers.get("content-security-policy", "")
        assert f"frame-ancestors {FRAME_ANCESTORS}" in csp, (path, csp)
        assert "object-src 'none'" in csp and "script-src 'self' 'sha256-" in csp, (path, csp)
        assert headers.get("x-content-type-options") == "nosniff", path
        assert headers.get("referrer-policy") == "strict-origin-when-cross-origin", path


def test_csp_hash_matches_the_inline_script_of_the_installed_streamlit():
    import streamlit

    index_html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    inline = re.findall(r"<script>(.*?)</script>", index_html, re.S)
    hashes = {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in inline}
    allowed = set(re.findall(r"'sha256-([A-Za-z0-9+/=]+)'", SNIPPET.read_text(encoding="utf-8")))
    assert hashes <= allowed, f"Streamlit's inline scripts changed: put 'sha256-{sorted(hashes - allowed)}' into {SNIPPET.name}"


def test_csp_hash_matches_the_apps_own_page_script():
    from ui.page import PAGE_SCRIPT

    (body,) = re.findall(r"<script[^>]*>(.*?)</script>", PAGE_SCRIPT, re.S)
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    allowed = set(re.findall(r"'sha256-([A-Za-z0-9+/=]+)'", SNIPPET.read_text(encoding="utf-8")))
    assert digest in allowed, f"ui/page.py PAGE_SCRIPT changed: put 'sha256-{digest}' into {SNIPPET.name}"


def test_metrics_are_not_public_through_the_proxy(proxied):
    direct, _ = _get(proxied["app"] + "/_stcore/metrics")
    assert direct == 200  # the endpoint exists on the app itself (loopback only) ...
    through, _ = _get(proxied["proxy"] + "/_stcore/metrics")
    assert through == 404  # ... and the proxy does not serve it


def test_app_loads_through_the_proxy_without_csp_violations(proxied):
    with harness.chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        console: list[str] = []
        page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
        page.goto(proxied["proxy"] + "/")
        # the chat input is drawn by the script run, which arrives over the proxied WebSocket
        page.get_by_test_id("stChatInput").locator("textarea").wait_for(timeout=120_000)
        page.wait_for_timeout(1000)
        violations = [m for m in console if "Content Security Policy" in m or "Refused to" in m]
        assert not violations, violations
