"""The "check my case" tab: it opens on the rule of the provision the last answer was about, takes
over facts typed in the chat (only after the person confirms them), asks only for what the checker
still needs, a few questions at a time, shows a summary of all answers (each one changeable)
before the verdict, and the verdict with its key dates and calendar file.

Every question comes back only with a reason ("still missing because …", "cannot read … as a
date") and every question has "I don't know"; an unknown fact is not asked again unless the person
changes it in the summary.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date

import streamlit as st
from pydantic import ValidationError

from assistant.case_facts import ProposedFact, case_check_target, propose_facts
from rules.api import Question, fact_kind
from rules.facts import facts_error
from rules.i18n import question_labels
from ui.case_values import TypedDateError, ct, isolate, number_words, parse_typed_date, question_label, value_words
from ui.case_verdict import render_case_verdict
from ui.text import inert_markdown, t, value_label

QUESTIONS_PER_ROUND = 5
UNKNOWN = "__unknown__"  # widget choice for "don't know"
PICKER_FORMAT = {"en": "DD/MM/YYYY", "ar": "DD/MM/YYYY", "fa": "DD/MM/YYYY"}  # others: DD.MM.YYYY
TAB_KEY = "main-tabs"  # app.py's st.tabs key


@dataclass(frozen=True)
class FormAnswer:
    state: typing.Literal["value", "unknown", "none", "error"]
    value: object = None
    message: str = ""


def init_case_state() -> None:
    st.session_state.setdefault("case_facts", {})
    st.session_state.setdefault("facts_round", 0)
    st.session_state.setdefault("case_unknown", set())  # facts answered "don't know"
    st.session_state.setdefault("case_discarded", set())  # (fact, value) proposals from the chat the person rejected
    st.session_state.setdefault("case_focus", [])  # facts to ask first (changed in the summary)
    st.session_state.setdefault("case_reasons", {})  # fact -> why it is asked again
    st.session_state.setdefault("case_typed", {})  # fact -> text typed into a date field that could not be read


# --- from the chat to the check ----------------------------------------------------------------
def open_case_check(rule_id: str, lang: str) -> None:
    """Callback of the answer's link: open the check tab on `rule_id` (the tabs must track state,
    `on_change="rerun"`, for the switch; otherwise the rule is still preselected)."""
    st.session_state["case_rule_request"] = rule_id
    st.session_state["case_opened_for"] = rule_id
    choice = st.session_state.get("language_choice")
    interface = choice if choice and choice != "auto" else lang  # the tab labels are in the interface language
    if TAB_KEY in st.session_state:  # only tabs that track state can be switched
        st.session_state[TAB_KEY] = t(interface, "tab_check")


def render_case_check_link(answer: typing.Any, lang: str, key: str | int) -> None:
    """A button under an answer that opens the check on the answer's provision (nothing if it has none)."""
    from rules import RULES

    rule_id = case_check_target(answer)
    if rule_id is None:
        return
    provision = isolate(RULES[rule_id].provision, lang)
    st.button(ct(lang, "check_link", provision=provision), key=f"case-link-{key}",
              on_click=open_case_check, args=(rule_id, lang))


def follow_latest_answer(lang: str) -> None:
    """Open the check on the rule of the newest answer, once per answer (the person's own choice of
    a rule afterwards stays)."""
    messages = st.session_state.get("messages", [])
    latest = next((i for i in range(len(messages) - 1, -1, -1) if messages[i].get("role") == "assistant"), None)
    if latest is None or st.session_state.get("case_target_from") == latest:
        return
    st.session_state["case_target_from"] = latest
    rule_id = case_check_target(messages[latest].get("answer"))
    if rule_id:
        st.session_state["case_rule_request"] = rule_id
        st.session_state["case_opened_for"] = rule_id


def pending_from_chat(messages: list[dict], facts: dict, unknown: set[str], discarded: set[tuple[str, str]]) -> list[ProposedFact]:
    """Facts read from the person's chat messages that are neither answered nor rejected yet."""
    return [p for p in propose_facts(messages) if p.fact not in facts and p.fact not in unknown
            and (p.fact, repr(p.value)) not in discarded]


def proposal_note(proposal: ProposedFact, lang: str) -> str:
    if proposal.precision == "year":
        return ct(lang, "year_taken")
    if proposal.precision == "month":
        return ct(lang, "month_taken")
    if proposal.assumption == "full_time":
        return ct(lang, "full_time_taken", hours=number_words(float(typing.cast(float, proposal.value)), lang))
    return ""


# --- answers ---------------------------------------------------------------------------------
def _accept(fact: str, value: object) -> None:
    """Take a proposal from the chat if it fits the other answers; else it is dropped and asked, saying why."""
    from rules.facts import CaseFacts

    facts = st.session_state["case_facts"]
    try:
        CaseFacts(**{**facts, fact: value})
    except ValidationError:
        lang = st.session_state.get("case_lang", "de")
        message = ct(lang, "invalid_answer", label=question_label(fact, lang))
        st.session_state["case_discarded"].add((fact, repr(value)))
        st.session_state["case_reasons"][fact] = message  # beside the question, if it is asked
        st.session_state["case_notice"] = message  # and at once, above the summary
        return
    facts[fact] = value
    st.session_state["case_reasons"].pop(fact, None)


def _reject(fact: str, value: object) -> None:
    st.session_state["case_discarded"].add((fact, repr(value)))


def _accept_all(proposals: list[ProposedFact]) -> None:
    for p in proposals:
        _accept(p.fact, p.value)


def _change(fact: str) -> None:
    """The summary's "change": forget the answer and ask the question first, with a fresh widget."""
    st.session_state["case_facts"].pop(fact, None)
    st.session_state["case_unknown"].discard(fact)
    focus = st.session_state["case_focus"]
    if fact in focus:
        focus.remove(fact)
    focus.insert(0, fact)
    st.session_state["facts_round"] += 1


def _restart() -> None:
    for key in ("case_facts", "case_reasons", "case_typed"):
        st.session_state[key] = {}
    for key in ("case_unknown", "case_discarded"):
        st.session_state[key] = set()
    st.session_state["case_focus"] = []
    st.session_state["facts_round"] += 1


def fact_input(question: typing.Any, lang: str, key: str) -> FormAnswer:
    """One question's widgets; every kind has "don't know"."""
    fact = question.fact
    label = question_label(fact, lang)
    if question.kind == "date":
        typed_col, pick_col = st.columns([3, 2])
        typed = typed_col.text_input(label, value=st.session_state["case_typed"].get(fact, ""), key=f"{key}-text",
                                     placeholder=ct(lang, "date_format"))
        picked = pick_col.date_input(ct(lang, "date_pick"), value=None, min_value=date(1900, 1, 1), max_value=date(2100, 12, 31),
                                     format=PICKER_FORMAT.get(lang, "DD.MM.YYYY"), key=f"{key}-pick")
        dont_know = st.checkbox(ct(lang, "dont_know"), key=f"{key}-unknown")
        if typed and typed.strip():
            try:
                return FormAnswer("value", parse_typed_date(typed, lang).isoformat())
            except TypedDateError as err:
                return FormAnswer("error", typed, str(err))
        if isinstance(picked, date):
            return FormAnswer("value", picked.isoformat())
        return FormAnswer("unknown") if dont_know else FormAnswer("none")
    if question.kind == "bool":
        choice = st.radio(label, ["yes", "no", UNKNOWN], index=None, horizontal=True, key=key,
                          format_func=lambda v: ct(lang, "dont_know") if v == UNKNOWN else t(lang, v))
        if choice is None:
            return FormAnswer("none")
        return FormAnswer("unknown") if choice == UNKNOWN else FormAnswer("value", choice == "yes")
    if question.kind == "choice":
        choice = st.selectbox(label, [*question.choices, UNKNOWN], index=None, key=key, placeholder=t(lang, "choose"),
                              format_func=lambda v: ct(lang, "dont_know") if v == UNKNOWN else value_label(lang, v))
        if choice is None:
            return FormAnswer("none")
        return FormAnswer("unknown") if choice == UNKNOWN else FormAnswer("value", choice)
    if question.kind in {"int", "number"}:
        whole = question.kind == "int"
        number = st.number_input(label, min_value=0 if whole else 0.0, max_value=None if whole else 168.0, value=None,
                                 step=1 if whole else 0.5, key=key)
        dont_know = st.checkbox(ct(lang, "dont_know"), key=f"{key}-unknown")
        if number is not None:
            return FormAnswer("value", int(number) if whole else float(number))
        return FormAnswer("unknown") if dont_know else FormAnswer("none")
    text = st.text_input(label, key=key)
    dont_know = st.checkbox(ct(lang, "dont_know"), key=f"{key}-unknown")
    if text and text.strip():
        return FormAnswer("value", text.strip())
    return FormAnswer("unknown") if dont_know else FormAnswer("none")


def changed_question(fact: str, lang: str) -> Question:
    kind, choices = fact_kind(fact)
    return Question(fact=fact, text=question_label(fact, lang), texts=question_labels(fact), kind=kind, choices=choices)


def still_needed_reason(fact: str, verdict: typing.Any, lang: str) -> str:
    decides = [c.label(lang) for c in verdict.trace if fact in c.missing_facts]
    return ct(lang, "still_needed", conditions="; ".join(decides) or question_label(fact, lang))


def apply_answers(answers: dict[str, FormAnswer], verdict: typing.Any, lang: str, rules_module: types.ModuleType) -> bool:
    """Take the round's answers; False (nothing taken) if they do not fit the other facts."""
    facts: dict = st.session_state["case_facts"]
    reasons: dict = st.session_state["case_reasons"]
    typed: dict = st.session_state["case_typed"]
    given = {fact: a.value for fact, a in answers.items() if a.state == "value"}
    try:
        rules_module.CaseFacts(**{**facts, **given})
    except ValidationError as err:
        for field in facts_error(err).fields:
            reasons[field] = ct(lang, "invalid_answer", label=question_label(field, lang) if field in answers or field in facts else field)
        return False
    for fact, answer in answers.items():
        typed.pop(fact, None)
        reasons.pop(fact, None)
        if answer.state == "value":
            facts[fact] = answer.value
        elif answer.state == "unknown":
            st.session_state["case_unknown"].add(fact)
        elif answer.state == "error":
            reasons[fact] = answer.message
            typed[fact] = str(answer.value)
        else:  # not answered: it comes back, saying why
            reasons[fact] = still_needed_reason(fact, verdict, lang)
        if fact in st.session_state["case_focus"] and answer.state in {"value", "unknown"}:
            st.session_state["case_focus"].remove(fact)
    return True


# --- the tab ---------------------------------------------------------------------------------
def rule_title(rules_module: types.ModuleType, rule_id: str, lang: str) -> str:
    title = rules_module.RULES[rule_id].title
    return title.get(lang) or title.get("en") or title.get("de") or ""


def render_summary(lang: str, proposals: list[ProposedFact]) -> None:
    facts: dict = st.session_state["case_facts"]
    unknown: set[str] = st.session_state["case_unknown"]
    with st.container(border=True, key="case-summary"):
        if notice := st.session_state.pop("case_notice", None):
            st.warning(inert_markdown(notice))
        if proposals:
            st.markdown(f"**{inert_markdown(ct(lang, 'from_chat_title'))}**")
            for p in proposals:
                note = proposal_note(p, lang)
                text = f"{question_label(p.fact, lang)} → {value_words(p.fact, p.value, lang)}" + (f" ({note})" if note else "")
                st.markdown(inert_markdown(text))
                st.caption(inert_markdown(ct(lang, "from_chat_source", text=p.source_text[:120])))
                yes_col, no_col = st.columns(2)
                yes_col.button(ct(lang, "confirm"), key=f"case-confirm-{p.fact}", on_click=_accept, args=(p.fact, p.value))
                no_col.button(ct(lang, "discard"), key=f"case-discard-{p.fact}", on_click=_reject, args=(p.fact, p.value))
            if len(proposals) > 1:
                st.button(ct(lang, "confirm_all"), key="case-confirm-all", type="primary", on_click=_accept_all, args=(proposals,))
            st.divider()
        st.markdown(f"**{inert_markdown(ct(lang, 'summary_title'))}**")
        rows = [(f, facts[f]) for f in facts if f != "as_of"] + [(f, None) for f in sorted(unknown) if f not in facts]
        if not rows:
            st.caption(inert_markdown(t(lang, "check_none_given")))
            return
        st.caption(inert_markdown(ct(lang, "summary_hint")))
        for fact, value in rows:
            text_col, button_col = st.columns([5, 1], vertical_alignment="center")
            text_col.markdown(inert_markdown(f"{question_label(fact, lang)} → {value_words(fact, value, lang)}"))
            button_col.button(ct(lang, "change"), key=f"case-change-{fact}", on_click=_change, args=(fact,), type="tertiary")
        st.button(t(lang, "check_restart"), key="facts-clear", on_click=_restart)


def render_check_my_case(lang: str, rules_module: types.ModuleType) -> None:
    init_case_state()
    st.session_state["case_lang"] = lang  # for messages made in callbacks
    follow_latest_answer(lang)
    st.markdown(inert_markdown(ct(lang, "intro")))
    rule_ids = list(rules_module.RULES)
    current = st.session_state.get("rule_id", rule_ids[0])
    select_key = f"check_rule-{lang}"
    if (requested := st.session_state.pop("case_rule_request", None)) in rule_ids:
        st.session_state[select_key] = requested
    elif st.session_state.get(select_key) not in rule_ids:
        st.session_state[select_key] = current if current in rule_ids else rule_ids[0]
    rule_id = st.selectbox(
        t(lang, "check_rule"), rule_ids, key=select_key,
        format_func=lambda r: f"{rules_module.RULES[r].provision} – {rule_title(rules_module, r, lang)}".rstrip(" –"),
    )
    st.session_state["rule_id"] = rule_id
    if st.session_state.get("case_opened_for") == rule_id:
        st.caption(inert_markdown(ct(lang, "opened_for", provision=isolate(rules_module.RULES[rule_id].provision, lang))))

    facts: dict = st.session_state["case_facts"]
    unknown: set[str] = st.session_state["case_unknown"]
    proposals = pending_from_chat(st.session_state.get("messages", []), facts, unknown, st.session_state["case_discarded"])
    verdict = rules_module.check(rule_id, facts, lang=lang)

    # The most decisive missing facts first (a changed answer before them); unknown and proposed ones are not asked.
    missing = rules_module.next_questions(rule_id, facts, lang=lang)
    waiting = {p.fact for p in proposals}
    askable = [q for q in missing if q.fact not in unknown and q.fact not in waiting]
    focus = st.session_state["case_focus"]
    # A changed answer is asked again even when the other answers already decide the verdict.
    asked = {q.fact for q in askable}
    askable += [changed_question(fact, lang) for fact in focus if fact not in asked and fact not in facts and fact not in unknown]
    askable.sort(key=lambda q: focus.index(q.fact) if q.fact in focus else len(focus))
    questions = askable[:QUESTIONS_PER_ROUND]
    if questions:
        st.markdown(f"**{inert_markdown(t(lang, 'check_questions'))}**")
        round_ = st.session_state["facts_round"]
        reasons: dict = st.session_state["case_reasons"]
        with st.form(key=f"facts-form-{round_}", border=True):
            answers = {}
            for question in questions:
                if question.fact in reasons:
                    st.warning(inert_markdown(reasons[question.fact]))
                answers[question.fact] = fact_input(question, lang, key=f"fact-{question.fact}-{round_}-{lang}")
            submitted = st.form_submit_button(t(lang, "check_submit"), type="primary")
        if submitted:
            apply_answers(answers, verdict, lang, rules_module)
            st.session_state["facts_round"] += 1
            st.rerun()
    elif verdict.verdict == "needs_info" and not waiting:
        st.info(inert_markdown(ct(lang, "all_unknown")))
    elif not missing:
        st.success(inert_markdown(t(lang, "check_complete")))

    render_summary(lang, proposals)
    st.markdown(f"### {inert_markdown(t(lang, 'check_result'))}")
    render_case_verdict(verdict, lang, facts, unknown, rule_title=rule_title(rules_module, rule_id, lang))
