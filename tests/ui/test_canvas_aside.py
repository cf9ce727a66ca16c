"""The canvas laid out on a worker during a room burst (issue 19) shows exactly the map a
fresh canvas shows: the real main window with its docks and an open room, participants'
ideas in every script arriving over WebSockets while the facilitator drags, retitles,
deletes and adds cards with the mouse and keys; after each step the window's scene (its
items' boxes, texts, positions and bounds) equals a scene built from scratch. And a
layout that a refresh on the spot overtook is never shown after it."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication

from app.model import commands as C
from app.ui.canvas.scene import MapScene
from benchmarks.room_client import SimPage
from tests.ui.conftest import card_centre, drag, ids, shown_window, vp
from tests.ui.keyboard import activate, press, type_text

IDEAS = [
    "queue at the till 20 min",
    "收银台排队太久了",
    "لا توجد لافتات واضحة للمخرج",
    "התור לקופה ארוך מדי",
    "पार्किंग में जगह नहीं मिली",
    "app crashed at checkout 😡",
    "<b>bold</b> & <script>x</script>",
    "Donaudampfschifffahrtsgesellschaftskapitän forgot the receipt again",
]


def _burst(url: str, plan: list[dict[str, Any]], people: int = 3) -> threading.Thread:
    """Participants' pages sending ``plan``'s ideas from a thread (the GUI keeps going)."""
    errors: list[BaseException] = []

    async def one(i: int) -> None:
        page = SimPage(url, name=f"Person {i + 1}")
        await page.connect()
        for msg in plan[i::people]:
            await page.send(msg)
        await page.wait_settled(30)
        assert not page.refused, sorted({r["reason"] for r in page.refused.values()})
        await page.close()

    async def everyone() -> None:
        await asyncio.gather(*(one(i) for i in range(people)))

    def run() -> None:
        try:
            asyncio.run(everyone())
        except BaseException as err:  # re-raised by _wait
            errors.append(err)

    thread = threading.Thread(target=run, daemon=True)
    thread.errors = errors  # type: ignore[attr-defined]
    thread.start()
    return thread


def _wait(qtbot, thread: threading.Thread, win, titles: list[str]) -> None:
    """The pages are answered, the views told, and the canvas caught up."""
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=30_000)
    assert not thread.errors, thread.errors  # type: ignore[attr-defined]
    scene, doc = win.scene, win.doc

    def caught_up() -> bool:
        data = doc.data
        wanted = {c.id for c in data.cards.values() if c.title in titles}
        on_map = {c.id for c in data.cards_of(scene.map_id)
                  if not data.lanes[c.lane_id].collapsed}
        return (not doc.notifications_waiting and not scene.laying_out
                and len(wanted) == len(titles) and set(scene.cards) == on_map)

    qtbot.waitUntil(caught_up, timeout=20_000)
    qtbot.wait(30)  # an apply handed to the bridge's next turn has run


def _same_as_fresh(win) -> None:
    scene = win.scene
    fresh = MapScene(win.doc, scene.map_id, style=scene.style,
                     kept_columns=scene.kept_columns)
    try:
        assert scene.snapshot() == fresh.snapshot()
        assert set(scene.cards) == set(fresh.cards)
        for cid, item in scene.cards.items():
            other = fresh.cards[cid]
            assert item.boundingRect() == other.boundingRect()
            assert [t.text for t in item.box.title_lines] == \
                [t.text for t in other.box.title_lines]
    finally:
        fresh.detach()


def _title(item) -> str:
    return " ".join(t.text for t in item.box.title_lines)


def _show(view, scene, card_id: int) -> None:
    """The card in the middle of the viewport at 100 %."""
    view.resetTransform()
    r = scene.layout.cards[card_id].rect
    view.centerOn(r.cx, r.cy)


def test_the_canvas_of_a_room_burst_equals_a_fresh_one_after_every_edit(qtbot, doc) -> None:
    win = shown_window(qtbot, doc, (1600, 1000))
    view, scene = win.view, win.scene
    control = win.room_control
    control.address = "127.0.0.1"
    control.act_open.trigger()  # Workshop > Open Room…: ideas go straight onto the map
    activate(qtbot, win)
    room = control.room
    assert room is not None
    n = ids(doc)
    stages = [s.id for s in doc.data.stages_of(n["map"])]
    lanes = [ln.id for ln in doc.data.lanes_of(n["map"]) if not ln.collapsed]
    kinds = ["pain_point", "opportunity", "action", "thought", "touchpoint"]

    def plan(tag: str, count: int) -> list[dict[str, Any]]:
        return [{"t": "add", "kind": kinds[i % len(kinds)], "stage": stages[i % len(stages)],
                 "lane": lanes[(i // len(stages)) % len(lanes)],
                 "title": f"{IDEAS[i % len(IDEAS)]} ({tag} {i})"} for i in range(count)]

    # 1. a burst of ideas in every stage and lane, while the facilitator drags a card
    first = plan("a", 48)
    thread = _burst(room.url, first)
    card = doc.data.cell(n["Discover"], n["Actions"])[0]
    _show(view, scene, card.id)
    target = scene.cell_rect(n["Collect in store"], n["Actions"])
    drag(qtbot, view, card_centre(view, card.id), (target.x + 30, target.bottom - 4))
    _wait(qtbot, thread, win, [m["title"] for m in first])
    assert doc.data.cards[card.id].stage_id == n["Collect in store"]
    assert scene.aside_applied > 0  # the burst was laid out on a worker
    _same_as_fresh(win)

    # 2. another burst while a card is retitled with F2 and typing (Arabic and CJK)
    second = plan("b", 30)
    thread = _burst(room.url, second, people=2)
    retitled = doc.data.cell(n["Discover"], n["Goals"])[0]
    _show(view, scene, retitled.id)
    w = view.viewport()
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=vp(view, *card_centre(view, retitled.id)))
    press(win, Qt.Key.Key_F2)
    assert view.session is not None
    type_text(win, " — 退货 مرتجعات")  # typed key by key while the ideas arrive
    press(win, Qt.Key.Key_Return)
    _wait(qtbot, thread, win, [m["title"] for m in second])
    assert doc.data.cards[retitled.id].title.endswith("退货 مرتجعات")
    _same_as_fresh(win)

    # 3. a burst while room cards are deleted with the Delete key and a card is added
    third = plan("c", 24)
    thread = _burst(room.url, third)
    gone = [c.id for c in doc.data.cards.values() if c.title.endswith("(a 5)")
            or c.title.endswith("(b 7)")]
    assert len(gone) == 2
    scene.select_cards(gone)
    view.setFocus()
    press(win, Qt.Key.Key_Delete)
    assert not set(gone) & set(doc.data.cards)
    win.view.run(C.AddCard(n["Discover"], n["Goals"], {"title": "كرسي للانتظار"}, 0))
    _wait(qtbot, thread, win, [m["title"] for m in third])
    assert not set(gone) & set(scene.cards)
    _same_as_fresh(win)

    # 4. undo of the facilitator's edits while the room stays open
    for _ in range(3):
        win.undo()
    QApplication.processEvents()
    _same_as_fresh(win)
    control.close_room()
    _same_as_fresh(win)


def test_a_layout_overtaken_by_a_refresh_on_the_spot_is_never_shown(qtbot, doc,
                                                                     monkeypatch) -> None:
    from app.ui.canvas import scene as scene_module

    release = threading.Event()
    real = scene_module.layout_map

    def held(*args: Any, **kwargs: Any):  # the worker's layout waits for the test
        if threading.current_thread() is not threading.main_thread():
            assert release.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(scene_module, "layout_map", held)
    scene = MapScene(doc)
    try:
        n = ids(doc)
        with scene.aside():  # a room's tell: laid out on a worker
            change = doc.execute(C.AddCard(n["Discover"], n["Goals"], {"title": "older"}))
        added = next(iter(change.added["cards"]))
        assert scene.laying_out and added not in scene.cards
        # the facilitator's edit meanwhile: on the spot, with the card just added
        doc.execute(C.UpdateCard(added, {"title": "newer تحديث"}))
        assert not scene.laying_out
        assert _title(scene.cards[added]) == "newer تحديث"
        release.set()
        assert QThreadPool.globalInstance().waitForDone(20_000)
        qtbot.wait(50)  # the overtaken result's delivery has come and gone
        assert scene.aside_applied == 0
        assert _title(scene.cards[added]) == "newer تحديث"
        fresh = MapScene(doc, kept_columns=scene.kept_columns)
        assert scene.snapshot() == fresh.snapshot()
        fresh.detach()

        # a layout on a worker that nothing overtakes is shown when it arrives; a change
        # told while it runs is laid out after it
        release.clear()
        with scene.aside():
            doc.execute(C.DeleteCards([added]))
        assert scene.laying_out
        with scene.aside():
            change = doc.execute(C.AddCard(n["Buy online"], n["Actions"], {"title": "وصل"}))
        later = next(iter(change.added["cards"]))
        release.set()
        qtbot.waitUntil(lambda: scene.aside_applied == 2, timeout=20_000)
        assert added not in scene.cards and _title(scene.cards[later]) == "وصل"
        fresh = MapScene(doc, kept_columns=scene.kept_columns)
        assert scene.snapshot() == fresh.snapshot()
        fresh.detach()
    finally:
        release.set()
        scene.detach()
