"""The shipped .streamlit/config.toml: every option exists in the installed Streamlit, XSRF stays on,
the app's host names are listed (a missing one means a 403 WebSocket and a blank iframe)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit import config as st_config

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def shipped() -> dict[str, object]:
    data = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    return {f"{section}.{key}": value for section, options in data.items() for key, value in options.items()}


def test_every_option_is_known_to_the_installed_streamlit():
    known = st_config._config_options_template  # the option registry streamlit validates against
    unknown = [name for name in shipped() if name not in known]
    assert unknown == []


def test_embedding_relevant_settings():
    options = shipped()
    assert options["server.enableXsrfProtection"] is True
    assert options["server.enableCORS"] is True
    assert options["browser.gatherUsageStats"] is False
    assert options["server.headless"] is True
    hosts = options["server.allowedHosts"]
    assert isinstance(hosts, list) and "chat-app.test" in hosts and "chat.example.org" in hosts
    assert options.get("server.xsrfCookieSameSite", "lax") == "lax"  # "none" only for uploads over HTTPS
