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
from collections import defaultdict

from app.layout.boxes import (
    CardBox,
    Glyph,
    LaneLabel,
    MapLayout,
    PhaseGroup,
    Rect,
    StageHeader,
    TextLine,
)
from app.layout.cardtext import CardText, cached_card_text, style_key
from app.layout.decor import cached_link_path, emotion_curve, legend, text_block, title_block
from app.layout.fonts import ASCENT, text_width
from app.layout.overlays import below_grid, decorate_cards, header_rows_height
from app.layout.rules import GRAPHICS_CONTRAST, best_text_colour, contrast_ratio, fix_contrast
from app.layout.style import KIND_STYLE, LANE_MARKER, Style, Target, channel_colour
from app.layout.transform import fit_to_page, place_card
from app.layout.wrap import words, wrap_text
from app.model.schema import DocumentData, LaneKind


def _stage_header_lines(name: str, width: float, size: float, style: Style, colour: str,
                        x: float = 0.0, y: float = 0.0):
    """Header lines: shrink (to 80 %) before splitting a word across lines."""
    s = size
    while s > size * 0.8:
        if all(text_width(w, "bold", s) <= width for w in words(name)):
            break
        s = round(s - 0.5, 2)
    return text_block(name, "bold", s, x, y, width, colour)


def _stack_height(items: list, texts: dict[int, CardText], n: int, gutter: float) -> float:
    """Height of a cell's cards flowed into ``n`` card columns."""
    h = 0.0
    for r in range(0, len(items), n):
        h += max(texts[c.id].height for c in items[r:r + n]) + gutter
    return h


def _choose_slots(stages, lanes, cells, texts, style: Style, card_w: float, gutter: float,
                  fixed_w: float, overhead, extra: dict[int, float]) -> dict[int, int]:
    """Card columns per stage: 1, or 2 for busy stages (ratio bounded at 2:1).

    A stage gets two when a cell holds ``style.slot_threshold`` cards; then the
    stages with the tallest stacks get a second column, as many as make the map
    fit a landscape sheet (1.414:1) at the largest scale. The rule uses only the
    data and the style, so the canvas and every paper agree.
    """
    slots = {}
    for s in stages:
        busiest = max((len(cells[(s.id, ln.id)]) for ln in lanes), default=0)
        many = style.column_rule == "content" and busiest >= style.slot_threshold
        slots[s.id] = 2 if many and style.max_slots >= 2 else 1
    if style.column_rule != "content" or style.max_slots < 2:
        return slots

    stack: dict[tuple[int, int, int], float] = {}  # (stage, lane, columns) -> height

    def stack_h(sid: int, lid: int, n: int) -> float:
        key = (sid, lid, n)
        h = stack.get(key)
        if h is None:
            h = stack[key] = _stack_height(cells[(sid, lid)], texts, n, gutter)
        return h

    def grid_h() -> float:
        total = 0.0
        for ln in lanes:
            h = max((stack_h(s.id, ln.id, slots[s.id]) for s in stages),
                    default=0.0) + gutter + extra.get(ln.id, 0.0)
            total += max(h, style.em(style.empty_cell_em))
        return total

    def width() -> float:
        return fixed_w + sum(n * card_w + (n + 1) * gutter for n in slots.values())

    # Greedy sequence: each step gives a second card column to the stage whose column
    # saves the most height; keep the prefix whose map fits a landscape sheet (1.414:1)
    # at the largest scale.
    candidates = [s.id for s in stages if slots[s.id] == 1 and
                  max((len(cells[(s.id, ln.id)]) for ln in lanes), default=0) >= 2]
    w = width()
    best_fit = min(1.414 / w, 1.0 / (grid_h() + overhead(w)))
    best = dict(slots)
    while candidates:
        h = grid_h()
        gains = []
        for sid in candidates:
            slots[sid] = 2
            gains.append((h - grid_h(), sid))
            slots[sid] = 1
        _gain, pick = max(gains)
        slots[pick] = 2
        candidates.remove(pick)
        w = width()
        fit = min(1.414 / w, 1.0 / (grid_h() + overhead(w)))
        if fit > best_fit * 1.01:  # a second column must earn its width
            best_fit, best = fit, dict(slots)
    slots = best
    return slots


def _label_width(lanes, style: Style) -> float:
    """Lane label column: wide enough for the longest word of any lane name, within bounds."""
    longest = max((text_width(w, "bold", style.sizes["lane"]) for ln in lanes
                   for w in words(ln.name)), default=0.0)
    want = longest + style.em(3.0)
    return max(style.em(style.lane_label_em), min(style.em(15), want))


def layout_map(data: DocumentData, map_id: int, target: Target | None = None,
               style: Style | None = None, *, version: str = "",
               exported: dt.date | None = None) -> MapLayout:
    """Lay out one map of ``data`` for ``target`` (the canvas when None)."""
    target = target or Target.screen()
    style = style or Style()
    jm = data.maps[map_id]
    stages = data.stages_of(map_id)
    lanes = data.lanes_of(map_id)
    sizes = style.sizes
    em = style.body_pt
    pad = em * 1.5
    gutter = style.em(style.gutter_em)
    card_w = style.em(style.card_width_em)
    label_w = _label_width(lanes, style)

    # Only cards whose stage and lane belong to the map (the preflight reports the others).
    stage_ids = {s.id for s in stages}
    lane_ids = {ln.id for ln in lanes}
    map_cards = sorted((c for c in data.cards.values() if c.map_id == map_id
                        and c.stage_id in stage_ids and c.lane_id in lane_ids),
                       key=lambda c: (c.position, c.id))
    cells: dict[tuple[int, int], list] = defaultdict(list)
    for c in map_cards:
        cells[(c.stage_id, c.lane_id)].append(c)
    channels: dict[str, str] = {}
    for c in map_cards:
        if c.channel and c.channel not in channels:
            channels[c.channel] = channel_colour(c.channel, len(channels))
    visible = [lane for lane in lanes if not lane.collapsed]

    kinds = [k for k in KIND_STYLE if any(c.kind.value == k for c in map_cards)]
    curve_lane = next((ln for ln in visible if ln.kind == LaneKind.EMOTIONS), None)
    has_curve = curve_lane is not None and any(c.emotion is not None for c in map_cards)
    has_phase = any(s.phase.strip() for s in stages)

    def top_block(total_w: float):
        """Title block and (on wide maps) the legend beside it; returns the y below them."""
        leg = None
        legend_w = 0.0
        if style.show_legend and total_w >= em * 70:  # wide map: legend beside the title
            legend_w = min((total_w - 2 * pad) * 0.45, em * 62)
            leg = legend(total_w - pad - legend_w, pad, legend_w, kinds, channels, has_curve,
                         style)
        title = title_block(data, jm, pad, pad,
                            total_w - 2 * pad - legend_w - (em * 2 if leg else 0),
                            style, version, exported)
        return title, leg, max(title.rect.bottom, leg.rect.bottom if leg else 0.0) + em * 1.2

    def overhead(total_w: float) -> float:
        """Height of everything but the lanes, for a map ``total_w`` wide (an estimate)."""
        _t, leg, y = top_block(total_w)
        y += sizes["lane"] * 1.7 + em * 0.3 if has_phase else 0.0
        y += sizes["stage"] * 1.2 + 2 * em * 0.65  # one-line stage headers
        y += em * 1.2 if leg is not None else em * 10  # legend below when not beside the title
        return y + em * 1.2 + pad

    # 1. columns (card texts first: their heights decide how many card columns a stage gets)
    texts: dict[int, CardText] = {}
    skey = style_key(style)
    for lane in visible:
        for s in stages:
            for c in cells[(s.id, lane.id)]:
                texts[c.id] = cached_card_text(c, card_w, style, skey, channels)
    band_h = em * 0.9 + style.em(style.curve_band_em) + em * 1.0
    extra = {curve_lane.id: band_h} if has_curve and curve_lane is not None else {}
    slots = _choose_slots(stages, visible, cells, texts, style, card_w, gutter, label_w + 2 * pad,
                          overhead, extra)
    col_w = {sid: n * card_w + (n + 1) * gutter for sid, n in slots.items()}
    grid_x = pad + label_w
    col_x: dict[int, float] = {}
    x = grid_x
    for s in stages:
        col_x[s.id] = x
        x += col_w[s.id]
    grid_w = max(x - grid_x, card_w + 2 * gutter)
    total_w = grid_x + grid_w + pad

    # 2. title, phases, headers
    title, leg, y = top_block(total_w)
    phases: list[PhaseGroup] = []
    if has_phase:
        ph_size = sizes["lane"]
        groups = []  # (name, stage ids, x0, width, wrapped lines)
        i = 0
        while i < len(stages):
            name = stages[i].phase.strip()
            j = i
            while j + 1 < len(stages) and name and stages[j + 1].phase.strip() == name:
                j += 1
            if name:
                x0 = col_x[stages[i].id]
                w = col_x[stages[j].id] + col_w[stages[j].id] - x0
                groups.append((name, tuple(s.id for s in stages[i:j + 1]), x0, w,
                               wrap_text(name, "bold", ph_size, w - 2 * gutter)))
            i = j + 1
        # Every band is as tall as the longest phase name needs (never cut short).
        n_lines = max(len(g[4]) for g in groups)
        ph_h = ph_size * (0.5 + 1.2 * n_lines)
        for name, ids, x0, w, wrapped in groups:
            lines = []
            for k, text in enumerate(wrapped):
                tw = text_width(text, "bold", ph_size)
                base = y + ph_size * 0.25 + ph_size * 1.2 * k + ASCENT * ph_size + (
                    (n_lines - len(wrapped)) * ph_size * 0.6)
                lines.append(TextLine(x0 + (w - tw) / 2, base, text, "bold", ph_size, style.text,
                                      tw))
            phases.append(PhaseGroup(name, ids, Rect(x0 + 1, y, w - 2, ph_h), style.phase_fill,
                                     tuple(lines)))
        y += ph_h + em * 0.3

    header_y = y
    head_pad = em * 0.65
    header_lines = {}
    header_h = sizes["stage"] * 1.2 + 2 * head_pad
    for s in stages:
        # Header text is ours to choose: the style's colour, or dark on a light stage colour.
        colour = style.header_text
        if s.colour and contrast_ratio(colour, s.colour) < 4.5:
            colour = best_text_colour(s.colour)
        lines, bottom = _stage_header_lines(s.name, col_w[s.id] - 2 * head_pad, sizes["stage"],
                                            style, colour)
        header_lines[s.id] = lines
        header_h = max(header_h, bottom + 2 * head_pad)
    y += header_h
    evidence_top = y  # heat strips, evidence row under the headers (app/layout/overlays.py)
    y += header_rows_height(data, map_id, style)

    # 3. rows of cards
    lane_labels: list[LaneLabel] = []
    cell_rects: dict[tuple[int, int], Rect] = {}
    cards: dict[int, CardBox] = {}
    curve_band = None
    for lane in lanes:
        row_y = y
        label_lines, label_bottom = _stage_header_lines(
            lane.name, label_w - em * 2.4, sizes["lane"], style, style.text,
            pad + em * 0.6, row_y + em * 0.6)
        marker = None
        mk = LANE_MARKER.get(lane.kind.value)
        if mk:
            marker = Glyph(KIND_STYLE[mk][1], pad + label_w - em * 1.0,  # type: ignore[arg-type]
                           row_y + em * 0.6 + sizes["lane"] * 0.55, em * 1.1,
                           fix_contrast(style.kind_colours[mk], style.lane_fill,
                                        GRAPHICS_CONTRAST), None)
        if lane.collapsed:
            h = max(style.em(style.collapsed_lane_em), label_bottom - row_y + em * 0.6)
        else:
            top = row_y + gutter
            if lane is curve_lane and has_curve:
                curve_band = Rect(grid_x, top + em * 0.9, grid_w, style.em(style.curve_band_em))
                top = curve_band.bottom + em * 1.0
            content_bottom = top
            for s in stages:
                n = slots[s.id]
                cy = top
                items = cells[(s.id, lane.id)]
                for r in range(0, len(items), n):
                    row = items[r:r + n]
                    row_h = max(texts[c.id].height for c in row)
                    for k, c in enumerate(row):
                        cx = col_x[s.id] + gutter + k * (card_w + gutter)
                        cards[c.id] = place_card(c, texts[c.id], cx, cy, row_h)
                    cy += row_h + gutter
                content_bottom = max(content_bottom, cy)
            h = max(content_bottom - row_y, style.em(style.empty_cell_em),
                    label_bottom - row_y + em * 0.6)
        for s in stages:
            cell_rects[(s.id, lane.id)] = Rect(col_x[s.id], row_y, col_w[s.id], h)
        lane_labels.append(LaneLabel(lane.id, lane.kind.value, Rect(pad, row_y, label_w, h),
                                     Rect(pad, row_y, label_w + grid_w, h),
                                     style.lane_fill, label_lines, lane.collapsed, marker))
        y += h
    grid_bottom = y
    cards, heat = decorate_cards(cards, data, map_id, style)  # heat map, dimmed assumptions
    grid = Rect(grid_x, header_y, grid_w, grid_bottom - header_y)

    headers = []
    for s in stages:
        n_cards = sum(len(cells[(s.id, ln.id)]) for ln in lanes)
        hx, hw = col_x[s.id], col_w[s.id]
        lines = tuple(
            TextLine(hx + (hw - t.width) / 2, header_y + head_pad + t.y_baseline, t.text, t.font,
                    t.size_pt, t.colour, t.width)
            for t in header_lines[s.id]
        )
        headers.append(StageHeader(s.id, Rect(hx, header_y, hw, header_h),
                                   Rect(hx, header_y, hw, grid_bottom - header_y),
                                   s.colour or style.header_fill, lines, n_cards == 0))

    # 4. curve, links, legend, footer
    curve = None
    if has_curve and curve_band is not None:
        scores = []
        by_stage: dict[int, list[int]] = defaultdict(list)
        for c in map_cards:
            if c.emotion is not None:
                by_stage[c.stage_id].append(c.emotion)
        for s in stages:
            vals = by_stage.get(s.id)
            if vals:
                scores.append((s.id, col_x[s.id] + col_w[s.id] / 2, sum(vals) / len(vals)))
        curve = emotion_curve(curve_lane.id, curve_band, scores, style)
    links = ()
    if style.show_links:
        links = tuple(cached_link_path(k, cards[k.source_id], cards[k.target_id], style, skey)
                      for k in data.links_of(map_id)
                      if k.source_id in cards and k.target_id in cards)
    y = grid_bottom + (em * 1.2 if leg is not None else em * 2)
    extras = below_grid(data, map_id, style, stages, col_x, col_w, pad, label_w, evidence_top,
                        y, heat)  # funnel band, heat key, evidence bars
    y = extras.bottom
    if style.show_legend and leg is None:
        leg = legend(pad, y, total_w - 2 * pad, kinds, channels, has_curve, style)
        y = leg.rect.bottom + em
    foot_text = f"{jm.title} · made with Waymark"
    footer, y = text_block(foot_text, "regular", em, pad, y, total_w - 2 * pad, style.muted_text)
    total_h = y + pad

    layout = MapLayout(
        map_id=map_id, width=total_w, height=total_h, background=style.background, scale=1.0,
        title=title, stages=tuple(headers), phases=tuple(phases), lanes=tuple(lane_labels),
        grid=grid, cells=cell_rects, cards=cards, curve=curve, links=links, legend=leg,
        footer=footer, grid_colour=style.grid, sizes=dict(sizes), min_size=em, pad=pad,
        heat=extras.heat, stage_heat=extras.stage_heat, evidence=extras.evidence,
        funnel=extras.funnel,
    )
    if target.kind == "paper" and target.paper is not None:
        layout = fit_to_page(layout, target.paper.width, target.paper.height, target.margin)
    return layout
