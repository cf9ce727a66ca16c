"""Hostile input to a room: each refused cleanly, with one readable line, and the document
unchanged (content and history)."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from app.room.limits import Limits
from benchmarks.room_client import SimPage
from tests.room.conftest import RoomEnv, start_room, stop_room

MARKUP = '<b>bold</b><script>alert(1)</script><img src=x onerror=alert(2)>&amp;'


def _snapshot(env: RoomEnv) -> tuple[str, int]:
    return env.doc.data.model_dump_json(), len(env.doc.history())


async def _http(url: str, method: str = "GET", **kw: Any) -> tuple[int, str, dict[str, str]]:
    async with aiohttp.ClientSession() as s, s.request(method, url, allow_redirects=False,
                                                         **kw) as r:
        return r.status, await r.text(), dict(r.headers)


def test_wrong_tokens_and_paths_reach_nothing(room_env: RoomEnv) -> None:
    env = room_env
    before = _snapshot(env)
    base = env.room.short_url
    token = env.room.host.session.token
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")

    async def go() -> list[int]:
        out = []
        for path in (f"r/{wrong}/", f"r/{wrong}/room.js", f"r/{wrong}/ws", "r/", "static/",
                     "../../etc/passwd", f"r/{token}/../../app/room/server.py",
                     f"r/{token}/strings.json", "workshop.cjm", "favicon.ico/x"):
            status, _, _ = await _http(base + path)
            out.append(status)
        return out

    statuses = asyncio.run(go())
    assert set(statuses) <= {404, 400}, statuses
    status, body, headers = asyncio.run(_http(env.url))
    assert status == 200
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "http" not in body.split("<body>")[1].replace("http-equiv", "")  # nothing external

    async def ws_wrong() -> str:
        page = SimPage(env.url.replace(token, wrong), name="x")
        try:
            await page.connect()
            return "connected"
        except aiohttp.WSServerHandshakeError as err:
            return str(err.status)
        finally:
            await page.close()

    assert asyncio.run(ws_wrong()) == "404"
    assert _snapshot(env) == before


def test_forged_participant_tokens_and_bad_hello(room_env: RoomEnv) -> None:
    env = room_env
    before = _snapshot(env)

    async def go() -> list[str]:
        out = []
        for token in ("A" * 32, "x", "", "../../" * 5):
            page = SimPage(env.url, participant=token or None, name="")
            page.participant = token
            try:
                await page.connect()
                out.append("connected")
            except (ConnectionError, aiohttp.ClientError) as err:
                out.append(str(err)[:40])
            finally:
                await page.close()
        return out

    results = asyncio.run(go())
    assert "connected" not in results[:1] and results[0] == "unknown participant"
    assert all(r != "connected" for r in results[1:2])
    assert _snapshot(env)[1] == before[1]


def test_cross_origin_websocket_and_foreign_host_are_refused(room_env: RoomEnv) -> None:
    env = room_env
    before = _snapshot(env)

    async def go() -> list[str]:
        out = []
        for origin in ("http://evil.example", "null", f"http://localhost:{env.room.server.port}x"):
            page = SimPage(env.url, name="x", origin=origin)
            try:
                await page.connect()
                out.append("connected")
            except aiohttp.WSServerHandshakeError as err:
                out.append(str(err.status))
            finally:
                await page.close()
        status, _, _ = await _http(env.url, headers={"Host": "attacker.example:80"})
        out.append(str(status))
        return out

    assert asyncio.run(go()) == ["403", "403", "403", "421"]
    assert _snapshot(env) == before


@pytest.mark.parametrize("message, reason", [
    ({"t": "add", "kind": "pain_point", "stage": 1, "title": "x" * 201}, "at most 200"),
    ({"t": "add", "kind": "pain_point", "stage": 1, "title": "ok", "body": "y" * 5001},
     "at most 5000"),
    ({"t": "add", "kind": "villain", "stage": 1, "title": "ok"}, "kind"),
    ({"t": "add", "kind": "note", "stage": 999999, "title": "ok"}, "not on the room's map"),
    ({"t": "add", "kind": "note", "stage": "1; DROP TABLE cards", "title": "ok"}, "stage"),
    ({"t": "add", "kind": "note", "stage": 1, "title": "   "}, "must not be empty"),
    ({"t": "add", "kind": "note", "stage": 1, "title": "ok", "author": "root"}, "author"),
    ({"t": "vote", "card": 999999}, "not on the room's map"),
    ({"t": "vote", "card": 1, "delta": 5}, "delta"),
    ({"t": "feel", "stage": 1, "score": 3}, "score"),
    ({"t": "feel", "stage": 1, "score": True}, "score"),
    ({"t": "hello", "participant": "A" * 32}, "already joined"),
])
def test_invalid_contributions_are_refused_and_change_nothing(
        room_env: RoomEnv, message: dict[str, Any], reason: str) -> None:
    env = room_env
    map_id = env.room.host.settings.map_id
    stage = env.doc.data.stages_of(map_id)[0].id
    for k in ("stage",):
        if message.get(k) == 1:
            message = {**message, k: stage}
    if message.get("card") == 1:
        message = {**message, "card": env.doc.data.cards_of(map_id)[0].id}

    async def go() -> dict[str, Any]:
        page = SimPage(env.url, name="Hostile")
        await page.connect()
        before = _snapshot(env)
        if message["t"] == "hello":
            mark = page.mark()
            await page.send_raw(json.dumps(message))
            answer = await page.next_message("refused", since=mark)
        else:
            key = await page.send(message)
            await page.wait_settled()
            answer = page.refused[key]
        after = _snapshot(env)
        await page.close()
        assert after == before
        return answer

    answer = asyncio.run(go())
    assert reason in answer["reason"] and "\n" not in answer["reason"]


def test_markup_in_every_field_is_stored_and_sent_back_literally(room_env: RoomEnv) -> None:
    env = room_env
    stage = env.doc.data.stages_of(env.room.host.settings.map_id)[0].id

    async def go() -> dict[str, Any]:
        page = SimPage(env.url, name=MARKUP[:40])
        await page.connect()
        mark = page.mark()
        await page.send({"t": "add", "kind": "note", "stage": stage, "title": MARKUP,
                         "body": MARKUP * 3})
        await page.wait_settled()
        # the map with the card (it may come before or after the ack)
        view = await page.next_message(
            "view", 30, since=mark, where=lambda m: any(c["title"] == MARKUP for c in m["cards"]))
        await page.close()
        return view

    view = asyncio.run(go())
    card = next(c for c in env.doc.data.cards.values() if c.title == MARKUP)
    assert card.body == MARKUP * 3
    assert any(c["title"] == MARKUP for c in view["cards"])  # JSON text, never HTML
    assert env.doc.history()[-1].label.endswith(f"— from {MARKUP[:40]}")


def test_oversized_frames_binary_and_garbage_close_or_refuse(room_env: RoomEnv) -> None:
    env = room_env
    before = _snapshot(env)

    async def go() -> tuple[int | None, list[str]]:
        page = SimPage(env.url, name="Big")
        await page.connect()
        reasons = []
        for raw in ("not json", "[1,2]", '{"t": "add"}', '{"t": 5}', "{" * 5000):
            mark = page.mark()
            await page.send_raw(raw)
            reasons.append((await page.next_message("refused", since=mark))["reason"])
        await page.send_raw(json.dumps({"t": "add", "key": "k" * 16, "title": "z" * 40_000}))
        code = await page.wait_closed()
        await page.close()
        return code, reasons

    code, reasons = asyncio.run(go())
    assert code == 1009  # message too big: the socket is closed
    assert reasons[0] == "the message is not JSON" and reasons[1] == "the message is not a JSON object"
    assert all("\n" not in r for r in reasons)
    assert _snapshot(env) == before


def test_floods_beyond_the_rate_limits_are_refused_then_cut_off(tmp_path: Path) -> None:
    env = start_room(tmp_path / "flood.cjm", limits=Limits(participant_burst=10,
                                                           participant_rate=1.0, max_refusals=20))
    try:
        stage = env.doc.data.stages_of(env.room.host.settings.map_id)[0].id

        async def go() -> tuple[SimPage, int | None, float]:
            page = SimPage(env.url, name="Flood")
            await page.connect()
            start = time.monotonic()
            for i in range(200):
                await page.send({"t": "add", "kind": "note", "stage": stage,
                                 "title": f"spam {i}"})
            code = await page.wait_closed(60)
            elapsed = time.monotonic() - start
            await page.close()
            return page, code, elapsed

        page, code, elapsed = asyncio.run(go())
        landed = [c.title for c in env.doc.data.cards.values() if c.title.startswith("spam ")]
        later = [m for m in page.messages if m["t"] == "refused" and m.get("later")]
        assert code == 4003  # cut off after too many refusals
        # the burst, and what refilled at 1 a second while it lasted (a loaded machine
        # takes longer to send the flood; the rate is the limit, not the wall clock)
        assert 10 <= len(landed) <= 10 + int(elapsed * 1.0) + 1, (len(landed), elapsed)
        assert later and later[0]["reason"].startswith("too fast")
        assert len(landed) == len(set(landed)) == len(page.acked)  # acked = landed, once each
    finally:
        stop_room(env)


def _csrf(html: str) -> str:
    return html.split('name="csrf" value="')[1].split('"')[0]


def _jar() -> aiohttp.CookieJar:
    return aiohttp.CookieJar(unsafe=True)  # browsers keep cookies of IP-address hosts too


def test_joins_and_wrong_codes_are_limited_per_address(room_env: RoomEnv) -> None:
    env = room_env
    base = env.room.short_url

    async def go() -> list[int]:
        async with aiohttp.ClientSession(cookie_jar=_jar()) as s:
            async with s.get(base) as r:
                csrf = _csrf(await r.text())
            out = []
            for code in ["AAAA-AAAA"] * 6 + [env.room.code]:
                async with s.post(base + "join", data={"csrf": csrf, "code": code},
                                  allow_redirects=False) as r:
                    out.append(r.status)
                    csrf = _csrf(await r.text())  # each answer carries a fresh form
            async with s.post(base + "join", data={"csrf": "forged", "code": env.room.code},
                              allow_redirects=False) as r:
                out.append(r.status)
            return out

    statuses = asyncio.run(go())
    assert statuses[:5] == [403] * 5 and statuses[5] == 429  # 5 wrong codes a minute
    assert statuses[6] == 429  # even the right code waits, so it cannot be searched
    assert statuses[7] == 403  # a form without the matching cookie (CSRF)


def test_the_right_code_leads_to_the_room(room_env: RoomEnv) -> None:
    env = room_env

    async def go() -> tuple[int, str, int]:
        async with aiohttp.ClientSession(cookie_jar=_jar()) as s:
            async with s.get(env.room.short_url) as r:
                csrf = _csrf(await r.text())
            typed = env.room.code.lower().replace("-", " ")
            async with s.post(env.room.short_url + "join", data={"csrf": csrf, "code": typed},
                              headers={"Origin": "http://evil.example"},
                              allow_redirects=False) as r:
                cross = r.status
            async with s.post(env.room.short_url + "join", data={"csrf": csrf, "code": typed},
                              allow_redirects=False) as r:
                return r.status, r.headers.get("Location", ""), cross

    status, where, cross = asyncio.run(go())
    assert cross == 403  # a form posted from another site
    assert status == 303 and env.url.endswith(where)


def test_a_closed_room_refuses_everything(tmp_path: Path) -> None:
    env = start_room(tmp_path / "closed.cjm")
    page = SimPage(env.url, name="Late")

    async def go() -> tuple[list[str], tuple[str, int], tuple[str, int], int | None]:
        await page.connect()
        before = _snapshot(env)
        env.call(env.room.close)
        code = await page.wait_closed()
        out = []
        try:
            await page.drop()
            await page.connect()
            out.append("connected")
        except (aiohttp.ClientError, ConnectionError) as err:
            out.append(type(err).__name__)
        await page.close()
        return out, before, _snapshot(env), code

    results, before, after, code = asyncio.run(go())
    assert code == 4000  # pages hear the room closed
    assert results == ["ClientConnectorError"]  # nothing listens any more
    assert after == before
    assert env.call(lambda: env.room.host.hello(page.participant or "")) is None
    stored = env.call(lambda: env.doc.read_side(
        lambda c: c.exec_driver_sql("SELECT count(*) FROM room_participants "
                                    "WHERE token_hash IS NOT NULL").scalar()))
    assert stored == 0  # every token died with the room
    env.call(env.doc.close)
    env.owner.stop()
