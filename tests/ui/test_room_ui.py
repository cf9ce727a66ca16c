"""Workshop > Open Room in the real main window (docks shown): the projector panel with a
QR code that holds the join address, participants' ideas arriving through the queued
signal into the inbox, accepted, merged and discarded there, and the canvas showing them."""

from __future__ import annotations

import asyncio
import os
import subprocess
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from benchmarks.room_client import SimPage
from tests.ui.conftest import shown_window


def _in_thread(qtbot, coro_fn) -> Any:
    """Run a simulated page on its own thread while the GUI thread keeps serving events."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = asyncio.run(coro_fn())
        except BaseException as err:
            box["error"] = err

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=30000)
    if "error" in box:
        raise box["error"]
    return box.get("value")


def test_open_room_inbox_accept_merge_and_close(qtbot, doc, tmp_path: Path) -> None:
    win = shown_window(qtbot, doc)
    control = win.room_control
    control.address = "127.0.0.1"
    assert control.act_open in win.workshop_menu.actions()
    control.act_open.trigger()  # Workshop > Open Room…
    room = control.room
    assert room is not None and control.act_close.isEnabled()
    projector, inbox = control.projector, control.inbox
    assert projector.isVisible()
    assert projector.address.text() == room.short_url and room.code in projector.code.text()
    assert not projector.qr.pixmap().isNull()
    png = tmp_path / "qr.png"
    assert projector.qr.pixmap().save(str(png))
    if Path("/usr/bin/zbarimg").exists():  # what is on screen decodes to the join address
        read = subprocess.run(["/usr/bin/zbarimg", "--raw", "-q", str(png)],
                              capture_output=True, text=True, check=True).stdout.strip()
        assert read == room.url
    projector.mode.setCurrentIndex(1)  # into my inbox first
    assert room.host.settings.mode.value == "inbox"
    stage = doc.data.stages_of(win.scene.map_id)[1].id
    cards_before = len(doc.data.cards)

    async def participants() -> None:
        for name, ideas in (("Mia", ["<i>no</i> price shown", "price again"]),
                            ("Nour", ["parking full"])):
            page = SimPage(room.url, name=name)
            await page.connect()
            for title in ideas:
                await page.send({"t": "add", "kind": "pain_point", "stage": stage,
                                 "title": title})
            await page.wait_settled()
            await page.close()

    _in_thread(qtbot, participants)
    qtbot.waitUntil(lambda: inbox.list.count() == 3)
    assert len(doc.data.cards) == cards_before
    assert [p.name for p in room.host.people()] == ["Mia", "Nour"]
    assert control.bridge.count > 0 and control.bridge.longest < 1.0
    _shot(win, "room-inbox.png")

    inbox.list.setCurrentRow(0)
    assert inbox.title.text() == "<i>no</i> price shown"  # shown literally
    inbox.title.setText("price shown too late")
    qtbot.mouseClick(inbox.accept, Qt.MouseButton.LeftButton)
    card = next(c for c in doc.data.cards.values() if c.title == "price shown too late")
    assert card.author == "Mia" and card.id in win.scene.cards  # on the canvas
    win.scene.select_cards([card.id])
    inbox.list.setCurrentRow(0)  # "price again"
    qtbot.mouseClick(inbox.merge, Qt.MouseButton.LeftButton)
    assert doc.data.cards[card.id].body == "+ price again (Mia)"
    inbox.list.setCurrentRow(0)
    qtbot.mouseClick(inbox.discard, Qt.MouseButton.LeftButton)
    assert inbox.list.count() == 0
    assert doc.history()[-1].label == "Merge an idea into 'price shown too late' — from Mia"
    win.undo()  # an accepted idea is one undo step
    assert doc.data.cards[card.id].body == ""

    projector.people.setCurrentRow(1)
    qtbot.mouseClick(projector.remove, Qt.MouseButton.LeftButton)
    assert [p.name for p in room.host.people() if p.removed] == ["Nour"]
    qtbot.mouseClick(projector.close_button, Qt.MouseButton.LeftButton)
    assert control.room is None and not control.docks
    assert room.host.closed


def _shot(win, name: str) -> None:
    folder = os.environ.get("WAYMARK_SCREENSHOTS")
    if folder:
        win.grab().save(str(Path(folder) / name))


def test_the_room_fits_a_laptop_screen_beside_the_editors_docks(qtbot, doc) -> None:
    """On a 1366 x 768 laptop the open room neither makes the window taller than the screen
    nor squeezes Properties to a line: the room scrolls under the right column and its inbox
    is a tab beside History, brought to the front when ideas go there first."""
    win = shown_window(qtbot, doc, size=(1366, 740))
    control = win.room_control
    control.address = "127.0.0.1"
    control.act_open.trigger()
    room_dock, inbox_dock = control.docks
    qtbot.waitUntil(lambda: room_dock.isVisible())
    qtbot.wait(50)  # the deferred share of the column
    assert win.height() <= 740
    assert not win.properties.title.visibleRegion().isEmpty()  # Properties keeps its fields
    assert win.dock("Properties").height() >= 120
    assert inbox_dock in win.tabifiedDockWidgets(win.dock("History"))
    assert not control.projector.qr.visibleRegion().isEmpty()  # the QR code is in view
    assert control.projector.qr.width() <= room_dock.width()  # whole across
    assert inbox_dock.visibleRegion().isEmpty()  # a tab behind Report
    control.projector.mode.setCurrentIndex(1)  # into my inbox first
    qtbot.waitUntil(lambda: not inbox_dock.visibleRegion().isEmpty())
    qtbot.mouseClick(control.projector.close_button, Qt.MouseButton.LeftButton)
    assert control.room is None and not control.docks
