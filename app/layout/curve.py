"""The emotion curve, made of the map's data: a point per emotion card (a dip within a
stage shows as a lower point), the stage averages as a lighter line under it and, when
the room has given its feelings (room mode), the room's mean per stage with the middle
half of its feelings (the interquartile range) as a band around it.

Every part is a box of :class:`~app.layout.boxes.EmotionCurve`; :func:`app.layout.paint.curve_ops`
turns them into the drawing ops the canvas and every export share.
"""

from __future__ import annotations

import statistics
from itertools import pairwise
from typing import NamedTuple

from app.layout.boxes import EmotionCurve, EmotionPoint, Glyph, Rect, TextLine
from app.layout.fonts import ASCENT, DESCENT, text_width
from app.layout.rules import GRAPHICS_CONTRAST, fix_contrast
from app.layout.style import EMOTION_STYLE, Style

#: The cards' curve (the focal line), the stage averages (lighter), the room (blue,
#: Okabe-Ito) and the band of the room's spread (a pale tint of the room's blue).
CARD_COLOUR = "#1a1a1a"
MEAN_COLOUR = "#8c8c8c"
ROOM_COLOUR = "#0072b2"
BAND_FILL = "#d3e5f2"

Segment = tuple[float, float, float, float, float, float, float, float]


class CardScore(NamedTuple):
    """One emotion card's score at its place along the curve."""

    stage_id: int
    x: float
    score: float
    card_id: int


class StageMean(NamedTuple):
    """A stage's average of its cards' scores, at the stage's centre."""

    stage_id: int
    x: float
    score: float


class RoomFeelings(NamedTuple):
    """The room participants' feelings (-2..+2) about one stage, at its centre."""

    stage_id: int
    x: float
    scores: tuple[int, ...]


def emotion_glyph(score: float, cx: float, cy: float, size: float) -> Glyph:
    """The marker of a (rounded) emotion score: shape and colour both carry it."""
    shape, colour, _ = EMOTION_STYLE[max(-2, min(2, round(score)))]
    return Glyph(shape, cx, cy, size, colour, "#ffffff", size * 0.08)  # type: ignore[arg-type]


def curve_colours(style: Style) -> tuple[str, str, str, str]:
    """(cards, stage average, room, band fill): the lines kept at 3:1 on the background."""
    bg = style.background
    return (fix_contrast(CARD_COLOUR, bg, GRAPHICS_CONTRAST),
            fix_contrast(MEAN_COLOUR, bg, GRAPHICS_CONTRAST),
            fix_contrast(ROOM_COLOUR, bg, GRAPHICS_CONTRAST), BAND_FILL)


def spread(scores: tuple[int, ...] | list[int]) -> tuple[float, float]:
    """The middle half of ``scores``: (first quartile, third quartile), inclusive method
    (one score is its own spread)."""
    if len(scores) < 2:
        return float(scores[0]), float(scores[0])
    q1, _, q3 = statistics.quantiles(scores, n=4, method="inclusive")
    return q1, q3


def _tangents(xy: list[tuple[float, float]]) -> list[float]:
    """Slopes (dy/dx) at each point of a monotone cubic through ``xy`` (Steffen, 1990:
    the curve rises or falls only where its points do, so it never shows a feeling
    stronger than a card's or a dip between two equal scores)."""
    n = len(xy)
    sec = []
    for (x0, y0), (x1, y1) in pairwise(xy):
        h = x1 - x0
        sec.append((y1 - y0) / h if h > 1e-9 else 0.0)
    m = [0.0] * n
    for i in range(1, n - 1):
        h0 = xy[i][0] - xy[i - 1][0]
        h1 = xy[i + 1][0] - xy[i][0]
        s0, s1 = sec[i - 1], sec[i]
        if s0 * s1 <= 0 or h0 + h1 <= 1e-9:
            continue  # an extreme (or a flat run): the curve turns with a level tangent
        p = (s0 * h1 + s1 * h0) / (h0 + h1)
        m[i] = (1.0 if s0 > 0 else -1.0) * min(abs(s0), abs(s1), 0.5 * abs(p)) * 2
    if n >= 2:  # the ends: the one-sided three-point slope, kept within the secant's sign
        for i, j, k in ((0, 0, 1), (n - 1, n - 2, n - 2)):
            s_ = sec[j]
            end = (3 * s_ - m[k]) / 2 if n > 2 else s_
            m[i] = 0.0 if end * s_ <= 0 else (end if abs(end) <= 3 * abs(s_) else 3 * s_)
    return m


def smooth(xy: list[tuple[float, float]], top: float, bottom: float) -> tuple[Segment, ...]:
    """A monotone cubic through ``xy`` (:func:`_tangents`) as cubic Beziers: each segment
    stays between its two points' heights, so the curve never overshoots a score, and
    its control points are clamped to ``top``..``bottom`` (+2/-2) as well."""
    segs = []
    m = _tangents(xy)
    for i in range(len(xy) - 1):
        (x0, y0), (x1, y1) = xy[i], xy[i + 1]
        h = (x1 - x0) / 3
        c1y = max(top, min(bottom, y0 + m[i] * h))
        c2y = max(top, min(bottom, y1 - m[i + 1] * h))
        segs.append((x0, y0, x0 + h, c1y, x1 - h, c2y, x1, y1))
    return tuple(segs)


def _sample(segs: tuple[Segment, ...], start: tuple[float, float], steps: int = 8
            ) -> list[tuple[float, float]]:
    """Points along the Bezier ``segs`` (``start`` alone when there are none)."""
    out = [start]
    for x0, y0, ax, ay, bx, by, x1, y1 in segs:
        for k in range(1, steps + 1):
            t = k / steps
            u = 1 - t
            out.append((u ** 3 * x0 + 3 * u * u * t * ax + 3 * u * t * t * bx + t ** 3 * x1,
                        u ** 3 * y0 + 3 * u * u * t * ay + 3 * u * t * t * by + t ** 3 * y1))
    return out


def emotion_curve(lane_id: int, band: Rect, cards: list[CardScore], means: list[StageMean],
                  room: list[RoomFeelings], style: Style) -> EmotionCurve:
    """The curve's parts inside ``band`` (top = +2, bottom = -2).

    ``means`` are drawn only when some stage has more than one scored card (otherwise
    the average is the card's own point); ``room`` gives the room's curve and band.
    """

    def y_of(score: float) -> float:
        return band.y + (2 - score) / 4 * band.h

    card_c, mean_c, room_c, band_fill = curve_colours(style)
    em = style.body_pt
    pts = tuple(EmotionPoint(c.stage_id, c.x, y_of(c.score), c.score,
                             emotion_glyph(c.score, c.x, y_of(c.score), em * 1.5), c.card_id)
                for c in cards)
    segs = smooth([(p.x, p.y) for p in pts], band.y, band.bottom)
    per_stage: dict[int, int] = {}
    for c in cards:
        per_stage[c.stage_id] = per_stage.get(c.stage_id, 0) + 1
    mean_pts: tuple[EmotionPoint, ...] = ()
    if any(n > 1 for n in per_stage.values()):
        mean_pts = tuple(
            EmotionPoint(m.stage_id, m.x, y_of(m.score), m.score,
                         Glyph("circle", m.x, y_of(m.score), em * 0.6, mean_c, None, 0.0))
            for m in means)
    room_pts = tuple(
        EmotionPoint(r.stage_id, r.x, y_of(statistics.fmean(r.scores)),
                     statistics.fmean(r.scores),
                     Glyph("circle", r.x, y_of(statistics.fmean(r.scores)), em * 0.9, room_c,
                           "#ffffff", em * 0.08))
        for r in room if r.scores)
    room_band: tuple[tuple[float, float], ...] = ()
    if room_pts:
        quartiles = [spread(r.scores) for r in room if r.scores]
        upper = [(p.x, y_of(q3)) for p, (_, q3) in zip(room_pts, quartiles, strict=True)]
        lower = [(p.x, y_of(q1)) for p, (q1, _) in zip(room_pts, quartiles, strict=True)]
        if len(room_pts) == 1:  # one stage: a narrow bar of its spread
            (x, top), (_, bottom) = upper[0], lower[0]
            half = em * 0.6
            room_band = ((x - half, top), (x + half, top), (x + half, bottom), (x - half, bottom))
        else:
            up = _sample(smooth(upper, band.y, band.bottom), upper[0])
            down = _sample(smooth(lower, band.y, band.bottom), lower[0])
            room_band = tuple(up + down[::-1])
    size = style.sizes["curve"]
    labels = []
    for score, text in ((2, "+2"), (0, "0"), (-2, "−2")):
        w = text_width(text, "regular", size)
        labels.append(TextLine(band.x + size * 0.3, y_of(score) + (ASCENT - DESCENT) * size / 2,
                               text, "regular", size, style.muted_text, w))
    return EmotionCurve(
        lane_id, band, y_of(0), pts, segs, card_c, em * 0.25, "#767676", tuple(labels),
        means=mean_pts, mean_segments=smooth([(p.x, p.y) for p in mean_pts], band.y,
                                             band.bottom),
        mean_colour=mean_c, mean_width=em * 0.16,
        room=room_pts, room_segments=smooth([(p.x, p.y) for p in room_pts], band.y,
                                            band.bottom),
        room_colour=room_c, room_width=em * 0.2, room_band=room_band, band_fill=band_fill)
