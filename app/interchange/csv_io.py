"""CSV in (long, grid or stage-rows layout, delimiter sniffed) and out (long layout,
formula-safe)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

from app.interchange.common import (
    MAX_ROWS,
    ImportResult,
    decode_text,
    read_bytes,
    refuse,
    source_name,
    where,
    write_atomic,
)
from app.interchange.longtable import long_rows
from app.interchange.tablelayout import Table
from app.interchange.tabular import ImportOptions, import_tables
from app.model.limits import MAX_IMPORT_CELLS
from app.model.schema import MAX_NAME, DocumentData

DELIMITERS = (",", ";", "\t")


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV: whichever of , ; TAB splits the header line most (outside quotes)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in text[:65536]:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
        elif not quoted and ch == "\n":
            break
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


_SEP_LINE = re.compile(r"\A[ \t]*sep=([^\r\n])[ \t]*(?:\r\n|\r|\n|\Z)", re.IGNORECASE)


def split_sep_line(text: str) -> tuple[str | None, str]:
    """Excel's ``sep=;`` first line: (its delimiter, the text after it), else (None, text).

    Excel reads the line as the delimiter and does not show it as a row, so the rows are
    numbered as the spreadsheet shows them.
    """
    m = _SEP_LINE.match(text)
    if not m:
        return None, text
    return m.group(1), text[m.end():]


def read_csv_rows(text: str, source: str) -> list[list[str]]:
    """Every record of a CSV text (delimiter from a ``sep=`` line or sniffed); refuses broken
    quoting with its row, and more rows or cells than an import takes
    (:data:`~app.model.limits.MAX_IMPORT_CELLS`)."""
    declared, text = split_sep_line(text)
    delimiter = declared or sniff_delimiter(text)
    too_many = f"more than {MAX_IMPORT_CELLS:,} cells; split the file"
    if text.count(delimiter) > MAX_IMPORT_CELLS:  # before a row of millions is built
        raise refuse(source, too_many)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[list[str]] = []
    cells = 0
    try:
        for row in reader:
            rows.append(row)
            cells += len(row)
            if len(rows) > MAX_ROWS + 1:
                raise refuse(source, f"more than {MAX_ROWS:,} rows; split the file")
            if cells > MAX_IMPORT_CELLS:
                raise refuse(source, too_many)
    except csv.Error as err:
        raise refuse(source, f"{where(len(rows) + 1)}: {err} (at most 64 KB per cell)") from None
    return rows


def map_title(path: Path) -> str:
    """A default map title from a file name."""
    words = path.stem.replace("_", " ").replace("-", " ").split()
    return (" ".join(words) or "Imported map")[:MAX_NAME]


def read_csv_table(path: str | Path) -> tuple[Table, list[str]]:
    """A CSV file's rows as one table (and the warnings reading it gave), unparsed."""
    path = Path(path)
    source = source_name(path)
    warnings: list[str] = []
    text = decode_text(read_bytes(path, source), source, warnings)
    rows = read_csv_rows(text, source)
    if not any(c.strip() for row in rows for c in row):
        raise refuse(source, "the file is empty")
    return Table("", rows, kind="csv"), warnings


def import_csv(path: str | Path, options: ImportOptions | None = None) -> ImportResult:
    """Import a CSV in the long, grid or stage-rows layout (detected, or as ``options`` say)."""
    path = Path(path)
    table, warnings = read_csv_table(path)
    return import_tables([table], source_name(path), default_title=map_title(path),
                         options=options, warnings=warnings)


def write_csv(rows: Sequence[Sequence[str]], header: Sequence[str], dest: Path) -> None:
    """Write UTF-8 CSV with a byte-order mark (so spreadsheets read accents right).

    Every field is quoted: a spreadsheet set to another list separator (``;`` in much of
    Europe, or TAB) splits lines there, and ``x;=1+1`` unquoted would start a formula.
    """
    with open(dest, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        writer.writerows(rows)


def export_csv(data: DocumentData, map_ids: Sequence[int], path: str | Path, *,
               force: bool = False) -> None:
    """Write the long layout of the given maps (text formula-escaped) atomically."""
    header, rows = long_rows(data, map_ids, escape=True)
    write_atomic(Path(path), lambda tmp: write_csv(rows, header, tmp), force)
