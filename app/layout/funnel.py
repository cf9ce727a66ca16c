"""The funnel band under the grid: one shape per stage column, sized by a metric.

Values come from :func:`app.analysis.findings.funnel` (counts summed, rates and
scores averaged per stage). Each stage with a value gets a bar centred in its
column whose height is proportional to the value; consecutive bars are joined
by lighter trapezoids (drawn by the painter from the bars' rectangles). Above
each bar its value, under it the change from the previous stage; the stage(s)
where the emotion curve is lowest are outlined and labelled, so the map's low
moments and the funnel's losses line up.
"""

from __future__ import annotations

from app.analysis.emotion import moments_of_truth
from app.analysis.findings import aggregation_for, funnel
from app.layout.boxes import FunnelBand, FunnelStepBox, Rect, Swatch, TextLine
from app.layout.decor import text_block
from app.layout.fonts import ASCENT, text_width
from app.layout.rules import OKABE_ITO, mix
from app.layout.style import Style
from app.model.schema import DocumentData, Stage

BAR = mix(OKABE_ITO["blue"], "#ffffff", 0.25)  # 4.2:1 on white
CONNECTOR = mix(OKABE_ITO["blue"], "#ffffff", 0.72)
LOW = "#a33a00"  # dark vermillion (6.9:1 on white) marks the lowest emotion


def _num(value: float) -> str:
    if abs(value) >= 1e6:
        return f"{value:.3g}"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def band_height(style: Style) -> float:
    """The funnel band's height (value row, bars, change row, marker row)."""
    return style.em(11.0)


def funnel_band(data: DocumentData, map_id: int, metric: str, stages: list[Stage],
                col_x: dict[int, float], col_w: dict[int, float], label_x: float,
                label_w: float, top: float, style: Style) -> FunnelBand:
    """The band for ``metric`` starting at ``top``, aligned with the stage columns."""
    size = style.body_pt
    h = band_height(style)
    steps = funnel(data, map_id, metric)
    lowest = {s.stage_id for s in moments_of_truth(data, map_id).lowest}
    values = [abs(s.value) for s in steps if s.value is not None]
    biggest = max(values, default=0.0) or 1.0
    value_y = top + size * 1.6
    zone_top = top + size * 2.2
    zone_h = size * 5.0
    zone_mid = zone_top + zone_h / 2
    change_y = zone_top + zone_h + size * 0.6 + ASCENT * size
    mark_y = change_y + size * 1.3
    boxes = []
    for stage, step in zip(stages, steps, strict=True):
        x, w = col_x[stage.id], col_w[stage.id]
        is_low = stage.id in lowest
        lines = []
        bar = None
        if step.value is not None:
            bh = max(size * 0.3, zone_h * abs(step.value) / biggest)
            bw = w * 0.5
            bar = Swatch(Rect(x + (w - bw) / 2, zone_mid - bh / 2, bw, bh), BAR,
                         LOW if is_low else None, 2.0 if is_low else 0.0)
            text = _num(step.value)
            tw = text_width(text, "bold", size)
            lines.append(TextLine(x + (w - tw) / 2, value_y, text, "bold", size, style.text, tw))
        else:
            text = "no data"
            tw = text_width(text, "italic", size)
            lines.append(TextLine(x + (w - tw) / 2, zone_mid + size * 0.35, text, "italic", size,
                                  style.muted_text, tw))
        if step.change is not None:
            text = f"{step.change:+.0%}".replace("-", "\u2212") + " vs previous"
            font = "bold" if step.coincides else "regular"
            if text_width(text, font, size) > w - size:
                text = text.split(" ")[0]
            tw = text_width(text, font, size)
            lines.append(TextLine(x + (w - tw) / 2, change_y, text, font, size,
                                  LOW if step.coincides else style.text, tw))
        if is_low:
            text = "\u25bc lowest emotion"
            if text_width(text, "bold", size) > w - size:
                text = "\u25bc lowest"
            tw = text_width(text, "bold", size)
            lines.append(TextLine(x + (w - tw) / 2, mark_y, text, "bold", size, LOW, tw))
        boxes.append(FunnelStepBox(stage.id, bar, tuple(lines), is_low))
    head, bottom = text_block("Funnel", "bold", style.sizes["lane"], label_x + size * 0.6,
                              top + size * 0.6, label_w - size * 1.2, style.text)
    how = "summed" if aggregation_for(metric) == "sum" else "averaged"
    name = next((n for c in data.cards_of(map_id) for n in c.metrics
                 if n.casefold() == metric.casefold()), metric)
    sub, _ = text_block(f"{name}, {how} per stage", "regular", size, label_x + size * 0.6,
                        bottom + size * 0.3, label_w - size * 1.2, style.muted_text)
    right = max((col_x[s.id] + col_w[s.id] for s in stages), default=label_x + label_w)
    return FunnelBand(name, Rect(label_x, top, right - label_x, h), head + sub, tuple(boxes),
                      CONNECTOR)
