"""The real index (full corpus, real model, real Chroma) holds the right chunks."""

from __future__ import annotations

import collections

import pytest

from ingest.registry import get_registry


@pytest.fixture(scope="module")
def chunks(live_index):
    return live_index.all_chunks()


def by_citation(chunks, citation, source_id=None):
    return [c for c in chunks if c.citation == citation and (source_id is None or c.source_id == source_id)]


def test_every_source_is_indexed(chunks):
    counts = collections.Counter(c.source_id for c in chunks)
    assert set(counts) == {
        "aufenthg", "aufenthv", "aufenthg-104c-bis-2025", "aufenthg-en",
        "guide-23a-haertefall", "guide-12a-wohnsitzregelung", "guide-104a-aufenthv",
    }
    assert counts["aufenthg"] > 1000 and counts["aufenthv"] > 300 and counts["aufenthg-en"] > 900


def test_all_sections_of_both_laws_are_present(chunks):
    sections = {(c.law, c.section) for c in chunks if c.source_id in ("aufenthg", "aufenthv")}
    assert ("AufenthG", "1") in sections and ("AufenthG", "107") in sections
    assert ("AufenthV", "1") in sections and ("AufenthV", "84") in sections
    assert len([s for s in sections if s[0] == "AufenthG"]) > 190
    assert len([s for s in sections if s[0] == "AufenthV"]) > 110


def test_12a_abs_5_mentions_hardship(chunks):
    german = by_citation(chunks, "AufenthG § 12a Abs. 5", "aufenthg")
    assert german, "no chunk for AufenthG § 12a Abs. 5"
    assert any("Härte" in c.text for c in german)
    assert all(c.binding and c.in_force and c.authority_rank == 1 and c.language == "de" for c in german)
    assert all(c.title == "Wohnsitzregelung" and c.provision == "AufenthG § 12a" for c in german)
    assert german[0].url.endswith("__12a.html")


def test_25b_abs_1_has_six_years(chunks):
    assert any("sechs Jahren" in c.text for c in by_citation(chunks, "AufenthG § 25b Abs. 1", "aufenthg"))


def test_no_chunk_cites_a_provision_that_does_not_exist(chunks):
    registry = get_registry()
    bad = [c.chunk_id for c in chunks if c.citation and not registry.exists(c.citation)]
    assert bad == []
    assert not registry.exists("AufenthV § 104a")
    assert all(c.law != "AufenthV" or c.section != "104a" for c in chunks)


def test_seed_with_invented_provision_is_flagged(chunks):
    guide = [c for c in chunks if c.source_id == "guide-104a-aufenthv"]
    assert any("AufenthV § 104a" in c.invalid_mentions for c in guide)
    assert all("AufenthV § 104a" not in c.mentions for c in chunks)
    assert all(c.source_kind == "guide" and c.authority_rank == 3 and not c.binding for c in guide)
    assert all(c.citation == "" for c in guide)


def test_guides_record_existing_mentions(chunks):
    guide_12a = [c for c in chunks if c.source_id == "guide-12a-wohnsitzregelung"]
    assert any("AufenthG § 12a" in c.mentions for c in guide_12a)
    assert not any(c.invalid_mentions for c in guide_12a)


def test_cookie_banner_is_not_indexed(chunks):
    guide_12a = [c for c in chunks if c.source_id == "guide-12a-wohnsitzregelung"]
    assert not any("Accept all" in c.text for c in guide_12a)
    assert not any(c.text.strip().startswith("Share:") for c in chunks)


def test_inhaltsuebersicht_and_repealed_sections_are_not_indexed(chunks):
    assert not any("Inhaltsübersicht" in c.title or "Inhaltsübersicht" in c.text[:200] for c in chunks)
    assert not any("<td" in c.text or "<tr" in c.text for c in chunks)
    assert not any(c.text.strip() in ("(weggefallen)", "(repealed)") for c in chunks)
    assert not by_citation(chunks, "AufenthG § 62d")  # '§ 62d – (weggefallen)'


def test_no_duplicate_texts(chunks):
    keys = collections.Counter((c.language, c.in_force, c.citation, " ".join(c.text.split())) for c in chunks)
    assert [k for k, n in keys.items() if n > 1] == []
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    # the per-§ Markdown files duplicate the full law and are not indexed a second time
    assert len(by_citation(chunks, "AufenthG § 25b Abs. 1", "aufenthg")) == len(
        {c.chunk_id for c in by_citation(chunks, "AufenthG § 25b Abs. 1", "aufenthg")}
    )
    assert not any(c.source_id.startswith("aufenthg_") for c in chunks)


def test_english_translation_is_keyed_to_the_german_provision(chunks):
    english = by_citation(chunks, "AufenthG § 12a Abs. 5", "aufenthg-en")
    assert english and any("hardship" in c.text for c in english)
    assert all(c.language == "en" and not c.binding and c.source_kind == "statute_translation" for c in english)
    assert all(c.authority_rank == 2 and c.provision == "AufenthG § 12a" for c in english)


def test_historical_104c_is_not_in_force(chunks):
    old = [c for c in chunks if c.source_id == "aufenthg-104c-bis-2025"]
    assert old and all(not c.in_force and c.valid_until == "2025-12-31" for c in old)
    assert any("31. Oktober 2022" in c.text for c in old)
    current = by_citation(chunks, "AufenthG § 104c Abs. 1", "aufenthg")
    assert current and all(c.in_force for c in current)


def test_long_paragraph_is_split_along_its_numbers_with_verbatim_text(chunks):
    parts = by_citation(chunks, "AufenthG § 25b Abs. 1", "aufenthg")
    assert len(parts) > 1
    assert any(c.number for c in parts)
    from core.settings import get_settings
    from ingest.loaders import parse_statute_markdown, read_text

    source = read_text(get_settings().shared_dir / "corpus" / "statutes" / "aufenthg_full.md")
    normalised = " ".join(source.split())
    for c in parts:
        assert " ".join(c.text.split()) in normalised


def test_dense_search_finds_the_provision(live_index):
    hits = live_index.search("Wohnsitzauflage aufheben wegen Härte", k=5)
    assert any(chunk.provision == "AufenthG § 12a" for chunk, _ in hits)
    scores = [score for _, score in hits]
    assert scores == sorted(scores, reverse=True) and 0 < scores[0] <= 1


def test_state_records_stand_per_statute(live_index):
    state = live_index.state
    stands = {s["id"]: s["stand"] for s in state["sources"]}
    assert "2026" in stands["aufenthg"] and "2026" in stands["aufenthv"]


def test_outdated_translation_of_104c_is_not_in_force(chunks):
    english = [c for c in chunks if c.source_id == "aufenthg-en" and c.section == "104c"]
    assert english and all(not c.in_force and c.valid_until == "2025-12-31" for c in english)
