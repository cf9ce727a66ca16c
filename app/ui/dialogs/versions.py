"""The Versions dialog (File > Versions…): named versions, what changed, restore, review.

* The list shows every named version, newest first. Select one to see what
  changed between it and the current document, or two to compare them (older
  to newer): cards added, removed, moved and edited, and emotion per stage,
  from :func:`app.analysis.diff.diff_versions`.
* Restore makes the document equal the selected version as one undoable step.
* The review box shows the shown map's last-reviewed date, interval and whether
  it is overdue; "Mark reviewed today" and the interval are undoable map edits.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.analysis.diff import VersionDiff, diff_versions
from app.analysis.findings import review_status
from app.errors import WaymarkError
from app.model import commands as C
from app.model.document import Document
from app.model.versions import Version
from app.ui.support.running import Runner, execute

ID_ROLE = Qt.ItemDataRole.UserRole


def describe_diff(diff: VersionDiff, older: str, newer: str) -> str:
    """The changes as plain text, one per line."""
    if diff.empty:
        return f"No changes between {older} and {newer}."
    out = [f"From {older} to {newer}: {len(diff.added)} added, {len(diff.removed)} removed, "
           f"{len(diff.moved)} moved, {len(diff.edited)} edited", ""]
    for heading, items in (("Added", diff.added), ("Removed", diff.removed),
                           ("Moved", diff.moved), ("Edited", diff.edited)):
        if items:
            out.append(f"{heading}:")
            out += [f"  {c.title}: {c.detail}" for c in items]
    if diff.stages_added:
        out.append("Stages added: " + ", ".join(diff.stages_added))
    if diff.stages_removed:
        out.append("Stages removed: " + ", ".join(diff.stages_removed))
    if diff.emotion:
        out.append("Emotion per stage:")
        for e in diff.emotion:
            before = "n/a" if e.before is None else f"{e.before:+.2g}"
            after = "n/a" if e.after is None else f"{e.after:+.2g}"
            out.append(f"  {e.stage}: {before} -> {after}")
    return "\n".join(out)


class VersionsDialog(QDialog):
    """List, compare and restore named versions; see and update the map's review status."""

    def __init__(self, doc: Document, map_id: int | None, parent: QWidget | None = None,
                 report=None, today: dt.date | None = None, *, run: Runner | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Versions")
        self.doc, self.map_id = doc, map_id
        self.today = today
        self.report_message = report or (lambda _m: None)
        #: The window's execute-and-report path (None: execute here, report as above).
        self.runner = run
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.itemSelectionChanged.connect(self.show_changes)
        self.changes = QPlainTextEdit()
        self.changes.setReadOnly(True)
        self.btn_name = QPushButton("Name this version…")
        self.btn_name.clicked.connect(self._name)
        self.btn_restore = QPushButton("Restore")
        self.btn_restore.clicked.connect(self.restore_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.btn_name)
        buttons.addWidget(self.btn_restore)
        buttons.addStretch(1)

        self.review_label = QLabel()
        self.review_label.setTextFormat(Qt.TextFormat.PlainText)
        self.review_label.setWordWrap(True)
        self.interval = QSpinBox()
        self.interval.setRange(1, 3650)
        self.interval.setSuffix(" days")
        self.interval.editingFinished.connect(self._interval_changed)
        self.btn_reviewed = QPushButton("Mark reviewed today")
        self.btn_reviewed.clicked.connect(self.mark_reviewed)
        review = QGroupBox("Review of this map")
        rl = QVBoxLayout(review)
        rl.addWidget(self.review_label)
        row = QHBoxLayout()
        row.addWidget(QLabel("Review every"))
        row.addWidget(self.interval)
        row.addStretch(1)
        row.addWidget(self.btn_reviewed)
        rl.addLayout(row)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Named versions (select one to compare with now, two to compare "
                             "them):"))
        lay.addWidget(self.list, 1)
        lay.addLayout(buttons)
        lay.addWidget(self.changes, 2)
        lay.addWidget(review)
        lay.addWidget(close)
        self.resize(640, 620)
        self._unsub = doc.subscribe(lambda _c: self.refresh())
        self.finished.connect(lambda _r: self._unsub())
        self.refresh()

    # ---------------------------------------------------------------- state
    def versions(self) -> list[Version]:
        """Named versions, newest first."""
        return list(reversed(self.doc.versions()))

    def refresh(self) -> None:
        """Fill the list and the review box from the document."""
        chosen = {it.data(ID_ROLE) for it in self.list.selectedItems()}
        self.list.blockSignals(True)
        self.list.clear()
        for v in self.versions():
            item = QListWidgetItem(f"{v.name}  ({v.created[:16].replace('T', ' ')})")
            item.setData(ID_ROLE, v.id)
            self.list.addItem(item)
            item.setSelected(v.id in chosen)
        self.list.blockSignals(False)
        writable = not self.doc.read_only
        self.btn_name.setEnabled(writable)
        self.btn_reviewed.setEnabled(writable and self.map_id in self.doc.data.maps)
        self.interval.setEnabled(writable and self.map_id in self.doc.data.maps)
        self._show_review()
        self.show_changes()

    def _show_review(self) -> None:
        data = self.doc.data
        if self.map_id not in data.maps:
            self.review_label.setText("No map")
            return
        status = review_status(data, self.map_id, self.today)
        text = status.describe()
        if status.overdue_days > 0:
            text = "Overdue: " + text
        self.review_label.setText(text)
        self.review_label.setStyleSheet("color: #a33a00; font-weight: bold;"
                                        if status.overdue_days > 0 else "")
        self.interval.blockSignals(True)
        self.interval.setValue(data.maps[self.map_id].review_interval_days)
        self.interval.blockSignals(False)

    def selected_ids(self) -> list[int]:
        """Selected version ids, oldest first."""
        return sorted(int(it.data(ID_ROLE)) for it in self.list.selectedItems())

    def show_changes(self) -> None:
        """What changed: selected version -> now, or the older selected -> the newer."""
        ids = self.selected_ids()
        self.btn_restore.setEnabled(len(ids) == 1 and not self.doc.read_only)
        names = {v.id: v.name for v in self.doc.versions()}
        try:
            if len(ids) == 1:
                old = self.doc.version_data(ids[0])
                text = describe_diff(diff_versions(old, self.doc.data, None),
                                     f"“{names[ids[0]]}”", "now")
            elif len(ids) == 2:
                a, b = (self.doc.version_data(i) for i in ids)
                text = describe_diff(diff_versions(a, b, None), f"“{names[ids[0]]}”",
                                     f"“{names[ids[1]]}”")
            elif ids:
                text = "Select one or two versions."
            else:
                text = ("No versions yet: name one with “Name this version…”."
                        if not names else "Select a version to see what changed since.")
        except WaymarkError as err:
            text = err.message
        self.changes.setPlainText(text)

    # ---------------------------------------------------------------- actions
    def _name(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getText(self, "Name version", "Version name:")
        if ok and name.strip():
            self.name_version(name)

    def name_version(self, name: str) -> None:
        """Save the current state under ``name``."""
        try:
            v = self.doc.name_version(name)
        except WaymarkError as err:
            self.report_message(err.message)
            return
        self.report_message(f"Saved version “{v.name}”")
        self.refresh()

    def restore_selected(self) -> None:
        """Make the document equal the selected version (one undoable step)."""
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        try:
            self.doc.restore_version(ids[0])
        except WaymarkError as err:
            self.report_message(err.message)

    def mark_reviewed(self) -> None:
        """Set the map's last-reviewed date to today (undoable)."""
        today = self.today or dt.date.today()
        self._update_map({"last_reviewed": today})

    def _interval_changed(self) -> None:
        if self.map_id in self.doc.data.maps and \
                self.interval.value() != self.doc.data.maps[self.map_id].review_interval_days:
            self._update_map({"review_interval_days": self.interval.value()})

    def _update_map(self, fields: dict) -> None:
        cmd = C.UpdateMap(self.map_id, fields)
        if self.runner is not None:
            self.runner(cmd)
        else:
            execute(self.doc, cmd, self.report_message)
