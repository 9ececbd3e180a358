"""Legal references: parse, normalise to canonical form, and check that they exist.

Canonical form (used everywhere: chunk metadata, rules, answers, evals):
``AufenthG § 12a Abs. 5`` (citation), ``AufenthG § 12a`` (provision); finer parts are
appended as ``Satz 2 Nr. 3``. German ("§ 12a Abs. 5 AufenthG", "§§ 25a, 25b AufenthG",
"§ 25b Absatz 1 Satz 2 Nr. 3", "Paragraph 23a"), English ("Section 12a (5) Residence Act",
"section 9a (2), sentence 1, no. 3") and sloppy forms ("§104a AufenthV", "Art. 104a") are read.

A reference that names another law (Asylgesetz, SGB, "of the Asylum Act", "G v. ...") is
returned with ``law=None`` and ``foreign_law`` set, so it is never mistaken for our laws.

Which provisions exist is not grammar: see `ingest.registry` (built from the statute texts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
LAWS = ("AufenthG", "AufenthV")

_SEC = r"\d{1,3}[a-z]?(?![\wäöüß])"
_PAR = r"\d{1,2}[a-z]?(?![\wäöüß])"

# markers that introduce one section or a list of sections
_SINGLE = r"(?:§(?!§)|\bParagraph\b|\bParagraf\b|\bPara\.|\b[Ss]ection\b|\bSec\.|\bArt\.|\bArtikel\b|\bArticle\b)"
_MULTI = r"(?:§§|\b[Ss]ections\b|\bParagraphen\b|\bParagrafen\b|\bArtt\.|\bArticles\b)"

_DETAIL = re.compile(
    r"""
    (?:
        \s*,?\s*(?:Abs\.?|Absatz|Absätze|subsection|para\.)\s*\(?(?P<par>""" + _PAR + r""")\)?
      | \s*\((?P<par2>""" + _PAR + r""")\)
      | \s*,?\s*(?:Satz|S\.|sentence)\s*(?P<sent>\d{1,2}(?!\d))
      | \s*,?\s*(?:Nr\.?|Nrn\.|Nummer|no\.|nos\.|number)\s*(?P<num>\d{1,2}[a-z]?(?![\wäöüß]))
    )
    """,
    re.VERBOSE,
)

_LIST_JOIN = re.compile(r"\s*(?:,|\bund\b|\boder\b|\bsowie\b|\bbis\b|\band\b|\bor\b|\bto\b|–|-)\s*")
_SECTION_NUMBER = re.compile(_SEC)

_OWN_LAW = [
    ("AufenthG", re.compile(r"(?:des\s+|of\s+the\s+|the\s+|German\s+)*(?:AufenthG\b|Aufenthaltsgesetz(?:es)?\b|Residence\s+Act\b)", re.I)),
    ("AufenthV", re.compile(r"(?:der\s+|of\s+the\s+|the\s+|German\s+)*(?:AufenthV\b|Aufenthaltsverordnung\b|Residence\s+Ordinance\b)", re.I)),
]
_THIS_LAW = re.compile(r"(?:dieses\s+Gesetzes|dieser\s+Verordnung|of\s+this\s+(?:Act|Ordinance))\b", re.I)
_FOREIGN_LAW = re.compile(
    r"""(?:
        (?:des|der|of\s+the|of)\s+(?:[A-ZÄÖÜ][\wäöüß\-]*\s+){0,4}?
            (?P<long>[\wäöüß\-]*(?:gesetz|gesetzes|gesetzbuch|gesetzbuches|verordnung|ordnung|Act|Code|Law|Directive|Regulation|Convention|Agreement|Treaty|Charter|Grundgesetzes|Sozialgesetzbuch))\b
      | (?:des|der|of)\s+(?P<book>Buches|Book)\b
      | (?P<word>[A-ZÄÖÜ][\wäöüß\-]*(?:gesetz|gesetzes|gesetzbuch|gesetzbuches|ordnung|verordnung))\b
      | (?P<abbr>(?!AufenthG\b|AufenthV\b)[A-ZÄÖÜ][A-Za-zäöü]*[A-Z](?:/EU)?|G)(?:\s+v\.|\b)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True, order=True)
class LegalRef:
    law: str | None
    section: str
    paragraph: str = ""
    sentence: str = ""
    number: str = ""
    foreign_law: str = field(default="", compare=False)

    @property
    def provision(self) -> str:
        return f"{self.law or '?'} § {self.section}"

    @property
    def citation(self) -> str:
        """Absatz-level canonical citation ('AufenthG § 12a Abs. 5'), the unit of the index."""
        return self.provision + (f" Abs. {self.paragraph}" if self.paragraph else "")

    @property
    def full(self) -> str:
        text = self.citation
        if self.sentence:
            text += f" Satz {self.sentence}"
        if self.number:
            text += f" Nr. {self.number}"
        return text

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.full


@dataclass
class _Found:
    ref: LegalRef
    start: int
    end: int


def _details(text: str, pos: int) -> tuple[dict[str, str], int]:
    parts: dict[str, str] = {}
    while True:
        m = _DETAIL.match(text, pos)
        if not m:
            return parts, pos
        key, value = next((k, v) for k, v in m.groupdict().items() if v)
        key = "par" if key == "par2" else key
        if key in parts:  # a second "Abs." belongs to the next reference
            return parts, pos
        parts[key] = value
        pos = m.end()


def _law_after(text: str, pos: int) -> tuple[str | None, str, int]:
    """Which law the reference at `pos` names: (our law | None, foreign law name, end)."""
    m = re.compile(r"\s*,?\s*").match(text, pos)
    start = m.end() if m else pos
    for law, pattern in _OWN_LAW:
        hit = pattern.match(text, start)
        if hit:
            return law, "", hit.end()
    hit = _THIS_LAW.match(text, start)
    if hit:
        return "", "", hit.end()
    hit = _FOREIGN_LAW.match(text, start)
    if hit:
        name = hit.group("long") or hit.group("book") or hit.group("word") or hit.group("abbr") or "other"
        return None, name.strip(), hit.end()
    return "", "", pos


# "AufenthV (§104a)", "AufenthG § 12a": the law named right before the reference
_LAW_BEFORE = re.compile(r"\b(AufenthG|AufenthV|Residence Act)[\s,(]*$", re.I)
_LAW_NAMES = {"aufenthg": "AufenthG", "aufenthv": "AufenthV", "residence act": "AufenthG"}

_START = re.compile(rf"(?P<multi>{_MULTI})|(?P<single>{_SINGLE})")


def _scan(text: str, default_law: str | None) -> list[_Found]:
    found: list[_Found] = []
    for start in _START.finditer(text):
        pos = start.end()
        is_multi = start.group("multi") is not None
        items: list[tuple[str, dict[str, str]]] = []
        while True:
            m = re.compile(r"\s*").match(text, pos)
            num = _SECTION_NUMBER.match(text, m.end())
            if not num:
                break
            parts, pos = _details(text, num.end())
            items.append((num.group(0), parts))
            if not is_multi:
                break
            join = _LIST_JOIN.match(text, pos)
            if not join or not _SECTION_NUMBER.match(text, join.end()):
                break
            pos = join.end()
        if not items:
            continue
        law, foreign, end = _law_after(text, pos)
        if law == "":
            before = _LAW_BEFORE.search(text, max(0, start.start() - 20), start.start())
            law = _LAW_NAMES[before.group(1).lower()] if before else default_law
        for section, parts in items:
            ref = LegalRef(
                law=law,
                section=section,
                paragraph=parts.get("par", ""),
                sentence=parts.get("sent", ""),
                number=parts.get("num", ""),
                foreign_law=foreign,
            )
            found.append(_Found(ref, start.start(), max(end, pos)))
    return found


def find_refs(text: str, default_law: str | None = None, *, include_foreign: bool = False) -> list[LegalRef]:
    """All references in `text`, in order. Without a named law, `default_law` applies."""
    refs = [f.ref for f in _scan(text, default_law)]
    return refs if include_foreign else [r for r in refs if not r.foreign_law]


def reference_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every legal reference in `text` (from its § or "Section" to its last detail or law)."""
    return [(f.start, f.end) for f in _scan(text, None)]


def parse_ref(text: str, default_law: str | None = None) -> LegalRef | None:
    """The first reference in `text` to one of our laws (or with an unknown law), else None.

    An already canonical string ("AufenthG § 12a Abs. 5") parses too: a leading law name applies.
    """
    lead = re.match(r"\s*(AufenthG|AufenthV)\b\s*", text)
    if lead:
        default_law = lead.group(1)
        text = text[lead.end():]
    refs = find_refs(text, default_law)
    return refs[0] if refs else None


def normalise(text: str, default_law: str | None = None, *, level: str = "full") -> str | None:
    """Canonical form of the first reference in `text` ('full', 'citation' = Absatz, or 'provision')."""
    ref = parse_ref(text, default_law)
    if ref is None or ref.law is None:
        return None
    return {"full": ref.full, "citation": ref.citation, "provision": ref.provision}[level]


def dominant_law(text: str) -> str | None:
    """The law a document names most often explicitly (for references that omit it)."""
    counts: dict[str, int] = {}
    for ref in find_refs(text, default_law=None):
        if ref.law:
            counts[ref.law] = counts.get(ref.law, 0) + 1
    return max(counts, key=counts.get) if counts else None


# The canonical citation grammar, down to Satz, Nummer and Buchstabe:
# 'AufenthG § 60b Abs. 5 Satz 2', 'AufenthG § 5 Abs. 1 Nr. 1a', 'AufenthV § 45 Nr. 1 Buchst. a'.
# Long forms (Absatz, Nummer, Buchstabe, S.) are accepted and written short.
_CANONICAL = re.compile(
    r"^(?P<law>AufenthG|AufenthV)\s*§\s*(?P<section>\d{1,3}[a-z]?)"
    r"(?:\s+(?:Abs\.|Absatz)\s*(?P<absatz>\d{1,2}[a-z]?))?"
    r"(?:\s+(?:Satz|S\.)\s*(?P<satz>\d{1,2}))?"
    r"(?:\s+(?:Nr\.|Nummer)\s*(?P<nummer>\d{1,3}[a-z]?))?"
    r"(?:\s+(?:Buchst\.|Buchstabe)\s*(?P<buchstabe>[a-z]{1,2}))?$"
)
# Only law and § decide the provision, whatever follows (Abs., Nr. without Abs., a version note).
_PROVISION = re.compile(r"^\s*(?P<law>AufenthG|AufenthV)\s*§\s*(?P<section>\d{1,3}[a-z]?)(?![\w])")


def canonical_parts(citation: str) -> dict[str, str | None] | None:
    """{'law', 'section', 'absatz', 'satz', 'nummer', 'buchstabe'} of a canonical citation (absent parts None)."""
    m = _CANONICAL.match(" ".join(citation.replace("\u00a0", " ").split()))
    return m.groupdict() if m else None


def canonical_citation(citation: str) -> str | None:
    """'AufenthG § 60b Absatz 5 Satz 2' -> 'AufenthG § 60b Abs. 5 Satz 2'; None if not a canonical citation."""
    m = canonical_parts(citation)
    if not m:
        return None
    out = f"{m['law']} § {m['section']}"
    for part, label in (("absatz", "Abs."), ("satz", "Satz"), ("nummer", "Nr."), ("buchstabe", "Buchst.")):
        if m[part]:
            out += f" {label} {m[part]}"
    return out


def provision_of(citation: str) -> str:
    """The provision of a canonical citation: 'AufenthG § 12a Abs. 5' -> 'AufenthG § 12a',
    'AufenthV § 45 Nr. 1 Buchst. a' -> 'AufenthV § 45'. Anything else comes back unchanged."""
    m = _PROVISION.match(citation.replace("\u00a0", " "))
    return f"{m['law']} § {m['section']}" if m else citation


# A bare section number ("25b", "60d") without § or law: in a question or answer about residence
# law it means the AufenthG section (never after a § or inside a word, number or list like "2.3a").
_BARE_SECTION = re.compile(r"(?<![\w§.,])(\d{1,3}[a-z])(?![\w])", re.IGNORECASE)
DEFAULT_LAW = "AufenthG"


def bare_sections(text: str) -> list[tuple[str, str]]:
    """(section as typed, canonical provision) for every bare section number, in order:
    "25b" -> ("25b", "AufenthG § 25b")."""
    return [(m.group(1), f"{DEFAULT_LAW} § {m.group(1).lower()}") for m in _BARE_SECTION.finditer(text)]
