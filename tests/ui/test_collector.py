"""app.ui.support.collector: Python's full garbage collection waits for a quiet GUI, never
longer than LONGEST_WAIT, and never runs while a worker thread holds collection paused."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from app.ui.support import collector
from app.ui.support.collector import DUE_AFTER, LONGEST_WAIT, QUIET, Collector
from app.ui.support.tasks import run_task


class Fake:
    """A clock, the generation counts, a held flag, and a collect that records."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.young = self.middle = 0  # over the thresholds: due (1 each, for the fake)
        self.full = 0  # middle collections since the last full one
        self.held = False
        self.collected: list[int] = []

    def due(self, full_allowed: bool) -> int | None:
        if self.full >= DUE_AFTER and full_allowed:
            return 2
        return 1 if self.middle else 0 if self.young else None

    def collect(self, generation: int) -> int:
        self.collected.append(generation)
        if generation == 2:
            self.full = 0  # a full collection resets Python's counts
        self.young = self.middle = 0
        return 0

    def collector(self) -> Collector:
        return Collector(clock=lambda: self.now, due=self.due, held=lambda: self.held,
                         collect=self.collect, interval_ms=60_000)  # ticks driven by the test


def test_a_full_collection_runs_when_due_and_quiet(qapp) -> None:
    f = Fake()
    c = f.collector()
    f.full = DUE_AFTER - 1
    assert c.tick() is None and f.collected == []  # nothing due yet
    f.young = 1
    assert c.tick() == 0 and f.collected == [0]  # a young collection, as Python would
    f.full = DUE_AFTER
    assert c.tick() == 2 and f.collected == [0, 2] and c.runs == [1, 0, 1]
    assert c.tick() is None  # done: not due again until Python's counts grow again


def test_a_burst_delays_the_full_one_until_quiet_but_not_the_young(qapp) -> None:
    f = Fake()
    c = f.collector()
    f.full = DUE_AFTER + 3
    c.busy()  # a room slice
    assert c.tick() is None
    f.now += QUIET / 2
    c.busy()  # the burst goes on
    f.middle = 1
    assert c.tick() == 1  # the middle generation still collects mid-burst
    f.now += QUIET / 2
    assert c.tick() is None and 2 not in f.collected
    f.now += QUIET + 0.01  # no slice for a second
    assert c.tick() == 2 and f.collected == [1, 2]


def test_a_long_burst_cannot_pile_garbage_up_without_bound(qapp) -> None:
    f = Fake()
    c = f.collector()
    f.full = DUE_AFTER
    waited = 0.0
    c.busy()
    while c.tick() != 2:  # slices every 50 ms, for ever
        c.busy()
        f.now += 0.05
        waited += 0.05
        assert waited <= LONGEST_WAIT + 0.1
    assert f.collected == [2] and LONGEST_WAIT - 0.1 <= waited


def test_never_while_collection_is_held_for_a_worker(qapp) -> None:
    f = Fake()
    c = f.collector()
    f.full, f.young = DUE_AFTER * 5, 1
    f.held = True  # what tasks.py does while a worker thread runs
    for _ in range(10):
        f.now += LONGEST_WAIT
        assert c.tick() is None
    f.held = False
    assert c.tick() == 2 and f.collected == [2]


def test_a_real_worker_task_keeps_the_timer_driven_collector_off(qtbot) -> None:
    collected: list[str] = []
    c = Collector(due=lambda full_allowed: 2 if full_allowed else 1,
                  collect=lambda generation: collected.append(threading.current_thread().name),
                  interval_ms=10)
    release = threading.Event()
    task = run_task(None, "Export", lambda report, cancelled: release.wait(10),
                    dialog=False)
    qtbot.wait(150)  # ~15 ticks while the worker runs
    assert collected == []
    release.set()
    qtbot.waitUntil(lambda: task.done, timeout=10_000)
    qtbot.waitUntil(lambda: bool(collected), timeout=5_000)
    assert set(collected) == {threading.main_thread().name}  # on the GUI thread only
    del c


def _child(code: str) -> str:
    """Run ``code`` in a fresh interpreter (the collector is process-wide); its stdout."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                          text=True, timeout=60, env={"QT_QPA_PLATFORM": "offscreen",
                                                      "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_install_takes_the_collector_over_once() -> None:
    code = (
        "import gc, time\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "app = QCoreApplication([])\n"
        "from app.ui.support import collector\n"
        "assert gc.isenabled() and not collector.taken_over()\n"
        "collector.hold()\n"  # a worker, before install: the automatic collector pauses
        "assert not gc.isenabled() and collector.held()\n"
        "collector.release()\n"
        "assert gc.isenabled() and not collector.held()\n"  # ...and resumes
        "c = collector.install(app)\n"
        "assert collector.install(app) is c and collector.taken_over()\n"
        "assert not gc.isenabled() and gc.get_freeze_count() > 1000\n"
        "collector.hold(); collector.hold(); collector.release(); collector.release()\n"
        "assert not gc.isenabled()\n"  # a released hold leaves it off after install
        "collector.busy(5)\n"
        "assert c.busy_until > time.monotonic() + 4\n"
        "print('ok')\n")
    assert _child(code) == "ok"
    assert collector.QUIET > 0


def test_garbage_made_by_other_threads_is_collected_on_the_gui_thread() -> None:
    """The crash this module prevents: a window left in a reference cycle, then a thread
    (the room's server, a simulated phone) allocating enough to trigger a collection. With
    the collector taken over, no collection runs in that thread, and the window is
    destroyed by the GUI thread's timer."""
    code = (
        "import gc, threading\n"
        "from PySide6.QtWidgets import QApplication, QWidget\n"
        "app = QApplication([])\n"
        "from app.ui.support import collector\n"
        "collector.install(app)\n"
        "where = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and where.append(\n"
        "    threading.current_thread().name))\n"
        "gone = []\n"
        "w = QWidget(); w.me = w  # a window in a reference cycle, then dropped\n"
        "w.destroyed.connect(lambda *_: gone.append(threading.current_thread().name))\n"
        "del w\n"
        "def churn():\n"
        "    for _ in range(200_000):\n"
        "        a = []; a.append(a)\n"
        "t = threading.Thread(target=churn, name='room'); t.start(); t.join()\n"
        "assert where == [] and gone == [], (where, gone)\n"
        "from PySide6.QtCore import QTimer\n"
        "QTimer.singleShot(1000, app.quit); app.exec()\n"
        "print(sorted(set(where)), gone)\n")
    assert _child(code) == "['MainThread'] ['MainThread']"
