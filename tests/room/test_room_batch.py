"""The room's owner runs a slice of contributions as one transaction (Document.batch):
each is answered only once that transaction is on disk, and when it fails, every one of
them is refused "later", the room forgets their receipts, and the pages' resends land
exactly once."""

from __future__ import annotations

import contextlib
from pathlib import Path

from app.errors import DiskFullError
from app.model.document import Document
from app.model.history import now
from app.room import tokens
from app.room.host import Refused, RoomHost
from app.room.protocol import AddIdea, parse
from app.room.settings import Mode, Session
from tests.made import new_document


def _host(tmp_path: Path) -> tuple[Document, RoomHost, int]:
    doc = new_document(tmp_path / "room.cjm", "sample")
    session = Session(token=tokens.new_room_token(), code=tokens.new_code(),
                      address="127.0.0.1", port=8765, opened=now())
    host = RoomHost(doc, session)
    return doc, host, doc.data.stages_of(host.settings.map_id)[0].id


def _idea(key: str, stage: int, title: str, body: str = "") -> AddIdea:
    item = parse(f'{{"t": "add", "key": "{key}", "kind": "pain_point", "stage": {stage}, '
                 f'"title": "{title}", "body": "{body}"}}')
    assert isinstance(item, AddIdea)
    return item


def _titles(doc: Document) -> list[str]:
    return [c.title for c in doc.data.cards.values()]


def test_a_slice_is_answered_once_it_is_on_disk(tmp_path: Path) -> None:
    doc, host, stage = _host(tmp_path)
    aiko = host.join("Aiko").participant.id
    ben = host.join("Ben").participant.id
    answers: list[object] = []
    with doc.batch():
        for pid, key, title in ((aiko, "key-aiko-01", "queue at the till"),
                                (ben, "key-ben-0001", "no price tags"),
                                (aiko, "key-aiko-02", "الدفع بطيء")):
            assert host.contribute(pid, _idea(key, stage, title))["status"] == "added"
            host.durable(answers.append)
        assert answers == []  # not on disk yet: no page hears "ack"
    assert answers == [None, None, None]
    doc.close()
    with Document.open(tmp_path / "room.cjm") as again:
        for title in ("queue at the till", "no price tags", "الدفع بطيء"):
            assert _titles(again).count(title) == 1
        labels = [s.label for s in again.history()[-3:]]
        assert "Aiko" in labels[0] and "Ben" in labels[1] and "Aiko" in labels[2]


def test_a_failed_slice_is_refused_later_and_its_resends_land_once(tmp_path: Path) -> None:
    doc, host, stage = _host(tmp_path)
    aiko = host.join("Aiko").participant.id
    before = _titles(doc)
    answers: list[object] = []
    raw = doc._conn.connection.dbapi_connection  # test-only: simulate a full disk
    with contextlib.suppress(DiskFullError), doc.batch():
        host.contribute(aiko, _idea("key-aiko-01", stage, "first idea"))
        host.durable(answers.append)
        pages = raw.execute("PRAGMA page_count").fetchone()[0]
        raw.execute(f"PRAGMA max_page_count={pages}")
        try:
            host.contribute(aiko, _idea("key-aiko-02", stage, "second idea", "z" * 4900))
            host.durable(answers.append)
        except Refused as err:
            assert err.later
    raw.execute("PRAGMA max_page_count=1073741823")
    assert answers and all(isinstance(a, Refused) and a.later for a in answers)
    assert _titles(doc) == before  # memory matches the file: nothing of the slice
    # the page resends what was not acknowledged, with the same keys
    with doc.batch():
        first = host.contribute(aiko, _idea("key-aiko-01", stage, "first idea"))
        second = host.contribute(aiko, _idea("key-aiko-02", stage, "second idea"))
        host.durable(answers.append)
    assert answers[-1] is None
    assert "again" not in first and "again" not in second  # applied, not answered from memory
    assert host.contribute(aiko, _idea("key-aiko-01", stage, "first idea")).get("again")
    assert _titles(doc).count("first idea") == 1 and _titles(doc).count("second idea") == 1
    assert host.me(aiko)["idea_count"] == 2
    doc.close()
    with Document.open(tmp_path / "room.cjm") as again:
        assert _titles(again).count("first idea") == 1
        assert _titles(again).count("second idea") == 1


def test_my_ideas_keep_their_inbox_status_in_a_room_opened_again(tmp_path: Path) -> None:
    doc, host, stage = _host(tmp_path)
    aiko = host.join("Aiko").participant.id
    ben = host.join("Ben").participant.id
    host.update(mode=Mode.INBOX)
    host.contribute(aiko, _idea("key-aiko-01", stage, "wait for the lift"))
    host.update(mode=Mode.DIRECT)
    host.contribute(ben, _idea("key-ben-0001", stage, "signs too small"))
    again = RoomHost(doc, host.session)  # the room resumed on the same file
    assert [i["status"] for i in again.me(aiko)["ideas"]] == ["pending"]
    assert [i["status"] for i in again.me(ben)["ideas"]] == ["added"]
    item = again.inbox()[0]
    again.accept(item.id)
    assert [i["status"] for i in again.me(aiko)["ideas"]] == ["accepted"]
    doc.close()
