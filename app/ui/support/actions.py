"""The window's actions (menus and toolbar) with platform shortcuts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

Std = QKeySequence.StandardKey


def make_action(parent: QWidget, text: str, slot: Callable[[], object] | None = None,
                shortcut: QKeySequence.StandardKey | str | None = None, tip: str = "",
                checkable: bool = False) -> QAction:
    """A QAction with a standard or literal shortcut."""
    act = QAction(text, parent)
    if isinstance(shortcut, QKeySequence.StandardKey):
        act.setShortcuts(QKeySequence.keyBindings(shortcut))
    elif shortcut:
        act.setShortcut(QKeySequence(shortcut))
    if tip:
        act.setStatusTip(tip)
    act.setCheckable(checkable)
    if slot is not None:
        if checkable:
            act.toggled.connect(lambda _on: slot())
        else:
            act.triggered.connect(lambda _checked=False: slot())
    return act


def disable_unless(can: dict[QAction, bool]) -> list[QAction]:
    """Disable the enabled actions whose value is False; returns them (the ones to enable
    again: an action disabled for another reason, a read-only file, stays so)."""
    off = [act for act, ok in can.items() if not ok and act.isEnabled()]
    for act in off:
        act.setEnabled(False)
    return off


def only_while_shown(menu: QMenu, disable: Callable[[], list[QAction]]) -> None:
    """Grey out ``menu``'s items that cannot work now while it is shown.

    ``disable`` disables what cannot work and returns those actions; they are enabled
    again when the menu closes, so their shortcuts keep answering (a shortcut with
    nothing to act on does nothing, or says why in the status bar).
    """
    off: list[QAction] = []

    def shown() -> None:
        off[:] = disable()

    def hidden() -> None:
        for act in off:
            act.setEnabled(True)
        off.clear()

    menu.aboutToShow.connect(shown)
    menu.aboutToHide.connect(hidden)
