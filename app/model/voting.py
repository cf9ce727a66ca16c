"""Commands for dot voting with a budget: voters, their budgets, the dots they place.

Each dot is a row (who put it on which card) and also counts in the card's ``votes``,
so everything that reads votes (ranking, report, poster) sees dots without knowing about
voters. A voter cannot place more dots than their budget; removing a voter takes their
dots back off the cards. How many dots a voter has left is answered by
:func:`app.workshop.dots.dot_budget`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.errors import CommandError
from app.model.commands import Command, build, change, insert, need, quote, remove
from app.model.ops import Op
from app.model.schema import MAX_DOTS, Dot, Voter
from app.model.state import State

DEFAULT_BUDGET = 5


def _dots_of(state: State, voter_id: int) -> list[Dot]:
    return sorted((d for d in state.rows["dots"].values() if d.voter_id == voter_id),
                  key=lambda d: d.id)


def _votes_ops(state: State, counts: dict[int, int]) -> list[Op]:
    """Change each card's ``votes`` by ``counts[card_id]`` (never below zero)."""
    ops = []
    for card_id, delta in sorted(counts.items()):
        card = state.rows["cards"][card_id]
        op = change("cards", card, {"votes": max(0, card.votes + delta)})
        if op:
            ops.append(op)
    return ops


@dataclass
class AddVoter(Command):
    """Add a voter to a map; the budget defaults to the other voters' (or 5)."""

    map_id: int
    name: str
    budget: int | None = None

    def plan(self, state: State) -> list[Op]:
        need(state, "maps", self.map_id)
        others = sorted((v for v in state.rows["voters"].values() if v.map_id == self.map_id),
                        key=lambda v: (v.position, v.id))
        if any(v.name.casefold() == " ".join(self.name.split()).casefold() for v in others):
            raise CommandError(f"There is already a voter named {quote(self.name)}")
        budget = self.budget if self.budget is not None else (
            others[-1].budget if others else DEFAULT_BUDGET)
        voter = build(Voter, {"id": state.allocate(), "map_id": self.map_id,
                              "name": " ".join(self.name.split()), "budget": budget,
                              "position": len(others)})
        return [insert("voters", voter)]

    def label(self, state: State) -> str:
        return f"Add voter {quote(self.name)}"


@dataclass
class UpdateVoter(Command):
    """Rename a voter or change their budget (not below the dots they placed)."""

    voter_id: int
    fields: dict[str, Any]

    def plan(self, state: State) -> list[Op]:
        voter = need(state, "voters", self.voter_id)
        used = len(_dots_of(state, voter.id))
        if "budget" in self.fields and isinstance(self.fields["budget"], int) \
                and self.fields["budget"] < used:
            raise CommandError(f"{voter.name} has already placed {used} dots; remove some "
                               "before lowering the budget")
        op = change("voters", voter, self.fields)
        return [op] if op else []

    def label(self, state: State) -> str:
        return f"Edit voter {quote(need(state, 'voters', self.voter_id).name)}"


@dataclass
class SetDotBudget(Command):
    """Give every voter of a map the same budget."""

    map_id: int
    budget: int

    def plan(self, state: State) -> list[Op]:
        need(state, "maps", self.map_id)
        if not 0 <= self.budget <= MAX_DOTS:
            raise CommandError(f"A budget is between 0 and {MAX_DOTS} dots")
        ops = []
        for v in state.rows["voters"].values():
            if v.map_id != self.map_id:
                continue
            used = len(_dots_of(state, v.id))
            if self.budget < used:
                raise CommandError(f"{v.name} has already placed {used} dots")
            op = change("voters", v, {"budget": self.budget})
            if op:
                ops.append(op)
        return ops

    def label(self, state: State) -> str:
        return f"Set the dot budget to {self.budget}"


@dataclass
class DeleteVoter(Command):
    """Remove a voter and take their dots back off the cards."""

    voter_id: int

    def plan(self, state: State) -> list[Op]:
        voter = need(state, "voters", self.voter_id)
        dots = _dots_of(state, voter.id)
        counts: dict[int, int] = {}
        for d in dots:
            counts[d.card_id] = counts.get(d.card_id, 0) - 1
        return [*_votes_ops(state, counts), *[remove("dots", d) for d in dots],
                remove("voters", voter)]

    def label(self, state: State) -> str:
        return f"Remove voter {quote(need(state, 'voters', self.voter_id).name)}"


@dataclass
class CastDot(Command):
    """A voter puts one dot on a card (refused when their budget is spent)."""

    voter_id: int
    card_id: int

    def plan(self, state: State) -> list[Op]:
        voter = need(state, "voters", self.voter_id)
        card = need(state, "cards", self.card_id)
        if card.map_id != voter.map_id:
            raise CommandError("The voter and the card belong to different maps")
        used = len(_dots_of(state, voter.id))
        if used >= voter.budget:
            raise CommandError(f"{voter.name} has no dots left ({used} of {voter.budget} "
                               "placed)")
        dot = build(Dot, {"id": state.allocate(), "map_id": card.map_id,
                          "voter_id": voter.id, "card_id": card.id})
        return [insert("dots", dot), *_votes_ops(state, {card.id: 1})]

    def label(self, state: State) -> str:
        voter = need(state, "voters", self.voter_id)
        return f"{voter.name} votes for {quote(need(state, 'cards', self.card_id).title)}"


@dataclass
class RemoveDot(Command):
    """Take back a voter's last dot on a card."""

    voter_id: int
    card_id: int

    def plan(self, state: State) -> list[Op]:
        voter = need(state, "voters", self.voter_id)
        need(state, "cards", self.card_id)
        mine = [d for d in _dots_of(state, voter.id) if d.card_id == self.card_id]
        if not mine:
            raise CommandError(f"{voter.name} has no dot on this card")
        return [remove("dots", mine[-1]), *_votes_ops(state, {self.card_id: -1})]

    def label(self, state: State) -> str:
        voter = need(state, "voters", self.voter_id)
        return f"Take back {voter.name}'s dot on {quote(need(state, 'cards', self.card_id).title)}"


@dataclass
class ClearDots(Command):
    """Take every voter's dots of a map back (a new round of voting); voters stay."""

    map_id: int

    def plan(self, state: State) -> list[Op]:
        need(state, "maps", self.map_id)
        dots = sorted((d for d in state.rows["dots"].values() if d.map_id == self.map_id),
                      key=lambda d: d.id)
        counts: dict[int, int] = {}
        for d in dots:
            counts[d.card_id] = counts.get(d.card_id, 0) - 1
        return [*_votes_ops(state, counts), *[remove("dots", d) for d in dots]]

    def label(self, state: State) -> str:
        return "Clear the dots"
