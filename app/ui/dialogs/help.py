"""The Help menu: Keyboard Shortcuts (generated from the window's actions), User Guide, About.

The user guide is the Markdown in ``docs/guide``, shown by the in-app viewer
(:mod:`app.ui.dialogs.help_viewer`, Qt's QTextBrowser; nothing is fetched from the network).
About shows what ``waymark --version`` prints plus the Qt the program runs on, and the
licences, including the bundled font's.
"""

from __future__ import annotations

import platform
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

import app
from app.about import version_text
from app.resources import resource_path

translate = QCoreApplication.translate

GUIDE_DIR = Path(app.__file__).resolve().parent.parent / "docs" / "guide"
FONT_LICENCE = resource_path("fonts", "LICENSE-DejaVu.txt")



def plain(text: str) -> str:
    """An action's text as the user reads it: no '&' mnemonics, no trailing '…'."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def shortcut_rows(window: QWidget) -> list[tuple[str, str, str]]:
    """(menu, action, shortcuts) for every action of ``window`` that has a shortcut.

    Generated from the actions themselves, so it never drifts from the menus.
    Shortcuts are shown in the platform's notation (Ctrl+Z, ⌘Z).
    """
    menus: dict[int, str] = {}

    def walk(menu: QMenu, path: str) -> None:
        for act in menu.actions():
            menus.setdefault(id(act), path)
            sub = act.menu()
            if isinstance(sub, QMenu) and sub is not menu:  # Card › Kind
                walk(sub, f"{path} › {plain(act.text())}")

    if isinstance(window, QMainWindow):
        for top in window.menuBar().actions():
            menu = top.menu()
            if isinstance(menu, QMenu):
                walk(menu, plain(top.text()))
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()
    for act in window.findChildren(QAction):
        if id(act) in seen or not act.shortcuts() or not act.text():
            continue
        seen.add(id(act))
        keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                         for s in act.shortcuts() if typable(s))
        if keys:
            owner = act.parent()  # an action of no menu: named by its bar ("Find")
            menu = menus.get(id(act)) or (
                plain(owner.windowTitle()) if isinstance(owner, QWidget)
                and owner is not window and owner.windowTitle() else translate("Help", "Other"))
            # the icon text: the action's name without the step a menu item may add
            # (Edit > Undo reads "Undo Add card '…'"; its name stays "Undo")
            rows.append((menu, plain(act.iconText()), keys))
    from app.ui.canvas.capture import KEYS

    menu = translate("Help", "Workshop capture")
    rows.sort(key=lambda r: (r[0], r[1].lower()))
    return rows + [(menu, translate("Help", text), keys) for text, keys in KEYS]


def typable(seq: QKeySequence) -> bool:
    """False for empty sequences and dedicated hardware keys (F13-F35, Copy, Undo, Find…).

    Qt's standard bindings include keys found only on some Sun/X11 keyboards;
    listing them would bury the shortcuts people actually type.
    """
    if seq.isEmpty():
        return False
    key = seq[0].key().value
    dedicated = (Qt.Key.Key_F13.value <= key <= Qt.Key.Key_F35.value
                 or key >= Qt.Key.Key_Back.value or key == Qt.Key.Key_Help.value)
    return not (seq.count() == 1 and dedicated)


class ShortcutsDialog(QDialog):
    """Every action with a shortcut, searchable by name, menu or key."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        self.resize(560, 520)
        lay = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search actions or keys…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search shortcuts"))
        lay.addWidget(self.search)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Menu"), self.tr("Action"), self.tr("Shortcut")])
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        rows = shortcut_rows(window)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        lay.addWidget(self.table)
        lay.addWidget(QLabel(self.tr("Typed text is always text: commands take Ctrl or Alt, "
                                     "or a key that types nothing (F1 opens the guide).")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.search.textChanged.connect(self.filter)

    def filter(self, text: str) -> None:
        """Show only rows whose menu, action or keys contain ``text`` (any case)."""
        needle = text.strip().lower()
        for r in range(self.table.rowCount()):
            hay = " ".join(self.table.item(r, c).text() for c in range(3)).lower()
            self.table.setRowHidden(r, bool(needle) and needle not in hay)

    def visible_actions(self) -> list[str]:
        """The action names currently listed (for tests and screen readers)."""
        return [self.table.item(r, 1).text() for r in range(self.table.rowCount())
                if not self.table.isRowHidden(r)]


def guide_url(page: str = "README.md") -> QUrl:
    """The file URL of a page of the user guide."""
    return QUrl.fromLocalFile(str(GUIDE_DIR / page))


def open_user_guide(parent: QWidget | None = None, page: str = "README.md"):
    """Show the guide in the in-app viewer (one per window, raised when open again); say
    where the guide is when it is missing from this installation."""
    from app.ui.dialogs.help_viewer import HelpViewer

    if not (GUIDE_DIR / "README.md").is_file():
        QMessageBox.information(parent, translate("Help", "User Guide"),
                                translate("Help", "The user guide is in {0}").format(GUIDE_DIR))
        return None
    viewer = getattr(parent, "help_viewer", None)
    if not isinstance(viewer, HelpViewer):
        viewer = HelpViewer(GUIDE_DIR, parent)
        if parent is not None:
            parent.help_viewer = viewer  # type: ignore[attr-defined]
    viewer.open_page(page)
    viewer.show()
    viewer.raise_()
    viewer.activateWindow()
    return viewer


def about_text() -> str:
    """What About shows: `waymark --version` plus the running Qt and Python."""
    import PySide6

    return "\n".join([
        version_text(),
        f"Running on Qt {qVersion()} (PySide6 {PySide6.__version__}), "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}",
    ])


class AboutDialog(QDialog):
    """Version, libraries and licences (with the DejaVu font licence in full)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Waymark"))
        self.resize(620, 460)
        lay = QVBoxLayout(self)
        head = QLabel(self.tr("Waymark {0}").format(app.__version__))
        font = head.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        head.setFont(font)
        lay.addWidget(head)
        blurb = QLabel(self.tr("Customer journey maps, offline, printed legibly."))
        lay.addWidget(blurb)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName(self.tr("Versions and licences"))
        licence = ""
        try:
            licence = FONT_LICENCE.read_text(encoding="utf-8", errors="replace")
        except OSError:
            licence = self.tr("(the font licence file is missing from this installation)")
        self.details.setPlainText(about_text() + "\n\n" + licence)
        lay.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)


def install_help_menu(window: QMainWindow) -> QMenu:
    """Add Help > Keyboard Shortcuts, User Guide, About Waymark to ``window``'s menu bar."""
    menu = window.menuBar().addMenu(translate("Help", "&Help"))
    menu.setObjectName("help-menu")
    shortcuts = menu.addAction(translate("Help", "&Keyboard Shortcuts"))
    shortcuts.setObjectName("act-shortcuts")
    shortcuts.triggered.connect(lambda: ShortcutsDialog(window).exec())
    guide = menu.addAction(translate("Help", "&User Guide"))
    guide.setObjectName("act-guide")
    guide.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.HelpContents))
    guide.triggered.connect(lambda: open_user_guide(
        window, "workshop.md" if getattr(window, "workshop", None) is not None else "README.md"))
    menu.addSeparator()
    about = menu.addAction(translate("Help", "&About Waymark"))
    about.setObjectName("act-about")
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about.triggered.connect(lambda: AboutDialog(window).exec())
    window.act_shortcuts = shortcuts  # type: ignore[attr-defined]
    window.act_guide = guide  # type: ignore[attr-defined]
    window.act_about = about  # type: ignore[attr-defined]
    return menu


