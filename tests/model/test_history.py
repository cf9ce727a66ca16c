"""The persistent history: survives reopening, merges typing, limit, clean marker, versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import CommandError
from app.model import commands as C
from app.model.document import Document
from app.model.history import merge
from app.model.ops import Op


def test_history_survives_reopen(small: tuple[Document, dict[str, int]]) -> None:
    doc, ids = small
    doc.execute(C.MoveCards([(ids["Sees ad"], ids["Use"], ids["Emotions"], 0)]))
    doc.undo()
    labels = [s.label for s in doc.history()]
    data = doc.snapshot()
    path = doc.path
    doc.close()
    with Document.open(path) as again:
        assert [s.label for s in again.history()] == labels
        assert again.data == data
        assert again.redo_label == "Move card 'Sees ad' to Use"
        again.redo()
        assert again.data.cards[ids["Sees ad"]].stage_id == ids["Use"]
        again.jump_to(0)
        assert not again.data.maps
        again.jump_to(len(labels))
        assert again.data.cards[ids["Sees ad"]].stage_id == ids["Use"]


def test_new_edit_drops_redo_branch(small: tuple[Document, dict[str, int]]) -> None:
    doc, ids = small
    doc.undo()
    assert doc.can_redo
    doc.execute(C.VoteCard(ids["Checkout"]))
    assert not doc.can_redo
    assert doc.history()[-1].label == "Vote for 'Checkout'"
    with pytest.raises(CommandError):
        doc.redo()


def test_limit_trims_oldest(small: tuple[Document, dict[str, int]]) -> None:
    doc, ids = small
    doc.set_history_limit(3)
    assert len(doc.history()) == 3
    for _ in range(5):
        doc.execute(C.VoteCard(ids["Checkout"]))
    assert len(doc.history()) == 3
    for _ in range(3):
        doc.undo()
    assert not doc.can_undo
    assert doc.data.cards[ids["Checkout"]].votes == 2
    assert doc.history_limit == 3


def test_clean_marker_and_merge_barrier(small: tuple[Document, dict[str, int]]) -> None:
    doc, ids = small
    assert not doc.is_clean
    doc.mark_clean()
    assert doc.is_clean
    doc.execute(C.UpdateCard(ids["Checkout"], {"title": "Pay"}, merge_key="k"))
    assert not doc.is_clean
    doc.undo()
    assert doc.is_clean
    doc.redo()
    doc.mark_clean()
    depth = len(doc.history())
    # typing after an export starts a new step, so the exported state stays reachable
    doc.execute(C.UpdateCard(ids["Checkout"], {"title": "Pay now"}, merge_key="k"))
    assert len(doc.history()) == depth + 1


def test_named_versions(small: tuple[Document, dict[str, int]], tmp_path: Path) -> None:
    doc, ids = small
    v = doc.name_version("Q3 review")
    q3 = doc.snapshot()
    doc.execute(C.DeleteStage(ids["Aware"]))
    doc.execute(C.VoteCard(ids["Checkout"]))
    assert [x.name for x in doc.versions()] == ["Q3 review"]
    assert doc.version_data(v.id) == q3
    doc.restore_version(v.id)
    assert doc.data == q3
    assert doc.undo_label == "Restore version 'Q3 review'"
    doc.undo()
    assert ids["Sees ad"] not in doc.data.cards
    with pytest.raises(CommandError):
        doc.name_version("   ")


def test_merge_folds_updates() -> None:
    a = [Op("update", "cards", 1, {"title": "a"}, {"title": "ab"})]
    b = [Op("update", "cards", 1, {"title": "ab"}, {"title": "abc"}),
         Op("update", "cards", 2, {"votes": 0}, {"votes": 1})]
    assert merge(a, b) == [Op("update", "cards", 1, {"title": "a"}, {"title": "abc"}),
                           Op("update", "cards", 2, {"votes": 0}, {"votes": 1})]
    back = [Op("update", "cards", 1, {"title": "ab"}, {"title": "a"})]
    assert merge(a, back) == []


def test_exception_inside_command_changes_nothing(small: tuple[Document, dict[str, int]]) -> None:
    doc, ids = small

    class Boom(C.Command):
        def plan(self, state):  # type: ignore[no-untyped-def]
            raise RuntimeError("bug")

        def label(self, state):  # type: ignore[no-untyped-def]
            return "Boom"

    before, history = doc.snapshot(), doc.history()
    with pytest.raises(RuntimeError), doc.macro("Two"):
        doc.execute(C.VoteCard(ids["Checkout"]))
        doc.execute(Boom())
    assert doc.data == before and doc.history() == history
    doc.close()
    with Document.open(doc.path) as again:
        assert again.data == before


def test_overdue_review_is_noted(small: tuple[Document, dict[str, int]]) -> None:
    import datetime as dt

    doc, ids = small
    assert "has never been reviewed" in doc.notes()[0]
    doc.execute(C.UpdateMap(ids["map"], {"last_reviewed": "2026-01-10", "review_interval_days": 90}))
    assert "overdue for review" in doc.notes(today=dt.date(2026, 6, 1))[0]
    assert doc.notes(today=dt.date(2026, 2, 1)) == []
    assert any("overdue" in n for n in doc.notes()) == (dt.date.today() > dt.date(2026, 4, 10))
