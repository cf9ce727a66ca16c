"""The .cjm file's tables (SQLAlchemy Core), with the conversion between rows and models.

One SQLite database per document. Lists and dicts (tags, goals, metrics) are
stored as JSON text; dates as ISO text; images in ``blobs`` by SHA-256 so
history entries and snapshots only carry a hash.

Foreign keys are declared (and enforced with ``PRAGMA foreign_keys=ON``) so a
bug can never leave a card pointing at a missing stage.
"""

from __future__ import annotations

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

# The conversion and the format's numbers live in app.model.rows (no SQLAlchemy there, so
# `waymark export` and `check` read a file without importing it); named here as before.
from app.model.rows import (  # noqa: F401
    APPLICATION_ID,
    MODEL_TABLES,
    ROOM_TABLES,
    SCHEMA_VERSION,
    dump,
    from_row,
    from_rows,
    model_fields,
    to_row,
)

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

# -- file format 6: the operations of a large step, beyond what its history row holds --
history_parts = Table(
    "history_parts",
    metadata,
    Column("seq", Integer, ForeignKey("history.seq"), primary_key=True, autoincrement=False),
    Column("part", Integer, primary_key=True, autoincrement=False),
    Column("ops", Text, nullable=False),  # JSON list of operations, after the row's and
)                                         # the lower parts'

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

# -- document settings (file format 5): undoable rows, one per key --
settings = Table(
    "settings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("key", String, nullable=False, unique=True),
    Column("value", Text, nullable=False),
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

TABLES = {t.name: t for t in metadata.sorted_tables}
