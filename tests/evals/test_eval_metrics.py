"""Unit tests of the evaluation measures: citation matching, hit@k, MRR, refusal P/R, aggregation, safety."""

import pytest

from assistant.types import Answer, Block, Citation
from evals.formats import QuestionItem
from evals.matching import covers, first_rank, hit_at, include_groups_met, forbidden_found, meets_gold, percentile, reciprocal, refusal_scores
from evals.metrics import aggregate, score_item
from evals.runner import stratified_subset
from evals.safety import SafetyChecker
from evals.systems import SystemOutput, citation_before
from core.chunk import Chunk


def test_finer_citation_counts_for_absatz_and_provision():
    cited = "AufenthG § 25b Abs. 1 Satz 2 Nr. 4"
    assert covers(cited, "AufenthG § 25b Abs. 1")
    assert covers(cited, "AufenthG § 25b")
    assert not covers(cited, "AufenthG § 25b Abs. 3")
    assert covers(cited, "AufenthG § 25b Abs. 3", level="provision")
    assert not covers("AufenthG § 25", "AufenthG § 25b")          # 25 is not 25b
    assert not covers("AufenthV § 45", "AufenthG § 45")            # other law
    assert not covers("AufenthG § 25b", "AufenthG § 25b Abs. 1")   # a bare § does not prove the Absatz
    assert not covers("Guide: some title", "AufenthG § 25b")


def test_gold_mode_any_and_all():
    gold = ["AufenthV § 47 Abs. 1", "AufenthV § 53 Abs. 1"]
    assert meets_gold(["AufenthV § 47 Abs. 1 Nr. 8"], gold, "any")
    assert not meets_gold(["AufenthV § 47 Abs. 1 Nr. 8"], gold, "all")
    assert meets_gold(["AufenthV § 53 Abs. 1 Nr. 5", "AufenthV § 47 Abs. 1"], gold, "all")
    assert not meets_gold(["AufenthV § 47 Abs. 1"], [], "any")


def test_rank_hit_at_k_and_mrr():
    ranking = ["AufenthG § 60a Abs. 2", "AufenthG § 60d Abs. 3", "AufenthG § 60d Abs. 1", "AufenthG § 19d Abs. 1"]
    gold = ["AufenthG § 60d Abs. 1"]
    assert first_rank(ranking, gold) == 3
    assert first_rank(ranking, gold, level="provision") == 2
    assert first_rank(ranking, ["AufenthG § 60d Abs. 1", "AufenthG § 19d"], mode="all") == 4
    assert first_rank(ranking, ["AufenthG § 12a"]) is None
    assert (hit_at(3, 1), hit_at(3, 5), hit_at(None, 5)) == (0.0, 1.0, 0.0)
    assert reciprocal(4) == 0.25 and reciprocal(None) == 0.0


def test_refusal_precision_recall():
    expected = [True, True, False, False, True]
    predicted = [True, False, True, False, True]
    s = refusal_scores(expected, predicted)
    assert (s["tp"], s["fp"], s["fn"]) == (2, 1, 1)
    assert s["precision"] == pytest.approx(2 / 3) and s["recall"] == pytest.approx(2 / 3)
    assert refusal_scores([False], [False])["precision"] == 1.0
    assert refusal_scores([True], [False])["precision"] == 0.0


def test_text_checks_are_case_and_form_insensitive():
    text = "Die Aufenthaltserlaubnis wird LÄNGSTENS für zwei Jahre erteilt; ٢٧ سنة"
    assert include_groups_met(text, [["längstens"], ["two years", "zwei Jahre"], ["27", "٢٧"], ["A2"]]) == [True, True, True, False]
    assert forbidden_found(text, ["Ja, Sie bekommen", "zwei jahre"]) == ["zwei jahre"]
    assert percentile([10, 20, 30, 40], 50) == 25 and percentile([], 95) == 0.0


def _item(**kw):
    base = {"id": "x", "lang": "de", "question": "q", "category": "lookup", "gold_citations": ["AufenthG § 25b Abs. 5"],
            "must_include": [["zwei Jahre"], ["25b"]], "must_not_include": ["drei Jahre gilt"], "expect_refusal": False}
    return QuestionItem.model_validate({**base, **kw})


def test_score_item_and_aggregate():
    good = SystemOutput("pipeline", ranked_provisions=["AufenthG § 25b"], ranked_citations=["AufenthG § 25b Abs. 5"],
                        answer_text="§ 25b: längstens für zwei Jahre", cited=["AufenthG § 25b Abs. 5"], wall_ms=100)
    bad = SystemOutput("pipeline", ranked_provisions=["AufenthG § 26", "AufenthG § 25b"], ranked_citations=["AufenthG § 26 Abs. 1", "AufenthG § 25b Abs. 1"],
                       answer_text="die Erlaubnis drei Jahre gilt", cited=["AufenthG § 26 Abs. 1"], wall_ms=300)
    refused = SystemOutput("pipeline", refused=True, wall_ms=50)
    oos = _item(id="o", category="out_of_scope", gold_citations=[], must_include=[], must_not_include=[], expect_refusal=True)
    m_good, m_bad = score_item(_item(), good), score_item(_item(), bad)
    assert (m_good["hit1_prov"], m_good["hit5_abs"], m_good["citation_correct"], m_good["must_include_coverage"]) == (1.0, 1.0, 1.0, 1.0)
    assert (m_bad["rank_prov"], m_bad["rank_abs"], m_bad["citation_correct"]) == (2, None, 0.0)
    assert m_bad["must_include_coverage"] == 0.0 and m_bad["must_not_include_hits"] == ["drei Jahre gilt"]
    rows = [{"item": _item(), "metrics": m_good, "output": good, "safety": None},
            {"item": _item(), "metrics": m_bad, "output": bad, "safety": None},
            {"item": oos, "metrics": score_item(oos, refused), "output": refused, "safety": None}]
    agg = aggregate(rows)
    assert agg["n"] == 3 and agg["n_answerable"] == 2
    assert agg["hit1_prov"] == 0.5 and agg["mrr_prov"] == 0.75 and agg["citation_correct"] == 0.5
    assert agg["refusal_precision"] == 1.0 and agg["refusal_recall"] == 1.0 and agg["false_refusal_rate"] == 0.0
    assert agg["must_not_include_violation"] == pytest.approx(1 / 3)


def test_stratified_subset_spreads_languages_and_categories():
    items = [_item(id=f"{lang}-{cat}-{i}", lang=lang, category=cat) for lang in ("de", "en", "ar") for cat in ("lookup", "temporal") for i in range(5)]
    sub = stratified_subset(items, 6)
    assert len(sub) == 6 and len({(q.lang, q.category) for q in sub}) == 6
    assert stratified_subset(items, 6) == sub  # fixed seed


def test_naive_rag_citation_from_nearest_heading():
    text = "# § 25a – Titel\n\n(1) Satz eins.\n\n(2) Satz zwei.\n\n# § 25b – Titel\n\n(1) Anderes."
    assert citation_before(text, text.index("Satz zwei") + 3, "AufenthG") == "AufenthG § 25a Abs. 2"
    assert citation_before(text, len(text), "AufenthG") == "AufenthG § 25b Abs. 1"
    assert citation_before(text, 15, "AufenthG") == "AufenthG § 25a"
    assert citation_before("no heading here", 10, "AufenthG") == ""


class _Index:
    def __init__(self, chunks):
        self._chunks = chunks

    def all_chunks(self):
        return self._chunks


def _chunk(cid, citation, text, kind="statute"):
    return Chunk(chunk_id=cid, text=text, source_id="aufenthg", source_title="AufenthG", source_kind=kind, authority_rank=1,
                 binding=True, language="de", law="AufenthG", section=citation.split("§ ")[1].split(" ")[0],
                 paragraph=citation.split("Abs. ")[-1] if "Abs." in citation else "", citation=citation, provision=citation.split(" Abs.")[0])


def test_safety_flags_unknown_provisions_foreign_chunks_and_non_verbatim_quotes():
    text = "(5) Die Aufenthaltserlaubnis wird abweichend von § 26 Absatz 1 Satz 1 längstens für zwei Jahre erteilt und verlängert."
    checker = SafetyChecker(settings=None, index=_Index([_chunk("c1", "AufenthG § 25b Abs. 5", text)]))

    def cite(citation, quote, chunk_id="c1"):
        return Citation(citation=citation, source_id="aufenthg", source_title="AufenthG", source_kind="statute", binding=True,
                        quote=quote, url="", version="", chunk_id=chunk_id, language="de")

    assert checker.citation_problem(cite("AufenthG § 25b Abs. 5", "längstens  für zwei\u00a0Jahre erteilt")) == ""
    assert "not in the index" in checker.citation_problem(cite("AufenthV § 104a", "x"))
    assert "not in the index" in checker.citation_problem(cite("AufenthG § 25b Abs. 9", "zwei Jahre"))
    assert "not verbatim" in checker.citation_problem(cite("AufenthG § 25b Abs. 5", "für drei Jahre erteilt"))
    assert "chunk" in checker.citation_problem(cite("AufenthG § 25b Abs. 5", "zwei Jahre", chunk_id="nope"))
    answer = Answer(question="q", language="de", blocks=[Block(kind="quote", text=text, citations=[cite("AufenthG § 25b Abs. 5", "zwei Jahre"), cite("AufenthG § 25b Abs. 5", "drei Jahre")])])
    report = checker.check(answer, facts=None)
    assert report.citations == 2 and len(report.hallucinated) == 1


def test_unverified_claim_detected_with_the_pipelines_gate_detector_and_real_checker():
    checker = SafetyChecker(settings=None, index=_Index([]))
    shown = Answer(question="q", language="en", blocks=[
        Block(kind="lead", text="Yes, you qualify for the residence permit under § 25b AufenthG. Please bring your papers."),
        Block(kind="quote", text="you qualify (quoted source text is not a claim of the assistant)"),
    ])
    found, bad = checker.unverified_statements(shown, facts={})
    assert found == 1 and len(bad) == 1 and bad[0]["rule_id"] == "aufenthg_25b"
    facts = {"as_of": "2026-11-23", "status": "duldung", "continuous_stay_since": "2019-04-01", "minor_children_in_household": 0,
             "commits_to_fdgo": True, "knows_legal_social_order": True, "livelihood_mostly_by_work": True, "german_level": "B1",
             "identity_clarified": True, "identity_deception": False, "obstructs_departure": False, "expulsion_interest": False}
    found, bad = checker.unverified_statements(shown, facts=facts)  # the checker confirms it on full facts
    assert found == 1 and bad == []


def test_cli_reports_a_malformed_file_without_traceback(tmp_path):
    from typer.testing import CliRunner

    from evals.cli import app

    bad = tmp_path / "q.jsonl"
    bad.write_text('{"id": "a", "lang": "de", "question": "x", "category": "lookup", "colour": 1}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "--questions", str(bad), "--no-rules", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "q.jsonl:1" in result.output and "colour" in result.output and "Traceback" not in result.output
