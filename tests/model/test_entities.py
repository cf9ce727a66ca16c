"""The tables are declared once (app/model/entities.py) and everything else follows it."""

from __future__ import annotations

import pytest

from app.errors import CommandError
from app.layout.style import KIND_LABEL, KIND_STYLE, LANE_MARKER
from app.model import entities, tables
from app.model.ops import OpRecord
from app.model.schema import (
    MODEL_TABLES_REFS,
    ROW_TYPES,
    CardKind,
    DocumentData,
    LaneKind,
    reference_problems,
)
from tests.made import new_document


def test_every_entity_names_a_model_its_columns_and_a_table() -> None:
    assert set(entities.NAMES) == set(DocumentData.model_fields)
    assert tables.MODEL_TABLES == entities.NAMES
    for e in entities.ENTITIES:
        fields = ROW_TYPES[e.name].model_fields
        assert ROW_TYPES[e.name].__name__ == e.model
        assert {r.column for r in e.refs} | set(e.json_fields) <= set(fields), e.name
        assert {r.table for r in e.refs} <= set(entities.NAMES)
        assert e.name in tables.TABLES  # the SQL table exists
        assert MODEL_TABLES_REFS[e.name] == tuple((r.column, r.table) for r in e.refs)
    order = {name: i for i, name in enumerate(entities.NAMES)}
    for e in entities.ENTITIES:  # parents first: inserts in this order never dangle
        assert all(order[r.table] < order[e.name] for r in e.refs), e.name


def test_op_records_take_exactly_the_entity_tables() -> None:
    for name in entities.NAMES:
        OpRecord(kind="delete", table=name, id=1, before={}, after=None)
    with pytest.raises(ValueError):
        OpRecord(kind="delete", table="meta", id=1, before={}, after=None)


def test_one_checker_for_documents_and_edits(tmp_path) -> None:
    from app.model import commands as C

    with new_document(tmp_path / "a.cjm", "sample") as doc:
        data = doc.data
        first, second = data.ordered_maps()[0], None
        doc.execute(C.DuplicateMap(first.id))
        second = next(m for m in doc.data.ordered_maps() if m.id != first.id)
        card = doc.data.cards_of(first.id)[0]
        other_stage = doc.data.stages_of(second.id)[0]
        # a whole document: a card in a stage of another map
        moved = doc.data.model_copy(update={"cards": {
            **doc.data.cards, card.id: card.model_copy(update={"stage_id": other_stage.id})}})
        assert reference_problems(moved) == [
            f"card {card.id} refers to stage {other_stage.id} of another map"]
        # an edit: the same rule, refused in memory before anything is written
        far = doc.data.cards_of(second.id)[0]
        links = dict(doc.data.links)
        with pytest.raises(CommandError, match=f"refers to card {far.id} of another map"):
            doc.execute(C.AddLink(card.id, far.id))
        assert doc.data.links == links


def test_every_card_kind_and_lane_kind_has_its_style() -> None:
    assert set(KIND_STYLE) == set(CardKind) == set(KIND_LABEL)
    assert set(LANE_MARKER) == set(LaneKind)
    assert all(marker is None or marker in KIND_STYLE for marker in LANE_MARKER.values())
