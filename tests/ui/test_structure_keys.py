"""Stages, lanes and cards from menus, context menus and keys, in the real main window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from app.model import commands as C
from app.model.schema import CardKind
from tests.made import new_document
from tests.ui.conftest import ids, shown_window
from tests.ui.keyboard import (
    ALT,
    CTRL,
    SHIFT,
    activate,
    answer_dialog,
    choose_in_menu,
    press,
    right_click,
    type_text,
)

K = Qt.Key
YES, NO_ = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


def action(win, name: str) -> QAction:
    act = win.findChild(QAction, name)
    assert act is not None, name
    return act


def header_point(win, stage_id: int):
    r = win.view.map_scene.stages[stage_id].header.rect
    return win.view.mapFromScene(QPointF(r.x + r.w / 2, r.y + r.h / 2))


def lane_point(win, lane_id: int):
    r = win.view.map_scene.lanes[lane_id].label.rect
    return win.view.mapFromScene(QPointF(r.x + r.w / 2, r.y + min(r.h, 30) / 2))


def cell_point(win, stage_id: int, lane_id: int):
    r = win.view.map_scene.cell_rect(stage_id, lane_id)
    return win.view.mapFromScene(QPointF(r.x + r.w / 2, r.bottom - 4))


def card_point(win, card_id: int):
    r = win.view.map_scene.layout.cards[card_id].rect
    return win.view.mapFromScene(QPointF(r.x + r.w * 0.3, r.y + 8))


def context_menu(qtbot, win, pos, entry: str, seen: list | None = None) -> None:
    """Right-click at ``pos`` (viewport pixels) as the mouse does, pick ``entry``."""
    choose_in_menu(entry, seen)
    right_click(win, win.view.viewport(), pos)


@pytest.fixture
def b2c_doc(tmp_path):
    d = new_document(tmp_path / "b2c.cjm", "b2c")
    yield d
    d.close()


def name_field(qtbot, win) -> QLineEdit:
    """Wait for the name field that an insert opens (once its menu has closed)."""
    def ready() -> bool:
        if QApplication.activeWindow() is None:
            win.activateWindow()
        return isinstance(QApplication.focusWidget(), QLineEdit)
    qtbot.waitUntil(ready, timeout=3000)
    return QApplication.focusWidget()


def shown(qtbot, doc):
    win = shown_window(qtbot, doc)
    activate(qtbot, win)
    win.view.fit_map()
    return win


def stage_cards(doc, stage_id: int) -> int:
    return sum(1 for c in doc.data.cards.values() if c.stage_id == stage_id)


def test_delete_stage_from_the_menu_says_how_many_cards_and_undo_restores_exactly(
        qtbot, doc) -> None:
    win = shown(qtbot, doc)
    n = ids(doc)
    before = doc.snapshot()
    links = {k.id for k in doc.data.links.values()
             if doc.data.cards[k.source_id].stage_id == n["Research"]
             or doc.data.cards[k.target_id].stage_id == n["Research"]}
    assert links, "the sample map links cards of Research"
    count = stage_cards(doc, n["Research"])
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=header_point(win, n["Research"]))
    seen: list[str] = []
    answer_dialog(qtbot, NO_, seen)
    action(win, "act-delete-stage").trigger()
    assert n["Research"] in doc.data.stages  # No keeps it
    answer_dialog(qtbot, YES, seen)
    action(win, "act-delete-stage").trigger()
    assert seen[0] == seen[1]
    assert "'Research'" in seen[0] and f"{count} cards" in seen[0]
    assert n["Research"] not in doc.data.stages
    assert not links & set(doc.data.links)
    steps = len(doc.history())
    press(win, K.Key_Z, CTRL)
    assert doc.snapshot() == before
    press(win, K.Key_Y, CTRL)  # Ctrl+Y redoes
    assert n["Research"] not in doc.data.stages and len(doc.history()) == steps


def test_delete_lane_from_its_context_menu(qtbot, doc) -> None:
    win = shown(qtbot, doc)
    n = ids(doc)
    before = doc.snapshot()
    count = sum(1 for c in doc.data.cards.values() if c.lane_id == n["Thoughts"])
    seen_menu: list[list[str]] = []
    seen: list[str] = []
    answer_dialog(qtbot, YES, seen)
    context_menu(qtbot, win, lane_point(win, n["Thoughts"]), "Delete Lane…", seen_menu)
    assert "Insert Lane Above" in seen_menu[0] and "Rename Lane…" in seen_menu[0]
    assert f"{count} cards" in seen[0]
    assert n["Thoughts"] not in doc.data.lanes
    doc.undo()
    assert doc.snapshot() == before


def test_delete_key_on_a_selected_header_deletes_the_stage(qtbot, doc) -> None:
    win = shown(qtbot, doc)
    n = ids(doc)
    before = doc.snapshot()
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=header_point(win, n["First rides"]))
    seen: list[str] = []
    answer_dialog(qtbot, YES, seen)
    press(win, K.Key_Delete)
    assert n["First rides"] not in doc.data.stages
    assert "'First rides'" in seen[0]
    press(win, K.Key_Z, CTRL)
    assert doc.snapshot() == before


def test_insert_stages_and_lanes_from_menus_and_name_them(qtbot, doc) -> None:
    win = shown(qtbot, doc)
    n = ids(doc)
    m = n["map"]
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=header_point(win, n["Research"]))
    action(win, "act-insert-stage-before").trigger()
    assert name_field(qtbot, win).text() == "New stage"  # the new stage is named at once
    press(win, K.Key_A, CTRL)
    type_text(win, "compare bikes")
    press(win, K.Key_Return)
    order = [s.name for s in doc.data.stages_of(m)]
    assert order[:3] == ["Discover", "compare bikes", "Research"]
    context_menu(qtbot, win, header_point(win, n["Research"]), "Insert Stage After")
    name_field(qtbot, win)
    type_text(win, "test ride")
    press(win, K.Key_Return)
    order = [s.name for s in doc.data.stages_of(m)]
    assert order[2:4] == ["Research", "test ride"]
    context_menu(qtbot, win, lane_point(win, n["Emotions"]), "Insert Lane Above")
    name_field(qtbot, win)
    type_text(win, "Quotes")
    press(win, K.Key_Return)
    lanes = [ln.name for ln in doc.data.lanes_of(m)]
    assert lanes[lanes.index("Emotions") - 1] == "Quotes"
    context_menu(qtbot, win, cell_point(win, n["Buy online"], n["Backstage"]),
                 "Insert Lane Below")
    name_field(qtbot, win)
    press(win, K.Key_Escape)  # keeps the default name
    assert [ln.name for ln in doc.data.lanes_of(m)][-1] == "New lane"
    steps = [s.label for s in doc.history()]
    assert steps[-1].startswith("Add lane")


def test_move_stage_and_lane_with_ctrl_shift_arrows(qtbot, doc) -> None:
    win = shown(qtbot, doc)
    n = ids(doc)
    m = n["map"]
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=header_point(win, n["Discover"]))
    press(win, K.Key_Right, CTRL | SHIFT)
    press(win, K.Key_Right, CTRL | SHIFT)
    assert [s.name for s in doc.data.stages_of(m)][:3] == ["Research", "Buy online", "Discover"]
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=lane_point(win, n["Backstage"]))
    press(win, K.Key_Up, CTRL | SHIFT)
    assert [ln.name for ln in doc.data.lanes_of(m)][-2:] == ["Backstage", "Opportunities"]
    action(win, "act-move-lane-down").trigger()
    assert [ln.name for ln in doc.data.lanes_of(m)][-1] == "Backstage"


def test_rename_field_is_as_large_as_the_header_text(qtbot, doc) -> None:
    win = shown(qtbot, doc)
    n = ids(doc)
    win.view.resetTransform()
    win.view.scale(0.4, 0.4)
    win.view.rename_stage(n["Research"])
    field = QApplication.focusWidget()
    assert isinstance(field, QLineEdit)
    assert field.font().pointSizeF() >= 10
    assert field.text() == "Research" and field.selectedText() == "Research"
    press(win, K.Key_Escape)


def test_double_click_an_empty_cell_and_ctrl_return_add_cards_there(qtbot, b2c_doc) -> None:
    doc = b2c_doc
    win = shown(qtbot, doc)
    n = ids(doc)
    qtbot.mouseDClick(win.view.viewport(), Qt.MouseButton.LeftButton,
                      pos=cell_point(win, n["Purchase"], n["Pain points"]))
    type_text(win, "hidden fees at the end")
    press(win, K.Key_Return)
    assert [c.title for c in doc.data.cell(n["Purchase"], n["Pain points"])] == [
        "hidden fees at the end"]
    press(win, K.Key_Escape)
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=cell_point(win, n["Retention"], n["Opportunities"]))
    press(win, K.Key_Return, CTRL)
    type_text(win, "loyalty app")
    press(win, K.Key_Return)
    assert [c.title for c in doc.data.cell(n["Retention"], n["Opportunities"])] == [
        "loyalty app"]


def test_card_kind_emotion_and_dots_from_the_keyboard(qtbot, doc) -> None:
    win = shown(qtbot, doc)
    n = ids(doc)
    card = doc.data.cell(n["Research"], n["Thoughts"])[0]
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton, pos=card_point(win, card.id))
    press(win, K.Key_6, CTRL)
    assert doc.data.cards[card.id].kind == CardKind.PAIN_POINT
    press(win, K.Key_Up, ALT)
    assert doc.data.cards[card.id].emotion == 1
    press(win, K.Key_Down, ALT)
    press(win, K.Key_Down, ALT)
    assert doc.data.cards[card.id].emotion == -1
    votes = doc.data.cards[card.id].votes
    press(win, K.Key_Equal, ALT)
    press(win, K.Key_Equal, ALT)
    press(win, K.Key_Minus, ALT)
    assert doc.data.cards[card.id].votes == votes + 1


def test_card_context_menu_lists_its_commands_and_sets_the_kind(qtbot, doc) -> None:
    win = shown(qtbot, doc)
    n = ids(doc)
    card = doc.data.cell(n["Discover"], n["Actions"])[0]
    seen: list[list[str]] = []
    context_menu(qtbot, win, card_point(win, card.id), "Edit Text", seen)
    assert {"Edit Text", "Duplicate", "Delete", "Group…"} <= set(seen[0])
    press(win, K.Key_Escape)


def test_select_cards_with_the_keyboard_then_vote(qtbot, doc) -> None:
    win = shown(qtbot, doc)
    n = ids(doc)
    m = n["map"]
    stages = [s.id for s in doc.data.stages_of(m)]
    lanes = [ln.id for ln in doc.data.lanes_of(m)]
    si, li = next((i, j) for j, ln in enumerate(lanes) for i, st in enumerate(stages)
                  if len(doc.data.cell(st, ln)) >= 2)
    press(win, K.Key_F11)
    for _ in range(si):
        press(win, K.Key_Right)
    for _ in range(li):
        press(win, K.Key_Down)
    cell = [c.id for c in doc.data.cell(stages[si], lanes[li])]
    press(win, K.Key_Down, SHIFT)  # focus the first card of the cell
    press(win, K.Key_Space)  # select it
    press(win, K.Key_Down, SHIFT)
    press(win, K.Key_Space)
    assert win.scene.selected_card_ids() == cell[:2]
    assert "2 SELECTED" in win.workshop.indicator.text()
    votes = [doc.data.cards[i].votes for i in cell[:2]]
    steps = len(doc.history())
    press(win, K.Key_Equal, ALT)
    assert [doc.data.cards[i].votes for i in cell[:2]] == [v + 1 for v in votes]
    assert len(doc.history()) == steps + 1  # one step for both
    press(win, K.Key_Space)  # unselect the focused one
    assert win.scene.selected_card_ids() == cell[:1]


def links_touching(doc, column: str, row_id: int) -> set[int]:
    data = doc.data
    return {k.id for k in data.links.values()
            if getattr(data.cards[k.source_id], column) == row_id
            or getattr(data.cards[k.target_id], column) == row_id}


def undo_all_since(win, doc, head: int) -> None:
    while doc.head > head:
        press(win, K.Key_Z, CTRL)


def test_insert_stages_and_lanes_with_keys_then_undo_restores_exactly(qtbot, doc) -> None:
    """Ctrl+Alt+arrows insert (where Ctrl+Shift+arrows move), at the selected header or,
    in workshop mode, at the cell cursor; Ctrl+Z takes every insert back exactly."""
    win = shown(qtbot, doc)
    n = ids(doc)
    m = n["map"]
    before, head = doc.snapshot(), doc.head
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=header_point(win, n["Research"]))
    press(win, K.Key_Right, CTRL | ALT)
    name_field(qtbot, win)
    type_text(win, "test ride")
    press(win, K.Key_Return)
    press(win, K.Key_Left, CTRL | ALT)  # before the new stage, which is selected now
    name_field(qtbot, win)
    type_text(win, "visit the shop")
    press(win, K.Key_Return)
    stages = [s.name for s in doc.data.stages_of(m)]
    assert stages[stages.index("Research"):][:3] == ["Research", "visit the shop", "test ride"]
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=lane_point(win, n["Emotions"]))
    press(win, K.Key_Down, CTRL | ALT)
    name_field(qtbot, win)
    type_text(win, "quotes")
    press(win, K.Key_Return)
    lanes = [ln.name for ln in doc.data.lanes_of(m)]
    assert lanes[lanes.index("Emotions") + 1] == "quotes"
    press(win, K.Key_Escape)
    press(win, K.Key_F11)  # workshop mode: at the cell cursor
    assert win.workshop is not None
    press(win, K.Key_Down)
    at = win.view.capture.lane()
    press(win, K.Key_Up, CTRL | ALT)
    name_field(qtbot, win)
    type_text(win, "channels")
    press(win, K.Key_Return)
    lanes = [ln.id for ln in doc.data.lanes_of(m)]
    assert doc.data.lanes[lanes[lanes.index(at) - 1]].name == "channels"
    assert win.workshop is not None
    undo_all_since(win, doc, head)
    assert doc.snapshot() == before


def test_delete_stage_from_its_context_menu_undo_restores_cards_and_links(qtbot, doc) -> None:
    win = shown(qtbot, doc)
    n = ids(doc)
    before = doc.snapshot()
    links = links_touching(doc, "stage_id", n["Research"])
    cards = {c.id for c in doc.data.cards.values() if c.stage_id == n["Research"]}
    assert links and cards
    seen: list[str] = []
    seen_menu: list[list[str]] = []
    answer_dialog(qtbot, YES, seen)
    context_menu(qtbot, win, header_point(win, n["Research"]), "Delete Stage…", seen_menu)
    assert {"Insert Stage Before", "Insert Stage After", "Rename Stage…"} <= set(seen_menu[0])
    assert f"{len(cards)} cards" in seen[0]
    assert n["Research"] not in doc.data.stages
    assert not cards & set(doc.data.cards) and not links & set(doc.data.links)
    press(win, K.Key_Z, CTRL)
    assert doc.snapshot() == before


def test_delete_key_on_a_selected_lane_label_then_undo_restores_exactly(qtbot, doc) -> None:
    win = shown(qtbot, doc)
    n = ids(doc)
    lane = next(ln.id for ln in doc.data.lanes_of(n["map"])
                if links_touching(doc, "lane_id", ln.id))
    before = doc.snapshot()
    links = links_touching(doc, "lane_id", lane)
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton, pos=lane_point(win, lane))
    seen: list[str] = []
    answer_dialog(qtbot, YES, seen)
    press(win, K.Key_Delete)
    assert lane not in doc.data.lanes and not links & set(doc.data.links)
    assert "cards" in seen[0] or "card?" in seen[0]
    press(win, K.Key_Z, CTRL)
    assert doc.snapshot() == before
    press(win, K.Key_Y, CTRL)
    assert lane not in doc.data.lanes
    press(win, K.Key_Z, CTRL)
    assert doc.snapshot() == before


def test_delete_lane_from_the_map_menu_and_the_last_stage_is_kept(qtbot, b2c_doc) -> None:
    doc = b2c_doc
    win = shown(qtbot, doc)
    n = ids(doc)
    before = doc.snapshot()
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=lane_point(win, n["Backstage"]))
    action(win, "act-delete-lane").trigger()  # an empty lane goes without a question
    assert n["Backstage"] not in doc.data.lanes
    press(win, K.Key_Z, CTRL)
    assert doc.snapshot() == before
    for stage in doc.data.stages_of(n["map"])[1:]:
        doc.execute(C.DeleteStage(stage.id))
    (last,) = doc.data.stages_of(n["map"])
    win.view.capture.select_axis("stage", last.id)
    action(win, "act-delete-stage").trigger()
    assert last.id in doc.data.stages  # a map keeps one stage, and says so
    assert "at least one" in win.statusBar().currentMessage()


def test_f2_renames_and_ctrl_shift_arrows_move_a_header_undo_restores(qtbot, doc) -> None:
    win = shown(qtbot, doc)
    n = ids(doc)
    before, head = doc.snapshot(), doc.head
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=header_point(win, n["Research"]))
    press(win, K.Key_F2)
    field = name_field(qtbot, win)
    assert field.text() == "Research"
    type_text(win, "compare 3 shops")  # the name is selected: typing replaces it
    press(win, K.Key_Return)
    assert doc.data.stages[n["Research"]].name == "compare 3 shops"
    press(win, K.Key_Right, CTRL | SHIFT)
    order = [s.id for s in doc.data.stages_of(n["map"])]
    assert order.index(n["Research"]) == 2
    undo_all_since(win, doc, head)
    assert doc.snapshot() == before
