"""PDF export checked with pypdf: size, text, fonts, metadata, tiling, bleed, safety."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from layout_maps import build, sample_data
from pypdf import PdfReader

from app.errors import Cancelled, ExportError
from app.export.common import ExportOptions
from app.export.pdf import export_pdf, tile_grid
from app.layout.paper import MM, Paper, parse_paper
from app.model.schema import LaneKind


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_a1_poster_size_text_fonts_and_metadata(tmp_path: Path) -> None:
    out = tmp_path / "map.pdf"
    lay = export_pdf(sample_data(), 1, out, ExportOptions(paper=parse_paper("A1")))
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (2383.9, 1683.8)
    text = squash(reader.pages[0].extract_text())
    for card in lay.cards.values():
        for line in card.title_lines + card.body_lines:
            assert squash(line.text) in text, line.text
    assert "Buyingacouch" in text and "Discover" in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for ref in fonts.values():
        font = ref.get_object()
        desc = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = desc["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # TrueType program embedded
    meta = reader.metadata
    assert meta.title == "Buying a couch"
    assert meta.author == "CX team"
    assert "Sam Rivera" in meta.subject


def test_user_text_prints_literally(tmp_path: Path) -> None:
    hostile = "<b>bold?</b> a & b <font size=500> &bogus; <img src=/etc/passwd>"
    data = build(["S"], [("L", LaneKind.ACTIONS)],
                 [dict(stage="S", lane="L", title=hostile, body="x < y > z & w")])
    out = tmp_path / "h.pdf"
    export_pdf(data, 1, out, ExportOptions(paper=parse_paper("A4")))
    # A title past its line bound continues in the body after "…" (issue 14).
    text = squash(PdfReader(out).pages[0].extract_text()).replace("…", "")
    for piece in ("<b>bold?</b>", "a&b", "<fontsize=500>", "&bogus;", "<imgsrc=/etc/passwd>",
                  "x<y>z&w"):
        assert squash(piece) in text


def test_tiling_onto_a4_gives_the_computed_sheet_count(tmp_path: Path) -> None:
    out = tmp_path / "tiled.pdf"
    opts = ExportOptions(paper=parse_paper("A1"), tile=parse_paper("A4", "portrait"))
    export_pdf(sample_data(), 1, out, opts)
    reader = PdfReader(out)
    _sheet, cols, rows = tile_grid(parse_paper("A1"), parse_paper("A4"), opts.overlap, 10 * MM)
    assert len(reader.pages) == cols * rows
    assert len(reader.pages) >= 8  # an A1 poster needs at least 8 A4 sheets
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert sorted((round(w), round(h))) == [595, 842]
    assert "Sheet1of" in squash(reader.pages[0].extract_text())


def test_tile_grid_covers_the_poster() -> None:
    poster = Paper("P", 1000, 700)
    sheet, cols, rows = tile_grid(poster, parse_paper("A4"), 20, 20)
    ww, wh = sheet.width - 40, sheet.height - 40
    assert cols * (ww - 20) + 20 >= poster.width and rows * (wh - 20) + 20 >= poster.height


def test_bleed_enlarges_the_media_box(tmp_path: Path) -> None:
    out = tmp_path / "bleed.pdf"
    bleed = 3 * MM
    export_pdf(sample_data(), 1, out, ExportOptions(paper=parse_paper("A3"), bleed=bleed))
    page = PdfReader(out).pages[0]
    a3 = parse_paper("A3")
    assert float(page.mediabox.width) == pytest.approx(a3.width + 2 * bleed, abs=0.01)
    assert float(page.mediabox.height) == pytest.approx(a3.height + 2 * bleed, abs=0.01)
    assert float(page.trimbox.width) == pytest.approx(a3.width, abs=0.01)
    assert float(page.trimbox.left) == pytest.approx(bleed, abs=0.01)


def test_crop_marks_sit_outside_the_bleed(tmp_path: Path) -> None:
    out = tmp_path / "marks.pdf"
    bleed = 3 * MM
    export_pdf(sample_data(), 1, out,
               ExportOptions(paper=parse_paper("A3"), bleed=bleed, crop_marks=True))
    page = PdfReader(out).pages[0]
    assert float(page.mediabox.width) > float(page.bleedbox.width) > float(page.trimbox.width)
    assert float(page.bleedbox.width) == pytest.approx(parse_paper("A3").width + 2 * bleed,
                                                       abs=0.01)


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "keep.pdf"
    out.write_bytes(b"precious")
    with pytest.raises(ExportError, match="already exists"):
        export_pdf(sample_data(), 1, out, ExportOptions())
    assert out.read_bytes() == b"precious"
    export_pdf(sample_data(), 1, out, ExportOptions(), force=True)
    assert out.read_bytes().startswith(b"%PDF")


def test_cancel_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "cancel.pdf"
    seen: list[float] = []
    opts = ExportOptions(progress=lambda f, m: seen.append(f),
                         is_cancelled=lambda: len(seen) >= 2)
    with pytest.raises(Cancelled):
        export_pdf(sample_data(), 1, out, opts)
    assert list(tmp_path.iterdir()) == []


def test_progress_runs_to_completion(tmp_path: Path) -> None:
    seen: list[float] = []
    export_pdf(sample_data(), 1, tmp_path / "p.pdf",
               ExportOptions(progress=lambda f, m: seen.append(f)))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
