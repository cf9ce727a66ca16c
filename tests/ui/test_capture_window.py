"""Live capture in the real main window, docks shown, keys sent as a keyboard sends them.

Every key goes through the window to whichever widget has the focus (tests/ui/keyboard.py),
so focus jumping to a dock or a typed letter taken as a command shows up here as a lost or
mangled idea in the document.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.model.document import Document
from app.model.schema import CARD_FOR_LANE, CardKind
from tests.made import new_document, new_file
from tests.ui.conftest import ids, shown_window
from tests.ui.keyboard import ALT, SHIFT, activate, focus_widget, press, type_text

K = Qt.Key
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def b2c(tmp_path: Path):
    d = new_document(tmp_path / "hotel.cjm", "b2c")
    yield d
    d.close()


def cell_point(window, stage_id: int, lane_id: int):
    """A point inside the cell below its cards (viewport pixels)."""
    view = window.view
    r = view.map_scene.cell_rect(stage_id, lane_id)
    return view.mapFromScene(QPointF(r.x + r.w * 0.5, r.bottom - 4))


def titles(doc: Document, stage_id: int, lane_id: int) -> list[str]:
    return [c.title for c in doc.data.cell(stage_id, lane_id)]


def test_a_whole_workshop_capture_keeps_every_idea_in_its_cell(qtbot, b2c) -> None:
    """33 ideas typed as people type them: lowercase starts, digits, punctuation, other
    scripts; Tab and arrows between cells, F11 and Esc mid-card, clicks away mid-card."""
    doc = b2c
    n = ids(doc)
    win = shown_window(qtbot, doc)
    assert all(d.isVisible() for d in win.docks if d.objectName() != "Overview")
    activate(qtbot, win)
    want: dict[tuple[str, str], list[str]] = {}

    def idea(stage: str, lane: str, text: str, end: Qt.Key | None = K.Key_Return,
             mods=Qt.KeyboardModifier.NoModifier) -> None:
        type_text(win, text)
        want.setdefault((stage, lane), []).append(text)
        if end is not None:
            press(win, end, mods)

    press(win, K.Key_F11)
    assert win.workshop is not None
    idea("Awareness", "Touchpoints", "instagram ad for the spa weekend")
    idea("Awareness", "Touchpoints", "friend's wedding photos at the lake", K.Key_Tab)
    idea("Consideration", "Touchpoints", "3 booking sites open side by side")
    idea("Consideration", "Touchpoints", "tripadvisor reviews from 2019?", K.Key_Down)
    idea("Consideration", "Actions", "compares room photos with guests' photos")
    idea("Consideration", "Actions", "asks on whatsapp: 'anyone been?'", K.Key_Down)
    idea("Consideration", "Thoughts", "is breakfast included or not???", K.Key_Down)
    idea("Consideration", "Emotions", "excited but unsure", None)
    press(win, K.Key_Up, ALT)  # score +1 while typing
    press(win, K.Key_Return)
    idea("Consideration", "Emotions", "10% off feels like a trick", None)
    press(win, K.Key_Down, ALT)
    press(win, K.Key_Down, ALT)
    press(win, K.Key_Tab)
    idea("Purchase", "Emotions", "relieved once it's booked", None)
    press(win, K.Key_Up, ALT)
    press(win, K.Key_Up, ALT)
    press(win, K.Key_Down)
    # F11 in the middle of a card: the card is kept, workshop mode ends
    idea("Purchase", "Pain points", "2 hour queue at check-in", K.Key_F11)
    assert win.workshop is None
    assert titles(doc, n["Purchase"], n["Pain points"]) == ["2 hour queue at check-in"]
    press(win, K.Key_F11)
    assert win.workshop is not None
    idea("Purchase", "Pain points", "promo code SPRING24 rejected – no reason given")
    # Esc in the middle of a card keeps it (and stays in workshop mode)
    idea("Purchase", "Pain points", "card declined, charged anyway (€189.00)", K.Key_Escape)
    assert win.workshop is not None
    press(win, K.Key_Down)
    idea("Purchase", "Opportunities", "one-page checkout, apple pay")
    idea("Purchase", "Opportunities", "show total incl. city tax up front", None)
    # a click on another cell in the middle of a card keeps the card and moves there
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=cell_point(win, n["Retention"], n["Thoughts"]))
    idea("Retention", "Thoughts", "why do i need an app to open my door?")
    idea("Retention", "Thoughts", "room was noisy – next to the lift")
    idea("Retention", "Thoughts", "free wifi was slow")
    idea("Retention", "Thoughts", "ok the pillow menu was a nice touch 🙂", K.Key_Down)
    idea("Retention", "Emotions", "annoyed at the 11:00 checkout", None)
    press(win, K.Key_Down, ALT)
    press(win, K.Key_Down)
    idea("Retention", "Pain points", "minibar charge for water i never drank")
    idea("Retention", "Pain points", "late check-out costs 40€/hour", K.Key_Down)
    idea("Retention", "Opportunities", "text when the room is ready")
    idea("Retention", "Opportunities", "let guests choose a quiet room", K.Key_Tab)
    idea("Advocacy", "Opportunities", "ask for a review only after the refund", K.Key_Up)
    for _ in range(4):
        press(win, K.Key_Up)
    idea("Advocacy", "Touchpoints", "google review: 3/5 stars")
    idea("Advocacy", "Touchpoints", "instagram story tagging the spa", K.Key_Down)
    idea("Advocacy", "Actions", "tells colleagues: «never again»")
    idea("Advocacy", "Actions", "books again for 2025 anyway", K.Key_Down)
    idea("Advocacy", "Thoughts", "予約確認メールが来ない")
    idea("Advocacy", "Thoughts", "שירות מצוין בקבלה")
    idea("Advocacy", "Thoughts", "नाश्ता ठंडा था")
    press(win, K.Key_Tab, SHIFT)
    idea("Retention", "Thoughts", "-2 degrees in the pool, nobody told us")
    press(win, K.Key_Escape)  # nothing typed: leaves workshop mode
    assert win.workshop is None
    assert focus_widget() is win.view
    # outside workshop mode: double-click an empty cell, type, click into a dock
    qtbot.mouseDClick(win.view.viewport(), Qt.MouseButton.LeftButton,
                      pos=cell_point(win, n["Awareness"], n["Backstage"]))
    type_text(win, "crm sends the same promo 4x")
    want.setdefault(("Awareness", "Backstage"), []).append("crm sends the same promo 4x")
    target = next(w for w in win.maps_panel.findChildren(QWidget)
                  if w.isVisible() and w.focusPolicy() & Qt.FocusPolicy.ClickFocus)
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.rect().center())
    assert focus_widget() is not win.view

    got = {(s, ln): titles(doc, n[s], n[ln]) for s, ln in want}
    assert got == want
    total = sum(len(v) for v in want.values())
    assert total >= 30
    assert len(doc.data.cards) == total
    scores = {c.title: c.emotion for c in doc.data.cards.values() if c.kind == CardKind.EMOTION}
    assert scores == {"excited but unsure": 1, "10% off feels like a trick": -2,
                      "relieved once it's booked": 2, "annoyed at the 11:00 checkout": -1}
    for s, ln in want:
        kind = CARD_FOR_LANE[doc.data.lanes[n[ln]].kind]
        assert {c.kind for c in doc.data.cell(n[s], n[ln])} == {kind}
    assert len(doc.history()) == total  # one undo step per idea


def test_tab_moves_to_the_next_stage_and_the_focus_stays_on_the_map(qtbot, b2c) -> None:
    win = shown_window(qtbot, b2c)
    n = ids(b2c)
    activate(qtbot, win)
    press(win, K.Key_F11)
    for stage in ("Awareness", "Consideration", "Purchase"):
        type_text(win, f"idea in {stage.lower()}")
        press(win, K.Key_Tab)
        assert focus_widget() is win.view
    press(win, K.Key_Tab, SHIFT)
    type_text(win, "back one")
    press(win, K.Key_Return)
    assert titles(b2c, n["Consideration"], n["Touchpoints"]) == ["idea in consideration"]
    assert titles(b2c, n["Purchase"], n["Touchpoints"]) == ["idea in purchase", "back one"]


@pytest.mark.parametrize("text", ["free wifi was slow", "2 hour queue at check-in",
                                  "room was noisy", "-2 degrees in the pool", "vip lounge",
                                  "e-mail never came", "pool closed at 6", "¿dónde está?",
                                  " leading space trimmed"])
def test_titles_starting_with_any_character_are_text(qtbot, b2c, text: str) -> None:
    win = shown_window(qtbot, b2c)
    n = ids(b2c)
    activate(qtbot, win)
    press(win, K.Key_F11)
    for _ in range(4):
        press(win, K.Key_Down)  # Pain points
    type_text(win, text)
    press(win, K.Key_Return)
    (card,) = b2c.data.cards.values()
    assert (card.title, card.stage_id, card.lane_id) == (
        text.strip(), n["Awareness"], n["Pain points"])
    assert card.kind == CardKind.PAIN_POINT and card.emotion is None
    assert win.workshop is not None and win.workshop.focus_stage is None


def test_mode_indicator_says_ready_typing_or_selected(qtbot, b2c) -> None:
    win = shown_window(qtbot, b2c)
    activate(qtbot, win)
    press(win, K.Key_F11)
    chip = win.workshop.indicator
    assert chip.isVisible() and "READY" in chip.text() and "Awareness" in chip.text()
    type_text(win, "slow lift")
    assert "TYPING" in chip.text()
    press(win, K.Key_Escape)
    assert "READY" in chip.text()
    win.select_all()
    assert "1 SELECTED" in chip.text()


def test_undo_while_typing_removes_the_card_and_stops_typing(qtbot, b2c) -> None:
    win = shown_window(qtbot, b2c)
    activate(qtbot, win)
    press(win, K.Key_F11)
    type_text(win, "first idea")
    press(win, K.Key_Return)
    type_text(win, "half a seco")
    press(win, K.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [c.title for c in b2c.data.cards.values()] == ["first idea"]
    type_text(win, "again")
    press(win, K.Key_Return)
    assert sorted(c.title for c in b2c.data.cards.values()) == ["again", "first idea"]


def test_closing_the_window_mid_card_keeps_the_text(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "close.cjm"
    doc = new_document(path, "b2c")
    win = shown_window(qtbot, doc)
    activate(qtbot, win)
    press(win, K.Key_F11)
    type_text(win, "still typing when the laptop lid closed")
    win.close()
    again = Document.open(path)
    try:
        assert [c.title for c in again.data.cards.values()] == [
            "still typing when the laptop lid closed"]
    finally:
        again.close()


def test_the_editor_moves_its_caret_with_left_home_end(qtbot, b2c) -> None:
    win = shown_window(qtbot, b2c)
    activate(qtbot, win)
    press(win, K.Key_F11)
    type_text(win, "wifi slow")
    press(win, K.Key_Home)
    type_text(win, "free ")
    press(win, K.Key_End)
    for _ in range(4):
        press(win, K.Key_Left)
    type_text(win, "very ")
    press(win, K.Key_Right)
    press(win, K.Key_Delete)
    press(win, K.Key_Backspace)
    type_text(win, "L")
    press(win, K.Key_Return)
    (card,) = b2c.data.cards.values()
    assert card.title == "free wifi very Low"


def test_ctrl_v_pastes_into_the_title_being_typed(qtbot, b2c) -> None:
    win = shown_window(qtbot, b2c)
    activate(qtbot, win)
    QApplication.clipboard().setText("booking ref\nAB-1234")
    press(win, K.Key_F11)
    type_text(win, "lost ")
    press(win, K.Key_V, Qt.KeyboardModifier.ControlModifier)
    press(win, K.Key_Return)
    (card,) = b2c.data.cards.values()
    assert card.title == "lost booking ref AB-1234"


def test_ctrl_v_pastes_into_an_existing_title(qtbot, doc) -> None:
    win = shown_window(qtbot, doc)
    activate(qtbot, win)
    card = doc.data.cards_of(doc.data.ordered_maps()[0].id)[0]
    count = len(doc.data.cards)
    win.scene.select_cards([card.id])
    press(win, K.Key_F2)
    QApplication.clipboard().setText(" (seen twice)")
    press(win, K.Key_End)
    press(win, K.Key_V, Qt.KeyboardModifier.ControlModifier)
    press(win, K.Key_Return)
    assert doc.data.cards[card.id].title == card.title + " (seen twice)"
    assert len(doc.data.cards) == count


def test_esc_with_cards_selected_clears_the_selection_first(qtbot, doc) -> None:
    win = shown_window(qtbot, doc)
    activate(qtbot, win)
    press(win, K.Key_F11)
    win.select_all()
    assert win.scene.selected_card_ids()
    press(win, K.Key_Escape)
    assert not win.scene.selected_card_ids()
    assert win.workshop is not None
    press(win, K.Key_Escape)
    assert win.workshop is None


@pytest.mark.parametrize("kill_after", [12, None])
def test_a_half_typed_card_survives_kill_9(tmp_path: Path, kill_after: int | None) -> None:
    """The card being typed is in the document after every key: kill -9 in the middle
    of a word keeps what was typed (Enter was never pressed)."""
    path = tmp_path / "crash.cjm"
    new_file(path, "b2c")
    text = "half-typed idea about the lobb"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
           "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state")}
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("keyboard_child.py")), str(path), text],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert child.stdout is not None
    wanted = kill_after or len(text)
    typed = 0
    try:
        while typed < wanted:
            line = child.stdout.readline()
            assert line, child.stderr.read() if child.stderr else "child ended"
            typed = int(line)
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)
    again = Document.open(path)  # the file opens after the crash
    try:
        (card,) = again.data.cards.values()
        assert text.startswith(card.title) and len(card.title) >= typed
        assert card.lane_id == again.data.lanes_of(card.map_id)[0].id
        assert again.undo_label == f"Add card '{card.title}'"  # one step, named by its text
    finally:
        again.close()
