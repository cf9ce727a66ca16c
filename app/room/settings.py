"""What the facilitator controls in a room, stored in the document (``meta``) so a room
that was interrupted (a crash, a laptop that slept) comes back as it was."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Mode(StrEnum):
    """Where a participant's idea goes."""

    DIRECT = "direct"  # straight onto the map (one undo step each)
    INBOX = "inbox"  # into the facilitator's inbox, to accept, edit, merge or discard


class RoomSettings(BaseModel):
    """The room's rules; every field has a safe default."""

    model_config = ConfigDict(extra="ignore", validate_assignment=True)
    map_id: int = Field(default=0, ge=0)
    mode: Mode = Mode.DIRECT
    allow_anonymous: bool = True
    #: Dots each participant may place on this map.
    budget: int = Field(default=5, ge=0, le=99)
    #: Ideas each participant may add (0: no limit).
    idea_limit: int = Field(default=0, ge=0, le=999)
    adding_open: bool = True
    voting_open: bool = True
    feelings_open: bool = True
    #: Silent brainstorming: ideas are held (hidden from everyone else) until revealed.
    silent: bool = False
    #: The participants' page language (a catalogue in app/room/static/i18n).
    language: str = Field(default="en", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")


class Session(BaseModel):
    """An open (or interrupted) room: its secrets and where it listens."""

    model_config = ConfigDict(extra="ignore")
    token: str = Field(pattern=r"^[A-Za-z0-9_-]{16,64}$")
    code: str = Field(pattern=r"^[A-Z0-9]{4,16}$")
    address: str = Field(max_length=64)
    port: int = Field(ge=1, le=65535)
    opened: str = Field(max_length=40)
