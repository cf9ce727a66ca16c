"""Workshop mode: capture on the canvas alone, then the wall-display tools in the window:
timer, key hints, dots per voter, ranking, stage focus, groups, face-down cards."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from app.model import voting as V
from app.model.schema import CardKind
from app.ui.canvas.workshop import FACE_DOWN, Workshop
from app.workshop.timer import WorkshopTimer
from tests.ui.conftest import ids, shown_window
from tests.ui.keyboard import ALT, CTRL, SHIFT, activate, press, type_text

K = Qt.Key


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_twenty_cards_across_five_stages_with_keys_only(qtbot, view, doc):
    n = ids(doc)
    ws = Workshop(view)
    w = view.viewport()
    lanes = ["Thoughts", "Emotions", "Goals", "Pain points"]  # lanes 2..5 of the sample
    stages = [s.id for s in doc.data.stages_of(n["map"])][:5]
    before = {(sid, ln): len(doc.data.cell(sid, n[ln])) for sid in stages for ln in lanes}
    for si in range(5):
        qtbot.keyClick(w, Qt.Key.Key_Down)
        qtbot.keyClick(w, Qt.Key.Key_Down)
        for lane in lanes:
            qtbot.keyClicks(w, f"idea {si} for {lane.lower()}")
            qtbot.keyClick(w, Qt.Key.Key_Down)  # keeps the card, goes one lane down
        for _ in range(6):
            qtbot.keyClick(w, Qt.Key.Key_Up)
        qtbot.keyClick(w, Qt.Key.Key_Tab)
    for si, sid in enumerate(stages):
        for lane in lanes:
            cell = doc.data.cell(sid, n[lane])
            assert len(cell) == before[(sid, lane)] + 1
            new = cell[-1]
            assert new.title == f"idea {si} for {lane.lower()}"
            kind = doc.data.lanes[n[lane]].kind.value.removesuffix("s")
            assert new.kind.value == kind
            assert new.emotion == (0 if new.kind == CardKind.EMOTION else None)
    assert len(doc.history()) == 20
    ws.close()
    assert view.capture.workshop is False


def test_arrows_move_cursor_and_esc_keeps_the_card(qtbot, view, doc):
    n = ids(doc)
    ws = Workshop(view)
    w = view.viewport()
    qtbot.keyClick(w, Qt.Key.Key_Right)
    qtbot.keyClick(w, Qt.Key.Key_Down)
    assert ws.cell() == (n["Research"], n["Actions"])
    qtbot.keyClicks(w, "compares prices")
    qtbot.keyClick(w, Qt.Key.Key_Escape)  # done typing: the card stays
    new = doc.data.cell(n["Research"], n["Actions"])[-1]
    assert (new.title, new.kind) == ("compares prices", CardKind.ACTION)
    assert view.session is None and ws.cell() == (n["Research"], n["Actions"])
    ws.close()


def test_backspacing_a_new_card_away_leaves_nothing(qtbot, view, doc):
    count, steps = len(doc.data.cards), len(doc.history())
    ws = Workshop(view)
    w = view.viewport()
    qtbot.keyClicks(w, "oops")
    for _ in range(4):
        qtbot.keyClick(w, Qt.Key.Key_Backspace)
    qtbot.keyClick(w, Qt.Key.Key_Return)
    assert len(doc.data.cards) == count and not doc.can_undo and steps == 0
    ws.close()


def window_in_workshop(qtbot, doc, timer=None):
    win = shown_window(qtbot, doc)
    if timer is not None:
        win.workshop_state.timer = timer
    activate(qtbot, win)
    press(win, K.Key_F11)
    assert win.workshop is not None
    return win


def test_timer_set_start_pause_and_a_gentle_end_signal(qtbot, doc, monkeypatch):
    clock = Clock()
    win = window_in_workshop(qtbot, doc, WorkshopTimer(300, clock=clock))
    ws = win.workshop
    assert ws.timer_label.isVisible() and ws.timer_label.text() == "5:00"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("2:30", True))
    press(win, K.Key_T, CTRL | SHIFT)  # Set Timer…
    assert ws.timer_label.text() == "2:30"
    press(win, K.Key_T, CTRL)  # start
    clock.t += 70
    qtbot.wait(300)
    assert ws.timer_label.text() == "1:20"
    press(win, K.Key_T, CTRL)  # pause
    clock.t += 500
    qtbot.wait(300)
    assert ws.timer_label.text().startswith("1:20")
    press(win, K.Key_T, CTRL)
    clock.t += 80
    qtbot.waitUntil(lambda: ws.time_is_up, timeout=2000)
    qtbot.waitUntil(lambda: "Time’s up" in ws.timer_label.text(), timeout=2000)
    styles = set()
    for _ in range(8):  # the label glows softly a few times: no sound, no dialog
        qtbot.wait(260)
        styles.add(ws.timer_label.styleSheet())
    assert len(styles) == 2
    assert win.workshop_state.timer.snapshot().as_dict()["state"] == "finished"


def test_key_hints_follow_the_mode_and_can_be_hidden(qtbot, doc):
    win = window_in_workshop(qtbot, doc)
    ws = win.workshop
    assert ws.hints.isVisible() and "type: new card" in ws.hints.text()
    type_text(win, "a thought")
    assert "Enter: next card" in ws.hints.text()
    press(win, K.Key_Escape)
    press(win, K.Key_H, CTRL)
    assert not ws.hints.isVisible() and not win.workshop_state.hints
    press(win, K.Key_H, CTRL)
    assert ws.hints.isVisible()


def test_dot_budget_per_voter_with_the_dots_left_shown(qtbot, doc):
    n = ids(doc)
    win = shown_window(qtbot, doc)
    doc.execute(V.AddVoter(n["map"], "Ana", budget=2))
    doc.execute(V.AddVoter(n["map"], "Ben", budget=2))
    activate(qtbot, win)
    press(win, K.Key_F11)
    ws = win.workshop

    def dots() -> str:  # voters side by side, each kept on one line (no-break spaces)
        return ws.dots_label.text().replace("\xa0", " ")

    assert "Ana  ●● " in dots() and "2 left" in dots()
    press(win, K.Key_PageDown, CTRL)  # voting as Ana
    assert win.workshop_state.voter_id == doc.data.voters_of(n["map"])[0].id
    card = doc.data.cell(n["Discover"], n["Pain points"])[0]
    win.scene.select_cards([card.id])
    votes = card.votes
    for _ in range(3):
        press(win, K.Key_Equal, ALT)
    assert doc.data.cards[card.id].votes == votes + 2  # the third dot was refused
    assert "no dots left" in win.statusBar().currentMessage()
    assert "▶ Ana  ○○  0 left" in dots()
    press(win, K.Key_PageDown, CTRL)  # Ben
    press(win, K.Key_Equal, ALT)
    assert "Ben  ●○  1 left" in dots()
    press(win, K.Key_Minus, ALT)
    assert doc.data.cards[card.id].votes == votes + 2


def test_ranking_lists_the_most_voted(qtbot, doc):
    n = ids(doc)
    win = window_in_workshop(qtbot, doc)
    ws = win.workshop
    card = doc.data.cell(n["Discover"], n["Pain points"])[0]
    win.scene.select_cards([card.id])
    start = card.votes
    for _ in range(20):
        press(win, K.Key_Equal, ALT)
    assert doc.data.cards[card.id].votes == start + 20
    doc.undo()
    ranked = ws.ranked()
    assert ranked[0][2] == card.id and ranked[0][0] == start + 19
    assert all(a[0] >= b[0] for a, b in itertools.pairwise(ranked))
    press(win, K.Key_R, CTRL)
    assert ws.ranking.isVisible()
    assert card.title in ws.ranking.item(1).text()


def test_focus_dims_other_stages(qtbot, doc):
    n = ids(doc)
    win = window_in_workshop(qtbot, doc)
    press(win, K.Key_Tab)
    press(win, K.Key_F, CTRL | SHIFT)
    scene = win.scene
    for cid, item in scene.cards.items():
        in_focus = doc.data.cards[cid].stage_id == n["Research"]
        assert (item.opacity() == 1.0) == in_focus
    press(win, K.Key_F, CTRL | SHIFT)
    assert all(item.opacity() == 1.0 for item in scene.cards.values())


def test_group_cards_into_a_labelled_cluster(qtbot, doc, monkeypatch):
    n = ids(doc)
    win = window_in_workshop(qtbot, doc)
    a, b = doc.data.cell(n["Discover"], n["Pain points"])[0], doc.data.cell(
        n["Research"], n["Pain points"])[0]
    win.scene.select_cards([a.id, b.id])
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **k: ("Trust in reviews", True))
    press(win, K.Key_G, CTRL)
    (cluster,) = doc.data.clusters.values()
    assert cluster.label == "Trust in reviews"
    assert {c.id for c in doc.data.cluster_cards(cluster.id)} == {a.id, b.id}
    assert doc.data.cards[b.id].stage_id == n["Discover"]  # gathered into the first cell
    frame = win.view.clusters.frames[cluster.id]
    assert frame.isVisible() and frame.label == "Trust in reviews"
    press(win, K.Key_G, CTRL | SHIFT)
    assert not doc.data.clusters and cluster.id not in win.view.clusters.frames


def test_conceal_then_reveal(qtbot, doc):
    win = window_in_workshop(qtbot, doc)
    ws = win.workshop
    press(win, K.Key_H, CTRL | SHIFT)  # conceal new cards
    type_text(win, "secret idea")
    press(win, K.Key_Return)
    card = next(c for c in doc.data.cards.values() if c.title == "secret idea")
    item = win.scene.cards[card.id]
    assert item.preview is not None
    assert [t.text for t in item.preview.title_lines] == [FACE_DOWN]
    press(win, K.Key_R, CTRL | SHIFT)
    assert item.preview is None
    assert "1 card revealed" in win.statusBar().currentMessage() and not ws.state.concealed


def test_esc_leaves_only_when_nothing_is_selected_or_typed(qtbot, doc):
    win = window_in_workshop(qtbot, doc)
    type_text(win, "x")
    press(win, K.Key_Escape)  # done typing
    assert win.workshop is not None
    press(win, K.Key_Down, SHIFT)
    press(win, K.Key_Space)
    press(win, K.Key_Escape)  # clears the selection
    assert win.workshop is not None and not win.scene.selected_card_ids()
    press(win, K.Key_Escape)
    assert win.workshop is None


def test_delete_in_workshop_mode_deletes_the_selection_not_text(qtbot, doc):
    n = ids(doc)
    win = window_in_workshop(qtbot, doc)
    card = doc.data.cell(n["Discover"], n["Touchpoints"])[0]
    win.scene.select_cards([card.id])
    press(win, K.Key_Delete)
    assert card.id not in doc.data.cards
    press(win, K.Key_Z, CTRL)
    assert card.id in doc.data.cards
    type_text(win, "wifi")
    press(win, K.Key_Left)
    press(win, K.Key_Delete)  # while typing, Delete edits the text
    press(win, K.Key_Return)
    assert any(c.title == "wif" for c in doc.data.cards.values())
    assert card.id in doc.data.cards
