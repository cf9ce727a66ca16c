"""The fonts of one font choice: a fallback chain per text style, and which one is in use.

A :class:`FontSet` holds, for one :class:`~app.layout.faces.FontChoice` (a user's
brand font, or None for DejaVu Sans), the chain of each style (regular, bold, italic,
bold italic): the primary face, then the fallback faces Waymark ships, then system
fonts found for characters none of those cover (:mod:`app.layout.sysfonts`), and the
tables the measurers read from the primary face (advances, which text it sets without
shaping, which characters no shipped face covers). There is one FontSet per choice
(:func:`fonts_for`), shared by every layout that uses that choice.

Which FontSet a measurement or a painter uses is :func:`current`: the one carried by
the layout cache bound on this thread (each canvas scene's and export job's own, see
:attr:`app.layout.caches.LayoutCache.fonts`), else the process default
(:func:`configure`: the CLI's ``--font`` or its document's font). No Qt.
"""

from __future__ import annotations

import re
from typing import ClassVar

from app.layout import caches
from app.layout.faces import (
    FALLBACK_FILES,
    FONT_FILES,
    STYLES,
    Face,
    FontChoice,
    lock,
)
from app.layout.sysfonts import system_face_for
from app.resources import resource_path


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

    @property
    def bundled(self) -> list[Face]:
        """The primary face and the fallback faces Waymark ships (no system font)."""
        return self.faces[:self._bundled]

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
            face = system_face_for(code, self.style)
            if face is not None:
                with lock:
                    if face not in self.faces:
                        self.faces.append(face)
        self._by_char[code] = face
        return face

    def covers(self, code: int) -> bool:
        """Whether any face (shipped or system) covers ``code``."""
        return self.face_for(code) is not None


#: Characters that always need the shaper: right-to-left and complex scripts, combining
#: marks, joiners and variation selectors, emoji, and anything outside the BMP.
_COMPLEX = (
    "\u0300-\u036f\u0483-\u0489\u0590-\u08ff\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f"
    "\u1100-\u11ff\u1780-\u18af\u1ab0-\u1aff\u1dc0-\u1dff\u200b-\u200f\u202a-\u202e"
    "\u2066-\u2069\u20d0-\u20ff\u2600-\u27bf\u2e80-\ua4cf\ua960-\ua97f\uac00-\ud7ff"
    "\ud800-\udfff\uf900-\ufaff\ufb1d-\ufdff\ufe00-\ufe0f\ufe20-\ufe2f\ufe30-\ufe4f"
    "\ufe70-\ufeff\uff00-\uffef\U00010000-\U0010ffff"
)
#: Whitespace and format characters no face needs to cover (a regex class body).
INVISIBLE_CLASS = (r"\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064"
                   r"\ufe00-\ufe0f\ufeff\U000e0000-\U000e007f")


def ranges(codes: list[int]) -> list[str]:
    """Sorted code points as regex class ranges ("a-z", ...)."""
    if not codes:
        return []
    out: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code == prev + 1:
            prev = code
            continue
        out.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start
                                           else ""))
        start = prev = code
    return out


class FontSet:
    """The chains of one font choice and the tables read from them (filled on first use).

    Safe to share between threads: chains are made under the faces' lock, and the
    tables are written once per style (a race only computes an entry twice)."""

    _made: ClassVar[dict[FontChoice | None, FontSet]] = {}

    def __init__(self, choice: FontChoice | None) -> None:
        self.choice = choice
        self._chains: dict[str, Chain] = {}
        #: per style: (advance width by character, the font's default advance), 1/1000 em
        self._advances: dict[str, tuple[dict[str, float], float]] = {}
        #: per style: a pattern matching text the primary face sets without shaping
        self._simple: dict[str, re.Pattern[str]] = {}
        #: per style: a pattern matching a character no shipped face covers
        self._uncovered: dict[str, re.Pattern[str]] = {}
        #: the styles whose primary face is drawn with a synthetic bold
        self.synthetic_primary = frozenset(
            st for st in STYLES if choice is not None and choice.file(st)[1])

    def __repr__(self) -> str:
        return f"<FontSet {self.family}>"

    @property
    def family(self) -> str:
        """The primary face's family name ("DejaVu Sans" by default)."""
        return self.chain("regular").primary.family if self.choice else "DejaVu Sans"

    def chain(self, style: str) -> Chain:
        """The fallback chain of a style."""
        c = self._chains.get(style)
        if c is None:
            with lock:
                c = self._chains.get(style)
                if c is None:
                    if self.choice is None:
                        primary = _bundled_primary(style)
                    else:
                        path, synthetic = self.choice.file(style)
                        primary = Face(path, origin="user", role="primary",
                                       synthetic_bold=synthetic)
                    c = self._chains[style] = Chain(style, primary, _fallbacks(style))
        return c

    def advances(self, style: str) -> tuple[dict[str, float], float]:
        """(advance by character, default advance) of a style's primary face, 1/1000 em."""
        table = self._advances.get(style)
        if table is None:
            face = self.chain(style).primary.pdf_font().face
            table = ({chr(k): v for k, v in face.charWidths.items()}, face.defaultWidth)
            self._advances[style] = table
        return table

    def simple_rx(self, style: str) -> re.Pattern[str]:
        """A pattern matching any character the primary face does not set without
        shaping: :meth:`is_simple` is one search of one negated character class."""
        rx = self._simple.get(style)
        if rx is None:
            complex_rx = re.compile(f"[{_COMPLEX}]")
            codes = sorted(code for code in (ord(ch) for ch in self.advances(style)[0])
                           if complex_rx.match(chr(code)) is None)
            rx = self._simple[style] = re.compile("[^" + "".join(ranges(codes)) + " ]")
        return rx

    def is_simple(self, text: str, style: str) -> bool:
        """Whether ``text`` is set by the primary face alone, without shaping (fast path).

        Never for a style whose primary face is a synthetic bold (a brand font without a
        bold file): its every line is drawn by the shaped path, which strokes it."""
        if self.synthetic_primary and style in self.synthetic_primary:
            return False
        if text.isascii():
            return True
        return self.simple_rx(style).search(text) is None

    def uncovered(self, style: str) -> re.Pattern[str]:
        """A pattern matching any character none of the shipped faces of ``style`` covers."""
        rx = self._uncovered.get(style)
        if rx is None:
            codes: set[int] = set()
            for f in self.chain(style).bundled:
                codes |= f.unicodes()
            parts = [*ranges(sorted(codes)), INVISIBLE_CLASS]
            rx = self._uncovered[style] = re.compile("[^" + "".join(parts) + "]")
        return rx

    def faces(self) -> list[Face]:
        """Every face the chains hold now (primary, shipped fallbacks, system fonts found)."""
        seen: dict[str, Face] = {}
        for style in STYLES:
            for f in self.chain(style).faces:
                seen.setdefault(f.path + f"#{f.index}", f)
        return list(seen.values())


def fonts_for(choice: FontChoice | None) -> FontSet:
    """The one FontSet of ``choice`` (None: DejaVu Sans)."""
    fs = FontSet._made.get(choice)
    if fs is None:
        with lock:
            fs = FontSet._made.get(choice)
            if fs is None:
                fs = FontSet._made[choice] = FontSet(choice)
    return fs


_default: list[FontSet] = []


def default() -> FontSet:
    """The process default FontSet (:func:`configure`; DejaVu Sans at first)."""
    if not _default:
        _default.append(fonts_for(None))
    return _default[0]


def configure(choice: FontChoice | None) -> bool:
    """Make ``choice`` the process default (None: DejaVu Sans). Returns True when it
    changed (then every width and wrap cache that measured with the default empties)."""
    fs = fonts_for(choice)
    with lock:
        if _default and _default[0] is fs:
            return False
        _default[:] = [fs]
    caches.fonts_changed()
    return True


def current() -> FontSet:
    """The FontSet measurements and painters use here and now: the fonts of the layout
    cache bound on this thread (:meth:`app.layout.caches.LayoutCache.measuring`), else
    the process default."""
    cache = caches.current()
    if cache is not None:
        fs = cache.fonts
        if fs is not None:
            return fs  # type: ignore[no-any-return]
    return _default[0] if _default else default()


def chain(style: str) -> Chain:
    """The fallback chain of a style, in the current FontSet."""
    return current().chain(style)


def is_simple(text: str, style: str) -> bool:
    """Whether ``text`` is set by the current primary face alone, without shaping."""
    return current().is_simple(text, style)
