"""The chat (Streamlit). Thin on purpose: it collects input and renders the typed `Answer` and
`RuleVerdict`; retrieval, answering, language detection and the rule checks live in
`assistant.pipeline.ask` and `rules`.

Run: `streamlit run app.py` (settings in .streamlit/config.toml; embedding: embed/README.md).
Privacy: the conversation lives only in this browser session's memory; nothing a user types is
written anywhere unless the NGO turns on the anonymised log of unanswered questions.
"""

from __future__ import annotations

import types
import typing
from html import escape as inert_html

import streamlit as st

from assistant.types import Answer
from core.settings import Settings, get_settings
from ui.case_form import render_check_my_case
from ui.chat import AUTO, handle_question, render_history, user_safe
from ui.page import PAGE_CSS, PAGE_SCRIPT, example_questions, languages_line_html, notice_html, page_config_html
from ui.text import inert_markdown, is_rtl, languages, normalise_language, t
from ui.warmup import render_progress, wait_until_ready

RTL_PAGE_CSS = '<style>[data-testid="stMain"] { direction: rtl; }</style>'

st.set_page_config(
    page_title="Aufenthaltsrecht-Assistent",
    page_icon="⚖️",
    layout="centered",
    initial_sidebar_state="collapsed",
    menu_items={"Get help": None, "Report a bug": None, "About": "Information on German residence law, not legal advice."},
)


# --- the pipeline, loaded once per server process -------------------------------------------
@st.cache_resource(show_spinner=False)
def load_assistant() -> tuple[typing.Callable[..., Answer], Settings]:
    """Import the pipeline and answer one fixed question, so that the embedding model, the index
    and the keyword index are in memory before the first user asks."""
    from assistant.pipeline import ask

    wait_until_ready()  # the pipeline is being built since server start (ui/warmup.py)
    settings = get_settings()
    ask("Was ist eine Duldung?", settings=settings)
    return ask, settings


@st.cache_resource(show_spinner=False)
def load_rules() -> types.ModuleType:
    import rules

    return rules


# --- session state ---------------------------------------------------------------------------
def init_state() -> None:
    st.session_state.setdefault("messages", [])  # {"role": "user"|"assistant", "text": str, "answer": Answer}
    st.session_state.setdefault("detected_language", None)
    st.session_state.setdefault("case_facts", {})
    st.session_state.setdefault("facts_round", 0)
    st.session_state.setdefault("facts_skipped", set())
    st.session_state.setdefault("feedback", {})


def forget_everything() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state["just_reset"] = True


def ui_language() -> str:
    choice = st.session_state.get("language_choice", AUTO)
    if choice and choice != AUTO:
        return choice
    detected = st.session_state.get("detected_language")
    if detected:
        return normalise_language(detected)
    locale = st.context.locale
    return normalise_language(locale) if locale else "de"


# --- page --------------------------------------------------------------------------------------
def ask_example(question: str) -> None:
    st.session_state["pending_question"] = question


def render_header(lang: str, direction: str) -> typing.Any:
    """Compact on a phone: one title line with the language box, the disclaimer in one line.
    Returns the slot that shows the warm-up progress."""
    with st.container(key=f"{direction}-page"):
        head, controls = st.columns([3, 2], vertical_alignment="center")
        head.html(f'<h1 class="aa-title">{inert_html(t(lang, "title_short"))}</h1>')
        names = languages()
        with controls:
            st.selectbox(t(lang, "language"), [AUTO, *names], key="language_choice", label_visibility="collapsed",
                         # language-neutral: Streamlit keeps an option's first label when the page language changes
                         format_func=lambda c: "Auto" if c == AUTO else names[c])
        st.html(notice_html(lang))
        warmup_slot = st.container()  # progress while the pipeline loads (filled at the end)
        if st.session_state.pop("just_reset", False):
            st.toast(t(lang, "reset_done"))
    return warmup_slot


def render_examples(lang: str, direction: str) -> None:
    """Three or four example questions in the interface language; a tap asks one."""
    with st.container(key=f"{direction}-examples-0-{lang}"):
        with st.container(key="examples", horizontal=True, gap="small"):
            for n, question in enumerate(example_questions(lang)):
                st.button(inert_markdown(question), key=f"example-{n}", on_click=ask_example, args=(question,))
        st.html(languages_line_html(lang, languages()))


def main() -> None:
    init_state()
    st.html(PAGE_CSS)
    st.html(PAGE_SCRIPT, unsafe_allow_javascript=True)
    lang = ui_language()
    st.html(page_config_html(lang))
    direction = "rtl" if is_rtl(lang) else "ltr"
    if direction == "rtl":
        st.html(RTL_PAGE_CSS)
    warmup_slot = render_header(lang, direction)

    chat_tab, check_tab = st.tabs([t(lang, "tab_chat"), t(lang, "tab_check")], key="main-tabs", on_change="rerun")  # rerun: the answer's link can open the check tab
    with chat_tab:
        with st.container(key=f"{direction}-chat"):
            if not st.session_state["messages"]:
                render_examples(lang, direction)
            render_history()
            latest = st.container()  # the new exchange goes above the input box, after the history
            prompt = st.chat_input(t(lang, "chat_placeholder"), key="question")
            prompt = prompt if prompt is not None else st.session_state.pop("pending_question", None)
            if prompt is not None:
                with latest:
                    handle_question(prompt, lang, load_assistant)
        footer_left, footer_right = st.columns([3, 1], vertical_alignment="center")
        footer_left.caption(t(lang, "privacy"))
        footer_right.button(t(lang, "reset"), on_click=forget_everything, key="reset", icon=":material/delete:")
    with check_tab:
        with st.container(key=f"{direction}-check"), user_safe(lang):
            render_check_my_case(lang, load_rules())

    # The pipeline is warmed since server start; show its progress until ready. The page is drawn
    # already, and a question sent meanwhile stops this wait and is answered when ready.
    with warmup_slot:
        render_progress(lang)
    with user_safe(lang):
        load_assistant()


if __name__ == "__main__":
    main()
