"""The undo history panel: every step's label; click one to jump there."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app.errors import WaymarkError
from app.model.document import Document

ROLE = Qt.ItemDataRole.UserRole


class HistoryPanel(QListWidget):
    """A QUndoView-like list of the document's history steps."""

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.setAccessibleName(self.tr("Undo history"))
        self.setAccessibleDescription(self.tr("Every step; click one to go back or forward to it"))
        self._unsub = doc.subscribe(lambda change: self.reload())
        self.itemClicked.connect(self._jump)
        self.reload()

    def detach(self) -> None:
        """Stop following the document (the window is closing)."""
        self._unsub()

    def set_document(self, doc: Document) -> None:
        """Follow another document."""
        self._unsub()
        self.doc = doc
        self._unsub = doc.subscribe(lambda change: self.reload())
        self.reload()

    def reload(self) -> None:
        """Rebuild the list (steps are few; labels change on every commit)."""
        self.blockSignals(True)
        self.clear()
        start = QListWidgetItem(self.tr("<document opened / created>"))
        start.setData(ROLE, 0)
        self.addItem(start)
        current = start
        for step in self.doc.history():
            item = QListWidgetItem(step.label)
            item.setData(ROLE, step.seq)
            if not step.applied:
                item.setForeground(QColor("#8a8a8a"))
                f = QFont(item.font())
                f.setItalic(True)
                item.setFont(f)
            else:
                current = item
            self.addItem(item)
        self.setCurrentItem(current)
        self.blockSignals(False)
        self.scrollToItem(current)

    def _jump(self, item: QListWidgetItem) -> None:
        seq = int(item.data(ROLE))
        try:
            self.doc.jump_to(seq)
        except WaymarkError:
            self.reload()
