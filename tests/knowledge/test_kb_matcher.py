"""The matcher with the real embedding model (multilingual e5, "query: " prefix)."""

from __future__ import annotations

import pytest

from knowledge.loader import DATA_DIR, load_entries
from knowledge.matcher import KnowledgeBase, _VECTOR_CACHE, main_provision
from knowledge.statute_source import default_embed_fn


@pytest.fixture(scope="module")
def embedder():
    model_id, embed = default_embed_fn()
    calls: list[int] = []

    def counting(texts):
        calls.append(len(texts))
        return embed(texts)

    return model_id, counting, calls


@pytest.fixture(scope="module")
def kb(statute):
    return KnowledgeBase(load_entries([DATA_DIR]).entries, statute)


def test_question_in_another_language_matches_its_entry(kb, embedder):
    model_id, embed, calls = embedder
    question = "Мне выдали дульдунг с пометкой о невыясненной личности. Разрешат ли мне работать?"
    hit = kb.match(question, "ru", ["AufenthG § 60b", "AufenthG § 60a"], embed, threshold=0.0, model_id=model_id)
    assert hit is not None
    assert hit.entry.id == "dul-ungeklaerte-identitaet-arbeit", (hit.entry.id, hit.score, hit.phrasing)
    assert 0.8 < hit.score <= 1.0001
    # phrasing vectors are cached per (model id, text): the second question embeds only itself
    calls.clear()
    kb.match("Darf ich mit ungeklärter Identität arbeiten?", "de", ["AufenthG § 60b"], embed, threshold=0.0, model_id=model_id)
    assert calls == [1]
    assert any(key[0] == model_id for key in _VECTOR_CACHE)


def test_entry_is_never_used_without_its_provision(kb, embedder):
    model_id, embed, _ = embedder
    question = "My Duldung says 'für Personen mit ungeklärter Identität'. May I work?"
    hit = kb.match(question, "en", ["AufenthG § 25b", "AufenthG § 60c"], embed, threshold=0.0, model_id=model_id)
    assert hit is None or main_provision(hit.entry) in ("AufenthG § 25b", "AufenthG § 60c")
    assert hit is None or not hit.entry.id.startswith("dul-ungeklaerte-identitaet")


def test_threshold_rejects_weak_matches(kb, embedder):
    model_id, embed, _ = embedder
    assert kb.match("Wie viel kostet ein Reisepass?", "de", ["AufenthG § 60b"], embed, threshold=0.99, model_id=model_id) is None
