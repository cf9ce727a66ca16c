"""How a file of one format version becomes the next: one function per version.

``MIGRATIONS[n]`` upgrades a version-``n`` file to ``n + 1`` in place. It runs inside the
open write transaction of :func:`app.model.fileformat.migrate`, after the file was checked
against ``schemas/vN.sql`` and before it is checked against ``schemas/v{n+1}.sql``, so a
migration that fails or leaves any other schema changes nothing on disk. The rows are
validated by the models afterwards, as on every open.

Adding a version (say a new card field):

1. the field on the model (:mod:`app.model.schema`) and its column (:mod:`app.model.tables`,
   with the same default), ``SCHEMA_VERSION`` one higher;
2. a function here that changes a version-n file (usually one ``ALTER TABLE ... ADD
   COLUMN``), registered in ``MIGRATIONS``;
3. ``schemas/v{n+1}.sql``, rendered by :func:`app.model.schemas.render` from a file that
   function migrated (``tests/model/test_migration.py`` prints it when it is missing).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]


def card_author(con: sqlite3.Connection) -> None:
    """1 -> 2: a card's author (who contributed it; empty on every existing card)."""
    con.execute("ALTER TABLE cards ADD COLUMN author TEXT DEFAULT '' NOT NULL")


ROOM_TABLES_SQL = (
    """CREATE TABLE feelings (
    id INTEGER NOT NULL,
    map_id INTEGER NOT NULL,
    stage_id INTEGER NOT NULL,
    participant_id INTEGER NOT NULL,
    score INTEGER NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(map_id) REFERENCES maps (id),
    FOREIGN KEY(stage_id) REFERENCES stages (id)
)""",
    "CREATE INDEX ix_feelings_map_id ON feelings (map_id)",
    "CREATE INDEX ix_feelings_stage_id ON feelings (stage_id)",
    """CREATE TABLE votes (
    id INTEGER NOT NULL,
    map_id INTEGER NOT NULL,
    card_id INTEGER NOT NULL,
    participant_id INTEGER NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(map_id) REFERENCES maps (id),
    FOREIGN KEY(card_id) REFERENCES cards (id)
)""",
    "CREATE INDEX ix_votes_map_id ON votes (map_id)",
    "CREATE INDEX ix_votes_card_id ON votes (card_id)",
    """CREATE TABLE room_participants (
    id INTEGER NOT NULL,
    name TEXT NOT NULL,
    token_hash VARCHAR,
    joined VARCHAR NOT NULL,
    removed BOOLEAN NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (token_hash)
)""",
    """CREATE TABLE room_receipts (
    participant_id INTEGER NOT NULL,
    "key" VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    result TEXT NOT NULL,
    created VARCHAR NOT NULL,
    PRIMARY KEY (participant_id, "key")
)""",
    """CREATE TABLE room_inbox (
    id INTEGER NOT NULL,
    participant_id INTEGER NOT NULL,
    map_id INTEGER NOT NULL,
    payload TEXT NOT NULL,
    status VARCHAR NOT NULL,
    card_id INTEGER,
    created VARCHAR NOT NULL,
    PRIMARY KEY (id)
)""",
    "CREATE INDEX ix_room_inbox_participant_id ON room_inbox (participant_id)",
)


def room_tables(con: sqlite3.Connection) -> None:
    """2 -> 3: room mode. Participants' feelings and dots (undoable rows of the content),
    and, outside the undo history, who joined, the receipts of their contributions
    (idempotency keys) and the inbox; all empty in an existing file."""
    for sql in ROOM_TABLES_SQL:
        con.execute(sql)


#: Ordered migrations: ``MIGRATIONS[n]`` upgrades a version-n file to n+1 in place.
MIGRATIONS: dict[int, Migration] = {
    1: card_author,
    2: room_tables,
}
