"""The evaluation's own eligibility-claim detector (evals/claims.py)."""

from __future__ import annotations

import pytest

from assistant.i18n import strings, t
from core.languages import SUPPORTED_LANGUAGES
from core.text import split_sentences
from evals.claims import is_claim

CLAIMS = [
    "You are eligible for a residence permit under § 25b.",
    "Good news: you can move to Berlin now.",
    "Sie erfüllen alle Voraussetzungen des § 25b.",
    "يحق لك الحصول على الإقامة.",
    "شما واجد شرایط هستید.",
    "Ви маєте право на дозвіл на проживання.",
    "Вы имеете право на вид на жительство.",
    "Oturma izni için şartları karşılıyorsunuz.",
]
NOT_CLAIMS = [
    "Whether you qualify can only be said with your facts.",
    "Ob Sie die Voraussetzungen erfüllen, entscheidet die Ausländerbehörde.",
    "Are you eligible for a permit?",
    "The permit is granted for at most two years.",
    "آیا شما واجد شرایط هستید؟",
]


@pytest.mark.parametrize("sentence", CLAIMS)
def test_claims_are_found_in_every_language(sentence):
    assert is_claim(sentence)


@pytest.mark.parametrize("sentence", NOT_CLAIMS)
def test_hedges_questions_and_statute_facts_are_not_claims(sentence):
    assert not is_claim(sentence)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_our_template_sentences_are_not_claims(lang):
    values = dict(language="Kurdî", provision="AufenthG § 25b", title="Titel", citation="AufenthV § 90", source="Guide", verdict="x",
                  date="2025-12-31", limit=4000, error="bad field")
    found = [s for key in strings(lang) for line in t(lang, key, **values).split("\n") for s in split_sentences(line) if is_claim(s)]
    assert found == []
