"""SVG export for designers: text stays text, named groups, the fonts embedded.

Written directly from the layout's paint ops (no Qt): one user unit is one point
(viewBox = the page in pt, width/height in mm). What a designer gets in Inkscape
or Illustrator:

- a group with an id and a readable label (``inkscape:label`` and ``<title>``) for
  the title block, each phase, stage, lane and card, the grid, the links, the
  emotion curve, the legend and the footer;
- text as ``<text>``, in logical order, its font-family a list ending in the
  generic ``sans-serif``; a line that needs the fallback chain or shaping gets one
  ``<tspan>`` per run (one face, one direction), each at the x the layout measured,
  so the SVG shows the same line breaks and positions as the PDF;
- with ``embed_fonts`` (the default) every face used, subset to the characters
  used (keeping the OpenType layout tables, so the viewer shapes Arabic and Indic
  text the same way), as ``@font-face`` WOFF data: the SVG looks the same on a
  machine without those fonts installed. A synthetic bold is a stroke of the
  text colour, as in the PDF.

User text is escaped (``<b>`` stays literal). The file is written atomically.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from app.export.common import ExportOptions, atomic_output
from app.export.prepare import page_layout
from app.layout.boxes import MapLayout, TextLine
from app.layout.fonts import SYNTHETIC_BOLD, Face, chain, is_simple
from app.layout.paint import (
    EllipseOp,
    EndGroupOp,
    GroupOp,
    ImageOp,
    LineOp,
    Op,
    PathOp,
    PolyOp,
    RectOp,
    TextOp,
    paint_ops,
)
from app.layout.paper import MM
from app.layout.shaping import shape
from app.model.schema import DocumentData

GENERIC = "sans-serif"
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _n(v: float) -> str:
    """A coordinate with at most 3 decimals, no trailing zeros."""
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("", "-0") else s


def _text(s: str) -> str:
    return escape(_XML_BAD.sub("\ufffd", s))


def _attr(s: str) -> str:
    return quoteattr(_XML_BAD.sub("\ufffd", s))


class _Fonts:
    """The faces used and the characters each one must keep."""

    def __init__(self) -> None:
        self.used: dict[str, tuple[Face, str, str, set[str]]] = {}  # key -> face, weight, style

    def use(self, face: Face, weight: str, style: str, chars: str) -> str:
        entry = self.used.get(face.key)
        if entry is None:
            entry = self.used[face.key] = (face, weight, style, set())
        entry[3].update(chars)
        return face.family

    def css(self, embed: bool) -> str:
        if not embed:
            return ""
        rules = []
        for face, weight, style, chars in self.used.values():
            data = _subset_woff(face, "".join(sorted(chars)))
            rules.append(
                f"@font-face {{ font-family: {_css_string(face.family)}; font-weight: {weight}; "
                f"font-style: {style}; src: url(data:font/woff;base64,{data}) format('woff'); }}")
        return "\n".join(rules)


def _css_string(s: str) -> str:
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _subset_woff(face: Face, chars: str) -> str:
    """The face cut to ``chars`` (with their layout closure), as base64 WOFF."""
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)

    font = TTFont(io.BytesIO(face.data()), fontNumber=face.index)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.flavor = "woff"
    sub = subset.Subsetter(options)
    sub.populate(text=chars + " ")
    sub.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out)
    return base64.b64encode(out.getvalue()).decode("ascii")


def _weight_style(face: Face) -> tuple[str, str]:
    """CSS font-weight and font-style of a face's file (what its @font-face declares)."""
    sub = face.names()[1].lower()
    return ("700" if "bold" in sub else "400"), (
        "italic" if "italic" in sub or "oblique" in sub else "normal")


def _family_list(first: str, style: str) -> str:
    """font-family: the face, the primary face, then the generic family."""
    names = [first]
    primary = chain(style).primary.family
    if primary not in names:
        names.append(primary)
    return ", ".join(_css_string(n) for n in names) + ", " + GENERIC


class _Writer:
    def __init__(self, embed: bool) -> None:
        self.out: list[str] = []
        self.fonts = _Fonts()
        self.embed = embed
        self.ids: set[str] = set()
        self.families: dict[tuple[str, str], str] = {}

    def family_attr(self, face: Face, style: str) -> str:
        key = (face.key, style)
        fam = self.families.get(key)
        if fam is None:
            fam = self.families[key] = _family_list(face.family, style)
        return fam

    def group(self, op: GroupOp) -> None:
        gid = op.id
        n = 2
        while gid in self.ids:
            gid = f"{op.id}-{n}"
            n += 1
        self.ids.add(gid)
        self.out.append(f"<g id={_attr(gid)} inkscape:label={_attr(op.label[:120])}>"
                        f"<title>{_text(op.label[:200])}</title>")

    def text(self, t: TextLine) -> None:
        if not t.text.strip():
            return
        style = t.font
        common = (f'font-size="{_n(t.size_pt)}" fill="{t.colour}"')
        if is_simple(t.text, style):
            face = chain(style).primary
            weight, fstyle = _weight_style(face)
            self.fonts.use(face, weight, fstyle, t.text)
            extra = _bold_stroke(t) if face.synthetic_bold else ""
            self.out.append(
                f'<text x="{_n(t.x)}" y="{_n(t.y_baseline)}" {common} '
                f'font-family={_attr(self.family_attr(face, style))} font-weight="{weight}" '
                f'font-style="{fstyle}" class="p"{extra}>{_text(t.text)}</text>')
            return
        sh = shape(t.text, style)
        parts = []
        for run in sorted(sh.runs, key=lambda r: r.start):  # logical order in the file
            piece = t.text[run.start:run.end]
            weight, fstyle = _weight_style(run.face)
            self.fonts.use(run.face, weight, fstyle, piece)
            extra = _bold_stroke(t) if run.synthetic_bold else ""
            # Each run is its own text chunk at the x the layout gave it; the viewer orders
            # a right-to-left run's characters itself (the file keeps logical order), and
            # such a run starts at its right edge.
            if run.rtl:
                x = t.x + (run.x + run.advance) * t.size_pt
                direction = ' direction="rtl" unicode-bidi="bidi-override"'
            else:
                x = t.x + run.x * t.size_pt
                direction = ""
            # a run set without HarfBuzz (plain Latin...) has no kerning or ligatures
            plain = (run.face is chain(style).primary and not run.rtl
                     and is_simple(piece, style))
            parts.append(
                f'<tspan x="{_n(x)}" font-family={_attr(self.family_attr(run.face, style))} '
                f'font-weight="{weight}" font-style="{fstyle}"{direction}{extra}'
                + (' class="p"' if plain else "") + f">{_text(piece)}</tspan>")
        self.out.append(f'<text y="{_n(t.y_baseline)}" {common} xml:space="preserve">'
                        + "".join(parts) + "</text>")

    def op(self, op: Op) -> None:
        if isinstance(op, TextOp):
            self.text(op.line)
        elif isinstance(op, GroupOp):
            self.group(op)
        elif isinstance(op, EndGroupOp):
            self.out.append("</g>")
        elif isinstance(op, RectOp):
            r = op.rect
            rad = min(op.radius, r.h / 2, r.w / 2) if op.radius > 0 else 0
            self.out.append(
                f'<rect x="{_n(r.x)}" y="{_n(r.y)}" width="{_n(r.w)}" height="{_n(r.h)}"'
                + (f' rx="{_n(rad)}"' if rad else "") + _paint(op.fill, op.stroke, op.width,
                                                              op.dash) + "/>")
        elif isinstance(op, PolyOp):
            pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in op.points)
            self.out.append(f'<polygon points="{pts}"' + _paint(op.fill, op.stroke, op.width)
                            + "/>")
        elif isinstance(op, EllipseOp):
            self.out.append(f'<ellipse cx="{_n(op.cx)}" cy="{_n(op.cy)}" rx="{_n(op.rx)}" '
                            f'ry="{_n(op.ry)}"' + _paint(op.fill, op.stroke, op.width) + "/>")
        elif isinstance(op, PathOp):
            d = [f"M{_n(op.start[0])} {_n(op.start[1])}"]
            for c1, c2, end in op.curves:
                d.append(f"C{_n(c1[0])} {_n(c1[1])} {_n(c2[0])} {_n(c2[1])} "
                         f"{_n(end[0])} {_n(end[1])}")
            self.out.append(f'<path d="{" ".join(d)}"' + _paint(None, op.stroke, op.width,
                                                                 op.dash, cap=True) + "/>")
        elif isinstance(op, LineOp):
            self.out.append(f'<line x1="{_n(op.x0)}" y1="{_n(op.y0)}" x2="{_n(op.x1)}" '
                            f'y2="{_n(op.y1)}"' + _paint(None, op.stroke, op.width, op.dash,
                                                         cap=True) + "/>")
        elif isinstance(op, ImageOp):
            r = op.rect
            data = base64.b64encode(op.logo.data).decode("ascii")
            self.out.append(
                f'<image id="logo" x="{_n(r.x)}" y="{_n(r.y)}" width="{_n(r.w)}" '
                f'height="{_n(r.h)}" preserveAspectRatio="xMidYMid meet" '
                f'xlink:href="data:{op.logo.mime};base64,{data}"><title>Logo</title></image>')


def _bold_stroke(t: TextLine) -> str:
    return (f' stroke="{t.colour}" stroke-width="{_n(SYNTHETIC_BOLD * t.size_pt)}" '
            'stroke-linejoin="round"')


def _paint(fill: str | None, stroke: str | None, width: float, dash: tuple[float, ...] = (),
           *, cap: bool = False) -> str:
    out = f' fill="{fill or "none"}"'
    if stroke and width > 0:
        out += f' stroke="{stroke}" stroke-width="{_n(width)}" stroke-linejoin="round"'
        if dash:
            out += f' stroke-dasharray="{" ".join(_n(d) for d in dash)}"'
        elif cap:
            out += ' stroke-linecap="round"'
    return out


def svg_document(lay: MapLayout, title: str, *, embed_fonts: bool = True,
                 background: bool = True, ops: Iterable[Op] | None = None,
                 options: ExportOptions | None = None) -> str:
    """The SVG text of a layout (see the module docstring)."""
    w = _Writer(embed_fonts)
    all_ops = list(ops if ops is not None else paint_ops(lay, background=background))
    for i, op in enumerate(all_ops):
        if options is not None and i % 500 == 0:
            options.report(0.1 + 0.6 * i / max(1, len(all_ops)), "drawing")
        w.op(op)
    if options is not None:
        options.report(0.75, "embedding fonts")
    css = w.fonts.css(embed_fonts)
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" version="1.1" '
        f'width="{_n(lay.width / MM)}mm" height="{_n(lay.height / MM)}mm" '
        f'viewBox="0 0 {_n(lay.width)} {_n(lay.height)}" text-rendering="geometricPrecision">\n'
        f"<title>{_text(title)}</title>\n"
        "<desc>Customer journey map exported by Waymark</desc>\n"
        "<defs><style>\n"
        # plain lines are measured without kerning or ligatures: draw them so too
        ".p { font-kerning: none; font-variant-ligatures: none; }\n"
        f"{css}\n</style></defs>\n"
    )
    return head + "\n".join(w.out) + "\n</svg>\n"


def export_svg(data: DocumentData, map_id: int, path: str | Path, options: ExportOptions,
               *, force: bool = False, layout: MapLayout | None = None) -> MapLayout:
    """Write one map as an SVG of the chosen paper; returns the layout.

    ``layout``: the page layout (:func:`~app.export.prepare.page_layout`) when the
    caller already has it. ``options.embed_fonts`` embeds the faces used (subset).
    """
    options.report(0.0, "laying out")
    lay = layout if layout is not None else page_layout(data, map_id, options)
    text = svg_document(lay, data.maps[map_id].title,
                        embed_fonts=options.embed_fonts,
                        background=not options.transparent, options=options)
    with atomic_output(path, force=force) as tmp:
        options.report(0.9, "writing")
        tmp.write_text(text, encoding="utf-8")
    options.report(1.0, "done")
    return lay
