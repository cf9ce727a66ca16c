"""How much of the GUI thread's longest stalls is the document's COMMIT (its fsyncs).

``room_load --commits`` installs a :class:`CommitTimer` before the window exists: every
``COMMIT`` that :meth:`Document._transaction` executes is timed (and the check of the file
right after it, ``Document._acknowledge``, which is part of an edit's durable path), noted
as a room slice's (inside ``Document.batch``) or another edit's (the facilitator's). The
benchmark's heartbeat hands over its long gaps; :meth:`CommitTimer.report` says, for the
longest gaps, how many of their milliseconds were a commit, and how commits compare to all
the GUI thread's long-gap time. Timing is two ``perf_counter`` calls per commit: it does
not change what it measures (unlike the stack sampler of ``--stalls``).
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from collections.abc import Callable
from typing import Any


class _TimedCommits:
    """The sqlite3 connection as ``_transaction`` sees it, its COMMIT timed."""

    def __init__(self, inner: Any, timer: CommitTimer, doc: Any) -> None:
        self._inner, self._timer, self._doc = inner, timer, doc

    def execute(self, sql: str, *args: Any) -> Any:
        if sql != "COMMIT":
            return self._inner.execute(sql, *args)
        start = time.perf_counter()
        try:
            return self._inner.execute(sql, *args)
        finally:
            kind = "slice" if getattr(self._doc, "_batch", None) is not None else "edit"
            self._timer.note(start, time.perf_counter(), kind)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class CommitTimer:
    """Times the document's commits on the GUI thread (install before the document opens)."""

    def __init__(self) -> None:
        self.spans: list[tuple[float, float, str]] = []
        self.slices: list[tuple[float, float]] = []  # every room slice (its work and commit)
        self._gui = threading.main_thread().ident

    def note(self, start: float, end: float, kind: str) -> None:
        """One commit (or its file check) on the GUI thread took ``start``..``end``."""
        if threading.get_ident() == self._gui:
            self.spans.append((start, end, kind))

    def install(self) -> Callable[[], None]:
        """Patch ``fileformat.raw`` (for ``Document._transaction`` only),
        ``Document._acknowledge`` and the room bridge's ``_slice`` (timed whole); returns
        what puts them back."""
        from app.model import fileformat
        from app.model.document import Document
        from app.ui.room.bridge import Bridge

        run_slice = Bridge._slice

        def timed_slice(bridge: Bridge) -> None:
            start = time.perf_counter()
            try:
                run_slice(bridge)
            finally:
                self.slices.append((start, time.perf_counter()))

        Bridge._slice = timed_slice

        raw, acknowledge, timer = fileformat.raw, Document._acknowledge, self

        def timed_raw(conn: Any) -> Any:
            dbapi = raw(conn)
            caller = sys._getframe(1)
            if caller.f_code.co_name != "_transaction":
                return dbapi  # a backup needs the real connection
            return _TimedCommits(dbapi, timer, caller.f_locals.get("self"))

        def timed_acknowledge(doc: Document) -> None:
            start = time.perf_counter()
            try:
                acknowledge(doc)
            finally:
                kind = "slice" if getattr(doc, "_batch", None) is not None else "edit"
                timer.note(start, time.perf_counter(), kind)

        fileformat.raw = timed_raw
        Document._acknowledge = timed_acknowledge

        def undo() -> None:
            fileformat.raw, Document._acknowledge, Bridge._slice = raw, acknowledge, run_slice

        return undo

    def inside(self, start: float, end: float) -> dict[str, float]:
        """Seconds of commit (by kind) inside ``start``..``end``."""
        out = {"slice": 0.0, "edit": 0.0}
        for a, b, kind in self.spans:
            if b > start and a < end:
                out[kind] += min(b, end) - max(a, start)
        return out

    def report(self, gaps: list[tuple[float, float]], top: int = 5) -> dict[str, Any]:
        """Commit figures, the commits inside the ``top`` longest ``gaps`` (intervals
        between two heartbeats), and the share of all the gaps' time that was a commit."""
        figures: dict[str, Any] = {}
        for kind in ("slice", "edit"):
            times = _per_commit([s for s in self.spans if s[2] == kind])
            if times:
                figures[f"{kind}_commits"] = {
                    "n": len(times), "total_ms": round(sum(times) * 1000, 1),
                    "p50_ms": round(statistics.median(times) * 1000, 1),
                    "max_ms": round(max(times) * 1000, 1)}
        if self.slices:
            whole = [b - a for a, b in self.slices]
            committing = [self.inside(a, b)["slice"] for a, b in self.slices]
            worst = max(range(len(whole)), key=whole.__getitem__)
            figures["slices"] = {
                "n": len(whole), "total_ms": round(sum(whole) * 1000, 1),
                "commit_share": round(sum(committing) / max(1e-9, sum(whole)), 3),
                "longest_ms": round(whole[worst] * 1000, 1),
                "longest_commit_ms": round(committing[worst] * 1000, 1)}
        longest = sorted(gaps, key=lambda g: g[1] - g[0], reverse=True)[:top]
        figures["longest_gaps"] = [
            {"gap_ms": round((b - a) * 1000, 1),
             **{f"{k}_commit_ms": round(v * 1000, 1) for k, v in self.inside(a, b).items()}}
            for a, b in longest]
        total = max(1e-9, sum(b - a for a, b in gaps))
        for kind in ("slice", "edit"):
            figures[f"{kind}_commit_share_of_long_gaps"] = round(
                sum(self.inside(a, b)[kind] for a, b in gaps) / total, 3)
        return figures


def _per_commit(spans: list[tuple[float, float, str]]) -> list[float]:
    """A commit's time with its file check (the span right after it) added."""
    times: list[float] = []
    last_end = -1.0
    for a, b, _kind in spans:
        if times and a - last_end < 0.001:  # the check right after its COMMIT
            times[-1] += b - a
        else:
            times.append(b - a)
        last_end = b
    return times
