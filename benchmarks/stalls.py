"""A stall sampler for the GUI thread: what the thread was doing during its longest stalls.

A daemon thread takes the GUI thread's stack every few milliseconds
(``sys._current_frames``); the benchmark's heartbeat notes each tick, and methods named
with :meth:`StallSampler.time` note when they ran. Afterwards :meth:`StallSampler.report`
lists the longest gaps between two ticks with the frames seen most often inside each gap
(the application's own frames, innermost last) and the timed methods that ran in it. The sampling
thread needs the interpreter lock too, so use it to find causes, not to take the numbers
a benchmark reports.
"""

from __future__ import annotations

import collections
import functools
import sys
import threading
import time
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[1])


class StallSampler:
    """Samples ``thread``'s stack every ``every`` seconds until :meth:`stop`."""

    def __init__(self, thread: threading.Thread | None = None, every: float = 0.003) -> None:
        self.ident = (thread or threading.main_thread()).ident
        self.every = every
        self.samples: list[tuple[float, tuple[str, ...]]] = []
        self.ticks: list[float] = []
        self.spans: list[tuple[float, float, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="stall-sampler")

    def start(self) -> None:
        """Begin sampling."""
        self._thread.start()

    def tick(self) -> None:
        """The heartbeat ran (call it from the sampled thread)."""
        self.ticks.append(time.perf_counter())

    def time(self, cls: type, name: str) -> None:
        """Note every call of ``cls.name`` (patch it before the objects that connect it to
        signals are made)."""
        original = getattr(cls, name)
        label = f"{cls.__name__}.{name}"
        spans = self.spans

        @functools.wraps(original)
        def timed(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spans.append((start, time.perf_counter(), label))

        setattr(cls, name, timed)

    def stop(self) -> None:
        """End sampling."""
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            frame = sys._current_frames().get(self.ident)
            stack: list[str] = []
            while frame is not None:
                name = frame.f_code.co_filename
                if name.startswith(_ROOT) and "/.venv/" not in name:
                    stack.append(f"{name[len(_ROOT) + 1:]}:{frame.f_lineno} "
                                 f"{frame.f_code.co_name}")
                frame = frame.f_back
            self.samples.append((time.perf_counter(), tuple(reversed(stack))))

    def totals(self) -> dict[str, float]:
        """Milliseconds spent in each timed method (nested ones counted in both)."""
        out: dict[str, float] = collections.defaultdict(float)
        for start, end, label in self.spans:
            out[label] += (end - start) * 1000
        return {k: round(v, 1) for k, v in sorted(out.items(), key=lambda kv: -kv[1])}

    def report(self, worst: int = 5, depth: int = 8) -> list[dict[str, object]]:
        """The ``worst`` longest gaps between ticks, each with its commonest stacks."""
        gaps = sorted(((b - a, a, b) for a, b in zip(self.ticks, self.ticks[1:],
                                                      strict=False)), reverse=True)[:worst]
        out: list[dict[str, object]] = []
        for length, a, b in gaps:
            seen = collections.Counter(s[-depth:] for t, s in self.samples if a <= t <= b)
            ran = [f"{label} {round((e - s) * 1000, 1)} ms" for s, e, label in self.spans
                   if s < b and e > a]
            out.append({"gap_ms": round(length * 1000, 1), "ran": ran,
                        "stacks": [{"samples": n, "frames": list(st)}
                                   for st, n in seen.most_common(3)]})
        return out
