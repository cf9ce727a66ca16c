"""The read-only snapshot behind `waymark export` and `check`: the same content and the same
refusals as opening the document, without SQLAlchemy."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.errors import CorruptDocumentError, NotADocumentError
from app.model import commands as C
from app.model.document import Document
from app.model.snapshot import read_snapshot
from tests.made import new_document, new_file
from tests.model.conftest import build_small

ROOT = Path(__file__).resolve().parents[2]
V1_FILE = ROOT / "tests" / "data" / "files" / "ikea-couch-v1.cjm"


def _doc(path: Path) -> Path:
    with new_document(path, "") as doc:
        build_small(doc)
        doc.set_setting("poster_font", "/fonts/Brand-Regular.ttf")
        doc.name_version("first draft")
        doc.execute(C.AddMap("Second map"))
        doc.name_version("Q3 review")
    return path


def test_same_content_settings_and_newest_version_as_opening(tmp_path: Path) -> None:
    path = _doc(tmp_path / "a.cjm")
    snap = read_snapshot(path)
    with Document.open(path, read_only=True) as doc:
        assert snap.data == doc.data
        assert snap.setting("poster_font") == doc.setting("poster_font")
    assert snap.latest_version == "Q3 review"
    assert snap.setting("nothing") is None


def test_an_older_file_is_upgraded_in_memory_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "old.cjm"
    shutil.copyfile(V1_FILE, path)
    before = path.read_bytes()
    snap = read_snapshot(path)
    with Document.open(path, read_only=True) as doc:  # the editor's view of the same file
        assert snap.data == doc.data
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["old.cjm"]
    assert any(c.title for c in snap.data.cards.values())


def test_a_file_another_waymark_holds_is_read_from_a_copy(tmp_path: Path) -> None:
    path = _doc(tmp_path / "held.cjm")
    writer = Document.open(path)
    try:
        writer.execute(C.AddMap("Added while held"))
        snap = read_snapshot(path)
        assert snap.data == writer.data
    finally:
        writer.close()


def test_images_asked_for_come_validated(tmp_path: Path) -> None:
    path = tmp_path / "img.cjm"
    data = _tiny_png()
    with new_document(path, "") as doc:
        digest = doc.add_blob(data, "image/png")
    snap = read_snapshot(path, blobs=[digest, "0" * 64])
    assert list(snap.blobs) == [digest]
    assert snap.blobs[digest].data == data


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    raw = b"\x00\xff\x00\x00"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_bad_files_are_refused_as_opening_refuses_them(tmp_path: Path) -> None:
    path = _doc(tmp_path / "bad.cjm")
    con = sqlite3.connect(path)
    con.execute("UPDATE cards SET emotion = 7")  # the models refuse this
    con.commit()
    con.close()
    with pytest.raises(CorruptDocumentError, match=r"cards row .* is invalid"):
        read_snapshot(path)
    planted = _doc(tmp_path / "planted.cjm")
    con = sqlite3.connect(planted)
    con.execute("CREATE TRIGGER t AFTER INSERT ON cards BEGIN SELECT 1; END")
    con.commit()
    con.close()
    with pytest.raises(CorruptDocumentError, match="trigger 't'"):
        read_snapshot(planted)
    text = tmp_path / "notes.cjm"
    text.write_text("not a database")
    with pytest.raises(NotADocumentError):
        read_snapshot(text)
    assert text.read_text() == "not a database"


def test_export_and_check_never_import_sqlalchemy(tmp_path: Path) -> None:
    path = tmp_path / "sample.cjm"
    new_file(path, "sample")
    probe = (
        "import sys\n"
        "from app.cli import main\n"
        "for argv in (['export', sys.argv[1], '-o', sys.argv[2], '--quiet'],\n"
        "             ['check', sys.argv[1], '--paper', 'A1']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('sqlalchemy' in sys.modules, file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", probe, str(path), str(tmp_path / "x.pdf")],
                         env=env, capture_output=True, text=True, timeout=120, check=False)
    assert (tmp_path / "x.pdf").stat().st_size > 1000, out.stderr
    assert out.stderr.strip().splitlines()[-1] == "False", out.stderr
