"""layout_map: a journey map -> a MapLayout, at natural size (canvas) or fitted to paper.

Algorithm (all in natural points, so the canvas and the page break lines alike):

1. Columns. Each stage column holds one card column, or two when its busiest
   cell has ``style.slot_threshold`` cards or more and ``style.column_rule`` is
   "content": widths are proportional to content with the ratio bounded at 2:1.
2. Cards. Each card is laid out by :func:`layout_card_text` (wrap, shrink the
   title down to the body size, then grow). Cards in a cell flow into the
   column's card grid; cards on one grid row share the tallest one's height.
3. Rows. A lane is as tall as its fullest cell (an empty one keeps
   ``style.empty_cell_em``); collapsed lanes are thin and hide their cards; the
   first emotions lane adds a band on top where the emotion curve is drawn.
4. Around the grid: title block, phase bands, stage headers, lane labels,
   legend, footer.
5. A paper target scales the finished layout uniformly to fit inside the page
   margins and centres it; text sizes scale with it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field, replace

from app.layout import caches
from app.layout.bidi import directed_lines
from app.layout.boxes import (
    CardBox,
    Glyph,
    LaneLabel,
    Legend,
    MapLayout,
    PhaseGroup,
    Rect,
    StageHeader,
    TextLine,
    TitleBlock,
)
from app.layout.caches import LayoutCache
from app.layout.cardtext import LINE_GAP, CardText, cached_card_text, style_key
from app.layout.curve import CardScore, RoomFeelings, StageMean, emotion_curve
from app.layout.decor import (
    cached_link_path,
    legend,
    logo_box,
    text_block,
    title_block,
)
from app.layout.fonts import ASCENT, DESCENT, text_width
from app.layout.overlays import below_grid, decorate_cards, header_rows_height
from app.layout.rules import GRAPHICS_CONTRAST, best_text_colour, contrast_ratio, fix_contrast
from app.layout.style import KIND_STYLE, LANE_MARKER, Style, Target, channel_colour
from app.layout.transform import fit_to_page, place_card
from app.layout.wrap import balanced, words, wrap_text
from app.model.schema import Card, DocumentData, JourneyMap, Lane, LaneKind, Stage

#: A stage or lane name wraps into at most this many lines (the last is cut with "…").
MAX_HEADER_LINES = 3
#: A stage or phase header keeps at least this much of its own type size clear on each
#: side of its text (a designer's inner margin; 0.65 body sizes alone let an 8-letter
#: name touch its coloured band on every sheet where the headers bind the column width).
HEADER_SIDE_EM = 0.3


def header_pad(body_size: float, header_size: float) -> float:
    """The clear space each side of a stage or phase header's text, in points."""
    return max(0.65 * body_size, HEADER_SIDE_EM * header_size)


def _stage_header_lines(name: str, width: float, size: float, style: Style, colour: str,
                        x: float = 0.0, y: float = 0.0):
    """Header lines at the role's size (never shrunk): a word wider than the header is
    cut with a hyphen, and a name longer than :data:`MAX_HEADER_LINES` lines ends in "…"."""
    wrapped = wrap_text(name, "bold", size, max(1.0, width))
    if 1 < len(wrapped) <= MAX_HEADER_LINES:  # centred lines, evened out
        wrapped = balanced(name, "bold", size, max(1.0, width))
    if len(wrapped) > MAX_HEADER_LINES:
        last = wrapped[MAX_HEADER_LINES - 1]
        while len(last) > 1 and text_width(last + "…", "bold", size) > width:
            last = last[:-1]
        wrapped = (*wrapped[:MAX_HEADER_LINES - 1], last.rstrip() + "…")
    wrapped = directed_lines(wrapped, name)
    out = []
    yy = y
    for t in wrapped:
        out.append(TextLine(x, yy + ASCENT * size, t, "bold", size, colour,
                            text_width(t, "bold", size)))
        yy += size * LINE_GAP
    if out:
        yy += size * (ASCENT + DESCENT) - size * LINE_GAP
    return tuple(out), yy


def _stack_height(items: list, texts: dict[int, CardText], n: int, gutter: float) -> float:
    """Height of a cell's cards flowed into ``n`` card columns."""
    h = 0.0
    for r in range(0, len(items), n):
        h += max(texts[c.id].height for c in items[r:r + n]) + gutter
    return h


def _choose_slots(stages, lanes, cells, texts, style: Style, card_w: float, gutter: float,
                  fixed_w: float, overhead, extra: dict[int, float]) -> dict[int, int]:
    """Card columns per stage: 1, or more for busy stages, up to ``style.max_slots``.

    A stage starts with two when a cell holds ``style.slot_threshold`` cards; then,
    greedily, the stage whose next card column saves the most height gets it, and the
    prefix of that sequence whose map fits a sheet of ``style.target_aspect``
    (width / height; a landscape ISO sheet on the canvas) at the largest scale is kept.
    The rule uses only the data and the style, so the canvas and every paper agree.
    """
    busiest = {s.id: max((len(cells[(s.id, ln.id)]) for ln in lanes), default=0)
               for s in stages}
    slots = {}
    for s in stages:
        many = style.column_rule == "content" and busiest[s.id] >= style.slot_threshold
        slots[s.id] = 2 if many and style.max_slots >= 2 else 1
    if style.column_rule != "content" or style.max_slots < 2:
        return _sticky(slots, style)

    stack: dict[tuple[int, int, int], float] = {}  # (stage, lane, columns) -> height

    def stack_h(sid: int, lid: int, n: int) -> float:
        key = (sid, lid, n)
        h = stack.get(key)
        if h is None:
            h = stack[key] = _stack_height(cells[(sid, lid)], texts, n, gutter)
        return h

    floor = style.em(style.empty_cell_em)

    def lane_h(h: float, lid: int) -> float:
        return max(h + gutter + extra.get(lid, 0.0), floor)

    def grid_h() -> float:
        total = 0.0
        for ln in lanes:
            total += lane_h(max((stack_h(s.id, ln.id, slots[s.id]) for s in stages),
                                default=0.0), ln.id)
        return total

    def tallest_two() -> list[tuple[int, float, int, float]]:
        """Per lane: its tallest stack now, that stage, and the tallest of the others."""
        out = []
        for ln in lanes:
            first, first_id, second = -math.inf, -1, -math.inf
            for st in stages:
                v = stack_h(st.id, ln.id, slots[st.id])
                if v > first:
                    first, first_id, second = v, st.id, first
                elif v > second:
                    second = v
            out.append((ln.id, first, first_id, second))
        return out

    def grid_h_with(sid: int, n: int, tops: list[tuple[int, float, int, float]]) -> float:
        """:func:`grid_h` with stage ``sid`` at ``n`` card columns (the same sums, without
        going through every other stage again)."""
        total = 0.0
        for lid, first, first_id, second in tops:
            total += lane_h(max(second if first_id == sid else first, stack_h(sid, lid, n)),
                            lid)
        return total

    def width() -> float:
        return fixed_w + sum(n * card_w + (n + 1) * gutter for n in slots.values())

    aspect = style.target_aspect

    def fit() -> float:
        w = width()
        return min(aspect / w, 1.0 / (grid_h() + overhead(w)))

    def open_stages() -> list[int]:
        return [sid for sid, n in slots.items()
                if n < style.max_slots and busiest[sid] > n]

    best_fit = fit()
    best = dict(slots)
    candidates = open_stages()
    while candidates:
        if aspect / width() <= best_fit * 1.01:
            break  # each column makes the map wider: no later prefix can fit better
        h = grid_h()
        tops = tallest_two()
        gains = [(h - grid_h_with(sid, slots[sid] + 1, tops), -(slots[sid] + 1), sid)
                 for sid in candidates]
        _gain, _n, pick = max(gains)
        slots[pick] += 1
        f = fit()
        if f > best_fit * 1.01:  # another column must earn its width
            best_fit, best = f, dict(slots)
        candidates = open_stages()
    return _sticky(best, style)


def _sticky(slots: dict[int, int], style: Style) -> dict[int, int]:
    """Keep the card columns the canvas already showed (``style.sticky_slots``)."""
    for sid, n in style.sticky_slots:
        if sid in slots:
            slots[sid] = max(slots[sid], min(n, max(1, style.max_slots)))
    return slots


def _label_width(lanes, style: Style) -> float:
    """Lane label column: wide enough for the longest word of any lane name, within bounds."""
    lane_size = style.sizes["lane"]
    longest = max((text_width(w, "bold", lane_size) for ln in lanes
                   for w in words(ln.name)), default=0.0)
    want = longest + style.em(3.0)
    return max(style.em(style.lane_label_em), min(lane_size * 9.6, want))


# ------------------------------------------------------------------ the phases' records
@dataclass(frozen=True)
class MapContent:
    """Phase 0: what of the document the map shows (read once)."""

    jm: JourneyMap
    stages: list[Stage]
    lanes: list[Lane]
    visible: list[Lane]
    cards: list[Card]
    cells: dict[tuple[int, int], list[Card]]
    channels: dict[str, str]
    kinds: list[str]
    curve_lane: Lane | None
    has_curve: bool
    has_phase: bool
    #: The room participants' own feelings per stage (room mode): the room's curve and band.
    feelings: dict[int, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Metrics:
    """Spacing of one layout, in points (all multiples of the body size)."""

    em: float
    pad: float
    gutter: float
    card_w: float
    label_w: float
    band_h: float  # the emotion band (curve) height
    band_room: float  # the band plus the space above and below it in the lane


@dataclass(frozen=True)
class Columns:
    """Phase 1: card columns per stage and where each stage column is."""

    slots: dict[int, int]
    col_x: dict[int, float]
    col_w: dict[int, float]
    card_w: dict[int, float]  # card width per stage (wider when the poster stretches)
    grid_x: float
    grid_w: float
    total_w: float


@dataclass(frozen=True)
class Headers:
    """Phase 2: title block, legend beside it, phase bands, stage header lines."""

    title: TitleBlock
    legend: Legend | None
    phases: tuple[PhaseGroup, ...]
    header_y: float
    header_h: float
    header_lines: dict[int, tuple[TextLine, ...]]
    rows_top: float  # where the lanes start (under heat strips and the evidence row)
    evidence_top: float


@dataclass(frozen=True)
class Rows:
    """Phase 3: lanes, cells and placed cards."""

    lanes: tuple[LaneLabel, ...]
    cells: dict[tuple[int, int], Rect]
    cards: dict[int, CardBox]
    curve_band: Rect | None
    bottom: float


def collect(data: DocumentData, map_id: int) -> MapContent:
    """Phase 0: the map's stages, lanes and the cards placed in them, grouped by cell."""
    jm = data.maps[map_id]
    stages = data.stages_of(map_id)
    lanes = data.lanes_of(map_id)
    # Only cards whose stage and lane belong to the map (the preflight reports the others).
    stage_ids = {s.id for s in stages}
    lane_ids = {ln.id for ln in lanes}
    cards = sorted((c for c in data.cards.values() if c.map_id == map_id
                    and c.stage_id in stage_ids and c.lane_id in lane_ids),
                   key=lambda c: (c.position, c.id))
    cells: dict[tuple[int, int], list[Card]] = defaultdict(list)
    for c in cards:
        cells[(c.stage_id, c.lane_id)].append(c)
    channels: dict[str, str] = {}
    for c in cards:
        if c.channel and c.channel not in channels:
            channels[c.channel] = channel_colour(c.channel, len(channels))
    visible = [lane for lane in lanes if not lane.collapsed]
    kinds = [k for k in KIND_STYLE if any(c.kind.value == k for c in cards)]
    curve_lane = next((ln for ln in visible if ln.kind == LaneKind.EMOTIONS), None)
    feelings: dict[int, list[int]] = defaultdict(list)
    for f in data.feelings.values():
        if f.map_id == map_id:
            feelings[f.stage_id].append(f.score)
    return MapContent(jm, stages, lanes, visible, cards, cells, channels, kinds, curve_lane,
                      curve_lane is not None and (any(c.emotion is not None for c in cards)
                                                  or bool(feelings)),
                      any(s.phase.strip() for s in stages), dict(feelings))


def metrics(content: MapContent, style: Style) -> Metrics:
    """Spacing from the style (and the composed poster's hero band)."""
    em = style.body_pt
    band_h = style.hero_band or style.em(style.curve_band_em)
    return Metrics(em, em * 1.5, style.em(style.gutter_em), style.em(style.card_width_em),
                   _label_width(content.lanes, style), band_h, em * 0.9 + band_h + em * 1.0)


def _top_block(data: DocumentData, content: MapContent, m: Metrics, style: Style,
               total_w: float, version: str, exported: dt.date | None
               ) -> tuple[TitleBlock, Legend | None, float]:
    """Title block and (on wide maps) the legend beside it; returns the y below them."""
    em, pad = m.em, m.pad
    leg = None
    legend_w = 0.0
    logo = None  # on a wide map the logo takes the top-right corner, beside the legend
    if style.show_legend and total_w >= em * 70:  # wide map: legend beside the title
        logo = logo_box(style, 0.0, pad, total_w - 2 * pad)
        reserve = 0.0
        if logo is not None:
            reserve = logo.w + em * 2
            logo = Rect(total_w - pad - logo.w, pad, logo.w, logo.h)
        # the legend gives up the logo's room (the title keeps its width) down to 30 em
        full = min((total_w - 2 * pad) * 0.45, em * 62)
        legend_w = max(min(full, em * 30), full - reserve)
        leg = legend(total_w - pad - reserve - legend_w, pad, legend_w, content.kinds,
                     content.channels, content.has_curve, style, _curve_key(content))
        legend_w += reserve
    title = title_block(data, content.jm, pad, pad,
                        total_w - 2 * pad - legend_w - (em * 2 if leg else 0),
                        style, version, exported, logo_before=leg is None)
    bottom = max(title.rect.bottom, leg.rect.bottom if leg else 0.0)
    if logo is not None:
        title = replace(title, logo_rect=logo, logo=style.logo)
        bottom = max(bottom, logo.bottom)
    return title, leg, bottom + em * 1.2


def columns(data: DocumentData, content: MapContent, texts: dict[int, CardText], m: Metrics,
            style: Style, version: str, exported: dt.date | None) -> Columns:
    """Phase 1: card columns per stage (:func:`_choose_slots`) and their x positions; a
    composed poster's extra width (``style.stretch[0]``) widens every column alike."""
    sizes = style.sizes
    em = m.em

    def overhead(total_w: float) -> float:
        """Height of everything but the lanes, for a map ``total_w`` wide (an estimate)."""
        _t, leg, y = _top_block(data, content, m, style, total_w, version, exported)
        y += sizes["phase"] * 1.7 + em * 0.3 if content.has_phase else 0.0
        y += sizes["stage"] * 1.2 + 2 * em * 0.65  # one-line stage headers
        y += em * 1.2 if leg is not None else em * 10  # legend below when not beside the title
        return y + em * 1.2 + m.pad

    extra = ({content.curve_lane.id: m.band_room}
             if content.has_curve and content.curve_lane is not None else {})
    slots = _choose_slots(content.stages, content.visible, content.cells, texts, style, m.card_w,
                          m.gutter, m.label_w + 2 * m.pad, overhead, extra)
    col_w = {sid: n * m.card_w + (n + 1) * m.gutter for sid, n in slots.items()}
    card_w = {sid: m.card_w for sid in slots}
    widen = style.stretch[0]
    natural_w = sum(col_w.values())
    if widen > 0 and natural_w > 0:
        for sid, n in slots.items():
            add = widen * col_w[sid] / natural_w
            col_w[sid] += add
            card_w[sid] += add / n
    grid_x = m.pad + m.label_w
    col_x: dict[int, float] = {}
    x = grid_x
    for s in content.stages:
        col_x[s.id] = x
        x += col_w[s.id]
    grid_w = max(x - grid_x, m.card_w + 2 * m.gutter)
    return Columns(slots, col_x, col_w, card_w, grid_x, grid_w, grid_x + grid_w + m.pad)


def _phase_bands(content: MapContent, cols: Columns, m: Metrics, style: Style, y: float
                 ) -> tuple[tuple[PhaseGroup, ...], float]:
    """Bands over consecutive stages sharing a phase; returns them and the y below."""
    if not content.has_phase:
        return (), y
    stages = content.stages
    ph_size = style.sizes["phase"]
    groups = []  # (name, stage ids, x0, width, wrapped lines)
    i = 0
    while i < len(stages):
        name = stages[i].phase.strip()
        j = i
        while j + 1 < len(stages) and name and stages[j + 1].phase.strip() == name:
            j += 1
        if name:
            x0 = cols.col_x[stages[i].id]
            w = cols.col_x[stages[j].id] + cols.col_w[stages[j].id] - x0
            lines, _b = _stage_header_lines(name, w - 2 * header_pad(m.em, ph_size), ph_size,
                                            style, style.text)
            groups.append((name, tuple(s.id for s in stages[i:j + 1]), x0, w,
                           [t.text for t in lines]))
        i = j + 1
    # Every band is as tall as the longest phase name needs (never cut short).
    n_lines = max(len(g[4]) for g in groups)
    ph_h = ph_size * (0.5 + 1.2 * n_lines)
    phases = []
    for name, ids, x0, w, wrapped in groups:
        lines = []
        for k, text in enumerate(wrapped):
            tw = text_width(text, "bold", ph_size)
            base = y + ph_size * 0.25 + ph_size * 1.2 * k + ASCENT * ph_size + (
                (n_lines - len(wrapped)) * ph_size * 0.6)
            lines.append(TextLine(x0 + (w - tw) / 2, base, text, "bold", ph_size, style.text, tw))
        phases.append(PhaseGroup(name, ids, Rect(x0 + 1, y, w - 2, ph_h), style.phase_fill,
                                 tuple(lines)))
    return tuple(phases), y + ph_h + m.em * 0.3


def headers(data: DocumentData, map_id: int, content: MapContent, cols: Columns, m: Metrics,
            style: Style, version: str, exported: dt.date | None) -> Headers:
    """Phase 2: title block (and legend beside it), phase bands, stage header lines."""
    title, leg, y = _top_block(data, content, m, style, cols.total_w, version, exported)
    phases, y = _phase_bands(content, cols, m, style, y)
    stage_size = style.sizes["stage"]
    head_pad = m.em * 0.65
    side_pad = header_pad(m.em, stage_size)
    header_lines = {}
    header_h = stage_size * 1.2 + 2 * head_pad
    for s in content.stages:
        # Header text is ours to choose: the style's colour, or dark on a light stage colour.
        colour = style.header_text
        if s.colour and contrast_ratio(colour, s.colour) < 4.5:
            colour = best_text_colour(s.colour)
        lines, bottom = _stage_header_lines(s.name, cols.col_w[s.id] - 2 * side_pad, stage_size,
                                            style, colour)
        header_lines[s.id] = lines
        header_h = max(header_h, bottom + 2 * head_pad)
    rows_top = y + header_h
    # heat strips, evidence row under the headers (app/layout/overlays.py)
    return Headers(title, leg, phases, y, header_h, header_lines,
                   rows_top + header_rows_height(data, map_id, style), rows_top)


def rows(content: MapContent, texts: dict[int, CardText], cols: Columns, m: Metrics,
         style: Style, y: float, cache: LayoutCache) -> Rows:
    """Phase 3: each lane as tall as its fullest cell; cards flowed into the card columns
    (each placed through ``cache``, which reuses an unchanged card's box).

    A composed poster's extra height (``style.stretch[1]``) is shared by the visible lanes
    in proportion to their content (:func:`_lane_shares`): each keeps the same share of
    room under its cards, a lane of one-line cards is not padded like a lane of long ones.
    """
    sizes = style.sizes
    em, pad, gutter = m.em, m.pad, m.gutter
    shares = _lane_shares(content, texts, cols, m, style) if style.stretch[1] > 0 else {}
    lane_labels: list[LaneLabel] = []
    cell_rects: dict[tuple[int, int], Rect] = {}
    cards: dict[int, CardBox] = {}
    curve_band = None
    for lane in content.lanes:
        row_y = y
        label_lines, label_bottom = _stage_header_lines(
            lane.name, m.label_w - em * 2.4, sizes["lane"], style, style.text,
            pad + em * 0.6, row_y + em * 0.6)
        marker = None
        mk = LANE_MARKER.get(lane.kind.value)
        if mk:
            marker = Glyph(KIND_STYLE[mk][1], pad + m.label_w - em * 1.0,  # type: ignore[arg-type]
                           row_y + em * 0.6 + sizes["lane"] * 0.55, em * 1.1,
                           fix_contrast(style.kind_colours[mk], style.lane_fill,
                                        GRAPHICS_CONTRAST), None)
        if lane.collapsed:
            h = max(style.em(style.collapsed_lane_em), label_bottom - row_y + em * 0.6)
        else:
            top = row_y + gutter
            if lane is content.curve_lane and content.has_curve:
                curve_band = Rect(cols.grid_x, top + em * 0.9, cols.grid_w, m.band_h)
                top = curve_band.bottom + em * 1.0
            content_bottom = top
            for s in content.stages:
                n = cols.slots[s.id]
                w = cols.card_w[s.id]
                cy = top
                items = content.cells[(s.id, lane.id)]
                for r in range(0, len(items), n):
                    row = items[r:r + n]
                    row_h = max(texts[c.id].height for c in row)
                    for k, c in enumerate(row):
                        cx = cols.col_x[s.id] + gutter + k * (w + gutter)
                        cards[c.id] = place_card(c, texts[c.id], cx, cy, row_h, w, cache)
                    cy += row_h + gutter
                content_bottom = max(content_bottom, cy)
            h = max(content_bottom - row_y, style.em(style.empty_cell_em),
                    label_bottom - row_y + em * 0.6) + style.stretch[1] * shares.get(lane.id, 0)
        for s in content.stages:
            cell_rects[(s.id, lane.id)] = Rect(cols.col_x[s.id], row_y, cols.col_w[s.id], h)
        lane_labels.append(LaneLabel(lane.id, lane.kind.value, Rect(pad, row_y, m.label_w, h),
                                     Rect(pad, row_y, m.label_w + cols.grid_w, h),
                                     style.lane_fill, label_lines, lane.collapsed, marker))
        y += h
    return Rows(tuple(lane_labels), cell_rects, cards, curve_band, y)


def _lane_shares(content: MapContent, texts: dict[int, CardText], cols: Columns, m: Metrics,
                 style: Style) -> dict[int, float]:
    """Each visible lane's share of a poster's extra height: its natural height (its
    fullest cell, or its label, or an empty cell's minimum; the emotion band left out)
    over the visible lanes' total."""
    em, gutter = m.em, m.gutter
    natural: dict[int, float] = {}
    for lane in content.visible:
        _, label_bottom = _stage_header_lines(lane.name, m.label_w - em * 2.4,
                                              style.sizes["lane"], style, style.text,
                                              0.0, em * 0.6)
        tallest = 0.0
        for s in content.stages:
            n = cols.slots[s.id]
            items = content.cells[(s.id, lane.id)]
            tallest = max(tallest, sum(max(texts[c.id].height for c in items[r:r + n]) + gutter
                                       for r in range(0, len(items), n)))
        natural[lane.id] = max(gutter + tallest, style.em(style.empty_cell_em),
                               label_bottom + em * 0.6)
    total = sum(natural.values())
    if total <= 0:
        return {}
    return {lane_id: h / total for lane_id, h in natural.items()}


def _curve_key(content: MapContent) -> tuple[str, ...]:
    """The curve's parts beyond the cards' line, for the legend: "mean" when a stage has
    more than one scored card in the curve's lanes, "room" when the room gave feelings."""
    if not content.has_curve:
        return ()
    visible = {ln.id for ln in content.visible}
    per_stage: dict[int, int] = defaultdict(int)
    for c in content.cards:
        if c.emotion is not None and c.lane_id in visible:
            per_stage[c.stage_id] += 1
    return ((("mean",) if any(n > 1 for n in per_stage.values()) else ())
            + (("room",) if any(content.feelings.values()) else ()))


def _curve_data(content: MapContent, cols: Columns, cards: dict[int, CardBox]
                ) -> tuple[list[CardScore], list[StageMean], list[RoomFeelings]]:
    """The curve's data: a point per emotion card above its own card (cards stacked in one
    card column share its width, top to bottom), so a dip within a stage shows where it
    is; each stage's average of them; and the room's feelings per stage."""
    by_stage: dict[int, list[Card]] = defaultdict(list)
    for c in content.cards:
        if c.emotion is not None and c.id in cards:
            by_stage[c.stage_id].append(c)
    points: list[CardScore] = []
    means: list[StageMean] = []
    room: list[RoomFeelings] = []
    for s in content.stages:
        x0, w = cols.col_x[s.id], cols.col_w[s.id]
        stacks: dict[int, list[Card]] = defaultdict(list)
        for c in by_stage.get(s.id, []):
            stacks[round(cards[c.id].rect.x)].append(c)
        stage_points = []
        for stack in stacks.values():
            stack.sort(key=lambda c: cards[c.id].rect.y)
            for i, c in enumerate(stack):
                r = cards[c.id].rect
                stage_points.append(CardScore(s.id, r.x + r.w * (i + 0.5) / len(stack),
                                              float(c.emotion or 0), c.id))
        points += sorted(stage_points, key=lambda p: p.x)
        if stage_points:
            means.append(StageMean(s.id, x0 + w / 2,
                                   sum(p.score for p in stage_points) / len(stage_points)))
        feelings = content.feelings.get(s.id)
        if feelings:
            room.append(RoomFeelings(s.id, x0 + w / 2, tuple(feelings)))
    return points, means, room


def layout_map(data: DocumentData, map_id: int, target: Target | None = None,
               style: Style | None = None, *, version: str = "",
               exported: dt.date | None = None, cache: LayoutCache | None = None
               ) -> MapLayout:
    """Lay out one map of ``data`` for ``target`` (the canvas when None).

    The phases, each a function returning a small frozen record: :func:`collect`
    (what the map shows), :func:`metrics` (spacing), card texts, :func:`columns`,
    :func:`headers`, :func:`rows`, then the curve, links, overlays, legend and footer.

    ``cache``: the owner's :class:`~app.layout.caches.LayoutCache` (a scene's, an export
    job's), which makes a layout after a small edit cost little; None uses the one bound
    for the job (:meth:`~app.layout.caches.LayoutCache.measuring`) or a fresh one. The
    layout is the same with any cache.
    """
    cache = caches.owner(cache)
    with cache.measuring():
        return _layout_map(data, map_id, target, style, version, exported, cache)


def _layout_map(data: DocumentData, map_id: int, target: Target | None, style: Style | None,
                version: str, exported: dt.date | None, cache: LayoutCache) -> MapLayout:
    target = target or Target.screen()
    style = style or Style()
    content = collect(data, map_id)
    m = metrics(content, style)
    em, pad = m.em, m.pad

    # card texts first: their heights decide how many card columns a stage gets
    texts: dict[int, CardText] = {}
    skey = cache.same_style_key(style_key(style))
    for lane in content.visible:
        for s in content.stages:
            for c in content.cells[(s.id, lane.id)]:
                texts[c.id] = cached_card_text(c, m.card_w, style, skey, content.channels,
                                                cache)
    cols = columns(data, content, texts, m, style, version, exported)
    head = headers(data, map_id, content, cols, m, style, version, exported)
    body = rows(content, texts, cols, m, style, head.rows_top, cache)
    cards, heat = decorate_cards(body.cards, data, map_id, style)  # heat map, dim assumptions
    grid = Rect(cols.grid_x, head.header_y, cols.grid_w, body.bottom - head.header_y)

    stage_boxes = []
    for s in content.stages:
        n_cards = sum(len(content.cells[(s.id, ln.id)]) for ln in content.lanes)
        hx, hw = cols.col_x[s.id], cols.col_w[s.id]
        lines = tuple(
            TextLine(hx + (hw - t.width) / 2, head.header_y + em * 0.65 + t.y_baseline, t.text,
                     t.font, t.size_pt, t.colour, t.width)
            for t in head.header_lines[s.id]
        )
        stage_boxes.append(StageHeader(s.id, Rect(hx, head.header_y, hw, head.header_h),
                                       Rect(hx, head.header_y, hw, body.bottom - head.header_y),
                                       s.colour or style.header_fill, lines, n_cards == 0))

    # 4. curve, links, legend, footer
    curve = None
    if content.has_curve and body.curve_band is not None and content.curve_lane is not None:
        curve = emotion_curve(content.curve_lane.id, body.curve_band,
                              *_curve_data(content, cols, cards), style)
    links = ()
    if style.show_links:
        links = tuple(cached_link_path(k, cards[k.source_id], cards[k.target_id], style, skey,
                                       cache)
                      for k in data.links_of(map_id)
                      if k.source_id in cards and k.target_id in cards)
    leg = head.legend
    y = body.bottom + (em * 1.2 if leg is not None else em * 2)
    extras = below_grid(data, map_id, style, content.stages, cols.col_x, cols.col_w, pad,
                        m.label_w, head.evidence_top, y, heat)  # funnel, heat key, evidence
    y = extras.bottom
    if style.show_legend and leg is None:
        leg = legend(pad, y, cols.total_w - 2 * pad, content.kinds, content.channels,
                     content.has_curve, style, _curve_key(content))
        y = leg.rect.bottom + em
    foot_text = f"{content.jm.title} · made with Waymark"
    footer, y = text_block(foot_text, "regular", style.sizes["footer"], pad, y,
                           cols.total_w - 2 * pad, style.muted_text)
    total_h = y + pad

    layout = MapLayout(
        map_id=map_id, width=cols.total_w, height=total_h, background=style.background,
        scale=1.0, title=head.title, stages=tuple(stage_boxes), phases=head.phases,
        lanes=body.lanes, grid=grid, cells=body.cells, cards=cards, curve=curve, links=links,
        legend=leg, footer=footer, grid_colour=style.grid, sizes=style.sizes, min_size=em,
        pad=pad, heat=extras.heat, stage_heat=extras.stage_heat, evidence=extras.evidence,
        funnel=extras.funnel,
    )
    if target.kind == "paper" and target.paper is not None:
        layout = fit_to_page(layout, target.paper.width, target.paper.height, target.margin)
    return layout
