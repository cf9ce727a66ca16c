"""kill -9 of the facilitator's Waymark (the headless ``waymark room``) in the middle of a
burst of ideas: every acknowledged idea is in the reopened file exactly once, and the
pages resend the rest when the room is opened again (it resumes at the same address)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from app.model.document import Document
from benchmarks.room_client import SimPage
from tests.room.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


def _start(path: Path, port: int | None = None) -> tuple[subprocess.Popen[str], dict]:
    args = [sys.executable, "-m", "app", "room", str(path), "--address", "127.0.0.1", "--json"]
    if port:
        args += ["--port", str(port)]
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.strip(), child.stderr.read() if child.stderr else "no output"
    return child, json.loads(line)


def test_kill_nine_mid_burst_keeps_every_acknowledged_idea_and_pages_resend_the_rest(
        tmp_path: Path, sample_file: Path) -> None:
    path = tmp_path / "crash.cjm"
    shutil.copyfile(sample_file, path)
    with Document.open(path) as doc:
        m = doc.data.ordered_maps()[0]
        stage_ids = [s.id for s in doc.data.stages_of(m.id)]
    child, info = _start(path, free_port())  # a port no other test run will take
    pages = [SimPage(info["url"], name=f"Person {i}", local_address=f"127.0.0.{i + 2}")
             for i in range(8)]
    titles: dict[str, str] = {}

    async def burst() -> None:
        for page in pages:
            await page.connect()
        for n in range(25):  # 200 ideas sent at once, as after a silent brainstorm
            for i, page in enumerate(pages):
                title = f"p{i} idée {n}: wait > 10 min?"
                key = await page.send({"t": "add", "kind": "pain_point",
                                       "stage": stage_ids[n % len(stage_ids)], "title": title})
                titles[key] = title
        for _ in range(2000):
            if sum(len(p.acked) for p in pages) >= 40:
                break
            await asyncio.sleep(0.005)
        child.send_signal(signal.SIGKILL)  # mid-burst: many ideas still in flight
        child.wait(10)
        await asyncio.sleep(0.3)
        for page in pages:
            await page.drop()

    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(burst())
        acked = {k for p in pages for k in p.acked}
        pending = {k for p in pages for k in p.outbox}
        assert acked and pending, (len(acked), len(pending))  # the kill fell mid-burst
        with Document.open(path) as doc:  # as the facilitator reopens it
            on_map = [c.title for c in doc.data.cards.values()]
        for key in acked:
            assert on_map.count(titles[key]) == 1, titles[key]  # acknowledged: there, once

        child, again = _start(path)  # Workshop > Open room again: the same room resumes
        assert again["resumed"] and again["url"] == info["url"]

        async def resend() -> None:
            for page in pages:
                await page.connect()  # the page reconnects and resends its outbox
            for page in pages:
                await page.wait_settled(30)
            for page in pages:
                await page.close()

        loop.run_until_complete(resend())
        assert not any(p.outbox for p in pages)
        child.send_signal(signal.SIGTERM)  # Ctrl+C: the room closes cleanly
        child.wait(10)
        assert child.returncode == 0
    finally:
        loop.close()
        if child.poll() is None:
            child.kill()
    with Document.open(path) as doc:
        on_map = [c.title for c in doc.data.cards.values()]
        authors = {c.author for c in doc.data.cards.values() if c.title in titles.values()}
    sent = set(titles.values())
    assert {t for t in on_map if t in sent} == sent  # nothing lost
    assert all(on_map.count(t) == 1 for t in sent)  # nothing twice
    assert authors == {f"Person {i}" for i in range(8)}
