"""Uncaught exceptions: logged in the user's log folder, shown with their details, map safe."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from app.model import commands as C
from app.model.document import Document
from app.ui import app as ui_app
from app.ui.shell.window import MainWindow
from tests.ui.conftest import ids


@pytest.fixture(autouse=True)
def _drop_log_handlers() -> Iterator[None]:
    """install_crash_handler adds a file handler to the root logger: remove it afterwards."""
    yield
    root = logging.getLogger()
    while ui_app._handlers:
        handler = ui_app._handlers.pop()
        root.removeHandler(handler)
        handler.close()


def test_log_dir_is_the_users_log_folder_not_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    folder = ui_app.log_dir()
    assert folder.is_dir()
    if sys.platform.startswith("linux"):
        assert folder == tmp_path / "state" / "waymark" / "log"
    assert folder != ui_app.data_dir()


def test_exception_in_a_slot_is_logged_and_the_document_is_intact(qtbot, doc, tmp_path,
                                                                   monkeypatch):
    logs = tmp_path / "logs"
    logs.mkdir()
    monkeypatch.setattr(ui_app, "log_dir", lambda: logs)
    shown: list[tuple[str, str, Path]] = []
    monkeypatch.setattr(ui_app, "_show_error", lambda m, d, p: shown.append((m, d, p)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    log_path = ui_app.install_crash_handler()
    try:
        window = MainWindow(doc)
        window.ask_on_close = False
        qtbot.addWidget(window)
        n = ids(doc)
        button = QPushButton("Break")
        qtbot.addWidget(button)

        def buggy_slot() -> None:
            doc.execute(C.AddCard(n["Discover"], n["Goals"], {"title": "Saved before the bug"}))
            raise RuntimeError("boom in a slot")

        button.clicked.connect(buggy_slot)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        doc.execute(C.AddCard(n["Discover"], n["Goals"], {"title": "Edited after the bug"}))
    finally:
        for handler in ui_app._handlers:
            handler.flush()

    assert log_path == logs / "waymark.log"
    text = log_path.read_text(encoding="utf-8")
    assert "uncaught exception" in text
    assert "RuntimeError: boom in a slot" in text and "buggy_slot" in text
    assert len(shown) == 1
    message, details, where = shown[0]
    assert "Your map is safe" in message and "boom in a slot" in details and where == log_path

    # the file on disk has every edit, before and after the bug, and passes the checks
    copy = Document.open(doc.path, read_only=True)
    try:
        titles = {c.title for c in copy.data.cards.values()}
    finally:
        copy.close()
    assert {"Saved before the bug", "Edited after the bug"} <= titles
    window.close()


def test_second_install_replaces_the_log_handler(tmp_path, monkeypatch):
    monkeypatch.setattr(ui_app, "log_dir", lambda: tmp_path)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    ui_app.install_crash_handler()
    ui_app.install_crash_handler()
    assert len(ui_app._handlers) == 1


def test_error_dialog_copies_the_details(qtbot, tmp_path):
    clicked: list[bool] = []

    def press_copy() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press_copy)
            return
        assert "Details were written to" in box.informativeText()
        copy = next(b for b in box.buttons() if b.text() == "Copy details")
        qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
        clicked.append(True)
        if box.isVisible():
            box.accept()

    QTimer.singleShot(0, press_copy)
    ui_app._show_error("Waymark hit a bug.", "Traceback: details here", tmp_path / "w.log")
    assert clicked
    assert QGuiApplication.clipboard().text() == "Traceback: details here"
