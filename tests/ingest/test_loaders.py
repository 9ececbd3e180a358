"""Parsers for the official XML, the Markdown statutes, the translation and guides."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import get_settings
from ingest.split import MAX_CHUNK_CHARS, split_paragraph
from core.errors import IngestError
from ingest.loaders import (
    html_to_text,
    load_guide_sections,
    parse_gii_xml,
    parse_statute_markdown,
    parse_translation_markdown,
    read_text,
)

STATUTES = get_settings().shared_dir / "corpus" / "statutes"


@pytest.fixture(scope="module")
def xml_doc():
    return parse_gii_xml((STATUTES / "aufenthg_2004.xml").read_bytes(), STATUTES / "aufenthg_2004.xml")


def section(doc, number):
    return next(s for s in doc.sections if s.section == number)


def test_official_xml_norms_titles_and_stand(xml_doc):
    assert xml_doc.stand == "zuletzt geändert durch Art. 5 G v. 21.12.2022 I 2847"
    s12a = section(xml_doc, "12a")
    assert s12a.law == "AufenthG" and s12a.title == "Wohnsitzregelung"
    assert [p.number for p in s12a.paragraphs][:3] == ["1", "1a", "2"]
    assert len(xml_doc.sections) > 180
    # the 2023 XML still has the original Chancen-Aufenthaltsrecht
    assert section(xml_doc, "104c").title == "Chancen-Aufenthaltsrecht"


def test_official_xml_nummern_from_dl(xml_doc):
    abs5 = next(p for p in section(xml_doc, "12a").paragraphs if p.number == "5")
    blocks = abs5.text.split("\n\n")
    assert blocks[0].startswith("(5)")
    assert any(b.startswith("1.") for b in blocks) and any(b.startswith("2.") for b in blocks)
    assert any(b.startswith("a)") for b in blocks)
    assert "Härte" in abs5.text


def test_malformed_xml_names_file(tmp_path):
    bad = tmp_path / "broken.xml"
    bad.write_bytes(b"<dokumente><norm><metadaten>")
    with pytest.raises(IngestError, match="broken.xml: malformed XML"):
        parse_gii_xml(bad.read_bytes(), bad)
    with pytest.raises(IngestError, match="not a gesetze-im-internet.de XML"):
        parse_gii_xml(b"<html><body/></html>", bad)


def test_statute_markdown_structure():
    doc = parse_statute_markdown(read_text(STATUTES / "aufenthg_full.md"), "AufenthG")
    numbers = [s.section for s in doc.sections]
    assert numbers[0] == "1" and "62d" not in numbers  # weggefallen
    s25b = section(doc, "25b")
    assert s25b.title.startswith("Aufenthaltsgewährung bei nachhaltiger Integration")
    assert [p.number for p in s25b.paragraphs] == [str(i) for i in range(1, 9)]
    # a per-§ file with YAML header parses to the same text as the full law
    single = parse_statute_markdown(read_text(STATUTES / "aufenthg_25b.md"), "AufenthG")
    assert [p.text for p in single.sections[0].paragraphs] == [p.text for p in s25b.paragraphs]


def test_html_tables_in_statute_become_rows():
    doc = parse_statute_markdown(read_text(STATUTES / "aufenthv_full.md"), "AufenthV")
    fees = section(doc, "47").paragraphs[0].text
    assert "<td" not in fees and "13 Euro" in fees


def test_translation_is_keyed_to_sections():
    doc = parse_translation_markdown(read_text(STATUTES / "en" / "residence_act_en_full.md"), "AufenthG")
    s12a = section(doc, "12a")
    assert s12a.title == "Residence rule" and s12a.law == "AufenthG"
    assert "5" in [p.number for p in s12a.paragraphs]
    assert not any("table of contents" in p.text for s in doc.sections for p in s.paragraphs)
    assert not any(p.text.startswith("Chapter") for s in doc.sections for p in s.paragraphs)


def test_long_paragraph_split_keeps_verbatim_parts():
    doc = parse_statute_markdown(read_text(STATUTES / "aufenthg_full.md"), "AufenthG")
    abs1 = section(doc, "25b").paragraphs[0]
    assert len(abs1.text) > MAX_CHUNK_CHARS
    parts = split_paragraph(abs1.text)
    assert len(parts) > 1
    assert all(text in abs1.text for text, _, _ in parts)
    labels = [label for _, label, _ in parts if label]
    assert labels[0].startswith("1") and all(label.split("–")[0] <= label.split("–")[-1] for label in labels)
    # a part that starts with a Nummer carries its lead sentence as embedding context
    for text, label, context in parts:
        if _starts_with_number(text):
            assert context and context in abs1.text and not _starts_with_number(context)


def _starts_with_number(text: str) -> bool:
    import re

    return re.match(r"\d+[a-z]?\. ", text) is not None


# ------------------------------------------------------------------ guides


def test_html_guide_drops_boilerplate(tmp_path):
    page = tmp_path / "guide.html"
    page.write_text(
        """<html><head><style>p{}</style><script>var x=1;</script></head><body>
        <nav>Home | About</nav><div class="cookie-banner">We use cookies. Accept all</div>
        <article><h1>Wohnsitzauflage</h1><p>Die Auflage nach § 12a AufenthG kann aufgehoben werden.</p>
        <h2>Härtefall</h2><p>Bei einer Härte nach § 12a Abs. 5 AufenthG.</p><p>Share: Facebook Twitter</p></article>
        <footer>Impressum</footer></body></html>""",
        encoding="utf-8",
    )
    sections = load_guide_sections(page)
    text = "\n".join(s.text for s in sections)
    assert [s.heading for s in sections] == ["Wohnsitzauflage", "Härtefall"]
    for junk in ("cookies", "Home", "Impressum", "var x", "Share:"):
        assert junk not in text
    assert "§ 12a Abs. 5 AufenthG" in text


def test_markdown_guide_by_heading(tmp_path):
    md = tmp_path / "guide.md"
    md.write_text("# Titel\n\nEinleitung.\n\n## Voraussetzungen\n\nText zu § 25b AufenthG.\n", encoding="utf-8")
    assert [s.heading for s in load_guide_sections(md)] == ["Titel", "Voraussetzungen"]


def _minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with Helvetica text lines (built by hand: no PDF writer dependency)."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_pdf_guide(tmp_path):
    pdf = tmp_path / "guide.pdf"
    pdf.write_bytes(_minimal_pdf(["Residence rule explained", "", "The rule of Section 12a Residence Act binds refugees."]))
    sections = load_guide_sections(pdf)
    assert "Section 12a Residence Act" in " ".join(s.text for s in sections)


def test_plain_text_headings_detected():
    seeds = get_settings().shared_dir / "seeds"
    sections = load_guide_sections(seeds / "000_1c7d0059876ff557.txt")
    assert len(sections) >= 5
    assert any(s.heading.endswith("?") for s in sections)


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.md", b"   \n\n", "file is empty"),
        ("latin1.txt", "Härtefall nach § 23a".encode("latin-1"), "not valid utf-8"),
        ("guide.docx", b"PK\x03\x04", "unknown file type '.docx'"),
        ("broken.pdf", b"%PDF-1.4 this is not a pdf", "cannot read PDF|no extractable text"),
    ],
)
def test_bad_guide_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message) as info:
        load_guide_sections(path)
    assert name in str(info.value)


def test_missing_file():
    with pytest.raises(IngestError, match="nowhere.txt: file not found"):
        load_guide_sections(Path("/nonexistent/nowhere.txt"))


def test_html_to_text_keeps_headings():
    assert html_to_text("<h2>Titel</h2><p>Satz.</p>") == "## Titel\n\nSatz."


def test_chunk_ids_are_stable_and_unique():
    from ingest.manifest import load_manifest
    from ingest.pipeline import build_chunks

    settings = get_settings()
    first, *_ = build_chunks(load_manifest(settings.manifest_path, settings.shared_dir))
    second, *_ = build_chunks(load_manifest(settings.manifest_path, settings.shared_dir))
    assert [p.chunk.chunk_id for p in first] == [p.chunk.chunk_id for p in second]
    assert [p.chunk.content_hash for p in first] == [p.chunk.content_hash for p in second]
    assert len({p.chunk.chunk_id for p in first}) == len(first)
    # the embedding input carries the header; the stored text does not
    p = next(p for p in first if p.chunk.chunk_id == "aufenthg:AufenthG § 12a Abs. 5:0")
    assert p.embed_text.startswith("AufenthG § 12a Wohnsitzregelung Abs. 5:") and p.chunk.text.startswith("(5)")


def test_oversized_file_is_refused(tmp_path, monkeypatch):
    import ingest.loaders as loaders

    monkeypatch.setattr(loaders, "MAX_SOURCE_BYTES", 1000)  # instead of writing 50 MB
    big = tmp_path / "huge.txt"
    big.write_text("Ein Satz über § 25b AufenthG.\n" * 100, encoding="utf-8")
    with pytest.raises(IngestError, match="huge.txt: file is too large"):
        load_guide_sections(big)
