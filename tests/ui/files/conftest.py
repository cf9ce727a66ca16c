"""Export, import, drops and background tasks: a shown window, waiting for tasks, file drops."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.model.document import Document
from app.ui.shell.window import WINDOWS, MainWindow
from app.ui.support import tasks
from tests.ui.conftest import shown_window

TASK_TIMEOUT_MS = 60_000


@pytest.fixture
def window(qtbot, doc: Document) -> Iterator[MainWindow]:
    """The sample map in a shown main window; windows opened by the test are closed after."""
    QSettings().remove("export")  # remembered export choices start from the defaults
    before = list(WINDOWS)
    w = shown_window(qtbot, doc)
    yield w
    qtbot.waitUntil(lambda: not tasks.RUNNING, timeout=TASK_TIMEOUT_MS)
    for other in list(WINDOWS):
        if other not in before and other is not w:
            other.ask_on_close = False
            other.close()


def wait_task(qtbot, task: tasks.Task) -> tasks.Task:
    """Process events until ``task`` has ended (done, failed or cancelled)."""
    qtbot.waitUntil(lambda: task.done, timeout=TASK_TIMEOUT_MS)
    return task


def file_mime(*paths: Path) -> QMimeData:
    """What a file manager puts on a drag of these files: their file:// URLs."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def drop_on(widget: QWidget, mime: QMimeData, pos: QPoint | None = None
            ) -> tuple[bool, bool]:
    """Deliver enter, move and drop to ``widget`` as Qt does (ignored drags go to parents).

    Returns whether the enter and the drop were accepted.
    """
    pos = pos if pos is not None else widget.rect().center()
    action = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, action, mime, buttons, mods)
    QApplication.sendEvent(widget, enter)
    move = QDragMoveEvent(pos, action, mime, buttons, mods)
    QApplication.sendEvent(widget, move)
    drop = QDropEvent(QPointF(pos), action, mime, buttons, mods)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()
