"""The room's rows in the document: file format 4's migration, and feelings and dots that
follow their stage and card through deletes, undo and duplicates."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.analysis.emotion import stage_emotions
from app.model import commands as C
from app.model import tables
from app.model.document import Document
from app.room.commands import RoomDot, SetFeeling
from tests.made import new_document

V1_FILE = Path(__file__).resolve().parents[1] / "data" / "files" / "ikea-couch-v1.cjm"


def test_a_format_1_file_is_migrated_with_its_content(tmp_path: Path) -> None:
    path = tmp_path / "old.cjm"
    shutil.copyfile(V1_FILE, path)  # as Waymark 1 wrote it: up through 2 (author) and 3 (workshop) to 4
    with Document.open(path, read_only=True) as view:  # a view upgrades a copy only
        assert view.data.feelings == {}
    assert int.from_bytes(path.read_bytes()[60:64], "big") == 1
    with Document.open(path) as doc:
        titles = sorted(c.title for c in doc.data.cards.values())
        assert titles and doc.data.feelings == {} and doc.data.dots == {}
        stage = doc.data.ordered_maps()[0]
        first = doc.data.stages_of(stage.id)[0]
        doc.execute(SetFeeling(first.id, 1, "Aiko", 2))
    assert int.from_bytes(path.read_bytes()[60:64], "big") == tables.SCHEMA_VERSION >= 4
    with Document.open(path) as doc:
        assert [f.score for f in doc.data.feelings.values()] == [2]
        assert sorted(c.title for c in doc.data.cards.values()) == titles


def test_feelings_and_dots_follow_deletes_undo_and_duplicates(tmp_path: Path) -> None:
    with new_document(tmp_path / "t.cjm", "sample") as doc:
        m = doc.data.ordered_maps()[0]
        stages = doc.data.stages_of(m.id)
        card = doc.data.cards_of(m.id)[0]
        votes_before = card.votes
        doc.execute(SetFeeling(stages[1].id, 1, "Aiko", -1))
        doc.execute(SetFeeling(stages[1].id, 2, "Ben", 1))
        doc.execute(SetFeeling(stages[1].id, 1, "Aiko", -2))  # changes Aiko's, no new row
        doc.execute(RoomDot(card.id, "Aiko", 5))
        doc.execute(RoomDot(card.id, "Ben", 5))
        aiko, ben = sorted(doc.data.voters)
        assert doc.data.cards[card.id].votes == votes_before + 2
        assert sorted(f.score for f in doc.data.feelings.values()) == [-2, 1]
        point = next(s for s in stage_emotions(doc.data, m.id) if s.stage_id == stages[1].id)
        assert point.spread is not None and point.count >= 2
        doc.execute(C.DeleteStage(stages[1].id))
        assert doc.data.feelings == {}
        doc.undo()
        assert sorted(f.score for f in doc.data.feelings.values()) == [-2, 1]
        doc.execute(C.DeleteCards([card.id]))
        assert doc.data.dots == {}
        doc.undo()
        assert len(doc.data.dots) == 2
        doc.execute(RoomDot(card.id, "Aiko", 5, aiko, -1))
        assert [d.voter_id for d in doc.data.dots.values()] == [ben]
        assert [v.name for v in doc.data.voters.values()] == ["Aiko", "Ben"]
        doc.execute(C.DuplicateMap(m.id))
        copy = next(x for x in doc.data.maps.values() if x.id != m.id)
        assert sum(1 for f in doc.data.feelings.values() if f.map_id == copy.id) == 2
        assert sum(1 for d in doc.data.dots.values() if d.map_id == copy.id) == 1
        doc.execute(C.DeleteMap(copy.id))
        assert all(f.map_id == m.id for f in doc.data.feelings.values())
    with Document.open(tmp_path / "t.cjm") as doc:  # and all of it reloads from the file
        assert len(doc.data.feelings) == 2 and len(doc.data.dots) == 1


def test_held_notifications_merge_but_every_commit_is_its_own_step(tmp_path: Path) -> None:
    heard = []
    with new_document(tmp_path / "t.cjm", "sample") as doc:
        doc.subscribe(heard.append)
        m = doc.data.ordered_maps()[0]
        stage, lane = doc.data.stages_of(m.id)[0], doc.data.lanes_of(m.id)[0]
        steps = len(doc.history())
        with doc.notifications_held():
            a = doc.execute(C.AddCard(stage.id, lane.id, {"title": "one"}))
            b = doc.execute(C.AddCard(stage.id, lane.id, {"title": "two"}))
            assert heard == []  # nobody lays out or reloads in the middle of a burst
        assert len(heard) == 1
        assert heard[0].added["cards"] == a.added["cards"] | b.added["cards"]
        assert len(doc.history()) == steps + 2
        doc.undo()
        assert len(heard) == 2 and {c.title for c in doc.data.cards.values()} >= {"one"}


def test_the_rooms_feelings_move_the_emotion_curve(tmp_path: Path) -> None:
    from app.layout import layout_map

    with new_document(tmp_path / "t.cjm", "sample") as doc:
        m = doc.data.ordered_maps()[0]
        stage = doc.data.stages_of(m.id)[0]
        before = layout_map(doc.data, m.id).curve
        assert before.room == () and before.room_band == ()
        for pid, score in ((1, 2), (2, 2), (3, 1)):
            doc.execute(SetFeeling(stage.id, pid, f"P{pid}", score))
        after = layout_map(doc.data, m.id).curve
        # the cards' points stay the cards'; the room gets its own point and band
        assert [p.card_id for p in after.points] == [p.card_id for p in before.points]
        (room,) = after.room
        assert room.stage_id == stage.id and abs(room.score - 5 / 3) < 1e-9  # the room's mean
        ys = [y for _, y in after.room_band]
        y_of = lambda v: after.band.y + (2 - v) / 4 * after.band.h  # noqa: E731
        assert abs(min(ys) - y_of(2)) < 1e-6 and abs(max(ys) - y_of(1.5)) < 1e-6  # q3..q1
