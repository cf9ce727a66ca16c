"""Executing a command from the GUI: one undo step, and a refusal reported, never raised.

:func:`execute` is the one place the GUI calls ``Document.execute``; the window's
:meth:`~app.ui.shell.base.Shell.run` and, without a window, the canvas and the panels
use it. A refusal (a CommandError or any other WaymarkError) is handed to ``refused``
as its one-line message; nothing in the document changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.errors import WaymarkError

if TYPE_CHECKING:
    from app.model.commands import Command
    from app.model.document import Document
    from app.model.state import Change

#: How features run a command: the change, or None when it was refused (and reported).
Runner = Callable[["Command"], "Change | None"]


def execute(doc: Document, cmd: Command, refused: Callable[[str], None]) -> Change | None:
    """Run ``cmd`` on ``doc`` as one undo step; on a refusal call ``refused(message)``."""
    try:
        return doc.execute(cmd)
    except WaymarkError as err:
        refused(err.message)
        return None
