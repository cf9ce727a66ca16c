"""What changed between two versions of a document (e.g. a named version and now).

Rows are matched by id: versions of one document keep their ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.analysis.emotion import stage_emotions
from app.model.schema import Card, DocumentData


@dataclass(frozen=True)
class CardChange:
    """One card that was added, removed, moved or edited."""

    card_id: int
    title: str
    detail: str


@dataclass(frozen=True)
class EmotionChange:
    """A stage whose average emotion changed."""

    stage: str
    before: float | None
    after: float | None


@dataclass
class VersionDiff:
    """Everything that changed, per kind of change."""

    added: list[CardChange] = field(default_factory=list)
    removed: list[CardChange] = field(default_factory=list)
    moved: list[CardChange] = field(default_factory=list)
    edited: list[CardChange] = field(default_factory=list)
    stages_added: list[str] = field(default_factory=list)
    stages_removed: list[str] = field(default_factory=list)
    emotion: list[EmotionChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not any((self.added, self.removed, self.moved, self.edited, self.stages_added,
                        self.stages_removed, self.emotion))


def _place(data: DocumentData, card: Card) -> str:
    return f"{data.stages[card.stage_id].name} / {data.lanes[card.lane_id].name}"


def diff_versions(old: DocumentData, new: DocumentData, map_id: int | None = None) -> VersionDiff:
    """Cards added, removed, moved (to another cell) and edited, stages added and removed,
    and the emotion change per stage, from ``old`` to ``new`` (one map or all)."""
    def mine(c: Card | None) -> bool:
        return c is not None and (map_id is None or c.map_id == map_id)

    out = VersionDiff()
    old_cards = {i: c for i, c in old.cards.items() if mine(c)}
    new_cards = {i: c for i, c in new.cards.items() if mine(c)}
    for i in sorted(new_cards.keys() - old_cards.keys()):
        c = new_cards[i]
        out.added.append(CardChange(i, c.title, f"added in {_place(new, c)}"))
    for i in sorted(old_cards.keys() - new_cards.keys()):
        c = old_cards[i]
        out.removed.append(CardChange(i, c.title, f"removed from {_place(old, c)}"))
    for i in sorted(old_cards.keys() & new_cards.keys()):
        a, b = old_cards[i], new_cards[i]
        if (a.stage_id, a.lane_id) != (b.stage_id, b.lane_id):
            out.moved.append(CardChange(i, b.title,
                                        f"moved from {_place(old, a)} to {_place(new, b)}"))
        changed = [f for f in Card.CONTENT_FIELDS if getattr(a, f) != getattr(b, f)]
        if changed:
            parts = []
            for f in changed:
                before, after = getattr(a, f), getattr(b, f)
                if f in ("title", "body"):
                    parts.append(f"{f} changed")
                else:
                    parts.append(f"{f} {_show(before)} -> {_show(after)}")
            out.edited.append(CardChange(i, b.title, "; ".join(parts)))
    old_stages = {i: s for i, s in old.stages.items() if map_id in (None, s.map_id)}
    new_stages = {i: s for i, s in new.stages.items() if map_id in (None, s.map_id)}
    out.stages_added = [new_stages[i].name for i in sorted(new_stages.keys() - old_stages.keys())]
    out.stages_removed = [old_stages[i].name for i in sorted(old_stages.keys() - new_stages.keys())]
    maps = [map_id] if map_id is not None else sorted(old.maps.keys() & new.maps.keys())
    for m in maps:
        if m not in old.maps or m not in new.maps:
            continue
        before = {s.stage_id: s.average for s in stage_emotions(old, m)}
        for s in stage_emotions(new, m):
            if s.stage_id in before and before[s.stage_id] != s.average:
                out.emotion.append(EmotionChange(s.stage, before[s.stage_id], s.average))
    return out


def _show(value: object) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "(none)"
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)
