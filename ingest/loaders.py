"""Parsers: each turns one source file into structured text, without chunking.

Statutes (Markdown of gesetze-im-internet.de mirrors, the official XML, the English translation)
become `StatuteSection`s with their Absätze; guides (.txt, .md, .html, .pdf) become
`GuideSection`s split at headings. Every problem with a file raises `IngestError` naming it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import IngestError

if TYPE_CHECKING:  # pragma: no cover
    from ingest.manifest import Source

# --------------------------------------------------------------------------- data


@dataclass
class Paragraph:
    number: str  # Absatz '5', '2a'; '' for a § without numbered Absätze
    text: str  # verbatim, blocks joined by blank lines


@dataclass
class StatuteSection:
    law: str  # 'AufenthG'
    section: str  # '12a'
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class GuideSection:
    heading: str
    text: str  # verbatim, heading included


@dataclass
class StatuteDocument:
    sections: list[StatuteSection]
    stand: str = ""  # Stand line where the format carries one (official XML)


# --------------------------------------------------------------------------- reading

# The whole AufenthG is ~0.7 MB; anything this big is not one legal text or guide.
MAX_SOURCE_BYTES = 50 * 1024 * 1024


def read_bytes(path: Path) -> bytes:
    """File bytes; missing, non-file, oversized or empty files are errors naming the file."""
    path = Path(path)
    if not path.exists():
        raise IngestError(path, "file not found (check the path in the manifest)")
    if not path.is_file():
        raise IngestError(path, "not a file")
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise IngestError(path, f"file is too large ({size / 1e6:.0f} MB > {MAX_SOURCE_BYTES / 1e6:.0f} MB); split it into several sources")
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(path, "file is empty")
    return data


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """File text, strictly decoded. Empty or undecodable files are errors, not silent garbage."""
    path = Path(path)
    data = read_bytes(path)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        raise IngestError(
            path,
            f"not valid {encoding} (byte 0x{bad} at position {exc.start}); "
            f"re-save the file as UTF-8 or set `encoding` for this source in the manifest",
        ) from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError(path, "file is empty")
    return text


def _blocks(body: str) -> list[str]:
    """Text blocks separated by blank lines, trailing spaces removed."""
    blocks = re.split(r"\n[ \t\u00a0]*\n", body)
    out = []
    for block in blocks:
        lines = [line.rstrip() for line in block.strip("\n").split("\n")]
        text = "\n".join(lines).strip()
        if text:
            out.append(text)
    return out


_ABSATZ = re.compile(r"^\((\d{1,2}[a-z]?)\)\s")
_REPEALED = re.compile(r"^(?:\(\d{1,2}[a-z]?\)\s*)?[\(\[\\]*\s*(?:weggefallen|repealed|aufgehoben)\s*\\?[\)\]]$", re.I)
# editorial notes of the mirror (not statute text): "§ 11 Abs. 1 Satz 1 (Kursivdruck): IdF d. ...", "(+++ ... +++)"
_EDITORIAL = re.compile(r"^(?:§\s*\d+\w*[^:\n]{0,60}\(?Kursivdruck\)?:|\(\+\+\+)")


def _html_tables_to_text(body: str) -> str:
    """Raw HTML tables in the mirror's Markdown (e.g. fee tables) become one row per block."""
    if "<table" not in body:
        return body
    from bs4 import BeautifulSoup

    def convert(match: re.Match) -> str:
        soup = BeautifulSoup(match.group(0), "lxml")
        rows = []
        for tr in soup.find_all("tr"):
            cells = [c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"], recursive=False)]
            row = " ".join(c for c in cells if c)
            if row:
                rows.append(re.sub(r"\s+", " ", row))
        return "\n\n".join(rows)

    return re.sub(r"<table.*?</table>", convert, body, flags=re.S)


def _paragraphs(blocks: list[str]) -> list[Paragraph]:
    """Group blocks into Absätze at '(N)' markers; repealed Absätze are dropped."""
    paragraphs: list[Paragraph] = []
    current: tuple[str, list[str]] | None = None
    for block in blocks:
        if _EDITORIAL.match(block):
            continue
        m = _ABSATZ.match(block)
        if m:
            if current:
                paragraphs.append(Paragraph(current[0], "\n\n".join(current[1])))
            current = (m.group(1), [block])
        elif current is None:
            current = ("", [block])
        else:
            current[1].append(block)
    if current:
        paragraphs.append(Paragraph(current[0], "\n\n".join(current[1])))
    return [p for p in paragraphs if not _REPEALED.match(p.text.strip())]


# --------------------------------------------------------------------------- statutes: Markdown

_MD_SECTION = re.compile(r"^# §\s*(\d{1,3}[a-z]?)\s*[–-]\s*(.*)$")


def parse_statute_markdown(text: str, law: str, path: Path | str = "") -> StatuteDocument:
    """kmein/gesetze Markdown: '# § N – Titel' headings, '(N)' Absätze, optional YAML header.

    The Inhaltsübersicht (table of contents) and Anlagen (forms, lists) are not provisions and
    are skipped, as are repealed ("weggefallen") §§ and Absätze.
    """
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end == -1:
            raise IngestError(path, "YAML header is not closed with '---'")
        text = text[end + 4 :]
    sections: list[StatuteSection] = []
    heading: re.Match | None = None
    body: list[str] = []

    def flush() -> None:
        if heading is None:
            return
        number, title = heading.group(1), heading.group(2).strip()
        if _REPEALED.match(title):
            return
        paragraphs = _paragraphs(_blocks(_html_tables_to_text("\n".join(body))))
        if paragraphs:
            sections.append(StatuteSection(law, number, title, paragraphs))

    for line in text.split("\n"):
        if line.startswith("# "):
            flush()
            heading = _MD_SECTION.match(line.strip())
            body = []
        else:
            body.append(line)
    flush()
    if not sections:
        raise IngestError(path, "no '# § N – Title' sections found; is this a statute Markdown file?")
    return StatuteDocument(sections)


# --------------------------------------------------------------------------- statutes: English translation

_EN_SECTION = re.compile(r"^Section (\d{1,3}[a-z]?)\s*$")
_EN_STRUCTURE = re.compile(r"^(?:Chapter|Division|Part|Subdivision|Title)\s+\S+\s*$")
_EN_DROP = re.compile(r"^\[table of contents\]\(.*\)\s*$")


def parse_translation_markdown(text: str, law: str, path: Path | str = "") -> StatuteDocument:
    """The BMJ English translation as Markdown: 'Section N' line, then the title line."""
    lines = text.split("\n")
    sections: list[StatuteSection] = []
    current: StatuteSection | None = None
    body: list[str] = []

    def flush() -> None:
        if current is None or _REPEALED.match(current.title):
            return
        current.paragraphs = _paragraphs(_blocks("\n".join(body)))
        if current.paragraphs:
            sections.append(current)

    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        # a heading is the 'Section N' line directly followed by its title line
        if _EN_SECTION.match(stripped) and nxt and not nxt.startswith("("):
            flush()
            current = StatuteSection(law, _EN_SECTION.match(stripped).group(1), nxt)
            body = []
            i += 2
            continue
        if _EN_STRUCTURE.match(stripped) and nxt:
            i += 2  # 'Chapter 2' + its title: structure, not content
            continue
        if not _EN_DROP.match(stripped):
            body.append(line)
        i += 1
    flush()
    if not sections:
        raise IngestError(path, "no 'Section N' headings found; is this the English translation Markdown?")
    return StatuteDocument(sections)


# --------------------------------------------------------------------------- statutes: official XML


def parse_gii_xml(data: bytes, path: Path | str = "", law: str | None = None) -> StatuteDocument:
    """gesetze-im-internet.de XML (gii-norm.dtd): one <norm> per §, <P> per Absatz, <DL> Nummern."""
    from lxml import etree

    if not data.strip():
        raise IngestError(path, "file is empty")
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise IngestError(path, f"malformed XML: {exc}") from None
    norms = root.findall(".//norm")
    if root.tag != "dokumente" or not norms:
        raise IngestError(path, f"not a gesetze-im-internet.de XML file (root <{root.tag}>, {len(norms)} <norm>)")
    head = norms[0].find("metadaten")
    if law is None:
        law = (head.findtext("amtabk") or head.findtext("jurabk") or "").strip() if head is not None else ""
        if not law:
            raise IngestError(path, "cannot tell the law: first <norm> has no <amtabk>/<jurabk>")
    stand = ""
    if head is not None:
        for standangabe in head.findall("standangabe"):
            if (standangabe.findtext("standtyp") or "").strip() == "Stand":
                stand = " ".join((standangabe.findtext("standkommentar") or "").split())
    sections: list[StatuteSection] = []
    for norm in norms:
        meta = norm.find("metadaten")
        enbez = (meta.findtext("enbez") or "").strip() if meta is not None else ""
        m = re.fullmatch(r"§\s*(\d{1,3}[a-z]?)", enbez)
        if not m:
            continue  # Inhaltsübersicht, Anlagen, Eingangsformel, ...
        title_el = meta.find("titel")
        title = " ".join("".join(title_el.itertext()).split()) if title_el is not None else ""
        if _REPEALED.match(title):
            continue
        content = norm.find("textdaten/text/Content")
        if content is None:
            continue
        blocks = [_xml_block_text(p) for p in content.findall("P")]
        paragraphs = _paragraphs([b for b in blocks if b])
        if paragraphs:
            sections.append(StatuteSection(law, m.group(1), title, paragraphs))
    if not sections:
        raise IngestError(path, "no § norms with text found")
    return StatuteDocument(sections, stand=stand)


def _xml_block_text(element) -> str:
    """Text of one <P>: running text, then each <DT>/<DD> Nummer (and nested Buchstabe) as a block."""
    return "\n\n".join(b for b in _xml_blocks(element) if b)


def _xml_blocks(element) -> list[str]:
    blocks: list[str] = []
    current: list[str] = [element.text or ""]

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            blocks.append(text)
        current.clear()

    for child in element:
        if child.tag == "DL":
            flush()
            items = [c for c in child if c.tag in ("DT", "DD")]
            for dt, dd in zip(items[0::2], items[1::2]):
                label = " ".join("".join(dt.itertext()).split())
                inner = _xml_blocks(dd)
                blocks.append(f"{label} {inner[0] if inner else ''}".strip())
                blocks.extend(inner[1:])
        elif child.tag == "BR":
            current.append(" ")
        elif child.tag not in ("FnR", "Footnotes", "Footnote"):
            inner = _xml_blocks(child)
            if inner:
                current.append(inner[0])
                if len(inner) > 1:
                    flush()
                    blocks.extend(inner[1:])
        current.append(child.tail or "")
    flush()
    return blocks


# --------------------------------------------------------------------------- guides

_BOILERPLATE_CLASSES = re.compile(r"cookie|consent|gdpr|banner|share|social|newsletter|breadcrumb|subscribe|advert|popup|modal", re.I)
_SHARE_LINE = re.compile(r"^\s*(?:Share(?: this| on)?|Teilen|Jetzt teilen)\s*:?.*$", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•·–]|\d+[.)])\s")


def html_to_text(html: str) -> str:
    """Visible article text; headings become Markdown '#' lines, boilerplate is dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "aside", "form", "iframe", "svg", "button"]):
        tag.decompose()
    for tag in list(soup.find_all(True)):
        if getattr(tag, "decomposed", False) or tag.attrs is None:
            continue
        attrs = " ".join([tag.get("id") or "", " ".join(tag.get("class") or []), tag.get("role") or "", tag.get("aria-label") or ""])
        if attrs.strip() and _BOILERPLATE_CLASSES.search(attrs) and tag.name not in ("html", "body", "main", "article"):
            tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    lines: list[str] = []
    for el in root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "blockquote", "td", "dt", "dd"]):
        if el.find_parent(["p", "li", "blockquote", "td", "dd"]) is not None and el.name not in ("h1", "h2", "h3", "h4", "h5", "h6"):
            continue
        text = " ".join(el.get_text(" ", strip=True).split())
        if not text or _SHARE_LINE.match(text):
            continue
        if el.name[0] == "h":
            lines.append("#" * int(el.name[1]) + " " + text)
        elif el.name == "li":
            lines.append("- " + text)
        else:
            lines.append(text)
    return "\n\n".join(lines)


def pdf_to_text(data: bytes, path: Path | str = "") -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise IngestError(path, f"cannot read PDF: {exc}") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise IngestError(path, "PDF has no extractable text (scanned image?); OCR it first")
    return text


_COOKIE_WORDS = re.compile(r"cookie|consent|privacy policy|accept all|datenschutz|einwillig", re.I)


def _is_boilerplate_line(line: str) -> bool:
    """Share buttons and cookie banners copied along with a web article."""
    return bool(_SHARE_LINE.match(line)) or len(_COOKIE_WORDS.findall(line)) >= 2


def _is_heading_line(line: str, prev_blank: bool) -> bool:
    """Heuristic heading of plain-text web articles: a short, standalone line without final period."""
    s = line.strip()
    if not s or not prev_blank or len(s) > 90 or not 2 <= len(s.split()) <= 14:
        return False
    if _BULLET.match(s) or s.endswith((".", ",", ";", "!")) or not (s[0].isupper() or s[0] in "§0123456789"):
        return False
    return not s.endswith(":")  # "People who:" leads into a list; it is not a heading


def split_headings(text: str, markdown: bool) -> list[GuideSection]:
    """Sections at headings; each keeps its heading line as the first line (verbatim text)."""
    lines = text.split("\n")
    # articles saved with one line per paragraph and no blank lines: every line may start a section
    dense = sum(1 for line in lines if not line.strip()) < 0.1 * len(lines)
    sections: list[GuideSection] = []
    heading = ""
    buf: list[str] = []
    prev_blank = True

    def flush() -> None:
        body = "\n".join(buf).strip()
        body = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", body)
        if body:
            sections.append(GuideSection(heading, body))

    for line in lines:
        if _is_boilerplate_line(line):
            continue
        if markdown:
            m = re.match(r"^(#{1,6})\s+(.*)$", line)
            is_heading = m is not None
            title = m.group(2).strip() if m else ""
        else:
            is_heading = _is_heading_line(line, prev_blank or dense)
            title = line.strip()
        if is_heading:
            flush()
            heading, buf = title, [line.strip()]
        else:
            buf.append(line.rstrip())
        prev_blank = not line.strip()
    flush()
    return sections


def load_guide_sections(path: Path, encoding: str = "utf-8") -> list[GuideSection]:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        sections = split_headings(pdf_to_text(read_bytes(path), path), markdown=False)
    elif suffix in (".html", ".htm"):
        sections = split_headings(html_to_text(read_text(path, encoding)), markdown=True)
    elif suffix in (".md", ".markdown"):
        sections = split_headings(read_text(path, encoding), markdown=True)
    elif suffix == ".txt":
        sections = split_headings(read_text(path, encoding), markdown=False)
    else:
        raise IngestError(path, f"unknown file type '{suffix or '(none)'}'; guides may be .txt, .md, .html or .pdf")
    if not sections:
        raise IngestError(path, "no text found")
    return sections


# --------------------------------------------------------------------------- by manifest format


def load_statute(source: "Source") -> StatuteDocument:
    path = source.path
    fmt = source.format
    if fmt == "gii-xml":
        read_bytes(path)  # existence, size, emptiness
        if path.suffix.lower() == ".zip":
            import zipfile

            try:
                with zipfile.ZipFile(path) as zf:
                    names = [n for n in zf.namelist() if n.lower().endswith(".xml")]
                    if not names:
                        raise IngestError(path, "zip archive holds no .xml file")
                    data = zf.read(names[0])
            except zipfile.BadZipFile:
                raise IngestError(path, "not a valid zip archive") from None
        else:
            data = path.read_bytes()
        return parse_gii_xml(data, path, law=source.law or None)
    text = read_text(path, source.encoding)
    if fmt == "statute-md":
        return parse_statute_markdown(text, source.law, path)
    if fmt == "translation-md":
        return parse_translation_markdown(text, source.law, path)
    raise IngestError(path, f"unknown statute format '{fmt}'")


def load_statute_sections(source: "Source") -> list[StatuteSection]:
    return load_statute(source).sections
