"""The poster font of a document: its Preferences row.

The choice is stored in the document (``meta`` setting ``poster_font``, see
:mod:`app.layout.brandfont`), so the poster looks the same on every machine that has
the font. It belongs to that document only: the window's canvas (``MapScene.fonts``)
and its exports measure and draw with it, while another window keeps its own
document's font. A font whose licence forbids embedding is refused with its reason,
in the dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from app.errors import WaymarkError
from app.layout.brandfont import SETTING, FontRefused, load_font, to_setting
from app.model.document import Document


class PosterFontRow(QWidget):
    """The font's family, "Choose…" and "Default": changes are applied by :meth:`store`."""

    def __init__(self, doc: Document | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self._setting: str | None = doc.setting(SETTING) if doc is not None else None
        self._changed = False
        self.error = ""
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.choose = QPushButton(self.tr("Choose…"))
        self.choose.setToolTip(self.tr("A TrueType or OpenType font (.ttf, .otf); its bold "
                                       "and italic faces beside it are used too"))
        self.default = QPushButton(self.tr("Default"))
        # a compact row: a long reason wraps instead of widening the dialog
        self.label.setWordWrap(True)
        self.label.setMaximumWidth(150)
        row.addWidget(self.label, 1)
        row.addWidget(self.choose)
        row.addWidget(self.default)
        self.choose.clicked.connect(self._browse)
        self.default.clicked.connect(self.use_default)
        for w in (self.choose, self.default):
            w.setEnabled(doc is not None and not doc.read_only)
        self._show()

    def _show(self) -> None:
        import json

        if self.error:
            self.label.setText(self.error)
            return
        family = json.loads(self._setting)["family"] if self._setting else "DejaVu Sans"
        self.label.setText(family if self._setting else self.tr("DejaVu Sans (default)"))

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Poster font"), str(Path.home()),
            self.tr("Fonts (*.ttf *.otf *.ttc *.otc)"))
        if path:
            self.choose_file(path)

    def choose_file(self, path: str | Path) -> bool:
        """Take a font file (refused with its reason shown when it cannot be used)."""
        try:
            choice = load_font(path)
            self._setting = to_setting(choice, path)
        except FontRefused as err:
            self.error = err.message
            self._show()
            return False
        self.error = ""
        self._changed = True
        self._show()
        return True

    def use_default(self) -> None:
        """Back to DejaVu Sans."""
        self._setting = None
        self.error = ""
        self._changed = True
        self._show()

    def store(self) -> None:
        """Write the choice into the document as one undoable step ("Change poster font");
        the window's canvas lays out again in it (and again in the old one on Undo)."""
        if not self._changed or self.doc is None or self.doc.read_only:
            return
        try:
            self.doc.set_setting(SETTING, self._setting, "Change poster font")  # one undo step
        except WaymarkError:
            return
