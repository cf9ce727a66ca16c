"""The import dialog's table choices, the way spreadsheet import wizards offer them.

For a table (a CSV, a sheet, a Markdown table) it shows the file's first rows as they are,
the header row highlighted and the rows above it greyed, a role picker over each column,
and what was recognised in words; the sheet, the layout and the header row can be chosen.
Every change emits :attr:`TableChoices.changed` with the table's name and its new
:class:`~app.interchange.tablelayout.TableOptions`; the dialog then reads the file again.
Every text shown is plain text, never markup.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.interchange.tablelayout import (
    HINT,
    LAYOUT_NAMES,
    LAYOUTS,
    Plan,
    TableOptions,
    cell_text,
    describe,
    role_choices,
)

SOURCE_ROWS = 40  # rows of the file shown
SOURCE_COLUMNS = 30
HEADER_FILL = QColor("#dbeafe")
#: The header row's text: dark on its light fill in either theme (the palette's text is
#: near-white in the dark one, which left the header unreadable, 1.2:1).
HEADER_TEXT = QColor("#1d1d1d")
SKIPPED_TEXT = QColor("#8a8a8a")


class TableChoices(QWidget):
    """Sheet, layout, header row and column roles of the tables being imported."""

    changed = Signal(str, object)  # table name, TableOptions

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import-layout")
        self.plans: list[Plan] = []
        self.options: dict[str, TableOptions] = {}
        self._updating = False

        self.sheet = QComboBox()
        self.sheet.setObjectName("import-sheet")
        self.sheet.setAccessibleName("Sheet or table")
        self.sheet.currentIndexChanged.connect(self._show_current)
        self.sheet_label = QLabel("&Sheet:")
        self.sheet_label.setBuddy(self.sheet)
        self.layout_box = QComboBox()
        self.layout_box.setObjectName("import-layout-choice")
        self.layout_box.setAccessibleName("Layout")
        for layout in LAYOUTS:
            self.layout_box.addItem(LAYOUT_NAMES[layout], layout)
        self.layout_box.currentIndexChanged.connect(self._layout_chosen)
        layout_label = QLabel("&Layout:")
        layout_label.setBuddy(self.layout_box)
        self.header_row = QSpinBox()
        self.header_row.setObjectName("import-header-row")
        self.header_row.setAccessibleName("Header row")
        self.header_row.setRange(1, 1)
        self.header_row.valueChanged.connect(self._header_chosen)
        header_label = QLabel("&Header row:")
        header_label.setBuddy(self.header_row)
        self.reset = QPushButton("&Detect again")
        self.reset.setToolTip("Forget the choices for this table and detect its layout again")
        self.reset.clicked.connect(self._reset)
        row = QHBoxLayout()
        for w in (self.sheet_label, self.sheet, layout_label, self.layout_box, header_label,
                  self.header_row, self.reset):
            row.addWidget(w)
        row.addStretch(1)

        self.recognised = QLabel("")
        self.recognised.setObjectName("import-recognised")
        self.recognised.setTextFormat(Qt.TextFormat.PlainText)
        self.recognised.setWordWrap(True)
        self.source = QTableWidget(0, 0)
        self.source.setObjectName("import-source")
        self.source.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.source.setWordWrap(False)
        self.source.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.pickers: list[QComboBox] = []

        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(row)
        box.addWidget(self.recognised)
        box.addWidget(self.source, 1)

    # ------------------------------------------------------------ showing
    def show_plans(self, plans: list[Plan]) -> None:
        """Show the tables of a file and how each will be read."""
        self.plans = plans
        self._updating = True
        current = self.sheet.currentText()
        self.sheet.clear()
        for plan in plans:
            name = plan.table.name or "CSV"
            self.sheet.addItem(name, plan.table.name)
        index = max(self.sheet.findText(current), 0)
        self.sheet.setCurrentIndex(index)
        several = len(plans) > 1
        self.sheet.setVisible(several)
        self.sheet_label.setVisible(several)
        if plans and plans[0].table.kind == "markdown":
            self.sheet_label.setText("&Table:")
        self._updating = False
        self._show_current()

    def current_plan(self) -> Plan | None:
        index = self.sheet.currentIndex()
        return self.plans[index] if 0 <= index < len(self.plans) else None

    def _show_current(self) -> None:
        if self._updating:
            return
        plan = self.current_plan()
        if plan is None:
            return
        self._updating = True
        table = plan.table
        self.layout_box.setCurrentIndex(max(self.layout_box.findData(plan.layout), 0))
        self.header_row.setRange(1, max(len(table.rows), 1))
        self.header_row.setValue(plan.header + 1)
        # rows of the table (a Markdown table's first row is 1, whatever its line)
        lines = [ln for ln in describe(plan) if ln != HINT]
        if plan.layout is None:
            lines.append("Choose the layout and the header row to read it.")
        self.recognised.setText("\n".join(lines))
        self._fill_source(plan)
        self._updating = False

    def _fill_source(self, plan: Plan) -> None:
        table = plan.table
        rows = table.rows[:SOURCE_ROWS]
        width = min(max(table.width, 1), SOURCE_COLUMNS)
        src = self.source
        src.clear()
        src.setRowCount(len(rows) + 1)
        src.setColumnCount(width)
        src.setHorizontalHeaderLabels([table.column_name(c) for c in range(width)])
        src.setVerticalHeaderLabels(
            ["role"] + [table.row_name(r).split()[-1] for r in range(len(rows))])
        self.pickers = []
        choices = role_choices(plan.layout) if plan.layout else []
        for col in range(width):
            picker = QComboBox()
            picker.setObjectName(f"import-role-{col}")
            picker.setAccessibleName(f"Column {table.column_name(col)} holds")
            for role, label in choices:
                picker.addItem(label, role)
            role = plan.roles[col] if col < len(plan.roles) else None
            picker.setCurrentIndex(max(picker.findData(role), 0))
            picker.setEnabled(bool(choices))
            picker.currentIndexChanged.connect(
                lambda _i, c=col, p=picker: self._role_chosen(c, p.currentData()))
            src.setCellWidget(0, col, picker)
            self.pickers.append(picker)
        bold = QFont(self.font())
        bold.setBold(True)
        footer = set(plan.footer)
        for r, cells in enumerate(rows):
            above = plan.layout is not None and (r < plan.header or r in footer)
            for col in range(width):
                text = cell_text(cells[col]) if col < len(cells) else ""
                item = QTableWidgetItem(" ⏎ ".join(text.splitlines()))  # literal text
                item.setToolTip(text[:2000])
                if plan.layout is not None and r == plan.header:
                    item.setBackground(QBrush(HEADER_FILL))
                    item.setForeground(QBrush(HEADER_TEXT))
                    item.setFont(bold)
                elif above:
                    item.setForeground(QBrush(SKIPPED_TEXT))
                src.setItem(r + 1, col, item)
        src.resizeColumnsToContents()
        for col in range(width):
            src.setColumnWidth(col, min(max(src.columnWidth(col), 110), 260))
        if plan.layout is not None and plan.header > 3:
            # the role pickers, the first skipped row, then the two rows over the header:
            # the rows between are folded away (their numbers show the gap)
            first = plan.skipped[0] if plan.skipped else 0
            for r in range(len(rows)):
                src.setRowHidden(r + 1, first < r < plan.header - 2)

    # ------------------------------------------------------------ choosing
    def _options(self, plan: Plan) -> TableOptions:
        name = plan.table.name
        if name not in self.options:
            self.options[name] = TableOptions()
        return self.options[name]

    def _emit(self, plan: Plan) -> None:
        self.changed.emit(plan.table.name, self._options(plan))

    def _layout_chosen(self) -> None:
        plan = self.current_plan()
        if self._updating or plan is None:
            return
        opts = self._options(plan)
        opts.layout = self.layout_box.currentData()
        opts.columns = {}  # the roles of another layout
        opts.header_row = plan.header + 1
        self._emit(plan)

    def _header_chosen(self, value: int) -> None:
        plan = self.current_plan()
        if self._updating or plan is None:
            return
        opts = self._options(plan)
        opts.header_row = value
        opts.layout = opts.layout or plan.layout
        opts.columns = {}
        self._emit(plan)

    def _role_chosen(self, col: int, role: str) -> None:
        plan = self.current_plan()
        if self._updating or plan is None or plan.layout is None:
            return
        opts = self._options(plan)
        opts.layout = opts.layout or plan.layout
        opts.header_row = opts.header_row or plan.header + 1
        opts.columns = {**opts.columns, col: role}
        self._emit(plan)

    def _reset(self) -> None:
        plan = self.current_plan()
        if plan is None:
            return
        self.options[plan.table.name] = TableOptions()
        self._emit(plan)
