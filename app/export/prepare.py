"""From document + options to the layout an exporter draws: the poster composed for its
paper (app/layout/compose.py), turned as asked, with the export's style choices."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from app.export.common import ExportOptions
from app.layout.boxes import MapLayout
from app.layout.caches import LayoutCache, owner
from app.layout.compose import Composition, compose, fit_bound
from app.layout.engine import layout_map
from app.layout.legibility import ROLES, RoleDistances, default_distance_for_size
from app.layout.paper import Paper
from app.layout.style import Style
from app.model.schema import DocumentData


def export_style(options: ExportOptions, style: Style | None = None) -> Style:
    """The style with the export's choices (contrast repair, heat, funnel, evidence, ...)."""
    style = style or Style()
    if options.fix_contrast:
        style = replace(style, fix_contrast=True)
    if options.heat_metric or options.funnel_metric or options.show_evidence \
            or options.dim_assumptions:
        style = replace(style, heat_metric=options.heat_metric or style.heat_metric,
                        funnel_metric=options.funnel_metric or style.funnel_metric,
                        show_evidence=options.show_evidence or style.show_evidence,
                        dim_assumptions=options.dim_assumptions or style.dim_assumptions)
    if options.background is not None:
        style = replace(style, background=options.background)
    if options.logo is not None:
        style = replace(style, logo=options.logo)
    if options.brand_colour:
        from app.layout.rules import best_text_colour, mix

        brand = options.brand_colour
        style = replace(style, header_fill=brand, header_text=best_text_colour(brand),
                        phase_fill=mix(brand, "#ffffff", 0.8))
    return style


def natural_layout(data: DocumentData, map_id: int, options: ExportOptions,
                   style: Style | None = None, cache: LayoutCache | None = None) -> MapLayout:
    """The map at the screen's natural size (as on the canvas) with the export's style."""
    return layout_map(data, map_id, None, export_style(options, style), version=options.version,
                      exported=dt.date.today(), cache=cache)


def poster_distance(paper: Paper, distance_m: float | None) -> float:
    """D: the user's viewing distance, else the default for the sheet's physical size."""
    if distance_m is not None:
        return distance_m
    return default_distance_for_size(paper.width, paper.height)


def role_distances(options: ExportOptions, paper: Paper) -> RoleDistances:
    """Each role's reading distance for ``paper``: the options' overrides, else the rule's."""
    own = {r: options.role_distances[r] for r in ROLES if r in options.role_distances}
    return RoleDistances(poster_distance(paper, options.distance_m), **own)


def selection(data: DocumentData, map_id: int, options: ExportOptions) -> DocumentData:
    """``data`` with only the stages (of ``options.phase``, named in ``options.stages``,
    or those of ``options.stage_ids``) and lanes (``options.lanes``) to print; unchanged
    when nothing is selected."""
    if not (options.phase or options.stages or options.stage_ids or options.lanes):
        return data
    from app.errors import ExportError

    stages = data.stages_of(map_id)
    lanes = data.lanes_of(map_id)
    keep_s = {s.id for s in stages}
    if options.phase:
        want = options.phase.strip().casefold()
        keep_s = {s.id for s in stages if s.phase.strip().casefold() == want}
        if not keep_s:
            have = sorted({s.phase.strip() for s in stages if s.phase.strip()})
            raise ExportError(f"no phase {options.phase!r} in this map (phases: "
                              f"{', '.join(have) or 'none'})")
    if options.stages:
        want_s = {n.strip().casefold() for n in options.stages}
        keep_s &= {s.id for s in stages if s.name.strip().casefold() in want_s}
        if not keep_s:
            raise ExportError("none of the stages " + ", ".join(map(repr, options.stages))
                              + " is in this map")
    if options.stage_ids:
        keep_s &= set(options.stage_ids)
        if not keep_s:
            raise ExportError("none of the stages to print is in this map")
    keep_l = {ln.id for ln in lanes}
    if options.lanes:
        want_l = {n.strip().casefold() for n in options.lanes}
        keep_l = {ln.id for ln in lanes if ln.name.strip().casefold() in want_l}
        if not keep_l:
            raise ExportError("none of the lanes " + ", ".join(map(repr, options.lanes))
                              + " is in this map")
    drop_s = {s.id for s in stages} - keep_s
    drop_l = {ln.id for ln in lanes} - keep_l
    cards = {k: c for k, c in data.cards.items()
             if not (c.map_id == map_id and (c.stage_id in drop_s or c.lane_id in drop_l))}
    links = {k: x for k, x in data.links.items()
             if x.source_id in cards and x.target_id in cards}
    return data.model_copy(update={
        "stages": {k: v for k, v in data.stages.items() if k not in drop_s},
        "lanes": {k: v for k, v in data.lanes.items() if k not in drop_l},
        "cards": cards, "links": links})


def compose_for(data: DocumentData, map_id: int, options: ExportOptions,
                style: Style | None = None, paper: Paper | None = None, *,
                trial: bool = False, cache: LayoutCache | None = None) -> Composition:
    """The poster composed for the options' paper; orientation 'auto' composes both and
    keeps the one whose text prints larger (landscape on a tie). ``trial``: only the
    verdict and the scale are wanted (see :func:`~app.layout.compose.compose`).
    ``cache``: the export job's layout cache (None: the one bound for the job, or a
    fresh one)."""
    cache = owner(cache)
    st = export_style(options, style)
    data = selection(data, map_id, options)
    sheet = paper or options.paper
    turns = ((options.orientation,) if options.orientation in ("landscape", "portrait")
             else ("landscape", "portrait"))
    best: Composition | None = None
    for turn in turns:
        p = sheet.oriented(turn)
        c = compose(data, map_id, p, role_distances(options, p), margin=options.margin,
                    style=st, version=options.version, exported=dt.date.today(),
                    fit=options.fit, trial=trial, cache=cache)
        if best is None or c.scale > best.scale + 1e-9:
            best = c
    assert best is not None
    return best


def trial_passes(data: DocumentData, map_id: int, options: ExportOptions,
                 style: Style | None = None) -> Composition | None:
    """The trial composition (:func:`compose_for` with ``trial``) of a way out the
    preflight tries, when it passes; None when it fails. A sheet on which the map cannot
    pass by :func:`~app.layout.compose.fit_bound` (far too large for it, in every
    orientation asked) is answered without laying the map out: the same verdict, at the
    cost of one pass over the cards instead of a layout of them all."""
    if options.fit == "page":
        st = export_style(options, style)
        chosen = selection(data, map_id, options)
        sheet = options.paper
        turns = ((options.orientation,) if options.orientation in ("landscape", "portrait")
                 else ("landscape", "portrait"))
        if all(fit_bound(chosen, map_id, p, role_distances(options, p),
                         margin=options.margin, style=st) < 1.0 - 1e-3
               for p in (sheet.oriented(t) for t in turns)):
            return None
    c = compose_for(data, map_id, options, style, trial=True)
    return c if c.passes else None


def choose_paper(data: DocumentData, map_id: int, options: ExportOptions) -> Paper:
    """The paper turned as asked ('auto': the orientation the composition chose)."""
    return compose_for(data, map_id, options).paper


def page_layout(data: DocumentData, map_id: int, options: ExportOptions,
                style: Style | None = None, *, composition: Composition | None = None
                ) -> MapLayout:
    """The poster on its page (what PDF, PNG and SVG draw).

    ``composition``: the map's :func:`compose_for` when the caller already has it
    (``waymark export`` preflights and exports from one composition).
    """
    if composition is None:
        composition = compose_for(data, map_id, options, style)
    return composition.layout
