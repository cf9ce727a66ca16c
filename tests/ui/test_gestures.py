"""Real mouse and key gestures on the canvas change the document, and undo/redo restore it."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from app.model.schema import CardKind
from app.ui.panels.palette import PaletteWidget
from tests.ui.conftest import card_centre, drag, ids, vp


def _palette_drop(view, mime: QMimeData, scene_xy: tuple[float, float]) -> None:
    """What a drag from the palette delivers to the canvas: enter, move, drop."""
    w = view.viewport()
    pos = QPointF(vp(view, *scene_xy))
    action = Qt.DropAction.CopyAction
    for ev in (QDragEnterEvent(pos.toPoint(), action, mime, Qt.MouseButton.LeftButton,
                               Qt.KeyboardModifier.NoModifier),
               QDragMoveEvent(pos.toPoint(), action, mime, Qt.MouseButton.LeftButton,
                              Qt.KeyboardModifier.NoModifier),
               QDropEvent(pos, action, mime, Qt.MouseButton.LeftButton,
                          Qt.KeyboardModifier.NoModifier)):
        QApplication.sendEvent(w, ev)


def test_palette_card_drop_adds_card_in_cell_and_undoes(qtbot, view, doc):
    n = ids(doc)
    palette = PaletteWidget()
    qtbot.addWidget(palette)
    row = next(i for i in range(palette.count()) if palette.item(i).text() == "Card: Pain point")
    mime = palette.mimeData([palette.item(row)])
    cell = view.map_scene.cell_rect(n["Collect in store"], n["Goals"])
    before = {c.id for c in doc.data.cell(n["Collect in store"], n["Goals"])}
    _palette_drop(view, mime, (cell.x + 30, cell.bottom - 4))
    after = doc.data.cell(n["Collect in store"], n["Goals"])
    new = [c for c in after if c.id not in before]
    assert len(new) == 1 and new[0].kind == CardKind.PAIN_POINT
    assert new[0].id in view.map_scene.cards  # the scene followed
    doc.undo()
    assert {c.id for c in doc.data.cell(n["Collect in store"], n["Goals"])} == before
    assert new[0].id not in view.map_scene.cards
    doc.redo()
    assert len(doc.data.cell(n["Collect in store"], n["Goals"])) == len(before) + 1


def test_palette_stage_and_lane_drop_insert_at_gap(qtbot, view, doc):
    n = ids(doc)
    lay = view.map_scene.layout
    research = next(s for s in lay.stages if s.stage_id == n["Research"])
    mime = QMimeData()
    mime.setData("application/x-waymark-palette", b"stage")
    _palette_drop(view, mime, (research.column.x + 5, research.column.cy))
    names = [s.name for s in doc.data.stages_of(n["map"])]
    assert names[:3] == ["Discover", "Stage 7", "Research"]
    mime = QMimeData()
    mime.setData("application/x-waymark-palette", b"lane:goals")
    goals = next(ln for ln in view.map_scene.layout.lanes if ln.lane_id == n["Goals"])
    _palette_drop(view, mime, (goals.row.x + 40, goals.row.y + 3))
    lanes = doc.data.lanes_of(n["map"])
    i = [ln.id for ln in lanes].index(n["Goals"])
    assert lanes[i - 1].kind.value == "goals" and lanes[i - 1].id != n["Goals"]


def test_drag_card_between_cells_then_undo_redo(qtbot, view, doc):
    n = ids(doc)
    card = doc.data.cell(n["Discover"], n["Actions"])[0]
    target = view.map_scene.cell_rect(n["Collect in store"], n["Actions"])
    drag(qtbot, view, card_centre(view, card.id), (target.x + 30, target.bottom - 4))
    moved = doc.data.cards[card.id]
    assert (moved.stage_id, moved.lane_id) == (n["Collect in store"], n["Actions"])
    assert doc.data.cell(n["Collect in store"], n["Actions"])[-1].id == card.id
    assert doc.undo_label.startswith("Move card")
    item = view.map_scene.cards[card.id]
    assert item.pos().x() == view.map_scene.layout.cards[card.id].rect.x
    doc.undo()
    assert doc.data.cards[card.id].stage_id == n["Discover"]
    doc.redo()
    assert doc.data.cards[card.id].stage_id == n["Collect in store"]


def test_reorder_inside_a_cell_puts_card_first(qtbot, view, doc):
    n = ids(doc)
    cell = doc.data.cell(n["Buy online"], n["Touchpoints"])
    assert len(cell) >= 2
    last, first = cell[-1], cell[0]
    r = view.map_scene.layout.cards[first.id].rect
    drag(qtbot, view, card_centre(view, last.id), (r.x + 10, r.y + 3))
    assert next(c.id for c in doc.data.cell(n["Buy online"], n["Touchpoints"])) == last.id
    doc.undo()
    assert [c.id for c in doc.data.cell(n["Buy online"], n["Touchpoints"])] == \
        [c.id for c in cell]


def test_multi_select_moves_as_one_step(qtbot, view, doc):
    n = ids(doc)
    a = doc.data.cell(n["Discover"], n["Goals"])[0]
    b = doc.data.cell(n["Research"], n["Goals"])[0]
    w = view.viewport()
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=vp(view, *card_centre(view, a.id)))
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     vp(view, *card_centre(view, b.id)))
    assert set(view.map_scene.selected_card_ids()) == {a.id, b.id}
    target = view.map_scene.cell_rect(n["First rides"], n["Goals"])
    steps = len(doc.history())
    drag(qtbot, view, card_centre(view, b.id), (target.x + 20, target.bottom - 3))
    assert {doc.data.cards[a.id].stage_id, doc.data.cards[b.id].stage_id} == {n["First rides"]}
    assert len(doc.history()) == steps + 1
    doc.undo()
    assert doc.data.cards[a.id].stage_id == n["Discover"]
    assert doc.data.cards[b.id].stage_id == n["Research"]


def test_rubber_band_selects_cards(qtbot, view, doc):
    n = ids(doc)
    col = view.map_scene.layout.cells[(n["Discover"], n["Actions"])]
    w = view.viewport()
    a, b = vp(view, col.x + 2, col.y + 1), vp(view, col.right - 2, col.bottom - 1)
    qtbot.mousePress(w, Qt.MouseButton.LeftButton, pos=a)
    for i in range(1, 5):
        qtbot.mouseMove(w, a + (b - a) * (i / 4), delay=-1)
    qtbot.mouseRelease(w, Qt.MouseButton.LeftButton, pos=b)
    want = {c.id for c in doc.data.cell(n["Discover"], n["Actions"])}
    assert set(view.map_scene.selected_card_ids()) == want


def test_drag_stage_header_reorders_stages(qtbot, view, doc):
    n = ids(doc)
    lay = view.map_scene.layout
    hdr = next(s for s in lay.stages if s.stage_id == n["Discover"])
    dest = next(s for s in lay.stages if s.stage_id == n["Collect in store"])
    drag(qtbot, view, (hdr.rect.cx, hdr.rect.cy), (dest.column.right - 5, hdr.rect.cy))
    names = [s.name for s in doc.data.stages_of(n["map"])]
    assert names[:4] == ["Research", "Buy online", "Collect in store", "Discover"]
    assert view.map_scene.layout.stages[3].stage_id == n["Discover"]
    doc.undo()
    assert next(s.name for s in doc.data.stages_of(n["map"])) == "Discover"
    doc.redo()
    assert [s.name for s in doc.data.stages_of(n["map"])][3] == "Discover"


def test_drag_lane_label_reorders_lanes(qtbot, view, doc):
    n = ids(doc)
    lay = view.map_scene.layout
    lab = next(ln for ln in lay.lanes if ln.lane_id == n["Backstage"])
    top = lay.lanes[0]
    drag(qtbot, view, (lab.rect.cx, lab.rect.y + 8), (lab.rect.cx, top.row.y + 4))
    assert doc.data.lanes_of(n["map"])[0].id == n["Backstage"]
    doc.undo()
    assert doc.data.lanes_of(n["map"])[-1].id == n["Backstage"]


def test_in_place_edit_rewraps_live_and_is_one_step(qtbot, view, doc):
    n = ids(doc)
    card = doc.data.cell(n["Discover"], n["Goals"])[0]
    w = view.viewport()
    qtbot.mouseDClick(w, Qt.MouseButton.LeftButton, pos=vp(view, *card_centre(view, card.id)))
    assert view.session is not None
    steps = len(doc.history())
    for _ in range(len(card.title)):
        qtbot.keyClick(w, Qt.Key.Key_Backspace)
    qtbot.keyClicks(w, "Commute")
    qtbot.waitUntil(lambda: doc.data.cards[card.id].title == "Commute")  # typed into the map
    assert [t.text for t in view.map_scene.layout.cards[card.id].title_lines] == ["Commute"]
    qtbot.keyClicks(w, " without arriving sweaty and late for the morning handover")
    new_title = "Commute without arriving sweaty and late for the morning handover"
    qtbot.waitUntil(lambda: doc.data.cards[card.id].title == new_title)
    assert len(view.map_scene.layout.cards[card.id].title_lines) > 1  # re-wrapped live
    qtbot.keyClick(w, Qt.Key.Key_Return)
    assert view.session is None
    assert doc.data.cards[card.id].title == new_title
    assert len(doc.history()) == steps + 1  # the whole edit is one step
    # what the canvas shows is what the layout prints
    assert [t.text for t in view.map_scene.layout.cards[card.id].title_lines] == \
        [t.text for t in view.map_scene.cards[card.id].box.title_lines]
    doc.undo()
    assert doc.data.cards[card.id].title == card.title
    doc.redo()
    assert doc.data.cards[card.id].title == new_title


def test_escape_keeps_the_edit_and_f2_starts_it(qtbot, view, doc):
    n = ids(doc)
    card = doc.data.cell(n["Discover"], n["Goals"])[0]
    w = view.viewport()
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=vp(view, *card_centre(view, card.id)))
    qtbot.keyClick(w, Qt.Key.Key_F2)
    assert view.session is not None
    qtbot.keyClicks(w, " XYZ")
    qtbot.keyClick(w, Qt.Key.Key_Escape)  # nothing typed is thrown away
    assert view.session is None
    assert doc.data.cards[card.id].title == card.title + " XYZ"
    assert doc.undo_label.startswith("Edit text of card 'Find a realistic")
    doc.undo()
    assert doc.data.cards[card.id].title == card.title


def test_erasing_a_title_and_leaving_keeps_the_old_one(qtbot, view, doc):
    n = ids(doc)
    card = doc.data.cell(n["Discover"], n["Goals"])[0]
    w = view.viewport()
    qtbot.mouseDClick(w, Qt.MouseButton.LeftButton, pos=vp(view, *card_centre(view, card.id)))
    for _ in range(len(card.title) + 2):
        qtbot.keyClick(w, Qt.Key.Key_Backspace)
    qtbot.keyClick(w, Qt.Key.Key_Return)
    assert doc.data.cards[card.id].title == card.title  # a title is never empty


def test_double_click_header_renames_stage(qtbot, view, doc):
    n = ids(doc)
    hdr = view.map_scene.layout.stages[0]
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                      pos=vp(view, hdr.rect.cx, hdr.rect.cy))
    editor = view.viewport().findChild(QLineEdit)
    assert editor is not None and editor.text() == "Discover"
    editor.selectAll()
    qtbot.keyClicks(editor, "Notice <b>&amp;")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert doc.data.stages[n["Discover"]].name == "Notice <b>&amp;"
    assert doc.undo_label.startswith("Rename stage")
    doc.undo()
    assert doc.data.stages[n["Discover"]].name == "Discover"


def test_drag_emotion_score_chip_snaps_to_steps(qtbot, view, doc):
    n = ids(doc)
    card = next(c for c in doc.data.cell(n["Research"], n["Emotions"]) if c.emotion == -1)
    item = view.map_scene.cards[card.id]
    _badge, rect = next((b, r) for b, r in item.badge_rects() if b.kind == "emotion")
    start = item.mapToScene(rect.center())
    drag(qtbot, view, (start.x(), start.y()), (start.x(), start.y() - 3 * 14 - 2))
    assert doc.data.cards[card.id].emotion == 2
    assert doc.undo_label.startswith("Set emotion")
    drag(qtbot, view, (start.x(), start.y()), (start.x(), start.y() + 200))
    assert doc.data.cards[card.id].emotion == -2  # clamped
    doc.undo()
    assert doc.data.cards[card.id].emotion == 2
    doc.undo()
    assert doc.data.cards[card.id].emotion == -1


def test_alt_drag_links_two_cards(qtbot, view, doc):
    n = ids(doc)
    a = doc.data.cell(n["Discover"], n["Goals"])[0]
    b = doc.data.cell(n["Buy online"], n["Goals"])[0]
    before = len(doc.data.links)
    drag(qtbot, view, card_centre(view, a.id), card_centre(view, b.id),
         Qt.KeyboardModifier.AltModifier)
    new = [k for k in doc.data.links.values() if (k.source_id, k.target_id) == (a.id, b.id)]
    assert len(new) == 1 and len(doc.data.links) == before + 1
    assert new[0].id in view.map_scene.links
    # the connector follows its card when the card moves
    old_end = view.map_scene.links[new[0].id].link.end
    target = view.map_scene.cell_rect(n["First rides"], n["Goals"])
    drag(qtbot, view, card_centre(view, b.id), (target.x + 20, target.bottom - 3))
    assert view.map_scene.links[new[0].id].link.end != old_end
    doc.undo()
    doc.undo()
    assert len(doc.data.links) == before


def test_ctrl_wheel_zooms_and_middle_drag_pans(qtbot, view):
    from PySide6.QtGui import QWheelEvent

    z = view.zoom
    w = view.viewport()
    centre = QPointF(w.width() / 2, w.height() / 2)
    ev = QWheelEvent(centre, QPointF(view.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                     QPoint(0, 240), Qt.MouseButton.NoButton,
                     Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(w, ev)
    assert view.zoom > z * 1.2
    view.zoom_by(2.0)  # leave room to scroll
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum() // 2)
    h = view.horizontalScrollBar().value()
    qtbot.mousePress(w, Qt.MouseButton.MiddleButton, pos=QPoint(400, 300))
    qtbot.mouseMove(w, QPoint(300, 300))
    qtbot.mouseRelease(w, Qt.MouseButton.MiddleButton, pos=QPoint(300, 300))
    assert view.horizontalScrollBar().value() == h + 100


def test_find_highlights_matches(qtbot, view, doc):
    hits = view.find("SLOT")

    def text(c: int) -> str:
        card = doc.data.cards[c]
        return " ".join([card.title, card.body, card.channel, card.owner, *card.tags]).lower()

    assert hits and all("slot" in text(c) for c in hits)
    # every card that mentions the word is found (case-insensitive)
    assert set(hits) >= {c for c in doc.data.cards if "slot" in (doc.data.cards[c].title + " " + doc.data.cards[c].body).lower()}
    assert all(view.map_scene.cards[c].highlighted for c in hits)
    assert not any(it.highlighted for cid, it in view.map_scene.cards.items() if cid not in hits)
    view.find("")
    assert not any(it.highlighted for it in view.map_scene.cards.values())
