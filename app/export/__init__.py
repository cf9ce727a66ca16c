"""Renderers of a layout: PDF, PNG, SVG, the preflight and the CLI glue.

* ``pdf.export_pdf(data, map_id, path, ExportOptions(...), force=False)`` --
  reportlab canvas, embedded DejaVu, bleed/crop marks, tiling (no Qt).
* ``png.export_png`` / ``svg.export_svg`` -- QPainter on QImage / QSvgGenerator
  (Qt is imported only inside these calls).
* ``preflight.run_preflight(data, map_id, paper, distance_m) -> list[Problem]``.
* ``cli.add_export_arguments/run_export`` and ``cli.add_check_arguments/run_check``.

Every export takes ``ExportOptions.progress(fraction, message)`` and
``ExportOptions.is_cancelled()``, writes a temporary file beside the target and
renames it into place, and refuses to replace a file unless ``force``.
"""
