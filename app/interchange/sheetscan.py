"""What a sheet's XML says that openpyxl's streaming reader does not: formula cells saved
without their result, and hidden rows and columns.

Excel and LibreOffice save each formula's last result next to it, and that result is what
an import reads. A workbook written by a program (openpyxl, pandas, a report generator)
holds only the formula, which shows its value once a spreadsheet opens it but reads as an
empty cell here. Hidden rows and columns are read like the others (as Excel's own CSV
export does), so the import says which they were. :func:`scan_sheet` finds both with one
streamed pass over the sheet's XML part.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

#: A formula element followed, within its cell, by no value: '<f>A1*2</f></c>',
#: '<f t="shared" si="0"/></c>', '<f>…</f><v/></c>'.
_UNCACHED = re.compile(rb'<c\s(?:[^>]*?\s)?r="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*'
                       rb'<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>')
_HIDDEN_ROW = re.compile(rb'<row\s[^>]*?\bhidden="(?:1|true)"[^>]*>')
_HIDDEN_COL = re.compile(rb'<col\s[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ATTR = re.compile(rb'\b(r|min|max)="([0-9]{1,7})"')
_CHUNK = 1024 * 1024
_OVERLAP = 64 * 1024  # longer than any cell's formula element (xmlscan limits tokens)
_MOST = 5  # cells named per kind


@dataclass
class SheetFacts:
    """The first few cells with a formula but no result (and how many), hidden rows and
    hidden columns (1-based), of one sheet."""

    uncached: list[str] = field(default_factory=list)
    uncached_count: int = 0
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[int] = field(default_factory=list)


def _attrs(tag: bytes) -> dict[bytes, int]:
    return {k: int(v) for k, v in _ATTR.findall(tag)}


def scan_sheet(zf: zipfile.ZipFile, part: str) -> SheetFacts:
    """The :class:`SheetFacts` of the worksheet ``part`` of an open workbook."""
    facts = SheetFacts()
    seen_until = 0  # absolute offset up to which matches were taken
    offset = 0
    tail = b""
    with zf.open(part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            data = tail + chunk
            base = offset - len(tail)
            found = []
            if b"<f" in data:
                found.extend(("f", m) for m in _UNCACHED.finditer(data))
            if b"hidden=" in data:
                found.extend(("r", m) for m in _HIDDEN_ROW.finditer(data))
                found.extend(("c", m) for m in _HIDDEN_COL.finditer(data))
            for kind, m in sorted(found, key=lambda km: km[1].start()):
                if base + m.start() < seen_until:
                    continue
                seen_until = base + m.end()
                _take(facts, kind, m)
            tail = data[-_OVERLAP:]
            offset += len(chunk)
    return facts


def _take(facts: SheetFacts, kind: str, m: re.Match[bytes]) -> None:
    if kind == "f":
        facts.uncached_count += 1
        if len(facts.uncached) < _MOST:
            facts.uncached.append(m.group(1).decode())
        return
    attrs = _attrs(m.group())
    if kind == "r" and b"r" in attrs:
        facts.hidden_rows.append(attrs[b"r"])
    elif kind == "c" and b"min" in attrs:
        first, last = attrs[b"min"], min(attrs.get(b"max", attrs[b"min"]), attrs[b"min"] + 50)
        facts.hidden_columns.extend(range(first, last + 1))
