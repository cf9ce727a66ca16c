"""Legibility rules as code: type scale, minimum text size, WCAG contrast, colour-blind palette.

Sources:

* Minimum size from viewing distance. Poster and signage guidance gives the
  x-height needed to read at a distance; converted to point sizes for a
  sans-serif with DejaVu's large x-height it comes to about 21 pt per metre
  (8 pt at 0.35 m, 16 pt at 0.7 m, 32 pt at 1.5 m; e.g. the legibility tables in
  the ADA Standards for Accessible Design 703.5.5 and common academic-poster
  advice "24 pt body text read from 1-2 m"). Never below 8 pt, the smallest
  size routinely printed for reading in the hand. Default distances by paper
  (how far people stand from a poster of that size): A0 1.2 m, A1 1.0 m,
  A2 0.8 m, A3 0.6 m, A4/Letter 0.4 m.
* Contrast: WCAG 2.2 success criteria 1.4.3 (text 4.5:1; large text, i.e.
  >= 18 pt or >= 14 pt bold, 3:1) and 1.4.11 (graphics such as lines,
  markers and the emotion curve 3:1). Relative luminance and contrast ratio
  are computed exactly as WCAG defines them.
* Palette: Okabe & Ito (2008), "Color Universal Design", eight colours
  distinguishable under the common colour-vision deficiencies; channel chips
  use Paul Tol's "muted" qualitative scheme.
* Type scale: each level (title > stage headers > lane labels > card titles
  > card body) is at least 1.25x the next (a "major third" scale).
"""

from __future__ import annotations

import itertools
from functools import lru_cache

PT_PER_METRE = 21.0
MIN_TEXT_PT = 8.0
TYPE_SCALE_STEP = 1.25
TEXT_CONTRAST = 4.5
LARGE_TEXT_CONTRAST = 3.0
GRAPHICS_CONTRAST = 3.0

#: Default viewing distance in metres by paper family.
DEFAULT_DISTANCE_M: dict[str, float] = {
    "A0": 1.2, "A1": 1.0, "A2": 0.8, "A3": 0.6, "A4": 0.4, "A5": 0.4,
    "LETTER": 0.4, "LEGAL": 0.4, "TABLOID": 0.6, "LEDGER": 0.6,
    "ARCH C": 0.8, "ARCH D": 1.0, "ARCH E": 1.2,
}

#: Okabe-Ito colours by name.
OKABE_ITO = {
    "orange": "#e69f00", "sky_blue": "#56b4e9", "bluish_green": "#009e73",
    "yellow": "#f0e442", "blue": "#0072b2", "vermillion": "#d55e00",
    "reddish_purple": "#cc79a7", "black": "#000000", "grey": "#999999",
}
#: Paul Tol's muted qualitative scheme (for channel chips).
TOL_MUTED = (
    "#332288", "#88ccee", "#44aa99", "#117733", "#999933",
    "#ddcc77", "#cc6677", "#882255", "#aa4499", "#dddddd",
)


def min_text_pt(distance_m: float) -> float:
    """Smallest legible printed size in points for a reader ``distance_m`` metres away."""
    return max(MIN_TEXT_PT, PT_PER_METRE * max(0.0, distance_m))


def default_distance(paper_name: str, long_side_pt: float | None = None) -> float:
    """Default viewing distance for a paper name, else interpolated from its long side."""
    key = paper_name.strip().upper()
    if key in DEFAULT_DISTANCE_M:
        return DEFAULT_DISTANCE_M[key]
    if long_side_pt is None:
        return 1.0
    # Scale like the ISO series: A4 (842 pt) 0.4 m ... A0 (3370 pt) 1.2 m.
    return round(min(2.0, max(0.4, 0.4 + 0.8 * (long_side_pt - 842) / (3370 - 842))), 2)


def is_large_text(size_pt: float, bold: bool) -> bool:
    """WCAG 'large text': at least 18 pt, or 14 pt bold."""
    return size_pt >= 18 or (bold and size_pt >= 14)


def required_contrast(size_pt: float, bold: bool) -> float:
    """The WCAG 2.2 minimum contrast for text of this size and weight."""
    return LARGE_TEXT_CONTRAST if is_large_text(size_pt, bold) else TEXT_CONTRAST


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """'#rrggbb' -> (r, g, b) in 0..255."""
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def rgb_to_hex(rgb: tuple[float, float, float]) -> str:
    """(r, g, b) in 0..255 -> '#rrggbb' (clamped, rounded)."""
    return "#" + "".join(f"{max(0, min(255, round(v))):02x}" for v in rgb)


@lru_cache(maxsize=4096)
def luminance(colour: str) -> float:
    """WCAG relative luminance of a '#rrggbb' colour."""

    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = hex_to_rgb(colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@lru_cache(maxsize=4096)
def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours (1..21)."""
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


@lru_cache(maxsize=4096)
def mix(a: str, b: str, t: float) -> str:
    """Linear mix of two colours: t=0 gives a, t=1 gives b."""
    ra, rb = hex_to_rgb(a), hex_to_rgb(b)
    return rgb_to_hex(tuple(x + (y - x) * t for x, y in zip(ra, rb, strict=True)))


@lru_cache(maxsize=4096)
def fix_contrast(fg: str, bg: str, ratio: float) -> str:
    """The colour nearest ``fg`` (towards black or white) with at least ``ratio`` against ``bg``.

    Moves the foreground towards black on light backgrounds and towards white
    on dark ones, in small steps, keeping its hue as long as possible.
    """
    if contrast_ratio(fg, bg) >= ratio:
        return fg
    towards = "#000000" if luminance(bg) > 0.18 else "#ffffff"
    for step in range(1, 21):
        candidate = mix(fg, towards, step / 20)
        if contrast_ratio(candidate, bg) >= ratio:
            return candidate
    other = "#ffffff" if towards == "#000000" else "#000000"
    return towards if contrast_ratio(towards, bg) >= contrast_ratio(other, bg) else other


@lru_cache(maxsize=4096)
def best_text_colour(bg: str, dark: str = "#1a1a1a", light: str = "#ffffff") -> str:
    """Dark or light text, whichever contrasts more with ``bg``."""
    return dark if contrast_ratio(dark, bg) >= contrast_ratio(light, bg) else light


def type_scale_ok(sizes: list[float], step: float = TYPE_SCALE_STEP) -> bool:
    """True when each size (largest first) is at least ``step`` times the next."""
    return all(a >= b * step - 1e-9 for a, b in itertools.pairwise(sizes))


def rules_step_sizes(body: float, step: float = TYPE_SCALE_STEP) -> dict[str, float]:
    """The type scale from a body size: body, card_title, lane, stage, title.

    A step under 1.25 is honoured here (a user style may ask for it) and reported
    by the preflight's type-scale rule.
    """
    return {
        "body": body,
        "card_title": body * step,
        "lane": body * step**2,
        "stage": body * step**3,
        "title": body * step**5,
    }
