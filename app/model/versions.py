"""Named versions ("Q3 review"): compressed snapshots of the whole content in the file.

Unlike undo steps they survive the history limit, so each one keeps the content
itself. These functions work on an open connection inside the caller's transaction;
:class:`~app.model.document.Document` offers them as ``name_version``, ``versions``,
``version_data``, ``restore_version`` and ``delete_version``.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from app.errors import CommandError, CorruptDocumentError
from app.model import tables
from app.model.history import now
from app.model.schema import DocumentData


@dataclass(frozen=True)
class Version:
    """A named version of the document ("Q3 review")."""

    id: int
    name: str
    created: str


def clean_name(name: str) -> str:
    """A version's name as stored: spaces collapsed, at most 120 characters; never empty."""
    name = " ".join(name.split())[:120]
    if not name:
        raise CommandError("A version needs a name")
    return name


def add(conn: Connection, name: str, data: DocumentData) -> Version:
    """Store ``data`` as a new version named ``name`` (already cleaned)."""
    v = tables.versions
    new_id = (conn.execute(select(v.c.id).order_by(v.c.id.desc())).scalar() or 0) + 1
    created = now()
    conn.execute(insert(v).values(id=new_id, name=name, created=created,
                                  snapshot=pack_snapshot(data)))
    return Version(new_id, name, created)


@contextlib.contextmanager
def _not_utf8(what: str) -> Iterator[None]:
    """A damaged text cell (not UTF-8, which SQLite cannot hand over) is a damaged file:
    one line naming it, not a traceback."""
    try:
        yield
    except OperationalError as err:
        if "decode" not in str(err.orig):
            raise
        raise CorruptDocumentError(f"{what} is damaged (text that is not UTF-8)") from None


def listed(conn: Connection) -> list[Version]:
    """Named versions, oldest first."""
    v = tables.versions
    with _not_utf8("a named version's name"):
        rows = conn.execute(select(v.c.id, v.c.name, v.c.created).order_by(v.c.id)).all()
    return [Version(int(r.id), str(r.name), str(r.created)) for r in rows]


def content(conn: Connection, version_id: int) -> DocumentData:
    """The validated content of a named version."""
    v = tables.versions
    with _not_utf8(f"named version {version_id}"):
        blob = conn.execute(select(v.c.snapshot).where(v.c.id == version_id)).scalar()
    if blob is None:
        raise CommandError(f"There is no version {version_id}")
    return unpack_snapshot(version_id, blob)


def remove(conn: Connection, version_id: int) -> None:
    """Forget a named version."""
    conn.execute(delete(tables.versions).where(tables.versions.c.id == version_id))


def pack_snapshot(data: DocumentData) -> bytes:
    """A version snapshot: compressed DocumentData JSON."""
    return zlib.compress(data.model_dump_json().encode("utf-8"), 6)


def unpack_snapshot(version_id: int, blob: object) -> DocumentData:
    """Validate a stored snapshot (bounded decompression: no zip bombs)."""
    try:
        if not isinstance(blob, bytes):
            raise ValueError("not bytes")
        inflater = zlib.decompressobj()
        raw = inflater.decompress(blob, 256 * 1024 * 1024)
        if inflater.unconsumed_tail:
            raise ValueError("snapshot too large")
        return DocumentData.model_validate_json(raw)
    except (ValueError, zlib.error, ValidationError) as err:
        first = str(err).splitlines()[0][:120]
        raise CorruptDocumentError(f"versions row {version_id} is invalid ({first})") from None
