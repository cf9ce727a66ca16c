"""Timing and memory measurement: repetitions, statistics, whole-process runs.

Every figure the suite reports comes from :func:`time_call`,
:func:`time_samples` or :func:`time_process`; nothing is estimated.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass
class Plan:
    """How many times to run each case."""

    warmup: int = 1
    reps: int = 5
    samples: int = 200  # per-step cases (durable edit)


def stats(samples: Sequence[float]) -> dict[str, Any]:
    """min / median / p95 / mean of timings in seconds (p95 by nearest rank)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, -(-95 * len(ordered) // 100) - 1))
    return {
        "n": len(ordered),
        "min_s": ordered[0],
        "median_s": statistics.median(ordered),
        "p95_s": ordered[rank],
        "mean_s": statistics.fmean(ordered),
    }


def time_call(fn: Callable[[], Any], plan: Plan, *, setup: Callable[[], Any] | None = None,
              memory: bool = True) -> dict[str, Any]:
    """Run ``fn`` after warm-up ``plan.reps`` times; timings plus tracemalloc peak.

    ``setup`` runs before every call, outside the timing. The tracemalloc peak
    is measured on the first warm-up run (tracing slows Python down, so timed
    runs are untraced), or on one extra run when there is no warm-up.
    """
    peak: int | None = None
    for i in range(plan.warmup):
        if setup:
            setup()
        if memory and i == 0:
            peak = _traced(fn)
        else:
            fn()
    times: list[float] = []
    for _ in range(plan.reps):
        if setup:
            setup()
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    out = stats(times)
    if memory and peak is None:
        if setup:
            setup()
        peak = _traced(fn)
    if peak is not None:
        out["peak_tracemalloc_bytes"] = peak
    return out


def _traced(fn: Callable[[], Any]) -> int:
    """Run ``fn`` once under tracemalloc; its peak of Python allocations in bytes."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def time_samples(step: Callable[[int], Any], count: int, warmup: int = 3) -> dict[str, Any]:
    """Time ``count`` successive calls ``step(i)`` one by one (per-step statistics)."""
    for i in range(warmup):
        step(-1 - i)
    times: list[float] = []
    for i in range(count):
        t0 = time.perf_counter()
        step(i)
        times.append(time.perf_counter() - t0)
    return stats(times)


def _hwm(pid: int) -> int:
    """The child's resident-set high-water mark (VmHWM) in bytes, 0 when unreadable."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def run_process(argv: Sequence[str], env: dict[str, str] | None = None,
                timeout: float = 600) -> tuple[float, int, int, str]:
    """Run one child to completion: (seconds, exit code, peak RSS bytes, stderr tail).

    Peak RSS is the child's VmHWM read from /proc every 2 ms while it runs (not
    ``ru_maxrss``: on Linux that includes the parent's memory copied at fork, so
    a small child of a big benchmark process would look big). Where /proc is
    missing it falls back to ``ru_maxrss`` from ``wait4``.
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen(list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env)
    deadline = t0 + timeout
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _hwm(proc.pid))
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.002)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if not peak:
        peak = usage.ru_maxrss * 1024
    return elapsed, proc.returncode, peak, err[-500:]


def time_process(argv: Sequence[str], plan: Plan, *, env: dict[str, str] | None = None,
                 setup: Callable[[], Any] | None = None, timeout: float = 600
                 ) -> dict[str, Any]:
    """Time a whole process ``plan.reps`` times after warm-up; peak RSS of the children.

    Raises RuntimeError with the child's stderr when it fails.
    """
    times: list[float] = []
    rss: list[int] = []
    for i in range(plan.warmup + plan.reps):
        if setup:
            setup()
        elapsed, code, peak, err = run_process(argv, env=env, timeout=timeout)
        if code != 0:
            raise RuntimeError(f"{' '.join(argv[:3])} ... exited {code}: {err.strip()}")
        if i >= plan.warmup:
            times.append(elapsed)
            rss.append(peak)
    out = stats(times)
    out["peak_rss_bytes"] = max(rss)
    return out
