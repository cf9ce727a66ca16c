"""Moving and scaling finished boxes: cards into their cell, whole layouts onto a page."""

from __future__ import annotations

import dataclasses
from typing import Any

from app.layout.boxes import CardBox, MapLayout, Rect
from app.layout.cardtext import CardText
from app.model.schema import Card

_X = {"x", "cx"}
_Y = {"y", "cy", "y_baseline", "zero_y"}
_LEN = {"w", "h", "size", "size_pt", "width", "stroke_width", "border_width", "title_size",
        "body_size"}
_POINTS = {"start", "c1", "c2", "end"}


def _walk(value: Any, s: float, dx: float, dy: float) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if f.name in _X and isinstance(v, float | int):
                changes[f.name] = v * s + dx
            elif f.name in _Y and isinstance(v, float | int):
                changes[f.name] = v * s + dy
            elif f.name in _LEN and isinstance(v, float | int):
                changes[f.name] = v * s
            elif f.name in _POINTS and isinstance(v, tuple):
                changes[f.name] = (v[0] * s + dx, v[1] * s + dy)
            elif f.name == "arrow":
                changes[f.name] = tuple((p[0] * s + dx, p[1] * s + dy) for p in v)
            elif f.name == "segments":
                changes[f.name] = tuple(
                    tuple(c * s + (dx if i % 2 == 0 else dy) for i, c in enumerate(seg))
                    for seg in v
                )
            elif isinstance(v, tuple | dict) or dataclasses.is_dataclass(v):
                changes[f.name] = _walk(v, s, dx, dy)
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_walk(v, s, dx, dy) for v in value)
    if isinstance(value, dict):
        return {k: _walk(v, s, dx, dy) for k, v in value.items()}
    return value


def translate_card(card: Card, text: CardText, x: float, y: float, height: float) -> CardBox:
    """Place a card's content (laid out at 0, 0) at (x, y) with the grid row's ``height``."""
    moved: CardText = _walk(text, 1.0, x, y)
    return CardBox(
        card_id=card.id, stage_id=card.stage_id, lane_id=card.lane_id,
        rect=Rect(x, y, text.width, max(height, text.height)),
        fill=text.fill, border=text.border, border_width=1.0, kind=card.kind.value,
        marker=moved.marker, title_lines=moved.title_lines, body_lines=moved.body_lines,
        badges=moved.badges, title_size=text.title_size,
        body_size=text.body_lines[0].size_pt if text.body_lines else text.title_size / 1.25,
        shrunk=text.shrunk,
    )


def fit_to_page(layout: MapLayout, page_w: float, page_h: float, margin: float) -> MapLayout:
    """The layout scaled uniformly into the page's margins and centred on it.

    The layout's own empty border (``layout.pad``) is replaced by the page margin,
    so the printed white border is the margin, not margin plus padding.
    """
    s = scale_factor(layout, page_w, page_h, margin)
    p = layout.pad
    dx = (page_w - (layout.width - 2 * p) * s) / 2 - p * s
    dy = (page_h - (layout.height - 2 * p) * s) / 2 - p * s
    moved: MapLayout = _walk(layout, s, dx, dy)
    return dataclasses.replace(
        moved, width=page_w, height=page_h, scale=s,
        sizes={k: v * s for k, v in layout.sizes.items()}, min_size=layout.min_size * s,
    )


def scale_factor(layout: MapLayout, page_w: float, page_h: float, margin: float) -> float:
    """The fit scale a natural-size layout would get on a page."""
    p = layout.pad
    return min(max(1.0, page_w - 2 * margin) / max(1.0, layout.width - 2 * p),
               max(1.0, page_h - 2 * margin) / max(1.0, layout.height - 2 * p))
