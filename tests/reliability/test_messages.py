"""#18 (7): each case that ended in a traceback (or the GUI's "Waymark hit a bug" dialog)
is one line: deep JSON in history operations, card tags and the clipboard, a 5000-digit
integer in a JSON import, a JSON export of a document with an image past SQLite's length
limit, an XLSX export of more stages than a sheet has columns, file names of 242-255
bytes, and running out of memory."""

from __future__ import annotations

import json
import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.errors import CorruptDocumentError, ExportError
from app.interchange.formats import export_data
from app.model import commands as C
from app.model.document import Document
from app.model.schema import DocumentData
from tests.made import new_document
from tests.reliability.bounded import ROOT, one_line_error, waymark

DEEP = "[" * 100_000 + "]" * 100_000


def _doc(tmp_path: Path, name: str = "trip.cjm") -> Path:
    path = tmp_path / name
    with new_document(path, "sample") as doc:
        card = next(iter(doc.data.cards))
        doc.execute(C.UpdateCard(card, {"tags": ["web", "nuit"]}))
    return path


@pytest.mark.parametrize("where", ["history ops", "card tags"])
def test_deeply_nested_json_in_a_document_is_one_line(tmp_path: Path, where: str) -> None:
    path = _doc(tmp_path)
    con = sqlite3.connect(path)
    if where == "history ops":
        con.execute("UPDATE history SET ops = ? WHERE seq = (SELECT max(seq) FROM history)",
                    (DEEP,))
    else:
        con.execute("UPDATE cards SET tags = ? WHERE id = (SELECT min(id) FROM cards)", (DEEP,))
    con.commit()
    con.close()
    for read_only in (False, True):
        with pytest.raises(CorruptDocumentError, match="nested too deeply"):
            Document.open(path, read_only=read_only)
    err = one_line_error(waymark("info", path))
    assert "nested too deeply" in err


def test_deep_json_pasted_from_the_clipboard_is_nothing_to_paste(qtbot, tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, Qt
    from PySide6.QtGui import QGuiApplication

    from app.ui.canvas.clipboard import CARDS_MIME
    from tests.ui.conftest import shown_window

    doc = Document.open(_doc(tmp_path))
    window = shown_window(qtbot, doc)
    before = doc.data
    for payload in (DEEP, json.dumps({"cards": [{"fields": {"title": "x", "tags": [[[[]]]]}}]}),
                    '{"cards": ' + DEEP + "}"):
        mime = QMimeData()
        mime.setData(CARDS_MIME, payload.encode())
        QGuiApplication.clipboard().setMimeData(mime)
        window.view.setFocus()
        qtbot.keyClick(window.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(10)
    assert doc.data == before


def test_a_json_import_with_a_5000_digit_number_is_one_line(tmp_path: Path) -> None:
    src = tmp_path / "big.json"
    src.write_text('{"format": "waymark", "version": 1, "data": {"maps": {"1": {"id": '
                   + "7" * 5000 + ', "title": "x", "position": 0}}}}', encoding="utf-8")
    err = one_line_error(waymark("import", src, "-o", tmp_path / "big.cjm"))
    assert "a number with too many digits" in err


def test_a_json_export_of_a_document_with_a_huge_image_is_one_line(tmp_path: Path) -> None:
    path = _doc(tmp_path)
    digest = "ab" * 32
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("INSERT INTO blobs VALUES (?, 'image/png', zeroblob(17000000))", (digest,))
    con.execute("UPDATE cards SET image = ? WHERE id = (SELECT min(id) FROM cards)", (digest,))
    con.commit()
    con.close()
    err = one_line_error(waymark("export", path, "-o", tmp_path / "out.json"))
    assert "cannot be read" in err and not (tmp_path / "out.json").exists()


def test_an_xlsx_export_of_more_stages_than_columns_is_one_line(tmp_path: Path) -> None:
    stages = {i: {"id": i, "map_id": 1, "name": f"s{i}", "position": i}
              for i in range(2, 16_400)}
    data = DocumentData.model_validate({"maps": {1: {"id": 1, "title": "wide", "position": 0}},
                                        "stages": stages})
    with pytest.raises(ExportError, match="more stages than a spreadsheet has columns"):
        export_data(data, 1, tmp_path / "wide.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_file_names_of_242_to_255_bytes(tmp_path: Path) -> None:
    fits = tmp_path / ("é" * 120 + ".cjm")  # 244 bytes: room for '-journal' beside it
    result = waymark("new", fits)
    assert result.returncode == 0, result.stderr
    with Document.open(fits) as doc:
        doc.execute(C.AddMap("edited"))
    too_long = tmp_path / ("x" * 250 + ".cjm")  # 254 bytes: SQLite's journal would not fit
    err = one_line_error(waymark("new", too_long))
    assert "too long a name" in err and not too_long.exists()
    shutil.copyfile(fits, too_long)
    with Document.open(too_long) as doc:  # a view, saying why
        assert doc.read_only and "too long" in doc.note
    err = one_line_error(waymark("import", ROOT / "tests/data/real-maps/ikea-couch.csv",
                                 "--into", too_long))
    assert "too long" in err
    too_long.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)  # damaged: names a backup
    err = one_line_error(waymark("info", too_long))
    assert "Traceback" not in err


def test_running_out_of_memory_is_one_line(tmp_path: Path) -> None:
    src = tmp_path / "cards.csv"
    src.write_text("stage,title,body\n" + "".join(
        f"stage {i % 20},card {i},{'mot ' * 1200}\n" for i in range(12_000)), encoding="utf-8")

    def limit() -> None:
        soft = 350 * 1024 * 1024  # enough to start, too little for the import
        resource.setrlimit(resource.RLIMIT_AS, (soft, soft))

    result = subprocess.run([sys.executable, "-m", "app", "import", str(src), "-o",
                             str(tmp_path / "c.cjm")], capture_output=True, text=True,
                            cwd=ROOT, preexec_fn=limit, timeout=300)
    err = one_line_error(result)
    assert "not enough memory" in err and not (tmp_path / "c.cjm").exists()
