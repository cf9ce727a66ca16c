"""Card text is literal and exact: markup and hostile Unicode survive save, reopen and export.

Threats 7 and 8 of the reliability issue: reportlab's Paragraph would interpret `<img>` or
abort on an unclosed `<b>`; a lone surrogate from a broken clipboard cannot be stored as
UTF-8. Waymark draws text with plain-text APIs and cleans lone surrogates at the model
boundary.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.export.common import ExportOptions
from app.export.pdf import export_pdf
from app.export.svg import export_svg
from app.layout import parse_paper
from app.model import commands as C
from app.model.document import Document
from tests.made import new_document

MARKUP = [
    "<b>bold?",
    "</para> closes nothing",
    "&bogus; & a & b",
    "<font size=500>huge</font>",
    '<img src="/etc/passwd"/>',
    '<a href="file:///">link</a>',
]
UNICODE = [
    "مرحبا بالعالم",  # RTL
    "abc\u202edef",  # RIGHT-TO-LEFT OVERRIDE
    "family 👨\u200d👩\u200d👧 done",  # ZWJ sequence
    "e" + "\u0301" * 50,  # 50 combining marks
    "\ufeffBOM first",
    "nul\x00inside",
    "half \ud83d emoji",  # lone surrogate from a paste
]


@pytest.fixture
def doc_with_texts(tmp_path: Path) -> tuple[Document, list[int]]:
    doc = new_document(tmp_path / "lit.cjm", "blank")
    m = doc.data.ordered_maps()[0].id
    stage = doc.data.stages_of(m)[0].id
    lane = doc.data.lanes_of(m)[0].id
    ids = []
    for text in MARKUP + UNICODE:
        change = doc.execute(C.AddCard(stage, lane, {"title": text[:200], "body": text}))
        ids.append(next(iter(change.added["cards"])))
    return doc, ids


def expected(text: str) -> str:
    import unicodedata

    cleaned = text.replace("\x00", "").replace("\ud83d", "\ufffd")
    return unicodedata.normalize("NFC", cleaned)


def test_text_round_trips_exactly(doc_with_texts: tuple[Document, list[int]]) -> None:
    doc, ids = doc_with_texts
    path = doc.path
    doc.close()
    with Document.open(path) as again:
        for card_id, text in zip(ids, MARKUP + UNICODE, strict=True):
            assert again.data.cards[card_id].body == expected(text)
        labels = [s.label for s in again.history()]
        assert any("<b>bold?" in label for label in labels)  # history labels are literal too


def test_pdf_and_svg_print_markup_literally(doc_with_texts: tuple[Document, list[int]],
                                           tmp_path: Path) -> None:
    doc, _ = doc_with_texts
    m = doc.data.ordered_maps()[0].id
    options = ExportOptions(paper=parse_paper("A2", "landscape"))
    export_pdf(doc.data, m, tmp_path / "lit.pdf", options, force=True)
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(tmp_path / "lit.pdf").pages)
    for needle in ("<b>bold?", "</para>", "&bogus;", "<font", "/etc/passwd", "file:///"):
        assert needle in text
    # no image was embedded from the <img> card
    reader = PdfReader(tmp_path / "lit.pdf")
    assert all(not page.images for page in reader.pages)
    export_svg(doc.data, m, tmp_path / "lit.svg", options, force=True)
    root = ET.parse(tmp_path / "lit.svg").getroot()
    svg_text = " ".join("".join(el.itertext()) for el in root.iter())
    for needle in ("<b>bold?", "<img", "/etc/passwd", "&bogus;", "<font"):
        assert needle in svg_text  # (long cards wrap, so each needle is one word or two)
    assert "مرحبا" in svg_text
    doc.close()
