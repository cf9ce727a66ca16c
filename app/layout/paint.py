"""A MapLayout flattened into drawing primitives, in painting order.

Every renderer (PDF, PNG, SVG, and the canvas if it likes) implements the six
primitives below and walks :func:`paint_ops`; nothing is positioned twice. Group
markers (:class:`GroupOp` ... :class:`EndGroupOp`) name the title block, each phase,
stage, lane and card, for outputs that keep structure (the SVG); others skip them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import NamedTuple

from app.layout.boxes import FunnelBand, Glyph, MapLayout, Rect, Swatch, TextLine
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


class GroupOp(NamedTuple):
    """The ops up to the matching :class:`EndGroupOp` form one named part of the map
    (the title block, a stage, a lane, a card...): the SVG writes them as a ``<g>``
    with this id and label; renderers without groups skip both markers."""

    id: str
    label: str


class EndGroupOp(NamedTuple):
    """Closes the innermost :class:`GroupOp`."""


Op = RectOp | PolyOp | EllipseOp | PathOp | LineOp | TextOp | GroupOp | EndGroupOp
_END = EndGroupOp()


def _label(lines: tuple[TextLine, ...] | list[TextLine]) -> str:
    return join_lines([t.text for t in lines])


def glyph_ops(g: Glyph) -> Iterator[Op]:
    """A marker as an ellipse or polygon."""
    if g.shape == "circle":
        yield EllipseOp(g.cx, g.cy, g.size / 2, g.size / 2, g.fill, g.stroke, g.stroke_width)
    else:
        yield PolyOp(g.polygon(), g.fill, g.stroke, g.stroke_width)


def paint_ops(lay: MapLayout, *, background: bool = True) -> Iterator[Op]:
    """Everything to draw for a layout, back to front."""
    s = lay.scale
    if background:
        yield RectOp(Rect(0, 0, lay.width, lay.height), lay.background, None)
    yield GroupOp("title", "Title: " + _label(lay.title.title_lines))
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
    for lane in lay.lanes:
        yield LineOp(lane.row.x, lane.row.y, lane.row.right, lane.row.y, lay.grid_colour, 0.6 * s)
    if lay.lanes:
        last = lay.lanes[-1].row
        yield LineOp(last.x, last.bottom, last.right, last.bottom, lay.grid_colour, 0.6 * s)
    for st in lay.stages[1:]:
        yield LineOp(st.column.x, st.column.y, st.column.x, st.column.bottom, lay.grid_colour,
                     0.6 * s)
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
        yield from swatch_ops(strip.swatch, s)
        yield TextOp(strip.label)
    for bar in lay.evidence:
        yield from swatch_ops(bar.track, s)
        if bar.filled is not None:
            yield from swatch_ops(bar.filled, s)
        yield TextOp(bar.label)
    if lay.curve is not None:
        yield GroupOp("emotion-curve", "Emotion curve")
        c = lay.curve
        x0 = max((t.x + t.width for t in c.labels), default=c.band.x) + 3 * s
        yield LineOp(x0, c.zero_y, c.band.right, c.zero_y, c.zero_colour, 0.6 * s,
                     (4 * s, 3 * s))
        for t in c.labels:
            yield TextOp(t)
        if c.segments:
            curves = tuple(((g[2], g[3]), (g[4], g[5]), (g[6], g[7])) for g in c.segments)
            yield PathOp((c.segments[0][0], c.segments[0][1]), curves, c.colour, c.width)
        for p in c.points:
            yield from glyph_ops(p.glyph)
        yield _END
    # Links run under the cards (their arrow heads end on card edges), so they never
    # cross card text.
    if lay.links:
        yield GroupOp("links", "Links")
    for link in lay.links:
        yield PathOp(link.start, ((link.c1, link.c2, link.end),), link.colour, link.width)
        yield PolyOp(link.arrow, link.colour, None)
    if lay.links:
        yield _END
    for card in lay.cards.values():
        yield GroupOp(f"card-{card.card_id}", "Card: " + _label(card.title_lines))
        yield RectOp(card.rect, card.fill, card.border, card.border_width * s, 4 * s,
                     tuple(d * s for d in card.border_dash))
        yield from glyph_ops(card.marker)
        for t in (*card.title_lines, *card.body_lines):
            yield TextOp(t)
        for b in card.badges:
            yield RectOp(b.rect, b.fill, b.border, 0.5 * s if b.border else 0, b.rect.h / 2)
            if b.glyph is not None:
                yield from glyph_ops(b.glyph)
            if b.text is not None:
                yield TextOp(b.text)
        yield _END
    for link in lay.links:
        if link.label is not None:
            yield TextOp(link.label)
    if lay.legend is not None:
        yield GroupOp("legend", "Legend")
        for t in lay.legend.headings:
            yield TextOp(t)
        for e in lay.legend.entries:
            if e.swatch is not None:
                yield RectOp(e.swatch, e.fill, e.border, 0.6 * s, 2 * s)
            if e.glyph is not None:
                yield from glyph_ops(e.glyph)
            yield TextOp(e.label)
        yield _END
    if lay.funnel is not None:
        yield from funnel_ops(lay.funnel, s)
    if lay.heat is not None:
        for step in lay.heat.steps:
            yield from swatch_ops(step, s)
        yield from swatch_ops(lay.heat.no_data, s)
        for t in lay.heat.lines:
            yield TextOp(t)
    if lay.footer:
        yield GroupOp("footer", "Footer")
    for t in lay.footer:
        yield TextOp(t)
    if lay.footer:
        yield _END


def swatch_ops(sw: Swatch, s: float = 1.0) -> Iterator[Op]:
    """A filled rectangle, outlined when it has a border."""
    yield RectOp(sw.rect, sw.fill, sw.border, sw.border_width * s if sw.border else 0.0)


def funnel_ops(band: FunnelBand, s: float = 1.0) -> Iterator[Op]:
    """The funnel: trapezoids joining the bars of neighbouring stages, the bars, the labels."""
    for a, b in itertools.pairwise(st.bar for st in band.steps):
        if a is None or b is None:  # no join across a stage without a value
            continue
        ra, rb = a.rect, b.rect
        yield PolyOp(((ra.right, ra.y), (rb.x, rb.y), (rb.x, rb.bottom), (ra.right, ra.bottom)),
                     band.connector, None)
    bars = [st.bar for st in band.steps if st.bar is not None]
    for bar in bars:
        yield from swatch_ops(bar, s)
    for t in band.lines:
        yield TextOp(t)
    for st in band.steps:
        for t in st.lines:
            yield TextOp(t)
