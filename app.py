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

import streamlit as st

from assistant.types import Answer
from core.settings import Settings, get_settings
from ui.case_form import render_check_my_case
from ui.chat import AUTO, handle_question, render_history, user_safe
from ui.text import inert_markdown, is_rtl, languages, normalise_language, t
from ui.warmup import render_progress, wait_until_ready

# Statute quotes are German: they stay left-to-right inside right-to-left answers.
PAGE_CSS = """
<style>
[class*="st-key-rtl-"] { direction: rtl; text-align: right; }
[class*="st-key-rtl-"] :is(p, li, ul, ol) { text-align: start; }
[class*="st-key-ltr-"] { direction: ltr; text-align: left; }
[class*="st-key-rtl-"] blockquote, [class*="st-key-quote-"] { direction: ltr; text-align: left; }
[class*="st-key-rtl-"] blockquote :is(p, li) { text-align: left; }
blockquote { border-left: 3px solid #8a8f98; }
</style>
"""

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
def main() -> None:
    init_state()
    st.html(PAGE_CSS)
    lang = ui_language()
    direction = "rtl" if is_rtl(lang) else "ltr"
    if direction == "rtl":
        st.html(RTL_PAGE_CSS)

    with st.container(key=f"{direction}-page"):
        head, controls = st.columns([3, 2], vertical_alignment="bottom")
        head.markdown(f"### :material/balance: {inert_markdown(t(lang, 'title'))}")
        names = languages()
        with controls:
            st.selectbox(t(lang, "language"), [AUTO, *names], key="language_choice",
                         format_func=lambda c: "Auto" if c == AUTO else names[c], help=t(lang, "language_auto"))
        st.info(t(lang, "notice"), icon=":material/gavel:")
        warmup_slot = st.container()  # progress while the pipeline loads (filled at the end)
        if st.session_state.pop("just_reset", False):
            st.toast(t(lang, "reset_done"))

    chat_tab, check_tab = st.tabs([t(lang, "tab_chat"), t(lang, "tab_check")], key="main-tabs")
    with chat_tab:
        with st.container(key=f"{direction}-chat"):
            render_history()
            latest = st.container()  # the new exchange goes above the input box, after the history
            prompt = st.chat_input(t(lang, "chat_placeholder"), key="question")
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
