"""CardItem: one card, named by its id, painted from its pre-laid-out CardBox.

A card of the scene does not paint itself: the :class:`~app.ui.canvas.items.layer.CardLayer`
of its cell paints all the cell's cards in one item (so a repaint of thousands of
cards is a few hundred Python calls, not one per card), and the CardItem stays for
hit tests, selection and dragging. A card paints itself ("own paint") while it is
lifted by a drag, while it shows a *preview* (``CardText`` from ``layout_card_text``,
live text or score, wrapping exactly as the map will), and when it is not on a
layer (the ghost of a card being typed).

Level of detail, from the painter's transform: under ``FLAT_ZOOM`` the layer paints
each card as a filled block with a one-pixel border in the kind colour; up to
``LOD_BLOCKS`` the card with its marker and first title line; above it, everything
(a card that paints itself drops the title too under ``LOD_TITLE``).
Paint ops are compiled once per box (``app.render.qtpaint.compile_ops``), in scene
coordinates, and replayed on every paint.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.layout.boxes import Badge, CardBox, Rect
from app.layout.cardtext import CardText
from app.layout.paint import Op, RectOp, TextOp, badge_ops, card_ops, glyph_ops, stroke
from app.render.qtpaint import Compiled, compile_ops, compiled_bounds, run_ops
from app.ui.canvas.items.painting import device_dpi, lod, qrect

CARD_Z = 40.0
LOD_BLOCKS = 0.35  # below this zoom: card, marker and first title line
LOD_TITLE = 0.08  # below this zoom: card and marker only
FLAT_ZOOM = 0.2  # below this zoom the layer paints plain coloured blocks
SELECTED, FOUND = QColor("#1f6feb"), QColor("#e3a008")

_SELECTABLE = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
_DEVICE_CACHE = QGraphicsItem.CacheMode.DeviceCoordinateCache
_NO_CACHE = QGraphicsItem.CacheMode.NoCache


class CardLayerLike(Protocol):
    """What a card needs of the layer that paints it (see ``app.ui.canvas.items.layer``)."""

    def card_changed(self, card: CardItem) -> None:
        """The card's look changed (own paint, opacity, find mark): repaint it."""
_NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
_SELECTABLE_NO_CONTENTS = _SELECTABLE | _NO_CONTENTS


def box_ops(box: CardBox) -> list[Op]:
    """Everything of a card, exactly as the exports draw it (the one builder in
    :func:`app.layout.paint.card_ops`, at the canvas's scale 1)."""
    return list(card_ops(box, 1.0))


def preview_ops(preview: CardText, w: float, h: float, border_width: float) -> list[Op]:
    """A live preview in card coordinates (its badge texts are among ``lines()``)."""
    ops: list[Op] = [RectOp(Rect(0, 0, w, h), preview.fill, preview.border,
                            stroke(border_width), 4), *glyph_ops(preview.marker)]
    ops.extend(TextOp(t) for t in preview.lines())
    for b in preview.badges:
        ops.extend(badge_ops(b, 1.0, text=False))
    return ops


def detail_for(zoom: float) -> str:
    """The level of detail of a card at ``zoom``: "full", "title" or "block"."""
    return "full" if zoom >= LOD_BLOCKS else "title" if zoom >= LOD_TITLE else "block"


def draw_outline(p: QPainter, rect: QRectF, colour: QColor, zoom: float) -> None:
    """The selection (blue) or find (amber) ring around a card's rectangle."""
    pen = QPen(colour)
    pen.setWidthF(max(2.0, 2.0 / zoom))
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(rect.adjusted(-1.5, -1.5, 1.5, 1.5), 5, 5)


class CardItem(QGraphicsItem):
    """A card on the canvas, named by its id; never writes the model."""

    def __init__(self, box: CardBox) -> None:
        super().__init__()
        self.card_id = box.card_id
        self.box = box
        self.preview: CardText | None = None
        self.highlighted = False
        self.lifted = False
        self.layer: CardLayerLike | None = None  # the CardLayer that paints it, if any
        r = box.rect
        self.scene_rect = QRectF(r.x, r.y, r.w, r.h)
        self._bounds = QRectF(-3, -3, r.w + 6, r.h + 6)
        self._compiled: dict[str, list[Compiled]] = {}
        self._op_bounds: dict[str, list[QRectF]] = {}
        self.setFlags(_SELECTABLE)
        self.setZValue(CARD_Z)
        self.setPos(r.x, r.y)

    # ---------------------------------------------------------------- state
    def set_box(self, box: CardBox) -> None:
        """Take a new layout box (position, size, text)."""
        if box.rect.w != self.box.rect.w or box.rect.h != self.box.rect.h:
            self.prepareGeometryChange()
        self.box = box
        self.scene_rect = qrect(box.rect)
        self._compiled.clear()
        self._op_bounds.clear()
        self._resized()
        self.setPos(box.rect.x, box.rect.y)
        self.update()

    def set_preview(self, preview: CardText | None) -> None:
        """Paint ``preview`` (live text or score) instead of the box; None to stop."""
        self.prepareGeometryChange()
        self.preview = preview
        self._compiled.pop("preview", None)
        self._resized()
        self._own_paint_changed()
        self.update()

    def set_lifted(self, on: bool) -> None:
        """Paint itself (off its layer) while a gesture moves it, from a cached pixmap.

        The cache lives only while the card is lifted (exports never use the scene).
        """
        if on != self.lifted:
            self.lifted = on
            self.setCacheMode(_DEVICE_CACHE if on else _NO_CACHE)
            self._own_paint_changed()

    def set_layer(self, layer: CardLayerLike | None) -> None:
        """Be painted by ``layer`` (None: paint itself); the layer repaints itself."""
        if layer is not self.layer:
            self.layer = layer
            self.setFlags(_SELECTABLE if self.own_paint else _SELECTABLE_NO_CONTENTS)

    @property
    def own_paint(self) -> bool:
        """True when this item paints itself rather than being painted by its layer."""
        return self.layer is None or self.lifted or self.preview is not None

    def _own_paint_changed(self) -> None:
        self.setFlag(_NO_CONTENTS, not self.own_paint)
        self._layer_changed()

    def _layer_changed(self) -> None:
        if self.layer is not None:
            self.layer.card_changed(self)

    def set_highlighted(self, on: bool) -> None:
        """Mark the card as a find match."""
        if on != self.highlighted:
            self.highlighted = on
            self.update()
            self._layer_changed()

    def setOpacity(self, opacity: float) -> None:
        """Qt's setOpacity, and the layer that paints the card repaints it."""
        if opacity != self.opacity():
            super().setOpacity(opacity)
            self._layer_changed()

    def home(self) -> None:
        """Return to the laid-out position (after a cancelled drag)."""
        self.setPos(self.box.rect.x, self.box.rect.y)

    # ---------------------------------------------------------------- geometry
    def size(self) -> tuple[float, float]:
        """(width, height) as painted now."""
        if self.preview is not None:
            return self.preview.width, max(self.preview.height, self.box.rect.h)
        return self.box.rect.w, self.box.rect.h

    def _resized(self) -> None:
        w, h = self.size()
        self._bounds = QRectF(-3, -3, w + 6, h + 6)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def badge_rects(self) -> list[tuple[Badge, QRectF]]:
        """Badges with their rectangles in item coordinates."""
        r = self.box.rect
        return [(b, qrect(b.rect, -r.x, -r.y)) for b in self.box.badges]

    # ---------------------------------------------------------------- painting
    def source_ops(self, detail: str = "full") -> list[Op]:
        """The card's paint ops before compiling: in full detail exactly the poster's
        (:func:`app.layout.paint.card_ops`); zoomed out, its box and marker (and title)."""
        box = self.box
        if detail == "full":
            return box_ops(box)
        first = next(card_ops(box, 1.0))  # the same box (border, dash) as in full detail
        src: list[Op] = [first, *glyph_ops(box.marker)]
        if detail == "title" and box.title_lines:
            src.append(TextOp(box.title_lines[0]))
        return src

    def compiled(self, detail: str) -> list[Compiled]:
        """The card's ops for a level of detail ("full", "title", "block"), in scene units."""
        ops = self._compiled.get(detail)
        if ops is None:
            ops = self._compiled[detail] = compile_ops(self.source_ops(detail))
        return ops

    def paint_card(self, p: QPainter, zoom: float, dpi: float,
                   exposed: QRectF | None = None) -> None:
        """Draw the laid-out card in scene coordinates (the layer's painter).

        When ``exposed`` does not hold the whole card, only the ops that meet it are
        drawn (a card dragged across others repaints slivers of them).
        """
        detail = detail_for(zoom)
        ops = self.compiled(detail)
        if exposed is not None and not exposed.contains(self.scene_rect):
            bounds = self._op_bounds.get(detail)
            if bounds is None:
                bounds = self._op_bounds[detail] = [compiled_bounds(op) for op in ops]
            ops = [op for op, b in zip(ops, bounds, strict=True) if b.intersects(exposed)]
        opacity = self.opacity()
        if opacity < 1.0:
            was = p.opacity()
            p.setOpacity(was * opacity)
            run_ops(p, ops, dpi)
            self._outline(p, self.scene_rect, zoom)
            p.setOpacity(was)
            return
        run_ops(p, ops, dpi)
        self._outline(p, self.scene_rect, zoom)

    def _outline(self, p: QPainter, rect: QRectF, zoom: float) -> None:
        if self.highlighted or self.isSelected():
            draw_outline(p, rect, SELECTED if self.isSelected() else FOUND, zoom)

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        """Draw the card (or its preview) when it paints itself."""
        zoom = lod(p, option)
        dpi = device_dpi(p)
        if self.preview is None:
            r = self.box.rect
            p.translate(-r.x, -r.y)
            run_ops(p, self.compiled(detail_for(zoom)), dpi)
            self._outline(p, self.scene_rect, zoom)
            p.translate(r.x, r.y)
            return
        ops = self._compiled.get("preview")
        w, h = self.size()
        if ops is None:
            ops = self._compiled["preview"] = compile_ops(
                preview_ops(self.preview, w, h, self.box.border_width))
        run_ops(p, ops, dpi)
        self._outline(p, QRectF(0, 0, w, h), zoom)
