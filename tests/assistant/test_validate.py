"""Validator: Unicode-aware quote matching and removal of uncited / invented content."""

from __future__ import annotations

import unicodedata

from assistant.validate import quote_in_text, validate_generated
from core.text import normalise_text
from core.chunk import Chunk

STATUTE = "Die Härtefallkommission wird ausschließlich im Wege der Selbstbefassung tätig. Der Ausländer muss über hinreichende mündliche Deutschkenntnisse verfügen (§ 2 Abs. 10)."


def _chunk(citation: str = "AufenthG § 23a Abs. 2", text: str = STATUTE) -> Chunk:
    return Chunk(
        chunk_id=f"aufenthg:{citation}:0",
        text=text,
        source_id="aufenthg",
        source_title="Aufenthaltsgesetz (AufenthG)",
        source_kind="statute",
        authority_rank=1,
        binding=True,
        language="de",
        law="AufenthG",
        section=citation.split("§ ")[1].split()[0],
        citation=citation,
        provision=" ".join(citation.split()[:3]),
    )


def test_umlauts_match_in_composed_and_decomposed_form():
    decomposed = unicodedata.normalize("NFD", "Härtefallkommission wird ausschließlich")
    assert decomposed != "Härtefallkommission wird ausschließlich"
    assert quote_in_text(decomposed, STATUTE)


def test_sharp_s_is_not_mapped_to_ss():
    assert normalise_text("ausschließlich") == "ausschließlich"
    assert not quote_in_text("ausschliesslich im Wege der Selbstbefassung", STATUTE)
    assert quote_in_text("AUSSCHLIEẞLICH im Wege der Selbstbefassung", STATUTE)  # capital ẞ lowercases to ß


def test_section_sign_quotes_dashes_and_spaces_are_normalised():
    assert quote_in_text("Deutschkenntnisse verfügen (§\u00a02 Abs. 10)", STATUTE)
    assert not quote_in_text("Deutschkenntnisse verfügen (§ 3 Abs. 10)", STATUTE)
    assert normalise_text("„a“ – b") == normalise_text('"a" - b')
    assert not quote_in_text("mündlichen Deutschkenntnisse", STATUTE)  # one letter differs: no match


def test_generated_text_keeps_only_cited_verified_sentences():
    chunk = _chunk()
    text = (
        "Die Kommission wird „ausschließlich im Wege der Selbstbefassung tätig“ [AufenthG § 23a Abs. 2]. "
        "Sie können jederzeit einen Antrag stellen. "
        "Nach § 999 AufenthG gibt es ein Antragsrecht [AufenthG § 999]. "
        "Die Kommission „entscheidet immer zugunsten des Antragstellers“ [AufenthG § 23a Abs. 2]."
    )
    report = validate_generated(text, [chunk])
    kept = [s.text for s in report.kept]
    assert len(kept) == 1 and "Selbstbefassung" in kept[0]
    assert report.kept[0].citations[0].citation == "AufenthG § 23a Abs. 2"
    assert "Sie können jederzeit einen Antrag stellen." in report.dropped_uncited
    assert "AufenthG § 999" in report.removed_citations
    assert any("zugunsten" in s for s in report.dropped_bad_quote)


def test_citation_to_a_provision_that_was_not_retrieved_is_removed():
    report = validate_generated("Das steht in § 25b Abs. 1 AufenthG.", [_chunk()])
    assert report.kept == []
    assert "AufenthG § 25b Abs. 1" in report.removed_citations
