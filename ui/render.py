"""Streamlit renderers of the typed `Answer` and `RuleVerdict` (blocks, sources, checker traces)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from assistant.types import Answer, Block, Citation
from rules.verdict import ConditionResult, RuleVerdict
from ui.answer_html import FIRST_SCREEN_KINDS, clean_text, first_screen_html, stand_text, unicode_isolated
from ui.markdown import paced, plain_markdown, quote_markdown, safe_url, split_heading
from ui.text import inert_markdown, is_rtl, normalise_language, t

# Material icons ship with Streamlit, so they render even where no emoji font is installed.
OUTCOME_ICONS = {
    "met": ":green[:material/check_circle:]",
    "not_met": ":red[:material/cancel:]",
    "unknown": ":orange[:material/help:]",
    "not_applicable": ":gray[:material/remove_circle_outline:]",
}
VERDICT_ICONS = {
    "met": ":green[:material/check_circle:]",
    "not_met": ":red[:material/cancel:]",
    "needs_info": ":orange[:material/help:]",
    "discretionary": ":blue[:material/balance:]",
}

def source_kind_label(citation: Citation, lang: str) -> str:
    if citation.source_kind == "guide":
        return t(lang, "guide")
    return t(lang, "binding") if citation.binding else t(lang, "non_binding")


def version_text(version: str, lang: str) -> str:
    """'Stand: 12. August 2026' in the reader's language; empty when the source names no date."""
    return stand_text(version, lang)


def render_block(block: Block, lang: str, stream: bool, key: str) -> None:
    if block.kind in {"quote", "translation", "guide"}:
        heading, quote = split_heading(block.text)
        if heading:
            st.markdown(f"**{inert_markdown(unicode_isolated(clean_text(heading), lang))}**")
        with st.container(key=f"quote-{block.language or 'de'}-{key}"):
            st.markdown(quote_markdown(quote.replace("♦", "")))
        if len(block.citations) == 1:  # several (a list of further provisions) are named in the text
            citation = block.citations[0]
            st.caption(inert_markdown(unicode_isolated(f"{citation.citation} · {source_kind_label(citation, lang)}", lang)))
        return
    if block.kind in {"verdict", "more"}:
        return  # verdicts are drawn from the structured verdicts; the marker is the expander's label
    # Latin runs (citations, German terms) isolated inside right-to-left text; no stray markers
    text = plain_markdown(unicode_isolated(clean_text(block.text), lang))
    if block.kind == "conflict":
        st.warning(text, icon=":material/warning:")
    elif block.kind == "temporal":
        st.warning(text, icon=":material/event_busy:")
    elif block.kind in {"refusal", "missing_facts"}:
        st.info(text, icon=":material/info:")
    elif block.kind == "notice":
        st.caption(text)
    elif stream:
        st.write_stream(paced(text))
    else:
        st.markdown(text)


def render_sources(answer: Answer, lang: str, index: int) -> None:
    citations: dict[str, Citation] = {}
    for c in answer.citations:
        citations.setdefault(c.chunk_id or c.citation, c)
    if not citations:
        return
    with st.expander(f"{t(lang, 'sources')} ({len(citations)})", icon=":material/menu_book:", key=f"sources-{index}"):
        for n, c in enumerate(citations.values()):
            badge = "green" if c.binding else "orange"
            st.markdown(f"**{inert_markdown(c.citation)}** :{badge}-badge[{inert_markdown(source_kind_label(c, lang))}]")
            meta = " · ".join(x for x in (c.source_title, version_text(c.version, lang)) if x)
            st.caption(inert_markdown(meta))
            with st.container(key=f"quote-{c.language or 'de'}-src-{index}-{n}"):
                st.markdown(quote_markdown(c.quote))
            if url := safe_url(c.url):  # each link names its provision
                st.markdown(f"[{inert_markdown(t(lang, 'open_provision', provision=c.citation))}]({url})")
            st.divider()


def render_condition(condition: ConditionResult, lang: str, key: str) -> None:
    icon = OUTCOME_ICONS.get(condition.outcome, OUTCOME_ICONS["unknown"])
    outcome = t(lang, f"outcome_{condition.outcome}")
    st.markdown(f"{icon} {inert_markdown(condition.label(lang))} — *{inert_markdown(outcome)}*")
    detail = " · ".join(x for x in (condition.citation, condition.detail) if x)
    st.caption(inert_markdown(detail))
    if condition.statute_text:
        with st.container(key=f"quote-de-cond-{key}"):
            st.caption(quote_markdown(condition.statute_text))


def render_verdict(verdict: RuleVerdict, lang: str, key: str, rule_title: str = "") -> None:
    direction = "rtl" if is_rtl(lang) else "ltr"
    with st.container(border=True, key=f"{direction}-verdict-{key}"):
        icon = VERDICT_ICONS.get(verdict.verdict, VERDICT_ICONS["needs_info"])
        heading = f"{t(lang, 'verdict_' + verdict.verdict)} — {verdict.provision}"
        if rule_title:
            heading += f" ({rule_title})"
        st.markdown(f"{icon} **{inert_markdown(heading)}**")
        st.caption(inert_markdown(f"{t(lang, 'check_as_of')}: {verdict.as_of}"))
        st.markdown(f"**{inert_markdown(t(lang, 'check_trace'))}**")
        for n, condition in enumerate(verdict.trace):
            render_condition(condition, lang, key=f"{key}-{n}")
        notes_i18n = getattr(verdict, "notes_i18n", None) or []
        notes = [n.get(lang) or n.get("en") or next(iter(n.values()), "") for n in notes_i18n] or verdict.notes
        if notes:
            st.markdown(f"**{inert_markdown(t(lang, 'check_notes'))}**")
            for note in notes:
                st.markdown("- " + inert_markdown(note))


def render_first_screen(blocks: list[Block], lang: str, stream: bool, key: str) -> None:
    """Direct answer, "why" quotes, what to do, warnings as one HTML piece (lang/dir, isolation);
    any other kind in the shown part (notice, refusal, verdict …) keeps its own renderer."""
    st.html(first_screen_html([b for b in blocks if b.kind in FIRST_SCREEN_KINDS], lang))
    for n, block in enumerate(blocks):
        if block.kind not in FIRST_SCREEN_KINDS:
            render_block(block, lang, stream, key=f"{key}-{n}")


def render_answer(answer: Answer, index: int, on_feedback: Callable[[int], None], stream: bool = False) -> None:
    """The new answer shape (a "direct" block first; "More" behind an expander) or, for answers
    without a direct block, every block in order."""
    lang = normalise_language(answer.language)
    direction = "rtl" if is_rtl(lang) else "ltr"
    with st.container(key=f"{direction}-answer-{index}-{lang}"):
        if any(b.kind == "direct" for b in answer.blocks):
            render_first_screen(answer.shown_blocks(), lang, stream, key=str(index))
            more = answer.more_blocks()
            marker = next((b.text for b in answer.blocks if b.kind == "more"), "") or t(lang, "more_label")
            if more:
                with st.expander(inert_markdown(marker.strip()), key=f"more-{index}"):
                    for n, block in enumerate(more):
                        render_block(block, lang, False, key=f"{index}-more-{n}")
        else:
            for n, block in enumerate(answer.blocks):
                render_block(block, lang, stream, key=f"{index}-{n}")
        for n, verdict in enumerate(answer.verdicts):
            render_verdict(verdict, lang, key=f"{index}-{n}")
        render_sources(answer, lang, index)
        st.feedback("thumbs", key=f"feedback-{index}", on_change=on_feedback, args=(index,))
