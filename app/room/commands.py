"""The room's document commands: a participant's card, dot and feeling, each one normal
undo step whose history entry names the participant. Dots are the workshop's own
(:mod:`app.model.voting`: a voter per participant, a budget, one row per dot)."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import CommandError
from app.model.commands import Command, build, change, insert, need, quote, remove
from app.model.ops import Op
from app.model.schema import MAX_TEXT, MAX_VOTES, Dot, Feeling, Voter
from app.model.state import State
from app.model.voting import CastDot, RemoveDot


def credit(label: str, who: str) -> str:
    """A history label naming the participant: "Add card 'queue' — from Aiko"."""
    return f"{label} — from {' '.join(who.split())[:60]}"


@dataclass
class FromParticipant(Command):
    """Any command, labelled with the participant it came from."""

    inner: Command
    who: str

    def plan(self, state: State) -> list[Op]:
        return self.inner.plan(state)

    def label(self, state: State) -> str:
        return credit(self.inner.label(state), self.who)


@dataclass
class RoomDot(Command):
    """A participant's dot on (``delta`` +1) or off (-1) a card, placed by their voter on
    the map (:mod:`app.model.voting`); the first dot also adds that voter, in the same
    undo step. ``voter_id`` is the participant's voter when they have one."""

    card_id: int
    who: str
    budget: int
    voter_id: int | None = None
    delta: int = 1

    def plan(self, state: State) -> list[Op]:
        card = need(state, "cards", self.card_id)
        voter = state.get("voters", self.voter_id) if self.voter_id else None
        if voter is not None and voter.map_id != card.map_id:
            voter = None
        if voter is not None:
            inner = CastDot(voter.id, card.id) if self.delta > 0 else RemoveDot(voter.id, card.id)
            return inner.plan(state)
        if self.delta < 0:
            raise CommandError("You have no dot on this card")
        taken = {v.name.casefold() for v in state.rows["voters"].values()
                 if v.map_id == card.map_id}
        name = " ".join(self.who.split())[:110] or "participant"
        unique, n = name, 2
        while unique.casefold() in taken:
            unique, n = f"{name} ({n})", n + 1
        position = len(taken)
        voter = build(Voter, {"id": state.allocate(), "map_id": card.map_id, "name": unique,
                              "budget": self.budget, "position": position})
        if self.budget < 1:
            raise CommandError("the dot budget is 0")
        dot = build(Dot, {"id": state.allocate(), "map_id": card.map_id, "voter_id": voter.id,
                          "card_id": card.id})
        op = change("cards", card, {"votes": min(MAX_VOTES, card.votes + 1)})
        return [insert("voters", voter), insert("dots", dot), *([op] if op else [])]

    def label(self, state: State) -> str:
        title = quote(need(state, "cards", self.card_id).title)
        verb = "Vote for" if self.delta > 0 else "Take back a dot on"
        return credit(f"{verb} {title}", self.who)


@dataclass
class SetFeeling(Command):
    """A participant's own feeling about a stage (-2..+2), or None to take it back."""

    stage_id: int
    participant_id: int
    who: str
    score: int | None

    def plan(self, state: State) -> list[Op]:
        stage = need(state, "stages", self.stage_id)
        old = next((f for f in state.rows["feelings"].values()
                    if f.stage_id == stage.id and f.participant_id == self.participant_id), None)
        if self.score is None:
            return [remove("feelings", old)] if old is not None else []
        if old is not None:
            op = change("feelings", old, {"score": self.score})
            return [op] if op else []
        row = build(Feeling, {"id": state.allocate(), "map_id": stage.map_id,
                              "stage_id": stage.id, "participant_id": self.participant_id,
                              "score": self.score})
        return [insert("feelings", row)]

    def label(self, state: State) -> str:
        name = quote(need(state, "stages", self.stage_id).name)
        if self.score is None:
            return credit(f"Take back feeling about {name}", self.who)
        return credit(f"Feeling about {name}: {self.score:+d}", self.who)


@dataclass
class MergeIdea(Command):
    """Fold a participant's idea into an existing card: its text joins the card's body."""

    card_id: int
    text: str
    who: str

    def plan(self, state: State) -> list[Op]:
        card = need(state, "cards", self.card_id)
        line = f"+ {' '.join(self.text.split())} ({self.who})"
        body = (card.body + "\n" if card.body else "") + line
        op = change("cards", card, {"body": body[:MAX_TEXT]})
        return [op] if op else []

    def label(self, state: State) -> str:
        return credit(f"Merge an idea into {quote(need(state, 'cards', self.card_id).title)}",
                      self.who)
