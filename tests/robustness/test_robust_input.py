"""The input step of `ask()` (`clean_input`) on the fuzz run's findings, without the pipeline."""

from __future__ import annotations

import re

import pytest

from assistant.user_input import MAX_HISTORY_TURNS, MAX_QUESTION_CHARS, MAX_RAW_CHARS, clean_input, clean_question

_LIVE_TAG = re.compile(r"<[^<>]*>")


def test_a_lone_surrogate_is_removed_and_the_rest_kept():
    cleaned = clean_input("Duldung \ud800 § 25b, wie lange gilt sie? \udfff")
    assert cleaned.text == "Duldung § 25b, wie lange gilt sie?"
    cleaned.text.encode("utf-8")  # would raise on a surrogate


@pytest.mark.parametrize(
    "raw",
    [
        "&lt;script&gt;alert(1)&lt;/script&gt; Was ist eine Duldung?",
        "&#60;script&#62;alert(1)&#60;/script&#62; Was ist eine Duldung?",
        "<scr<script>ipt>alert(1)</script> Was ist eine Duldung?",
        "<<<<<<b>>>>>> <img src=x onerror=alert(1) " + "a" * 600 + "> Was ist eine Duldung?",
    ],
)
def test_entities_are_decoded_before_tags_are_stripped_so_no_live_tag_survives(raw):
    text = clean_input(raw).text
    assert not _LIVE_TAG.search(text), text
    assert "<script" not in text.lower()
    assert "Was ist eine Duldung?" in text


def test_a_doubly_escaped_tag_stays_inert_text():
    # one decoding only: "&amp;lt;b&amp;gt;" is the literal text "&lt;b&gt;", which the app escapes again
    assert clean_input("&amp;lt;b&amp;gt; Duldung").text == "&lt;b&gt; Duldung"


@pytest.mark.parametrize("raw", ["😀😀😀", "🙂", "12345", "???", "§§§", "\x01\x02\x03 abc", "\x00Duldung", b"Was ist eine Duldung?", 7, ["Duldung"]])
def test_garbage_is_unreadable_not_a_question(raw):
    cleaned = clean_input(raw)
    assert cleaned.unreadable and cleaned.text == ""


@pytest.mark.parametrize("raw", ["§ 25", "§25b", "Duldung?", "دولدونگ چیست؟", "Что такое Duldung?", "Wie \x07 lange gilt eine Duldung? 😀"])
def test_short_and_mixed_questions_stay_readable(raw):
    cleaned = clean_input(raw)
    assert not cleaned.unreadable and cleaned.text


@pytest.mark.parametrize("raw", [None, "", "   \n\t "])
def test_blank_input_is_empty_not_unreadable(raw):
    cleaned = clean_input(raw)
    assert cleaned.text == "" and not cleaned.unreadable


def test_a_huge_question_is_cut_before_cleaning_and_says_so():
    raw = "<b>x</b>" * (MAX_RAW_CHARS // 2)  # far beyond the raw cut
    text, truncated = clean_question(raw)
    assert truncated and len(text) <= MAX_QUESTION_CHARS
    text, truncated = clean_question("Duldung " * 1000)
    assert truncated and len(text) == MAX_QUESTION_CHARS


def test_history_keeps_only_the_last_turns_each_capped_and_cleaned():
    history = [{"role": "user", "content": f"Frage {i} " + "x" * 20_000} for i in range(1000)]
    history[-1] = {"role": "user", "content": "&lt;script&gt; Duldung \ud800 seit 2019"}
    cleaned = clean_input("Und dann?", history).history
    assert len(cleaned) == MAX_HISTORY_TURNS
    assert cleaned[0]["content"].startswith(f"Frage {1000 - MAX_HISTORY_TURNS} ")
    assert all(len(turn["content"]) <= MAX_QUESTION_CHARS for turn in cleaned)
    assert cleaned[-1]["content"] == "Duldung seit 2019"


@pytest.mark.parametrize(
    "history",
    ["abc", 7, {"role": "user"}, [1, None, "x", {"role": 5, "content": "x"}, {"role": "user", "content": b"x"}, {"role": "user"}]],
)
def test_malformed_history_turns_are_dropped(history):
    assert clean_input("Und dann?", history).history == []


@pytest.mark.parametrize(("language", "hint"), [(7, None), (["de"], None), (None, None), ("de-DE", "de-DE"), ("x" * 10_000, "x" * 32)])
def test_a_language_hint_that_is_not_text_is_no_hint(language, hint):
    assert clean_input("Was ist eine Duldung?", language=language).language == hint


def test_the_chat_check_refuses_a_pasted_book_before_walking_it():
    from assistant.user_input import check_question

    # half control characters: a full walk would call it binary; the length is refused first
    result = check_question("\x07a" * MAX_RAW_CHARS)
    assert not result.ok and result.error == "error_too_long"
    assert result.values["length"] == 2 * MAX_RAW_CHARS
