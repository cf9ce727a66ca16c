"""The workshop timer as a small Qt-free value: set, start, pause, remaining.

Participants' pages show it too: the server sends the seconds left and whether it runs,
and each page counts down by itself between updates.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass
class WorkshopTimer:
    """A countdown. ``clock`` is injectable for tests (default: monotonic seconds)."""

    duration: float = 0.0
    _left: float = 0.0
    _started: float | None = None

    def set(self, seconds: float) -> None:
        """Set the countdown (stopped) to ``seconds``."""
        self.duration = max(0.0, min(float(seconds), 24 * 3600.0))
        self._left = self.duration
        self._started = None

    def start(self, now: float | None = None) -> None:
        """Start or resume."""
        if self._started is None and self._left > 0:
            self._started = time.monotonic() if now is None else now

    def pause(self, now: float | None = None) -> None:
        """Pause, keeping the time left."""
        if self._started is not None:
            self._left = self.remaining(now)
            self._started = None

    @property
    def running(self) -> bool:
        """Whether it counts down now."""
        return self._started is not None

    def remaining(self, now: float | None = None) -> float:
        """Seconds left (0 when over)."""
        if self._started is None:
            return self._left
        now = time.monotonic() if now is None else now
        return max(0.0, self._left - (now - self._started))

    def state(self, now: float | None = None) -> dict[str, float | bool]:
        """What the participants' pages need."""
        left = self.remaining(now)
        return {"left": round(left, 1), "running": self.running and left > 0,
                "duration": self.duration}
