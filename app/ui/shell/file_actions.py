"""File > Import… (Ctrl+I) and File > Export… (Ctrl+E), and file drops, added to a window.

The window calls :func:`install_file_actions` once; the actions go into the File menu
just above Close and call the shell's ``import_file`` and ``export_map``.
"""

from __future__ import annotations

from app.ui.shell.base import Shell
from app.ui.shell.drops import FileDrops
from app.ui.support.actions import make_action


def install_file_actions(window: Shell) -> None:
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
    file_menu, close = window.menu("file"), window.action("close")
    file_menu.insertActions(close, [window.act_import, window.act_export])
    file_menu.insertSeparator(close)
    window.drops = FileDrops(window)
