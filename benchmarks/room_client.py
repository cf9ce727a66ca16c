"""A simulated participant's page (aiohttp client), for the room's tests and load benchmark.

It behaves as ``app/room/static/room.js`` does: it joins (or says hello with its token),
keeps every contribution in an outbox until acknowledged, and after a reconnect sends the
outbox again with the same idempotency keys. Loopback addresses only.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp


@dataclass
class SimPage:
    """One participant's page."""

    base: str  # http://127.0.0.1:8765/r/<token>/
    name: str = ""
    local_address: str | None = None  # e.g. 127.0.0.7: its own "device" on the loopback
    origin: str | None = None  # the Origin header (default: the server's own)
    participant: str | None = None
    outbox: dict[str, dict[str, Any]] = field(default_factory=dict)
    sent_at: dict[str, float] = field(default_factory=dict)
    acked: dict[str, dict[str, Any]] = field(default_factory=dict)
    refused: dict[str, dict[str, Any]] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    welcome: dict[str, Any] | None = None
    closed_code: int | None = None
    _session: aiohttp.ClientSession | None = None
    _ws: aiohttp.ClientWebSocketResponse | None = None
    _reader: asyncio.Task[None] | None = None
    _acks: asyncio.Queue[str] = field(default_factory=asyncio.Queue)

    @property
    def ws_url(self) -> str:
        return self.base.replace("http://", "ws://") + "ws"

    @property
    def server_origin(self) -> str:
        return "/".join(self.base.split("/")[:3])

    async def connect(self) -> dict[str, Any]:
        """Open the socket, join or say hello, wait for the welcome; resend the outbox."""
        if self._session is None:
            connector = aiohttp.TCPConnector(
                local_addr=(self.local_address, 0) if self.local_address else None)
            self._session = aiohttp.ClientSession(connector=connector)
        self._ws = await self._session.ws_connect(
            self.ws_url, origin=self.origin or self.server_origin, max_msg_size=0,
            timeout=aiohttp.ClientWSTimeout(ws_close=2.0))
        if self.participant:
            await self._ws.send_str(json.dumps({"t": "hello", "participant": self.participant}))
        else:
            await self._ws.send_str(json.dumps({"t": "join", "name": self.name}))
        while True:
            msg = await asyncio.wait_for(self._ws.receive(), 15)
            if msg.type != aiohttp.WSMsgType.TEXT:
                self.closed_code = self._ws.close_code
                raise ConnectionError(f"closed before welcome ({self._ws.close_code})")
            data = json.loads(msg.data)
            if data["t"] == "joined":
                self.participant = data["participant"]
            elif data["t"] == "welcome":
                self.welcome = data
                break
            elif data["t"] == "error":
                raise ConnectionError(data["reason"])
        self._reader = asyncio.ensure_future(self._read())
        for _key, msg in list(self.outbox.items()):  # resend what was never acknowledged
            await self._ws.send_str(json.dumps(msg))
        return self.welcome

    async def _read(self) -> None:
        assert self._ws is not None
        async for msg in self._ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(msg.data)
            self.messages.append(data)
            if data["t"] == "ack":
                key = data["key"]
                if key in self.outbox:
                    self.outbox.pop(key)
                    self.latencies.append(time.perf_counter() - self.sent_at[key])
                self.acked[key] = data
                self._acks.put_nowait(key)
            elif data["t"] == "refused":
                key = data.get("key")
                if key and not data.get("later"):
                    self.outbox.pop(key, None)
                    self.refused[key] = data
                    self._acks.put_nowait(key)
        self.closed_code = self._ws.close_code

    async def send(self, msg: dict[str, Any]) -> str:
        """Send a contribution (a key is added); it stays in the outbox until acked."""
        key = msg.get("key") or secrets.token_hex(16)
        msg = {**msg, "key": key}
        self.outbox[key] = msg
        self.sent_at[key] = time.perf_counter()
        if self._ws is not None and not self._ws.closed:
            try:
                await self._ws.send_str(json.dumps(msg))
            except (ConnectionError, RuntimeError):
                pass
        return key

    async def send_raw(self, text: str) -> None:
        assert self._ws is not None
        await self._ws.send_str(text)

    async def wait_settled(self, timeout: float = 30.0) -> None:
        """Wait until nothing is left in the outbox."""
        end = time.monotonic() + timeout
        while self.outbox and time.monotonic() < end:
            try:
                await asyncio.wait_for(self._acks.get(), max(0.01, end - time.monotonic()))
            except TimeoutError:
                break

    def mark(self) -> int:
        """A place in the messages received so far, for :meth:`next_message`."""
        return len(self.messages)

    async def next_message(self, kind: str, timeout: float = 10.0, *, since: int | None = None,
                           where: Callable[[dict[str, Any]], bool] | None = None
                           ) -> dict[str, Any]:
        """The first message of type ``kind`` (and matching ``where``) received after
        ``since`` (a :meth:`mark` taken before the action that causes it; default now).

        Take the mark *before* the action: the server's map broadcast and its
        acknowledgement travel separately, so a view can arrive before the ack a caller
        waits for, and a search starting after the ack would miss it."""
        start = len(self.messages) if since is None else since
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for m in self.messages[start:]:
                if m["t"] == kind and (where is None or where(m)):
                    return m
            await asyncio.sleep(0.02)
        raise TimeoutError(f"no {kind!r} message")

    async def wait_closed(self, timeout: float = 30.0) -> int | None:
        """Wait (at most ``timeout`` s) until the server closes the socket; its close code."""
        if self._reader is not None and not self._reader.done():
            try:
                await asyncio.wait_for(asyncio.shield(self._reader), timeout)
            except TimeoutError:
                pass
        return self.closed_code

    async def drop(self) -> None:
        """Lose the connection (Wi-Fi gone), keeping the outbox."""
        if self._reader is not None:
            self._reader.cancel()
        if self._ws is not None:
            await self._ws.close()
        self._ws = None

    async def close(self) -> None:
        await self.drop()
        if self._session is not None:
            await self._session.close()
            self._session = None
