"""A MapLayout flattened into drawing primitives, in painting order.

Every renderer (PDF, PNG, SVG, and the canvas if it likes) implements the seven
primitives below and walks :func:`paint_ops`; nothing is positioned twice. Group
markers (:class:`GroupOp` ... :class:`EndGroupOp`) name the title block, each phase,
stage, lane and card, for outputs that keep structure (the SVG); others skip them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import NamedTuple

from app.layout.boxes import (
    Badge,
    CardBox,
    EmotionCurve,
    FunnelBand,
    Glyph,
    Legend,
    LinkPath,
    MapLayout,
    Rect,
    Swatch,
    TextLine,
)
from app.layout.logo import Logo
from app.layout.wrap import join_lines


class RectOp(NamedTuple):
    """A (rounded) rectangle."""

    rect: Rect
    fill: str | None
    stroke: str | None
    width: float = 0.0
    radius: float = 0.0
    dash: tuple[float, ...] = ()


class PolyOp(NamedTuple):
    """A closed polygon."""

    points: tuple[tuple[float, float], ...]
    fill: str | None
    stroke: str | None
    width: float = 0.0


class EllipseOp(NamedTuple):
    """An ellipse centred on (cx, cy)."""

    cx: float
    cy: float
    rx: float
    ry: float
    fill: str | None
    stroke: str | None
    width: float = 0.0


class PathOp(NamedTuple):
    """An open path: a start point then cubic segments (c1, c2, end), stroked."""

    start: tuple[float, float]
    curves: tuple[tuple[tuple[float, float], tuple[float, float], tuple[float, float]], ...]
    stroke: str
    width: float
    dash: tuple[float, ...] = ()


class LineOp(NamedTuple):
    """A straight stroked line."""

    x0: float
    y0: float
    x1: float
    y1: float
    stroke: str
    width: float
    dash: tuple[float, ...] = ()


class TextOp(NamedTuple):
    """One text line."""

    line: TextLine


class ImageOp(NamedTuple):
    """A raster image (the brand logo) scaled into ``rect``, its aspect kept."""

    rect: Rect
    logo: Logo


class GroupOp(NamedTuple):
    """The ops up to the matching :class:`EndGroupOp` form one named part of the map
    (the title block, a stage, a lane, a card...): the SVG writes them as a ``<g>``
    with this id and label; renderers without groups skip both markers."""

    id: str
    label: str


class EndGroupOp(NamedTuple):
    """Closes the innermost :class:`GroupOp`."""


Op = RectOp | PolyOp | EllipseOp | PathOp | LineOp | TextOp | ImageOp | GroupOp | EndGroupOp
_END = EndGroupOp()


def _label(lines: tuple[TextLine, ...] | list[TextLine]) -> str:
    return join_lines([t.text for t in lines])


#: Every stroke prints between these widths (points): thinner vanishes on an office
#: printer, thicker reads as a block.
MIN_STROKE = 0.25
MAX_STROKE = 4.0


def stroke(width: float) -> float:
    """The one scaling every stroke width goes through: ``width`` is already in page
    points (the layout's fields are scaled once, by ``fit_to_page``; constants here are
    multiplied by the layout's scale once), clamped to 0.25..4 pt. 0 stays 0 (no stroke)."""
    if width <= 0:
        return 0.0
    return min(MAX_STROKE, max(MIN_STROKE, width))


def glyph_ops(g: Glyph) -> Iterator[Op]:
    """A marker as an ellipse or polygon."""
    w = stroke(g.stroke_width) if g.stroke else 0.0
    if g.shape == "circle":
        yield EllipseOp(g.cx, g.cy, g.size / 2, g.size / 2, g.fill, g.stroke, w)
    else:
        yield PolyOp(g.polygon(), g.fill, g.stroke, w)


def badge_ops(b: Badge, s: float = 1.0, *, text: bool = True) -> Iterator[Op]:
    """A chip: its pill, its glyph (emotion) and, unless ``text`` is False, its label."""
    yield RectOp(b.rect, b.fill, b.border, stroke(0.5 * s) if b.border else 0, b.rect.h / 2)
    if b.glyph is not None:
        yield from glyph_ops(b.glyph)
    if text and b.text is not None:
        yield TextOp(b.text)


def card_ops(card: CardBox, s: float = 1.0, *, badge_text: bool = True) -> Iterator[Op]:
    """A card: its (dashed, for a de-emphasised assumption) box, kind marker, title and
    body lines, then its chips. ``s`` is the layout's scale (1 on the canvas); the box's
    own widths are already scaled."""
    yield RectOp(card.rect, card.fill, card.border, stroke(card.border_width), 4 * s,
                 card.border_dash)
    yield from glyph_ops(card.marker)
    for t in (*card.title_lines, *card.body_lines):
        yield TextOp(t)
    for b in card.badges:
        yield from badge_ops(b, s, text=badge_text)


def link_ops(link: LinkPath) -> Iterator[Op]:
    """A link's curve and arrow head (its label is drawn over the cards)."""
    yield PathOp(link.start, ((link.c1, link.c2, link.end),), link.colour, stroke(link.width))
    yield PolyOp(link.arrow, link.colour, None)


def link_label_ops(link: LinkPath) -> Iterator[Op]:
    """A link's label, if it has one."""
    if link.label is not None:
        yield TextOp(link.label)


def _segments_op(segments: tuple[tuple[float, ...], ...], colour: str, width: float
                 ) -> Iterator[Op]:
    if segments:
        curves = tuple(((g[2], g[3]), (g[4], g[5]), (g[6], g[7])) for g in segments)
        yield PathOp((segments[0][0], segments[0][1]), curves, colour, stroke(width))


def curve_ops(c: EmotionCurve, s: float = 1.0) -> Iterator[Op]:
    """The emotion curve, back to front: the band of the room's spread, the dashed zero
    line and scale labels, the stage averages (lighter), the room's curve, the cards'
    curve (the focal line), then the markers (averages, room, each card's score)."""
    if c.room_band:
        yield PolyOp(c.room_band, c.band_fill, None)
    x0 = max((t.x + t.width for t in c.labels), default=c.band.x) + 3 * s
    yield LineOp(x0, c.zero_y, c.band.right, c.zero_y, c.zero_colour, stroke(0.6 * s),
                 (4 * s, 3 * s))
    for t in c.labels:
        yield TextOp(t)
    yield from _segments_op(c.mean_segments, c.mean_colour, c.mean_width)
    yield from _segments_op(c.room_segments, c.room_colour, c.room_width)
    yield from _segments_op(c.segments, c.colour, c.width)
    for p in (*c.means, *c.room, *c.points):
        yield from glyph_ops(p.glyph)


def legend_ops(leg: Legend, s: float = 1.0) -> Iterator[Op]:
    """The legend: group headings, swatches or glyphs, labels."""
    for t in leg.headings:
        yield TextOp(t)
    for e in leg.entries:
        if e.swatch is not None:
            yield RectOp(e.swatch, e.fill, e.border, stroke(0.6 * s), 2 * s)
        if e.glyph is not None:
            yield from glyph_ops(e.glyph)
        yield TextOp(e.label)


def paint_ops(lay: MapLayout, *, background: bool = True) -> Iterator[Op]:
    """Everything to draw for a layout, back to front."""
    s = lay.scale
    if background:
        yield RectOp(Rect(0, 0, lay.width, lay.height), lay.background, None)
    yield GroupOp("title", "Title: " + _label(lay.title.title_lines))
    if lay.title.logo is not None and lay.title.logo_rect is not None:
        yield ImageOp(lay.title.logo_rect, lay.title.logo)
    for t in (*lay.title.title_lines, *lay.title.meta_lines):
        yield TextOp(t)
    yield _END
    for i, p in enumerate(lay.phases):
        yield GroupOp(f"phase-{i + 1}", "Phase: " + p.name)
        yield RectOp(p.rect, p.fill, None, 0, 3 * s)
        for t in p.lines:
            yield TextOp(t)
        yield _END
    # lane rows: label cell tint, row tint, marker and label (one group per lane)
    for i, lane in enumerate(lay.lanes):
        yield GroupOp(f"lane-{lane.lane_id}", "Lane: " + _label(lane.lines))
        yield RectOp(lane.rect, lane.fill, None)
        if i % 2 == 1 and not lane.collapsed:
            yield RectOp(Rect(lay.grid.x, lane.row.y, lay.grid.w, lane.row.h), "#fafbfc", None)
        if lane.collapsed:
            yield RectOp(Rect(lay.grid.x, lane.row.y, lay.grid.w, lane.row.h), "#eceff2", None)
        if lane.marker is not None:
            yield from glyph_ops(lane.marker)
        for t in lane.lines:
            yield TextOp(t)
        yield _END
    yield GroupOp("grid", "Grid lines")
    grid_w = stroke(0.6 * s)
    for lane in lay.lanes:
        yield LineOp(lane.row.x, lane.row.y, lane.row.right, lane.row.y, lay.grid_colour, grid_w)
    if lay.lanes:
        last = lay.lanes[-1].row
        yield LineOp(last.x, last.bottom, last.right, last.bottom, lay.grid_colour, grid_w)
    for st in lay.stages[1:]:
        yield LineOp(st.column.x, st.column.y, st.column.x, st.column.bottom, lay.grid_colour,
                     grid_w)
    yield _END
    for st in lay.stages:
        inset = 1.0 * s
        yield GroupOp(f"stage-{st.stage_id}", "Stage: " + _label(st.lines))
        yield RectOp(Rect(st.rect.x + inset, st.rect.y, st.rect.w - 2 * inset, st.rect.h),
                     st.fill, None, 0, 3 * s)
        for t in st.lines:
            yield TextOp(t)
        yield _END
    for strip in lay.stage_heat:
        yield from swatch_ops(strip.swatch)
        yield TextOp(strip.label)
    for bar in lay.evidence:
        yield from swatch_ops(bar.track)
        if bar.filled is not None:
            yield from swatch_ops(bar.filled)
        yield TextOp(bar.label)
    if lay.curve is not None:
        yield GroupOp("emotion-curve", "Emotion curve")
        yield from curve_ops(lay.curve, s)
        yield _END
    # Links run under the cards (their arrow heads end on card edges), so they never
    # cross card text.
    if lay.links:
        yield GroupOp("links", "Links")
    for link in lay.links:
        yield from link_ops(link)
    if lay.links:
        yield _END
    for card in lay.cards.values():
        yield GroupOp(f"card-{card.card_id}", "Card: " + _label(card.title_lines))
        yield from card_ops(card, s)
        yield _END
    for link in lay.links:
        yield from link_label_ops(link)
    if lay.legend is not None:
        yield GroupOp("legend", "Legend")
        yield from legend_ops(lay.legend, s)
        yield _END
    if lay.funnel is not None:
        yield from funnel_ops(lay.funnel)
    if lay.heat is not None:
        for step in lay.heat.steps:
            yield from swatch_ops(step)
        yield from swatch_ops(lay.heat.no_data)
        for t in lay.heat.lines:
            yield TextOp(t)
    if lay.footer:
        yield GroupOp("footer", "Footer")
    for t in lay.footer:
        yield TextOp(t)
    if lay.footer:
        yield _END


def swatch_ops(sw: Swatch) -> Iterator[Op]:
    """A filled rectangle, outlined when it has a border (its width is already scaled)."""
    yield RectOp(sw.rect, sw.fill, sw.border, stroke(sw.border_width) if sw.border else 0.0)


def funnel_ops(band: FunnelBand) -> Iterator[Op]:
    """The funnel: trapezoids joining the bars of neighbouring stages, the bars, the labels."""
    for a, b in itertools.pairwise(st.bar for st in band.steps):
        if a is None or b is None:  # no join across a stage without a value
            continue
        ra, rb = a.rect, b.rect
        yield PolyOp(((ra.right, ra.y), (rb.x, rb.y), (rb.x, rb.bottom), (ra.right, ra.bottom)),
                     band.connector, None)
    bars = [st.bar for st in band.steps if st.bar is not None]
    for bar in bars:
        yield from swatch_ops(bar)
    for t in band.lines:
        yield TextOp(t)
    for st in band.steps:
        for t in st.lines:
            yield TextOp(t)
