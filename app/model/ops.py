"""Structured row operations: the unit of change, of undo and of persisted history.

Every command is planned as a list of :class:`Op` (insert, delete or update of
one row, with the values before and after). Applying a list and then its
:func:`invert`-ed list returns exactly the same state, which is how undo works,
at a cost proportional to the edit, never to the document.

History is stored as these operations in JSON, never as SQL text. When a file
is opened, every stored operation is validated (:class:`OpRecord`): known
table, known columns, integer id; the values themselves are validated again
by the row models when an undo or redo applies them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator
from sqlalchemy import bindparam, delete, insert, update
from sqlalchemy.engine import Connection

from app.model import entities, tables
from app.model.schema import MAX_ID, ROW_TYPES, Strict

OpKind = Literal["insert", "delete", "update"]
#: The name of a table of content (:data:`app.model.entities.NAMES`).
TableName = Literal[entities.NAMES]  # type: ignore[valid-type]


@dataclass(frozen=True, slots=True)
class Op:
    """One row change. ``before``/``after`` hold JSON-mode values.

    insert: ``after`` is the whole row; delete: ``before`` is the whole row;
    update: both hold just the changed fields.
    """

    kind: OpKind
    table: str
    id: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def inverse(self) -> Op:
        """The operation that undoes this one."""
        kind: OpKind = {"insert": "delete", "delete": "insert", "update": "update"}[self.kind]  # type: ignore[assignment]
        return Op(kind, self.table, self.id, self.after, self.before)


def invert(ops: list[Op]) -> list[Op]:
    """The operations that undo ``ops``, in the order to apply them."""
    return [op.inverse() for op in reversed(ops)]


class OpRecord(BaseModel):
    """Validation of one stored operation read back from a (possibly hostile) file."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["insert", "delete", "update"]
    table: TableName
    id: int = Field(strict=True, ge=1, le=MAX_ID)
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @model_validator(mode="after")
    def _shape(self) -> OpRecord:
        fields = set(tables.model_fields(self.table))
        for side in (self.before, self.after):
            if side is not None and not set(side) <= fields:
                raise ValueError(f"unknown columns {sorted(set(side) - fields)[:3]}")
        if self.kind == "insert" and (self.after is None or self.before is not None):
            raise ValueError("an insert carries only the row after")
        if self.kind == "delete" and (self.before is None or self.after is not None):
            raise ValueError("a delete carries only the row before")
        if self.kind == "update" and (
            self.before is None or self.after is None or set(self.before) != set(self.after)
        ):
            raise ValueError("an update carries the same fields before and after")
        for side in (self.before, self.after):
            if side is not None and "id" in side and side["id"] != self.id:
                raise ValueError("row id does not match the operation's id")
        return self


_RECORDS = TypeAdapter(list[OpRecord])


def encode(ops: list[Op]) -> str:
    """Ops -> the JSON text stored in the history table."""
    return json.dumps(
        [[o.kind, o.table, o.id, o.before, o.after] for o in ops],
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    )


def decode(text: str) -> list[Op]:
    """JSON text from the history table -> validated ops. Raises ValueError."""
    try:
        raw = json.loads(text)
    except RecursionError:  # deeply nested lists from a hostile file
        raise ValueError("nested too deeply") from None
    if not isinstance(raw, list) or not all(isinstance(r, list) and len(r) == 5 for r in raw):
        raise ValueError("history entry is not a list of operations")
    records = _RECORDS.validate_python(
        [dict(zip(("kind", "table", "id", "before", "after"), r, strict=True)) for r in raw]
    )
    return [Op(r.kind, r.table, r.id, r.before, r.after) for r in records]


def row_of(table: str, values: dict[str, Any]) -> Strict:
    """Validate JSON-mode values as a row of ``table``."""
    return ROW_TYPES[table].model_validate(values)


def write(conn: Connection, ops: list[Op]) -> None:
    """Apply ``ops`` to the database (inside the caller's transaction).

    Consecutive operations of one kind on one table go to SQLite as one
    executemany (an import of 10,000 cards is one statement, not 10,000), in
    the original order, so foreign keys hold at every step.
    """
    for kind, table_name, _keys, group in _batches(ops):
        table = tables.TABLES[table_name]
        if kind == "insert":
            conn.execute(insert(table), [tables.to_row(table_name, o.after or {}) for o in group])
        elif kind == "delete":
            ids = [o.id for o in group]
            for start in range(0, len(ids), 500):
                conn.execute(delete(table).where(table.c.id.in_(ids[start : start + 500])))
        else:
            columns = tuple(group[0].after or {})
            if columns and set(columns) <= _columns(table_name) and "id" not in columns:
                # The common edit (a move renumbers a whole cell): one prepared UPDATE,
                # executemany on the driver, no statement building per edit. Column
                # names are checked against the schema above, values are bound.
                sql = _update_sql(table_name, columns)
                params = []
                for o in group:
                    values = tables.to_row(table_name, o.after or {})
                    params.append((*(values[k] for k in columns), o.id))
                conn.exec_driver_sql(sql, params)
                continue
            rows = []
            for o in group:
                values = tables.to_row(table_name, o.after or {})
                rows.append({"_id": o.id, **{f"_v_{k}": v for k, v in values.items()}})
            columns_bind = {k: bindparam(f"_v_{k}") for k in (group[0].after or {})}
            stmt = update(table).where(table.c.id == bindparam("_id")).values(columns_bind)
            conn.execute(stmt, rows)


_COLUMNS: dict[str, frozenset[str]] = {}
_UPDATE_SQL: dict[tuple[str, tuple[str, ...]], str] = {}


def _columns(table: str) -> frozenset[str]:
    found = _COLUMNS.get(table)
    if found is None:
        found = _COLUMNS[table] = frozenset(tables.model_fields(table))
    return found


def _update_sql(table: str, columns: tuple[str, ...]) -> str:
    """``UPDATE table SET a = ?, b = ? WHERE id = ?`` for schema columns (cached)."""
    key = (table, columns)
    sql = _UPDATE_SQL.get(key)
    if sql is None:
        assert table in tables.MODEL_TABLES and set(columns) <= _columns(table)
        sets = ", ".join(f'"{c}" = ?' for c in columns)
        sql = _UPDATE_SQL[key] = f'UPDATE "{table}" SET {sets} WHERE id = ?'
    return sql


def _batches(ops: list[Op]) -> list[tuple[str, str, frozenset[str], list[Op]]]:
    out: list[tuple[str, str, frozenset[str], list[Op]]] = []
    for op in ops:
        keys = frozenset(op.after or {}) if op.kind == "update" else frozenset()
        if out and out[-1][:3] == (op.kind, op.table, keys):
            out[-1][3].append(op)
        else:
            out.append((op.kind, op.table, keys, [op]))
    return out
