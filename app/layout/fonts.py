"""The fonts the layout measures with and every output draws with: a fallback chain.

Per text style (regular, bold, italic, bold italic) the chain is the primary face
(DejaVu Sans, shipped in resources/fonts, or the user's brand font:
:func:`configure`), then the fallback faces Waymark ships (resources/fonts/fallback:
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

import hashlib
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.layout import caches
from app.resources import resource_path

FontStyle = Literal["regular", "bold", "italic", "bolditalic"]
STYLES: tuple[str, ...] = ("regular", "bold", "italic", "bolditalic")

#: Font style -> (reportlab font name, TTF file name) of the shipped primary face.
FONT_FILES: dict[str, tuple[str, str]] = {
    "regular": ("WaymarkSans", "DejaVuSans.ttf"),
    "bold": ("WaymarkSans-Bold", "DejaVuSans-Bold.ttf"),
    "italic": ("WaymarkSans-Oblique", "DejaVuSans-Oblique.ttf"),
    "bolditalic": ("WaymarkSans-BoldOblique", "DejaVuSans-BoldOblique.ttf"),
}
#: Family name the shipped primary TTFs declare (what Qt's QFontDatabase reports).
FAMILY = "DejaVu Sans"
#: Ascent and descent of the line box as fractions of the font size (DejaVu Sans's;
#: every face is placed on the same baselines).
ASCENT = 0.928
DESCENT = 0.236
#: Stroke width of a synthetic bold, as a fraction of the font size.
SYNTHETIC_BOLD = 0.035

#: The fallback faces Waymark ships, in chain order: (role, regular file, bold file).
#: Sizes, coverage and licences: resources/fonts/README.md.
FALLBACK_FILES: tuple[tuple[str, str, str | None], ...] = (
    ("cjk", "DroidSansFallback-CJK.ttf", None),
    ("hangul", "NanumGothic-Hangul.ttf", "NanumGothicBold-Hangul.ttf"),
    ("arabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    ("hebrew", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"),
    ("devanagari", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"),
    *((s.lower(), f"NotoSans{s}-Regular.ttf", f"NotoSans{s}-Bold.ttf")
      for s in ("Bengali", "Gujarati", "Gurmukhi", "Kannada", "Malayalam", "Oriya", "Tamil",
                "Telugu", "Sinhala")),
    ("thai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"),
    ("emoji", "Symbola-Emoji.ttf", None),
)

_lock = threading.RLock()


@dataclass(eq=False)
class Face:
    """One font file (one face of a collection) in a chain."""

    path: str
    index: int = 0
    origin: str = "bundled"  # "bundled", "user" or "system"
    role: str = "primary"
    #: Drawn with a synthetic bold stroke (a regular face standing in for bold).
    synthetic_bold: bool = False
    #: reportlab font name (registered on first use), e.g. "WaymarkSans-Bold".
    pdf_name: str = ""
    _unicodes: frozenset[int] | None = field(default=None, repr=False)
    _hb_font: object | None = field(default=None, repr=False)
    _data: bytes | None = field(default=None, repr=False)
    _names: tuple[str, str] | None = field(default=None, repr=False)
    _upem: int = 0

    @property
    def key(self) -> str:
        """A short stable id (file name and a hash of the path), e.g. for SVG and Qt."""
        stem = re.sub(r"[^A-Za-z0-9]+", "", Path(self.path).stem)[:24]
        digest = hashlib.sha1(f"{self.path}#{self.index}".encode()).hexdigest()[:6]
        return f"{stem}{self.index or ''}-{digest}"

    def data(self) -> bytes:
        """The font file's bytes (read once)."""
        if self._data is None:
            self._data = Path(self.path).read_bytes()
        return self._data

    def unicodes(self) -> frozenset[int]:
        """The code points the face's cmap maps to a glyph."""
        if self._unicodes is None:
            self._unicodes = frozenset(self._hb_face().unicodes)
        return self._unicodes

    def _hb_face(self) -> object:
        import uharfbuzz as hb

        return hb.Face(hb.Blob(self.data()), self.index)

    def hb_font(self) -> object:
        """A HarfBuzz font at the face's own scale (units per em)."""
        if self._hb_font is None:
            import uharfbuzz as hb

            face = self._hb_face()
            font = hb.Font(face)
            self._upem = face.upem  # type: ignore[attr-defined]
            font.scale = (self._upem, self._upem)
            self._hb_font = font
        return self._hb_font

    @property
    def upem(self) -> int:
        """Font units per em."""
        if not self._upem:
            self.hb_font()
        return self._upem

    def names(self) -> tuple[str, str]:
        """(family, subfamily) from the name table."""
        if self._names is None:
            from fontTools.ttLib import TTFont as FTFont

            f = FTFont(self.path, fontNumber=self.index, lazy=True)
            name = f["name"]
            family = (name.getDebugName(16) or name.getDebugName(1) or Path(self.path).stem)
            sub = name.getDebugName(17) or name.getDebugName(2) or "Regular"
            self._names = (family, sub)
            f.close()
        return self._names

    @property
    def family(self) -> str:
        """The family name the face declares."""
        return self.names()[0]

    def pdf_font(self) -> TTFont:
        """The reportlab TTFont of this face (registered on first call)."""
        with _lock:
            if not self.pdf_name:
                self.pdf_name = "WM-" + self.key
            if self.pdf_name not in pdfmetrics.getRegisteredFontNames():
                font = TTFont(self.pdf_name, self.path, subfontIndex=self.index, shapable=False)
                other = pdfmetrics._dynFaceNames.get(font.face.name)
                if other is not None and getattr(other.face, "filename", None) != self.path:
                    # reportlab would reuse the other file's face (same PostScript name, e.g.
                    # another version of a brand font): give this one a name of its own
                    font.face.name = f"{font.face.name}-{self.key.rsplit('-', 1)[-1]}"
                pdfmetrics.registerFont(font)
            return pdfmetrics.getFont(self.pdf_name)  # type: ignore[return-value]


@dataclass(frozen=True)
class FontChoice:
    """The primary face per style: a user's brand font (paths), or None for DejaVu Sans.

    A style without its own file uses the regular file (bold drawn with a synthetic
    stroke; italic drawn upright)."""

    regular: str
    bold: str | None = None
    italic: str | None = None
    bolditalic: str | None = None

    def file(self, style: str) -> tuple[str, bool]:
        """(path, synthetic bold) of the face that sets ``style``."""
        if style == "regular":
            return self.regular, False
        if style == "bold":
            return (self.bold, False) if self.bold else (self.regular, True)
        if style == "italic":
            return (self.italic, False) if self.italic else (self.regular, False)
        if self.bolditalic:
            return self.bolditalic, False
        if self.bold:
            return self.bold, False
        return (self.italic or self.regular), True


def _bundled_primary(style: str) -> Face:
    return Face(str(resource_path("fonts", FONT_FILES[style][1])), origin="bundled",
                role="primary", pdf_name=FONT_FILES[style][0])


def _fallbacks(style: str) -> list[Face]:
    bold = style in ("bold", "bolditalic")
    faces = []
    for role, regular, bold_file in FALLBACK_FILES:
        name = bold_file if bold and bold_file else regular
        faces.append(Face(str(resource_path("fonts", "fallback", name)), origin="bundled",
                          role=role, synthetic_bold=bold and not bold_file and role != "emoji"))
    return faces


class Chain:
    """The faces of one style, in fallback order, and which face sets each cluster."""

    def __init__(self, style: str, primary: Face, fallbacks: list[Face]) -> None:
        self.style = style
        self.primary = primary
        self.faces: list[Face] = [primary, *fallbacks]
        self._bundled = len(self.faces)
        self._by_char: dict[int, Face | None] = {}

    def face_for(self, code: int) -> Face | None:
        """The first face covering code point ``code`` (system fonts looked up once)."""
        found = self._by_char.get(code, False)
        if found is not False:
            return found  # type: ignore[return-value]
        face = None
        for f in self.faces:
            if code in f.unicodes():
                face = f
                break
        if face is None:
            from app.layout.sysfonts import system_face_for

            face = system_face_for(code, self.style)
            if face is not None:
                with _lock:
                    if face not in self.faces:
                        self.faces.append(face)
        self._by_char[code] = face
        return face

    def covers(self, code: int) -> bool:
        """Whether any face (shipped or system) covers ``code``."""
        return self.face_for(code) is not None


_CHOICE: FontChoice | None = None
_CHAINS: dict[str, Chain] = {}


def configure(choice: FontChoice | None) -> bool:
    """Use ``choice`` as the primary face (None: DejaVu Sans). Returns True when the fonts
    changed (then every width and wrap cache is emptied)."""
    global _CHOICE
    with _lock:
        if choice == _CHOICE and _CHAINS:
            return False
        _CHOICE = choice
        _CHAINS.clear()
        _SYNTHETIC_PRIMARY.clear()
        if choice is not None:
            _SYNTHETIC_PRIMARY.update(st for st in STYLES if choice.file(st)[1])
        _ADVANCES.clear()
        _UNCOVERED.clear()
        _SIMPLE.clear()
    caches.fonts_changed()
    return True


def current_choice() -> FontChoice | None:
    """The user's primary font now in use, or None for DejaVu Sans."""
    return _CHOICE


def chain(style: str) -> Chain:
    """The fallback chain of a style."""
    c = _CHAINS.get(style)
    if c is None:
        with _lock:
            c = _CHAINS.get(style)
            if c is None:
                if _CHOICE is None:
                    primary = _bundled_primary(style)
                else:
                    path, synthetic = _CHOICE.file(style)
                    primary = Face(path, origin="user", role="primary", synthetic_bold=synthetic)
                c = _CHAINS[style] = Chain(style, primary, _fallbacks(style))
    return c


def font_file(style: str) -> str:
    """Absolute path of the primary face's file for a font style."""
    return chain(style).primary.path


def ensure_fonts() -> None:
    """Register the primary faces with reportlab (once per configuration)."""
    for style in STYLES:
        chain(style).primary.pdf_font()


def pdf_font_name(style: str) -> str:
    """The reportlab font name of a style's primary face (registered on first call)."""
    return chain(style).primary.pdf_font().fontName


#: Per style: (advance width by character, the font's default advance), in 1/1000 em.
_ADVANCES: dict[str, tuple[dict[str, float], float]] = {}
# The summed advances of words and lines already measured (1/1000 em) are kept per
# style in the layout's cache bound for the call (caches.word_sums; None outside a layout).


def _advances(style: str) -> tuple[dict[str, float], float]:
    table = _ADVANCES.get(style)
    if table is None:
        face = chain(style).primary.pdf_font().face
        table = ({chr(k): v for k, v in face.charWidths.items()}, face.defaultWidth)
        _ADVANCES[style] = table
    return table


#: Characters that always need the shaper: right-to-left and complex scripts, combining
#: marks, joiners and variation selectors, emoji, and anything outside the BMP.
_COMPLEX = (
    "\u0300-\u036f\u0483-\u0489\u0590-\u08ff\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f"
    "\u1100-\u11ff\u1780-\u18af\u1ab0-\u1aff\u1dc0-\u1dff\u200b-\u200f\u202a-\u202e"
    "\u2066-\u2069\u20d0-\u20ff\u2600-\u27bf\u2e80-\ua4cf\ua960-\ua97f\uac00-\ud7ff"
    "\ud800-\udfff\uf900-\ufaff\ufb1d-\ufdff\ufe00-\ufe0f\ufe20-\ufe2f\ufe30-\ufe4f"
    "\ufe70-\ufeff\uff00-\uffef\U00010000-\U0010ffff"
)
#: Per style: a pattern matching text the primary face sets without shaping.
_SIMPLE: dict[str, re.Pattern[str]] = {}
#: The styles whose primary face is drawn with a synthetic bold.
_SYNTHETIC_PRIMARY: set[str] = set()


def _simple_rx(style: str) -> re.Pattern[str]:
    """A pattern matching any character the primary face does not set without shaping:
    :func:`is_simple` is one search of one negated character class."""
    rx = _SIMPLE.get(style)
    if rx is None:
        complex_rx = re.compile(f"[{_COMPLEX}]")
        codes = sorted(code for code in (ord(ch) for ch in _advances(style)[0])
                       if complex_rx.match(chr(code)) is None)
        rx = _SIMPLE[style] = re.compile("[^" + "".join(_ranges(codes)) + " ]")
    return rx


def _ranges(codes: list[int]) -> list[str]:
    if not codes:
        return []
    ranges: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code == prev + 1:
            prev = code
            continue
        ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start
                                              else ""))
        start = prev = code
    return ranges


def is_simple(text: str, style: str) -> bool:
    """Whether ``text`` is set by the primary face alone, without shaping (fast path).

    Never for a style whose primary face is a synthetic bold (a brand font without a
    bold file): its every line is drawn by the shaped path, which strokes it."""
    if _SYNTHETIC_PRIMARY and style in _SYNTHETIC_PRIMARY:
        return False
    if text.isascii():
        return True
    return _simple_rx(style).search(text) is None


def _word_sum(word: str, style: str,
              cache: dict[str, float] | None = None) -> float:
    """Sum of the advances of ``word``'s characters in 1/1000 em (cached per word in
    ``cache``, the bound layout cache's sums of ``style``)."""
    total = None if cache is None else cache.get(word)
    if total is None:
        if word.isascii() or is_simple(word, style):
            widths, default = _advances(style)
            get = widths.get
            total = sum([get(ch, default) for ch in word])
        else:
            from app.layout.shaping import shape

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
_INVISIBLE = re.compile("[\\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e"
                        "\u2060-\u2064\ufe00-\ufe0f\ufeff\U000e0000-\U000e007f]")
#: Per style: a pattern matching a character no shipped face covers.
_UNCOVERED: dict[str, re.Pattern[str]] = {}


def _uncovered(style: str) -> re.Pattern[str]:
    """A pattern matching any character none of the shipped faces of ``style`` covers."""
    rx = _UNCOVERED.get(style)
    if rx is None:
        c = chain(style)
        codes: set[int] = set()
        for f in c.faces[:c._bundled]:
            codes |= f.unicodes()
        ranges = _ranges(sorted(codes))
        ranges.append(r"\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064"
                      r"\ufe00-\ufe0f\ufeff\U000e0000-\U000e007f")
        rx = _UNCOVERED[style] = re.compile("[^" + "".join(ranges) + "]")
    return rx


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
    out = [ch for ch in dict.fromkeys(_uncovered(style).findall(text))
           if not c.covers(ord(ch))]
    return "".join(out)


def has_missing_glyphs(text: str, style: str) -> bool:
    """Whether ``text`` has a character no available font can print (fast)."""
    if text.isascii() or _primary_covers(text, style) or _uncovered(style).search(text) is None:
        return False
    return bool(missing_glyphs(text, style))


def faces_in_use() -> list[Face]:
    """Every face the chains hold now (primary, shipped fallbacks, system fonts found)."""
    seen: dict[str, Face] = {}
    for style in STYLES:
        for f in chain(style).faces:
            seen.setdefault(f.path + f"#{f.index}", f)
    return list(seen.values())
