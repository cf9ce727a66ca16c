"""Composing a poster for its paper (issue 14) against the single-pass export it replaced.

Three timings in one run, each from a cold layout cache: the PDF export as it is now
(composed for the paper: up to three layouts), the single-pass export of before (the
screen layout scaled onto the sheet, then drawn by the same renderer), and the raw
reportlab floor drawing the same boxes and lines. Targets: composing costs at most 1.5x
the single pass at 1,000 cards and 2x at 10,000.
"""

from __future__ import annotations

import datetime as dt

from app.export.common import ExportOptions
from app.export.pdf import export_pdf
from app.layout.caches import LayoutCache, clear_font_memos
from app.layout.engine import layout_map
from app.layout.paper import parse_paper
from app.layout.style import Target
from app.layout.transform import fit_to_page
from benchmarks.context import Context
from benchmarks.floors import flat_ops, reportlab_floor
from benchmarks.harness import time_call
from benchmarks.results import Result

TARGETS = {"1000": 1.5, "10000": 2.0}


def _single_pass(data, map_id, dest, options: ExportOptions) -> None:
    """Today's-main export: one natural layout fitted to the page, then drawn."""
    paper = options.paper
    natural = layout_map(data, map_id, None, None, exported=dt.date.today(),
                         cache=LayoutCache())  # a first layout, as the composed export's
    page = fit_to_page(natural, paper.width, paper.height, Target.for_paper(paper).margin)
    export_pdf(data, map_id, dest, options, force=True, layout=page)


def case_compose(ctx: Context) -> list[Result]:
    """Composed PDF export vs the single-pass export vs raw reportlab."""
    out = []
    for size in ctx.sizes(("1000", "10000"), ("1000",)):
        data, map_id = ctx.data(size), ctx.map_id(size)
        paper = "A0" if size == "10000" else "A1"
        options = ExportOptions(paper=parse_paper(paper, "landscape"))
        dest = ctx.work / f"compose-{size}.pdf"
        single_dest = ctx.work / f"single-{size}.pdf"
        floor_dest = ctx.work / f"compose-floor-{size}.pdf"
        flat = flat_ops(data, map_id, options)
        composed = time_call(lambda a=(data, map_id, dest, options):
                             export_pdf(*a, force=True), ctx.plan, setup=clear_font_memos)
        single = time_call(lambda a=(data, map_id, single_dest, options): _single_pass(*a),
                           ctx.plan, setup=clear_font_memos)
        floor = time_call(lambda a=(flat, floor_dest): reportlab_floor(*a), ctx.plan)
        target = TARGETS[size]
        r = Result(f"composed pdf {paper}", size, figures=composed, baseline=single,
                   baseline_name="single-pass export (natural layout scaled to the page)",
                   target=f"<= {target}x the single pass").finish()
        r.target_met = r.ratio is not None and r.ratio <= target
        if floor.get("median_s"):
            r.notes.append(f"vs raw reportlab floor: composed "
                           f"{composed['median_s'] / floor['median_s']:.2f}x, single pass "
                           f"{single['median_s'] / floor['median_s']:.2f}x")
        out.append(r)
    return out
