"""Evidence on the map: a coverage bar under each stage header and de-emphasised assumptions.

The bar's numbers come from :func:`app.analysis.findings.evidence` (cards whose
source is observed research, survey data or feedback, out of all the stage's
cards), so the map, the report and the insights page agree. Assumption cards
can be drawn lighter with a dashed border; their text stays at WCAG 4.5:1.
"""

from __future__ import annotations

from app.analysis.findings import evidence
from app.layout.boxes import CardBox, EvidenceBar, Rect, Swatch, TextLine
from app.layout.fonts import ASCENT, text_width
from app.layout.heat import legible_text, recolour_card
from app.layout.rules import mix
from app.layout.style import Style
from app.model.schema import DataSource, DocumentData, Stage

TRACK = "#e6e6e6"
TRACK_BORDER = "#767676"  # 4.5:1 on white: the bar's outline is visible to everyone
BACKED = "#009e73"  # Okabe-Ito bluish green, 3.4:1 on white
WARNING_TEXT = "#a33a00"  # dark vermillion, 6.9:1 on white


def row_height(style: Style) -> float:
    """Height of the evidence row under the stage headers."""
    return style.em(2.6)


def evidence_bars(data: DocumentData, map_id: int, stages: list[Stage],
                  col_x: dict[int, float], col_w: dict[int, float], top: float,
                  style: Style) -> tuple[EvidenceBar, ...]:
    """One bar per stage column, its backed share filled, and 'n/m backed by data' under it."""
    size = style.body_pt
    gutter = style.em(style.gutter_em)
    by_name = evidence(data, map_id)
    out = []
    for s, ev in zip(stages, by_name, strict=True):
        x, w = col_x[s.id] + gutter, col_w[s.id] - 2 * gutter
        track = Swatch(Rect(x, top + size * 0.35, w, size * 0.55), TRACK, TRACK_BORDER, 0.5)
        filled = None
        if ev.cards and ev.backed:
            filled = Swatch(Rect(x, track.rect.y, w * ev.backed / ev.cards, track.rect.h),
                            BACKED)
        warn = ev.warning is not None
        if not ev.cards:
            texts = ("no cards",)
        elif warn and ev.assumptions == ev.cards:
            texts = (f"0/{ev.cards} backed: assumptions only", f"0/{ev.cards} backed")
        else:
            texts = (f"{ev.backed}/{ev.cards} backed by data", f"{ev.backed}/{ev.cards} backed")
        font = "bold" if warn else "regular"
        text = next((t for t in texts if text_width(t, font, size) <= w), texts[-1])
        colour = WARNING_TEXT if warn else style.text
        label = TextLine(x, track.rect.bottom + size * 0.35 + ASCENT * size, text, font, size,
                         colour, text_width(text, font, size))
        out.append(EvidenceBar(s.id, track, filled, label, warn))
    return tuple(out)


def dim_assumptions(cards: dict[int, CardBox], data: DocumentData, style: Style,
                    *, keep_fill: bool = False) -> dict[int, CardBox]:
    """Assumption cards lighter (fill towards white unless ``keep_fill``), dashed border,
    muted text where it still reaches 4.5:1."""
    dash = (style.body_pt * 0.45, style.body_pt * 0.3)
    out = dict(cards)
    for cid, box in cards.items():
        if data.cards[cid].source is not DataSource.ASSUMPTION:
            continue
        fill = box.fill if keep_fill else mix(box.fill, "#ffffff", 0.6)
        text = legible_text(fill, style.muted_text)
        out[cid] = recolour_card(box, fill, style, text=text, border_dash=dash)
    return out
