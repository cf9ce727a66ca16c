"""Every table of journey-map content, declared once: its name, what one row is called, its
row model, the rows it refers to and its JSON columns.

The rest is derived from this list: the table order (parents first), the row types by table
(:data:`app.model.schema.ROW_TYPES`), the references (``MODEL_TABLES_REFS``), the op
record's table names (:mod:`app.model.ops`), the JSON columns the file stores as text
(:mod:`app.model.tables`), and the one reference checker (:func:`row_problems`) behind both
``schema.reference_problems`` (a whole document, on load and import) and the in-memory
check of every edit (``State._check_references``).

This module imports nothing of the model: it names the row models, and
:mod:`app.model.schema` binds them (a test checks every name and column exists).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Ref:
    """A column that holds the id of a row of another table."""

    column: str
    table: str


@dataclass(frozen=True)
class Entity:
    """One table of content."""

    #: The table's name ("cards").
    name: str
    #: What one row is called in messages ("card").
    noun: str
    #: The name of its row model in :mod:`app.model.schema` ("Card").
    model: str
    refs: tuple[Ref, ...] = ()
    #: Columns whose lists or dicts the file stores as JSON text.
    json_fields: tuple[str, ...] = ()

    @property
    def in_a_map(self) -> bool:
        """True when every row belongs to one map (it has a ``map_id``)."""
        return any(r.column == "map_id" for r in self.refs)


def _refs(*pairs: str) -> tuple[Ref, ...]:
    return tuple(Ref(*p.split(">")) for p in pairs)


#: Parent first: inserts go in this order, deletes the other way.
ENTITIES: tuple[Entity, ...] = (
    Entity("personas", "persona", "Persona",
           json_fields=("goals", "frustrations", "motivations")),
    Entity("maps", "map", "JourneyMap", _refs("persona_id>personas"),
           json_fields=("experience_goals",)),
    Entity("stages", "stage", "Stage", _refs("map_id>maps")),
    Entity("lanes", "lane", "Lane", _refs("map_id>maps")),
    Entity("clusters", "cluster", "Cluster", _refs("map_id>maps")),
    Entity("cards", "card", "Card",
           _refs("map_id>maps", "stage_id>stages", "lane_id>lanes", "cluster_id>clusters"),
           json_fields=("tags", "metrics")),
    Entity("links", "link", "Link",
           _refs("map_id>maps", "source_id>cards", "target_id>cards", "persona_id>personas")),
    Entity("voters", "voter", "Voter", _refs("map_id>maps")),
    Entity("dots", "dot", "Dot", _refs("map_id>maps", "voter_id>voters", "card_id>cards")),
    Entity("feelings", "feeling", "Feeling", _refs("map_id>maps", "stage_id>stages")),
    Entity("settings", "setting", "Setting"),
)
BY_NAME: dict[str, Entity] = {e.name: e for e in ENTITIES}
#: The tables of content, parent first.
NAMES: tuple[str, ...] = tuple(BY_NAME)


def same_map(entity: Entity, ref: Ref) -> bool:
    """Whether the row ``ref`` points at must be of the referring row's own map: true for a
    reference between two tables whose rows belong to a map (a card's stage, a link's ends,
    a dot's voter), false for the map itself and for personas (shared by every map)."""
    return ref.column != "map_id" and entity.in_a_map and BY_NAME[ref.table].in_a_map


def row_problems(entity: Entity, row: Any, find: Callable[[str, int], Any]) -> Iterator[str]:
    """What is wrong with the references of one ``row`` of ``entity``, in words.

    ``find(table, id)`` returns the row of that table with that id, or None.
    """
    for ref in entity.refs:
        value = getattr(row, ref.column)
        if value is None:
            continue
        target = find(ref.table, value)
        noun = BY_NAME[ref.table].noun
        if target is None:
            yield f"{entity.noun} {row.id} refers to missing {noun} {value}"
        elif same_map(entity, ref) and target.map_id != row.map_id:
            yield f"{entity.noun} {row.id} refers to {noun} {value} of another map"


def users(table: str) -> Iterator[tuple[Entity, Ref]]:
    """Every (entity, column) that refers to rows of ``table``."""
    for entity in ENTITIES:
        for ref in entity.refs:
            if ref.table == table:
                yield entity, ref
