"""The window shell: what a feature may ask of a window, and the list of open windows.

Features (the desktop behaviour, file actions and drops, the insight controls, the
dialogs, opening a file off the GUI thread) depend on :class:`Shell`, never on the
concrete :class:`~app.ui.shell.window.MainWindow`, so the GUI is a tree: ``app.ui.app``
-> ``shell.window`` -> features -> ``shell.base`` -> canvas, panels, support.

:meth:`Shell.run` is THE one way the GUI executes a command and reports a refusal:
the canvas, the panels, the workshop and the dialogs all go through it (the canvas
through :meth:`~app.ui.canvas.view.CanvasView.run`, which the window points here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QToolBar, QWidget

from app.ui.support.running import execute

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from app.model.commands import Command
    from app.model.document import Document
    from app.model.state import Change
    from app.ui.canvas.scene import MapScene
    from app.ui.canvas.view import CanvasView

#: Open windows, oldest first (kept referenced so they are not collected).
WINDOWS: list[Shell] = []

#: How long a report stays in the status bar, in milliseconds.
REPORT_MS = 10000


class Shell(QMainWindow):
    """A main window as features see it: one document, its canvas, menus, docks, and one
    execute-and-report path. :class:`~app.ui.shell.window.MainWindow` builds it."""

    doc: Document
    scene: MapScene
    view: CanvasView
    #: True while the document has no name yet (a new map in the untitled folder).
    untitled: bool
    #: The main toolbar.
    toolbar: QToolBar

    def __init__(self) -> None:
        super().__init__()
        self._menus: dict[str, QMenu] = {}
        #: The docks, in the order they were added (workshop mode hides them all).
        self.docks: list[QDockWidget] = []
        self._kept: dict[str, object] = {}

    # ---------------------------------------------------------------- menus and docks
    def add_menu(self, name: str, title: str) -> QMenu:
        """Add a top-level menu to the menu bar, found later by ``menu(name)``."""
        menu = self.menuBar().addMenu(title)
        self._menus[name] = menu
        return menu

    def menu(self, name: str) -> QMenu:
        """A top-level menu by name: ``file``, ``edit``, ``view``, ``help``."""
        return self._menus[name]

    def action(self, name: str) -> QAction:
        """One of the window's actions by name (``close`` is ``act_close``)."""
        act = getattr(self, f"act_{name}", None)
        if not isinstance(act, QAction):
            raise KeyError(name)
        return act

    def add_dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea, *,
                 tab_with: str | None = None) -> QDockWidget:
        """Add a dock, optionally as a tab beside the dock titled ``tab_with``.

        ``title`` is translated in the ``MainWindow`` context (mark it with
        ``QT_TRANSLATE_NOOP("MainWindow", ...)``); its untranslated text keys the saved layout.
        """
        dock = QDockWidget(QCoreApplication.translate("MainWindow", title), self)
        dock.setObjectName(title)  # untranslated: saveState() keys docks by it
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        if tab_with is not None:
            self.tabifyDockWidget(self.dock(tab_with), dock)
        self.docks.append(dock)
        return dock

    def dock(self, title: str) -> QDockWidget:
        """A dock by its untranslated title."""
        for dock in self.docks:
            if dock.objectName() == title:
                return dock
        raise KeyError(title)

    def keep(self, key: str, obj: object) -> None:
        """Keep a modeless dialog or a running task referenced while the window lives."""
        self._kept[key] = obj

    # ---------------------------------------------------------------- services
    def report(self, message: str, timeout: int = REPORT_MS) -> None:
        """Show a refusal or problem in the status bar (and keep it a while)."""
        self.statusBar().showMessage(message, timeout)

    def run(self, cmd: Command, *, refused: Callable[[str], None] | None = None
            ) -> Change | None:
        """Execute ``cmd`` as one undo step; a refusal is reported, never raised.

        After a refusal the canvas lays the map out again, so items a gesture moved live
        return to where the document has them, and the message goes to the status bar
        (or to ``refused``: a modal dialog shows it itself). Returns the change, or None
        when the command was refused.
        """
        def refuse(message: str) -> None:
            self.scene.refresh()
            (refused or self.report)(message)

        return execute(self.doc, cmd, refuse)

    # ---------------------------------------------------------------- provided by the window
    def show_map(self, map_id: int) -> None:
        """Switch the canvas to another map."""
        raise NotImplementedError

    def open_window(self, doc: Document, *, untitled: bool = False) -> Shell:
        """Show ``doc`` in a new window of the same kind."""
        raise NotImplementedError

    def open_document(self, path: str | None = None) -> None:
        """Open a file (asking which when ``path`` is None) in a new window."""
        raise NotImplementedError

    def import_file(self, path: Path | None = None) -> None:
        """Preview a data file and import it (asking which when ``path`` is None)."""
        raise NotImplementedError

    def export_map(self) -> None:
        """Export the shown map or the document's data."""
        raise NotImplementedError
