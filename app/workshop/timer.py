"""The workshop timer: a countdown the facilitator sets, starts, pauses and resets.

Time comes from an injectable monotonic clock (seconds), so the timer is exact in tests
and never jumps when the wall clock is changed. Nothing here ticks: whoever shows the
timer (the canvas overlay every quarter second, the room page on each poll) asks
:meth:`WorkshopTimer.snapshot` for the remaining time. ``version`` grows on every change
the user makes, so a reader can tell a new setting from the clock running.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

#: The longest countdown the timer accepts (a full workshop day).
MAX_SECONDS = 12 * 3600
DEFAULT_SECONDS = 5 * 60

TimerState = Literal["idle", "running", "paused", "finished"]


@dataclass(frozen=True)
class TimerSnapshot:
    """What the timer shows at one moment."""

    state: TimerState
    duration: float  # seconds the countdown was set to
    remaining: float  # seconds left (0 when finished)
    version: int

    @property
    def text(self) -> str:
        """The remaining time as a clock reads it: ``4:05``, ``1:02:00``; rounded up, so
        ``0:00`` only shows when the time is really over."""
        return format_seconds(self.remaining)

    @property
    def fraction(self) -> float:
        """How much of the time is used, 0..1."""
        return 1.0 if self.duration <= 0 else min(1.0, max(0.0, 1 - self.remaining
                                                            / self.duration))

    def as_dict(self) -> dict[str, object]:
        """Plain values for JSON (the room page)."""
        return {"state": self.state, "duration": round(self.duration, 3),
                "remaining": round(self.remaining, 3), "text": self.text,
                "version": self.version}


def format_seconds(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) of a non-negative duration, rounded up to the second."""
    total = max(0, math.ceil(seconds - 1e-9))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def parse_duration(text: str) -> float:
    """Seconds from what a facilitator types: ``5`` (minutes), ``4:30``, ``1:00:00``,
    ``90s``, ``10m``, ``1h``. Raises ValueError with a readable message."""
    raw = text.strip().lower().replace(" ", "")
    if not raw:
        raise ValueError("type a duration such as 5, 4:30 or 90s")
    try:
        if ":" in raw:
            parts = [int(p) for p in raw.split(":")]
            if len(parts) > 3 or any(p < 0 for p in parts) or any(p > 59 for p in parts[1:]):
                raise ValueError
            seconds = 0
            for p in parts:
                seconds = seconds * 60 + p
        elif raw.endswith("s"):
            seconds = float(raw[:-1])
        elif raw.endswith("h"):
            seconds = float(raw[:-1]) * 3600
        else:
            seconds = float(raw.removesuffix("min").removesuffix("m")) * 60
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a duration (try 5, 4:30 or 90s)") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError("the duration must be more than zero")
    if seconds > MAX_SECONDS:
        raise ValueError(f"the timer runs at most {MAX_SECONDS // 3600} hours")
    return float(seconds)


class WorkshopTimer:
    """A countdown: ``set``, ``start``, ``pause``, ``reset``, ``add``."""

    def __init__(self, seconds: float = DEFAULT_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._duration = float(seconds)
        self._left = float(seconds)  # remaining when not running
        self._started: float | None = None  # clock at the last start, while running
        self.version = 0

    # ------------------------------------------------------------- reading
    def remaining(self) -> float:
        """Seconds left (never below 0)."""
        if self._started is None:
            return self._left
        return max(0.0, self._left - (self._clock() - self._started))

    @property
    def state(self) -> TimerState:
        """idle (set, not started), running, paused or finished."""
        if self._started is not None:
            return "running" if self.remaining() > 0 else "finished"
        if self._left <= 0:
            return "finished"
        return "idle" if self._left == self._duration else "paused"

    @property
    def duration(self) -> float:
        """What the countdown was set to, in seconds."""
        return self._duration

    def snapshot(self) -> TimerSnapshot:
        """The state and time left now."""
        return TimerSnapshot(self.state, self._duration, self.remaining(), self.version)

    # ------------------------------------------------------------- changing
    def set(self, seconds: float) -> None:
        """A new countdown of ``seconds``, not running."""
        if not math.isfinite(seconds) or not 0 < seconds <= MAX_SECONDS:
            raise ValueError(f"the timer runs between 1 second and {MAX_SECONDS // 3600} hours")
        self._duration = self._left = float(seconds)
        self._started = None
        self.version += 1

    def start(self) -> None:
        """Run (or resume); a finished countdown starts again from its full length."""
        if self._started is not None and self.remaining() > 0:
            return
        if self.remaining() <= 0:
            self._left = self._duration
        self._started = self._clock()
        self.version += 1

    def pause(self) -> None:
        """Stop the clock, keeping the time left."""
        if self._started is None:
            return
        self._left = self.remaining()
        self._started = None
        self.version += 1

    def toggle(self) -> None:
        """Start when stopped, pause when running (what one key does)."""
        if self.state == "running":
            self.pause()
        else:
            self.start()

    def reset(self) -> None:
        """Back to the full length, not running."""
        self._left = self._duration
        self._started = None
        self.version += 1

    def add(self, seconds: float) -> None:
        """Give (or with a negative number take) time; never below zero or above the cap."""
        left = min(MAX_SECONDS, max(0.0, self.remaining() + seconds))
        if self._started is not None:
            self._started = self._clock()
        self._left = left
        self._duration = max(self._duration, left)
        self.version += 1
