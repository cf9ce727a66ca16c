"""Workshop > Voters and Dots…: who votes, how many dots each has, whose dots the keys place.

Every change is one document command (AddVoter, DeleteVoter, SetDotBudget), so it is on
disk at once and undoable; the list shows each voter's dots left.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.model import voting as V
from app.model.document import Document
from app.model.schema import MAX_DOTS, MAX_NAME
from app.workshop.dots import dot_budget
from app.workshop.state import WorkshopState

_ID = Qt.ItemDataRole.UserRole


class VotersDialog(QDialog):
    """Add and remove voters, set the budget, pick whose dots Alt+= places."""

    def __init__(self, parent: QWidget | None, doc: Document, map_id: int,
                 state: WorkshopState, run: Callable[[object], object]) -> None:
        super().__init__(parent)
        self.doc, self.map_id, self.state, self.run = doc, map_id, state, run
        self.setWindowTitle(self.tr("Voters and dots"))
        self.resize(420, 420)
        self.voters = QListWidget()
        self.voters.setAccessibleName(self.tr("Voters and their dots left"))
        self.name = QLineEdit()
        self.name.setMaxLength(MAX_NAME)
        self.name.setPlaceholderText(self.tr("Name (Ana, Table 3, …)"))
        self.name.setAccessibleName(self.tr("New voter's name"))
        self.add = QPushButton(self.tr("&Add"))
        self.add.setAccessibleName(self.tr("Add voter"))
        self.remove = QPushButton(self.tr("&Remove"))
        self.remove.setAccessibleName(self.tr("Remove voter"))
        self.budget = QSpinBox()
        self.budget.setRange(0, MAX_DOTS)
        self.budget.setAccessibleName(self.tr("Dots per voter"))
        self.apply_budget = QPushButton(self.tr("Give everyone this many"))
        self.current = QComboBox()
        self.current.setAccessibleName(self.tr("Whose dots Alt+= places"))
        row = QHBoxLayout()
        row.addWidget(self.name, 1)
        row.addWidget(self.add)
        form = QFormLayout()
        budget_row = QHBoxLayout()
        budget_row.addWidget(self.budget)
        budget_row.addWidget(self.apply_budget)
        form.addRow(self.tr("Dots per voter:"), budget_row)
        form.addRow(self.tr("Alt+= places dots of:"), self.current)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addWidget(self.voters, 1)
        lay.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignRight)
        lay.addLayout(row)
        lay.addLayout(form)
        lay.addWidget(buttons)
        self.add.clicked.connect(self.add_voter)
        self.name.returnPressed.connect(self.add_voter)
        self.remove.clicked.connect(self.remove_voter)
        self.apply_budget.clicked.connect(self.set_budget)
        self.current.activated.connect(self._current_chosen)
        self.fill()

    def fill(self) -> None:
        """Show the voters as the document has them."""
        rows = dot_budget(self.doc.data, self.map_id)
        self.voters.clear()
        for v in rows:
            item = QListWidgetItem(self.tr("{0}: {1} of {2} dots left").format(
                v.name, v.remaining, v.budget))
            item.setData(_ID, v.voter_id)
            self.voters.addItem(item)
        if rows:
            self.budget.setValue(rows[-1].budget)
        elif not self.budget.value():
            self.budget.setValue(V.DEFAULT_BUDGET)
        self.current.clear()
        self.current.addItem(self.tr("nobody (plain votes, no budget)"), None)
        for v in rows:
            self.current.addItem(v.name, v.voter_id)
        index = self.current.findData(self.state.voter_id)
        self.current.setCurrentIndex(max(0, index))
        self.remove.setEnabled(bool(rows))

    def add_voter(self) -> None:
        """Add the typed name as a voter with the budget shown."""
        name = " ".join(self.name.text().split())
        if not name:
            return
        if self.run(V.AddVoter(self.map_id, name, self.budget.value())) is not None:
            self.name.clear()
            if self.state.voter_id is None:
                self.state.voter_id = self.doc.data.voters_of(self.map_id)[-1].id
        self.fill()

    def remove_voter(self) -> None:
        """Remove the selected voter (their dots come off the cards; undoable)."""
        item = self.voters.currentItem()
        if item is None:
            return
        voter_id = item.data(_ID)
        if self.run(V.DeleteVoter(voter_id)) is not None and self.state.voter_id == voter_id:
            self.state.voter_id = None
        self.fill()

    def set_budget(self) -> None:
        """Every voter gets the budget shown."""
        self.run(V.SetDotBudget(self.map_id, self.budget.value()))
        self.fill()

    def _current_chosen(self, index: int) -> None:
        self.state.voter_id = self.current.itemData(index)
