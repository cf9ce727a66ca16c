"""Assemble imported rows into a self-contained DocumentData with ids from 1.

Importers feed already-validated card fields in file order; the builder
keeps stages and lanes in order of first appearance (names matched without
regard to case or surrounding spaces), infers each lane's kind from its
cards (or its name), and gives cards without a kind the kind of their lane.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from app.errors import LimitError
from app.interchange.common import clean_name, lane_kind_from_name
from app.model import limits
from app.model.schema import (
    CARD_FOR_LANE,
    LANE_FOR_CARD,
    Card,
    CardKind,
    DocumentData,
    JourneyMap,
    Lane,
    LaneKind,
    Persona,
    Stage,
)

#: Lane names used when a card names no lane.
DEFAULT_LANE_NAMES = {
    LaneKind.TOUCHPOINTS: "Touchpoints", LaneKind.ACTIONS: "Actions",
    LaneKind.THOUGHTS: "Thoughts", LaneKind.EMOTIONS: "Emotions", LaneKind.GOALS: "Goals",
    LaneKind.PAIN_POINTS: "Pain points", LaneKind.OPPORTUNITIES: "Opportunities",
    LaneKind.CHANNELS: "Channels", LaneKind.BACKSTAGE: "Backstage", LaneKind.CUSTOM: "Notes",
}


@lru_cache(maxsize=4096)
def key_of(name: str) -> str:
    """How stage, lane, map and persona names are matched: case, spacing and line breaks
    ignored."""
    return " ".join(clean_name(name).split()).casefold()


@dataclass
class _LaneInfo:
    name: str
    declared: LaneKind | None = None
    kinds: Counter[CardKind] = field(default_factory=Counter)


@dataclass
class MapBuilder:
    """The stages, lanes and cards of one map being imported."""

    title: str
    persona: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    stages: dict[str, str] = field(default_factory=dict)  # key -> name, in order
    stage_fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    lanes: dict[str, _LaneInfo] = field(default_factory=dict)
    cards: list[tuple[str, str, dict[str, Any], Card | None]] = field(default_factory=list)

    def stage(self, name: str, **fields: Any) -> str:
        """Declare a stage (first appearance fixes its place); returns its key."""
        name = clean_name(name)
        key = key_of(name)
        if key not in self.stages:
            self.stages[key] = name
            self.stage_fields[key] = dict(fields)
        return key

    def new_stage(self, name: str, **fields: Any) -> str:
        """Add a stage even when one of that name exists (Mermaid sections, stage rows).

        Returns its key; later :meth:`stage` calls with the name find the first one.
        """
        name = clean_name(name)
        key = key_of(name)
        n = 1
        while key in self.stages:
            n += 1
            key = f"{key_of(name)}\x00{n}"
        self.stages[key] = name
        self.stage_fields[key] = dict(fields)
        return key

    def lane(self, name: str, kind: LaneKind | None = None) -> str:
        """Declare a lane, optionally with its kind; returns its key."""
        name = clean_name(name)
        key = key_of(name)
        info = self.lanes.get(key)
        if info is None:
            info = self.lanes[key] = _LaneInfo(name)
        if kind is not None and info.declared is None:
            info.declared = kind
        return key

    def declared_kind(self, lane_key: str) -> LaneKind | None:
        """The kind a lane was declared with (None when not declared)."""
        return self.lanes[lane_key].declared

    def add_card(self, stage: str, lane: str | None, fields: dict[str, Any],
                 card: Card | None = None) -> None:
        """Add a card at the end of its cell. ``fields`` may leave out ``kind``.

        ``stage`` is a stage's name or the key :meth:`new_stage` returned. Without a lane,
        the card goes to the default lane of its kind. ``card``
        is the card already validated from ``fields`` (with placeholder ids), to
        save validating it twice.
        """
        kind: CardKind | None = fields.get("kind")
        if lane is None or not lane.strip():
            lane_kind = LANE_FOR_CARD[kind] if kind else LaneKind.CUSTOM
            lane_key = self.lane(DEFAULT_LANE_NAMES[lane_kind], lane_kind)
        else:
            lane_key = self.lane(lane)
        stage_key = stage if stage in self.stages else self.stage(stage)
        if kind is not None:
            self.lanes[lane_key].kinds[kind] += 1
        self.cards.append((stage_key, lane_key, dict(fields), card))

    def lane_kind(self, key: str) -> LaneKind:
        """A lane's kind: declared, else agreed by its cards, else guessed from its name."""
        info = self.lanes[key]
        if info.declared is not None:
            return info.declared
        by_name = lane_kind_from_name(info.name)
        if info.kinds:
            top, _count = info.kinds.most_common(1)[0]
            if len(info.kinds) == 1:
                # "Backstage actions" holds action cards: keep the more specific kind.
                if by_name is not None and CARD_FOR_LANE[by_name] == top:
                    return by_name
                return LANE_FOR_CARD[top]
            return by_name or LaneKind.CUSTOM
        return by_name or LaneKind.CUSTOM


class DocBuilder:
    """Maps and personas being imported; :meth:`build` numbers everything from 1."""

    def __init__(self) -> None:
        self.maps: dict[tuple[str, str], MapBuilder] = {}
        self.personas: dict[str, str] = {}  # key -> name

    def map(self, title: str, persona: str | None = None) -> MapBuilder:
        """The map with this title and persona, created on first use."""
        title = clean_name(title)
        persona = clean_name(persona) if persona and clean_name(persona) else None
        key = (key_of(title), key_of(persona or ""))
        if persona is not None:
            self.personas.setdefault(key_of(persona), persona)
        if key not in self.maps:
            self.maps[key] = MapBuilder(title, persona)
        return self.maps[key]

    def limit_problem(self) -> str | None:
        """The first size limit the import passes (checked before any row is built)."""
        counts = {"maps": len(self.maps), "personas": len(self.personas),
                  "cards": sum(len(mb.cards) for mb in self.maps.values())}
        for table, count in counts.items():
            found = limits.count_problem(table, count)
            if found:
                return found
        for mb in self.maps.values():
            found = (limits.count_problem("stages", len(mb.stages), mb.title)
                     or limits.count_problem("lanes", len(mb.lanes), mb.title))
            if found:
                return found
        return None

    def build(self) -> DocumentData:
        """The assembled, validated document content (LimitError past a size limit)."""
        problem = self.limit_problem()
        if problem:
            raise LimitError(problem)
        personas: dict[int, Persona] = {}
        persona_ids: dict[str, int] = {}
        for key, name in self.personas.items():
            pid = len(personas) + 1
            personas[pid] = Persona(id=pid, name=name)
            persona_ids[key] = pid
        maps: dict[int, JourneyMap] = {}
        stages: dict[int, Stage] = {}
        lanes: dict[int, Lane] = {}
        cards: dict[int, Card] = {}
        for position, mb in enumerate(self.maps.values()):
            map_id = position + 1
            maps[map_id] = JourneyMap(
                id=map_id, title=mb.title, position=position,
                persona_id=persona_ids[key_of(mb.persona)] if mb.persona else None, **mb.fields)
            stage_ids: dict[str, int] = {}
            for pos, (key, name) in enumerate(mb.stages.items()):
                sid = len(stages) + 1
                stages[sid] = Stage(id=sid, map_id=map_id, name=name, position=pos,
                                    **mb.stage_fields[key])
                stage_ids[key] = sid
            lane_ids: dict[str, int] = {}
            lane_kinds: dict[str, LaneKind] = {}
            for pos, (key, info) in enumerate(mb.lanes.items()):
                lid = len(lanes) + 1
                lane_kinds[key] = mb.lane_kind(key)
                lanes[lid] = Lane(id=lid, map_id=map_id, name=info.name, kind=lane_kinds[key],
                                  position=pos)
                lane_ids[key] = lid
            cell_sizes: Counter[tuple[str, str]] = Counter()
            for stage_key, lane_key, values, checked in mb.cards:
                cid = len(cards) + 1
                place = {"id": cid, "map_id": map_id, "stage_id": stage_ids[stage_key],
                         "lane_id": lane_ids[lane_key],
                         "position": cell_sizes[(stage_key, lane_key)]}
                if values.get("kind") is None:
                    place["kind"] = CARD_FOR_LANE[lane_kinds[lane_key]]
                if checked is not None:  # already validated: only ids and place change
                    cards[cid] = checked.model_copy(update=place)
                else:
                    cards[cid] = Card(**{**values, **place})
                cell_sizes[(stage_key, lane_key)] += 1
        return DocumentData(personas=personas, maps=maps, stages=stages, lanes=lanes,
                            cards=cards)
