"""Export cases: PDF (in-process and whole-process vs Chromium), PNG and SVG."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from app.export.common import ExportOptions
from app.export.pdf import export_pdf
from app.layout.caches import clear_font_memos
from app.layout.paper import MM, parse_paper
from benchmarks.context import Context
from benchmarks.floors import flat_ops, html_page, qimage_floor, qt_svg_floor, reportlab_floor
from benchmarks.harness import run_process, time_call, time_process
from benchmarks.results import OK, Result


def _paper_for(size: str) -> str:
    return "A0" if size == "10000" else "A1"


def case_pdf(ctx: Context) -> list[Result]:
    """PDF export in-process, against raw reportlab drawing the same boxes and lines."""
    out = []
    # --quick: 100 cards only (tracing a 1,000-card export alone takes ~15 s).
    for size in ctx.sizes(("100", "1000", "10000", "40stages"), ("100",)):
        data, map_id = ctx.data(size), ctx.map_id(size)
        paper = _paper_for(size)
        options = ExportOptions(paper=parse_paper(paper, "landscape"))
        dest = ctx.work / f"pdf-{size}.pdf"
        floor_dest = ctx.work / f"pdf-floor-{size}.pdf"
        flat = flat_ops(data, map_id, options)
        r = Result(f"pdf export {paper}", size,
                   figures=time_call(lambda a=(data, map_id, dest, options):
                                     export_pdf(*a, force=True), ctx.plan,
                                     setup=clear_font_memos),
                   baseline=time_call(lambda a=(flat, floor_dest): reportlab_floor(*a),
                                      ctx.plan),
                   baseline_name="raw reportlab, same boxes and lines",
                   target="<= 1.5x floor").finish()
        r.target_met = r.ratio is not None and r.ratio <= 1.5
        r.notes.append(f"{len(flat[2])} rectangles, {len(flat[3])} text lines; "
                       f"output {dest.stat().st_size} bytes, floor {floor_dest.stat().st_size}")
        out.append(r)
    return out


def chromium_binary() -> str | None:
    """The headless Chromium to compare with, or None when it is not installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def case_pdf_process(ctx: Context) -> list[Result]:
    """``waymark export`` as a whole process against headless Chromium printing HTML."""
    out = []
    chromium = chromium_binary()
    targets = {"1000": 3.0, "10000": 4.0}
    plan = ctx.plan
    for size in ctx.sizes(("1000", "10000"), ("100",)):
        paper = _paper_for(size)
        name = f"pdf export {paper} whole process"
        target = f">= {targets[size]:.0f}x faster than Chromium" if size in targets else ""
        src = ctx.cjm(size)
        dest = ctx.work / f"proc-{size}.pdf"
        argv = [sys.executable, "-m", "app", "export", str(src), "-o", str(dest),
                "--paper", paper, "--force", "--quiet"]
        ours = time_process(argv, plan)
        if chromium is None:
            out.append(Result(name, size, figures=ours, target=target,
                              baseline_name="headless Chromium (not installed: skipped)",
                              notes=["chromium is not installed; baseline skipped"]))
            continue
        sheet = parse_paper(paper, "landscape")
        w, h = sheet.width / MM, sheet.height / MM
        page = ctx.work / f"page-{size}.html"
        page.write_text(html_page(ctx.data(size), ctx.map_id(size), (w, h)), encoding="utf-8")
        chrome_out = ctx.work / f"chromium-{size}.pdf"
        profile = Path(tempfile.mkdtemp(prefix="bench-chromium-", dir=ctx.work))
        cargv = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", f"--user-data-dir={profile}",
                 f"--print-to-pdf={chrome_out}", "--no-pdf-header-footer", page.as_uri()]
        try:
            theirs = time_process(cargv, plan)
        except RuntimeError as err:
            out.append(Result(name, size, figures=ours, target=target,
                              baseline_name="headless Chromium (failed)",
                              notes=[f"Chromium failed: {err}"]))
            continue
        r = Result(name, size, figures=ours, baseline=theirs, target=target,
                   baseline_name="headless Chromium printing the map as HTML").finish()
        if size in targets:
            r.target_met = r.ratio is not None and r.ratio <= 1 / targets[size]
        if r.ratio:
            r.notes.append(f"Waymark is {1 / r.ratio:.1f}x faster than Chromium" if r.ratio < 1
                           else f"Waymark takes {r.ratio:.2f}x Chromium's time")
        out.append(r)
    return out


def case_png(ctx: Context) -> list[Result]:
    """PNG of the 1,000-card map on A1 at 150 and 300 dpi against the QImage encode floor."""
    from app.render.png import export_png, png_size
    from app.render.qtpaint import ensure_gui

    ensure_gui()
    out = []
    size = "100" if ctx.quick else "1000"
    data, map_id = ctx.data(size), ctx.map_id(size)
    dpis = (72,) if ctx.quick else (150, 300)
    plan = ctx.plan
    for dpi in dpis:
        options = ExportOptions(paper=parse_paper("A1", "landscape"), dpi=dpi)
        dest = ctx.work / f"png-{dpi}.png"
        lay = export_png(data, map_id, dest, options, force=True)
        w, h = png_size(lay.width, lay.height, dpi)
        floor_dest = ctx.work / f"png-floor-{dpi}.png"
        figures = time_call(lambda o=options, d=dest: export_png(data, map_id, d, o, force=True),
                            plan, memory=False, setup=clear_font_memos)
        baseline = time_call(lambda w=w, h=h, f=floor_dest: qimage_floor(w, h, f), plan,
                             memory=False)
        # Peak memory of the whole export as a process (QImage memory is not Python's).
        _, code, rss, err = run_process(
            [sys.executable, "-m", "app", "export", str(ctx.cjm(size)), "-o",
             str(ctx.work / f"png-proc-{dpi}.png"), "--paper", "A1", "--dpi", str(dpi),
             "--force", "--quiet"],
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        if code == 0:
            figures["peak_rss_bytes"] = rss
        r = Result(f"png export A1 {dpi} dpi", size, figures=figures, baseline=baseline,
                   baseline_name=f"QImage {w}x{h} fill+save",
                   target="<= 1.3x floor, < 1 GB" if dpi == 300 else "").finish()
        if dpi == 300 and r.ratio is not None:
            r.target_met = r.ratio <= 1.3 and code == 0 and rss < 2**30
        r.notes.append(f"{w}x{h} px; peak RSS of a whole-process export {rss / 2**20:.0f} MB"
                       if code == 0 else f"whole-process export failed: {err.strip()}")
        out.append(r)
    return out


def case_svg(ctx: Context) -> list[Result]:
    """SVG export of the 1,000-card map against QSvgGenerator drawing the same boxes."""
    from app.export.svg import export_svg
    from app.render.qtpaint import ensure_gui

    ensure_gui()
    size = "100" if ctx.quick else "1000"
    data, map_id = ctx.data(size), ctx.map_id(size)
    options = ExportOptions(paper=parse_paper("A1", "landscape"))
    flat = flat_ops(data, map_id, options)
    dest = ctx.work / "svg.svg"
    floor_dest = ctx.work / "svg-floor.svg"
    r = Result("svg export A1", size,
               figures=time_call(lambda: export_svg(data, map_id, dest, options, force=True),
                                 ctx.plan, setup=clear_font_memos),
               baseline=time_call(lambda: qt_svg_floor(flat, floor_dest), ctx.plan),
               baseline_name="raw QSvgGenerator, same boxes and lines").finish()
    r.status = OK
    return [r]

