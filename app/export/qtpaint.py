"""Drawing a MapLayout with QPainter (for PNG and SVG): the same paint ops as the PDF.

Units: the painter is scaled so that 1 user unit = 1 pt; fonts are the bundled
DejaVu files registered with QFontDatabase, sized in points relative to the
device's logical DPI (never the screen's), with kerning off so advances match
the reportlab metrics the layout measured with.
"""

from __future__ import annotations

import os
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from app.export.common import ExportOptions
from app.layout.boxes import MapLayout
from app.layout.fonts import FAMILY, FONT_FILES, font_file
from app.layout.paint import EllipseOp, LineOp, PathOp, PolyOp, RectOp, TextOp, paint_ops


def ensure_gui() -> None:
    """An application object must exist to draw text; create an offscreen one for the CLI.

    A QApplication (not just QGuiApplication) so that a later widget user in the
    same process (tests, the editor) finds the kind of application it needs.
    """
    if QGuiApplication.instance() is None:
        from PySide6.QtWidgets import QApplication

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _keep.append(QApplication([]))
    _register_fonts()


_keep: list[QGuiApplication] = []


@cache
def _register_fonts() -> str:
    family = FAMILY
    for style in FONT_FILES:
        fid = QFontDatabase.addApplicationFont(font_file(style))
        if fid >= 0:
            fams = QFontDatabase.applicationFontFamilies(fid)
            if fams:
                family = fams[0]
    return family


def _font(style: str, size_pt: float, device_dpi: float) -> QFont:
    f = QFont(_register_fonts())
    f.setPointSizeF(max(0.1, size_pt * 72.0 / device_dpi))
    f.setBold(style in ("bold", "bolditalic"))
    f.setItalic(style in ("italic", "bolditalic"))
    f.setKerning(False)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    f.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return f


def _pen(colour: str | None, width: float, dash: tuple[float, ...] = ()) -> QPen:
    if not colour or width <= 0:
        return QPen(Qt.PenStyle.NoPen)
    pen = QPen(QColor(colour))
    pen.setWidthF(width)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if dash:
        pen.setDashPattern([d / width for d in dash])
    else:
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def _brush(colour: str | None) -> QBrush:
    return QBrush(QColor(colour)) if colour else QBrush(Qt.BrushStyle.NoBrush)


def paint_layout(p: QPainter, lay: MapLayout, options: ExportOptions, device_dpi: float,
                 *, background: bool = True) -> None:
    """Draw ``lay`` on a painter whose user unit is one point."""
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    fonts: dict[tuple[str, float], QFont] = {}
    ops = list(paint_ops(lay, background=background))
    for i, op in enumerate(ops):
        if i % 500 == 0:
            options.report(0.1 + 0.7 * i / max(1, len(ops)), "drawing")
        if isinstance(op, TextOp):
            t = op.line
            if not t.text:
                continue
            key = (t.font, t.size_pt)
            if key not in fonts:
                fonts[key] = _font(t.font, t.size_pt, device_dpi)
            p.setFont(fonts[key])
            p.setPen(QColor(t.colour))
            p.drawText(QPointF(t.x, t.y_baseline), t.text)
        elif isinstance(op, RectOp):
            p.setPen(_pen(op.stroke, op.width, op.dash))
            p.setBrush(_brush(op.fill))
            r = QRectF(op.rect.x, op.rect.y, op.rect.w, op.rect.h)
            if op.radius > 0:
                rad = min(op.radius, op.rect.h / 2, op.rect.w / 2)
                p.drawRoundedRect(r, rad, rad)
            else:
                p.drawRect(r)
        elif isinstance(op, PolyOp):
            p.setPen(_pen(op.stroke, op.width))
            p.setBrush(_brush(op.fill))
            p.drawPolygon(QPolygonF([QPointF(x, y) for x, y in op.points]))
        elif isinstance(op, EllipseOp):
            p.setPen(_pen(op.stroke, op.width))
            p.setBrush(_brush(op.fill))
            p.drawEllipse(QPointF(op.cx, op.cy), op.rx, op.ry)
        elif isinstance(op, PathOp):
            path = QPainterPath(QPointF(*op.start))
            for c1, c2, end in op.curves:
                path.cubicTo(QPointF(*c1), QPointF(*c2), QPointF(*end))
            p.setPen(_pen(op.stroke, op.width, op.dash))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
        elif isinstance(op, LineOp):
            p.setPen(_pen(op.stroke, op.width, op.dash))
            p.drawLine(QPointF(op.x0, op.y0), QPointF(op.x1, op.y1))
