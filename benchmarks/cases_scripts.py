"""Font fallback and shaping (issue 15): what they cost a Latin-only map, and a mixed one.

The same-run baseline is the same code with the fallback chain switched off
(:func:`plain_fonts`: every line taken as plain text for the primary face, measured by
the advance sums and drawn with ``drawString``/``drawText``, which is what the layout
and the exporters did before the chain existed). For a Latin-only map the two must
cost the same (target ratio <= 1.05): the chain costs only for text that needs it.
For the generated maps, which hold some CJK, Arabic and accented text, the ratio is
what shaping those lines costs (reported, no target: without the chain they printed
boxes).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from app.export.common import ExportOptions
from app.export.pdf import export_pdf
from app.layout.caches import LayoutCache, clear_font_memos
from app.layout.engine import layout_map
from app.layout.paper import parse_paper
from app.model.schema import DocumentData
from app.render.png import export_png
from benchmarks.context import Context
from benchmarks.harness import time_call
from benchmarks.results import OK, Result

_NOT_LATIN = re.compile("[^\x00-\u024f\u2000-\u206f]")


def latin_only(data: DocumentData) -> DocumentData:
    """The document with every character outside Latin (and general punctuation) dropped."""
    def clean(s: str) -> str:
        return _NOT_LATIN.sub("", s) or "x"

    cards = {k: c.model_copy(update={"title": clean(c.title), "body": _NOT_LATIN.sub("", c.body)})
             for k, c in data.cards.items()}
    stages = {k: s.model_copy(update={"name": clean(s.name)}) for k, s in data.stages.items()}
    lanes = {k: ln.model_copy(update={"name": clean(ln.name)}) for k, ln in data.lanes.items()}
    return data.model_copy(update={"cards": cards, "stages": stages, "lanes": lanes})


@contextlib.contextmanager
def plain_fonts() -> Iterator[None]:
    """The layout and exporters with the fallback chain off (the pre-issue-15 path)."""
    from app.export import pdf, svg
    from app.layout import fonts, shaping
    from app.render import qtpaint

    def always(text: str, style: str) -> bool:
        return True

    modules = (fonts, pdf, qtpaint, svg, shaping)
    saved = [m.is_simple for m in modules]
    for m in modules:
        m.is_simple = always  # type: ignore[attr-defined]
    clear_font_memos()
    try:
        yield
    finally:
        for m, f in zip(modules, saved, strict=True):
            m.is_simple = f  # type: ignore[attr-defined]
        clear_font_memos()


def _pair(ctx: Context, name: str, size: str, data: DocumentData, fn, target: str | None
          ) -> Result:
    with plain_fonts():
        base = time_call(lambda: fn(data), ctx.plan, setup=clear_font_memos)
    figures = time_call(lambda: fn(data), ctx.plan, setup=clear_font_memos)
    r = Result(name, size, figures=figures, baseline=base,
               baseline_name="same code, fallback chain off", target=target or "").finish()
    if target:
        r.target_met = r.ratio is not None and r.ratio <= 1.05
    r.status = OK
    return r


def case_scripts(ctx: Context) -> list[Result]:
    """Layout, PDF and PNG of a Latin-only map and of the generated (mixed) map."""
    from app.render.qtpaint import ensure_gui

    ensure_gui()
    size = "100" if ctx.quick else "1000"
    mixed = ctx.data(size)
    map_id = ctx.map_id(size)
    latin = latin_only(mixed)
    options = ExportOptions(paper=parse_paper("A1", "landscape"), dpi=72)
    pdf_dest = ctx.work / "scripts.pdf"
    png_dest = ctx.work / "scripts.png"
    out = []
    for label, data, target in (("latin-only", latin, "<= 1.05x"), ("mixed", mixed, None)):
        out.append(_pair(ctx, f"layout ({label})", size, data,
                         lambda d: layout_map(d, map_id, cache=LayoutCache()), target))
        out.append(_pair(ctx, f"pdf export A1 ({label})", size, data,
                         lambda d: export_pdf(d, map_id, pdf_dest, options, force=True), target))
        out.append(_pair(ctx, f"png export A1 72 dpi ({label})", size, data,
                         lambda d: export_png(d, map_id, png_dest, options, force=True), target))
    return out
