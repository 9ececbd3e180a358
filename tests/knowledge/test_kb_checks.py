"""Each check of kb_schema.md with a failing and a passing example (real corpus)."""

from __future__ import annotations

from conftest import KEY_FACT_ENTRY, VALID_ENTRY

from knowledge.checks import (
    check_cites,
    check_ids_and_dates,
    check_key_facts,
    check_languages,
    check_numbers,
    check_pins,
    check_spans,
    current_pins,
)
from knowledge.loader import parse_entries


def entry(text):
    result = parse_entries(text, "kb.toml")
    assert result.problems == [], result.problems
    return result.entries[0]


def reasons(problems):
    return [f"{p.field}: {p.reason}" for p in problems]


def test_rule1_languages_pass_and_fail():
    assert check_languages(entry(VALID_ENTRY)) == []
    english_in_farsi = VALID_ENTRY.replace('fa = "نه. با این دولدونگ نمی‌توان به شما اجازه کار داد."', 'fa = "No, not allowed."')
    assert any("answer[0].fa" in r and "Arabic script" in r for r in reasons(check_languages(entry(english_in_farsi))))
    russian_as_ukrainian = VALID_ENTRY.replace('uk = "Ні. З цим дульдунгом вам не можна дозволити працювати."', 'uk = "Нет. С этим дульдунгом вам нельзя разрешить работать."')
    problems = reasons(check_languages(entry(russian_as_ukrainian)))
    assert any("answer[0]" in r and "share the same text" in r for r in problems)


def test_rule2_spans_pass_and_fail(statute):
    assert check_spans(entry(VALID_ENTRY), statute) == []
    wrong_satz = VALID_ENTRY.replace('citation = "AufenthG § 60b Abs. 5 Satz 2"', 'citation = "AufenthG § 60b Abs. 5 Satz 1"')
    assert any("it stands in AufenthG § 60b Abs. 5 Satz 2" in r for r in reasons(check_spans(entry(wrong_satz), statute)))
    changed_word = VALID_ENTRY.replace("nicht erlaubt werden.“", "").replace("darf die Ausübung einer Erwerbstätigkeit nicht", "darf die Ausübung einer Beschäftigung nicht")
    assert any("does not stand verbatim" in r for r in reasons(check_spans(entry(changed_word), statute)))
    no_such_satz = VALID_ENTRY.replace('citation = "AufenthG § 60b Abs. 5 Satz 2"', 'citation = "AufenthG § 60b Abs. 5 Satz 7"')
    assert any("only 3 Sätze" in r for r in reasons(check_spans(entry(no_such_satz), statute)))
    long_form = VALID_ENTRY.replace('citation = "AufenthG § 60b Abs. 5 Satz 2"', 'citation = "AufenthG § 60b Absatz 5 Satz 2"')
    assert any("canonical" in r for r in reasons(check_spans(entry(long_form), statute)))


def test_rule3_cites_pass_and_fail():
    assert check_cites(entry(VALID_ENTRY)) == []
    other = VALID_ENTRY.replace('cite = "AufenthG § 60b Abs. 5 Satz 2"', 'cite = "AufenthG § 60b Abs. 5 Satz 1"')
    assert reasons(check_cites(entry(other))) == [
        "answer[0].cite: 'AufenthG § 60b Abs. 5 Satz 1' is not a span citation of this entry (AufenthG § 60b Abs. 5 Satz 2)"
    ]


def test_rule4_key_facts_pass_and_fail():
    assert check_key_facts(entry(KEY_FACT_ENTRY)) == []
    # "sechs Jahren" in the span, but the fact claims 5
    wrong_value = KEY_FACT_ENTRY.replace('value = "6"', 'value = "5"')
    assert any("does not state 5" in r for r in reasons(check_key_facts(entry(wrong_value))))
    # the German words are not in any span
    not_in_span = KEY_FACT_ENTRY.replace('de = "sechs Jahren"', 'de = "sieben Jahren"')
    assert any("does not stand in any span" in r for r in reasons(check_key_facts(entry(not_in_span))))
    # Turkish answer says 6 months instead of 6 years; Russian lost the number
    tr_months = KEY_FACT_ENTRY.replace("en az 6 yıl kalış", "en az 6 ay kalış").replace("не менее 6 лет", "не менее шести лет")
    problems = reasons(check_key_facts(entry(tr_months)))
    assert any("in tr" in r and "no 'years' word" in r for r in problems)
    assert any("in ru" in r and "6 not found" in r for r in problems)
    # the level must appear in every language (Cyrillic А2 counts as A2)
    no_level = KEY_FACT_ENTRY.replace("en az 6 yıl kalış", "en az 6 yıl kalış").replace("A2 düzeyinde", "temel düzeyde")
    assert any("in tr" in r and "level A2" in r for r in reasons(check_key_facts(entry(no_level))))


def test_rule4_amount_and_date_readings():
    from knowledge.checks import _german_disagrees

    assert _german_disagrees("amount", "58", "EUR", "58 Euro") is None
    assert _german_disagrees("amount", "58", "EUR", "58 Jahre") is not None
    assert _german_disagrees("duration", "12", "months", "zwölf Monate") is None
    assert _german_disagrees("duration", "3", "months", "drei Monaten") is None
    assert _german_disagrees("duration", "18", "months", "18 Monaten") is None
    assert _german_disagrees("date", "2024-12-31", None, "31. Dezember 2024") is None
    assert _german_disagrees("date", "2024-12-30", None, "31. Dezember 2024") is not None


def test_rule5_numbers_pass_and_fail():
    assert check_numbers(entry(KEY_FACT_ENTRY)) == []
    extra_number = KEY_FACT_ENTRY.replace("mindestens 6 Jahre Aufenthalt", "mindestens 6 Jahre Aufenthalt und 3 Monate Arbeit")
    assert any("number 3 is not a key-fact value" in r for r in reasons(check_numbers(entry(extra_number))))
    persian_digit = KEY_FACT_ENTRY.replace("دست‌کم ۶ سال", "دست‌کم ۸ سال")
    assert any("answer[0].fa" in r and "number 8" in r for r in reasons(check_numbers(entry(persian_digit))))
    citation = VALID_ENTRY.replace("Nein. Mit dieser Duldung", "Nein. Nach § 60b Abs. 5 darf mit dieser Duldung")
    problems = reasons(check_numbers(entry(citation)))
    assert any("citation '§ 60b'" in r for r in problems) and any("citation 'Abs. 5'" in r for r in problems)
    spelled = VALID_ENTRY.replace("you may not be allowed to work", "you may not be allowed to work for three years")
    assert any("'three'" in r for r in reasons(check_numbers(entry(spelled))))


def test_rule6_ids_and_dates():
    first = entry(VALID_ENTRY)
    assert check_ids_and_dates([first]) == []
    twice = check_ids_and_dates([first, entry(VALID_ENTRY)])
    assert [p.field for p in twice] == ["id"]
    backwards = entry(VALID_ENTRY.replace('valid_from = "2019-08-21"', 'valid_from = "2019-08-21"\nvalid_to = "2018-01-01"'))
    assert [p.field for p in check_ids_and_dates([backwards])] == ["valid_to"]


def test_rule7_pins_pass_and_fail(statute):
    unpinned = entry(VALID_ENTRY)
    assert check_pins(unpinned, statute) == []
    assert any("not pinned" in r for r in reasons(check_pins(unpinned, statute, require=True)))
    pins = current_pins(unpinned, statute)
    pinned_text = VALID_ENTRY.replace('status = "draft"', 'status = "draft"\npins = { "AufenthG § 60b Abs. 5 Satz 2" = "' + pins["AufenthG § 60b Abs. 5 Satz 2"] + '" }')
    assert check_pins(entry(pinned_text), statute, require=True) == []
    stale = pinned_text.replace(pins["AufenthG § 60b Abs. 5 Satz 2"], "0" * 64)
    assert any("changed since it was pinned" in r for r in reasons(check_pins(entry(stale), statute)))


def test_historical_wording_for_closed_schemes(statute):
    # § 104c in the wording until 2025-12-31 is found for an entry valid until then, not for current entries
    old = "AufenthG § 104c Abs. 1 Satz 1"
    assert statute.resolve(old, as_of=__import__("datetime").date(2025, 12, 31)).text.startswith("Einem geduldeten Ausländer")
    assert not statute.resolve(old).text.startswith("Einem geduldeten Ausländer")


def test_phrasings_copied_from_an_eval_set_fail(tmp_path):
    from knowledge.checks import check_not_copied, load_eval_questions

    evals = tmp_path / "questions.jsonl"
    evals.write_text('{"id": "q1", "question": "May I work with an unclear-identity Duldung?!"}\n', encoding="utf-8")
    questions = load_eval_questions([evals])
    assert reasons(check_not_copied(entry(VALID_ENTRY), questions)) == [
        "questions.en: 'May I work with an unclear-identity Duldung?' is a question of an eval set; write your own phrasing"
    ]
    assert check_not_copied(entry(VALID_ENTRY.replace("May I work with an unclear-identity Duldung?", "Can I have a job?")), questions) == []


def test_levels_written_like_the_statute():
    from knowledge.checks import _german_disagrees

    assert _german_disagrees("level", "A1", None, "Niveau A 1") is None
    assert _german_disagrees("level", "A2", None, "Niveau A 1") is not None


def test_arabic_and_persian_are_told_apart():
    arabic_in_fa = VALID_ENTRY.replace('fa = "نه. با این دولدونگ نمی‌توان به شما اجازه کار داد."', 'fa = "لا. مع هذه الدولدونغ لا يجوز السماح لك بالعمل أبدا."')
    assert any("answer[0].fa" in r and "Persian" in r for r in reasons(check_languages(entry(arabic_in_fa))))
    persian_in_ar = VALID_ENTRY.replace('ar = "لا. مع هذه الدولدونغ لا يجوز السماح لك بالعمل."', 'ar = "نه. با این دولدونگ کار ممنوع است."')
    assert any("answer[0].ar" in r and "Persian letters" in r for r in reasons(check_languages(entry(persian_in_ar))))


def test_compound_and_grouped_numbers():
    from knowledge.checks import _german_disagrees
    from knowledge.numbers import numbers_in

    assert _german_disagrees("duration", "2", "years", "zweijährigen") is None
    assert _german_disagrees("duration", "6", "months", "sechsmonatige") is None
    assert _german_disagrees("count", "1000", None, "1 000 nationale Visa") is None
    assert [t for t, _, _ in numbers_in("bis zu 1.000 Visa, am 31.12.2024")] == ["1000", "31", "12", "2024"]


def test_wording_never_tells_the_reader_they_are_eligible():
    from knowledge.checks import check_wording

    assert check_wording(entry(VALID_ENTRY)) == []
    verdict = VALID_ENTRY.replace("No. With this Duldung you may not be allowed to work.", "No. You are entitled to nothing.")
    assert any("You are entitled" in r for r in reasons(check_wording(entry(verdict))))
    conditional = VALID_ENTRY.replace("No. With this Duldung you may not be allowed to work.", "No. Only if your identity is clear you are entitled to it.")
    assert check_wording(entry(conditional)) == []
