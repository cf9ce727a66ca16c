"""Rate limits: token buckets per participant and per network address.

A bucket holds up to ``burst`` tokens and refills at ``rate`` per second; each message
takes one. The numbers are chosen for people typing on phones: a burst of ideas after a
silent brainstorm passes, a script flooding the room does not.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Bucket:
    """One token bucket."""

    rate: float
    burst: float
    tokens: float = -1.0
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.burst

    def take(self, now: float | None = None) -> bool:
        """Take one token; False when the bucket is empty (the caller refuses)."""
        now = time.monotonic() if now is None else now
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


@dataclass(frozen=True)
class Limits:
    """Every limit of a room's server in one place."""

    #: Messages per participant: sustained per second, and burst.
    participant_rate: float = 3.0
    participant_burst: float = 30.0
    #: Messages per network address (several people can share one, behind a NAT).
    address_rate: float = 20.0
    address_burst: float = 120.0
    #: HTTP requests per address (pages, scripts, join attempts).
    http_rate: float = 10.0
    http_burst: float = 60.0
    #: Open WebSockets per address and in total.
    sockets_per_address: int = 12
    sockets_total: int = 400
    #: Joins (new participants) per address per minute.
    joins_per_minute: int = 20
    #: Wrong room codes per address per minute, and in total before the code is disabled.
    wrong_codes_per_minute: int = 5
    wrong_codes_total: int = 200
    #: Largest WebSocket message and HTTP body, in bytes.
    max_message: int = 16 * 1024
    #: Refused messages on one socket before it is closed.
    max_refusals: int = 50
    #: Seconds a socket has to say who it is.
    hello_timeout: float = 10.0


class Window:
    """Counts events per key in a sliding minute."""

    def __init__(self, limit: int, seconds: float = 60.0) -> None:
        self.limit = limit
        self.seconds = seconds
        self._events: dict[str, list[float]] = {}

    def full(self, key: str, now: float | None = None) -> bool:
        """Whether ``key`` is at its limit now (nothing recorded)."""
        now = time.monotonic() if now is None else now
        return sum(1 for t in self._events.get(key, []) if now - t < self.seconds) >= self.limit

    def allow(self, key: str, now: float | None = None) -> bool:
        """Record an event for ``key``; False when it is over the limit."""
        now = time.monotonic() if now is None else now
        events = [t for t in self._events.get(key, []) if now - t < self.seconds]
        if len(events) >= self.limit:
            self._events[key] = events
            return False
        events.append(now)
        self._events[key] = events
        if len(self._events) > 10_000:  # forget quiet addresses
            self._events = {k: v for k, v in self._events.items() if v and now - v[-1] < 60}
        return True


class Buckets:
    """Buckets by key, created on first use."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: dict[str, Bucket] = {}

    def take(self, key: str) -> bool:
        """Take one token from ``key``'s bucket."""
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) > 10_000:
                self._buckets.clear()
            bucket = self._buckets[key] = Bucket(self.rate, self.burst)
        return bucket.take()
