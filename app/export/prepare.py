"""From document + options to the layout an exporter draws (orientation, contrast fixes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from app.export.common import ExportOptions
from app.layout.boxes import MapLayout
from app.layout.engine import layout_map
from app.layout.paper import Paper
from app.layout.style import Style, Target
from app.layout.transform import fit_to_page, scale_factor
from app.model.schema import DocumentData


def natural_layout(data: DocumentData, map_id: int, options: ExportOptions,
                   style: Style | None = None) -> MapLayout:
    """The map at natural size (as on the canvas) with the export's style choices."""
    style = style or Style()
    if options.fix_contrast:
        style = replace(style, fix_contrast=True)
    if options.heat_metric or options.funnel_metric or options.show_evidence \
            or options.dim_assumptions:
        style = replace(style, heat_metric=options.heat_metric or style.heat_metric,
                        funnel_metric=options.funnel_metric or style.funnel_metric,
                        show_evidence=options.show_evidence or style.show_evidence,
                        dim_assumptions=options.dim_assumptions or style.dim_assumptions)
    return layout_map(data, map_id, None, style, version=options.version,
                      exported=dt.date.today())


def choose_paper(natural: MapLayout, options: ExportOptions) -> Paper:
    """The paper turned as asked; 'auto' picks the orientation giving the larger text."""
    paper = options.paper
    if options.orientation in ("landscape", "portrait"):
        return paper.oriented(options.orientation)
    best = None
    for orient in ("landscape", "portrait"):
        p = paper.oriented(orient)
        s = scale_factor(natural, p.width, p.height, Target.for_paper(p).margin)
        if best is None or s > best[0] + 1e-9:
            best = (s, p)
    assert best is not None
    return best[1]


def page_layout(data: DocumentData, map_id: int, options: ExportOptions,
                style: Style | None = None, *, natural: MapLayout | None = None) -> MapLayout:
    """The layout fitted to the chosen paper (what PDF, PNG and SVG draw).

    ``natural``: the map's :func:`natural_layout` when the caller already has it
    (``waymark export`` preflights and exports from one layout).
    """
    if natural is None:
        natural = natural_layout(data, map_id, options, style)
    paper = choose_paper(natural, options)
    target = Target.for_paper(paper, options.distance_m)
    return fit_to_page(natural, paper.width, paper.height, target.margin)
