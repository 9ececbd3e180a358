"""Template sentences per language (`<lang>.toml`), English as the fallback for a missing key."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

I18N_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=16)
def strings(lang: str) -> dict[str, str]:
    path = I18N_DIR / f"{lang}.toml"
    base = tomllib.loads((I18N_DIR / "en.toml").read_text(encoding="utf-8"))
    if lang != "en" and path.exists():
        base = {**base, **tomllib.loads(path.read_text(encoding="utf-8"))}
    return base


def t(lang: str, key: str, **values: object) -> str:
    text = strings(lang).get(key) or strings("en")[key]
    return text.format(**values) if values else text
