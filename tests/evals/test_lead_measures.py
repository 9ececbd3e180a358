"""The issue-11 measures: direct answer, lead language, lead cites gold, shown characters."""

from __future__ import annotations

import pytest

from assistant.types import Answer, Block, Citation
from evals.formats import QuestionItem
from evals.langid import detect
from evals.metrics import aggregate, expected_lead_language, score_item
from evals.systems import SystemOutput, chunk_lead, pipeline_lead

ITEM = dict(id="q", lang="en", category="lookup", question="My Duldung says 'ungeklärte Identität'. May I work?",
            gold_citations=["AufenthG § 60b Abs. 5"], must_include=[["not", "no"], ["60b"]])


def _item(**over) -> QuestionItem:
    return QuestionItem(**{**ITEM, **over})


def _citation(citation: str) -> Citation:
    return Citation(citation=citation, source_id="aufenthg", source_title="AufenthG", source_kind="statute", binding=True,
                    quote="…", url="", version="", chunk_id="c", language="de")


@pytest.mark.parametrize("text, lang", [
    ("No. With this Duldung you may not work (AufenthG § 60b Abs. 5 Satz 2).", "en"),
    ("Nein. Mit dieser Duldung dürfen Sie nicht arbeiten (AufenthG § 60b Abs. 5 Satz 2).", "de"),
    ("Hayır. Bu Duldung ile çalışamazsınız (AufenthG § 60b Abs. 5 Satz 2).", "tr"),
    ("لا. مع هذه الـ Duldung لا يجوز لك العمل.", "ar"),
    ("خیر. با این Duldung نمی‌توانید کار کنید.", "fa"),
    ("Ні. З цим Duldung ви не можете працювати, це заборонено.", "uk"),
    ("Нет. С этим Duldung вы не можете работать, это запрещено.", "ru"),
])
def test_detector_tells_the_seven_languages(text, lang):
    assert detect(text) == lang


def test_detector_ignores_cited_german_and_gives_up_on_unknown_text():
    # a lead that is English around German citations and a German quote stays English
    assert detect("You may not work: „Ihm darf die Ausübung einer Erwerbstätigkeit nicht erlaubt werden.“ (AufenthG § 60b Abs. 5 Satz 2)") == "en"
    assert detect("Ez dikarim li Almanyayê bixebitim?") == ""  # Kurmanji: not a supported language, not Turkish
    assert detect("§ 60b") == "" and detect("") == ""
    # long German headings and terms inside a Ukrainian / Arabic / English lead do not make it German
    assert detect("Норма, яка найкраще відповідає вашому питанню, — AufenthG § 38a (Aufenthaltserlaubnis für in anderen "
                  "Mitgliedstaaten der Europäischen Union langfristig Aufenthaltsberechtigte). Нижче — обов'язковий німецький текст.") == "uk"
    assert detect("النص القانوني الأقرب إلى سؤالك هو AufenthG § 104b (Aufenthaltsrecht für integrierte Kinder von geduldeten "
                  "Ausländern). تجد أدناه النص الألماني الملزم.") == "ar"
    assert detect("The provision that best matches your question is AufenthV § 45 (Gebühren für die Aufenthaltserlaubnis, "
                  "die Blaue Karte EU). Below is the binding German text.") == "en"


def test_unsupported_question_language_expects_an_english_lead():
    assert expected_lead_language("ku") == "en" and expected_lead_language("fa") == "fa"


def test_direct_answer_needs_every_group_inside_the_lead_not_only_somewhere():
    in_lead = SystemOutput("pipeline", lead="No, you may not work (§ 60b).", lead_cited=["AufenthG § 60b Abs. 5 Satz 2"],
                           answer_text="No, you may not work (§ 60b).", shown_text="x" * 100)
    later = SystemOutput("pipeline", lead="The provision that best matches your question is § 60b.", lead_cited=[],
                         answer_text="The provision … § 60b. … you may not work", shown_text="x" * 3000)
    m_in, m_later = score_item(_item(), in_lead), score_item(_item(), later)
    assert m_in["direct_answer"] == 1.0 and m_in["must_include_all"] == 1.0
    assert m_later["direct_answer"] == 0.0 and m_later["must_include_all"] == 1.0
    assert m_in["lead_cites_gold"] == 1.0 and m_later["lead_cites_gold"] == 0.0
    assert m_in["lead_language"] == 1.0 and m_later["lead_language"] == 1.0
    # a lead in Turkish for an English question is wrong
    turkish = SystemOutput("pipeline", lead="Hayır, bu belge ile çalışamazsınız.", shown_text="x")
    assert score_item(_item(), turkish)["lead_language"] == 0.0
    # measures that do not apply are None, not 0
    oos = score_item(_item(gold_citations=[], must_include=[], expect_refusal=True, category="out_of_scope"), in_lead)
    assert "direct_answer" not in oos and "lead_cites_gold" not in oos


def test_shown_characters_median_and_p90():
    rows = []
    for n in (100, 200, 300, 400, 5000):
        out = SystemOutput("pipeline", lead="No, you may not work.", shown_text="x" * n)
        rows.append({"item": _item(), "metrics": score_item(_item(), out), "output": out, "safety": None})
    agg = aggregate(rows)
    assert agg["shown_chars"]["median"] == 300
    assert agg["shown_chars"]["p90"] == pytest.approx(400 + 0.6 * 4600)
    assert agg["lead_language"] == 1.0 and agg["direct_answer"] == 0.0


def test_pipeline_lead_is_the_direct_blocks_and_otherwise_the_first_block():
    direct = Answer(question="q", language="en", blocks=[
        Block(kind="direct", text="No, you may not work.", citations=[_citation("AufenthG § 60b Abs. 5 Satz 2")]),
        Block(kind="why", text="Ihm darf … nicht erlaubt werden.", citations=[_citation("AufenthG § 60b Abs. 5 Satz 2")]),
        Block(kind="more", text="More: full paragraphs"),
        Block(kind="quote", text="x" * 5000, citations=[_citation("AufenthG § 60b Abs. 1")]),
    ])
    lead = pipeline_lead(direct)
    assert lead["lead"] == "No, you may not work." and lead["lead_cited"] == ["AufenthG § 60b Abs. 5 Satz 2"]
    assert "x" * 100 not in lead["shown_text"] and lead["shown_text"].startswith("No, you may not work.")
    before = Answer(question="q", language="en", blocks=[
        Block(kind="lead", text="The provision that best matches your question is § 60b.", citations=[_citation("AufenthG § 60b Abs. 1")]),
        Block(kind="quote", text="y" * 50)])
    lead = pipeline_lead(before)
    assert lead["lead"].startswith("The provision") and lead["lead_cited"] == ["AufenthG § 60b Abs. 1"]
    assert len(lead["shown_text"]) == len(before.text())  # no marker: everything is shown


def test_baseline_lead_is_its_best_passage():
    class _Chunk:
        def __init__(self, text, citation):
            self.text, self.citation, self.provision = text, citation, citation.split(" Abs.")[0]

    top = [_Chunk("(5) Ihm darf die Ausübung …", "AufenthG § 60b Abs. 5"), _Chunk("(1) Eine Duldung …", "AufenthG § 60b Abs. 1")]
    lead = chunk_lead(top)
    assert lead["lead"] == "(5) Ihm darf die Ausübung …" and lead["lead_cited"] == ["AufenthG § 60b Abs. 5"]
    assert lead["shown_text"] == "(5) Ihm darf die Ausübung …\n\n(1) Eine Duldung …"
    assert chunk_lead([]) == {"lead": "", "lead_cited": [], "shown_text": ""}
