"""Copy, cut and paste of cards through the system clipboard (JSON + plain text).

The JSON (``application/x-waymark-cards``) carries each card's fields and the
names of its stage and lane, so a paste into another map or another document
lands in the stage/lane of the same name when there is one, else in the lane
of the card's kind, else in the target cell.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

from app.model import commands as C
from app.model.document import Document
from app.model.schema import LANE_FOR_CARD, Card, CardKind

CARDS_MIME = "application/x-waymark-cards"
MAX_PASTE = 2000


def cards_mime(doc: Document, ids: list[int]) -> QMimeData:
    """The clipboard payload for some cards."""
    data = doc.data
    items = []
    for cid in ids:
        c = data.cards[cid]
        fields = c.model_dump(mode="json", include=set(Card.COPY_FIELDS))
        items.append({"fields": fields, "stage": data.stages[c.stage_id].name,
                      "lane": data.lanes[c.lane_id].name})
    mime = QMimeData()
    mime.setData(CARDS_MIME, json.dumps({"waymark_cards": 1, "cards": items}).encode())
    mime.setText("\n".join(data.cards[i].title for i in ids))
    return mime


def copy_cards(doc: Document, ids: list[int]) -> None:
    """Put cards on the clipboard."""
    if ids:
        QGuiApplication.clipboard().setMimeData(cards_mime(doc, ids))


def paste_command(doc: Document, map_id: int, mime: QMimeData | None,
                  cell: tuple[int, int] | None) -> C.AddCards | None:
    """AddCards for the clipboard's cards (or its plain-text lines) into ``map_id``."""
    if mime is None:
        return None
    data = doc.data
    stages = data.stages_of(map_id)
    lanes = data.lanes_of(map_id)
    if not stages or not lanes:
        return None
    target = cell or (stages[0].id, lanes[0].id)
    items: list[tuple[int, int, dict[str, Any]]] = []
    if mime.hasFormat(CARDS_MIME):
        try:
            payload = json.loads(bytes(mime.data(CARDS_MIME)).decode("utf-8"))
            cards = payload["cards"][:MAX_PASTE]
        except (ValueError, KeyError, TypeError, RecursionError):  # any other program's data
            return None
        for entry in cards:
            if not isinstance(entry, dict) or not isinstance(entry.get("fields"), dict):
                continue
            fields = {k: v for k, v in entry["fields"].items() if k in Card.COPY_FIELDS}
            stage = _by_name(stages, entry.get("stage"))
            lane = _by_name(lanes, entry.get("lane")) or _lane_for_kind(lanes, fields.get("kind"))
            if cell is not None:
                stage_id, lane_id = cell
                if len(cards) > 1 and stage is not None and lane is not None:
                    stage_id, lane_id = stage.id, lane.id
            else:
                stage_id = stage.id if stage else target[0]
                lane_id = lane.id if lane else target[1]
            items.append((stage_id, lane_id, fields))
    elif mime.hasText():
        for line in mime.text().splitlines()[:MAX_PASTE]:
            if line.strip():
                items.append((*target, {"title": line.strip()[:200]}))
    if not items:
        return None
    name = "Paste card" if len(items) == 1 else f"Paste {len(items)} cards"
    return C.AddCards(items, name=name)


def _by_name(rows, name: object):
    if not isinstance(name, str):
        return None
    return next((r for r in rows if r.name.casefold() == name.casefold()), None)


def _lane_for_kind(lanes, kind: object):
    try:
        lane_kind = LANE_FOR_CARD[CardKind(kind)]
    except (ValueError, KeyError):
        return None
    return next((ln for ln in lanes if ln.kind == lane_kind), None)
