"""A room end to end over real WebSockets on 127.0.0.1: join, ideas, dots, feelings, the
facilitator's controls, and each accepted contribution as one undo step naming its
participant."""

from __future__ import annotations

import asyncio
from typing import Any

from benchmarks.room_client import SimPage
from tests.room.conftest import RoomEnv


def _cells(env: RoomEnv) -> tuple[int, list[Any], list[Any]]:
    data = env.doc.data
    map_id = env.room.host.settings.map_id
    return map_id, data.stages_of(map_id), data.lanes_of(map_id)


def _titles(env: RoomEnv) -> list[str]:
    return [c.title for c in env.doc.data.cards.values()]


def test_join_add_vote_feel_land_in_the_document_naming_the_participant(room_env: RoomEnv) -> None:
    env = room_env
    map_id, stages, _lanes = _cells(env)
    before_steps = len(env.doc.history())

    async def go() -> SimPage:
        page = SimPage(env.url, name="Aiko 相田")
        welcome = await page.connect()
        assert welcome["me"]["name"] == "Aiko 相田"
        assert welcome["view"]["map"]["id"] == map_id
        assert welcome["room"]["fingerprint"] == env.room.fingerprint
        await page.send({"t": "add", "kind": "pain_point", "stage": stages[2].id,
                         "title": "queue at pick-up was 40 min!", "body": "nobody said why"})
        await page.wait_settled()
        added = next(v for v in page.acked.values() if v["status"] == "added")
        await page.send({"t": "vote", "card": added["card"]})
        await page.send({"t": "feel", "stage": stages[2].id, "score": -2})
        await page.wait_settled()
        await page.close()
        return page

    page = asyncio.run(go())
    assert not page.refused
    data = env.doc.data
    card = next(c for c in data.cards.values() if c.title == "queue at pick-up was 40 min!")
    assert card.stage_id == stages[2].id and card.body == "nobody said why"
    assert card.kind.value == "pain_point"
    assert data.lanes[card.lane_id].kind.value == "pain_points"  # the kind's own lane
    assert card.votes == 1
    assert [d.card_id for d in data.dots.values()] == [card.id]
    assert [v.name for v in data.voters.values()] == ["Aiko 相田"]  # the workshop's voter
    assert [(f.stage_id, f.score) for f in data.feelings.values()] == [(stages[2].id, -2)]
    steps = env.doc.history()[before_steps:]
    assert [s.label for s in steps] == [
        "Add card 'queue at pick-up was 40 min!' — from Aiko 相田",
        "Vote for 'queue at pick-up was 40 min!' — from Aiko 相田",
        f"Feeling about '{stages[2].name}': -2 — from Aiko 相田",
    ]
    env.call(env.doc.undo)  # one undo step each: the feeling goes, the rest stays
    assert not env.doc.data.feelings and env.doc.data.cards[card.id].votes == 1


def test_a_retried_key_lands_once_and_gets_the_same_answer(room_env: RoomEnv) -> None:
    env = room_env
    _, stages, _ = _cells(env)

    async def go() -> list[dict[str, Any]]:
        page = SimPage(env.url, name="Ben")
        await page.connect()
        msg = {"t": "add", "key": "retry-key-000001", "kind": "opportunity",
               "stage": stages[0].id, "title": "show stock per store"}
        await page.send(msg)
        await page.wait_settled()
        await page.drop()  # Wi-Fi drops; the page sends it again after reconnecting
        page.outbox["retry-key-000001"] = msg
        await page.connect()
        await page.wait_settled()
        await page.close()
        return [m for m in page.messages if m["t"] == "ack"]

    acks = asyncio.run(go())
    assert len(acks) == 2 and acks[0]["card"] == acks[1]["card"] and acks[1]["again"]
    assert _titles(env).count("show stock per store") == 1


def test_inbox_mode_accept_edit_merge_and_discard(room_env: RoomEnv) -> None:
    env = room_env
    _, stages, _ = _cells(env)
    env.call(lambda: env.room.host.update(mode="inbox"))
    cards_before = len(env.doc.data.cards)

    async def go() -> SimPage:
        page = SimPage(env.url, name="Chiara")
        await page.connect()
        for title in ("price only at checkout", "no parking near store", "duplicate idea"):
            await page.send({"t": "add", "kind": "pain_point", "stage": stages[1].id,
                             "title": title})
        await page.wait_settled()
        await page.close()
        return page

    page = asyncio.run(go())
    assert {a["status"] for a in page.acked.values()} == {"pending"}
    assert len(env.doc.data.cards) == cards_before  # nothing on the map yet
    items = env.call(env.room.host.inbox)
    assert [i.idea["title"] for i in items] == ["price only at checkout",
                                                "no parking near store", "duplicate idea"]
    card_id = env.call(lambda: env.room.host.accept(items[0].id, title="price shown too late"))
    env.call(lambda: env.room.host.merge(items[2].id, card_id))
    env.call(lambda: env.room.host.discard(items[1].id))
    card = env.doc.data.cards[card_id]
    assert card.title == "price shown too late"
    assert card.body == "+ duplicate idea (Chiara)"
    assert env.call(env.room.host.inbox) == []
    labels = [s.label for s in env.doc.history()[-2:]]
    assert labels == ["Add card 'price shown too late' — from Chiara",
                      "Merge an idea into 'price shown too late' — from Chiara"]
    me = env.call(lambda: env.room.host.me(1))
    assert [i["status"] for i in me["ideas"]] == ["merged", "discarded", "accepted"]


def test_silent_brainstorm_holds_ideas_until_the_reveal(room_env: RoomEnv) -> None:
    env = room_env
    _, stages, _ = _cells(env)
    env.call(lambda: env.room.host.update(silent=True))
    before = len(env.doc.data.cards)

    async def go() -> tuple[SimPage, SimPage]:
        a, b = SimPage(env.url, name="Dana"), SimPage(env.url, name="Eli")
        await a.connect()
        await b.connect()
        await a.send({"t": "add", "kind": "thought", "stage": stages[0].id,
                      "title": "is the e-bike tax-deductible?"})
        await b.send({"t": "add", "kind": "thought", "stage": stages[0].id,
                      "title": "حجم الإطار غير واضح"})
        await a.wait_settled()
        await b.wait_settled()
        return a, b

    ideas = {"is the e-bike tax-deductible?", "حجم الإطار غير واضح"}

    async def finish(a: SimPage, b: SimPage, mark: int) -> dict[str, Any]:
        # a view sent before the reveal may still be on its way: wait for the revealed one
        view = await a.next_message("view", 30, since=mark, where=lambda m: ideas <= {
            c["title"] for c in m["cards"]})
        await a.close()
        await b.close()
        return view

    loop = asyncio.new_event_loop()
    a, b = loop.run_until_complete(go())
    assert {x["status"] for x in a.acked.values()} == {"held"}
    assert len(env.doc.data.cards) == before  # hidden from everyone, projector included
    mark = a.mark()
    assert env.call(env.room.host.reveal) == 2
    view = loop.run_until_complete(finish(a, b, mark))
    loop.close()
    titles = {c["title"] for c in view["cards"]}
    assert ideas <= titles
    assert not env.room.host.settings.silent
    labels = [s.label for s in env.doc.history()[-2:]]
    assert labels == ["Add card 'is the e-bike tax-deductible?' — from Dana",
                      "Add card 'حجم الإطار غير واضح' — from Eli"]


def test_budget_limit_and_locks_are_kept(room_env: RoomEnv) -> None:
    env = room_env
    _, stages, _ = _cells(env)
    env.call(lambda: env.room.host.update(budget=2, idea_limit=1))
    card_ids = sorted(c.id for c in env.doc.data.cards.values()
                      if c.map_id == env.room.host.settings.map_id)[:3]

    async def go() -> SimPage:
        page = SimPage(env.url, name="Farid")
        await page.connect()
        for cid in card_ids:
            await page.send({"t": "vote", "card": cid})
        await page.send({"t": "add", "kind": "note", "stage": stages[0].id, "title": "one"})
        await page.send({"t": "add", "kind": "note", "stage": stages[0].id, "title": "two"})
        await page.wait_settled()
        env.call(lambda: env.room.host.update(voting_open=False, feelings_open=False))
        await page.send({"t": "vote", "card": card_ids[0], "delta": -1})
        await page.send({"t": "feel", "stage": stages[0].id, "score": 1})
        await page.wait_settled()
        await page.close()
        return page

    page = asyncio.run(go())
    reasons = sorted(r["reason"] for r in page.refused.values())
    assert reasons == ["feelings are paused by the facilitator",
                       "no dots left: you have placed all 2",
                       "voting is paused by the facilitator",
                       "you have given your 1 ideas for this round"]
    assert len(env.doc.data.dots) == 2
    assert "one" in _titles(env) and "two" not in _titles(env)


def test_removed_participant_and_closed_room_lose_their_tokens(room_env: RoomEnv) -> None:
    env = room_env
    _, _stages, _ = _cells(env)

    async def go() -> tuple[SimPage, int | None, str]:
        page = SimPage(env.url, name="Gus")
        await page.connect()
        pid = page.welcome["me"]["id"]
        env.call(lambda: env.room.host.remove(pid))
        code = await page.wait_closed()
        await page.drop()
        try:
            await page.connect()
            again = "connected"
        except ConnectionError as err:
            again = str(err)
        await page.close()
        return page, code, again

    _page, code, again = asyncio.run(go())
    assert code == 4001 and again == "unknown participant"
    names = {p.name: p.removed for p in env.call(env.room.host.people)}
    assert names == {"Gus": True}
    old_url = env.url
    env.reopen()
    assert env.url != old_url  # a new room, a new token

    async def old_token() -> str:
        page2 = SimPage(old_url, name="Gus again")
        try:
            await page2.connect()
            return "connected"
        except Exception as err:  # the old room's address answers 404 now
            return type(err).__name__
        finally:
            await page2.close()

    assert asyncio.run(old_token()) == "WSServerHandshakeError"
