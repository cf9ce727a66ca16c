"""PNG and SVG export: pixel size = paper x DPI, pHYs DPI, not blank; SVG text as text."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from layout_maps import build, sample_data

from app.errors import ExportError
from app.export.common import ExportOptions
from app.export.svg import export_svg
from app.layout.paper import parse_paper
from app.model.schema import LaneKind
from app.render.png import export_png, png_size


def png_chunks(path: Path) -> dict[bytes, bytes]:
    raw = path.read_bytes()
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: dict[bytes, bytes] = {}
    pos = 8
    while pos < len(raw):
        (length,) = struct.unpack(">I", raw[pos:pos + 4])
        kind = raw[pos + 4:pos + 8]
        chunks[kind] = chunks.get(kind, b"") + raw[pos + 8:pos + 8 + length]
        pos += 12 + length
    return chunks


def test_png_size_dpi_and_content(tmp_path: Path, qapp) -> None:
    from PySide6.QtGui import QImage

    out = tmp_path / "map.png"
    paper = parse_paper("A4", "landscape")
    export_png(sample_data(), 1, out, ExportOptions(paper=paper, dpi=100))
    chunks = png_chunks(out)
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    assert (width, height) == png_size(paper.width, paper.height, 100) == (1169, 827)
    ppm_x, ppm_y, unit = struct.unpack(">IIB", chunks[b"pHYs"])
    assert unit == 1 and round(ppm_x * 0.0254) == 100 and ppm_x == ppm_y
    zlib.decompress(chunks[b"IDAT"])  # a well-formed image stream
    image = QImage(str(out))
    colours = {image.pixel(x, y) for x in range(0, width, 7) for y in range(0, height, 7)}
    assert len(colours) > 50  # text, cards and colours were drawn, not a blank page
    assert image.pixelColor(2, 2).name() == "#ffffff"
    assert not image.hasAlphaChannel()  # opaque poster: RGB, no alpha channel to store


def test_png_transparent_background(tmp_path: Path, qapp) -> None:
    from PySide6.QtGui import QImage

    out = tmp_path / "clear.png"
    export_png(sample_data(), 1, out,
               ExportOptions(paper=parse_paper("A5"), dpi=72, transparent=True))
    image = QImage(str(out))
    assert image.hasAlphaChannel()
    assert image.pixelColor(1, 1).alpha() == 0
    assert any(image.pixelColor(x, image.height() // 2).alpha() == 255
               for x in range(image.width()))


def test_png_rejects_bad_dpi(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="DPI"):
        export_png(sample_data(), 1, tmp_path / "x.png", ExportOptions(dpi=1200))
    assert not (tmp_path / "x.png").exists()


def test_svg_parses_and_keeps_text_as_text(tmp_path: Path, qapp) -> None:
    data = build(["Stage <one>"], [("Lane", LaneKind.ACTIONS)],
                 [dict(stage="Stage <one>", lane="Lane", title="<b> & friends")])
    out = tmp_path / "map.svg"
    export_svg(data, 1, out, ExportOptions(paper=parse_paper("A4")))
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<b> & friends" in texts
    assert "Stage <one>" in texts or ("Stage" in texts and "<one>" in texts)
    assert root.get("viewBox").startswith("0 0 841.")


def test_svg_of_sample_has_every_card_title(tmp_path: Path, qapp) -> None:
    out = tmp_path / "s.svg"
    lay = export_svg(sample_data(), 1, out, ExportOptions())
    texts = {"".join(t.itertext()) for t in
             ET.parse(out).getroot().iter("{http://www.w3.org/2000/svg}text")}
    for card in lay.cards.values():
        for line in card.title_lines:
            assert line.text in texts


def test_png_and_svg_cancel_and_overwrite_rules(tmp_path: Path, qapp) -> None:
    from app.errors import Cancelled

    for export, name in ((export_png, "c.png"), (export_svg, "c.svg")):
        calls: list[float] = []
        opts = ExportOptions(paper=parse_paper("A5"), dpi=72,
                             progress=lambda f, m, calls=calls: calls.append(f),
                             is_cancelled=lambda calls=calls: len(calls) >= 2)
        with pytest.raises(Cancelled):
            export(sample_data(), 1, tmp_path / name, opts)
        assert list(tmp_path.iterdir()) == []
    (tmp_path / "keep.svg").write_text("mine")
    with pytest.raises(ExportError, match="already exists"):
        export_svg(sample_data(), 1, tmp_path / "keep.svg", ExportOptions())
    assert (tmp_path / "keep.svg").read_text() == "mine"
