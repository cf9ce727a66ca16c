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
    """A clock, the count of middle-generation collections, and a collect that counts."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.middle = 0
        self.enabled = True
        self.collected = 0

    def collect(self) -> int:
        self.collected += 1
        self.middle = 0  # a full collection resets Python's count
        return 0

    def collector(self) -> Collector:
        return Collector(clock=lambda: self.now, due=lambda: self.middle,
                         enabled=lambda: self.enabled, collect=self.collect,
                         interval_ms=60_000)  # ticks driven by the test


def test_a_full_collection_runs_when_due_and_quiet(qapp) -> None:
    f = Fake()
    c = f.collector()
    f.middle = DUE_AFTER - 1
    assert not c.tick() and f.collected == 0  # not due yet
    f.middle = DUE_AFTER
    assert c.tick() and f.collected == 1 and c.runs == 1
    assert not c.tick()  # done: not due again until Python's count grows again


def test_a_burst_delays_it_until_quiet(qapp) -> None:
    f = Fake()
    c = f.collector()
    f.middle = DUE_AFTER + 3
    c.busy()  # a room slice
    assert not c.tick()
    f.now += QUIET / 2
    c.busy()  # the burst goes on
    f.now += QUIET / 2
    assert not c.tick() and f.collected == 0
    f.now += QUIET + 0.01  # no slice for a second
    assert c.tick() and f.collected == 1


def test_a_long_burst_cannot_pile_garbage_up_without_bound(qapp) -> None:
    f = Fake()
    c = f.collector()
    f.middle = DUE_AFTER
    waited = 0.0
    c.busy()
    while not c.tick():  # slices every 50 ms, for ever
        c.busy()
        f.now += 0.05
        waited += 0.05
        assert waited <= LONGEST_WAIT + 0.1
    assert f.collected == 1 and LONGEST_WAIT - 0.1 <= waited


def test_never_while_collection_is_paused_for_a_worker(qapp) -> None:
    f = Fake()
    c = f.collector()
    f.middle = DUE_AFTER * 5
    f.enabled = False  # what tasks.py does while a worker thread runs
    for _ in range(10):
        f.now += LONGEST_WAIT
        assert not c.tick()
    f.enabled = True
    assert c.tick() and f.collected == 1


def test_a_real_worker_task_keeps_the_timer_driven_collector_off(qtbot) -> None:
    collected: list[str] = []
    c = Collector(due=lambda: DUE_AFTER, collect=lambda: collected.append(
        threading.current_thread().name), interval_ms=10)
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


def test_install_takes_over_full_collections_once(tmp_path: Path) -> None:
    # a child process: install changes the whole interpreter's collector
    code = (
        "import gc\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "app = QCoreApplication([])\n"
        "from app.ui.support import collector\n"
        "young, middle, full = gc.get_threshold()\n"
        "c = collector.install(app)\n"
        "assert collector.install(app) is c\n"
        "assert gc.get_threshold()[:2] == (young, middle) and gc.get_threshold()[2] > 10**5\n"
        "assert gc.get_freeze_count() > 1000\n"
        "collector.busy(5)\n"
        "import time\n"
        "assert c.busy_until > time.monotonic() + 4\n"
        "print('ok')\n")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                          text=True, timeout=60, env={"QT_QPA_PLATFORM": "offscreen",
                                                      "PATH": "/usr/bin:/bin"})
    assert done.stdout.strip() == "ok", done.stderr
    assert collector.QUIET > 0
