"""File > Export…: posters (PDF, PNG, SVG) and data (CSV, XLSX, JSON, Mermaid) off the GUI thread.

The dialog picks format, map, paper, orientation, viewing distance, bleed, crop marks,
tiling and DPI, shows the preflight findings for those choices (computed on a pool
thread from a snapshot), and remembers the choices. Export takes a snapshot of the
document on the GUI thread (the SQLite document never leaves it) and writes on a pool
thread with a progress dialog; Cancel stops at the next progress report and leaves no
file behind (every exporter writes a temporary file and renames it at the end).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import ExportError, WaymarkError
from app.export import registry
from app.export.common import ExportOptions
from app.export.service import (
    ExportJob,
    auto_paper,
    frozen_snapshot,
    latest_version,
    referenced_blobs,
    run_job,
)
from app.layout.logo import Logo
from app.layout.paper import MM, parse_paper
from app.model.schema import DocumentData
from app.ui.dialogs.brand import BrandRows, apply_document_brand, document_brand, store_brand
from app.ui.dialogs.export_options import (
    ORIENTATIONS,
    PAPERS,
    TILES,
    export_options,
    set_export_options,
)
from app.ui.dialogs.print_preview import PrintPreview
from app.ui.support.scrolling import fit_to_screen, scrolling
from app.ui.support.settings import Settings
from app.ui.support.tasks import Report, Task, run_task, user_message
from app.ui.support.theme import finding_colour
from app.wording import counted

SUFFIX = {e.key: e.suffix for e in registry.EXPORTERS}
PREFLIGHT_DELAY_MS = 200


# ==================================================================== the job
def job_options(values: dict[str, Any], version: str = "") -> ExportOptions:
    """ExportOptions for the dialog's values ('auto' paper is resolved by the worker); the
    options the chosen exporter lacks are left out, as their fields are disabled."""
    exporter = registry.by_key(values["format"])
    orientation = values["orientation"]
    paper_name = values["paper"] if values["paper"] != "auto" else "A0"
    opts = ExportOptions(paper=parse_paper(paper_name, orientation if orientation != "auto"
                                           else "landscape"), orientation=orientation)
    opts.dpi = int(values["dpi"])
    if exporter.can(registry.BLEED):
        opts.bleed = float(values["bleed_mm"]) * MM
    if exporter.can(registry.CROP_MARKS):
        opts.crop_marks = bool(values["crop_marks"])
    if exporter.can(registry.TILE) and values["tile_paper"]:
        opts.tile = parse_paper(values["tile_paper"], "portrait")
    opts.distance_m = float(values["distance_m"]) or None
    opts.version = version
    # What the poster shows besides the map (not remembered: it follows the canvas's view).
    opts.heat_metric = values.get("heat") or None
    opts.funnel_metric = values.get("funnel") or None
    opts.show_evidence = bool(values.get("evidence", False))
    opts.dim_assumptions = bool(values.get("dim_assumptions", False))
    opts.insights = bool(values.get("insights", False)) and exporter.can(registry.INSIGHTS)
    opts.embed_fonts = bool(values.get("embed_fonts", True))
    # How the poster is composed (issue 14; not remembered between exports).
    margin = float(values.get("margin_mm") or 0.0)
    opts.margin = margin * MM if margin >= 8 else (8 * MM if margin > 0 else None)
    opts.fit = values.get("fit") or "page"
    opts.role_distances = {r: float(d) for r, d in (values.get("role_distances") or {}).items()
                           if float(d) > 0}
    # The brand (kept in the document, not in the settings).
    opts.logo = values.get("logo")
    opts.brand_colour = values.get("brand_colour") or None
    return opts


def start_export(window: QWidget, doc: Any, job: ExportJob,
                 on_done: Callable[[str], None] | None = None) -> Task:
    """Snapshot the document (GUI thread) and export it on a pool thread with progress."""
    data = frozen_snapshot(doc)
    blobs = referenced_blobs(doc, data) if job.fmt == "json" else {}
    job.options.version = job.options.version or latest_version(doc)
    return run_task(window, "Export", lambda progress, cancelled: run_job(
        data, job, blobs, progress, cancelled), label=f"Exporting {job.path.name}…",
        on_done=on_done)


# ==================================================================== the dialog
class ExportDialog(QDialog):
    """Choose what and how to export; shows the preflight before writing."""

    def __init__(self, parent: QWidget | None, data: DocumentData, map_id: int | None,
                 default_dir: Path, base_name: str, view: dict[str, Any] | None = None,
                 brand: tuple[Logo | None, str | None] = (None, None),
                 brand_editable: bool = True, fonts: Any = None) -> None:
        """``view``: what the canvas shows (heat, funnel, evidence, dim_assumptions), the
        starting choice of what the poster shows. ``brand``: the document's logo and brand
        colour; ``brand_editable``: whether a change may be kept in the document.
        ``fonts``: the document's font set (its window's ``MapScene.fonts``), which the
        preflight, the preview and the export use (None: the process default)."""
        super().__init__(parent)
        self.fonts = fonts
        self.setWindowTitle("Export")
        self.setObjectName("export-dialog")
        self.data = data
        self.default_dir = default_dir
        self.base_name = base_name
        self._preflight_task: Task | None = None
        self._confirmed: Path | None = None  # a file the save dialog already asked to replace
        #: What Export was pressed for (set just before the dialog is accepted).
        self.accepted_job: ExportJob | None = None
        self._generation = 0
        #: True once the findings shown match the current choices.
        self.preflight_ready = False
        self.findings: list[Any] = []
        values = export_options()

        self.format = QComboBox()
        for exporter in registry.EXPORTERS:
            self.format.addItem(f"{exporter.label} ({exporter.suffix})", exporter.key)
        self.map = QComboBox()
        self._map_ids = [m.id for m in data.ordered_maps()]
        self.paper = QComboBox()
        for name in PAPERS:
            self.paper.addItem("Auto (smallest legible)" if name == "auto" else name, name)
        self.orientation = QComboBox()
        for name in ORIENTATIONS:
            self.orientation.addItem(
                "Auto (larger text)" if name == "auto" else name.capitalize(), name)
        self.distance = QDoubleSpinBox()
        self.distance.setRange(0.0, 20.0)
        self.distance.setSingleStep(0.1)
        self.distance.setDecimals(1)
        self.distance.setSuffix(" m")
        self.distance.setSpecialValueText("By paper size")
        self.bleed = QDoubleSpinBox()
        self.bleed.setRange(0.0, 25.4)
        self.bleed.setSingleStep(1.0)
        self.bleed.setDecimals(1)
        self.bleed.setSuffix(" mm")
        self.crop_marks = QCheckBox("Crop marks")
        self.tile = QComboBox()
        for name in TILES:
            self.tile.addItem(name or "No tiling (one sheet)", name)
        self.margin = QDoubleSpinBox()
        self.margin.setObjectName("export-margin")
        self.margin.setRange(0.0, 100.0)
        self.margin.setSingleStep(1.0)
        self.margin.setDecimals(0)
        self.margin.setSuffix(" mm")
        self.margin.setSpecialValueText("Automatic (2 %, at least 8 mm)")
        self.fit = QComboBox()
        self.fit.setObjectName("export-fit")
        for key, label in (("page", "Fill the sheet"), ("width", "Fit to the sheet's width"),
                           ("height", "Fit to the sheet's height")):
            self.fit.addItem(label, key)
        #: Per role reading distance (0: the rule's default, a multiple of D).
        self.role_distance: dict[str, QDoubleSpinBox] = {}
        for role, default in (("title", "3 x D"), ("stage", "2 x D"), ("label", "D"),
                              ("body", "D / 2"), ("footer", "in the hand")):
            box = QDoubleSpinBox()
            box.setObjectName(f"export-distance-{role}")
            box.setRange(0.0, 20.0)
            box.setSingleStep(0.1)
            box.setDecimals(1)
            box.setSuffix(" m")
            box.setSpecialValueText(f"Default ({default})")
            self.role_distance[role] = box
        for role, value in Settings().role_distances.items():  # Preferences' choice
            if role in self.role_distance:
                self.role_distance[role].setValue(value)
        self.dpi = QSpinBox()
        self.dpi.setRange(72, 600)
        self.dpi.setSingleStep(50)
        self.dpi.setSuffix(" dpi")
        view = view or {}
        self.heat = QComboBox()
        self.heat.setObjectName("export-heat")
        self.funnel = QComboBox()
        self.funnel.setObjectName("export-funnel")
        self._view = view
        self.evidence = QCheckBox(self.tr("Evidence coverage per stage"))
        self.evidence.setChecked(bool(view.get("evidence")))
        self.dim_assumptions = QCheckBox(self.tr("De-emphasise assumptions"))
        self.dim_assumptions.setChecked(bool(view.get("dim_assumptions")))
        self.insights = QCheckBox(self.tr("Append an insights page (report)"))
        self.insights.setObjectName("export-insights")
        # SVG for designers: the fonts used, subset, inside the file (issue 15)
        self.embed_fonts = QCheckBox(self.tr("Embed the fonts used (SVG)"))
        self.embed_fonts.setObjectName("export-embed-fonts")
        self.embed_fonts.setChecked(True)
        self.embed_fonts.setAccessibleName(self.tr("Embed fonts"))
        for widget, name in ((self.heat, "Heat map"), (self.funnel, "Funnel"),
                             (self.evidence, "Evidence coverage"),
                             (self.dim_assumptions, "De-emphasise assumptions"),
                             (self.insights, "Insights page")):
            widget.setAccessibleName(self.tr(name))
        self.brand = BrandRows(brand[0], brand[1], self, on_change=self._changed)
        self.keep_brand = QCheckBox(self.tr("Keep the logo and colour in this document"))
        self.keep_brand.setObjectName("export-keep-brand")
        self.keep_brand.setChecked(brand_editable)
        self.keep_brand.setEnabled(brand_editable)
        self.path = QLineEdit()
        self.path.setObjectName("export-path")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        file_row = QWidget()
        file_row.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)

        form = QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("Map:", self.map)
        form.addRow("Paper:", self.paper)
        form.addRow("Orientation:", self.orientation)
        form.addRow("Viewing distance:", self.distance)
        for role, label in (("title", "Title read from:"), ("stage", "Headers read from:"),
                            ("label", "Card titles read from:"),
                            ("body", "Card bodies read from:"),
                            ("footer", "Footer read from:")):
            form.addRow(label, self.role_distance[role])
        form.addRow("Margins:", self.margin)
        form.addRow("Fit:", self.fit)
        form.addRow("Bleed:", self.bleed)
        form.addRow("", self.crop_marks)
        form.addRow("Print on sheets:", self.tile)
        form.addRow("Resolution:", self.dpi)
        form.addRow("Heat map:", self.heat)
        form.addRow("Funnel:", self.funnel)
        form.addRow("", self.evidence)
        form.addRow("", self.dim_assumptions)
        form.addRow("", self.insights)
        form.addRow("", self.embed_fonts)
        form.addRow("Logo:", self.brand.logo_row)
        form.addRow("Brand colour:", self.brand.colour_row)
        form.addRow("", self.keep_brand)
        form.addRow("File:", file_row)
        self.form = form
        self.preflight_label = QLabel("Preflight")
        self.preflight_label.setTextFormat(Qt.TextFormat.PlainText)
        self.preflight = QListWidget()
        self.preflight.setObjectName("preflight")
        self.preflight.setWordWrap(True)
        self.preflight.setMinimumHeight(140)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        self.preview = PrintPreview(self)
        self.preview.fonts = fonts
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        # the 27 rows scroll: on a 768-pixel laptop screen the dialog grew to 931 pixels
        # and Export, Cancel and the preflight list were below the screen's edge
        form_box = QWidget()
        form_box.setLayout(form)
        self.form_area = scrolling(form_box)
        self.form_area.setMinimumWidth(
            form_box.sizeHint().width() + self.form_area.verticalScrollBar().sizeHint().width())
        top.addWidget(self.form_area)
        top.addWidget(self.preview, 1)
        layout.addLayout(top, 3)
        layout.addWidget(self.preflight_label)
        layout.addWidget(self.preflight, 1)
        layout.addWidget(self.buttons)
        self._tab_in_reading_order()
        browse.setAutoDefault(False)  # Enter exports; it never opens a file chooser
        self.format.setFocus()
        fit_to_screen(self, 1040, 760)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREFLIGHT_DELAY_MS)
        self._timer.timeout.connect(self._run_preflight)
        self._set_values(values, map_id)
        for w in (self.format, self.map, self.paper, self.orientation, self.tile, self.heat,
                  self.funnel):
            w.currentIndexChanged.connect(self._changed)
        for box in (self.evidence, self.dim_assumptions, self.insights, self.embed_fonts):
            box.toggled.connect(self._changed)
        for w in (self.distance, self.bleed, self.dpi, self.margin,
                  *self.role_distance.values()):
            w.valueChanged.connect(self._changed)
        self.fit.currentIndexChanged.connect(self._changed)
        self.crop_marks.toggled.connect(self._changed)
        self._changed()

    def _tab_in_reading_order(self) -> None:
        """Tab goes down the form as it reads, then the list and the buttons (the logo's
        buttons, made first, came first and had the focus when the dialog opened)."""
        chain: list[QWidget] = []
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            field = item.widget() if item is not None else None
            if field is None:
                continue
            if field.focusPolicy() & Qt.FocusPolicy.TabFocus:
                chain.append(field)
            else:  # a row of buttons: its own, in order
                chain += [w for w in field.findChildren(
                    QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                    if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
        chain += [self.preflight, *self.buttons.buttons()]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------ values
    def _set_values(self, values: dict[str, Any], map_id: int | None) -> None:
        self.format.setCurrentIndex(max(0, self.format.findData(values["format"])))
        self._fill_maps(map_id)
        self.paper.setCurrentIndex(max(0, self.paper.findData(values["paper"])))
        self.orientation.setCurrentIndex(max(0, self.orientation.findData(values["orientation"])))
        self.distance.setValue(values["distance_m"])
        self.bleed.setValue(values["bleed_mm"])
        self.crop_marks.setChecked(values["crop_marks"])
        self.tile.setCurrentIndex(max(0, self.tile.findData(values["tile_paper"])))
        self.dpi.setValue(values["dpi"])
        self.path.setText(str(self.default_dir / (self.base_name + SUFFIX[values["format"]])))

    def _fill_maps(self, current: int | None) -> None:
        fmt = self.format.currentData()
        keep = self.map.currentData() if self.map.count() else current
        self.map.blockSignals(True)
        self.map.clear()
        if registry.by_key(fmt).can(registry.ALL_MAPS) and len(self._map_ids) > 1:
            self.map.addItem("All maps", None)
        for mid in self._map_ids:
            self.map.addItem(self.data.maps[mid].title, mid)
        index = self.map.findData(keep) if keep is not None else -1
        if index < 0 and current is not None:
            index = self.map.findData(current)
        self.map.setCurrentIndex(max(0, index))
        self.map.blockSignals(False)
        self._fill_metrics()

    def _fill_metrics(self) -> None:
        """Heat map and funnel choices: the metrics on the chosen map's cards."""
        from app.analysis.findings import metric_names

        map_id = self.map.currentData()
        names = metric_names(self.data, map_id) if map_id is not None else []
        for combo, key in ((self.heat, "heat"), (self.funnel, "funnel")):
            keep = combo.currentData() if combo.count() else self._view.get(key)
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("(none)"), None)
            for name in names:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(0, combo.findData(keep)) if keep in names else 0)
            combo.blockSignals(False)

    def values(self) -> dict[str, Any]:
        """The current choices as the remembered-options dict."""
        return {
            "format": self.format.currentData(), "paper": self.paper.currentData(),
            "orientation": self.orientation.currentData(), "dpi": self.dpi.value(),
            "bleed_mm": self.bleed.value(), "crop_marks": self.crop_marks.isChecked(),
            "tile_paper": self.tile.currentData(), "distance_m": self.distance.value(),
            "heat": self.heat.currentData(), "funnel": self.funnel.currentData(),
            "evidence": self.evidence.isChecked(),
            "dim_assumptions": self.dim_assumptions.isChecked(),
            "insights": self.insights.isChecked(),
            "embed_fonts": self.embed_fonts.isChecked(),
            "margin_mm": self.margin.value(), "fit": self.fit.currentData(),
            "role_distances": {r: b.value() for r, b in self.role_distance.items()
                               if b.value() > 0},
            "logo": self.brand.logo, "brand_colour": self.brand.colour,
        }

    def _changed(self) -> None:
        fmt = self.format.currentData()
        if self.sender() is self.map:
            self._fill_metrics()
        if self.sender() is self.format:
            self._fill_maps(self.map.currentData())
            text = self.path.text().strip()
            if text:
                self.path.setText(str(Path(text).with_suffix(SUFFIX[fmt])))
        exporter = registry.by_key(fmt)
        poster, can = exporter.poster, exporter.can
        tiled = can(registry.TILE) and bool(self.tile.currentData())
        for widget, on in ((self.paper, poster), (self.orientation, poster),
                           (self.distance, poster),
                           (self.bleed, can(registry.BLEED) and not tiled),
                           (self.crop_marks, can(registry.CROP_MARKS) and not tiled),
                           (self.tile, can(registry.TILE)), (self.dpi, can(registry.DPI)),
                           (self.heat, poster), (self.funnel, poster), (self.evidence, poster),
                           (self.dim_assumptions, poster),
                           (self.insights, can(registry.INSIGHTS)),
                           (self.embed_fonts, can(registry.EMBED_FONTS)),
                           (self.brand.logo_row, poster), (self.brand.colour_row, poster)):
            widget.setEnabled(on)
            label = self.form.labelForField(widget)
            if label is not None:
                label.setEnabled(on)
        self.preflight_ready = False
        if poster and self.map.currentData() is not None:
            self.preflight_label.setText("Preflight: checking…")
            self._timer.start()
        else:
            self._generation += 1
            self.preflight.clear()
            self.findings = []
            self.preflight_label.setText("Preflight: only for posters (PDF, PNG, SVG)")
            self.preview.clear_page("No print preview for data formats")
            self.preflight_ready = True

    # ------------------------------------------------------------ preflight
    def _run_preflight(self) -> None:
        from app.export.preflight import run_preflight

        self._generation += 1
        generation = self._generation
        data, map_id, values = self.data, self.map.currentData(), self.values()
        fonts = self.fonts  # the document's poster font (taken here: the task never holds
        # the dialog, whose wrapper must not be finalised on the worker thread)

        def work(progress: Report, cancelled: Callable[[], bool]
                 ) -> tuple[str, list[Any], Any]:
            from app.export.prepare import compose_for
            from app.layout.caches import LayoutCache

            opts = job_options(values)
            with LayoutCache("preflight", fonts=fonts).measuring():  # this task's own
                if values["paper"] == "auto":
                    auto_paper(data, map_id, opts)
                comp = compose_for(data, map_id, opts)
                problems = run_preflight(data, map_id, comp.paper, opts.distance_m,
                                         options=opts, composition=comp)
            return opts.paper.name, problems, comp

        def done(result: tuple[str, list[Any], Any]) -> None:
            if generation == self._generation:
                paper, problems, comp = result
                self.preview.show_page(comp, problems)
                self._show_findings(paper, problems)

        def failed(err: BaseException) -> None:
            if generation == self._generation:
                self.preflight.clear()
                self.preflight_label.setText(
                    f"Preflight failed: {user_message(err) or type(err).__name__}")
                self.preview.clear_page("No preview")
                self.preflight_ready = True

        self._preflight_task = run_task(self, "Preflight", work, dialog=False, on_done=done,
                                        on_error=failed)

    def _show_findings(self, paper: str, problems: list[Any]) -> None:
        self.findings = problems
        self.preflight.clear()
        failing = [p for p in problems if p.fails]
        if not problems:
            self.preflight_label.setText(f"Preflight on {paper}: ready to print, no findings")
        else:
            self.preflight_label.setText(
                f"Preflight on {paper}: {counted(len(failing), 'problem')}, "
                f"{counted(len(problems) - len(failing), 'note')}")
        for p in problems:
            item = QListWidgetItem(f"{p.severity}: {p.message}")  # plain text, never markup
            item.setToolTip(p.rule)
            colour = finding_colour(p.severity)  # readable in the light and dark themes
            if colour is not None:
                item.setForeground(colour)
            self.preflight.addItem(item)
        self.preflight_ready = True

    # ------------------------------------------------------------ file
    def browse(self) -> None:
        """Pick the output file (the format's suffix is added when missing)."""
        fmt = self.format.currentData()
        label = self.format.currentText()
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text(),
                                              f"{label} (*{SUFFIX[fmt]})")
        if path:
            self.path.setText(path)
            self._confirmed = Path(self._with_suffix(path))

    def _with_suffix(self, text: str) -> str:
        suffix = SUFFIX[self.format.currentData()]
        return text if text.lower().endswith(suffix) else text + suffix

    def job(self) -> ExportJob:
        """The export the dialog describes (raises WaymarkError for a bad choice)."""
        text = self.path.text().strip()
        if not text:
            raise ExportError("choose a file to export to")
        path = Path(self._with_suffix(os.path.expanduser(text)))
        if not path.parent.is_dir():
            raise ExportError(f"the folder {path.parent} does not exist")
        if path.is_dir():
            raise ExportError(f"{path} is a folder")
        values = self.values()
        fmt = values["format"]
        map_id = self.map.currentData()
        exporter = registry.by_key(fmt)
        if map_id is None and not exporter.can(registry.ALL_MAPS):
            raise ExportError("choose the map to export")
        return ExportJob(fmt=fmt, map_id=map_id, path=path, paper=values["paper"],
                         options=job_options(values), fonts=self.fonts)

    def try_accept(self) -> None:
        """Check the choices, ask before replacing a file, remember them, and accept."""
        try:
            job = self.job()
        except WaymarkError as err:
            QMessageBox.warning(self, "Export", err.message)
            return
        if job.path.exists():
            if self._confirmed != job.path:  # else the file dialog asked already
                answer = QMessageBox.question(
                    self, "Export", f"{job.path.name} already exists. Replace it?")
                if answer != QMessageBox.StandardButton.Yes:
                    return
            job.overwrite = True
        self.accepted_job = job
        set_export_options(self.values())
        self.accept()

    def done(self, result: int) -> None:
        """Close; a preflight still running is cancelled (its result is dropped)."""
        self._timer.stop()
        self._generation += 1
        if self._preflight_task is not None:
            self._preflight_task.cancel()
        super().done(result)


def open_export_dialog(window: Any) -> ExportDialog | None:
    """File > Export…: show the dialog (non-blocking); Export starts the job on a thread."""
    from PySide6.QtCore import QStandardPaths

    doc = window.doc
    if not doc.data.maps:
        window.report("This document has no map to export")
        return None
    if window.untitled or not os.access(doc.path.parent, os.W_OK):
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        default_dir = Path(folder) if folder else Path.home()
    else:
        default_dir = doc.path.parent
    style = window.scene.style
    view = {"heat": style.heat_metric, "funnel": style.funnel_metric,
            "evidence": style.show_evidence, "dim_assumptions": style.dim_assumptions}
    dlg = ExportDialog(window, frozen_snapshot(doc), window.scene.map_id, default_dir,
                       "Untitled" if window.untitled else doc.name, view,
                       brand=document_brand(doc), brand_editable=not doc.read_only,
                       fonts=window.scene.fonts)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def go() -> None:
        if dlg.accepted_job is None:
            return
        if dlg.brand.changed and dlg.keep_brand.isChecked() and not doc.read_only:
            try:
                store_brand(doc, dlg.brand.logo, dlg.brand.colour)
            except WaymarkError as err:
                window.report(err.message)
            else:
                apply_document_brand(window.scene, doc)
                window.scene.refresh()
        window.export_task = start_export(window, doc, dlg.accepted_job,
                                          on_done=lambda line: window.report(line))

    dlg.accepted.connect(go)
    dlg.open()
    return dlg
