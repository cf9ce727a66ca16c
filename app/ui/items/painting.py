"""Small QPainter helpers shared by the canvas items: text lines, glyphs and paint ops.

Fonts, pens and brushes come from :mod:`app.export.qtpaint` so the canvas and the
PNG/SVG exports draw text identically (bundled DejaVu, points relative to the
painter's device DPI, kerning off).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPolygonF

from app.export.qtpaint import _brush, _font, _pen, ensure_gui
from app.layout.boxes import Glyph, Rect, TextLine
from app.layout.paint import EllipseOp, LineOp, Op, PathOp, PolyOp, RectOp, TextOp

_FONTS: dict[tuple[str, float, float], QFont] = {}


def font_for(style: str, size_pt: float, dpi: float) -> QFont:
    """A cached font for a text style and size in scene points on a device of ``dpi``."""
    key = (style, round(size_pt, 3), dpi)
    f = _FONTS.get(key)
    if f is None:
        ensure_gui()
        f = _FONTS[key] = _font(style, size_pt, dpi)
    return f


def device_dpi(p: QPainter) -> float:
    """The logical DPI of the painter's device (fonts are sized against it)."""
    dev = p.device()
    return float(dev.logicalDpiY()) if dev is not None else 72.0


def qrect(r: Rect, dx: float = 0.0, dy: float = 0.0) -> QRectF:
    """A layout Rect as a QRectF, moved by (dx, dy)."""
    return QRectF(r.x + dx, r.y + dy, r.w, r.h)


def draw_text(p: QPainter, t: TextLine, dx: float = 0.0, dy: float = 0.0,
              colour: str | None = None) -> None:
    """Draw one laid-out text line (literal text, never markup)."""
    if not t.text:
        return
    p.setFont(font_for(t.font, t.size_pt, device_dpi(p)))
    p.setPen(QColor(colour or t.colour))
    p.drawText(QPointF(t.x + dx, t.y_baseline + dy), t.text)


def draw_glyph(p: QPainter, g: Glyph, dx: float = 0.0, dy: float = 0.0) -> None:
    """Draw a marker shape."""
    p.setPen(_pen(g.stroke, g.stroke_width))
    p.setBrush(_brush(g.fill))
    if g.shape == "circle":
        p.drawEllipse(QPointF(g.cx + dx, g.cy + dy), g.size / 2, g.size / 2)
    else:
        p.drawPolygon(QPolygonF([QPointF(x + dx, y + dy) for x, y in g.polygon()]))


def draw_ops(p: QPainter, ops: Iterable[Op], dx: float = 0.0, dy: float = 0.0) -> None:
    """Draw layout paint operations moved by (dx, dy)."""
    for op in ops:
        if isinstance(op, TextOp):
            draw_text(p, op.line, dx, dy)
        elif isinstance(op, RectOp):
            p.setPen(_pen(op.stroke, op.width, op.dash))
            p.setBrush(_brush(op.fill))
            r = qrect(op.rect, dx, dy)
            if op.radius > 0:
                rad = min(op.radius, op.rect.h / 2, op.rect.w / 2)
                p.drawRoundedRect(r, rad, rad)
            else:
                p.drawRect(r)
        elif isinstance(op, PolyOp):
            p.setPen(_pen(op.stroke, op.width))
            p.setBrush(_brush(op.fill))
            p.drawPolygon(QPolygonF([QPointF(x + dx, y + dy) for x, y in op.points]))
        elif isinstance(op, EllipseOp):
            p.setPen(_pen(op.stroke, op.width))
            p.setBrush(_brush(op.fill))
            p.drawEllipse(QPointF(op.cx + dx, op.cy + dy), op.rx, op.ry)
        elif isinstance(op, PathOp):
            path = QPainterPath(QPointF(op.start[0] + dx, op.start[1] + dy))
            for c1, c2, end in op.curves:
                path.cubicTo(QPointF(c1[0] + dx, c1[1] + dy), QPointF(c2[0] + dx, c2[1] + dy),
                             QPointF(end[0] + dx, end[1] + dy))
            p.setPen(_pen(op.stroke, op.width, op.dash))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
        elif isinstance(op, LineOp):
            p.setPen(_pen(op.stroke, op.width, op.dash))
            p.drawLine(QPointF(op.x0 + dx, op.y0 + dy), QPointF(op.x1 + dx, op.y1 + dy))


def lod(p: QPainter) -> float:
    """The current zoom factor (device pixels per scene unit)."""
    t = p.worldTransform()
    return max(abs(t.m11()), abs(t.m22()), 1e-9)
