"""XLSX import of workbooks people make: long layout with typed cells, grids on several sheets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from app.interchange.xlsx_io import import_xlsx
from app.model.schema import CardKind, LaneKind


def test_long_layout_with_numbers_and_dates(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append([None])  # a blank first row is skipped
    ws.append(["Phase", "Swimlane", "Type", "Card", "Score", "Dots", "metric:CSAT", "Notes"])
    ws.append(["Visit", "Doing", "action", "Walk in", -1, 3, 4.5, dt.date(2026, 1, 2)])
    ws.append(["Visit", "Doing", "action", 2026, 0, None, None, None])
    path = tmp_path / "long.xlsx"
    wb.save(path)
    data = import_xlsx(path).data
    cards = data.cards_of(1)
    assert [(c.title, c.emotion, c.votes, c.metrics) for c in cards] == [
        ("Walk in", -1, 3, {"CSAT": 4.5}), ("2026", 0, 0, {})]
    assert cards[0].body.startswith("2026-01-02")
    assert data.maps[1].title == "Sheet"


def test_grid_sheets_become_maps(tmp_path: Path) -> None:
    wb = Workbook()
    first = wb.active
    first.title = "Students"
    first.append(["", "Apply", "Enrol"])
    first.append(["Touchpoints", "Portal\nEmail", "Office"])
    first.append(["Emotions", "Hopeful (+2)", "-1"])
    second = wb.create_sheet("Parents")
    second.append(["Lane", "Pay"])
    second.append(["Pain points", "Fees unclear"])
    wb.create_sheet("Empty")
    path = tmp_path / "grid.xlsx"
    wb.save(path)
    data = import_xlsx(path).data
    assert [m.title for m in data.ordered_maps()] == ["Students", "Parents"]
    students, parents = data.ordered_maps()
    assert [(ln.name, ln.kind) for ln in data.lanes_of(students.id)] == [
        ("Touchpoints", LaneKind.TOUCHPOINTS), ("Emotions", LaneKind.EMOTIONS)]
    assert [(c.title, c.emotion) for c in data.cards_of(students.id)] == [
        ("Portal", None), ("Email", None), ("Hopeful", 2), ("Office", None), ("-1", -1)]
    (fees,) = data.cards_of(parents.id)
    assert (fees.title, fees.kind) == ("Fees unclear", CardKind.PAIN_POINT)
    assert sorted(data.cards) == list(range(1, 7)) and sorted(data.stages) == [1, 2, 3]
