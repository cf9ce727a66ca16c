"""A room: the host (single writer) and the server wired together, its QR code, and the
way it resumes after an interruption.

:func:`open_room` runs on the document's owner thread. A document that still holds a room
session (its Waymark crashed or was killed while the room was open) resumes it with the
same token, code and port, so the participants' pages reconnect by themselves and resend
what was not acknowledged. :meth:`Room.close` ends the session: every token dies.
"""

from __future__ import annotations

import errno
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.errors import WaymarkError
from app.model.document import Document
from app.model.history import now
from app.room import net, store, tokens
from app.room.host import RoomHost
from app.room.limits import Limits
from app.room.settings import RoomSettings, Session

log = logging.getLogger(__name__)
PORTS = range(8765, 8800)


@dataclass
class Room:
    """An open room."""

    host: RoomHost
    server: Any  # app.room.server.RoomServer (imported lazily: aiohttp is heavy)
    resumed: bool

    @property
    def url(self) -> str:
        """The join address (what the QR code holds)."""
        return str(self.server.url)

    @property
    def short_url(self) -> str:
        """The address to type; the page then asks for the room code."""
        return str(self.server.short_url)

    @property
    def code(self) -> str:
        """The room code as shown (``K7QF-2MXR``)."""
        return tokens.show_code(self.host.session.code)

    @property
    def fingerprint(self) -> str:
        """The room check shown on the projector and on every participant's page."""
        return tokens.fingerprint(self.host.session.token)

    def qr(self) -> Any:
        """The join QR code (a :class:`segno.QRCode`; ``.designator``, ``.save()``)."""
        import segno

        return segno.make(self.url, error="m", micro=False)

    def qr_png(self, scale: int = 10) -> bytes:
        """The QR code as PNG bytes (dark on white, with its quiet zone)."""
        import io

        out = io.BytesIO()
        self.qr().save(out, kind="png", scale=scale, border=4)
        return out.getvalue()

    def close(self) -> None:
        """Close the room: pages hear it, every token dies, the server stops."""
        self.host.close()
        self.server.stop("closed")

    def stop_serving(self) -> None:
        """Stop the server but keep the session (the room can be resumed)."""
        self.server.stop("paused")


def _free(address: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, port))
        except OSError:
            return False
    return True


def choose_port(address: str, wanted: int | None) -> int:
    """``wanted`` when it is free, else the first free port of 8765-8799."""
    if wanted and _free(address, wanted):
        return wanted
    for port in PORTS:
        if _free(address, port):
            return port
    raise WaymarkError(f"no free port on {address} between {PORTS[0]} and {PORTS[-1]}")


def open_room(doc: Document, post: Callable[[Callable[[], None]], None], address: str, *,
              port: int | None = None, settings: RoomSettings | None = None,
              limits: Limits | None = None) -> Room:
    """Open (or resume) a room on ``address``; call on the document's owner thread."""
    try:
        address = net.check_address(address)
    except ValueError as err:
        raise WaymarkError(str(err)) from None
    if doc.read_only:
        raise WaymarkError("a room needs a map you can edit (this one is open read-only)")
    old = doc.read_side(store.load_session)
    resumed = old is not None and old.address == address
    if resumed and old is not None:
        chosen = choose_port(address, port or old.port)
        session = Session(token=old.token, code=old.code, address=address, port=chosen,
                          opened=old.opened)
    else:
        chosen = choose_port(address, port)
        session = Session(token=tokens.new_room_token(), code=tokens.new_code(),
                          address=address, port=chosen, opened=now())
    if old is not None and not resumed:
        doc.write_side(store.end_session)  # a room on another network: its tokens die
    host = RoomHost(doc, session, settings)
    from app.room.server import RoomServer  # aiohttp: imported only now

    server = None
    for attempt in range(6):  # a port can be taken between the check and the bind
        server = RoomServer(host, post, address, chosen, limits)
        try:
            server.start()
            break
        except OSError as err:
            busy = "in use" in str(err) or err.errno == errno.EADDRINUSE
            if not busy or attempt == 5:
                host.close()
                if err.errno == errno.EADDRNOTAVAIL or "assign requested" in str(err):
                    raise WaymarkError(f"{address} is not an address of this computer") from None
                raise WaymarkError(
                    f"the room could not listen on {address}:{chosen} ({err})") from None
            if resumed and attempt < 3:
                time.sleep(0.3)  # the same port, so pages find the room again
            else:
                chosen = choose_port(address, None if chosen == PORTS[-1] else chosen + 1)
                host.session = session = session.model_copy(update={"port": chosen})
                doc.write_side(lambda conn, s=session: store.save_session(conn, s))
    assert server is not None

    def relay(event: str, data: Any) -> None:
        if event == "removed":
            server.kick(int(data))
        if event != "closed":
            server.changed()

    host.listeners.append(relay)
    return Room(host, server, resumed)
