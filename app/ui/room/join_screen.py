"""Show Join Code: the join QR code, the short address and the room code filling the
screen the window is on (the projector, when the laptop's screen is mirrored or the
window sits on it), big enough to scan and read from the back of the room; Esc, a
click or the shortcut again goes back."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.room.room import Room
from app.ui.room.qr import QrView


class JoinScreen(QWidget):
    """A full-screen window with what participants need to join, and how many have."""

    def __init__(self, room: Room, parent: QWidget | None = None, *,
                 on_leave: Callable[[], None] | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.room = room
        self.on_leave = on_leave
        self.setObjectName("room-join-screen")
        self.setWindowTitle(self.tr("Join the room"))
        self.setAccessibleName(self.tr("Join the room"))
        palette = self.palette()  # dark on white whatever the theme: the QR code needs it
        palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.white)
        palette.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.black)
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.qr = QrView(room.qr(), module=8, smallest=4)
        self.qr.setAccessibleName(self.tr("Join QR code"))
        self.qr.expand()
        self.address = QLabel(room.short_url)
        self.code = QLabel(self.tr("Room code: {0}").format(room.code))
        self.check = QLabel(self.tr("Room check: {0}").format(room.fingerprint))
        self.counts = QLabel()
        self.hint = QLabel(self.tr("Scan the code, or type the address and the room code · "
                                   "Esc or a click to go back"))
        for label in (self.address, self.code, self.check, self.counts, self.hint):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(self.qr, 1)
        for label in (self.address, self.code, self.check, self.counts, self.hint):
            layout.addWidget(label)
        self.refresh()

    def refresh(self) -> None:
        """How many are in the room."""
        people = sum(1 for p in self.room.host.people() if not p.removed)
        self.counts.setText(self.tr("{0} in the room").format(people))

    def present(self) -> None:
        """Fill the screen of the window it belongs to, in front, with the keyboard."""
        owner = self.parentWidget()
        screen = owner.screen() if owner is not None else None
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
            self._fit_text(screen.geometry().width(), screen.geometry().height())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.setFocus()

    def _fit_text(self, width: int, height: int) -> None:
        """Letters sized to the screen, the address and code readable at the back (a
        fourteenth of its height, smaller only if the address would not fit across)."""
        for label, share, bold in ((self.address, 14, True), (self.code, 14, True),
                                   (self.check, 30, False), (self.counts, 30, False),
                                   (self.hint, 40, False)):
            font = QFont(label.font())
            font.setBold(bold)
            size = max(12, height // share)
            font.setPixelSize(size)
            across = QFontMetrics(font).horizontalAdvance(label.text())
            if across > width * 0.9:
                font.setPixelSize(max(12, int(size * width * 0.9 / across)))
            label.setFont(font)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        again = event.keyCombination() == QKeyCombination(  # Show Join Code's shortcut
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
            Qt.Key.Key_J)
        if again or event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Q):
            self.leave()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.leave()

    def leave(self) -> None:
        """Back to the editor (its window in front with the keyboard again)."""
        self.close()
        owner = self.parentWidget()
        if owner is not None:
            owner.activateWindow()
        if self.on_leave is not None:
            self.on_leave()
