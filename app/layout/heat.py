"""Heat map by a metric: a colour-blind-safe scale, card colours by value, and the scale's key.

Scales (ColorBrewer, both marked colour-blind safe by its authors):

* Diverging RdYlBu when the metric's direction is known
  (:func:`app.analysis.findings.metric_direction`): the worst value is red, the
  best blue, the middle of the observed range pale yellow. So high NPS is blue
  and high drop-off is red.
* Sequential YlGnBu (light to dark) when the direction is unknown: the colour
  only says "more".

Colours between the nine anchors are interpolated linearly. Cards without the
metric get a neutral grey ("no data"), which is on neither scale. Card text is
set dark or light, whichever passes WCAG 4.5:1 on the new fill (black or white
always does), and the kind marker keeps 3:1 against it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache

from app.analysis.findings import funnel, metric_direction
from app.layout.boxes import CardBox, HeatLegend, Rect, StageHeat, Swatch, TextLine
from app.layout.fonts import ASCENT, text_width
from app.layout.rules import (
    GRAPHICS_CONTRAST,
    TEXT_CONTRAST,
    contrast_ratio,
    fix_contrast,
    hex_to_rgb,
    rgb_to_hex,
)
from app.layout.style import Style
from app.model.schema import Card, DocumentData, Stage

#: ColorBrewer RdYlBu, 9 classes, worst (red) to best (blue).
DIVERGING = ("#d73027", "#f46d43", "#fdae61", "#fee090", "#ffffbf", "#e0f3f8", "#abd9e9",
             "#74add1", "#4575b4")
#: ColorBrewer YlGnBu, 9 classes, low (light) to high (dark).
SEQUENTIAL = ("#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8",
              "#253494", "#081d58")
NO_DATA = "#e3e3e3"
NO_DATA_BORDER = "#767676"


def ramp(colours: tuple[str, ...], t: float) -> str:
    """The colour at ``t`` (0..1) along a piecewise-linear ramp through ``colours``."""
    t = max(0.0, min(1.0, t))
    pos = t * (len(colours) - 1)
    i = min(int(pos), len(colours) - 2)
    f = pos - i
    a, b = hex_to_rgb(colours[i]), hex_to_rgb(colours[i + 1])
    return rgb_to_hex(tuple(x + (y - x) * f for x, y in zip(a, b, strict=True)))


def metric_value(card: Card, metric: str) -> float | None:
    """The card's value of ``metric`` (names match without regard to case)."""
    if metric in card.metrics:
        return card.metrics[metric]
    key = metric.casefold()
    for name, value in card.metrics.items():
        if name.casefold() == key:
            return value
    return None


@dataclass(frozen=True)
class HeatScale:
    """A metric's observed range on one map and which way is better."""

    metric: str
    lo: float
    hi: float
    direction: str | None  # 'higher', 'lower' or None (unknown: sequential scale)

    def position(self, value: float) -> float:
        """Where ``value`` lies in the observed range, 0 (lowest) .. 1 (highest)."""
        if self.hi <= self.lo:
            return 0.5
        return max(0.0, min(1.0, (value - self.lo) / (self.hi - self.lo)))

    def colour(self, value: float) -> str:
        """The fill for ``value``."""
        t = self.position(value)
        if self.direction is None:
            return ramp(SEQUENTIAL, t)
        return ramp(DIVERGING, t if self.direction == "higher" else 1.0 - t)

    def describe(self) -> str:
        """'higher is better', 'lower is better' or 'darker is higher'."""
        if self.direction is None:
            return "darker is higher"
        return f"{self.direction} is better"


def heat_scale(data: DocumentData, map_id: int, metric: str) -> HeatScale | None:
    """The scale of ``metric`` over the map's cards; None when no card has it."""
    values = [v for c in data.cards_of(map_id) if (v := metric_value(c, metric)) is not None]
    if not values:
        return None
    name = next((n for c in data.cards_of(map_id) for n in c.metrics
                 if n.casefold() == metric.casefold()), metric)
    return HeatScale(name, min(values), max(values), metric_direction(name))


@lru_cache(maxsize=4096)
def legible_text(fill: str, preferred: str) -> str:
    """``preferred`` when it reaches 4.5:1 on ``fill``, else black or white (one always does)."""
    if contrast_ratio(preferred, fill) >= TEXT_CONTRAST:
        return preferred
    return max(("#000000", "#ffffff"), key=lambda c: contrast_ratio(c, fill))


def recolour_card(box: CardBox, fill: str, style: Style, *, text: str | None = None,
                  border_dash: tuple[float, ...] | None = None) -> CardBox:
    """The card with another fill: text, marker and fill-less badges re-checked against it."""
    colour = legible_text(fill, text or style.text)

    def lines(ts: tuple[TextLine, ...]) -> tuple[TextLine, ...]:
        if all(t.colour == colour for t in ts):
            return ts
        return tuple(dataclasses.replace(t, colour=colour) for t in ts)

    badges = box.badges
    if any(b.fill is None and b.text is not None and b.text.colour != colour for b in badges):
        badges = tuple(  # the chips drawn on the card's fill
            dataclasses.replace(b, text=dataclasses.replace(b.text, colour=colour))
            if b.fill is None and b.text is not None else b for b in badges)
    marker_fill = _marker_fill(style.kind_colours.get(box.kind, "#999999"), fill)
    marker = box.marker if box.marker.fill == marker_fill else \
        dataclasses.replace(box.marker, fill=marker_fill)
    return dataclasses.replace(
        box, fill=fill, title_lines=lines(box.title_lines), body_lines=lines(box.body_lines),
        badges=badges, marker=marker,
        border_dash=box.border_dash if border_dash is None else border_dash)


@lru_cache(maxsize=4096)
def _marker_fill(kind_colour: str, fill: str) -> str:
    """The kind marker's colour at 3:1 against the card's fill."""
    return fix_contrast(kind_colour, fill, GRAPHICS_CONTRAST)


def apply_heat(cards: dict[int, CardBox], data: DocumentData, scale: HeatScale,
               style: Style) -> dict[int, CardBox]:
    """Every card coloured by its value of the scale's metric, or grey when it has none."""
    out = {}
    for cid, box in cards.items():
        value = metric_value(data.cards[cid], scale.metric)
        fill = NO_DATA if value is None else scale.colour(value)
        out[cid] = recolour_card(box, fill, style)
    return out


def _num(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.3g}"


def heat_legend(scale: HeatScale, x: float, y: float, max_width: float,
                style: Style) -> HeatLegend:
    """The key: 'Heat map: NAME (higher is better)', nine swatches low to high, the lowest
    and highest values under the ends, and the 'no data' swatch."""
    size = style.body_pt
    head_size = style.sizes["card_title"]
    heading = f"Heat map: {scale.metric} ({scale.describe()})"
    hw = text_width(heading, "bold", head_size)
    lines = [TextLine(x, y + ASCENT * head_size, heading, "bold", head_size, style.text, hw)]
    top = y + head_size * 1.5
    n = len(DIVERGING) if scale.hi > scale.lo else 1  # one value: one swatch
    sw_w = min(size * 2.4, max(size * 1.2, (max_width - size * 12) / n))
    sw_h = size * 1.4
    steps = []
    for i in range(n):
        value = scale.lo + (scale.hi - scale.lo) * i / max(1, n - 1)
        steps.append(Swatch(Rect(x + i * sw_w, top, sw_w, sw_h), scale.colour(value)))
    base = top + sw_h + size * 0.3 + ASCENT * size
    low = f"{_num(scale.lo)} lowest" if n > 1 else f"{_num(scale.lo)}, the only value"
    high = f"highest {_num(scale.hi)}" if n > 1 else ""
    lines.append(TextLine(x, base, low, "regular", size, style.text,
                          text_width(low, "regular", size)))
    high_w = text_width(high, "regular", size)
    lines.append(TextLine(max(x + n * sw_w - high_w, x + text_width(low, "regular", size)
                              + size), base, high, "regular", size, style.text, high_w))
    labels_w = text_width(low, "regular", size) + (size + high_w if high else 0.0)
    nx = x + max(n * sw_w, labels_w) + size * 1.5
    no_data = Swatch(Rect(nx, top, sw_w, sw_h), NO_DATA, NO_DATA_BORDER, 0.6)
    label = "no data"
    lines.append(TextLine(nx + sw_w + size * 0.5, top + sw_h / 2 + ASCENT * size * 0.4, label,
                          "regular", size, style.text, text_width(label, "regular", size)))
    right = max(nx + sw_w + size * 0.5 + lines[-1].width, x + hw)
    bottom = base + size * 0.4
    return HeatLegend(scale.metric, Rect(x, y, right - x, bottom - y), tuple(lines),
                      tuple(steps), no_data)


def strip_height(style: Style) -> float:
    """Height of the row of stage strips under the headers."""
    return style.em(2.1)


def stage_strips(data: DocumentData, map_id: int, scale: HeatScale, stages: list[Stage],
                 col_x: dict[int, float], col_w: dict[int, float], top: float,
                 style: Style) -> tuple[StageHeat, ...]:
    """Each stage column's strip, coloured by the mean of the metric over its cards (the
    same scale as the cards), labelled 'NPS mean 20'; grey 'no data' when none has it."""
    size = style.body_pt
    gutter = style.em(style.gutter_em)
    out = []
    for stage, step in zip(stages, funnel(data, map_id, scale.metric, "mean"), strict=True):
        x, w = col_x[stage.id] + gutter, col_w[stage.id] - 2 * gutter
        rect = Rect(x, top + size * 0.3, w, size * 1.5)
        if step.value is None:
            fill, texts = NO_DATA, ("no data",)
        else:
            fill = scale.colour(step.value)
            texts = (f"{scale.metric} mean {_num(step.value)}", f"mean {_num(step.value)}",
                     _num(step.value))
        text = next((t for t in texts if text_width(t, "regular", size) <= w - size * 0.6),
                    texts[-1])
        colour = legible_text(fill, style.text)
        tw = text_width(text, "regular", size)
        label = TextLine(x + (w - tw) / 2, rect.cy + ASCENT * size * 0.4, text, "regular", size,
                         colour, tw)
        out.append(StageHeat(stage.id, Swatch(rect, fill, NO_DATA_BORDER, 0.5), label))
    return tuple(out)
