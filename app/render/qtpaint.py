"""Drawing a MapLayout with QPainter (the canvas and PNG): the same paint ops as the PDF.

Units: the painter is scaled so that 1 user unit = 1 pt; fonts are the bundled
DejaVu files registered with QFontDatabase, sized in points relative to the
device's logical DPI (never the screen's), with kerning off so advances match
the reportlab metrics the layout measured with.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from functools import lru_cache

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from app.layout.boxes import MapLayout
from app.layout.fonts import (
    FALLBACK_FILES,
    STYLES,
    FontChoice,
    current_choice,
    font_file,
    is_simple,
)
from app.layout.logo import Logo
from app.layout.paint import (
    EllipseOp,
    ImageOp,
    LineOp,
    Op,
    PathOp,
    PolyOp,
    RectOp,
    TextOp,
    paint_ops,
)
from app.render.qtshaped import draw_glyph_runs, glyph_runs
from app.resources import resource_path


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


_FAMILIES: dict[str, str] = {}
_FALLBACKS_ADDED: list[bool] = []


def _register_fonts() -> str:
    """Add the primary faces to Qt's font database; their family name (cached per file).

    The shipped fallback faces are added too (once, about 15 ms): the canvas draws the
    layout's own glyph runs, but Qt's widgets (the maps list, the Report dock, the
    in-place editor) fall back through the font database, and so print Chinese, Arabic
    or Hindi with the same faces instead of boxes on a machine without such fonts."""
    if not _FALLBACKS_ADDED:
        for _role, regular, bold in FALLBACK_FILES:
            for name in (regular, bold):
                if name:
                    QFontDatabase.addApplicationFont(str(resource_path("fonts", "fallback",
                                                                       name)))
        _FALLBACKS_ADDED.append(True)
    family = ""
    for style in STYLES:
        path = font_file(style)
        known = _FAMILIES.get(path)
        if known is None:
            fid = QFontDatabase.addApplicationFont(path)
            fams = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
            known = _FAMILIES[path] = fams[0] if fams else ""
        family = family or known
    return family or "DejaVu Sans"


def _font(style: str, size_pt: float, device_dpi: float) -> QFont:
    f = QFont(_register_fonts())
    f.setPointSizeF(max(0.1, size_pt * 72.0 / device_dpi))
    f.setBold(style in ("bold", "bolditalic"))
    f.setItalic(style in ("italic", "bolditalic"))
    f.setKerning(False)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    f.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return f


@lru_cache(maxsize=512)
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


@lru_cache(maxsize=512)
def _brush(colour: str | None) -> QBrush:
    return QBrush(QColor(colour)) if colour else QBrush(Qt.BrushStyle.NoBrush)


def font_for(style: str, size_pt: float, device_dpi: float) -> QFont:
    """A cached font for a text style and size in points on a device of ``device_dpi``."""
    key = (style, size_pt, device_dpi, current_choice())
    f = _FONTS.get(key)
    if f is None:
        f = _FONTS[key] = _font(style, size_pt, device_dpi)
    return f


_FONTS: dict[tuple[str, float, float, FontChoice | None], QFont] = {}

# Compiled ops: tuples of ready-made Qt values, first element the kind.
TEXT, RECT, ROUNDED, POLY, ELLIPSE, PATH, LINE, GLYPHS, IMAGE = range(9)
Compiled = tuple


def compile_ops(ops: Iterable[Op], dx: float = 0.0, dy: float = 0.0) -> list[Compiled]:
    """Paint ops turned into Qt values once (moved by (dx, dy)), for :func:`run_ops`.

    Shapes, polygons, paths, pens and brushes are built here, so painting the same
    ops again (a canvas item on every repaint) costs only the QPainter calls.
    """
    out: list[Compiled] = []
    for op in ops:
        if isinstance(op, TextOp):
            t = op.line
            if t.text and not is_simple(t.text, t.font):  # fallback faces, shaping, bidi
                runs, bold = glyph_runs(t, dx, dy)
                out.append((GLYPHS, runs, t.size_pt, QColor(t.colour),
                            QPointF(t.x + dx, t.y_baseline + dy), bold, t.width))
            elif t.text:
                out.append((TEXT, t.font, t.size_pt, QColor(t.colour),
                            QPointF(t.x + dx, t.y_baseline + dy), t.text, t.width))
        elif isinstance(op, RectOp):
            r = QRectF(op.rect.x + dx, op.rect.y + dy, op.rect.w, op.rect.h)
            if op.radius > 0:
                rad = min(op.radius, op.rect.h / 2, op.rect.w / 2)
                out.append((ROUNDED, _pen(op.stroke, op.width, op.dash), _brush(op.fill), r, rad))
            else:
                out.append((RECT, _pen(op.stroke, op.width, op.dash), _brush(op.fill), r))
        elif isinstance(op, PolyOp):
            out.append((POLY, _pen(op.stroke, op.width), _brush(op.fill),
                        QPolygonF([QPointF(x + dx, y + dy) for x, y in op.points])))
        elif isinstance(op, EllipseOp):
            out.append((ELLIPSE, _pen(op.stroke, op.width), _brush(op.fill),
                        QPointF(op.cx + dx, op.cy + dy), op.rx, op.ry))
        elif isinstance(op, PathOp):
            path = QPainterPath(QPointF(op.start[0] + dx, op.start[1] + dy))
            for c1, c2, end in op.curves:
                path.cubicTo(QPointF(c1[0] + dx, c1[1] + dy), QPointF(c2[0] + dx, c2[1] + dy),
                             QPointF(end[0] + dx, end[1] + dy))
            out.append((PATH, _pen(op.stroke, op.width, op.dash), path))
        elif isinstance(op, LineOp):
            out.append((LINE, _pen(op.stroke, op.width, op.dash),
                        QLineF(op.x0 + dx, op.y0 + dy, op.x1 + dx, op.y1 + dy)))
        elif isinstance(op, ImageOp):
            image = _qimage(op.logo)
            if image is not None:
                r = op.rect
                out.append((IMAGE, image, QRectF(r.x + dx, r.y + dy, r.w, r.h)))
    return out


_IMAGES: dict[str, QImage | None] = {}


def _qimage(logo: Logo) -> QImage | None:
    """The logo decoded once per digest (its header was checked when it was taken)."""
    if logo.digest not in _IMAGES:
        if len(_IMAGES) > 8:
            _IMAGES.clear()
        image = QImage.fromData(logo.data)
        _IMAGES[logo.digest] = None if image.isNull() else image
    return _IMAGES[logo.digest]


def compiled_bounds(op: Compiled) -> QRectF:
    """A rectangle that holds what a compiled op paints (for skipping unexposed ops)."""
    kind = op[0]
    if kind in (TEXT, GLYPHS):
        size, at, width = op[2], op[4], op[6]
        return QRectF(at.x() - 2, at.y() - size * 1.2, width + 4, size * 1.6)
    if kind in (RECT, ROUNDED):
        return op[3].adjusted(-2, -2, 2, 2)
    if kind == IMAGE:
        return op[2]
    if kind == POLY:
        return op[3].boundingRect().adjusted(-2, -2, 2, 2)
    if kind == ELLIPSE:
        c, rx, ry = op[3], op[4], op[5]
        return QRectF(c.x() - rx - 2, c.y() - ry - 2, 2 * rx + 4, 2 * ry + 4)
    if kind == PATH:
        w = op[1].widthF() + 2
        return op[2].boundingRect().adjusted(-w, -w, w, w)
    w = op[1].widthF() + 2
    return QRectF(op[2].p1(), op[2].p2()).normalized().adjusted(-w, -w, w, w)


def run_ops(p: QPainter, ops: Iterable[Compiled], device_dpi: float) -> None:
    """Draw compiled ops: the one paint-op interpreter of the canvas and the PNG/SVG export."""
    for op in ops:
        kind = op[0]
        if kind == TEXT:
            p.setFont(font_for(op[1], op[2], device_dpi))
            p.setPen(op[3])
            p.drawText(op[4], op[5])
        elif kind == GLYPHS:
            draw_glyph_runs(p, op[1], op[5], op[3], op[2])
        elif kind == RECT:
            p.setPen(op[1])
            p.setBrush(op[2])
            p.drawRect(op[3])
        elif kind == ROUNDED:
            p.setPen(op[1])
            p.setBrush(op[2])
            p.drawRoundedRect(op[3], op[4], op[4])
        elif kind == POLY:
            p.setPen(op[1])
            p.setBrush(op[2])
            p.drawPolygon(op[3])
        elif kind == ELLIPSE:
            p.setPen(op[1])
            p.setBrush(op[2])
            p.drawEllipse(op[3], op[4], op[5])
        elif kind == PATH:
            p.setPen(op[1])
            p.setBrush(_NO_BRUSH)
            p.drawPath(op[2])
        elif kind == IMAGE:
            p.save()
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            p.drawImage(op[2], op[1])
            p.restore()
        else:
            p.setPen(op[1])
            p.drawLine(op[2])


_NO_BRUSH = QBrush(Qt.BrushStyle.NoBrush)


def draw_ops(p: QPainter, ops: Iterable[Op], device_dpi: float,
             dx: float = 0.0, dy: float = 0.0) -> None:
    """Draw layout paint ops moved by (dx, dy)."""
    run_ops(p, compile_ops(ops, dx, dy), device_dpi)


def paint_layout(p: QPainter, lay: MapLayout, device_dpi: float, *, background: bool = True,
                 progress: Callable[[float, str], None] | None = None) -> None:
    """Draw ``lay`` on a painter whose user unit is one point.

    ``progress(fraction, message)`` is called between batches of ops (an exporter's
    ``ExportOptions.report``, which may raise ``Cancelled`` to stop the drawing).
    """
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    ops = list(paint_ops(lay, background=background))
    for i in range(0, len(ops), 500):
        if progress is not None:
            progress(0.1 + 0.7 * i / max(1, len(ops)), "drawing")
        draw_ops(p, ops[i:i + 500], device_dpi)
