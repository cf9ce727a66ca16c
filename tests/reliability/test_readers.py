"""#18 (8, and 9's read-only items): a document another Waymark is editing is read without
a copy (SQLite's shared lock, for the moment of the read), so a read during a large commit
is never torn into "damaged", and nothing is left in the temporary folder, even when the
reader is killed; copies older Waymarks or killed checks left there are swept at start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.model import commands as C
from app.model.document import Document
from tests.made import new_document, new_file
from tests.reliability.bounded import ROOT

EDITOR = """
import sys, time
from pathlib import Path
from app.model import commands as C
from app.model.document import Document
doc = Document.open(Path(sys.argv[1]))
doc.set_history_limit(4)  # every open validates the whole history: keep it short
m = doc.data.ordered_maps()[0]
stage, lane = doc.data.stages_of(m.id)[0].id, doc.data.lanes_of(m.id)[0].id
body = "une longue description du moment, avec des détails " * 20
print("ready", flush=True)
while True:
    change = doc.execute(C.AddCards([(stage, lane, {"title": f"lot {i}", "body": body})
                                     for i in range(400)]))
    doc.execute(C.DeleteCards(sorted(change.added["cards"])))
"""


def env_with_tmp(tmp: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp),
            "QT_QPA_PLATFORM": "offscreen"}


@pytest.fixture
def editing(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A document another process edits in a loop (large commits), and its temp folder."""
    path = tmp_path / "busy.cjm"
    new_file(path, "sample")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    child = subprocess.Popen([sys.executable, "-c", EDITOR, str(path)], stdout=subprocess.PIPE,
                             text=True, env=env_with_tmp(tmp), cwd=ROOT)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    try:
        yield path, tmp
    finally:
        child.kill()
        child.wait()


def test_reads_during_large_commits_are_never_torn(editing) -> None:  # type: ignore[no-untyped-def]
    path, tmp = editing
    with Document.open(path, read_only=True) as first:
        base = len(first.data.cards)
    counts = []
    for _ in range(60):
        with Document.open(path, read_only=True) as view:  # never DocumentLocked, never damaged
            assert "open in another Waymark window" in view.note
            counts.append(len(view.data.cards))
    assert set(counts) <= {base, base + 400}  # a committed state, never a half one
    assert list(tmp.iterdir()) == []


def test_a_reader_killed_mid_read_leaves_nothing_behind(editing) -> None:  # type: ignore[no-untyped-def]
    path, tmp = editing
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5, 1.8):  # before, during and after the read
        child = subprocess.Popen([sys.executable, "-m", "app", "report", str(path)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env=env_with_tmp(tmp), cwd=ROOT)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert list(tmp.iterdir()) == []
    assert sorted(p.name for p in path.parent.iterdir()) in (
        ["busy.cjm", "tmp"], ["busy.cjm", "busy.cjm-journal", "tmp"])  # the editor's commit


def test_stale_copies_are_swept_when_waymark_starts(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    killed_check = tmp / f"waymark-check-{dead}-abcd1234"
    killed_check.mkdir()
    (killed_check / "document.cjm").write_bytes(b"x" * 1000)
    old_view = tmp / "waymark-view-k2j4h5g6"  # an older Waymark's copy, two days old
    old_view.mkdir()
    (old_view / "big.cjm").write_bytes(b"x" * 1000)
    os.utime(old_view, (time.time() - 2 * 86400,) * 2)
    fresh_view = tmp / "waymark-view-a1b2c3d4"  # maybe an older Waymark still reading
    fresh_view.mkdir()
    alive = tmp / f"waymark-check-{os.getpid()}-efgh5678"  # ours: still in use
    alive.mkdir()
    users = tmp / "waymark-notes"
    users.mkdir()
    doc = tmp_path / "d.cjm"
    new_file(doc, "blank")
    result = subprocess.run([sys.executable, "-m", "app", "info", str(doc)],
                            capture_output=True, text=True, env=env_with_tmp(tmp), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp.iterdir()) == sorted(
        [fresh_view.name, alive.name, users.name])


def test_a_view_of_a_document_open_elsewhere_in_this_process(tmp_path: Path) -> None:
    """The GUI's second window on the same file: a view that follows nothing, copies
    nothing, and leaves the editor's lock alone."""
    path = tmp_path / "same.cjm"
    with new_document(path, "sample") as editor:
        with Document.open(path, read_only=True) as view:
            assert view.read_only and view.data == editor.data
        editor.execute(C.AddMap("still mine"))
        with pytest.raises(Exception, match="open in another Waymark window"):
            Document.open(path)
