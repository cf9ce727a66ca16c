"""What participants see: the room's map as compact JSON (shared by every page), and a
participant's own list of ideas with where each one is now."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from app.analysis.emotion import stage_emotions
from app.model.schema import CardKind, DocumentData
from app.workshop.state import FACE_DOWN

#: A phone page lists at most this many cards (the newest); the rest are counted.
MAX_VIEW_CARDS = 1500


def map_view(data: DocumentData, map_id: int,
             face_down: Collection[int] = ()) -> dict[str, Any]:
    """The map's stages, lanes, cards (id, cell, kind, title, votes) and emotion curve.

    Cards in ``face_down`` (concealed on the wall until the reveal) show
    :data:`~app.workshop.state.FACE_DOWN` instead of their title."""
    m = data.maps.get(map_id)
    if m is None:
        return {"t": "view", "map": None}
    cards = data.cards_of(map_id)
    total = len(cards)
    if total > MAX_VIEW_CARDS:
        keep = set(sorted(c.id for c in cards)[-MAX_VIEW_CARDS:])
        cards = [c for c in cards if c.id in keep]
    people: dict[int, int] = {}  # of a stage's scores, those the room's people gave
    for f in data.feelings.values():
        if f.map_id == map_id:
            people[f.stage_id] = people.get(f.stage_id, 0) + 1
    curve = [{"stage": s.stage_id, "mean": s.average, "spread": s.spread, "n": s.count,
              "people": people.get(s.stage_id, 0)} for s in stage_emotions(data, map_id)]
    return {
        "t": "view",
        "map": {"id": m.id, "title": m.title},
        "stages": [{"id": s.id, "name": s.name} for s in data.stages_of(map_id)],
        "lanes": [{"id": ln.id, "name": ln.name, "kind": ln.kind.value}
                  for ln in data.lanes_of(map_id)],
        "cards": [{"id": c.id, "stage": c.stage_id, "lane": c.lane_id, "kind": c.kind.value,
                   "title": FACE_DOWN if c.id in face_down else c.title,
                   "votes": c.votes} for c in cards],
        "total_cards": total,
        "curve": curve,
        "kinds": [k.value for k in CardKind],
    }


def my_ideas(data: DocumentData, receipts: list[dict[str, Any]],
             inbox_status: dict[int, str]) -> list[dict[str, Any]]:
    """A participant's ideas, newest first, with their status now: ``added`` (on the
    map), ``gone`` (taken off since), ``pending``, ``held``, ``accepted``, ``merged`` or
    ``discarded``."""
    out = []
    for r in receipts:
        if "card" in r:
            status = "added" if r["card"] in data.cards else "gone"
        else:
            status = inbox_status.get(int(r.get("item", 0)), r.get("status", "pending"))
        out.append({"title": r["title"], "status": status})
    return out[::-1][:60]
