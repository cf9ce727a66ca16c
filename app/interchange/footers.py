"""Rows below a table that are not part of it: a totals row, a footnote, a source line.

Spreadsheets end a table as people finish them: ``Total | | 12`` under the votes, a blank
row and ``Source: 12 interviews, March 2026``, ``Notes: see the Miro board``. Such rows are
not stages, lanes or cards; :func:`footer_rows` finds them so the table is read without
them, and their text is kept in the map's description (a totals row is only dropped: the
map computes its own totals).

A trailing row is a footer when, after the last row that holds two cells or more:

- it is a **totals row**: its first cell says *Total* (*Summe*, *合計*, *المجموع*, …) and
  every other cell is a number or empty; or
- it holds **one cell** and a blank row or a totals row separates it from the table, or
  the cell reads as a note, not a name (``Source: …``, a sentence of eight words or more,
  or one ending in a full stop).

A one-cell row right under the table that reads as a name (``Backstage``) stays in it: it
is an empty lane, or stage, of the table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.interchange.common import fold_latin

_TOTAL_WORDS = {
    "total", "totals", "grand total", "sum", "subtotal", "sub total", "overall", "average",
    "mean", "totales", "suma", "promedio", "total general", "somme", "moyenne",
    "summe", "gesamt", "insgesamt", "gesamtsumme", "durchschnitt", "合計", "総計", "平均",
    "合计", "总计", "总和", "المجموع", "الإجمالي", "المتوسط",
}
_NUMBER = re.compile(r"^[+\-\u2212]?[\d\s.,']*\d[\d\s.,']*\s*%?$")
_NOTE_KEY = re.compile(r"^\s*[^:：]{1,40}[:：]\s+\S")


def _cells(row: Sequence[object]) -> list[str]:
    return ["" if c is None else str(c).strip() for c in row]


def is_totals_row(cells: Sequence[str]) -> bool:
    """'Total', '', '12': a label naming a total, then numbers only."""
    filled = [c for c in cells if c]
    if not filled:
        return False
    label = fold_latin(" ".join(filled[0].casefold().rstrip(":：").split()))
    return label in _TOTAL_WORDS and all(_NUMBER.match(c) for c in filled[1:])


def reads_as_note(text: str) -> bool:
    """A cell that is a remark, not a name: 'Source: 12 interviews', a long sentence."""
    text = " ".join(text.split())
    return (bool(_NOTE_KEY.match(text)) or len(text.split()) >= 8
            or (text.endswith((".", "。", "…")) and (len(text.split()) >= 3 or len(text) >= 10)))


def footer_rows(rows: Sequence[Sequence[object]], header: int) -> tuple[list[int], list[str]]:
    """(0-based rows below the table that are footers, the notes among them in order)."""
    start = len(rows)
    while start - 1 > header:
        filled = [c for c in _cells(rows[start - 1]) if c]
        if len(filled) >= 2 and not is_totals_row(_cells(rows[start - 1])):
            break
        start -= 1
    footer: list[int] = []
    notes: list[str] = []
    separated = False
    for r in range(start, len(rows)):
        cells = _cells(rows[r])
        filled = [c for c in cells if c]
        if not filled:
            separated = True
            continue
        if is_totals_row(cells):
            footer.append(r)
            separated = True
            continue
        if separated or reads_as_note(filled[0]):
            footer.append(r)
            notes.append(filled[0])
    return footer, notes
