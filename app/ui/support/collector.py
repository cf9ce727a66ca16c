"""Where and when Python's cycle collector runs in the editor: on the GUI thread only, and
its full collections in quiet moments, not mid-burst.

Python's automatic collector runs in whichever thread happens to allocate. In a process
with Qt objects that is a crash waiting for a loaded machine: a collection in the room's
server thread, an asyncio helper thread or a pool worker finalises a closed window (a Qt
object in a reference cycle) there, Qt destroys it off the GUI thread, and the GUI thread
later crashes in its event loop on what was left behind (its timers, its posted events).
The suite measured it: with the automatic collector on, collections of thousands of objects
ran in the room's threads, and the full suite died with a segmentation fault in the GUI
thread's event processing right after the room tests.

So, once :func:`take_over` has run (the GUI entry calls :func:`install`, the test suite
calls :func:`take_over` at start):

- the automatic collector is off for the life of the process: no thread collects by itself;
- what start-up imported (modules, classes, functions: never garbage) is moved out of the
  collector's sight (``gc.freeze()``), which halves every full collection after;
- :func:`collect_due`, called on the GUI thread (a :class:`Collector` timer every
  :data:`TICK_MS`, and the suite after every test), runs the collection Python would have run
  by now, by the same generation counts and thresholds; the full one only when the GUI is
  quiet: no room slice (the bridge calls :func:`busy`) for :data:`QUIET` seconds, or after
  :data:`LONGEST_WAIT` seconds of continuous work, so garbage cannot pile up without bound;
- while a pool worker runs (``tasks.py`` holds the collector, :func:`hold`) nothing collects,
  not even the GUI thread, as it was before.

Cycles only wait for the next tick; everything else is still freed by reference counting the
moment it goes. A long stretch of synchronous work on the GUI thread (no tick) defers
collection to its end.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

QUIET = 1.0  # seconds without room work before a due full collection runs
LONGEST_WAIT = 30.0  # seconds a due full collection waits at most
DUE_AFTER = 10  # middle-generation collections since the last full one (Python's default)
TICK_MS = 250  # how often the GUI thread runs what is due (as before: few idle wake-ups)
_DEFAULT_THRESHOLDS = (700, 10)  # Python's own, if the process changed them before

#: The young and middle thresholds, as Python had them when the collector was taken over.
_thresholds: tuple[int, int] = _DEFAULT_THRESHOLDS
_taken_over = False
_holds = 0
_was_enabled = True
_hold_lock = threading.Lock()


def take_over() -> None:
    """Turn the automatic collector off for good and freeze what exists (once; on the GUI
    thread). From here on only :func:`collect_due` collects."""
    global _taken_over, _thresholds, _was_enabled
    if _taken_over:
        return
    young, middle, _full = gc.get_threshold()
    _thresholds = (young or _DEFAULT_THRESHOLDS[0], middle or _DEFAULT_THRESHOLDS[1])
    gc.collect()
    gc.freeze()  # what start-up made lives as long as the process
    with _hold_lock:
        _was_enabled = False  # a released hold must not turn the automatic collector back on
        gc.disable()
    _taken_over = True


def taken_over() -> bool:
    """Whether :func:`take_over` has run in this process."""
    return _taken_over


def hold() -> None:
    """A worker thread starts: nothing collects (not even :func:`collect_due`) until every
    hold is released. Without :func:`take_over` this pauses the automatic collector too."""
    global _holds, _was_enabled
    with _hold_lock:
        if _holds == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holds += 1


def release() -> None:
    """A worker thread ended: the last release lets collection resume as it was."""
    global _holds
    with _hold_lock:
        if _holds == 0:
            return
        _holds -= 1
        if _holds == 0 and _was_enabled:
            gc.enable()


def held() -> bool:
    """Whether a worker holds collection paused."""
    return _holds > 0


def due(full_allowed: bool = True, counts: tuple[int, int, int] | None = None) -> int | None:
    """The generation Python would collect now (the oldest whose count is over its
    threshold; the full one after :data:`DUE_AFTER` middle collections), or None. With
    ``full_allowed`` False, the younger collection that is due meanwhile."""
    young, middle, full = gc.get_count() if counts is None else counts
    if full >= DUE_AFTER and full_allowed:
        return 2
    if middle > _thresholds[1]:
        return 1
    if young > _thresholds[0]:
        return 0
    return None


def collect_due(*, full_allowed: bool = True) -> int | None:
    """On the GUI thread: run the collection that is due (see :func:`due`); the generation
    collected, or None. A due full collection waits while ``full_allowed`` is False (the
    younger ones still run); nothing runs while a worker holds collection."""
    if held():
        return None
    generation = due(full_allowed)
    if generation is not None:
        gc.collect(generation)
    return generation


class Collector(QObject):
    """The GUI thread's collections (see the module's docstring): a timer running what is
    due, the full collection only in a quiet moment.

    ``clock``, ``due`` (the generation due, full collection allowed or not; or None),
    ``held`` and ``collect`` are the module's own unless given (tests give their own).
    """

    def __init__(self, parent: QObject | None = None, *,
                 clock: Callable[[], float] = time.monotonic,
                 due: Callable[[bool], int | None] = due,
                 held: Callable[[], bool] = held,
                 collect: Callable[[int], object] = gc.collect,
                 interval_ms: int = TICK_MS) -> None:
        super().__init__(parent)
        self._clock, self._due, self._held, self._collect = clock, due, held, collect
        self.busy_until = 0.0
        self.due_since: float | None = None
        #: Collections run, by generation.
        self.runs = [0, 0, 0]
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

    def tick(self) -> int | None:
        """Run the collection that is due, if any: the generation collected, or None. A due
        full collection waits for a quiet GUI (or until it has waited too long), and a
        younger one runs meanwhile. Nothing runs while a worker holds collection."""
        if self._held():
            return None
        generation = self._due(True)
        if generation != 2:
            self.due_since = None
        else:
            now = self._clock()
            if self.due_since is None:
                self.due_since = now
            if now < self.busy_until and now - self.due_since < LONGEST_WAIT:
                generation = self._due(False)  # the full one waits; a younger one may not
            else:
                self.due_since = None
        if generation is None:
            return None
        start = time.perf_counter()
        self._collect(generation)
        if generation == 2:
            self.longest = max(self.longest, time.perf_counter() - start)
        self.runs[generation] += 1
        return generation


_COLLECTOR: Collector | None = None


def install(parent: QObject | None = None) -> Collector:
    """Take the collector over (:func:`take_over`) and run it from a GUI-thread timer (once;
    later calls return the same). Call on the GUI thread."""
    global _COLLECTOR
    if _COLLECTOR is None:
        take_over()
        _COLLECTOR = Collector(parent)
    return _COLLECTOR


def busy(seconds: float = QUIET) -> None:
    """The GUI is working in a burst (a room slice): no full collection for ``seconds``."""
    if _COLLECTOR is not None:
        _COLLECTOR.busy(seconds)
