"""Exporters of a layout: PDF and SVG (no Qt), the preflight and the CLI glue.

* ``pdf.export_pdf(data, map_id, path, ExportOptions(...), force=False)`` --
  reportlab canvas, embedded fonts, bleed/crop marks, tiling.
* ``svg.export_svg`` -- SVG written from the paint ops, text as text, fonts embedded.
* PNG is drawn with Qt: :mod:`app.render.png` (``export_png``), on the floor above.
* ``preflight.run_preflight(data, map_id, paper, distance_m) -> list[Problem]``.
* ``cli.add_export_arguments/run_export`` and ``cli.add_check_arguments/run_check``.

Every export takes ``ExportOptions.progress(fraction, message)`` and
``ExportOptions.is_cancelled()``, writes a temporary file beside the target and
renames it into place, and refuses to replace a file unless ``force``.
"""
