"""Document.batch (several undo steps, one transaction, durable callbacks) and deferred
notifications (notifications_held(defer=True) + flush_notifications): what a room burst
relies on. Each test drives a real document on disk through its public methods."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from app.errors import CommandError, DiskFullError
from app.model import commands as C
from app.model.document import Document
from app.model.state import Change
from tests.made import new_document


def _sample(tmp_path: Path) -> tuple[Document, int, int]:
    doc = new_document(tmp_path / "burst.cjm", "sample")
    m = doc.data.ordered_maps()[0]
    return doc, doc.data.stages_of(m.id)[0].id, doc.data.lanes_of(m.id)[0].id


def _titles(doc: Document) -> set[str]:
    return {c.title for c in doc.data.cards.values()}


def _too_big(stage: int, lane: int) -> C.Command:
    """One step of twenty long cards (more than a full disk takes)."""
    return C.AddCards([(stage, lane, {"title": "long", "body": "x" * 4000})] * 20)


def _card(change: Change) -> int:
    return next(iter(change.added["cards"]))


# ------------------------------------------------------------------ deferral
def test_deferred_changes_wait_for_the_flush_and_arrive_merged(tmp_path: Path) -> None:
    doc, stage, lane = _sample(tmp_path)
    heard: list[Change] = []
    doc.subscribe(heard.append)
    with doc:
        with doc.notifications_held(defer=True):
            a = doc.execute(C.AddCard(stage, lane, {"title": "queue at the till"}))
        assert heard == [] and doc.notifications_waiting
        with doc.notifications_held(defer=True):  # a second slice of the same burst
            b = doc.execute(C.AddCard(stage, lane, {"title": "2nd idea: wi-fi down"}))
        assert heard == []
        assert {"queue at the till", "2nd idea: wi-fi down"} <= _titles(doc)  # committed
        assert doc.flush_notifications() is True
        assert len(heard) == 1 and heard[0].added["cards"] == {_card(a), _card(b)}
        assert heard[0].history  # the history panel knows to reload
        assert not doc.notifications_waiting
        assert doc.flush_notifications() is False and len(heard) == 1


def test_an_edit_of_the_facilitators_tells_the_earlier_deferred_ones_with_it(
        tmp_path: Path) -> None:
    doc, stage, lane = _sample(tmp_path)
    seen: list[tuple[set[int], set[str]]] = []  # what each notification says and shows
    doc.subscribe(lambda ch: seen.append((set(ch.added.get("cards", set())) |
                                          set(ch.updated.get("cards", set())), _titles(doc))))
    with doc:
        with doc.notifications_held(defer=True):
            room = _card(doc.execute(C.AddCard(stage, lane, {"title": "from a phone"})))
        typed = next(iter(doc.data.cards))
        doc.execute(C.UpdateCard(typed, {"title": "typed by the facilitator"}))
        # one notification, holding the room's earlier card as well as the later edit:
        # no listener hears the later edit while the earlier one is still untold
        assert len(seen) == 1
        assert {room, typed} <= seen[0][0]
        assert {"from a phone", "typed by the facilitator"} <= seen[0][1]
        assert doc.flush_notifications() is False and len(seen) == 1


def test_a_notification_is_never_told_twice_nor_out_of_order(tmp_path: Path) -> None:
    doc, stage, lane = _sample(tmp_path)
    order: list[int] = []  # the card ids in the order listeners first hear of them
    doc.subscribe(lambda ch: order.extend(sorted(ch.added.get("cards", set()))))
    made: list[int] = []
    with doc:
        for n in range(6):
            if n % 2:
                made.append(_card(doc.execute(C.AddCard(stage, lane, {"title": f"desk {n}"}))))
            else:
                with doc.notifications_held(defer=True):
                    made.append(_card(doc.execute(
                        C.AddCard(stage, lane, {"title": f"phone {n}"}))))
            if n == 4:
                doc.flush_notifications()
        doc.flush_notifications()
        assert order == made  # each once, in commit order


def test_undo_while_changes_are_deferred(tmp_path: Path) -> None:
    doc, stage, lane = _sample(tmp_path)
    shown: list[set[str]] = []
    doc.subscribe(lambda ch: shown.append(_titles(doc)))
    with doc:
        steps = len(doc.history())
        with doc.notifications_held(defer=True):
            doc.execute(C.AddCard(stage, lane, {"title": "idea one"}))
            doc.execute(C.AddCard(stage, lane, {"title": "idea two"}))
        assert len(doc.history()) == steps + 2 and shown == []
        doc.undo()  # the facilitator takes the last idea back before the views heard it
        assert len(shown) == 1 and "idea one" in shown[0] and "idea two" not in shown[0]
        assert doc.flush_notifications() is False
        doc.redo()
        assert len(shown) == 2 and {"idea one", "idea two"} <= shown[1]
    with Document.open(tmp_path / "burst.cjm") as again:
        assert {"idea one", "idea two"} <= _titles(again)


# ------------------------------------------------------------------ batches
def test_a_batch_is_one_transaction_of_separate_undo_steps(tmp_path: Path) -> None:
    doc, stage, lane = _sample(tmp_path)
    heard: list[Change] = []
    doc.subscribe(heard.append)
    durable: list[object] = []
    steps = len(doc.history())
    with doc.batch():
        for title in ("ticket machine broken", "staff friendly", "停车场太远"):
            doc.execute(C.AddCard(stage, lane, {"title": title}))
            doc.durable(durable.append)
        assert durable == [] and heard == []  # nothing is on disk yet, nobody is told
    assert durable == [None, None, None]
    assert len(heard) == 1 and len(heard[0].added["cards"]) == 3
    assert len(doc.history()) == steps + 3
    doc.undo()  # one idea at a time
    assert {"ticket machine broken", "staff friendly"} <= _titles(doc)
    assert "停车场太远" not in _titles(doc)
    doc.durable(durable.append)  # outside a batch: at once
    assert durable[-1] is None
    doc.close()
    with Document.open(tmp_path / "burst.cjm") as again:
        assert {"ticket machine broken", "staff friendly"} <= _titles(again)
        assert len(again.history()) == steps + 3 and again.can_redo


def test_a_refused_edit_in_a_batch_leaves_the_others(tmp_path: Path) -> None:
    doc, stage, lane = _sample(tmp_path)
    steps = len(doc.history())
    with doc.batch():
        doc.execute(C.AddCard(stage, lane, {"title": "before"}))
        with pytest.raises(CommandError):
            doc.execute(C.UpdateCard(987654, {"title": "a card that is not there"}))
        doc.execute(C.AddCard(stage, lane, {"title": "after"}))
    assert {"before", "after"} <= _titles(doc) and len(doc.history()) == steps + 2
    doc.close()
    with Document.open(tmp_path / "burst.cjm") as again:
        assert {"before", "after"} <= _titles(again)


def test_a_full_disk_in_a_batch_never_acknowledges_what_is_not_on_disk(
        tmp_path: Path) -> None:
    """SQLite may roll the whole transaction back on a full disk, or only the statement:
    either way, every edit told durable is in the file, no other, and memory = file."""
    doc, stage, lane = _sample(tmp_path)
    told: dict[str, object] = {}
    raw = doc._conn.connection.dbapi_connection  # test-only: simulate a full disk
    with contextlib.suppress(DiskFullError), doc.batch():
        doc.execute(C.AddCard(stage, lane, {"title": "small idea"}))
        doc.durable(lambda err: told.__setitem__("small idea", err))
        pages = raw.execute("PRAGMA page_count").fetchone()[0]
        raw.execute(f"PRAGMA max_page_count={pages}")
        with pytest.raises(DiskFullError):
            doc.execute(_too_big(stage, lane))
        raw.execute("PRAGMA max_page_count=1073741823")
        with contextlib.suppress(DiskFullError):  # refused too when the batch is lost
            doc.execute(C.AddCard(stage, lane, {"title": "after the full disk"}))
            doc.durable(lambda err: told.__setitem__("after the full disk", err))
    assert "small idea" in told
    memory = doc.snapshot()
    history = doc.history()
    doc.close()
    with Document.open(tmp_path / "burst.cjm") as again:
        on_disk = _titles(again)
        assert again.snapshot() == memory and again.history() == history
    for title, error in told.items():
        assert (title in on_disk) == (error is None), title
    assert "long" not in on_disk


def test_a_failed_batch_undoes_all_of_it_and_tells_the_waiting(tmp_path: Path) -> None:
    doc, stage, lane = _sample(tmp_path)
    before = doc.snapshot()
    history = doc.history()
    heard: list[Change] = []
    doc.subscribe(heard.append)
    durable: list[object] = []
    raw = doc._conn.connection.dbapi_connection  # test-only: simulate a full disk
    with pytest.raises(DiskFullError), doc.batch():
        doc.execute(C.AddCard(stage, lane, {"title": "acknowledged? no"}))
        doc.durable(durable.append)
        pages = raw.execute("PRAGMA page_count").fetchone()[0]
        raw.execute(f"PRAGMA max_page_count={pages}")
        doc.execute(_too_big(stage, lane))
    raw.execute("PRAGMA max_page_count=1073741823")
    assert len(durable) == 1 and isinstance(durable[0], DiskFullError)
    assert heard == []  # the views never showed what was undone
    assert doc.data == before and doc.history() == history
    doc.execute(C.AddCard(stage, lane, {"title": "later, written"}))  # the file is fine
    doc.close()
    with Document.open(tmp_path / "burst.cjm") as again:
        assert "acknowledged? no" not in _titles(again) and "later, written" in _titles(again)


def test_undo_inside_a_batch_and_batches_inside_holds(tmp_path: Path) -> None:
    doc, stage, lane = _sample(tmp_path)
    heard: list[Change] = []
    doc.subscribe(heard.append)
    with doc:
        with doc.notifications_held(defer=True), doc.batch():
            doc.execute(C.AddCard(stage, lane, {"title": "kept"}))
            doc.execute(C.AddCard(stage, lane, {"title": "taken back"}))
            doc.undo()
        assert heard == []  # committed, and deferred
        assert "kept" in _titles(doc) and "taken back" not in _titles(doc)
        assert doc.can_redo and doc.redo_label
        assert doc.flush_notifications() and len(heard) == 1
