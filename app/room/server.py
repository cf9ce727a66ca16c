"""The room's HTTP and WebSocket server (aiohttp, on a thread of its own).

Why aiohttp: one well-kept package gives an asyncio HTTP server *and* WebSockets (with
ping/pong, size limits and clean closes), with no ASGI server to pair with it; Starlette
would need uvicorn and a WebSocket library besides. It is imported only when a room
opens (about 0.2 s), never at Waymark's start.

What is reachable (everything else is 404, there is no static folder and no listing):

* ``GET /``: the short address; a form to type the room code. ``POST /join`` checks the
  code (CSRF: a SameSite cookie and the same value in the form, plus the Origin) and
  sends the browser on to the room's address.
* ``GET /r/<room token>/``: the participant page; ``room.js`` and ``room.css`` beside it.
* ``GET /r/<room token>/ws``: the page's WebSocket (Origin must be this server).

Every request must name this server in its ``Host`` (DNS rebinding), every response
carries a strict Content-Security-Policy and no-referrer (the token is in the address),
and requests, messages, joins and wrong codes are rate-limited per address and per
participant. The server never touches the document: each contribution is posted to the
document's owner thread (:class:`~app.room.host.RoomHost` there) and the page hears
"ack" only once the owner has committed it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

from app.room import tokens
from app.room.host import Refused, RoomHost
from app.room.limits import Buckets, Limits, Window
from app.room.protocol import (
    AddIdea,
    CastDot,
    Feel,
    Hello,
    Join,
    Ping,
    ProtocolError,
    dumps,
    key_ok,
    parse,
)

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
Post = Callable[[Callable[[], None]], None]
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
#: WebSocket close codes the page understands.
CLOSE_ROOM_CLOSED, CLOSE_REMOVED, CLOSE_UNKNOWN, CLOSE_FLOOD = 4000, 4001, 4002, 4003
CLOSE_RESTART = 1012  # the room pauses (it will be back at the same address)


@dataclass(eq=False)
class Conn:
    """One participant's open WebSocket."""

    ws: web.WebSocketResponse
    address: str
    participant_id: int = 0
    refusals: int = 0
    sent_me: str = ""
    last_view: int = -1
    queue: asyncio.Queue[str] = field(default_factory=asyncio.Queue)


class RoomServer:
    """Serves one room on ``address:port``; ``post`` runs a function on the owner thread."""

    def __init__(self, host: RoomHost, post: Post, address: str, port: int,
                 limits: Limits | None = None) -> None:
        self.host = host  # used only inside functions posted to the owner thread
        self.post = post
        self.address = address
        self.port = port
        self.limits = limits or Limits()
        self.token = host.session.token
        self.code = host.session.code
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._conns: set[Conn] = set()
        self._http = Buckets(self.limits.http_rate, self.limits.http_burst)
        self._msgs_address = Buckets(self.limits.address_rate, self.limits.address_burst)
        self._msgs_participant = Buckets(self.limits.participant_rate,
                                         self.limits.participant_burst)
        self._joins = Window(self.limits.joins_per_minute)
        self._wrong_codes = Window(self.limits.wrong_codes_per_minute)
        self._wrong_total = 0
        self._dirty: asyncio.Event | None = None
        self._version = 0
        self._stopping = False
        self._pages: dict[str, bytes] = {}
        self._tasks: set[asyncio.Future[None]] = set()
        #: Latencies (seconds) from a contribution's arrival to its ack, for benchmarks.
        self.latencies: list[float] = []
        #: Answers from the owner thread waiting to reach their futures (one wake-up of
        #: the loop for all of a slice's answers, not one each).
        self._answers: list[tuple[Callable[..., None], Any, BaseException | None]] = []
        self._answers_lock = threading.Lock()

    # ============================================================ lifecycle
    @property
    def authority(self) -> str:
        """``address:port`` as browsers send it in Host."""
        return f"{self.address}:{self.port}"

    @property
    def url(self) -> str:
        """The join address (in the QR code): it carries the room token."""
        return f"http://{self.authority}/r/{self.token}/"

    @property
    def short_url(self) -> str:
        """The address to type, with the room code."""
        return f"http://{self.authority}/"

    def start(self, timeout: float = 10.0) -> None:
        """Bind and serve on a daemon thread; raises OSError when the port cannot be had."""
        self._load_pages()
        self._thread = threading.Thread(target=self._serve, name="waymark-room", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise OSError("the room's server did not start in time")
        if self._error is not None:
            raise self._error

    def stop(self, reason: str = "closed") -> None:
        """Tell every page the room closed, stop serving, and end the thread."""
        loop = self.loop
        if loop is None or self._thread is None:
            return
        if not loop.is_closed():
            future = asyncio.run_coroutine_threadsafe(self._shutdown(reason), loop)
            try:
                future.result(timeout=5)
            except Exception:
                log.warning("room server did not stop cleanly", exc_info=True)
        self._thread.join(timeout=5)
        self._thread = None

    def changed(self) -> None:
        """The document or the room changed (callable from any thread): pages refresh."""
        loop = self.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._mark_dirty)

    def kick(self, participant_id: int) -> None:
        """Close a removed participant's pages (callable from any thread)."""
        loop = self.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(
                lambda: asyncio.ensure_future(self._close_participant(participant_id)))

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self.loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._open())
        except BaseException as err:
            self._error = err if isinstance(err, OSError) else OSError(str(err))
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _open(self) -> None:
        app = web.Application(middlewares=[self._guard], client_max_size=self.limits.max_message)
        app.router.add_get("/", self._landing)
        app.router.add_post("/join", self._join_code)
        app.router.add_get("/style.css", self._style)
        app.router.add_get("/favicon.ico", self._no_icon)
        app.router.add_get("/r/{token}/", self._page)
        app.router.add_get("/r/{token}/room.js", self._asset)
        app.router.add_get("/r/{token}/room.css", self._asset)
        app.router.add_get("/r/{token}/ws", self._socket)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False,
                                     shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.address, self.port, backlog=256)
        await site.start()
        self._dirty = asyncio.Event()
        self._tasks = {asyncio.ensure_future(self._broadcaster())}

    async def _shutdown(self, reason: str) -> None:
        self._stopping = True
        closing = reason == "closed"
        for conn in list(self._conns):
            if closing:  # the page stops; otherwise it reconnects until the room is back
                await self._send(conn, {"t": "closed", "reason": reason})
            await self._close(conn, CLOSE_ROOM_CLOSED if closing else CLOSE_RESTART, reason)
        if self._runner is not None:
            await self._runner.cleanup()
        for task in self._tasks:  # the broadcaster waits for changes: end it with the loop
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        assert self.loop is not None
        self.loop.call_soon(self.loop.stop)

    # ============================================================ owner calls
    async def call(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the document's owner thread and wait for its result, which is
        given only once what ``fn`` wrote is on disk (the owner may batch several calls'
        writes into one transaction: ``RoomHost.durable``)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()

        def settle(value: Any, error: BaseException | None) -> None:
            if future.done():
                return
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(value)

        def job() -> None:
            try:
                value = fn()
            except BaseException as err:
                self._answer(loop, settle, None, err)
                return
            self.host.durable(lambda error: self._answer(loop, settle, value, error))

        self.post(job)
        return await future

    def _answer(self, loop: asyncio.AbstractEventLoop, settle: Callable[..., None],
                value: Any, error: BaseException | None) -> None:
        """Hand an answer to the server's loop (from the owner thread)."""
        with self._answers_lock:
            self._answers.append((settle, value, error))
            if len(self._answers) > 1:
                return  # the loop is woken already
        if not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # closed meanwhile
                loop.call_soon_threadsafe(self._deliver)

    def _deliver(self) -> None:
        with self._answers_lock:
            answers, self._answers = self._answers, []
        for settle, value, error in answers:
            settle(value, error)

    # ============================================================ HTTP
    @web.middleware
    async def _guard(self, request: web.Request, handler: Callable[..., Any]) -> web.StreamResponse:
        address = request.remote or "?"
        if not self._http.take(address):
            return _plain(429, "Too many requests: wait a moment and try again.")
        if request.host not in self._hosts():
            return _plain(421, "This address does not belong to the room.")
        if request.method not in ("GET", "POST"):
            return _plain(405, "Not allowed.")
        try:
            response = await handler(request)
        except web.HTTPException as err:
            response = _plain(err.status, err.reason)
        if not response.prepared:
            _secure(response)
        return response

    def _hosts(self) -> set[str]:
        hosts = {self.authority}
        if self.address == "127.0.0.1":
            hosts.add(f"localhost:{self.port}")
        return hosts

    def _load_pages(self) -> None:
        for name in ("landing.html", "room.html", "room.js", "room.css"):
            self._pages[name] = (STATIC / name).read_bytes()

    def _room_token_ok(self, request: web.Request) -> bool:
        return tokens.same(request.match_info.get("token", ""), self.token) and not self._stopping

    async def _landing(self, request: web.Request) -> web.StreamResponse:
        return self._landing_page(error="")

    def _landing_page(self, error: str, status: int = 200) -> web.Response:
        csrf = secrets.token_urlsafe(18)
        strings = _strings(self.host.settings.language)
        html = self._pages["landing.html"].decode("utf-8")
        html = html.replace("{{LANG}}", _attr(self.host.settings.language))
        html = html.replace("{{CSRF}}", _attr(csrf)).replace("{{ERROR}}", _text(error))
        for key in ("landing_title", "landing_code", "landing_go", "landing_hint"):
            html = html.replace("{{" + key + "}}", _text(strings.get(key, key)))
        response = web.Response(text=html, content_type="text/html", status=status)
        response.set_cookie("wm_csrf", csrf, httponly=True, samesite="Strict", path="/join",
                            max_age=3600)
        return response

    async def _join_code(self, request: web.Request) -> web.StreamResponse:
        address = request.remote or "?"
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"http://{request.host}":
            return _plain(403, "Cross-site form refused.")
        form = await request.post()
        cookie = request.cookies.get("wm_csrf", "")
        sent = str(form.get("csrf", ""))
        strings = _strings(self.host.settings.language)
        if not cookie or not tokens.same(cookie, sent):
            return self._landing_page(strings.get("landing_expired", "expired"), 403)
        if self._wrong_total >= self.limits.wrong_codes_total:
            return self._landing_page(strings.get("landing_disabled", "disabled"), 403)
        if self._wrong_codes.full(address):
            return self._landing_page(strings.get("landing_wait", "wait"), 429)
        typed = tokens.normal_code(str(form.get("code", "")))
        if typed and tokens.same(typed, self.code):
            raise web.HTTPSeeOther(f"/r/{self.token}/")
        self._wrong_total += 1
        self._wrong_codes.allow(address)
        return self._landing_page(strings.get("landing_wrong", "wrong"), 403)

    async def _page(self, request: web.Request) -> web.StreamResponse:
        if not self._room_token_ok(request):
            return _plain(404, "There is no room at this address (it may have closed).")
        language = self.host.settings.language
        strings = _strings(language)
        data = json.dumps(strings, ensure_ascii=False).replace("<", "\\u003c")
        html = self._pages["room.html"].decode("utf-8")
        html = html.replace("{{LANG}}", _attr(language)).replace("{{DIR}}", _attr(
            strings.get("dir", "ltr"))).replace("{{STRINGS}}", data)
        html = html.replace("{{TITLE}}", _text(strings.get("title", "Waymark room")))
        return web.Response(text=html, content_type="text/html")

    async def _no_icon(self, request: web.Request) -> web.StreamResponse:
        return web.Response(status=204)  # browsers ask; nothing to say

    async def _style(self, request: web.Request) -> web.StreamResponse:
        return web.Response(body=self._pages["room.css"], content_type="text/css",
                            charset="utf-8")

    async def _asset(self, request: web.Request) -> web.StreamResponse:
        if not self._room_token_ok(request):
            return _plain(404, "Not found.")
        name = request.path.rsplit("/", 1)[-1]
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return web.Response(body=self._pages[name], content_type=kind, charset="utf-8")

    # ============================================================ WebSocket
    async def _socket(self, request: web.Request) -> web.StreamResponse:
        if not self._room_token_ok(request):
            return _plain(404, "There is no room at this address (it may have closed).")
        if request.headers.get("Origin") != f"http://{request.host}":
            return _plain(403, "Cross-origin connection refused.")
        address = request.remote or "?"
        if len(self._conns) >= self.limits.sockets_total or sum(
                1 for c in self._conns if c.address == address) >= self.limits.sockets_per_address:
            return _plain(429, "Too many connections from this address.")
        ws = web.WebSocketResponse(max_msg_size=self.limits.max_message, heartbeat=25.0)
        _secure(ws)
        await ws.prepare(request)
        conn = Conn(ws, address)
        writer = asyncio.ensure_future(self._writer(conn))
        try:
            if await self._greet(conn):
                self._conns.add(conn)
                await self._talk(conn)
                while not conn.queue.empty() and not ws.closed:
                    await self._send_raw(conn, conn.queue.get_nowait())
        finally:
            self._conns.discard(conn)
            writer.cancel()
            if not ws.closed:
                await ws.close()
        return ws

    async def _greet(self, conn: Conn) -> bool:
        """The first message says who the page is (hello) or asks to join; then welcome."""
        try:
            msg = await conn.ws.receive(timeout=self.limits.hello_timeout)
        except TimeoutError:
            await conn.ws.close(code=CLOSE_UNKNOWN, message=b"say hello")
            return False
        if msg.type != WSMsgType.TEXT:
            return False
        try:
            first = parse(msg.data)
        except ProtocolError as err:
            await self._send_now(conn, {"t": "error", "reason": err.reason})
            await conn.ws.close(code=CLOSE_UNKNOWN, message=b"bad hello")
            return False
        host = self.host
        if isinstance(first, Join):
            if not self._joins.allow(conn.address):
                await self._send_now(conn, {"t": "error", "reason": "too many joins from here; "
                                            "wait a minute"})
                return False
            try:
                joined = await self.call(lambda: host.join(first.name))
            except Refused as err:
                await self._send_now(conn, {"t": "error", "reason": err.reason, "join": True})
                return False
            conn.participant_id = joined.participant.id
            await self._send_now(conn, {"t": "joined", "participant": joined.token,
                                        "name": joined.participant.name})
        elif isinstance(first, Hello):
            person = await self.call(lambda: host.hello(first.participant))
            if person is None:
                await self._send_now(conn, {"t": "error", "reason": "unknown participant",
                                            "rejoin": True})
                await conn.ws.close(code=CLOSE_UNKNOWN, message=b"unknown participant")
                return False
            conn.participant_id = person.id
        else:
            await self._send_now(conn, {"t": "error", "reason": "say hello first"})
            return False
        pid = conn.participant_id
        welcome = await self.call(lambda: {"t": "welcome", "room": host.public(),
                                           "me": host.me(pid), "view": host.view()})
        await self._send_now(conn, welcome)
        conn.last_view = self._version
        return True

    async def _talk(self, conn: Conn) -> None:
        host = self.host
        ws = conn.ws
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                await ws.close(code=1003, message=b"text only")
                return
            key = _key_of(msg.data)
            if not (self._msgs_participant.take(str(conn.participant_id))
                    and self._msgs_address.take(conn.address)):
                conn.refusals += 1
                if conn.refusals > self.limits.max_refusals:
                    await self._close(conn, CLOSE_FLOOD, "too fast")
                    return
                await self._send(conn, {"t": "refused", "key": key, "later": True,
                                        "reason": "too fast: it will be sent again shortly"})
                continue
            arrived = time.perf_counter()
            try:
                item = parse(msg.data)
            except ProtocolError as err:
                conn.refusals += 1
                if conn.refusals > self.limits.max_refusals:
                    await self._close(conn, CLOSE_FLOOD, "too many refusals")
                    return
                await self._send(conn, {"t": "refused", "key": err.key, "reason": err.reason})
                continue
            if isinstance(item, Ping):
                await self._send(conn, {"t": "pong"})
                continue
            if not isinstance(item, AddIdea | CastDot | Feel):
                await self._send(conn, {"t": "refused", "key": None,
                                        "reason": "already joined"})
                continue
            pid = conn.participant_id

            def work(item: AddIdea | CastDot | Feel = item, pid: int = pid) -> Any:
                return host.contribute(pid, item), host.me(pid)

            try:
                result, me = await self.call(work)
            except Refused as err:
                await self._send(conn, {"t": "refused", "key": item.key, "reason": err.reason,
                                        "later": err.later})
                if err.reason == "the room is closed":
                    return
                continue
            except Exception:
                log.exception("room contribution failed")
                await self._send(conn, {"t": "refused", "key": item.key, "later": True,
                                        "reason": "the room could not take this just now"})
                continue
            self.latencies.append(time.perf_counter() - arrived)
            await self._send(conn, {"t": "ack", "key": item.key, **result})
            self._send_me(conn, me)

    # ============================================================ sending
    async def _writer(self, conn: Conn) -> None:
        while True:
            text = await conn.queue.get()
            if conn.ws.closed:
                return
            try:
                await conn.ws.send_str(text)
            except (ConnectionError, RuntimeError):
                return

    async def _close(self, conn: Conn, code: int, reason: str) -> None:
        """Send what is queued, then close with ``code``."""
        while not conn.queue.empty():
            await self._send_raw(conn, conn.queue.get_nowait())
        await conn.ws.close(code=code, message=reason.encode()[:100])

    async def _send_raw(self, conn: Conn, text: str) -> None:
        if not conn.ws.closed:
            try:
                await conn.ws.send_str(text)
            except (ConnectionError, RuntimeError):
                pass

    async def _send(self, conn: Conn, message: dict[str, Any]) -> None:
        conn.queue.put_nowait(dumps(message))

    async def _send_now(self, conn: Conn, message: dict[str, Any]) -> None:
        if not conn.ws.closed:
            try:
                await conn.ws.send_str(dumps(message))
            except (ConnectionError, RuntimeError):
                pass

    def _send_me(self, conn: Conn, me: dict[str, Any]) -> None:
        text = dumps({"t": "me", "me": me})
        if text != conn.sent_me:
            conn.sent_me = text
            conn.queue.put_nowait(text)

    def _mark_dirty(self) -> None:
        self._version += 1
        if self._dirty is not None:
            self._dirty.set()

    async def _broadcaster(self) -> None:
        """After changes, send the map (one text for every page) at most ~3 times a second,
        and each participant's own state at most every 2 seconds."""
        assert self._dirty is not None
        last_me = 0.0
        host = self.host
        while not self._stopping:
            await self._dirty.wait()
            self._dirty.clear()
            if not self._conns:
                continue
            version = self._version
            try:
                view, room = await self.call(lambda: (dumps(host.view()),
                                                      dumps({"t": "room", **host.public()})))
            except Exception:
                log.exception("room view failed")
                await asyncio.sleep(1)
                continue
            for conn in list(self._conns):
                if conn.last_view != version:
                    conn.last_view = version
                    conn.queue.put_nowait(room)
                    conn.queue.put_nowait(view)
            if time.monotonic() - last_me > 2.0:
                last_me = time.monotonic()
                pids = sorted({c.participant_id for c in self._conns})
                for start in range(0, len(pids), 20):  # small jobs: the owner stays responsive
                    chunk = pids[start:start + 20]
                    mes = await self.call(lambda chunk=chunk: {p: host.me(p) for p in chunk})
                    for conn in list(self._conns):
                        if conn.participant_id in mes:
                            self._send_me(conn, mes[conn.participant_id])
            await asyncio.sleep(0.3)

    async def _close_participant(self, participant_id: int) -> None:
        for conn in list(self._conns):
            if conn.participant_id == participant_id:
                await self._send_now(conn, {"t": "removed"})
                await conn.ws.close(code=CLOSE_REMOVED, message=b"removed")


# ================================================================ helpers
def _key_of(text: str) -> str | None:
    try:
        raw = json.loads(text)
    except ValueError:
        return None
    key = raw.get("key") if isinstance(raw, dict) else None
    return key if isinstance(key, str) and key_ok(key) else None


def _secure(response: web.StreamResponse) -> None:
    h = response.headers
    h["Content-Security-Policy"] = CSP
    h["X-Content-Type-Options"] = "nosniff"
    h["Referrer-Policy"] = "no-referrer"
    h["X-Frame-Options"] = "DENY"
    h["Cache-Control"] = "no-store"
    h["Cross-Origin-Opener-Policy"] = "same-origin"
    h["Cross-Origin-Resource-Policy"] = "same-origin"


def _plain(status: int, text: str) -> web.Response:
    response = web.Response(status=status, text=text + "\n", content_type="text/plain")
    _secure(response)
    return response


def _text(value: str) -> str:
    import html

    return html.escape(value, quote=False)


def _attr(value: str) -> str:
    import html

    return html.escape(value, quote=True)


_STRINGS: dict[str, dict[str, str]] = {}


def _strings(language: str) -> dict[str, str]:
    """The page's strings in ``language`` (English for what a catalogue lacks)."""
    if language not in _STRINGS:
        base = json.loads((STATIC / "i18n" / "en.json").read_text(encoding="utf-8"))
        path = STATIC / "i18n" / f"{language.split('-')[0]}.json"
        if path.is_file() and language != "en":
            own = json.loads(path.read_text(encoding="utf-8"))
            base.update(own)
            for key in [k for k in base if k.endswith("_one")]:
                if key[:-4] in own and key not in own:  # its own plural, not English's
                    del base[key]
        _STRINGS[language] = base
    return _STRINGS[language]


def languages() -> list[str]:
    """Languages the participants' page is translated into."""
    return sorted(p.stem for p in (STATIC / "i18n").glob("*.json"))
