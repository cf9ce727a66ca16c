"""A Waymark killed while its commit grew the file leaves the file torn: SQLite writes the
first page (whose header counts the pages) before the pages after the old end, so the
header promises more pages than the file has. The hot journal beside it restores the
file: every opening (editor, view, read-only commands) must roll it back, not call the
file damaged; the same torn file without its journal is refused as damaged."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from app.errors import CorruptDocumentError
from app.model import commands as C
from app.model import fileformat, opening
from app.model.document import Document
from tests.made import new_document
from tests.reliability.bounded import waymark
from tests.reliability.planted import plant_journal


def torn(tmp_path: Path) -> tuple[Path, bytes, bytes]:
    """A document, its committed bytes and the bytes of a larger commit cut short."""
    path = tmp_path / "crash.cjm"
    with new_document(path, "sample") as doc:
        pass
    committed = path.read_bytes()
    with Document.open(path) as doc:
        m = doc.data.ordered_maps()[0]
        stage, lane = doc.data.stages_of(m.id)[0].id, doc.data.lanes_of(m.id)[0].id
        doc.execute(C.AddCards([(stage, lane, {"title": f"réservation n° {i}",
                                               "body": "chambre 12b, vue sur mer " * 150})
                                for i in range(60)]))
    grown = path.read_bytes()
    page = struct.unpack(">H", committed[16:18])[0]
    assert len(grown) > len(committed) + 2 * page
    # killed after page 1 and the old pages were written, before the file grew
    path.write_bytes(grown[:len(committed)])
    header_pages = struct.unpack(">I", grown[28:32])[0]
    assert header_pages * page > len(committed) and grown[24:28] == grown[92:96]
    return path, committed, grown


def beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))


@pytest.mark.parametrize("reader", ["info", "check", "report"])
def test_read_only_commands_read_a_torn_commit_as_it_was(tmp_path: Path, reader: str) -> None:
    path, committed, _ = torn(tmp_path)
    plant_journal(path, committed)
    half = path.read_bytes()
    result = waymark(reader, path)
    assert "damaged" not in result.stderr, result.stderr
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    assert path.read_bytes() == half and beside(path) == ["crash.cjm", "crash.cjm-journal"]


def test_a_view_of_a_torn_commit_shows_the_file_as_it_was(tmp_path: Path) -> None:
    path, committed, _ = torn(tmp_path)
    copy = tmp_path / "as-committed.cjm"
    copy.write_bytes(committed)
    with Document.open(copy, read_only=True) as good:
        good_data = good.data
    plant_journal(path, committed)
    with Document.open(path, read_only=True) as view:
        assert view.data == good_data and "unfinished change" in view.note


def test_the_editor_repairs_a_torn_commit(tmp_path: Path) -> None:
    path, committed, _ = torn(tmp_path)
    plant_journal(path, committed)
    with Document.open(path) as doc:
        assert not any(c.title.startswith("réservation") for c in doc.data.cards.values())
        doc.execute(C.AddMap("after the repair"))
    assert beside(path) == ["crash.cjm"]
    with Document.open(path) as doc:
        assert any(m.title == "after the repair" for m in doc.data.maps.values())


def test_a_torn_file_without_its_journal_is_refused_as_damaged(tmp_path: Path) -> None:
    path, _, _ = torn(tmp_path)
    before = path.read_bytes()
    for read_only in (False, True):
        with pytest.raises(CorruptDocumentError, match="shorter than its header says"):
            Document.open(path, read_only=read_only)
    assert path.read_bytes() == before and beside(path) == ["crash.cjm"]


#: A stand-in for a Waymark in mid-commit: it holds the editor's flock and SQLite's write
#: (RESERVED) lock on the file, says so, and dies when told (as kill -9 would: no cleanup).
WRITER = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.flock(fd, fcntl.LOCK_EX)
fcntl.lockf(fd, fcntl.LOCK_EX, 1, 0x40000001)
print("writing", flush=True)
sys.stdin.readline()
os._exit(0)
"""


class Writer:
    """The process above, on ``path``."""

    def __init__(self, path: Path) -> None:
        self.child = subprocess.Popen([sys.executable, "-c", WRITER, str(path)],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      text=True)
        assert self.child.stdout is not None and self.child.stdout.readline() == "writing\n"

    def dies(self) -> None:
        if self.child.poll() is None:
            assert self.child.stdin is not None
            self.child.stdin.write("\n")
            self.child.stdin.flush()
            self.child.wait(timeout=30)


def test_a_view_started_during_a_commit_whose_writer_dies_rolls_it_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader finds the header torn while the commit is under way (the journal is
    the writer's), then the writer is killed: the file is not called damaged."""
    path, committed, _ = torn(tmp_path)
    plant_journal(path, committed)
    writer = Writer(path)
    check = fileformat.check_header

    def torn_then_writer_dies(*args: object) -> tuple[int, int]:
        try:
            return check(*args)  # type: ignore[arg-type]
        except CorruptDocumentError:
            writer.dies()
            raise

    monkeypatch.setattr(fileformat, "check_header", torn_then_writer_dies)
    try:
        with Document.open(path, read_only=True) as view:
            assert "unfinished change" in view.note
            assert not any(c.title.startswith("réservation") for c in view.data.cards.values())
    finally:
        writer.dies()
    assert beside(path) == ["crash.cjm", "crash.cjm-journal"]


def test_an_editor_waiting_for_a_writer_that_dies_repairs_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening for editing while another Waymark commits: it waits for the editing lock,
    the other is killed meanwhile; what lies beside the file is looked at under the lock,
    so its journal is rolled back rather than its torn header taken for damage."""
    path, committed, _ = torn(tmp_path)
    plant_journal(path, committed)
    writer = Writer(path)
    take = opening.FileLock.take

    def writer_dies_then_take(target: Path) -> opening.FileLock | None:
        writer.dies()
        return take(target)

    monkeypatch.setattr(opening.FileLock, "take", staticmethod(writer_dies_then_take))
    try:
        with Document.open(path) as doc:
            assert not any(c.title.startswith("réservation") for c in doc.data.cards.values())
    finally:
        writer.dies()
    assert beside(path) == ["crash.cjm"] and path.read_bytes() == committed


def test_a_commit_ending_while_a_view_looks_is_read_as_committed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite ends a commit by deleting its journal, then lets go of its lock: a reader
    looking in between saw a live journal nobody held, took it for a hot one and called
    the file damaged when the journal was gone a moment later (the suite's 60 reads
    during large commits failed so, once: "an unfinished change beside it that cannot be
    read (No such file or directory)"). It looks again and reads the commit."""
    from app.model import journals

    path, committed, grown = torn(tmp_path)
    plant_journal(path, committed)
    real = journals.inspect
    calls = []

    def commit_ends(where: Path, header: bytes) -> journals.Beside:
        seen = real(where, header)
        if not calls:  # the writer finishes right after the reader's first look
            Path(f"{where}-journal").unlink()
            where.write_bytes(grown)
        calls.append(seen.hot)
        return seen

    monkeypatch.setattr(journals, "inspect", commit_ends)
    with Document.open(path, read_only=True) as view:
        assert sum(c.title.startswith("réservation") for c in view.data.cards.values()) == 60
        assert "unfinished change" not in view.note
    assert calls[0] is True and len(calls) >= 2
    assert path.read_bytes() == grown and beside(path) == ["crash.cjm"]
