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
that returned is on disk). ``locking_mode=EXCLUSIVE`` holds the file lock for
the whole session, so a second Waymark is refused at once instead of two
writers interleaving.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import struct
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import (
    CorruptDocumentError,
    DocumentLockedError,
    NewerVersionError,
    NotADocumentError,
)
from app.filemode import give_mode
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


def read_header(path: Path) -> tuple[int, int]:
    """Check that ``path`` looks like a Waymark document; return (user_version, page_size).

    Reads the file's first 100 bytes with ``open()``; SQLite never sees a
    file that fails here.
    """
    name = describe(path)
    if not path.exists():
        raise NotADocumentError(f"{name} does not exist")
    if path.is_dir():
        raise NotADocumentError(f"{name} is a folder, not a Waymark document")
    if not path.is_file():
        raise NotADocumentError(f"{name} is not a regular file")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as err:
        raise NotADocumentError(f"{name} cannot be read: {err.strerror}") from None
    if size == 0:
        raise NotADocumentError(f"{name} is empty, not a Waymark document")
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


def _configure(dbapi: sqlite3.Connection, *, exclusive: bool) -> None:
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
    ):
        dbapi.execute(f"PRAGMA {pragma}")
    if exclusive:
        dbapi.execute("PRAGMA locking_mode=EXCLUSIVE")


def make_engine(path: Path, *, mode: str, exclusive: bool) -> Engine:
    """An engine holding one raw connection to ``path`` (``mode`` is rw, ro or rwc)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    resolved = path.resolve()
    return create_engine("sqlite://", creator=lambda: open_raw(resolved, mode=mode,
                                                                exclusive=exclusive),
                         poolclass=StaticPool)


def open_raw(path: Path, *, mode: str, exclusive: bool) -> sqlite3.Connection:
    """A plain sqlite3 connection to ``path`` (``mode`` rw, ro or rwc), configured as every
    connection to a document is (limits, pragmas); transactions are the caller's."""
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    dbapi = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                            timeout=0.3)
    try:
        _configure(dbapi, exclusive=exclusive)
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
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        engine = make_engine(tmp, mode="rwc", exclusive=False)
        with engine.begin() as conn:
            conn.exec_driver_sql(f"PRAGMA application_id={fmt.APPLICATION_ID}")
            conn.exec_driver_sql(f"PRAGMA user_version={fmt.SCHEMA_VERSION}")
            schemas.create(raw(conn), fmt.SCHEMA_VERSION)
        engine.dispose()
        publish(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def backup_to(dbapi: sqlite3.Connection, dest: Path) -> None:
    """Copy an open database to ``dest`` through SQLite's backup API, atomically.

    The copy goes to a temporary file beside ``dest``, is fsynced, then
    renamed into place, and the folder is fsynced: ``dest`` is either absent
    (or its old self) or complete, even after a power cut.
    """
    dest = dest.resolve()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        target = sqlite3.connect(tmp, isolation_level=None)
        try:
            dbapi.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        give_mode(tmp, dest)  # mkstemp made it 0600: the replaced file's mode or the umask
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
