"""The font types the layout's font modules share: a face (one font file), a user's font
choice, and the shipped files and metrics.

:mod:`app.layout.sysfonts` (system fonts), :mod:`app.layout.fontset` (the fallback
chains of a font choice), :mod:`app.layout.shaping` (HarfBuzz) and
:mod:`app.layout.fonts` (measuring) all stand on this module, which imports none of
them. No Qt.
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

#: Guards registering faces with reportlab and growing chains (any thread).
lock = threading.RLock()


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
        with lock:
            if not self.pdf_name:
                self.pdf_name = "WM-" + self.key
            if self.pdf_name not in pdfmetrics.getRegisteredFontNames():
                font = TTFont(self.pdf_name, self.path, subfontIndex=self.index, shapable=False)
                other = pdfmetrics._dynFaceNames.get(font.face.name)
                if other is not None and getattr(other.face, "filename", None) != self.path:
                    # reportlab would reuse the other file's face (same PostScript name, e.g.
                    # another version of a brand font): give this one a name of its own
                    name = font.face.name  # bytes, as reportlab writes it into the PDF
                    suffix = self.key.rsplit("-", 1)[-1]
                    font.face.name = (name + b"-" + suffix.encode() if isinstance(name, bytes)
                                      else f"{name}-{suffix}")
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
