"""CardItem: one card, painted from its pre-laid-out CardBox (no QGraphicsTextItem).

Zoomed far out (under ~35 % on screen) a card is drawn as a coloured block with
its title only, so a map of thousands of cards stays smooth. While the user
edits text or drags the emotion score, a *preview* (``CardText`` from
``layout_card_text``) is painted instead, wrapping exactly as the map will.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.export.qtpaint import _brush, _pen
from app.layout.boxes import Badge, CardBox, TextLine
from app.layout.cardtext import CardText
from app.ui.items.painting import draw_glyph, draw_text, lod, qrect

CARD_Z = 40.0
LOD_BLOCKS = 0.35  # below this zoom, coloured blocks + titles


class CardItem(QGraphicsItem):
    """A card on the canvas, named by its id; never writes the model."""

    def __init__(self, box: CardBox) -> None:
        super().__init__()
        self.card_id = box.card_id
        self.box = box
        self.preview: CardText | None = None
        self.highlighted = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setZValue(CARD_Z)
        self.setAcceptHoverEvents(False)
        self.setPos(box.rect.x, box.rect.y)

    # ---------------------------------------------------------------- state
    def set_box(self, box: CardBox) -> None:
        """Take a new layout box (position, size, text)."""
        if box.rect.w != self.box.rect.w or box.rect.h != self.box.rect.h:
            self.prepareGeometryChange()
        self.box = box
        self.setPos(box.rect.x, box.rect.y)
        self.update()

    def set_preview(self, preview: CardText | None) -> None:
        """Paint ``preview`` (live text or score) instead of the box; None to stop."""
        self.prepareGeometryChange()
        self.preview = preview
        self.update()

    def set_highlighted(self, on: bool) -> None:
        """Mark the card as a find match."""
        if on != self.highlighted:
            self.highlighted = on
            self.update()

    def home(self) -> None:
        """Return to the laid-out position (after a cancelled drag)."""
        self.setPos(self.box.rect.x, self.box.rect.y)

    # ---------------------------------------------------------------- geometry
    def size(self) -> tuple[float, float]:
        """(width, height) as painted now."""
        if self.preview is not None:
            return self.preview.width, max(self.preview.height, self.box.rect.h)
        return self.box.rect.w, self.box.rect.h

    def boundingRect(self) -> QRectF:
        w, h = self.size()
        return QRectF(-3, -3, w + 6, h + 6)

    def badge_rects(self) -> list[tuple[Badge, QRectF]]:
        """Badges with their rectangles in item coordinates."""
        r = self.box.rect
        return [(b, qrect(b.rect, -r.x, -r.y)) for b in self.box.badges]

    # ---------------------------------------------------------------- painting
    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        """Draw the card (or its preview)."""
        w, h = self.size()
        zoom = lod(p)
        fill = self.preview.fill if self.preview else self.box.fill
        border = self.preview.border if self.preview else self.box.border
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(_pen(border, self.box.border_width, self.box.border_dash))
        p.setBrush(_brush(fill))
        p.drawRoundedRect(QRectF(0, 0, w, h), 4, 4)
        if zoom < LOD_BLOCKS:
            self._paint_block(p, w, h, zoom)
        elif self.preview is not None:
            self._paint_text(p, self.preview.marker, self.preview.lines(), self.preview.badges,
                             0.0, 0.0)
        else:
            r = self.box.rect
            self._paint_text(p, self.box.marker,
                             self.box.title_lines + self.box.body_lines, (), -r.x, -r.y)
            for b in self.box.badges:
                self._paint_badge(p, b, -r.x, -r.y)
        if self.isSelected() or self.highlighted:
            colour = "#1f6feb" if self.isSelected() else "#e3a008"
            pen = QPen(QColor(colour))
            pen.setWidthF(max(2.0, 2.0 / zoom))
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(QRectF(-1.5, -1.5, w + 3, h + 3), 5, 5)

    def _paint_text(self, p: QPainter, marker, lines: tuple[TextLine, ...],
                    badges: tuple[Badge, ...], dx: float, dy: float) -> None:
        draw_glyph(p, marker, dx, dy)
        for t in lines:
            draw_text(p, t, dx, dy)
        for b in badges:
            self._paint_badge(p, b, dx, dy, text=False)

    def _paint_badge(self, p: QPainter, b: Badge, dx: float, dy: float,
                     text: bool = True) -> None:
        p.setPen(_pen(b.border, 0.5 if b.border else 0))
        p.setBrush(_brush(b.fill))
        p.drawRoundedRect(qrect(b.rect, dx, dy), b.rect.h / 2, b.rect.h / 2)
        if b.glyph is not None:
            draw_glyph(p, b.glyph, dx, dy)
        if text and b.text is not None:
            draw_text(p, b.text, dx, dy)

    def _paint_block(self, p: QPainter, w: float, h: float, zoom: float) -> None:
        r = self.box.rect
        draw_glyph(p, self.box.marker, -r.x, -r.y)
        if zoom < 0.08 or not self.box.title_lines:
            return
        first = self.box.title_lines[0]
        draw_text(p, first, -r.x, -r.y)
