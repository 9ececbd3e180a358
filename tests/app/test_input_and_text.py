"""Input validation, inert rendering and the interface strings of the chat."""

from __future__ import annotations

import re
import tomllib

import pytest
from markdown_it import MarkdownIt

from ui.text import UI_STRINGS_PATH, inert_markdown, is_rtl, languages, normalise_language, t, value_label
from assistant.user_input import MAX_QUESTION_CHARS, check_question

# ---------------------------------------------------------------- check_question


def test_plain_question_passes_and_is_normalised():
    result = check_question("  Was ist eine Duldung?\r\n ")
    assert result.ok and result.text == "Was ist eine Duldung?"


@pytest.mark.parametrize("raw", ["", "   ", "\n\t\n", None, "\u202e\u202d"])
def test_empty_input_is_rejected(raw):
    result = check_question(raw)
    assert not result.ok and result.error == "error_empty"


def test_twenty_thousand_characters_are_rejected_with_length_and_limit():
    result = check_question("Duldung " * 2500)
    assert not result.ok and result.error == "error_too_long"
    assert result.values == {"length": len(("Duldung " * 2500).strip()), "limit": MAX_QUESTION_CHARS}
    assert "{length}" not in t("de", result.error, **result.values)
    assert str(MAX_QUESTION_CHARS) in t("en", result.error, **result.values)


@pytest.mark.parametrize(
    "raw",
    [
        "Frage\x00mit NUL",
        "\x01\x02\x03\x04\x05\x06\x07\x08 abc",
        bytes(range(256)).decode("latin-1"),
        "\ufffd" * 30 + "text",
    ],
)
def test_binary_input_is_rejected(raw):
    result = check_question(raw)
    assert not result.ok and result.error == "error_binary"


def test_a_stray_control_character_and_bidi_override_are_removed_not_rejected():
    result = check_question("Wie lange gilt \x07 eine \u202eDuldung? " + "x" * 40)
    assert result.ok
    assert "\x07" not in result.text and "\u202e" not in result.text


def test_persian_zero_width_non_joiner_survives():
    result = check_question("می\u200cخواهم بدانم دولدونگ چیست؟")
    assert result.ok and "\u200c" in result.text


# ---------------------------------------------------------------- inert_markdown

_md = MarkdownIt("commonmark").enable("table").enable("strikethrough")


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script><b>x</b>",
        "[click](javascript:alert(1))",
        "![img](http://x/y.png)",
        "# heading\n* list\n1. one",
        "**bold** _it_ `code` ~~s~~ | a | b |",
        ":red[colour] $x^2$ <img src=x onerror=alert(1)>",
        "&lt;b&gt; &amp;",
    ],
)
def test_inert_markdown_renders_the_text_literally(text):
    html = _md.render(inert_markdown(text))
    # Only a paragraph (and line breaks) may come out; no other element from the user's text.
    tags = set(re.findall(r"</?([a-z0-9]+)", html))
    assert tags <= {"p", "br"}, html
    visible = re.sub(r"<br />\n?", "\n", html).replace("<p>", "").replace("</p>", "").strip()
    import html as html_lib

    assert html_lib.unescape(visible) == "\n".join(line.strip() for line in text.split("\n"))


# ---------------------------------------------------------------- interface strings


def test_every_language_has_every_key_of_english():
    data = tomllib.loads(UI_STRINGS_PATH.read_text(encoding="utf-8"))
    english = set(data["en"])
    for code in languages():
        assert set(data[code]) == english, code
        assert set(data["values"][code]) == set(data["values"]["en"]), code


def test_placeholders_match_across_languages():
    data = tomllib.loads(UI_STRINGS_PATH.read_text(encoding="utf-8"))
    for key, text in data["en"].items():
        expected = set(re.findall(r"{(\w+)}", text))
        for code in languages():
            assert set(re.findall(r"{(\w+)}", data[code][key])) == expected, (code, key)


def test_language_helpers():
    assert list(languages()) == ["de", "en", "ar", "fa", "uk", "tr", "ru"]
    assert normalise_language("de-DE") == "de" and normalise_language("fr") == "en"
    assert is_rtl("ar") and is_rtl("fa-IR") and not is_rtl("uk")
    assert t("xx", "reset") == t("en", "reset")
    assert value_label("ar", "duldung").startswith("Duldung") and value_label("en", "no-such") == "no-such"
