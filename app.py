"""The chat (Streamlit). Thin on purpose: it collects input and renders the typed `Answer` and
`RuleVerdict`; retrieval, answering, language detection and the rule checks live in
`assistant.pipeline.ask` and `rules`.

Run: `streamlit run app.py` (settings in .streamlit/config.toml; embedding: embed/README.md).
Privacy: the conversation lives only in this browser session's memory; nothing a user types is
written anywhere unless the NGO turns on the anonymised log of unanswered questions.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
import traceback
import types
import typing
from collections.abc import Iterator
from datetime import date
from urllib.parse import urlparse

import streamlit as st
from pydantic import ValidationError

from assistant.settings import Settings, get_settings
from assistant.types import Answer, Block, Citation
from assistant.ui_text import inert_markdown, is_rtl, languages, normalise_language, t, value_label
from assistant.unanswered_log import record_unanswered
from assistant.user_input import check_question
from rules.verdict import ConditionResult, RuleVerdict

AUTO = "auto"
QUESTIONS_PER_ROUND = 5
UNKNOWN = "__unknown__"  # widget choice for "don't know": the fact then stays absent
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
log = logging.getLogger("aufenthalt_assistant.app")

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

    settings = get_settings()
    ask("Was ist eine Duldung?", settings=settings)
    return ask, settings


@st.cache_resource(show_spinner=False)
def load_rules() -> types.ModuleType:
    import rules

    return rules


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


# --- small renderers ---------------------------------------------------------------------------
def plain_markdown(text: str) -> str:
    """Inert Markdown for pipeline text; its bullet items ("• ...", "- ...") become a list."""
    text = re.sub(r"\s+•\s+", "\n• ", text)
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped[:2] in {"- ", "• ", "* "}:
            lines.append("- " + inert_markdown(stripped[2:]))
        elif stripped:
            lines.append(inert_markdown(stripped))
    # a list item must start on its own line; other lines end with a hard break
    return "".join(
        ("\n" if line.startswith("- ") and i else "  \n" if i else "") + line for i, line in enumerate(lines)
    )


def quote_markdown(text: str) -> str:
    """A verbatim quote as a Markdown blockquote, paragraph and item breaks kept, nothing interpreted."""
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            out.append(">")
        elif stripped[:2] == "• ":
            out.append("> - " + inert_markdown(stripped[2:]))
        else:
            out.append("> " + inert_markdown(stripped))
    return "\n".join(out)


def split_heading(text: str) -> tuple[str, str]:
    """('Verbindlicher Gesetzestext, AufenthG § 25b Abs. 1:', quote) when the block starts with such a line."""
    first, _, rest = text.partition("\n")
    if rest.strip() and first.rstrip().endswith(":") and len(first) < 300:
        return first.strip(), rest
    return "", text


def safe_url(url: str) -> str | None:
    return url if urlparse(url).scheme in {"http", "https"} else None


def source_kind_label(citation: Citation, lang: str) -> str:
    if citation.source_kind == "guide":
        return t(lang, "guide")
    return t(lang, "binding") if citation.binding else t(lang, "non_binding")


def version_text(version: str, lang: str) -> str:
    """'Stand: ...' as the source gives it, or prefixed with the localised word for it."""
    if version.lower().startswith(("stand", "version", "zuletzt")):
        return version
    return f"{t(lang, 'version')}: {version}"


def paced(markdown: str, words_per_chunk: int = 8) -> Iterator[str]:
    """A few words at a time, for st.write_stream. The answer is already complete (it is composed
    from the sources, not generated); pacing only lets the reader start at the top."""
    words = markdown.split(" ")
    for start in range(0, len(words), words_per_chunk):
        yield ("" if start == 0 else " ") + " ".join(words[start:start + words_per_chunk])
        time.sleep(0.01)


def render_block(block: Block, lang: str, stream: bool, key: str) -> None:
    if block.kind in {"quote", "translation", "guide"}:
        heading, quote = split_heading(block.text)
        if heading:
            st.markdown(f"**{inert_markdown(heading)}**")
        with st.container(key=f"quote-{key}"):
            st.markdown(quote_markdown(quote))
        if len(block.citations) == 1:  # several (a list of further provisions) are named in the text
            citation = block.citations[0]
            st.caption(inert_markdown(f"{citation.citation} · {source_kind_label(citation, lang)}"))
    elif block.kind == "conflict":
        st.warning(plain_markdown(block.text), icon=":material/warning:")
    elif block.kind == "temporal":
        st.warning(plain_markdown(block.text), icon=":material/event_busy:")
    elif block.kind in {"refusal", "missing_facts"}:
        st.info(plain_markdown(block.text), icon=":material/info:")
    elif block.kind == "notice":
        st.caption(plain_markdown(block.text))
    elif block.kind == "verdict":
        return  # rendered from the structured verdicts below
    elif stream:
        st.write_stream(paced(plain_markdown(block.text)))
    else:
        st.markdown(plain_markdown(block.text))


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
            meta = f"{c.source_title} · {version_text(c.version, lang)}"
            st.caption(inert_markdown(meta))
            with st.container(key=f"quote-src-{index}-{n}"):
                st.markdown(quote_markdown(c.quote))
            if url := safe_url(c.url):
                st.markdown(f"[{inert_markdown(t(lang, 'open_source'))}]({url})")
            st.divider()


def render_condition(condition: ConditionResult, lang: str, key: str) -> None:
    icon = OUTCOME_ICONS.get(condition.outcome, OUTCOME_ICONS["unknown"])
    outcome = t(lang, f"outcome_{condition.outcome}")
    st.markdown(f"{icon} {inert_markdown(condition.label(lang))} — *{inert_markdown(outcome)}*")
    detail = " · ".join(x for x in (condition.citation, condition.detail) if x)
    st.caption(inert_markdown(detail))
    if condition.statute_text:
        with st.container(key=f"quote-cond-{key}"):
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


def render_answer(answer: Answer, index: int, stream: bool = False) -> None:
    lang = normalise_language(answer.language)
    direction = "rtl" if is_rtl(lang) else "ltr"
    with st.container(key=f"{direction}-answer-{index}"):
        for n, block in enumerate(answer.blocks):
            render_block(block, lang, stream, key=f"{index}-{n}")
        for n, verdict in enumerate(answer.verdicts):
            render_verdict(verdict, lang, key=f"{index}-{n}")
        render_sources(answer, lang, index)
        st.feedback("thumbs", key=f"feedback-{index}", on_change=on_feedback, args=(index,))


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
                with st.container(key=f"{'rtl' if is_rtl(message.get('language')) else 'ltr'}-question-{index}"):
                    st.markdown(inert_markdown(message["text"]))
            else:
                render_answer(message["answer"], index)


def conversation_history() -> list[dict]:
    history = []
    for message in st.session_state["messages"]:
        if message["role"] == "user":
            history.append({"role": "user", "content": message["text"]})
        else:
            history.append({"role": "assistant", "content": message["answer"].text()})
    return history


def handle_question(raw: str, lang: str) -> None:
    check = check_question(raw)
    if not check.ok:
        st.warning(t(lang, check.error, **check.values), icon=":material/block:")
        return
    question = check.text
    choice = st.session_state.get("language_choice", AUTO)
    history = conversation_history()
    index = len(st.session_state["messages"])
    with st.chat_message("user"):
        with st.container(key=f"{'rtl' if is_rtl(lang) else 'ltr'}-question-{index}"):
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
        render_answer(answer, index + 1, stream=True)
    if answer.could_not_answer:
        record_unanswered(question, answer.language, "not_covered", settings)
    if normalise_language(answer.language) != lang and choice == AUTO:
        st.session_state["detected_language"] = answer.language
        st.rerun()  # redraw the page in the language just detected
    st.session_state["detected_language"] = answer.language


# --- "check my case" ---------------------------------------------------------------------------
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


def render_check_my_case(lang: str) -> None:
    rules_module = load_rules()
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
                    handle_question(prompt, lang)
        footer_left, footer_right = st.columns([3, 1], vertical_alignment="center")
        footer_left.caption(t(lang, "privacy"))
        footer_right.button(t(lang, "reset"), on_click=forget_everything, key="reset", icon=":material/delete:")
    with check_tab:
        with st.container(key=f"{direction}-check"), user_safe(lang):
            render_check_my_case(lang)

    # Warm the pipeline after the page is drawn: the first visitor reads the page meanwhile.
    with user_safe(lang):
        load_assistant()


if __name__ == "__main__":
    main()
