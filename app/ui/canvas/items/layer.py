"""CardLayer: one item per grid cell that paints all the cell's cards.

Painting a card per QGraphicsItem costs a Python call per card per repaint; at
10,000 cards fitted in the window that alone is over a second. A layer paints its
cell's cards in one call: only the cards that meet the exposed rectangle, each from
ops compiled once, and below ``FLAT_ZOOM`` as plain blocks drawn with one
``drawRects`` per colour (grouped once, until a card of the cell changes). Cards
that paint themselves (lifted by a drag, showing a preview) are skipped; see
:mod:`app.ui.canvas.items.card`.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.ui.canvas.items.card import CARD_Z, FLAT_ZOOM, FOUND, SELECTED, CardItem, draw_outline
from app.ui.canvas.items.painting import device_dpi, lod

_MARGIN = 4.0  # room for the selection ring


class CardLayer(QGraphicsItem):
    """Paints the cards of one cell (named by its (stage_id, lane_id))."""

    def __init__(self, key: tuple[int, int]) -> None:
        super().__init__()
        self.key = key
        self.cards: list[CardItem] = []
        self.rect = QRectF()
        #: Flat blocks: ((fill, border, opacity), rects) and the find matches; None = stale.
        self._flat: tuple[list[tuple[tuple[str, str, float], list[QRectF]]],
                          list[CardItem]] | None = None
        self.setZValue(CARD_Z - 0.5)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def set_cards(self, cards: list[CardItem]) -> None:
        """Paint these cards from now on."""
        if cards:
            rects = [it.box.rect for it in cards]
            x0 = min(r.x for r in rects)
            y0 = min(r.y for r in rects)
            x1 = max(r.x + r.w for r in rects)
            y1 = max(r.y + r.h for r in rects)
            rect = QRectF(x0 - _MARGIN, y0 - _MARGIN, x1 - x0 + 2 * _MARGIN,
                          y1 - y0 + 2 * _MARGIN)
        else:
            rect = QRectF()
        self.prepareGeometryChange()
        self.cards = cards
        self.rect = rect
        self._flat = None
        for it in cards:
            it.set_layer(self)
        self.update()

    def card_changed(self, card: CardItem) -> None:
        """A card's look changed (own paint, opacity, find mark): repaint it."""
        self._flat = None
        self.update(card.scene_rect.adjusted(-_MARGIN, -_MARGIN, _MARGIN, _MARGIN))

    def boundingRect(self) -> QRectF:
        return self.rect

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        """Draw the cards that meet the exposed area, at the painter's level of detail."""
        zoom = lod(p, option)
        if zoom < FLAT_ZOOM:
            self._paint_flat(p, zoom)
            return
        exposed = option.exposedRect
        if not exposed.isValid():
            exposed = self.rect
        dpi = device_dpi(p)
        grown = exposed.adjusted(-_MARGIN, -_MARGIN, _MARGIN, _MARGIN)
        for it in self.cards:
            if not it.own_paint and it.scene_rect.intersects(grown):
                it.paint_card(p, zoom, dpi, grown)

    def _groups(self) -> tuple[list[tuple[tuple[str, str, float], list[QRectF]]],
                               list[CardItem]]:
        if self._flat is None:
            groups: dict[tuple[str, str, float], list[QRectF]] = {}
            found: list[CardItem] = []
            for it in self.cards:
                if it.own_paint:
                    continue
                box = it.box
                groups.setdefault((box.fill, box.border, it.opacity()), []).append(it.scene_rect)
                if it.highlighted:
                    found.append(it)
            self._flat = (list(groups.items()), found)
        return self._flat

    def _paint_flat(self, p: QPainter, zoom: float) -> None:
        groups, found = self._groups()
        hairline = 1.0 / zoom
        was = p.opacity()
        for (fill, border, opacity), rects in groups:
            pen = QPen(QColor(border))
            pen.setWidthF(hairline)
            p.setPen(pen)
            p.setBrush(QColor(fill))
            if opacity != 1.0:
                p.setOpacity(was * opacity)
            p.drawRects(rects)
        p.setOpacity(was)
        for it in found:
            if not it.isSelected():
                draw_outline(p, it.scene_rect, FOUND, zoom)
        scene = self.scene()
        chosen = scene.selected_in(self) if hasattr(scene, "selected_in") else \
            [it for it in self.cards if it.isSelected()]
        for it in chosen:
            if not it.own_paint:
                draw_outline(p, it.scene_rect, SELECTED, zoom)
