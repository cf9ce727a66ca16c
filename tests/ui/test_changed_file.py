"""#18 (2) in the window: a file truncated by another process while cards are dragged
stops the saving at once, says so, and offers Save As, which keeps every acknowledged drag.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from app.model.document import Document
from tests.reliability.test_file_changed import TRUNCATE, other_process
from tests.ui.conftest import card_centre, drag, ids


def test_the_window_offers_save_as_with_every_acknowledged_drag(qtbot, window, doc,
                                                                tmp_path: Path,
                                                                monkeypatch) -> None:
    path = doc.path
    view = window.view
    n = ids(doc)
    card = doc.data.cell(n["Discover"], n["Actions"])[0]
    target = view.map_scene.cell_rect(n["Collect in store"], n["Actions"])
    drag(qtbot, view, card_centre(view, card.id), (target.x + 30, target.bottom - 4))
    assert doc.data.cards[card.id].stage_id == n["Collect in store"]  # acknowledged
    other_process(TRUNCATE, path)
    second = doc.data.cell(n["Research"], n["Actions"])[0]
    drag(qtbot, view, card_centre(view, second.id), (target.x + 30, target.bottom - 4))
    assert doc.data.cards[second.id].stage_id == n["Research"]  # not acknowledged
    qtbot.waitUntil(lambda: window.changed_file_box is not None, timeout=5000)
    box = window.changed_file_box
    assert "truncated" in box.informativeText() and "Save As" in box.informativeText()
    assert "[read-only]" in window.windowTitle()
    kept = tmp_path / "kept.cjm"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(kept), ""))
    box.save_button.click()
    qtbot.waitUntil(lambda: doc.path == kept.resolve(), timeout=5000)
    assert "[read-only]" not in window.windowTitle()
    with Document.open(kept, read_only=True) as saved:
        assert saved.data.cards[card.id].stage_id == n["Collect in store"]
        assert saved.data.cards[second.id].stage_id == n["Research"]
    assert os.path.getsize(path) == 0  # the truncated file was never written again
    con = sqlite3.connect(kept)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
