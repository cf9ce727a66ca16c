"""Workshop data in the document: clusters, voters with dot budgets, typed titles; the timer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.errors import CommandError
from app.interchange.json_io import import_json, to_json
from app.model import commands as C
from app.model import grouping as G
from app.model import voting as V
from app.model.document import Document
from app.workshop.dots import dot_budget, dots_on
from app.workshop.state import WorkshopState
from app.workshop.timer import WorkshopTimer, format_seconds, parse_duration
from tests.model.conftest import build_small


@pytest.fixture
def small(doc: Document) -> tuple[Document, dict[str, int]]:
    return doc, build_small(doc)


def undo_redo_exact(doc: Document, command: C.Command) -> None:
    before = doc.snapshot()
    doc.execute(command)
    after = doc.snapshot()
    assert after != before
    doc.undo()
    assert doc.snapshot() == before
    doc.redo()
    assert doc.snapshot() == after


# ------------------------------------------------------------------ typing
def test_typed_title_is_one_step_named_by_its_final_text(small) -> None:
    doc, n = small
    steps = len(doc.history())
    change = doc.execute(C.AddCards([(n["Buy"], n["Pain points"], {"title": "f"})],
                                    merge_key="type:new"))
    cid = next(iter(change.added["cards"]))
    text = "f"
    for ch in "ree wifi was slow":
        text += ch
        doc.execute(C.TypeTitle(cid, text, merge_key="type:new", new=True))
    assert doc.data.cards[cid].title == "free wifi was slow"
    assert len(doc.history()) == steps + 1
    assert doc.undo_label == "Add card 'free wifi was slow'"


def test_typing_an_existing_title_keeps_the_original_in_the_label(small) -> None:
    doc, n = small
    steps = len(doc.history())
    for text in ("Sees a", "Sees", "Sees poster"):
        doc.execute(C.TypeTitle(n["Sees ad"], text, merge_key="edit:1", original="Sees ad"))
    assert len(doc.history()) == steps + 1
    assert doc.undo_label == "Edit text of card 'Sees ad'"
    doc.undo()
    assert doc.data.cards[n["Sees ad"]].title == "Sees ad"


# ------------------------------------------------------------------ clusters
def test_group_gathers_cards_into_the_first_cell_and_undoes_exactly(small) -> None:
    doc, n = small
    undo_redo_exact(doc, G.GroupCards([n["Sees ad"], n["Checkout"]], "First contact"))
    data = doc.data
    (cluster,) = data.clusters.values()
    assert cluster.label == "First contact"
    cell = [c.title for c in data.cell(n["Aware"], n["Touchpoints"])]
    assert cell == ["Sees ad", "Checkout", "Reads review"]
    assert {c.title for c in data.cluster_cards(cluster.id)} == {"Sees ad", "Checkout"}
    assert doc.undo_label == "Group 2 cards as 'First contact'"


def test_moving_out_leaves_the_group_and_moving_between_members_joins(small) -> None:
    doc, n = small
    doc.execute(G.GroupCards([n["Sees ad"], n["Checkout"]], "First contact"))
    cluster_id = next(iter(doc.data.clusters))
    doc.execute(C.MoveCards([(n["Checkout"], n["Buy"], n["Touchpoints"], 0)]))
    assert doc.data.cards[n["Checkout"]].cluster_id is None  # dragged out
    assert doc.data.cards[n["Sees ad"]].cluster_id == cluster_id  # the last one keeps it
    doc.execute(G.GroupCards([n["Reads review"]], cluster_id=cluster_id))
    # Aware/Touchpoints: Sees ad, Reads review (both in the group); drop Checkout between
    doc.execute(C.MoveCards([(n["Checkout"], n["Aware"], n["Touchpoints"], 1)]))
    assert doc.data.cards[n["Checkout"]].cluster_id == cluster_id
    doc.execute(C.MoveCards([(n["Sees ad"], n["Use"], n["Touchpoints"], 0)]))
    assert doc.data.cards[n["Sees ad"]].cluster_id is None


def test_deleting_every_card_of_a_group_deletes_the_group(small) -> None:
    doc, n = small
    doc.execute(G.GroupCards([n["Sees ad"], n["Reads review"]], "Ads"))
    undo_redo_exact(doc, C.DeleteStage(n["Aware"]))
    assert not doc.data.clusters
    doc.execute(G.GroupCards([n["Checkout"]], "Pay"))
    cluster_id = next(iter(doc.data.clusters))
    undo_redo_exact(doc, G.UpdateCluster(cluster_id, {"label": "Paying"}))
    undo_redo_exact(doc, G.UngroupCards([n["Checkout"]]))
    assert not doc.data.clusters


def test_dissolve_keeps_the_cards(small) -> None:
    doc, n = small
    doc.execute(G.GroupCards([n["Sees ad"], n["Reads review"]], "Ads"))
    cluster_id = next(iter(doc.data.clusters))
    undo_redo_exact(doc, G.DeleteCluster(cluster_id))
    assert n["Sees ad"] in doc.data.cards and doc.data.cards[n["Sees ad"]].cluster_id is None


# ------------------------------------------------------------------ dots
def test_budget_limits_each_voter_and_votes_follow_dots(small) -> None:
    doc, n = small
    doc.execute(V.AddVoter(n["map"], "Ana", budget=2))
    doc.execute(V.AddVoter(n["map"], "Ben"))  # takes Ana's budget
    ana, ben = (v.id for v in doc.data.voters_of(n["map"]))
    assert [v.budget for v in doc.data.voters_of(n["map"])] == [2, 2]
    undo_redo_exact(doc, V.CastDot(ana, n["Saddle hurts"]))
    doc.execute(V.CastDot(ana, n["Saddle hurts"]))
    with pytest.raises(CommandError, match="Ana has no dots left"):
        doc.execute(V.CastDot(ana, n["Checkout"]))
    doc.execute(V.CastDot(ben, n["Checkout"]))
    budget = {v.name: (v.used, v.remaining) for v in dot_budget(doc.data, n["map"])}
    assert budget == {"Ana": (2, 0), "Ben": (1, 1)}
    assert doc.data.cards[n["Saddle hurts"]].votes == 2
    assert dots_on(doc.data, n["Saddle hurts"]) == {ana: 2}
    with pytest.raises(CommandError, match="already placed 2"):
        doc.execute(V.UpdateVoter(ana, {"budget": 1}))
    undo_redo_exact(doc, V.RemoveDot(ana, n["Saddle hurts"]))
    undo_redo_exact(doc, V.DeleteVoter(ana))
    assert doc.data.cards[n["Saddle hurts"]].votes == 0
    undo_redo_exact(doc, V.SetDotBudget(n["map"], 7))
    undo_redo_exact(doc, V.ClearDots(n["map"]))
    assert doc.data.cards[n["Checkout"]].votes == 0
    with pytest.raises(CommandError, match="already a voter named"):
        doc.execute(V.AddVoter(n["map"], " ben "))


def test_deleting_a_voted_card_removes_its_dots(small) -> None:
    doc, n = small
    doc.execute(V.AddVoter(n["map"], "Ana", budget=3))
    ana = doc.data.voters_of(n["map"])[0].id
    doc.execute(V.CastDot(ana, n["Checkout"]))
    undo_redo_exact(doc, C.DeleteCards([n["Checkout"]]))
    assert dot_budget(doc.data, n["map"])[0].remaining == 3


def test_workshop_rows_survive_reopen_duplicate_and_json(small, tmp_path: Path) -> None:
    doc, n = small
    doc.execute(G.GroupCards([n["Sees ad"], n["Reads review"]], "Ads"))
    doc.execute(V.AddVoter(n["map"], "Chloé", budget=3))
    voter = doc.data.voters_of(n["map"])[0].id
    doc.execute(V.CastDot(voter, n["Sees ad"]))
    doc.execute(C.DuplicateMap(n["map"]))
    data = doc.snapshot()
    assert len(data.clusters) == 2 and len(data.voters) == 2 and len(data.dots) == 2
    path = doc.path
    doc.close()
    again = Document.open(path)
    try:
        assert again.snapshot() == data
        text = to_json(again.data)
        assert json.loads(text)["version"] == 2
        out = tmp_path / "w.json"
        out.write_text(text, encoding="utf-8")
        back = import_json(out).data
        assert len(back.clusters) == 2 and len(back.dots) == 2
        assert sorted(c.title for c in back.cards.values() if c.cluster_id) == sorted(
            c.title for c in data.cards.values() if c.cluster_id)
    finally:
        again.close()


def test_plain_content_is_still_written_as_json_version_1(small) -> None:
    doc, _n = small
    body = json.loads(to_json(doc.data))
    assert body["version"] == 1
    assert "clusters" not in body["data"]
    assert all("cluster_id" not in c for c in body["data"]["cards"].values())


# ------------------------------------------------------------------ timer
class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_timer_set_start_pause_finish() -> None:
    clock = Clock()
    timer = WorkshopTimer(300, clock=clock)
    assert timer.state == "idle" and timer.snapshot().text == "5:00"
    timer.start()
    clock.t += 61.5
    assert timer.state == "running" and timer.snapshot().text == "3:59"
    timer.pause()
    clock.t += 100
    assert timer.state == "paused" and timer.remaining() == pytest.approx(238.5)
    timer.toggle()
    clock.t += 238.4
    assert timer.snapshot().text == "0:01"
    clock.t += 0.2
    assert timer.state == "finished" and timer.remaining() == 0
    assert timer.snapshot().fraction == 1.0
    timer.start()  # again from the full length
    assert timer.remaining() == 300
    v = timer.version
    timer.add(60)
    assert timer.remaining() == 360 and timer.version == v + 1
    timer.reset()
    assert timer.state == "idle" and timer.remaining() == 360
    with pytest.raises(ValueError):
        timer.set(0)


@pytest.mark.parametrize(("text", "seconds"), [
    ("5", 300), ("4:30", 270), ("1:00:00", 3600), ("90s", 90), ("10m", 600), ("1h", 3600),
    (" 2.5 ", 150)])
def test_durations_as_people_type_them(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "-5", "0", "4:75", "13h", "nan"])
def test_bad_durations_say_why(text: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_duration(text)
    assert str(err.value)


def test_format_seconds_rounds_up() -> None:
    assert [format_seconds(s) for s in (0, 0.2, 59.01, 3599.5, 3600)] == [
        "0:00", "0:01", "1:00", "1:00:00", "1:00:00"]


def test_state_snapshot_for_the_room(small) -> None:
    doc, n = small
    doc.execute(V.AddVoter(n["map"], "Ana", budget=2))
    state = WorkshopState(timer=WorkshopTimer(120, clock=Clock()))
    state.concealing = True
    state.conceal_new({n["Checkout"]})
    snap = state.snapshot(doc.data, n["map"])
    assert snap["timer"]["text"] == "2:00"
    assert snap["voters"][0]["remaining"] == 2
    assert snap["concealed"] == [n["Checkout"]]
    assert state.reveal() == {n["Checkout"]} and not state.concealing
