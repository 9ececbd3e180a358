"""HTML for the answer's first screen (direct answer, "why" quotes, what to do, warnings).

Streamlit's Markdown cannot carry `lang`/`dir`, so these blocks are built here as HTML: every piece
of outside text is escaped first (nothing in it is interpreted), then wrapped in elements that
tell screen readers and the bidi algorithm what language and direction it is. Inside right-to-left
text, every Latin run (citations, German terms such as "Duldung") is isolated in `<bdi>`, so
brackets and colons stay on the right side.
"""

from __future__ import annotations

import html
import re
from datetime import date

from assistant.types import Block
from ui.text import is_rtl, t

# A run of Latin script: starts with a Latin letter or "§", may hold digits, spaces, brackets and
# the punctuation of citations ("AufenthG § 60a (Aussetzung der Abschiebung (Duldung))", "Nr. 1a").
LATIN_RUN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ§][A-Za-zÀ-ÖØ-öø-ÿ§0-9 .,/\-–’'()]*")
RUN_END = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ0-9)]")


def latin_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each Latin run. A run ends on a letter, digit or a closing bracket it opened
    itself: a full stop, or a bracket that belongs to the surrounding sentence, stays outside."""
    runs = []
    for found in LATIN_RUN.finditer(text):
        start, end = found.span()
        while end > start:
            run = text[start:end]
            last = run[-1]
            if RUN_END.match(last) and not (last == ")" and run.count(")") > run.count("(")):
                break
            end -= 1
        if run.count("(") > run.count(")"):  # an opening bracket whose partner is outside: cut before it
            end = start + run.index("(")
            while end > start and not RUN_END.match(text[end - 1]):
                end -= 1
        if end > start:
            runs.append((start, end))
    return runs


# Characters a person should never see: the pipeline's list marker and stray Markdown emphasis.
STRAY_MARKERS = re.compile(r"♦\s*")
MARKDOWN_EMPHASIS = re.compile(r"(?<![\w\\])[_*]{1,2}([^_*\n]+?)[_*]{1,2}(?!\w)")

MONTHS = {
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    "ar": ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"],
    "fa": ["ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر"],
    "uk": ["січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня", "листопада", "грудня"],
    "tr": ["Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"],
}


def clean_text(text: str) -> str:
    """Text as a person should read it: no list diamonds, no Markdown emphasis markers."""
    text = STRAY_MARKERS.sub("", text)
    return MARKDOWN_EMPHASIS.sub(r"\1", text).strip()


def isolated(text: str, lang: str) -> str:
    """Escaped `text`; inside right-to-left text every Latin run is isolated left to right."""
    if not is_rtl(lang):
        return html.escape(text)
    out, last = [], 0
    for start, end in latin_runs(text):
        out.append(html.escape(text[last:start]))
        out.append(f'<bdi dir="ltr">{html.escape(text[start:end])}</bdi>')
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def unicode_isolated(text: str, lang: str) -> str:
    """For Markdown (where no `<bdi>` can be written): Latin runs inside right-to-left text between
    FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE."""
    if not is_rtl(lang):
        return text
    out, last = [], 0
    for start, end in latin_runs(text):
        out.append(f"{text[last:start]}\u2068{text[start:end]}\u2069")
        last = end
    return "".join(out) + text[last:]


def lang_attrs(lang: str) -> str:
    return f'lang="{html.escape(lang)}" dir="{"rtl" if is_rtl(lang) else "ltr"}"'


def citation_chip(citation: str) -> str:
    """A citation, always isolated: it reads the same in any surrounding direction."""
    return f'<bdi class="aa-cite" dir="ltr" lang="de">{html.escape(citation)}</bdi>'


def local_date(day: date, lang: str) -> str:
    """'12. August 2026' in the reader's language (month names spelled out: no 12/08 ambiguity)."""
    month = MONTHS.get(lang, MONTHS["en"])[day.month - 1]
    if lang == "de":
        return f"{day.day}. {month} {day.year}"
    if lang == "en":
        return f"{day.day} {month} {day.year}"
    return f"{day.day} {month} {day.year}"


def stand_text(version: str, lang: str) -> str:
    """'Stand: 12 August 2026' in the reader's language from a source's version string; developer
    notes in it (snapshot names, file references) are dropped."""
    found = re.search(r"(\d{4})-(\d{2})-(\d{2})", version) or re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", version)
    if found is None:
        return ""
    a, b, c = (int(x) for x in found.groups())
    day = date(a, b, c) if a > 31 else date(c, b, a)
    return f"{t(lang, 'version')}: {local_date(day, lang)}"


# "… bleibt bestehen. (AufenthG § 60a Abs. 3)": the citation is shown as a chip instead
TRAILING_CITATION = re.compile(r"\s*\((?:AufenthG|AufenthV)[^()]*\)\s*$")
# 'AufenthG § 60a Abs. 2 Satz 1: „Die …“' or 'Non-binding English translation: "(2) …"'
LABELLED_QUOTE = re.compile(r"^([^\"„“\n]{3,300}?):\s*\n?\s*([\"„“].*)$", re.S)


def split_label(text: str) -> tuple[str, str]:
    """(label, quote) when the text starts with a label line before its quotation marks."""
    found = LABELLED_QUOTE.match(text.strip())
    return (found.group(1).strip(), found.group(2).strip()) if found else ("", text.strip())


def block_html(block: Block, lang: str) -> str:
    """One first-screen block as HTML; the kinds handled here are `FIRST_SCREEN_KINDS`."""
    cites = "".join(citation_chip(c.citation) for c in block.citations)
    text_lang = block.language or lang
    if block.kind == "direct":
        text = TRAILING_CITATION.sub("", clean_text(block.text)) if cites else clean_text(block.text)
        return (f'<p class="aa-direct-text" {lang_attrs(text_lang)}>{isolated(text, text_lang)}'
                f'{" " + cites if cites else ""}</p>')
    if block.kind == "why":
        # verbatim statute text: escaped, never cleaned; a leading "citation:" becomes the caption's chip
        label, quote = split_label(block.text)
        if not (label and cites and label.startswith(("AufenthG", "AufenthV"))):
            quote = block.text.strip()
        return (f'<figure class="aa-why"><blockquote lang="de" dir="ltr">{html.escape(quote)}</blockquote>'
                f'<figcaption {lang_attrs(lang)}>{cites} · {html.escape(t(lang, "binding"))}</figcaption></figure>')
    if block.kind == "translation":
        # the caption is ours, in the reader's language (the block's own label may be in English)
        _, quote = split_label(clean_text(block.text))
        caption = html.escape(t(lang, "non_binding"))
        return (f'<figure class="aa-translation"><blockquote {lang_attrs(text_lang)}>'
                f'{isolated(quote, text_lang)}</blockquote>'
                f'<figcaption {lang_attrs(lang)}>{caption}</figcaption></figure>')
    if block.kind == "todo":
        text = TRAILING_CITATION.sub("", clean_text(block.text)) if cites else clean_text(block.text)
        return f'<p class="aa-todo-text" {lang_attrs(text_lang)}>{isolated(text, text_lang)} {cites}</p>'
    if block.kind == "warning":
        return (f'<div class="aa-warning" role="note" {lang_attrs(text_lang)}><span class="aa-warning-label">'
                f'{html.escape(t(lang, "warning_label"))}</span> {isolated(clean_text(block.text), text_lang)} {cites}</div>')
    raise ValueError(f"block kind {block.kind!r} is not drawn as first-screen HTML")


FIRST_SCREEN_KINDS = frozenset({"direct", "why", "translation", "todo", "warning"})


def first_screen_html(blocks: list[Block], lang: str) -> str:
    """The direct answer in a highlighted box, then "Why" quotes, "What to do" and warnings,
    each group under its heading, in the order the answer gives them."""
    groups: dict[str, list[str]] = {"direct": [], "why": [], "todo": [], "warning": []}
    for block in blocks:
        group = "why" if block.kind == "translation" else block.kind
        if group in groups:
            groups[group].append(block_html(block, lang))
    parts = [f'<div class="aa-answer" {lang_attrs(lang)}>']
    if groups["direct"]:
        parts.append(f'<section class="aa-direct" aria-label="{html.escape(t(lang, "direct_heading"))}">'
                     + "".join(groups["direct"]) + "</section>")
    parts.extend(groups["warning"])
    if groups["why"]:
        parts.append(f'<h4 class="aa-heading">{html.escape(t(lang, "why_heading"))}</h4>' + "".join(groups["why"]))
    if groups["todo"]:
        parts.append(f'<h4 class="aa-heading">{html.escape(t(lang, "todo_heading"))}</h4>' + "".join(groups["todo"]))
    parts.append("</div>")
    return "".join(parts)
