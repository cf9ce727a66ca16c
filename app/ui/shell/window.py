"""MainWindow: the canvas in the centre, docks around it, menus, toolbar and find bar.

It is the :class:`~app.ui.shell.base.Shell` the features are installed on (file actions,
insight controls, desktop behaviour); they know the shell, never this class.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QStandardPaths, Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QToolBar,
    QToolButton,
    QWidget,
)

from app.errors import DocumentLockedError, WaymarkError
from app.layout.style import Style
from app.model import commands as C
from app.model.document import Document
from app.model.schema import Card
from app.model.state import Change
from app.ui.canvas.clipboard import copy_cards, paste_command
from app.ui.canvas.overview import OverviewView
from app.ui.canvas.scene import MapScene
from app.ui.canvas.view import CanvasView
from app.ui.canvas.workshop import Workshop
from app.ui.dialogs.export_dialog import open_export_dialog
from app.ui.dialogs.import_dialog import open_import_dialog
from app.ui.dialogs.new_map import TEMPLATES, choose_template
from app.ui.panels.history import HistoryPanel
from app.ui.panels.maps import MapsPanel
from app.ui.panels.palette import PaletteWidget
from app.ui.panels.properties import PropertiesPanel
from app.ui.shell import changed_file
from app.ui.shell.base import WINDOWS, Shell
from app.ui.shell.capture_actions import install as install_capture_actions
from app.ui.shell.desktop import install_desktop, save_desktop
from app.ui.shell.file_actions import install_file_actions
from app.ui.shell.insight_controls import install as install_insights
from app.ui.shell.opening import open_in_background
from app.ui.support.actions import Std, disable_unless, make_action, only_while_shown
from app.ui.support.scrolling import scrolling
from app.ui.support.settings import Settings
from app.ui.support.tasks import busy_cursor
from app.workshop.state import WorkshopState

FILTER = "Waymark maps (*.cjm)"


class MainWindow(Shell):
    """One open document."""

    def __init__(self, doc: Document, *, untitled: bool = False) -> None:
        super().__init__()
        self.doc = doc
        self.untitled = untitled
        #: Ask before discarding an untitled document on close (tests turn this off).
        self.ask_on_close = True
        self.workshop: Workshop | None = None
        #: Timer, voter and reveal mode of this window's workshop (read by the room page).
        self.workshop_state = WorkshopState()
        from app.ui.dialogs.brand import document_brand

        # the document's logo in the title block, as the poster prints it; in the
        # document's poster font (this window's own: another window keeps its document's)
        self.scene = MapScene(doc, style=Style(logo=document_brand(doc)[0]), parent=self)
        font_note = self.scene.font_note  # the document's font is missing here, or ""
        self.view = CanvasView(self.scene)
        self.view.runner = self.run  # every canvas command takes the shell's one path
        self.view.failed.connect(self.report)
        self.setCentralWidget(self.view)
        self.scene.selectionChanged.connect(self._selection_changed)
        self._build_docks()
        self._build_actions()
        install_file_actions(self)  # File > Import…/Export… and file drops
        self.capture_actions = install_capture_actions(self)  # Map, Card, Workshop menus
        self.view.capture.on_delete = self.delete
        self._build_find()
        self.insights = install_insights(self)  # heat map, funnel, evidence, Report, Versions
        self._unsub = doc.subscribe(self._on_doc_change)
        changed_file.install(self)  # another program changing the file: offer Save As
        self._doc_changed()
        self.statusBar().showMessage(self.tr("Ready"), 3000)
        for note in [*doc.notes()[:2], *([font_note] if font_note else [])]:
            self.statusBar().showMessage(note, 8000)
        self.resize(1500, 950)
        WINDOWS.append(self)
        if not untitled:
            remember_recent(doc.path)
        from app.ui.room.control import install as install_room  # Workshop menu, before Help

        self.room_control = install_room(self)
        install_desktop(self)  # settings, preferences, help, tooltips, accessibility, theme

    # ================================================================ building
    def _build_docks(self) -> None:
        self.palette = PaletteWidget()
        self.properties = PropertiesPanel(self.doc, self.report, run=self.run)
        self.maps_panel = MapsPanel(self.doc, self.report, run=self.run)
        self.maps_panel.map_chosen.connect(self.show_map)
        self.maps_panel.set_current(self.scene.map_id)
        self.history = HistoryPanel(self.doc)
        self.overview = OverviewView(self.view)
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        # QT_TRANSLATE_NOOP marks the titles for pyside6-lupdate; add_dock translates them
        self.add_dock(QT_TRANSLATE_NOOP("MainWindow", "Palette"), self.palette, left)
        self.add_dock(QT_TRANSLATE_NOOP("MainWindow", "Maps and personas"), self.maps_panel, left)
        self.add_dock(QT_TRANSLATE_NOOP("MainWindow", "Properties"), scrolling(self.properties),
                      right)
        self.add_dock(QT_TRANSLATE_NOOP("MainWindow", "History"), self.history, right)
        self.add_dock(QT_TRANSLATE_NOOP("MainWindow", "Overview"), self.overview, right,
                      tab_with="History")
        self.dock("History").raise_()
        self.resizeDocks(self.docks[:3], [230, 230, 320], Qt.Orientation.Horizontal)

    def _build_actions(self) -> None:
        a = make_action
        self.act_new = a(self, self.tr("&New"), self.new_document, Std.New)
        self.act_open = a(self, self.tr("&Open…"), self.open_document, Std.Open)
        self.act_save_as = a(self, self.tr("Save &As…"), self.save_as, Std.SaveAs)
        self.act_version = a(self, self.tr("Na&me this version…"), self.name_version)
        self.act_close = a(self, self.tr("&Close"), self.close, Std.Close)
        self.act_undo = a(self, self.tr("&Undo"), self.undo, Std.Undo)
        self.act_redo = a(self, self.tr("&Redo"), self.redo, Std.Redo)
        for act, name in ((self.act_undo, self.tr("Undo")), (self.act_redo, self.tr("Redo"))):
            act.setIconText(name)  # its name where the step it would undo is not wanted
        redo_keys = self.act_redo.shortcuts()
        if QKeySequence("Ctrl+Y") not in redo_keys:  # Windows' redo, expected everywhere
            self.act_redo.setShortcuts([*redo_keys, QKeySequence("Ctrl+Y")])
        self.act_cut = a(self, self.tr("Cu&t"), self.cut, Std.Cut)
        self.act_copy = a(self, self.tr("&Copy"), self.copy, Std.Copy)
        self.act_paste = a(self, self.tr("&Paste"), self.paste, Std.Paste)
        self.act_duplicate = a(self, self.tr("Dup&licate"), self.duplicate, "Ctrl+D")
        self.act_delete = a(self, self.tr("&Delete"), self.delete, Std.Delete)
        self.act_select_all = a(self, self.tr("Select &All"), self.select_all, Std.SelectAll)
        self.act_find = a(self, self.tr("&Find…"), self.start_find, Std.Find)
        self.act_align = a(self, self.tr("Ali&gn into one cell"), self.align)
        self.act_zoom_in = a(self, self.tr("Zoom &In"), lambda: self.view.zoom_by(1.25), Std.ZoomIn)
        self.act_zoom_out = a(self, self.tr("Zoom &Out"), lambda: self.view.zoom_by(0.8),
                              Std.ZoomOut)
        self.act_fit = a(self, self.tr("&Fit Map"), self.view.fit_map, "Ctrl+0")
        self.act_zoom_stage = a(self, self.tr("Zoom to &Stage"), self.zoom_to_stage, "Ctrl+9")
        self.act_connect = a(self, self.tr("Co&nnect Cards"), self._connect_toggled, "Ctrl+L",
                             self.tr("Drag from one card to another to link them (or Alt+drag)"),
                             checkable=True)
        self.act_workshop = a(self, self.tr("&Workshop Mode"), self.toggle_workshop, "F11",
                              checkable=True)
        self.act_quit = a(self, self.tr("&Quit"), QGuiApplication.quit, Std.Quit)
        m = self.file_menu = self.add_menu("file", self.tr("&File"))
        m.addActions([self.act_new, self.act_open])
        self.recent_menu = QMenu(self.tr("Open &Recent"), self)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        m.addMenu(self.recent_menu)
        m.addSeparator()
        m.addActions([self.act_save_as, self.act_version])
        m.addSeparator()
        m.addActions([self.act_close, self.act_quit])
        m = self.edit_menu = self.add_menu("edit", self.tr("&Edit"))
        m.addActions([self.act_undo, self.act_redo])
        m.addSeparator()
        m.addActions([self.act_cut, self.act_copy, self.act_paste, self.act_duplicate,
                      self.act_delete])
        m.addSeparator()
        m.addActions([self.act_select_all, self.act_find, self.act_align])
        only_while_shown(m, self._disable_edit_actions)
        m = self.view_menu = self.add_menu("view", self.tr("&View"))
        m.addActions([self.act_zoom_in, self.act_zoom_out, self.act_fit, self.act_zoom_stage])
        m.addSeparator()
        m.addActions([self.act_connect, self.act_workshop])
        m.addSeparator()
        for dock in self.docks:
            m.addAction(dock.toggleViewAction())
        tb = QToolBar(self.tr("Main"), self)
        tb.setObjectName("main-toolbar")
        tb.addActions([self.act_new, self.act_open])
        # Undo/Redo buttons of fixed text (the menu items name the step; buttons that did
        # made every other button jump after each edit)
        self.undo_button = self._fixed_button(tb, self.tr("Undo"), self.undo)
        self.redo_button = self._fixed_button(tb, self.tr("Redo"), self.redo)
        tb.addSeparator()
        tb.addActions([self.act_zoom_in, self.act_zoom_out, self.act_fit, self.act_connect,
                       self.act_workshop])
        self.addToolBar(tb)
        self.toolbar = tb

    def _fixed_button(self, bar: QToolBar, text: str, slot) -> QToolButton:
        button = QToolButton(bar)
        button.setText(text)
        button.setAccessibleName(text)
        button.setAutoRaise(True)
        button.clicked.connect(lambda _c=False: slot())
        button.setMinimumWidth(button.sizeHint().width())
        bar.addWidget(button)
        return button

    def _build_find(self) -> None:
        self.find_bar = QToolBar(self.tr("Find"), self)
        self.find_bar.setObjectName("find-bar")
        self.find_field = QLineEdit()
        self.find_field.setPlaceholderText(self.tr("Find in cards…"))
        self.find_field.setAccessibleName(self.tr("Find in cards"))
        self.find_field.setClearButtonEnabled(True)
        self.find_field.textChanged.connect(self._find_changed)
        self.find_field.returnPressed.connect(self.find_next)
        self.find_count = QLabel("")
        self.find_bar.addWidget(self.find_field)
        self.find_bar.addWidget(self.find_count)
        close = QAction(self.tr("Close"), self.find_bar)
        close.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        close.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        close.triggered.connect(self.end_find)
        self.find_bar.addAction(close)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.find_bar)
        self.find_bar.hide()
        self._hits: list[int] = []
        self._hit_i = -1

    # ================================================================ state
    def _on_doc_change(self, change: Change) -> None:
        if change.ids("settings"):  # the logo too follows an edit, an Undo or a Redo
            from app.ui.dialogs.brand import apply_document_brand

            before = self.scene.style
            apply_document_brand(self.scene, self.doc)
            if self.scene.style is not before:
                self.scene.refresh()
        self._doc_changed()

    def _doc_changed(self) -> None:
        doc = self.doc
        name = self.tr("Untitled") if self.untitled else doc.name
        ro = " [read-only]" if doc.read_only else ""
        self.setWindowTitle(f"{name}{ro} — Waymark")
        self.act_undo.setEnabled(doc.can_undo)
        self.act_redo.setEnabled(doc.can_redo)
        self.act_undo.setText(self.tr("&Undo {0}").format(doc.undo_label) if doc.can_undo
                              else self.tr("&Undo"))
        self.act_redo.setText(self.tr("&Redo {0}").format(doc.redo_label) if doc.can_redo
                              else self.tr("&Redo"))
        for button, act, key in ((self.undo_button, self.act_undo, Std.Undo),
                                 (self.redo_button, self.act_redo, Std.Redo)):
            button.setEnabled(act.isEnabled())
            keys = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"{act.text().replace('&', '')} ({keys})")
        for act in (self.act_cut, self.act_paste, self.act_delete, self.act_duplicate):
            act.setEnabled(not doc.read_only)
        self.maps_panel.set_current(self.scene.map_id)
        if self.find_bar.isVisible():
            self._find_changed(self.find_field.text())

    def _disable_edit_actions(self) -> list[QAction]:
        """While the Edit menu shows: grey out what has nothing selected to act on."""
        ids = self.scene.selected_card_ids()
        editable = not self.doc.read_only
        can = {self.act_cut: editable and bool(ids), self.act_copy: bool(ids),
               self.act_duplicate: editable and bool(ids),
               self.act_delete: editable and (bool(ids) or self.view.capture.axis is not None),
               self.act_align: editable and len(ids) > 1}
        return disable_unless(can)

    def _selection_changed(self) -> None:
        self.properties.show_cards(self.scene.selected_card_ids())

    def show_map(self, map_id: int) -> None:
        """Switch the canvas to another map."""
        self.scene.set_map(map_id)
        self.maps_panel.set_current(map_id)
        self.view.fit_map()

    # ================================================================ files
    def new_document(self) -> None:
        """Create a new document from a template chosen with a preview, in a new window."""
        template = choose_template(self)
        if template is None:
            return
        # named after the template ("B2C customer journey.cjm", "buying an e-bike.cjm"),
        # next to the maps the user keeps
        title = next((t for k, t, _b in TEMPLATES if k == template), "Journey map")
        name = safe_file_name(self.tr(title).split(": ", 1)[-1])
        path, _ = QFileDialog.getSaveFileName(self, self.tr("New journey map"),
                                              str(maps_folder(self) / f"{name}.cjm"),
                                              self.tr(FILTER))
        if not path:
            return
        path = path if path.endswith(".cjm") else path + ".cjm"
        try:
            doc = Document.create(path, template=template, overwrite=Path(path).exists())
        except WaymarkError as err:
            QMessageBox.warning(self, self.tr("New map"), err.message)
            return
        self.open_window(doc)

    def open_window(self, doc: Document, *, untitled: bool = False) -> MainWindow:
        """Show ``doc`` in a new window (building its canvas is GUI-thread work)."""
        with busy_cursor():
            window = MainWindow(doc, untitled=untitled)
            window.show()
        return window

    def open_document(self, path: str | None = None) -> None:
        """Open a document in a new window (read-only view when another window has it).

        The file is opened and checked on a pool thread with a progress dialog.
        """
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Open journey map"),
                                                  str(maps_folder(self)), self.tr(FILTER))
            if not path:
                return
        self.open_task = open_in_background(self, Path(path), self.open_window)

    def export_map(self) -> None:
        """File > Export…: poster or data, with preflight, off the GUI thread."""
        self.export_dialog = open_export_dialog(self)

    def import_file(self, path: Path | None = None) -> None:
        """File > Import…: preview a CSV, XLSX, JSON or Mermaid file, then import it."""
        self.import_dialog = open_import_dialog(self, path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for p in recent_files():
            act = self.recent_menu.addAction(p)
            act.triggered.connect(lambda _c=False, p=p: self.open_document(p))
        if not self.recent_menu.actions():
            self.recent_menu.addAction(self.tr("(none)")).setEnabled(False)

    def save_as(self) -> bool:
        """Write the document to a new file and continue there."""
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save As"),
            str(maps_folder(self) / f"{safe_file_name(self.doc.name)}.cjm"), self.tr(FILTER))
        if not path:
            return False
        path = path if path.endswith(".cjm") else path + ".cjm"
        old = self.doc.path
        if Path(path).resolve() == old.resolve() and not self.untitled:
            # (the file dialog has just asked whether to replace it: say what happened)
            self.report(self.tr("{0} already holds every edit; nothing to save")
                        .format(old.name))
            return True
        try:
            self.doc.save_as(path)
        except WaymarkError as err:
            QMessageBox.warning(self, self.tr("Save As"), err.message)
            return False
        if self.untitled:
            self.untitled = False
            old.unlink(missing_ok=True)
        remember_recent(self.doc.path)
        self._doc_changed()
        return True

    def name_version(self) -> None:
        """Name the current state ("Q3 review")."""
        name, ok = QInputDialog.getText(self, self.tr("Name version"), self.tr("Version name:"))
        if ok and name.strip():
            try:
                self.doc.name_version(name)
                self.report(self.tr("Saved version “{0}”").format(name.strip()))
            except WaymarkError as err:
                self.report(err.message)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Every edit is already on disk; an untitled map asks whether to keep it."""
        self.view.capture.finish_typing()  # a card being typed is kept
        if not changed_file.ask_before_closing(self):
            event.ignore()
            return
        if self.untitled and self.ask_on_close and self.doc.can_undo:
            answer = QMessageBox.question(
                self, self.tr("Keep this map?"), self.tr(
                    "This map has not been saved under a name yet. Save it before closing?"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel or (
                    answer == QMessageBox.StandardButton.Save and not self.save_as()):
                event.ignore()
                return
        save_desktop(self)
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Leave workshop mode, close the room, unsubscribe everything and close the file."""
        if getattr(self, "room_control", None) is not None:
            self.room_control.shutdown()
        if self.workshop is not None:
            self.workshop.close()
            self.workshop = None
        self.view.capture.detach()
        self.capture_actions.shutdown()
        for dialog in self.findChildren(QDialog):  # their timers end with the window
            if dialog.isVisible() and not isinstance(dialog, QProgressDialog):
                dialog.done(QDialog.DialogCode.Rejected)  # (a task's progress: its own)
        self._unsub()
        self.unsub_detached()
        self.scene.detach()
        for panel in (self.properties, self.maps_panel, self.history):
            panel.detach()
        path, untitled = self.doc.path, self.untitled
        self.doc.close()
        if untitled:  # a clean close of an untitled map discards it (a crash keeps it)
            path.unlink(missing_ok=True)
        if self in WINDOWS:
            WINDOWS.remove(self)

    # ================================================================ edit
    def undo(self) -> None:
        """Undo the last step (a card being typed is that step: it goes)."""
        self.view.capture.finish_typing()
        try:
            self.doc.undo()
        except WaymarkError as err:
            self.report(err.message)

    def redo(self) -> None:
        """Redo the next step."""
        self.view.capture.finish_typing()
        try:
            self.doc.redo()
        except WaymarkError as err:
            self.report(err.message)

    def copy(self) -> None:
        """Copy the selected cards."""
        copy_cards(self.doc, self.scene.selected_card_ids())

    def cut(self) -> None:
        """Copy, then delete, the selected cards."""
        ids = self.scene.selected_card_ids()
        if ids:
            copy_cards(self.doc, ids)
            self.run(C.DeleteCards(ids))

    def _target_cell(self) -> tuple[int, int] | None:
        ids = self.scene.selected_card_ids()
        if ids:
            c = self.doc.data.cards[ids[-1]]
            return c.stage_id, c.lane_id
        return self.view.capture.cell()

    def paste(self) -> None:
        """Paste cards from the clipboard (this or another map or document)."""
        if self.scene.map_id is None:
            return
        cmd = paste_command(self.doc, self.scene.map_id,
                            QGuiApplication.clipboard().mimeData(), self._target_cell())
        if cmd is None:
            self.report(self.tr("Nothing to paste"))
            return
        change = self.run(cmd)
        if change is not None:
            self.scene.select_cards(change.added.get("cards", set()))

    def duplicate(self) -> None:
        """Copy the selected cards next to themselves."""
        ids = self.scene.selected_card_ids()
        if not ids:
            return
        data = self.doc.data
        fields = set(Card.DUPLICATE_FIELDS)
        items = [(data.cards[i].stage_id, data.cards[i].lane_id,
                  data.cards[i].model_dump(include=fields)) for i in ids]
        name = "Duplicate card" if len(ids) == 1 else f"Duplicate {len(ids)} cards"
        self.run(C.AddCards(items, name=name))

    def delete(self) -> None:
        """Delete the selected cards, or the selected stage or lane (with its cards)."""
        ids = self.scene.selected_card_ids()
        axis = self.view.capture.axis
        if ids:
            self.run(C.DeleteCards(ids))
        elif axis is not None:
            acts = self.capture_actions
            (acts.delete_stage if axis[0] == "stage" else acts.delete_lane)()

    def align(self) -> None:
        """Gather the selected cards into the first one's cell, in order."""
        ids = self.scene.selected_card_ids()
        if len(ids) < 2:
            return
        first = self.doc.data.cards[ids[0]]
        base = len([c for c in self.doc.data.cell(first.stage_id, first.lane_id)
                    if c.id not in ids])
        self.run(C.MoveCards([(cid, first.stage_id, first.lane_id, base + i)
                               for i, cid in enumerate(ids)]))

    def select_all(self) -> None:
        """Select every card of the map."""
        self.scene.select_cards(list(self.scene.cards))

    def zoom_to_stage(self) -> None:
        """Fit the selected card's stage (or the first stage)."""
        ids = self.scene.selected_card_ids()
        lay = self.scene.layout
        if ids:
            self.view.zoom_to_stage(self.doc.data.cards[ids[0]].stage_id)
        elif lay is not None and lay.stages:
            self.view.zoom_to_stage(lay.stages[0].stage_id)

    def _connect_toggled(self) -> None:
        self.view.connect_mode = self.act_connect.isChecked()
        self.report(self.tr("Connect mode: drag from one card to another")
                    if self.view.connect_mode else self.tr("Connect mode off"))

    # ================================================================ find
    def start_find(self) -> None:
        """Show the find bar."""
        self.find_bar.show()
        self.find_field.setFocus()
        self.find_field.selectAll()

    def _find_changed(self, text: str) -> None:
        self._hits = self.view.find(text)
        self._hit_i = -1
        self.find_count.setText(self.tr("  {0} found").format(len(self._hits)) if text.strip()
                                else "")

    def find_next(self) -> None:
        """Go to the next match."""
        if not self._hits:
            return
        self._hit_i = (self._hit_i + 1) % len(self._hits)
        cid = self._hits[self._hit_i]
        self.scene.select_cards([cid])
        self.view.show_card(cid)

    def end_find(self) -> None:
        """Hide the find bar and the highlights."""
        self.view.find("")
        self.find_bar.hide()
        self.view.setFocus()

    # ================================================================ workshop
    def toggle_workshop(self) -> None:
        """Enter or leave workshop mode (full screen, chrome hidden, keyboard capture).

        A card being typed is kept. The docks and toolbar come back exactly as they were
        (their saved state, so they do not grow a little at every toggle)."""
        on = self.act_workshop.isChecked()
        self.view.capture.finish_typing()
        if on and self.workshop is None:
            self._was_max = self.isMaximized()
            self._chrome = self.saveState()
            self._geometry = self.saveGeometry()
            for w in (*self.docks, self.toolbar, self.find_bar):
                w.hide()
            self.menuBar().hide()
            self.statusBar().hide()
            self.showFullScreen()
            self.workshop = Workshop(self.view, self.workshop_state,
                                     on_exit=lambda: self.act_workshop.setChecked(False))
            self.view.setFocus()
        elif not on and self.workshop is not None:
            self.workshop.close()
            self.workshop = None
            self.menuBar().show()
            self.statusBar().show()
            if getattr(self, "_was_max", False):
                self.showMaximized()
            else:
                self.showNormal()
                self.restoreGeometry(self._geometry)
            self.restoreState(self._chrome)
            self.view.auto_fit = True
            self.view.fit_map()
            self.view.setFocus()


# ==================================================================== helpers
def open_with_questions(path: Path, parent: QWidget | None = None) -> Document | None:
    """Open a document; when another window has it, offer a read-only view."""
    translate = QCoreApplication.translate
    try:
        return Document.open(path)
    except DocumentLockedError as err:
        answer = QMessageBox.question(
            parent, translate("MainWindow", "Already open"),
            translate("MainWindow", "{0}.\n\nOnly one window can edit a map at a time. Open "
                      "a read-only view of it instead? (Save As makes an editable copy.)")
            .format(err.message))
        if answer == QMessageBox.StandardButton.Yes:
            try:
                return Document.open(path, read_only=True)
            except WaymarkError as err2:
                QMessageBox.warning(parent, translate("MainWindow", "Open"), err2.message)
        return None
    except WaymarkError as err:
        QMessageBox.warning(parent, translate("MainWindow", "Open"), err.message)
        return None


def maps_folder(window: MainWindow | None = None) -> Path:
    """Where the file dialogs start: the shown document's folder (not the untitled one),
    else the folder of the last map opened, else Documents (never the folder Waymark
    happened to be started from)."""
    if window is not None and not window.untitled and window.doc.path.parent.is_dir():
        return window.doc.path.parent
    for recent in recent_files():
        if Path(recent).parent.is_dir():
            return Path(recent).parent
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def safe_file_name(name: str) -> str:
    """A map's name as a file name: no path separators or characters Windows refuses."""
    cleaned = "".join("-" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name)
    return cleaned.strip(" .") or "Journey map"


def recent_files() -> list[str]:
    """Recently opened files that still exist, newest first."""
    return Settings().recent_files()


def remember_recent(path: Path) -> None:
    """Put a file at the top of the recent list."""
    Settings().remember_recent(path)
