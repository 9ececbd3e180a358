"""The statute lookup from the live Chroma index equals the one from the corpus files."""

from __future__ import annotations

from knowledge.statute import StatuteLookup


def test_index_and_corpus_give_the_same_sentences(indexed_settings, statute):
    from_index = StatuteLookup.from_index(indexed_settings)
    assert set(from_index.units) == set(statute.units)
    differing = [c for c, unit in statute.units.items() if from_index.units[c].normalized != unit.normalized]
    assert differing == []
    assert [v.valid_until for v in from_index.historical] == [v.valid_until for v in statute.historical]
