"""Fixtures for room tests: a real document, its owner thread, and an open room on
127.0.0.1 (loopback only)."""

from __future__ import annotations

import queue
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.model.document import Document
from app.room.limits import Limits
from app.room.room import Room, open_room


class Owner:
    """The document's owner thread (as the GUI thread or the headless loop is)."""

    def __init__(self) -> None:
        self.jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                return
            job()

    def post(self, job: Callable[[], None]) -> None:
        self.jobs.put(job)

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the owner thread and return its result (or raise its error)."""
        done = threading.Event()
        box: dict[str, Any] = {}

        def job() -> None:
            try:
                box["value"] = fn()
            except BaseException as err:  # carried to the caller
                box["error"] = err
            done.set()

        self.post(job)
        assert done.wait(30), "the owner thread did not answer"
        if "error" in box:
            raise box["error"]
        return box["value"]

    def stop(self) -> None:
        self.jobs.put(None)
        self.thread.join(10)


@dataclass
class RoomEnv:
    """An open room and its document."""

    path: Path
    owner: Owner
    doc: Document
    room: Room

    @property
    def url(self) -> str:
        return self.room.url

    def call(self, fn: Callable[[], Any]) -> Any:
        return self.owner.call(fn)

    def reopen(self, **kwargs: Any) -> None:
        """Close the room (tokens die) and open a fresh one on the same document (and, unless
        told otherwise, the same port)."""
        kwargs.setdefault("port", self.room.server.port)
        self.call(self.room.close)
        self.room = self.call(lambda: open_room(self.doc, self.owner.post, "127.0.0.1",
                                                **kwargs))


def free_port() -> int:
    """A port the system picks among its ephemeral ones (outside the rooms' 8765-8799).

    A room's default ports are shared by every process on the machine: the team's other
    test runs open rooms there too, and one of them would take the port a paused test room
    means to resume on (its pages would then never find it again, and a closed room's
    port would answer again). A port of the system's choosing is nobody else's default.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_room(path: Path, template: str = "sample", limits: Limits | None = None,
               **changes: Any) -> RoomEnv:
    owner = Owner()
    if not path.exists():
        owner.call(lambda: Document.create(path, template=template).close())
    doc = owner.call(lambda: Document.open(path))
    port = free_port()
    room = owner.call(lambda: open_room(doc, owner.post, "127.0.0.1", port=port,
                                        limits=limits))
    if changes:
        owner.call(lambda: room.host.update(**changes))
    return RoomEnv(path, owner, doc, room)


def stop_room(env: RoomEnv, *, close: bool = True) -> None:
    if close:
        env.call(env.room.close)
    else:
        env.call(env.room.stop_serving)
    env.call(env.doc.close)
    env.owner.stop()


@pytest.fixture(scope="session")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample map, made once (copies are cheap; creating it is not)."""
    path = tmp_path_factory.mktemp("room-sample") / "sample.cjm"
    Document.create(path, template="sample").close()
    return path


@pytest.fixture
def room_env(tmp_path: Path, sample_file: Path) -> Iterator[RoomEnv]:
    shutil.copyfile(sample_file, tmp_path / "workshop.cjm")
    env = start_room(tmp_path / "workshop.cjm")
    yield env
    stop_room(env)
