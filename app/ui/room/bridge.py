"""Runs the room server's jobs on the GUI thread, through a queued signal.

The server thread never touches the document: it appends a function to a queue and emits
:attr:`Bridge.wake` (a queued connection: Qt posts an event to the GUI thread). On the
GUI thread the bridge runs queued jobs for at most :data:`SLICE` seconds, inside
``hold()``, then lets the event loop paint and take input before the next slice. The
room's ``hold()`` makes a slice one transaction (``Document.batch``): each job is still
its own undo step (and its own refusal), but the slice's jobs share one commit, one fsync,
and each participant hears back once that commit is on disk (``RoomHost.durable``), never
after any view work.

The views (canvas, panels) are told separately, by ``tell()``: ``hold()`` defers the
document's notifications (``Document.notifications_held(defer=True)``) and the bridge
tells the views the merged change of all the slices since the last time, at most every
:data:`MIN_GAP` seconds and never spending more than :data:`VIEW_SHARE` of the GUI
thread on it (a slow relayout makes the next one wait longer), so a burst of 900
contributions costs a few relayouts a second instead of one per slice, and the commits
are not queued behind layout work. A quiet room's single idea is shown at once. An edit
of the facilitator's own tells the waiting change with it (the document does that).

The canvas lays a tell's map out on a worker thread (``MapScene.aside``, from the
room's ``RoomControl``) and hands the apply of the result back through
:meth:`Bridge.view_work`: it runs as a turn of its own like a slice or a tell, so the
GUI thread's part of a view update is the panels in one turn and the canvas's item
updates in another, never the whole-map layout.

While slices run, Python's full garbage collection waits for a quiet moment
(:mod:`app.ui.support.collector`). Slices and tells are timed, so the longest stall can
be reported.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from app.errors import WaymarkError
from app.ui.support import collector

log = logging.getLogger(__name__)

SLICE = 0.025  # seconds of room work per turn of the event loop
MIN_GAP = 0.25  # seconds between two tells of the views, at least...
VIEW_SHARE = 0.2  # ...and long enough that telling takes at most this share of the time


class Bridge(QObject):
    """``post(fn)`` from any thread; ``fn`` runs on this object's (the GUI) thread.

    One timer decides what each turn of the event loop gets: a slice of jobs, *or* a tell
    of the views, *or* nothing (a turn for input and paint after view work), never two of
    them back to back, so the GUI thread's longest room stall is the longest of them.
    """

    wake = Signal()

    def __init__(self, parent: QObject | None = None,
                 hold: Callable[[], ContextManager[None]] | None = None,
                 tell: Callable[[], bool] | None = None) -> None:
        super().__init__(parent)
        self.hold = hold or contextlib.nullcontext
        #: Tells the views what the slices committed; returns whether there was anything.
        self.tell = tell
        self._jobs: deque[Callable[[], None]] = deque()
        self._lock = threading.Lock()
        self._pending = False
        self.wake.connect(self._turn, Qt.ConnectionType.QueuedConnection)
        self._next = QTimer(self)  # a child timer: the next turn, after paints and input
        self._next.setSingleShot(True)
        self._next.timeout.connect(self._turn)
        self._told_at = -1e9
        self._gap = MIN_GAP
        self._untold = False  # slices committed what the views have not heard yet
        self._yield = False  # the next turn is left to input and paint (views_worked)
        self._view_work: Callable[[], None] | None = None  # view_work's, for a turn
        #: The longest slice and the longest tell so far (seconds: the GUI thread's longest
        #: room stalls), how many jobs ran and how many times the views were told.
        self.longest = 0.0
        self.longest_tell = 0.0
        #: The longest apply of a canvas layout made on a worker (seconds, GUI thread).
        self.longest_apply = 0.0
        self.count = 0
        self.tells = 0

    def post(self, fn: Callable[[], None]) -> None:
        """Queue ``fn`` for the GUI thread (thread-safe)."""
        with self._lock:
            self._jobs.append(fn)
            if self._pending:
                return
            self._pending = True
        self.wake.emit()

    def view_work(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` (view work: the canvas applying a layout it made on a worker) as a
        turn of its own, before the next slice (GUI thread only; a newer one replaces
        one still waiting)."""
        self._view_work = fn
        if not self._next.isActive() or self._next.remainingTime() > 1:
            self._next.start(1)

    def views_worked(self, seconds: float = 0.0) -> None:
        """The views just updated (a tell, an edit of the facilitator's, the canvas
        applying a layout it made on a worker in ``seconds``): the next turn is left to
        input and paint before any slice."""
        self._yield = True
        self.longest_apply = max(self.longest_apply, seconds)

    def _turn(self) -> None:
        """One unit of work for this turn of the event loop, then the next turn booked."""
        if self._yield:
            self._yield = False
        elif self._view_work is not None:
            fn, self._view_work = self._view_work, None
            fn()
        elif self._untold and time.perf_counter() >= self._told_at + self._gap:
            self._tell_views()
        else:
            with self._lock:
                jobs = bool(self._jobs)
            if jobs:
                self._slice()
        with self._lock:
            jobs = bool(self._jobs)
            if not jobs:
                self._pending = False
        # 1 ms, never 0: a timer that is not due in this turn of the loop, so input and
        # paint come between two units of work (a 0 ms one can run in the same turn)
        if jobs or self._yield or self._view_work is not None:
            self._next.start(1)
        elif self._untold:
            wait = self._told_at + self._gap - time.perf_counter()
            self._next.start(max(1, round(wait * 1000)))

    def _slice(self) -> None:
        collector.busy()  # a burst: Python's full collection waits for a quiet moment
        start = time.perf_counter()
        ran = 0
        try:
            with self.hold():
                while time.perf_counter() - start < SLICE:
                    with self._lock:
                        if not self._jobs:
                            break
                        fn = self._jobs.popleft()
                    fn()
                    ran += 1
        except WaymarkError as err:  # the slice's transaction: its jobs were told (durable)
            log.warning("room slice not written: %s", err.message)
        self.count += ran
        self._untold = self._untold or (ran > 0 and self.tell is not None)
        self.longest = max(self.longest, time.perf_counter() - start)

    def _tell_views(self) -> None:
        """Tell the views the slices' merged change."""
        self._untold = False
        if self.tell is None:
            return
        start = time.perf_counter()
        if not self.tell():
            return  # told already (an edit of the facilitator's took it along)
        end = time.perf_counter()
        cost = end - start
        self.tells += 1
        self.longest_tell = max(self.longest_tell, cost)
        self._told_at = end
        self._gap = max(MIN_GAP, cost / VIEW_SHARE)

    def flush(self) -> None:
        """Tell the views now whatever waits (the room is closing)."""
        self._untold = False
        if self.tell is not None:
            self.tell()
