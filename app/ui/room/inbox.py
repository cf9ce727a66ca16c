"""The facilitator's inbox: participants' ideas waiting to be accepted (as they are or
edited), merged into the selected card, or left off the map."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.room.host import Refused
from app.room.room import Room

STATUS = {"pending": "", "held": " (held until the reveal)"}


class InboxPanel(QWidget):
    """Waiting ideas, oldest first, with Accept, Merge and Discard."""

    def __init__(self, room: Room, selected_card: Callable[[], int | None],
                 report: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.room = room
        self.selected_card = selected_card
        self.report = report
        self.setObjectName("room-inbox")
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Ideas waiting"))
        self.list.currentItemChanged.connect(self._chosen)
        self.title = QLineEdit()
        self.title.setAccessibleName(self.tr("Title to accept"))
        self.title.setPlaceholderText(self.tr("Title (edit before accepting)"))
        self.detail = QLabel()
        self.detail.setTextFormat(Qt.TextFormat.PlainText)  # participants' text, never markup
        self.detail.setWordWrap(True)
        self.accept = QPushButton(self.tr("&Accept"))
        self.merge = QPushButton(self.tr("&Merge into selected card"))
        self.discard = QPushButton(self.tr("&Discard"))
        self.accept.clicked.connect(self._accept)
        self.merge.clicked.connect(self._merge)
        self.discard.clicked.connect(self._discard)
        buttons = QHBoxLayout()
        for b in (self.accept, self.merge, self.discard):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.title)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        """Show what is waiting now."""
        keep = self._current_id()
        self.list.clear()
        names = {p.id: p.name for p in self.room.host.people()}
        for item in self.room.host.inbox():
            text = f"{item.idea['title']} — {names.get(item.participant_id, '?')}"
            row = QListWidgetItem(text + self.tr(STATUS.get(item.status, "")))
            row.setData(Qt.ItemDataRole.UserRole, item.id)
            row.setData(Qt.ItemDataRole.UserRole + 1, item.idea)
            self.list.addItem(row)
            if item.id == keep:
                self.list.setCurrentItem(row)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        for b in (self.accept, self.merge, self.discard):
            b.setEnabled(self.list.count() > 0)

    def _current_id(self) -> int | None:
        row = self.list.currentItem()
        return int(row.data(Qt.ItemDataRole.UserRole)) if row is not None else None

    def _chosen(self, row: QListWidgetItem | None) -> None:
        idea = row.data(Qt.ItemDataRole.UserRole + 1) if row is not None else None
        self.title.setText(idea["title"] if idea else "")
        self.detail.setText(idea.get("body", "") if idea else "")

    def _accept(self) -> None:
        item_id = self._current_id()
        if item_id is None:
            return
        title = self.title.text()
        self._do(lambda: self.room.host.accept(item_id, title=title or None))

    def _merge(self) -> None:
        item_id, card_id = self._current_id(), self.selected_card()
        if item_id is None:
            return
        if card_id is None:
            self.report(self.tr("Select the card to merge this idea into first"))
            return
        self._do(lambda: self.room.host.merge(item_id, card_id))

    def _discard(self) -> None:
        item_id = self._current_id()
        if item_id is not None:
            self._do(lambda: self.room.host.discard(item_id))

    def _do(self, action: Callable[[], object]) -> None:
        try:
            action()
        except Refused as err:
            self.report(err.reason)
        self.refresh()
