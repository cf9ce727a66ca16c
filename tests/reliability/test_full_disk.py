"""#18 (1, 6): an edit of any size on a full disk is refused all or nothing: the file is
byte for byte what it was, no journal is left beside it, and read-only commands read it;
and an undo step of any size is kept (an import of 20,000 long cards is one step).

A full disk is a small tmpfs when the tests may mount one (root), and always a file size
limit (RLIMIT_FSIZE) in the child process, which fails SQLite's writes the same way.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.model import commands as C
from app.model.document import Document
from tests.made import new_file
from tests.reliability.bounded import ROOT

BODY = ("Customers compare three couches online, measure the living room twice and ask a "
        "friend with a van; the delivery window is four hours and nobody is told when. ") * 4


def cards_csv(path: Path, cards: int, body: str = BODY) -> Path:
    """A long-layout CSV of ``cards`` cards with realistic bodies (about 650 characters)."""
    stages = ["Research", "Visit store", "Buy", "Delivery", "Assembly", "Support"]
    lanes = ["Actions", "Touchpoints", "Pain points", "Ideas"]
    with path.open("w", encoding="utf-8") as fh:
        fh.write("map,stage,lane,title,body,owner\n")
        for i in range(cards):
            fh.write(f"Import {cards},{stages[i % 6]},{lanes[(i // 6) % 4]},"
                     f"step {i}: measure twice,\"{body}{i}\",team {i % 9}\n")
    return path


def waymark_limited(args: list[str | Path], limit: int | None) -> subprocess.CompletedProcess[str]:
    """``waymark ARGS`` in a child whose files may grow to ``limit`` bytes at most."""
    def preexec() -> None:
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "app", *map(str, args)], capture_output=True,
                          text=True, timeout=300, env=env, cwd=ROOT, preexec_fn=preexec)


@contextlib.contextmanager
def small_disk(megabytes: int) -> Iterator[Path]:
    """A tmpfs of ``megabytes`` MB, mounted for the test (skipped where mounting is not
    allowed: the RLIMIT_FSIZE variant runs everywhere)."""
    folder = Path(tempfile.mkdtemp(prefix="waymark-disk-"))
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs",
                             str(folder)], capture_output=True, text=True)
    if result.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here ({result.stderr.strip()[:60]})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)
        folder.rmdir()


def fill(folder: Path, leave: int) -> None:
    """Fill the disk of ``folder`` until about ``leave`` bytes are free."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    with (folder / "filler.bin").open("ab") as fh:
        fh.write(b"\0" * max(0, free - leave))
        fh.flush()
        os.fsync(fh.fileno())
    with contextlib.suppress(OSError), (folder / "filler.bin").open("ab") as fh:
        while os.statvfs(folder).f_bavail * st.f_frsize > leave:
            fh.write(b"\0" * 4096)
            fh.flush()


def assert_unchanged(doc: Path, before: bytes, tmp_path: Path) -> None:
    assert doc.read_bytes() == before, "the file changed"
    assert not Path(f"{doc}-journal").exists(), "a journal was left beside the file"
    info = waymark_limited(["info", doc], None)
    assert info.returncode == 0, info.stderr
    alone = tmp_path / "alone.cjm"  # the .cjm copied alone, as someone e-mails it
    alone.write_bytes(doc.read_bytes())
    with Document.open(alone) as copy:
        raw = copy._conn.connection.dbapi_connection
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("cards", [300, 2_000, 8_000])
def test_an_edit_past_the_file_size_limit_changes_nothing(tmp_path: Path, cards: int) -> None:
    doc = tmp_path / "couch.cjm"
    new_file(doc, "sample")
    src = cards_csv(tmp_path / "more.csv", cards)
    before = doc.read_bytes()
    # the file may not grow at all (300 cards need new pages)
    result = waymark_limited(["import", src, "--into", doc], len(before))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("waymark: The disk") and "not saved" in result.stderr
    assert "Traceback" not in result.stderr
    assert_unchanged(doc, before, tmp_path)


@pytest.mark.parametrize("cards", [1, 2_000, 8_000])
def test_an_edit_on_a_full_disk_changes_nothing(tmp_path: Path, cards: int) -> None:
    src = cards_csv(tmp_path / "more.csv", cards)
    with small_disk(4 + cards // 250) as disk:
        doc = disk / "couch.cjm"
        new_file(doc, "sample")
        before = doc.read_bytes()
        fill(disk, leave=0 if cards == 1 else 64 * 1024)
        result = waymark_limited(["import", src, "--into", doc], None)
        assert result.returncode == 1, result.stdout + result.stderr
        assert result.stderr.startswith("waymark: The disk is full"), result.stderr
        assert_unchanged(doc, before, tmp_path)
        (disk / "filler.bin").unlink()  # room again: the same edit now goes through
        result = waymark_limited(["import", src, "--into", doc], None)
        assert result.returncode == 0, result.stderr


def test_an_undo_step_of_any_size_is_kept(tmp_path: Path) -> None:
    """4,500 cards whose bodies are interview notes of 4,600 characters (the limit is 5,000)
    make a step of about 22 MB of operations, past SQLite's 16 MB value limit: it is stored
    in parts, undone, redone, and its map deleted (another step that large)."""
    doc = tmp_path / "couch.cjm"
    new_file(doc, "sample")
    src = cards_csv(tmp_path / "more.csv", 4_500, body=BODY * 7)
    result = waymark_limited(["import", src, "--into", doc], None)
    assert result.returncode == 0, result.stderr
    con = sqlite3.connect(doc)
    parts = con.execute("SELECT count(*), max(length(ops)) FROM history_parts").fetchone()
    con.close()
    assert parts[0] >= 5 and parts[1] < 16 * 1024 * 1024
    with Document.open(doc) as d:
        assert d.undo_label == "Import more.csv"
        imported = d.data.find_map("Import 4500")
        assert len(d.data.cards_of(imported.id)) == 4_500
        d.undo()
        assert "Import 4500" not in {m.title for m in d.data.maps.values()}
        d.redo()
        d.execute(C.DeleteMap(imported.id))
        assert imported.id not in d.data.maps
        d.undo()
        want = d.data
    with Document.open(doc) as again:
        assert again.data == want
        assert len(again.data.cards_of(imported.id)) == 4_500
        again.jump_to(0)
        assert "Import 4500" not in {m.title for m in again.data.maps.values()}
