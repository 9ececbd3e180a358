"""The chat-fact extractor: the same case typed in 7 languages gives the same facts, and it stays
silent where the words leave doubt (questions, negations, contradictions)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.case_facts import FULL_TIME_HOURS, case_check_target, facts_from_chat, propose_facts, provision_of
from assistant.types import Answer, Block, Citation

AS_OF = date(2026, 12, 2)
DULDUNG_2019_FULL_TIME = {"status": "duldung", "duldung_since": "2019-12-31", "employment_hours_per_week": FULL_TIME_HOURS}


@pytest.mark.parametrize("text", [
    "Duldung since 2019, full time",
    "seit 2019 geduldet, Vollzeit",
    "لدي دولدونغ منذ 2019، أعمل بدوام كامل",
    "دولدونگ از سال ۲۰۱۹ دارم، تمام وقت کار می‌کنم",
    "Маю дульдунг з 2019 року, працюю повний робочий день",
    "2019'dan beri Duldung, tam zamanlı çalışıyorum",
    "У меня дульдунг с 2019 года, работаю полный рабочий день",
])
def test_the_same_case_in_seven_languages(text):
    assert facts_from_chat([text], as_of=AS_OF) == DULDUNG_2019_FULL_TIME


def test_a_year_alone_is_read_as_its_last_day_and_says_so():
    proposal = {p.fact: p for p in propose_facts(["Duldung since 2019"], as_of=AS_OF)}["duldung_since"]
    assert proposal.value == "2019-12-31" and proposal.precision == "year"
    assert facts_from_chat(["Ich bin seit März 2020 geduldet"], as_of=AS_OF)["duldung_since"] == "2020-03-31"


def test_exact_dates_hours_and_children():
    facts = facts_from_chat(["Ich habe seit dem 15.03.2019 eine Duldung und arbeite 20 Stunden, zwei Kinder"], as_of=AS_OF)
    assert facts == {"status": "duldung", "duldung_since": "2019-03-15", "employment_hours_per_week": 20.0,
                     "minor_children_in_household": 2}
    assert facts_from_chat(["Ich habe keine Kinder"], as_of=AS_OF) == {"minor_children_in_household": 0}


@pytest.mark.parametrize("text", [
    "Was ist eine Duldung?",  # a question about the law, not about the person
    "Wie viele Stunden muss ich mit Duldung seit 2019 arbeiten?",
    "Eine Duldung ist kein Aufenthaltstitel.",
    "keine Duldung, nicht Vollzeit",
    "Teilzeit 20 Stunden",
    "Duldung seit 2031",  # in the future of the check: not a fact
    "Duldung seit 31.02.2019",  # no such day
])
def test_doubtful_words_give_no_fact(text):
    assert facts_from_chat([text], as_of=AS_OF) == {}


def test_contradicting_messages_give_no_fact_and_the_assistant_is_not_read():
    history = [{"role": "user", "text": "Duldung seit 2019"}, {"role": "assistant", "text": "Sie arbeiten Vollzeit"},
               {"role": "user", "text": "Duldung seit 2020"}]
    assert facts_from_chat(history, as_of=AS_OF) == {"status": "duldung"}
    assert facts_from_chat(["Duldung seit 2019.", "Ich habe keine Duldung mehr."], as_of=AS_OF) == {}


def _citation(text: str) -> Citation:
    return Citation(citation=text, source_id="s", source_title="AufenthG", source_kind="statute", binding=True, quote="q",
                    url="", version="", chunk_id=text, language="de")


def test_the_check_opens_on_the_rule_of_the_answers_main_provision():
    answer = Answer(question="q", language="de", blocks=[
        Block(kind="lead", text="...", citations=[_citation("AufenthG § 25b Abs. 1 Satz 2 Nr. 1")]),
        Block(kind="quote", text="...", citations=[_citation("AufenthG § 12a Abs. 1")])])
    assert provision_of("AufenthG § 25b Abs. 1 Satz 2 Nr. 1") == "AufenthG § 25b"
    assert case_check_target(answer) == "aufenthg_25b"
    no_rule = Answer(question="q", language="de", blocks=[Block(kind="lead", text="...", citations=[_citation("AufenthG § 60a Abs. 2")])])
    assert case_check_target(no_rule) is None  # never another provision's check
    assert case_check_target(Answer(question="q", language="de", could_not_answer=True)) is None
