"""When Python's full garbage collection runs in the editor: in a quiet moment, not mid-burst.

A full (generation 2) collection walks every tracked object: 50-130 ms on the GUI thread
for an editor with a map of a few hundred cards on a loaded 2-core machine, long enough to
be the longest stall of a room burst (issue 19) or a hitch in a drag. So, once installed
(by the GUI entry, :func:`install`):

- what the start-up imported (modules, classes, functions: never garbage) is moved out of
  the collector's sight (``gc.freeze()``), which halves every full collection after;
- the automatic collector keeps its young generations (cheap, frequent) but leaves the
  full collection to this module (a very high third threshold);
- a timer runs the full collection when Python would have (ten collections of the middle
  generation since the last full one) *and* the GUI is quiet: no room slice (the bridge
  calls :func:`busy`) for :data:`QUIET` seconds. After :data:`LONGEST_WAIT` seconds of
  continuous work it runs anyway, so garbage cannot pile up without bound.

Worker threads never collect (``tasks.py`` pauses collection while they run); these
collections run on the GUI thread, where finalising Qt objects is safe.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

QUIET = 1.0  # seconds without room work before a due full collection runs
LONGEST_WAIT = 30.0  # seconds a due full collection waits at most
DUE_AFTER = 10  # middle-generation collections since the last full one (Python's default)
_NEVER = 1_000_000  # the automatic third threshold: in practice never


class Collector(QObject):
    """The full collections of one process (see the module's docstring).

    ``clock``, ``due`` (middle-generation collections since the last full one),
    ``enabled`` and ``collect`` are Python's own unless given (tests give their own).
    """

    def __init__(self, parent: QObject | None = None, *,
                 clock: Callable[[], float] = time.monotonic,
                 due: Callable[[], int] = lambda: gc.get_count()[2],
                 enabled: Callable[[], bool] = gc.isenabled,
                 collect: Callable[[], object] = gc.collect,
                 interval_ms: int = 250) -> None:
        super().__init__(parent)
        self._clock, self._due, self._enabled, self._collect = clock, due, enabled, collect
        self.busy_until = 0.0
        self.due_since: float | None = None
        self.runs = 0
        #: The longest full collection so far (seconds).
        self.longest = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)
        self._timer.start()

    def busy(self, seconds: float = QUIET) -> None:
        """The GUI works in a burst: no full collection for ``seconds`` (unless one has
        waited :data:`LONGEST_WAIT` already)."""
        self.busy_until = max(self.busy_until, self._clock() + seconds)

    def tick(self) -> bool:
        """Run the full collection if it is due and the GUI is quiet (or it has waited too
        long); True when it ran. Never while collection is paused (a worker thread runs:
        ``tasks.py``), as a collection then could finalise objects a worker holds."""
        if not self._enabled() or self._due() < DUE_AFTER:
            self.due_since = None
            return False
        now = self._clock()
        if self.due_since is None:
            self.due_since = now
        if now < self.busy_until and now - self.due_since < LONGEST_WAIT:
            return False
        start = time.perf_counter()
        self._collect()
        self.longest = max(self.longest, time.perf_counter() - start)
        self.runs += 1
        self.due_since = None
        return True


_COLLECTOR: Collector | None = None


def install(parent: QObject | None = None) -> Collector:
    """Take over the full collections of this process (once; later calls return it).
    Call on the GUI thread: the collections run on it."""
    global _COLLECTOR
    if _COLLECTOR is None:
        gc.collect()
        gc.freeze()  # what start-up made lives as long as the process
        young, middle, _full = gc.get_threshold()
        gc.set_threshold(young, middle, _NEVER)
        _COLLECTOR = Collector(parent)
    return _COLLECTOR


def busy(seconds: float = QUIET) -> None:
    """The GUI is working in a burst (a room slice): no full collection for ``seconds``."""
    if _COLLECTOR is not None:
        _COLLECTOR.busy(seconds)
