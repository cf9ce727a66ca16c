"""What makes the main window behave like a desktop application, installed in one call.

``install_desktop(window)`` (from MainWindow.__init__) restores the window's
geometry and dock/toolbar layout, applies the history-limit preference to the
document, adds Edit > Preferences… and the Help menu, gives every toolbar
action a tooltip with its shortcut and every input of the docks an accessible
name, and styles the canvas for the current theme. ``save_desktop(window)``
(from closeEvent) remembers the layout.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QToolBar,
    QWidget,
)

from app.errors import WaymarkError
from app.ui.dialogs.help import install_help_menu, plain
from app.ui.dialogs.preferences import PreferencesDialog
from app.ui.shell.base import WINDOWS, Shell
from app.ui.support.settings import Settings
from app.ui.support.theme import apply_theme, style_window

if TYPE_CHECKING:
    from app.model.document import Document

translate = QCoreApplication.translate

log = logging.getLogger(__name__)

#: Widget types a user types into, picks from or presses (they need accessible names).
INPUT_TYPES = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox,
               QAbstractButton, QAbstractItemView)



def install_desktop(window: Shell) -> None:
    """Settings, Preferences, Help, tooltips and accessible names for a window."""
    settings = Settings()
    _add_preferences(window)
    install_help_menu(window)
    resolve_shortcut_conflicts(window)
    keep_shortcuts_alive(window)
    add_toolbar_tooltips(window)
    name_inputs(window)
    style_window(window)
    try:
        apply_history_limit(window.doc, settings.history_limit)
    except WaymarkError as err:
        log.warning("history limit not applied to %s: %s", window.doc.path, err.message)
    restore_layout(window, settings)


def save_desktop(window: QMainWindow) -> None:
    """Remember the window's geometry and dock/toolbar layout (not while full screen)."""
    if window.isFullScreen():
        return
    settings = Settings()
    settings.set_window_state(window.saveGeometry(), window.saveState())
    settings.sync()


def restore_layout(window: QMainWindow, settings: Settings | None = None) -> bool:
    """Restore the last saved geometry and dock layout; False when none or unusable."""
    geometry, state = (settings or Settings()).window_state()
    ok = True
    if geometry is not None and not window.restoreGeometry(geometry):
        log.warning("settings: saved window geometry unusable; using the default size")
        ok = False
    if state is not None and not window.restoreState(state):
        log.warning("settings: saved dock layout unusable; using the default layout")
        ok = False
    return ok and geometry is not None


def apply_preferences(settings: Settings, report: Callable[[str], None] | None = None) -> None:
    """Apply stored preferences to the running application and every open window."""
    apply_theme(settings.theme)
    for window in list(WINDOWS):
        try:
            apply_history_limit(window.doc, settings.history_limit)
        except WaymarkError as err:
            if report is not None:
                report(err.message)


def apply_history_limit(doc: Document, limit: int) -> bool:
    """Give a writable document ``limit``; True when it changed."""
    if doc.read_only or doc.history_limit == limit:
        return False
    doc.set_history_limit(limit)
    return True


def _add_preferences(window: Shell) -> None:
    act = QAction(translate("MainWindow", "Pr&eferences…"), window)
    act.setObjectName("act-preferences")
    # Qt has no standard Preferences key on X11/Windows: use the common Ctrl+, there
    act.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
                     or [QKeySequence("Ctrl+,")])
    act.setMenuRole(QAction.MenuRole.PreferencesRole)
    act.setStatusTip(translate("MainWindow",
                                "Theme, viewing distance, history limit, paper, recent files"))

    def show() -> None:
        PreferencesDialog(window, on_applied=lambda s: apply_preferences(s, window.report)
                          ).exec()

    act.triggered.connect(show)
    window.menu("edit").addSeparator()
    window.menu("edit").addAction(act)
    window.act_preferences = act  # type: ignore[attr-defined]


def resolve_shortcut_conflicts(window: QMainWindow) -> list[str]:
    """Drop secondary platform bindings that collide with another action's shortcut.

    Qt's standard key lists add extra bindings (on X11, Delete also gets Ctrl+D,
    which Duplicate uses); two actions on one key make Qt trigger neither. The
    action whose first shortcut it is keeps the key. Returns what was dropped.
    """
    actions = [a for a in window.findChildren(QAction) if a.shortcuts()]
    primary = {a.shortcuts()[0].toString(): a for a in actions}
    dropped: list[str] = []
    for act in actions:
        keep = [act.shortcuts()[0]]
        for seq in act.shortcuts()[1:]:
            owner = primary.get(seq.toString())
            if owner is not None and owner is not act:
                dropped.append(f"{seq.toString()} from {plain(act.text())}")
            else:
                keep.append(seq)
        if len(keep) != len(act.shortcuts()):
            act.setShortcuts(keep)
    if dropped:
        log.info("shortcut conflicts resolved: %s", "; ".join(dropped))
    return dropped


def keep_shortcuts_alive(window: QMainWindow) -> int:
    """Add every menu action with a shortcut to the window itself; returns how many.

    Qt only fires a shortcut whose action sits in a visible widget: with the menu
    bar and toolbar hidden (workshop mode) Ctrl+Z, F11 and the rest would go dead.
    The window stays visible, so its own action list keeps them working. Actions
    on a bare key (Delete on Del) are left out: in workshop mode that key belongs to
    the card being typed.
    """
    added = 0
    own = set(window.actions())
    for top in window.menuBar().actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        for act in _menu_actions(menu):
            if act.shortcuts() and act not in own and any(map(_chord, act.shortcuts())):
                window.addAction(act)
                own.add(act)
                added += 1
    return added


def _chord(seq: QKeySequence) -> bool:
    """True for a shortcut that typing text never produces: a modifier, or F1-F12."""
    combo = seq[0]
    mods = combo.keyboardModifiers() & ~Qt.KeyboardModifier.ShiftModifier
    key = combo.key().value
    return mods != Qt.KeyboardModifier.NoModifier or (
        Qt.Key.Key_F1.value <= key <= Qt.Key.Key_F12.value)


def _menu_actions(menu: QMenu) -> list[QAction]:
    out: list[QAction] = []
    for act in menu.actions():
        sub = act.menu()
        if isinstance(sub, QMenu):
            out.extend(_menu_actions(sub))
        elif not act.isSeparator():
            out.append(act)
    return out


def tooltip_for(act: QAction) -> str:
    """'Zoom In (Ctrl++)': the action's name and its first shortcut."""
    name = plain(act.text())
    keys = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in act.shortcuts()
            if not s.isEmpty()]
    return f"{name} ({keys[0]})" if keys else name


def add_toolbar_tooltips(window: QMainWindow) -> None:
    """Give every toolbar action a tooltip with its shortcut; keep it when the text changes."""
    for bar in window.findChildren(QToolBar):
        for act in bar.actions():
            if act.isSeparator() or act.menu() is not None:
                continue
            act.setToolTip(tooltip_for(act))
            act.changed.connect(lambda a=act: _refresh_tip(a))


def _refresh_tip(act: QAction) -> None:
    tip = tooltip_for(act)
    if act.toolTip() != tip:
        act.setToolTip(tip)


def name_inputs(window: QMainWindow) -> list[QWidget]:
    """Name every unnamed input in the docks from its form label or the dock's title.

    Panels set their own names; this covers what another panel forgot so a
    screen reader never announces a bare "edit" or "list". Returns what it named.
    """
    named: list[QWidget] = []
    for dock in window.findChildren(QDockWidget):
        for widget in input_widgets(dock):
            if widget.accessibleName():
                continue
            label = _form_label(widget) or plain(dock.windowTitle())
            widget.setAccessibleName(label)
            named.append(widget)
    return named


def input_widgets(root: QWidget) -> list[QWidget]:
    """The inputs under ``root`` (without the inner parts of compound widgets)."""
    out = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, INPUT_TYPES):
            continue
        if type(w).__name__ in ("QDockWidgetTitleButton", "QToolBarExtension"):
            continue  # a dock's float/close buttons
        if _inside_compound(w, root):
            continue  # a combo box's line edit or popup list, a spin box's line edit
        out.append(w)
    return out


def _inside_compound(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QComboBox | QAbstractSpinBox):
            return True
        parent = parent.parentWidget()
    return False


def _form_label(widget: QWidget) -> str:
    parent = widget.parentWidget()
    lay = parent.layout() if parent is not None else None
    if isinstance(lay, QFormLayout):
        label = lay.labelForField(widget)
        if isinstance(label, QLabel):
            return plain(label.text())
    return ""


def startup_document(untitled_folder: Path) -> Path | None:
    """The document to reopen at start, when the user asked for it and nothing needs recovery.

    An untitled map left by a crashed session wins (it is reopened so no work is lost).
    """
    settings = Settings()
    if not settings.reopen_last or any(untitled_folder.glob("*.cjm")):
        return None
    return settings.last_document()
