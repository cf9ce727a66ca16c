"""The brand logo in the title block (issue 14 point 4): taken from a file or the document,
drawn the same by PDF, PNG and SVG, never at the cost of a role's need; hostile files
refused with one line."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from PySide6.QtGui import QImage

from app.cli import main
from app.export.common import ExportOptions
from app.export.prepare import compose_for
from app.layout.logo import BRAND_SETTING, SETTING, Logo, LogoRefused
from app.layout.paint import ImageOp, paint_ops
from app.layout.paper import parse_paper
from app.layout.rules import mix
from app.model.document import Document
from tests.made import new_document, new_file

LOGO_BLUE = (0, 88, 163)


def _logo_png(path: Path, size: tuple[int, int] = (600, 240)) -> Path:
    im = Image.new("RGBA", size, (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, size[0] - 1, size[1] - 1), fill=(*LOGO_BLUE, 255))
    d.ellipse((size[1] // 6, size[1] // 6, size[1] * 5 // 6, size[1] * 5 // 6),
              fill=(255, 219, 0, 255))
    im.save(path)
    return path


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.cjm"
    new_file(path, "sample")
    return path


def _image_rects(pdf: Path) -> list[tuple[float, float, float, float]]:
    """(x, y, w, h) in PDF points of every image drawn on the first page."""
    page = PdfReader(pdf).pages[0]
    out: list[tuple[float, float, float, float]] = []

    def visit(op, args, cm, tm):
        if op == b"Do":  # cm: the image's transformation matrix (a 0 0 d e f)
            out.append((cm[4], cm[5], cm[0], cm[3]))

    page.extract_text(visitor_operand_before=visit)
    return out


def test_cli_logo_prints_in_the_title_block_and_every_role_still_passes(
        sample: Path, tmp_path: Path, capsys) -> None:
    logo = _logo_png(tmp_path / "logo.png")
    out = tmp_path / "poster.pdf"
    assert main(["export", str(sample), "-o", str(out), "--paper", "A1",
                 "--logo", str(logo)]) == 0
    assert "every text role at" in capsys.readouterr().out
    rects = _image_rects(out)
    assert len(rects) == 1
    x, y, w, h = rects[0]
    assert w / h == pytest.approx(600 / 240, rel=0.01)  # its shape is kept
    page_h = float(PdfReader(out).pages[0].mediabox.height)
    opts = ExportOptions(paper=parse_paper("A1"), logo=Logo.from_file(logo))
    with Document.open(sample, read_only=True) as doc:
        data = doc.data
    comp = compose_for(data, data.ordered_maps()[0].id, opts)
    lay = comp.layout
    title, r = lay.title, lay.title.logo_rect
    assert r is not None and comp.passes
    # where the layout put it: the top-right corner of a wide map, beside the legend, over
    # nothing, above the grid, its right edge on the map's
    assert x == pytest.approx(r.x, abs=0.5) and page_h - (y + h) == pytest.approx(r.y, abs=0.5)
    assert r.right == pytest.approx(lay.stages[-1].rect.right, abs=2.0)
    assert r.bottom < min(p.rect.y for p in lay.phases)
    texts = [*title.title_lines, *title.meta_lines, *lay.legend.headings,
             *(e.label for e in lay.legend.entries)]
    assert all(t.x + t.width <= r.x or t.x >= r.right for t in texts)
    assert lay.legend.rect.right <= r.x
    # the title keeps its need and its one line (the legend gave up the logo's room)
    assert title.title_lines[0].size_pt >= comp.needs["title"] * comp.scale * 0.999
    plain = compose_for(data, data.ordered_maps()[0].id, ExportOptions(paper=parse_paper("A1")))
    assert len(title.title_lines) == len(plain.layout.title.title_lines)
    # no bigger than the title's first line box
    assert h <= title.title_lines[0].size_pt * 1.31
    assert main(["check", str(sample), "--paper", "A1", "--logo", str(logo)]) == 0


def test_the_documents_logo_and_colour_print_everywhere_unless_left_out(
        sample: Path, tmp_path: Path) -> None:
    data = _logo_png(tmp_path / "logo.png").read_bytes()
    with Document.open(sample) as doc:
        doc.set_setting(SETTING, doc.add_blob(data, "image/png"))
        doc.set_setting(BRAND_SETTING, "#0058a3")
    pdf, svg, png = (tmp_path / f"p.{ext}" for ext in ("pdf", "svg", "png"))
    assert main(["export", str(sample), "-o", str(pdf), "--quiet"]) == 0
    assert len(_image_rects(pdf)) == 1
    assert main(["export", str(sample), "-o", str(svg), "--quiet"]) == 0
    text = svg.read_text(encoding="utf-8")
    assert text.count('<image id="logo"') == 1 and "data:image/png;base64," in text
    assert main(["export", str(sample), "-o", str(png), "--dpi", "72", "--quiet"]) == 0
    opts = ExportOptions(paper=parse_paper("A1"), logo=Logo.from_bytes(data),
                         brand_colour="#0058a3")
    with Document.open(sample, read_only=True) as doc:
        sdata = doc.data
    comp = compose_for(sdata, sdata.ordered_maps()[0].id, opts)
    r = comp.layout.title.logo_rect
    image = QImage(str(png))
    colour = image.pixelColor(int(r.x + r.w * 0.9), int(r.y + r.h / 2))  # 72 dpi: 1 px = 1 pt
    assert (colour.red(), colour.green(), colour.blue()) == LOGO_BLUE
    # the document's brand colour reaches the phase bands of the exported poster
    brand_phase = mix("#0058a3", "#ffffff", 0.8)
    assert comp.layout.phases and all(p.fill == brand_phase for p in comp.layout.phases)
    svg_plain = tmp_path / "plain.svg"
    assert main(["export", str(sample), "-o", str(svg_plain), "--brand-colour", "#aa0000",
                 "--quiet"]) == 0
    assert brand_phase in text and brand_phase not in svg_plain.read_text(encoding="utf-8")
    left_out = tmp_path / "plain.pdf"
    assert main(["export", str(sample), "-o", str(left_out), "--no-logo", "--quiet"]) == 0
    assert _image_rects(left_out) == []


def test_without_a_legend_beside_the_title_the_logo_comes_before_it(tmp_path: Path) -> None:
    from app.layout.style import Style
    from app.model import commands as C

    logo = Logo.from_file(_logo_png(tmp_path / "l.png"))
    with new_document(tmp_path / "n.cjm", "blank") as doc:
        doc.execute(C.AddMap("Renewing a library card online", stages=["Find", "Renew"],
                             lanes=[("Steps", "actions")]))
        data = doc.data
    opts = ExportOptions(paper=parse_paper("A4", "portrait"), orientation="portrait",
                         logo=logo)
    comp = compose_for(data, data.ordered_maps()[0].id, opts, Style(show_legend=False))
    title = comp.layout.title
    assert comp.layout.legend is None
    r = title.logo_rect
    assert r is not None and r.x == pytest.approx(title.rect.x)
    assert all(t.x >= r.right for t in (*title.title_lines, *title.meta_lines))
    assert title.rect.bottom >= r.bottom


def test_canvas_and_poster_draw_the_logo_through_the_one_paint_path(tmp_path: Path) -> None:
    logo = Logo.from_file(_logo_png(tmp_path / "l.png"))
    with new_document(tmp_path / "s.cjm", "sample") as doc:
        data = doc.data
    comp = compose_for(data, data.ordered_maps()[0].id,
                       ExportOptions(paper=parse_paper("A2"), logo=logo))
    ops = [op for op in paint_ops(comp.layout) if isinstance(op, ImageOp)]
    assert [op.logo for op in ops] == [logo]
    assert ops[0].rect == comp.layout.title.logo_rect


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr
            + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)))


@pytest.mark.parametrize(("content", "reason"), [
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "is an SVG"),
    (b"<svg><script>alert(1)</script></svg>", "is an SVG"),
    (_png_header(100_000, 100_000) + b"\0" * 64, "at most 8000 per side"),
    (None, "damaged image"),  # a real PNG cut in half
    (b"GIF89a\x01\x00\x01\x00", "only PNG and JPEG"),
    (b"", "only PNG and JPEG"),
])
def test_hostile_logo_files_are_refused_with_one_line(sample: Path, tmp_path: Path, capsys,
                                                      content: bytes | None, reason: str
                                                      ) -> None:
    path = tmp_path / "logo.png"
    if content is None:
        buf = io.BytesIO()
        Image.new("RGB", (400, 400), (200, 30, 30)).save(buf, "PNG")
        content = buf.getvalue()[: len(buf.getvalue()) // 2]
    path.write_bytes(content)
    out = tmp_path / "poster.pdf"
    code = main(["export", str(sample), "-o", str(out), "--logo", str(path)])
    err = capsys.readouterr().err
    assert code != 0 and reason in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()
    with pytest.raises(LogoRefused, match=reason):
        Logo.from_file(path)


def test_a_too_big_or_missing_logo_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    with big.open("wb") as fh:
        fh.truncate(9 * 1024 * 1024)
    with pytest.raises(LogoRefused, match="at most 8 MB"):
        Logo.from_file(big)
    with pytest.raises(LogoRefused, match="does not exist"):
        Logo.from_file(tmp_path / "nope.png")
    with pytest.raises(LogoRefused, match="not a file"):
        Logo.from_file(tmp_path)
