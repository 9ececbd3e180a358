"""The chat tab: the conversation so far, a new question and its answer, feedback."""

from __future__ import annotations

import contextlib
import logging
import traceback
import typing
from collections.abc import Iterator

import streamlit as st

from assistant.user_input import check_question
from core.settings import get_settings
from ui.case_form import render_case_check_link
from ui.render import render_answer
from ui.text import inert_markdown, is_rtl, normalise_language, t
from ui.unanswered_log import record_unanswered

AUTO = "auto"  # language choice: detect it from the question
log = logging.getLogger("aufenthalt_assistant.app")


@contextlib.contextmanager
def user_safe(lang: str) -> Iterator[None]:
    """Show a plain message instead of a traceback. The server log gets the error type and where it
    happened, never its message or arguments (they can contain what the user typed)."""
    try:
        yield
    except Exception as err:  # noqa: BLE001 (the page must survive any failure)
        frame = traceback.extract_tb(err.__traceback__)[-1]
        log.error("%s in %s:%s (%s)", type(err).__name__, frame.filename, frame.lineno, frame.name)
        st.error(t(lang, "error_pipeline"), icon=":material/error:")


def on_feedback(index: int) -> None:
    value = st.session_state.get(f"feedback-{index}")
    st.session_state["feedback"][index] = value
    message = st.session_state["messages"][index]
    if value == 0:  # thumbs down: only recorded (anonymised) if the NGO opted in
        record_unanswered(message.get("question", ""), message["answer"].language, "negative_feedback", get_settings())
    st.toast(t(message["answer"].language, "feedback_thanks"))


def render_history() -> None:
    for index, message in enumerate(st.session_state["messages"]):
        with st.chat_message(message["role"]):
            if message["role"] == "user":
                question_lang = normalise_language(message.get("language"))
                with st.container(key=f"{'rtl' if is_rtl(question_lang) else 'ltr'}-question-{index}-{question_lang}"):
                    st.markdown(inert_markdown(message["text"]))
            else:
                render_answer(message["answer"], index, on_feedback)
                render_case_check_link(message["answer"], normalise_language(message["answer"].language), key=index)


def conversation_history() -> list[dict]:
    history = []
    for message in st.session_state["messages"]:
        if message["role"] == "user":
            history.append({"role": "user", "content": message["text"]})
        else:
            history.append({"role": "assistant", "content": message["answer"].text()})
    return history


def handle_question(raw: str, lang: str, load_assistant: typing.Callable[[], tuple]) -> None:
    """Check the input, answer it (`load_assistant()` gives `ask` and the settings), render, remember."""
    check = check_question(raw)
    if not check.ok:
        st.warning(t(lang, check.error, **check.values), icon=":material/block:")
        return
    question = check.text
    choice = st.session_state.get("language_choice", AUTO)
    history = conversation_history()
    index = len(st.session_state["messages"])
    with st.chat_message("user"):
        with st.container(key=f"{'rtl' if is_rtl(lang) else 'ltr'}-question-{index}-{lang}"):
            st.markdown(inert_markdown(question))
    with st.chat_message("assistant"):
        answer = None
        with user_safe(lang), st.spinner(t(lang, "thinking")):
            ask, settings = load_assistant()
            facts = dict(st.session_state["case_facts"]) or None  # what "check my case" already knows
            answer = ask(question, history=history, facts=facts, language=None if choice == AUTO else choice, settings=settings)
        if answer is None:
            return
        st.session_state["messages"].append({"role": "user", "text": question, "language": answer.language})
        st.session_state["messages"].append({"role": "assistant", "answer": answer, "question": question})
        render_answer(answer, index + 1, on_feedback, stream=True)
        render_case_check_link(answer, normalise_language(answer.language), key=index + 1)
    if answer.could_not_answer:
        record_unanswered(question, answer.language, "not_covered", settings)
    if normalise_language(answer.language) != lang and choice == AUTO:
        st.session_state["detected_language"] = answer.language
        st.rerun()  # redraw the page in the language just detected
    st.session_state["detected_language"] = answer.language
