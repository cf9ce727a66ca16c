"""A document's content read for an export or a check, without the editing machinery.

``waymark export`` and ``waymark check`` only read: the content, the document's settings
(poster font, logo...), its images and the name of its newest version. They do not need the
undo history, the write path or SQLAlchemy (about a fifth of a whole ``waymark export`` of
the sample map was importing it). :func:`read_snapshot` makes the same checks as opening a
document (:mod:`app.model.opening`): the header, the exact schema of the file's version,
``quick_check``, every row validated by the models and every reference checked, an older
file upgraded in memory (the file is never changed), a file another Waymark holds read
from memory. What it does not read is the undo history.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from app.errors import CorruptDocumentError, DocumentLockedError, LimitError
from app.model import fileformat, journals, limits
from app.model.rows import SCHEMA_VERSION, friendly, read_rows
from app.model.schema import Blob, DocumentData


@dataclass(frozen=True)
class Snapshot:
    """What an export needs of a document."""

    data: DocumentData
    #: Document-wide settings (the ``settings`` rows of the content), by key.
    settings: dict[str, str] = field(default_factory=dict)
    #: The newest named version's name ('' when none).
    latest_version: str = ""
    #: The images asked for, by SHA-256 (those missing from the file are left out).
    blobs: dict[str, Blob] = field(default_factory=dict)

    def setting(self, key: str) -> str | None:
        """A document-wide setting, as :meth:`Document.setting` answers it."""
        return self.settings.get(key)


def read_snapshot(path: Path, *, blobs: Iterable[str] = (),
                  setting_blobs: Iterable[str] = ()) -> Snapshot:
    """Read ``path``'s content, the images ``blobs`` names and those whose digest is the
    value of a setting in ``setting_blobs`` (the poster logo), checked as an open is;
    refuses a bad file with one line (a WaymarkError), leaving it unchanged. What lies
    beside the file is handled as a view handles it (:func:`journals.plan_view`): a hot
    journal is rolled back and checked on a private copy, a WAL is ignored, and a file an
    older Waymark holds locked is read into memory: no copy is left anywhere."""
    wanted = tuple(blobs)
    keys = tuple(setting_blobs)
    try:
        plan = journals.plan_view(path)
        try:
            return _read(path, plan.version, wanted, keys, plan.image)
        except DocumentLockedError:  # an older Waymark holds it for its whole session
            for _attempt in range(5):
                before = journals.stamp(path)
                try:
                    return _read(path, plan.version, wanted, keys,
                                 journals.read_stable(path, fileformat.describe(path)))
                except CorruptDocumentError:
                    if journals.stamp(path) == before:
                        raise  # really damaged, not torn by a commit under way
            raise
    except CorruptDocumentError as err:
        from app.model import backups  # platformdirs: only when there is bad news

        hint = backups.describe_backup(path)
        if hint:
            raise CorruptDocumentError(f"{err.message}{hint}") from None
        raise


def _read(path: Path, version: int, wanted: tuple[str, ...], keys: tuple[str, ...],
          image: bytes | None = None) -> Snapshot:
    name = fileformat.describe(path)
    dbapi: sqlite3.Connection | None = None
    memory: sqlite3.Connection | None = None
    try:
        dbapi = fileformat.open_raw(path, mode="ro", image=image)
        dbapi.execute("BEGIN")
        fileformat.check_schema(dbapi, name, version)
        fileformat.quick_check(dbapi, name)
        source = dbapi
        if version < SCHEMA_VERSION:  # upgraded in memory: the file stays as it is
            memory = sqlite3.connect(":memory:", isolation_level=None)
            dbapi.backup(memory)
            memory.execute("BEGIN")
            fileformat.migrate(memory, version, name)
            source = memory
        rows = read_rows(source, name)
        too_big = limits.problems(rows)
        if too_big:
            raise LimitError(f"{name} is larger than Waymark opens: {too_big}; "
                             "it was not changed")
        settings = {row.key: row.value for row in rows.get("settings", {}).values()}
        newest = source.execute(
            "SELECT name FROM versions ORDER BY created DESC, id DESC LIMIT 1").fetchone()
        named = tuple(settings[k] for k in keys if settings.get(k))
        images = _blobs(source, wanted + named, name)
        dbapi.execute("COMMIT")
    except sqlite3.Error as err:
        raise fileformat.translate(err, name) from None
    except UnicodeDecodeError:
        raise CorruptDocumentError(f"{name} is damaged (text that is not UTF-8)") from None
    except RecursionError:
        raise CorruptDocumentError(f"{name} is damaged (values nested too deeply)") from None
    finally:
        for con in (memory, dbapi):
            if con is not None:
                with contextlib.suppress(sqlite3.Error):
                    con.close()
    data = DocumentData.model_construct(**rows)
    return Snapshot(data, settings, str(newest[0]) if newest else "", images)


def _blobs(con: sqlite3.Connection, wanted: tuple[str, ...], name: str) -> dict[str, Blob]:
    out: dict[str, Blob] = {}
    for digest in dict.fromkeys(wanted):
        row = con.execute("SELECT hash, mime, data FROM blobs WHERE hash = ?",
                          (digest,)).fetchone()
        if row is None:
            continue
        try:
            out[digest] = Blob.model_validate({"hash": row[0], "mime": row[1], "data": row[2]})
        except ValidationError as err:
            raise CorruptDocumentError(
                f"{name}: blobs row {digest[:12]} is invalid ({friendly(err)})") from None
    return out
