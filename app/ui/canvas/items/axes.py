"""Stage headers and lane labels: draggable to reorder, double-click to rename."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.layout.boxes import LaneLabel, Rect, StageHeader
from app.layout.paint import Op, RectOp, TextOp, glyph_ops
from app.render.qtpaint import Compiled, compile_ops
from app.ui.canvas.items.painting import run_compiled

AXIS_Z = 20.0


class StageHeaderItem(QGraphicsItem):
    """A stage column's header, named by the stage id."""

    def __init__(self, header: StageHeader) -> None:
        super().__init__()
        self.stage_id = header.stage_id
        self.header = header
        self._ops: list[Compiled] | None = None
        self.setZValue(AXIS_Z)
        self.setPos(header.rect.x, header.rect.y)

    def set_header(self, header: StageHeader) -> None:
        """Take a new layout box."""
        self.prepareGeometryChange()
        self.header = header
        self._ops = None
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
        if self._ops is None:
            r = self.header.rect
            ops: list[Op] = [RectOp(Rect(r.x + 1, r.y, r.w - 2, r.h), self.header.fill, None,
                                    0, 3)]
            ops.extend(TextOp(t) for t in self.header.lines)
            self._ops = compile_ops(ops, -r.x, -r.y)
        run_compiled(p, self._ops)


class LaneLabelItem(QGraphicsItem):
    """A lane's label cell, named by the lane id."""

    def __init__(self, label: LaneLabel) -> None:
        super().__init__()
        self.lane_id = label.lane_id
        self.label = label
        self._ops: list[Compiled] | None = None
        self.setZValue(AXIS_Z)
        self.setPos(label.rect.x, label.rect.y)

    def set_label(self, label: LaneLabel) -> None:
        """Take a new layout box."""
        self.prepareGeometryChange()
        self.label = label
        self._ops = None
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
        if self._ops is None:
            r = self.label.rect
            ops: list[Op] = [RectOp(r, self.label.fill, None)]
            if self.label.marker is not None:
                ops.extend(glyph_ops(self.label.marker))
            ops.extend(TextOp(t) for t in self.label.lines)
            self._ops = compile_ops(ops, -r.x, -r.y)
        run_compiled(p, self._ops)
