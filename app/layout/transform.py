"""Moving and scaling finished boxes: cards into their cell, whole layouts onto a page."""

from __future__ import annotations

import dataclasses
from typing import Any

from app.layout import caches
from app.layout.boxes import (
    Badge,
    CardBox,
    Glyph,
    LinkPath,
    MapLayout,
    Rect,
    TextLine,
    fast_rect,
    fast_text_line,
)
from app.layout.cardtext import CardText
from app.model.schema import Card

_X = {"x", "cx"}
_Y = {"y", "cy", "y_baseline", "zero_y"}
_LEN = {"w", "h", "size", "size_pt", "width", "stroke_width", "border_width", "title_size",
        "body_size", "mean_width", "room_width"}
_SEGMENTS = {"segments", "mean_segments", "room_segments"}
_POINT_LISTS = {"arrow", "room_band"}
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
            elif f.name in _POINT_LISTS:
                changes[f.name] = tuple((p[0] * s + dx, p[1] * s + dy) for p in v)
            elif f.name in _SEGMENTS:
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


# Per-type movers for the boxes a layout holds by the thousand (cards, their lines, badges
# and markers). Each computes exactly what ``_walk`` would, without reflection; ``_walk``
# remains for the few other boxes (title, legend, curve, links, ...).

def _rect(r: Rect, s: float, dx: float, dy: float) -> Rect:
    return fast_rect(r.x * s + dx, r.y * s + dy, r.w * s, r.h * s)


def _line(t: TextLine, s: float, dx: float, dy: float) -> TextLine:
    return fast_text_line(t.x * s + dx, t.y_baseline * s + dy, t.text, t.font, t.size_pt * s,
                          t.colour, t.width * s)


def _lines(lines: tuple[TextLine, ...], s: float, dx: float, dy: float
           ) -> tuple[TextLine, ...]:
    return tuple([fast_text_line(t.x * s + dx, t.y_baseline * s + dy, t.text, t.font,
                                 t.size_pt * s, t.colour, t.width * s) for t in lines])


def _glyph(g: Glyph | None, s: float, dx: float, dy: float) -> Glyph | None:
    if g is None:
        return None
    return Glyph(g.shape, g.cx * s + dx, g.cy * s + dy, g.size * s, g.fill, g.stroke,
                 g.stroke_width * s)


def _badges(badges: tuple[Badge, ...], s: float, dx: float, dy: float) -> tuple[Badge, ...]:
    return tuple([
        Badge(b.kind, _rect(b.rect, s, dx, dy), b.fill, b.border,
              None if b.text is None else _line(b.text, s, dx, dy), _glyph(b.glyph, s, dx, dy),
              b.full_text)
        for b in badges
    ])


def _card(c: CardBox, s: float, dx: float, dy: float) -> CardBox:
    return CardBox(
        c.card_id, c.stage_id, c.lane_id, _rect(c.rect, s, dx, dy), c.fill, c.border,
        c.border_width * s, c.kind, _glyph(c.marker, s, dx, dy),  # type: ignore[arg-type]
        _lines(c.title_lines, s, dx, dy), _lines(c.body_lines, s, dx, dy),
        _badges(c.badges, s, dx, dy), c.title_size * s, c.body_size * s, c.shrunk,
        tuple(d * s for d in c.border_dash),
    )


def _link(k: LinkPath, s: float, dx: float, dy: float) -> LinkPath:
    def pt(p: tuple[float, float]) -> tuple[float, float]:
        return (p[0] * s + dx, p[1] * s + dy)

    return LinkPath(k.link_id, k.source_id, k.target_id, pt(k.start), pt(k.c1), pt(k.c2),
                    pt(k.end), tuple(pt(p) for p in k.arrow), k.colour, k.width * s,
                    None if k.label is None else _line(k.label, s, dx, dy))


def place_card(card: Card, text: CardText, x: float, y: float, height: float,
               width: float | None, cache: caches.LayoutCache) -> CardBox:
    """:func:`translate_card`, reusing the last box of this card when nothing changed.

    ``text`` comes from the card-text cache, which keys it on every field of the card,
    so the very same ``text`` object at the same place means the very same box.
    ``cache.placed`` holds, per card id of the owner's document, (text, x, y, height,
    box) of its last placing.
    """
    placed = cache.placed
    w = text.width if width is None else max(width, text.width)
    last = placed.get(card.id)
    if last is not None and last[0] is text and last[1] == x and last[2] == y and (
            last[3] == height) and last[4].rect.w == w:
        return last[4]
    box = translate_card(card, text, x, y, height, w)
    if len(placed) >= caches.PLACED_MAX:
        placed.clear()
    placed[card.id] = (text, x, y, height, box)
    return box


def translate_card(card: Card, text: CardText, x: float, y: float, height: float,
                   width: float | None = None) -> CardBox:
    """Place a card's content (laid out at 0, 0) at (x, y) with the grid row's ``height``;
    ``width`` (at least the text's) widens the card, its kind marker staying at the right."""
    w = text.width if width is None else max(width, text.width)
    return CardBox(
        card_id=card.id, stage_id=card.stage_id, lane_id=card.lane_id,
        rect=Rect(x, y, w, max(height, text.height)),
        fill=text.fill, border=text.border, border_width=1.0, kind=card.kind.value,
        marker=_glyph(text.marker, 1.0, x + w - text.width, y),  # type: ignore[arg-type]
        title_lines=_lines(text.title_lines, 1.0, x, y),
        body_lines=_lines(text.body_lines, 1.0, x, y),
        badges=_badges(text.badges, 1.0, x, y), title_size=text.title_size,
        body_size=text.body_lines[0].size_pt if text.body_lines else text.title_size / 1.25,
        shrunk=text.shrunk,
    )


def fit_to_page(layout: MapLayout, page_w: float, page_h: float, margin: float,
                max_scale: float | None = None) -> MapLayout:
    """The layout scaled uniformly into the page's margins and centred on it.

    The layout's own empty border (``layout.pad``) is replaced by the page margin,
    so the printed white border is the margin, not margin plus padding.
    ``max_scale``: the scale is held at most at this (the layout is then centred).
    """
    s, dx, dy = fit_params(layout, page_w, page_h, margin, max_scale)
    cards = {k: _card(c, s, dx, dy) for k, c in layout.cards.items()}
    cells = {k: _rect(r, s, dx, dy) for k, r in layout.cells.items()}
    links = tuple(_link(k, s, dx, dy) for k in layout.links)
    moved: MapLayout = _walk(dataclasses.replace(layout, cards={}, cells={}, links=()),
                             s, dx, dy)
    return dataclasses.replace(
        moved, width=page_w, height=page_h, scale=s, cards=cards, cells=cells, links=links,
        sizes={k: v * s for k, v in layout.sizes.items()}, min_size=layout.min_size * s,
    )


def fit_params(layout: MapLayout, page_w: float, page_h: float, margin: float,
               max_scale: float | None = None) -> tuple[float, float, float]:
    """(scale, dx, dy) that :func:`fit_to_page` applies: page = natural * scale + (dx, dy)."""
    s = scale_factor(layout, page_w, page_h, margin)
    if max_scale is not None:
        s = min(s, max_scale)
    p = layout.pad
    dx = (page_w - (layout.width - 2 * p) * s) / 2 - p * s
    dy = (page_h - (layout.height - 2 * p) * s) / 2 - p * s
    return s, dx, dy


def scale_factor(layout: MapLayout, page_w: float, page_h: float, margin: float) -> float:
    """The fit scale a natural-size layout would get on a page."""
    p = layout.pad
    return min(max(1.0, page_w - 2 * margin) / max(1.0, layout.width - 2 * p),
               max(1.0, page_h - 2 * margin) / max(1.0, layout.height - 2 * p))
