"""Plain-language labels, notes, titles and interview questions, read from data files that
translators can edit without Python: rules/labels/<lang>.json and rules/questions/<lang>.json."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from core.languages import SUPPORTED_LANGUAGES

LANGS: tuple[str, ...] = SUPPORTED_LANGUAGES  # one language list, in core
_HERE = Path(__file__).resolve().parent
LABELS_DIR = _HERE / "labels"
QUESTIONS_DIR = _HERE / "questions"


@lru_cache(maxsize=None)
def _load(folder: Path, lang: str) -> dict[str, str]:
    path = folder / f"{lang}.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"{path}: expected one JSON object of strings")
    return data


def labels(lang: str) -> dict[str, str]:
    return _load(LABELS_DIR, lang)


def questions(lang: str) -> dict[str, str]:
    return _load(QUESTIONS_DIR, lang)


def _per_lang(folder: Path, key: str) -> dict[str, str]:
    out = {lang: _load(folder, lang)[key] for lang in LANGS if key in _load(folder, lang)}
    if not out:
        raise KeyError(f"no label for {key!r} in {folder}")
    return out


def provision_key(provision: str) -> str:
    """'AufenthG § 12a' -> 'aufenthg_12a' (labels are shared by the rules of one provision)."""
    law, _, number = provision.partition(" § ")
    return f"{law.lower()}_{number}"


def condition_labels(provision: str, condition_id: str) -> dict[str, str]:
    return _per_lang(LABELS_DIR, f"{provision_key(provision)}.{condition_id}")


def note_labels(key: str) -> dict[str, str]:
    return _per_lang(LABELS_DIR, key)


def title_labels(rule_id: str) -> dict[str, str]:
    return _per_lang(LABELS_DIR, f"title.{rule_id}")


def question_labels(fact: str) -> dict[str, str]:
    return _per_lang(QUESTIONS_DIR, fact)


def ui(key: str, lang: str) -> str:
    table = labels(lang)
    return table.get(key) or labels("en").get(key, key)
