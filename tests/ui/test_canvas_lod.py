"""Level of detail on the canvas: what the cell layers paint at low zoom and at 100 %.

The pixels are read from a grab of the real viewport; gestures are real mouse events
and are checked against the document.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from app.model import commands as C
from app.ui.canvas.items.card import FLAT_ZOOM, LOD_BLOCKS
from tests.ui.conftest import drag, ids, vp

LOW = 0.1


def _zoom(view, zoom: float, centre: tuple[float, float]) -> None:
    view.resetTransform()
    view.scale(zoom, zoom)
    view.centerOn(*centre)
    QApplication.processEvents()


def _pixel(view, img: QImage, x: float, y: float) -> QColor:
    return img.pixelColor(vp(view, x, y))


def _close(a: QColor, b: QColor, tol: int = 6) -> bool:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()),
               abs(a.blue() - b.blue())) <= tol


def _dark_pixels(img: QImage, rect: QRect) -> int:
    n = 0
    for x in range(rect.left(), rect.right() + 1):
        for y in range(rect.top(), rect.bottom() + 1):
            if img.pixelColor(x, y).lightness() < 90:
                n += 1
    return n


def _a_card(view, doc):
    n = ids(doc)
    card = doc.data.cell(n["Discover"], n["Actions"])[0]
    return card, view.map_scene.layout.cards[card.id]


def test_low_zoom_paints_each_card_as_its_fill_colour_in_place(view, doc):
    lay = view.map_scene.layout
    _zoom(view, LOW, (lay.width / 2, lay.height / 2))
    assert LOW < FLAT_ZOOM
    img = view.viewport().grab().toImage()
    checked = 0
    for box in lay.cards.values():
        r = box.rect
        at = vp(view, r.cx, r.cy)
        if not view.viewport().rect().adjusted(2, 2, -2, -2).contains(at):
            continue
        assert _close(img.pixelColor(at), QColor(box.fill)), (box.card_id, box.fill)
        checked += 1
    assert checked >= 10
    # Between two stages (a grid line, no card) there is no card colour.
    _card, box = _a_card(view, doc)
    outside = _pixel(view, img, box.rect.x - 6, box.rect.cy)
    assert not _close(outside, QColor(box.fill), 2)


def test_text_is_drawn_at_100_percent_and_not_when_zoomed_out(view, doc):
    _card, box = _a_card(view, doc)
    title = box.title_lines[0]
    _zoom(view, 1.0, (box.rect.cx, box.rect.cy))
    assert 1.0 >= LOD_BLOCKS
    img = view.viewport().grab().toImage()
    a = vp(view, title.x, title.y_baseline - title.size_pt * 0.7)
    b = vp(view, title.x + title.width, title.y_baseline)
    assert _dark_pixels(img, QRect(a, b)) > 20  # glyphs of the title
    _zoom(view, LOW, (box.rect.cx, box.rect.cy))
    img = view.viewport().grab().toImage()
    a = vp(view, box.rect.x + 2, box.rect.y + 2)
    b = vp(view, box.rect.right - 2, box.rect.bottom - 2)
    assert _dark_pixels(img, QRect(a, b)) == 0  # a plain block


def test_drag_at_low_zoom_moves_the_card_in_the_document(qtbot, view, doc):
    n = ids(doc)
    card, box = _a_card(view, doc)
    target = view.map_scene.cell_rect(n["Collect in store"], n["Actions"])
    _zoom(view, LOW, (target.x, target.y))
    drag(qtbot, view, (box.rect.cx, box.rect.cy), (target.x + 30, target.bottom - 4))
    moved = doc.data.cards[card.id]
    assert (moved.stage_id, moved.lane_id) == (n["Collect in store"], n["Actions"])
    new = view.map_scene.layout.cards[card.id].rect
    img = view.viewport().grab().toImage()
    assert _close(_pixel(view, img, new.cx, new.cy), QColor(box.fill))


def test_a_lifted_card_leaves_its_cell_while_it_is_dragged(qtbot, view, doc):
    card, box = _a_card(view, doc)
    _zoom(view, LOW, (box.rect.cx, box.rect.cy))
    w = view.viewport()
    a = vp(view, box.rect.cx, box.rect.cy)
    b = vp(view, box.rect.cx + 600, box.rect.cy)
    qtbot.mousePress(w, Qt.MouseButton.LeftButton, pos=a)
    for i in range(1, 5):
        qtbot.mouseMove(w, a + (b - a) * (i / 4))
    img = w.grab().toImage()
    home = img.pixelColor(a)
    assert not _close(home, QColor(box.fill), 2)  # the layer no longer paints it there
    assert view.map_scene.cards[card.id].own_paint
    qtbot.mouseRelease(w, Qt.MouseButton.LeftButton, pos=a)  # dropped where it was
    assert not view.map_scene.cards[card.id].own_paint
    img = w.grab().toImage()
    assert _close(img.pixelColor(a), QColor(box.fill))


def test_colour_change_repaints_the_zoomed_out_block(view, doc):
    card, box = _a_card(view, doc)
    _zoom(view, LOW, (box.rect.cx, box.rect.cy))
    view.viewport().grab()  # the flat blocks are grouped and cached by now
    doc.execute(C.UpdateCard(card.id, {"colour": "#ff0000"}))
    img = view.viewport().grab().toImage()
    assert _close(_pixel(view, img, box.rect.cx, box.rect.cy), QColor("#ff0000"))


def test_dimmed_card_is_painted_translucent_by_its_layer(view, doc):
    card, box = _a_card(view, doc)
    for zoom in (LOW, 1.0):
        _zoom(view, zoom, (box.rect.cx, box.rect.cy))
        before = view.viewport().grab().toImage()
        x, y = box.rect.cx, box.rect.bottom - 3
        view.map_scene.cards[card.id].setOpacity(0.2)
        after = view.viewport().grab().toImage()
        view.map_scene.cards[card.id].setOpacity(1.0)
        assert not _close(_pixel(view, before, x, y), _pixel(view, after, x, y), 8), zoom


def test_selection_and_find_rings_show_when_zoomed_out(qtbot, view, doc):
    card, box = _a_card(view, doc)
    _zoom(view, LOW, (box.rect.cx, box.rect.cy))

    class Paints(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.regions: list = []

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                self.regions.append(event.region())
            return False

    spy = Paints()
    view.viewport().installEventFilter(spy)
    view.map_scene.select_cards([card.id])
    at = vp(view, box.rect.x - 5, box.rect.cy)
    # The card item has no contents; its layer must repaint the ring by itself.
    qtbot.waitUntil(lambda: any(r.contains(at) for r in spy.regions), timeout=2000)
    img = view.viewport().grab().toImage()
    assert _close(img.pixelColor(at), QColor("#1f6feb"), 40)
    view.map_scene.clearSelection()
    view.find(doc.data.cards[card.id].title)
    img = view.viewport().grab().toImage()
    assert _close(img.pixelColor(at), QColor("#e3a008"), 40)



def test_still_items_are_cached_only_while_a_gesture_runs(qtbot, view, doc):
    from PySide6.QtWidgets import QGraphicsItem

    scene = view.map_scene
    card, box = _a_card(view, doc)
    _zoom(view, 1.0, (box.rect.cx, box.rect.cy))
    still = [*scene.layers.values(), scene.backdrop, scene.link_layer]
    none = QGraphicsItem.CacheMode.NoCache
    assert all(it.cacheMode() == none for it in still)
    w = view.viewport()
    a = vp(view, box.rect.cx, box.rect.cy)
    qtbot.mousePress(w, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(w, a + (vp(view, box.rect.cx + 200, box.rect.cy) - a))
    assert all(it.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache for it in still)
    qtbot.mouseRelease(w, Qt.MouseButton.LeftButton, pos=a)
    assert all(it.cacheMode() == none for it in still)
    assert scene.cards[card.id].cacheMode() == none
    assert doc.data.cards[card.id].stage_id == card.stage_id  # dropped where it was


def test_links_are_painted_by_their_layer(view, doc):
    lay = view.map_scene.layout
    cards = [b.rect for b in lay.cards.values()]
    checked = 0
    for link in lay.links:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = link.start, link.c1, link.c2, link.end
        mx, my = (x0 + 3 * x1 + 3 * x2 + x3) / 8, (y0 + 3 * y1 + 3 * y2 + y3) / 8
        if any(r.x - 1 <= mx <= r.right + 1 and r.y - 1 <= my <= r.bottom + 1 for r in cards):
            continue  # the middle of the curve runs under a card
        if link.label is not None and abs(link.label.y_baseline - my) < 20:
            continue
        _zoom(view, 3.0, (mx, my))
        img = view.viewport().grab().toImage()
        at = vp(view, mx, my)
        near = [img.pixelColor(at.x() + dx, at.y() + dy) for dx in (-1, 0, 1)
                for dy in (-1, 0, 1)]
        assert any(_close(c, QColor(link.colour), 60) for c in near), link.link_id
        checked += 1
    assert checked >= 1


def test_grid_lines_stay_visible_when_zoomed_out(view, doc):
    lay = view.map_scene.layout
    cards = [b.rect for b in lay.cards.values()]
    _zoom(view, LOW, (lay.width / 2, lay.height / 2))
    img = view.viewport().grab().toImage()
    checked = 0
    for st in lay.stages[1:]:
        x = st.column.x
        for ln in lay.lanes:
            for f in (0.2, 0.5, 0.8):
                y = ln.row.y + ln.row.h * f
                if any(r.x - 40 <= x <= r.right + 40 and r.y - 5 <= y <= r.bottom + 5
                       for r in cards):
                    continue  # a card is beside the line at this height
                at = vp(view, x, y)
                if not view.viewport().rect().adjusted(5, 5, -5, -5).contains(at):
                    continue
                line = min(img.pixelColor(at.x() + dx, at.y()).lightness() for dx in (-1, 0, 1))
                beside = img.pixelColor(at.x() + 3, at.y()).lightness()
                if beside < 200:
                    continue  # not bare background beside the line (the emotion curve)
                # A 0.6 pt line at 10 % would be 0.06 px: invisible without the 1 px floor.
                assert beside - line >= 12, (st.stage_id, ln.lane_id, line, beside)
                checked += 1
    assert checked >= 3
