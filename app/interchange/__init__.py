"""Data in and out: CSV, XLSX, JSON and Mermaid (Qt-free).

Entry points:

- :func:`app.interchange.formats.import_file` (path) -> ImportResult
  (``data``: self-contained DocumentData with ids from 1, ``blobs``, ``warnings``); add it to a
  document with ``ImportMaps(result.data, images=result.blobs)``. Bad files raise
  :class:`~app.errors.ImportProblem` listing every problem by row and column.
- :func:`app.interchange.formats.export_data` (data, map_id | None, path, force) writes
  .csv / .xlsx / .json / .mmd atomically.
- :func:`app.interchange.metrics.import_metrics` and :func:`~app.interchange.metrics.metric_fields`:
  survey metrics onto existing cards (one ``UpdateCard`` per card).
- :mod:`app.interchange.cli`: ``waymark import``.
"""
