"""Shaped text in the PDF: HarfBuzz's glyphs at HarfBuzz's positions, searchable.

reportlab's ``drawString`` maps characters to glyphs one to one (its cmap), which
cannot draw Arabic's joined forms, Indic conjuncts or marks, nor fall back to a
second font. Lines that need any of that (:func:`app.layout.fonts.is_simple` is
false) are drawn here from :func:`app.layout.shaping.shape`: each glyph goes into
reportlab's TrueType subset of its face (glyphs with no character of their own,
such as an Arabic medial form, get a private-use code in the subset), and is placed
with the text matrix where HarfBuzz put it. reportlab writes each subset with its
ToUnicode map; each run is also wrapped in a marked-content span whose
``/ActualText`` is the run's text (see :func:`_extracted`), so copying or
``pdftotext`` gives back exactly the text typed, in every script, even where one
glyph stands for several characters (conjuncts, lam-alef) or a vowel sign is drawn
before its consonant. A synthetic bold is fill plus stroke
(text render mode 2).
"""

from __future__ import annotations

import threading

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.layout.bidi import MIRROR
from app.layout.boxes import TextLine
from app.layout.fonts import SYNTHETIC_BOLD
from app.layout.shaping import Run, shape

_lock = threading.Lock()
#: Per reportlab font: glyph id -> the private-use code it was given.
_PRIVATE: dict[str, dict[int, int]] = {}


def _code(font: TTFont, gid: int) -> int:
    """A character code that reportlab's subsetter maps to glyph ``gid`` of ``font``."""
    face = font.face
    chars = face.glyphToChar.get(gid)
    if chars:
        return chars[0]
    with _lock:
        private = _PRIVATE.setdefault(font.fontName, {})
        code = private.get(gid)
        if code is None:
            code = 0xE000 + len(private)
            while code in face.charToGlyph:
                code += 1
            if code > 0xF8FF:
                return 0  # no room left: the glyph prints as .notdef (never seen in practice)
            face.charToGlyph[code] = gid
            face.charWidths[code] = face.hmetrics[gid][0] * 1000.0 / face.unitsPerEm
            face.glyphToChar.setdefault(gid, []).append(code)
            private[gid] = code
        return code


def _flush(out: list[str], pending: list[bytes]) -> None:
    if pending:
        out.append(f"({escapePDF(b''.join(pending))}) Tj")
        pending.clear()


def _extracted(text: str, run: Run) -> str:
    """The text a run stands for, in the order PDF readers expect it on the page.

    Text extractors (poppler's pdftotext, pdf.js) take a page's characters in drawing
    order as visual and turn right-to-left runs back into logical order themselves; so
    a right-to-left run's replacement text is given reversed (brackets mirrored), and
    what they return is the logical text that was typed."""
    piece = text[run.start:run.end]
    return piece[::-1].translate(MIRROR) if run.rtl else piece


def _actual_text(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def shaped_text_code(c: Canvas, t: TextLine, baseline_y: float, rgb: tuple[float, float, float]
                     ) -> str:
    """PDF operators that draw ``t`` shaped, its baseline at ``baseline_y`` (PDF space)."""
    sh = shape(t.text, t.font)
    doc = c._doc
    size = t.size_pt
    colour = " ".join(fp_str(v) for v in rgb)
    out = ["q", f"{colour} rg", "BT"]
    mode = 0
    for run in sh.runs:
        font = run.face.pdf_font()
        out.append(f"/Span <</ActualText {_actual_text(_extracted(t.text, run))}>> BDC")
        want = 2 if run.synthetic_bold else 0
        if want != mode:
            if want:
                out.append(f"{colour} RG {fp_str(SYNTHETIC_BOLD * size)} w 2 Tr")
            else:
                out.append("0 Tr")
            mode = want
        subset_now = None
        pending: list[bytes] = []
        expect_x: float | None = None
        cur_y: float | None = None
        widths = font.face.charWidths
        for gid, gx, gy in zip(run.glyphs, run.xs, run.ys, strict=True):
            code = _code(font, gid)
            subset, data = font.splitString(chr(code), doc)[0]
            x = t.x + gx * size
            y = baseline_y + gy * size
            if subset != subset_now:
                _flush(out, pending)
                out.append(f"{font.getSubsetInternalName(subset, doc)} {fp_str(size)} Tf")
                subset_now = subset
                expect_x = None
            if expect_x is None or abs(x - expect_x) > 1e-4 or y != cur_y:
                _flush(out, pending)
                out.append(f"1 0 0 1 {fp_str(x)} {fp_str(y)} Tm")
                cur_y = y
            pending.append(data)
            expect_x = x + widths.get(code, font.face.defaultWidth) / 1000.0 * size
        _flush(out, pending)
        out.append("EMC")
    if mode:
        out.append("0 Tr")
    out += ["ET", "Q"]
    return "\n".join(out)


def draw_shaped(c: Canvas, t: TextLine, baseline_y: float,
                rgb: tuple[float, float, float]) -> None:
    """Draw ``t`` shaped (see the module docstring) with its baseline at ``baseline_y``."""
    c.addLiteral(shaped_text_code(c, t, baseline_y, rgb))
