"""File > Import…: read CSV, XLSX, Markdown, JSON or Mermaid off the GUI thread and preview it.

For a table (CSV, a workbook's sheets, Markdown tables) the preview first shows the file's
rows and how they will be read, and lets the user change the layout, the header row, the
sheet and what each column holds (:mod:`app.ui.dialogs.import_layout`); every change reads
the file again. Then it lists the maps (persona, stages, lanes, card count), a table of the
first cards, the importer's warnings, and, for a bad file, every problem by row and column;
a bad file imports nothing. "Add to this document" is one undoable ImportMaps step;
"Import as new document…" creates a .cjm holding the import and opens it.
Every text shown (file content included) is plain text, never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.errors import ImportProblem
from app.interchange.common import ImportResult
from app.interchange.tablelayout import TableOptions
from app.model import commands as C
from app.model.document import Document
from app.ui.dialogs.import_layout import TableChoices
from app.ui.support.scrolling import fit_to_screen
from app.ui.support.tasks import Report, Task, busy_cursor, run_task, show_error, user_message

if TYPE_CHECKING:
    from app.model.commands import Command
    from app.model.state import Change


class ImportTarget(Protocol):
    """What the import preview needs of the window it belongs to (a QWidget, its parent):
    :class:`app.ui.shell.base.Shell` is one."""

    doc: Document

    def run(self, cmd: Command, *, refused: Callable[[str], None] | None = None
            ) -> Change | None: ...

    def show_map(self, map_id: int) -> None: ...

    def report(self, message: str, timeout: int = ...) -> None: ...

    def open_window(self, doc: Document) -> object: ...


FILTER = ("Journey data (*.csv *.tsv *.xlsx *.xlsm *.md *.markdown *.json *.mmd *.mermaid);;"
          "CSV (*.csv *.tsv);;Excel (*.xlsx *.xlsm);;Markdown (*.md *.markdown);;"
          "Waymark JSON (*.json);;Mermaid journey (*.mmd *.mermaid);;All files (*)")
PREVIEW_CARDS = 100  # rows of the card table
COLUMNS = ("Map", "Stage", "Lane", "Kind", "Title")


@dataclass
class Reading:
    """What the worker found: the tables and their plans (tables only), and the import or
    the problem that refused it."""

    plans: list[Any] = field(default_factory=list)
    result: ImportResult | None = None
    problem: ImportProblem | None = None


def read_import(path: Path, progress: Report, cancelled: Callable[[], bool],
                options: Any = None) -> Reading:
    """The worker: read the tables, plan them, parse the whole file.

    A file that cannot be read at all raises ImportProblem; a table that does not read as
    planned gives a Reading with its plans and the problem, so the layout can be changed.
    """
    from app.interchange.formats import import_file, read_tables
    from app.interchange.tabular import plan_tables

    progress(None, "reading")
    tables = read_tables(path)
    reading = Reading()
    if tables:
        try:
            reading.plans = plan_tables(tables, options, f"'{path.name}'")
        except ImportProblem as err:
            reading.problem = err
            return reading
    try:
        reading.result = import_file(path, options=options if tables else None)
    except ImportProblem as err:
        if not tables:
            raise
        reading.problem = err
    return reading


def describe_maps(result: ImportResult) -> list[str]:
    """One line per imported map: title, persona, stages, lanes and card count."""
    data = result.data
    lines = []
    for m in data.ordered_maps():
        persona = data.personas.get(m.persona_id) if m.persona_id else None
        stages = [s.name for s in data.stages_of(m.id)]
        lanes = [ln.name for ln in data.lanes_of(m.id)]
        lines.append(
            f"“{m.title}”" + (f" for {persona.name}" if persona else "")
            + f": {len(data.cards_of(m.id))} cards; {len(stages)} stages ({_names(stages)}); "
            f"{len(lanes)} lanes ({_names(lanes)})")
    return lines


def _names(names: list[str], most: int = 8) -> str:
    shown = ", ".join(names[:most])
    return shown + (f", … {len(names) - most} more" if len(names) > most else "")


class ImportDialog(QDialog):
    """Pick a data file, preview it, and import it into this or a new document."""

    def __init__(self, window: ImportTarget, path: Path | None = None) -> None:
        super().__init__(window)  # the window is a QWidget too
        self.window_ = window
        self.setWindowTitle("Import")
        self.setObjectName("import-dialog")
        self.result_: ImportResult | None = None
        self.problems: list[str] = []
        self.task: Task | None = None
        self.source: Path | None = None
        self.plans: list[Any] = []

        self.path = QLineEdit()
        self.path.setPlaceholderText("A .csv, .xlsx, .md, .json or .mmd file")
        self.path.returnPressed.connect(lambda: self.load(Path(self.path.text().strip())))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.headline = QLabel("Choose a file to see what it holds.")
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setWordWrap(True)
        self.maps = QLabel("")
        self.maps.setTextFormat(Qt.TextFormat.PlainText)
        self.maps.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("import-cards")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(
            len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("import-problems")
        self.problem_list.setWordWrap(True)
        self.problem_list.setMinimumHeight(70)
        self.problem_list.hide()
        self.choices = TableChoices(self)
        self.choices.hide()
        self.choices.changed.connect(self._choice_made)
        self.reread = QTimer(self)  # a burst of choices (a spin box held down) reads once
        self.reread.setSingleShot(True)
        self.reread.setInterval(250)
        self.reread.timeout.connect(self._read_again)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.new_button = self.buttons.addButton(
            "Import as new document…", QDialogButtonBox.ButtonRole.ActionRole)
        self.add_button = self.buttons.addButton(
            "Add to this document", QDialogButtonBox.ButtonRole.AcceptRole)
        self.new_button.clicked.connect(lambda: self.import_as_new())
        self.add_button.clicked.connect(self.add_to_document)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.headline)
        layout.addWidget(self.choices, 4)
        layout.addWidget(self.maps)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.problem_list, 1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 1080, 820)  # its buttons stay on a 768-pixel screen
        self._update_buttons()
        if path is not None:
            self.load(Path(path))

    # ------------------------------------------------------------ reading
    def browse(self) -> None:
        """Pick the file to import."""
        path, _ = QFileDialog.getOpenFileName(self, "Import", self.path.text(), FILTER)
        if path:
            self.load(Path(path))

    def load(self, path: Path, *, keep_choices: bool = False) -> Task | None:
        """Read ``path`` on a pool thread and show the preview when done.

        ``keep_choices`` reads the same file again with the layout choices made so far.
        """
        if not str(path) or str(path) == ".":
            return None
        if self.task is not None and not self.task.done:
            self.task.cancel()
        if not keep_choices or path != self.source:
            self.choices.options = {}
        self.path.setText(str(path))
        self.source = path
        self._clear(keep_choices=keep_choices)
        self.headline.setText(f"Reading {path.name}…")
        options = self._import_options()
        task = run_task(self, "Import", lambda progress, cancelled: read_import(
            path, progress, cancelled, options), label=f"Reading {path.name}…",
            on_done=lambda reading: self._show(path, reading),
            on_error=lambda err: self._show_problem(path, err))
        task.ended.connect(lambda: self._ended(path, task))
        self.task = task
        return task

    def _import_options(self) -> Any:
        from app.interchange.tabular import ImportOptions

        return ImportOptions(tables={name: TableOptions(o.layout, o.header_row,
                                                        dict(o.columns))
                                     for name, o in self.choices.options.items()})

    def _choice_made(self, _name: str, _options: object) -> None:
        self.reread.start()

    def _read_again(self) -> Task | None:
        """Read the file again with the layout, header row and columns chosen."""
        if self.source is None:
            return None
        return self.load(self.source, keep_choices=True)

    def _ended(self, path: Path, task: Task) -> None:
        if task.state == "cancelled" and path == self.source:
            self.headline.setText(f"Reading {path.name} was cancelled; nothing was imported.")

    def _clear(self, *, keep_choices: bool = False) -> None:
        self.result_ = None
        self.problems = []
        self.maps.setText("")
        self.table.setRowCount(0)
        self.table.show()
        self.problem_list.clear()
        self.problem_list.hide()
        if not keep_choices:
            self.plans = []
            self.choices.hide()
        self._update_buttons()

    def _show(self, path: Path, reading: Reading) -> None:
        if path != self.source:
            return
        self.plans = reading.plans
        if reading.plans:
            self.choices.show_plans(reading.plans)
            self.choices.show()
        else:
            self.choices.hide()
        if reading.problem is not None:
            self._show_problem(path, reading.problem)
            return
        result = reading.result
        assert result is not None
        self.result_ = result
        self.headline.setText(f"{path.name}: {result.summary()}")
        self.maps.setText("\n".join(describe_maps(result)))
        data = result.data
        rows = []
        for m in data.ordered_maps():
            for card in data.cards_of(m.id):
                rows.append((m.title, data.stages[card.stage_id].name,
                             data.lanes[card.lane_id].name, card.kind, card.title))
                if len(rows) >= PREVIEW_CARDS:
                    break
            if len(rows) >= PREVIEW_CARDS:
                break
        self.table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(str(value)))  # literal text
        self.table.resizeColumnsToContents()
        if result.warnings:
            self.problem_list.addItems([f"warning: {w}" for w in result.warnings])
            self.problem_list.show()
        self._update_buttons()

    def _show_problem(self, path: Path, err: BaseException) -> None:
        if path != self.source:
            return
        message = user_message(err)
        if message is None:  # a bug, not a bad file
            assert self.task is not None
            self.task.show_failure(err)
            message = "Reading the file failed (a bug; the details were logged)"
        details = list(getattr(err, "details", []) or [])
        self.problems = details or [message]
        fix = ("fix the file, or change how it is read above" if self.plans
               else "fix the file and try again")
        self.headline.setText(f"{message}. Nothing was imported; {fix}."
                              if isinstance(err, ImportProblem) else message)
        self.problem_list.clear()
        self.problem_list.addItems(self.problems)
        self.table.hide()  # the problems get the room
        self.problem_list.show()
        self._update_buttons()

    def _update_buttons(self) -> None:
        ok = self.result_ is not None
        self.new_button.setEnabled(ok)
        self.add_button.setEnabled(ok and not self.window_.doc.read_only)

    # ------------------------------------------------------------ importing
    def add_to_document(self) -> None:
        """Add the imported maps to this window's document as one undoable step."""
        result, window = self.result_, self.window_
        if result is None or self.source is None:
            return
        name = f"Import {self.source.name}"[:120]
        # The document is only ever used on the GUI thread, so this step runs here.
        with busy_cursor():
            change = window.run(C.ImportMaps(result.data, images=result.blobs, name=name),
                                refused=lambda message: show_error(self, "Import", message))
            if change is None:
                return
            new_maps = sorted(change.added.get("maps", set()),
                              key=lambda mid: window.doc.data.maps[mid].position)
            if new_maps:
                window.show_map(new_maps[0])
        window.report(f"Imported {result.summary()} (Undo takes it back)")
        self.accept()

    def import_as_new(self, target: Path | None = None) -> Task | None:
        """Create a new .cjm holding the import (asks where) and open it in a new window."""
        result = self.result_
        if result is None or self.source is None:
            return None
        if target is None:
            start = str(self.source.with_suffix(".cjm"))
            chosen, _ = QFileDialog.getSaveFileName(self, "Import as new document", start,
                                                    "Waymark maps (*.cjm)")
            if not chosen:
                return None
            target = Path(chosen if chosen.endswith(".cjm") else chosen + ".cjm")
        overwrite = target.exists()  # the save dialog asked before replacing it

        def work(progress: Report, cancelled: Callable[[], bool]) -> Document:
            progress(None, "writing")
            return Document.create_from(target, result.data, result.blobs, overwrite=overwrite)

        def opened(doc: Document) -> None:
            with busy_cursor():
                self.window_.open_window(doc)
            self.accept()

        def discard(doc: Document) -> None:  # cancelled: leave no new file behind
            doc.close()
            if not overwrite:
                target.unlink(missing_ok=True)

        return run_task(self, "Import", work, label=f"Creating {target.name}…",
                        on_done=opened, on_discard=discard)


def open_import_dialog(window: ImportTarget, path: Path | None = None) -> ImportDialog:
    """Show the import preview (non-blocking), reading ``path`` at once when given."""
    dlg = ImportDialog(window, path)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.open()
    return dlg
