"""Bad files are refused with one clear line and left byte-identical."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from app.errors import (
    CorruptDocumentError,
    DocumentLockedError,
    NewerVersionError,
    NotADocumentError,
    ReadOnlyDocumentError,
    WaymarkError,
)
from app.model import commands as C
from app.model.document import Document
from app.model.schema import DocumentData
from app.model.tables import APPLICATION_ID, SCHEMA_VERSION
from tests.made import new_document
from tests.model.conftest import build_small


def make_doc(path: Path) -> Path:
    with new_document(path, "") as d:
        build_small(d)
    return path


def refused(path: Path, error: type[Exception], match: str) -> str:
    before = path.read_bytes() if path.is_file() else None
    mtime = path.stat().st_mtime_ns if path.exists() else None
    with pytest.raises(error, match=match) as info:
        Document.open(path)
    message = str(info.value)
    assert "\n" not in message and len(message) < 400
    if before is not None:
        assert path.read_bytes() == before
        assert path.stat().st_mtime_ns == mtime
    assert not Path(str(path) + "-journal").exists()
    return message


def test_not_documents(tmp_path: Path) -> None:
    (tmp_path / "empty.cjm").write_bytes(b"")
    (tmp_path / "text.cjm").write_text("Stage,Lane\nA,B\n")
    (tmp_path / "png.cjm").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 200)
    (tmp_path / "pdf.cjm").write_bytes(b"%PDF-1.7\n" + b"x" * 500)
    (tmp_path / "folder.cjm").mkdir()
    refused(tmp_path / "empty.cjm", NotADocumentError, "empty")
    refused(tmp_path / "text.cjm", NotADocumentError, "not a Waymark document")
    refused(tmp_path / "png.cjm", NotADocumentError, "not a Waymark document")
    refused(tmp_path / "pdf.cjm", NotADocumentError, "not a Waymark document")
    refused(tmp_path / "folder.cjm", NotADocumentError, "folder")
    refused(tmp_path / "missing.cjm", NotADocumentError, "does not exist")
    assert not (tmp_path / "missing.cjm").exists()


def test_foreign_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "other.cjm"
    con = sqlite3.connect(path)
    con.execute("create table notes(x)")
    con.commit()
    con.close()
    refused(path, NotADocumentError, "another application")


def test_newer_version(tmp_path: Path) -> None:
    path = make_doc(tmp_path / "new.cjm")
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    msg = refused(path, NewerVersionError, "newer Waymark")
    assert f"file format {SCHEMA_VERSION + 1}" in msg


def test_truncated_and_flipped(tmp_path: Path) -> None:
    good = make_doc(tmp_path / "good.cjm").read_bytes()
    half = tmp_path / "half.cjm"
    half.write_bytes(good[: len(good) // 2])
    refused(half, CorruptDocumentError, "damaged")
    short = tmp_path / "short.cjm"
    short.write_bytes(good[:-4096])
    refused(short, CorruptDocumentError, "damaged")
    odd = tmp_path / "odd.cjm"
    odd.write_bytes(good[:-100])
    refused(odd, CorruptDocumentError, "damaged")
    # garbage over the pages after the first: quick_check (or the schema reader) notices
    flipped = bytearray(good)
    for i in range(4096 + 200, len(flipped), 97):
        flipped[i] ^= 0xFF
    bad = tmp_path / "flipped.cjm"
    bad.write_bytes(bytes(flipped))
    refused(bad, WaymarkError, "damaged|invalid|not a Waymark")


def _tamper(path: Path, sql: str) -> None:
    con = sqlite3.connect(path)
    con.executescript(sql)
    con.commit()
    con.close()


@pytest.mark.parametrize("sql", [
    "CREATE TRIGGER wipe AFTER UPDATE ON cards BEGIN DELETE FROM cards; END;",
    "CREATE VIEW v AS SELECT * FROM cards;",
    "CREATE INDEX extra ON cards(title);",
    "CREATE TABLE extra(x);",
])
def test_hostile_schema(tmp_path: Path, sql: str) -> None:
    path = make_doc(tmp_path / "hostile.cjm")
    _tamper(path, sql)
    refused(path, CorruptDocumentError, "never creates")


@pytest.mark.parametrize(("sql", "match"), [
    ("UPDATE cards SET title = 'x' || hex(zeroblob(6000)) WHERE rowid = (SELECT min(rowid) FROM cards)", "cards row"),
    ("UPDATE cards SET emotion = 9", "cards row"),
    ("UPDATE cards SET metrics = '{\"NPS\": 1e300}'", "cards row"),
    ("UPDATE cards SET colour = 'red; x'", "cards row"),
    ("PRAGMA foreign_keys=OFF; UPDATE cards SET lane_id = 'x' || lane_id", "cards row"),
    ("UPDATE cards SET votes = '3 votes'", "cards row"),
    ("PRAGMA foreign_keys=OFF; UPDATE cards SET stage_id = 9999", "missing stage"),
    ("UPDATE history SET ops = '[[\"insert\",\"sqlite_schema\",1,null,{}]]'", "history row"),
    ("UPDATE history SET ops = 'DROP TABLE cards'", "history row"),
    ("UPDATE meta SET value = 'x' WHERE key = 'head'", "meta"),
])
def test_hostile_values(tmp_path: Path, sql: str, match: str) -> None:
    path = make_doc(tmp_path / "values.cjm")
    _tamper(path, sql)
    refused(path, CorruptDocumentError, match)


def test_giant_value_fails_fast(tmp_path: Path) -> None:
    path = make_doc(tmp_path / "giant.cjm")
    _tamper(path, "UPDATE cards SET body = zeroblob(20000000) WHERE rowid = (SELECT min(rowid) FROM cards)")
    refused(path, CorruptDocumentError, "too big|invalid|damaged")


def test_header_identifies_us(tmp_path: Path) -> None:
    path = make_doc(tmp_path / "ok.cjm")
    header = path.read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID
    assert int.from_bytes(header[60:64], "big") == SCHEMA_VERSION
    assert [p.name for p in tmp_path.iterdir()] == ["ok.cjm"]


def test_second_writer_is_refused_and_reader_gets_a_view(tmp_path: Path) -> None:
    path = make_doc(tmp_path / "shared.cjm")
    first = Document.open(path)
    try:
        with pytest.raises(DocumentLockedError, match="open in another Waymark"):
            Document.open(path)
        viewer = Document.open(path, read_only=True)
        assert viewer.read_only and "read-only view" in viewer.note
        assert viewer.data == first.data
        with pytest.raises(ReadOnlyDocumentError):
            viewer.execute(C.AddMap("x"))
        viewer.close()
        first.execute(C.AddMap("Still editable"))
    finally:
        first.close()


def test_replaced_file_is_never_overwritten(tmp_path: Path) -> None:
    path = make_doc(tmp_path / "synced.cjm")
    doc = Document.open(path)
    replacement = tmp_path / "replacement.cjm"
    make_doc(replacement)
    os.replace(replacement, path)
    with pytest.raises(ReadOnlyDocumentError, match="replaced"):
        doc.execute(C.AddMap("lost?"))
    doc.save_as(tmp_path / "mine.cjm")
    doc.execute(C.AddMap("kept"))
    doc.close()
    assert "kept" in [m.title for m in Document.open(tmp_path / "mine.cjm").data.maps.values()]


def test_save_as_is_complete_and_history_travels(tmp_path: Path) -> None:
    path = make_doc(tmp_path / "a.cjm")
    doc = Document.open(path)
    doc.execute(C.AddMap("Extra"))
    doc.save_as(tmp_path / "b.cjm")
    assert doc.path.name == "b.cjm"
    doc.undo()
    doc.close()
    with Document.open(tmp_path / "a.cjm") as a, Document.open(tmp_path / "b.cjm") as b:
        assert "Extra" in [m.title for m in a.data.maps.values()]
        assert "Extra" not in [m.title for m in b.data.maps.values()]
        assert b.can_redo and b.redo_label == "Add map 'Extra'"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.cjm", "b.cjm"]


def test_disk_full_rolls_back(tmp_path: Path) -> None:
    path = make_doc(tmp_path / "full.cjm")
    doc = Document.open(path)
    before = doc.snapshot()
    history = doc.history()
    raw = doc._conn.connection.dbapi_connection  # test-only: simulate a full disk
    pages = raw.execute("PRAGMA page_count").fetchone()[0]
    raw.execute(f"PRAGMA max_page_count={pages}")
    from app.errors import DiskFullError

    big = "x" * 4000
    stage = next(iter(doc.data.stages))
    lane = next(iter(doc.data.lanes))
    with pytest.raises(DiskFullError, match="disk is full"):
        with doc.macro("Many"):
            for _ in range(20):
                doc.execute(C.AddCard(stage, lane, {"title": "t", "body": big}))
    assert doc.data == before and doc.history() == history
    doc.close()
    with Document.open(path) as again:
        assert again.data == before
    assert [p.name for p in tmp_path.iterdir()] == ["full.cjm"]


def test_create_refuses_missing_folder_and_existing_file(tmp_path: Path) -> None:
    with pytest.raises(WaymarkError, match="folder"):
        Document.create_from(tmp_path / "nope" / "a.cjm", DocumentData())
    with pytest.raises(WaymarkError, match="folder"):
        Document.create(tmp_path / "nope" / "a.cjm", template="blank")
    Document.create(tmp_path / "a.cjm", template="blank").close()
    with pytest.raises(WaymarkError, match="already exists"):
        Document.create_from(tmp_path / "a.cjm", DocumentData())


def test_damaged_file_names_its_backup(tmp_path: Path) -> None:
    path = make_doc(tmp_path / "precious.cjm")  # edited and closed: a backup was written
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(CorruptDocumentError, match=r"a backup from .* is at") as info:
        Document.open(path)
    backup = Path(str(info.value).rsplit(" is at ", 1)[1])
    assert backup.parent != tmp_path  # nothing is written beside the document
    with Document.open(backup, read_only=True) as copy:
        assert len(copy.data.cards) == 4


def test_one_bad_row_among_many_is_named(tmp_path: Path) -> None:
    """Rows are validated a table at a time; a bad one is still reported by its id."""
    path = make_doc(tmp_path / "named.cjm")
    con = sqlite3.connect(path)
    ids = [r[0] for r in con.execute("SELECT id FROM cards ORDER BY id")]
    con.close()
    assert len(ids) >= 2
    bad = ids[len(ids) // 2]
    _tamper(path, f"UPDATE cards SET emotion = 7 WHERE id = {bad}")
    message = refused(path, CorruptDocumentError, "cards row")
    assert f"cards row {bad} is invalid" in message
