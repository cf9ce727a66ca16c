"""Clusters (affinity groups) on the canvas: a dashed frame around a group's cards in each
cell they fill, with the group's label on a tab at its top edge.

Drawn over the laid-out cards after every refresh (the frames follow the layout); the
label tab sits in the gap above the first card, over the card's top padding, never over
its text. Double-clicking the tab renames the group.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.ui.canvas.scene import MapScene

FRAME_Z = 36.0  # under the cards, over the cells and the cursor's fill
LABEL_Z = 46.0  # over the cards' top edge
COLOUR = QColor("#6f42c1")
PAD = 4.0


class ClusterOutline(QGraphicsItem):
    """The dashed frames of one group (one rectangle per cell it fills)."""

    def __init__(self, rects: list[QRectF]) -> None:
        super().__init__()
        self.rects = rects
        self.setZValue(FRAME_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        out = QRectF()
        for r in self.rects:
            out = out.united(r)
        return out.adjusted(-2, -2, 2, 2)

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        pen = QPen(COLOUR)
        pen.setWidthF(1.6)
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        p.setPen(pen)
        fill = QColor(COLOUR)
        fill.setAlpha(18)
        p.setBrush(fill)
        for r in self.rects:
            p.drawRoundedRect(r, 6, 6)


class ClusterLabelItem(QGraphicsItem):
    """The label tab of a group, at the top-left of its first frame."""

    def __init__(self, cluster_id: int, label: str, at: QRectF, size: float) -> None:
        super().__init__()
        self.cluster_id = cluster_id
        self.label = label
        self.font = QFont()
        self.font.setPointSizeF(size)
        self.font.setBold(True)
        metrics = QFontMetricsF(self.font)
        w = min(metrics.horizontalAdvance(label) + 12, max(40.0, at.width() - 12))
        h = metrics.height() + 2
        self.rect = QRectF(at.x() + 6, at.y() - h / 2, w, h)
        self.setZValue(LABEL_Z)
        self.setToolTip(label)

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-1, -1, 1, 1)

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        path = QPainterPath()
        path.addRoundedRect(self.rect, self.rect.height() / 2, self.rect.height() / 2)
        p.fillPath(path, COLOUR)
        p.setPen(QColor("#ffffff"))
        p.setFont(self.font)
        text = QFontMetricsF(self.font).elidedText(self.label, Qt.TextElideMode.ElideRight,
                                                   self.rect.width() - 10)
        p.drawText(self.rect, Qt.AlignmentFlag.AlignCenter, text)


class ClusterFrame:
    """A group's outline and label tab (kept referenced while they are in the scene)."""

    def __init__(self, scene: MapScene, cluster_id: int, label: str,
                 rects: list[QRectF]) -> None:
        self.scene = scene
        self.label = label
        self.outline = ClusterOutline(rects)
        self.tab = ClusterLabelItem(cluster_id, label, rects[0],
                                    max(7.0, scene.style.body_pt * 0.8))
        scene.addItem(self.outline)
        scene.addItem(self.tab)

    def isVisible(self) -> bool:
        """True while the frame is on the canvas."""
        return self.outline.scene() is not None and self.outline.isVisible()

    def remove(self) -> None:
        """Take the frame off the canvas."""
        for item in (self.outline, self.tab):
            if item.scene() is not None:
                item.scene().removeItem(item)


class ClusterFrames:
    """Every group's frame on one canvas, rebuilt when the layout changes."""

    def __init__(self, scene: MapScene) -> None:
        self.scene = scene
        self.frames: dict[int, ClusterFrame] = {}
        self._key: tuple | None = None
        scene.refreshed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Frames for the groups of the map shown, where their cards are now."""
        lay = self.scene.layout
        data = self.scene.doc.data
        runs: dict[int, list[QRectF]] = {}
        if lay is not None and data.clusters:
            cells: dict[tuple[int, int, int, int], QRectF] = {}
            for box in lay.cards.values():
                card = data.cards.get(box.card_id)
                if card is None or card.cluster_id is None:
                    continue
                r = box.rect
                rect = QRectF(r.x - PAD, r.y - PAD, r.w + 2 * PAD, r.h + 2 * PAD)
                # one frame per row of the cell: a bounding box over two rows would
                # take in the cards of the row that are not in the group
                key = (card.cluster_id, box.stage_id, box.lane_id, round(r.y))
                cells[key] = cells[key].united(rect) if key in cells else rect
            for (cid, _s, _l, _y), rect in sorted(cells.items(), key=lambda kv: (
                    kv[0][0], kv[1].y(), kv[1].x())):
                runs.setdefault(cid, []).append(rect)
        key = tuple(sorted((cid, data.clusters[cid].label, tuple(
            (r.x(), r.y(), r.width(), r.height()) for r in rects))
            for cid, rects in runs.items()))
        if key == self._key:
            return
        self._key = key
        for frame in self.frames.values():
            frame.remove()
        self.frames = {cid: ClusterFrame(self.scene, cid, data.clusters[cid].label, rects)
                       for cid, rects in runs.items()}

    def label_at(self, items: list) -> ClusterLabelItem | None:
        """The label tab among ``items`` (under the mouse), if any."""
        return next((it for it in items if isinstance(it, ClusterLabelItem)), None)
