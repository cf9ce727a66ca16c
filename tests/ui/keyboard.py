"""Keys as a person types them: through the window, to whichever widget has the focus.

``QTest.keyClick(widget, ...)`` hands an event straight to one widget, so a test written
with it cannot see keyboard focus jumping to another widget (the lost-ideas bug of issue
16 hid exactly there). These helpers send every key to the window, through the same path
as a real keyboard: shortcuts first, then the focus widget, whichever it is.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWidget

NO = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def activate(qtbot, window: QWidget) -> None:
    """Make ``window`` the active window (keys go to it) and give the canvas the focus."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    window.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view, timeout=3000)


def _handle(window: QWidget):
    """The active window's handle; after a dialog closed, the window is made active again
    (as a window manager does; the offscreen platform leaves no window active)."""
    if QApplication.activeWindow() is None:
        window.window().activateWindow()
        for _ in range(100):
            QApplication.processEvents()
            if QApplication.activeWindow() is not None:
                break
    handle = QApplication.activeWindow() or window
    return handle.windowHandle()


def press(window: QWidget, key: Qt.Key, mods: Qt.KeyboardModifier = NO) -> None:
    """One key (with modifiers) through the active window."""
    QTest.keyClick(_handle(window), key, mods)


def _key_of(ch: str) -> tuple[Qt.Key, Qt.KeyboardModifier]:
    if ch.isascii() and ch.isalpha():
        return Qt.Key(ord(ch.upper())), SHIFT if ch.isupper() else NO
    if ch.isascii() and ch.isprintable():
        return Qt.Key(ord(ch)), NO
    return Qt.Key.Key_unknown, NO


def type_text(window: QWidget, text: str) -> None:
    """Type ``text`` key by key (any script: non-ASCII characters arrive as the text of a
    key, as a keyboard layout or compose key delivers them)."""
    for ch in text:
        key, mods = _key_of(ch)
        QTest.sendKeyEvent(QTest.KeyAction.Click, _handle(window), key, ch, mods)


def focus_widget() -> QWidget | None:
    """The widget that has the keyboard focus now."""
    return QApplication.focusWidget()


def answer_dialog(qtbot, button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """Answer the next message box with ``button`` when it opens; its text goes to ``seen``.

    Gives up after about three seconds (a test whose dialog never came fails on ``seen``),
    so no watcher outlives its test."""
    tries = [150]

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.button(button).click()
        elif tries[0] > 0:
            tries[0] -= 1
            QTimer.singleShot(20, answer)

    QTimer.singleShot(0, answer)


def choose_in_menu(text: str, seen: list[list[str]] | None = None) -> None:
    """Pick the entry ``text`` (without '&') of the next popup menu when it opens."""

    tries = [150]

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            if tries[0] > 0:
                tries[0] -= 1
                QTimer.singleShot(20, pick)
            return
        names = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
        if seen is not None:
            seen.append(names)
        for act in menu.actions():
            if act.text().replace("&", "") == text:
                menu.setActiveAction(act)
                QTest.keyClick(menu, Qt.Key.Key_Return)
                return
        menu.close()
        raise AssertionError(f"{text!r} is not in the menu: {names}")

    QTimer.singleShot(0, pick)


def click(qtbot, widget: QWidget, pos: QPoint | None = None,
          button: Qt.MouseButton = Qt.MouseButton.LeftButton) -> None:
    """A click as the mouse does it (press gives the widget the focus if it takes it)."""
    qtbot.mouseClick(widget, button, NO, pos if pos is not None else widget.rect().center())


def right_click(window: QWidget, widget: QWidget, pos: QPoint) -> None:
    """A right-click through the window system, which opens a context menu as a real
    mouse does (a click sent to the widget alone would not)."""
    top = window.window()
    QTest.mouseClick(top.windowHandle(), Qt.MouseButton.RightButton, NO,
                     widget.mapTo(top, pos))
