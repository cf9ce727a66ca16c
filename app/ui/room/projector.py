"""The projector panel: the join QR code, the short address and room code, the room check,
who is in the room, and the facilitator's controls (mode, locks, silent, dots, limit,
timer, remove someone, close the room)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.room.room import Room
from app.room.settings import Mode
from app.ui.room.join_screen import JoinScreen
from app.ui.room.qr import QrView


class ProjectorPanel(QWidget):
    """Everything the room needs on the facilitator's screen."""

    def __init__(self, room: Room, report: Callable[[str], None],
                 on_close: Callable[[], None], parent: QWidget | None = None, *,
                 on_reveal: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.room = room
        self.report = report
        #: The window's one reveal (face-down cards on the wall and held ideas at once).
        self.on_reveal = on_reveal
        self.setObjectName("room-projector")
        big = QFont()
        big.setPointSize(20)
        big.setBold(True)
        # the join block first, so that it is in view without scrolling on a laptop: the
        # QR code at five pixels a module (205 px for the 41 modules of a room's address)
        self.qr = QrView(room.qr(), module=5, smallest=4)
        self.qr.setAccessibleName(self.tr("Join QR code"))
        self.address = QLabel(room.short_url)
        self.address.setFont(big)
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.address.setAccessibleName(self.tr("Join address"))
        self.code = QLabel(self.tr("Room code:\n{0}").format(room.code))
        self.code.setFont(big)
        self.check = QLabel(self.tr("Room check: {0} (the same on every phone)").format(
            room.fingerprint))
        self.check.setWordWrap(True)
        self.check.setToolTip(self.tr(
            "Served over plain HTTP on this network only; see the guide for why, and what "
            "that means."))
        for label in (self.address, self.code, self.check):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setTextFormat(Qt.TextFormat.PlainText)
        #: Show Join Code: the QR code, address and code full screen (Esc goes back).
        self.show_join = QPushButton(self.tr("Show Join Code"))
        self.show_join.setToolTip(self.tr("The join QR code, address and room code full "
                                          "screen, for the projector (Esc goes back)"))
        self.show_join.clicked.connect(self.toggle_join_screen)
        self.join_screen: JoinScreen | None = None
        self.counts = QLabel()
        self.counts.setAlignment(Qt.AlignmentFlag.AlignCenter)

        s = room.host.settings
        self.mode = QComboBox()
        self.mode.addItem(self.tr("Straight onto the map"), Mode.DIRECT.value)
        self.mode.addItem(self.tr("Into my inbox first"), Mode.INBOX.value)
        self.mode.setCurrentIndex(0 if s.mode is Mode.DIRECT else 1)
        self.mode.currentIndexChanged.connect(
            lambda: self._set(mode=self.mode.currentData()))
        self.adding = QCheckBox(self.tr("Adding ideas"))
        self.voting = QCheckBox(self.tr("Voting"))
        self.feelings = QCheckBox(self.tr("Feelings"))
        self.anonymous = QCheckBox(self.tr("Anonymous allowed"))
        self.silent = QCheckBox(self.tr("Silent brainstorming (hold ideas)"))
        for box, key in ((self.adding, "adding_open"), (self.voting, "voting_open"),
                         (self.feelings, "feelings_open"), (self.anonymous, "allow_anonymous"),
                         (self.silent, "silent")):
            box.setChecked(bool(getattr(s, key)))
            box.toggled.connect(lambda on, key=key: self._set(**{key: on}))
        self.reveal = QPushButton(self.tr("Reveal (wall and phones)"))
        self.reveal.clicked.connect(self._reveal)
        self.budget = QSpinBox()
        self.budget.setRange(0, 99)
        self.budget.setValue(s.budget)
        self.budget.setAccessibleName(self.tr("Dots per participant"))
        self.budget.editingFinished.connect(lambda: self._set(budget=self.budget.value()))
        self.limit = QSpinBox()
        self.limit.setRange(0, 999)
        self.limit.setSpecialValueText(self.tr("no limit"))
        self.limit.setValue(s.idea_limit)
        self.limit.setAccessibleName(self.tr("Ideas per participant"))
        self.limit.editingFinished.connect(lambda: self._set(idea_limit=self.limit.value()))
        timer_row = QHBoxLayout()
        self.timer_label = QLabel()
        self.timer_minutes = QSpinBox()
        self.timer_minutes.setRange(1, 240)
        self.timer_minutes.setValue(5)
        self.timer_minutes.setSuffix(self.tr(" min"))
        self.timer_start = QPushButton(self.tr("Start"))
        self.timer_start.clicked.connect(self._timer_toggle)
        timer_row.addWidget(self.timer_label)
        timer_row.addWidget(self.timer_minutes)
        timer_row.addWidget(self.timer_start)

        self.people = QListWidget()
        self.people.setAccessibleName(self.tr("Participants"))
        self.remove = QPushButton(self.tr("Remove from room"))
        self.remove.clicked.connect(self._remove)
        self.close_button = QPushButton(self.tr("Close Room"))
        self.close_button.clicked.connect(on_close)

        form = QFormLayout()
        form.addRow(self.tr("Ideas go"), self.mode)
        form.addRow(self.tr("Open"), _row(self.adding, self.voting, self.feelings))
        form.addRow("", self.anonymous)
        form.addRow("", _row(self.silent, self.reveal))
        form.addRow(self.tr("Dots each"), self.budget)
        form.addRow(self.tr("Ideas each"), self.limit)
        form.addRow(self.tr("Timer"), _wrap(timer_row))
        beside = QVBoxLayout()
        beside.addStretch(1)
        for w in (self.code, self.check, self.counts, self.show_join):
            beside.addWidget(w)
        beside.addStretch(1)
        join = QHBoxLayout()
        join.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        join.addLayout(beside, 1)
        layout = QVBoxLayout(self)
        edge = layout.contentsMargins()
        edge.setTop(4)  # the join block as high as the dock lets it
        layout.setContentsMargins(edge)
        layout.addLayout(join)
        layout.addWidget(self.address)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("In the room:")))
        layout.addWidget(self.people, 1)
        layout.addWidget(_wrap(_hbox(self.remove, self.close_button)))
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._refresh_timer)
        self._tick.start(500)
        self._timer_version = -1
        self.refresh()

    # ------------------------------------------------------------------ state
    def refresh(self) -> None:
        """Show who is in the room and how much has arrived."""
        host = self.room.host
        people = [p for p in host.people() if not p.removed]
        held = host.inbox()
        self.counts.setText(self.tr("{0} in the room · {1} waiting").format(
            len(people), len(held)))
        current = self.people.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole) if current else None
        self.people.clear()
        for p in people:
            item = QListWidgetItem(p.name)
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            self.people.addItem(item)
            if p.id == keep:
                self.people.setCurrentItem(item)
        self.reveal.setEnabled(any(i.status == "held" for i in held)
                               or bool(host.face_down()))
        if self.join_screen is not None:
            self.join_screen.refresh()

    def toggle_join_screen(self) -> None:
        """Show the join code full screen, or go back from it."""
        if self.join_screen is not None and self.join_screen.isVisible():
            self.join_screen.leave()
            return
        self.join_screen = JoinScreen(self.room, self.window(), on_leave=self._join_left)
        self.join_screen.present()

    def _join_left(self) -> None:
        screen, self.join_screen = self.join_screen, None
        if screen is not None:
            screen.deleteLater()

    def _refresh_timer(self) -> None:
        snap = self.room.host.timer.snapshot()
        self.timer_label.setText(snap.text if snap.state != "idle" else "")
        self.timer_start.setText(self.tr("Pause") if snap.state == "running" else self.tr("Start"))
        if snap.version != self._timer_version:  # pages show the timer too
            self._timer_version = snap.version
            self.room.server.changed()

    # ---------------------------------------------------------------- actions
    def _set(self, **changes: Any) -> None:
        from app.room.host import Refused

        try:
            self.room.host.update(**changes)
        except (Refused, ValueError) as err:
            self.report(getattr(err, "reason", str(err)))

    def _reveal(self) -> None:
        if self.on_reveal is not None:
            self.on_reveal()
            self.refresh()
            return
        count = self.room.host.reveal()
        self.silent.setChecked(False)
        self.report(self.tr("{0} ideas revealed onto the map").format(count))

    def _timer_toggle(self) -> None:
        timer = self.room.host.timer
        if timer.state == "idle" or timer.state == "finished":
            timer.set(self.timer_minutes.value() * 60)
        timer.toggle()
        self._refresh_timer()

    def _remove(self) -> None:
        item = self.people.currentItem()
        if item is None:
            self.report(self.tr("Pick someone in the list first"))
            return
        self.room.host.remove(int(item.data(Qt.ItemDataRole.UserRole)))
        self.refresh()


def _hbox(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for w in widgets:
        row.addWidget(w)
    return row


def _row(*widgets: QWidget) -> QWidget:
    return _wrap(_hbox(*widgets))


def _wrap(layout: QHBoxLayout) -> QWidget:
    w = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    w.setLayout(layout)
    return w
