"""The undo history panel: every step's label; click one to jump there."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app.errors import WaymarkError
from app.model.document import Document
from app.ui.support.tips import literal_tip

ROLE = Qt.ItemDataRole.UserRole


class HistoryPanel(QListWidget):
    """A QUndoView-like list of the document's history steps."""

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.setAccessibleName(self.tr("Undo history"))
        self.setAccessibleDescription(self.tr("Every step; click one to go back or forward to it"))
        # every row is one line of the same font: without this, choosing the current row
        # lays out every row (a room burst leaves hundreds of steps)
        self.setUniformItemSizes(True)
        #: (seq, label, applied) of the steps the items after the first show.
        self._shown: list[tuple[int, str, bool]] | None = None
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
        self._shown = None
        self._unsub = doc.subscribe(lambda change: self.reload())
        self.reload()

    def reload(self) -> None:
        """Show the document's steps: the items that still match stay, the rest are
        replaced (a new step appends one item; a room burst of hundreds of steps does not
        rebuild the list each time)."""
        steps = [(step.seq, step.label, step.applied) for step in self.doc.history()]
        shown = self._shown
        self.blockSignals(True)
        if shown is None or self.count() != len(shown) + 1:
            self.clear()
            start = QListWidgetItem(self.tr("<document opened / created>"))
            start.setData(ROLE, 0)
            self.addItem(start)
            shown = []
        keep = 0
        for old, new in zip(shown, steps, strict=False):
            if old != new:
                break
            keep += 1
        for row in range(self.count() - 1, keep, -1):  # items after the common part go
            self.takeItem(row)
        for seq, label, applied in steps[keep:]:
            item = QListWidgetItem(label)
            item.setData(ROLE, seq)
            item.setToolTip(literal_tip(label))  # the whole step when the dock cuts it
            if not applied:
                item.setForeground(QColor("#8a8a8a"))
                f = QFont(item.font())
                f.setItalic(True)
                item.setFont(f)
            self.addItem(item)
        self._shown = steps
        applied = [i for i, (_seq, _label, on) in enumerate(steps) if on]
        current = self.item(applied[-1] + 1 if applied else 0)
        if self.currentItem() is not current:
            self.setCurrentItem(current)
        self.blockSignals(False)
        self.scrollToItem(current)

    def _jump(self, item: QListWidgetItem) -> None:
        seq = int(item.data(ROLE))
        try:
            self.doc.jump_to(seq)
        except WaymarkError:
            self.reload()
