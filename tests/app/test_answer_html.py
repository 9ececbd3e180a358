"""The answer's first screen as HTML: language and direction marked, Latin isolated in RTL text,
nothing from outside interpreted, no developer notes or stray markers a person should not see."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from assistant.types import Answer, Block, Citation
from ui import answer_html
from ui.page import example_questions, languages_line_html, notice_html, page_config_html
from ui.text import languages

REAL_VERSION = ("Stand: zuletzt geändert durch Art. 4 G v. 16.7.2026 I Nr. 213, mit Änderungen veröffentlicht bis "
                "2026-08-12 (kmein/gesetze snapshot 2026-08-12; see SOURCES.md)")


def cite(citation: str) -> Citation:
    return Citation(citation=citation, source_id="aufenthg", source_title="Aufenthaltsgesetz", source_kind="statute",
                    binding=True, quote="…", url="https://www.gesetze-im-internet.de/aufenthg_2004/__60a.html",
                    version=REAL_VERSION, chunk_id="c1", language="de")


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(markup: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(markup)
    return parser.elements


def new_shape(lang: str, direct: str) -> Answer:
    return Answer(question="q", language=lang, blocks=[
        Block(kind="direct", text=direct, language=lang, citations=[cite("AufenthG § 60a Abs. 2 Satz 1")]),
        Block(kind="why", text="Die Abschiebung eines Ausländers ist auszusetzen, solange die Abschiebung aus tatsächlichen "
                               "oder rechtlichen Gründen unmöglich ist", language="de", citations=[cite("AufenthG § 60a Abs. 2 Satz 1")]),
        Block(kind="translation", text="Deportation is to be suspended as long as it is impossible.", language="en"),
        Block(kind="todo", text="Ask the Ausländerbehörde for the Bescheinigung.", language=lang, citations=[cite("AufenthG § 60a Abs. 4")]),
        Block(kind="more", text="More: full paragraphs and related provisions"),
        Block(kind="quote", text="Verbindlicher Gesetzestext, AufenthG § 60a Abs. 3:\n„(3) …“", language="de"),
    ])


def test_arabic_direct_answer_isolates_every_latin_run_and_carries_lang_and_dir():
    answer = new_shape("ar", "الدولدونغ (Duldung) ليست إقامة، حسب AufenthG § 60a Abs. 2 Satz 1: يُعلَّق الترحيل فقط.")
    markup = answer_html.first_screen_html(answer.shown_blocks(), "ar")
    assert '<bdi dir="ltr">Duldung</bdi>' in markup
    assert '<bdi dir="ltr">AufenthG § 60a Abs. 2 Satz 1</bdi>:' in markup  # the colon stays outside, on the RTL side
    found = elements(markup)
    assert ("div", {"class": "aa-answer", "lang": "ar", "dir": "rtl"}) in found
    quotes = [attrs for tag, attrs in found if tag == "blockquote"]
    assert quotes[0] == {"lang": "de", "dir": "ltr"}  # the statute sentence is German, left to right
    assert quotes[1] == {"lang": "en", "dir": "ltr"}  # its translation, marked as such
    assert "ترجمة غير ملزمة" in markup  # "non-binding translation" in the reader's language
    assert markup.index("aa-direct") < markup.index("aa-why") < markup.index("aa-todo-text")
    assert "full paragraphs" not in markup  # the "More" part is not on the first screen


def test_outside_text_stays_text():
    block = Block(kind="direct", text='<img src=x onerror=alert(1)> "§ 25b" & _Land_ ♦ gilt', language="de")
    markup = answer_html.first_screen_html([block], "de")
    assert "<img" not in markup and "&lt;img" in markup
    assert "♦" not in markup and "_Land_" not in markup and "Land" in markup


def test_statute_sentence_is_shown_verbatim():
    text = "Ein Ausländer, der _nicht_ ausreist, ♦ bleibt"  # even odd characters in a quote stay as they are
    markup = answer_html.block_html(Block(kind="why", text=text, language="de"), "de")
    assert text in markup


def test_unknown_kind_is_refused_with_its_name():
    with pytest.raises(ValueError, match="'quote'"):
        answer_html.block_html(Block(kind="quote", text="x"), "de")


@pytest.mark.parametrize(("lang", "expected"), [("de", "Stand: 12. August 2026"), ("en", "Version: 12 August 2026"),
                                                ("ar", "12 أغسطس 2026"), ("uk", "12 серпня 2026")])
def test_stand_is_a_date_in_the_readers_language_without_developer_notes(lang, expected):
    shown = answer_html.stand_text(REAL_VERSION, lang)
    assert expected in shown
    assert "kmein" not in shown and "SOURCES" not in shown and "snapshot" not in shown


def test_stand_without_a_date_is_left_out():
    assert answer_html.stand_text("roughly the law as of 2024 (contains the 2022 § 104c)", "en") == ""


@pytest.mark.parametrize(("text", "runs"), [
    ("هو AufenthG § 60a (Vorübergehende Aussetzung der Abschiebung (Duldung)). تجد",
     ["AufenthG § 60a (Vorübergehende Aussetzung der Abschiebung (Duldung))"]),
    ("الدولدونغ (Duldung) ليست", ["Duldung"]),
    ("(AufenthG § 60a Abs. 3؛ وزارة", ["AufenthG § 60a Abs. 3"]),
    ("حسب AufenthG § 12a (siehe Abs. 1", ["AufenthG § 12a"]),
])
def test_latin_runs_keep_their_own_brackets_and_leave_the_sentences(text, runs):
    assert [text[a:b] for a, b in answer_html.latin_runs(text)] == runs


def test_unicode_isolation_for_markdown_only_in_rtl():
    assert answer_html.unicode_isolated("انظر AufenthG § 12a Abs. 1 (", "ar") == "انظر \u2068AufenthG § 12a Abs. 1\u2069 ("
    assert answer_html.unicode_isolated("See AufenthG § 12a", "en") == "See AufenthG § 12a"


def test_answer_helpers_split_shown_and_more():
    answer = new_shape("de", "Eine Duldung ist kein Aufenthaltstitel.")
    assert answer.lead == "Eine Duldung ist kein Aufenthaltstitel."
    assert [b.kind for b in answer.more_blocks()] == ["quote"]


@pytest.mark.parametrize("lang", list(languages()))
def test_first_screen_strings_exist_in_every_language(lang):
    config = page_config_html(lang)
    assert "Send message" not in config and 'data-lang="' + lang + '"' in config
    assert len(example_questions(lang)) == 4
    line = languages_line_html(lang, languages())
    assert line.count("<bdi") == 7 and f'lang="{lang}"' in line
    notice = notice_html(lang)
    assert "**" not in notice and "<strong>" in notice


def test_issue_11_texts_lose_duplicate_citations_and_keep_their_labels():
    """The shapes the answering pipeline gives: trailing "(citation)", "citation: „quote“", "label: "quote"";
    the translation's caption is in the reader's language."""
    direct = Block(kind="direct", text="واجب مغادرة ألمانيا يبقى قائماً. (AufenthG § 60a Abs. 3)", language="ar",
                   citations=[cite("AufenthG § 60a Abs. 3 Satz 1")])
    why = Block(kind="why", text="AufenthG § 60a Abs. 3 Satz 1: „Die Ausreisepflicht eines Ausländers, dessen Abschiebung "
                                 "ausgesetzt ist, bleibt unberührt.“", language="de", citations=[cite("AufenthG § 60a Abs. 3 Satz 1")])
    translation = Block(kind="translation", text='Non-binding English translation: "(3) Suspension of deportation does not '
                                                 'affect the obligation to leave."', language="en")
    markup = answer_html.first_screen_html([direct, why, translation], "ar")
    assert markup.count("AufenthG § 60a Abs. 3") == 2  # one chip under the answer, one under the quote
    assert "(AufenthG" not in markup
    assert '<blockquote lang="de" dir="ltr">„Die Ausreisepflicht' in markup
    assert '<figcaption lang="ar" dir="rtl">ترجمة غير ملزمة</figcaption>' in markup and "Non-binding" not in markup
