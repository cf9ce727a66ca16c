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
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from app import tempfiles
from app.errors import (
    CommandError,
    CorruptDocumentError,
    DiskFullError,
    DocumentChangedError,
    DocumentLockedError,
    LimitError,
    NotADocumentError,
    ReadOnlyDocumentError,
    WaymarkError,
)
from app.model import backups, fileformat, limits, opening, tables
from app.model import versions as named
from app.model.commands import ChangeSettings, Command, ReplaceContent, friendly, quote
from app.model.history import History, Step, now, write_meta
from app.model.opening import Session
from app.model.ops import Op, invert, write
from app.model.schema import Blob, DocumentData
from app.model.state import Change, State
from app.model.templates import load_template
from app.model.versions import Version

log = logging.getLogger(__name__)
Listener = Callable[[Change], None]


class Document:
    """An open journey-map document. Create with :meth:`create` or :meth:`open`."""

    def __init__(self, session: Session) -> None:
        #: The open file: connection, loaded state and history (replaced whole by Save As).
        self._session = session
        self._listeners: list[Listener] = []
        self._detach_listeners: list[Callable[[str], None]] = []
        self._held: Change | None = None
        #: Changes committed inside a deferring hold and not yet told (flush_notifications).
        self._deferred: Change | None = None
        self._macro: _Macro | None = None
        self._tx_ops: list[Op] | None = None
        #: Inside :meth:`batch`: what its steps changed (told once it is committed) and the
        #: callbacks waiting for its commit (:meth:`durable`).
        self._batch: Change | None = None
        self._batch_waiting: list[Callable[[BaseException | None], None]] = []
        #: Why the batch's transaction is gone (SQLite rolls a whole transaction back on
        #: some errors, a full disk among them): its later steps refuse, its end raises.
        self._batch_lost: BaseException | None = None

    @property
    def path(self) -> Path:
        """The document's file."""
        return self._session.path

    @property
    def read_only(self) -> bool:
        """True when edits are refused (a locked, read-only or older file's view, or a file
        another program changed under this document)."""
        return self._session.read_only or bool(self._session.detached)

    @property
    def note(self) -> str:
        """Why the document is read-only, or other news for the user ("" when none)."""
        return self._session.detached or self._session.note

    @property
    def detached(self) -> str:
        """Why edits stopped because another program replaced, truncated or wrote the
        file ('' while the file is this document's). The content up to the last
        acknowledged edit is still here: Save As keeps it."""
        return self._session.detached

    def on_detached(self, listener: Callable[[str], None]) -> Callable[[], None]:
        """Call ``listener(reason)`` once when the file is found changed under this
        document (the window offers Save As); returns the unsubscribe function."""
        self._detach_listeners.append(listener)
        return lambda: (self._detach_listeners.remove(listener)
                        if listener in self._detach_listeners else None)

    @property
    def _conn(self) -> Connection:
        return self._session.conn

    @property
    def _state(self) -> State:
        return self._session.state

    @property
    def _history(self) -> History:
        return self._session.history

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
        from app.model.commands import seed_ops

        ops = seed_ops(self._state, data)
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
        See :mod:`app.model.opening`.
        """
        return cls(opening.open_session(Path(path), read_only=read_only))

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
        try:
            row = self._conn.execute(
                select(tables.blobs).where(tables.blobs.c.hash == digest)
            ).mappings().first()
        except DBAPIError as err:  # e.g. a 200 MB value: past SQLite's length limit
            raise CorruptDocumentError(
                f"image {digest[:12]} of '{self.path.name}' cannot be read "
                f"({' '.join(str(err.orig).split())[:80]})") from None
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
    def execute(self, command: Command, *,
                record: Callable[[Connection, Change], None] | None = None) -> Change:
        """Apply ``command`` durably as one undo step. Raises CommandError, nothing changed.

        ``record(conn, change)`` writes rows outside the undo history (a room's receipt of
        the contribution) in the same transaction: both are on disk, or neither.
        """
        self._check_writable()
        if self._macro is not None:
            change = self._macro.run(command)
            if record is not None:
                record(self._conn, change)
            return change
        with self.macro(None) as macro:
            change = macro.run(command)
            if record is not None:
                record(self._conn, change)
        return macro.change

    def write_side(self, write: Callable[[Connection], Any]) -> Any:
        """Run ``write(conn)`` in one durable transaction, outside the undo history (room
        participants, receipts, inbox); returns what it returns."""
        self._check_writable()
        if self._macro is not None:
            return write(self._conn)
        with self._transaction(notify_history=False):
            return write(self._conn)

    def read_side(self, read: Callable[[Connection], Any]) -> Any:
        """Run ``read(conn)`` against the file (tables the content model does not mirror)."""
        return read(self._conn)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Several edits, each still its own undo step (and its own refusal: a failing one
        leaves the others), written in ONE transaction committed at the end: one fsync for
        a burst of room contributions instead of one each.

        Nothing inside is durable until the batch ends, so whoever must wait for the disk
        (a participant's acknowledgement) waits with :meth:`durable`; listeners hear the
        batch's changes only after its commit. When the commit fails, every edit of the
        batch is undone (file and memory), the waiting callbacks get the error, the
        listeners hear nothing, and the error is raised.
        """
        if self._batch is not None or self._macro is not None:
            yield  # already inside one transaction
            return
        try:
            self._check_writable()
            writable = True
        except WaymarkError:
            writable = False
        if not writable:
            yield  # each edit inside refuses itself, as outside a batch
            return
        change = self._batch = Change(history=False)
        waiting = self._batch_waiting = []
        error: BaseException | None = None
        try:
            with self._transaction():
                yield
                if self._batch_lost is not None:  # SQLite rolled all of it back already
                    raise self._batch_lost
        except BaseException as err:
            error = err
            raise
        finally:
            self._batch, self._batch_waiting, self._batch_lost = None, [], None
            for callback in waiting:
                try:
                    callback(error)
                except Exception:
                    log.exception("durable callback failed")
            if error is None and (change or change.history):
                self._notify(change)

    def durable(self, callback: Callable[[BaseException | None], None]) -> None:
        """Call ``callback(None)`` once what was written so far is on disk: at once outside
        a :meth:`batch`, at its commit inside one (``callback(error)`` if that failed and
        the batch's edits were undone)."""
        if self._batch is None:
            callback(None)
        else:
            self._batch_waiting.append(callback)

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
                                       {"next_id": str(self._state.next_id)},
                                       relabel=macro.relabel and macro.count == 1)
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

    # ============================================================ settings
    def setting(self, key: str) -> str | None:
        """A document-wide setting (e.g. ``poster_font``): a row of the content."""
        for row in self.data.settings.values():
            if row.key == key:
                return row.value
        return None

    def set_setting(self, key: str, value: str | None, label: str | None = None) -> Change:
        """Store (or with None remove) a document-wide setting, as one undoable step
        (named ``label``, else "Change document settings")."""
        return self.set_settings({key: value}, label)

    def set_settings(self, values: dict[str, str | None], label: str | None = None) -> Change:
        """Store (None: remove) several settings as one undoable step named ``label``."""
        return self.execute(ChangeSettings(values, label or "Change document settings"))

    # ============================================================ versions
    def name_version(self, name: str) -> Version:
        """Save the current content as a named version ("Q3 review")."""
        self._check_writable()
        name = named.clean_name(name)
        too_many = limits.count_problem_versions(len(self.versions()) + 1)
        if too_many:
            raise LimitError(f"Version not named: {too_many}; delete one first")
        with self._transaction():
            version = named.add(self._conn, name, self.data)
            self._history.mark_clean(self._conn)
        return version

    def versions(self) -> list[Version]:
        """Named versions, oldest first."""
        return named.listed(self._conn)

    def version_data(self, version_id: int) -> DocumentData:
        """The validated content of a named version."""
        return named.content(self._conn, version_id)

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
            named.remove(self._conn, version_id)

    # ============================================================ files
    def save_as(self, path: str | Path, *, switch: bool = True) -> None:
        """Write a complete copy to ``path`` (backup API, temp file, rename).

        With ``switch`` the document continues in the new file (the old one
        is left as it was); a read-only document becomes editable there.
        """
        dest = Path(path).resolve()
        session = self._session
        if dest == self.path.resolve() and not session.in_memory and not session.detached:
            return
        if not dest.parent.is_dir():
            raise WaymarkError(f"the folder of '{dest.name}' does not exist")
        if tempfiles.too_long(dest, len("-journal")):
            raise WaymarkError(f"'{dest.name[:60]}…' is too long a name: SQLite keeps a "
                               "journal beside the file while saving; choose a shorter one")
        try:
            if session.detached and not session.intact():
                self._save_from_memory(dest)  # the file is damaged: what this window holds
            else:  # the whole file (history, versions, images) through SQLite's backup API
                fileformat.backup_to(fileformat.raw(self._conn), dest)
        except OSError as err:
            raise WaymarkError(f"could not write '{dest.name}': {err.strerror}") from None
        except DBAPIError as err:
            raise WaymarkError(f"could not write '{dest.name}': "
                               f"{' '.join(str(err.orig).split())[:80]}") from None
        if not switch:
            return
        fresh = opening.open_session(dest)
        self._session.close()
        self._session = fresh
        self._notify(Change(history=True))

    def _save_from_memory(self, dest: Path) -> None:
        """Write what this document holds to a new file at ``dest``: the content, with the
        images that can still be read (the undo history and versions were in the file)."""
        blobs: dict[str, Blob] = {}
        data = self.data
        images = {p.photo for p in data.personas.values() if p.photo}
        for digest in images | {c.image for c in data.cards.values() if c.image}:
            with contextlib.suppress(WaymarkError, DBAPIError, sqlite3.Error):
                found = self.blob(digest)
                if found is not None:
                    blobs[digest] = found
        tmp = tempfiles.sibling(dest, ".cjm")
        try:
            tmp.unlink()
            with Document.create_from(tmp, self.data, blobs):
                pass
            os.replace(tmp, dest)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def close(self) -> None:
        """Close the file; afterwards it is one self-contained file (no journal beside it)."""
        session = self._session
        if session.closed:
            return
        if session.edited and not session.read_only and not session.detached:
            try:
                backups.write_backup(fileformat.raw(session.conn), session.path)
            except (OSError, sqlite3.Error):
                log.warning("could not write a backup of %s", session.path, exc_info=True)
        session.close()
        session.closed = True

    def __enter__(self) -> Document:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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

    @contextlib.contextmanager
    def notifications_held(self, *, defer: bool = False) -> Iterator[None]:
        """Commits inside still happen one by one (each durable, each its own undo step),
        but listeners hear them once, merged, at the end: a burst of room contributions
        lays the canvas out and reloads the panels once instead of once per commit.

        ``defer``: not even at the end; the merged change waits for
        :meth:`flush_notifications` (the room's GUI owner tells its views a few times a
        second during a burst, however many slices of commits it runs). Any other commit,
        undo or redo tells the waiting change first, merged with its own, so a listener
        never hears a later edit before an earlier one.
        """
        if self._held is not None:
            yield
            return
        held = self._held = Change(history=False)
        try:
            yield
        finally:
            self._held = None
            if held or held.history:
                if defer:
                    self._defer(held)
                else:
                    self._notify(held)

    @property
    def notifications_waiting(self) -> bool:
        """Whether committed changes wait for :meth:`flush_notifications`."""
        return self._deferred is not None

    def flush_notifications(self) -> bool:
        """Tell the listeners the changes deferred so far (merged); False when none."""
        if self._deferred is None or self._held is not None:
            return False
        change, self._deferred = self._deferred, None
        self._notify(change)
        return True

    def _defer(self, change: Change) -> None:
        if self._deferred is None:
            self._deferred = change
        else:
            _merge_change(self._deferred, change)
            self._deferred.history = self._deferred.history or change.history

    def _notify(self, change: Change) -> None:
        if self._batch is not None:  # told once the batch is committed
            _merge_change(self._batch, change)
            self._batch.history = self._batch.history or change.history
            return
        if self._held is not None:
            _merge_change(self._held, change)
            self._held.history = self._held.history or change.history
            return
        if self._deferred is not None:  # earlier commits first: one merged change
            waiting, self._deferred = self._deferred, None
            _merge_change(waiting, change)
            waiting.history = waiting.history or change.history
            change = waiting
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:  # a broken view must not undo a committed edit
                log.exception("change listener failed")

    # ============================================================ internals
    def _check_writable(self) -> None:
        if self._session.closed:
            raise ReadOnlyDocumentError("The document is closed")
        if self._session.detached:
            raise ReadOnlyDocumentError(self._session.detached)
        if self.read_only:
            raise ReadOnlyDocumentError(
                self.note or f"'{self.path.name}' is open read-only; use Save As to edit a copy"
            )
        if self._macro is None:
            what = self._session.changed_on_disk()
            if what:
                raise self._detach(f"{what}; nothing was written", before=True)

    def _detach(self, what: str, *, before: bool) -> DocumentChangedError:
        """Stop writing a file that changed under this document; keep what it holds."""
        kept = ("this window keeps everything up to the last saved edit" if before else
                "your last edit is not in it, and this window keeps everything before it")
        reason = f"{what}; {kept}: use Save As to keep your map"
        self._session.detached = reason
        for listener in list(self._detach_listeners):
            try:
                listener(reason)
            except Exception:  # a view must not stop the refusal
                log.exception("detach listener failed")
        return DocumentChangedError(reason)

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
        """BEGIN IMMEDIATE ... COMMIT; on any error roll back the file and the memory.
        Inside a :meth:`batch`: a savepoint of the batch's transaction (an error rolls back
        this step only)."""
        if self._batch is not None and self._tx_ops is not None:
            with self._savepoint() as change:
                yield change
            return
        dbapi = fileformat.raw(self._conn)
        change = Change(history=True)
        history_snap = self._history.snapshot()
        next_id = self._state.next_id
        self._tx_ops = []
        committed = False
        try:
            dbapi.execute("BEGIN IMMEDIATE")
            yield change
            dbapi.execute("COMMIT")
            committed = True
            self._session.edited = True
            self._acknowledge()
        except BaseException as err:
            if not committed:
                with contextlib.suppress(sqlite3.Error):
                    if dbapi.in_transaction:
                        dbapi.execute("ROLLBACK")
                self._settle()
            if self._tx_ops:
                self._state.apply(invert(self._tx_ops), Change())
            self._state.next_id = next_id
            self._history.restore(history_snap)
            if _is_db_error(err):
                raise _translate_write_error(err, self.path) from None
            raise
        finally:
            self._tx_ops = None

    def _acknowledge(self) -> None:
        """After a commit, before the edit is reported done: the commit went into the file
        at the document's path, whole. Otherwise the edit is not acknowledged (memory goes
        back to the edit before) and the document stops writing."""
        session = self._session
        lock = session.lock
        if lock is None:
            return
        name = fileformat.describe(self.path)
        try:
            mark = lock.read_mark()
            header = os.pread(lock.fd, 100, 0)
        except OSError as err:
            raise self._detach(f"{name} can no longer be read ({err.strerror})",
                               before=False) from None
        if opening.identity(self.path) != session.identity:
            raise self._detach(f"{name} was replaced or removed by another program while "
                               "the edit was saved", before=False)
        pages = int.from_bytes(header[28:32], "big")
        page = int.from_bytes(header[16:18], "big")
        page = 65536 if page == 1 else page
        if len(header) < 100 or mark.size < pages * page:
            raise self._detach(f"{name} was truncated by another program while the edit "
                               "was saved", before=False)
        lock.mark = mark

    def _settle(self) -> None:
        """After a failed write (a full disk): make sure SQLite rolled the file back, so it
        is byte for byte what it was, with no journal beside it. SQLite plays a journal it
        left (its pager stopped in an error state) back on the next read; failing that, a
        new connection does."""
        session = self._session
        if session.lock is None or session.lock.mark is None:
            return
        journal = Path(f"{session.path}-journal")

        def settled() -> bool:
            try:
                return not journal.exists() and session.lock.read_mark() == session.lock.mark  # type: ignore[union-attr]
            except OSError:
                return False

        for _attempt in range(2):
            if settled():
                return
            with contextlib.suppress(sqlite3.Error, DBAPIError):
                self._conn.exec_driver_sql("SELECT count(*) FROM meta").all()
        if settled():
            return
        with contextlib.suppress(sqlite3.Error, DBAPIError):
            self._conn.close()
        session.engine.dispose()
        session.engine = fileformat.make_engine(session.path, mode="rw")
        session.conn = fileformat.connect(session.engine)
        with contextlib.suppress(sqlite3.Error, DBAPIError):
            session.conn.exec_driver_sql("SELECT count(*) FROM meta").all()
        if not settled():
            log.warning("%s could not be rolled back after a failed write", session.path)

    @contextlib.contextmanager
    def _savepoint(self) -> Iterator[Change]:
        """One step of a batch: on any error roll back this step, file and memory."""
        assert self._tx_ops is not None
        if self._batch_lost is not None:
            raise self._batch_lost
        dbapi = fileformat.raw(self._conn)
        change = Change(history=True)
        history_snap = self._history.snapshot()
        next_id = self._state.next_id
        mark = len(self._tx_ops)
        try:
            dbapi.execute("SAVEPOINT waymark_step")
            yield change
            dbapi.execute("RELEASE waymark_step")
        except BaseException as err:
            with contextlib.suppress(sqlite3.Error):
                if dbapi.in_transaction:
                    dbapi.execute("ROLLBACK TO waymark_step")
                    dbapi.execute("RELEASE waymark_step")
            undone = self._tx_ops[mark:]
            del self._tx_ops[mark:]
            if undone:
                self._state.apply(invert(undone), Change())
            self._state.next_id = next_id
            self._history.restore(history_snap)
            error = _translate_write_error(err, self.path) if _is_db_error(err) else err
            if not dbapi.in_transaction:  # the whole batch is gone, not just this step
                self._batch_lost = error
            if error is err:
                raise
            raise error from None


class _Macro:
    """Collects the operations of one or more commands inside one transaction."""

    def __init__(self, doc: Document, label: str | None) -> None:
        self.doc = doc
        self.label = label
        self.ops: list[Op] = []
        self.count = 0
        self.key: str | None = None
        self.relabel = False
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
        too_big = limits.growth_problem(
            state.rows, ((o.table, o.after) for o in ops if o.kind == "insert"))
        if too_big:  # counted on the state as it would be after the edit
            state.next_id = next_id
            raise LimitError(f"Edit refused: {too_big}")
        change = Change()
        if command.blobs():
            self.doc._store_blobs(command.blobs())
        self.doc._apply(ops, change)
        _merge_change(self.change, change)
        if ops:
            self.ops.extend(ops)
            self.count += 1
            self.key = command.merge_key
            self.relabel = command.relabel
            if self.label is None:
                self.label = label
        return change


def _merge_change(target: Change, source: Change) -> None:
    for name in ("added", "updated", "removed"):
        for table, ids in getattr(source, name).items():
            getattr(target, name).setdefault(table, set()).update(ids)


def _is_db_error(err: BaseException) -> bool:
    return isinstance(err, sqlite3.Error | DBAPIError)


def _translate_write_error(err: BaseException, path: Path) -> BaseException:
    if not _is_db_error(err):
        return err
    orig = err.orig if isinstance(err, DBAPIError) else err
    text = str(orig)
    if "full" in text:
        return DiskFullError(f"The disk is full: the last edit to '{path.name}' was not saved")
    if "disk I/O error" in text:  # e.g. past a size limit (EFBIG), or a failing disk
        return DiskFullError(f"The disk could not be written: the last edit to "
                             f"'{path.name}' was not saved")
    if "too big" in text:
        return CommandError(f"Edit refused: it is larger than '{path.name}' can hold")
    if "locked" in text or "busy" in text:
        return DocumentLockedError(f"'{path.name}' is locked by another program")
    if "readonly" in text or "read-only" in text:
        return ReadOnlyDocumentError(f"'{path.name}' cannot be written (read-only)")
    return CorruptDocumentError(f"Could not write '{path.name}': {text}")


__all__ = ["Change", "Document", "NotADocumentError"]
