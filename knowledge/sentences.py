"""German statute text → Sätze and Nummern, following German citation practice.

Small API, no project imports (the sentence-level evidence code uses it too):

- `split_sentences(text)`: the sentences of running German legal text, verbatim;
- `absatz_units(absatz_citation, text)`: the citable units of one Absatz — every Satz, every
  Nummer and every Buchstabe — each as a `StatuteUnit` with its canonical citation.

Rules: Satz counting restarts in every Absatz; a numbered list (1., 1a., …; a), b), …; aa), …)
belongs to the sentence that introduces it, and running text after a list that does not start a
new sentence (the list's last item ends without a full stop) continues that sentence.
A sentence does not end at abbreviations ("Abs.", "Nr.", "S.", "z. B.", "i. V. m.", "Buchst."),
at ordinal numbers ("31. Dezember", "des 18. Lebensjahres") or inside citations.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# words that end with a period without ending the sentence
ABBREVIATIONS = frozenset(
    """Abs Nr Nrn S Buchst Art Artt Ziff lit Halbs Hs Alt Var Anl Anh Kap Abschn UAbs Unterabs
    bzw ggf vgl gem sog usw etc Dr Prof St Ges einschl zzgl abzgl inkl evtl Mio Mrd ca Tz Rn
    BGBl ABl Bd Nrs jew""".split()
)
# after "<keyword> <number>." a full stop ends the sentence: "... nach § 4a Abs. 1 Satz 1. Dem ..."
CITATION_KEYWORDS = frozenset(
    """Satz Sätze Absatz Absätze Abs Nummer Nummern Nr Buchstabe Buchst Artikel Art § §§ Anlage Anhang
    Kapitel Abschnitt Halbsatz Unterabsatz Verordnung Richtlinie bis und oder""".split()
)
MONTHS = frozenset(
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split()
)
# a capitalised word after "<number>." that starts a new sentence (else the number is an ordinal:
# "des 18. Lebensjahres", "am 1. Januar")
SENTENCE_STARTERS = frozenset(
    """Der Die Das Dem Den Des Ein Eine Einem Einen Einer Eines Er Sie Es Dies Diese Dieser Dieses
    Diesem Diesen Im In Ist Sind Wird Werden Hat Haben Kann Können Soll Sollen Darf Dürfen Für Bei
    Wenn Soweit Sofern Solange Nach Von Auf Zur Zum Als Mit Ohne Über Unter Vor Abweichend Absatz
    Satz Auch Ausgenommen Hiervon Hierbei Dabei Dazu Davon Insoweit Ihm Ihr Ihnen Zuständig Wer
    Welche Welcher Ausländer Ausländern Ausländerinnen Eines Jeder Jede Jedes Kein Keine Unbeschadet
    Abs Nummer Nummern Gleiches Entsprechendes Näheres Danach Daneben Zudem Außerdem Ferner Insbesondere
    Hierfür Hierzu Wurde War Waren Besitzt Liegt Liegen Beantragt Erfüllt Bestehen Besteht""".split()
)

_ITEM = re.compile(r"^(\d{1,3}[a-z]?)\.\s")  # Nummer: "1. ", "1a. "
_LETTER = re.compile(r"^([a-z]{1,2})\)\s")  # Buchstabe "a) ", Doppelbuchstabe "aa) "
_ABSATZ_MARK = re.compile(r"^\(\d{1,2}[a-z]?\)\s*")
_CANDIDATE_END = re.compile(r"[.!?](?=[\s\u00a0]+[„\"§(]?[A-ZÄÖÜ§„])")


def normalize(text: str) -> str:
    """The form in which statute words are compared and hashed: NFC, one space for any whitespace,
    soft hyphens and zero-width characters removed. Quotes and punctuation stay as they are."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\u00ad\u200b\u200c\u200d\ufeff]", "", text)
    text = " ".join(text.split())
    return re.sub(r" ([,;])", r"\1", text)  # a block break before a comma ("… erlassen wurde\n\n, ist …")


def _word_before(text: str, end: int) -> str:
    m = re.search(r"(\S+)$", text[:end].rstrip())
    return m.group(1) if m else ""


def _is_sentence_end(text: str, pos: int) -> bool:
    """Does the '.', '!' or '?' at `pos` end a sentence? (Only called where an uppercase word follows.)"""
    if text[pos] != ".":
        return True
    before = _word_before(text, pos)
    after_m = re.match(r"[\s\u00a0]+[„\"(]?(\S+?)[,;:.]?(?:\s|$)", text[pos + 1 :])
    after = after_m.group(1) if after_m else ""
    core = before.lstrip("(„\"")
    if not core:
        return True
    if core in ABBREVIATIONS or (len(core) == 1 and core.isalpha()):
        return False  # "Abs.", "S.", "z. B." ("B"), "i. V. m." ("m")
    if re.fullmatch(r"(?:[A-Za-zÄÖÜäöü]\.)+[A-Za-zÄÖÜäöü]", core):
        return False  # "z.B.", "i.V.m." written without spaces
    if re.fullmatch(r"\d+[a-z]?", core):
        keyword = _word_before(text, pos - len(before)).rstrip(".")
        if keyword in CITATION_KEYWORDS:
            return True  # "... Absatz 1 Satz 1. Dem ..."
        if after in MONTHS:
            return False  # "31. Dezember"
        if re.fullmatch(r"(?:19|20)\d\d", core):
            return True  # a year is no ordinal: "… bis zum 31. Dezember 2024. Danach …"
        return after in SENTENCE_STARTERS  # "des 18. Lebensjahres" is an ordinal
    return True


def split_sentences(text: str) -> list[str]:
    """Sentences of running legal text (no list items), each verbatim and stripped."""
    sentences: list[str] = []
    start = 0
    for m in _CANDIDATE_END.finditer(text):
        if _is_sentence_end(text, m.start()):
            piece = text[start : m.end()].strip()
            if piece:
                sentences.append(piece)
            start = m.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


# --------------------------------------------------------------------------- Absatz → units


@dataclass
class StatuteUnit:
    """One citable unit: a Satz (with any list it introduces), a Nummer or a Buchstabe."""

    citation: str  # canonical: 'AufenthG § 60b Abs. 5 Satz 2', 'AufenthG § 5 Abs. 1 Nr. 1a'
    text: str  # verbatim (blocks joined by one space)
    kind: str  # 'satz' | 'nummer' | 'buchstabe'
    satz: int = 0
    nummer: str = ""
    buchstabe: str = ""
    aliases: list[str] = field(default_factory=list)  # other accepted spellings of the citation

    @property
    def normalized(self) -> str:
        return normalize(self.text)


@dataclass
class _Item:
    label: str
    blocks: list[str]
    letters: list[tuple[str, list[str]]] = field(default_factory=list)
    is_letter: bool = False  # a Buchstabe directly under the Satz (no Nummer above it)


@dataclass
class _Sentence:
    parts: list[str]
    items: list[_Item] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.parts)


def _ends_sentence(block: str) -> bool:
    return block.rstrip().endswith((".", "!", "?"))


_TABLE_SEPARATOR = re.compile(r"^:?-+:?$")


def _pipe_tables_to_blocks(body: str) -> str:
    """Markdown pipe tables (the fee tables of the AufenthV) → one block per Nummer / Buchstabe:
    '| 1\\. | für die Erteilung … |' becomes '1. für die Erteilung …'; a row without its own label
    continues the row above it."""
    if "|" not in body:
        return body
    out: list[str] = []
    in_table = False
    for line in body.split("\n"):
        stripped = line.strip()
        if not (stripped.startswith("|") and stripped.endswith("|")):
            in_table = False
            out.append(line)
            continue
        cells = [c.strip().replace("\\.", ".") for c in stripped.strip("|").split("|")]
        cells = [c for c in cells if c and not _TABLE_SEPARATOR.match(c)]
        if not cells:
            continue
        row = " ".join(cells)
        labelled = _ITEM.match(row) or _LETTER.match(row)
        if labelled or not in_table or not out:
            out.extend(["", row, ""])
        else:
            while out and not out[-1].strip():
                out.pop()
            out[-1] = out[-1] + " " + row
            out.append("")
        in_table = True
    return "\n".join(out)


def parse_absatz(text: str) -> list[_Sentence]:
    """The Sätze of one Absatz (its '(N)' marker removed), lists attached to their sentence."""
    body = _pipe_tables_to_blocks(_ABSATZ_MARK.sub("", text.strip(), count=1))
    blocks = [b.strip() for b in re.split(r"\n[ \t\u00a0]*\n", body) if b.strip()]
    sentences: list[_Sentence] = []
    open_list = False  # the last sentence has a list whose last item did not end the sentence
    for position, block in enumerate(blocks):
        item = _ITEM.match(block)
        letter = _LETTER.match(block)
        if item and sentences:
            sentence = sentences[-1]
            sentence.items.append(_Item(item.group(1), [block]))
            sentence.parts.append(block)
            open_list = not _ends_sentence(block)
            continue
        if letter and sentences and sentences[-1].items and not sentences[-1].items[-1].is_letter:
            sentence = sentences[-1]  # Buchstabe of the last Nummer
            sentence.items[-1].letters.append((letter.group(1), [block]))
            sentence.items[-1].blocks.append(block)
            sentence.parts.append(block)
            open_list = not _ends_sentence(block)
            continue
        if letter and sentences and (open_list or not _ends_sentence(sentences[-1].parts[-1])):
            sentence = sentences[-1]  # Buchstaben directly under the Satz ("…, wenn\n\na) …")
            sentence.items.append(_Item(letter.group(1), [block], is_letter=True))
            sentence.parts.append(block)
            open_list = not _ends_sentence(block)
            continue
        pieces = split_sentences(block)
        continues = open_list or block[0] in ",;–-" or block[0].islower()
        if continues and sentences and pieces and not _ends_sentence(sentences[-1].parts[-1]):
            # "... oder\n\nund nach Ablehnung des Asylantrags ... möchte" continues the sentence
            first = pieces.pop(0)
            sentences[-1].parts.append(first)
            items = sentences[-1].items
            next_block = blocks[position + 1] if position + 1 < len(blocks) else ""
            if items and not items[-1].is_letter and (items[-1].letters or _ITEM.match(next_block)):
                # closing words of a Nummer's Buchstaben, or words before the next Nummer: the Nummer's
                items[-1].blocks.append(first)
        open_list = False
        sentences.extend(_Sentence([p]) for p in pieces)
    return sentences


def absatz_units(absatz_citation: str, text: str) -> list[StatuteUnit]:
    """Citable units of one Absatz. `absatz_citation` is 'AufenthG § 60b Abs. 5' (or 'AufenthV § 10'
    for a § without numbered Absätze).

    A Nummer is cited 'Abs. 1 Nr. 2' when its Absatz has one Satz, else 'Abs. 3 Satz 1 Nr. 2'; the
    other form is kept as an alias (it is unambiguous when only one Satz of the Absatz has a list).
    """
    sentences = parse_absatz(text)
    units: list[StatuteUnit] = []
    listed = [i for i, s in enumerate(sentences) if s.items]
    for index, sentence in enumerate(sentences, start=1):
        satz_citation = f"{absatz_citation} Satz {index}"
        aliases = [absatz_citation] if len(sentences) == 1 else []
        units.append(StatuteUnit(satz_citation, sentence.text, "satz", satz=index, aliases=aliases))
        for item in sentence.items:
            if item.is_letter:
                base = absatz_citation if len(sentences) == 1 else satz_citation
                units.append(
                    StatuteUnit(f"{base} Buchst. {item.label}", " ".join(item.blocks), "buchstabe", satz=index, buchstabe=item.label)
                )
                continue
            long_form = f"{satz_citation} Nr. {item.label}"
            short_form = f"{absatz_citation} Nr. {item.label}"
            canonical = short_form if len(sentences) == 1 else long_form
            item_aliases = [long_form if canonical == short_form else short_form] if len(listed) == 1 else []
            if canonical != long_form and long_form not in item_aliases:
                item_aliases.append(long_form)
            units.append(
                StatuteUnit(canonical, " ".join(item.blocks), "nummer", satz=index, nummer=item.label, aliases=item_aliases)
            )
            for letter, letter_blocks in item.letters:
                units.append(
                    StatuteUnit(
                        f"{canonical} Buchst. {letter}",
                        " ".join(letter_blocks),
                        "buchstabe",
                        satz=index,
                        nummer=item.label,
                        buchstabe=letter,
                        aliases=[f"{a} Buchst. {letter}" for a in item_aliases],
                    )
                )
    return units
