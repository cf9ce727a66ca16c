"""Translations: a compiled .qm for a locale changes the window's strings (tr is wired)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from app.ui.dialogs.preferences import PreferencesDialog
from app.ui.shell.window import MainWindow
from app.ui.support.i18n import install_translators, remove_translators

TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context><name>MainWindow</name>
  <message><source>&amp;File</source><translation>&amp;Datei</translation></message>
  <message><source>Pr&amp;eferences…</source><translation>&amp;Einstellungen…</translation></message>
</context>
<context><name>Help</name>
  <message><source>&amp;Help</source><translation>&amp;Hilfe</translation></message>
</context>
<context><name>PropertiesPanel</name>
  <message><source>No card selected</source><translation>Keine Karte ausgewählt</translation></message>
</context>
<context><name>PreferencesDialog</name>
  <message><source>Preferences</source><translation>Einstellungen</translation></message>
</context>
</TS>
"""


@pytest.fixture
def german(tmp_path: Path) -> Iterator[Path]:
    # PySide6 installs pyside6-lrelease beside the interpreter (the venv's bin/, which
    # need not be on PATH); a missing tool is a broken install, not a reason to skip.
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    lrelease = str(beside) if beside.exists() else shutil.which("pyside6-lrelease")
    assert lrelease is not None, "pyside6-lrelease (installed with PySide6) was not found"
    ts = tmp_path / "waymark_de.ts"
    ts.write_text(TS, encoding="utf-8")
    subprocess.run([lrelease, str(ts), "-qm", str(tmp_path / "waymark_de.qm")], check=True,
                   capture_output=True)
    yield tmp_path
    remove_translators()


def test_a_translation_changes_menus_panels_and_dialogs(qtbot, doc, german):
    loaded = install_translators(QLocale("de_DE"), german)
    assert str(german / "waymark_de.qm") in loaded
    w = MainWindow(doc)
    w.ask_on_close = False
    qtbot.addWidget(w)
    titles = [a.text() for a in w.menuBar().actions()]
    assert titles[0] == "&Datei" and titles[-1] == "&Hilfe"
    assert w.act_preferences.text() == "&Einstellungen…"
    assert w.properties.heading.text() == "Keine Karte ausgewählt"
    dlg = PreferencesDialog(w)
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "Einstellungen"
    # untranslated strings stay English; the dock layout keys stay untranslated
    assert titles[1] == "&Edit"
    assert w.docks[0].objectName() == "Palette"


def test_english_loads_nothing(qtbot, german):
    assert [p for p in install_translators(QLocale("en_GB"), german) if "waymark" in p] == []


def test_no_translation_for_a_locale_is_fine(tmp_path: Path, doc, qtbot):
    install_translators(QLocale("fi_FI"), tmp_path)  # nothing there for Finnish
    w = MainWindow(doc)
    w.ask_on_close = False
    qtbot.addWidget(w)
    assert w.menuBar().actions()[0].text() == "&File"
    remove_translators()
