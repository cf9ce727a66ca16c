"""benchmarks/commit_timer.py (room_load --commits) times the document's commits and tells a
room slice's (one batch) from another edit's, and puts everything back afterwards."""

from __future__ import annotations

import time
from pathlib import Path

from app.model import commands as C
from app.model import fileformat
from app.model.document import Document
from benchmarks.commit_timer import CommitTimer


def test_commits_are_timed_by_kind_and_their_share_of_a_gap_reported(tmp_path: Path) -> None:
    raw = fileformat.raw
    doc = Document.create(tmp_path / "timed.cjm", template="sample")
    timer = CommitTimer()
    undo = timer.install()
    try:
        try:
            card = min(doc.data.cards)
            start = time.perf_counter()
            doc.execute(C.UpdateCard(card, {"body": "price shown too late — 等待"}))
            with doc.batch():  # a room slice: two contributions, one commit
                doc.execute(C.UpdateCard(card, {"title": "parking full"}))
                doc.execute(C.UpdateCard(card, {"title": "parking full, again"}))
            end = time.perf_counter()
            doc.save_as(tmp_path / "copy.cjm", switch=False)  # a backup: the real connection
        finally:
            doc.close()
    finally:
        undo()
    assert fileformat.raw is raw
    figures = timer.report([(start, end)])
    assert figures["edit_commits"]["n"] == 1 and figures["slice_commits"]["n"] == 1
    inside = timer.inside(start, end)
    assert inside["edit"] > 0 and inside["slice"] > 0
    share = figures["slice_commit_share_of_long_gaps"] + figures["edit_commit_share_of_long_gaps"]
    assert 0 < share <= 1
    assert figures["longest_gaps"][0]["gap_ms"] >= figures["slice_commits"]["max_ms"]
