"""Screenshots of workshop capture for the guide (docs/images/workshop*.png, context-menu-*.png).

Runs the real main window on a hotel-stay workshop map (the B2C template, ideas typed in
a workshop) under a display, drives it with real key presses and right-clicks, and grabs
the screen (menus are windows of their own, so the screen, not the window, is grabbed):

    Xvfb :24 -screen 0 1600x1000x24 &
    DISPLAY=:24 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshots_workshop.py [OUT_DIR]

OUT_DIR defaults to docs/images. The map and the settings live in a temporary folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QPoint, QPointF, QRect, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QMenu, QWidget  # noqa: E402

from app.model import grouping as G  # noqa: E402
from app.model import voting as V  # noqa: E402
from app.model.commands import AddCards, UpdateMap, UpdatePersona  # noqa: E402
from app.model.document import Document  # noqa: E402

NO = Qt.KeyboardModifier.NoModifier
SIZE = (1600, 1000)

#: Ideas a hotel-stay workshop wrote on the wall before the screenshots: (stage, lane, title).
IDEAS = [
    ("Awareness", "Touchpoints", "instagram ad for the spa weekend"),
    ("Awareness", "Touchpoints", "friend's wedding photos at the lake"),
    ("Awareness", "Thoughts", "looks expensive… is it worth it?"),
    ("Consideration", "Touchpoints", "3 booking sites open side by side"),
    ("Consideration", "Actions", "compares room photos with guests' photos"),
    ("Consideration", "Actions", "asks on whatsapp: 'anyone been?'"),
    ("Consideration", "Thoughts", "is breakfast included or not???"),
    ("Purchase", "Actions", "books the lake-view room for 2 nights"),
    ("Purchase", "Pain points", "2 hour queue at check-in"),
    ("Purchase", "Pain points", "promo code SPRING24 rejected – no reason given"),
    ("Purchase", "Pain points", "card declined, charged anyway (€189.00)"),
    ("Purchase", "Opportunities", "one-page checkout, apple pay"),
    ("Purchase", "Opportunities", "show total incl. city tax up front"),
    ("Retention", "Thoughts", "why do i need an app to open my door?"),
    ("Retention", "Thoughts", "room was noisy – next to the lift"),
    ("Retention", "Pain points", "minibar charge for water i never drank"),
    ("Retention", "Pain points", "late check-out costs 40€/hour"),
    ("Retention", "Opportunities", "text when the room is ready"),
    ("Retention", "Opportunities", "let guests choose a quiet room"),
    ("Advocacy", "Touchpoints", "google review: 3/5 stars"),
    ("Advocacy", "Actions", "tells colleagues: «never again»"),
    ("Advocacy", "Thoughts", "予約確認メールが来ない"),
]
EMOTIONS = [("Awareness", "curious", 1), ("Consideration", "excited but unsure", 1),
            ("Purchase", "relieved once it's booked", 2),
            ("Retention", "annoyed at the 11:00 checkout", -1),
            ("Advocacy", "mixed: great spa, bad service", 0)]
#: Typed live in the screenshot (the last one is left half-typed: TYPING).
TYPED = ["free wifi was slow", "-2 degrees in the pool, nobody told us"]
VOTERS = ["table 1", "table 2", "table 3", "aiko"]


def wait(ms: int = 150) -> None:
    QTest.qWait(ms)


def press(win: QWidget, key: Qt.Key, mods: Qt.KeyboardModifier = NO) -> None:
    QTest.keyClick(win.windowHandle(), key, mods)
    wait(20)


def type_text(win: QWidget, text: str) -> None:
    for ch in text:
        if ch.isascii() and ch.isalpha():
            key = Qt.Key(ord(ch.upper()))
        elif ch.isascii() and ch.isprintable():
            key = Qt.Key(ord(ch))
        else:
            key = Qt.Key.Key_unknown
        QTest.sendKeyEvent(QTest.KeyAction.Click, win.windowHandle(), key, ch, NO)
    wait(50)


def grab(path: Path, crop: QRect | None = None) -> None:
    """The whole screen (menus included), or a part of it."""
    image: QImage = QApplication.primaryScreen().grabWindow(0).toImage()
    if crop is not None:
        image = image.copy(crop.intersected(image.rect()))
    image.save(str(path))
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
          f"({image.width()}x{image.height()})")


def build_map(path: Path) -> Document:
    """The B2C template with a workshop's ideas, emotions, voters and dots."""
    doc = Document.create(path, template="b2c")
    data = doc.data
    m = data.ordered_maps()[0]
    doc.execute(UpdateMap(m.id, {"title": "Lake hotel – a weekend stay"}))
    if m.persona_id is not None:
        doc.execute(UpdatePersona(m.persona_id, {
            "name": "Weekend couple", "role": "books 2 nights, compares 3 sites"}))
    ids = {s.name: s.id for s in data.stages_of(m.id)}
    ids.update({ln.name: ln.id for ln in data.lanes_of(m.id)})
    items = [(ids[s], ids[ln], {"title": t}) for s, ln, t in IDEAS]
    items += [(ids[s], ids["Emotions"], {"title": t, "emotion": e}) for s, t, e in EMOTIONS]
    doc.execute(AddCards(items))
    for name in VOTERS:
        doc.execute(V.AddVoter(m.id, name, 3))
    voters = [v.id for v in doc.data.voters_of(m.id)]
    by_title = {c.title: c.id for c in doc.data.cards.values()}
    for voter, titles in zip(voters, [
            ["2 hour queue at check-in", "card declined, charged anyway (€189.00)",
             "let guests choose a quiet room"],
            ["2 hour queue at check-in", "minibar charge for water i never drank"],
            ["2 hour queue at check-in"], []], strict=True):
        for t in titles:
            doc.execute(V.CastDot(voter, by_title[t]))
    return doc


def ids_of(doc: Document) -> dict[str, int]:
    data = doc.data
    m = data.ordered_maps()[0]
    out = {s.name: s.id for s in data.stages_of(m.id)}
    out.update({ln.name: ln.id for ln in data.lanes_of(m.id)})
    return out


def with_menu(win: QWidget, at: QPoint, then: Callable[[QMenu], None]) -> None:
    """Right-click ``at`` (viewport pixels) through the window system; ``then`` runs with
    the open context menu, which is closed afterwards."""
    done: list[bool] = []

    def look() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(50, look)
            return
        wait(300)
        then(menu)
        menu.close()
        done.append(True)

    QTimer.singleShot(50, look)
    view = win.view
    QTest.mouseClick(win.windowHandle(), Qt.MouseButton.RightButton, NO,
                     view.viewport().mapTo(win, at))
    while not done:
        wait(50)
    wait(200)


def menu_crop(win: QWidget, menu: QMenu, at: QPoint, margin: int = 160) -> QRect:
    """The menu and the place it was opened from, with some of the map around them."""
    opened = win.view.viewport().mapToGlobal(at)
    r = menu.geometry().united(QRect(opened, opened))
    return r.adjusted(-margin, -margin // 2, margin, margin // 2)


def scene_point(win: QWidget, x: float, y: float) -> QPoint:
    return win.view.mapFromScene(QPointF(x, y))


def main(out: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="waymark-shots-"))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("WaymarkScreenshots")
    QCoreApplication.setApplicationName("WaymarkScreenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    from app.render.qtpaint import ensure_gui
    from app.ui.shell.window import MainWindow
    from app.ui.support.theme import apply_theme

    ensure_gui()
    apply_theme("light", app)
    doc = build_map(tmp / "hotel-stay.cjm")
    n = ids_of(doc)
    win = MainWindow(doc)
    win.ask_on_close = False
    win.setGeometry(0, 0, *SIZE)
    win.show()
    QTest.qWaitForWindowExposed(win)
    win.activateWindow()
    win.view.setFocus()
    wait(400)
    win.view.fit_map()
    wait(200)

    # (b), (c), (d): context menus of a stage header, an empty cell and a card
    scene = win.view.map_scene
    head = scene.stages[n["Purchase"]].header.rect
    at = scene_point(win, head.x + head.w * 0.4, head.y + head.h / 2)
    with_menu(win, at, lambda m: grab(out / "context-menu-stage.png", menu_crop(win, m, at)))
    cell = scene.cell_rect(n["Consideration"], n["Opportunities"])
    at = scene_point(win, cell.x + cell.w * 0.4, cell.y + cell.h * 0.6)
    with_menu(win, at, lambda m: grab(out / "context-menu-cell.png", menu_crop(win, m, at)))
    card = next(c for c in doc.data.cards.values() if c.title == "2 hour queue at check-in")
    box = scene.layout.cards[card.id].rect
    at = scene_point(win, box.x + box.w * 0.3, box.y + box.h * 0.4)
    qtclick = Qt.MouseButton.LeftButton
    QTest.mouseClick(win.windowHandle(), qtclick, NO, win.view.viewport().mapTo(win, at))
    wait(200)
    with_menu(win, at, lambda m: grab(out / "context-menu-card.png", menu_crop(win, m, at)))
    press(win, Qt.Key.Key_Escape)

    # (a) workshop mode: timer running, key hints, the voters' dots, a card being typed
    press(win, Qt.Key.Key_F11)
    wait(600)
    state = win.workshop_state
    state.timer.set(7 * 60)
    state.voter_id = doc.data.voters_of(doc.data.ordered_maps()[0].id)[1].id
    press(win, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # Ctrl+T starts it
    win.view.capture.move_to(n["Retention"], n["Pain points"])
    type_text(win, TYPED[0])
    press(win, Qt.Key.Key_Return)
    type_text(win, TYPED[1][:24])
    wait(1600)
    grab(out / "workshop.png")
    press(win, Qt.Key.Key_Escape)  # keeps the half-typed card

    # (e) a face-down round: new cards concealed until the reveal
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(win, Qt.Key.Key_H, ctrl_shift)
    win.view.capture.move_to(n["Advocacy"], n["Opportunities"])
    for idea in ("ask for a review only after the refund", "a handwritten thank-you card",
                 "loyalty night for lake-view guests"):
        type_text(win, idea)
        press(win, Qt.Key.Key_Return)
    win.view.capture.move_to(n["Retention"], n["Opportunities"])
    type_text(win, "quiet floor on request")
    press(win, Qt.Key.Key_Escape)  # keeps it (face down); a second Esc would leave
    wait(400)
    grab(out / "workshop-concealed.png")
    press(win, Qt.Key.Key_R, ctrl_shift)  # reveal

    # (f) clusters: the purchase pain points grouped (affinity mapping)
    by_title = {c.title: c.id for c in doc.data.cards.values()}
    for label, titles in (
            ("payment trouble", ["promo code SPRING24 rejected – no reason given",
                                 "card declined, charged anyway (€189.00)"]),
            ("charges nobody expected", ["minibar charge for water i never drank",
                                         "late check-out costs 40€/hour"]),
            ("the room itself", ["why do i need an app to open my door?",
                                 "room was noisy – next to the lift"])):
        win.view.run(G.GroupCards([by_title[t] for t in titles], label))
    wait(600)
    grab(out / "workshop-clusters.png")
    press(win, Qt.Key.Key_F11)
    wait(200)
    win.close()
    doc.close()
    for f in sorted(tmp.rglob("*"), reverse=True):
        f.unlink() if f.is_file() else f.rmdir()
    tmp.rmdir()


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images")
