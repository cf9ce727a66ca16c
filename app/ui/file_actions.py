"""File > Import… (Ctrl+I) and File > Export… (Ctrl+E), and file drops, added to a MainWindow.

Kept out of window.py so the window only calls :func:`install_file_actions` once; the
actions go into the File menu just above Close.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from app.ui.drops import FileDrops


def install_file_actions(window: Any) -> None:
    """Give ``window`` its import/export actions (``act_import``, ``act_export``) and drops."""
    window.act_import = _action(window, window.tr("&Import…"), "Ctrl+I",
                                window.tr("Bring in a CSV, Excel, JSON or Mermaid file, "
                                          "with a preview"),
                                lambda: window.import_file())
    window.act_export = _action(window, window.tr("&Export…"), "Ctrl+E",
                                window.tr("Export the map as a PDF, PNG or SVG poster, "
                                          "or its data as CSV, Excel, JSON or Mermaid"),
                                window.export_map)
    file_menu = next((m for m in window.act_close.associatedObjects()
                      if isinstance(m, QMenu)), None)  # the File menu holds Close
    if file_menu is not None:
        file_menu.insertActions(window.act_close, [window.act_import, window.act_export])
        file_menu.insertSeparator(window.act_close)
    else:
        window.addActions([window.act_import, window.act_export])
    window.drops = FileDrops(window)


def _action(window: Any, text: str, shortcut: str, tip: str, slot: Any) -> QAction:
    act = QAction(text, window)
    act.setShortcut(QKeySequence(shortcut))
    act.setToolTip(tip)
    act.setStatusTip(tip)
    act.triggered.connect(lambda _checked=False: slot())
    return act
