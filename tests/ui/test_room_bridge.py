"""The room's bridge to the GUI thread: jobs posted from another thread run in order, in
slices inside ``hold()``, and the views are told what the slices did, a few times a second
in a burst and soon after a single quiet contribution."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

from PySide6.QtCore import QTimer

from app.ui.room.bridge import MIN_GAP, Bridge


class Views:
    """A tell that notes how many jobs had run when it was called."""

    def __init__(self, done: list[int]) -> None:
        self.done = done
        self.heard: list[tuple[float, int]] = []
        self.waiting = False

    def tell(self) -> bool:
        if not self.waiting:
            return False
        self.waiting = False
        self.heard.append((time.perf_counter(), len(self.done)))
        return True


def test_a_burst_runs_in_order_in_slices_and_the_views_hear_all_of_it(qtbot) -> None:
    done: list[int] = []
    threads: list[str] = []
    slices = {"n": 0}
    views = Views(done)

    @contextlib.contextmanager
    def hold() -> Iterator[None]:
        slices["n"] += 1
        yield
        views.waiting = True  # what the slice committed waits for the views

    bridge = Bridge(hold=hold, tell=views.tell)

    def job(i: int) -> None:
        time.sleep(0.0005)  # half a millisecond of work, as a contribution
        done.append(i)
        threads.append(threading.current_thread().name)

    start = time.perf_counter()
    poster = threading.Thread(target=lambda: [bridge.post(lambda i=i: job(i))
                                              for i in range(400)])
    poster.start()
    poster.join()
    qtbot.waitUntil(lambda: bool(views.heard) and views.heard[-1][1] == 400, timeout=20_000)
    took = time.perf_counter() - start
    assert done == list(range(400)) and bridge.count == 400
    assert set(threads) == {threading.main_thread().name}
    assert slices["n"] >= 400 * 0.0005 / 0.025  # slices of at most ~25 ms
    assert 1 <= len(views.heard) <= took / MIN_GAP + 2  # a few tells a second, not one each
    gaps = [b[0] - a[0] for a, b in zip(views.heard, views.heard[1:], strict=False)]
    assert all(g >= MIN_GAP * 0.9 for g in gaps)


def test_a_single_quiet_contribution_is_shown_soon(qtbot) -> None:
    done: list[int] = []
    views = Views(done)

    @contextlib.contextmanager
    def hold() -> Iterator[None]:
        yield
        views.waiting = True

    bridge = Bridge(hold=hold, tell=views.tell)
    bridge.post(lambda: done.append(1))
    qtbot.waitUntil(lambda: bool(views.heard), timeout=5_000)
    qtbot.wait(int(MIN_GAP * 1000) + 50)
    # a while later, alone: told before a gap's timer started with it fires (the order
    # of two timers, not a wall-clock bound: a loaded machine delays both alike)
    gap_over: list[int] = []
    QTimer.singleShot(int(MIN_GAP * 1000), lambda: gap_over.append(len(views.heard)))
    bridge.post(lambda: done.append(2))
    qtbot.waitUntil(lambda: bool(gap_over), timeout=10_000)
    assert gap_over == [2]
    assert views.heard[-1][1] == 2


def test_views_worked_leaves_a_turn_before_the_next_slice(qtbot) -> None:
    order: list[str] = []
    bridge = Bridge()
    bridge.views_worked()  # e.g. the facilitator's edit just laid the map out
    bridge.post(lambda: order.append("job"))

    QTimer.singleShot(0, lambda: order.append("input"))  # what waits in the same turn
    qtbot.waitUntil(lambda: "job" in order, timeout=5_000)
    assert order == ["input", "job"]
