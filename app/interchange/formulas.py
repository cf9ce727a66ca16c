"""Formula cells a workbook holds without their result.

Excel and LibreOffice save each formula's last result next to it, and that result is what
an import reads. A workbook written by a program (openpyxl, pandas, a report generator)
holds only the formula, which shows its value once a spreadsheet opens it but reads as an
empty cell here. :func:`uncached_formulas` finds such cells with one streamed pass over a
sheet's XML, so the import can say which cells came in empty instead of losing them
silently.
"""

from __future__ import annotations

import re
import zipfile

#: A formula element followed, within its cell, by no value: '<f>A1*2</f></c>',
#: '<f t="shared" si="0"/></c>', '<f>…</f><v/></c>'.
_UNCACHED = re.compile(rb'<c\s(?:[^>]*?\s)?r="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*'
                       rb'<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>')
_CHUNK = 1024 * 1024
_OVERLAP = 64 * 1024  # longer than any cell's formula element (xmlscan limits tokens)


def uncached_formulas(zf: zipfile.ZipFile, part: str, most: int = 5) -> tuple[list[str], int]:
    """(the first ``most`` cells, how many cells) of ``part`` holding a formula without
    its result."""
    found: list[str] = []
    count = 0
    seen_until = 0  # absolute offset up to which matches were counted
    offset = 0
    tail = b""
    with zf.open(part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            data = tail + chunk
            base = offset - len(tail)
            if b"<f" in data:
                for m in _UNCACHED.finditer(data):
                    if base + m.start() < seen_until:
                        continue
                    seen_until = base + m.end()
                    count += 1
                    if len(found) < most:
                        found.append(m.group(1).decode())
            tail = data[-_OVERLAP:]
            offset += len(chunk)
    return found, count
