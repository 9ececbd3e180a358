"""The verdict of "check my case", wholly in the person's language: each condition with its label,
its outcome as a word, the person's own answers on it (question labels and value words, never
field names or True/None) and the German statute sentence; then the notes, the key dates and
their calendar file. The checker's `detail` strings are developer English and are not shown."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from rules.api import conditions
from rules.dates import format_date
from rules.ics import key_dates_ics
from rules.verdict import RuleVerdict
from ui.case_values import ct, isolate, question_label, value_words
from ui.markdown import quote_markdown
from ui.text import inert_markdown, is_rtl, t


# Colour badges carry the outcome word itself: no icon whose name a screen reader would read out.
OUTCOME_COLOURS = {"met": "green", "not_met": "red", "unknown": "orange", "not_applicable": "gray"}
VERDICT_COLOURS = {"met": "green", "not_met": "red", "needs_info": "orange", "discretionary": "blue"}


def badge(colour: str, text: str) -> str:
    return f":{colour}-badge[{inert_markdown(text)}]"


def condition_facts(rule_id: str, as_of: date) -> dict[str, list[str]]:
    """condition id -> the facts it reads (from the rule's own conditions for that day)."""
    return {c.condition_id: c.facts for c in conditions(rule_id, "en", as_of=as_of)}


def verdict_heading(verdict: RuleVerdict, lang: str, rule_title: str) -> str:
    heading = isolate(verdict.provision, lang)
    return f"{heading} ({rule_title})" if rule_title else heading


def render_case_verdict(verdict: RuleVerdict, lang: str, facts: dict[str, Any], unknown: set[str], rule_title: str = "") -> None:
    direction = "rtl" if is_rtl(lang) else "ltr"
    as_of = date.fromisoformat(verdict.as_of)
    reads = condition_facts(verdict.rule_id, as_of)
    with st.container(border=True, key=f"{direction}-verdict-check"):
        colour = VERDICT_COLOURS.get(verdict.verdict, "orange")
        st.markdown(f"{badge(colour, t(lang, 'verdict_' + verdict.verdict))} **{inert_markdown(verdict_heading(verdict, lang, rule_title))}**")
        st.caption(inert_markdown(f"{t(lang, 'check_as_of')}: {format_date(as_of, lang)}"))
        st.markdown(f"**{inert_markdown(t(lang, 'check_trace'))}**")
        for n, condition in enumerate(verdict.trace):
            outcome = t(lang, f"outcome_{condition.outcome}")
            st.markdown(f"{inert_markdown(condition.label(lang))} {badge(OUTCOME_COLOURS.get(condition.outcome, 'orange'), outcome)}")
            lines = [isolate(condition.citation, lang)]
            given = [f"{question_label(f, lang)} → {value_words(f, facts[f], lang)}" for f in reads.get(condition.condition_id, [])
                     if f in facts and f != "as_of"]
            given += [f"{question_label(f, lang)} → {ct(lang, 'not_known')}" for f in reads.get(condition.condition_id, [])
                      if f in unknown and f not in facts]
            if given:
                lines.append(f"{ct(lang, 'your_answers_here')}: " + "; ".join(given))
            open_facts = [question_label(f, lang) for f in condition.missing_facts if f not in unknown]
            if condition.outcome == "unknown" and open_facts:
                lines.append(f"{ct(lang, 'still_missing_here')}: " + "; ".join(open_facts))
            st.caption(inert_markdown("\n".join(lines)))
            if condition.statute_text:
                with st.container(key=f"quote-case-{n}"):
                    st.caption(quote_markdown(condition.statute_text))
        notes = [n.get(lang) or n.get("de") or "" for n in verdict.notes_i18n] or verdict.notes
        notes = [note for note in notes if note]
        if notes:
            st.markdown(f"**{inert_markdown(t(lang, 'check_notes'))}**")
            for note in notes:
                st.markdown("- " + inert_markdown(note))
        render_key_dates(verdict, lang)


def render_key_dates(verdict: RuleVerdict, lang: str) -> None:
    if not verdict.key_dates:
        return
    st.markdown(f"**{inert_markdown(ct(lang, 'key_dates'))}**")
    for item in verdict.key_dates:
        label = item.labels.get(lang) or item.labels.get("de") or item.label
        passed = f" ({ct(lang, 'key_date_past')})" if item.in_past else ""
        st.markdown("- " + inert_markdown(f"{label}{passed} · {isolate(item.citation, lang)}"))
    if any(not item.in_past for item in verdict.key_dates):
        st.download_button(ct(lang, "ics_download"), data=key_dates_ics([verdict], lang), file_name=f"{verdict.rule_id}.ics",
                           mime="text/calendar", on_click="ignore", key="case-ics")
    else:
        st.caption(inert_markdown(ct(lang, "ics_none")))
