"""Files dropped on the main window: a .cjm opens, a data file opens the import preview.

Installed as an event filter on the window, so a drop anywhere on it works: the canvas
(app/ui/canvas/view.py) ignores drags that carry URLs, and Qt passes an ignored drag on to the
parent widgets up to the window. Palette drags (no URLs) still go to the canvas.
Anything else is refused with a status-bar message and changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject
from PySide6.QtGui import QDropEvent

from app.ui.shell.base import Shell

DOCUMENT_SUFFIXES = (".cjm",)
DATA_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm", ".md", ".markdown", ".json", ".mmd",
                 ".mermaid")
REFUSAL = "drop a .cjm map, or a .csv, .xlsx, .md, .json or .mmd file to import"


def dropped_files(mime: QMimeData) -> tuple[list[Path], list[Path], list[str]]:
    """(documents, data files, refused names) among the local files of a drag."""
    docs: list[Path] = []
    data: list[Path] = []
    refused: list[str] = []
    for url in mime.urls():
        if not url.isLocalFile():
            refused.append(url.toDisplayString())
            continue
        path = Path(url.toLocalFile())
        suffix = path.suffix.lower()
        if suffix in DOCUMENT_SUFFIXES:
            docs.append(path)
        elif suffix in DATA_SUFFIXES:
            data.append(path)
        else:
            refused.append(path.name or str(path))
    return docs, data, refused


class FileDrops(QObject):
    """Accepts file drags on ``window`` and opens or imports what is dropped."""

    def __init__(self, window: Shell) -> None:
        super().__init__(window)
        self.window = window
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Handle drags that carry URLs; leave every other event alone."""
        kind = event.type()
        if kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        assert isinstance(event, QDropEvent)  # DragEnter and DragMove derive from it
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return False
        docs, data, refused = dropped_files(mime)
        if kind != QEvent.Type.Drop:
            if docs or data:
                event.acceptProposedAction()
            else:
                event.ignore()
                if kind == QEvent.Type.DragEnter:
                    self._refuse(refused)
            return True
        if not docs and not data:
            event.ignore()
            self._refuse(refused)
            return True
        event.acceptProposedAction()
        self.open_files(docs, data, refused)
        return True

    def _refuse(self, refused: list[str]) -> None:
        names = ", ".join(refused[:3]) + (" …" if len(refused) > 3 else "")
        self.window.report(f"Cannot open {names}: {REFUSAL}")

    def open_files(self, docs: list[Path], data: list[Path], refused: list[str]) -> None:
        """Open every document; preview the first data file; say what was left out."""
        for path in docs:
            self.window.open_document(str(path))
        if data:
            self.window.import_file(data[0])
        if refused:
            self._refuse(refused)
        elif len(data) > 1:
            self.window.report(f"Importing {data[0].name} only: one data file at a time")
