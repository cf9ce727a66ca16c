"""Text measurement from the TTF files the PDF embeds (DejaVu Sans, in resources/fonts).

Every renderer (canvas, PDF, PNG, SVG) draws with these same four files, and
every width the layout uses comes from reportlab's TrueType metrics of them,
so a line break computed here is the line break printed everywhere. No Qt.

Characters the font does not cover (CJK, most emoji) are measured with the
font's default advance; they still wrap correctly (the wrapper treats each
CJK character as a break opportunity) but print as the font's missing-glyph box.
"""

from __future__ import annotations

import re
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


#: Per style: (advance width by character, the font's default advance), in font units.
_ADVANCES: dict[str, tuple[dict[str, float], float]] = {}
#: Per style: the summed advance of words and lines already measured (font units), bounded.
_WORD_SUMS: dict[str, dict[str, float]] = {}
_WORD_CACHE_MAX = 200_000


def _advances(style: str) -> tuple[dict[str, float], float]:
    table = _ADVANCES.get(style)
    if table is None:
        ensure_fonts()
        face = pdfmetrics.getFont(FONT_FILES[style][0]).face
        table = ({chr(k): v for k, v in face.charWidths.items()}, face.defaultWidth)
        _ADVANCES[style] = table
        _WORD_SUMS[style] = {}
    return table


def _word_sum(word: str, style: str) -> float:
    """Sum of the advances of ``word``'s characters in font units (cached per word)."""
    cache = _WORD_SUMS.get(style)
    if cache is None:
        _advances(style)
        cache = _WORD_SUMS[style]
    total = cache.get(word)
    if total is None:
        widths, default = _advances(style)
        get = widths.get
        total = sum([get(ch, default) for ch in word])
        if len(cache) >= _WORD_CACHE_MAX:
            cache.clear()
        cache[word] = total
    return total


def advance_sum(text: str, style: str) -> float:
    """Sum of the advances of ``text`` in font units.

    The TTF advances are multiples of 1/1024 em expressed in thousandths, i.e. exact
    binary fractions, so adding per-word sums gives exactly the float reportlab's
    ``stringWidth`` sums character by character: widths (and line breaks) are identical.
    """
    cache = _WORD_SUMS.get(style)
    if cache is None:
        _advances(style)
        cache = _WORD_SUMS[style]
    total = cache.get(text)  # words, and whole lines measured before
    if total is not None:
        return total
    if " " not in text:
        return _word_sum(text, style)
    words = text.split(" ")
    total = _word_sum(" ", style) * (len(words) - 1)
    for w in words:
        v = cache.get(w)
        total += _word_sum(w, style) if v is None else v
    if len(cache) >= _WORD_CACHE_MAX:
        cache.clear()
    cache[text] = total
    return total


def remember_sum(text: str, style: str, total: float) -> None:
    """Store the advance sum of ``text`` already added up by a caller (e.g. the wrapper,
    which sums each line word by word): the next :func:`text_width` of it is a lookup."""
    cache = _WORD_SUMS.get(style)
    if cache is None:
        _advances(style)
        cache = _WORD_SUMS[style]
    if len(cache) >= _WORD_CACHE_MAX:
        cache.clear()
    cache[text] = total


def _unit_width(text: str, style: str) -> float:
    # The same float operations as reportlab's TTFont.stringWidth(text, 1000.0) / 1000.0.
    return 0.001 * 1000.0 * advance_sum(text, style) / 1000.0


def text_width(text: str, style: str, size: float) -> float:
    """Advance width of ``text`` in points at ``size`` pt (linear in size)."""
    return _unit_width(text, style) * size


def _uncovered(style: str) -> re.Pattern[str]:
    """A pattern matching any printable character the font of ``style`` has no glyph for."""
    rx = _UNCOVERED.get(style)
    if rx is None:
        codes = sorted(ord(ch) for ch in _advances(style)[0])
        ranges: list[str] = []
        start = prev = codes[0]
        for code in [*codes[1:], -1]:
            if code == prev + 1:
                prev = code
                continue
            ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start
                                                  else ""))
            start = prev = code
        # whitespace and invisible format characters never need a glyph
        ranges.append(r"\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff")
        rx = _UNCOVERED[style] = re.compile("[^" + "".join(ranges) + "]")
    return rx


def missing_glyphs(text: str, style: str) -> str:
    """The characters of ``text`` that the poster font has no glyph for (in order, once
    each); they would print as empty boxes. Whitespace and format characters are ignored."""
    if text.isascii():
        return ""
    return "".join(dict.fromkeys(_uncovered(style).findall(text)))


def has_missing_glyphs(text: str, style: str) -> bool:
    """Whether ``text`` has a character the font of ``style`` cannot print (fast)."""
    return not text.isascii() and _uncovered(style).search(text) is not None


#: Per style: a pattern of the characters the font has no glyph for.
_UNCOVERED: dict[str, re.Pattern[str]] = {}
