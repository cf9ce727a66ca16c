"""Fuzz the spreadsheet importers with what spreadsheets really hold: typed XLSX cells
(numbers, booleans, dates, errors, formulas, shared and inline strings, written as Excel
writes them) and CSV in each of the three delimiters people use.

Every file is imported or refused with ImportProblem, never anything else; a CSV reads
the same whichever delimiter it was written with.

The suite runs a small budget; the long run is
``HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/reliability/test_fuzz_tables.py``.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import ImportProblem
from app.interchange.common import column_letter
from app.interchange.formats import import_file
from tests.interchange.interchange_helpers import content

HEADERS = ["stage", "title", "lane", "kind", "emotion", "votes", "tags", "metric:NPS", "body",
           "source", "owner", "colour", "persona", "map", "Phase", "Card", "Score", ""]
TEXTS = ["Search online", "appeler le 112", "支付失败", "الدفع", "תשלום", "भुगतान", "😀 great",
         "=1+1", "'=A1", "+33 6 12", "-", "@here", "a;b", "tab\tin", 'say "hi"', "line\nbreak",
         "", " ", "x" * 250, "observed", "pain point", "Touchpoints", "#ff8800", "2", "-3"]

# (type attribute, value text, inner form) of a cell as Excel writes it
CELL = st.one_of(
    st.tuples(st.just("n"), st.sampled_from(["0", "1", "-2", "2.5", "1e308", "-1e-300",
                                             "44927", "3.14159", "1E+20", "NaN", "INF", "x"])),
    st.tuples(st.just("b"), st.sampled_from(["0", "1", "2", "true"])),
    st.tuples(st.just("e"), st.sampled_from(["#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?"])),
    st.tuples(st.just("d"), st.sampled_from(["2026-03-01T09:30:00", "1900-01-00", "9999-12-31",
                                             "not a date"])),
    st.tuples(st.just("s"), st.integers(-1, 12).map(str)),
    st.tuples(st.just("inlineStr"), st.sampled_from(TEXTS)),
    st.tuples(st.just("str"), st.sampled_from(TEXTS)),  # a formula's cached text
)
STYLE = st.sampled_from([None, "0", "1", "2", "99"])  # 1: a date format, 99: no such style


def _cell_xml(ref: str, kind: str, value: str, style: str | None) -> str:
    s = f' s="{style}"' if style is not None else ""
    if kind == "inlineStr":
        return f'<c r="{ref}" t="inlineStr"{s}><is><t>{escape(value)}</t></is></c>'
    if kind == "str":
        return f'<c r="{ref}" t="str"{s}><f>CONCAT("a","b")</f><v>{escape(value)}</v></c>'
    return f'<c r="{ref}" t="{kind}"{s}><v>{escape(value)}</v></c>'


@cache
def _template() -> dict[str, bytes]:
    """The parts of a real workbook (openpyxl's), with a date style and shared strings."""
    from openpyxl import Workbook
    from openpyxl.styles import NamedStyle

    wb = Workbook()
    ws = wb.active
    ws.append(["stage", "title"])
    ws.append(["Arrive", "find the door"])
    ws["C1"].style = NamedStyle(name="when", number_format="yyyy-mm-dd")
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    strings = "".join(f"<si><t>{escape(t)}</t></si>" for t in TEXTS[:10])
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" count="10" uniqueCount="10">{strings}</sst>').encode()
    return parts


def _workbook(path: Path, header: list[str], rows: list[list[tuple[tuple[str, str],
                                                                    str | None]]]) -> None:
    parts = dict(_template())
    xml = ['<row r="1">' + "".join(_cell_xml(f"{column_letter(c)}1", "inlineStr", h, None)
                                   for c, h in enumerate(header)) + "</row>"]
    for r, row in enumerate(rows, start=2):
        xml.append(f'<row r="{r}">' + "".join(
            _cell_xml(f"{column_letter(c)}{r}", kind, value, style)
            for c, ((kind, value), style) in enumerate(row)) + "</row>")
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    start, end = sheet.index("<sheetData"), sheet.index("</sheetData>") + len("</sheetData>")
    parts["xl/worksheets/sheet1.xml"] = (sheet[:start] + "<sheetData>" + "".join(xml)
                                         + "</sheetData>" + sheet[end:]).encode()
    types = parts["[Content_Types].xml"].decode()
    if "sharedStrings" not in types:
        types = types.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" '
                              'ContentType="application/vnd.openxmlformats-officedocument.'
                              'spreadsheetml.sharedStrings+xml"/></Types>')
        parts["[Content_Types].xml"] = types.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)


def _imports_or_refuses(path: Path) -> None:
    try:
        result = import_file(path)
    except ImportProblem as err:
        assert err.message and "\n" not in err.message
        assert all(isinstance(d, str) for d in err.details)
    else:
        assert result.data.maps


@settings(max_examples=max(60, settings.default.max_examples), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
       rows=st.lists(st.lists(st.tuples(CELL, STYLE), max_size=6), max_size=8))
def test_typed_xlsx_cells_import_or_refuse_cleanly(header: list[str], rows: list[list[
        tuple[tuple[str, str], str | None]]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "typed.xlsx"
        _workbook(path, header, rows)
        _imports_or_refuses(path)


DELIMITERS = (",", ";", "\t")
STAGES = ["Discover", "Réserver", "支付", "Arrive; wait", "Pay, then leave", 'The "big" day']
LANES = ["Actions", "Touchpoints", "Emotions", "Pain points", "Ideas, later", ""]


@settings(max_examples=max(60, settings.default.max_examples), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(st.sampled_from(STAGES), st.sampled_from(LANES),
                               st.sampled_from(TEXTS), st.sampled_from(TEXTS)),
                     min_size=1, max_size=12),
       quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
       crlf=st.booleans(), bom=st.booleans())
def test_a_csv_reads_the_same_in_each_delimiter(rows: list[tuple[str, str, str, str]],
                                                quoting: int, crlf: bool, bom: bool) -> None:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for delimiter in DELIMITERS:
            buf = io.StringIO()
            writer = csv.writer(buf, delimiter=delimiter, quoting=quoting,
                                lineterminator="\r\n" if crlf else "\n")
            writer.writerow(["stage", "lane", "title", "body"])
            writer.writerows(rows)
            path = Path(tmp) / f"cards{DELIMITERS.index(delimiter)}.csv"
            path.write_bytes(("\ufeff" if bom else "").encode() + buf.getvalue().encode())
            try:
                data = import_file(path).data
            except ImportProblem as err:
                assert "\n" not in err.message
                results.append(("refused", tuple(err.details)))
            else:
                results.append(("read", repr([{k: v for k, v in m.items() if k != "title"}
                                              for m in content(data)])))
    assert results[0] == results[1] == results[2], results
