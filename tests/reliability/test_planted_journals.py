"""#18 (3, and 9's journal items): a -wal or a hot -journal beside a document is never
applied blindly. A journal is rolled back on a private copy and the result checked first;
one whose result Waymark refuses (a trigger, a newer format, another application's id),
or that names a super-journal, is refused with the document byte for byte unchanged; a
WAL (which Waymark never writes) is refused for editing and ignored by a view. A journal
left by a Waymark killed in mid-commit is applied, and read-only commands read the file
as it was before the unfinished change."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.errors import CorruptDocumentError, NewerVersionError, NotADocumentError
from app.model import commands as C
from app.model.document import Document
from tests.made import new_document
from tests.reliability.bounded import waymark
from tests.reliability.planted import altered, plant_journal, plant_wal

TRIGGER = "CREATE TRIGGER wipe AFTER INSERT ON cards BEGIN DELETE FROM links; END"


@pytest.fixture
def doc_path(tmp_path: Path) -> Path:
    path = tmp_path / "trip.cjm"
    with new_document(path, "sample") as doc:
        m = doc.data.ordered_maps()[0]
        doc.execute(C.AddCard(doc.data.stages_of(m.id)[0].id, doc.data.lanes_of(m.id)[0].id,
                              {"title": "Prüfung der Öffnungszeiten"}))
    return path


def scratch(tmp_path: Path) -> Path:
    folder = tmp_path / "scratch"
    folder.mkdir(exist_ok=True)
    return folder


def beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))


HOSTILE = {
    "trigger": ([TRIGGER], CorruptDocumentError, "trigger 'wipe'"),
    "newer format": (["PRAGMA user_version=7"], NewerVersionError, "file format 7"),
    "application id 0": (["PRAGMA application_id=0"], NotADocumentError, "another application"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
@pytest.mark.parametrize("read_only", [False, True], ids=["edit", "view"])
def test_a_planted_journal_whose_result_is_refused_changes_nothing(
        tmp_path: Path, doc_path: Path, case: str, read_only: bool) -> None:
    sql, error, words = HOSTILE[case]
    plant_journal(doc_path, altered(doc_path, sql, scratch(tmp_path)))
    before, journal = doc_path.read_bytes(), Path(f"{doc_path}-journal").read_bytes()
    with pytest.raises(error, match=words) as caught:
        Document.open(doc_path, read_only=read_only)
    assert "\n" not in caught.value.message
    assert doc_path.read_bytes() == before  # never rolled back into the document
    assert Path(f"{doc_path}-journal").read_bytes() == journal  # left for the user to see
    assert beside(doc_path) == ["trip.cjm", "trip.cjm-journal"]


def test_the_cli_refuses_a_planted_journal_in_one_line(tmp_path: Path, doc_path: Path) -> None:
    plant_journal(doc_path, altered(doc_path, [TRIGGER], scratch(tmp_path)))
    before = doc_path.read_bytes()
    for command in (["info", doc_path], ["check", doc_path], ["report", doc_path],
                    ["export", doc_path, "-o", tmp_path / "out.csv"]):
        result = waymark(*command)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith("waymark: 'trip.cjm' contains a trigger 'wipe'")
    assert doc_path.read_bytes() == before and not (tmp_path / "out.csv").exists()


def test_a_journal_naming_a_super_journal_is_refused_and_the_named_file_kept(
        tmp_path: Path, doc_path: Path) -> None:
    """SQLite reads the super-journal a journal names and may delete it: a planted journal
    could name any file the user can write."""
    victim = tmp_path / "thesis.txt"
    victim.write_text("two years of work\n")
    plant_journal(doc_path, doc_path.read_bytes(), super_journal=str(victim))
    before = doc_path.read_bytes()
    for read_only in (False, True):
        with pytest.raises(CorruptDocumentError, match="names another file"):
            Document.open(doc_path, read_only=read_only)
    assert victim.read_text() == "two years of work\n"
    assert doc_path.read_bytes() == before


def test_a_journal_from_a_killed_waymark_is_applied(tmp_path: Path, doc_path: Path) -> None:
    """An unfinished change: the journal restores the file as it was before it. A viewer
    shows that without writing anything; the editor repairs the file."""
    with Document.open(doc_path) as doc:
        good = doc.data
    committed = doc_path.read_bytes()
    with Document.open(doc_path) as doc:  # the change the killed Waymark was committing
        doc.execute(C.AddMap("half-written"))
    plant_journal(doc_path, committed)
    half = doc_path.read_bytes()
    result = waymark("info", doc_path)
    assert result.returncode == 0, result.stderr
    assert "half-written" not in result.stdout and "unfinished change" in result.stdout
    with Document.open(doc_path, read_only=True) as view:
        assert view.data == good
    assert doc_path.read_bytes() == half and Path(f"{doc_path}-journal").exists()
    with Document.open(doc_path) as doc:
        assert doc.data == good
    assert doc_path.read_bytes() == committed
    assert beside(doc_path) == ["trip.cjm"]


def test_a_planted_wal_is_refused_for_editing_and_ignored_by_a_view(
        tmp_path: Path, doc_path: Path) -> None:
    wal = plant_wal(doc_path, [TRIGGER, "DELETE FROM cards"], scratch(tmp_path))
    before, log = doc_path.read_bytes(), wal.read_bytes()
    with Document.open(doc_path, read_only=True) as view:
        assert view.read_only and "never writes" in view.note
        assert any(c.title == "Prüfung der Öffnungszeiten" for c in view.data.cards.values())
    with pytest.raises(CorruptDocumentError, match="write-ahead log Waymark never writes"):
        Document.open(doc_path)
    result = waymark("report", doc_path)
    assert result.returncode == 0, result.stderr
    assert doc_path.read_bytes() == before and wal.read_bytes() == log
    assert beside(doc_path) == ["trip.cjm", "trip.cjm-wal"]  # no -shm made


def test_a_wal_flagged_file_is_read_without_files_beside_it(tmp_path: Path,
                                                            doc_path: Path) -> None:
    """A header in WAL mode (bytes 18-19): a view writes nothing beside it (it used to
    leave -shm and -wal); the editor sets the header back after checking the file."""
    con = sqlite3.connect(doc_path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    assert doc_path.read_bytes()[18:20] == b"\x02\x02" and beside(doc_path) == ["trip.cjm"]
    before = doc_path.read_bytes()
    for command in ("info", "check", "report"):
        assert waymark(command, doc_path).returncode in (0, 1)
    assert beside(doc_path) == ["trip.cjm"] and doc_path.read_bytes() == before
    with Document.open(doc_path) as doc:
        doc.execute(C.AddMap("after the repair"))
    assert doc_path.read_bytes()[18:20] == b"\x01\x01" and beside(doc_path) == ["trip.cjm"]


def test_an_empty_wal_and_a_zeroed_journal_are_cleared_by_the_editor(
        tmp_path: Path, doc_path: Path) -> None:
    Path(f"{doc_path}-wal").write_bytes(b"")
    Path(f"{doc_path}-journal").write_bytes(b"\0" * 512)
    with Document.open(doc_path, read_only=True) as view:
        assert view.data.maps
    assert beside(doc_path) == ["trip.cjm", "trip.cjm-journal", "trip.cjm-wal"]
    with Document.open(doc_path) as doc:
        doc.execute(C.AddMap("clean again"))
        assert beside(doc_path) == ["trip.cjm"]  # and none while it stays open (#18 item 9)
    assert beside(doc_path) == ["trip.cjm"]


def test_an_open_edited_document_has_nothing_beside_it(doc_path: Path) -> None:
    """#18 item 9: with the file locked for the whole session, SQLite used to keep a
    zeroed -journal beside every edited document."""
    with Document.open(doc_path) as doc:
        for i in range(5):
            doc.execute(C.AddMap(f"map {i}"))
            assert beside(doc_path) == ["trip.cjm"]
        doc.undo()
        assert beside(doc_path) == ["trip.cjm"]


def test_the_window_refuses_a_planted_journal(qtbot, tmp_path: Path, doc_path: Path) -> None:
    from app.ui.shell.opening import open_in_background

    plant_journal(doc_path, altered(doc_path, [TRIGGER], scratch(tmp_path)))
    before = doc_path.read_bytes()
    opened: list[object] = []
    task = open_in_background(None, doc_path, opened.append)
    qtbot.waitUntil(lambda: task.state != "running", timeout=20_000)
    assert not opened and task.state == "failed"
    assert task.error_box is not None and "trigger 'wipe'" in task.error_box.text()
    task.error_box.close()
    assert doc_path.read_bytes() == before
