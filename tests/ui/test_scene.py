"""The scene never drifts from the document: after any command sequence it equals a fresh one."""

from __future__ import annotations

import random

import pytest

from app.errors import CommandError
from app.model import commands as C
from app.model.schema import LaneKind
from app.ui.canvas.scene import MapScene


def _random_command(rng: random.Random, doc, map_id: int):
    data = doc.data
    stages = data.stages_of(map_id)
    lanes = data.lanes_of(map_id)
    cards = data.cards_of(map_id)
    pick = rng.choice
    choice = rng.randrange(13)
    if choice == 0 or not cards:
        return C.AddCard(pick(stages).id, pick(lanes).id,
                         {"title": pick(["New", "A much longer card title that wraps", "<b>&x"])},
                         rng.randrange(3))
    if choice == 1:
        moving = rng.sample(cards, min(len(cards), rng.randrange(1, 4)))
        s, ln = pick(stages).id, pick(lanes).id
        return C.MoveCards([(c.id, s, ln, rng.randrange(4)) for c in moving])
    if choice == 2:
        return C.UpdateCard(pick(cards).id, {"title": pick(["Short", "Wrapped " * 6])})
    if choice == 3:
        return C.DeleteCards([pick(cards).id])
    if choice == 4:
        return C.AddStage(map_id, "Extra", rng.randrange(len(stages) + 1))
    if choice == 5 and len(stages) > 1:
        return C.MoveStage(pick(stages).id, rng.randrange(len(stages)))
    if choice == 6 and len(stages) > 2:
        return C.DeleteStage(pick(stages).id)
    if choice == 7:
        return C.AddLane(map_id, "More", rng.randrange(len(lanes) + 1), kind=LaneKind.EMOTIONS)
    if choice == 8 and len(lanes) > 1:
        return C.MoveLane(pick(lanes).id, rng.randrange(len(lanes)))
    if choice == 9:
        return C.VoteCard(pick(cards).id, rng.choice([1, -1]))
    if choice == 10 and len(cards) > 1:
        a, b = rng.sample(cards, 2)
        return C.AddLink(a.id, b.id)
    if choice == 11:
        return C.UpdateCard(pick(cards).id, {"emotion": rng.choice([None, -2, 0, 1, 2])})
    return "undo" if rng.random() < 0.6 else "redo"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_scene_equals_fresh_scene_after_random_commands(qtbot, doc, seed):
    rng = random.Random(seed)
    scene = MapScene(doc)
    map_id = scene.map_id
    touched = []
    for _ in range(30):
        cmd = _random_command(rng, doc, map_id)
        try:
            if cmd == "undo":
                if doc.can_undo:
                    doc.undo()
            elif cmd == "redo":
                if doc.can_redo:
                    doc.redo()
            else:
                doc.execute(cmd)
        except CommandError:
            continue
        touched.append(scene.last_touched)
        # a fresh scene that remembers the same card columns (the canvas never narrows a
        # column while cards move, issue 16)
        fresh = MapScene(doc, kept_columns=scene.kept_columns)
        try:
            assert scene.snapshot() == fresh.snapshot()
            assert set(scene.cards) == {c.id for c in doc.data.cards_of(map_id)
                                        if not doc.data.lanes[c.lane_id].collapsed}
        finally:
            fresh.detach()
    scene.detach()
    total = 3 + len(doc.data.cards) + len(doc.data.stages) + len(doc.data.lanes)
    assert min(touched) < total  # some edits touched only part of the scene


def test_vote_updates_only_that_card(qtbot, doc):
    scene = MapScene(doc)
    card = doc.data.cards_of(scene.map_id)[-1]
    items = dict(scene.cards)
    doc.execute(C.UpdateCard(card.id, {"owner": "Ops"}))  # invisible on the card: nothing moves
    assert scene.last_touched == 0
    doc.execute(C.VoteCard(card.id))
    assert scene.last_touched <= 3  # the card (and at most the row/backdrop it grows)
    assert all(scene.cards[i] is items[i] for i in items)  # items kept, never rebuilt
    scene.detach()
