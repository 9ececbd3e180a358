"""Parsing and normalising legal references; the registry of existing provisions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.citations import LegalRef, find_refs, normalise, parse_ref
from ingest.registry import get_registry


@pytest.mark.parametrize(
    "text, expected",
    [
        ("§ 12a Abs. 5 AufenthG", "AufenthG § 12a Abs. 5"),
        ("§ 12a Absatz 5 des Aufenthaltsgesetzes", "AufenthG § 12a Abs. 5"),
        ("§ 25b Absatz 1 Satz 2 Nr. 3", "AufenthG § 25b Abs. 1 Satz 2 Nr. 3"),
        ("Paragraph 23a", "AufenthG § 23a"),
        ("Section 12a (5) Residence Act", "AufenthG § 12a Abs. 5"),
        ("section 9a (2), sentence 1, no. 3", "AufenthG § 9a Abs. 2 Satz 1 Nr. 3"),
        ("§ 23a Residence Act", "AufenthG § 23a"),
        ("Section 23a of the German Residence Act", "AufenthG § 23a"),
        ("§104a AufenthV", "AufenthV § 104a"),
        ("AufenthV (§104a)", "AufenthV § 104a"),
        ("Art. 104a", "AufenthG § 104a"),
        ("§ 47 Abs. 1 Nr. 8 AufenthV", "AufenthV § 47 Abs. 1 Nr. 8"),
        ("§ 53 Absatz 1 der Aufenthaltsverordnung", "AufenthV § 53 Abs. 1"),
        ("AufenthG § 12a Abs. 5", "AufenthG § 12a Abs. 5"),
        ("§25 Abs.3", "AufenthG § 25 Abs. 3"),
    ],
)
def test_normalise(text, expected):
    assert normalise(text, default_law="AufenthG") == expected


def test_levels():
    assert normalise("§ 25b Absatz 1 Satz 2 Nr. 3 AufenthG", level="citation") == "AufenthG § 25b Abs. 1"
    assert normalise("§ 25b Absatz 1 Satz 2 Nr. 3 AufenthG", level="provision") == "AufenthG § 25b"
    assert normalise("no reference here") is None
    assert normalise("§ 25b") is None  # no law named and no default


def test_lists_and_ranges():
    refs = find_refs("§§ 25a, 25b AufenthG")
    assert [r.citation for r in refs] == ["AufenthG § 25a", "AufenthG § 25b"]
    refs = find_refs("nach §§ 22, 23, 24 Absatz 1 oder 25 Absatz 3", default_law="AufenthG")
    assert [r.citation for r in refs] == ["AufenthG § 22", "AufenthG § 23", "AufenthG § 24 Abs. 1", "AufenthG § 25 Abs. 3"]
    refs = find_refs("sections 18a, 18b, 18c (3)", default_law="AufenthG")
    assert [r.citation for r in refs] == ["AufenthG § 18a", "AufenthG § 18b", "AufenthG § 18c Abs. 3"]


@pytest.mark.parametrize(
    "text",
    [
        "§ 3 Absatz 1 des Asylgesetzes",
        "§ 20 SGB II",
        "§ 284 Absatz 1 des Dritten Buches Sozialgesetzbuch",
        "section 3 (1) of the Asylum Act",
        "section 284 (1) of Book Three of the Social Code",
        "Art. 4 G v. 16.7.2026 I Nr. 213",
        "Artikels 116 Abs. 1 des Grundgesetzes",
        "§75 Verwaltungsgerichtsordnung",
    ],
)
def test_other_laws_are_not_ours(text):
    assert all(r.law is None for r in find_refs(text, default_law="AufenthG", include_foreign=True))
    assert find_refs(text, default_law="AufenthG") == []


def test_registry_knows_every_section_and_absatz():
    registry = get_registry()
    assert registry.exists("AufenthG § 12a Abs. 5")
    assert registry.exists("§ 25b Abs. 1 Satz 2 Nr. 3 AufenthG")
    assert registry.exists("AufenthV § 47 Abs. 1")
    assert not registry.exists("AufenthV § 104a")  # the seed's invention: AufenthV ends at § 84
    assert registry.exists("AufenthG § 104a")
    assert not registry.exists("AufenthG § 12a Abs. 11")
    assert not registry.exists("AufenthG § 62d")  # weggefallen
    assert not registry.exists("AufenthV § 85")
    assert registry.paragraphs("AufenthG § 25b") == [str(i) for i in range(1, 9)]
    assert registry.title("AufenthG § 12a") == "Wohnsitzregelung"
    assert len([p for p in registry.provisions() if p.startswith("AufenthG")]) > 190


def test_historical_text_exists_but_is_not_current():
    registry = get_registry()
    assert registry.exists("AufenthG § 104c Abs. 4")  # 2022 Chancen-Aufenthaltsrecht, kept for as-of checks
    assert not registry.is_current("AufenthG § 104c Abs. 4")
    assert registry.is_current("AufenthG § 104c")


_section = st.from_regex(r"[1-9][0-9]{0,2}[a-f]?", fullmatch=True)
_par = st.from_regex(r"[1-9][0-9]?[a-c]?", fullmatch=True)


@given(_section, _par, st.sampled_from(["AufenthG", "AufenthV"]))
def test_canonical_round_trip(section, paragraph, law):
    ref = LegalRef(law, section, paragraph)
    assert parse_ref(ref.citation) == ref
    german = f"§ {section} Absatz {paragraph} {law}"
    assert normalise(german) == ref.citation
    assert normalise(f"§{section} Abs.{paragraph} {law}") == ref.citation


@given(_section, _par)
def test_english_round_trip(section, paragraph):
    assert normalise(f"Section {section} ({paragraph}) Residence Act") == f"AufenthG § {section} Abs. {paragraph}"
