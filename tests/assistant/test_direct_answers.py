"""Issue 11, direct answers first: on the real index, the real model and the shipped knowledge base."""

from __future__ import annotations

import pytest

from assistant.direct import DirectAnswerer, records_from_view
from assistant.i18n import t
from assistant.language import detect_language, detect_unsupported
from assistant.pipeline import SHOWN_BUDGET, get_pipeline
from assistant.validate import quote_in_text
from knowledge import KnowledgeBase
from knowledge.statute import StatuteLookup
from knowledge.statute_source import AbsatzRecord

UNCLEAR_IDENTITY_WORK_FA = "در دولدونگ من نوشته شده 'für Personen mit ungeklärter Identität'. آیا اجازه دارم کار کنم؟"
UNCLEAR_IDENTITY_WORK_EN = "My Duldung says 'für Personen mit ungeklärter Identität'. May I work?"


@pytest.fixture(scope="module")
def pipeline(indexed_settings):
    return get_pipeline(indexed_settings)


def _lead_citations(answer) -> list[str]:
    return [c.citation for b in answer.blocks if b.kind == "direct" for c in b.citations]


def _assert_shape(answer, pipeline):
    kinds = [b.kind for b in answer.blocks]
    assert "more" in kinds and kinds.count("more") == 1
    shown = [b.kind for b in answer.shown_blocks()]
    assert shown[-1] == "notice" and "direct" in shown
    assert len(answer.shown_text()) <= SHOWN_BUDGET
    for block in answer.blocks:
        if block.kind in ("direct", "todo"):
            assert block.citations, block.text
    for citation in answer.citations:  # every quote, also at Satz level, stands in its chunk
        assert quote_in_text(citation.quote, pipeline.view.by_id[citation.chunk_id].text), citation.citation


def test_farsi_unclear_identity_work_question_is_answered_no_with_60b_5_2(pipeline):
    answer = pipeline.ask(UNCLEAR_IDENTITY_WORK_FA)
    assert answer.language == "fa"
    assert "AufenthG § 60b Abs. 5 Satz 2" in _lead_citations(answer)
    assert answer.lead.startswith("نه")  # "No."
    assert detect_language(answer.lead) == "fa"
    why = [b for b in answer.shown_blocks() if b.kind == "why"]
    assert why and "Erwerbstätigkeit nicht erlaubt" in why[0].text
    _assert_shape(answer, pipeline)


def test_english_25b_german_level_lead_has_a2_and_oral(pipeline):
    answer = pipeline.ask("What level of German do I need for § 25b, written or spoken?")
    assert "A2" in answer.lead
    assert any(word in answer.lead.lower() for word in ("spoken", "oral", "mündlich"))
    assert any(c.startswith("AufenthG § 25b") for c in _lead_citations(answer))
    _assert_shape(answer, pipeline)


def test_kurdish_question_is_answered_in_english_and_german_with_a_line_saying_so(pipeline):
    answer = pipeline.ask("Ez dikarim bi Duldungê li Almanyayê kar bikim?")
    assert answer.unsupported_language == "ku"
    assert answer.language == "en"  # never Turkish
    shown = answer.shown_blocks()
    assert shown[0].kind == "notice" and "Kurdish" in shown[0].text
    assert {b.language for b in shown if b.kind == "direct"} == {"en", "de"}
    _assert_shape(answer, pipeline)


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("Ez dikarim bi Duldungê li Almanyayê kar bikim?", "ku"),
        ("Ez çawa dikarim destûra rûniştinê bistînim?", "ku"),
        ("ئایا دەتوانم بە دولدونگ لە ئەڵمانیا کار بکەم؟", "ckb"),
        ("زه په آلمان کې د دولدونګ سره کار کولی شم؟", "ps"),
        ("ብዱልዱንግ ኣብ ጀርመን ክሰርሕ ይኽእል ድየ?", "ti"),
        ("Est-ce que je peux travailler en Allemagne avec une Duldung ?", "fr"),
        ("Ma shaqeyn karaa haddii aan haysto Duldung?", "so"),
    ],
)
def test_unsupported_languages_are_recognised_not_taken_for_a_supported_one(question, code):
    assert detect_unsupported(question) == code


@pytest.mark.parametrize(
    "question",
    [
        "Darf ich mit einer Duldung arbeiten?",
        "Can I work with a Duldung?",
        "Duldung ile çalışabilir miyim?",
        "آیا با دولدونگ می‌توانم کار کنم؟",
        "هل يمكنني العمل مع الدولدونغ؟",
        "Чи можу я працювати з дульдунгом?",
        "Могу ли я работать с дульдунгом?",
        "Niederlassungserlaubnis § 9 Voraussetzungen",
    ],
)
def test_supported_languages_are_not_flagged_unsupported(question):
    assert detect_unsupported(question) is None


def test_known_facts_make_the_checker_verdict_with_its_date_the_lead(pipeline):
    facts = {"as_of": "2026-11-23", "status": "duldung", "entry_date": "2024-02-01", "continuous_stay_since": "2024-02-01", "duldung_since": "2024-06-01"}
    answer = pipeline.ask("Can I get a 25b permit? I came in February 2024 and have a Duldung.", facts=facts)
    verdict = next(v for v in answer.verdicts if v.provision.endswith("§ 25b"))
    assert verdict.key_dates
    assert answer.lead.startswith(t("en", "verdict", provision=verdict.provision, verdict=t("en", f"verdict_{verdict.verdict}")))
    assert verdict.key_dates[0].label in answer.lead
    assert any(c.startswith("AufenthG § 25b") for c in _lead_citations(answer))
    _assert_shape(answer, pipeline)


def test_a_question_no_entry_covers_gets_the_honest_sentence_level_lead(pipeline):
    answer = pipeline.ask("Wie lange darf die Abschiebungshaft höchstens dauern?")
    prefix = t("de", "direct_fallback", citation="§").split("§")[0]
    assert answer.lead.startswith(prefix)
    cited = _lead_citations(answer)
    assert len(cited) == 1 and (" Satz " in cited[0] or " Nr. " in cited[0])
    _assert_shape(answer, pipeline)


def test_a_changed_statute_sentence_takes_its_entry_out_of_service(pipeline):
    """The pinned § 60b Abs. 5 Satz 2 changes in a copy of the statute: its entry is no longer served."""
    changed = []
    for record in records_from_view(pipeline.view):
        if record.citation == "AufenthG § 60b Abs. 5" and record.in_force:
            text = record.text.replace("nicht erlaubt werden", "erlaubt werden")
            assert text != record.text
            record = AbsatzRecord(record.law, record.section, record.paragraph, text, record.source_id, record.in_force, record.valid_until)
        changed.append(record)
    statute = StatuteLookup.from_records(changed, origin="changed copy")
    knowledge = KnowledgeBase(list(pipeline.direct.knowledge.entries), statute)
    assert "dul-ungeklaerte-identitaet-arbeit" not in {e.id for e in knowledge.in_service()}
    answerer = DirectAnswerer(pipeline.view, pipeline.embedder, knowledge=knowledge)
    result = pipeline.engine.retrieve(UNCLEAR_IDENTITY_WORK_EN, "en")
    match = answerer.match_entry(UNCLEAR_IDENTITY_WORK_EN, "en", result)
    assert match is None or match.entry.id != "dul-ungeklaerte-identitaet-arbeit"
    assert pipeline.direct.match_entry(UNCLEAR_IDENTITY_WORK_EN, "en", result).entry.id == "dul-ungeklaerte-identitaet-arbeit"


def test_fake_llm_writes_the_direct_answer_only_from_the_evidence_and_invented_numbers_are_removed(pipeline):
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    model = FakeListChatModel(
        responses=[
            "No: with this Duldung you may not be allowed to work [AufenthG § 60b Abs. 5 Satz 2]. "
            "After 6 months the ban ends automatically [AufenthG § 60b Abs. 5 Satz 2]. "
            "Ask a counselling service for help."
        ]
    )
    answer = pipeline.ask(UNCLEAR_IDENTITY_WORK_EN, chat_model=model)
    direct = [b for b in answer.blocks if b.kind == "direct"]
    assert [b.text for b in direct] == ["No: with this Duldung you may not be allowed to work [AufenthG § 60b Abs. 5 Satz 2]."]
    assert "6 months" not in answer.text()  # a number the evidence does not contain
    assert "counselling service for help" not in answer.text()  # uncited
    assert direct[0].citations[0].citation.startswith("AufenthG § 60b Abs. 5")
    _assert_shape(answer, pipeline)
