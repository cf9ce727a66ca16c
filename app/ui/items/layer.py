"""CardLayer: one item per grid cell that paints all the cell's cards.

Painting a card per QGraphicsItem costs a Python call per card per repaint; at
10,000 cards fitted in the window that alone is over a second. A layer paints its
cell's cards in one call: only the cards that meet the exposed rectangle, each from
ops compiled once, and below ``FLAT_ZOOM`` as plain blocks drawn with one
``drawRects`` per colour. Cards that paint themselves (lifted by a drag, showing a
preview) are skipped; see :mod:`app.ui.items.card`.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.ui.items.card import CARD_Z, FLAT_ZOOM, FOUND, SELECTED, CardItem, draw_outline
from app.ui.items.painting import device_dpi, lod

_MARGIN = 4.0  # room for the selection ring


class CardLayer(QGraphicsItem):
    """Paints the cards of one cell (named by its (stage_id, lane_id))."""

    def __init__(self, key: tuple[int, int]) -> None:
        super().__init__()
        self.key = key
        self.cards: list[CardItem] = []
        self.rect = QRectF()
        self.setZValue(CARD_Z - 0.5)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def set_cards(self, cards: list[CardItem]) -> None:
        """Paint these cards from now on."""
        rect = QRectF()
        for it in cards:
            rect = rect.united(it.scene_rect)
        self.prepareGeometryChange()
        self.cards = cards
        self.rect = rect.adjusted(-_MARGIN, -_MARGIN, _MARGIN, _MARGIN) if cards else rect
        for it in cards:
            it.set_layer(self)
        self.update()

    def boundingRect(self) -> QRectF:
        return self.rect

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        """Draw the cards that meet the exposed area, at the painter's level of detail."""
        zoom = lod(p, option)
        exposed = option.exposedRect
        if not exposed.isValid():
            exposed = self.rect
        if zoom < FLAT_ZOOM:
            self._paint_flat(p, zoom)
            return
        dpi = device_dpi(p)
        grown = exposed.adjusted(-_MARGIN, -_MARGIN, _MARGIN, _MARGIN)
        for it in self.cards:
            if not it.own_paint and it.scene_rect.intersects(grown) and it.isVisible():
                it.paint_card(p, zoom, dpi)

    def _paint_flat(self, p: QPainter, zoom: float) -> None:
        groups: dict[tuple[str, str, float], list[QRectF]] = {}
        marked: list[CardItem] = []
        for it in self.cards:
            if it.own_paint or not it.isVisible():
                continue
            box = it.box
            groups.setdefault((box.fill, box.border, it.opacity()), []).append(it.scene_rect)
            if it.highlighted or it.isSelected():
                marked.append(it)
        hairline = 1.0 / zoom
        was = p.opacity()
        for (fill, border, opacity), rects in groups.items():
            pen = QPen(QColor(border))
            pen.setWidthF(hairline)
            p.setPen(pen)
            p.setBrush(QColor(fill))
            p.setOpacity(was * opacity)
            p.drawRects(rects)
        p.setOpacity(was)
        for it in marked:
            draw_outline(p, it.scene_rect, SELECTED if it.isSelected() else FOUND, zoom)
