"""The German sentence splitter and Satz/Nummer units, on made-up text and on real Absätze."""

from __future__ import annotations

import pytest

from knowledge.sentences import absatz_units, split_sentences


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Er darf arbeiten. Sie nicht.", ["Er darf arbeiten.", "Sie nicht."]),
        ("Das gilt nach Abs. 1 Nr. 2 S. 3 entsprechend. Dann weiter.", ["Das gilt nach Abs. 1 Nr. 2 S. 3 entsprechend.", "Dann weiter."]),
        ("Gilt z. B. für Kinder i. V. m. Buchst. B und gem. Art. 3 Satz 1. Dem Ausländer wird", ["Gilt z. B. für Kinder i. V. m. Buchst. B und gem. Art. 3 Satz 1.", "Dem Ausländer wird"]),
        ("Bis zum 31. Dezember 2024 gilt das. Danach nicht.", ["Bis zum 31. Dezember 2024 gilt das.", "Danach nicht."]),
        ("Es gilt bis zum 31. Dezember 2024. Danach nicht.", ["Es gilt bis zum 31. Dezember 2024.", "Danach nicht."]),
        ("Vor Vollendung des 18. Lebensjahres gilt das. Sonst nicht.", ["Vor Vollendung des 18. Lebensjahres gilt das.", "Sonst nicht."]),
        ("Die Frist nach § 4a Abs. 1 Satz 1. Dem Ausländer ist", ["Die Frist nach § 4a Abs. 1 Satz 1.", "Dem Ausländer ist"]),
        ("Das gilt nicht für ein Visum nach § 6 Absatz 1. Wurde der Antrag verspätet gestellt, kann sie.", ["Das gilt nicht für ein Visum nach § 6 Absatz 1.", "Wurde der Antrag verspätet gestellt, kann sie."]),
        ("Ist das so? § 5 gilt entsprechend.", ["Ist das so?", "§ 5 gilt entsprechend."]),
    ],
)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected


def test_list_belongs_to_the_sentence_that_introduces_it_and_counting_restarts_per_absatz():
    text = "(3) Zumutbar ist,\n\n1. zu erscheinen,\n\n2. zu zahlen.\n\nDer Ausländer ist hinzuweisen. Sie gelten als erfüllt."
    units = {u.citation: u.text for u in absatz_units("AufenthG § 99 Abs. 3", text)}
    assert units["AufenthG § 99 Abs. 3 Satz 1"] == "Zumutbar ist, 1. zu erscheinen, 2. zu zahlen."
    assert units["AufenthG § 99 Abs. 3 Satz 1 Nr. 2"] == "2. zu zahlen."
    assert units["AufenthG § 99 Abs. 3 Satz 3"] == "Sie gelten als erfüllt."
    other = absatz_units("AufenthG § 99 Abs. 4", "(4) Eins. Zwei.")
    assert [u.citation for u in other] == ["AufenthG § 99 Abs. 4 Satz 1", "AufenthG § 99 Abs. 4 Satz 2"]


def test_closing_words_after_a_list_continue_its_sentence():
    text = "(1) Erteilt wird, wenn er\n\n1. lernt oder\n\n2. arbeitet\n\nund bleiben möchte. Sonst nicht."
    units = {u.citation: u.text for u in absatz_units("AufenthG § 99 Abs. 1", text)}
    assert units["AufenthG § 99 Abs. 1 Satz 1"].endswith("2. arbeitet und bleiben möchte.")
    assert units["AufenthG § 99 Abs. 1 Satz 1 Nr. 2"] == "2. arbeitet"
    assert units["AufenthG § 99 Abs. 1 Satz 2"] == "Sonst nicht."


def _satz_count(statute, absatz):
    return statute.absaetze[absatz]


def test_real_absaetze_have_their_known_satz_numbers(statute):
    assert _satz_count(statute, "AufenthG § 60b Abs. 5") == 3
    assert statute.resolve("AufenthG § 60b Abs. 5 Satz 2").text.startswith("Dem Inhaber einer Duldung")
    # § 60b Abs. 3: the list with Nr. 1–6 is Satz 1, then Sätze 2–5
    assert _satz_count(statute, "AufenthG § 60b Abs. 3") == 5
    assert statute.resolve("AufenthG § 60b Abs. 3 Satz 1").text.endswith("zur erneuten Vornahme der Handlungen auffordert.")
    assert statute.resolve("AufenthG § 60b Abs. 3 Satz 1 Nr. 6").text.startswith("6. erneut um die Ausstellung")
    assert statute.resolve("AufenthG § 60b Abs. 3 Satz 2").text == "Der Ausländer ist auf diese Pflichten hinzuweisen."
    assert statute.resolve("AufenthG § 60b Abs. 3 Satz 5").text.startswith("Die Ausländerbehörde ist hierzu zuständige Behörde")
    # § 25b Abs. 1: Satz 2 with Nr. 1–5, Satz 3 with its own Nr. 1–4
    assert _satz_count(statute, "AufenthG § 25b Abs. 1") == 3
    assert "Niveaus A2" in statute.resolve("AufenthG § 25b Abs. 1 Satz 2 Nr. 4").text
    assert statute.resolve("AufenthG § 25b Abs. 1 Satz 3 Nr. 4").text.startswith("4. Ausländern, die pflegebedürftige")
    assert statute.resolve("AufenthG § 25b Abs. 1 Nr. 4") is None  # ambiguous: two Sätze have lists
    # § 81 Abs. 4: "… nach § 6 Absatz 1. Wurde …" is a sentence end
    assert _satz_count(statute, "AufenthG § 81 Abs. 4") == 3
    # § 60a Abs. 6 Nr. 3: the date "31. August 2015" does not end the sentence
    assert "31. August 2015 gestellter Asylantrag" in statute.resolve("AufenthG § 60a Abs. 6 Satz 1 Nr. 3").text


def test_canonical_citations_and_aliases(statute):
    assert statute.resolve("AufenthG § 5 Abs. 1 Nr. 1a").text.startswith("1a. die Identität")
    assert statute.resolve("AufenthG § 5 Abs. 1 Satz 1 Nr. 1a").citation == "AufenthG § 5 Abs. 1 Nr. 1a"
    assert statute.resolve("AufenthG § 60b Absatz 5 Satz 2").citation == "AufenthG § 60b Abs. 5 Satz 2"
    assert statute.resolve("AufenthV § 47 Abs. 1 Nr. 2").text.endswith("100 Euro,")
    # the fee table of AufenthV § 45 (Markdown pipe table) becomes Nummern and Buchstaben
    assert statute.resolve("AufenthV § 45 Nr. 1 Buchst. a").text == "a) mit einer Geltungsdauer von bis zu einem Jahr 100 Euro,"
    # Buchstaben of a Nummer (§ 60c Abs. 1 Nr. 1) and a one-Satz Absatz cited without Satz
    assert statute.resolve("AufenthG § 60c Abs. 1 Satz 1 Nr. 1 Buchst. b").text.startswith("b) Assistenz- oder Helferausbildung")
    assert statute.resolve("AufenthG § 25b Abs. 7") is not None
    assert statute.resolve("AufenthG § 60b Abs. 5") is None  # three Sätze: cite down to the Satz
    assert "has 3 Sätze" in statute.why_missing("AufenthG § 60b Abs. 5")
    assert "only 3 Sätze" in statute.why_missing("AufenthG § 60b Abs. 5 Satz 4")


def test_closing_words_of_a_nummer_with_buchstaben_belong_to_that_nummer(statute):
    # § 60c Abs. 1 Nr. 1: "a) …, b) …, und nach Ablehnung des Asylantrags … fortsetzen möchte oder" then Nr. 2
    assert statute.resolve("AufenthG § 60c Abs. 1 Nr. 1").text.endswith("diese Berufsausbildung fortsetzen möchte oder")
    assert statute.resolve("AufenthG § 60c Abs. 1 Nr. 2").text.startswith("2. im Besitz einer Duldung")
    assert "die Frist gilt als gewahrt" in statute.resolve("AufenthG § 60c Abs. 2 Nr. 3").text
    assert "die Frist gilt als gewahrt" not in statute.resolve("AufenthG § 60c Abs. 2 Nr. 4").text
