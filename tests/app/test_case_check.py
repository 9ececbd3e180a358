""""Check my case" driven through Streamlit's AppTest (no browser): the trace speaks the person's
language, answers are changeable in a summary, unreadable dates come back with a reason, chat
facts wait for confirmation, and the check opens on the answer's provision."""

from __future__ import annotations

import re
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from ui.case_values import TypedDateError, parse_typed_date, value_words

ENGLISH_OR_RAW = re.compile(r"\b(True|False|None|unknown|commitment|mostly by work|oral German|tolerated|met)\b|[a-z]+_[a-z_]+")


def case_app(lang: str = "de", messages=None):
    def script():
        import streamlit as st

        import rules
        from ui.case_form import render_check_my_case

        if "messages" not in st.session_state:
            st.session_state["messages"] = st.session_state.get("seed_messages", [])
        render_check_my_case(st.session_state["lang"], rules)

    at = AppTest.from_function(script, default_timeout=60)
    at.session_state["lang"] = lang
    if messages is not None:
        at.session_state["seed_messages"] = messages
    return at.run()


def page_text(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.warning] + [e.value for e in at.info]
    return "\n".join(str(p) for p in parts).replace("\\", "")  # Markdown escapes are not shown


def trace_text(at: AppTest) -> str:
    """The verdict's words as shown: Markdown icon and colour directives are drawing, not text."""
    text = re.sub(r":material/[a-z_]+:|:(?:red|green|orange|blue|gray)\[|\\", "", page_text(at))
    return text[text.index("Ergebnis"):] if "Ergebnis" in text else text


def test_typed_dates_in_local_forms():
    assert parse_typed_date("15.03.2019", "de") == date(2019, 3, 15)
    assert parse_typed_date("15/3/2019", "en") == date(2019, 3, 15)
    assert parse_typed_date("2019-03-15", "uk") == date(2019, 3, 15)
    assert parse_typed_date("١٥/٠٣/٢٠١٩", "ar") == date(2019, 3, 15)
    with pytest.raises(TypedDateError, match="15.03.2019"):
        parse_typed_date("März 2019", "de")
    with pytest.raises(TypedDateError):
        parse_typed_date("31.02.2019", "de")


def test_question_labels_show_no_raw_choice_values():
    from ui.case_values import question_label

    for lang in ("de", "en", "ar", "fa", "uk", "tr", "ru"):
        label = question_label("status", lang)
        assert "duldung:" not in label and "none:" not in label and label.endswith(("?", "؟")), label


def test_values_are_words():
    assert value_words("commits_to_fdgo", True, "de") == "ja"
    assert value_words("livelihood_mostly_by_work", None, "de") == "nicht bekannt"
    assert value_words("duldung_since", "2019-03-15", "de") == "15. März 2019"
    assert value_words("employment_hours_per_week", 35.0, "de") == "35 Stunden pro Woche"


def answer_radio(at: AppTest, label_part: str, option) -> None:
    radio = next(r for r in at.radio if label_part in r.label)
    radio.set_value(option)


def submit(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Prüfen").click()
    return at.run()


def test_german_trace_has_no_english_and_a_misclick_is_correctable():
    at = case_app("de")
    at.selectbox(key="check_rule-de").set_value("aufenthg_25b").run()
    # status first: Duldung
    status = next(s for s in at.selectbox if "Aufenthaltsstatus" in s.label)
    status.set_value("duldung")
    at = submit(at)
    # answer the yes/no questions of this round; the mis-click: "deceived the authority: yes"
    keys = [r.key for r in at.radio]
    assert any(k.startswith("fact-identity_deception-") for k in keys), keys
    next(r for r in at.radio if r.key.startswith("fact-identity_deception-")).set_value("yes")
    at = submit(at)
    text = trace_text(at)
    assert "Voraussetzungen nicht erfüllt" in text, text
    assert not ENGLISH_OR_RAW.search(text), ENGLISH_OR_RAW.search(text)
    summary = page_text(at)
    assert "Ihre Angaben – bitte prüfen" in summary and "commits_to_fdgo" not in summary
    # correct the mis-click in the summary: the question comes back first, answered "no" now
    at.button(key="case-change-identity_deception").click()
    at = at.run()
    comes_back = [r for r in at.radio if r.key.startswith("fact-identity_deception-")]
    assert comes_back and at.radio[0].key == comes_back[0].key  # asked first, with nothing preselected
    comes_back[0].set_value("no")
    at = submit(at)
    assert "Voraussetzungen nicht erfüllt" not in trace_text(at)
    assert at.session_state["case_facts"]["identity_deception"] is False


def test_unreadable_date_comes_back_with_a_reason_and_dont_know_ends_it():
    at = case_app("de")
    at.selectbox(key="check_rule-de").set_value("aufenthg_12a_bound").run()  # the recognition date is asked first
    date_field = next(t for t in at.text_input if t.key and t.key.startswith("fact-") and t.key.endswith("-text"))
    fact = date_field.key.split("-")[1]
    assert date_field.placeholder == "TT.MM.JJJJ"
    date_field.input("irgendwann")
    at = submit(at)
    assert "„irgendwann“ kann ich nicht als Datum lesen" in page_text(at)
    again = next(t for t in at.text_input if t.key and t.key.startswith(f"fact-{fact}-") and t.key.endswith("-text"))
    again.input("15.03.2019")
    at = submit(at)
    assert "15. März 2019" in page_text(at)
    assert not any(t.key and t.key.startswith(f"fact-{fact}-") for t in at.text_input)
    # "don't know" on a date: not asked again, shown as "nicht bekannt" in the summary
    at.button(key=f"case-change-{fact}").click()
    at = at.run()
    next(c for c in at.checkbox if c.key.startswith(f"fact-{fact}-")).check()
    at = submit(at)
    assert not any(t.key and t.key.startswith(f"fact-{fact}-") for t in at.text_input)
    assert "nicht bekannt" in page_text(at) and fact in at.session_state["case_unknown"]


def test_an_unanswered_question_comes_back_saying_why():
    at = case_app("de")
    at.selectbox(key="check_rule-de").set_value("aufenthg_25b").run()
    at = submit(at)  # nothing chosen
    assert "Diese Angabe fehlt noch, weil davon abhängt" in page_text(at)


def test_chat_facts_wait_for_confirmation_and_the_check_opens_on_the_answers_rule():
    from assistant.types import Answer, Block, Citation

    cite = Citation(citation="AufenthG § 25b Abs. 1", source_id="s", source_title="AufenthG", source_kind="statute", binding=True,
                    quote="q", url="", version="", chunk_id="c", language="de")
    answer = Answer(question="q", language="de", blocks=[Block(kind="lead", text="…", citations=[cite])])
    at = case_app("de", messages=[{"role": "user", "text": "seit 2019 geduldet, Vollzeit"}, {"role": "assistant", "answer": answer}])
    assert at.selectbox(key="check_rule-de").value == "aufenthg_25b"
    text = page_text(at)
    assert "Aus Ihren Nachrichten im Chat übernommen" in text and "31. Dezember 2019" in text and "35 Stunden" in text
    assert at.session_state["case_facts"] == {}  # nothing taken silently
    next(b for b in at.button if b.key == "case-confirm-all").click()
    at = at.run()
    assert at.session_state["case_facts"] == {"status": "duldung", "duldung_since": "2019-12-31", "employment_hours_per_week": 35.0}


def test_every_language_has_every_case_string():
    from ui.case_values import _strings

    tables = _strings()
    assert set(tables) == {"de", "en", "ar", "fa", "uk", "tr", "ru"}
    for lang, table in tables.items():
        assert set(table) == set(tables["de"]), (lang, set(tables["de"]) ^ set(table))


RAW = re.compile(r"\b(True|False|None)\b|\b[a-z]+_[a-z_]+\b")


@pytest.mark.parametrize("lang", ["ar", "fa", "uk", "tr", "ru", "en"])
def test_the_trace_shows_no_raw_values_in_any_language(lang):
    at = case_app(lang)
    at.selectbox(key=f"check_rule-{lang}").set_value("aufenthg_25b").run()
    next(s for s in at.selectbox if s.key.startswith("fact-status-")).set_value("duldung")
    at = submit_any(at)
    for radio in at.radio:
        radio.set_value("no")
    at = submit_any(at)
    text = trace_text(at)
    assert not RAW.search(text), RAW.search(text)
    if lang != "en":
        assert not re.search(r"\b(unknown|tolerated|commitment|mostly by work|oral German|not known)\b", text)


def submit_any(at: AppTest) -> AppTest:
    at.get("form")[0]  # there is a form
    next(b for b in at.button if b.proto.is_form_submitter).click()
    return at.run()


def test_the_answers_link_opens_the_check_tab_on_its_rule():
    from assistant.types import Answer, Block, Citation

    cite = Citation(citation="AufenthG § 60d Abs. 1", source_id="s", source_title="AufenthG", source_kind="statute", binding=True,
                    quote="q", url="", version="", chunk_id="c", language="de")
    answer = Answer(question="q", language="de", blocks=[Block(kind="lead", text="…", citations=[cite])])

    def script():
        import streamlit as st

        import rules
        from ui.case_form import render_case_check_link, render_check_my_case
        from ui.text import t

        st.session_state.setdefault("messages", [])
        chat, check = st.tabs([t("de", "tab_chat"), t("de", "tab_check")], key="main-tabs", on_change="rerun")
        with chat:
            render_case_check_link(st.session_state["answer"], "de", key=0)
        with check:
            render_check_my_case("de", rules)

    at = AppTest.from_function(script, default_timeout=60)
    at.session_state["answer"] = answer
    at = at.run()
    link = at.button(key="case-link-0")
    assert link.label == "Meinen Fall prüfen: AufenthG § 60d"
    link.click()
    at = at.run()
    assert at.session_state["main-tabs"] == "Meinen Fall prüfen"
    assert at.selectbox(key="check_rule-de").value == "aufenthg_60d"
    assert "Geöffnet für AufenthG § 60d" in page_text(at)


def test_citations_and_values_are_isolated_in_right_to_left_text():
    at = case_app("ar")
    at.selectbox(key="check_rule-ar").set_value("aufenthg_25b").run()
    next(s for s in at.selectbox if s.key.startswith("fact-status-")).set_value("duldung")
    at = submit_any(at)
    text = page_text(at)
    assert "\u2068AufenthG § 25b\u2069" in text and "\u2068AufenthG § 25b Abs. 1 Satz 1\u2069" in text
    assert "\u2068Duldung (" in text  # the value word in the summary


def test_key_dates_are_shown_in_local_form_with_a_calendar_file():
    from datetime import timedelta

    recognised = date.today() - timedelta(days=400)
    at = case_app("de")
    at.selectbox(key="check_rule-de").set_value("aufenthg_12a_bound").run()
    field = next(t for t in at.text_input if t.key.startswith("fact-recognition_date-"))
    field.input(recognised.strftime("%d.%m.%Y"))
    at = submit_any(at)
    text = page_text(at)
    assert "Wichtige Daten" in text, text[-800:]
    import rules
    from rules.dates import format_date

    verdict = rules.check("aufenthg_12a_bound", at.session_state["case_facts"], lang="de")
    assert verdict.key_dates and all(format_date(k.date, "de") in text for k in verdict.key_dates)
    assert at.get("download_button"), "no calendar download"


def test_a_chat_fact_that_contradicts_an_answer_is_not_taken_and_is_asked_with_a_reason():
    at = case_app("de", messages=[{"role": "user", "text": "Ich habe seit 2019 eine Duldung"}])
    at.session_state["case_facts"] = {"birth_date": "2020-01-01"}
    at = at.run()
    at.button(key="case-confirm-duldung_since").click()
    at = at.run()
    assert "duldung_since" not in at.session_state["case_facts"]
    assert "passt nicht" in page_text(at)
