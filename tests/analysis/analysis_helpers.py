"""Crafted maps with known answers for the analysis tests."""

from __future__ import annotations

from typing import Any

from app.model.schema import (
    Card,
    DocumentData,
    JourneyMap,
    Lane,
    LaneKind,
    Link,
    Persona,
    Stage,
)


def make_map(stages: list[str], lanes: list[tuple[str, LaneKind]],
             cards: list[tuple[str, str, dict[str, Any]]],
             links: list[tuple[int, int]] = (), *, title: str = "Map", map_id: int = 1,
             base: DocumentData | None = None, persona: str | None = None,
             **map_fields: Any) -> DocumentData:
    """A map of the given stages, lanes and cards (stage name, lane name, fields), added to
    ``base``; card ids follow the list order from the next free id, links join those ids."""
    raw: dict[str, dict[int, Any]] = {t: {k: v.model_dump() for k, v in getattr(base, t).items()}
                                      if base else {} for t in
                                      ("personas", "maps", "stages", "lanes", "cards", "links")}
    persona_id = None
    if persona:
        persona_id = max(raw["personas"], default=0) + 1
        raw["personas"][persona_id] = Persona(id=persona_id, name=persona).model_dump()
    raw["maps"][map_id] = JourneyMap(id=map_id, title=title, position=map_id,
                                     persona_id=persona_id, **map_fields).model_dump()
    sid = {}
    for i, name in enumerate(stages):
        new = max(raw["stages"], default=0) + 1
        raw["stages"][new] = Stage(id=new, map_id=map_id, name=name, position=i).model_dump()
        sid[name] = new
    lid = {}
    for i, (name, kind) in enumerate(lanes):
        new = max(raw["lanes"], default=0) + 1
        raw["lanes"][new] = Lane(id=new, map_id=map_id, name=name, kind=kind,
                                 position=i).model_dump()
        lid[name] = new
    start = max(raw["cards"], default=0) + 1
    counts: dict[tuple[str, str], int] = {}
    for offset, (stage, lane, fields) in enumerate(cards):
        cid = start + offset
        raw["cards"][cid] = Card(id=cid, map_id=map_id, stage_id=sid[stage], lane_id=lid[lane],
                                 position=counts.get((stage, lane), 0), **fields).model_dump()
        counts[(stage, lane)] = counts.get((stage, lane), 0) + 1
    for a, b in links:
        new = max(raw["links"], default=0) + 1
        raw["links"][new] = Link(id=new, map_id=map_id, source_id=a, target_id=b).model_dump()
    return DocumentData.model_validate(raw)


T = ("Touchpoints", LaneKind.TOUCHPOINTS)
E = ("Emotions", LaneKind.EMOTIONS)
P = ("Pain points", LaneKind.PAIN_POINTS)
G = ("Goals", LaneKind.GOALS)
OPP = ("Opportunities", LaneKind.OPPORTUNITIES)
B = ("Backstage", LaneKind.BACKSTAGE)


def emotion(stage: str, score: int, title: str = "feel") -> tuple[str, str, dict[str, Any]]:
    """An emotion card."""
    return (stage, "Emotions", {"kind": "emotion", "title": title, "emotion": score})


def touch(stage: str, title: str, **fields: Any) -> tuple[str, str, dict[str, Any]]:
    """A touchpoint card."""
    return (stage, "Touchpoints", {"kind": "touchpoint", "title": title, **fields})
