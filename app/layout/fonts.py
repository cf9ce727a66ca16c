"""The fonts the layout measures with and every output draws with: a fallback chain.

Per text style (regular, bold, italic, bold italic) the chain is the primary face
(DejaVu Sans, shipped in resources/fonts, or the user's brand font:
:mod:`app.layout.fontset`), then the fallback faces Waymark ships (resources/fonts/fallback:
CJK ideographs and kana, hangul, Arabic, Hebrew, Devanagari and the other Indic
scripts, Thai, monochrome emoji), then system fonts that cover a character none of
those do (:mod:`app.layout.sysfonts`). Each grapheme cluster is set in the first
face that covers it; a fallback face without a bold is emboldened synthetically
(the same stroke in every output).

Text the primary face covers entirely and that needs no shaping (Latin, Greek,
Cyrillic without combining marks...) is measured as before shaping existed: the
sum of the TrueType advances (reportlab's metrics), cached per word. Everything
else is shaped with HarfBuzz (:mod:`app.layout.shaping`) and measured from the
glyph advances it returns; the PDF, PNG, SVG and the canvas draw those same glyphs
at those same positions, so a line break computed here is the line break printed.
No Qt.
"""

from __future__ import annotations

import re

from app.layout import caches
from app.layout.faces import (
    ASCENT,
    DESCENT,
    FALLBACK_FILES,
    FAMILY,
    FONT_FILES,
    STYLES,
    SYNTHETIC_BOLD,
    Face,
    FontChoice,
    FontStyle,
)
from app.layout.fontset import (
    INVISIBLE_CLASS,
    Chain,
    FontSet,
    chain,
    configure,
    current,
    fonts_for,
    is_simple,
)
from app.layout.shaping import shape

__all__ = [
    "ASCENT", "DESCENT", "FALLBACK_FILES", "FAMILY", "FONT_FILES", "STYLES", "SYNTHETIC_BOLD",
    "Chain", "Face", "FontChoice", "FontSet", "FontStyle", "advance_sum", "chain",
    "configure", "current", "current_choice", "ensure_fonts", "faces_in_use", "font_file",
    "fonts_for", "has_missing_glyphs", "is_simple", "missing_glyphs", "pdf_font_name",
    "remember_sum", "text_width",
]


def current_choice() -> FontChoice | None:
    """The user's primary font now in use, or None for DejaVu Sans."""
    return current().choice


def font_file(style: str) -> str:
    """Absolute path of the primary face's file for a font style."""
    return chain(style).primary.path


def ensure_fonts() -> None:
    """Register the primary faces with reportlab (once per font choice)."""
    fs = current()
    for style in STYLES:
        fs.chain(style).primary.pdf_font()


def pdf_font_name(style: str) -> str:
    """The reportlab font name of a style's primary face (registered on first call)."""
    return chain(style).primary.pdf_font().fontName


# The summed advances of words and lines already measured (1/1000 em) are kept per
# style in the layout's cache bound for the call (caches.word_sums; None outside a layout).


def _word_sum(word: str, style: str,
              cache: dict[str, float] | None = None) -> float:
    """Sum of the advances of ``word``'s characters in 1/1000 em (cached per word in
    ``cache``, the bound layout cache's sums of ``style``)."""
    total = None if cache is None else cache.get(word)
    if total is None:
        if word.isascii() or is_simple(word, style):
            widths, default = current().advances(style)
            get = widths.get
            total = sum([get(ch, default) for ch in word])
        else:
            total = shape(word, style).advance * 1000.0
        if cache is not None:
            cache[word] = total
    return total


def advance_sum(text: str, style: str) -> float:
    """Advance of ``text`` in 1/1000 em: a plain sum for simple text, shaped otherwise.

    The TTF advances are multiples of 1/1024 em expressed in thousandths, i.e. exact
    binary fractions, so adding per-word sums gives exactly the float reportlab's
    ``stringWidth`` sums character by character: widths (and line breaks) are identical.
    Text that needs shaping is measured whole (shaping may depend on neighbours).
    """
    cache = caches.word_sums(style)
    if cache is not None:
        total = cache.get(text)  # words, and whole lines measured before
        if total is not None:
            return total
    if " " not in text or not (text.isascii() or is_simple(text, style)):
        return _word_sum(text, style, cache)
    words = text.split(" ")
    total = _word_sum(" ", style, cache) * (len(words) - 1)
    if cache is None:
        for w in words:
            total += _word_sum(w, style)
        return total
    for w in words:
        v = cache.get(w)
        total += _word_sum(w, style, cache) if v is None else v
    cache[text] = total
    return total



def remember_sum(text: str, style: str, total: float) -> None:
    """Store the advance sum of ``text`` already added up by a caller (e.g. the wrapper,
    which sums each line word by word): the next :func:`text_width` of it is a lookup."""
    cache = caches.word_sums(style)
    if cache is not None:
        cache[text] = total


def _unit_width(text: str, style: str) -> float:
    # The same float operations as reportlab's TTFont.stringWidth(text, 1000.0) / 1000.0.
    return 0.001 * 1000.0 * advance_sum(text, style) / 1000.0


def text_width(text: str, style: str, size: float) -> float:
    """Advance width of ``text`` in points at ``size`` pt (linear in size)."""
    return _unit_width(text, style) * size


#: Whitespace and invisible format characters never need a glyph.
_INVISIBLE = re.compile(f"[{INVISIBLE_CLASS}]")


def _primary_covers(text: str, style: str) -> bool:
    """Whether the primary face alone covers every visible character of ``text`` (the
    common case: checked from its cmap, already read for the layout, without reading
    every fallback face's)."""
    cmap = chain(style).primary.pdf_font().face.charToGlyph
    return all(ord(ch) in cmap or _INVISIBLE.match(ch)
               for ch in set(text) if not ch.isascii())


def missing_glyphs(text: str, style: str) -> str:
    """The characters of ``text`` that no available font (shipped or system) covers, in
    order, once each: they would print as empty boxes. Whitespace and format
    characters are ignored."""
    if text.isascii() or _primary_covers(text, style):
        return ""
    c = chain(style)
    out = [ch for ch in dict.fromkeys(current().uncovered(style).findall(text))
           if not c.covers(ord(ch))]
    return "".join(out)


def has_missing_glyphs(text: str, style: str) -> bool:
    """Whether ``text`` has a character no available font can print (fast)."""
    if text.isascii() or _primary_covers(text, style):
        return False
    if current().uncovered(style).search(text) is None:
        return False
    return bool(missing_glyphs(text, style))


def faces_in_use() -> list[Face]:
    """Every face the current chains hold (primary, shipped fallbacks, system fonts found)."""
    return current().faces()
