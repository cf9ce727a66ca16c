"""What the map tells you, added to a layout: heat map, evidence, funnel (hooks for the engine).

The engine calls :func:`decorate_cards` once every card is placed (recolours
for the heat map, de-emphasised assumptions) and :func:`below_grid` once the
grid is finished (evidence bars in the row the engine reserved under the stage
headers, the funnel band and the heat map's key under the grid). Both do
nothing unless the style asks (``heat_metric``, ``dim_assumptions``,
``show_evidence``, ``funnel_metric``), so a plain layout is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.layout.boxes import CardBox, EvidenceBar, FunnelBand, HeatLegend, StageHeat
from app.layout.evidence import dim_assumptions, evidence_bars
from app.layout.evidence import row_height as evidence_row_height
from app.layout.funnel import funnel_band
from app.layout.heat import (
    HeatScale,
    apply_heat,
    heat_legend,
    heat_scale,
    stage_strips,
    strip_height,
)
from app.layout.style import Style
from app.model.schema import DocumentData, Stage

__all__ = ["Overlays", "below_grid", "decorate_cards", "header_rows_height", "placed_only"]


@dataclass(frozen=True)
class Overlays:
    """The boxes below the grid and where the layout continues."""

    heat: HeatLegend | None
    stage_heat: tuple[StageHeat, ...]
    evidence: tuple[EvidenceBar, ...]
    funnel: FunnelBand | None
    bottom: float


def placed_only(data: DocumentData, map_id: int) -> DocumentData:
    """``data`` without the map's cards whose stage or lane is not the map's (the preflight
    reports those; the analysis functions expect every card placed)."""
    stages = {s.id for s in data.stages.values() if s.map_id == map_id}
    lanes = {ln.id for ln in data.lanes.values() if ln.map_id == map_id}
    if all(c.stage_id in stages and c.lane_id in lanes for c in data.cards.values()
           if c.map_id == map_id):
        return data
    return data.model_copy(update={"cards": {
        k: c for k, c in data.cards.items()
        if c.map_id != map_id or (c.stage_id in stages and c.lane_id in lanes)}})


def header_rows_height(data: DocumentData, map_id: int, style: Style) -> float:
    """Room the engine keeps under the stage headers: the heat strips (when some card has
    the heat metric) and the evidence row."""
    h = evidence_row_height(style) if style.show_evidence else 0.0
    if style.heat_metric and heat_scale(placed_only(data, map_id), map_id,
                                        style.heat_metric) is not None:
        h += strip_height(style)
    return h


def decorate_cards(cards: dict[int, CardBox], data: DocumentData, map_id: int,
                   style: Style) -> tuple[dict[int, CardBox], HeatScale | None]:
    """Cards coloured by the heat metric and/or with assumptions de-emphasised."""
    if not (style.heat_metric or style.dim_assumptions):
        return cards, None
    data = placed_only(data, map_id)
    scale = heat_scale(data, map_id, style.heat_metric) if style.heat_metric else None
    if scale is not None:
        cards = apply_heat(cards, data, scale, style)
    if style.dim_assumptions:
        cards = dim_assumptions(cards, data, style, keep_fill=scale is not None)
    return cards, scale


def below_grid(data: DocumentData, map_id: int, style: Style, stages: list[Stage],
               col_x: dict[int, float], col_w: dict[int, float], pad: float, label_w: float,
               evidence_top: float, y: float, scale: HeatScale | None) -> Overlays:
    """Heat strips and evidence bars (from ``evidence_top``, the room kept by
    :func:`header_rows_height`), then from ``y`` down the funnel and the heat key."""
    em = style.body_pt
    if style.show_evidence or style.funnel_metric or scale is not None:
        data = placed_only(data, map_id)
    strips: tuple[StageHeat, ...] = ()
    if scale is not None:
        strips = stage_strips(data, map_id, scale, stages, col_x, col_w, evidence_top, style)
        evidence_top += strip_height(style)
    bars = (evidence_bars(data, map_id, stages, col_x, col_w, evidence_top, style)
            if style.show_evidence else ())
    band = None
    if style.funnel_metric and stages:
        band = funnel_band(data, map_id, style.funnel_metric, stages, col_x, col_w, pad,
                           label_w, y - em * 0.6, style)
        y = band.rect.bottom + em * 1.2
    key = None
    if scale is not None:
        right = max((col_x[s.id] + col_w[s.id] for s in stages), default=pad + label_w)
        key = heat_legend(scale, pad, y, max(em * 30, min(em * 60, right - pad)), style)
        y = key.rect.bottom + em * 1.2
    return Overlays(key, strips, bars, band, y)
