"""What may lie beside a document before SQLite sees it: hot journals and WAL files.

SQLite applies a ``-journal`` (rolls back an unfinished transaction) or a ``-wal`` (a
write-ahead log, used whatever the file's header says) as soon as it reads the file,
before Waymark can check the result. A file received by e-mail or in a zip can carry
either, so neither is ever applied blindly:

- **A WAL is never Waymark's** (Waymark keeps a rollback journal, deleted at each commit):
  a non-empty one is refused for editing and ignored by a read-only view (which reads the
  main file alone, in memory); an empty one (left by an older Waymark's viewer) is removed.
- **A hot journal** is what a Waymark killed in mid-commit leaves, or a planted one. It is
  rolled back first on a private copy of the file and journal (:func:`rolled_back_copy`),
  and the result is checked like any file (header, schema, ``quick_check``, rows); only a
  journal whose result passes is applied to the document itself, by SQLite. A journal that
  names a super-journal (Waymark never writes one; SQLite would read, and may delete, the
  file it names) is refused outright. A refused journal is left in place and the document
  is not changed.
- A journal whose header is zeroed is not hot (SQLite ignores it); an editor removes it.

Private copies live in ``tempfiles.private_dir('check')`` and are removed on every path
(and swept at the next start after a kill).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sqlite3
import struct
import time
from dataclasses import dataclass
from pathlib import Path

from app import tempfiles
from app.errors import CorruptDocumentError, DocumentLockedError
from app.model import fileformat
from app.model import rows as fmt

#: The first 8 bytes of a rollback journal's header (and the last 8 bytes of a journal
#: that names a super-journal).
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
#: Bytes 18 and 19 of the database header: 1, 1 in rollback mode; 2, 2 in WAL mode.
_MODE_BYTES = slice(18, 20)


@dataclass(frozen=True)
class Beside:
    """What lies beside one document."""

    journal: Path
    wal: Path
    shm: Path
    #: The journal is hot (SQLite would roll it back).
    hot: bool
    #: A journal exists but is not hot (zeroed header): SQLite ignores it.
    stale_journal: bool
    #: The WAL exists and holds frames.
    wal_frames: bool
    #: The WAL exists but is empty.
    empty_wal: bool
    #: The database header says WAL mode (Waymark never writes that).
    wal_flagged: bool

    @property
    def clean(self) -> bool:
        """Nothing beside the file, and a rollback-mode header: SQLite may open it as is."""
        return not (self.hot or self.stale_journal or self.wal_frames or self.empty_wal
                    or self.wal_flagged)


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def inspect(path: Path, header: bytes) -> Beside:
    """Look at the journal and WAL beside ``path`` (whose first 100 bytes are ``header``)."""
    journal, wal, shm = (Path(f"{path}{s}") for s in ("-journal", "-wal", "-shm"))
    hot = stale = False
    if _size(journal) is not None:
        # SQLite's test (hasHotJournal): a journal whose first byte is not zero, while no
        # connection holds the write lock (else it is that connection's commit under way)
        live = journal_is_live(journal)
        hot = live and not reserved_by_another(path)
        stale = not live
    wal_size = _size(wal)
    return Beside(journal, wal, shm, hot, stale, bool(wal_size), wal_size == 0,
                  header[_MODE_BYTES] not in (b"\x01\x01", b""))


def journal_is_live(journal: Path) -> bool:
    """Whether a journal with a header is beside the file (a commit under way, or hot)."""
    try:
        with journal.open("rb") as handle:
            return handle.read(1) not in (b"", b"\x00")
    except OSError:
        return False


#: SQLite's RESERVED lock byte (unix VFS): held by a connection with a write transaction.
_RESERVED_BYTE = 0x40000001
_FLOCK = "@hhqqi4x"  # struct flock on Linux: type, whence, start, len, pid


def reserved_by_another(path: Path) -> bool:
    """Whether another process holds SQLite's write lock on ``path`` (its journal is then
    a commit under way, not a hot journal). Asked with F_GETLK: nothing is locked."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        request = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, _RESERVED_BYTE, 1, 0)
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, request)
        return struct.unpack(_FLOCK, answer)[0] != fcntl.F_UNLCK
    except OSError:
        return False
    finally:
        os.close(fd)


class JournalGone(CorruptDocumentError):
    """The journal beside a file went away while it was being read: it was the end of a
    commit under way (SQLite deletes the journal, then lets go of its lock), not a hot
    journal. A reader looks again (:func:`plan_view`)."""


def check_journal(journal: Path, name: str) -> None:
    """Refuse a journal SQLite could be made to misuse: not a rollback journal, or one that
    names a super-journal (a multi-file transaction, which Waymark never makes)."""
    try:
        with journal.open("rb") as handle:
            head = handle.read(28)
            handle.seek(0, os.SEEK_END)
            if handle.tell() >= 16:
                handle.seek(-8, os.SEEK_END)
                tail = handle.read(8)
            else:
                tail = b""
    except OSError as err:
        gone = JournalGone if isinstance(err, FileNotFoundError) else CorruptDocumentError
        raise gone(f"{name} has an unfinished change beside it that cannot "
                   f"be read ({err.strerror}); it was not opened") from None
    if not head.startswith(JOURNAL_MAGIC):
        raise CorruptDocumentError(
            f"{name} has a file '{journal.name}' beside it that is not a journal Waymark "
            "wrote; it was not opened (move that file away to open the document)")
    if tail == JOURNAL_MAGIC:
        raise CorruptDocumentError(
            f"{name} has a journal beside it that names another file ('{journal.name}' "
            "was not written by Waymark); it was not opened (move it away to open the "
            "document)")


@contextlib.contextmanager
def rolled_back_copy(path: Path, name: str):  # type: ignore[no-untyped-def]
    """Yield a private copy of ``path`` with its hot journal rolled back by SQLite.

    The folder is removed when the block ends, however it ends.
    """
    check_journal(Path(f"{path}-journal"), name)
    folder = tempfiles.private_dir("check")
    try:
        copy = folder / "document.cjm"
        try:
            shutil.copyfile(path, copy)
            shutil.copyfile(f"{path}-journal", f"{copy}-journal")
        except FileNotFoundError:
            raise JournalGone(f"{name} has an unfinished change beside it that went away "
                              "while it was read; it was not opened") from None
        except OSError as err:
            raise CorruptDocumentError(
                f"{name} has an unfinished change beside it that could not be checked "
                f"(no room for a temporary copy: {err.strerror}); it was not opened") from None
        con = sqlite3.connect(f"{copy.as_uri()}?mode=rw", uri=True, isolation_level=None)
        try:
            con.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
            con.execute("PRAGMA trusted_schema=OFF")
            con.execute("PRAGMA schema_version").fetchone()  # the first read rolls back
        except sqlite3.Error as err:
            raise CorruptDocumentError(
                f"{name} has an unfinished change beside it that is damaged ({err}); "
                "it was not opened") from None
        finally:
            con.close()
        if Path(f"{copy}-journal").exists():
            raise CorruptDocumentError(f"{name} has an unfinished change beside it that "
                                       "SQLite did not apply; it was not opened")
        yield copy
    finally:
        tempfiles.remove_dir(folder)


def rollback_mode_header(data: bytes) -> bytes:
    """The bytes of a database with its header set to rollback-journal mode (an in-memory
    copy of a WAL-flagged file, read without its WAL)."""
    if data[_MODE_BYTES] in (b"\x01\x01", b""):
        return data
    return data[:18] + b"\x01\x01" + data[20:]


def set_rollback_mode(path: Path) -> None:
    """Write bytes 18-19 of the header as rollback mode (after the file was checked)."""
    fd = os.open(path, os.O_RDWR)
    try:
        os.pwrite(fd, b"\x01\x01", 18)
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_leftovers(beside: Beside) -> None:
    """Remove what an editor may: a zeroed journal and an empty WAL (with its -shm)."""
    if beside.stale_journal:
        with contextlib.suppress(FileNotFoundError):
            beside.journal.unlink()
    if beside.empty_wal:
        for leftover in (beside.wal, beside.shm):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


# ------------------------------------------------------------------ how a view reads
@dataclass(frozen=True)
class ViewPlan:
    """How a read-only reader (a view, ``export``, ``check``) reads a document."""

    version: int
    #: The bytes to read in memory, or None to read the file through SQLite's shared lock.
    image: bytes | None
    #: What the reader should be told ('' when nothing).
    note: str


def plan_view(path: Path, note: str = "") -> ViewPlan:
    """Decide how to read ``path`` without changing it or anything beside it: a hot
    journal rolled back on a private copy (checked by the reader like any file), a WAL
    ignored, a WAL-mode header read as rollback mode, an older format upgraded, all in
    memory; otherwise the file itself. A journal that turns hot while the header is
    checked (its writer was killed in mid-commit) is looked at again, as hot."""
    name = fileformat.describe(path)
    for _attempt in range(10):
        header = fileformat.header_bytes(path)
        beside = inspect(path, header)
        if beside.hot:
            # A commit ending between the two looks of inspect (its journal still there,
            # its lock already let go) looks hot too: its journal goes away meanwhile, or
            # is no longer hot after the copy was rolled back. Then look again.
            try:
                with rolled_back_copy(path, name) as copy:
                    version, _ = fileformat.read_header(copy, name)
                    image = copy.read_bytes()
            except JournalGone:
                time.sleep(0.01)
                continue
            if not (journal_is_live(beside.journal) and not reserved_by_another(path)):
                time.sleep(0.01)
                continue
            return ViewPlan(version, image, note or (
                f"{name} has an unfinished change from a Waymark that stopped: this view "
                "shows the file as it was before it (open it for editing to repair the "
                "file)"))
        try:
            version = settled_version(path, header, name)
        except TurnedHot:
            continue
        return _plan_settled(path, beside, version, name, note)
    raise DocumentLockedError(f"{name} is being saved by another Waymark; try again")


def _plan_settled(path: Path, beside: Beside, version: int, name: str,
                  note: str) -> ViewPlan:
    if beside.wal_frames or beside.empty_wal or beside.wal_flagged:
        if beside.wal_frames:
            note = note or (f"{name} has '{beside.wal.name}' beside it, which Waymark never "
                            "writes: this view ignores it")
        return ViewPlan(version, rollback_mode_header(read_stable(path, name)), note)
    if version < fmt.SCHEMA_VERSION:
        # An older file is upgraded on its first edit; viewing it leaves it as it is.
        return ViewPlan(version, read_stable(path, name), note or (
            f"{name} uses the older file format {version}: this is a read-only view; "
            "open it for editing to upgrade the file"))
    if not note and editing_elsewhere(path):
        note = f"'{path.name}' is open in another Waymark window: this is a read-only view"
    return ViewPlan(version, None, note)


class TurnedHot(Exception):
    """The journal beside a file turned hot while its header was being checked: the
    commit under way stopped (its Waymark was killed). The caller looks again and rolls
    the journal back instead of calling the file damaged."""


def settled_version(path: Path, header: bytes, name: str) -> int:
    """``header`` checked against the file's length (:func:`fileformat.check_header`);
    returns the file format. Another Waymark's commit writes the header and grows the
    file one after the other, so a reader without SQLite's lock can see a header that
    promises more pages than the file has yet. A failed check is therefore repeated with
    a fresh header while the file keeps changing or a journal is live beside it: only a
    file that fails while nothing writes it is reported as damaged. When the journal
    turns hot meanwhile (the writer died in mid-commit), :class:`TurnedHot` is raised:
    the caller rolls it back rather than calling the torn file damaged."""
    deadline = time.monotonic() + fileformat.BUSY_TIMEOUT
    while True:
        before = stamp(path)
        try:
            return fileformat.check_header(header, before[1], name)[0]
        except CorruptDocumentError:
            if before[4] and not reserved_by_another(path):
                raise TurnedHot from None
            time.sleep(0.02)
            fresh = fileformat.header_bytes(path, name)
            now = stamp(path)
            if now[4] and not reserved_by_another(path):
                raise TurnedHot from None
            if (now == before and fresh == header and not before[4]) or (
                    time.monotonic() > deadline):
                raise
            header = fresh


def editing_elsewhere(path: Path) -> bool:
    """Whether a Waymark is editing ``path`` now (its session's ``flock``; a shared lock
    is tried and let go at once)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # also lets the shared lock go
    return False


#: The largest file a reader copies into memory (a locked, repaired or older file).
MAX_MEMORY_COPY = 2 * 1024 * 1024 * 1024


def stamp(path: Path) -> tuple[int, int, int, int, bool]:
    """What changes when someone writes the file: inode, length, times, and whether a
    live journal (a commit under way) is beside it."""
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns,
            journal_is_live(Path(f"{path}-journal")))


def read_stable(path: Path, name: str) -> bytes:
    """The file's bytes, read while nothing wrote it (another Waymark may be saving it: a
    copy taken during a commit would be torn, so it is taken again)."""
    for attempt in range(20):
        before = stamp(path)
        if before[1] > MAX_MEMORY_COPY:
            raise DocumentLockedError(f"{name} is open in another Waymark window and too "
                                      "large to view as a copy; close it there first")
        if not before[4]:
            data = path.read_bytes()
            if stamp(path) == before and len(data) == before[1]:
                return data
        time.sleep(0.02 * (attempt + 1))
    raise DocumentLockedError(f"{name} is being saved by another Waymark; try again")
