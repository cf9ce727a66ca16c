"""Stage headers and lane labels: draggable to reorder, double-click to rename."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.export.qtpaint import _brush, _pen
from app.layout.boxes import LaneLabel, StageHeader
from app.ui.items.painting import draw_glyph, draw_text

AXIS_Z = 20.0


class StageHeaderItem(QGraphicsItem):
    """A stage column's header, named by the stage id."""

    def __init__(self, header: StageHeader) -> None:
        super().__init__()
        self.stage_id = header.stage_id
        self.header = header
        self.setZValue(AXIS_Z)
        self.setPos(header.rect.x, header.rect.y)

    def set_header(self, header: StageHeader) -> None:
        """Take a new layout box."""
        self.prepareGeometryChange()
        self.header = header
        self.setPos(header.rect.x, header.rect.y)
        self.update()

    def home(self) -> None:
        """Back to the laid-out position."""
        self.setPos(self.header.rect.x, self.header.rect.y)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.header.rect.w, self.header.rect.h)

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        """Draw the header box and its centred name."""
        r = self.header.rect
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(_pen(None, 0))
        p.setBrush(_brush(self.header.fill))
        p.drawRoundedRect(QRectF(1, 0, r.w - 2, r.h), 3, 3)
        for t in self.header.lines:
            draw_text(p, t, -r.x, -r.y)


class LaneLabelItem(QGraphicsItem):
    """A lane's label cell, named by the lane id."""

    def __init__(self, label: LaneLabel) -> None:
        super().__init__()
        self.lane_id = label.lane_id
        self.label = label
        self.setZValue(AXIS_Z)
        self.setPos(label.rect.x, label.rect.y)

    def set_label(self, label: LaneLabel) -> None:
        """Take a new layout box."""
        self.prepareGeometryChange()
        self.label = label
        self.setPos(label.rect.x, label.rect.y)
        self.update()

    def home(self) -> None:
        """Back to the laid-out position."""
        self.setPos(self.label.rect.x, self.label.rect.y)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.label.rect.w, self.label.rect.h)

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        """Draw the label cell, kind marker and name."""
        r = self.label.rect
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(_pen(None, 0))
        p.setBrush(_brush(self.label.fill))
        p.drawRect(QRectF(0, 0, r.w, r.h))
        if self.label.marker is not None:
            draw_glyph(p, self.label.marker, -r.x, -r.y)
        for t in self.label.lines:
            draw_text(p, t, -r.x, -r.y)
