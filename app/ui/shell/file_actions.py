"""File > Import… (Ctrl+I) and File > Export… (Ctrl+E), and file drops, added to a MainWindow.

Kept out of window.py so the window only calls :func:`install_file_actions` once; the
actions go into the File menu just above Close.
"""

from __future__ import annotations

from typing import Any

from app.ui.shell.drops import FileDrops
from app.ui.support.actions import make_action


def install_file_actions(window: Any) -> None:
    """Give ``window`` its import/export actions (``act_import``, ``act_export``) and drops."""
    import_tip = window.tr("Bring in a CSV, Excel, JSON or Mermaid file, with a preview")
    export_tip = window.tr("Export the map as a PDF, PNG or SVG poster, "
                           "or its data as CSV, Excel, JSON or Mermaid")
    window.act_import = make_action(window, window.tr("&Import…"), lambda: window.import_file(),
                                    "Ctrl+I", import_tip)
    window.act_export = make_action(window, window.tr("&Export…"), window.export_map,
                                    "Ctrl+E", export_tip)
    for act, tip in ((window.act_import, import_tip), (window.act_export, export_tip)):
        act.setToolTip(tip)
    window.file_menu.insertActions(window.act_close, [window.act_import, window.act_export])
    window.file_menu.insertSeparator(window.act_close)
    window.drops = FileDrops(window)
