"""The window's actions (menus and toolbar) with platform shortcuts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

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
