"""Child process for the kill -9 test: applies numbered edits, printing each after commit."""

from __future__ import annotations

import sys
from pathlib import Path

from app.model import commands as C
from app.model.document import Document


def main(path: Path, start: int) -> None:
    doc = Document.open(path)
    data = doc.data
    m = data.ordered_maps()[0].id
    stages = [s.id for s in data.stages_of(m)]
    lane = data.lanes_of(m)[0].id
    i = start
    while True:
        if i % 3 == 2:
            # a multi-row edit: move the newest card to the front of another cell
            newest = max(doc.data.cards)
            doc.execute(C.MoveCards([(newest, stages[i % len(stages)], lane, 0)]))
        else:
            doc.execute(C.AddCard(stages[i % len(stages)], lane, {"title": f"edit {i}"}))
        print(i, flush=True)
        i += 1


def run(path: str, start: str) -> None:
    """Entry point from the command line or tests/forkserver.py."""
    main(Path(path), int(start))


if __name__ == "__main__":
    run(*sys.argv[1:3])
