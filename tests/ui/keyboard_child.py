"""Child process of the kill -9 typing test: a real window typing a card key by key.

Opens the map in a MainWindow (offscreen), enters workshop mode, types the text given
on the command line into the cursor's cell as a keyboard does, lets the event loop run
after each key (as it does between real key presses), prints how many characters were
typed, and never presses Enter: the parent kills it in the middle of the card.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def main(path: Path, text: str) -> None:
    app = QApplication([])
    from app.model.document import Document
    from app.ui.shell.window import MainWindow

    win = MainWindow(Document.open(path))
    win.ask_on_close = False
    win.show()
    win.activateWindow()
    while not win.isActiveWindow():
        app.processEvents()
    win.view.setFocus()
    QTest.keyClick(win.windowHandle(), Qt.Key.Key_F11)
    for i, ch in enumerate(text, start=1):
        key = Qt.Key(ord(ch.upper())) if ch.isascii() and ch.isalnum() else Qt.Key.Key_unknown
        QTest.sendKeyEvent(QTest.KeyAction.Click, win.windowHandle(), key, ch,
                           Qt.KeyboardModifier.NoModifier)
        app.processEvents()
        print(i, flush=True)
    while True:  # typing stopped mid-card; wait to be killed
        app.processEvents()
        QTest.qWait(20)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
