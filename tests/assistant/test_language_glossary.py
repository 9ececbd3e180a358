"""Language detection and the multilingual glossary (no index needed)."""

from __future__ import annotations

import pytest

from assistant.glossary import expand, out_of_scope
from assistant.language import detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Wie lange gilt eine Duldung und was passiert danach?", "de"),
        ("How long is a Duldung valid and what happens afterwards?", "en"),
        ("كم مدة صلاحية الدولدونغ؟", "ar"),
        ("دولدونگ من چه مدت اعتبار دارد؟", "fa"),
        ("Скільки діє дульдунг і що буде потім?", "uk"),
        ("Сколько действует дульдунг и что будет потом?", "ru"),
        ("Duldung ne kadar süre geçerli ve sonra ne oluyor?", "tr"),
    ],
)
def test_detects_each_supported_language(text, lang):
    assert detect_language(text) == lang


def test_explicit_language_wins_and_unknown_falls_back():
    assert detect_language("Wie lange gilt eine Duldung?", "tr") == "tr"
    assert detect_language("Wie lange gilt eine Duldung?", "xx") == "de"
    assert detect_language("", None) == "en"


@pytest.mark.parametrize(
    ("text", "concept", "target"),
    [
        ("I am tolerated, can they deport me?", "duldung", "AufenthG § 60a"),
        ("من دولدونگ دارم", "duldung", "AufenthG § 60a"),
        ("Чи можу я переїхати до іншої землі?", "wohnsitzregelung", "AufenthG § 12a"),
        ("أريد الانتقال إلى هامبورغ", "wohnsitzregelung", "AufenthG § 12a"),
        ("Zor durum komisyonu dosyama bakar mı?", "haertefallkommission", "AufenthG § 23a"),
        ("Могу ли я получить профессиональное обучение с дульдунгом?", "ausbildungsduldung", "AufenthG § 60c"),
    ],
)
def test_glossary_maps_everyday_words_to_statutory_concepts(text, concept, target):
    expansion = expand(text)
    assert concept in [c.id for c in expansion.concepts]
    assert any(c.startswith(target) for c in expansion.target_scores())
    assert expansion.german_terms  # German statutory words for the search query


def test_out_of_scope_topics_in_several_languages():
    assert [c.id for c in out_of_scope("How do I get German citizenship?")] == ["naturalisation"]
    assert "tax" in [c.id for c in out_of_scope("Сколько налог я плачу?")]
    assert out_of_scope("Wie lange gilt eine Duldung?") == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Can my Aufenthaltserlaubnis be extended if I lost my Arbeitsvertrag?", "en"),
        ("Is the Ausweisersatz valid for travelling inside Germany?", "en"),
        ("Что такое Blaue Karte EU?", "ru"),
        ("Wann bekomme ich eine Niederlassungserlaubnis?", "de"),
    ],
)
def test_quoted_german_nouns_do_not_change_the_language(text, lang):
    assert detect_language(text) == lang
