"""Gaps along the customer's path: channel and device switches and owner handoffs.

The path is the map's links when it has any (each link is one step), else
the touchpoints in stage order (then lane, then place in the cell). Owner
handoffs follow the cards that name an owner, in the same order, so a
service blueprint's customer -> front stage -> backstage steps count too.
Each gap carries the emotion around it: each card's own score, else the
average emotion of its stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from app.analysis.emotion import emotion_by_stage_id
from app.model.schema import Card, CardKind, DocumentData, LaneKind


@dataclass(frozen=True)
class Gap:
    """One switch between two consecutive cards of the path."""

    kind: str  # "channel", "device" or "owner"
    from_card: int
    to_card: int
    from_title: str
    to_title: str
    from_value: str
    to_value: str
    from_stage: str
    to_stage: str
    emotion_before: float | None
    emotion_after: float | None

    def describe(self) -> str:
        """One line: 'channel web -> phone: Find sales (Research) -> Call store (Visit)'."""
        def emo(v: float | None) -> str:
            return "n/a" if v is None else f"{v:+.2g}"
        return (f"{self.kind} {self.from_value} -> {self.to_value}: {self.from_title!r} "
                f"({self.from_stage}) -> {self.to_title!r} ({self.to_stage}); emotion "
                f"{emo(self.emotion_before)} -> {emo(self.emotion_after)}")


def _is_touchpoint(card: Card, lane_kinds: dict[int, LaneKind]) -> bool:
    return card.kind is CardKind.TOUCHPOINT or lane_kinds[card.lane_id] in (
        LaneKind.TOUCHPOINTS, LaneKind.CHANNELS)


def steps(data: DocumentData, map_id: int, cards: list[Card]) -> list[tuple[Card, Card]]:
    """Consecutive pairs of ``cards`` along the path (links when the map has any)."""
    links = data.links_of(map_id)
    if links:
        wanted = {c.id for c in cards}
        return [(data.cards[k.source_id], data.cards[k.target_id]) for k in links
                if k.source_id in wanted and k.target_id in wanted]
    return list(pairwise(cards))


def path_gaps(data: DocumentData, map_id: int) -> list[Gap]:
    """Every channel switch, device switch and owner handoff along the path."""
    lane_kinds = {lane.id: lane.kind for lane in data.lanes_of(map_id)}
    stage_names = {s.id: s.name for s in data.stages_of(map_id)}
    emotion = emotion_by_stage_id(data, map_id)
    cards = data.cards_of(map_id)
    linked = bool(data.links_of(map_id))
    touch = cards if linked else [c for c in cards if _is_touchpoint(c, lane_kinds)]
    owned = cards if linked else [c for c in cards if c.owner]

    def feeling(card: Card) -> float | None:
        return float(card.emotion) if card.emotion is not None else emotion[card.stage_id]

    gaps: list[Gap] = []
    for kind, pool in (("channel", touch), ("device", touch), ("owner", owned)):
        with_value = [c for c in pool if getattr(c, kind)] if not linked else pool
        for a, b in steps(data, map_id, with_value):
            va, vb = getattr(a, kind), getattr(b, kind)
            if va and vb and va.casefold() != vb.casefold():
                gaps.append(Gap(kind, a.id, b.id, a.title, b.title, va, vb,
                                stage_names[a.stage_id], stage_names[b.stage_id],
                                feeling(a), feeling(b)))
    return gaps
