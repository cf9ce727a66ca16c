"""``waymark room FILE``: a room without the editor. The main thread owns the document
and runs what the server posts; Ctrl+C (or SIGTERM) closes the room."""

from __future__ import annotations

import json
import queue
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.errors import WaymarkError
from app.model.document import Document
from app.room.limits import Limits
from app.room.room import open_room
from app.room.settings import RoomSettings


def serve(path: Path, address: str, *, port: int | None = None,
          changes: dict[str, Any] | None = None, limits: Limits | None = None,
          machine: bool = False, seconds: float | None = None,
          out: Callable[[str], None] = print) -> int:
    """Open ``path`` and serve a room until interrupted (or ``seconds`` pass)."""
    jobs: queue.Queue[Callable[[], None]] = queue.Queue()
    stop = {"now": False}

    def ask_stop(*_: object) -> None:
        stop["now"] = True

    old_handlers = {s: signal.signal(s, ask_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    doc = Document.open(path)
    room = None
    try:
        room = open_room(doc, jobs.put, address, port=port, limits=limits)
        if changes:
            room.host.update(**changes)
        if machine:
            out(json.dumps({"url": room.url, "short_url": room.short_url, "code": room.code,
                            "fingerprint": room.fingerprint, "resumed": room.resumed,
                            "pid": __import__("os").getpid()}))
        else:
            _describe(room, out)
        sys.stdout.flush()
        end = None if seconds is None else time.monotonic() + seconds
        while not stop["now"] and (end is None or time.monotonic() < end):
            try:
                job = jobs.get(timeout=0.2)
            except queue.Empty:
                continue
            _run_slice(doc, jobs, job)
    finally:
        if room is not None:
            room.close()
            while not jobs.empty():  # let nothing wait forever on a closed room
                jobs.get_nowait()
        doc.close()
        for s, handler in old_handlers.items():
            signal.signal(s, handler)
    out("room closed: every participant's token has expired")
    return 0


SLICE = 0.025  # seconds of jobs per transaction (as the editor's bridge)


def _run_slice(doc: Document, jobs: queue.Queue[Callable[[], None]],
               job: Callable[[], None]) -> None:
    """Run ``job`` and whatever else is queued, for up to :data:`SLICE` seconds, in one
    transaction (``Document.batch``: one fsync; each contribution still its own undo
    step, answered once the transaction is on disk)."""
    start = time.monotonic()
    try:
        with doc.batch():
            job()
            while time.monotonic() - start < SLICE:
                try:
                    job = jobs.get_nowait()
                except queue.Empty:
                    break
                job()
    except WaymarkError as err:  # the slice's jobs were told (RoomHost.durable)
        print(f"room: contributions not written ({err.message}); pages will resend",
              file=sys.stderr)


def _describe(room: Any, out: Callable[[str], None]) -> None:
    settings: RoomSettings = room.host.settings
    title = room.host.doc.data.maps[settings.map_id].title
    import io

    buf = io.StringIO()
    room.qr().terminal(out=buf, compact=True)
    out(buf.getvalue().rstrip("\n"))
    out(f"room {'resumed' if room.resumed else 'open'} on map {title!r}")
    out(f"  join (QR code above): {room.url}")
    out(f"  or type {room.short_url} and the room code {room.code}")
    out(f"  room check: {room.fingerprint} (participants see the same on their page)")
    out(f"  ideas go {'straight onto the map' if settings.mode == 'direct' else 'to the inbox'};"
        f" {settings.budget} dots each")
    out("press Ctrl+C to close the room")


def run(path: Path, address: str | None, **kwargs: Any) -> int:
    """Pick the address (one interface, never all of them) and serve."""
    from app.room import net

    if address is None:
        chosen = net.default_interface()
        if chosen is None:
            found = ", ".join(i.describe() for i in net.interfaces()) or "none"
            raise WaymarkError("choose the network to serve the room on with --address "
                               f"(interfaces: {found})")
        address = chosen.address
    return serve(path, address, **kwargs)
