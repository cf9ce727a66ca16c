"""When another program replaces, truncates or writes an open document's file.

The document stops writing it at once (before the edit is reported done) and keeps, in
memory, everything acknowledged so far (:attr:`app.model.document.Document.detached`).
This module tells the user, once, in a window-modal message with **Save As…**, which
writes what the window holds to a new file and carries on editing there; and closing
such a window asks first, since its content is then in no file.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox


def install(window: Any) -> None:
    """Watch ``window.doc`` for its file changing under it."""
    window.changed_file_box = None

    def on_detached(reason: str) -> None:
        # after the refused edit has unwound (a gesture may still hold the mouse)
        QTimer.singleShot(0, lambda: offer_save_as(window, reason))

    window.unsub_detached = window.doc.on_detached(on_detached)


def offer_save_as(window: Any, reason: str) -> None:
    """Show the message (window-modal, not blocking) with Save As… and Close."""
    window._doc_changed()  # the title says read-only now
    if window.changed_file_box is not None:
        return
    box = QMessageBox(QMessageBox.Icon.Warning, window.tr("File changed on disk"),
                      window.tr("Waymark stopped saving this map."), parent=window)
    box.setInformativeText(reason[:1].upper() + reason[1:] + ".")
    box.save_button = box.addButton(window.tr("Save As…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(box.save_button)

    def done(_result: int) -> None:
        window.changed_file_box = None
        if box.clickedButton() is box.save_button:
            window.save_as()
        window._doc_changed()

    box.finished.connect(done)
    window.changed_file_box = box
    box.open()


def ask_before_closing(window: Any) -> bool:
    """For a window whose file changed under it: True when it may close (saved to a new
    file, or the user chose to discard what it holds)."""
    if not window.doc.detached or not window.ask_on_close:
        return True
    answer = QMessageBox.question(
        window, window.tr("Keep this map?"), window.tr(
            "This map's file was changed by another program, so what this window holds is "
            "in no file. Save it under a new name before closing?"),
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel)
    if answer == QMessageBox.StandardButton.Cancel:
        return False
    return answer == QMessageBox.StandardButton.Discard or bool(window.save_as())
