"""Settings: typed round trip, corrupt files fall back to defaults, window layout and recent files."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from app.model.document import Document
from app.model.history import DEFAULT_LIMIT
from app.ui.shell.window import MainWindow, recent_files
from app.ui.support.settings import EXPORT_DEFAULTS, Settings
from tests.made import new_document


def settings_file() -> Path:
    """Where QSettings() (INI, redirected by the conftest) keeps this test's settings."""
    return Path(QSettings().fileName())


def test_settings_file_is_the_test_ini(tmp_path):
    assert settings_file().is_relative_to(tmp_path)
    assert settings_file().suffix == ".ini"


def test_round_trip(tmp_path):
    s = Settings()
    assert s.as_dict() == {"theme": "system", "viewing_distance": None,
                           "history_limit": DEFAULT_LIMIT, "default_paper": "A1",
                           "recent_limit": 8, "reopen_last": False, "role_distances": {}}
    s.theme = "dark"
    s.role_distances = {"title": 4.0, "body": 0.3}  # issue 14: reading distance per role
    s.viewing_distance = 1.5
    s.history_limit = 250
    s.default_paper = "A2"
    s.recent_limit = 3
    s.reopen_last = True
    s.set_export_options({"paper": "A0", "orientation": "portrait", "dpi": 300,
                          "bleed_mm": 3, "crop_marks": True, "distance_m": 2.0})
    s.set_window_state(QByteArray(b"\x01geometry\xff"), QByteArray(b"state"))
    s.sync()
    assert settings_file().is_file()

    again = Settings(QSettings(str(settings_file()), QSettings.Format.IniFormat))
    assert again.as_dict() == {"theme": "dark", "viewing_distance": 1.5,
                               "history_limit": 250, "default_paper": "A2",
                               "recent_limit": 3, "reopen_last": True,
                               "role_distances": {"title": 4.0, "body": 0.3}}
    opts = again.export_options()
    assert opts == {**EXPORT_DEFAULTS, "paper": "A0", "orientation": "portrait", "dpi": 300,
                    "bleed_mm": 3.0, "crop_marks": True, "distance_m": 2.0}
    geometry, state = again.window_state()
    assert bytes(geometry.data()) == b"\x01geometry\xff" and bytes(state.data()) == b"state"


def test_export_options_default_from_preferences_and_merge():
    s = Settings()
    assert s.export_options() == EXPORT_DEFAULTS
    s.default_paper = "A3"
    s.viewing_distance = 0.7
    assert s.export_options()["paper"] == "A3"
    assert s.export_options()["distance_m"] == 0.7
    s.set_export_options({"dpi": 600})
    s.set_export_options({"crop_marks": True})  # merged over what was stored
    opts = s.export_options()
    assert opts["dpi"] == 600 and opts["crop_marks"] is True and opts["paper"] == "A3"
    s.set_export_options({"distance_m": None})  # back to "by paper"
    s.viewing_distance = None
    assert s.export_options()["distance_m"] is None
    s.set_export_options({"paper": "420x594mm"})
    assert s.export_options()["paper"] == "420x594mm"


def test_module_level_export_options_for_the_export_dialog():
    from app.ui.support import settings

    assert settings.export_options() == EXPORT_DEFAULTS
    settings.set_export_options({"paper": "A2", "bleed_mm": 3.0, "crop_marks": True,
                                 "dialog_tab": "pdf"})
    again = Settings(QSettings(str(settings_file()), QSettings.Format.IniFormat))
    assert again.export_options() == {**EXPORT_DEFAULTS, "paper": "A2", "bleed_mm": 3.0,
                                      "crop_marks": True, "dialog_tab": "pdf"}


@pytest.mark.parametrize("options", [{"dpi": 5000}, {"paper": "B7½"}, {"orientation": "up"},
                                     {"bleed_mm": -1}, {"crop_marks": "maybe"},
                                     {"distance_m": 99}, {"other": [1, 2]}])
def test_invalid_export_options_are_refused(options):
    s = Settings()
    with pytest.raises(ValueError):
        s.set_export_options(options)
    assert s.export_options() == EXPORT_DEFAULTS


@pytest.mark.parametrize("attr,value", [("theme", "purple"), ("history_limit", 0),
                                        ("recent_limit", 99), ("default_paper", "Z9"),
                                        ("viewing_distance", 0.01)])
def test_invalid_preferences_are_refused(attr, value):
    s = Settings()
    before = getattr(s, attr)
    with pytest.raises(ValueError):
        setattr(s, attr, value)
    assert getattr(s, attr) == before


GARBAGE = (b"\x00\xff\xfe[General\n"
           b"theme=42\nhistory_limit=banana\nrecent_limit=-5\nreopen_last=perhaps\n"
           b"viewing_distance=NaN\ndefault_paper=@Invalid()\nrecent=7\n"
           b"\x89PNG\r\n\x1a\n"
           b'[export]\noptions="{\\"dpi\\": \\"many\\", \\"paper\\": 3, '
           b'\\"bleed_mm\\": 1e999, \\"crop_marks\\": true}"\n'
           b"[window]\ngeometry=not bytes\nstate=@ByteArray(\\x1\\x2garbage)\n[[[[\n=\n")


def test_corrupt_settings_fall_back_to_defaults(qtbot, tmp_path, caplog):
    path = settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(GARBAGE)
    caplog.set_level(logging.WARNING, logger="app.ui.support.settings")
    s = Settings()
    assert s.as_dict() == {"theme": "system", "viewing_distance": None,
                           "history_limit": DEFAULT_LIMIT, "default_paper": "A1",
                           "recent_limit": 8, "reopen_last": False, "role_distances": {}}
    # the one valid export option survives; the rest fall back
    assert s.export_options() == {**EXPORT_DEFAULTS, "crop_marks": True}
    assert s.recent_files() == []
    assert any("not valid" in r.getMessage() for r in caplog.records)

    # and a window starts with it: unusable saved layout -> default layout, no exception
    doc = new_document(tmp_path / "m.cjm", "sample")
    w = MainWindow(doc)
    w.ask_on_close = False
    qtbot.addWidget(w)
    w.show()
    assert all(d.isVisible() for d in w.docks[:4])
    assert w.doc.history_limit == DEFAULT_LIMIT
    w.close()


def test_binary_garbage_file_does_not_crash(tmp_path):
    path = settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(range(256)) * 40)
    s = Settings()
    assert s.theme == "system" and s.export_options() == EXPORT_DEFAULTS
    assert s.window_state() == (None, None)


def test_window_layout_is_restored(qtbot, tmp_path):
    doc = new_document(tmp_path / "a.cjm", "sample")
    w = MainWindow(doc)
    w.ask_on_close = False
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.resize(700, 720)  # the offscreen screen is 800x800; the default size fills it
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (700, 720))
    history_dock = w.docks[3]
    history_dock.hide()
    w.close()

    doc2 = Document.open(tmp_path / "a.cjm")
    w2 = MainWindow(doc2)
    w2.ask_on_close = False
    qtbot.addWidget(w2)
    w2.show()
    qtbot.waitExposed(w2)
    assert (w2.width(), w2.height()) == (700, 720)
    assert not w2.docks[3].isVisible()
    assert w2.docks[2].isVisible()
    w2.close()


def test_recent_files_follow_the_limit(qtbot, tmp_path):
    paths = []
    for name in ("one", "two", "three"):
        d = new_document(tmp_path / f"{name}.cjm", "blank")
        w = MainWindow(d)
        w.ask_on_close = False
        qtbot.addWidget(w)
        w.close()
        paths.append(str((tmp_path / f"{name}.cjm").resolve()))
    assert recent_files() == paths[::-1]
    Settings().recent_limit = 2
    assert recent_files() == paths[:0:-1]
    Path(paths[2]).unlink()
    assert recent_files() == [paths[1], paths[0]]  # vanished files are skipped
    assert Settings().last_document() == Path(paths[1])


def test_reopen_last_document_at_start(tmp_path):
    from app.ui.shell.desktop import startup_document

    untitled = tmp_path / "untitled"
    untitled.mkdir()
    doc = new_document(tmp_path / "last.cjm", "blank")
    doc.close()
    Settings().remember_recent(tmp_path / "last.cjm")
    assert startup_document(untitled) is None  # the preference is off by default
    Settings().reopen_last = True
    assert startup_document(untitled) == (tmp_path / "last.cjm").resolve()
    (untitled / "Untitled-1.cjm").write_bytes(b"")  # a crashed session's map comes first
    assert startup_document(untitled) is None
    (untitled / "Untitled-1.cjm").unlink()
    (tmp_path / "last.cjm").unlink()  # gone: the sample map instead
    assert startup_document(untitled) is None
