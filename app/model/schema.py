"""The journey-map domain model: pydantic v2 schemas validated on every load and edit.

These classes describe *values*. They never touch the database; the tables
(:mod:`app.model.tables`) turn rows into these objects and back, and the
:class:`~app.model.document.Document` is the only way to change them.

Every limit a hostile or careless file could abuse is written here once:
lengths, ranges, colours, finite numbers. A row that breaks a rule raises
:class:`pydantic.ValidationError`, which the store turns into a one-line
message naming the table and row.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from app.model import entities

# ---------------------------------------------------------------- limits
MAX_NAME = 120  # stage, lane, persona, map names
MAX_TITLE = 200  # card titles
MAX_TEXT = 5_000  # card bodies, descriptions, quotes
MAX_LIST_ITEMS = 50  # tags, goals, metrics per object
MAX_TAG = 40
MAX_METRIC_NAME = 60
MAX_METRIC_ABS = 1e12  # any metric beyond this is a typo or an attack
MAX_VOTES = 9_999
MAX_DOTS = 99  # a voter's dot budget
MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_POSITION = 1_000_000
MAX_ID = 2**62

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_SURROGATES = re.compile("[\ud800-\udfff]")


class Strict(BaseModel):
    """Base for every schema: unknown fields are an error, assignment re-validates."""

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, frozen=False, str_strip_whitespace=False
    )


def clean_text(value: Any) -> Any:
    """Make pasted text storable: drop lone surrogates and NULs, normalise to NFC.

    A lone surrogate (half an emoji from a broken clipboard) cannot be encoded
    as UTF-8 and would make the file unwritable, so it is replaced at this
    boundary with U+FFFD. NUL is dropped because it truncates strings in C APIs.
    """
    if isinstance(value, str):
        if value.isascii():  # the common case: ASCII is always NFC and has no surrogates
            return value.replace("\x00", "") if "\x00" in value else value
        value = _SURROGATES.sub("\ufffd", value).replace("\x00", "")
        if unicodedata.is_normalized("NFC", value):
            return value
        return unicodedata.normalize("NFC", value)
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _colour(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not HEX_COLOUR.match(value):
        raise ValueError(f"colour must look like #rrggbb, not {value[:20]!r}")
    return value.lower()


def _finite(value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    if not math.isfinite(value) or abs(value) > MAX_METRIC_ABS:
        raise ValueError(f"must be a finite number within ±{MAX_METRIC_ABS:g}")
    return float(value)


Text = Annotated[str, BeforeValidator(clean_text)]
Name = Annotated[Text, Field(max_length=MAX_NAME), AfterValidator(_not_blank)]
Title = Annotated[Text, Field(max_length=MAX_TITLE), AfterValidator(_not_blank)]
LongText = Annotated[Text, Field(max_length=MAX_TEXT)]
ShortText = Annotated[Text, Field(max_length=MAX_NAME)]
Colour = Annotated[str | None, AfterValidator(_colour)]
Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
Position = Annotated[int, Field(strict=True, ge=0, le=MAX_POSITION)]
Tag = Annotated[Text, Field(min_length=1, max_length=MAX_TAG)]
BlobRef = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class LaneKind(StrEnum):
    """What a swimlane holds."""

    TOUCHPOINTS = "touchpoints"
    ACTIONS = "actions"
    THOUGHTS = "thoughts"
    EMOTIONS = "emotions"
    GOALS = "goals"
    PAIN_POINTS = "pain_points"
    OPPORTUNITIES = "opportunities"
    CHANNELS = "channels"
    BACKSTAGE = "backstage"
    CUSTOM = "custom"


class CardKind(StrEnum):
    """What a card says about the customer's experience."""

    TOUCHPOINT = "touchpoint"
    ACTION = "action"
    THOUGHT = "thought"
    EMOTION = "emotion"
    GOAL = "goal"
    PAIN_POINT = "pain_point"
    OPPORTUNITY = "opportunity"
    NOTE = "note"


class DataSource(StrEnum):
    """Where a card's content comes from (evidence), strongest first."""

    OBSERVED = "observed"  # interviews, field research, usability sessions
    SURVEY = "survey"  # solicited feedback: NPS, CSAT, questionnaires
    SOLICITED = "solicited"  # other solicited research
    UNSOLICITED = "unsolicited"  # reviews, social comments, support tickets
    ASSUMPTION = "assumption"  # the team's belief, not yet backed by data

    @property
    def is_evidence(self) -> bool:
        """True when the card rests on customer data rather than belief."""
        return self is not DataSource.ASSUMPTION


#: Channels and devices offered in pickers; any other short name is accepted too.
CHANNELS = (
    "web", "email", "phone", "store", "social", "app", "chat", "mail", "event", "advertising",
)
DEVICES = ("desktop", "mobile", "tablet", "in person", "phone call")

#: The card kind a lane holds by default, and back.
LANE_FOR_CARD = {
    CardKind.TOUCHPOINT: LaneKind.TOUCHPOINTS,
    CardKind.ACTION: LaneKind.ACTIONS,
    CardKind.THOUGHT: LaneKind.THOUGHTS,
    CardKind.EMOTION: LaneKind.EMOTIONS,
    CardKind.GOAL: LaneKind.GOALS,
    CardKind.PAIN_POINT: LaneKind.PAIN_POINTS,
    CardKind.OPPORTUNITY: LaneKind.OPPORTUNITIES,
    CardKind.NOTE: LaneKind.CUSTOM,
}
CARD_FOR_LANE = {lane: card for card, lane in LANE_FOR_CARD.items()}
CARD_FOR_LANE[LaneKind.CHANNELS] = CardKind.TOUCHPOINT
CARD_FOR_LANE[LaneKind.BACKSTAGE] = CardKind.ACTION
CARD_FOR_LANE[LaneKind.CUSTOM] = CardKind.NOTE


def _text_list(value: list[str]) -> list[str]:
    if len(value) > MAX_LIST_ITEMS:
        raise ValueError(f"at most {MAX_LIST_ITEMS} items")
    return value


TextList = Annotated[list[LongText], AfterValidator(_text_list)]
TagList = Annotated[list[Tag], AfterValidator(_text_list)]


class Blob(Strict):
    """An image stored in the document (persona photo, storyboard frame)."""

    hash: BlobRef
    mime: str = Field(pattern=r"^image/(png|jpeg)$")
    data: bytes = Field(max_length=MAX_IMAGE_BYTES)

    @model_validator(mode="after")
    def _header_is_sane(self) -> Blob:
        from app.model.images import inspect_image

        info = inspect_image(self.data)
        if info.mime != self.mime:
            raise ValueError("image bytes do not match their declared type")
        return self


class Persona(Strict):
    """A research-based profile of a customer segment."""

    id: Id
    name: Name
    role: ShortText = ""
    quote: LongText = ""
    goals: TextList = Field(default_factory=list)
    frustrations: TextList = Field(default_factory=list)
    motivations: TextList = Field(default_factory=list)
    photo: BlobRef | None = None


class JourneyMap(Strict):
    """One journey map: a grid of stages and lanes for one persona or scenario."""

    id: Id
    title: Name
    description: LongText = ""
    persona_id: Id | None = None
    experience_goals: TextList = Field(default_factory=list)
    owner: ShortText = ""
    last_reviewed: dt.date | None = None
    review_interval_days: int = Field(default=90, ge=1, le=3650, strict=True)
    position: Position = 0


class Stage(Strict):
    """A column of a map: one step of the customer's journey."""

    id: Id
    map_id: Id
    name: Name
    description: LongText = ""
    position: Position = 0
    phase: ShortText = ""
    colour: Colour = None


class Lane(Strict):
    """A swimlane row of a map."""

    id: Id
    map_id: Id
    name: Name
    kind: LaneKind = LaneKind.CUSTOM
    position: Position = 0
    collapsed: bool = False


class Card(Strict):
    """One sticky note in a stage x lane cell."""

    #: Where a card sits (its id, map, cell and place in the cell); the rest is its content.
    PLACE_FIELDS: ClassVar[tuple[str, ...]] = ("id", "map_id", "stage_id", "lane_id", "position",
                                               "cluster_id")
    #: Every field but the place: a change of one of them is an edit (a change of cell is a
    #: move). Derived from the fields below, in their order.
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = ()
    #: What a copy on the clipboard carries: the content without the image (its blob need
    #: not exist in the document the copy is pasted into).
    COPY_FIELDS: ClassVar[tuple[str, ...]] = ()
    #: What Duplicate carries: a copy's fields without the votes (dots were given to the
    #: original, not to its copy).
    DUPLICATE_FIELDS: ClassVar[tuple[str, ...]] = ()

    id: Id
    map_id: Id
    stage_id: Id
    lane_id: Id
    position: Position = 0
    kind: CardKind = CardKind.NOTE
    title: Title
    body: LongText = ""
    channel: ShortText = ""
    device: ShortText = ""
    owner: ShortText = ""
    emotion: int | None = Field(default=None, ge=-2, le=2, strict=True)
    tags: TagList = Field(default_factory=list)
    colour: Colour = None
    votes: int = Field(default=0, ge=0, le=MAX_VOTES, strict=True)
    source: DataSource | None = None
    metrics: dict[Annotated[Text, Field(min_length=1, max_length=MAX_METRIC_NAME)], float] = Field(
        default_factory=dict
    )
    image: BlobRef | None = None
    #: Who contributed the card: a workshop participant or the person it came from.
    author: ShortText = ""
    #: The affinity group (cluster) the card is in (file format 3).
    cluster_id: Id | None = None

    @field_validator("metrics")
    @classmethod
    def _metrics_finite(cls, value: dict[str, float]) -> dict[str, float]:
        if len(value) > MAX_LIST_ITEMS:
            raise ValueError(f"at most {MAX_LIST_ITEMS} metrics")
        return {name: _finite(number) for name, number in value.items()}

    @field_validator("channel", "device")
    @classmethod
    def _lower_known(cls, value: str) -> str:
        """Known channel/device names are stored in their canonical lower case."""
        low = value.strip().lower()
        return low if low in CHANNELS or low in DEVICES else value.strip()


Card.CONTENT_FIELDS = tuple(f for f in Card.model_fields if f not in Card.PLACE_FIELDS)
Card.COPY_FIELDS = tuple(f for f in Card.CONTENT_FIELDS if f != "image")
Card.DUPLICATE_FIELDS = tuple(f for f in Card.COPY_FIELDS if f != "votes")


class Cluster(Strict):
    """A labelled group of cards in one cell (affinity mapping): "Queues", "Staff"."""

    id: Id
    map_id: Id
    label: Name
    colour: Colour = None


class Voter(Strict):
    """A workshop participant who votes with a budget of dots."""

    id: Id
    map_id: Id
    name: Name
    budget: int = Field(default=5, ge=0, le=MAX_DOTS, strict=True)
    position: Position = 0


class Feeling(Strict):
    """A room participant's own feeling about one stage (-2..+2): one voice of the room's
    emotion curve, which shows their mean and spread."""

    id: Id
    map_id: Id
    stage_id: Id
    participant_id: Id  # a row of room_participants (outside the undo history)
    score: int = Field(ge=-2, le=2, strict=True)


#: A setting's key: lowercase letters, digits and underscores ("poster_font").
SETTING_KEY = r"^[a-z][a-z0-9_]{0,39}$"
MAX_SETTING = 20_000  # a setting's value (a font's JSON description, a logo's digest)


class Setting(Strict):
    """A document-wide setting (the poster font, the logo, the brand colour): a row of
    the content, so changing one is an undoable step like any edit."""

    id: Id
    key: Annotated[str, Field(pattern=SETTING_KEY)]
    value: Annotated[Text, Field(max_length=MAX_SETTING)]


class Dot(Strict):
    """One dot a voter put on a card (the card's ``votes`` counts it too)."""

    id: Id
    map_id: Id
    voter_id: Id
    card_id: Id


class Link(Strict):
    """A step of a customer's path: from one card to the next."""

    id: Id
    map_id: Id
    source_id: Id
    target_id: Id
    persona_id: Id | None = None
    label: ShortText = ""

    @model_validator(mode="after")
    def _not_a_loop(self) -> Link:
        if self.source_id == self.target_id:
            raise ValueError("a link must join two different cards")
        return self


#: Which columns of each table refer to rows of which table (parent-first table order),
#: from the one declaration of the tables (:mod:`app.model.entities`).
MODEL_TABLES_REFS: dict[str, tuple[tuple[str, str], ...]] = {
    e.name: tuple((r.column, r.table) for r in e.refs) for e in entities.ENTITIES
}

#: The row types the store keeps, by table name.
ROW_TYPES: dict[str, type[Strict]] = {e.name: globals()[e.model] for e in entities.ENTITIES}


class DocumentData(Strict):
    """A whole document's content as plain values: what is saved, exported or compared.

    Referential integrity is checked here: a card in a missing stage, a link to
    a missing card, a stage of a missing map are errors, never a corrupt file.
    """

    personas: dict[int, Persona] = Field(default_factory=dict)
    maps: dict[int, JourneyMap] = Field(default_factory=dict)
    stages: dict[int, Stage] = Field(default_factory=dict)
    lanes: dict[int, Lane] = Field(default_factory=dict)
    cards: dict[int, Card] = Field(default_factory=dict)
    links: dict[int, Link] = Field(default_factory=dict)
    clusters: dict[int, Cluster] = Field(default_factory=dict)
    voters: dict[int, Voter] = Field(default_factory=dict)
    dots: dict[int, Dot] = Field(default_factory=dict)
    feelings: dict[int, Feeling] = Field(default_factory=dict)
    settings: dict[int, Setting] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _references(self) -> DocumentData:
        problems = reference_problems(self)
        if problems:
            raise ValueError("; ".join(problems[:5]))
        return self

    # ------------------------------------------------------------- queries
    def stages_of(self, map_id: int) -> list[Stage]:
        """The map's stages, left to right."""
        return sorted(
            (s for s in self.stages.values() if s.map_id == map_id),
            key=lambda s: (s.position, s.id),
        )

    def lanes_of(self, map_id: int) -> list[Lane]:
        """The map's lanes, top to bottom."""
        return sorted(
            (lane for lane in self.lanes.values() if lane.map_id == map_id),
            key=lambda lane: (lane.position, lane.id),
        )

    def cards_of(self, map_id: int) -> list[Card]:
        """All cards of a map, in stage, lane and in-cell order."""
        stage_pos = {s.id: s.position for s in self.stages.values() if s.map_id == map_id}
        lane_pos = {lane.id: lane.position for lane in self.lanes.values() if lane.map_id == map_id}
        return sorted(
            (c for c in self.cards.values() if c.map_id == map_id),
            key=lambda c: (stage_pos[c.stage_id], lane_pos[c.lane_id], c.position, c.id),
        )

    def cell(self, stage_id: int, lane_id: int) -> list[Card]:
        """The cards of one cell, in order."""
        return sorted(
            (c for c in self.cards.values() if c.stage_id == stage_id and c.lane_id == lane_id),
            key=lambda c: (c.position, c.id),
        )

    def links_of(self, map_id: int) -> list[Link]:
        """The map's links in creation order."""
        return sorted((k for k in self.links.values() if k.map_id == map_id), key=lambda k: k.id)

    def voters_of(self, map_id: int) -> list[Voter]:
        """The map's voters in the order they were added."""
        return sorted((v for v in self.voters.values() if v.map_id == map_id),
                      key=lambda v: (v.position, v.id))

    def cluster_cards(self, cluster_id: int) -> list[Card]:
        """The cards of a cluster, in map order."""
        return [c for c in self.cards.values() if c.cluster_id == cluster_id]

    def ordered_maps(self) -> list[JourneyMap]:
        """Maps in the order the user arranged them."""
        return sorted(self.maps.values(), key=lambda m: (m.position, m.id))

    def find_map(self, name_or_id: str | int | None) -> JourneyMap:
        """A map by id or title (case-insensitive); the first map when None.

        Raises KeyError with a readable message when there is no such map.
        """
        maps = self.ordered_maps()
        if not maps:
            raise KeyError("the document has no map")
        if name_or_id is None:
            return maps[0]
        text = str(name_or_id).strip()
        for m in maps:
            if str(m.id) == text or m.title.casefold() == text.casefold():
                return m
        titles = ", ".join(repr(m.title) for m in maps)
        raise KeyError(f"no map named {text!r} (maps: {titles})")


def reference_problems(data: DocumentData) -> list[str]:
    """Every dangling reference in ``data``, as readable sentences (the rules of
    :mod:`app.model.entities`: each reference exists, and within a map stays in it)."""
    out: list[str] = []

    def find(table: str, row_id: int) -> Any:
        return getattr(data, table).get(row_id)

    for entity in entities.ENTITIES:
        for key, row in getattr(data, entity.name).items():
            if key != row.id:
                out.append(f"{entity.name} row {key} carries id {row.id}")
            out.extend(entities.row_problems(entity, row, find))
    return out
