"""A tall panel in a scroll area, so it never makes the window taller than the screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QWidget


def scrolling(panel: QWidget) -> QScrollArea:
    """``panel`` in a scroll area, so a tall form does not make the window taller than a
    768-pixel laptop screen."""
    area = QScrollArea()
    area.setWidget(panel)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area
