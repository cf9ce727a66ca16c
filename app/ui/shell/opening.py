"""Opening a .cjm off the GUI thread (checking 10,000 cards takes about half a second).

Why this is safe: a Document is used by one thread at a time, never two. The worker
runs ``Document.open`` (header, schema, integrity check, loading and validating every
row) and returns the open Document; the queued signal that carries it to the GUI thread
orders the hand-over, and from then on only the GUI thread touches it. The SQLite
connection is made with ``check_same_thread=False`` (app/model/fileformat.make_engine)
and SQLite itself is built thread-safe (serialised), so a connection created on one
thread may be used on another; the file lock is per process, not per thread. A result
that arrives after Cancel is closed again on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import DocumentLockedError
from app.model.document import Document
from app.ui.support.tasks import Report, Task, run_task


def open_in_background(parent: QWidget | None, path: Path,
                       on_opened: Callable[[Document], None], *,
                       read_only: bool = False) -> Task:
    """Open ``path`` on a pool thread with a (cancellable) progress dialog.

    When another window has the file, asks (on the GUI thread) whether to open a
    read-only view, as File > Open always did. Other refusals are one-line messages.
    """
    path = Path(path)

    def work(progress: Report, cancelled: Callable[[], bool]) -> Document:
        progress(None, "checking the file")
        return Document.open(path, read_only=read_only)

    task: Task | None = None

    def failed(err: BaseException) -> None:
        if isinstance(err, DocumentLockedError) and not read_only:
            answer = QMessageBox.question(
                parent, "Already open",
                f"{err.message}.\n\nOnly one window can edit a map at a time. "
                "Open a read-only view of it instead? (Save As makes an editable copy.)")
            if answer == QMessageBox.StandardButton.Yes:
                open_in_background(parent, path, on_opened, read_only=True)
            return
        assert task is not None
        task.show_failure(err)

    task = run_task(parent, "Open", work, label=f"Opening {path.name}…", on_done=on_opened,
                    on_error=failed, on_discard=lambda doc: doc.close())
    return task
