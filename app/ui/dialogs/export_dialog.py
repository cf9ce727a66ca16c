"""File > Export…: posters (PDF, PNG, SVG) and data (CSV, XLSX, JSON, Mermaid) off the GUI thread.

The dialog picks format, map, paper, orientation, viewing distance, bleed, crop marks,
tiling and DPI, shows the preflight findings for those choices (computed on a pool
thread from a snapshot), and remembers the choices. Export takes a snapshot of the
document on the GUI thread (the SQLite document never leaves it) and writes on a pool
thread with a progress dialog; Cancel stops at the next progress report and leaves no
file behind (every exporter writes a temporary file and renames it at the end).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
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

from app.errors import Cancelled, ExportError, WaymarkError
from app.export.common import ExportOptions, atomic_output
from app.layout.paper import MM, parse_paper
from app.model.schema import Blob, DocumentData
from app.ui.support.settings import Settings
from app.ui.support.tasks import Report, Task, run_task, user_message

# (key, label, file suffix)
FORMATS: tuple[tuple[str, str, str], ...] = (
    ("pdf", "PDF poster", ".pdf"),
    ("png", "PNG image", ".png"),
    ("svg", "SVG drawing", ".svg"),
    ("csv", "CSV table (one row per card)", ".csv"),
    ("xlsx", "Excel workbook", ".xlsx"),
    ("json", "Waymark JSON", ".json"),
    ("mmd", "Mermaid journey", ".mmd"),
)
SUFFIX = {key: suffix for key, _, suffix in FORMATS}
POSTERS = ("pdf", "png", "svg")
ALL_MAPS_FORMATS = ("csv", "xlsx", "json")  # data formats that can hold every map
PAPERS = ("auto", "A0", "A1", "A2", "A3", "A4", "Letter", "Legal", "Tabloid", "ARCH C",
          "ARCH D", "ARCH E")
TILES = ("", "A4", "A3", "Letter", "Legal", "Tabloid")
ORIENTATIONS = ("landscape", "portrait", "auto")
DEFAULTS: dict[str, Any] = {
    "format": "pdf", "paper": "A1", "orientation": "landscape", "dpi": 150,
    "bleed_mm": 0.0, "crop_marks": False, "tile_paper": "", "distance_m": 0.0,
}
PREFLIGHT_DELAY_MS = 200


# ==================================================================== remembered options
def export_options() -> dict[str, Any]:
    """The last export choices (defaults for anything missing or unreadable), as kept by
    :class:`app.ui.support.settings.Settings` (which also brings the preferred paper and
    distance)."""
    values = Settings().export_options()
    raw = {key: value for key, value in values.items() if key in DEFAULTS}
    raw["tile_paper"] = values.get("tile", "")
    raw["distance_m"] = values.get("distance_m") or 0.0  # None: by paper size
    return clean_options(raw)


def set_export_options(options: dict[str, Any]) -> None:
    """Remember export choices in the settings (Settings' names: tile, distance None)."""
    values = clean_options(options)
    shared = {key: value for key, value in values.items() if key != "tile_paper"}
    shared["tile"] = values["tile_paper"]
    shared["distance_m"] = values["distance_m"] or None
    settings = Settings()
    settings.set_export_options(shared)
    settings.sync()


def clean_options(raw: dict[str, Any]) -> dict[str, Any]:
    """Options coerced to their types and ranges; bad values fall back to the defaults."""
    out = dict(DEFAULTS)

    def num(key: str, kind: type, lo: float, hi: float) -> None:
        try:
            value = kind(float(raw.get(key, DEFAULTS[key])))
        except (TypeError, ValueError):
            return
        if lo <= value <= hi:
            out[key] = value

    if raw.get("format") in SUFFIX:
        out["format"] = raw["format"]
    paper = str(raw.get("paper", "")).strip().lower()
    out["paper"] = next((p for p in PAPERS if p.lower() == paper), DEFAULTS["paper"])
    if raw.get("orientation") in ORIENTATIONS:
        out["orientation"] = raw["orientation"]
    tile = str(raw.get("tile_paper", "") or "").strip().lower()
    out["tile_paper"] = next((t for t in TILES if t.lower() == tile), DEFAULTS["tile_paper"])
    crop = raw.get("crop_marks", False)
    out["crop_marks"] = crop in (True, "true", "1", 1)
    num("dpi", int, 72, 600)
    num("bleed_mm", float, 0.0, 25.4)
    num("distance_m", float, 0.0, 20.0)
    return out


# ==================================================================== the job
@dataclass
class ExportJob:
    """Everything the worker needs: no Qt widgets, no document."""

    fmt: str
    map_id: int | None  # None: every map (data formats only)
    path: Path
    paper: str = "A1"  # a name of PAPERS ("auto": the smallest legible ISO paper)
    options: ExportOptions = field(default_factory=ExportOptions)
    overwrite: bool = False


def job_options(values: dict[str, Any], version: str = "") -> ExportOptions:
    """ExportOptions for the dialog's values ('auto' paper is resolved by the worker)."""
    orientation = values["orientation"]
    paper_name = values["paper"] if values["paper"] != "auto" else "A0"
    opts = ExportOptions(paper=parse_paper(paper_name, orientation if orientation != "auto"
                                           else "landscape"), orientation=orientation)
    opts.dpi = int(values["dpi"])
    opts.bleed = float(values["bleed_mm"]) * MM
    opts.crop_marks = bool(values["crop_marks"])
    opts.tile = parse_paper(values["tile_paper"], "portrait") if values["tile_paper"] else None
    opts.distance_m = float(values["distance_m"]) or None
    opts.version = version
    # What the poster shows besides the map (not remembered: it follows the canvas's view).
    opts.heat_metric = values.get("heat") or None
    opts.funnel_metric = values.get("funnel") or None
    opts.show_evidence = bool(values.get("evidence", False))
    opts.dim_assumptions = bool(values.get("dim_assumptions", False))
    opts.insights = bool(values.get("insights", False)) and values["format"] == "pdf"
    opts.embed_fonts = bool(values.get("embed_fonts", True))
    return opts


def auto_paper(data: DocumentData, map_id: int, options: ExportOptions) -> None:
    """Set ``options.paper`` to the smallest standard sheet on which the composed map
    passes the legibility rule (A0 landscape when none does)."""
    from app.export.preflight import smallest_sheet

    found = smallest_sheet(data, map_id, options)
    if found is None:
        options.paper = parse_paper("A0", "landscape")
        return
    name, orient = found.rsplit(" ", 1)
    options.paper = parse_paper(name, orient)
    if options.orientation == "auto":
        options.orientation = orient


def _poster_exporter(fmt: str) -> Callable[..., Any]:
    if fmt == "pdf":
        from app.export.pdf import export_pdf
        return export_pdf
    if fmt == "png":
        from app.render.png import export_png
        return export_png
    from app.export.svg import export_svg
    return export_svg


#: Looked up when an export runs (a test may wrap one to pause it at a known point).
EXPORTERS: dict[str, Callable[[str], Callable[..., Any]]] = {
    fmt: _poster_exporter for fmt in POSTERS
}


def run_export(data: DocumentData, job: ExportJob, blobs: dict[str, Blob],
               progress: Report, cancelled: Callable[[], bool]) -> str:
    """The worker: write the file; returns a one-line summary for the status bar."""
    if job.fmt in POSTERS:
        assert job.map_id is not None
        opts = job.options
        opts.progress = progress
        opts.is_cancelled = cancelled
        opts.report(0.0, "laying out")
        if job.paper == "auto":
            auto_paper(data, job.map_id, opts)
        lay = EXPORTERS[job.fmt](job.fmt)(data, job.map_id, job.path, opts, force=job.overwrite)
        what = f"{opts.paper.name} {'landscape' if lay.width > lay.height else 'portrait'}"
        if opts.tile is not None and job.fmt == "pdf":
            what += f" tiled on {opts.tile.name}"
        return f"Exported {job.path.name} ({what}, smallest text {lay.min_size:.1f} pt)"
    return _run_data_export(data, job, blobs, progress, cancelled)


def _run_data_export(data: DocumentData, job: ExportJob, blobs: dict[str, Blob],
                     progress: Report, cancelled: Callable[[], bool]) -> str:
    from app.interchange.formats import export_data

    def check() -> None:
        if cancelled():
            raise Cancelled("export cancelled; nothing was written")

    progress(None, "writing")
    check()
    # Staged inside atomic_output so that a Cancel after writing still leaves nothing.
    with atomic_output(job.path, force=job.overwrite) as tmp:
        staged = tmp.with_name(tmp.name + job.path.suffix)
        try:
            export_data(data, job.map_id, staged, force=True, blob_lookup=blobs.get)
            check()
            os.replace(staged, tmp)
        finally:
            with contextlib.suppress(OSError):
                staged.unlink()
    progress(1.0, "done")
    return f"Exported {job.path.name}"


def frozen_snapshot(doc: Any) -> DocumentData:
    """The document's content for a worker thread, taken on the GUI thread in microseconds.

    Every edit replaces the row objects it changes (State.apply builds new rows, commands
    use ``model_copy``) and never mutates one in place, so sharing the rows is safe; the
    tables themselves are fresh dicts, so later edits cannot change what the worker sees.
    A deep copy (``Document.snapshot``) of 10,000 cards takes ~0.6 s on the GUI thread.
    """
    data = doc.data
    return DocumentData.model_construct(
        **{name: dict(getattr(data, name)) for name in DocumentData.model_fields})


def referenced_blobs(doc: Any, data: DocumentData) -> dict[str, Blob]:
    """The images a JSON export carries, read from the document on the GUI thread."""
    from app.interchange.json_io import referenced_blobs as digests

    out: dict[str, Blob] = {}
    for digest in digests(data):
        blob = doc.blob(digest)
        if blob is not None:
            out[digest] = blob
    return out


def start_export(window: QWidget, doc: Any, job: ExportJob,
                 on_done: Callable[[str], None] | None = None) -> Task:
    """Snapshot the document (GUI thread) and export it on a pool thread with progress."""
    data = frozen_snapshot(doc)
    blobs = referenced_blobs(doc, data) if job.fmt == "json" else {}
    job.options.version = job.options.version or latest_version(doc)
    return run_task(window, "Export", lambda progress, cancelled: run_export(
        data, job, blobs, progress, cancelled), label=f"Exporting {job.path.name}…",
        on_done=on_done)


# ==================================================================== the dialog
class ExportDialog(QDialog):
    """Choose what and how to export; shows the preflight before writing."""

    def __init__(self, parent: QWidget | None, data: DocumentData, map_id: int | None,
                 default_dir: Path, base_name: str, view: dict[str, Any] | None = None
                 ) -> None:
        """``view``: what the canvas shows (heat, funnel, evidence, dim_assumptions), the
        starting choice of what the poster shows."""
        super().__init__(parent)
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
        for key, label, suffix in FORMATS:
            self.format.addItem(f"{label} ({suffix})", key)
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
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preflight_label)
        layout.addWidget(self.preflight, 1)
        layout.addWidget(self.buttons)
        self.resize(560, 640)

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
        for w in (self.distance, self.bleed, self.dpi):
            w.valueChanged.connect(self._changed)
        self.crop_marks.toggled.connect(self._changed)
        self._changed()

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
        if fmt in ALL_MAPS_FORMATS and len(self._map_ids) > 1:
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
        poster, pdf = fmt in POSTERS, fmt == "pdf"
        tiled = pdf and bool(self.tile.currentData())
        for widget, on in ((self.paper, poster), (self.orientation, poster),
                           (self.distance, poster), (self.bleed, pdf and not tiled),
                           (self.crop_marks, pdf and not tiled), (self.tile, pdf),
                           (self.dpi, fmt == "png"), (self.heat, poster),
                           (self.funnel, poster), (self.evidence, poster),
                           (self.dim_assumptions, poster), (self.insights, pdf),
                           (self.embed_fonts, fmt == "svg")):
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
            self.preflight_ready = True

    # ------------------------------------------------------------ preflight
    def _run_preflight(self) -> None:
        from app.export.preflight import run_preflight

        self._generation += 1
        generation = self._generation
        data, map_id, values = self.data, self.map.currentData(), self.values()

        def work(progress: Report, cancelled: Callable[[], bool]) -> tuple[str, list[Any]]:
            opts = job_options(values)
            if values["paper"] == "auto":
                auto_paper(data, map_id, opts)
            problems = run_preflight(data, map_id, opts.paper, opts.distance_m, options=opts)
            return opts.paper.name, problems

        def done(result: tuple[str, list[Any]]) -> None:
            if generation == self._generation:
                self._show_findings(*result)

        def failed(err: BaseException) -> None:
            if generation == self._generation:
                self.preflight.clear()
                self.preflight_label.setText(
                    f"Preflight failed: {user_message(err) or type(err).__name__}")
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
                f"Preflight on {paper}: {len(failing)} problem(s), "
                f"{len(problems) - len(failing)} note(s)")
        for p in problems:
            item = QListWidgetItem(f"{p.severity}: {p.message}")  # plain text, never markup
            item.setToolTip(p.rule)
            if p.severity == "error":
                item.setForeground(Qt.GlobalColor.darkRed)
            elif p.severity == "warning":
                item.setForeground(Qt.GlobalColor.darkYellow)
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
        if map_id is None and (fmt in POSTERS or fmt == "mmd"):
            raise ExportError("choose the map to export")
        return ExportJob(fmt=fmt, map_id=map_id, path=path, paper=values["paper"],
                         options=job_options(values))

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


def latest_version(doc: Any) -> str:
    """The name of the document's latest named version ('' if none)."""
    try:
        versions = doc.versions()
    except WaymarkError:
        return ""
    return max(versions, key=lambda v: (v.created, v.id)).name if versions else ""


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
                       "Untitled" if window.untitled else doc.name, view)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def go() -> None:
        if dlg.accepted_job is None:
            return
        window.export_task = start_export(window, doc, dlg.accepted_job,
                                          on_done=lambda line: window.report(line))

    dlg.accepted.connect(go)
    dlg.open()
    return dlg
