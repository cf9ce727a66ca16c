"""How large a document may grow: the limits that keep every command near linear.

Real journey maps have a handful of maps, 5-30 stages, 5-12 lanes and a few hundred
cards. These limits sit far above that, and low enough that every command (open, check,
report, export, import, each edit) finishes in seconds and bounded memory at the limit;
``benchmarks/RESULTS.md`` lists the time and memory of each command at each limit.

They are enforced in three places, each with a one-line message: an import is refused
before any document is touched, a file beyond them is refused on open (unchanged), and
an edit that would pass one is refused (nothing changes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

MAX_MAPS = 200  # maps in one document
MAX_STAGES = 1_000  # stages of one map
MAX_LANES = 200  # lanes of one map
MAX_PERSONAS = 1_000  # personas in one document
MAX_CARDS = 100_000  # cards in one document
MAX_LINKS = 100_000  # links in one document
MAX_VERSIONS = 500  # named versions in one document
#: The content of one named version, uncompressed (it is stored zlib-compressed).
MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024
#: Cells (rows x columns as read) of one CSV file or one workbook's sheets together.
MAX_IMPORT_CELLS = 5_000_000

#: table -> (limit, what is counted, per map?)
_TABLE_LIMITS: dict[str, tuple[int, str, bool]] = {
    "maps": (MAX_MAPS, "maps", False),
    "stages": (MAX_STAGES, "stages", True),
    "lanes": (MAX_LANES, "lanes", True),
    "personas": (MAX_PERSONAS, "personas", False),
    "cards": (MAX_CARDS, "cards", False),
    "links": (MAX_LINKS, "links", False),
}


def describe(table: str) -> str:
    """'a map holds at most 1,000 stages' for a table with a limit."""
    limit, noun, per_map = _TABLE_LIMITS[table]
    where = "a map holds" if per_map else "a document holds"
    return f"{where} at most {limit:,} {noun}"


def count_problem(table: str, count: int, map_title: str | None = None) -> str | None:
    """The message when ``count`` rows of ``table`` (in one map when per map) is too many."""
    limit, noun, per_map = _TABLE_LIMITS[table]
    if count <= limit:
        return None
    if per_map:
        where = f"map {map_title!r}" if map_title is not None else "a map"
        return f"{where} has {count:,} {noun}; {describe(table)}"
    return f"{count:,} {noun}; {describe(table)}"


def _map_of(row: Any) -> Any:
    """A row's map id: rows are models, or plain dicts not yet validated (an import)."""
    return row.get("map_id") if isinstance(row, dict) else getattr(row, "map_id", None)


def _title(maps: Mapping[Any, Any], map_id: Any) -> str | None:
    found = maps.get(map_id) if isinstance(map_id, int | str) else None
    if found is None and isinstance(map_id, int):
        found = maps.get(str(map_id))  # JSON keys are text
    title = found.get("title") if isinstance(found, dict) else getattr(found, "title", None)
    return title if isinstance(title, str) else None


def _per_map(rows: Iterable[Any]) -> Counter[Any]:
    return Counter(m for m in map(_map_of, rows) if isinstance(m, int | str))


def problems(rows: Mapping[str, Mapping[int, Any]]) -> str | None:
    """The first limit that ``rows`` (table -> id -> row, or a DocumentData's dicts) passes.

    One pass over each table: cheap enough to run on every open and every import.
    """
    maps = rows.get("maps", {})
    for table, (_limit, _noun, per_map) in _TABLE_LIMITS.items():
        table_rows = rows.get(table, {})
        if not per_map:
            found = count_problem(table, len(table_rows))
            if found:
                return found
            continue
        if len(table_rows) <= _TABLE_LIMITS[table][0]:
            continue  # fewer in the whole document than one map may hold
        for map_id, count in _per_map(table_rows.values()).most_common(1):
            found = count_problem(table, count, _title(maps, map_id))
            if found:
                return found
    return None


def data_problems(data: Any) -> str | None:
    """:func:`problems` for a :class:`~app.model.schema.DocumentData`."""
    return problems({t: getattr(data, t) for t in _TABLE_LIMITS})


def growth_problem(rows: Mapping[str, Mapping[int, Any]], inserted: Iterable[tuple[str, Any]]
                   ) -> str | None:
    """After an edit: the limit its inserts (``(table, row)`` pairs) pushed past, if any.

    Costs a count of the tables the edit grew (per map only for the maps it grew), so an
    edit that adds no row checks nothing.
    """
    grown: dict[str, set[int]] = {}
    for table, row in inserted:
        if table in _TABLE_LIMITS:
            grown.setdefault(table, set()).add(getattr(row, "map_id", 0) or 0)
    maps = rows.get("maps", {})
    for table, map_ids in grown.items():
        limit, _noun, per_map = _TABLE_LIMITS[table]
        table_rows = rows.get(table, {})
        if not per_map or len(table_rows) <= limit:
            found = count_problem(table, len(table_rows)) if not per_map else None
            if found:
                return found
            continue
        counts = Counter(r.map_id for r in table_rows.values() if r.map_id in map_ids)
        for map_id, count in counts.items():
            found = count_problem(table, count, _title(maps, map_id))
            if found:
                return found
    return None


def count_problem_versions(count: int) -> str | None:
    """The message when a document holds more named versions than it may."""
    if count <= MAX_VERSIONS:
        return None
    return f"{count:,} named versions; a document holds at most {MAX_VERSIONS:,}"


def snapshot_problem(size: int) -> str | None:
    """The message when a version's content (uncompressed bytes) is too large to keep."""
    if size <= MAX_SNAPSHOT_BYTES:
        return None
    return (f"the content is {size // (1024 * 1024):,} MB; a named version holds at most "
            f"{MAX_SNAPSHOT_BYTES // (1024 * 1024)} MB")
