"""SVG export with Qt's QSvgGenerator: text stays text (editable in Inkscape/Illustrator).

The document is sized in points (viewBox = page in pt, width/height in mm)
and the generator's resolution is 72 DPI, so one SVG user unit is one point.
Qt escapes text content, so user text such as ``<b>`` stays literal.
"""

from __future__ import annotations

from pathlib import Path

from app.errors import ExportError
from app.export.common import ExportOptions, atomic_output
from app.export.prepare import page_layout
from app.layout.boxes import MapLayout
from app.model.schema import DocumentData


def export_svg(data: DocumentData, map_id: int, path: str | Path, options: ExportOptions,
               *, force: bool = False, layout: MapLayout | None = None) -> MapLayout:
    """Write one map as an SVG of the chosen paper; returns the layout.

    ``layout``: the page layout (:func:`~app.export.prepare.page_layout`) when the
    caller already has it.
    """
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    from app.export.qtpaint import ensure_gui, paint_layout

    options.report(0.0, "laying out")
    lay = layout if layout is not None else page_layout(data, map_id, options)
    ensure_gui()
    jm = data.maps[map_id]
    with atomic_output(path, force=force) as tmp:
        gen = QSvgGenerator()
        gen.setFileName(str(tmp))
        gen.setResolution(72)
        gen.setSize(QSize(round(lay.width), round(lay.height)))
        gen.setViewBox(QRectF(0, 0, lay.width, lay.height))
        gen.setTitle(jm.title)
        gen.setDescription("Customer journey map exported by Waymark")
        p = QPainter()
        if not p.begin(gen):
            raise ExportError(f"could not start writing the SVG file {path}")
        try:
            paint_layout(p, lay, options, 72.0, background=not options.transparent)
        finally:
            p.end()
        options.report(0.9, "writing")
    options.report(1.0, "done")
    return lay
