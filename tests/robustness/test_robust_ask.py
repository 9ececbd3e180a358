"""`ask()` on the real pipeline (real index, real model) with every input the fuzz run crashed on."""

from __future__ import annotations

import json
import re

import pytest

from assistant import pipeline as pipeline_module
from assistant.i18n import t
from assistant.pipeline import ask, get_pipeline
from assistant.user_input import MAX_HISTORY_TURNS

_LIVE_TAG = re.compile(r"<[^<>]*>")
DULDUNG_25B = "Kann ich eine Aufenthaltserlaubnis nach § 25b bekommen? Ich habe eine Duldung."


@pytest.fixture(scope="module")
def pipeline(indexed_settings):
    return get_pipeline(indexed_settings)


def nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


def assert_sound(answer) -> None:
    """Serialisable (what `--json` prints), shows the notice before "more", no live tag in the question."""
    json.loads(answer.model_dump_json())
    assert answer.blocks and "notice" in {b.kind for b in answer.shown_blocks()}  # the notice is shown before "more"
    assert not _LIVE_TAG.search(answer.question)


def test_null_numeric_fact_is_unknown(indexed_settings):
    answer = ask(DULDUNG_25B, facts={"minor_children_in_household": None, "status": "duldung"}, settings=indexed_settings)
    assert_sound(answer)
    assert all("invalid case facts" not in b.text for b in answer.blocks)
    assert answer.verdicts  # the facts were used, with the null one unknown


def test_lone_surrogate_does_not_crash_language_detection(indexed_settings):
    answer = ask("Duldung \ud800 § 25b: welche Voraussetzungen gelten?", settings=indexed_settings)
    assert_sound(answer)
    assert "\ud800" not in answer.question and not answer.could_not_answer


@pytest.mark.parametrize(
    ("facts", "field"),
    [({"status": nested(3000)}, "status"), ({"status": {"a": nested(3000)}}, "status"), ({"employment_months": 10**5000}, "employment_months")],
)
def test_deeply_nested_or_huge_facts_give_the_facts_notice(indexed_settings, facts, field):
    answer = ask(DULDUNG_25B, facts=facts, settings=indexed_settings)
    assert_sound(answer)
    notices = [b.text for b in answer.blocks if b.kind == "notice" and "invalid case facts" in b.text]
    assert len(notices) == 1 and field in notices[0] and len(notices[0]) < 800


@pytest.mark.parametrize("language", [7, ["de"], {"x": 1}, 3.5, b"de"])
def test_a_language_that_is_not_text_is_no_hint(indexed_settings, language):
    answer = ask("Wie lange gilt eine Duldung?", language=language, settings=indexed_settings)
    assert_sound(answer)
    assert answer.language == "de"


def test_escaped_script_does_not_come_back_live(indexed_settings):
    answer = ask("&lt;script&gt;alert(1)&lt;/script&gt; Wie lange gilt eine Duldung?", settings=indexed_settings)
    assert_sound(answer)
    assert "<script" not in answer.question.lower() and "<script" not in answer.model_dump_json().lower()
    assert "Duldung" in answer.question


@pytest.mark.parametrize("garbage", ["😀😀😀", "🙂", b"\x00\x01abc", "12345", "\x01\x02\x03\x04", "?!?!", 12345])
def test_garbage_is_not_answered(indexed_settings, garbage):
    answer = ask(garbage, settings=indexed_settings)
    assert_sound(answer)
    assert answer.could_not_answer and answer.citations == []
    assert answer.blocks[0].kind == "refusal" and answer.blocks[0].text == t(answer.language, "unreadable")


def test_a_reference_alone_is_still_answered(indexed_settings):
    answer = ask("§ 60a", settings=indexed_settings)
    assert not answer.could_not_answer
    assert any(c.citation.startswith("AufenthG § 60a") for c in answer.citations)


def test_a_thousand_turn_history_reaches_the_rewrite_capped(indexed_settings, pipeline, monkeypatch):
    seen: list[int] = []
    real_rewrite = pipeline_module.rewrite

    def spy(question, history, reading=None):
        seen.append(len(history))
        return real_rewrite(question, history, reading)

    monkeypatch.setattr(pipeline_module, "rewrite", spy)
    history = [{"role": "user", "content": "Ich habe eine Duldung seit 2019. " * 200} for _ in range(1000)]
    history[-1] = {"role": "user", "content": "Ich bin seit 6 Jahren geduldet. Kann ich eine Aufenthaltserlaubnis nach § 25b bekommen?"}
    answer = ask("Und wenn meine Tochter bei mir lebt?", history=history, settings=indexed_settings)
    assert_sound(answer)
    assert seen == [MAX_HISTORY_TURNS]
    assert "25b" in answer.search_query  # the follow-up still sees the last turn
