"""Shaped text for QPainter (PNG and the canvas): the layout's glyphs as Qt glyph runs.

Qt would shape and fall back by itself, with its own font matching; drawing
:func:`app.layout.shaping.shape`'s glyph ids at its positions with ``QRawFont``
(loaded from the same font files, unhinted) puts exactly the glyphs the PDF has
where the PDF has them. A synthetic bold is the glyph outlines stroked as well.
"""

from __future__ import annotations

import io

from PySide6.QtCore import QByteArray, QPointF
from PySide6.QtGui import QColor, QFont, QGlyphRun, QPainter, QPainterPath, QPen, QRawFont

from app.layout.boxes import TextLine
from app.layout.fonts import SYNTHETIC_BOLD, Face
from app.layout.shaping import shape

_DATA: dict[str, QByteArray] = {}
_RAW: dict[tuple[str, float], QRawFont] = {}


def _face_bytes(face: Face) -> QByteArray:
    data = _DATA.get(face.key)
    if data is None:
        raw = face.data()
        if raw[:4] == b"ttcf":  # QRawFont reads the first face only: extract ours
            from fontTools.ttLib import TTFont

            buf = io.BytesIO()
            TTFont(face.path, fontNumber=face.index).save(buf)
            raw = buf.getvalue()
        data = _DATA[face.key] = QByteArray(raw)
    return data


def raw_font(face: Face, size: float) -> QRawFont:
    """The face as a QRawFont of pixel size ``size`` (one user unit per point)."""
    key = (face.key, size)
    f = _RAW.get(key)
    if f is None:
        f = _RAW[key] = QRawFont(_face_bytes(face), max(0.01, size),
                                 QFont.HintingPreference.PreferNoHinting)
        if len(_RAW) > 4096:
            _RAW.clear()
            _RAW[key] = f
    return f


def glyph_runs(t: TextLine, dx: float = 0.0, dy: float = 0.0
               ) -> tuple[list[QGlyphRun], QPainterPath | None]:
    """Qt glyph runs for a text line moved by (dx, dy), and the outline to stroke for
    runs set in a synthetic bold (or None)."""
    sh = shape(t.text, t.font)
    size = t.size_pt
    x0, y0 = t.x + dx, t.y_baseline + dy
    runs: list[QGlyphRun] = []
    bold: QPainterPath | None = None
    for run in sh.runs:
        raw = raw_font(run.face, size)
        g = QGlyphRun()
        g.setRawFont(raw)
        g.setGlyphIndexes(list(run.glyphs))
        points = [QPointF(x0 + gx * size, y0 - gy * size) for gx, gy in zip(run.xs, run.ys,
                                                                            strict=True)]
        g.setPositions(points)
        runs.append(g)
        if run.synthetic_bold:
            bold = bold or QPainterPath()
            for gid, at in zip(run.glyphs, points, strict=True):
                bold.addPath(raw.pathForGlyph(gid).translated(at))
    return runs, bold


def draw_glyph_runs(p: QPainter, runs: list[QGlyphRun], bold: QPainterPath | None,
                    colour: QColor, size: float) -> None:
    """Paint glyph runs from :func:`glyph_runs` in ``colour``."""
    p.setPen(colour)
    origin = QPointF(0, 0)
    for g in runs:
        p.drawGlyphRun(origin, g)
    if bold is not None:
        pen = QPen(colour)
        pen.setWidthF(SYNTHETIC_BOLD * size)
        p.strokePath(bold, pen)
