"""Baselines with no Waymark work in them: raw reportlab, raw Qt, a plain HTML page.

Each floor draws the *same* rectangles and the *same* pre-broken text lines as
the Waymark export, taken from a layout computed before the clock starts, so
the difference with Waymark is the cost of layout and styling.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from app.export.common import ExportOptions
from app.export.prepare import page_layout
from app.layout.fonts import pdf_font_name
from app.layout.paint import RectOp, TextOp, paint_ops
from app.model.schema import DocumentData


def flat_ops(data: DocumentData, map_id: int, options: ExportOptions
             ) -> tuple[float, float, list[tuple], list[tuple]]:
    """(width, height, rects, texts) of a map laid out for ``options.paper``."""
    lay = page_layout(data, map_id, options)
    rects: list[tuple] = []
    texts: list[tuple] = []
    for op in paint_ops(lay):
        if isinstance(op, RectOp):
            r = op.rect
            rects.append((r.x, r.y, r.w, r.h, _rgb(op.fill or "#ffffff"),
                          _rgb(op.stroke) if op.stroke else None))
        elif isinstance(op, TextOp) and op.line.text:
            t = op.line
            texts.append((t.x, t.y_baseline, t.text, t.font, t.size_pt, _rgb(t.colour)))
    return lay.width, lay.height, rects, texts


def _rgb(colour: str) -> tuple[float, float, float]:
    c = colour.lstrip("#")
    return int(c[0:2], 16) / 255, int(c[2:4], 16) / 255, int(c[4:6], 16) / 255


def reportlab_floor(flat: tuple, path: Path) -> None:
    """Draw the flat boxes and lines with reportlab's canvas (same fonts, compression and
    stream encoding as the exporter)."""
    from reportlab.pdfgen.canvas import Canvas

    from app.export.pdf import binary_streams

    width, height, rects, texts = flat
    c = Canvas(str(path), pagesize=(width, height), pageCompression=1)
    for x, y, w, h, fill, stroke in rects:
        c.setFillColorRGB(*fill)
        if stroke:
            c.setStrokeColorRGB(*stroke)
        c.rect(x, height - y - h, w, h, stroke=int(stroke is not None), fill=1)
    for x, y, text, font, size, colour in texts:
        c.setFillColorRGB(*colour)
        c.setFont(pdf_font_name(font), size)
        c.drawString(x, height - y, text)
    c.showPage()
    with binary_streams():  # the stream encoding the exporter uses
        c.save()


def qt_svg_floor(flat: tuple, path: Path) -> None:
    """Draw the flat boxes and lines with QPainter on a QSvgGenerator."""
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QColor, QFont, QPainter
    from PySide6.QtSvg import QSvgGenerator

    width, height, rects, texts = flat
    gen = QSvgGenerator()
    gen.setFileName(str(path))
    gen.setResolution(72)
    gen.setSize(QSize(round(width), round(height)))
    gen.setViewBox(QRectF(0, 0, width, height))
    p = QPainter(gen)
    try:
        for x, y, w, h, fill, _stroke in rects:
            p.fillRect(QRectF(x, y, w, h), QColor.fromRgbF(*fill))
        font = QFont("DejaVu Sans")
        for x, y, text, _font, size, colour in texts:
            font.setPointSizeF(size)
            p.setFont(font)
            p.setPen(QColor.fromRgbF(*colour))
            p.drawText(x, y, text)
    finally:
        p.end()


def qimage_floor(width: int, height: int, path: Path) -> None:
    """The PNG encode floor: a QImage of the same size and pixel format as the opaque
    export (RGB32, no alpha channel) filled and saved as PNG."""
    from PySide6.QtGui import QImage

    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFFFF)
    if not image.save(str(path), "PNG"):
        raise RuntimeError("QImage.save failed")


def html_page(data: DocumentData, map_id: int, paper_mm: tuple[float, float]) -> str:
    """The map as a plain HTML/CSS grid page, what a web tool would print."""
    stages = data.stages_of(map_id)
    lanes = data.lanes_of(map_id)
    w, h = paper_mm
    col = 100 / (len(stages) + 1)
    parts: list[Any] = [
        "<!doctype html><html><head><meta charset='utf-8'><style>",
        f"@page {{ size: {w:.0f}mm {h:.0f}mm; margin: 10mm; }}",
        "body{font-family:'DejaVu Sans',sans-serif;font-size:7pt;margin:0}",
        f"table{{border-collapse:collapse;table-layout:fixed;width:100%}}"
        f"th,td{{border:1px solid #ccc;vertical-align:top;padding:2px;width:{col:.2f}%}}",
        ".card{border:1px solid #999;border-radius:3px;background:#fff8d6;margin:2px;"
        "padding:2px;break-inside:avoid}.card b{display:block;font-size:8pt}",
        "</style></head><body>",
        f"<h1>{html.escape(data.maps[map_id].title)}</h1><table><tr><th></th>",
    ]
    parts += [f"<th>{html.escape(s.name)}</th>" for s in stages]
    parts.append("</tr>")
    for lane in lanes:
        parts.append(f"<tr><th>{html.escape(lane.name)}</th>")
        for s in stages:
            parts.append("<td>")
            for card in data.cell(s.id, lane.id):
                parts.append(f"<div class='card'><b>{html.escape(card.title)}</b>"
                             f"{html.escape(card.body)}</div>")
            parts.append("</td>")
        parts.append("</tr>")
    parts.append("</table></body></html>")
    return "".join(parts)
