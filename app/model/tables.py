"""The .cjm file's tables (SQLAlchemy Core) and the conversion between rows and models.

One SQLite database per document. Lists and dicts (tags, goals, metrics) are
stored as JSON text; dates as ISO text; images in ``blobs`` by SHA-256 so
history entries and snapshots only carry a hash.

Foreign keys are declared (and enforced with ``PRAGMA foreign_keys=ON``) so a
bug can never leave a card pointing at a missing stage.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from app.model.schema import ROW_TYPES, Strict

#: ``PRAGMA application_id``: 'WMRK' marks a SQLite file as a Waymark document.
APPLICATION_ID = 0x574D524B
#: ``PRAGMA user_version``: the schema version this Waymark writes.
SCHEMA_VERSION = 4

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)

personas = Table(
    "personas",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("quote", Text, nullable=False),
    Column("goals", Text, nullable=False),
    Column("frustrations", Text, nullable=False),
    Column("motivations", Text, nullable=False),
    Column("photo", String, ForeignKey("blobs.hash")),
)

maps = Table(
    "maps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("persona_id", Integer, ForeignKey("personas.id")),
    Column("experience_goals", Text, nullable=False),
    Column("owner", Text, nullable=False),
    Column("last_reviewed", String),
    Column("review_interval_days", Integer, nullable=False),
    Column("position", Integer, nullable=False),
)

stages = Table(
    "stages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("map_id", Integer, ForeignKey("maps.id"), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("phase", Text, nullable=False),
    Column("colour", String),
)

lanes = Table(
    "lanes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("map_id", Integer, ForeignKey("maps.id"), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("kind", String, nullable=False),
    Column("position", Integer, nullable=False),
    Column("collapsed", Boolean, nullable=False),
)

cards = Table(
    "cards",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("map_id", Integer, ForeignKey("maps.id"), nullable=False, index=True),
    Column("stage_id", Integer, ForeignKey("stages.id"), nullable=False, index=True),
    Column("lane_id", Integer, ForeignKey("lanes.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("kind", String, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("device", Text, nullable=False),
    Column("owner", Text, nullable=False),
    Column("emotion", Integer),
    Column("tags", Text, nullable=False),
    Column("colour", String),
    Column("votes", Integer, nullable=False),
    Column("source", String),
    Column("metrics", Text, nullable=False),
    Column("image", String, ForeignKey("blobs.hash")),
    Column("author", Text, nullable=False, server_default=""),  # file format 2
    Column("cluster_id", Integer, ForeignKey("clusters.id")),  # file format 3
)

links = Table(
    "links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("map_id", Integer, ForeignKey("maps.id"), nullable=False, index=True),
    Column("source_id", Integer, ForeignKey("cards.id"), nullable=False, index=True),
    Column("target_id", Integer, ForeignKey("cards.id"), nullable=False, index=True),
    Column("persona_id", Integer, ForeignKey("personas.id")),
    Column("label", Text, nullable=False),
)

clusters = Table(
    "clusters",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("map_id", Integer, ForeignKey("maps.id"), nullable=False, index=True),
    Column("label", Text, nullable=False),
    Column("colour", String),
)

voters = Table(
    "voters",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("map_id", Integer, ForeignKey("maps.id"), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("budget", Integer, nullable=False),
    Column("position", Integer, nullable=False),
)

dots = Table(
    "dots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("map_id", Integer, ForeignKey("maps.id"), nullable=False, index=True),
    Column("voter_id", Integer, ForeignKey("voters.id"), nullable=False, index=True),
    Column("card_id", Integer, ForeignKey("cards.id"), nullable=False, index=True),
)

blobs = Table(
    "blobs",
    metadata,
    Column("hash", String, primary_key=True),
    Column("mime", String, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

history = Table(
    "history",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("label", Text, nullable=False),
    Column("ops", Text, nullable=False),  # JSON list of structured operations, never SQL
    Column("merge_key", String),
    Column("created", String, nullable=False),
)

versions = Table(
    "versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("created", String, nullable=False),
    Column("snapshot", LargeBinary, nullable=False),  # zlib-compressed DocumentData JSON
)

# -- room mode (file format 4): a participant's feeling per stage is an undoable row --
feelings = Table(
    "feelings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("map_id", Integer, ForeignKey("maps.id"), nullable=False, index=True),
    Column("stage_id", Integer, ForeignKey("stages.id"), nullable=False, index=True),
    Column("participant_id", Integer, nullable=False),
    Column("score", Integer, nullable=False),
)

# -- room mode, outside the undo history: who joined, what was received, what waits --
room_participants = Table(
    "room_participants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("token_hash", String, unique=True),  # SHA-256 of the participant's token; NULL: dead
    Column("joined", String, nullable=False),
    Column("removed", Boolean, nullable=False),
)

room_receipts = Table(
    "room_receipts",  # idempotency keys: a retried contribution is answered, never re-applied
    metadata,
    Column("participant_id", Integer, primary_key=True, autoincrement=False),
    Column("key", String, primary_key=True),
    Column("kind", String, nullable=False),
    Column("result", Text, nullable=False),  # JSON answer sent back on a retry
    Column("created", String, nullable=False),
)

room_inbox = Table(
    "room_inbox",  # ideas waiting for the facilitator (inbox mode) or the reveal (silent)
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("participant_id", Integer, nullable=False, index=True),
    Column("map_id", Integer, nullable=False),
    Column("payload", Text, nullable=False),  # JSON of the validated idea
    Column("status", String, nullable=False),  # pending, held, accepted, merged, discarded
    Column("card_id", Integer),
    Column("created", String, nullable=False),
)

room_voters = Table(
    "room_voters",  # which voter (app.model.voting) places a participant's dots on a map
    metadata,
    Column("voter_id", Integer, primary_key=True, autoincrement=False),
    Column("participant_id", Integer, nullable=False, index=True),
)

#: Model tables in parent-first order (inserts go this way, deletes the other).
MODEL_TABLES = ("personas", "maps", "stages", "lanes", "clusters", "cards", "links", "voters",
                "dots", "feelings")
#: Tables added by file format 4 (room mode); the migration from 3 creates them.
ROOM_TABLES = ("feelings", "room_participants", "room_receipts", "room_inbox", "room_voters")
TABLES = {t.name: t for t in metadata.sorted_tables}
_JSON_FIELDS = {
    "personas": ("goals", "frustrations", "motivations"),
    "maps": ("experience_goals",),
    "cards": ("tags", "metrics"),
}
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


def from_row(table: str, row: dict[str, Any]) -> Strict:
    """An SQL row -> a validated model. Raises ValueError/ValidationError on bad data."""
    values = dict(row)
    for name in _JSON_FIELDS.get(table, ()):
        raw = values.get(name)
        if not isinstance(raw, str):
            raise ValueError(f"{name} is not JSON text")
        values[name] = [] if raw == "[]" else {} if raw == "{}" else json.loads(raw)
    if table == "maps" and isinstance(values.get("last_reviewed"), str):
        values["last_reviewed"] = dt.date.fromisoformat(values["last_reviewed"])
    if table == "lanes" and values.get("collapsed") in (0, 1):
        values["collapsed"] = bool(values["collapsed"])
    return ROW_TYPES[table].model_validate(values)


_LIST_ADAPTERS: dict[str, TypeAdapter] = {}


def from_rows(table: str, keys: tuple[str, ...], rows: list[tuple]) -> list[Strict]:
    """Many SQL rows (tuples in ``keys`` order) of one table -> validated models, with one
    pydantic call.

    The same checks as :func:`from_row` row by row (JSON columns, dates, flags, then
    the model with all its validators). Raises ValueError, TypeError or
    ValidationError on bad data; the caller re-checks row by row to name the row.
    """
    json_fields = _JSON_FIELDS.get(table, ())
    values_list = []
    for row in rows:
        values = dict(zip(keys, row, strict=True))
        for name in json_fields:
            raw = values.get(name)
            if not isinstance(raw, str):
                raise ValueError(f"{name} is not JSON text")
            values[name] = [] if raw == "[]" else {} if raw == "{}" else json.loads(raw)
        values_list.append(values)
    if table == "maps":
        for values in values_list:
            if isinstance(values.get("last_reviewed"), str):
                values["last_reviewed"] = dt.date.fromisoformat(values["last_reviewed"])
    elif table == "lanes":
        for values in values_list:
            if values.get("collapsed") in (0, 1):
                values["collapsed"] = bool(values["collapsed"])
    adapter = _LIST_ADAPTERS.get(table)
    if adapter is None:
        adapter = _LIST_ADAPTERS[table] = TypeAdapter(list[ROW_TYPES[table]])  # type: ignore[index]
    return adapter.validate_python(values_list)


def dump(model: Strict) -> dict[str, Any]:
    """A model -> its JSON-mode values (what history ops and snapshots carry)."""
    return model.model_dump(mode="json")
