"""The backdrop (title, phases, lane stripes, grid lines, legend), the emotion curve and links."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.layout import paint
from app.layout.boxes import EmotionCurve, LinkPath, MapLayout
from app.layout.paint import LineOp, Op, paint_ops
from app.render.qtpaint import (
    LINE,
    PATH,
    Compiled,
    _pen,
    compile_ops,
    compiled_bounds,
    run_ops,
)
from app.ui.canvas.items.card import FLAT_ZOOM
from app.ui.canvas.items.painting import device_dpi, lod, run_compiled

BACKDROP_Z = 0.0
CURVE_Z = 30.0
LINK_Z = 35.0


def backdrop_ops(lay: MapLayout) -> list[Op]:
    """Everything of a layout that is not a separate item (cards, headers, labels, curve, links)."""
    bare = dataclasses.replace(
        lay, stages=(), cards={}, links=(), curve=None,
        lanes=tuple(dataclasses.replace(ln, lines=(), marker=None) for ln in lay.lanes),
    )
    ops = list(paint_ops(bare))
    for st in lay.stages[1:]:
        ops.append(LineOp(st.column.x, st.column.y, st.column.x, st.column.bottom,
                          lay.grid_colour, 0.6))
    return ops


def backdrop_key(lay: MapLayout) -> tuple:
    """What the backdrop depends on: when equal, it need not repaint."""
    return (lay.width, lay.height, lay.background, lay.title, lay.phases, lay.lanes, lay.grid,
            lay.legend, lay.footer, tuple(s.column for s in lay.stages), lay.heat, lay.evidence,
            lay.funnel, lay.stage_heat)


class OpsItem(QGraphicsItem):
    """An item that draws a list of paint ops in scene coordinates (placed at the origin).

    The ops are compiled once; a partial repaint (a card dragged over the backdrop)
    draws only the ops that meet the exposed rectangle.
    """

    def __init__(self, ops: list[Op], rect: QRectF, z: float, min_px: float = 0.0) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.setZValue(z)
        #: Lines and paths are never drawn thinner than this many pixels (zoomed out,
        #: a 0.6 pt grid line would vanish); 0 to draw them at their width.
        self.min_px = min_px
        self._hairlines: dict[int, QPen] = {}
        self.ops: list[Op] = []
        self.rect = rect
        self._compiled: list[Compiled] = []
        self._bounds: list[QRectF] = []
        self._take(ops, rect)

    def _take(self, ops: list[Op], rect: QRectF) -> None:
        self.ops, self.rect = ops, rect
        self._hairlines = {}
        self._compiled = compile_ops(ops)
        self._bounds = [compiled_bounds(op) for op in self._compiled]

    def set_ops(self, ops: list[Op], rect: QRectF) -> None:
        """Replace what is drawn."""
        self.prepareGeometryChange()
        self._take(ops, rect)
        self.update()

    def boundingRect(self) -> QRectF:
        return self.rect

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        """Draw the ops that meet the exposed area."""
        exposed = option.exposedRect
        ops = self._compiled
        if exposed.isValid() and not exposed.contains(self.rect):
            ops = [op for op, b in zip(ops, self._bounds, strict=True) if b.intersects(exposed)]
        if self.min_px:
            zoom = lod(p, option)
            ops = [self._thickened(op, zoom) for op in ops]
        run_compiled(p, ops)

    def _thickened(self, op: Compiled, zoom: float) -> Compiled:
        """``op`` with a cosmetic pen of ``min_px`` pixels if it would be drawn thinner."""
        if op[0] not in (LINE, PATH) or op[1].widthF() * zoom >= self.min_px:
            return op
        pen = self._hairlines.get(id(op[1]))
        if pen is None:
            pen = QPen(op[1])
            pen.setCosmetic(True)
            pen.setWidthF(self.min_px)
            self._hairlines[id(op[1])] = pen
        return (op[0], pen, *op[2:])


def curve_ops(c: EmotionCurve) -> list[Op]:
    """The emotion curve, as the poster draws it (:func:`app.layout.paint.curve_ops`)."""
    return list(paint.curve_ops(c, 1.0))


def curve_rect(c: EmotionCurve) -> QRectF:
    """The curve's bounds, with room for glyphs."""
    return QRectF(c.band.x - 20, c.band.y - 20, c.band.w + 40, c.band.h + 40)


def link_ops(link: LinkPath) -> list[Op]:
    """A link's Bezier, arrow head and label (:mod:`app.layout.paint`'s builders)."""
    return [*paint.link_ops(link), *paint.link_label_ops(link)]


def link_rect(link: LinkPath) -> QRectF:
    """A link's bounds."""
    xs = [link.start[0], link.c1[0], link.c2[0], link.end[0], *(x for x, _ in link.arrow)]
    ys = [link.start[1], link.c1[1], link.c2[1], link.end[1], *(y for _, y in link.arrow)]
    r = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)).adjusted(-4, -4, 4, 4)
    if link.label is not None:
        t = link.label
        r = r.united(QRectF(t.x, t.y_baseline - t.size_pt, t.width, t.size_pt * 1.4))
    return r


class LinkItem(QGraphicsItem):
    """A link between two cards, named by the link id; its LinkLayer paints it."""

    def __init__(self, link: LinkPath) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        self.setZValue(LINK_Z)
        self.link_id = link.link_id
        self.link = link
        self.rect = link_rect(link)
        self._compiled: list[Compiled] | None = None

    def set_link(self, link: LinkPath) -> None:
        """Take a new path."""
        self.prepareGeometryChange()
        self.link = link
        self.rect = link_rect(link)
        self._compiled = None

    def source_ops(self) -> list[Op]:
        """The link's paint ops (the poster's builders), before compiling."""
        return link_ops(self.link)

    @property
    def compiled(self) -> list[Compiled]:
        """The link's ops, compiled on first use."""
        if self._compiled is None:
            self._compiled = compile_ops(self.source_ops())
        return self._compiled

    def boundingRect(self) -> QRectF:
        return self.rect

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        """Nothing: the LinkLayer paints links."""


class LinkLayer(QGraphicsItem):
    """Paints every link of the map in one item: culled to the exposed area, and below
    ``FLAT_ZOOM`` as one path per colour (no labels)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.setZValue(LINK_Z)
        self.links: list[LinkItem] = []
        self.rect = QRectF()
        self._flat: list[tuple[QPen, QPainterPath, QPainterPath]] | None = None

    def set_links(self, links: list[LinkItem]) -> None:
        """Paint these links from now on."""
        rect = QRectF()
        for it in links:
            rect = rect.united(it.rect)
        self.prepareGeometryChange()
        self.links, self.rect, self._flat = links, rect, None
        self.update()

    def boundingRect(self) -> QRectF:
        return self.rect

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        """Draw the links that meet the exposed area."""
        if lod(p, option) < FLAT_ZOOM:
            for pen, curves, heads in self._paths():
                p.setPen(pen)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawPath(curves)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(pen.color())
                p.drawPath(heads)
            return
        exposed = option.exposedRect
        everything = not exposed.isValid() or exposed.contains(self.rect)
        dpi = device_dpi(p)
        for it in self.links:
            if everything or it.rect.intersects(exposed):
                run_ops(p, it.compiled, dpi)

    def _paths(self) -> list[tuple[QPen, QPainterPath, QPainterPath]]:
        if self._flat is None:
            groups: dict[tuple[str, float], tuple[QPainterPath, QPainterPath]] = {}
            for it in self.links:
                k = it.link
                curves, heads = groups.setdefault((k.colour, k.width),
                                                  (QPainterPath(), QPainterPath()))
                curves.moveTo(*k.start)
                curves.cubicTo(QPointF(*k.c1), QPointF(*k.c2), QPointF(*k.end))
                heads.addPolygon(QPolygonF([QPointF(x, y) for x, y in k.arrow]))
                heads.closeSubpath()
            self._flat = [(_pen(colour, width), curves, heads)
                          for (colour, width), (curves, heads) in groups.items()]
        return self._flat
