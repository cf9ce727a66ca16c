"""Windows no taller than the screen: a tall panel in a scroll area, a dialog fitted to
the screen it opens on (a 768-pixel laptop screen included)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QScrollArea, QWidget

#: Room left around a fitted window for its frame, title bar and a panel of the desktop.
SCREEN_MARGIN = (24, 64)


def scrolling(panel: QWidget) -> QScrollArea:
    """``panel`` in a scroll area, so a tall form does not make the window taller than a
    768-pixel laptop screen."""
    area = QScrollArea()
    area.setWidget(panel)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize ``window`` to ``width`` x ``height``, or less where the screen it opens on
    (its parent's) has less room, so its buttons are never below the screen's edge."""
    holder = window.parentWidget() or window
    screen = holder.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, room.width() - SCREEN_MARGIN[0])
        height = min(height, room.height() - SCREEN_MARGIN[1])
    window.resize(width, height)
