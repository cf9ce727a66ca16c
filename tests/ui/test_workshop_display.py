"""Workshop mode as the room sees it on the wall, in the real window: the overlays never
cover the map, they are readable, the whole map stays in view, and a group's frame takes
in only its own cards. Found by looking at the screenshots (scripts/screenshots_workshop.py).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QLabel

from app.model import grouping as G
from app.model import voting as V
from tests.ui.conftest import ids, shown_window
from tests.ui.keyboard import CTRL, activate, press, type_text

K = Qt.Key


def _luminance(c: QColor) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def contrast(label: QLabel) -> float:
    """WCAG contrast between a chip's background (its most common colour, read inside its
    rounded corners) and its darkest or lightest text pixel, as drawn on screen."""
    chip = label.grab().toImage()
    image = QImage(chip.size(), QImage.Format.Format_RGB32)
    image.fill(label.parentWidget().palette().window().color())  # what shows through
    painter = QPainter(image)
    painter.drawImage(0, 0, chip)
    painter.end()
    counts: dict[int, int] = {}
    for y in range(4, image.height() - 4):
        for x in range(12, image.width() - 12):
            rgb = image.pixel(x, y) & 0xFFFFFF
            counts[rgb] = counts.get(rgb, 0) + 1
    bg = QColor(max(counts, key=counts.get))
    lb = _luminance(bg)
    far = max((QColor(c) for c in counts), key=lambda c: abs(_luminance(c) - lb))
    hi, lo = sorted((lb, _luminance(far)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def in_workshop(qtbot, doc, size=(1280, 800)):
    win = shown_window(qtbot, doc, size)
    activate(qtbot, win)
    press(win, K.Key_F11)
    assert win.workshop is not None
    qtbot.wait(50)
    return win


def map_in_view(win) -> QRect:
    return win.view.mapFromScene(win.scene.sceneRect()).boundingRect()


def test_fitted_map_needs_no_scroll_bars(qtbot, doc) -> None:
    """Fitting the map edge to edge left the scene's margin outside the view: a scroll
    bar appeared, the view shrank and fitted again, the bar went, and so on for ever
    (workshop mode on a 1600x1000 screen hung, flickering)."""
    win = shown_window(qtbot, doc, (900, 700))
    resizes = []
    win.view.viewport().installEventFilter(filt := _Counter(resizes))
    for w, h in ((900, 700), (1000, 640), (1180, 760), (1311, 705), (760, 900)):
        win.resize(w, h)
        win.view.fit_map()
        qtbot.wait(30)
        resizes.clear()
        qtbot.wait(60)
        view = win.view
        assert not view.horizontalScrollBar().isVisible(), (w, h)
        assert not view.verticalScrollBar().isVisible(), (w, h)
        assert len(resizes) == 0, (w, h)  # settled: no more resizing
        assert QRectF(view.viewport().rect()).adjusted(-2, -2, 2, 2).contains(
            QRectF(map_in_view(win)))
    win.view.viewport().removeEventFilter(filt)


class _Counter(QObject):
    """Counts the resize events of the widget it filters."""

    def __init__(self, seen: list) -> None:
        super().__init__()
        self.seen = seen

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.seen.append(event.size())
        return False


def test_overlays_sit_around_the_map_and_never_cover_it(qtbot, doc) -> None:
    n = ids(doc)
    for name in ("table 1", "table 2", "table 3", "aiko"):
        doc.execute(V.AddVoter(n["map"], name, 3))
    win = in_workshop(qtbot, doc)
    ws = win.workshop
    press(win, K.Key_T, CTRL)  # the timer runs
    type_text(win, "free wifi was slow")  # typing: the indicator shows the text
    qtbot.wait(50)
    port = win.view.viewport().geometry()  # in the view's coordinates, like the chips
    chips = (ws.indicator, ws.hints, ws.timer_label, ws.dots_label)
    assert all(c.isVisible() for c in chips)
    for chip in chips:
        assert not chip.geometry().intersects(port), chip.text()
        assert win.view.rect().contains(chip.geometry()), chip.text()  # none cut off
    assert not ws.dots_label.geometry().intersects(ws.timer_label.geometry())
    assert not ws.indicator.geometry().intersects(ws.hints.geometry())
    assert QRectF(win.view.viewport().rect()).adjusted(-2, -2, 2, 2).contains(
        QRectF(map_in_view(win)))  # the whole map, between the bands
    height = port.height()
    press(win, K.Key_Escape)
    press(win, K.Key_H, CTRL)  # hints hidden: the map gets their room
    qtbot.waitUntil(lambda: win.view.viewport().height() > height, timeout=2000)
    press(win, K.Key_F11)  # leaving gives the whole view back
    assert win.view.viewport().geometry() == win.view.contentsRect()


def test_timer_hints_and_indicator_are_readable(qtbot, doc) -> None:
    """Colours with alpha were written #rrggbbaa, which Qt reads as #aarrggbb: the timer
    came out white on a 17 % opaque lavender."""
    win = in_workshop(qtbot, doc)
    ws = win.workshop
    press(win, K.Key_T, CTRL)
    qtbot.wait(50)
    for chip in (ws.timer_label, ws.hints, ws.indicator):
        assert contrast(chip) >= 4.5, chip.text()


def test_a_map_grown_out_of_view_is_fitted_again_once_the_card_is_done(qtbot, doc) -> None:
    n = ids(doc)
    win = in_workshop(qtbot, doc)
    win.view.capture.move_to(n["Research"], n["Pain points"])
    zoom = win.view.zoom
    type_text(win, "queue at the desk")  # typing: the map is not rescaled under the typist
    ideas = [f"idea {i}: the queue at the desk was far too long again" for i in range(14)]
    win.view.run(_add(n["Research"], n["Pain points"], *ideas))  # as the room sends them
    qtbot.wait(30)
    assert win.view.zoom == zoom
    assert not QRectF(win.view.viewport().rect()).contains(QRectF(map_in_view(win)))
    press(win, K.Key_Return)  # the card is done: the whole map again
    qtbot.wait(30)
    assert win.view.zoom < zoom
    assert QRectF(win.view.viewport().rect()).adjusted(-3, -3, 3, 3).contains(
        QRectF(map_in_view(win)))
    win.view.zoom_by(1.5)  # the facilitator zooms in: left alone from then on
    zoom = win.view.zoom
    win.view.run(_add(n["Research"], n["Pain points"], *ideas))
    assert win.view.zoom == zoom


def test_a_group_frame_takes_in_only_its_own_cards(qtbot, doc) -> None:
    n = ids(doc)
    win = shown_window(qtbot, doc, (1280, 800))
    for t in ("queue", "no towels", "lift broken", "cold shower"):
        win.view.run(_add(n["Research"], n["Pain points"], t))
    cell = doc.data.cell(n["Research"], n["Pain points"])
    assert len(cell) >= 4
    lay = win.scene.layout
    rows = sorted({round(lay.cards[c.id].rect.y) for c in cell})
    assert len(rows) >= 2, "the cell lays its cards out in a grid of rows"
    members = [cell[1].id, cell[2].id]  # the end of one row and the start of the next
    win.view.run(G.GroupCards(members, "bathroom"))
    lay = win.scene.layout
    (cluster,) = doc.data.clusters.values()
    frame = win.view.clusters.frames[cluster.id]
    for card in doc.data.cell(n["Research"], n["Pain points"]):
        r = lay.cards[card.id].rect
        centre = QRectF(r.x, r.y, r.w, r.h).center()
        inside = any(f.contains(centre) for f in frame.outline.rects)
        assert inside == (card.id in members), card.title


def _add(stage_id: int, lane_id: int, *titles: str):
    from app.model.commands import AddCards

    return AddCards([(stage_id, lane_id, {"title": t}) for t in titles])
