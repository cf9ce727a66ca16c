"""The persistent undo history: steps of structured operations kept in the document file.

Each step is one row of the ``history`` table: a sequence number, the label
the user sees, the operations as validated JSON, and an optional merge key.
``meta`` holds ``head`` (the last applied step; steps after it are the redo
branch), ``clean`` (the step last exported or named) and ``limit``.

A step of any size is kept: operations beyond ``CHUNK_CHARS`` of JSON go to
numbered rows of ``history_parts`` (file format 6), each well under SQLite's
length limit, and are read back in order. The history keeps at most ``limit``
steps and at most ``MAX_HISTORY_CHARS`` of operations, dropping the oldest
applied steps first (the last step is always kept, whatever its size).

Undo reads one step and applies its inverse: the cost is that of the edit,
whatever the size of the document. Named versions (:mod:`app.model.versions`)
are the exception that keeps a snapshot: they are rare, chosen by the user, and
must survive the history limit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from app.errors import CorruptDocumentError
from app.model import ops as oplib
from app.model import tables
from app.model.ops import Op
from app.model.schema import clean_text

DEFAULT_LIMIT = 1000
HistorySnap = tuple[list[int], dict[int, str], dict[int, str | None], int, int, dict[int, int]]
#: JSON characters of operations per stored row (at most 4 bytes each in UTF-8: well under
#: SQLite's 16 MB length limit, which guards every read of a hostile file).
CHUNK_CHARS = 2 * 1024 * 1024
#: Operations the history keeps in all (JSON characters); the oldest steps go first.
MAX_HISTORY_CHARS = 512 * 1024 * 1024
MAX_LIMIT = 100_000
MAX_LABEL = 300


@dataclass(frozen=True)
class Step:
    """One entry of the undo history as the user sees it."""

    seq: int
    label: str
    merge_key: str | None
    applied: bool


def now() -> str:
    """The current UTC time as ISO text, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class History:
    """The in-memory index of the stored history (labels only; ops are read on demand)."""

    def __init__(self, steps: list[tuple[int, str, str | None]], meta: dict[str, str],
                 sizes: dict[int, int] | None = None) -> None:
        self.seqs = [s[0] for s in steps]
        #: JSON characters of each step's operations (for the history's size limit)
        self.sizes = {s: (sizes or {}).get(s, 0) for s in self.seqs}
        self.labels = {s[0]: s[1] for s in steps}
        self.keys = {s[0]: s[2] for s in steps}
        self.head = _int(meta, "head", 0)
        self.clean = _int(meta, "clean", -1)
        self.limit = min(max(_int(meta, "limit", DEFAULT_LIMIT), 1), MAX_LIMIT)
        if self.head and self.head not in self.labels:
            raise CorruptDocumentError("the undo history points at a missing step")

    # ------------------------------------------------------------- queries
    def steps(self) -> list[Step]:
        """Every stored step, oldest first."""
        return [
            Step(s, self.labels[s], self.keys[s], s <= self.head) for s in self.seqs
        ]

    def undo_seq(self) -> int | None:
        """The step undo would revert."""
        return self.head or None

    def redo_seq(self) -> int | None:
        """The step redo would re-apply."""
        for s in self.seqs:
            if s > self.head:
                return s
        return None

    def previous(self, seq: int) -> int:
        """The step before ``seq`` (0 at the start)."""
        i = self.seqs.index(seq)
        return self.seqs[i - 1] if i else 0

    # ------------------------------------------------------------- writing
    def load_ops(self, conn: Connection, seq: int) -> list[Op]:
        """The validated operations of one step (its row, then its parts in order)."""
        text = conn.execute(
            select(tables.history.c.ops).where(tables.history.c.seq == seq)
        ).scalar_one()
        ops = decode_step(seq, text)
        p = tables.history_parts
        for part in conn.execute(select(p.c.ops).where(p.c.seq == seq).order_by(p.c.part)):
            ops.extend(decode_step(seq, part.ops))
        return ops

    def _drop(self, conn: Connection, where: Any, parts_where: Any) -> None:
        conn.execute(delete(tables.history_parts).where(parts_where))
        conn.execute(delete(tables.history).where(where))

    def push(self, conn: Connection, label: str, ops: list[Op], key: str | None,
             meta: dict[str, str] | None = None, relabel: bool = False) -> bool:
        """Record a new step after ``head`` (dropping the redo branch); merge when the
        previous step has the same key. Returns True when it merged. ``meta``: more
        ``meta`` keys to write with the history's own (one statement). ``relabel``: a
        merged step takes ``label`` (a card typed key by key is named by its final text)."""
        h = tables.history
        redo = [s for s in self.seqs if s > self.head]
        if redo:
            self._drop(conn, h.c.seq > self.head, tables.history_parts.c.seq > self.head)
            self.seqs = self.seqs[: len(self.seqs) - len(redo)]
            for s in redo:
                self.sizes.pop(s, None)
            if self.clean > self.head:
                self.clean = -1
        label = clean_text(label)[:MAX_LABEL]
        if key is not None and self.head and self.keys.get(self.head) == key and (
            self.clean != self.head
        ):
            merged = merge(self.load_ops(conn, self.head), ops)
            chunks = _chunks(merged)
            values: dict[str, str] = {"ops": chunks[0]}
            if relabel:
                values["label"] = self.labels[self.head] = label
            conn.execute(update(h).where(h.c.seq == self.head).values(**values))
            self._store_parts(conn, self.head, chunks)
            self.sizes[self.head] = sum(map(len, chunks))
            self._write_meta(conn, meta)
            return True
        seq = (self.seqs[-1] if self.seqs else 0) + 1
        chunks = _chunks(ops)
        conn.exec_driver_sql(  # runs on every edit: a prepared statement, no compile step
            "INSERT INTO history (seq, label, ops, merge_key, created) VALUES (?, ?, ?, ?, ?)",
            (seq, label, chunks[0], key, now()),
        )
        if len(chunks) > 1:
            self._store_parts(conn, seq, chunks)
        self.sizes[seq] = sum(map(len, chunks))
        self.seqs.append(seq)
        self.labels[seq] = label
        self.keys[seq] = key
        self.head = seq
        self._trim(conn)
        self._write_meta(conn, meta)
        return False

    def set_head(self, conn: Connection, seq: int) -> None:
        """Move the head (after an undo or redo was applied)."""
        self.head = seq
        self._write_meta(conn)

    def set_limit(self, conn: Connection, limit: int) -> None:
        """Change how many steps are kept, trimming the oldest now."""
        self.limit = min(max(int(limit), 1), MAX_LIMIT)
        self._trim(conn)
        self._write_meta(conn)

    def mark_clean(self, conn: Connection) -> None:
        """Remember the current step as the clean state (exported or named)."""
        self.clean = self.head
        self._write_meta(conn)

    def _store_parts(self, conn: Connection, seq: int, chunks: list[str]) -> None:
        """Replace the step's parts with ``chunks[1:]`` (the row holds ``chunks[0]``)."""
        p = tables.history_parts
        conn.execute(delete(p).where(p.c.seq == seq))
        if len(chunks) > 1:
            conn.execute(insert(p), [{"seq": seq, "part": i, "ops": text}
                                     for i, text in enumerate(chunks[1:], start=1)])

    def _trim(self, conn: Connection) -> None:
        extra = len(self.seqs) - self.limit
        if extra > 0 and self.head <= self.seqs[extra - 1]:
            # never drop the redo branch's base under the head; trim only applied steps
            extra = 0
        # and at most MAX_HISTORY_CHARS of operations in all, oldest applied steps first
        total = sum(self.sizes.values())
        for s in self.seqs[:max(extra, 0)]:
            total -= self.sizes.get(s, 0)
        while (total > MAX_HISTORY_CHARS and extra < len(self.seqs) - 1
               and self.seqs[extra] < self.head):
            total -= self.sizes.get(self.seqs[extra], 0)
            extra += 1
        if extra <= 0:
            return
        drop = self.seqs[:extra]
        keep_from = drop[-1]
        self._drop(conn, tables.history.c.seq <= keep_from,
                   tables.history_parts.c.seq <= keep_from)
        self.seqs = self.seqs[extra:]
        for s in drop:
            self.labels.pop(s, None)
            self.keys.pop(s, None)
            self.sizes.pop(s, None)
        if self.clean != -1 and self.clean <= keep_from:
            self.clean = -1

    def _write_meta(self, conn: Connection, extra: dict[str, str] | None = None) -> None:
        write_meta(conn, {"head": str(self.head), "clean": str(self.clean),
                          "limit": str(self.limit), **(extra or {})})

    def snapshot(self) -> HistorySnap:
        """Everything needed to roll this index back after a failed transaction."""
        return (list(self.seqs), dict(self.labels), dict(self.keys), self.head, self.clean,
                dict(self.sizes))

    def restore(self, snap: HistorySnap) -> None:
        """Undo in-memory changes made during a rolled-back transaction."""
        self.seqs, self.labels, self.keys, self.head, self.clean, self.sizes = snap


def _chunks(ops: list[Op]) -> list[str]:
    """The JSON of a step as one or more texts of at most about ``CHUNK_CHARS`` each, each
    a list of whole operations (the common small step is one text, encoded once)."""
    text = oplib.encode(ops)
    if len(text) <= CHUNK_CHARS:
        return [text]
    out: list[str] = []
    pending: list[str] = []
    size = 0
    for op in ops:
        one = oplib.encode([op])[1:-1]
        if pending and size + len(one) > CHUNK_CHARS:
            out.append("[" + ",".join(pending) + "]")
            pending, size = [], 0
        pending.append(one)
        size += len(one) + 1
    out.append("[" + ",".join(pending) + "]")
    return out


def merge(first: list[Op], second: list[Op]) -> list[Op]:
    """One op list equivalent to ``first`` then ``second`` (updates of a row fold together)."""
    out = list(first)
    index = {(o.table, o.id): i for i, o in enumerate(out) if o.kind == "update"}
    for op in second:
        i = index.get((op.table, op.id))
        if op.kind == "update" and i is not None:
            prev = out[i]
            before = dict(prev.before or {})
            after = dict(prev.after or {})
            for k, v in (op.before or {}).items():
                before.setdefault(k, v)
            after.update(op.after or {})
            for k in [k for k in after if before.get(k) == after[k]]:
                before.pop(k)
                after.pop(k)
            out[i] = Op("update", op.table, op.id, before, after)
        else:
            out.append(op)
    return [o for o in out if not (o.kind == "update" and not o.after)]


def decode_step(seq: int, text: object) -> list[Op]:
    """Validate one stored step; a bad one is a CorruptDocumentError naming the row."""
    try:
        if not isinstance(text, str):
            raise ValueError("not text")
        return oplib.decode(text)
    except (ValueError, ValidationError) as err:
        first = str(err).splitlines()[0][:120]
        raise CorruptDocumentError(f"history row {seq} is invalid ({first})") from None


_UPSERT_META = (
    "INSERT INTO meta (key, value) VALUES (?, ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)


def write_meta(conn: Connection, values: dict[str, str]) -> None:
    """Upsert ``meta`` keys (one prepared statement: this runs on every edit)."""
    conn.exec_driver_sql(_UPSERT_META, list(values.items()))


def _int(meta: dict[str, str], key: str, default: int) -> int:
    raw = meta.get(key)
    if raw is None:
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise CorruptDocumentError(f"meta row {key!r} is not a number") from None
    if not -1 <= value <= 2**62:
        raise CorruptDocumentError(f"meta row {key!r} is out of range")
    return value
