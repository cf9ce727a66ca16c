"""Rows of a .cjm file as models: the format's numbers, the conversion between SQL rows and
the pydantic models, and the validated reading of every content table.

Nothing here imports SQLAlchemy: the tables themselves (:mod:`app.model.tables`) are only
needed to write, so reading a document for an export or a check
(:mod:`app.model.snapshot`) goes through the plain ``sqlite3`` connection and these
functions, and a ``waymark export`` never pays SQLAlchemy's import.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

from pydantic import TypeAdapter, ValidationError

from app.errors import CorruptDocumentError
from app.model import entities
from app.model.schema import ROW_TYPES, DocumentData, Strict, reference_problems

#: ``PRAGMA application_id``: 'WMRK' marks a SQLite file as a Waymark document.
APPLICATION_ID = 0x574D524B
#: ``PRAGMA user_version``: the schema version this Waymark writes.
SCHEMA_VERSION = 6

#: Model tables in parent-first order (inserts go this way, deletes the other).
MODEL_TABLES = entities.NAMES
#: Tables added by file format 4 (room mode); the migration from 3 creates them.
ROOM_TABLES = ("feelings", "room_participants", "room_receipts", "room_inbox", "room_voters")
_JSON_FIELDS = {e.name: e.json_fields for e in entities.ENTITIES if e.json_fields}
_FIELDS = {name: tuple(model.model_fields) for name, model in ROW_TYPES.items()}


def model_fields(table: str) -> tuple[str, ...]:
    """The column names of a model table (equal to its pydantic field names)."""
    return _FIELDS[table]


def to_row(table: str, values: dict[str, Any]) -> dict[str, Any]:
    """JSON-mode model values (as in history ops) -> SQL column values."""
    out = dict(values)
    for name in _JSON_FIELDS.get(table, ()):
        if name in out:
            out[name] = json.dumps(out[name], ensure_ascii=False, separators=(",", ":"))
    return out


def _decoded(table: str, values: dict[str, Any]) -> dict[str, Any]:
    """One SQL row's values as the model takes them (in place): JSON text -> lists and
    dicts, ISO dates -> dates, 0/1 -> flags. Raises ValueError on bad data."""
    for name in _JSON_FIELDS.get(table, ()):
        raw = values.get(name)
        if not isinstance(raw, str):
            raise ValueError(f"{name} is not JSON text")
        values[name] = [] if raw == "[]" else {} if raw == "{}" else json.loads(raw)
    if table == "maps" and isinstance(values.get("last_reviewed"), str):
        values["last_reviewed"] = dt.date.fromisoformat(values["last_reviewed"])
    elif table == "lanes" and values.get("collapsed") in (0, 1):
        values["collapsed"] = bool(values["collapsed"])
    return values


def from_row(table: str, row: dict[str, Any]) -> Strict:
    """An SQL row -> a validated model. Raises ValueError/ValidationError on bad data."""
    return ROW_TYPES[table].model_validate(_decoded(table, dict(row)))


_LIST_ADAPTERS: dict[str, TypeAdapter] = {}


def from_rows(table: str, keys: tuple[str, ...], rows: list[tuple]) -> list[Strict]:
    """Many SQL rows (tuples in ``keys`` order) of one table -> validated models, with one
    pydantic call.

    The same decoding as :func:`from_row`, then the model with all its validators. Raises
    ValueError, TypeError or ValidationError on bad data; the caller re-checks row by row
    (:func:`from_row`) to name the row.
    """
    values_list = [_decoded(table, dict(zip(keys, row, strict=True))) for row in rows]
    adapter = _LIST_ADAPTERS.get(table)
    if adapter is None:
        adapter = _LIST_ADAPTERS[table] = TypeAdapter(list[ROW_TYPES[table]])  # type: ignore[index]
    return adapter.validate_python(values_list)


def dump(model: Strict) -> dict[str, Any]:
    """A model -> its JSON-mode values (what history ops and snapshots carry)."""
    return model.model_dump(mode="json")


def friendly(err: ValidationError) -> str:
    """A pydantic error as one readable line: 'title: must not be empty'."""
    parts = []
    for item in err.errors()[:3]:
        where = ".".join(str(p) for p in item["loc"]) or "value"
        msg = item["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {msg}")
    return "; ".join(parts)


def read_rows(dbapi: sqlite3.Connection, name: str) -> dict[str, dict[int, Any]]:
    """Every row of every content table, validated by the models (table -> id -> model),
    inside the caller's read transaction; refuses a bad row, or a dangling reference, with
    one line naming it (CorruptDocumentError)."""
    rows: dict[str, dict[int, Any]] = {}
    for table in MODEL_TABLES:
        cursor = dbapi.execute(f'SELECT * FROM "{table}"')  # names from our own registry
        keys = tuple(d[0] for d in cursor.description)
        raw_rows = cursor.fetchall()
        found: dict[int, Any] = {}
        try:  # every row in one validation call
            for model in from_rows(table, keys, raw_rows):
                found[model.id] = model  # type: ignore[attr-defined]
        except (ValidationError, ValueError, TypeError, RecursionError):
            found = {}  # some row is bad: check row by row to name the first one
        else:
            rows[table] = found
            continue
        for raw in raw_rows:
            row = dict(zip(keys, raw, strict=True))
            try:
                model = from_row(table, row)
            except ValidationError as err:
                raise CorruptDocumentError(
                    f"{name}: {table} row {row.get('id')!r} is invalid ({friendly(err)})"
                ) from None
            except (ValueError, TypeError, RecursionError) as err:
                text = "nested too deeply" if isinstance(err, RecursionError) else str(err)
                raise CorruptDocumentError(
                    f"{name}: {table} row {row.get('id')!r} is invalid ({text[:80]})"
                ) from None
            found[model.id] = model  # type: ignore[attr-defined]
        rows[table] = found
    problems = reference_problems(DocumentData.model_construct(**rows))
    if problems:
        raise CorruptDocumentError(f"{name}: {problems[0]}")
    return rows
