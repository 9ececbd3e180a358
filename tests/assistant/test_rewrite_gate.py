"""Follow-up rewriting and the eligibility gate (rule checker, no index needed)."""

from __future__ import annotations

import pytest

from assistant.gate import gate_blocks, is_eligibility_statement, rule_for
from assistant.verdicts import CaseVerdicts
from core.languages import SUPPORTED_LANGUAGES
from assistant.rewrite import is_follow_up, rewrite
from assistant.types import Block

HISTORY = [
    {"role": "user", "content": "Ich bin seit 4 Jahren geduldet. Geht § 25b schon?"},
    {"role": "assistant", "content": "Nach § 25b Abs. 1 AufenthG braucht es regelmäßig sechs Jahre."},
]


def test_follow_up_carries_topic_and_cited_provisions():
    rewritten = rewrite("Und wenn ich 2 Kinder habe?", HISTORY)
    assert rewritten.is_follow_up
    assert "25b" in rewritten.query and "Kinder" in rewritten.query
    assert rewritten.carried_citations[0] == "AufenthG § 25b"


def test_standalone_question_is_not_rewritten():
    assert not is_follow_up("Was kostet eine Fiktionsbescheinigung?", None)
    assert rewrite("Was kostet eine Fiktionsbescheinigung?", []).query == "Was kostet eine Fiktionsbescheinigung?"


@pytest.mark.parametrize(
    "sentence",
    [
        "You qualify for § 25b.",
        "Sie haben Anspruch auf eine Aufenthaltserlaubnis nach § 23a.",
        "يحق لك الحصول على الإقامة.",
        "شما واجد شرایط هستید.",
        "Ви маєте право на дозвіл.",
        "Bu izne hakkınız var.",
        "Вы имеете право на это разрешение.",
        "You can move to Berlin now.",
    ],
)
def test_eligibility_statements_are_found_in_every_language(sentence):
    assert is_eligibility_statement(sentence)


def test_plain_information_is_not_an_eligibility_statement():
    assert not is_eligibility_statement("The permit is granted for at most two years.")


def test_move_claim_maps_to_the_residence_obligation_rule():
    assert rule_for("You can move to Berlin now.", []) == ("aufenthg_12a_bound", "not_met")
    assert rule_for("You qualify for § 25b.", []) == ("aufenthg_25b", "met")


def test_gate_rewrites_a_false_claim_and_asks_for_missing_facts():
    facts_not_met = {"as_of": "2026-11-23", "status": "duldung", "entry_date": "2024-01-01", "continuous_stay_since": "2024-01-01"}
    block = Block(kind="generated", text="You qualify for § 25b. The permit runs for two years.", language="en")
    result = gate_blocks([block], CaseVerdicts(facts_not_met, "en"), "en", ["AufenthG § 25b"])
    assert [e.action for e in result.events] == ["rewritten"]
    assert "You qualify" not in result.blocks[0].text
    assert "two years" in result.blocks[0].text

    asked = gate_blocks([block], CaseVerdicts({}, "en"), "en", ["AufenthG § 25b"])
    assert [e.action for e in asked.events] == ["asked_for_facts"]
    assert asked.missing_facts


def test_gate_blocks_a_claim_no_rule_can_check():
    block = Block(kind="generated", text="You are entitled to a settlement permit.", language="en")
    result = gate_blocks([block], CaseVerdicts({}, "en"), "en", [])
    assert [e.action for e in result.events] == ["blocked"]
    assert "entitled" not in result.blocks[0].text


def test_statute_quotes_are_not_gated():
    block = Block(kind="quote", text="„Sie haben Anspruch …“", language="de")
    result = gate_blocks([block], CaseVerdicts({}, "de"), "de", ["AufenthG § 25b"])
    assert result.events == [] and result.blocks[0].text == block.text


def test_new_topic_with_history_is_not_a_follow_up():
    assert not is_follow_up("Was kostet eine Fiktionsbescheinigung?", HISTORY)
    assert is_follow_up("und was kostet das?", HISTORY)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_our_own_template_sentences_never_trigger_the_gate(lang):
    """Hedges we wrote ("whether you personally qualify can only be said with your facts") are not
    claims: no gate event for any template of any language, with realistic placeholder values."""
    from assistant.i18n import strings, t

    values = dict(language="Kurdî", provision="AufenthG § 25b", title="Aufenthaltsgewährung bei nachhaltiger Integration", citation="AufenthV § 90",
                  source="Guide", verdict="x", date="2025-12-31", limit=4000, error="bad field")
    blocks = [Block(kind="lead", text=t(lang, key, **values), language=lang) for key in strings(lang)]
    result = gate_blocks(blocks, CaseVerdicts(None, lang), lang, ["AufenthG § 25b"])
    assert result.events == []
    assert [b.text for b in result.blocks] == [b.text for b in blocks]


def test_a_claim_inside_a_template_like_sentence_is_still_gated():
    result = gate_blocks([Block(kind="generated", text="شما واجد شرایط هستید و اقامت § 25b را دریافت خواهید کرد.", language="fa")], CaseVerdicts(None, "fa"), "fa", ["AufenthG § 25b"])
    assert len(result.events) == 1
