"""#18 (2): a file truncated, replaced or written by another process while it is open is
noticed before an edit is acknowledged; the document stops writing it, keeps what it
holds, and Save As keeps every acknowledged edit (in the model and in the window)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.errors import ReadOnlyDocumentError
from app.model import commands as C
from app.model.document import Document
from tests.reliability.bounded import ROOT


def other_process(code: str, path: Path) -> None:
    """Run ``code`` (with ``p`` the file's path) in a second process, to completion."""
    subprocess.run([sys.executable, "-c", f"import os, sqlite3, sys; p = sys.argv[1]\n{code}",
                    str(path)], check=True, cwd=ROOT, timeout=60)


TRUNCATE = "open(p, 'r+b').truncate(0)"
TRUNCATE_HALF = "f = open(p, 'r+b'); f.truncate(os.path.getsize(p) // 2)"
REPLACE = ("import shutil; shutil.copyfile(p, p + '.new'); "
           "c = sqlite3.connect(p + '.new'); c.execute('DELETE FROM cards'); c.commit(); "
           "c.close(); os.replace(p + '.new', p)")
WRITE = ("c = sqlite3.connect(p); c.execute(\"UPDATE cards SET title = 'changed elsewhere'\");"
         "c.commit(); c.close()")


def five_edits(doc: Document) -> list[str]:
    m = doc.data.ordered_maps()[0]
    stage = doc.data.stages_of(m.id)[0].id
    lane = doc.data.lanes_of(m.id)[0].id
    titles = [f"réservé n°{i} — 予約" for i in range(5)]
    for t in titles:
        doc.execute(C.AddCard(stage, lane, {"title": t}))
    return titles


@pytest.mark.parametrize(("code", "what"), [(TRUNCATE, "truncated"),
                                            (TRUNCATE_HALF, "truncated"),
                                            (REPLACE, "replaced"),
                                            (WRITE, "changed by another program")],
                         ids=["truncated", "half", "replaced", "written"])
def test_no_edit_is_acknowledged_after_another_process_changes_the_file(
        tmp_path: Path, code: str, what: str) -> None:
    path = tmp_path / "trip.cjm"
    doc = Document.create(path, template="sample")
    titles = five_edits(doc)
    acknowledged = doc.data
    other_process(code, path)
    m = doc.data.ordered_maps()[0]
    with pytest.raises(ReadOnlyDocumentError, match=what) as caught:
        doc.execute(C.AddCard(doc.data.stages_of(m.id)[0].id, doc.data.lanes_of(m.id)[0].id,
                              {"title": "after the change"}))
    assert "Save As" in caught.value.message and "\n" not in caught.value.message
    assert doc.read_only and doc.detached
    assert doc.data == acknowledged  # memory keeps every acknowledged edit, nothing more
    with pytest.raises(ReadOnlyDocumentError):
        doc.undo()
    copy = tmp_path / "kept.cjm"
    doc.save_as(copy)
    assert not doc.read_only  # Save As continues in the new file
    doc.execute(C.AddMap("carry on"))
    doc.close()
    with Document.open(copy) as kept:
        got = {c.title for c in kept.data.cards.values()}
        assert set(titles) <= got and "after the change" not in got
        assert "carry on" in {x.title for x in kept.data.maps.values()}


def test_a_replaced_file_saves_as_with_its_history(tmp_path: Path) -> None:
    """After a rename over the file, the document still reads its own file (the old inode):
    Save As keeps the whole file, undo history and versions included."""
    path = tmp_path / "trip.cjm"
    doc = Document.create(path, template="sample")
    five_edits(doc)
    doc.name_version("before the sync")
    other_process(REPLACE, path)
    with pytest.raises(ReadOnlyDocumentError):
        doc.execute(C.AddMap("x"))
    doc.save_as(tmp_path / "kept.cjm")
    assert doc.can_undo and [v.name for v in doc.versions()] == ["before the sync"]
    doc.close()


def test_a_truncated_document_is_not_backed_up_over_its_last_good_backup(
        tmp_path: Path) -> None:
    from app.model import backups

    path = tmp_path / "trip.cjm"
    doc = Document.create(path, template="sample")
    five_edits(doc)
    doc.close()  # a good backup
    good = backups.backup_path(path).read_bytes()
    doc = Document.open(path)
    five_edits(doc)
    other_process(TRUNCATE, path)
    with pytest.raises(ReadOnlyDocumentError):
        five_edits(doc)
    doc.close()
    assert backups.backup_path(path).read_bytes() == good
