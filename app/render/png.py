"""PNG export: QPainter on a QImage at 72-600 DPI, DPI written into the file (pHYs)."""

from __future__ import annotations

from pathlib import Path

from app.errors import ExportError
from app.export.common import ExportOptions, atomic_output
from app.export.prepare import page_layout
from app.layout.boxes import MapLayout
from app.model.schema import DocumentData

MIN_DPI, MAX_DPI = 72, 600
MAX_PIXELS = 250_000_000  # ~1 GB of ARGB; beyond this ask for a lower DPI


def png_size(width_pt: float, height_pt: float, dpi: int) -> tuple[int, int]:
    """Pixel size of a page at ``dpi``."""
    return round(width_pt * dpi / 72), round(height_pt * dpi / 72)


def export_png(data: DocumentData, map_id: int, path: str | Path, options: ExportOptions,
               *, force: bool = False, layout: MapLayout | None = None) -> MapLayout:
    """Write one map as a PNG of the chosen paper at ``options.dpi``; returns the layout.

    ``layout``: the page layout (:func:`~app.export.prepare.page_layout`) when the
    caller already has it.
    """
    from PySide6.QtGui import QImage, QPainter

    from app.render.qtpaint import ensure_gui, paint_layout

    if not MIN_DPI <= options.dpi <= MAX_DPI:
        raise ExportError(f"DPI must be between {MIN_DPI} and {MAX_DPI}, not {options.dpi}")
    options.report(0.0, "laying out")
    lay = layout if layout is not None else page_layout(data, map_id, options)
    w, h = png_size(lay.width, lay.height, options.dpi)
    if w * h > MAX_PIXELS:
        raise ExportError(
            f"{w} x {h} pixels is too large an image; choose a lower --dpi or a smaller paper"
        )
    ensure_gui()
    with atomic_output(path, force=force) as tmp:
        # An opaque poster has no alpha channel to store: RGB encodes a quarter fewer
        # bytes per pixel (smaller file, faster save); transparency keeps ARGB.
        fmt = (QImage.Format.Format_ARGB32_Premultiplied if options.transparent
               else QImage.Format.Format_RGB32)
        image = QImage(w, h, fmt)
        if image.isNull():
            raise ExportError(f"not enough memory for a {w} x {h} image; lower the DPI")
        dpm = round(options.dpi / 0.0254)
        image.setDotsPerMeterX(dpm)
        image.setDotsPerMeterY(dpm)
        image.fill(0 if options.transparent else 0xFFFFFFFF)
        p = QPainter(image)
        try:
            p.scale(options.dpi / 72, options.dpi / 72)
            paint_layout(p, lay, float(options.dpi), background=not options.transparent,
                         progress=options.report)
        finally:
            p.end()
        options.report(0.9, "writing")
        if not image.save(str(tmp), "PNG"):
            raise ExportError(f"could not write the PNG image {path}")
    options.report(1.0, "done")
    return lay
