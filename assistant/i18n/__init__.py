"""Template sentences of the composed answer, per language (`<lang>.toml`), read with the one
translator (`core.strings.StringTable`): the user's language, then English, then German."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from core.languages import SUPPORTED_LANGUAGES
from core.strings import StringTable
from core.text import normalise_for_matching, split_sentences

I18N_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=16)
def strings(lang: str) -> dict[str, str]:
    path = I18N_DIR / f"{lang}.toml"
    base = tomllib.loads((I18N_DIR / "en.toml").read_text(encoding="utf-8"))
    if lang != "en" and path.exists():
        base = {**base, **tomllib.loads(path.read_text(encoding="utf-8"))}
    return base


TEMPLATES = StringTable("answer template", strings)
t = TEMPLATES.t
_PLACEHOLDER = re.compile(r"\\\{\w+\\\}")


@lru_cache(maxsize=1)
def template_sentence_patterns() -> tuple[re.Pattern[str], ...]:
    """Every sentence of every template we wrote (all languages), placeholders as wildcards.

    Template sentences are our own reviewed wording (hedges such as "whether you personally
    qualify can only be said with your facts"); they are never eligibility claims, so the gate
    trusts a sentence that is exactly one of them (see gate.is_template_sentence)."""
    patterns: list[re.Pattern[str]] = []
    for lang in SUPPORTED_LANGUAGES:
        for text in strings(lang).values():
            for line in text.split("\n"):
                for sentence in split_sentences(line):
                    body = _PLACEHOLDER.sub(".+?", re.escape(normalise_for_matching(sentence)))
                    patterns.append(re.compile(body))
    return tuple(dict.fromkeys(patterns))


def is_template_sentence(sentence: str) -> bool:
    norm = normalise_for_matching(sentence)
    return any(p.fullmatch(norm) for p in template_sentence_patterns())
