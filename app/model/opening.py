"""Opening a .cjm file: locking, checking, migrating and loading it into a :class:`Session`.

The checks themselves (header, exact schema, ``quick_check``, migrations) are
:mod:`app.model.fileformat`'s; this module runs them in order inside the one
transaction that takes the file lock, validates every row and history entry, and
hands the :class:`~app.model.document.Document` a session holding the connection and
what was loaded. A file that fails any step is refused with one line and left unchanged.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from app.errors import CorruptDocumentError, DocumentLockedError
from app.model import backups, fileformat, tables
from app.model import rows as fmt
from app.model.fileformat import raw
from app.model.history import History
from app.model.rows import read_rows
from app.model.state import State


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
    #: The private folder of a read-only copy, removed on close.
    temp_copy: Path | None = None
    #: The file's (device, inode) when it was opened: another program replacing it shows.
    identity: tuple[int, int] | None = None
    #: Whether anything was committed in this session (a backup is written on close).
    edited: bool = False
    closed: bool = False

    def close(self) -> None:
        """Close the connection and remove a read-only copy's folder."""
        with contextlib.suppress(sqlite3.Error, DBAPIError):
            self.conn.close()
        self.engine.dispose()
        if self.temp_copy is not None:
            shutil.rmtree(self.temp_copy, ignore_errors=True)
            self.temp_copy = None


def open_session(path: Path, *, read_only: bool = False) -> Session:
    """Open an existing document, checking it thoroughly; refuses bad files unchanged.

    When another Waymark has the file open, ``read_only=True`` opens a
    snapshot copy for viewing; otherwise DocumentLockedError is raised.
    A file on a read-only medium opens read-only with a note.
    """
    try:
        return _open(path, read_only=read_only)
    except CorruptDocumentError as err:
        hint = backups.describe_backup(path)
        if hint:
            raise CorruptDocumentError(f"{err.message}{hint}") from None
        raise


def _open(path: Path, *, read_only: bool) -> Session:
    name = fileformat.describe(path)
    version, _ = fileformat.read_header(path)
    note = ""
    if not read_only and not writable(path):
        read_only, note = True, f"{name} is read-only here: view only (Save As still works)"
    if read_only:
        if version < fmt.SCHEMA_VERSION:
            # An older file is upgraded on its first edit; viewing it leaves it as it is.
            return _open_copy(path, version, note=note or (
                f"{name} uses the older file format {version}: this is a read-only view; "
                "open it for editing to upgrade the file"))
        try:
            return _open_checked(path, version, read_only=True, note=note)
        except DocumentLockedError:
            return _open_copy(path, version)
    session = _open_checked(path, version, read_only=False, note=note)
    # Copies left by a Save As that was killed half-way (never the document itself).
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()
    return session


def _open_copy(path: Path, version: int, note: str = "") -> Session:
    """A read-only view of a copy of ``path`` (upgraded when the file is older)."""
    folder = Path(tempfile.mkdtemp(prefix="waymark-view-"))
    copy = folder / path.name
    try:
        shutil.copyfile(path, copy)
        session = _open_checked(
            copy, version, read_only=version >= fmt.SCHEMA_VERSION,
            note=note or f"'{path.name}' is open in another Waymark window: "
                         "this is a read-only copy",
            temp_copy=folder,
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    session.read_only = True
    session.path = path
    return session


def _open_checked(path: Path, version: int, *, read_only: bool, note: str = "",
                  temp_copy: Path | None = None) -> Session:
    name = fileformat.describe(path)
    engine = fileformat.make_engine(path, mode="ro" if read_only else "rw",
                                    exclusive=not read_only)
    conn: Connection | None = None
    try:
        conn = fileformat.connect(engine)
        dbapi = fileformat.raw(conn)
        # EXCLUSIVE takes the file lock now and (locking_mode=EXCLUSIVE) keeps it.
        dbapi.execute("BEGIN" if read_only else "BEGIN EXCLUSIVE")
        try:
            fileformat.check_schema(dbapi, name, version)
            fileformat.quick_check(dbapi, name)
            if version < fmt.SCHEMA_VERSION:
                if read_only:  # _open views an upgraded copy instead
                    raise CorruptDocumentError(
                        f"{name} uses the older file format {version}; open it for editing "
                        "once (or Save As) to upgrade it"
                    )
                fileformat.migrate(dbapi, version, name)
            state, history = load(conn, name)
        except BaseException:
            if dbapi.in_transaction:
                dbapi.execute("ROLLBACK")
            raise
        dbapi.execute("COMMIT")
        if not read_only:
            # We hold the exclusive lock and SQLite has already rolled back any hot
            # journal while reading, so a journal left by a killed process is stale:
            # remove it so the document is one file again.
            with contextlib.suppress(FileNotFoundError):
                Path(f"{path}-journal").unlink()
        return Session(path, engine, conn, state, history, read_only=read_only, note=note,
                       temp_copy=temp_copy, identity=identity(path))
    except sqlite3.Error as err:
        dispose(conn, engine)
        raise fileformat.translate(err, name) from None
    except UnicodeDecodeError:
        dispose(conn, engine)
        raise CorruptDocumentError(f"{name} is damaged (text that is not UTF-8)") from None
    except DBAPIError as err:
        dispose(conn, engine)
        raise fileformat.translate(err.orig, name) from None  # type: ignore[arg-type]
    except BaseException:
        dispose(conn, engine)
        raise


def load(conn: Connection, name: str) -> tuple[State, History]:
    """Read and validate every row (and every history entry) of an open file."""
    from app.model.history import decode_step

    rows = read_rows(raw(conn), name)
    meta = {r.key: r.value for r in conn.execute(select(tables.meta))}
    h = tables.history
    steps = []
    for r in conn.execute(select(h.c.seq, h.c.label, h.c.merge_key, h.c.ops).order_by(h.c.seq)):
        if not isinstance(r.seq, int) or not isinstance(r.label, str):
            raise CorruptDocumentError(f"{name}: history row {r.seq!r} is invalid")
        decode_step(r.seq, r.ops)
        key = r.merge_key if isinstance(r.merge_key, str) else None
        steps.append((r.seq, r.label[:300], key))
    history = History(steps, meta)
    next_id = int(meta.get("next_id", "1")) if str(meta.get("next_id", "1")).isdigit() else 1
    return State(rows, next_id), history


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
