"""Every command: its effect on the document, its label, and its undo/redo."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import CommandError
from app.model import commands as C
from app.model.document import Document
from app.model.schema import DocumentData, LaneKind
from tests.made import new_document


def titles(doc: Document, stage: int, lane: int) -> list[str]:
    return [c.title for c in doc.data.cell(stage, lane)]


def roundtrip(doc: Document, command: C.Command) -> tuple[DocumentData, DocumentData]:
    """Execute, check undo restores the before state and redo the after state."""
    before = doc.snapshot()
    doc.execute(command)
    after = doc.snapshot()
    assert after != before
    doc.undo()
    assert doc.data == before
    doc.redo()
    assert doc.data == after
    return before, after


def test_add_cards_at_index_and_label(small: tuple[Document, dict[str, int]]) -> None:
    doc, ids = small
    assert titles(doc, ids["Aware"], ids["Touchpoints"]) == ["Sees ad", "Reads review"]
    roundtrip(doc, C.AddCard(ids["Aware"], ids["Touchpoints"], {"title": "Hears"}, index=1))
    assert titles(doc, ids["Aware"], ids["Touchpoints"]) == ["Sees ad", "Hears", "Reads review"]
    assert doc.undo_label == "Add card 'Hears'"
    new = doc.data.cell(ids["Aware"], ids["Touchpoints"])[1]
    assert new.kind == "touchpoint"  # inferred from the lane
    assert [c.position for c in doc.data.cell(ids["Aware"], ids["Touchpoints"])] == [0, 1, 2]


def test_move_cards_between_cells_and_within(small: tuple[Document, dict[str, int]]) -> None:
    doc, ids = small
    roundtrip(doc, C.MoveCards([(ids["Sees ad"], ids["Buy"], ids["Touchpoints"], 0)]))
    assert doc.undo_label == "Move card 'Sees ad' to Buy"
    assert titles(doc, ids["Buy"], ids["Touchpoints"]) == ["Sees ad", "Checkout"]
    assert titles(doc, ids["Aware"], ids["Touchpoints"]) == ["Reads review"]
    roundtrip(doc, C.MoveCards([(ids["Checkout"], ids["Buy"], ids["Touchpoints"], 0)]))
    assert titles(doc, ids["Buy"], ids["Touchpoints"]) == ["Checkout", "Sees ad"]
    roundtrip(doc, C.MoveCards([(ids["Checkout"], ids["Use"], ids["Emotions"], None),
                                (ids["Sees ad"], ids["Use"], ids["Emotions"], None)]))
    assert doc.undo_label == "Move 2 cards"
    assert titles(doc, ids["Use"], ids["Emotions"]) == ["Checkout", "Sees ad"]
    with pytest.raises(CommandError):
        doc.execute(C.MoveCards([(ids["Checkout"], 999, ids["Emotions"], None)]))


def test_update_card_and_merge(small: tuple[Document, dict[str, int]]) -> None:
    doc, ids = small
    depth = len(doc.history())
    for text in ("S", "Se", "See"):
        doc.execute(C.UpdateCard(ids["Sees ad"], {"title": text}, merge_key="type:1"))
    assert len(doc.history()) == depth + 1
    assert doc.data.cards[ids["Sees ad"]].title == "See"
    doc.undo()
    assert doc.data.cards[ids["Sees ad"]].title == "Sees ad"
    doc.redo()
    roundtrip(doc, C.UpdateCard(ids["Sees ad"], {"emotion": -2, "metrics": {"NPS": 30}}))
    with pytest.raises(CommandError, match="emotion"):
        doc.execute(C.UpdateCard(ids["Sees ad"], {"emotion": 7}))
    with pytest.raises(CommandError):
        doc.execute(C.UpdateCard(ids["Sees ad"], {"stage_id": ids["Buy"]}))
    assert doc.execute(C.UpdateCard(ids["Sees ad"], {"title": "See"})).added == {}


def test_delete_cards_removes_links(small: tuple[Document, dict[str, int]]) -> None:
    doc, ids = small
    doc.execute(C.AddLink(ids["Sees ad"], ids["Checkout"]))
    with pytest.raises(CommandError, match="already linked"):
        doc.execute(C.AddLink(ids["Sees ad"], ids["Checkout"]))
    before, after = roundtrip(doc, C.DeleteCards([ids["Sees ad"]]))
    assert len(before.links) == 1 and not after.links
    assert [c.position for c in after.cell(ids["Aware"], ids["Touchpoints"])] == [0]


def test_stage_commands(small: tuple[Document, dict[str, int]]) -> None:
    doc, ids = small
    m = ids["map"]
    roundtrip(doc, C.AddStage(m, "Deliver", index=2))
    assert [s.name for s in doc.data.stages_of(m)] == ["Aware", "Buy", "Deliver", "Use"]
    roundtrip(doc, C.MoveStage(ids["Aware"], 3))
    assert [s.name for s in doc.data.stages_of(m)] == ["Buy", "Deliver", "Use", "Aware"]
    roundtrip(doc, C.UpdateStage(ids["Buy"], {"name": "Purchase", "phase": "Pre", "colour": "#ff0000"}))
    assert doc.undo_label == "Edit stage 'Buy'"
    doc.execute(C.UpdateStage(ids["Buy"], {"name": "Order"}))
    assert doc.undo_label == "Rename stage 'Purchase' to 'Order'"
    before, after = roundtrip(doc, C.DeleteStage(ids["Aware"]))
    assert ids["Sees ad"] in before.cards and ids["Sees ad"] not in after.cards
    assert [s.position for s in after.stages_of(m)] == [0, 1, 2]


def test_lane_commands(small: tuple[Document, dict[str, int]]) -> None:
    doc, ids = small
    m = ids["map"]
    roundtrip(doc, C.AddLane(m, "Goals", kind=LaneKind.GOALS, index=0))
    assert doc.data.lanes_of(m)[0].kind == LaneKind.GOALS
    roundtrip(doc, C.MoveLane(ids["Pain points"], 0))
    roundtrip(doc, C.UpdateLane(ids["Emotions"], {"collapsed": True}))
    before, after = roundtrip(doc, C.DeleteLane(ids["Touchpoints"]))
    assert len(after.cards) == len(before.cards) - 3


def test_map_and_persona_commands(small: tuple[Document, dict[str, int]]) -> None:
    doc, ids = small
    roundtrip(doc, C.AddPersona({"name": "Alex", "role": "Commuter", "goals": ["Ride safely"]}))
    pid = next(iter(doc.data.personas))
    roundtrip(doc, C.UpdateMap(ids["map"], {"persona_id": pid, "owner": "CX team",
                                            "last_reviewed": "2026-09-30"}))
    roundtrip(doc, C.UpdatePersona(pid, {"quote": "I just want it to work"}))
    before, after = roundtrip(doc, C.DuplicateMap(ids["map"]))
    copy = after.ordered_maps()[1]
    assert copy.title == "Bike purchase (copy)"
    assert len(after.cards_of(copy.id)) == len(before.cards_of(ids["map"]))
    roundtrip(doc, C.DeletePersona(pid))
    assert doc.data.maps[ids["map"]].persona_id is None
    roundtrip(doc, C.DeleteMap(ids["map"]))
    assert [m.title for m in doc.data.ordered_maps()] == ["Bike purchase (copy)"]
    roundtrip(doc, C.AddMap("Second"))


def test_votes_and_links(small: tuple[Document, dict[str, int]]) -> None:
    doc, ids = small
    roundtrip(doc, C.VoteCard(ids["Checkout"]))
    assert doc.data.cards[ids["Checkout"]].votes == 1
    assert doc.undo_label == "Vote for 'Checkout'"
    doc.execute(C.VoteCard(ids["Checkout"], -5))
    assert doc.data.cards[ids["Checkout"]].votes == 0
    roundtrip(doc, C.AddLink(ids["Sees ad"], ids["Checkout"], label_text="then"))
    link = next(iter(doc.data.links))
    roundtrip(doc, C.DeleteLinks([link]))
    with pytest.raises(CommandError):
        doc.execute(C.AddLink(ids["Sees ad"], ids["Sees ad"]))


def test_macro_is_one_step_and_atomic(small: tuple[Document, dict[str, int]]) -> None:
    doc, ids = small
    depth = len(doc.history())
    with doc.macro("Paste 2 cards"):
        doc.execute(C.AddCard(ids["Use"], ids["Emotions"], {"title": "Happy", "emotion": 2}))
        doc.execute(C.AddCard(ids["Use"], ids["Emotions"], {"title": "Sore", "emotion": -1}))
    assert len(doc.history()) == depth + 1 and doc.undo_label == "Paste 2 cards"
    before = doc.snapshot()
    with pytest.raises(CommandError), doc.macro("Broken"):
        doc.execute(C.AddCard(ids["Use"], ids["Emotions"], {"title": "Fine"}))
        doc.execute(C.AddCard(ids["Use"], ids["Emotions"], {"title": ""}))
    assert doc.data == before and len(doc.history()) == depth + 1


def test_import_maps_and_replace(doc: Document, tmp_path: Path) -> None:
    from tests.model.conftest import build_small

    other = new_document(tmp_path / "o.cjm", "")
    build_small(other)
    source = other.snapshot()
    other.close()
    build_small(doc)
    before, after = roundtrip(doc, C.ImportMaps(source, name="Import bike.csv"))
    assert len(after.maps) == 2 and len(after.cards) == 2 * len(before.cards)
    assert doc.undo_label == "Import bike.csv"
    roundtrip(doc, C.ReplaceContent(before))
    assert doc.data == before


def test_events_name_exactly_what_changed(small: tuple[Document, dict[str, int]]) -> None:
    doc, ids = small
    seen = []
    unsubscribe = doc.subscribe(seen.append)
    doc.execute(C.MoveCards([(ids["Sees ad"], ids["Buy"], ids["Touchpoints"], 0)]))
    assert seen[-1].ids("cards") == {ids["Sees ad"], ids["Reads review"], ids["Checkout"]}
    assert seen[-1].ids("stages") == set()
    doc.undo()
    assert seen[-1].updated["cards"] == {ids["Sees ad"], ids["Reads review"], ids["Checkout"]}
    unsubscribe()
    doc.redo()
    assert len(seen) == 2


def test_emotion_steps_are_named_for_every_value_and_merge_to_the_last(
        small: tuple[Document, dict[str, int]]) -> None:
    """Clearing a card's emotion (Properties' "—") raised a TypeError formatting its
    label; 0 was named "+0"; arrowing through the list merges into one step named by the
    value it ended on."""
    doc, ids = small
    card = doc.data.cell(ids["Aware"], ids["Touchpoints"])[0]
    key = f"card:{card.id}:emotion"
    doc.execute(C.UpdateCard(card.id, {"emotion": 2}, merge_key=key))
    doc.execute(C.UpdateCard(card.id, {"emotion": 1}, merge_key=key))
    doc.execute(C.UpdateCard(card.id, {"emotion": 0}, merge_key=key))
    assert doc.undo_label == f"Set emotion of '{card.title}' to 0"
    doc.execute(C.UpdateCard(card.id, {"emotion": -1}, merge_key=key))
    assert doc.undo_label == f"Set emotion of '{card.title}' to -1"
    doc.execute(C.UpdateCard(card.id, {"emotion": None}))
    assert doc.undo_label == f"Clear emotion of '{card.title}'"
    assert doc.data.cards[card.id].emotion is None
    doc.undo()
    doc.undo()
    assert doc.data.cards[card.id].emotion == card.emotion  # the merged step, undone at once
