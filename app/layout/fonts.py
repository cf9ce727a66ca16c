"""Text measurement from the TTF files the PDF embeds (DejaVu Sans, in resources/fonts).

Every renderer (canvas, PDF, PNG, SVG) draws with these same four files, and
every width the layout uses comes from reportlab's TrueType metrics of them,
so a line break computed here is the line break printed everywhere. No Qt.

Characters the font does not cover (CJK, most emoji) are measured with the
font's default advance; they still wrap correctly (the wrapper treats each
CJK character as a break opportunity) but print as the font's missing-glyph box.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.resources import resource_path

FontStyle = Literal["regular", "bold", "italic", "bolditalic"]

#: Font style -> (reportlab font name, TTF file name).
FONT_FILES: dict[str, tuple[str, str]] = {
    "regular": ("WaymarkSans", "DejaVuSans.ttf"),
    "bold": ("WaymarkSans-Bold", "DejaVuSans-Bold.ttf"),
    "italic": ("WaymarkSans-Oblique", "DejaVuSans-Oblique.ttf"),
    "bolditalic": ("WaymarkSans-BoldOblique", "DejaVuSans-BoldOblique.ttf"),
}
#: Family name the TTFs declare (what Qt's QFontDatabase reports).
FAMILY = "DejaVu Sans"
#: Ascent and descent of DejaVu Sans as fractions of the font size.
ASCENT = 0.928
DESCENT = 0.236

_registered = False


def font_file(style: str) -> str:
    """Absolute path of the TTF for a font style."""
    return str(resource_path("fonts", FONT_FILES[style][1]))


def ensure_fonts() -> None:
    """Register the four TTFs with reportlab (once per process)."""
    global _registered
    if _registered:
        return
    for style, (name, _file) in FONT_FILES.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, font_file(style)))
    pdfmetrics.registerFontFamily(
        "WaymarkSans",
        normal=FONT_FILES["regular"][0],
        bold=FONT_FILES["bold"][0],
        italic=FONT_FILES["italic"][0],
        boldItalic=FONT_FILES["bolditalic"][0],
    )
    _registered = True


def pdf_font_name(style: str) -> str:
    """The reportlab font name of a style (fonts registered on first call)."""
    ensure_fonts()
    return FONT_FILES[style][0]


@lru_cache(maxsize=65536)
def _unit_width(text: str, style: str) -> float:
    ensure_fonts()
    return pdfmetrics.stringWidth(text, FONT_FILES[style][0], 1000.0) / 1000.0


def text_width(text: str, style: str, size: float) -> float:
    """Advance width of ``text`` in points at ``size`` pt (linear in size)."""
    return _unit_width(text, style) * size
