"""Pick the importer or exporter for a file: by extension, or by a sniff of the content.

``import_file(path)`` and ``export_data(data, map_id, path, force)`` are the
two entry points the CLI and the GUI use.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.errors import ExportError, LimitError
from app.interchange.common import ImportResult, refuse, source_name
from app.interchange.csv_io import export_csv, import_csv, read_csv_table
from app.interchange.json_io import export_json, import_json
from app.interchange.markdown import export_markdown, import_markdown, read_markdown_tables
from app.interchange.mermaid import export_mermaid, import_mermaid
from app.interchange.tablelayout import Table
from app.interchange.tabular import ImportOptions
from app.interchange.xlsx_io import export_xlsx, import_xlsx, read_xlsx_tables
from app.model import limits
from app.model.schema import Blob, DocumentData

IMPORTERS: dict[str, Callable[[Path], ImportResult]] = {
    "csv": import_csv, "xlsx": import_xlsx, "json": import_json, "mermaid": import_mermaid,
    "markdown": import_markdown,
}
#: The formats whose tables take the layout, header row, column and sheet choices.
TABLE_FORMATS = ("csv", "xlsx", "markdown")
_EXTENSIONS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
               ".json": "json", ".mmd": "mermaid", ".mermaid": "mermaid", ".md": "markdown",
               ".markdown": "markdown"}
#: Extensions ``waymark export`` writes as data (the rest are posters).
DATA_EXPORTS = (".csv", ".xlsx", ".json", ".mmd", ".mermaid", ".md")


def detect_format(path: Path) -> str:
    """'csv', 'xlsx', 'json', 'mermaid' or 'markdown' for a file, from its extension or
    first bytes."""
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt:
        return fmt
    if not path.is_file():  # a FIFO or a device would block the sniff below forever
        return "csv"  # the importer refuses it with its own message
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError:
        return "csv"  # the importer reports the problem
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if text.startswith("{"):
        return "json"
    if text.startswith("journey") or text.startswith("%%"):
        return "mermaid"
    if text.startswith(("# ", "## ", "```")):
        return "markdown"
    if path.suffix.lower() in (".xls", ".ods", ".numbers"):
        raise refuse(source_name(path), "save the spreadsheet as .xlsx or .csv first")
    return "csv"


def read_tables(path: str | Path, fmt: str | None = None) -> list[Table]:
    """The tables of a CSV, XLSX or Markdown file, unparsed (none for other formats).

    The import dialog shows them, with how each will be read (``tabular.plan_tables``).
    Raises ImportProblem for a file that cannot be read at all.
    """
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt == "csv":
        return [read_csv_table(path)[0]]
    if fmt == "xlsx":
        return read_xlsx_tables(path)
    if fmt == "markdown":
        return read_markdown_tables(path)
    return []


def import_file(path: str | Path, fmt: str | None = None,
                options: ImportOptions | None = None) -> ImportResult:
    """Import any supported file (raises ImportProblem listing every problem).

    ``options`` (layout, header row, columns, sheets) apply to the tables of CSV, XLSX
    and Markdown files. Content beyond Waymark's size limits (:mod:`app.model.limits`)
    is refused here, whichever importer read it, with the limit named.
    """
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt not in TABLE_FORMATS and options is not None and not options.is_default():
        raise refuse(source_name(path), "--layout, --header-row, --column and --sheet apply "
                                        "to the tables of CSV, XLSX and Markdown files")
    try:
        if fmt in TABLE_FORMATS:
            result = IMPORTERS[fmt](path, options)  # type: ignore[call-arg]
        else:
            result = IMPORTERS[fmt](path)
    except LimitError as err:
        raise refuse(source_name(path), err.message) from None
    problem = limits.data_problems(result.data)
    if problem:
        raise refuse(source_name(path), problem)
    return result


def export_data(data: DocumentData, map_id: int | None, out_path: str | Path,
                force: bool = False,
                blob_lookup: Callable[[str], Blob | None] | None = None) -> Path:
    """Export one map (or all when ``map_id`` is None) as .csv, .xlsx, .json, .mmd or .md.

    Writes to a temporary file then renames it into place; refuses an existing
    file unless ``force``. Returns the path written.
    """
    path = Path(out_path)
    suffix = path.suffix.lower()
    maps = data.ordered_maps()
    if not maps:
        raise ExportError("the document has no map to export")
    if map_id is not None and map_id not in data.maps:
        raise ExportError(f"there is no map {map_id}")
    map_ids = [map_id] if map_id is not None else [m.id for m in maps]
    if suffix == ".csv":
        export_csv(data, map_ids, path, force=force)
    elif suffix == ".xlsx":
        export_xlsx(data, map_ids, path, force=force)
    elif suffix == ".json":
        export_json(data, None if map_id is None else map_ids, path, force=force,
                    blob_lookup=blob_lookup)
    elif suffix == ".md":
        export_markdown(data, map_ids, path, force=force)
    elif suffix in (".mmd", ".mermaid"):
        if map_id is None and len(maps) > 1:
            titles = ", ".join(repr(m.title) for m in maps)
            raise ExportError(f"a Mermaid journey holds one map; choose one with --map "
                              f"(maps: {titles})")
        export_mermaid(data, map_ids[0], path, force=force)
    else:
        raise ExportError(f"cannot export data as '{suffix or path.name}' "
                          f"(use {', '.join(DATA_EXPORTS)})")
    return path
