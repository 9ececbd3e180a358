"""The "check my case" tab: a guided form that asks only for the facts the rule checker still
needs, a few at a time, and shows the verdict with its cited trace."""

from __future__ import annotations

import types
import typing
from datetime import date

import streamlit as st
from pydantic import ValidationError

from ui.render import render_verdict
from ui.text import inert_markdown, t, value_label

QUESTIONS_PER_ROUND = 5
UNKNOWN = "__unknown__"  # widget choice for "don't know": the fact then stays absent


def fact_input(question: typing.Any, lang: str, key: str) -> object:
    """One widget per missing fact (a `rules.api.Question`); "don't know" leaves the fact absent."""
    label = question.text
    if question.kind == "date":
        return st.date_input(label, value=None, min_value=date(1900, 1, 1), max_value=date(2100, 12, 31), format="DD.MM.YYYY", key=key)
    if question.kind in {"int", "number"}:
        whole = question.kind == "int"
        return st.number_input(label, min_value=0 if whole else 0.0, value=None, step=1 if whole else 0.5, key=key)
    if question.kind == "bool":
        choice = st.radio(label, ["yes", "no", UNKNOWN], index=2, horizontal=True, key=key,
                          format_func=lambda v: t(lang, "unknown" if v == UNKNOWN else v))
        return None if choice == UNKNOWN else choice == "yes"
    if question.kind == "choice":
        choice = st.selectbox(label, [UNKNOWN, *question.choices], index=0, key=key,
                              format_func=lambda v: t(lang, "unknown") if v == UNKNOWN else value_label(lang, v))
        return None if choice == UNKNOWN else choice
    text = st.text_input(label, key=key)
    return text.strip() or None


def rule_title(rules_module: types.ModuleType, rule_id: str, lang: str) -> str:
    title = rules_module.RULES[rule_id].title
    return title.get(lang) or title.get("en") or title.get("de") or ""


def render_check_my_case(lang: str, rules_module: types.ModuleType) -> None:
    st.caption(t(lang, "check_intro"))
    rule_ids = list(rules_module.RULES)
    # Option labels depend on the language, so the key does too; the choice itself is kept aside.
    current = st.session_state.get("rule_id", rule_ids[0])
    rule_id = st.selectbox(
        t(lang, "check_rule"), rule_ids, index=rule_ids.index(current) if current in rule_ids else 0, key=f"check_rule-{lang}",
        format_func=lambda r: f"{rules_module.RULES[r].provision} – {rule_title(rules_module, r, lang)}".rstrip(" –"),
    )
    st.session_state["rule_id"] = rule_id
    facts: dict = st.session_state["case_facts"]

    # The most decisive missing facts first, a few at a time; "don't know" moves on to the next ones.
    missing = rules_module.next_questions(rule_id, facts, lang=lang)
    skipped: set[str] = st.session_state["facts_skipped"]
    questions = [q for q in missing if q.fact not in skipped] or missing
    questions = questions[:QUESTIONS_PER_ROUND]
    if questions:
        st.markdown(f"**{inert_markdown(t(lang, 'check_questions'))}**")
        round_ = st.session_state["facts_round"]
        with st.form(key=f"facts-form-{round_}", border=True):
            answers = {}
            for question in questions:
                answers[question.fact] = fact_input(question, lang, key=f"fact-{question.fact}-{round_}-{lang}")
            submitted = st.form_submit_button(t(lang, "check_submit"), type="primary")
        if submitted:
            given = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in answers.items() if v is not None}
            try:
                rules_module.CaseFacts(**{**facts, **given})
            except ValidationError as err:
                problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'facts'}: {e['msg']}" for e in err.errors())
                st.error(t(lang, "check_invalid", error=problems))
            else:
                facts.update(given)
                skipped.update(name for name in answers if name not in given)
                if not [q for q in missing if q.fact not in skipped and q.fact not in given]:
                    skipped.clear()  # everything asked once: offer the unanswered ones again
                st.session_state["facts_round"] += 1
                st.rerun()
    else:
        st.success(t(lang, "check_complete"))

    verdict = rules_module.check(rule_id, facts, lang=lang)
    st.markdown(f"### {inert_markdown(t(lang, 'check_result'))}")
    render_verdict(verdict, lang, key="check", rule_title=rule_title(rules_module, rule_id, lang))

    with st.expander(t(lang, "check_given")):
        if facts:
            for name, value in facts.items():
                shown = value_label(lang, value) if isinstance(value, str) else value
                if isinstance(value, bool):
                    shown = t(lang, "yes" if value else "no")
                st.markdown(f"- `{name}`: {inert_markdown(str(shown))}")
        else:
            st.caption(t(lang, "check_none_given"))
        if st.button(t(lang, "check_restart"), key="facts-clear"):
            st.session_state["case_facts"] = {}
            st.session_state["facts_skipped"] = set()
            st.session_state["facts_round"] += 1
            st.rerun()
