"""Opening a .cjm file: locking, checking, migrating and loading it into a :class:`Session`.

The checks themselves (header, exact schema, ``quick_check``, migrations) are
:mod:`app.model.fileformat`'s; this module runs them in order inside one transaction,
validates every row and history entry, and hands the :class:`~app.model.document.Document`
a session holding the connection and what was loaded. A file that fails any step is
refused with one line and left unchanged.

An editor takes an ``flock`` on the file for its whole session (:class:`FileLock`: one
editor at a time) and SQLite's lock only while it commits; before and after each edit the
session checks the file is still the one it wrote (:meth:`Session.changed_on_disk`).
A view reads through SQLite's shared lock, or from an in-memory copy when the file cannot
be read as it is (held by an older Waymark, an older format, a WAL beside it or in its
header, a hot journal rolled back on a private copy): nothing is written beside the file
or left in the temporary folder. What lies beside the file is looked at before SQLite
opens it (:mod:`app.model.journals`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from app import tempfiles
from app.errors import CorruptDocumentError, DocumentLockedError, LimitError
from app.model import backups, fileformat, journals, limits, tables
from app.model import rows as fmt
from app.model.fileformat import describe
from app.model.history import History
from app.model.rows import friendly
from app.model.schema import DocumentData, reference_problems
from app.model.state import State


@dataclass(frozen=True)
class Mark:
    """What the file looked like after this session's last commit: its length and the
    header's change counter (SQLite bumps it at every commit)."""

    size: int
    counter: bytes


class FileLock:
    """An editing session's hold on its file: an ``flock`` that keeps a second Waymark
    from editing it too (readers are not blocked: they take SQLite's shared lock for the
    moment of each read), and the descriptor through which the session checks, before and
    after each edit, that the file is still the one it writes.

    ``flock`` locks are separate from the POSIX locks SQLite uses, so this never
    interferes with SQLite's own locking.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.mark: Mark | None = None

    @classmethod
    def take(cls, path: Path) -> FileLock | None:
        """Lock ``path`` for editing; None when another Waymark has it open for editing.

        Tried for a moment: a viewer checking whether the file is being edited holds a
        shared lock for microseconds.
        """
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
        try:
            for attempt in range(10):
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return cls(fd)
                except BlockingIOError:
                    time.sleep(0.005 * (attempt + 1))
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise

    def read_mark(self) -> Mark:
        """The file's length and change counter now, read through the locked descriptor."""
        return Mark(os.fstat(self.fd).st_size, os.pread(self.fd, 4, 24))

    def remember(self) -> None:
        """Take the file as it is now as the state this session wrote."""
        self.mark = self.read_mark()

    def close(self) -> None:
        """Release the lock (after SQLite's connection is closed)."""
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1


@dataclass
class Session:
    """Everything tied to one open connection to one file.

    A Document holds exactly one; Save As replaces it whole with the new file's session,
    so nothing connection-scoped can be left behind or carried over by accident.
    """

    path: Path
    engine: Engine
    conn: Connection
    state: State
    history: History
    read_only: bool
    #: Why the document is read-only, or other news for the user ("" when none).
    note: str = ""
    #: True when the session reads an in-memory copy (a view of a locked, older or
    #: repaired file): nothing on disk belongs to it.
    in_memory: bool = False
    #: The file's (device, inode) when it was opened: another program replacing it shows.
    identity: tuple[int, int] | None = None
    #: An editing session's lock on the file (None for a read-only view).
    lock: FileLock | None = None
    #: Why edits stopped after the file changed under the session ("" while it is ours).
    detached: str = ""
    #: Whether anything was committed in this session (a backup is written on close).
    edited: bool = False
    closed: bool = False

    def close(self) -> None:
        """Close the connection, then release the file lock."""
        with contextlib.suppress(sqlite3.Error, DBAPIError):
            self.conn.close()
        self.engine.dispose()
        if self.lock is not None:
            self.lock.close()

    # ------------------------------------------------------------ is it still ours?
    def changed_on_disk(self) -> str:
        """'' when the file is still the one this session wrote; otherwise what happened
        (replaced, removed, truncated, or written by another program)."""
        name = describe(self.path)
        if identity(self.path) != self.identity:
            if identity(self.path) is None:
                return f"{name} was removed or renamed by another program"
            return f"{name} was replaced by another program"
        if self.lock is None or self.lock.mark is None:
            return ""
        try:
            now = self.lock.read_mark()
        except OSError as err:
            return f"{name} can no longer be read ({err.strerror})"
        if now.size < self.lock.mark.size:
            return f"{name} was truncated by another program"
        if now != self.lock.mark:
            return f"{name} was changed by another program"
        return ""

    def intact(self) -> bool:
        """Whether the file this session opened still holds what it wrote (through the
        descriptor: true after a rename over it, false after a truncation)."""
        if self.lock is None or self.lock.mark is None:
            return not self.in_memory
        try:
            return self.lock.read_mark() == self.lock.mark
        except OSError:
            return False


def open_session(path: Path, *, read_only: bool = False) -> Session:
    """Open an existing document, checking it thoroughly; refuses bad files unchanged.

    When another Waymark is editing the file, ``read_only=True`` opens a view (read
    through SQLite's shared lock, or an in-memory copy); otherwise DocumentLockedError is
    raised. A file on a read-only medium opens read-only with a note.
    """
    try:
        return _open(path, read_only=read_only)
    except CorruptDocumentError as err:
        hint = backups.describe_backup(path)
        if hint:
            raise CorruptDocumentError(f"{err.message}{hint}") from None
        raise


def _open(path: Path, *, read_only: bool) -> Session:
    name = describe(path)
    header = fileformat.header_bytes(path)
    beside = journals.inspect(path, header)
    note = ""
    if not read_only and not writable(path):
        read_only, note = True, f"{name} is read-only here: view only (Save As still works)"
    if not read_only and tempfiles.too_long(path, len("-journal")):
        read_only, note = True, (f"{name} has a name too long for the journal SQLite keeps "
                                 "beside it while saving: view only (Save As a shorter name "
                                 "to edit it)")
    if read_only:
        return _open_view(path, note)
    lock = FileLock.take(path)
    if lock is None:
        raise DocumentLockedError(f"{name} is open in another Waymark window")
    try:
        session = _open_for_editing(path, header, beside, note)
        session.lock = lock
        lock.remember()
        tempfiles.sweep_siblings(path)  # what a Save As killed half-way left (ours only)
    except BaseException:
        lock.close()
        raise
    return session


def _open_for_editing(path: Path, header: bytes, beside: journals.Beside,
                      note: str) -> Session:
    """Open ``path`` to edit it; we hold its lock, so no other Waymark writes it now."""
    name = describe(path)
    if beside.wal_frames:
        raise CorruptDocumentError(
            f"{name} has '{beside.wal.name}' beside it, a write-ahead log Waymark never "
            "writes; it was not opened (move that file away to open the document)")
    if beside.hot:
        # Roll the journal back on a private copy and check the result first; only then
        # does SQLite apply it to the document itself (as it does on the first read).
        with journals.rolled_back_copy(path, name) as copy:
            version, _ = fileformat.read_header(copy, name)
            _open_checked(copy, version, read_only=True, name=name).close()
    else:
        version, _ = fileformat.check_header(header, path.stat().st_size, name)
    if beside.wal_flagged:
        # A header in WAL mode makes SQLite keep -wal and -shm files: check the file as
        # rollback mode in memory, then set its header so (two bytes).
        image = journals.rollback_mode_header(path.read_bytes())
        _open_checked(path, version, read_only=True, image=image, name=name).close()
        journals.set_rollback_mode(path)
    journals.remove_leftovers(beside)
    return _open_checked(path, version, read_only=False, note=note)


def _open_view(path: Path, note: str) -> Session:
    """A read-only view: through SQLite's shared lock when the file can be read as it is,
    else from an in-memory copy (nothing is written beside the file, ever). What to read
    is decided by :func:`app.model.journals.plan_view` (shared with export and check)."""
    plan = journals.plan_view(path, note)
    if plan.image is not None:
        return _open_memory(path, plan.image, plan.version, plan.note)
    try:
        return _open_checked(path, plan.version, read_only=True, note=plan.note)
    except DocumentLockedError:
        # An older Waymark keeps its file locked for its whole session: view a copy.
        return _open_memory(path, None, plan.version, plan.note or (
            f"'{path.name}' is open in another Waymark window: this is a read-only copy"))


def _open_memory(path: Path, image: bytes | None, version: int, note: str) -> Session:
    """A read-only view of an in-memory copy of ``path`` (``image``, or read now).

    A copy read while another program writes the file can be torn: when its checks fail
    and the file changed meanwhile, it is read again rather than reported as damaged.
    """
    name = describe(path)
    for _attempt in range(5):
        stamp = journals.stamp(path)
        data = image if image is not None else journals.read_stable(path, name)
        try:
            session = _open_checked(path, version, read_only=True, note=note, image=data,
                                    name=name)
        except CorruptDocumentError:
            if image is None and journals.stamp(path) != stamp:
                continue  # torn by a concurrent commit: read it again
            raise
        session.in_memory = True
        return session
    raise DocumentLockedError(f"{name} is being saved by another Waymark; try again")


def _open_checked(path: Path, version: int, *, read_only: bool, note: str = "",
                  image: bytes | None = None, name: str | None = None) -> Session:
    """Open ``path`` (or the in-memory ``image``) and run every check, in one transaction.

    An editor's transaction is EXCLUSIVE (SQLite rolls back a hot journal while reading);
    a reader's holds SQLite's shared lock only while the rows are read: they are validated
    after it ends, so an editor's next commit waits for milliseconds, not for the checks.
    """
    name = name or describe(path)
    engine = fileformat.make_engine(path, mode="ro" if read_only and image is None else "rw",
                                    image=image)
    conn: Connection | None = None
    migrating = version < fmt.SCHEMA_VERSION
    try:
        conn = fileformat.connect(engine)
        dbapi = fileformat.raw(conn)
        if migrating and read_only and image is None:
            raise CorruptDocumentError(
                f"{name} uses the older file format {version}; open it for editing "
                "once (or Save As) to upgrade it"
            )
        dbapi.execute("BEGIN EXCLUSIVE" if not read_only or migrating else "BEGIN")
        try:
            fileformat.check_schema(dbapi, name, version)
            fileformat.quick_check(dbapi, name)
            if migrating:  # in place (an editor), or in memory (a view's copy)
                fileformat.migrate(dbapi, version, name)
            rows = fetch(conn)
            if migrating:  # validated before the upgrade is committed
                state, history = build(rows, name)
        except BaseException:
            if dbapi.in_transaction:
                dbapi.execute("ROLLBACK")
            raise
        dbapi.execute("COMMIT")
        if not migrating:
            state, history = build(rows, name)
        return Session(path, engine, conn, state, history, read_only=read_only, note=note,
                       identity=identity(path))
    except sqlite3.Error as err:
        dispose(conn, engine)
        raise fileformat.translate(err, name) from None
    except UnicodeDecodeError:
        dispose(conn, engine)
        raise CorruptDocumentError(f"{name} is damaged (text that is not UTF-8)") from None
    except RecursionError:
        dispose(conn, engine)
        raise CorruptDocumentError(f"{name} is damaged (values nested too deeply)") from None
    except DBAPIError as err:
        dispose(conn, engine)
        raise fileformat.translate(err.orig, name) from None  # type: ignore[arg-type]
    except BaseException:
        dispose(conn, engine)
        raise


@dataclass
class Fetched:
    """The raw rows of a file, read in one transaction and validated after it."""

    tables: dict[str, tuple[tuple[str, ...], list[Any]]]
    meta: dict[Any, Any]
    history: list[Any]
    parts: list[Any]
    versions: int


def fetch(conn: Connection) -> Fetched:
    """Every row of an open file, as stored (no validation: see :func:`build`)."""
    found = {}
    for table in tables.MODEL_TABLES:
        result = conn.execute(select(tables.TABLES[table]))
        found[table] = (tuple(result.keys()), result.all())
    meta = {r.key: r.value for r in conn.execute(select(tables.meta))}
    h = tables.history
    steps = conn.execute(select(h.c.seq, h.c.label, h.c.merge_key, h.c.ops)
                         .order_by(h.c.seq)).all()
    p = tables.history_parts
    parts = conn.execute(select(p.c.seq, p.c.part, p.c.ops).order_by(p.c.seq, p.c.part)).all()
    versions = conn.execute(select(func.count()).select_from(tables.versions)).scalar() or 0
    return Fetched(found, meta, steps, parts, int(versions))


def load(conn: Connection, name: str) -> tuple[State, History]:
    """Read and validate every row (and every history entry) of an open file."""
    return build(fetch(conn), name)


def build(fetched: Fetched, name: str) -> tuple[State, History]:
    """Validate fetched rows into the state and the history index; refuses a bad row,
    a broken reference, a damaged history step or a file past Waymark's limits."""
    from app.model.history import decode_step

    rows: dict[str, dict[int, Any]] = {}
    for table in tables.MODEL_TABLES:
        keys, raw_rows = fetched.tables[table]
        rows[table] = _validated(table, keys, raw_rows, name)
    too_big = limits.problems(rows) or limits.count_problem_versions(fetched.versions)
    if too_big:
        raise LimitError(f"{name} is larger than Waymark opens: {too_big}; it was not changed")
    data = DocumentData.model_construct(**rows)
    problems = reference_problems(data)
    if problems:
        raise CorruptDocumentError(f"{name}: {problems[0]}")
    meta = fetched.meta
    steps = []
    sizes: dict[int, int] = {}
    for r in fetched.history:
        if not isinstance(r.seq, int) or not isinstance(r.label, str):
            raise CorruptDocumentError(f"{name}: history row {r.seq!r} is invalid")
        decode_step(r.seq, r.ops)
        key = r.merge_key if isinstance(r.merge_key, str) else None
        steps.append((r.seq, r.label[:300], key))
        sizes[r.seq] = len(r.ops)
    expected: dict[int, int] = {}  # each step's parts are numbered 1, 2, ... in order
    for r in fetched.parts:
        if r.seq not in sizes or r.part != expected.get(r.seq, 0) + 1:
            raise CorruptDocumentError(f"{name}: history part {r.seq!r}.{r.part!r} is invalid")
        expected[r.seq] = r.part
        decode_step(r.seq, r.ops)
        sizes[r.seq] += len(r.ops)
    history = History(steps, meta, sizes)
    raw_next = str(meta.get("next_id", "1"))  # a hostile file may hold any text here
    next_id = int(raw_next) if raw_next.isascii() and raw_next.isdigit() and len(
        raw_next) <= 19 else 1
    return State(rows, next_id), history


def _validated(table: str, keys: tuple[str, ...], raw_rows: list[Any],
               name: str) -> dict[int, Any]:
    found: dict[int, Any] = {}
    try:  # every row in one validation call
        for model in tables.from_rows(table, keys, raw_rows):
            found[model.id] = model  # type: ignore[attr-defined]
        return found
    except (ValidationError, ValueError, TypeError, RecursionError):
        found = {}  # some row is bad: check row by row to name the first one
    for raw in raw_rows:
        row = dict(zip(keys, raw, strict=True))
        try:
            model = tables.from_row(table, row)
        except ValidationError as err:
            raise CorruptDocumentError(
                f"{name}: {table} row {row.get('id')!r} is invalid ({friendly(err)})"
            ) from None
        except (ValueError, TypeError, RecursionError) as err:
            text = "nested too deeply" if isinstance(err, RecursionError) else str(err)[:80]
            raise CorruptDocumentError(
                f"{name}: {table} row {row.get('id')!r} is invalid ({text})"
            ) from None
        found[model.id] = model  # type: ignore[attr-defined]
    return found


def identity(path: Path) -> tuple[int, int] | None:
    """The file's (device, inode), or None when it is gone."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def writable(path: Path) -> bool:
    """Whether the file and its folder can be written (a Save As and a journal need both)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def dispose(conn: Connection | None, engine: Engine) -> None:
    """Close a connection and its engine, ignoring errors (on a failed open)."""
    if conn is not None:
        with contextlib.suppress(Exception):
            conn.close()
    engine.dispose()
