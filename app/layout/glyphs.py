"""Marker shapes as polygons, so every renderer draws the very same outline."""

from __future__ import annotations

import math


def _regular(cx: float, cy: float, r: float, n: int, start_deg: float) -> list[tuple[float, float]]:
    return [
        (cx + r * math.cos(math.radians(start_deg + i * 360 / n)),
         cy + r * math.sin(math.radians(start_deg + i * 360 / n)))
        for i in range(n)
    ]


def glyph_polygon(shape: str, cx: float, cy: float, size: float) -> tuple[tuple[float, float], ...]:
    """Outline points of a marker of outer size ``size`` centred on (cx, cy); y down.

    Circles return an empty tuple (renderers draw an ellipse of diameter ``size``).
    """
    r = size / 2
    if shape == "circle":
        return ()
    if shape == "square":
        k = r * 0.85
        return ((cx - k, cy - k), (cx + k, cy - k), (cx + k, cy + k), (cx - k, cy + k))
    if shape == "diamond":
        return ((cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy))
    if shape == "triangle_up":
        return ((cx, cy - r), (cx + r, cy + r * 0.8), (cx - r, cy + r * 0.8))
    if shape == "triangle_down":
        return ((cx - r, cy - r * 0.8), (cx + r, cy - r * 0.8), (cx, cy + r))
    if shape == "hexagon":
        return tuple(_regular(cx, cy, r, 6, 0))
    if shape == "star":
        pts = []
        for i in range(10):
            rad = r if i % 2 == 0 else r * 0.45
            ang = math.radians(-90 + i * 36)
            pts.append((cx + rad * math.cos(ang), cy + rad * math.sin(ang)))
        return tuple(pts)
    if shape == "bar":
        return ((cx - r, cy - r * 0.35), (cx + r, cy - r * 0.35),
                (cx + r, cy + r * 0.35), (cx - r, cy + r * 0.35))
    if shape == "chevron_up":  # a thick upward arrow head
        return ((cx, cy - r), (cx + r, cy + r * 0.2), (cx + r * 0.55, cy + r * 0.6),
                (cx, cy - r * 0.1), (cx - r * 0.55, cy + r * 0.6), (cx - r, cy + r * 0.2))
    if shape == "chevron_down":
        return ((cx, cy + r), (cx + r, cy - r * 0.2), (cx + r * 0.55, cy - r * 0.6),
                (cx, cy + r * 0.1), (cx - r * 0.55, cy - r * 0.6), (cx - r, cy - r * 0.2))
    raise ValueError(f"unknown glyph shape {shape!r}")
