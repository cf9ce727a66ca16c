"""HarfBuzz shaping of one line through the font fallback chain: glyphs and positions.

:func:`shape` cuts a line (logical order) into runs of one face and one bidi level
(each grapheme cluster goes to the first face of the chain covering it, see
:mod:`app.layout.fontset`), shapes each run with HarfBuzz (uharfbuzz) with the whole
line as context, so Arabic joins, Indic conjuncts form and marks sit on their
bases, and orders the runs visually (UAX #9 rule L2, :mod:`app.layout.bidi`).
Positions are in em at a size of 1 (multiply by the point size), x rightwards
from the line's start, y offsets upwards, as HarfBuzz gives them.

Every output draws these runs: the PDF (glyph ids through reportlab's TrueType
subsets, with the logical text as /ActualText), PNG and the canvas (Qt glyph
runs), SVG (one tspan per run, with its x). Runs the primary face sets without
shaping (plain Latin...) take the TrueType advances as the fast path measures
them, so a line's width is the same whichever way it was measured.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import NamedTuple

from app.layout import caches
from app.layout.bidi import embedding_levels, has_rtl, reorder
from app.layout.faces import Face
from app.layout.fontset import Chain, FontSet, current, is_simple

#: Characters that never need a face of their own (they join their cluster's face).
_IGNORABLE = frozenset([0x200C, 0x200D, 0x2060, 0xFEFF, *range(0xFE00, 0xFE10),
                        *range(0xE0020, 0xE0080), *range(0x1F3FB, 0x1F400)])


#: No kerning: plain lines are measured without it (the TrueType advances), and Qt's
#: canvas text, which must break lines where the layout does, is set without it too.
_FEATURES = {"kern": False}


class Run(NamedTuple):
    """Glyphs of one face and one direction, in visual (left-to-right) order."""

    face: Face
    rtl: bool
    start: int  # the run's characters are text[start:end] (logical order)
    end: int
    glyphs: tuple[int, ...]
    xs: tuple[float, ...]  # glyph origins from the line's start, em (x offset included)
    ys: tuple[float, ...]  # glyph y offsets, em, upwards
    clusters: tuple[int, ...]  # the text index each glyph starts at
    x: float  # the run's left edge from the line's start, em
    advance: float  # em
    synthetic_bold: bool


class Shaped(NamedTuple):
    """One line shaped: its runs left to right, its advance, characters no font has."""

    text: str
    runs: tuple[Run, ...]
    advance: float  # em
    missing: str


_SCRIPTS: dict[str, str] = {}


def _script(ch: str) -> str:
    """A coarse script of a letter (the first word of its Unicode name: "ARABIC",
    "HEBREW", "CJK"...); "" for characters of no script (spaces, punctuation, digits,
    symbols, marks), which stay in the run of the text before them."""
    found = _SCRIPTS.get(ch)
    if found is None:
        if unicodedata.category(ch)[0] != "L":
            found = ""
        else:
            word = unicodedata.name(ch, "").split(" ", 1)[0]
            found = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "KATAKANA-HIRAGANA": "CJK",
                     "HALFWIDTH": "CJK",
                     "FULLWIDTH": "CJK", "IDEOGRAPHIC": "CJK"}.get(word, word)
        _SCRIPTS[ch] = found
    return found


def _cluster_starts(text: str) -> list[tuple[int, int]]:
    """(start, end) of each grapheme-like cluster: a base and its marks/joiners."""
    out: list[tuple[int, int]] = []
    join_next = False
    for i, ch in enumerate(text):
        code = ord(ch)
        attach = out and (join_next or code in _IGNORABLE
                          or unicodedata.category(ch) in ("Mn", "Mc", "Me"))
        if attach:
            out[-1] = (out[-1][0], i + 1)
        else:
            out.append((i, i + 1))
        join_next = code == 0x200D
    return out


#: Categories of characters that belong to no script of their own (spaces, punctuation,
#: digits): they take the face of the text before them when it covers them, as Qt and
#: browsers do, so a space between two Hindi words is the Devanagari face's space.
_COMMON = frozenset(["Zs", "Po", "Ps", "Pe", "Pd", "Pi", "Pf", "Pc", "Nd"])


def _face_of_cluster(text: str, start: int, end: int, c: Chain,
                     previous: Face | None = None) -> Face | None:
    codes = [ord(ch) for ch in text[start:end] if ord(ch) not in _IGNORABLE]
    if not codes:
        return previous or c.primary
    if (previous is not None and previous is not c.primary and end - start == 1
            and unicodedata.category(text[start]) in _COMMON
            and codes[0] in previous.unicodes()):
        return previous
    base = c.face_for(codes[0])
    if base is None or len(codes) == 1:
        return base
    if all(code in base.unicodes() for code in codes[1:]):
        return base
    for f in c.faces:
        if all(code in f.unicodes() for code in codes):
            return f
    return base


def _shape_run(face: Face, codes: list[int], start: int, end: int, rtl: bool,
               ) -> tuple[list[int], list[float], list[float], list[int], list[float]]:
    """HarfBuzz glyphs, x offsets, y offsets, clusters and advances (em) of one run."""
    import uharfbuzz as hb

    font = face.hb_font()
    upem = float(face.upem)
    buf = hb.Buffer()
    buf.add_codepoints(codes, start, end - start)
    buf.direction = "rtl" if rtl else "ltr"
    buf.guess_segment_properties()
    hb.shape(font, buf, _FEATURES)
    gids, dxs, dys, cls, advs = [], [], [], [], []
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        gids.append(info.codepoint)
        cls.append(info.cluster)
        dxs.append(pos.x_offset / upem)
        dys.append(pos.y_offset / upem)
        advs.append(pos.x_advance / upem)
    return gids, dxs, dys, cls, advs


def _plain_run(face: Face, text: str, start: int, end: int,
               ) -> tuple[list[int], list[float], list[float], list[int], list[float]]:
    """A run the primary face sets without shaping: cmap glyphs and TrueType advances."""
    rl = face.pdf_font().face
    to_glyph = rl.charToGlyph
    widths = rl.charWidths
    default = rl.defaultWidth
    gids, advs = [], []
    for ch in text[start:end]:
        code = ord(ch)
        gids.append(to_glyph.get(code, 0))
        advs.append(0.001 * widths.get(code, default))
    n = end - start
    return gids, [0.0] * n, [0.0] * n, list(range(start, end)), advs


def shape(text: str, style: str) -> Shaped:
    """``text`` (one line, logical order) shaped through the chain of ``style`` of the
    current font set (:func:`app.layout.fontset.current`)."""
    return _shaped(text, style, current())


@lru_cache(maxsize=32768)
def _shaped(text: str, style: str, fonts: FontSet) -> Shaped:
    c = fonts.chain(style)
    spans = _cluster_starts(text)
    faces: list[Face] = []
    missing: list[str] = []
    previous: Face | None = None
    for s, e in spans:
        f = _face_of_cluster(text, s, e, c, previous)
        if f is None:
            missing.append(text[s])
            f = c.primary
        faces.extend([f] * (e - s))
        previous = f
    if has_rtl(text):
        levels, base = embedding_levels(text)
    else:
        levels, base = [0] * len(text), 0
    # logical runs: (face, level, start, end), also cut where the script changes (one
    # HarfBuzz run is shaped in one script: Hebrew then Arabic in one face would set the
    # Arabic unjoined)
    logical: list[tuple[Face, int, int, int]] = []
    script = ""
    for i, ch in enumerate(text):
        f, lv = faces[i], levels[i]
        sc = _script(ch) or script
        if logical and logical[-1][0] is f and logical[-1][1] == lv and sc == script:
            logical[-1] = (f, lv, logical[-1][2], i + 1)
        else:
            logical.append((f, lv, i, i + 1))
        script = sc
    codes = [ord(ch) for ch in text]
    shaped: list[tuple[Face, bool, int, int, list[int], list[float], list[float], list[int],
                       list[float]]] = []
    for f, lv, s, e in logical:
        rtl = lv % 2 == 1
        if f is c.primary and not rtl and is_simple(text[s:e], style):
            parts = _plain_run(f, text, s, e)
        else:
            parts = _shape_run(f, codes, s, e, rtl)
        shaped.append((f, rtl, s, e, *parts))
    order = reorder([lv for _f, lv, _s, _e in logical], base) if base or any(
        lv for _f, lv, _s, _e in logical) else list(range(len(logical)))
    runs: list[Run] = []
    pen = 0.0
    for k in order:
        f, rtl, s, e, gids, dxs, dys, cls, advs = shaped[k]
        x0 = pen
        xs = []
        for dx, adv in zip(dxs, advs, strict=True):
            xs.append(pen + dx)
            pen += adv
        runs.append(Run(f, rtl, s, e, tuple(gids), tuple(xs), tuple(dys), tuple(cls), x0,
                        pen - x0, f.synthetic_bold))
    return Shaped(text, tuple(runs), pen, "".join(dict.fromkeys(missing)))


caches.on_fonts_changed(_shaped.cache_clear)  # a per-font memo (painters need it too)
