"""The Document: an open .cjm file, the only way to read and change a journey map.

Every edit is a :class:`~app.model.commands.Command` applied in one SQLite
transaction together with its history entry, then committed before
:meth:`Document.execute` returns: there is no unsaved state to lose. After
the commit, subscribers hear which ids changed (a Qt-free observer), so the
canvas can update exactly those items.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import logging
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from app.errors import (
    CommandError,
    CorruptDocumentError,
    DiskFullError,
    DocumentLockedError,
    NotADocumentError,
    ReadOnlyDocumentError,
    WaymarkError,
)
from app.model import backups, fileformat, tables
from app.model.commands import Command, ReplaceContent, friendly, quote
from app.model.history import (
    History,
    Step,
    Version,
    now,
    pack_snapshot,
    unpack_snapshot,
    write_meta,
)
from app.model.ops import Op, invert, write
from app.model.schema import Blob, DocumentData, reference_problems
from app.model.state import Change, State
from app.model.templates import load_template

log = logging.getLogger(__name__)
Listener = Callable[[Change], None]


class Document:
    """An open journey-map document. Create with :meth:`create` or :meth:`open`."""

    def __init__(
        self,
        path: Path,
        engine: Engine,
        conn: Connection,
        state: State,
        history: History,
        *,
        read_only: bool,
        note: str = "",
        temp_copy: Path | None = None,
    ) -> None:
        self.path = path
        self.read_only = read_only
        #: Why the document is read-only, or other news for the user ("" when none).
        self.note = note
        self._engine = engine
        self._conn = conn
        self._state = state
        self._history = history
        self._listeners: list[Listener] = []
        self._macro: _Macro | None = None
        self._temp_copy = temp_copy
        self._identity = _identity(path)
        self._closed = False
        self._tx_ops: list[Op] | None = None
        self._edited = False

    # ============================================================ opening
    @classmethod
    def create(
        cls, path: str | Path, template: str = "blank", *, overwrite: bool = False
    ) -> Document:
        """Create a new document at ``path`` from a template (blank, b2c, b2b, sample)."""
        return cls.create_from(path, load_template(template), overwrite=overwrite)

    @classmethod
    def create_from(cls, path: str | Path, data: DocumentData,
                    blobs: dict[str, Blob] | None = None, *, overwrite: bool = False) -> Document:
        """Create a document holding ``data`` (e.g. an import) with no undo history."""
        path = Path(path)
        if path.exists() and not overwrite:
            raise WaymarkError(f"'{path.name}' already exists")
        if not path.parent.is_dir():
            raise WaymarkError(f"the folder of '{path.name}' does not exist")
        fileformat.create_file(path)
        doc = cls.open(path)
        try:
            doc._seed(data, blobs or {})
        except BaseException:
            doc.close()
            raise
        return doc

    def _seed(self, data: DocumentData, blobs: dict[str, Blob] | None = None) -> None:
        """Write initial content without an undo step (a new file starts clean)."""
        from app.model.commands import diff_ops

        ops = diff_ops(self._state, data)
        with self._transaction() as change:
            self._store_blobs(list((blobs or {}).values()))
            self._apply(ops, change)
            write_meta(self._conn, {"next_id": str(self._state.next_id), "created": now()})
        self._notify(change)

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> Document:
        """Open an existing document, checking it thoroughly; refuses bad files unchanged.

        When another Waymark has the file open, ``read_only=True`` opens a
        snapshot copy for viewing; otherwise DocumentLockedError is raised.
        A file on a read-only medium opens read-only with a note.
        """
        path = Path(path)
        try:
            return cls._open(path, read_only=read_only)
        except CorruptDocumentError as err:
            hint = backups.describe_backup(path)
            if hint:
                raise CorruptDocumentError(f"{err.message}{hint}") from None
            raise

    @classmethod
    def _open(cls, path: Path, *, read_only: bool) -> Document:
        name = fileformat.describe(path)
        version, _ = fileformat.read_header(path)
        note = ""
        if not read_only and not _writable(path):
            read_only, note = True, f"{name} is read-only here: view only (Save As still works)"
        if read_only:
            if version < tables.SCHEMA_VERSION:
                # An older file is upgraded on its first edit; viewing it leaves it as it is.
                return cls._open_copy(path, version, note=note or (
                    f"{name} uses the older file format {version}: this is a read-only view; "
                    "open it for editing to upgrade the file"))
            try:
                return cls._open_checked(path, version, read_only=True, note=note)
            except DocumentLockedError:
                return cls._open_copy(path, version)
        doc = cls._open_checked(path, version, read_only=False, note=note)
        # Copies left by a Save As that was killed half-way (never the document itself).
        for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()
        return doc

    @classmethod
    def _open_copy(cls, path: Path, version: int, note: str = "") -> Document:
        """A read-only view of a copy of ``path`` (upgraded when the file is older)."""
        folder = Path(tempfile.mkdtemp(prefix="waymark-view-"))
        copy = folder / path.name
        try:
            shutil.copyfile(path, copy)
            doc = cls._open_checked(
                copy, version, read_only=version >= tables.SCHEMA_VERSION,
                note=note or f"'{path.name}' is open in another Waymark window: "
                             "this is a read-only copy",
                temp_copy=folder,
            )
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        doc.read_only = True
        doc.path = path
        return doc

    @classmethod
    def _open_checked(cls, path: Path, version: int, *, read_only: bool, note: str = "",
                      temp_copy: Path | None = None) -> Document:
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
                if version < tables.SCHEMA_VERSION:
                    if read_only:  # _open views an upgraded copy instead
                        raise CorruptDocumentError(
                            f"{name} uses the older file format {version}; open it for editing "
                            "once (or Save As) to upgrade it"
                        )
                    fileformat.migrate(dbapi, version, name)
                state, history = _load(conn, name)
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
            return cls(path, engine, conn, state, history, read_only=read_only, note=note,
                       temp_copy=temp_copy)
        except sqlite3.Error as err:
            _dispose(conn, engine)
            raise fileformat.translate(err, name) from None
        except UnicodeDecodeError:
            _dispose(conn, engine)
            raise CorruptDocumentError(f"{name} is damaged (text that is not UTF-8)") from None
        except DBAPIError as err:
            _dispose(conn, engine)
            raise fileformat.translate(err.orig, name) from None  # type: ignore[arg-type]
        except BaseException:
            _dispose(conn, engine)
            raise

    # ============================================================ reading
    @property
    def data(self) -> DocumentData:
        """The current content. Treat it as read-only; it is replaced after each change."""
        return self._state.data

    def snapshot(self) -> DocumentData:
        """An independent deep copy of the current content (for exports on a thread)."""
        return self._state.data.model_copy(deep=True)

    @property
    def name(self) -> str:
        """The document's display name (the file name without .cjm)."""
        return self.path.stem

    def blob(self, digest: str) -> Blob | None:
        """A stored image by hash, validated."""
        row = self._conn.execute(
            select(tables.blobs).where(tables.blobs.c.hash == digest)
        ).mappings().first()
        if row is None:
            return None
        try:
            return Blob.model_validate(dict(row))
        except ValidationError as err:
            raise CorruptDocumentError(
                f"blobs row {digest[:12]} is invalid ({friendly(err)})"
            ) from None

    def add_blob(self, data: bytes, mime: str) -> str:
        """Store an image (PNG or JPEG) and return its hash; storing twice is free."""
        import hashlib

        digest = hashlib.sha256(data).hexdigest()
        try:
            blob = Blob(hash=digest, mime=mime, data=data)
        except ValidationError as err:
            raise CommandError(f"Image refused: {friendly(err)}") from None
        self._check_writable()
        with self._transaction():
            self._store_blobs([blob])
        return digest

    # ============================================================ editing
    def execute(self, command: Command) -> Change:
        """Apply ``command`` durably as one undo step. Raises CommandError, nothing changed."""
        self._check_writable()
        if self._macro is not None:
            return self._macro.run(command)
        with self.macro(None) as macro:
            macro.run(command)
        return macro.change

    @contextlib.contextmanager
    def macro(self, label: str | None) -> Iterator[_Macro]:
        """Group several commands into one undo step, committed together at the end."""
        self._check_writable()
        if self._macro is not None:
            yield self._macro
            return
        macro = _Macro(self, label)
        self._macro = macro
        try:
            with self._transaction():
                yield macro
                if macro.ops:
                    label = macro.label or "Edit"
                    key = macro.key if macro.count == 1 else None
                    self._history.push(self._conn, label, macro.ops, key,
                                       {"next_id": str(self._state.next_id)})
        finally:
            self._macro = None
        if macro.ops:
            self._notify(macro.change)

    @property
    def can_undo(self) -> bool:
        """Whether there is a step to undo."""
        return self._history.undo_seq() is not None and not self.read_only

    @property
    def can_redo(self) -> bool:
        """Whether there is a step to redo."""
        return self._history.redo_seq() is not None and not self.read_only

    @property
    def undo_label(self) -> str:
        """The label of the step undo would revert ('' when none)."""
        seq = self._history.undo_seq()
        return self._history.labels[seq] if seq else ""

    @property
    def redo_label(self) -> str:
        """The label of the step redo would re-apply ('' when none)."""
        seq = self._history.redo_seq()
        return self._history.labels[seq] if seq else ""

    def undo(self) -> Change:
        """Revert the last applied step."""
        self._check_writable()
        seq = self._history.undo_seq()
        if seq is None:
            raise CommandError("Nothing to undo")
        ops = invert(self._history.load_ops(self._conn, seq))
        with self._transaction() as change:
            self._apply(ops, change)
            self._history.set_head(self._conn, self._history.previous(seq))
        self._notify(change)
        return change

    def redo(self) -> Change:
        """Re-apply the next undone step."""
        self._check_writable()
        seq = self._history.redo_seq()
        if seq is None:
            raise CommandError("Nothing to redo")
        ops = self._history.load_ops(self._conn, seq)
        with self._transaction() as change:
            self._apply(ops, change)
            self._history.set_head(self._conn, seq)
        self._notify(change)
        return change

    def history(self) -> list[Step]:
        """The undo history, oldest first (``applied`` False for the redo branch)."""
        return self._history.steps()

    @property
    def head(self) -> int:
        """The sequence number of the last applied step (0 at the start)."""
        return self._history.head

    def jump_to(self, seq: int) -> None:
        """Undo or redo until ``seq`` is the last applied step (0: before the first)."""
        if seq != 0 and seq not in self._history.labels:
            raise CommandError(f"There is no history step {seq}")
        while self._history.head > seq:
            self.undo()
        while self._history.head < seq:
            self.redo()

    @property
    def history_limit(self) -> int:
        """How many undo steps are kept."""
        return self._history.limit

    def set_history_limit(self, limit: int) -> None:
        """Keep at most ``limit`` steps (the oldest are dropped)."""
        self._check_writable()
        with self._transaction(notify_history=True) as change:
            self._history.set_limit(self._conn, limit)
        self._notify(change)

    @property
    def is_clean(self) -> bool:
        """True when nothing changed since the last :meth:`mark_clean`."""
        return self._history.clean == self._history.head

    def mark_clean(self) -> None:
        """Remember the current step (exported, or named by the user)."""
        if self.read_only:
            return
        with self._transaction():
            self._history.mark_clean(self._conn)

    # ============================================================ versions
    def name_version(self, name: str) -> Version:
        """Save the current content as a named version ("Q3 review")."""
        self._check_writable()
        name = " ".join(name.split())[:120]
        if not name:
            raise CommandError("A version needs a name")
        v = tables.versions
        with self._transaction():
            new_id = (self._conn.execute(select(v.c.id).order_by(v.c.id.desc())).scalar() or 0) + 1
            created = now()
            self._conn.execute(insert(v).values(id=new_id, name=name, created=created,
                                                snapshot=pack_snapshot(self.data)))
            self._history.mark_clean(self._conn)
        return Version(new_id, name, created)

    def versions(self) -> list[Version]:
        """Named versions, oldest first."""
        v = tables.versions
        rows = self._conn.execute(select(v.c.id, v.c.name, v.c.created).order_by(v.c.id))
        return [Version(int(r.id), str(r.name), str(r.created)) for r in rows]

    def version_data(self, version_id: int) -> DocumentData:
        """The validated content of a named version."""
        v = tables.versions
        blob = self._conn.execute(select(v.c.snapshot).where(v.c.id == version_id)).scalar()
        if blob is None:
            raise CommandError(f"There is no version {version_id}")
        return unpack_snapshot(version_id, blob)

    def restore_version(self, version_id: int) -> Change:
        """Make the content equal a named version, as one undoable step."""
        name = next((x.name for x in self.versions() if x.id == version_id), None)
        if name is None:
            raise CommandError(f"There is no version {version_id}")
        return self.execute(ReplaceContent(self.version_data(version_id),
                                           f"Restore version {quote(name)}"))

    def delete_version(self, version_id: int) -> None:
        """Forget a named version."""
        self._check_writable()
        with self._transaction():
            self._conn.execute(delete(tables.versions).where(tables.versions.c.id == version_id))

    # ============================================================ files
    def save_as(self, path: str | Path, *, switch: bool = True) -> None:
        """Write a complete copy to ``path`` (backup API, temp file, rename).

        With ``switch`` the document continues in the new file (the old one
        is left as it was); a read-only document becomes editable there.
        """
        dest = Path(path).resolve()
        if dest == self.path.resolve() and not self._temp_copy:
            return
        if not dest.parent.is_dir():
            raise WaymarkError(f"the folder of '{dest.name}' does not exist")
        try:
            fileformat.backup_to(fileformat.raw(self._conn), dest)
        except OSError as err:
            raise WaymarkError(f"could not write '{dest.name}': {err.strerror}") from None
        if not switch:
            return
        fresh = Document.open(dest)
        self._close_connection()
        self.__dict__.update({k: v for k, v in fresh.__dict__.items() if k != "_listeners"})
        fresh._closed = True
        self._notify(Change(history=True))

    def close(self) -> None:
        """Close the file; afterwards it is one self-contained file (no journal beside it)."""
        if self._closed:
            return
        if self._edited and not self.read_only:
            try:
                backups.write_backup(fileformat.raw(self._conn), self.path)
            except (OSError, sqlite3.Error):
                log.warning("could not write a backup of %s", self.path, exc_info=True)
        self._close_connection()
        self._closed = True

    def _close_connection(self) -> None:
        with contextlib.suppress(sqlite3.Error, DBAPIError):
            self._conn.close()
        self._engine.dispose()
        if self._temp_copy is not None:
            shutil.rmtree(self._temp_copy, ignore_errors=True)
            self._temp_copy = None

    def __enter__(self) -> Document:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def info(self) -> dict[str, Any]:
        """A summary for ``waymark info``: maps, personas, counts, version, history depth."""
        data = self.data
        maps = []
        for m in data.ordered_maps():
            persona = data.personas.get(m.persona_id) if m.persona_id else None
            cards = data.cards_of(m.id)
            maps.append({
                "id": m.id, "title": m.title,
                "persona": persona.name if persona else None,
                "owner": m.owner,
                "last_reviewed": m.last_reviewed.isoformat() if m.last_reviewed else None,
                "review_interval_days": m.review_interval_days,
                "stages": [s.name for s in data.stages_of(m.id)],
                "lanes": [{"name": ln.name, "kind": ln.kind.value} for ln in data.lanes_of(m.id)],
                "cards": len(cards),
                "links": len(data.links_of(m.id)),
            })
        return {
            "file": str(self.path),
            "schema_version": tables.SCHEMA_VERSION,
            "maps": maps,
            "personas": [p.name for p in data.personas.values()],
            "history_depth": len(self._history.seqs),
            "history_head": self._history.head,
            "can_undo": self.can_undo,
            "can_redo": self.can_redo,
            "versions": [v.name for v in self.versions()],
            "read_only": self.read_only,
            "notes": self.notes(),
        }

    def notes(self, today: dt.date | None = None) -> list[str]:
        """Things the user should hear on opening: read-only state, overdue reviews."""
        today = today or dt.date.today()
        out = [self.note] if self.note else []
        for m in self.data.ordered_maps():
            if m.last_reviewed is None:
                out.append(f"map {quote(m.title)} has never been reviewed")
                continue
            due = m.last_reviewed + dt.timedelta(days=m.review_interval_days)
            if due < today:
                out.append(
                    f"map {quote(m.title)} is overdue for review: last reviewed "
                    f"{m.last_reviewed.isoformat()}, due every {m.review_interval_days} days"
                )
        return out

    # ============================================================ observers
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(change)`` after every commit; returns the unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _notify(self, change: Change) -> None:
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:  # a broken view must not undo a committed edit
                log.exception("change listener failed")

    # ============================================================ internals
    def _check_writable(self) -> None:
        if self._closed:
            raise ReadOnlyDocumentError("The document is closed")
        if self.read_only:
            raise ReadOnlyDocumentError(
                self.note or f"'{self.path.name}' is open read-only; use Save As to edit a copy"
            )
        if self._macro is None and _identity(self.path) != self._identity:
            raise ReadOnlyDocumentError(
                f"'{self.path.name}' was replaced or removed on disk by another program; "
                "nothing was written. Use Save As to keep your version"
            )

    def _apply(self, ops: list[Op], change: Change) -> None:
        try:
            self._state.apply(ops, change)
        except (ValueError, ValidationError) as err:
            text = friendly(err) if isinstance(err, ValidationError) else str(err)
            raise CommandError(f"Edit refused: {text}") from None
        try:
            write(self._conn, ops)
        except BaseException:
            self._state.apply(invert(ops), Change())
            raise
        if self._tx_ops is not None:
            self._tx_ops.extend(ops)

    def _store_blobs(self, blobs: list[Blob]) -> None:
        b = tables.blobs
        for blob in blobs:
            exists = self._conn.execute(select(b.c.hash).where(b.c.hash == blob.hash)).first()
            if not exists:
                self._conn.execute(insert(b).values(hash=blob.hash, mime=blob.mime, data=blob.data))

    @contextlib.contextmanager
    def _transaction(self, notify_history: bool = False) -> Iterator[Change]:
        """BEGIN IMMEDIATE ... COMMIT; on any error roll back the file and the memory."""
        dbapi = fileformat.raw(self._conn)
        change = Change(history=True)
        history_snap = self._history.snapshot()
        next_id = self._state.next_id
        self._tx_ops = []
        try:
            dbapi.execute("BEGIN IMMEDIATE")
            yield change
            dbapi.execute("COMMIT")
            self._edited = True
        except BaseException as err:
            with contextlib.suppress(sqlite3.Error):
                if dbapi.in_transaction:
                    dbapi.execute("ROLLBACK")
            if self._tx_ops:
                self._state.apply(invert(self._tx_ops), Change())
            self._state.next_id = next_id
            self._history.restore(history_snap)
            if _is_db_error(err):
                raise _translate_write_error(err, self.path) from None
            raise
        finally:
            self._tx_ops = None


class _Macro:
    """Collects the operations of one or more commands inside one transaction."""

    def __init__(self, doc: Document, label: str | None) -> None:
        self.doc = doc
        self.label = label
        self.ops: list[Op] = []
        self.count = 0
        self.key: str | None = None
        self.change = Change()

    def run(self, command: Command) -> Change:
        """Plan ``command`` on the current state and apply it within the open transaction."""
        state = self.doc._state
        next_id = state.next_id
        try:
            label = command.label(state)
            ops = command.plan(state)
        except (ValueError, ValidationError) as err:
            state.next_id = next_id
            text = friendly(err) if isinstance(err, ValidationError) else str(err)
            raise CommandError(f"Edit refused: {text}") from None
        except CommandError:
            state.next_id = next_id
            raise
        change = Change()
        if command.blobs():
            self.doc._store_blobs(command.blobs())
        self.doc._apply(ops, change)
        _merge_change(self.change, change)
        if ops:
            self.ops.extend(ops)
            self.count += 1
            self.key = command.merge_key
            if self.label is None:
                self.label = label
        return change


def _merge_change(target: Change, source: Change) -> None:
    for name in ("added", "updated", "removed"):
        for table, ids in getattr(source, name).items():
            getattr(target, name).setdefault(table, set()).update(ids)


def _load(conn: Connection, name: str) -> tuple[State, History]:
    """Read and validate every row (and every history entry) of an open file."""
    from app.model.history import decode_step

    rows: dict[str, dict[int, Any]] = {}
    for table in tables.MODEL_TABLES:
        found: dict[int, Any] = {}
        result = conn.execute(select(tables.TABLES[table]))
        keys = tuple(result.keys())
        raw_rows = result.all()
        try:  # every row in one validation call
            for model in tables.from_rows(table, keys, raw_rows):
                found[model.id] = model  # type: ignore[attr-defined]
        except (ValidationError, ValueError, TypeError):
            found = {}  # some row is bad: check row by row to name the first one
        else:
            rows[table] = found
            continue
        for raw in raw_rows:
            row = dict(zip(keys, raw, strict=True))
            try:
                model = tables.from_row(table, row)
            except ValidationError as err:
                raise CorruptDocumentError(
                    f"{name}: {table} row {row.get('id')!r} is invalid ({friendly(err)})"
                ) from None
            except (ValueError, TypeError) as err:
                raise CorruptDocumentError(
                    f"{name}: {table} row {row.get('id')!r} is invalid ({str(err)[:80]})"
                ) from None
            found[model.id] = model  # type: ignore[attr-defined]
        rows[table] = found
    data = DocumentData.model_construct(**rows)
    problems = reference_problems(data)
    if problems:
        raise CorruptDocumentError(f"{name}: {problems[0]}")
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


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _dispose(conn: Connection | None, engine: Engine) -> None:
    if conn is not None:
        with contextlib.suppress(Exception):
            conn.close()
    engine.dispose()


def _is_db_error(err: BaseException) -> bool:
    return isinstance(err, sqlite3.Error | DBAPIError)


def _translate_write_error(err: BaseException, path: Path) -> BaseException:
    if not _is_db_error(err):
        return err
    orig = err.orig if isinstance(err, DBAPIError) else err
    text = str(orig)
    if "full" in text:
        return DiskFullError(f"The disk is full: the last edit to '{path.name}' was not saved")
    if "locked" in text or "busy" in text:
        return DocumentLockedError(f"'{path.name}' is locked by another program")
    if "readonly" in text or "read-only" in text:
        return ReadOnlyDocumentError(f"'{path.name}' cannot be written (read-only)")
    return CorruptDocumentError(f"Could not write '{path.name}': {text}")


__all__ = ["Change", "Document", "NotADocumentError"]
