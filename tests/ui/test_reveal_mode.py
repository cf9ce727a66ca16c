"""One reveal mode for the wall and the room, in the real main window with a room open and a
simulated phone: the room's silent brainstorming and the wall's face-down cards are one
switch, one reveal, and the phones hide what the wall hides."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.workshop.state import FACE_DOWN
from benchmarks.room_client import SimPage
from tests.ui.conftest import shown_window
from tests.ui.keyboard import CTRL, SHIFT, activate, press, type_text

K = Qt.Key


class Phone:
    """A participant's page on its own thread and event loop, for the whole test."""

    def __init__(self, qtbot, url: str, name: str) -> None:
        self.qtbot = qtbot
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.page = SimPage(url, name=name)
        self.run(self.page.connect())

    def run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        self.qtbot.waitUntil(future.done, timeout=30000)  # the GUI thread keeps serving
        return future.result()

    def view(self, since: int, where) -> dict[str, Any]:
        return self.run(self.page.next_message("view", 30, since=since, where=where))

    def close(self) -> None:
        self.run(self.page.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.fixture
def room_window(qtbot, doc):
    win = shown_window(qtbot, doc)
    control = win.room_control
    control.address = "127.0.0.1"
    control.act_open.trigger()
    assert control.room is not None
    activate(qtbot, win)
    yield win
    control.close_room()


def titles_of(view: dict[str, Any]) -> dict[int, str]:
    return {c["id"]: c["title"] for c in view["cards"]}


def test_one_switch_one_reveal_for_the_wall_and_the_phones(qtbot, room_window, doc) -> None:
    win = room_window
    control = win.room_control
    room, projector, state = control.room, control.projector, win.workshop_state
    stage = doc.data.stages_of(win.scene.map_id)[1].id
    phone = Phone(qtbot, room.url, "Dana")
    try:
        press(win, K.Key_H, CTRL | SHIFT)  # Conceal New Cards at the wall...
        assert state.concealing
        assert room.host.settings.silent and projector.silent.isChecked()  # ...is the room's
        mark = phone.page.mark()
        phone.run(phone.page.send({"t": "add", "kind": "pain_point", "stage": stage,
                                   "title": "no parking for bikes"}))
        phone.run(phone.page.wait_settled())
        assert {a["status"] for a in phone.page.acked.values()} == {"held"}
        qtbot.waitUntil(lambda: state.held == 1, timeout=5000)
        assert "no parking for bikes" not in {c.title for c in doc.data.cards.values()}

        press(win, K.Key_F11)
        type_text(win, "free wifi was slow")
        press(win, K.Key_Return)
        card = next(c for c in doc.data.cards.values() if c.title == "free wifi was slow")
        item = win.scene.cards[card.id]
        assert [t.text for t in item.preview.title_lines] == [FACE_DOWN]  # on the wall
        chip = win.workshop.reveal_label
        assert chip.isVisible() and "1 on the wall" in chip.text()
        assert "1 held in the room" in chip.text()
        view = phone.view(mark, lambda m: card.id in titles_of(m))
        assert titles_of(view)[card.id] == FACE_DOWN  # ...and on the phone
        assert "free wifi was slow" not in repr(view)

        mark = phone.page.mark()
        press(win, K.Key_R, CTRL | SHIFT)  # one reveal
        assert item.preview is None
        landed = {c.title for c in doc.data.cards.values()}
        assert "no parking for bikes" in landed
        assert not state.concealing and not state.concealed and state.held == 0
        assert not room.host.settings.silent and not projector.silent.isChecked()
        assert not win.capture_actions.act_conceal.isChecked()
        assert not win.workshop.reveal_label.isVisible()
        assert "1 card revealed, 1 idea from the room" in win.statusBar().currentMessage()
        view = phone.view(mark, lambda m: titles_of(m).get(card.id) == "free wifi was slow")
        assert "no parking for bikes" in titles_of(view).values()
    finally:
        phone.close()


def test_the_room_check_box_and_button_are_the_same_switch_and_reveal(qtbot, room_window,
                                                                     doc) -> None:
    win = room_window
    control = win.room_control
    projector, state = control.projector, win.workshop_state
    projector.silent.click()  # silent brainstorming in the room panel...
    assert projector.silent.isChecked() and control.room.host.settings.silent
    assert state.concealing and win.capture_actions.act_conceal.isChecked()  # ...at the wall
    win.view.setFocus()
    type_text(win, "lift out of order")
    press(win, K.Key_Return)
    card = next(c for c in doc.data.cards.values() if c.title == "lift out of order")
    assert card.id in state.concealed
    assert titles_of(control.room.host.view())[card.id] == FACE_DOWN
    projector.refresh()
    assert projector.reveal.isEnabled()
    projector.reveal.click()  # the room's button is the one reveal
    assert not state.concealed and not state.concealing
    assert not control.room.host.settings.silent and not projector.silent.isChecked()
    assert {c["title"] for c in control.room.host.view()["cards"]} >= {"lift out of order"}


def test_a_resumed_silent_room_puts_the_wall_in_reveal_mode(qtbot, doc) -> None:
    win = shown_window(qtbot, doc)
    control = win.room_control
    control.address = "127.0.0.1"
    control.act_open.trigger()
    control.room.host.update(silent=True)
    control.close_room()
    win.capture_actions.set_concealing(False)
    control.act_open.trigger()  # the room's settings are kept in the file
    try:
        assert control.room.host.settings.silent
        assert win.workshop_state.concealing and win.capture_actions.act_conceal.isChecked()
    finally:
        control.close_room()
    assert win.workshop_state.held == 0
