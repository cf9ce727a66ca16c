"""#18 (9), the smaller items not covered with journals and readers: a FIFO to import is
refused at once, exports and saved documents get the usual file mode, a CSV export quotes
what a semicolon-locale spreadsheet would split, and a user's own files that look like a
temporary of Waymark's are never removed."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import pytest

from app.interchange.formats import export_data, import_file
from app.model.document import Document
from tests.made import new_file
from tests.reliability.bounded import one_line_error, waymark


@pytest.mark.parametrize("name", ["pipe", "pipe.dat", "pipe.csv"])
def test_importing_from_a_fifo_is_refused_at_once(tmp_path: Path, name: str) -> None:
    fifo = tmp_path / name
    os.mkfifo(fifo)
    err = one_line_error(waymark("import", fifo, "-o", tmp_path / "x.cjm", timeout=30))
    assert "not a file" in err


@pytest.mark.parametrize("suffix", [".pdf", ".svg", ".png", ".csv", ".json"])
def test_exports_get_the_usual_file_mode(tmp_path: Path, suffix: str) -> None:
    doc = tmp_path / "d.cjm"
    new_file(doc, "sample")
    out = tmp_path / f"poster{suffix}"
    old = os.umask(0o022)
    try:
        result = waymark("export", doc, "-o", out, timeout=120)
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_saved_documents_get_the_usual_file_mode_and_replace_keeps_it(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with Document.create(tmp_path / "a.cjm", template="sample") as doc:
            assert stat.S_IMODE(doc.path.stat().st_mode) == 0o644
            doc.save_as(tmp_path / "b.cjm", switch=False)
        assert stat.S_IMODE((tmp_path / "b.cjm").stat().st_mode) == 0o644
        os.chmod(tmp_path / "b.cjm", 0o640)  # the user's choice survives a replacement
        with Document.open(tmp_path / "a.cjm") as doc:
            doc.save_as(tmp_path / "b.cjm", switch=False)
        assert stat.S_IMODE((tmp_path / "b.cjm").stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_csv_export_quotes_every_field(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text('stage,title,body\nArrive,"x;=1+1;y","a\tb;=HYPERLINK(""http://e.x"")"\n',
                   encoding="utf-8")
    out = export_data(import_file(src).data, None, tmp_path / "out.csv")
    text = out.read_text(encoding="utf-8-sig")
    assert '"x;\'=1+1;y"' in text  # quoted, and escaped after the semicolon
    for line in text.splitlines()[1:]:
        # split as a semicolon-locale spreadsheet would: no field starts a formula
        fields = next(csv.reader([line], delimiter=";"))
        assert not any(f.lstrip('"').startswith(("=", "+", "@")) for f in fields[1:]), fields
    again = import_file(out).data
    assert {c.title for c in again.cards.values()} == {"x;=1+1;y"}


def test_a_users_own_dot_tmp_files_are_never_removed(tmp_path: Path) -> None:
    doc = tmp_path / "X.cjm"
    new_file(doc, "blank")
    mine = [tmp_path / ".X.cjm.draft.tmp", tmp_path / ".X.cjm.1.tmp",
            tmp_path / ".X.cjm.notes.part"]
    for path in mine:
        path.write_text("mine")
    with Document.open(doc) as d:
        d.save_as(tmp_path / "Y.cjm", switch=False)
    export_data(Document.open(doc, read_only=True).data, None, tmp_path / "X.cjm.csv")
    assert all(p.read_text() == "mine" for p in mine)


def test_every_temporary_a_killed_waymark_leaves_is_swept(tmp_path: Path) -> None:
    """The 1,000-kill GUI loop (scripts/longcheck_kill.py) found two '.wm-...part.csv'
    files left: a data export cancellable from the window stages its file with the
    destination's extension, which the sweep's pattern did not cover. A dead process's
    temporaries of every shape are swept on the next write into the folder; a live
    one's and a user's own files stay."""
    import subprocess
    import sys

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a process id that is gone
    left = [tmp_path / f".wm-96400d7248ff-{dead.pid}-bpfzfari{suffix}"
            for suffix in (".part.csv", ".part.xlsx", ".part", ".tmp", ".cjm")]
    live = tmp_path / f".wm-96400d7248ff-{os.getpid()}-bpfzfari.part.csv"
    mine = tmp_path / ".wm-notes.part.csv"
    for path in [*left, live, mine]:
        path.write_text("x")
    doc = tmp_path / "X.cjm"
    Document.create(doc, template="blank").close()
    export_data(Document.open(doc, read_only=True).data, None, tmp_path / "other.csv")
    assert [p for p in left if p.exists()] == []
    assert live.exists() and mine.read_text() == "x"
