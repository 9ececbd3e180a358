"""The chat's Markdown helpers (ui.markdown): pipeline text keeps its structure but nothing in it is interpreted."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from ui import markdown as ui_markdown
from ui import render as ui_render

_md = MarkdownIt("commonmark")


def tags(markdown: str) -> set[str]:
    return set(re.findall(r"<([a-z0-9]+)", _md.render(markdown)))


def test_inline_bullets_become_a_list_and_html_stays_text():
    markdown = ui_markdown.plain_markdown("Was § 25b verlangt: • <b>Duldung</b> (AufenthG § 25b Abs. 1) • [A2](javascript:x)")
    html = _md.render(markdown)
    assert tags(markdown) <= {"p", "ul", "li", "br"}
    assert html.count("<li>") == 2
    assert "&lt;b&gt;Duldung&lt;/b&gt;" in html and "[A2](javascript:x)" in html


def test_quote_keeps_paragraphs_and_numbering_literal():
    markdown = ui_markdown.quote_markdown("„(1) Satz eins\n\n1. erstens,\n• AufenthG § 4 Abs. 2: „(2) …“")
    html = _md.render(markdown)
    assert tags(markdown) <= {"blockquote", "p", "ul", "li"}
    assert "<ol" not in html and "1. erstens," in html  # statute numbering is text, not a Markdown list


def test_split_heading_separates_the_label_line_of_a_quote():
    assert ui_markdown.split_heading("Verbindlicher Gesetzestext, AufenthG § 60d Abs. 1:\n„(1) Einem …“") == (
        "Verbindlicher Gesetzestext, AufenthG § 60d Abs. 1:",
        "„(1) Einem …“",
    )
    assert ui_markdown.split_heading("„(1) Einem …“") == ("", "„(1) Einem …“")


def test_only_web_links_are_shown():
    assert ui_markdown.safe_url("https://www.gesetze-im-internet.de/aufenthg_2004/__25b.html")
    assert ui_markdown.safe_url("javascript:alert(1)") is None and ui_markdown.safe_url("data:text/html,x") is None


def test_version_is_a_local_date_not_prefixed_twice():
    assert ui_render.version_text("Stand: 2026-08-12", "de") == "Stand: 12. August 2026"
    assert ui_render.version_text("2026-08-12", "en") == "Version: 12 August 2026"
