"""The room's document commands: a participant's card, dot and feeling, each one normal
undo step whose history entry names the participant."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import CommandError
from app.model.commands import Command, build, change, insert, need, quote, remove
from app.model.ops import Op
from app.model.schema import MAX_TEXT, MAX_VOTES, Feeling, Vote
from app.model.state import State


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
class CastVote(Command):
    """One dot on (``delta`` +1) or off (-1) a card, counted for the participant."""

    card_id: int
    participant_id: int
    who: str
    delta: int = 1

    def plan(self, state: State) -> list[Op]:
        card = need(state, "cards", self.card_id)
        if self.delta > 0:
            if card.votes >= MAX_VOTES:
                raise CommandError("This card has as many dots as a card can hold")
            vote = build(Vote, {"id": state.allocate(), "map_id": card.map_id,
                                "card_id": card.id, "participant_id": self.participant_id})
            op = change("cards", card, {"votes": card.votes + 1})
            return [insert("votes", vote), *([op] if op else [])]
        mine = sorted((v for v in state.rows["votes"].values()
                       if v.card_id == card.id and v.participant_id == self.participant_id),
                      key=lambda v: v.id)
        if not mine:
            raise CommandError("You have no dot on this card")
        op = change("cards", card, {"votes": max(0, card.votes - 1)})
        return [remove("votes", mine[-1]), *([op] if op else [])]

    def label(self, state: State) -> str:
        title = quote(need(state, "cards", self.card_id).title)
        verb = "Vote for" if self.delta > 0 else "Remove vote from"
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
