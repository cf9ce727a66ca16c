"""A battery of bad files: each is refused with every problem named by row and column."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from interchange_helpers import problems_of, write

from app.interchange import common
from app.interchange.csv_io import import_csv
from app.interchange.formats import import_file
from app.interchange.json_io import import_json
from app.interchange.mermaid import import_mermaid
from app.interchange.xlsx_io import import_xlsx

HEAD = "stage,lane,kind,title,emotion,votes,source,colour\n"

BAD_ROWS = [
    # (row text, expected detail fragment)
    ("A,L,gizmo,Title,,,,", "row 2, column C (kind): unknown kind 'gizmo'"),
    ("A,L,emotion,Sad,5,,,", "row 2, column E (emotion): emotion 5 is outside -2..+2"),
    ("A,L,emotion,Sad,-3,,,", "row 2, column E (emotion): emotion -3 is outside -2..+2"),
    ("A,L,emotion,Sad,very,,,", "row 2, column E (emotion): emotion 'very' is not a whole number"),
    ("A,L,emotion,Sad,1.5,,,", "row 2, column E (emotion): emotion '1.5' is not a whole number"),
    ("A,L,action,,1,,,", "row 2, column D (title): the title is empty"),
    (",L,action,Go,,,,", "row 2, column A (stage): the stage is empty"),
    ("A,L,action,Go,,-1,,", "row 2, column F (votes): votes '-1' is not a whole number"),
    ("A,L,action,Go,,,gossip,", "row 2, column G (source): unknown source 'gossip'"),
    ("A,L,action,Go,,,,red", "row 2, column H (colour): colour must look like #rrggbb"),
    ("A,L,action," + "x" * 201 + ",,,,", "row 2, column D (title): at most 200 characters, not 201"),
    ("A" * 121 + ",L,action,Go,,,,", "row 2, column A (stage): a stage name has at most 120"),
]


@pytest.mark.parametrize(("row", "expected"), BAD_ROWS)
def test_bad_cell_is_named_by_row_and_column(tmp_path: Path, row: str, expected: str) -> None:
    path = write(tmp_path, "bad.csv", HEAD + row + "\n")
    message, details = problems_of(import_csv, path)
    assert message == "1 problem in 'bad.csv'"
    assert len(details) == 1 and details[0].startswith(expected), details


def test_every_problem_is_listed_not_just_the_first(tmp_path: Path) -> None:
    path = write(tmp_path, "many.csv", HEAD + "A,L,action,Fine,,,,\n"
                 "A,L,gizmo,One,,,,\nA,L,emotion,Two,9,,,\n,L,action,Three,,,,\n"
                 "A,L,action,,,,,\n")
    message, details = problems_of(import_csv, path)
    assert message == "4 problems in 'many.csv'"
    assert [d.split(":")[0] for d in details] == [
        "row 3, column C (kind)", "row 4, column E (emotion)", "row 5, column A (stage)",
        "row 6, column D (title)"]


@pytest.mark.parametrize(("header", "missing"), [
    ("stage,lane,kind\n", "title"), ("lane,title\n", "stage"), ("Phase,Layer\n", "title")])
def test_missing_required_column(tmp_path: Path, header: str, missing: str) -> None:
    path = write(tmp_path, "cols.csv", header + "A,B,C\n")
    _message, details = problems_of(import_csv, path)
    assert any(d.startswith(f"row 1: the required column '{missing}' is missing")
               for d in details), details


def test_duplicate_column(tmp_path: Path) -> None:
    path = write(tmp_path, "dup.csv", "stage,title,Text\nA,B,C\n")
    _message, details = problems_of(import_csv, path)
    assert details == ["row 1, column C (Text): a second 'title' column (the first is column B)"]


def test_too_many_rows(tmp_path: Path) -> None:
    rows = "".join(f"S,L,note,card {i}\n" for i in range(common.MAX_ROWS + 5))
    path = write(tmp_path, "big.csv", "stage,lane,kind,title\n" + rows)
    _message, details = problems_of(import_csv, path)
    assert "more than 100,000 rows" in details[0]


def test_multi_kilobyte_cell(tmp_path: Path) -> None:
    path = write(tmp_path, "cell.csv", "stage,title,body\nA,B," + "x" * 70_000 + "\n")
    _message, details = problems_of(import_csv, path)
    assert details == ["row 2, column C (body): the cell holds 70,000 characters (at most 65,536)"]


def test_multi_megabyte_cell(tmp_path: Path) -> None:
    path = write(tmp_path, "mega.csv", "stage,title\nA,\"" + "x" * 2_000_000 + "\"\n")
    _message, details = problems_of(import_csv, path)
    assert details[0].startswith("row 2: field larger than field limit")


def test_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "MAX_FILE_BYTES", 1000)
    path = write(tmp_path, "huge.csv", "stage,title\n" + "A,B\n" * 500)
    _message, details = problems_of(import_csv, path)
    assert "imports are limited to" in details[0]


def test_undecodable_text(tmp_path: Path) -> None:
    path = tmp_path / "bin.csv"  # bytes no code page reads as text
    path.write_bytes(b"stage,title\nA," + bytes(range(0x80, 0x100)) * 2 + b"\n")
    _message, details = problems_of(import_csv, path)
    assert details == ["line 2: the file is not UTF-8 text (nor in a code page Waymark "
                       "recognises); save it as 'CSV UTF-8' and import again"]


def test_empty_and_missing_files(tmp_path: Path) -> None:
    assert problems_of(import_csv, write(tmp_path, "e.csv", ""))[1] == ["the file is empty"]
    assert problems_of(import_file, tmp_path / "nope.csv")[1] == ["the file does not exist"]


# ---------------------------------------------------------------- XLSX
def test_broken_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    _message, details = problems_of(import_xlsx, path)
    assert details[0].startswith("this is not a readable .xlsx file")


def test_zip_without_workbook(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert "not an Excel workbook" in problems_of(import_xlsx, path)[1][0]


def test_damaged_workbook_xml(tmp_path: Path) -> None:
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types")
        zf.writestr("xl/workbook.xml", "<workbook><oops")
    assert "damaged" in problems_of(import_xlsx, path)[1][0]


def test_zip_bomb_is_refused_from_the_directory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for _ in range(common.MAX_XLSX_UNZIPPED // len(chunk) + 2):
                fh.write(chunk)
    assert path.stat().st_size < 2_000_000
    _message, details = problems_of(import_xlsx, path)
    assert "unpacks to 202 MB" in details[0] and "refused" in details[0]


def test_bad_cells_in_xlsx_named_by_sheet_row_column(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Journey"
    ws.append(["Stage", "Lane", "Kind", "Title", "Emotion"])
    ws.append(["A", "L", "action", "ok", 1])
    ws.append(["A", "L", "gizmo", "bad", 7])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    message, details = problems_of(import_xlsx, path)
    assert message == "2 problems in 'bad.xlsx'"
    assert details == [
        "sheet 'Journey': row 3, column C (kind): unknown kind 'gizmo' (use one of touchpoint, "
        "action, thought, emotion, goal, pain point, opportunity, note)",
        "sheet 'Journey': row 3, column E (emotion): emotion 7 is outside -2..+2"]


# ---------------------------------------------------------------- JSON
@pytest.mark.parametrize(("text", "expected"), [
    ("{not json", "this is not valid JSON (line 1, column 2"),
    ("[1, 2]", "the file does not hold a Waymark document"),
    ('{"format": "other", "version": 1, "data": {}}', "this is not a Waymark JSON file"),
    ('{"format": "waymark", "version": 7, "data": {}}', "the file was written by a newer Waymark"),
    ('{"format": "waymark", "version": 1, "data": {}}', "the file holds no map"),
])
def test_bad_json_file(tmp_path: Path, text: str, expected: str) -> None:
    _message, details = problems_of(import_json, write(tmp_path, "x.json", text))
    assert details[0].startswith(expected), details


def test_bad_json_rows_are_named_by_path(tmp_path: Path) -> None:
    text = ('{"format": "waymark", "version": 1, "data": {"maps": {"1": {"id": 1, "title": "M"}},'
            '"stages": {"1": {"id": 1, "map_id": 1, "name": "S"}},'
            '"lanes": {"1": {"id": 1, "map_id": 1, "name": "L"}},'
            '"cards": {"1": {"id": 1, "map_id": 1, "stage_id": 1, "lane_id": 1, "title": "",'
            ' "emotion": 7}}}}')
    message, details = problems_of(import_json, write(tmp_path, "x.json", text))
    assert message == "2 problems in 'x.json'"
    assert details[0].startswith("data.cards.1.title: must not be empty")
    assert details[1].startswith("data.cards.1.emotion: Input should be less than or equal to 2")


def test_dangling_reference_in_json(tmp_path: Path) -> None:
    text = ('{"format": "waymark", "version": 1, "data": {"maps": {"1": {"id": 1, "title": "M"}},'
            '"stages": {"1": {"id": 1, "map_id": 9, "name": "S"}}}}')
    _message, details = problems_of(import_json, write(tmp_path, "x.json", text))
    assert "stage 1 refers to missing map 9" in details[0]


# ---------------------------------------------------------------- Mermaid
@pytest.mark.parametrize(("text", "expected"), [
    ("graph TD\n A-->B\n", "line 1, column 1: this is a Mermaid graph diagram, not a journey"),
    ("sequence\n A->>B: hi\n", "line 1, column 1: a Mermaid journey starts with 'journey'"),
    ("journey\n section S\n  Just words\n", "line 3, column 3: a task reads 'name: score: actors'"),
    ("journey\n section S\n  Tea:\n", "line 3, column 3: the task 'Tea' has no score after its ':'"),
    ("journey\n section S\n  Tea #2: 4\n", "line 3, column 3: Mermaid reads '#' as the start of a comment"),
    ("journey\n section S\n  Tea; cake: 4\n", "line 3, column 3: Mermaid does not allow ';'"),
])
def test_bad_mermaid(tmp_path: Path, text: str, expected: str) -> None:
    _message, details = problems_of(import_mermaid, write(tmp_path, "j.mmd", text))
    assert details[0].startswith(expected), details
