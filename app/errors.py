"""Errors a user can cause, each carrying one readable line.

Anything raised as a :class:`WaymarkError` is shown to the user as its
message (the CLI prints it on stderr and exits 1; the GUI shows it in a
dialog). Anything else is a bug and is reported as such.
"""

from __future__ import annotations


class WaymarkError(Exception):
    """A problem the user can understand and act on; ``str(err)`` is one line."""

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        #: Further lines (e.g. every bad row of an import), shown under the message.
        self.details: list[str] = list(details or [])

    @property
    def message(self) -> str:
        """The one-line summary."""
        return str(self.args[0]) if self.args else ""


class NotADocumentError(WaymarkError):
    """The file is not a Waymark document (wrong type, empty, foreign SQLite file)."""


class NewerVersionError(WaymarkError):
    """The document was written by a newer Waymark; it is never modified."""


class CorruptDocumentError(WaymarkError):
    """The file is damaged or holds values that break the model's rules."""


class DocumentLockedError(WaymarkError):
    """Another Waymark process has the document open."""


class ReadOnlyDocumentError(WaymarkError):
    """An edit was attempted on a document opened view-only."""


class DocumentChangedError(ReadOnlyDocumentError):
    """Another program replaced, truncated or wrote an open document's file: the document
    stops writing it and keeps, in memory, everything acknowledged so far (Save As)."""


class CommandError(WaymarkError):
    """An edit was refused (invalid value, missing object); nothing changed."""


class DiskFullError(WaymarkError):
    """The disk (or the document's size limit) is full; the edit was rolled back."""


class LimitError(WaymarkError):
    """A document, an import or an edit would pass one of Waymark's size limits
    (:mod:`app.model.limits`); nothing was changed."""


class ImportProblem(WaymarkError):
    """An import was refused; ``details`` lists every problem by row and column, ``notes``
    what was recognised in the file (its layout, header row, columns) and how to change it."""

    def __init__(self, message: str, *, details: list[str] | None = None,
                 notes: list[str] | None = None) -> None:
        super().__init__(message, details=details)
        self.notes: list[str] = list(notes or [])


class ExportError(WaymarkError):
    """An export failed or was refused; the destination is untouched."""


class Cancelled(WaymarkError):
    """The user cancelled a long operation; nothing was written."""
