"""Preferences, themes, the Help menu, tooltips and accessible names of the main window."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPointF, Qt, QTimer, qVersion
from PySide6.QtGui import QAccessible, QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QPushButton,
    QWidget,
)

import app
from app.model import commands as C
from app.model.document import Document
from app.ui.dialogs.help import AboutDialog, ShortcutsDialog, plain
from app.ui.dialogs.preferences import PreferencesDialog
from app.ui.panels.history import HistoryPanel
from app.ui.panels.maps import MapsPanel, PersonaDialog
from app.ui.panels.palette import PaletteWidget
from app.ui.panels.properties import PropertiesPanel
from app.ui.shell.desktop import input_widgets
from app.ui.shell.window import MainWindow
from app.ui.support.settings import Settings
from app.ui.support.theme import CANVAS_BACKGROUND, apply_theme
from tests.made import new_document
from tests.ui.conftest import ids

#: Every test here may change the theme: the ``themed`` fixture puts it back.
pytestmark = pytest.mark.usefixtures("themed")


def run_modal(qtbot, open_it: Callable[[], object], interact: Callable[[QDialog], None]) -> None:
    """Trigger something that exec()s a dialog; ``interact`` drives it while it is up."""
    seen: list[QDialog] = []

    def step() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, QDialog):
            QTimer.singleShot(20, step)
            return
        seen.append(dlg)
        interact(dlg)

    QTimer.singleShot(0, step)
    open_it()
    assert seen, "no dialog was shown"


# ==================================================================== preferences
def test_preferences_change_settings_and_the_open_document(qtbot, window, doc):
    n = ids(doc)
    for i in range(8):
        doc.execute(C.AddCard(n["Discover"], n["Goals"], {"title": f"Card {i}"}))
    assert len(doc.history()) == 8

    def interact(dlg: QDialog) -> None:
        assert isinstance(dlg, PreferencesDialog)
        dlg.theme.setCurrentIndex(dlg.theme.findData("dark"))
        dlg.history.lineEdit().selectAll()
        qtbot.keyClicks(dlg.history, "5")
        dlg.distance.lineEdit().selectAll()
        qtbot.keyClicks(dlg.distance, "1.5")
        dlg.paper.setCurrentIndex(dlg.paper.findData("A2"))
        # issue 14: each role's reading distance is a preference
        dlg.role_distance["title"].lineEdit().selectAll()
        qtbot.keyClicks(dlg.role_distance["title"], "4.5")
        dlg.recent.setValue(3)
        qtbot.mouseClick(dlg.reopen, Qt.MouseButton.LeftButton)
        ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    run_modal(qtbot, window.act_preferences.trigger, interact)
    s = Settings()
    assert s.as_dict() == {"theme": "dark", "viewing_distance": 1.5, "history_limit": 5,
                           "default_paper": "A2", "recent_limit": 3, "reopen_last": True,
                           "role_distances": {"title": 4.5}}
    assert s.export_options()["paper"] == "A2"
    # the export dialog starts from it, and composes the poster with it
    window.act_export.trigger()
    export = window.export_dialog
    assert export.role_distance["title"].value() == 4.5
    from app.ui.dialogs.export_dialog import job_options

    assert job_options(export.values()).role_distances == {"title": 4.5}
    export.reject()
    # the open document now keeps 5 steps, the newest
    assert doc.history_limit == 5
    assert [st.label for st in doc.history()] == [f"Add card 'Card {i}'" for i in range(3, 8)]
    doc2 = Document.open(doc.path, read_only=True)
    try:
        assert doc2.history_limit == 5
    finally:
        doc2.close()
    # and the chrome is dark
    assert QApplication.instance().palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert window.view.backgroundBrush().color() == QColor(CANVAS_BACKGROUND["dark"])


def test_preferences_cancel_changes_nothing_and_restore_defaults(qtbot, window, doc):
    s = Settings()
    s.theme = "light"
    s.history_limit = 40
    s.sync()

    def cancel(dlg: QDialog) -> None:
        dlg.theme.setCurrentIndex(dlg.theme.findData("dark"))
        dlg.history.setValue(7)
        qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel),
                         Qt.MouseButton.LeftButton)

    run_modal(qtbot, window.act_preferences.trigger, cancel)
    assert Settings().theme == "light" and Settings().history_limit == 40

    def restore(dlg: QDialog) -> None:
        assert dlg.history.value() == 40
        qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults),
                         Qt.MouseButton.LeftButton)
        assert dlg.theme.currentData() == "system" and dlg.history.value() == 1000
        qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    run_modal(qtbot, window.act_preferences.trigger, restore)
    assert Settings().theme == "system" and Settings().history_limit == 1000
    assert doc.history_limit == 1000


def test_history_limit_preference_applies_to_documents_opened_later(qtbot, tmp_path):
    Settings().history_limit = 3
    d = new_document(tmp_path / "later.cjm", "sample")
    w = MainWindow(d)
    w.ask_on_close = False
    qtbot.addWidget(w)
    assert d.history_limit == 3
    n = ids(d)
    for i in range(5):
        d.execute(C.AddCard(n["Discover"], n["Goals"], {"title": f"N{i}"}))
    assert len(d.history()) == 3
    w.close()


# ==================================================================== themes
def _pixel(window: MainWindow, x: float, y: float) -> QColor:
    view = window.view
    p = view.mapFromScene(QPointF(x, y))
    return view.viewport().grab().toImage().pixelColor(p)


def test_themes_change_the_chrome_but_not_the_map(qtbot, window):
    window.view.resetTransform()
    window.view.centerOn(0, 0)
    lay = window.scene.layout
    inside = (lay.width / 2, lay.height - 4)  # the sheet's footer margin
    outside = (-20.0, -20.0)  # the canvas around the sheet
    colours = {}
    for theme in ("light", "dark"):
        assert apply_theme(theme) == theme
        qtbot.wait(10)
        colours[theme] = (_pixel(window, *inside), _pixel(window, *outside))
        pal = QApplication.instance().palette()
        lightness = pal.color(QPalette.ColorRole.Window).lightness()
        assert (lightness > 180) if theme == "light" else (lightness < 80)
        assert colours[theme][1] == QColor(CANVAS_BACKGROUND[theme])
    assert colours["light"][0] == colours["dark"][0]  # print colours stay as laid out
    assert colours["light"][1] != colours["dark"][1]


def test_system_theme_follows_the_platform_scheme(qtbot, window):
    hints = QApplication.styleHints()
    expected = "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"
    assert apply_theme("system") == expected
    assert QApplication.instance().property("waymark_theme") == "system"


# ==================================================================== help
def test_shortcuts_dialog_lists_every_action_with_a_shortcut(qtbot, window):
    dlg = ShortcutsDialog(window)
    qtbot.addWidget(dlg)
    rows = {(dlg.table.item(r, 1).text()): dlg.table.item(r, 2).text()
            for r in range(dlg.table.rowCount())}
    undo_keys = QKeySequence(QKeySequence.StandardKey.Undo).toString(
        QKeySequence.SequenceFormat.NativeText)
    assert undo_keys in rows["Undo"]
    assert rows["Duplicate"] == "Ctrl+D"
    assert rows["Workshop Mode"] == "F11"
    expected = {plain(a.text()) for a in window.findChildren(QAction)
                if a.text() and any(not s.isEmpty() for s in a.shortcuts())}
    assert expected - {"Close"} <= set(rows)  # (the find bar's Escape-to-close is "Close" too)
    dlg.search.setText("zoom")
    shown = dlg.visible_actions()
    assert shown and all("zoom" in a.lower() for a in shown)
    assert "Zoom In" in shown and "Undo" not in shown
    dlg.search.setText("ctrl+d")
    assert dlg.visible_actions() == ["Duplicate"]


def test_ctrl_d_duplicates_once_the_conflict_with_delete_is_resolved(qtbot, window, doc):
    assert all(s.toString() != "Ctrl+D" for s in window.act_delete.shortcuts())
    n = ids(doc)
    card = doc.data.cell(n["Discover"], n["Goals"])[0]
    before = len(doc.data.cards)
    window.scene.select_cards([card.id])
    window.activateWindow()
    window.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert len(doc.data.cards) == before + 1
    assert card.id in doc.data.cards


def test_about_shows_versions_and_the_font_licence(qtbot, window):
    texts: list[str] = []

    def read(dlg: QDialog) -> None:
        assert isinstance(dlg, AboutDialog)
        texts.append(dlg.details.toPlainText())
        dlg.reject()

    run_modal(qtbot, window.act_about.trigger, read)
    text = texts[0]
    assert f"waymark {app.__version__}" in text
    assert f"Qt {qVersion()}" in text
    assert "SQLite" in text and "reportlab" in text and "Python" in text
    assert "Bitstream Vera" in text and "Permission is hereby granted" in text


def test_help_menu_is_in_the_menu_bar(window):
    titles = [plain(a.text()) for a in window.menuBar().actions()]
    assert titles[-1] == "Help"
    help_menu = window.menuBar().actions()[-1].menu()
    assert [plain(a.text()) for a in help_menu.actions() if a.text()] == [
        "Keyboard Shortcuts", "User Guide", "About Waymark"]
    edit = window.menuBar().actions()[1].menu()
    assert window.act_preferences in edit.actions()


# ==================================================================== accessibility
def test_every_toolbar_action_has_a_tooltip_with_its_shortcut(window, doc):
    actions = [a for a in window.toolbar.actions() if not a.isSeparator()]
    assert len(actions) >= 9
    for act in actions:
        tip = act.toolTip()
        assert plain(act.text()) in tip
        keys = [s for s in act.shortcuts() if not s.isEmpty()]
        if keys:
            assert keys[0].toString(QKeySequence.SequenceFormat.NativeText) in tip, tip
    n = ids(doc)
    card = doc.data.cell(n["Discover"], n["Goals"])[0]
    doc.execute(C.UpdateCard(card.id, {"title": "Renamed"}))
    # the tooltip follows the action's text ("Undo Rename card …")
    assert window.act_undo.toolTip().startswith(f"Undo {doc.undo_label}")
    assert card.title in window.act_undo.toolTip()


def accessible_name(w: QWidget) -> str:
    """The name a screen reader announces (Qt's accessibility interface of the widget)."""
    iface = QAccessible.queryAccessibleInterface(w)
    return iface.text(QAccessible.Text.Name).strip() if iface is not None else ""


def _unnamed(root: QWidget) -> list[str]:
    widgets = input_widgets(root) or [root]
    return [f"{type(w).__name__} {w.objectName()!r}"
            for w in widgets if not accessible_name(w)]


def test_panels_name_their_inputs_themselves(qtbot, doc):
    report = lambda message: None  # noqa: E731
    panels = [PropertiesPanel(doc, report), MapsPanel(doc, report), HistoryPanel(doc),
              PaletteWidget(), PersonaDialog(doc, next(iter(doc.data.personas.values())))]
    for panel in panels:
        qtbot.addWidget(panel)
        assert _unnamed(panel) == [], type(panel).__name__
    props = panels[0]
    assert props.title.accessibleName() == "Card title"
    assert len({accessible_name(w) for w in input_widgets(panels[1])}) == len(
        input_widgets(panels[1]))  # two "Add" buttons, two distinct names


def test_every_input_in_the_window_docks_has_an_accessible_name(window):
    docks = window.findChildren(QDockWidget)
    assert len(docks) >= 5
    total = 0
    for dock in docks:
        total += len(input_widgets(dock))
        assert _unnamed(dock) == [], dock.windowTitle()
    assert total >= 20
    assert window.find_field.accessibleName() == "Find in cards"
    buttons = [b.accessibleName() for b in window.maps_panel.findChildren(QPushButton)]
    assert "Add map" in buttons and "Add persona" in buttons


def test_shortcuts_work_in_workshop_mode_with_the_chrome_hidden(qtbot, window, doc):
    n = ids(doc)
    doc.execute(C.AddCard(n["Discover"], n["Goals"], {"title": "Before the workshop"}))
    count = len(doc.data.cards)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.act_workshop.setChecked(True)
    assert window.workshop is not None and not window.menuBar().isVisible()
    assert not window.toolbar.isVisible()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(doc.data.cards) == count - 1  # Ctrl+Z undid the last card
    # while a card is typed, a bare Delete edits its text (it never deletes cards then)
    card = doc.data.cell(n["Discover"], n["Goals"])[0]
    window.view.edit_card(card.id)
    qtbot.keyClick(window.view, Qt.Key.Key_Home)
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    assert doc.data.cards[card.id].title == card.title[1:]
    qtbot.keyClick(window.view, Qt.Key.Key_F11)  # F11 leaves workshop mode
    assert window.workshop is None and window.menuBar().isVisible()
