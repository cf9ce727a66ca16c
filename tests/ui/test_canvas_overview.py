"""The overview (minimap) of the canvas: shows the map, follows the document, moves the view."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor

from app.model import commands as C
from app.ui.canvas.overview import OverviewView
from tests.ui.conftest import ids


def _close(a: QColor, b: QColor, tol: int) -> bool:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()),
               abs(a.blue() - b.blue())) <= tol


def _overview(qtbot, view) -> OverviewView:
    ov = OverviewView(view)
    qtbot.addWidget(ov)
    ov.resize(600, 400)
    ov.show()
    qtbot.waitExposed(ov)
    return ov


def test_overview_shows_cards_and_follows_a_colour_change(qtbot, view, doc):
    n = ids(doc)
    card = doc.data.cell(n["Discover"], n["Actions"])[0]
    ov = _overview(qtbot, view)
    box = view.map_scene.layout.cards[card.id]
    at = ov.mapFromScene(QPointF(box.rect.cx, box.rect.cy))
    img = ov.viewport().grab().toImage()
    assert _close(img.pixelColor(at), QColor(box.fill), 30)
    doc.execute(C.UpdateCard(card.id, {"colour": "#ff0000"}))
    img = ov.viewport().grab().toImage()
    assert _close(img.pixelColor(at), QColor("#ff0000"), 30)


def test_clicking_the_overview_centres_the_canvas_there(qtbot, view, doc):
    view.resetTransform()
    view.scale(3.0, 3.0)  # the canvas shows a small part of the map
    ov = _overview(qtbot, view)
    lay = view.map_scene.layout
    view.centerOn(0, 0)
    target = QPointF(lay.width * 0.7, lay.height * 0.6)
    qtbot.mouseClick(ov.viewport(), Qt.MouseButton.LeftButton, pos=ov.mapFromScene(target))
    centre = view.mapToScene(view.viewport().rect().center())
    assert abs(centre.x() - target.x()) < 40 and abs(centre.y() - target.y()) < 40
