"""How many dots each voter of a map has placed and has left: read from the document.

The room page (app.room) and the canvas overlay both call :func:`dot_budget`; the
commands that change it are in :mod:`app.model.voting`.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.model.schema import DocumentData


@dataclass(frozen=True)
class VoterDots:
    """One voter's budget, dots placed and dots left."""

    voter_id: int
    name: str
    budget: int
    used: int

    @property
    def remaining(self) -> int:
        """Dots this voter can still place."""
        return max(0, self.budget - self.used)

    def as_dict(self) -> dict[str, object]:
        """Plain values for JSON."""
        return {"voter_id": self.voter_id, "name": self.name, "budget": self.budget,
                "used": self.used, "remaining": self.remaining}


def dot_budget(data: DocumentData, map_id: int) -> list[VoterDots]:
    """Every voter of the map in order, with their dots placed and left."""
    used: dict[int, int] = {}
    for d in data.dots.values():
        if d.map_id == map_id:
            used[d.voter_id] = used.get(d.voter_id, 0) + 1
    return [VoterDots(v.id, v.name, v.budget, used.get(v.id, 0)) for v in data.voters_of(map_id)]


def dots_on(data: DocumentData, card_id: int) -> dict[int, int]:
    """voter_id -> how many dots that voter put on the card."""
    out: dict[int, int] = {}
    for d in data.dots.values():
        if d.card_id == card_id:
            out[d.voter_id] = out.get(d.voter_id, 0) + 1
    return out
