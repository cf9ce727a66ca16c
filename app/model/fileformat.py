"""Opening, checking, creating and copying .cjm files, treating every file as untrusted.

Order of checks on open (each refuses with a one-line message, writing nothing):

1. The path is an existing regular file of at least one SQLite page.
2. The 100-byte header, read with plain ``open()`` before SQLite sees the
   file: SQLite magic, our ``application_id`` (offset 68), the schema
   version (``user_version``, offset 60) not newer than ours, and a file
   at least as long as the header says.
3. SQLite opens it with ``mode=rw`` (never ``rwc``: a plain connect turns a
   missing or empty file into a new database), ``trusted_schema=OFF``,
   ``cell_size_check=ON``, ``mmap_size=0`` and length limits.
4. ``sqlite_schema`` must hold exactly the objects Waymark creates, with
   exactly our SQL: a planted trigger or view is refused before any write.
5. ``PRAGMA quick_check`` must answer ``ok``.
6. Every row is validated by the pydantic models (done by the caller).

Journal and durability, chosen by measurement on this machine (200 one-row
commits, ``synchronous=FULL``): DELETE 0.58 ms, TRUNCATE 0.84 ms, PERSIST
0.57 ms, WAL 0.28 ms per commit. WAL is faster but leaves ``-wal``/``-shm``
files beside the document, which breaks "one self-contained file that is safe
to email" and does not work on network drives; 0.6 ms per edit is far below
what a person notices, so we keep DELETE with ``synchronous=FULL`` (an edit
that returned is on disk).

Locking: SQLite's normal locking (it holds the file only while reading or
committing), so the journal is deleted at each commit (``locking_mode=EXCLUSIVE``
kept a zeroed journal beside every edited file, and made readers copy the
whole file), and readers use SQLite's shared lock instead of a copy. Measured
on the worktree disk, 300 one-row commits: EXCLUSIVE median 12.0 ms (p95 16.0),
NORMAL median 8.2 ms (p95 20.6); the fsyncs dominate either way. A second editor
is kept out by an ``flock`` the editing session holds (:class:`app.model.opening.
FileLock`); what lies beside a file is checked first (:mod:`app.model.journals`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import struct
from pathlib import Path
from typing import TYPE_CHECKING

from app import filemode, tempfiles
from app.errors import (
    CorruptDocumentError,
    DocumentLockedError,
    NewerVersionError,
    NotADocumentError,
    WaymarkError,
)
from app.model import rows as fmt  # the format's numbers (no SQLAlchemy there)
from app.model import schemas
from app.model.migrations import MIGRATIONS

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

SQLITE_MAGIC = b"SQLite format 3\x00"
#: Largest string or blob SQLite will build for us; a giant hostile value fails fast.
MAX_SQL_LENGTH = 16 * 1024 * 1024


def describe(path: Path) -> str:
    """The name used in messages: the file name, quoted."""
    return f"'{path.name}'"


def header_bytes(path: Path, name: str | None = None) -> bytes:
    """The first 100 bytes of a regular, non-empty file (plain file I/O; SQLite has not
    seen it). Refuses missing files, folders, FIFOs and devices without blocking."""
    name = name or describe(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise NotADocumentError(f"{name} does not exist") from None
    except IsADirectoryError:
        raise NotADocumentError(f"{name} is a folder, not a Waymark document") from None
    except OSError as err:
        if tempfiles.is_name_too_long(err):
            raise NotADocumentError(f"{name[:60]}...' has a name too long for this disk"
                                    ) from None
        raise NotADocumentError(f"{name} cannot be read: {err.strerror}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise NotADocumentError(f"{name} is a folder, not a Waymark document")
        if not stat.S_ISREG(info.st_mode):
            raise NotADocumentError(f"{name} is not a regular file")
        if info.st_size == 0:
            raise NotADocumentError(f"{name} is empty, not a Waymark document")
        return os.pread(fd, 100, 0)
    except OSError as err:
        raise NotADocumentError(f"{name} cannot be read: {err.strerror}") from None
    finally:
        os.close(fd)


def read_header(path: Path, name: str | None = None) -> tuple[int, int]:
    """Check that ``path`` looks like a Waymark document; return (user_version, page_size).

    Reads the file's first 100 bytes with plain file I/O; SQLite never sees a
    file that fails here. ``name`` is how messages call it (default: its own name).
    """
    name = name or describe(path)
    header = header_bytes(path, name)
    return check_header(header, path.stat().st_size, name)


def check_header(header: bytes, size: int, name: str) -> tuple[int, int]:
    """Check a file's first 100 bytes (and its length); return (user_version, page_size)."""
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise NotADocumentError(f"{name} is not a Waymark document")
    (app_id,) = struct.unpack(">I", header[68:72])
    (version,) = struct.unpack(">I", header[60:64])
    if app_id != fmt.APPLICATION_ID:
        raise NotADocumentError(f"{name} is an SQLite database of another application")
    if version > fmt.SCHEMA_VERSION:
        raise NewerVersionError(
            f"{name} was written by a newer Waymark (file format {version}; "
            f"this version reads up to {fmt.SCHEMA_VERSION}); it was not changed"
        )
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    (pages,) = struct.unpack(">I", header[28:32])
    change, valid_for = header[24:28], header[92:96]
    if page_size < 512 or size % page_size:
        raise CorruptDocumentError(f"{name} is damaged (truncated or padded)")
    if change == valid_for and pages * page_size > size:
        raise CorruptDocumentError(
            f"{name} is damaged: it is shorter than its header says (truncated?)"
        )
    return version, page_size


#: How long a connection waits for another's lock: a reader's snapshot of a large file,
#: or an editor's commit (both hold SQLite's lock for milliseconds to a second).
BUSY_TIMEOUT = 5.0


def _configure(dbapi: sqlite3.Connection) -> None:
    dbapi.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_SQL_LENGTH)
    dbapi.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, 1_000_000)
    dbapi.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    for pragma in (
        "trusted_schema=OFF",
        "cell_size_check=ON",
        "mmap_size=0",
        "foreign_keys=ON",
        "journal_mode=DELETE",
        "synchronous=FULL",
        "secure_delete=OFF",
        # Large edits (an import of 100,000 cards) stay in memory until their commit
        # rather than spilling half-written pages into the file.
        "cache_size=-65536",
    ):
        dbapi.execute(f"PRAGMA {pragma}")


def make_engine(path: Path, *, mode: str, image: bytes | None = None) -> Engine:
    """An engine holding one raw connection to ``path`` (``mode`` is rw, ro or rwc), or,
    with ``image``, to an in-memory database holding those bytes (a read-only view's copy:
    nothing on disk to leave behind)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    resolved = path.resolve()
    return create_engine("sqlite://", creator=lambda: open_raw(resolved, mode=mode,
                                                                image=image),
                         poolclass=StaticPool)


def open_raw(path: Path, *, mode: str, image: bytes | None = None) -> sqlite3.Connection:
    """A plain sqlite3 connection to ``path`` (``mode`` rw, ro or rwc), or to an in-memory
    copy holding ``image``, configured as every connection to a document is (limits,
    pragmas); transactions are the caller's."""
    if image is not None:
        dbapi = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        dbapi.deserialize(image)
    else:
        uri = f"{path.resolve().as_uri()}?mode={mode}"
        dbapi = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                                timeout=BUSY_TIMEOUT)
    try:
        _configure(dbapi)
    except BaseException:
        dbapi.close()
        raise
    return dbapi


def connect(engine: Engine) -> Connection:
    """A connection that leaves transactions to us (we send BEGIN IMMEDIATE/COMMIT)."""
    return engine.connect().execution_options(isolation_level="AUTOCOMMIT")


def raw(conn: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under a SQLAlchemy connection."""
    dbapi = conn.connection.dbapi_connection
    assert isinstance(dbapi, sqlite3.Connection)
    return dbapi


def expected_schema() -> frozenset[schemas.SchemaObject]:
    """Exactly the schema objects Waymark creates: (type, name, table, sql), as frozen in
    ``schemas/vN.sql`` for the current version."""
    return schemas.objects(fmt.SCHEMA_VERSION)


def check_schema(dbapi: sqlite3.Connection, name: str, version: int | None = None) -> None:
    """Refuse any schema object Waymark did not create (triggers, views, extra indexes).

    ``version`` (default: the current one) selects which release's exact schema to expect.
    """
    found = schemas.listed(dbapi)
    version = fmt.SCHEMA_VERSION if version is None else version
    try:
        expected = schemas.objects(version)
    except KeyError:
        raise CorruptDocumentError(
            f"{name} uses file format {version}, which cannot be upgraded") from None
    if version < fmt.SCHEMA_VERSION and any(
            v not in MIGRATIONS for v in range(version, fmt.SCHEMA_VERSION)):
        raise CorruptDocumentError(f"{name} uses file format {version}, which cannot be upgraded")
    extra = sorted(found - expected, key=lambda r: (r[0], r[1]))
    if extra:
        kind, obj = extra[0][0], extra[0][1]
        if any(o[1] == obj for o in expected):
            raise CorruptDocumentError(f"{name} has an altered {kind} '{obj}'; it was not opened")
        raise CorruptDocumentError(
            f"{name} contains a {kind} '{obj}' that Waymark never creates; it was not opened"
        )
    missing = sorted(expected - found)
    if missing:
        raise CorruptDocumentError(f"{name} is missing its {missing[0][0]} '{missing[0][1]}'")


def quick_check(dbapi: sqlite3.Connection, name: str) -> None:
    """Run ``PRAGMA quick_check``; raise CorruptDocumentError unless it says ok."""
    try:
        rows = dbapi.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as err:
        raise CorruptDocumentError(f"{name} is damaged ({err})") from None
    if rows != [("ok",)]:
        first = " ".join(str(rows[0][0]).replace("*** in database main ***", "").split())
        raise CorruptDocumentError(f"{name} is damaged ({first[:80]})")


def translate(err: sqlite3.Error, name: str) -> Exception:
    """Turn a sqlite3 error met while opening into the matching user error."""
    text = " ".join(str(err).split())[:120]
    if "locked" in text or "busy" in text:
        return DocumentLockedError(f"{name} is open in another Waymark window")
    if isinstance(err, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text or "corrupt" in text
    ):
        return CorruptDocumentError(f"{name} is damaged ({text})")
    return CorruptDocumentError(f"{name} could not be opened ({text})")


def migrate(dbapi: sqlite3.Connection, version: int, name: str) -> int:
    """Upgrade an older file inside the caller's open write transaction, one version at a
    time in order, then check the result is exactly the current schema."""
    while version < fmt.SCHEMA_VERSION:
        MIGRATIONS[version](dbapi)
        version += 1
    dbapi.execute(f"PRAGMA user_version={version}")
    check_schema(dbapi, name)
    return version


def create_file(path: Path) -> None:
    """Create an empty Waymark database at ``path`` atomically (temp file + rename), with
    the current version's frozen schema (``schemas/vN.sql``)."""
    path = path.resolve()
    if tempfiles.too_long(path, len("-journal")):
        raise WaymarkError(f"'{path.name[:60]}…' is too long a name: SQLite keeps a journal "
                           f"beside the file while saving, and this disk allows names of "
                           f"{tempfiles.name_max(path.parent)} bytes; choose a shorter one")
    tmp = _sibling(path)
    try:
        tmp.unlink()
        dbapi = open_raw(tmp, mode="rwc")
        try:
            # One transaction, one commit: the header's ids and every table appear together
            # (statement by statement, each was a commit of its own: ~40 commits, ~160
            # fsyncs, up to half a second per new file). A crash before the COMMIT leaves
            # only the temporary sibling, without our application_id: never a document.
            dbapi.execute("BEGIN IMMEDIATE")
            try:
                dbapi.execute(f"PRAGMA application_id={fmt.APPLICATION_ID}")
                dbapi.execute(f"PRAGMA user_version={fmt.SCHEMA_VERSION}")
                schemas.create(dbapi, fmt.SCHEMA_VERSION)
                dbapi.execute("COMMIT")
            except BaseException:
                dbapi.rollback()
                raise
        finally:
            dbapi.close()
        filemode.give_mode(Path(tmp), path)
        publish(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _sibling(dest: Path) -> Path:
    try:
        return tempfiles.sibling(dest)
    except OSError as err:
        raise WaymarkError(f"cannot write in the folder of '{dest.name}' "
                           f"({err.strerror})") from None


def backup_to(dbapi: sqlite3.Connection, dest: Path, *, private: bool = False) -> None:
    """Copy an open database to ``dest`` through SQLite's backup API, atomically.

    The copy goes to a temporary file beside ``dest``, is fsynced, then
    renamed into place, and the folder is fsynced: ``dest`` is either absent
    (or its old self) or complete, even after a power cut. It gets the usual file mode
    (or the replaced file's); ``private`` keeps it readable by its owner only (backups).
    """
    dest = dest.resolve()
    tempfiles.sweep_siblings(dest)
    tmp = _sibling(dest)
    try:
        target = sqlite3.connect(tmp, isolation_level=None)
        try:
            dbapi.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        if not private:
            filemode.give_mode(Path(tmp), dest)
        publish(tmp, dest)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def publish(tmp: Path, dest: Path) -> None:
    """fsync ``tmp``, rename it over ``dest`` and fsync the folder."""
    with tmp.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, dest)
    dir_fd = os.open(dest.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
