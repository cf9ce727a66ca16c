"""The frozen schema of every file format version: ``vN.sql`` holds exactly what a version-N
.cjm file's ``sqlite_schema`` contains, whitespace included.

A file is checked against the schema of its own version before anything else touches it
(:func:`app.model.fileformat.check_schema`), migrated one version at a time
(:mod:`app.model.migrations`), then checked against the current version's file. New files
are created from the current version's file, so a new file and a migrated one are the same
bytes of schema. A file here is never edited once it has shipped: a new version is a new
file, rendered with :func:`render` from a database the migration produced.
"""

from __future__ import annotations

import re
import sqlite3
from functools import cache
from importlib import resources

#: One schema object as ``sqlite_schema`` lists it: (type, name, tbl_name, sql).
SchemaObject = tuple[str, str, str, str | None]

_END = re.compile(r";\n(?:\n|\Z)")
_HEADER = """-- Waymark file format {version}: the exact schema of a version-{version} .cjm file.
--
-- Frozen: never edit this file. A file of this version is checked against exactly this SQL
-- (whitespace included) before it is migrated. The next version is a new file beside this
-- one, plus one function in app/model/migrations.py.

"""


def versions() -> list[int]:
    """Every version that has a frozen schema, oldest first."""
    found = [int(m.group(1)) for p in resources.files(__name__).iterdir()
             if (m := re.fullmatch(r"v(\d+)\.sql", p.name))]
    return sorted(found)


@cache
def statements(version: int) -> tuple[str, ...]:
    """The CREATE statements of ``version``, in creation order (KeyError if there is none)."""
    try:
        text = resources.files(__name__).joinpath(f"v{version}.sql").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyError(version) from None
    body = "\n".join(line for line in text.split("\n") if not line.startswith("--"))
    return tuple(s.strip("\n") for s in _END.split(body) if s.strip())


@cache
def objects(version: int) -> frozenset[SchemaObject]:
    """The schema objects a version-``version`` file holds, as ``sqlite_schema`` lists them."""
    con = sqlite3.connect(":memory:")
    try:
        create(con, version)
        return listed(con)
    finally:
        con.close()


def create(con: sqlite3.Connection, version: int) -> None:
    """Create version ``version``'s tables and indexes in ``con`` (inside the caller's
    transaction, if any)."""
    for sql in statements(version):
        con.execute(sql)


def listed(con: sqlite3.Connection) -> frozenset[SchemaObject]:
    """What ``con``'s ``sqlite_schema`` holds."""
    rows = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema")
    return frozenset((r[0], r[1], r[2], r[3]) for r in rows)


def render(con: sqlite3.Connection, version: int) -> str:
    """The text of ``vN.sql`` for the schema ``con`` holds (to freeze a new version)."""
    rows = con.execute(
        "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid").fetchall()
    body = "".join(f"{sql};\n\n" for (sql,) in rows).rstrip("\n") + "\n"
    return _HEADER.format(version=version) + body
