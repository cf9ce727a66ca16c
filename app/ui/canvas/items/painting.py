"""Small QPainter helpers shared by the canvas items.

The paint-op interpreter itself lives in :mod:`app.render.qtpaint` (``compile_ops``
/ ``run_ops``), so the canvas and the PNG/SVG exports draw with the same code:
bundled DejaVu, points relative to the painter's device DPI, kerning off.
Items compile their ops once per layout box and replay them on every paint.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from app.layout.boxes import Glyph, Rect
from app.layout.paint import Op, glyph_ops
from app.render.qtpaint import Compiled, compile_ops, ensure_gui, run_ops


def device_dpi(p: QPainter) -> float:
    """The logical DPI of the painter's device (fonts are sized against it)."""
    dev = p.device()
    return float(dev.logicalDpiY()) if dev is not None else 72.0


def qrect(r: Rect, dx: float = 0.0, dy: float = 0.0) -> QRectF:
    """A layout Rect as a QRectF, moved by (dx, dy)."""
    return QRectF(r.x + dx, r.y + dy, r.w, r.h)


def draw_ops(p: QPainter, ops: Iterable[Op], dx: float = 0.0, dy: float = 0.0) -> None:
    """Draw layout paint ops moved by (dx, dy) (compiles them every time: for one-offs)."""
    ensure_gui()
    run_ops(p, compile_ops(ops, dx, dy), device_dpi(p))


def draw_glyph(p: QPainter, g: Glyph, dx: float = 0.0, dy: float = 0.0) -> None:
    """Draw a marker shape (one-off; items keep their glyphs compiled)."""
    draw_ops(p, glyph_ops(g), dx, dy)


def run_compiled(p: QPainter, ops: Iterable[Compiled]) -> None:
    """Replay compiled ops on ``p`` (fonts sized for its device)."""
    run_ops(p, ops, device_dpi(p))


def lod(p: QPainter, option: QStyleOptionGraphicsItem | None = None) -> float:
    """The current zoom factor (device pixels per scene unit)."""
    t = p.worldTransform()
    if option is not None:
        return max(QStyleOptionGraphicsItem.levelOfDetailFromTransform(t), 1e-9)
    return max(abs(t.m11()), abs(t.m22()), 1e-9)
