"""Runs the room server's jobs on the GUI thread, through a queued signal.

The server thread never touches the document: it appends a function to a queue and emits
:attr:`Bridge.wake` (a queued connection: Qt posts an event to the GUI thread). On the
GUI thread the bridge runs queued jobs for at most :data:`SLICE` seconds, inside
``hold()`` (the document's listeners, canvas and panels, hear the slice's commits once,
merged, instead of once per commit), then
lets the event loop paint and take input before the next slice. Every job still commits
on its own (one undo step each, durable before its participant hears back). Jobs are
timed, so the longest stall can be reported.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager

from PySide6.QtCore import QObject, Qt, QTimer, Signal

SLICE = 0.025  # seconds of room work per turn of the event loop


class Bridge(QObject):
    """``post(fn)`` from any thread; ``fn`` runs on this object's (the GUI) thread."""

    wake = Signal()

    def __init__(self, parent: QObject | None = None,
                 hold: Callable[[], ContextManager[None]] | None = None) -> None:
        super().__init__(parent)
        self.hold = hold or contextlib.nullcontext
        self._jobs: deque[Callable[[], None]] = deque()
        self._lock = threading.Lock()
        self._pending = False
        self.wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)
        self._again = QTimer(self)  # a child timer: the next slice, after paints and input
        self._again.setSingleShot(True)
        self._again.setInterval(0)
        self._again.timeout.connect(self._drain)
        #: The longest slice so far (seconds: the GUI thread's longest room stall) and how
        #: many jobs ran.
        self.longest = 0.0
        self.count = 0

    def post(self, fn: Callable[[], None]) -> None:
        """Queue ``fn`` for the GUI thread (thread-safe)."""
        with self._lock:
            self._jobs.append(fn)
            if self._pending:
                return
            self._pending = True
        self.wake.emit()

    def _drain(self) -> None:
        start = time.perf_counter()
        with self.hold():
            while time.perf_counter() - start < SLICE:
                with self._lock:
                    if not self._jobs:
                        self._pending = False
                        break
                    fn = self._jobs.popleft()
                fn()
                self.count += 1
        self.longest = max(self.longest, time.perf_counter() - start)
        with self._lock:
            more = bool(self._jobs)
            if not more:
                self._pending = False
        if more:
            self._again.start()
