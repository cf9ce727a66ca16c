"""Fixtures for the canvas tests: the sample map in a real file, a shown canvas at 100 %."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QPointF, QSettings, QStandardPaths, Qt

from app.model.document import Document
from app.ui.canvas.scene import MapScene
from app.ui.canvas.view import CanvasView


@pytest.fixture(autouse=True)
def _isolated_settings(qapp, tmp_path: Path) -> None:
    """Keep QSettings and data folders out of the user's real ones (a fresh INI per test)."""
    QStandardPaths.setTestModeEnabled(True)
    QCoreApplication.setOrganizationName("WaymarkTests")
    QCoreApplication.setApplicationName("WaymarkTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))


@pytest.fixture
def doc(tmp_path: Path) -> Iterator[Document]:
    d = Document.create(tmp_path / "sample.cjm", template="sample")
    yield d
    d.close()


def shown_window(qtbot, doc: Document, size: tuple[int, int] | None = None):
    """A MainWindow on ``doc``, shown and exposed, that closes without asking."""
    from app.ui.shell.window import MainWindow

    w = MainWindow(doc)
    w.ask_on_close = False
    qtbot.addWidget(w)
    if size is not None:
        w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def window(qtbot, doc: Document):
    """The sample map in a shown main window."""
    return shown_window(qtbot, doc)


@pytest.fixture
def view(qtbot, doc: Document) -> CanvasView:
    scene = MapScene(doc)
    v = CanvasView(scene)
    qtbot.addWidget(v)
    v.resize(1800, 1300)
    v.show()
    qtbot.waitExposed(v)
    v.resetTransform()
    v.centerOn(scene.layout.width / 2, scene.layout.height / 2)
    v.scale(0.8, 0.8)
    return v


def vp(view: CanvasView, x: float, y: float) -> QPoint:
    """A scene point in viewport pixels."""
    return view.mapFromScene(QPointF(x, y))


def drag(qtbot, view: CanvasView, start: tuple[float, float], end: tuple[float, float],
         modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """Press at ``start``, move in steps, release at ``end`` (scene coordinates)."""
    w = view.viewport()
    a, b = vp(view, *start), vp(view, *end)
    qtbot.mousePress(w, Qt.MouseButton.LeftButton, modifier, a)
    for i in range(1, 6):
        p = a + (b - a) * (i / 5)
        qtbot.mouseMove(w, QPoint(int(p.x()), int(p.y())))
    qtbot.mouseRelease(w, Qt.MouseButton.LeftButton, modifier, b)


def card_centre(view: CanvasView, card_id: int) -> tuple[float, float]:
    r = view.map_scene.layout.cards[card_id].rect
    return (r.x + r.w * 0.3, r.y + 8)


def ids(doc: Document) -> dict[str, int]:
    """Stage and lane ids of the sample map by name, and the map id."""
    data = doc.data
    m = data.ordered_maps()[0]
    out = {"map": m.id}
    out.update({s.name: s.id for s in data.stages_of(m.id)})
    out.update({ln.name: ln.id for ln in data.lanes_of(m.id)})
    return out
