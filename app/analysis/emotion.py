"""The emotion curve: average emotion per stage, moments of truth, persona comparison."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from statistics import pstdev

from app.model.schema import Card, CardKind, DocumentData


def by_stage(cards: Iterable[Card]) -> dict[int, list[Card]]:
    """Cards grouped by stage id, keeping their order: one pass, so a loop over the
    stages costs the cards once (not once per stage)."""
    out: dict[int, list[Card]] = {}
    for c in cards:
        out.setdefault(c.stage_id, []).append(c)
    return out


@dataclass(frozen=True)
class StageEmotion:
    """The average emotion (-2..+2) of one stage: its emotion cards' scores and the room
    participants' own feelings; None when it has none. ``spread`` is the standard
    deviation of those scores (None under two), so a curve can show how far the room
    agrees."""

    stage_id: int
    stage: str
    average: float | None
    count: int
    spread: float | None = None


@dataclass(frozen=True)
class MomentsOfTruth:
    """The stages at the bottom and the top of the emotion curve (ties included)."""

    lowest: list[StageEmotion]
    highest: list[StageEmotion]
    curve: list[StageEmotion]


def scored_cards(data: DocumentData, map_id: int) -> list[Card]:
    """The cards that make the emotion curve: emotion cards with a score, or, when a map has
    none, every card with a score."""
    cards = [c for c in data.cards_of(map_id) if c.emotion is not None]
    emotion_cards = [c for c in cards if c.kind is CardKind.EMOTION]
    return emotion_cards or cards


def stage_emotions(data: DocumentData, map_id: int) -> list[StageEmotion]:
    """Average emotion per stage, left to right."""
    cards = scored_cards(data, map_id)
    by_stage: dict[int, list[int]] = {}
    for c in cards:
        if c.emotion is not None:
            by_stage.setdefault(c.stage_id, []).append(c.emotion)
    for f in data.feelings.values():
        if f.map_id == map_id:
            by_stage.setdefault(f.stage_id, []).append(f.score)
    out = []
    for stage in data.stages_of(map_id):
        scores = by_stage.get(stage.id, [])
        average = round(sum(scores) / len(scores), 2) if scores else None
        spread = round(pstdev(scores), 2) if len(scores) > 1 else None
        out.append(StageEmotion(stage.id, stage.name, average, len(scores), spread))
    return out


def emotion_by_stage_id(data: DocumentData, map_id: int) -> dict[int, float | None]:
    """{stage_id: average emotion or None}."""
    return {s.stage_id: s.average for s in stage_emotions(data, map_id)}


def moments_of_truth(data: DocumentData, map_id: int) -> MomentsOfTruth:
    """The lowest and highest emotion stages (every stage tied at the extreme)."""
    curve = stage_emotions(data, map_id)
    scored = [s for s in curve if s.average is not None]
    if not scored:
        return MomentsOfTruth([], [], curve)
    low = min(s.average for s in scored if s.average is not None)
    high = max(s.average for s in scored if s.average is not None)
    return MomentsOfTruth(
        lowest=[s for s in scored if s.average == low],
        highest=[s for s in scored if s.average == high] if high != low else [],
        curve=curve,
    )


@dataclass(frozen=True)
class StageComparison:
    """One stage name's emotion in two maps (None where a map lacks the stage or a score)."""

    stage: str
    a: float | None
    b: float | None

    @property
    def difference(self) -> float | None:
        """b - a, when both have a score."""
        if self.a is None or self.b is None:
            return None
        return round(self.b - self.a, 2)


def compare_maps(data: DocumentData, map_a: int, map_b: int) -> list[StageComparison]:
    """Emotion per stage name (matched without regard to case) of two maps: a's order,
    then b's stages that a lacks."""
    a = {s.stage.casefold(): s for s in stage_emotions(data, map_a)}
    b = {s.stage.casefold(): s for s in stage_emotions(data, map_b)}
    out = [StageComparison(s.stage, s.average, b[k].average if k in b else None)
           for k, s in a.items()]
    out += [StageComparison(s.stage, None, s.average) for k, s in b.items() if k not in a]
    return out
