"""A read-only file or folder opens view-only with a note; Save As still works.

Root ignores permission bits, so as root (CI) the file and folder are made immutable
with ``chattr +i``, which the kernel enforces for root too; as any other user plain
permission bits are used.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.errors import ReadOnlyDocumentError
from app.model import commands as C
from app.model.document import Document
from tests.made import new_document
from tests.model.conftest import build_small


@contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", *map(str, paths)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", *map(str, paths)], check=True)
    else:
        modes = [p.stat().st_mode for p in paths]
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in zip(paths, modes, strict=True):
                p.chmod(mode)


def test_read_only_folder_opens_view_only(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    path = locked / "ro.cjm"
    with new_document(path, "") as doc:
        build_small(doc)
    original, mtime = path.read_bytes(), path.stat().st_mtime_ns
    with read_only(path, locked):
        doc = Document.open(path)
        assert doc.read_only and "view only" in doc.note
        with pytest.raises(ReadOnlyDocumentError, match="view only"):
            doc.execute(C.AddMap("nope"))
        assert not doc.can_undo
        doc.save_as(tmp_path / "copy.cjm")
        assert not doc.read_only
        doc.execute(C.AddMap("in the copy"))
        doc.close()
        assert path.read_bytes() == original and path.stat().st_mtime_ns == mtime
    with Document.open(tmp_path / "copy.cjm") as copy:
        assert "in the copy" in {m.title for m in copy.data.maps.values()}


def test_stale_save_as_temporaries_are_removed_on_open(tmp_path: Path) -> None:
    """Only Waymark's own temporaries, of a process that is gone, are removed: never a
    user's file that happens to look like one (#18 item 9)."""
    path = tmp_path / "doc.cjm"
    with new_document(path, ""):
        pass
    made = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                           "from app import tempfiles; "
                           "print(tempfiles.sibling(Path(sys.argv[1])))", str(path)],
                          capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    stale = Path(made.stdout.strip())  # the child that made it has exited
    assert stale.exists()
    users = tmp_path / ".doc.cjm.abc123.tmp"
    users.write_bytes(b"the user's own notes")
    other = tmp_path / ".other.cjm.abc.tmp"
    other.write_bytes(b"not ours to touch")
    Document.open(path).close()
    assert not stale.exists() and users.exists() and other.exists()
