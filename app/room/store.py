"""The room's rows outside the undo history: participants, receipts, the inbox, and the
session and settings (``meta`` keys ``room.session`` and ``room.settings``).

Every function takes the document's connection; writers run inside
:meth:`Document.write_side` or a command's transaction (:meth:`Document.execute`'s
``record``), so they are durable when the caller answers the participant.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, func, insert, literal_column, select, update
from sqlalchemy.engine import Connection

from app.model import tables
from app.model.history import now, write_meta
from app.room.settings import RoomSettings, Session

P, R, I = tables.room_participants, tables.room_receipts, tables.room_inbox  # noqa: E741
V = tables.room_voters
_PUT_RECEIPT = insert(R)  # executed with parameters (put_receipt)


@dataclass(frozen=True)
class Participant:
    """Someone in the room."""

    id: int
    name: str
    removed: bool


@dataclass(frozen=True)
class InboxItem:
    """An idea waiting for the facilitator or the reveal."""

    id: int
    participant_id: int
    map_id: int
    idea: dict[str, Any]
    status: str
    card_id: int | None
    created: str


# ------------------------------------------------------------------ meta
def _meta(conn: Connection, key: str) -> str | None:
    return conn.execute(select(tables.meta.c.value).where(tables.meta.c.key == key)).scalar()


def load_settings(conn: Connection) -> RoomSettings:
    """The stored settings (defaults when none or unreadable)."""
    raw = _meta(conn, "room.settings")
    try:
        return RoomSettings.model_validate_json(raw) if raw else RoomSettings()
    except ValidationError:
        return RoomSettings()


def save_settings(conn: Connection, settings: RoomSettings) -> None:
    """Store the settings."""
    write_meta(conn, {"room.settings": settings.model_dump_json()})


def load_session(conn: Connection) -> Session | None:
    """The open or interrupted room, if any."""
    raw = _meta(conn, "room.session")
    try:
        return Session.model_validate_json(raw) if raw else None
    except ValidationError:
        return None


def save_session(conn: Connection, session: Session) -> None:
    """Remember the room (so it can be resumed after a crash)."""
    write_meta(conn, {"room.session": session.model_dump_json()})


def end_session(conn: Connection) -> None:
    """Close the room: forget its secrets and every participant's token."""
    conn.execute(delete(tables.meta).where(tables.meta.c.key == "room.session"))
    conn.execute(update(P).values(token_hash=None))


# ------------------------------------------------------------ participants
def add_participant(conn: Connection, name: str, token_hash: str) -> Participant:
    """A new participant row."""
    new_id = (conn.execute(select(func.max(P.c.id))).scalar() or 0) + 1
    conn.execute(insert(P).values(id=new_id, name=name, token_hash=token_hash, joined=now(),
                                  removed=False))
    return Participant(new_id, name, False)


def participant_by_token(conn: Connection, token_hash: str) -> Participant | None:
    """The live participant holding this token."""
    row = conn.execute(select(P.c.id, P.c.name, P.c.removed)
                       .where(P.c.token_hash == token_hash)).first()
    if row is None or row.removed:
        return None
    return Participant(int(row.id), str(row.name), bool(row.removed))


def participants(conn: Connection) -> dict[int, Participant]:
    """Every participant who ever joined this document's rooms, by id."""
    rows = conn.execute(select(P.c.id, P.c.name, P.c.removed).order_by(P.c.id))
    return {int(r.id): Participant(int(r.id), str(r.name), bool(r.removed)) for r in rows}


def remove_participant(conn: Connection, participant_id: int) -> None:
    """Remove someone: their token dies; what they contributed stays."""
    conn.execute(update(P).where(P.c.id == participant_id).values(removed=True, token_hash=None))


def count_anonymous(conn: Connection, prefix: str) -> int:
    """How many names start with ``prefix`` (to number anonymous participants)."""
    return int(conn.execute(select(func.count()).select_from(P)
                            .where(P.c.name.like(f"{prefix}%"))).scalar() or 0)


# ---------------------------------------------------------------- receipts
def receipt(conn: Connection, participant_id: int, key: str) -> dict[str, Any] | None:
    """The answer already given to this idempotency key, or None."""
    raw = conn.execute(select(R.c.result).where(R.c.participant_id == participant_id,
                                                R.c.key == key)).scalar()
    return json.loads(raw) if raw else None


def put_receipt(conn: Connection, participant_id: int, key: str, kind: str,
                result: dict[str, Any]) -> None:
    """Record the answer to an idempotency key (in the contribution's transaction)."""
    # one statement object with parameters, not .values(...): SQLAlchemy then reuses the
    # compiled statement instead of keying a new one (a third of a room contribution's cost)
    conn.execute(_PUT_RECEIPT, {"participant_id": participant_id, "key": key, "kind": kind,
                                "result": json.dumps(result, ensure_ascii=False),
                                "created": now()})


def all_receipts(conn: Connection) -> dict[tuple[int, str], dict[str, Any]]:
    """Every receipt, by (participant id, key) (the host keeps them in memory)."""
    rows = conn.execute(select(R.c.participant_id, R.c.key, R.c.result)
                        .order_by(literal_column("rowid")))
    return {(int(r.participant_id), str(r.key)): json.loads(r.result) for r in rows}


def ideas_by(conn: Connection) -> dict[int, int]:
    """How many ideas each participant has given (for the per-participant limit)."""
    rows = conn.execute(select(R.c.participant_id, func.count()).where(R.c.kind == "add")
                        .group_by(R.c.participant_id))
    return {int(pid): int(n) for pid, n in rows}


# ------------------------------------------------------------------- inbox
def add_inbox(conn: Connection, participant_id: int, map_id: int, idea: dict[str, Any],
              status: str) -> int:
    """File an idea in the inbox (``pending``) or hold it for the reveal (``held``)."""
    new_id = (conn.execute(select(func.max(I.c.id))).scalar() or 0) + 1
    conn.execute(insert(I).values(id=new_id, participant_id=participant_id, map_id=map_id,
                                  payload=json.dumps(idea, ensure_ascii=False), status=status,
                                  card_id=None, created=now()))
    return new_id


def inbox(conn: Connection, statuses: tuple[str, ...] = ("pending", "held")) -> list[InboxItem]:
    """Inbox items with these statuses, oldest first."""
    rows = conn.execute(select(I).where(I.c.status.in_(statuses)).order_by(I.c.id))
    return [InboxItem(int(r.id), int(r.participant_id), int(r.map_id), json.loads(r.payload),
                      str(r.status), r.card_id, str(r.created)) for r in rows]


def inbox_item(conn: Connection, item_id: int) -> InboxItem | None:
    """One inbox item."""
    r = conn.execute(select(I).where(I.c.id == item_id)).first()
    if r is None:
        return None
    return InboxItem(int(r.id), int(r.participant_id), int(r.map_id), json.loads(r.payload),
                     str(r.status), r.card_id, str(r.created))


def settle_inbox(conn: Connection, item_id: int, status: str, card_id: int | None) -> None:
    """Mark an inbox item accepted, merged or discarded."""
    conn.execute(update(I).where(I.c.id == item_id).values(status=status, card_id=card_id))


def inbox_people(conn: Connection) -> set[int]:
    """The participants who ever filed an idea in the inbox (items are never deleted)."""
    return {int(r[0]) for r in conn.execute(select(I.c.participant_id).distinct())}


def my_inbox(conn: Connection, participant_id: int, limit: int = 60) -> list[InboxItem]:
    """A participant's own recent inbox items (their 'my ideas' list)."""
    rows = conn.execute(select(I).where(I.c.participant_id == participant_id)
                        .order_by(I.c.id.desc()).limit(limit))
    return [InboxItem(int(r.id), int(r.participant_id), int(r.map_id), json.loads(r.payload),
                      str(r.status), r.card_id, str(r.created)) for r in rows]


# ------------------------------------------------------------------ voters
def room_voters(conn: Connection) -> dict[int, list[int]]:
    """participant id -> the voters (app.model.voting) that placed their dots."""
    out: dict[int, list[int]] = {}
    for r in conn.execute(select(V.c.voter_id, V.c.participant_id).order_by(V.c.voter_id)):
        out.setdefault(int(r.participant_id), []).append(int(r.voter_id))
    return out


def add_room_voter(conn: Connection, voter_id: int, participant_id: int) -> None:
    """Remember that ``voter_id`` places ``participant_id``'s dots."""
    conn.execute(insert(V).prefix_with("OR IGNORE").values(voter_id=voter_id,
                                                           participant_id=participant_id))
