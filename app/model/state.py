"""The in-memory mirror of a document's rows, changed only by applying operations.

The database is the source of truth; this mirror is what reads are served
from. It is changed only after (or, inside a transaction, in step with) the
same operations being written to SQLite, and it validates every row and
every reference an operation touches, so a bad command fails before commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.model import entities
from app.model.ops import Op, row_of
from app.model.schema import MODEL_TABLES_REFS, DocumentData, Strict

_REFS = MODEL_TABLES_REFS


@dataclass
class Change:
    """What one commit changed: ids by table name (``cards``, ``stages``...)."""

    added: dict[str, set[int]] = field(default_factory=dict)
    updated: dict[str, set[int]] = field(default_factory=dict)
    removed: dict[str, set[int]] = field(default_factory=dict)
    #: True when the undo history changed (a new step, undo, redo, trim).
    history: bool = True

    def note(self, op: Op) -> None:
        """Record one applied operation, folding insert+delete pairs."""
        added = self.added.setdefault(op.table, set())
        removed = self.removed.setdefault(op.table, set())
        updated = self.updated.setdefault(op.table, set())
        if op.kind == "insert":
            if op.id in removed:
                removed.discard(op.id)
                updated.add(op.id)
            else:
                added.add(op.id)
        elif op.kind == "delete":
            if op.id in added:
                added.discard(op.id)
            else:
                updated.discard(op.id)
                removed.add(op.id)
        elif op.id not in added:
            updated.add(op.id)

    def ids(self, table: str) -> set[int]:
        """Every id of ``table`` this change touched."""
        return (
            self.added.get(table, set())
            | self.updated.get(table, set())
            | self.removed.get(table, set())
        )

    def __bool__(self) -> bool:
        return any(self.added.values()) or any(self.updated.values()) or any(
            self.removed.values()
        )


class State:
    """Rows by table and id, plus the next free id (ids are unique document-wide)."""

    def __init__(self, rows: dict[str, dict[int, Strict]], next_id: int) -> None:
        self.rows = rows
        self.next_id = max(next_id, 1 + max((i for t in rows.values() for i in t), default=0))
        self._data: DocumentData | None = None
        self._cells: dict[tuple[int, int], set[int]] | None = None

    def cell_ids(self, stage_id: int, lane_id: int) -> set[int]:
        """Ids of the cards in one cell (an index kept up to date, so edits stay O(cell))."""
        if self._cells is None:
            cells: dict[tuple[int, int], set[int]] = {}
            for card in self.rows["cards"].values():
                cells.setdefault((card.stage_id, card.lane_id), set()).add(card.id)
            self._cells = cells
        return self._cells.get((stage_id, lane_id), set())

    @classmethod
    def from_data(cls, data: DocumentData) -> State:
        """A state holding a copy of ``data``'s rows."""
        rows = {name: dict(getattr(data, name)) for name in _REFS}
        return cls(rows, 1)

    @property
    def data(self) -> DocumentData:
        """The current content as a DocumentData (rebuilt lazily after each change)."""
        if self._data is None:
            self._data = DocumentData.model_construct(
                **{name: dict(table) for name, table in self.rows.items()}
            )
        return self._data

    def allocate(self) -> int:
        """A fresh id, never used before in this document."""
        value = self.next_id
        self.next_id += 1
        return value

    def get(self, table: str, row_id: int) -> Any:
        """The row or None."""
        return self.rows[table].get(row_id)

    # ------------------------------------------------------------ applying
    def apply(self, ops: list[Op], change: Change) -> None:
        """Apply ``ops`` in memory, validating rows and references; all or nothing."""
        done: list[tuple[str, int, Strict | None]] = []
        try:
            for op in ops:
                table = self.rows[op.table]
                old = table.get(op.id)
                if op.kind == "insert":
                    if old is not None:
                        raise ValueError(f"{op.table[:-1]} {op.id} already exists")
                    new = row_of(op.table, op.after or {})
                elif old is None:
                    raise ValueError(f"{op.table[:-1]} {op.id} does not exist")
                elif op.kind == "delete":
                    new = None
                else:
                    new = _updated(op.table, old, op.after or {})
                done.append((op.table, op.id, old))
                if op.table == "cards" and self._cells is not None:
                    self._index_card(old, new)
                if new is None:
                    del table[op.id]
                else:
                    table[op.id] = new
                self.next_id = max(self.next_id, op.id + 1)
            for op in ops:
                self._check_references(op)
        except BaseException:
            for name, row_id, old in reversed(done):
                if old is None:
                    self.rows[name].pop(row_id, None)
                else:
                    self.rows[name][row_id] = old
            self._cells = None
            raise
        for op in ops:
            change.note(op)
        self._data = None

    def _index_card(self, old: Any, new: Any) -> None:
        cells = self._cells
        assert cells is not None
        if old is not None:
            cells.get((old.stage_id, old.lane_id), set()).discard(old.id)
        if new is not None:
            cells.setdefault((new.stage_id, new.lane_id), set()).add(new.id)

    def _check_references(self, op: Op) -> None:
        """The rules of :mod:`app.model.entities` for the row ``op`` wrote, and, for a
        delete, that no row still refers to the one removed."""
        rows = self.rows
        row = rows[op.table].get(op.id)
        if row is not None:
            for problem in entities.row_problems(entities.BY_NAME[op.table], row,
                                                 lambda table, i: rows[table].get(i)):
                raise ValueError(problem)
        if op.kind == "delete":
            noun = entities.BY_NAME[op.table].noun
            for entity, ref in entities.users(op.table):
                for other in rows[entity.name].values():
                    if getattr(other, ref.column) == op.id:
                        raise ValueError(
                            f"{noun} {op.id} is still used by {entity.noun} {other.id}")


def _field_wise(cls: type[Strict]) -> frozenset[str]:
    """The field names of ``cls`` when it has no model-level validators (its rows can be
    checked a field at a time, so an update need not re-check the rest), else empty."""
    found = _FIELD_WISE.get(cls)
    if found is None:
        found = _FIELD_WISE[cls] = (frozenset() if cls.__pydantic_decorators__.model_validators
                                    else frozenset(cls.model_fields))
    return found


_FIELD_WISE: dict[type, frozenset[str]] = {}


def _updated(table: str, old: Strict, after: dict[str, Any]) -> Strict:
    """``old`` with the JSON-mode values ``after``, validated.

    Rows in memory are already valid, so only the changed fields are validated
    (assignment validation runs each field's full checks) when the model's checks are
    all per field; otherwise, or for an unknown field, the whole row is re-validated.
    """
    fields = _field_wise(type(old))
    if fields and fields.issuperset(after):
        new = old.model_copy()
        for key, value in after.items():
            setattr(new, key, value)  # Strict has validate_assignment=True
        return new
    values = old.model_dump(mode="json")
    values.update(after)
    return row_of(table, values)
