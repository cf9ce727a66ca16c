"""PDF export with reportlab's canvas: vector, embedded DejaVu fonts, selectable text.

User text goes through ``drawString`` only (never Paragraph markup), so
``<b>``, ``a & b`` or ``<font size=500>`` print literally. Options: exact
paper, bleed with trim/bleed boxes and crop marks, or tiling the poster onto
smaller sheets with overlap and assembly marks. The file is written to a
temporary name and renamed into place.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from app.errors import ExportError
from app.export.common import ExportOptions, atomic_output
from app.export.pdftext import draw_shaped
from app.export.prepare import page_layout
from app.layout.boxes import MapLayout
from app.layout.fonts import DESCENT, is_simple, pdf_font_name, text_width
from app.layout.logo import Logo
from app.layout.paint import (
    EllipseOp,
    EndGroupOp,
    GroupOp,
    ImageOp,
    LineOp,
    PathOp,
    PolyOp,
    RectOp,
    TextOp,
    paint_ops,
)
from app.layout.paper import MM, Paper
from app.model.schema import DocumentData

CROP_MARK = 12.0  # length of a crop mark, points
CROP_GAP = 3.0  # gap between the bleed edge and a crop mark


@lru_cache(maxsize=1024)
def _rgb(colour: str) -> tuple[float, float, float]:
    c = colour.lstrip("#")
    return int(c[0:2], 16) / 255, int(c[2:4], 16) / 255, int(c[4:6], 16) / 255


def draw_layout(c: Canvas, lay: MapLayout, options: ExportOptions, height: float,
                *, background: bool = True) -> None:
    """Draw a layout with its top-left at the current origin (y flipped to PDF space).

    Consecutive text lines share one text object (one BT/ET), and the font and the
    fill colour are set only when they change: the page looks the same as with one
    ``drawString`` per line, with less PDF and less Python per line.
    """
    ops = list(paint_ops(lay, background=background))
    total = len(ops)
    text = None  # the open text object, while text lines follow each other
    font: tuple[str, float] | None = None
    fill: list[str | None] = [None]  # the fill colour last set (BT/ET does not reset it)

    def fy(y: float) -> float:
        return height - y

    for i, op in enumerate(ops):
        if i % 500 == 0:
            options.report(0.1 + 0.7 * i / max(1, total), "drawing")
        if isinstance(op, (GroupOp, EndGroupOp)):
            continue
        if isinstance(op, TextOp):
            t = op.line
            if not t.text:
                continue
            if not is_simple(t.text, t.font):  # fallback faces, shaping, bidi
                if text is not None:
                    c.drawText(text)
                    text = None
                draw_shaped(c, t, fy(t.y_baseline), _rgb(t.colour))
                continue
            if text is None:
                text = c.beginText()
                font = None
            if t.colour != fill[0]:
                text.setFillColorRGB(*_rgb(t.colour))
                fill[0] = t.colour
            if font != (t.font, t.size_pt):
                text.setFont(pdf_font_name(t.font), t.size_pt)
                font = (t.font, t.size_pt)
            text.setTextOrigin(t.x, fy(t.y_baseline))
            text.textLine(t.text)
            continue
        if text is not None:
            c.drawText(text)
            text = None
        if isinstance(op, RectOp):
            _style(c, op.fill, op.stroke, op.width, op.dash, state=fill)
            r = op.rect
            if op.radius > 0:
                c.roundRect(r.x, fy(r.bottom), r.w, r.h, min(op.radius, r.h / 2, r.w / 2),
                            stroke=int(bool(op.stroke)), fill=int(bool(op.fill)))
            else:
                c.rect(r.x, fy(r.bottom), r.w, r.h, stroke=int(bool(op.stroke)),
                       fill=int(bool(op.fill)))
            if op.dash:
                c.setDash()
        elif isinstance(op, PolyOp):
            _style(c, op.fill, op.stroke, op.width, state=fill)
            p = c.beginPath()
            p.moveTo(op.points[0][0], fy(op.points[0][1]))
            for x, y in op.points[1:]:
                p.lineTo(x, fy(y))
            p.close()
            c.drawPath(p, stroke=int(bool(op.stroke)), fill=int(bool(op.fill)))
        elif isinstance(op, EllipseOp):
            _style(c, op.fill, op.stroke, op.width, state=fill)
            c.ellipse(op.cx - op.rx, fy(op.cy + op.ry), op.cx + op.rx, fy(op.cy - op.ry),
                      stroke=int(bool(op.stroke)), fill=int(bool(op.fill)))
        elif isinstance(op, PathOp):
            _style(c, None, op.stroke, op.width, op.dash)
            p = c.beginPath()
            p.moveTo(op.start[0], fy(op.start[1]))
            for c1, c2, end in op.curves:
                p.curveTo(c1[0], fy(c1[1]), c2[0], fy(c2[1]), end[0], fy(end[1]))
            c.drawPath(p, stroke=1, fill=0)
            c.setDash()
        elif isinstance(op, LineOp):
            _style(c, None, op.stroke, op.width, op.dash)
            c.line(op.x0, fy(op.y0), op.x1, fy(op.y1))
            c.setDash()
        elif isinstance(op, ImageOp):
            r = op.rect
            c.drawImage(_image_reader(op.logo), r.x, fy(r.bottom), r.w, r.h, mask="auto")
    if text is not None:
        c.drawText(text)


def _image_reader(logo: Logo) -> ImageReader:
    """The logo for reportlab: a JPEG is embedded as it is (DCT), a PNG through Pillow
    (its transparency becomes a soft mask)."""
    import io

    return ImageReader(io.BytesIO(logo.data))


def _style(c: Canvas, fill: str | None, stroke: str | None, width: float,
           dash: tuple[float, ...] = (), *, state: list[str | None] | None = None) -> None:
    """Set the fill (unless ``state`` says it is already set), stroke and dash."""
    if fill and (state is None or state[0] != fill):
        c.setFillColorRGB(*_rgb(fill))
        if state is not None:
            state[0] = fill
    if stroke:
        c.setStrokeColorRGB(*_rgb(stroke))
        c.setLineWidth(width)
        c.setLineJoin(1)
        c.setLineCap(1 if not dash else 0)
    if dash:
        c.setDash(list(dash))


def _metadata(c: Canvas, data: DocumentData, map_id: int, options: ExportOptions) -> None:
    jm = data.maps[map_id]
    c.setTitle(jm.title)
    # the map's owner, else nobody (Waymark is the Creator; reportlab would say "anonymous")
    c.setAuthor(options.author or jm.owner or "")
    persona = data.personas.get(jm.persona_id) if jm.persona_id else None
    subject = "Customer journey map" + (f" for {persona.name}" if persona else "")
    c.setSubject(subject)
    c.setCreator("Waymark")
    c.setKeywords(["journey map", *[s.name for s in data.stages_of(map_id)]])


def _crop_marks(c: Canvas, x0: float, y0: float, w: float, h: float, bleed: float) -> None:
    """Crop marks outside the bleed at each trim corner (registration black)."""
    c.setStrokeColorRGB(0, 0, 0)
    c.setLineWidth(0.25)
    off = bleed + CROP_GAP
    for cx, sx in ((x0, -1), (x0 + w, 1)):
        for cy, sy in ((y0, -1), (y0 + h, 1)):
            c.line(cx + sx * off, cy, cx + sx * (off + CROP_MARK), cy)
            c.line(cx, cy + sy * off, cx, cy + sy * (off + CROP_MARK))


@contextlib.contextmanager
def binary_streams() -> Iterator[None]:
    """Write this PDF's compressed streams as binary, not ASCII85 text.

    reportlab's default (``rl_config.useA85``) wraps every Flate stream in ASCII85,
    a pure-Python pass that makes the file a quarter larger; PDF readers take binary
    streams (the file already starts with a binary comment line). The setting is
    read when the file is written, and is restored afterwards.
    """
    old = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = old


def export_pdf(data: DocumentData, map_id: int, path: str | Path, options: ExportOptions,
               *, force: bool = False, layout: MapLayout | None = None) -> MapLayout:
    """Write one map as a PDF poster (or tiled sheets); returns the layout drawn.

    ``layout``: the page layout (:func:`~app.export.prepare.page_layout`) when the
    caller already has it.
    """
    options.report(0.0, "laying out")
    lay = layout if layout is not None else page_layout(data, map_id, options)
    paper = Paper(options.paper.name, lay.width, lay.height)
    with atomic_output(path, force=force) as tmp, binary_streams():
        if options.tile is not None:
            _tiled(tmp, data, map_id, lay, paper, options)
        else:
            _single(tmp, data, map_id, lay, paper, options)
    options.report(1.0, "done")
    return lay


def export_pdf_maps(data: DocumentData, map_ids: list[int], path: str | Path,
                    options: ExportOptions, *, force: bool = False,
                    layouts: dict[int, MapLayout] | None = None) -> list[MapLayout]:
    """Every map of ``map_ids`` in one PDF, a page per map, each composed for the paper
    (``layouts``: the page layouts when the caller has them); returns the layouts."""
    if options.tile is not None:
        raise ExportError("--all-maps makes one page per map: it cannot be tiled (export "
                          "the maps one at a time with --tile)")
    if not map_ids:
        raise ExportError("the document has no maps")
    pages = []
    for i, map_id in enumerate(map_ids):
        options.report(0.8 * i / len(map_ids), f"laying out {i + 1}/{len(map_ids)}")
        pages.append((data, map_id, layouts[map_id] if layouts and map_id in layouts
                      else page_layout(data, map_id, options)))
    export_pdf_pages(pages, path, options, force=force)
    return [lay for _, _, lay in pages]


def export_pdf_pages(pages: list[tuple[DocumentData, int, MapLayout]], path: str | Path,
                     options: ExportOptions, *, force: bool = False) -> None:
    """One PDF of the given page layouts, a page each (every map of a document, or the
    sheets of a map split by its stages); each page's data names its map's title."""
    if not pages:
        raise ExportError("nothing to print")
    with atomic_output(path, force=force) as tmp, binary_streams():
        c = None
        for data, map_id, lay in pages:
            paper = Paper(options.paper.name, lay.width, lay.height)
            c = _page(c, tmp, data, map_id, lay, paper, options)
        assert c is not None
        options.report(0.9, "writing")
        c.save()
    options.report(1.0, "done")


def _single(tmp: Path, data: DocumentData, map_id: int, lay: MapLayout, paper: Paper,
            options: ExportOptions) -> None:
    c = _page(None, tmp, data, map_id, lay, paper, options)
    options.report(0.9, "writing")
    c.save()


def _page(c: Canvas | None, tmp: Path, data: DocumentData, map_id: int, lay: MapLayout,
          paper: Paper, options: ExportOptions) -> Canvas:
    """Draw one poster page (and its insights page) on ``c``, made on first use."""
    bleed = max(0.0, options.bleed)
    slug = CROP_GAP + CROP_MARK + 3 if options.crop_marks else 0.0
    edge = bleed + slug
    media = (paper.width + 2 * edge, paper.height + 2 * edge)
    if c is None:
        c = Canvas(str(tmp), pagesize=media, pageCompression=1,
                   initialFontName=pdf_font_name("regular"), initialFontSize=10)
        _metadata(c, data, map_id, options)
    else:
        c.setPageSize(media)
    if edge:
        c.setTrimBox((edge, edge, edge + paper.width, edge + paper.height))
        c.setBleedBox((slug, slug, media[0] - slug, media[1] - slug))
    if bleed:  # the background runs into the bleed so trimming leaves no white hairline
        c.setFillColorRGB(*_rgb(lay.background))
        c.rect(slug, slug, media[0] - 2 * slug, media[1] - 2 * slug, stroke=0, fill=1)
    c.saveState()
    c.translate(edge, edge)
    draw_layout(c, lay, options, paper.height)
    c.restoreState()
    if options.crop_marks:
        _crop_marks(c, edge, edge, paper.width, paper.height, bleed)
    c.showPage()
    if options.insights:  # the report as a last page (app/export/insights.py)
        from app.export.insights import draw_insights

        draw_insights(c, data, map_id, paper.width, paper.height, options.funnel_metric)
    return c


#: Tiled sheets keep this margin (office printers cannot print to the edge); the
#: assembly notes sit in it, at least :data:`TILE_NOTE_EDGE` from the sheet's edge.
TILE_MARGIN = 12 * MM
TILE_NOTE_EDGE = 5 * MM
TILE_NOTE_PT = 6.5


def max_overlap(sheet: Paper, margin: float = TILE_MARGIN) -> float:
    """The largest tiling overlap (points) a sheet allows: under half its printable side."""
    return max(0.0, (min(sheet.width, sheet.height) - 2 * margin) / 2 - 1)


def check_overlap(sheet: Paper, overlap: float, margin: float = TILE_MARGIN) -> None:
    """Refuse an overlap the sheet cannot hold (a clear one-line message)."""
    most = max_overlap(sheet, margin)
    if overlap < 0 or overlap > most:
        raise ExportError(f"tiling overlap {overlap / MM:.0f} mm is more than a {sheet.name} "
                          f"sheet allows (at most {most / MM:.0f} mm)")


def tile_grid(poster: Paper, sheet: Paper, overlap: float, margin: float
              ) -> tuple[Paper, int, int]:
    """Sheet orientation, columns and rows that cover ``poster`` with the fewest sheets.

    An overlap of half the printable window or more would leave no poster to move on to:
    it is refused with the largest overlap the sheet allows.
    """
    check_overlap(sheet, overlap, margin)
    best: tuple[int, Paper, int, int] | None = None
    for orient in ("portrait", "landscape"):
        s = sheet.oriented(orient)
        ww, wh = s.width - 2 * margin, s.height - 2 * margin
        cols = max(1, math.ceil((poster.width - overlap) / (ww - overlap) - 1e-9))
        rows = max(1, math.ceil((poster.height - overlap) / (wh - overlap) - 1e-9))
        if best is None or cols * rows < best[0]:
            best = (cols * rows, s, cols, rows)
    assert best is not None
    return best[1], best[2], best[3]


def _tiled(tmp: Path, data: DocumentData, map_id: int, lay: MapLayout, poster: Paper,
           options: ExportOptions) -> None:
    assert options.tile is not None
    margin = TILE_MARGIN  # office printers cannot print to the edge
    overlap = options.overlap
    sheet, cols, rows = tile_grid(poster, options.tile, overlap, margin)
    ww, wh = sheet.width - 2 * margin, sheet.height - 2 * margin
    c = Canvas(str(tmp), pagesize=(sheet.width, sheet.height), pageCompression=1,
               initialFontName=pdf_font_name("regular"), initialFontSize=10)
    _metadata(c, data, map_id, options)
    # Draw the poster once as a form and place it on every sheet.
    c.beginForm("poster", 0, 0, poster.width, poster.height)
    draw_layout(c, lay, options, poster.height)
    c.endForm()
    for r in range(rows):
        for col in range(cols):
            options.report(0.85 + 0.1 * (r * cols + col) / (rows * cols), "tiling")
            px = col * (ww - overlap)  # poster x at the window's left
            py_top = r * (wh - overlap)  # poster y (from top) at the window's top
            c.saveState()
            p = c.beginPath()
            p.rect(margin, margin, ww, wh)
            c.clipPath(p, stroke=0, fill=0)
            # window top-left (margin, sheet.height - margin) shows poster point (px, py_top)
            c.translate(margin - px, sheet.height - margin - (poster.height - py_top))
            c.doForm("poster")
            c.restoreState()
            _assembly_marks(c, sheet, margin, ww, wh, overlap, r, col, rows, cols, poster)
            c.showPage()
    if options.insights:
        from app.export.insights import draw_insights

        draw_insights(c, data, map_id, sheet.width, sheet.height, options.funnel_metric)
    c.save()


def assembly_note(r: int, col: int) -> str:
    """What to do with the tile in row ``r``, column ``col`` (from 0): only edges that lie
    on a neighbour are cut (the first sheet's left and top edges are the poster's own)."""
    edges = [e for e, cut in (("left", col > 0), ("top", r > 0)) if cut]
    if not edges:
        return ("Do not cut this sheet: the sheets to its right and below it are laid on "
                "its dashed lines.")
    where = {"left": "the sheet to its left", "top": "the sheet above it"}
    if len(edges) == 1:
        return (f"Cut the {edges[0]} edge along the outline, lay it on the dashed line of "
                f"{where[edges[0]]}, and tape.")
    return ("Cut the left and top edges along the outline, lay them on the dashed lines of "
            "the sheets to the left and above, and tape.")


def _assembly_marks(c: Canvas, sheet: Paper, margin: float, ww: float, wh: float,
                    overlap: float, r: int, col: int, rows: int, cols: int,
                    poster: Paper) -> None:
    """Window outline, dashed glue lines over the overlap, and the sheet's position."""
    c.setStrokeColorRGB(0.4, 0.4, 0.4)
    c.setLineWidth(0.4)
    c.rect(margin, margin, ww, wh, stroke=1, fill=0)
    c.setDash([3, 2])
    if col < cols - 1:  # right edge overlaps the next sheet: glue line
        x = margin + ww - overlap
        c.line(x, margin, x, margin + wh)
    if r < rows - 1:
        y = margin + overlap
        c.line(margin, y, margin + ww, y)
    c.setDash()
    # registration crosses at the window corners
    for x in (margin, margin + ww):
        for y in (margin, margin + wh):
            c.line(x - 5, y, x + 5, y)
            c.line(x, y - 5, x, y + 5)
    c.setFillColorRGB(0.25, 0.25, 0.25)
    lines = (
        f"Sheet {r * cols + col + 1} of {rows * cols}: row {r + 1}, column {col + 1} "
        f"({cols} across x {rows} down, {poster.display_name} poster, "
        f"{overlap / MM:.0f} mm overlap)",
        assembly_note(r, col),
    )
    # Inside an office printer's printable area: the lowest line's descent stays at least
    # TILE_NOTE_EDGE from the sheet's edge; never below 6 pt (the footer role's floor).
    size = TILE_NOTE_PT
    while size > 6 and max(text_width(t, "regular", size) for t in lines) > ww:
        size -= 0.25
    c.setFont(pdf_font_name("regular"), size)
    for i, text in enumerate(lines):
        baseline = TILE_NOTE_EDGE + DESCENT * size + (len(lines) - 1 - i) * size * 1.25
        c.drawString(margin, baseline, text)
