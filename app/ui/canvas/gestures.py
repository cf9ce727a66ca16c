"""One small state machine per canvas gesture; each issues one command on release.

A gesture starts when the mouse has moved a few pixels after a press; while it
runs, items move live on the canvas (never the model) and a drop indicator
shows where things will land. ``release`` returns the command to execute (or
None), and the view executes it: one gesture, one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem

from app.layout import layout_card_text
from app.model import commands as C
from app.model.commands import Command
from app.model.schema import CardKind
from app.ui.canvas.items.axes import LaneLabelItem, StageHeaderItem
from app.ui.canvas.items.card import CardItem
from app.ui.canvas.scene import MapScene

INDICATOR = "#1f6feb"
SCORE_STEP = 14.0  # scene points of vertical drag per emotion step


class DropIndicator:
    """A thick blue bar showing where a drop will land (kept alive with the scene)."""

    def __init__(self, scene: MapScene) -> None:
        self.item = QGraphicsRectItem()
        self.item.setBrush(QBrush(QColor(INDICATOR)))
        self.item.setPen(QPen(QColor(INDICATOR)))
        self.item.setZValue(100)
        self.item.setVisible(False)
        scene.addItem(self.item)
        self.scene = scene

    def show(self, rect: QRectF) -> None:
        """Place the bar."""
        if rect != self.item.rect():
            self.item.setRect(rect)
        self.item.setVisible(True)

    def hide(self) -> None:
        """Remove the bar from view."""
        self.item.setVisible(False)

    def dispose(self) -> None:
        """Take the bar off the scene."""
        if self.item.scene() is not None:
            self.scene.removeItem(self.item)


def card_slot(scene: MapScene, pos: QPointF, skip: set[int]) -> tuple[int, int, int] | None:
    """(stage_id, lane_id, index) for a card dropped at ``pos``, or None outside the grid."""
    cell = scene.cell_at(pos.x(), pos.y())
    if cell is None:
        return None
    return (*cell, scene.insert_index(*cell, pos.x(), pos.y(), skip))


def slot_rect(scene: MapScene, stage_id: int, lane_id: int, index: int,
              skip: set[int]) -> QRectF:
    """Where the drop indicator goes for a card slot."""
    lay = scene.layout
    cell = scene.cell_rect(stage_id, lane_id)
    assert lay is not None and cell is not None
    cards = [c for c in scene.cell_card_ids(stage_id, lane_id) if c not in skip]
    boxes = [lay.cards[c].rect for c in cards if c in lay.cards]
    if index < len(boxes):
        r = boxes[index]
        return QRectF(r.x, r.y - 4, r.w, 3)
    if boxes:
        r = boxes[-1]
        return QRectF(r.x, r.bottom + 2, r.w, 3)
    w = scene.style.em(scene.style.card_width_em)
    return QRectF(cell.x + 6, cell.y + 4, min(w, cell.w - 12), 3)


class Gesture:
    """Base: a press-drag-release interaction on the canvas."""

    def __init__(self, scene: MapScene, start: QPointF) -> None:
        self.scene = scene
        self.start = start
        self.indicator = DropIndicator(scene)
        scene.set_still_cache(True)  # what moves repaints; what is under it is copied

    def move(self, pos: QPointF) -> None:
        """The mouse moved (scene coordinates)."""

    def release(self, pos: QPointF) -> Command | None:
        """The button was released: the command to run, or None."""
        self.finish()
        return None

    def finish(self) -> None:
        """Clean up the live feedback."""
        self.indicator.dispose()
        self.scene.set_still_cache(False)


class MoveCardsGesture(Gesture):
    """Drag selected cards to another cell or position: one MoveCards."""

    def __init__(self, scene: MapScene, start: QPointF, ids: list[int]) -> None:
        super().__init__(scene, start)
        self.ids = ids
        self.skip = set(ids)
        self.items = [scene.cards[i] for i in ids if i in scene.cards]
        self.homes = [it.pos() for it in self.items]
        for it in self.items:
            it.set_lifted(True)
            it.setZValue(90)
            it.setOpacity(0.8)
        self.slot: tuple[int, int, int] | None = None

    def move(self, pos: QPointF) -> None:
        """Move the cards with the mouse and show the slot."""
        delta = pos - self.start
        for it, home in zip(self.items, self.homes, strict=True):
            it.setPos(home + delta)
        slot = card_slot(self.scene, pos, self.skip)
        if slot == self.slot and slot is not None:
            return
        self.slot = slot
        if slot is None:
            self.indicator.hide()
        else:
            self.indicator.show(slot_rect(self.scene, *slot, self.skip))

    def release(self, pos: QPointF) -> Command | None:
        """MoveCards to the slot under the mouse."""
        self.move(pos)
        self.finish()
        if self.slot is None:
            return None
        stage_id, lane_id, index = self.slot
        return C.MoveCards([(cid, stage_id, lane_id, index + i)
                            for i, cid in enumerate(self.ids)])

    def finish(self) -> None:
        """Put the cards back where the layout has them."""
        for it in self.items:
            it.setZValue(40)
            it.setOpacity(1.0)
            it.home()
            it.set_lifted(False)
        super().finish()


class MoveAxisGesture(Gesture):
    """Drag a stage header (horizontally) or a lane label (vertically) to reorder."""

    def __init__(self, scene: MapScene, start: QPointF,
                 item: StageHeaderItem | LaneLabelItem) -> None:
        super().__init__(scene, start)
        self.item = item
        self.is_stage = isinstance(item, StageHeaderItem)
        self.home = item.pos()
        item.setZValue(95)
        self.gap: int | None = None

    def move(self, pos: QPointF) -> None:
        """Slide the header and show the gap it would take."""
        lay = self.scene.layout
        assert lay is not None
        if self.is_stage:
            self.item.setPos(self.home.x() + pos.x() - self.start.x(), self.home.y())
            self.gap = self.scene.stage_index_at(pos.x())
            cols = [s.column for s in lay.stages]
            x = cols[self.gap].x if self.gap < len(cols) else cols[-1].right
            top = lay.stages[0].rect.y
            self.indicator.show(QRectF(x - 2, top, 4, cols[0].bottom - top))
        else:
            self.item.setPos(self.home.x(), self.home.y() + pos.y() - self.start.y())
            self.gap = self.scene.lane_index_at(pos.y())
            rows = [ln.row for ln in lay.lanes]
            y = rows[self.gap].y if self.gap < len(rows) else rows[-1].bottom
            self.indicator.show(QRectF(rows[0].x, y - 2, rows[0].w, 4))

    def release(self, pos: QPointF) -> Command | None:
        """MoveStage / MoveLane to the gap under the mouse."""
        self.move(pos)
        self.finish()
        lay = self.scene.layout
        assert lay is not None and self.gap is not None
        if isinstance(self.item, StageHeaderItem):
            order = [s.stage_id for s in lay.stages]
            row_id = self.item.stage_id
        else:
            order = [ln.lane_id for ln in lay.lanes]
            row_id = self.item.lane_id
        current = order.index(row_id)
        index = self.gap - 1 if self.gap > current else self.gap
        if index == current:
            return None
        cls = C.MoveStage if self.is_stage else C.MoveLane
        return cls(row_id, index)

    def finish(self) -> None:
        """Put the header back."""
        self.item.setZValue(20)
        self.item.home()
        super().finish()


class ScoreGesture(Gesture):
    """Drag an emotion card's score chip up or down: -2..+2 in steps, one UpdateCard."""

    def __init__(self, scene: MapScene, start: QPointF, item: CardItem) -> None:
        super().__init__(scene, start)
        self.item = item
        self.card = scene.doc.data.cards[item.card_id]
        self.start_score = self.card.emotion or 0
        self.score = self.card.emotion

    def move(self, pos: QPointF) -> None:
        """Snap the score to the drag distance and preview it on the card."""
        steps = round((self.start.y() - pos.y()) / SCORE_STEP)
        self.score = max(-2, min(2, self.start_score + steps))
        shown = self.card.model_copy(update={"emotion": self.score})
        with self.scene.measuring():
            self.item.set_preview(layout_card_text(shown, self.item.box.rect.w,
                                                   self.scene.style))

    def release(self, pos: QPointF) -> Command | None:
        """UpdateCard(emotion) when the score changed."""
        self.move(pos)
        self.finish()
        if self.score == self.card.emotion:
            return None
        return C.UpdateCard(self.card.id, {"emotion": self.score})

    def finish(self) -> None:
        """Drop the preview."""
        self.item.set_preview(None)
        super().finish()


class LinkGesture(Gesture):
    """Draw a connector from one card to another: one AddLink."""

    def __init__(self, scene: MapScene, start: QPointF, item: CardItem) -> None:
        super().__init__(scene, start)
        self.source = item.card_id
        r = item.box.rect
        self.origin = QPointF(r.cx, r.cy)
        self.line = QGraphicsLineItem(QLineF(self.origin, start))
        pen = QPen(QColor(INDICATOR))
        pen.setWidthF(2.0)
        self.line.setPen(pen)
        self.line.setZValue(100)
        scene.addItem(self.line)
        self.target: int | None = None

    def move(self, pos: QPointF) -> None:
        """Stretch the line and highlight the card under the mouse."""
        self.line.setLine(QLineF(self.origin, pos))
        self.target = None
        for it in self.scene.items(pos):
            if isinstance(it, CardItem) and it.card_id != self.source:
                self.target = it.card_id
                r = it.box.rect
                self.indicator.show(QRectF(r.x - 3, r.bottom + 1, r.w + 6, 3))
                break
        else:
            self.indicator.hide()

    def release(self, pos: QPointF) -> Command | None:
        """AddLink to the card under the mouse."""
        self.move(pos)
        self.finish()
        return C.AddLink(self.source, self.target) if self.target is not None else None

    def finish(self) -> None:
        """Remove the rubber line."""
        if self.line.scene() is not None:
            self.scene.removeItem(self.line)
        super().finish()


def is_score_handle(item: CardItem, local: QPointF, kind: CardKind) -> bool:
    """True when a press at ``local`` (item coordinates) grabs an emotion card's score chip."""
    if kind != CardKind.EMOTION:
        return False
    for badge, rect in item.badge_rects():
        if badge.kind == "emotion" and rect.adjusted(-3, -3, 3, 3).contains(local):
            return True
    m = item.box.marker
    r = item.box.rect
    size = m.size
    return QRectF(m.cx - r.x - size, m.cy - r.y - size, 2 * size, 2 * size).contains(local)
