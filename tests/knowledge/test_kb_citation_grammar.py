"""One citation grammar (core.citations) for the whole project, knowledge included."""

from __future__ import annotations

import pytest

import knowledge
import knowledge.statute
from core.citations import canonical_citation, canonical_parts, provision_of


@pytest.mark.parametrize("citation, provision", [
    ("AufenthG § 12a Abs. 5", "AufenthG § 12a"),
    ("AufenthG § 60b Abs. 5 Satz 2", "AufenthG § 60b"),
    ("AufenthV § 45 Nr. 1 Buchst. a", "AufenthV § 45"),  # no "Abs.": the old split kept all of it
    ("AufenthV § 47 Nr. 3", "AufenthV § 47"),
    ("AufenthG § 5 Abs. 1 Nr. 1a", "AufenthG § 5"),
    ("AufenthG § 104c", "AufenthG § 104c"),
    ("AufenthG\u00a0§ 25b Absatz 1", "AufenthG § 25b"),
])
def test_provision_of_reads_the_grammar(citation, provision):
    assert provision_of(citation) == provision


def test_provision_of_leaves_non_citations_alone_and_does_not_cut_numbers():
    assert provision_of("guide: Bleiberecht") == "guide: Bleiberecht"
    assert provision_of("AufenthG § 1234") == "AufenthG § 1234"  # not a § number: unchanged, not "§ 123"
    assert provision_of("") == ""


def test_canonical_citation_writes_the_short_forms():
    assert canonical_citation("AufenthG § 60b Absatz 5 Satz 2") == "AufenthG § 60b Abs. 5 Satz 2"
    assert canonical_citation("AufenthV § 45 Nummer 1 Buchstabe a") == "AufenthV § 45 Nr. 1 Buchst. a"
    assert canonical_citation("§ 60b Abs. 5") is None and canonical_citation("AsylG § 55") is None
    assert canonical_parts("AufenthG § 60b Abs. 3 Satz 1 Nr. 2") == {
        "law": "AufenthG", "section": "60b", "absatz": "3", "satz": "1", "nummer": "2", "buchstabe": None}


def test_knowledge_offers_the_core_functions_not_copies():
    assert knowledge.provision_of is provision_of and knowledge.statute.provision_of is provision_of
    assert knowledge.canonical_citation is canonical_citation and knowledge.statute.canonical_citation is canonical_citation
