"""The positioned boxes a layout is made of: frozen, pure-Python values in points.

Coordinates: points (1/72 in), origin at the top-left of the layout, y down.
Every renderer draws these values as they are; none measures text again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from app.layout.logo import Logo

FontStyle = Literal["regular", "bold", "italic", "bolditalic"]
GlyphShape = Literal[
    "circle", "square", "diamond", "triangle_up", "triangle_down", "hexagon", "star", "bar",
    "chevron_up", "chevron_down",
]


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        """x + w."""
        return self.x + self.w

    @property
    def bottom(self) -> float:
        """y + h."""
        return self.y + self.h

    @property
    def cx(self) -> float:
        """Horizontal centre."""
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        """Vertical centre."""
        return self.y + self.h / 2

    def contains(self, other: Rect, tol: float = 1e-6) -> bool:
        """True when ``other`` lies inside this rectangle."""
        return (
            other.x >= self.x - tol and other.y >= self.y - tol
            and other.right <= self.right + tol and other.bottom <= self.bottom + tol
        )

    def scaled(self, s: float, dx: float = 0.0, dy: float = 0.0) -> Rect:
        """This rectangle scaled about the origin then moved."""
        return Rect(self.x * s + dx, self.y * s + dy, self.w * s, self.h * s)


@dataclass(frozen=True)
class TextLine:
    """One line of text, already wrapped; (x, y_baseline) is where its baseline starts."""

    x: float
    y_baseline: float
    text: str
    font: FontStyle
    size_pt: float
    colour: str
    width: float = 0.0  # measured advance width, for hit-testing and checks

    def box(self) -> Rect:
        """The line's ink box (ascent to descent)."""
        from app.layout.fonts import ASCENT, DESCENT

        return Rect(
            self.x, self.y_baseline - ASCENT * self.size_pt, self.width,
            (ASCENT + DESCENT) * self.size_pt,
        )


_new = object.__new__


def fast_rect(x: float, y: float, w: float, h: float) -> Rect:
    """``Rect(x, y, w, h)`` without the frozen dataclass's per-field ``__setattr__``.

    For the hot paths that build boxes by the hundred thousand (placing and fitting
    cards); the result is an ordinary, equal, immutable :class:`Rect`.
    """
    r = _new(Rect)
    r.__dict__.update(x=x, y=y, w=w, h=h)
    return r


def fast_text_line(x: float, y_baseline: float, text: str, font: FontStyle, size_pt: float,
                   colour: str, width: float) -> TextLine:
    """``TextLine(...)`` built like :func:`fast_rect`."""
    t = _new(TextLine)
    t.__dict__.update(x=x, y_baseline=y_baseline, text=text, font=font, size_pt=size_pt,
                      colour=colour, width=width)
    return t


@dataclass(frozen=True)
class Glyph:
    """A small marker shape centred on (cx, cy) with outer size ``size``."""

    shape: GlyphShape
    cx: float
    cy: float
    size: float
    fill: str | None
    stroke: str | None
    stroke_width: float = 1.0

    def polygon(self) -> tuple[tuple[float, float], ...]:
        """The outline as points (empty for circles, which renderers draw as ellipses)."""
        from app.layout.glyphs import glyph_polygon

        return glyph_polygon(self.shape, self.cx, self.cy, self.size)


@dataclass(frozen=True)
class Badge:
    """A small labelled chip on a card (votes, metric, channel, evidence, emotion)."""

    kind: Literal["votes", "metric", "channel", "source", "emotion", "tag", "owner"]
    rect: Rect
    fill: str | None
    border: str | None
    text: TextLine | None
    glyph: Glyph | None = None
    full_text: str = ""  # the whole label when ``text`` had to be shortened with "…"


@dataclass(frozen=True)
class CardBox:
    """A card: its rectangle, colours, kind marker, wrapped text and badges."""

    card_id: int
    stage_id: int
    lane_id: int
    rect: Rect
    fill: str
    border: str
    border_width: float
    kind: str
    marker: Glyph
    title_lines: tuple[TextLine, ...]
    body_lines: tuple[TextLine, ...]
    badges: tuple[Badge, ...]
    title_size: float
    body_size: float
    shrunk: bool = False  # the title was set smaller than the style's size to fit
    border_dash: tuple[float, ...] = ()  # dashed border (a de-emphasised assumption)

    def text_lines(self) -> tuple[TextLine, ...]:
        """Every text line of the card (title, body, badges)."""
        extra = tuple(b.text for b in self.badges if b.text is not None)
        return self.title_lines + self.body_lines + extra


@dataclass(frozen=True)
class StageHeader:
    """A stage column's header."""

    stage_id: int
    rect: Rect
    column: Rect  # the whole column under the header, down to the last lane
    fill: str
    lines: tuple[TextLine, ...]
    empty: bool  # no cards in any lane


@dataclass(frozen=True)
class PhaseGroup:
    """A band above consecutive stages sharing a phase name."""

    name: str
    stage_ids: tuple[int, ...]
    rect: Rect
    fill: str
    lines: tuple[TextLine, ...]


@dataclass(frozen=True)
class LaneLabel:
    """A lane's label cell in the left column, and the lane's full row."""

    lane_id: int
    kind: str
    rect: Rect
    row: Rect
    fill: str
    lines: tuple[TextLine, ...]
    collapsed: bool
    marker: Glyph | None


@dataclass(frozen=True)
class EmotionPoint:
    """One point of the emotion curve: a card's score (``card_id``), a stage's average or
    the room's mean feeling about a stage."""

    stage_id: int
    x: float
    y: float
    score: float
    glyph: Glyph
    card_id: int | None = None


@dataclass(frozen=True)
class EmotionCurve:
    """The emotion curve across the emotions lane (:mod:`app.layout.curve`): a point per
    emotion card and a smooth Bezier path through them, the stage averages as a lighter
    line, and the room's mean feelings with the band of their spread."""

    lane_id: int
    band: Rect  # where -2..+2 maps (top = +2)
    zero_y: float
    points: tuple[EmotionPoint, ...]
    # Cubic segments: (x0, y0, c1x, c1y, c2x, c2y, x1, y1), drawn in order.
    segments: tuple[tuple[float, float, float, float, float, float, float, float], ...]
    colour: str
    width: float
    zero_colour: str
    labels: tuple[TextLine, ...]  # "+2" / "0" / "-2" scale labels
    # The stage averages (only when some stage has more than one scored card).
    means: tuple[EmotionPoint, ...] = ()
    mean_segments: tuple[tuple[float, float, float, float, float, float, float, float], ...] = ()
    mean_colour: str = "#8c8c8c"
    mean_width: float = 0.0
    # The room's mean feeling per stage and the band of the middle half of its feelings
    # (a closed polygon: the upper edge left to right, then the lower edge back).
    room: tuple[EmotionPoint, ...] = ()
    room_segments: tuple[tuple[float, float, float, float, float, float, float, float], ...] = ()
    room_colour: str = "#0072b2"
    room_width: float = 0.0
    room_band: tuple[tuple[float, float], ...] = ()
    band_fill: str = "#d3e5f2"


@dataclass(frozen=True)
class LinkPath:
    """A link between two cards: one cubic Bezier plus an arrow head polygon."""

    link_id: int
    source_id: int
    target_id: int
    start: tuple[float, float]
    c1: tuple[float, float]
    c2: tuple[float, float]
    end: tuple[float, float]
    arrow: tuple[tuple[float, float], ...]
    colour: str
    width: float
    label: TextLine | None


@dataclass(frozen=True)
class LegendEntry:
    """One legend item: a swatch/marker and its label."""

    swatch: Rect | None
    fill: str | None
    border: str | None
    glyph: Glyph | None
    label: TextLine


@dataclass(frozen=True)
class Legend:
    """The legend block: card kinds, channels and emotion shapes."""

    rect: Rect
    headings: tuple[TextLine, ...]
    entries: tuple[LegendEntry, ...]


@dataclass(frozen=True)
class TitleBlock:
    """Map title, persona, owner, review date and version; the brand logo before them."""

    rect: Rect
    title_lines: tuple[TextLine, ...]
    meta_lines: tuple[TextLine, ...]
    logo_rect: Rect | None = None
    logo: Logo | None = None


@dataclass(frozen=True)
class Swatch:
    """A filled rectangle of a scale or a bar."""

    rect: Rect
    fill: str
    border: str | None = None
    border_width: float = 0.0


@dataclass(frozen=True)
class HeatLegend:
    """The heat map's key: metric name and direction, the colour scale, min/max, 'no data'."""

    metric: str
    rect: Rect
    lines: tuple[TextLine, ...]  # heading, end labels, 'no data' label
    steps: tuple[Swatch, ...]  # the scale, low value to high value, left to right
    no_data: Swatch


@dataclass(frozen=True)
class StageHeat:
    """A stage column's strip under its header, coloured by the mean of the heat metric."""

    stage_id: int
    swatch: Swatch
    label: TextLine


@dataclass(frozen=True)
class EvidenceBar:
    """Evidence coverage of one stage: a track, the backed share filled, '3/5 backed'."""

    stage_id: int
    track: Swatch
    filled: Swatch | None  # None when no card is backed (or the stage is empty)
    label: TextLine
    warning: bool  # the stage has cards and none is backed by data


@dataclass(frozen=True)
class FunnelStepBox:
    """One stage's shape in the funnel band, with its value and change labels."""

    stage_id: int
    bar: Swatch | None  # None when the stage has no value
    lines: tuple[TextLine, ...]
    lowest: bool  # the emotion curve is lowest at this stage


@dataclass(frozen=True)
class FunnelBand:
    """The funnel drawn under the grid, one shape per stage column."""

    metric: str
    rect: Rect
    lines: tuple[TextLine, ...]  # the band's title in the label column
    steps: tuple[FunnelStepBox, ...]
    connector: str  # fill of the shapes joining consecutive bars


@dataclass(frozen=True)
class MapLayout:
    """A whole map, positioned. Renderers and the canvas draw from this and nothing else."""

    map_id: int
    width: float
    height: float
    background: str
    scale: float  # points per natural unit (1.0 on the canvas; the fit factor on paper)
    title: TitleBlock
    stages: tuple[StageHeader, ...]
    phases: tuple[PhaseGroup, ...]
    lanes: tuple[LaneLabel, ...]
    grid: Rect  # the stage x lane area (without the label column)
    cells: dict[tuple[int, int], Rect]
    cards: dict[int, CardBox]
    curve: EmotionCurve | None
    links: tuple[LinkPath, ...]
    legend: Legend | None
    footer: tuple[TextLine, ...]
    grid_colour: str
    sizes: dict[str, float] = field(default_factory=dict)  # role -> printed size in points
    min_size: float = 0.0  # smallest text size used anywhere
    pad: float = 0.0  # empty border inside width/height (the page margin replaces it on paper)
    heat: HeatLegend | None = None  # the heat map's key (Style.heat_metric)
    stage_heat: tuple[StageHeat, ...] = ()  # per stage, under the headers (Style.heat_metric)
    evidence: tuple[EvidenceBar, ...] = ()  # per stage (Style.show_evidence)
    funnel: FunnelBand | None = None  # under the grid (Style.funnel_metric)

    def all_text(self) -> list[TextLine]:
        """Every text line in the layout, in drawing order."""
        out: list[TextLine] = [*self.title.title_lines, *self.title.meta_lines]
        for p in self.phases:
            out.extend(p.lines)
        for s in self.stages:
            out.extend(s.lines)
        for lane in self.lanes:
            out.extend(lane.lines)
        if self.curve is not None:
            out.extend(self.curve.labels)
        for c in self.cards.values():
            out.extend(c.text_lines())
        for link in self.links:
            if link.label is not None:
                out.append(link.label)
        if self.legend is not None:
            out.extend(self.legend.headings)
            out.extend(e.label for e in self.legend.entries)
        for bar in self.evidence:
            out.append(bar.label)
        for strip in self.stage_heat:
            out.append(strip.label)
        if self.funnel is not None:
            out.extend(self.funnel.lines)
            for step in self.funnel.steps:
                out.extend(step.lines)
        if self.heat is not None:
            out.extend(self.heat.lines)
        out.extend(self.footer)
        return out
