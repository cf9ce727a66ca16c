"""The maps & personas panel: switch maps; add, rename, duplicate, delete; edit personas."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import WaymarkError
from app.model import commands as C
from app.model.commands import Command
from app.model.document import Document
from app.model.images import inspect_image
from app.model.state import Change
from app.ui.support.running import Runner, execute
from app.ui.support.tips import literal_tip

ROLE = Qt.ItemDataRole.UserRole


class MapsPanel(QWidget):
    """Lists the document's maps and personas."""

    #: The user picked a map to show.
    map_chosen = Signal(int)

    def __init__(self, doc: Document, report: Callable[[str], None],
                 parent: QWidget | None = None, *, run: Runner | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.report = report
        #: The window's execute-and-report path (None: execute here, report to ``report``).
        self.runner = run
        self.current: int | None = None
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Maps")))
        self.maps = QListWidget()
        self.maps.setAccessibleName(self.tr("Maps"))
        self.maps.itemClicked.connect(lambda it: self.map_chosen.emit(int(it.data(ROLE))))
        lay.addWidget(self.maps)
        row = QHBoxLayout()
        for text, name, slot in (
                (self.tr("Add"), self.tr("Add map"), self.add_map),
                (self.tr("Rename"), self.tr("Rename map"), self.rename_map),
                (self.tr("Duplicate"), self.tr("Duplicate map"), self.duplicate_map),
                (self.tr("Delete"), self.tr("Delete map"), self.delete_map)):
            b = QPushButton(text)
            b.setAccessibleName(name)
            b.setToolTip(name)
            b.clicked.connect(slot)
            row.addWidget(b)
        lay.addLayout(row)
        lay.addWidget(QLabel(self.tr("Personas")))
        self.personas = QListWidget()
        self.personas.setAccessibleName(self.tr("Personas"))
        self.personas.itemDoubleClicked.connect(lambda it: self.edit_persona(int(it.data(ROLE))))
        lay.addWidget(self.personas)
        prow = QHBoxLayout()
        for text, name, slot in (
                (self.tr("Add"), self.tr("Add persona"), self.add_persona),
                (self.tr("Edit"), self.tr("Edit persona"), self._edit_selected),
                (self.tr("Use for map"), self.tr("Use persona for the current map"),
                 self.assign_persona)):
            b = QPushButton(text)
            b.setAccessibleName(name)
            b.setToolTip(name)
            b.clicked.connect(slot)
            prow.addWidget(b)
        lay.addLayout(prow)
        self._unsub = doc.subscribe(lambda change: self.reload())
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

    def set_current(self, map_id: int | None) -> None:
        """Mark the map on show."""
        self.current = map_id
        self.reload()

    def reload(self) -> None:
        """Refill both lists."""
        data = self.doc.data
        self.maps.clear()
        for m in data.ordered_maps():
            persona = data.personas.get(m.persona_id) if m.persona_id else None
            text = m.title + (f"  ({persona.name})" if persona else "")
            item = QListWidgetItem(text)
            item.setData(ROLE, m.id)
            item.setToolTip(literal_tip(text))  # the whole name when the dock cuts it
            self.maps.addItem(item)
            if m.id == self.current:
                self.maps.setCurrentItem(item)
        self.personas.clear()
        for p in data.personas.values():
            text = p.name + (f" — {p.role}" if p.role else "")
            item = QListWidgetItem(text)
            item.setData(ROLE, p.id)
            item.setToolTip(literal_tip(text))
            self.personas.addItem(item)

    # ---------------------------------------------------------------- maps
    def _run(self, cmd: Command) -> Change | None:
        if self.runner is not None:
            return self.runner(cmd)
        return execute(self.doc, cmd, self.report)

    def add_map(self) -> None:
        """A new map with the usual stages and lanes."""
        from app.model.schema import LaneKind

        title, ok = QInputDialog.getText(self, self.tr("New map"), self.tr("Title:"),
                                          text=self.tr("New journey"))
        if ok and title.strip():
            change = self._run(C.AddMap(title.strip(), stages=["Aware", "Consider", "Buy",
                                                              "Use", "Support"],
                                        lanes=[("Touchpoints", LaneKind.TOUCHPOINTS),
                                               ("Actions", LaneKind.ACTIONS),
                                               ("Emotions", LaneKind.EMOTIONS),
                                               ("Pain points", LaneKind.PAIN_POINTS),
                                               ("Opportunities", LaneKind.OPPORTUNITIES)]))
            if change is not None and change.added.get("maps"):
                self.map_chosen.emit(min(change.added["maps"]))

    def rename_map(self) -> None:
        """Rename the current map."""
        m = self.doc.data.maps.get(self.current) if self.current else None
        if m is None:
            return
        title, ok = QInputDialog.getText(self, self.tr("Rename map"), self.tr("Title:"),
                                          text=m.title)
        if ok and title.strip() and title.strip() != m.title:
            self._run(C.UpdateMap(m.id, {"title": title.strip()}))

    def duplicate_map(self) -> None:
        """Copy the current map."""
        if self.current in self.doc.data.maps:
            change = self._run(C.DuplicateMap(self.current))
            if change is not None and change.added.get("maps"):
                self.map_chosen.emit(min(change.added["maps"]))

    def delete_map(self) -> None:
        """Delete the current map (undoable)."""
        m = self.doc.data.maps.get(self.current) if self.current else None
        if m is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Delete map"),
            self.tr("Delete the map “{0}” with all its cards? (Undo brings it back.)")
            .format(m.title))
        if answer == QMessageBox.StandardButton.Yes:
            self._run(C.DeleteMap(m.id))

    # ---------------------------------------------------------------- personas
    def add_persona(self) -> None:
        """Create a persona and open it for editing."""
        change = self._run(C.AddPersona({"name": self.tr("New persona")}))
        if change is not None and change.added.get("personas"):
            self.edit_persona(min(change.added["personas"]))

    def _edit_selected(self) -> None:
        item = self.personas.currentItem()
        if item is not None:
            self.edit_persona(int(item.data(ROLE)))

    def assign_persona(self) -> None:
        """Make the selected persona the current map's persona."""
        item = self.personas.currentItem()
        if item is not None and self.current in self.doc.data.maps:
            self._run(C.UpdateMap(self.current, {"persona_id": int(item.data(ROLE))}))

    def edit_persona(self, persona_id: int) -> None:
        """A dialog for a persona's name, role, quote, goals, frustrations and photo."""
        p = self.doc.data.personas.get(persona_id)
        if p is None:
            return
        dlg = PersonaDialog(self.doc, p, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            fields = dlg.fields()
            if fields:
                self._run(C.UpdatePersona(persona_id, fields))


class PersonaDialog(QDialog):
    """Edit one persona's fields (applied as one UpdatePersona on OK)."""

    def __init__(self, doc: Document, persona, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Persona"))
        self.doc = doc
        self.persona = persona
        self.photo = persona.photo
        form = QFormLayout(self)
        self.name = QLineEdit(persona.name)
        self.role = QLineEdit(persona.role)
        self.quote = QPlainTextEdit(persona.quote)
        self.goals = QPlainTextEdit("\n".join(persona.goals))
        self.frustrations = QPlainTextEdit("\n".join(persona.frustrations))
        self.picture = QLabel(self.tr("(no photo)"))
        self.picture.setFixedSize(96, 96)
        self._show_photo()
        choose = QPushButton(self.tr("Photo…"))
        choose.setAccessibleName(self.tr("Choose photo"))
        choose.clicked.connect(self._choose_photo)
        for label, widget in ((self.tr("Name"), self.name), (self.tr("Role"), self.role),
                              (self.tr("Quote"), self.quote),
                              (self.tr("Goals (one a line)"), self.goals),
                              (self.tr("Frustrations (one a line)"), self.frustrations)):
            form.addRow(label, widget)
            widget.setAccessibleName(label)
        self.picture.setAccessibleName(self.tr("Photo"))
        form.addRow(self.picture, choose)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _show_photo(self) -> None:
        blob = self.doc.blob(self.photo) if self.photo else None
        if blob is None:
            return
        pix = QPixmap()
        if pix.loadFromData(blob.data):
            self.picture.setPixmap(pix.scaled(96, 96, Qt.AspectRatioMode.KeepAspectRatio,
                                              Qt.TransformationMode.SmoothTransformation))

    def _choose_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Persona photo"), "",
                                              self.tr("Images (*.png *.jpg *.jpeg)"))
        if not path:
            return
        try:
            data = Path(path).read_bytes()
            info = inspect_image(data)
            self.photo = self.doc.add_blob(data, info.mime)
        except (OSError, WaymarkError, ValueError) as err:
            QMessageBox.warning(self, self.tr("Photo"), str(err))
            return
        self._show_photo()

    def fields(self) -> dict:
        """The changed fields."""
        new = {
            "name": self.name.text().strip() or self.persona.name,
            "role": self.role.text().strip(),
            "quote": self.quote.toPlainText().strip(),
            "goals": [g.strip() for g in self.goals.toPlainText().splitlines() if g.strip()],
            "frustrations": [g.strip() for g in self.frustrations.toPlainText().splitlines()
                             if g.strip()],
            "photo": self.photo,
        }
        return {k: v for k, v in new.items() if getattr(self.persona, k) != v}
