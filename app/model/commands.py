"""Document commands: every user-visible edit, as a small object that plans row operations.

A command never writes anything itself. ``plan(state)`` reads the current
state and returns the :class:`~app.model.ops.Op` list that performs the edit
(validated rows, positions renumbered, cascades included: deleting a stage
deletes its cards and their links); ``label(state)`` names it for the undo
history ("Move card 'Sign-up form' to Purchase"). The
:class:`~app.model.document.Document` applies the plan in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from app.errors import CommandError
from app.model import entities
from app.model.membership import membership_ops
from app.model.ops import Op
from app.model.rows import friendly
from app.model.schema import (
    CARD_FOR_LANE,
    MODEL_TABLES_REFS,
    ROW_TYPES,
    Blob,
    Card,
    DocumentData,
    JourneyMap,
    Lane,
    LaneKind,
    Link,
    Persona,
    Setting,
    Stage,
    Strict,
    clean_text,
)
from app.model.state import State
from app.model.tables import MODEL_TABLES, dump

# ------------------------------------------------------------------ helpers
#: The two axes of a map, as typed handles on their tables.
STAGES = entities.BY_NAME["stages"]
LANES = entities.BY_NAME["lanes"]


def quote(text: str, limit: int = 40) -> str:
    """A name for a label: quoted, one line, shortened."""
    text = " ".join(str(clean_text(text)).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def build(model: type[Strict], values: dict[str, Any]) -> Strict:
    """Validate a new row, turning errors into a CommandError."""
    try:
        return model.model_validate(values)
    except ValidationError as err:
        raise CommandError(f"Invalid {model.__name__.lower()}: {friendly(err)}") from None


def insert(table: str, row: Strict) -> Op:
    """An insert operation for a validated row."""
    return Op("insert", table, row.id, None, dump(row))  # type: ignore[attr-defined]


def remove(table: str, row: Strict) -> Op:
    """A delete operation for an existing row."""
    return Op("delete", table, row.id, dump(row), None)  # type: ignore[attr-defined]


def change(table: str, row: Strict, fields: dict[str, Any]) -> Op | None:
    """An update setting ``fields`` on ``row``; None when nothing would change."""
    if "id" in fields or ("map_id" in fields and table != "cards"):
        raise CommandError("ids cannot be edited")
    unknown = set(fields) - set(type(row).model_fields)
    if unknown:
        raise CommandError(f"unknown field {sorted(unknown)[0]!r}")
    values = row.model_dump()
    values.update(fields)
    new = build(type(row), values)
    old_json, new_json = dump(row), dump(new)
    keys = [k for k in fields if old_json[k] != new_json[k]]
    if not keys:
        return None
    return Op(
        "update", table, row.id, {k: old_json[k] for k in keys}, {k: new_json[k] for k in keys}
    )


def renumber(table: str, ordered: Iterable[Strict]) -> list[Op]:
    """Updates giving ``ordered`` rows positions 0, 1, 2... where they differ."""
    ops = []
    for index, row in enumerate(ordered):
        if row.position != index:  # type: ignore[attr-defined]
            ops.append(
                Op("update", table, row.id, {"position": row.position}, {"position": index})  # type: ignore[attr-defined]
            )
    return ops


def need(state: State, table: str, row_id: int) -> Any:
    """The row, or a CommandError naming what is missing."""
    row = state.get(table, row_id)
    if row is None:
        raise CommandError(f"There is no {entities.BY_NAME[table].noun} {row_id}")
    return row


def _clamp(index: int | None, size: int) -> int:
    return size if index is None else max(0, min(index, size))


def _cell_sort(cards: Iterable[Card]) -> list[Card]:
    return sorted(cards, key=lambda c: (c.position, c.id))


def _cascade_cards(state: State, card_ids: set[int]) -> list[Op]:
    """Delete ``card_ids``, every link and dot that touches them, and the clusters they
    leave empty."""
    rows = state.rows
    ops = [
        remove("links", k)
        for k in rows["links"].values()
        if k.source_id in card_ids or k.target_id in card_ids
    ]
    ops += [remove("dots", d) for d in rows["dots"].values() if d.card_id in card_ids]
    ops += [remove("cards", rows["cards"][i]) for i in sorted(card_ids)]
    clusters = {rows["cards"][i].cluster_id for i in card_ids} - {None}
    if clusters:
        kept = {c.cluster_id for c in rows["cards"].values() if c.id not in card_ids}
        ops += [remove("clusters", rows["clusters"][k]) for k in sorted(clusters - kept)]
    return ops


class Command:
    """Base class: subclasses implement :meth:`plan` and :meth:`label`."""

    #: Consecutive commands with the same key merge into one undo step (typing).
    merge_key: str | None = None
    #: A merged step takes this command's label (the last keystroke names the card).
    relabel = False

    def plan(self, state: State) -> list[Op]:
        """The operations that perform this edit on ``state``."""
        raise NotImplementedError

    def label(self, state: State) -> str:
        """What the undo history calls this edit."""
        raise NotImplementedError

    def blobs(self) -> list[Blob]:
        """Images this command needs stored first (content-addressed, never undone)."""
        return []


# --------------------------------------------------------------------- maps
@dataclass
class AddMap(Command):
    """Add an empty map, optionally with named stages and lanes."""

    title: str
    persona_id: int | None = None
    stages: list[str] = field(default_factory=list)
    lanes: list[tuple[str, LaneKind]] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)

    def plan(self, state: State) -> list[Op]:
        position = len(state.rows["maps"])
        m = build(JourneyMap, {**self.fields, "id": state.allocate(), "title": self.title,
                               "persona_id": self.persona_id, "position": position})
        ops = [insert("maps", m)]
        for i, name in enumerate(self.stages):
            ops.append(insert("stages", build(Stage, {
                "id": state.allocate(), "map_id": m.id, "name": name, "position": i})))
        for i, (name, kind) in enumerate(self.lanes):
            ops.append(insert("lanes", build(Lane, {
                "id": state.allocate(), "map_id": m.id, "name": name, "kind": kind,
                "position": i})))
        return ops

    def label(self, state: State) -> str:
        return f"Add map {quote(self.title)}"


@dataclass
class UpdateMap(Command):
    """Change a map's title, description, persona, goals, owner or review date."""

    map_id: int
    fields: dict[str, Any]

    def plan(self, state: State) -> list[Op]:
        op = change("maps", need(state, "maps", self.map_id), self.fields)
        return [op] if op else []

    def label(self, state: State) -> str:
        return f"Edit map {quote(need(state, 'maps', self.map_id).title)}"


_MAP_TABLES = ("stages", "lanes", "clusters", "cards", "links", "voters", "dots", "feelings")


def _map_rows(state: State, map_id: int) -> dict[str, list[Any]]:
    """Every row of a map by table, parent tables first."""
    rows = state.rows
    return {t: [r for r in rows[t].values() if r.map_id == map_id] for t in _MAP_TABLES}


@dataclass
class DeleteMap(Command):
    """Delete a map with everything on it."""

    map_id: int

    def plan(self, state: State) -> list[Op]:
        m = need(state, "maps", self.map_id)
        rows = _map_rows(state, m.id)
        ops = [remove(t, r) for t in reversed(_MAP_TABLES) for r in rows[t]]
        ops.append(remove("maps", m))
        rest = sorted((x for x in state.rows["maps"].values() if x.id != m.id),
                      key=lambda x: (x.position, x.id))
        return ops + renumber("maps", rest)

    def label(self, state: State) -> str:
        return f"Delete map {quote(need(state, 'maps', self.map_id).title)}"


@dataclass
class DuplicateMap(Command):
    """Copy a map with all its stages, lanes, cards and links, right after it."""

    map_id: int
    title: str | None = None

    def plan(self, state: State) -> list[Op]:
        m = need(state, "maps", self.map_id)
        rows = _map_rows(state, m.id)
        # Keyed by table and id: a document made by an older import numbered each table
        # from 1, so a stage and a lane can share an id.
        new_ids: dict[tuple[str, int], int] = {}

        def fresh(table: str, old: int) -> int:
            new_ids[(table, old)] = state.allocate()
            return new_ids[(table, old)]

        ordered = sorted(state.rows["maps"].values(), key=lambda x: (x.position, x.id))
        ops = renumber("maps", [x for x in ordered if x.position <= m.position and x.id != m.id]
                       + [m])
        after = [x for x in ordered if x.position > m.position and x.id != m.id]
        ops += [Op("update", "maps", x.id, {"position": x.position}, {"position": i})
                for i, x in enumerate(after, start=len(ordered) - len(after) + 1)
                if x.position != i]
        copy = m.model_copy(update={"id": fresh("maps", m.id), "position": m.position + 1,
                                    "title": self.title or f"{m.title} (copy)"[:120]})
        ops.append(insert("maps", build(JourneyMap, copy.model_dump())))
        for table in _MAP_TABLES:  # parents first, so every reference is already renamed
            refs = [(k, target) for k, target in MODEL_TABLES_REFS[table]
                    if k not in ("map_id", "persona_id")]
            for r in rows[table]:
                update = {"id": fresh(table, r.id), "map_id": copy.id}
                update.update({k: new_ids[(target, getattr(r, k))] for k, target in refs
                               if getattr(r, k, None) is not None})
                ops.append(insert(table, r.model_copy(update=update)))
        return ops

    def label(self, state: State) -> str:
        return f"Duplicate map {quote(need(state, 'maps', self.map_id).title)}"


# ----------------------------------------------------------------- personas
@dataclass
class AddPersona(Command):
    """Add a persona to the document's library."""

    fields: dict[str, Any]

    def plan(self, state: State) -> list[Op]:
        return [insert("personas", build(Persona, {**self.fields, "id": state.allocate()}))]

    def label(self, state: State) -> str:
        return f"Add persona {quote(str(self.fields.get('name', '')))}"


@dataclass
class UpdatePersona(Command):
    """Edit a persona (name, role, quote, goals, frustrations, motivations, photo)."""

    persona_id: int
    fields: dict[str, Any]
    merge_key: str | None = None

    def plan(self, state: State) -> list[Op]:
        op = change("personas", need(state, "personas", self.persona_id), self.fields)
        return [op] if op else []

    def label(self, state: State) -> str:
        return f"Edit persona {quote(need(state, 'personas', self.persona_id).name)}"


@dataclass
class DeletePersona(Command):
    """Delete a persona; maps and paths that used it keep going without one."""

    persona_id: int

    def plan(self, state: State) -> list[Op]:
        p = need(state, "personas", self.persona_id)
        ops = []
        for table in ("maps", "links"):
            for row in state.rows[table].values():
                if row.persona_id == p.id:
                    ops.append(Op("update", table, row.id, {"persona_id": p.id},
                                  {"persona_id": None}))
        return [*ops, remove("personas", p)]

    def label(self, state: State) -> str:
        return f"Delete persona {quote(need(state, 'personas', self.persona_id).name)}"


# ----------------------------------------------------------- stages, lanes
def _siblings(state: State, table: str, map_id: int, skip: int | None = None) -> list[Any]:
    return sorted(
        (r for r in state.rows[table].values() if r.map_id == map_id and r.id != skip),
        key=lambda r: (r.position, r.id),
    )


@dataclass
class _AddAxis(Command):
    map_id: int
    name: str
    index: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    axis = STAGES
    noun = "stage"

    def _values(self) -> dict[str, Any]:
        return dict(self.fields)

    def plan(self, state: State) -> list[Op]:
        need(state, "maps", self.map_id)
        model = ROW_TYPES[self.axis.name]
        row = build(model, {**self._values(), "id": state.allocate(), "map_id": self.map_id,
                            "name": self.name, "position": 0})
        rows = _siblings(state, self.axis.name, self.map_id)
        at = _clamp(self.index, len(rows))
        ordered = [*rows[:at], row, *rows[at:]]
        moves = [op for op in renumber(self.axis.name, ordered) if op.id != row.id]
        return [*moves, insert(self.axis.name, row.model_copy(update={"position": at}))]

    def label(self, state: State) -> str:
        return f"Add {self.noun} {quote(self.name)}"


@dataclass
class AddStage(_AddAxis):
    """Insert a stage (column) at ``index`` (the end when None)."""


@dataclass
class AddLane(_AddAxis):
    """Insert a lane (row) of ``kind`` at ``index`` (the end when None)."""

    kind: LaneKind = LaneKind.CUSTOM
    axis = LANES
    noun = "lane"

    def _values(self) -> dict[str, Any]:
        return {**self.fields, "kind": self.kind}


@dataclass
class _UpdateAxis(Command):
    row_id: int
    fields: dict[str, Any]
    merge_key: str | None = None
    axis = STAGES

    def plan(self, state: State) -> list[Op]:
        op = change(self.axis.name, need(state, self.axis.name, self.row_id), self.fields)
        return [op] if op else []

    def label(self, state: State) -> str:
        row = need(state, self.axis.name, self.row_id)
        if set(self.fields) == {"name"}:
            return f"Rename {self.axis.noun} {quote(row.name)} to {quote(self.fields['name'])}"
        return f"Edit {self.axis.noun} {quote(row.name)}"


class UpdateStage(_UpdateAxis):
    """Rename a stage or change its description, phase or colour."""


class UpdateLane(_UpdateAxis):
    """Rename a lane or change its kind or collapsed flag."""

    axis = LANES


@dataclass
class _MoveAxis(Command):
    row_id: int
    index: int
    axis = STAGES

    def plan(self, state: State) -> list[Op]:
        row = need(state, self.axis.name, self.row_id)
        rest = _siblings(state, self.axis.name, row.map_id, skip=row.id)
        at = _clamp(self.index, len(rest))
        return renumber(self.axis.name, [*rest[:at], row, *rest[at:]])

    def label(self, state: State) -> str:
        row = need(state, self.axis.name, self.row_id)
        return f"Move {self.axis.noun} {quote(row.name)}"


class MoveStage(_MoveAxis):
    """Move a stage to ``index`` among its map's stages."""


class MoveLane(_MoveAxis):
    """Move a lane to ``index`` among its map's lanes."""

    axis = LANES


@dataclass
class _DeleteAxis(Command):
    row_id: int
    axis = STAGES

    def plan(self, state: State) -> list[Op]:
        row = need(state, self.axis.name, self.row_id)
        column = f"{self.axis.noun}_id"
        ids = {c.id for c in state.rows["cards"].values() if getattr(c, column) == row.id}
        ops = _cascade_cards(state, ids)
        if self.axis is STAGES:  # the room's feelings about the stage go with it
            ops += [remove("feelings", f) for f in state.rows["feelings"].values()
                    if f.stage_id == row.id]
        ops.append(remove(self.axis.name, row))
        rest = _siblings(state, self.axis.name, row.map_id, skip=row.id)
        return ops + renumber(self.axis.name, rest)

    def label(self, state: State) -> str:
        return f"Delete {self.axis.noun} {quote(need(state, self.axis.name, self.row_id).name)}"


class DeleteStage(_DeleteAxis):
    """Delete a stage with its cards (and their links)."""


class DeleteLane(_DeleteAxis):
    """Delete a lane with its cards (and their links)."""

    axis = LANES


# -------------------------------------------------------------------- cards
def _new_card(state: State, stage_id: int, lane_id: int, fields: dict[str, Any]) -> Card:
    stage = need(state, "stages", stage_id)
    lane = need(state, "lanes", lane_id)
    if stage.map_id != lane.map_id:
        raise CommandError("The stage and the lane belong to different maps")
    values = {"kind": CARD_FOR_LANE.get(lane.kind), **fields}
    values.update(id=state.allocate(), map_id=stage.map_id, stage_id=stage_id, lane_id=lane_id)
    return build(Card, values)  # type: ignore[return-value]


def _cell(state: State, stage_id: int, lane_id: int, skip: set[int] = frozenset()) -> list[Card]:  # type: ignore[assignment]
    cards = state.rows["cards"]
    return _cell_sort(cards[i] for i in state.cell_ids(stage_id, lane_id) if i not in skip)


@dataclass
class AddCards(Command):
    """Add cards (paste, import into cells): ``(stage_id, lane_id, fields)`` each, at the end."""

    items: list[tuple[int, int, dict[str, Any]]]
    index: int | None = None
    name: str | None = None
    #: A card typed key by key starts with this key; its keystrokes merge into the step.
    merge_key: str | None = None

    def plan(self, state: State) -> list[Op]:
        ops: list[Op] = []
        by_cell: dict[tuple[int, int], list[Card]] = {}
        for stage_id, lane_id, fields in self.items:
            card = _new_card(state, stage_id, lane_id, fields)
            by_cell.setdefault((stage_id, lane_id), []).append(card)
        for (stage_id, lane_id), new in by_cell.items():
            rows = _cell(state, stage_id, lane_id)
            at = _clamp(self.index, len(rows))
            ordered = [*rows[:at], *new, *rows[at:]]
            new_ids = {c.id for c in new}
            ops += [op for op in renumber("cards", ordered) if op.id not in new_ids]
            for i, card in enumerate(new):
                ops.append(insert("cards", card.model_copy(update={"position": at + i})))
        return ops

    def label(self, state: State) -> str:
        if self.name:
            return self.name
        if len(self.items) == 1:
            return f"Add card {quote(str(self.items[0][2].get('title', '')))}"
        return f"Add {len(self.items)} cards"


def AddCard(
    stage_id: int, lane_id: int, fields: dict[str, Any], index: int | None = None
) -> AddCards:
    """Add one card to a cell at ``index`` (the end when None)."""
    return AddCards([(stage_id, lane_id, fields)], index=index)


@dataclass
class UpdateCard(Command):
    """Edit a card's fields; pass a ``merge_key`` to merge continuous typing into one step."""

    card_id: int
    fields: dict[str, Any]
    merge_key: str | None = None

    def plan(self, state: State) -> list[Op]:
        for key in ("stage_id", "lane_id", "map_id", "position"):
            if key in self.fields:
                raise CommandError("Use MoveCards to move a card")
        op = change("cards", need(state, "cards", self.card_id), self.fields)
        return [op] if op else []

    @property
    def relabel(self) -> bool:  # type: ignore[override]
        """Merged emotion changes (arrow keys through a list) are named by the last one."""
        return set(self.fields) == {"emotion"}

    def label(self, state: State) -> str:
        card = need(state, "cards", self.card_id)
        if set(self.fields) == {"emotion"}:
            value = self.fields["emotion"]
            if value is None:
                return f"Clear emotion of {quote(card.title)}"
            if isinstance(value, int) and not isinstance(value, bool):
                shown = f"{value:+d}" if value else "0"
                return f"Set emotion of {quote(card.title)} to {shown}"
        if set(self.fields) <= {"title", "body"}:
            return f"Edit text of card {quote(card.title)}"
        return f"Edit card {quote(card.title)}"


@dataclass
class TypeTitle(Command):
    """One keystroke of a title typed in place; all keystrokes of one card merge into the
    step that started it (``merge_key``), named by the text so far."""

    card_id: int
    title: str
    merge_key: str | None = None
    #: The step added the card (named "Add card …"), else it edits its text.
    new: bool = False
    #: The title before the edit began (names an edit step; read from the card if None).
    original: str | None = None
    relabel = True

    def plan(self, state: State) -> list[Op]:
        card = need(state, "cards", self.card_id)
        op = change("cards", card, {"title": self.title})
        return [op] if op else []

    def label(self, state: State) -> str:
        if self.new:
            return f"Add card {quote(self.title)}"
        first = self.original or need(state, "cards", self.card_id).title
        return f"Edit text of card {quote(first)}"


@dataclass
class MoveCards(Command):
    """Move cards to cells: ``(card_id, stage_id, lane_id, index)`` each, in order."""

    moves: list[tuple[int, int, int, int | None]]

    def plan(self, state: State) -> list[Op]:
        if not self.moves:
            return []
        moving = {m[0] for m in self.moves}
        if len(moving) != len(self.moves):
            raise CommandError("A card cannot be moved twice in one step")
        cards = {cid: need(state, "cards", cid) for cid in moving}
        cells: dict[tuple[int, int], list[Card]] = {}
        for card in cards.values():
            key = (card.stage_id, card.lane_id)
            cells.setdefault(key, _cell(state, *key, skip=moving))
        map_id = next(iter(cards.values())).map_id
        for card_id, stage_id, lane_id, index in self.moves:
            stage, lane = need(state, "stages", stage_id), need(state, "lanes", lane_id)
            if stage.map_id != map_id or lane.map_id != map_id or cards[card_id].map_id != map_id:
                raise CommandError("Cards can only be moved within their map")
            key = (stage_id, lane_id)
            rows = cells.setdefault(key, _cell(state, *key, skip=moving))
            rows.insert(_clamp(index, len(rows)), cards[card_id])
        ops = []
        for (stage_id, lane_id), rows in cells.items():
            for position, card in enumerate(rows):
                new = {"stage_id": stage_id, "lane_id": lane_id, "position": position}
                old = {k: getattr(card, k) for k in new}
                diff = [k for k in new if old[k] != new[k]]
                if diff:
                    ops.append(Op("update", "cards", card.id, {k: old[k] for k in diff},
                                  {k: new[k] for k in diff}))
        return ops + membership_ops(state, cells, moving)

    def label(self, state: State) -> str:
        first = need(state, "cards", self.moves[0][0])
        where = need(state, "stages", self.moves[0][1]).name
        if len(self.moves) == 1:
            return f"Move card {quote(first.title)} to {where}"
        return f"Move {len(self.moves)} cards"


@dataclass
class DeleteCards(Command):
    """Delete cards (and the links that touch them)."""

    card_ids: list[int]

    def plan(self, state: State) -> list[Op]:
        ids = {need(state, "cards", i).id for i in self.card_ids}
        cells = {(state.rows["cards"][i].stage_id, state.rows["cards"][i].lane_id) for i in ids}
        ops = _cascade_cards(state, ids)
        for key in sorted(cells):
            ops += renumber("cards", _cell(state, *key, skip=ids))
        return ops

    def label(self, state: State) -> str:
        if len(self.card_ids) == 1:
            return f"Delete card {quote(need(state, 'cards', self.card_ids[0]).title)}"
        return f"Delete {len(self.card_ids)} cards"


@dataclass
class VoteCard(Command):
    """Add (or with a negative delta, remove) dot votes on a card."""

    card_id: int
    delta: int = 1

    def plan(self, state: State) -> list[Op]:
        card = need(state, "cards", self.card_id)
        op = change("cards", card, {"votes": max(0, card.votes + self.delta)})
        return [op] if op else []

    def label(self, state: State) -> str:
        card = need(state, "cards", self.card_id)
        verb = "Vote for" if self.delta > 0 else "Remove vote from"
        return f"{verb} {quote(card.title)}"


# -------------------------------------------------------------------- links
@dataclass
class AddLink(Command):
    """Join two cards of one map as a step of a customer's path."""

    source_id: int
    target_id: int
    persona_id: int | None = None
    label_text: str = ""

    def plan(self, state: State) -> list[Op]:
        src = need(state, "cards", self.source_id)
        need(state, "cards", self.target_id)
        for k in state.rows["links"].values():
            if (k.source_id, k.target_id, k.persona_id) == (
                self.source_id, self.target_id, self.persona_id):
                raise CommandError("These cards are already linked")
        link = build(Link, {"id": state.allocate(), "map_id": src.map_id,
                            "source_id": self.source_id, "target_id": self.target_id,
                            "persona_id": self.persona_id, "label": self.label_text})
        return [insert("links", link)]

    def label(self, state: State) -> str:
        a = need(state, "cards", self.source_id).title
        b = need(state, "cards", self.target_id).title
        return f"Link {quote(a, 25)} to {quote(b, 25)}"


@dataclass
class DeleteLinks(Command):
    """Remove links."""

    link_ids: list[int]

    def plan(self, state: State) -> list[Op]:
        return [remove("links", need(state, "links", i)) for i in sorted(set(self.link_ids))]

    def label(self, state: State) -> str:
        n = len(set(self.link_ids))
        return "Delete link" if n == 1 else f"Delete {n} links"


# ------------------------------------------------------------ bulk content
@dataclass
class ImportMaps(Command):
    """Add every persona, map, stage, lane, card and link of ``data`` with fresh ids."""

    data: DocumentData
    images: dict[str, Blob] = field(default_factory=dict)
    name: str = "Import"

    def plan(self, state: State) -> list[Op]:
        new_ids: dict[tuple[str, int], int] = {}
        refs = {"persona_id": "personas", "map_id": "maps", "stage_id": "stages",
                "lane_id": "lanes", "source_id": "cards", "target_id": "cards",
                "cluster_id": "clusters", "voter_id": "voters", "card_id": "cards"}
        base = len(state.rows["maps"])
        # Maps take their ids first: in a new document they are 1..N, the ids people
        # pass to ``--map``; the rows are still inserted parent-first.
        order = ("maps", *(t for t in MODEL_TABLES if t != "maps"))
        for table in order:
            for row in sorted(getattr(self.data, table).values(), key=lambda r: r.id):
                new_ids[(table, row.id)] = state.allocate()
        ops = []
        for table in MODEL_TABLES:
            for row in sorted(getattr(self.data, table).values(), key=lambda r: r.id):
                values = dump(row)
                values["id"] = new_ids[(table, row.id)]
                for column, target in refs.items():
                    if values.get(column) is not None:
                        values[column] = new_ids[(target, values[column])]
                if table == "maps":
                    values["position"] = base + row.position
                ops.append(Op("insert", table, values["id"], None, values))
        return ops

    def label(self, state: State) -> str:
        return self.name

    def blobs(self) -> list[Blob]:
        return list(self.images.values())


@dataclass
class ChangeSettings(Command):
    """Set (or, with None, remove) document-wide settings, as one undo step named
    ``title`` ("Change poster font")."""

    values: dict[str, str | None]
    title: str = "Change document settings"

    def plan(self, state: State) -> list[Op]:
        rows = {row.key: row for row in state.rows["settings"].values()}
        ops: list[Op] = []
        for key, value in self.values.items():
            row = rows.get(key)
            if value is None:
                if row is not None:
                    ops.append(remove("settings", row))
            elif row is None:
                ops.append(insert("settings", build(Setting, {
                    "id": state.allocate(), "key": key, "value": value})))
            else:
                op = change("settings", row, {"value": value})
                if op is not None:
                    ops.append(op)
        return ops

    def label(self, state: State) -> str:
        return self.title


@dataclass
class ReplaceContent(Command):
    """Make the document's content equal ``data`` (restoring a version), as one step."""

    data: DocumentData
    name: str = "Restore version"

    def plan(self, state: State) -> list[Op]:
        return diff_ops(state, self.data)

    def label(self, state: State) -> str:
        return self.name


def ids_unique(data: DocumentData) -> bool:
    """Whether every row of ``data`` has an id no other row of any table uses."""
    seen: set[int] = set()
    for table in MODEL_TABLES:
        ids = getattr(data, table).keys()
        if not seen.isdisjoint(ids):
            return False
        seen.update(ids)
    return True


def seed_ops(state: State, data: DocumentData) -> list[Op]:
    """Operations filling an empty document with ``data``: its own ids when they are
    unique across the document (templates), else fresh ones (an import numbers each
    table from 1, and the file format promises ids unique document-wide)."""
    if ids_unique(data):
        return diff_ops(state, data)
    return ImportMaps(data).plan(state)


def diff_ops(state: State, target: DocumentData) -> list[Op]:
    """Operations turning ``state`` into ``target``: inserts parent-first, then updates,
    then deletes child-first (so foreign keys hold at every step)."""
    inserts, updates, deletes = [], [], []
    for table in MODEL_TABLES:
        current = state.rows[table]
        wanted = getattr(target, table)
        for row_id, row in wanted.items():
            old = current.get(row_id)
            if old is None:
                inserts.append(insert(table, row))
                continue
            a, b = dump(old), dump(row)
            keys = [k for k in a if a[k] != b[k]]
            if keys:
                updates.append(Op("update", table, row_id, {k: a[k] for k in keys},
                                  {k: b[k] for k in keys}))
        for row_id, row in current.items():
            if row_id not in wanted:
                deletes.append(remove(table, row))
    return inserts + updates + list(reversed(deletes))
