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


#: Ordered migrations: ``MIGRATIONS[n]`` upgrades a version-n file to n+1 in place.
MIGRATIONS: dict[int, Migration] = {
    1: card_author,
}
