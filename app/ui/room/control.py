"""Workshop > Open Room… / Close Room: opens the room on the network the facilitator picks,
shows the projector panel and the inbox as docks, and closes the room with the window."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QInputDialog, QMessageBox

from app.errors import WaymarkError
from app.ui.room.bridge import Bridge
from app.ui.support.actions import make_action
from app.ui.support.scrolling import scrolling

#: Heights (pixels, proportions really) of Properties, the History/Report/Inbox tabs and
#: the room in the right column while a room is open: on a 1366 x 768 laptop the room's
#: join block (its QR code and address) is then in view whole, and Properties keeps its
#: title and body fields.
ROOM_COLUMN_SHARES = (230, 300, 470)
MEASURE_AHEAD = 0.008  # seconds after a slice for measuring its new cards' texts, at most

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow as MainWindow  # an app.ui.shell.base.Shell; the

    # shell installs this package, so it is not imported here (no cycle)
    from app.room.room import Room


class RoomControl(QObject):
    """The room of one window (at most one at a time)."""

    def __init__(self, win: MainWindow) -> None:
        super().__init__(win)
        self.win = win
        # a slice's contributions are one transaction (one fsync; each its own undo step,
        # acknowledged once committed); the views hear them a few times a second (bridge.py)
        self.bridge = Bridge(self, hold=self._slice, tell=self._tell)
        self._hooked: object | None = None  # the scene that reports its applies to the bridge
        self.room: Room | None = None
        self._unsubscribe: Callable[[], None] = lambda: None
        self.docks: list[QDockWidget] = []
        self._inbox_mode = False  # the room holds ideas in the inbox (the tab was raised)
        #: Tests set this to skip the interface question (an IP address).
        self.address: str | None = None
        menu = getattr(win, "workshop_menu", None)
        if menu is None:
            menu = win.workshop_menu = win.menuBar().addMenu(win.tr("Wor&kshop"))
        self.act_open = make_action(win, win.tr("Op&en Room…"), self.open_room)
        self.act_close = make_action(win, win.tr("Close R&oom"), self.close_room)
        self.act_close.setEnabled(False)
        #: The join QR code, address and room code full screen (the projector); Esc leaves.
        self.act_join = make_action(win, win.tr("Show &Join Code"), self.toggle_join_screen,
                                    "Ctrl+Shift+J")
        self.act_join.setEnabled(False)
        menu.addActions([self.act_open, self.act_join, self.act_close])

    @contextlib.contextmanager
    def _slice(self) -> Iterator[None]:
        doc = self.win.doc
        with doc.notifications_held(defer=True), doc.batch():
            yield
        scene = getattr(self.win, "scene", None)
        if scene is not None and doc.notifications_waiting:
            # the slice's new cards measured now, a few milliseconds' worth, so that the
            # next layout (a tell's, or an edit of the facilitator's on the spot) costs
            # what a layout of measured cards costs, however many ideas came meanwhile
            scene.measure_ahead(MEASURE_AHEAD)

    def _hook(self, scene: Any) -> None:
        if self._hooked is not scene:
            self._hooked = scene
            scene.on_aside_applied(self.bridge.views_worked)
            scene.apply_gate = self.bridge.view_work

    def _tell(self) -> bool:
        """Tell the views what the slices committed; the canvas lays the map out on a
        worker meanwhile (``MapScene.aside``) and applies it on arrival, so the GUI
        thread's part of a tell is the panels and the canvas's item updates."""
        scene = getattr(self.win, "scene", None)
        if scene is None or self.room is None:  # closing: every view on the spot
            return self.win.doc.flush_notifications()
        self._hook(scene)
        with scene.aside():
            return self.win.doc.flush_notifications()

    # ================================================================ open
    def open_room(self) -> Room | None:
        """Ask which network to serve, open (or resume) the room, show its panels."""
        if self.room is not None:
            self.docks[0].raise_()
            return self.room
        address = self.address or self._ask_address()
        if address is None:
            return None
        from app.room.room import open_room
        from app.room.settings import RoomSettings

        doc = self.win.doc
        map_id = self.win.scene.map_id or 0
        try:
            from app.room import store

            settings = doc.read_side(store.load_settings).model_copy(update={"map_id": map_id})
            settings = RoomSettings.model_validate(settings.model_dump())
            timer = getattr(getattr(self.win, "workshop_state", None), "timer", None)
            self.room = open_room(doc, self.bridge.post, address, settings=settings)
            if timer is not None:
                self.room.host.timer = timer
        except WaymarkError as err:
            QMessageBox.warning(self.win, self.win.tr("Open Room"), err.message)
            return None
        self.room.host.listeners.append(self._event)
        self._join_reveal_mode()
        # after any view update, the next slice waits a turn of the loop (bridge.py)
        self._unsubscribe = doc.subscribe(lambda change: self.bridge.views_worked())
        self._show_docks()
        self.act_close.setEnabled(True)
        self.act_join.setEnabled(True)
        word = self.win.tr("resumed") if self.room.resumed else self.win.tr("open")
        self.win.report(self.win.tr("Room {0}: {1}  code {2}").format(
            word, self.room.short_url, self.room.code))
        return self.room

    def _ask_address(self) -> str | None:
        from app.room import net

        found = net.interfaces()
        if not found:
            QMessageBox.warning(self.win, self.win.tr("Open Room"),
                                self.win.tr("This computer is on no network."))
            return None
        labels = [i.describe() + (self.win.tr(" — this computer only") if i.loopback else "")
                  for i in found]
        choice, ok = QInputDialog.getItem(
            self.win, self.win.tr("Open Room"),
            self.win.tr("Serve the room on which network? (Participants must be on it.)"),
            labels, 0, False)
        if not ok:
            return None
        return found[labels.index(choice)].address

    def _show_docks(self) -> None:
        from app.ui.room.inbox import InboxPanel
        from app.ui.room.projector import ProjectorPanel

        assert self.room is not None
        acts = getattr(self.win, "capture_actions", None)
        self.projector = ProjectorPanel(self.room, self.win.report, self.close_room,
                                        on_reveal=acts.reveal if acts is not None else None)
        self.inbox = InboxPanel(self.room, self._selected_card, self.win.report)
        right = Qt.DockWidgetArea.RightDockWidgetArea
        for title, panel, widget in (
                (self.win.tr("Room"), self.projector, scrolling(self.projector)),
                (self.win.tr("Room Inbox"), self.inbox, self.inbox)):
            dock = QDockWidget(title, self.win)
            dock.setObjectName(panel.objectName())
            dock.setWidget(widget)
            self.docks.append(dock)
        room, inbox = self.docks
        # The room under the editor's right column, its inbox a tab beside History and
        # Report: four docks stacked there would squeeze each to a few lines, and a column
        # of their own would take the canvas's width.
        self.win.addDockWidget(right, room)
        history = self._own_dock("History")
        if history is not None:
            self.win.tabifyDockWidget(history, inbox)
        else:  # a window without the History dock
            self.win.addDockWidget(right, inbox)
        room.show()
        room.raise_()
        self._inbox_mode = self.room.host.settings.mode.value == "inbox"
        if self._inbox_mode:
            self.show_inbox()
        # once the docks are laid out (resizing before that is ignored)
        QTimer.singleShot(0, self._share_the_column)

    def _share_the_column(self) -> None:
        """Give Properties, the tabs and the room their shares of the right column."""
        if len(self.docks) != 2 or not self.docks[0].isVisible():
            return
        history = self._own_dock("History")
        tabs = [history, *self.win.tabifiedDockWidgets(history)] if history is not None else []
        front = next((d for d in tabs if not d.visibleRegion().isEmpty()), None)
        column = [d for d in (self._own_dock("Properties"), front, self.docks[0])
                  if d is not None]
        self.win.resizeDocks(column, list(ROOM_COLUMN_SHARES[-len(column):]),
                             Qt.Orientation.Vertical)
        room = self.docks[0]
        wide = max(room.width(), self.projector.minimumSizeHint().width()
                   + room.style().pixelMetric(room.style().PixelMetric.PM_ScrollBarExtent))
        self.win.resizeDocks([room], [wide], Qt.Orientation.Horizontal)  # the QR code, whole

    def _own_dock(self, title: str) -> QDockWidget | None:
        """The window's dock titled ``title``, or None (a window without it)."""
        try:
            return self.win.dock(title)
        except (AttributeError, KeyError):
            return None

    def toggle_join_screen(self) -> None:
        """Show the join code full screen, or go back from it."""
        if self.docks:
            self.projector.toggle_join_screen()

    def show_inbox(self) -> None:
        """Bring the inbox tab to the front (ideas are held there)."""
        if len(self.docks) == 2:
            self.docks[1].show()
            self.docks[1].raise_()

    def _selected_card(self) -> int | None:
        ids = self.win.scene.selected_card_ids()
        return ids[-1] if ids else None

    def _event(self, event: str, data: Any) -> None:
        """Room events (on the GUI thread): keep the panels current."""
        if event == "settings":
            self._room_silent(bool(data.silent))
            inbox_mode = getattr(data.mode, "value", data.mode) == "inbox"
            if inbox_mode and not self._inbox_mode:
                self.show_inbox()  # ideas will wait there: put it in front
            self._inbox_mode = inbox_mode
        if event == "inbox":
            self._count_held()
        if event in ("people", "inbox", "removed", "settings") and self.docks:
            self.projector.refresh()
            self.inbox.refresh()

    # ================================================================ one reveal
    def _join_reveal_mode(self) -> None:
        """The room's silent brainstorming is the wall's reveal mode: one switch (the
        room's check box, Workshop > Conceal New Cards, Ctrl+Shift+H) and one reveal
        (Ctrl+Shift+R or the room's button) for both; cards face down on the wall are
        face down on the phones too, and the wall counts the ideas the room holds."""
        acts = getattr(self.win, "capture_actions", None)
        state = getattr(self.win, "workshop_state", None)
        if acts is None or state is None or self.room is None:
            return
        host = self.room.host
        host.face_down = lambda: frozenset(state.concealed)
        if host.settings.silent and not state.concealing:
            acts.set_concealing(True, tell=False)  # a resumed silent room
        elif state.concealing and not host.settings.silent:
            host.update(silent=True)
        acts.conceal_hooks.append(self._wall_concealing)
        acts.reveal_hooks.append(self._reveal_held)
        self._count_held()

    def _leave_reveal_mode(self) -> None:
        acts = getattr(self.win, "capture_actions", None)
        if acts is not None:
            for hooks, hook in ((acts.conceal_hooks, self._wall_concealing),
                                (acts.reveal_hooks, self._reveal_held)):
                if hook in hooks:
                    hooks.remove(hook)
        state = getattr(self.win, "workshop_state", None)
        if state is not None and state.held:
            state.held = 0
            self._wall_changed()

    def _wall_concealing(self, on: bool) -> None:
        """Reveal mode switched at the wall: the room holds ideas (or stops), the phones
        show the face-down cards as the wall does."""
        if self.room is None:
            return
        if self.room.host.settings.silent != on:
            self.room.host.update(silent=on)
        self.room.server.changed()

    def _room_silent(self, on: bool) -> None:
        """Silent mode switched in the room panel: the wall's reveal mode follows."""
        acts = getattr(self.win, "capture_actions", None)
        state = getattr(self.win, "workshop_state", None)
        if acts is not None and state is not None and state.concealing != on:
            acts.set_concealing(on, tell=False)
        if self.docks and self.projector.silent.isChecked() != on:
            was = self.projector.silent.blockSignals(True)
            self.projector.silent.setChecked(on)
            self.projector.silent.blockSignals(was)

    def _reveal_held(self) -> int:
        """Part of the one reveal: the held ideas land (face up); the phones refresh."""
        if self.room is None:
            return 0
        count = self.room.host.reveal()
        self.room.server.changed()
        return count

    def _count_held(self) -> None:
        state = getattr(self.win, "workshop_state", None)
        if state is None or self.room is None:
            return
        held = sum(1 for i in self.room.host.inbox() if i.status == "held")
        if held != state.held:
            state.held = held
            self._wall_changed()

    def _wall_changed(self) -> None:
        workshop = getattr(self.win, "workshop", None)
        if workshop is not None:
            workshop.update_overlays()

    # ================================================================ close
    def close_room(self) -> None:
        """Close the room: pages hear it, every token dies, the panels go."""
        if self.room is None:
            return
        self._leave_reveal_mode()
        room, self.room = self.room, None
        room.close()
        self._unsubscribe()
        self.bridge.flush()  # the views hear the last contributions now, on the spot
        if self.docks and self.projector.join_screen is not None:
            self.projector.join_screen.leave()  # its address and code are dead now
        for dock in self.docks:
            self.win.removeDockWidget(dock)
            dock.deleteLater()
        self.docks = []
        self._inbox_mode = False
        self.act_close.setEnabled(False)
        self.act_join.setEnabled(False)
        self.win.report(self.win.tr("Room closed: every participant's token has expired"))

    def shutdown(self) -> None:
        """The window closes: so does its room."""
        self.close_room()


def install(win: MainWindow) -> RoomControl:
    """Add room mode to a window (Workshop > Open Room…)."""
    return RoomControl(win)
