"""Which cluster a moved card belongs to: the rule shared by every command that moves cards.

A cluster (affinity group) is drawn as one frame around consecutive cards of a cell, so
its members must stay consecutive. After a move, for each moved card:

* it joins cluster X when it lands between two members of X;
* it stays in its cluster while it is next to another member of it (a group dragged
  together stays a group), or when it is the cluster's last card;
* otherwise it leaves its cluster (dragged out of the group), and a cluster left with no
  card is deleted.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.model.ops import Op
from app.model.schema import Card
from app.model.state import State
from app.model.tables import dump


def membership_ops(state: State, cells: dict[tuple[int, int], list[Card]],
                   moved: Iterable[int]) -> list[Op]:
    """Cluster changes for ``moved`` cards, given every touched cell's final card order."""
    moved = set(moved)
    wanted: dict[int, int | None] = {}
    for rows in cells.values():
        for i, card in enumerate(rows):
            if card.id not in moved:
                continue
            before = rows[i - 1].cluster_id if i > 0 else None
            after = rows[i + 1].cluster_id if i + 1 < len(rows) else None
            own = card.cluster_id
            if before is not None and before == after:
                wanted[card.id] = before
            elif own is not None and own in (before, after):
                wanted[card.id] = own
            elif own is not None:
                wanted[card.id] = None  # decided below: kept if it is the last member
    if not wanted:
        return []
    cards = state.rows["cards"]
    members: dict[int, set[int]] = {}
    for card in cards.values():
        cid = wanted[card.id] if card.id in wanted else card.cluster_id
        if cid is not None:
            members.setdefault(cid, set()).add(card.id)
    for card_id, cid in list(wanted.items()):
        own = cards[card_id].cluster_id
        if cid is None and own is not None and not members.get(own):
            wanted[card_id] = own  # the last card of its cluster keeps it
            members.setdefault(own, set()).add(card_id)
    ops = []
    for card_id, cid in sorted(wanted.items()):
        old = cards[card_id].cluster_id
        if cid != old:
            ops.append(Op("update", "cards", card_id, {"cluster_id": old}, {"cluster_id": cid}))
    emptied = {cards[i].cluster_id for i in wanted} - set(members) - {None}
    ops += [Op("delete", "clusters", k, dump(state.rows["clusters"][k]), None)
            for k in sorted(emptied)]
    return ops
