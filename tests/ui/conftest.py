"""Fixtures for the canvas tests: the sample map in a real file, a shown canvas at 100 %."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QPoint,
    QPointF,
    QSettings,
    QStandardPaths,
    Qt,
    QThreadPool,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget

from app.model.document import Document
from app.ui.canvas.scene import MapScene
from app.ui.canvas.view import CanvasView
from tests.made import new_document


@pytest.fixture(autouse=True)
def _isolated_settings(qapp, tmp_path: Path) -> None:
    """Keep QSettings and data folders out of the user's real ones (a fresh INI per test)."""
    QStandardPaths.setTestModeEnabled(True)
    QCoreApplication.setOrganizationName("WaymarkTests")
    QCoreApplication.setApplicationName("WaymarkTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))


def _window_key(widget: QWidget) -> int:
    import shiboken6

    return shiboken6.getCppPointer(widget)[0]


def _leftover_windows(before: set[int]) -> list[QWidget]:
    """Windows the test opened and left open: shown top-level widgets that were not there
    before, and main windows still on the open-window list."""
    from app.ui.shell.base import WINDOWS

    shown = [w for w in QApplication.topLevelWidgets()
             if w.isVisible() and _window_key(w) not in before]
    return list(dict.fromkeys([*shown, *WINDOWS]))


@pytest.fixture(autouse=True)
def _no_leaked_windows_or_tasks(qapp) -> Iterator[None]:
    """A test that leaves a window open or a background task running fails (napari's
    habit): top-level widgets before and after, and the thread pool idle at the end.

    It runs after pytest-qt has closed the widgets given to ``qtbot.addWidget``. What it
    finds is closed afterwards, so one leak does not spread to the tests after it.
    """
    before = {_window_key(w) for w in QApplication.topLevelWidgets()}
    yield
    idle = QThreadPool.globalInstance().waitForDone(30_000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    leaked = _leftover_windows(before)
    names = [f"{type(w).__name__} {w.windowTitle()!r}" for w in leaked]
    for w in leaked:
        shutdown = getattr(w, "shutdown", None)
        if callable(shutdown) and getattr(w, "doc", None) is not None:
            w.ask_on_close = False
        w.close()
        w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if not idle:
        pytest.fail("a background task was still running 30 s after the test ended")
    if leaked:
        pytest.fail(f"the test left {len(leaked)} window(s) open: {', '.join(names)}")


@pytest.fixture
def doc(tmp_path: Path) -> Iterator[Document]:
    """The sample map in its own file."""
    d = new_document(tmp_path / "sample.cjm", "sample")
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


@pytest.fixture
def themed(qapp) -> Iterator[None]:
    """Themes change the whole application: put its style and palette back afterwards."""
    style, palette = qapp.style().name(), QPalette(qapp.palette())
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setProperty("waymark_theme", None)
    qapp.setProperty("waymark_scheme", None)
