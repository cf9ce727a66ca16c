"""The messages between a participant's page and the room, validated with the model's
own rules (a title is a card :data:`~app.model.schema.Title`, a body a ``LongText``, a
kind a :class:`~app.model.schema.CardKind`), so the room accepts exactly what the editor
and every import accept, and refuses the rest with one readable line.

Every message is one JSON object with a type ``t``. A contribution carries an
idempotency ``key`` chosen by the page; the page keeps it until the room acknowledges
it, and resends it after a reconnect; the room answers a key it has seen with the answer
it gave before, so nothing lands twice.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from app.model.commands import friendly
from app.model.schema import CardKind, Id, LongText, Text, Title

Key = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")]
Token = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{16,64}$")]
DisplayName = Annotated[Text, Field(max_length=40)]
MAX_NAME = 40


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Hello(_Message):
    """The first message of a page that joined before: its participant token."""

    t: Literal["hello"]
    participant: Token


class Join(_Message):
    """A new participant: a display name, or empty for anonymous (when allowed)."""

    t: Literal["join"]
    name: DisplayName = ""


class AddIdea(_Message):
    """A card: kind, stage, lane (None: the kind's lane), title and optional body."""

    t: Literal["add"]
    key: Key
    kind: CardKind
    stage: Id
    lane: Id | None = None
    title: Title
    body: LongText = ""


class CastDot(_Message):
    """One dot on (+1) or off (-1) a card."""

    t: Literal["vote"]
    key: Key
    card: Id
    delta: Literal[1, -1] = 1


class Feel(_Message):
    """My own feeling about a stage (-2..+2), or None to take it back."""

    t: Literal["feel"]
    key: Key
    stage: Id
    score: Annotated[int, Field(strict=True, ge=-2, le=2)] | None


class Ping(_Message):
    """Keep-alive."""

    t: Literal["ping"]


Incoming = Annotated[Hello | Join | AddIdea | CastDot | Feel | Ping, Field(discriminator="t")]
Contribution = AddIdea | CastDot | Feel
_ADAPTER: TypeAdapter[Incoming] = TypeAdapter(Incoming)
_KEY: TypeAdapter[str] = TypeAdapter(Key)


class ProtocolError(ValueError):
    """A message the room refuses; ``key`` is its idempotency key when it had one."""

    def __init__(self, reason: str, key: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.key = key


def parse(text: str | bytes) -> Hello | Join | AddIdea | CastDot | Feel | Ping:
    """One message from a page, validated; ProtocolError (one line) when it is refused."""
    try:
        raw = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError("the message is not JSON") from None
    if not isinstance(raw, dict):
        raise ProtocolError("the message is not a JSON object")
    key = raw.get("key") if isinstance(raw.get("key"), str) else None
    try:
        return _ADAPTER.validate_python(raw)
    except ValidationError as err:
        safe_key = key if key is not None and key_ok(key) else None
        raise ProtocolError(friendly(err), safe_key) from None


def key_ok(key: str) -> bool:
    """Whether ``key`` is a well-formed idempotency key."""
    try:
        _KEY.validate_python(key)
    except ValidationError:
        return False
    return True


def dumps(message: dict) -> str:
    """A message to a page as compact JSON."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))
