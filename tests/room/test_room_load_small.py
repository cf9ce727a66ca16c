"""A small, bounded version of the room load benchmark (benchmarks/room_load.py): 12
simulated participants on their own loopback addresses add 5 ideas and 3 dots each at
once; every acknowledged contribution is in the document exactly once. Not timed."""

from __future__ import annotations

import asyncio
from collections import Counter

from benchmarks.room_client import SimPage
from tests.room.conftest import RoomEnv


def test_a_dozen_participants_at_once_land_exactly_once(room_env: RoomEnv) -> None:
    env = room_env
    map_id = env.room.host.settings.map_id
    stages = [s.id for s in env.doc.data.stages_of(map_id)]
    cards = [c.id for c in env.doc.data.cards_of(map_id)][:3]
    votes_before = {c: env.doc.data.cards[c].votes for c in cards}
    pages = [SimPage(env.url, name=f"P{i}", local_address=f"127.0.0.{i + 2}") for i in range(12)]
    titles: dict[str, str] = {}

    async def one(i: int, page: SimPage) -> None:
        await page.connect()
        for n in range(5):
            t = f"P{i} #{n}: 等待太久 / queue"
            titles[await page.send({"t": "add", "kind": "pain_point",
                                    "stage": stages[n % len(stages)], "title": t})] = t
        for card in cards:
            await page.send({"t": "vote", "card": card})
        await page.wait_settled(60)
        await page.close()

    async def go() -> None:
        await asyncio.gather(*(one(i, p) for i, p in enumerate(pages)))

    asyncio.run(go())
    assert not any(p.outbox or p.refused for p in pages)
    on_map = Counter(c.title for c in env.doc.data.cards.values())
    assert all(on_map[t] == 1 for t in titles.values()) and len(titles) == 60
    for c in cards:
        assert env.doc.data.cards[c].votes == votes_before[c] + 12
    assert len(env.doc.data.dots) == 36 and len(env.doc.data.voters) == 12
