"""Document settings (poster font, logo, brand colour) are rows of the content since file
format 5: set, changed and removed as undoable steps, kept in named versions, and moved
out of ``meta`` when an older file is opened."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.errors import CommandError
from app.model import commands as C
from app.model import fileformat, schemas, tables
from app.model.document import Document
from app.model.snapshot import read_snapshot
from tests.made import new_document

V1_FILE = Path(__file__).resolve().parents[1] / "data" / "files" / "ikea-couch-v1.cjm"
FONT = json.dumps({"family": "Brandy Sans", "file": "/fonts/Brandy Sans/Brandy-Regular.ttf",
                   "sha1": "0" * 40}, ensure_ascii=False)


def test_a_setting_change_is_one_step_that_undoes_and_redoes(tmp_path: Path) -> None:
    with new_document(tmp_path / "map.cjm", "sample") as doc:
        ids_before = {i for name in tables.MODEL_TABLES for i in getattr(doc.data, name)}
        doc.set_setting("poster_font", FONT, "Change poster font")
        assert doc.setting("poster_font") == FONT
        assert doc.undo_label == "Change poster font"
        (row,) = doc.data.settings.values()
        assert row.id not in ids_before  # ids stay unique document-wide
        steps = len(doc.history())
        doc.set_settings({"logo": "a" * 64, "brand_colour": "#0058a3"},
                         "Change logo and brand colour")
        assert len(doc.history()) == steps + 1  # two settings, one step
        doc.undo()
        assert doc.setting("logo") is None and doc.setting("brand_colour") is None
        assert doc.setting("poster_font") == FONT
        doc.undo()
        assert doc.setting("poster_font") is None
        doc.redo()
        assert doc.setting("poster_font") == FONT
        doc.set_setting("poster_font", None, "Change poster font")  # back to DejaVu Sans
        assert doc.setting("poster_font") is None and not doc.data.settings
        doc.undo()
        assert doc.setting("poster_font") == FONT
        steps = len(doc.history())
        doc.set_setting("poster_font", FONT)  # the same value: no step
        assert len(doc.history()) == steps
    # kept in the file, and what `waymark export` reads
    assert read_snapshot(tmp_path / "map.cjm").setting("poster_font") == FONT


def test_a_bad_key_or_an_oversized_value_is_refused_and_changes_nothing(tmp_path: Path
                                                                        ) -> None:
    with new_document(tmp_path / "map.cjm", "sample") as doc:
        steps = len(doc.history())
        for key, value in (("Poster Font", "x"), ("", "x"), ("poster_font", "x" * 20_001)):
            with pytest.raises(CommandError):
                doc.set_setting(key, value)
        assert len(doc.history()) == steps and not doc.data.settings


def test_a_named_version_keeps_its_font_and_restoring_it_brings_the_font_back(
        tmp_path: Path) -> None:
    with new_document(tmp_path / "map.cjm", "sample") as doc:
        doc.set_setting("poster_font", FONT, "Change poster font")
        version = doc.name_version("brand launch")
        doc.set_setting("poster_font", None, "Change poster font")
        doc.restore_version(version.id)
        assert doc.setting("poster_font") == FONT
        doc.undo()
        assert doc.setting("poster_font") is None


def _version_4_file(path: Path, settings: dict[str, str]) -> None:
    """The real version-1 file taken to file format 4 with settings in ``meta``, as
    Waymark kept them before they became rows."""
    shutil.copyfile(V1_FILE, path)
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("BEGIN")
        for version in (1, 2, 3):
            fileformat.MIGRATIONS[version](con)
        con.execute("PRAGMA user_version=4")
        assert schemas.listed(con) == schemas.objects(4)
        for key, value in settings.items():
            con.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"setting:{key}", value))
        con.execute("COMMIT")
    finally:
        con.close()


def test_a_version_4_file_keeps_its_settings_as_rows(tmp_path: Path) -> None:
    path = tmp_path / "couch.cjm"
    _version_4_file(path, {"poster_font": FONT, "brand_colour": "#0058a3"})
    original = path.read_bytes()
    assert read_snapshot(path).setting("poster_font") == FONT  # read-only: upgraded in memory
    assert path.read_bytes() == original
    with Document.open(path) as doc:
        assert doc.setting("poster_font") == FONT
        assert doc.setting("brand_colour") == "#0058a3"
        content_ids = [i for name in tables.MODEL_TABLES if name != "settings"
                       for i in getattr(doc.data, name)]
        assert min(doc.data.settings) > max(content_ids)
        # the history written before still undoes, and the moved setting is undoable now
        assert doc.undo_label.startswith("Vote for") and doc.can_redo
        doc.set_setting("poster_font", None, "Change poster font")
        doc.undo()
        assert doc.setting("poster_font") == FONT
        added = doc.execute(C.AddPersona({"name": "Sam, 41, returns the sofa"}))
        assert not added.ids("personas") & set(doc.data.settings)  # no id is reused
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT count(*) FROM meta WHERE key LIKE 'setting:%'"
                           ).fetchone() == (0,)
        assert schemas.listed(con) == fileformat.expected_schema()
    finally:
        con.close()
