"""Commands for clusters (affinity mapping): group cards under a label, rename, ungroup.

A cluster's cards sit next to each other in one cell (the canvas draws one labelled
frame around them); :mod:`app.model.membership` keeps that true when cards move.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.errors import CommandError
from app.model.commands import Command, _cell, build, change, insert, need, quote, remove
from app.model.ops import Op
from app.model.schema import Cluster
from app.model.state import State


def _emptied(state: State, leaving: set[int], joining: int | None = None) -> list[Op]:
    """Deletes of the clusters that ``leaving`` cards leave without any card."""
    rows = state.rows
    old = {rows["cards"][i].cluster_id for i in leaving} - {None, joining}
    if not old:
        return []
    kept = {c.cluster_id for c in rows["cards"].values() if c.id not in leaving}
    return [remove("clusters", rows["clusters"][k]) for k in sorted(old - kept)]


@dataclass
class GroupCards(Command):
    """Put cards into a cluster: a new one labelled ``name``, or ``cluster_id``'s.

    The cards are gathered, in map order, into the cell of the first one (or of the
    cluster's cards), right after the cluster's cards there: one step.
    """

    card_ids: list[int]
    name: str = "Group"
    cluster_id: int | None = None

    def plan(self, state: State) -> list[Op]:
        if not self.card_ids:
            raise CommandError("Select the cards to group first")
        cards = [need(state, "cards", i) for i in dict.fromkeys(self.card_ids)]
        map_id = cards[0].map_id
        if any(c.map_id != map_id for c in cards):
            raise CommandError("Only cards of one map can be grouped")
        ops: list[Op] = []
        if self.cluster_id is None:
            cluster = build(Cluster, {"id": state.allocate(), "map_id": map_id,
                                      "label": self.name})
            ops.append(insert("clusters", cluster))
            members: list[Any] = []
        else:
            cluster = need(state, "clusters", self.cluster_id)
            if cluster.map_id != map_id:
                raise CommandError("The cluster belongs to another map")
            members = sorted((c for c in state.rows["cards"].values()
                              if c.cluster_id == cluster.id), key=lambda c: (c.position, c.id))
        anchor = members[0] if members else cards[0]
        cell = (anchor.stage_id, anchor.lane_id)
        moving = {c.id for c in cards}
        rows = _cell(state, *cell, skip=moving)
        if members:
            at = max(i for i, c in enumerate(rows) if c.cluster_id == cluster.id) + 1
        else:
            at = sum(1 for c in rows if c.position < anchor.position)
        new_rows = [*rows[:at], *cards, *rows[at:]]
        touched = {cell: new_rows}
        for c in cards:
            key = (c.stage_id, c.lane_id)
            if key != cell and key not in touched:
                touched[key] = _cell(state, *key, skip=moving)
        for (stage_id, lane_id), ordered in touched.items():
            for position, card in enumerate(ordered):
                new = {"stage_id": stage_id, "lane_id": lane_id, "position": position}
                if card.id in moving:
                    new["cluster_id"] = cluster.id
                old = {k: getattr(card, k) for k in new}
                diff = [k for k in new if old[k] != new[k]]
                if diff:
                    ops.append(Op("update", "cards", card.id, {k: old[k] for k in diff},
                                  {k: new[k] for k in diff}))
        return ops + _emptied(state, moving, cluster.id)

    def label(self, state: State) -> str:
        n = len(dict.fromkeys(self.card_ids))
        what = "card" if n == 1 else f"{n} cards"
        if self.cluster_id is not None:
            name = need(state, "clusters", self.cluster_id).label
            return f"Add {what} to group {quote(name)}"
        return f"Group {what} as {quote(self.name)}"


@dataclass
class UngroupCards(Command):
    """Take cards out of their clusters (they stay where they are)."""

    card_ids: list[int]

    def plan(self, state: State) -> list[Op]:
        ids = {need(state, "cards", i).id for i in self.card_ids}
        ops = [op for i in sorted(ids)
               if (op := change("cards", state.rows["cards"][i], {"cluster_id": None}))]
        return ops + _emptied(state, ids)

    def label(self, state: State) -> str:
        n = len(set(self.card_ids))
        return "Ungroup card" if n == 1 else f"Ungroup {n} cards"


@dataclass
class UpdateCluster(Command):
    """Rename a cluster or change its colour."""

    cluster_id: int
    fields: dict[str, Any]

    def plan(self, state: State) -> list[Op]:
        op = change("clusters", need(state, "clusters", self.cluster_id), self.fields)
        return [op] if op else []

    def label(self, state: State) -> str:
        row = need(state, "clusters", self.cluster_id)
        if set(self.fields) == {"label"}:
            return f"Rename group {quote(row.label)} to {quote(self.fields['label'])}"
        return f"Edit group {quote(row.label)}"


@dataclass
class DeleteCluster(Command):
    """Dissolve a cluster: its cards stay, without a group."""

    cluster_id: int

    def plan(self, state: State) -> list[Op]:
        cluster = need(state, "clusters", self.cluster_id)
        ops = [op for c in sorted(state.rows["cards"].values(), key=lambda c: c.id)
               if c.cluster_id == cluster.id
               and (op := change("cards", c, {"cluster_id": None}))]
        return [*ops, remove("clusters", cluster)]

    def label(self, state: State) -> str:
        return f"Dissolve group {quote(need(state, 'clusters', self.cluster_id).label)}"
