"""Room load: simulated participants over WebSockets while the facilitator edits (issue 19).

    QT_QPA_PLATFORM=offscreen python -m benchmarks.room_load            # 60 x (10 ideas, 5 dots)
    QT_QPA_PLATFORM=offscreen python -m benchmarks.room_load --people 12 --ideas 5 --dots 3

The owner of the document is the real editor: a MainWindow (offscreen) with its docks,
its room opened through Workshop > Open Room on 127.0.0.1. Each participant is a
simulated page (``benchmarks/room_client.py``) on its own loopback address (127.0.0.2,
127.0.0.3, ...: the per-address limits see 60 devices, as in a room) that joins, sends its
ideas and dots at once, and waits for every acknowledgement. The pages run in a child
process, as phones are other devices (``--phones-in-process``: on a thread of this one, the
first harness, where 60 pages' JSON and asyncio work competed with the GUI thread for the
interpreter lock and inflated both the latency and the stall). Meanwhile the facilitator
"types": a card's text changes every 0.5 s on the GUI thread. Loopback only, bounded in
count (people x (ideas + dots)) and time (``--timeout``).

Reported: send-to-ack latency p50/p95/max (the page's clock), the GUI thread's longest
stall (a 10 ms heartbeat timer: the longest gap between two ticks, minus 10 ms), how much
of that gap the GUI thread itself ran (its CPU time: the rest it waited for a core or the
interpreter lock), the gaps over 100 ms and the 99th percentile gap, the longest room
slice and view update, and the full garbage collections during the run; and it asserts
that every acknowledged contribution is in the document exactly once.

    --stalls            what the GUI thread did in its longest gaps (benchmarks/stalls.py)
    --commits           how much of the longest gaps was the document's commit (fsync)
    --python-gc         leave full collections to Python (compare with the quiet-moment policy)
    --phones-in-process the pages on a thread of this process (the first harness)
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.commit_timer import CommitTimer
from benchmarks.room_client import SimPage
from benchmarks.stalls import StallSampler


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def run(people: int = 60, ideas: int = 10, dots: int = 5, timeout: float = 240.0, *,
        phones_in_process: bool = False, stalls: bool = False,
        gc_policy: bool = True, commits: bool = False) -> dict:
    """One load run; returns the figures (raises AssertionError when anything is lost)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.model import commands as C
    from app.model.document import Document
    from app.ui.shell.window import MainWindow
    from app.ui.support.collector import install as install_collector

    app = QApplication.instance() or QApplication([])
    sampler = StallSampler() if stalls else None
    if sampler is not None:
        _time_handlers(sampler)
    commit_timer = CommitTimer() if commits else None
    if commit_timer is not None:
        commit_timer.install()
    policy = install_collector(app) if gc_policy else None  # as app/ui/app.py does
    full_gcs: list[float] = []  # every full collection during the run (seconds), any thread
    gc_started: dict[str, float] = {}

    def watch_gc(phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            gc_started["at"] = time.perf_counter()
        elif "at" in gc_started:
            full_gcs.append(time.perf_counter() - gc_started.pop("at"))
    folder = Path(tempfile.mkdtemp(prefix="waymark-room-load-"))
    try:
        doc = Document.create(folder / "load.cjm", template="sample")
        win = MainWindow(doc)
        win.ask_on_close = False
        win.show()
        control = win.room_control
        control.address = "127.0.0.1"
        room = control.open_room()
        assert room is not None
        room.host.update(budget=dots)
        map_id = room.host.settings.map_id
        stages = [s.id for s in doc.data.stages_of(map_id)]
        typed = doc.data.cards_of(map_id)[0].id

        # the facilitator types into a card while the room is busy
        edits = {"n": 0}

        def facilitator() -> None:
            edits["n"] += 1
            win.view.run(C.UpdateCard(typed, {"body": f"typing {edits['n']}"}))

        typing = QTimer()
        typing.timeout.connect(facilitator)
        typing.start(500)
        # the GUI thread's own CPU time as well: a gap in which the thread ran for much
        # less than the gap's length was spent waiting for a core (or the interpreter lock)
        beat = {"last": time.perf_counter(), "worst": 0.0, "cpu": time.thread_time(),
                "worst_cpu": 0.0}
        gaps: list[float] = []
        long_gaps: list[tuple[float, float]] = []  # (from, to) of the gaps over 50 ms

        def heartbeat() -> None:
            if sampler is not None:
                sampler.tick()
            now, cpu = time.perf_counter(), time.thread_time()
            gap = now - beat["last"] - 0.010
            gaps.append(gap)
            if gap > 0.05:
                long_gaps.append((beat["last"], now))
            if gap > beat["worst"]:
                beat["worst"], beat["worst_cpu"] = gap, cpu - beat["cpu"]
            beat["last"], beat["cpu"] = now, cpu

        ticker = QTimer()
        ticker.timeout.connect(heartbeat)
        ticker.start(10)

        start = time.perf_counter()
        beat["last"], beat["cpu"] = start, time.thread_time()
        gc.callbacks.append(watch_gc)
        if sampler is not None:
            sampler.start()
        plan = {"url": room.url, "people": people, "ideas": ideas, "dots": dots,
                "stages": stages, "timeout": timeout}
        if phones_in_process:  # the first harness: the pages share this process's GIL
            box: dict[str, Any] = {}
            thread = threading.Thread(target=lambda: box.update(phones(plan)), daemon=True)
            thread.start()
            alive = thread.is_alive
        else:  # the phones are other devices: their own process (on the loopback)
            child = subprocess.Popen([sys.executable, "-m", "benchmarks.room_load", "--phones"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     cwd=Path(__file__).resolve().parents[1])
            assert child.stdin is not None and child.stdout is not None
            child.stdin.write(json.dumps(plan))
            child.stdin.close()
            output: list[str] = []
            reader = threading.Thread(target=lambda: output.append(child.stdout.read()),
                                      daemon=True)
            reader.start()
            alive = reader.is_alive
        while alive() and time.perf_counter() - start < timeout + 30:
            app.processEvents()
            time.sleep(0.001)
        wall = time.perf_counter() - start
        typing.stop()
        ticker.stop()
        gc.callbacks.remove(watch_gc)
        if sampler is not None:
            sampler.stop()
        if not phones_in_process:
            child.wait(30)
            box = json.loads(output[0]) if output and output[0].strip() else {
                "error": f"the phones' process ended with {child.returncode}"}
        if "error" in box:
            raise RuntimeError(box["error"])
        sent, acked, refused = box["sent"], box["acked"], box["refused"]
        latencies, unanswered = box["latencies"], box["unanswered"]
        titles = [c.title for c in doc.data.cards.values()]
        added = [m for k, m in sent.items() if k in acked and m["t"] == "add"]
        for m in added:  # every acknowledged idea exactly once
            assert titles.count(m["title"]) == 1, m["title"]
        dots_by_name: dict[str, int] = {}
        names = {v.id: v.name for v in doc.data.voters.values()}
        for d in doc.data.dots.values():
            dots_by_name[names[d.voter_id]] = dots_by_name.get(names[d.voter_id], 0) + 1
        voted = sum(1 for k in acked if sent[k]["t"] == "vote")
        assert sum(dots_by_name.values()) == voted  # every acknowledged dot exactly once
        assert not unanswered, f"{unanswered} contributions were never answered"
        figures = {
            "people": people, "ideas_each": ideas, "dots_each": dots,
            "contributions": len(sent), "acknowledged": len(acked), "refused": len(refused),
            "refusal_reasons": sorted({r["reason"] for r in refused.values()}),
            "latency_ms": {"p50": round(statistics.median(latencies) * 1000, 1),
                           "p95": round(_pct(latencies, 95) * 1000, 1),
                           "max": round(max(latencies) * 1000, 1)},
            "gui_longest_stall_ms": round(beat["worst"] * 1000, 1),
            "gui_cpu_in_longest_stall_ms": round(beat["worst_cpu"] * 1000, 1),
            "gui_stalls_over_100ms": sum(1 for g in gaps if g > 0.1),
            "gui_stall_p99_ms": round(_pct(gaps, 99) * 1000, 1) if gaps else 0.0,
            "gui_longest_room_job_ms": round(control.bridge.longest * 1000, 1),
            "gui_room_jobs": control.bridge.count,
            "gui_longest_view_update_ms": round(control.bridge.longest_tell * 1000, 1),
            "gui_view_updates": control.bridge.tells,
            # (absent before the canvas laid out on a worker: the same file runs on both)
            "gui_longest_canvas_apply_ms": round(
                getattr(control.bridge, "longest_apply", 0.0) * 1000, 1),
            "canvas_layouts_on_worker": getattr(win.scene, "aside_applied", 0),
            "gc_policy": "quiet moments" if policy is not None else "python's default",
            "full_gcs_during_run": len(full_gcs),
            "full_gc_longest_ms": round(max(full_gcs, default=0.0) * 1000, 1),
            "facilitator_edits": edits["n"],
            "wall_s": round(wall, 2),
            "cards_after": len(doc.data.cards),
        }
        if sampler is not None:
            figures["stalls"] = sampler.report()
            figures["gui_ms_in"] = sampler.totals()
        if commit_timer is not None:
            figures["commits"] = commit_timer.report(long_gaps)
        control.close_room()
        win.close()
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _time_handlers(sampler: StallSampler) -> None:
    """The GUI thread's handlers a stall report names (patched before the window exists)."""
    from app.ui.canvas.scene import MapScene
    from app.ui.canvas.view import CanvasView
    from app.ui.panels.history import HistoryPanel
    from app.ui.panels.maps import MapsPanel
    from app.ui.panels.report import ReportPanel
    from app.ui.room.bridge import Bridge
    from app.ui.room.projector import ProjectorPanel
    from app.ui.support.collector import Collector

    for cls, name in ((Bridge, "_slice"), (Bridge, "_tell_views"), (CanvasView, "run"),
                      (MapScene, "refresh"), (MapScene, "_aside_done"),
                      (MapScene, "_settle_aside"), (HistoryPanel, "reload"), (MapsPanel, "reload"),
                      (ReportPanel, "refresh"), (Collector, "tick"),
                      (CanvasView, "viewportEvent"), (ProjectorPanel, "_refresh_timer")):
        if hasattr(cls, name):  # (the same file runs on an older tree too)
            sampler.time(cls, name)


def phones(plan: dict[str, Any]) -> dict[str, Any]:
    """The participants' pages: each joins from its own loopback address, sends its ideas
    at once, waits for every acknowledgement, then its dots. Returns what was sent and
    answered (keys, messages, latencies on the pages' clock)."""
    people, ideas, dots = plan["people"], plan["ideas"], plan["dots"]
    stages, timeout = plan["stages"], plan["timeout"]
    pages = [SimPage(plan["url"], name=f"Person {i + 1}", local_address=f"127.0.0.{i + 2}")
             for i in range(people)]
    sent: dict[str, dict[str, Any]] = {}

    async def one(i: int, page: SimPage) -> None:
        await page.connect()
        for n in range(ideas):
            msg = {"t": "add", "kind": "pain_point", "stage": stages[(i + n) % len(stages)],
                   "title": f"person {i + 1} idea {n + 1}: queue at the till"}
            sent[await page.send(msg)] = msg
        await page.wait_settled(timeout)
        view = page.welcome["view"]["cards"] if page.welcome else []
        targets = [c["id"] for c in view][: max(1, dots)]
        for n in range(dots):
            msg = {"t": "vote", "card": targets[n % len(targets)]}
            sent[await page.send(msg)] = msg
        await page.wait_settled(timeout)

    async def everyone() -> None:
        await asyncio.wait_for(asyncio.gather(*(one(i, p) for i, p in enumerate(pages))),
                               timeout)
        for p in pages:
            await p.close()

    try:
        asyncio.run(everyone())
    except BaseException as err:  # reported by the owner's side
        return {"error": f"{type(err).__name__}: {err}"}
    return {"sent": sent, "acked": {k: p.acked[k] for p in pages for k in p.acked},
            "refused": {k: p.refused[k] for p in pages for k in p.refused},
            "latencies": [x for p in pages for x in p.latencies],
            "unanswered": sum(len(p.outbox) for p in pages)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--ideas", type=int, default=10)
    parser.add_argument("--dots", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=240.0)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--phones-in-process", action="store_true",
                        help="run the simulated pages on a thread of this process (the first "
                             "harness: they compete with the GUI thread for the GIL)")
    parser.add_argument("--stalls", action="store_true",
                        help="sample the GUI thread's stack and report what it did during its "
                             "longest stalls (benchmarks/stalls.py; the sampling perturbs "
                             "the numbers)")
    parser.add_argument("--python-gc", action="store_true",
                        help="leave the full garbage collections to Python (not "
                             "app/ui/support/collector.py's quiet moments)")
    parser.add_argument("--commits", action="store_true",
                        help="time the document's commits on the GUI thread and report their "
                             "share of the longest stalls (benchmarks/commit_timer.py)")
    parser.add_argument("--phones", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phones:  # the child: read the plan, simulate the pages, print what happened
        print(json.dumps(phones(json.loads(sys.stdin.read()))))
        return 0
    figures = run(args.people, args.ideas, args.dots, args.timeout,
                  phones_in_process=args.phones_in_process, stalls=args.stalls,
                  gc_policy=not args.python_gc, commits=args.commits)
    figures["phones"] = "in process (thread)" if args.phones_in_process else "own process"
    text = json.dumps(figures, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
