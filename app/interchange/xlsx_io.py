"""XLSX in (each sheet long, grid or stage rows) and out (a grid sheet per map + a Cards sheet).

Before openpyxl sees a file, its zip directory is read and the total
uncompressed size checked, so a zip bomb is refused without unpacking it.
When any sheet is in the long layout (as the Cards sheet Waymark writes),
only long sheets are imported; otherwise every sheet with a table becomes a map
(``--sheet NAME`` picks sheets; a sheet without a table is skipped with a warning).
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.errors import ExportError, ImportProblem
from app.interchange.common import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_XLSX_UNZIPPED,
    ImportResult,
    read_bytes,
    refuse,
    source_name,
    write_atomic,
)
from app.interchange.csv_io import map_title
from app.interchange.grid import grid_rows
from app.interchange.longtable import long_rows
from app.interchange.sheetscan import SheetFacts, scan_sheet
from app.interchange.tablelayout import Table
from app.interchange.tabular import ImportOptions, import_tables
from app.interchange.tabular import merge as merge
from app.interchange.xmlscan import UnsafeXML, scan_workbook
from app.model.limits import MAX_IMPORT_CELLS
from app.model.schema import DocumentData

MAX_ZIP_ENTRIES = 10_000
XLSX_COLUMNS = 16_384  # columns of an Excel sheet
_NUMERIC_HEADERS = {"emotion", "votes"}


def check_zip(path: Path, source: str) -> None:
    """Refuse a file that is not a zip, or that would unzip to more than the limit."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise refuse(source, f"this is not a readable .xlsx file ({err})") from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise refuse(source, f"the workbook holds {len(infos):,} parts; refused as unsafe")
    total = sum(i.file_size for i in infos)
    if total > MAX_XLSX_UNZIPPED:
        raise refuse(source, f"the workbook unpacks to {total // (1024 * 1024):,} MB "
                             f"(at most {MAX_XLSX_UNZIPPED // (1024 * 1024)} MB); refused")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise refuse(source, "this zip file is not an Excel workbook (no xl/workbook.xml)")
    try:  # tokens that would make the XML parser quadratic (one streamed pass)
        with zipfile.ZipFile(path) as zf:
            scan_workbook(zf)
    except UnsafeXML as err:
        raise refuse(source, str(err)) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as err:
        raise refuse(source, f"the workbook is damaged ({err})") from None


def _sheet_rows(ws: Any, source: str, budget: list[int]) -> list[list[Any]]:
    """A sheet's rows, trailing empty cells dropped. ``budget`` holds the cells the
    workbook may still hold (:data:`~app.model.limits.MAX_IMPORT_CELLS` across sheets)."""
    rows: list[list[Any]] = []
    # max_col: openpyxl pads every row to the sheet's widest one (16,384 for one stray cell)
    for row in ws.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
        if len(rows) > MAX_ROWS + 1:
            raise refuse(source, f"sheet '{ws.title}' has more than {MAX_ROWS:,} rows")
        cells = list(row)
        while cells and cells[-1] in (None, ""):
            cells.pop()
        budget[0] -= len(cells)
        if budget[0] < 0:
            raise refuse(source, f"the workbook has more than {MAX_IMPORT_CELLS:,} cells; "
                                 "split it")
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _scan(zf: zipfile.ZipFile, ws: Any) -> SheetFacts:
    """What the sheet's XML says beyond its values (nothing, if it cannot be read)."""
    part = str(getattr(ws, "_worksheet_path", "") or "")
    try:
        return scan_sheet(zf, part) if part else SheetFacts()
    except (KeyError, zipfile.BadZipFile, OSError, zlib.error):
        return SheetFacts()


def _formula_warning(title: str, facts: SheetFacts) -> str:
    """What to tell about a sheet's formulas saved without their result."""
    cells, count = facts.uncached, facts.uncached_count
    shown = ", ".join(cells) + (f", … {count - len(cells)} more" if count > len(cells) else "")
    noun = ("a cell holds a formula without its saved result" if count == 1 else
            f"{count} cells hold formulas without their saved results")
    return (f"sheet '{title}': {noun} ({shown}), read as empty: "
            "the workbook was written by a program, not saved by a spreadsheet; open and "
            "save it in Excel or LibreOffice to import the values")


def read_xlsx_tables(path: str | Path, warnings: list[str] | None = None) -> list[Table]:
    """Every sheet of a workbook that holds something, as a table, unparsed (formula cells
    without a saved result are named in ``warnings``)."""
    import openpyxl

    path = Path(path)
    source = source_name(path)
    read_bytes(path, source)  # existence and size limits
    check_zip(path, source)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types on damaged files
        raise refuse(source, f"the workbook is damaged ({type(err).__name__}: "
                             f"{str(err)[:120]})") from None
    zf = zipfile.ZipFile(path)
    try:
        tables: list[Table] = []
        budget = [MAX_IMPORT_CELLS]
        for ws in wb.worksheets:
            try:
                rows = _sheet_rows(ws, source, budget)
            except ImportProblem:
                raise
            except Exception as err:  # damaged sheet XML
                raise refuse(source, f"sheet '{ws.title}' is damaged ({type(err).__name__})"
                             ) from None
            facts = _scan(zf, ws)
            if any(c not in (None, "") for r in rows for c in r):
                tables.append(Table(ws.title, rows, kind="xlsx",
                                    hidden_rows=[r - 1 for r in facts.hidden_rows],
                                    hidden_columns=[c - 1 for c in facts.hidden_columns]))
            if warnings is not None and facts.uncached_count:
                warnings.append(_formula_warning(ws.title, facts))
    finally:
        zf.close()
        wb.close()
    if not tables:
        raise refuse(source, "the workbook holds no data")
    return tables


def import_xlsx(path: str | Path, options: ImportOptions | None = None) -> ImportResult:
    """Import an .xlsx workbook: each sheet's table in the long, grid or stage-rows layout."""
    path = Path(path)
    warnings: list[str] = []
    tables = read_xlsx_tables(path, warnings)
    return import_tables(tables, source_name(path), default_title=map_title(path),
                         options=options, warnings=warnings)


def _sheet_title(title: str, used: set[str]) -> str:
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip(" '") or "Map"
    clean = clean[:28]
    name, n = clean, 2
    while name.casefold() in used:
        name = f"{clean[:25]} ({n})"
        n += 1
    used.add(name.casefold())
    return name


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    return cell


def _number_or_text(header: str, text: str) -> Any:
    if not text or not (header in _NUMERIC_HEADERS or header.startswith("metric:")):
        return text or None
    value = float(text)
    return int(value) if value == int(value) and abs(value) < 1e15 else value


def write_xlsx(data: DocumentData, map_ids: Sequence[int], dest: Path) -> None:
    """Write the workbook to ``dest``: a grid sheet per map, then the Cards sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    for map_id in map_ids:  # a sheet has 16,384 columns: the stages and the lane names
        if len(data.stages_of(map_id)) + 1 > XLSX_COLUMNS:
            raise ExportError(f"map {data.maps[map_id].title!r} has more stages than a "
                              f"spreadsheet has columns ({XLSX_COLUMNS - 1:,}); export CSV")
    wb = Workbook()
    wb.remove(wb.active)
    used = {"cards"}
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    for map_id in map_ids:
        ws = wb.create_sheet(_sheet_title(data.maps[map_id].title, used))
        for r, row in enumerate(grid_rows(data, map_id), start=1):
            for c, text in enumerate(row, start=1):
                cell = _put(ws, r, c, text or None)
                cell.alignment = wrap
                if r == 1 or c == 1:
                    cell.font = bold
        ws.column_dimensions["A"].width = 22
        for c in range(2, len(data.stages_of(map_id)) + 2):
            ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = 34
        ws.freeze_panes = "B2"
    header, rows = long_rows(data, map_ids, escape=False)
    ws = wb.create_sheet("Cards")
    for c, name in enumerate(header, start=1):
        _put(ws, 1, c, name).font = bold
    for r, row in enumerate(rows, start=2):
        for c, (name, text) in enumerate(zip(header, row, strict=True), start=1):
            _put(ws, r, c, _number_or_text(name, text))
    ws.freeze_panes = "A2"
    wb.save(dest)


def export_xlsx(data: DocumentData, map_ids: Sequence[int], path: str | Path, *,
                force: bool = False) -> None:
    """Write the workbook atomically."""
    write_atomic(Path(path), lambda tmp: write_xlsx(data, map_ids, tmp), force)
