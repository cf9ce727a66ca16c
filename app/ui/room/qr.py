"""The join QR code as a widget: painted from segno's module matrix at the largest whole
number of pixels per module that fits, so every module is crisp (no scaling blur, no
uneven modules) at any size, dark on white with its four-module quiet zone."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

QUIET = 4  # modules of white around the code (the QR standard's quiet zone)


class QrView(QWidget):
    """A QR code drawn crisp; ``module`` pixels per module preferred, ``smallest`` at least."""

    def __init__(self, code: Any, *, module: int = 5, smallest: int = 4,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix = [bytes(row) for row in code.matrix]
        self.module, self.smallest = module, smallest
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    @property
    def modules(self) -> int:
        """Modules across, quiet zone included."""
        return len(self.matrix) + 2 * QUIET

    def sizeHint(self) -> QSize:
        side = self.modules * self.module
        return QSize(side, side)

    def minimumSizeHint(self) -> QSize:
        side = self.modules * self.smallest
        return QSize(side, side)

    def scale(self) -> int:
        """Pixels per module at the widget's present size."""
        return max(1, min(self.width(), self.height()) // self.modules)

    def symbol(self) -> QRect:
        """Where the code (quiet zone included) is painted, in the widget's coordinates."""
        side = self.scale() * self.modules
        return QRect((self.width() - side) // 2, (self.height() - side) // 2, side, side)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        box = self.symbol()
        step = self.scale()
        painter.fillRect(box, QColor("white"))
        dark = QColor("black")
        x0, y0 = box.x() + QUIET * step, box.y() + QUIET * step
        for r, row in enumerate(self.matrix):
            c = 0
            while c < len(row):  # runs of dark modules as one rectangle each
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                painter.fillRect(x0 + start * step, y0 + r * step, (c - start) * step, step,
                                 dark)
        painter.end()

    def expand(self) -> None:
        """Grow with the space the layout gives (the full-screen join view)."""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.updateGeometry()

