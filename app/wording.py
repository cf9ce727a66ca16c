"""English wording shared by the command line, the reports and the exports (the GUI's
strings go through Qt's ``tr``): a count with its noun in the right number."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``1 card``, ``2 cards``, ``0 cards``; *plural* for nouns not made with an ``s``."""
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"
