"""How a file of one format version becomes the next: one function per version.

``MIGRATIONS[n]`` upgrades a version-``n`` file to ``n + 1`` in place. It runs inside the
open write transaction of :func:`app.model.fileformat.migrate`, after the file was checked
against ``schemas/vN.sql`` and before it is checked against ``schemas/v{n+1}.sql``, so a
migration that fails or leaves any other schema changes nothing on disk. The rows are
validated by the models afterwards, as on every open.

Adding a version (say a new card field):

1. the field on the model (:mod:`app.model.schema`) and its column (:mod:`app.model.tables`,
   with the same default), ``SCHEMA_VERSION`` one higher (:mod:`app.model.rows`);
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


WORKSHOP_TABLES = (
    "CREATE TABLE clusters (id INTEGER NOT NULL, map_id INTEGER NOT NULL, label TEXT NOT NULL, "
    "colour VARCHAR, PRIMARY KEY (id), FOREIGN KEY(map_id) REFERENCES maps (id))",
    "CREATE INDEX ix_clusters_map_id ON clusters (map_id)",
    "CREATE TABLE voters (id INTEGER NOT NULL, map_id INTEGER NOT NULL, name TEXT NOT NULL, "
    "budget INTEGER NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (id), "
    "FOREIGN KEY(map_id) REFERENCES maps (id))",
    "CREATE INDEX ix_voters_map_id ON voters (map_id)",
    "CREATE TABLE dots (id INTEGER NOT NULL, map_id INTEGER NOT NULL, voter_id INTEGER NOT NULL, "
    "card_id INTEGER NOT NULL, PRIMARY KEY (id), FOREIGN KEY(map_id) REFERENCES maps (id), "
    "FOREIGN KEY(voter_id) REFERENCES voters (id), FOREIGN KEY(card_id) REFERENCES cards (id))",
    "CREATE INDEX ix_dots_map_id ON dots (map_id)",
    "CREATE INDEX ix_dots_voter_id ON dots (voter_id)",
    "CREATE INDEX ix_dots_card_id ON dots (card_id)",
)


def workshop(con: sqlite3.Connection) -> None:
    """2 -> 3: clusters (affinity groups) with a card's ``cluster_id``, voters with a dot
    budget, and the dots they placed (all empty in an existing file)."""
    for sql in WORKSHOP_TABLES:
        con.execute(sql)
    con.execute("ALTER TABLE cards ADD COLUMN cluster_id INTEGER REFERENCES clusters (id)")


ROOM_TABLES = (
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
    """CREATE TABLE room_voters (
    voter_id INTEGER NOT NULL,
    participant_id INTEGER NOT NULL,
    PRIMARY KEY (voter_id)
)""",
    "CREATE INDEX ix_room_voters_participant_id ON room_voters (participant_id)",
)


def room(con: sqlite3.Connection) -> None:
    """3 -> 4: room mode. Participants' feelings per stage (undoable rows of the content),
    and, outside the undo history, who joined, the receipts of their contributions
    (idempotency keys), the inbox, and which voter places each participant's dots (all
    empty in an existing file)."""
    for sql in ROOM_TABLES:
        con.execute(sql)


def settings(con: sqlite3.Connection) -> None:
    """4 -> 5: document settings (poster font, logo, brand colour) become undoable rows
    of the content: the ``meta`` rows ``setting:KEY`` move into ``settings``, with ids
    after every id the document has used (ids are unique document-wide)."""
    con.execute("""CREATE TABLE settings (
    id INTEGER NOT NULL,
    "key" VARCHAR NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (id),
    UNIQUE ("key")
)""")
    moved = con.execute(
        "SELECT key, value FROM meta WHERE key LIKE 'setting:%' ORDER BY key").fetchall()
    if not moved:
        return
    used = [row[0] for row in con.execute(
        "SELECT value FROM meta WHERE key = 'next_id'")]
    next_id = int(used[0]) if used and str(used[0]).isdigit() else 1
    for table in ("personas", "maps", "stages", "lanes", "clusters", "cards", "links",
                  "voters", "dots", "feelings"):
        top = con.execute(f'SELECT max(id) FROM "{table}"').fetchone()[0]
        next_id = max(next_id, (top or 0) + 1)
    for key, value in moved:
        con.execute('INSERT INTO settings (id, "key", value) VALUES (?, ?, ?)',
                    (next_id, str(key)[len("setting:"):], value))
        next_id += 1
    con.execute("DELETE FROM meta WHERE key LIKE 'setting:%'")
    con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('next_id', ?)",
                (str(next_id),))


HISTORY_PARTS = """CREATE TABLE history_parts (
    seq INTEGER NOT NULL,
    part INTEGER NOT NULL,
    ops TEXT NOT NULL,
    PRIMARY KEY (seq, part),
    FOREIGN KEY(seq) REFERENCES history (seq)
)"""


def history_parts(con: sqlite3.Connection) -> None:
    """5 -> 6: undo steps of any size. The operations of a step beyond what its history
    row holds (about 2 million characters of JSON) go to numbered parts, each under
    SQLite's length limit (empty in an existing file: every step there fitted one row)."""
    con.execute(HISTORY_PARTS)


#: Ordered migrations: ``MIGRATIONS[n]`` upgrades a version-n file to n+1 in place.
MIGRATIONS: dict[int, Migration] = {
    1: card_author,
    2: workshop,
    3: room,
    4: settings,
    5: history_parts,
}
