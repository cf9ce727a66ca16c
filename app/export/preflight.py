"""Preflight: every legibility and structure rule checked on a map laid out for a paper.

Rules (``Problem.rule``):

* ``text-size`` -- printed text smaller than the minimum for the viewing
  distance (21 pt per metre, never below 8 pt; see :mod:`app.layout.rules`).
  The message names the smallest ISO paper (or a tiling) on which it would be legible.
* ``type-scale`` -- a level of the type scale less than 1.25x the next.
* ``contrast`` -- text under 4.5:1 (3:1 when large) or a card border, marker
  or the emotion curve under 3:1 against what it sits on (WCAG 2.2).
* ``overflow`` -- a text line wider than its card, or a card taller than the page.
* ``shrunk`` -- a card title set smaller than the card-title size to fit (info).
* ``empty-stage`` -- a stage with no cards.
* ``unbalanced`` -- a stage holding far more cards than the others.
* ``orphan`` -- a card whose stage or lane is not in the map, or that sits in a
  collapsed lane and so will not print.

Errors and warnings fail ``waymark check`` (exit 1); infos do not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from app.export.common import ExportOptions
from app.export.prepare import choose_paper, natural_layout
from app.layout.boxes import MapLayout
from app.layout.paper import PAPERS, SUGGESTION_ORDER, Paper, parse_paper
from app.layout.rules import (
    GRAPHICS_CONTRAST,
    contrast_ratio,
    default_distance,
    min_text_pt,
    required_contrast,
    type_scale_ok,
)
from app.layout.style import Style, Target
from app.layout.transform import fit_params, scale_factor
from app.model.schema import DocumentData

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Problem:
    """One rule violation, with the card, stage or lane it concerns."""

    rule: str
    severity: Severity
    message: str
    card_id: int | None = None
    stage_id: int | None = None
    lane_id: int | None = None

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return asdict(self)

    @property
    def fails(self) -> bool:
        """True for errors and warnings (they make ``waymark check`` exit 1)."""
        return self.severity != "info"


def distance_for(paper: Paper, distance_m: float | None) -> float:
    """The viewing distance to use: the user's, else the paper's default."""
    if distance_m is not None:
        return distance_m
    return default_distance(paper.name, max(paper.width, paper.height))


def smallest_legible_paper(natural: MapLayout, distance_m: float | None) -> str | None:
    """The smallest ISO paper (either orientation) on which the map's text is legible."""
    for name in SUGGESTION_ORDER:
        short, long = PAPERS[name]
        need = min_text_pt(distance_m if distance_m is not None else default_distance(name))
        for w, h, orient in ((long, short, "landscape"), (short, long, "portrait")):
            margin = Target.for_paper(Paper(name, w, h)).margin
            if natural.min_size * scale_factor(natural, w, h, margin) >= need - 1e-6:
                return f"{name} {orient}"
    return None


def run_preflight(data: DocumentData, map_id: int, paper: Paper | str = "A1",
                  distance_m: float | None = None, *, options: ExportOptions | None = None,
                  style: Style | None = None, natural: MapLayout | None = None
                  ) -> list[Problem]:
    """Every problem of one map printed on ``paper`` and read from ``distance_m`` metres.

    The rules read the natural layout with the page's fit (scale and offset), which
    is what :func:`~app.layout.transform.fit_to_page` would produce, without building
    the fitted copy. ``natural``: the map's natural layout when the caller has it.
    """
    options = options or ExportOptions()
    if isinstance(paper, str):
        paper = parse_paper(paper, options.orientation if options.orientation != "auto"
                            else "landscape")
    options.paper = paper
    style = style or Style()
    if natural is None:
        natural = natural_layout(data, map_id, options, style)
    sheet = choose_paper(natural, options)
    target = Target.for_paper(sheet, distance_m)
    fit = fit_params(natural, sheet.width, sheet.height, target.margin)
    problems: list[Problem] = []
    problems += _size(natural, natural.min_size * fit[0], sheet, distance_m)
    problems += _type_scale(natural)
    problems += _contrast(natural, fit[0])
    problems += _overflow(natural, fit, sheet, target.margin, distance_m)
    problems += _structure(data, map_id, natural)
    problems += _glyphs(natural)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(problems, key=lambda p: order[p.severity])


def _size(natural: MapLayout, min_size: float, sheet: Paper, distance_m: float | None
          ) -> list[Problem]:
    """``min_size``: the smallest text as printed on ``sheet``."""
    dist = distance_for(sheet, distance_m)
    need = min_text_pt(dist)
    if min_size >= need - 1e-6:
        return []
    suggestion = smallest_legible_paper(natural, distance_m)
    if suggestion is not None:
        where = f"it would be legible on {suggestion}"
    else:
        w, h = _poster_needed(natural, need)
        # A custom paper's default distance grows with its size, so the suggestion names the
        # distance it was computed for: with it, the suggested poster passes this check.
        at = "" if distance_m is not None else f" --distance {dist:g}m"
        usual = " at its usual viewing distance" if distance_m is None else ""
        where = (f"no sheet up to A0 is large enough{usual}; read from {dist:g} m it needs a "
                 f"poster of about {w} x {h} mm (e.g. --paper {w}x{h}mm{at} --tile A4), "
                 f"or split the map")
    return [Problem(
        "text-size", "error",
        f"smallest text prints at {min_size:.1f} pt on {sheet.label()}, below the "
        f"{need:.1f} pt needed at {dist:g} m; {where}",
    )]


def _poster_needed(natural: MapLayout, need: float) -> tuple[int, int]:
    """Landscape poster size in mm at which the smallest text reaches ``need`` points."""
    from app.layout.paper import MM

    s = need / natural.min_size
    w, h = natural.width * s, natural.height * s
    margin = min(w, h) * 0.03
    return (int(-(-(w + 2 * margin) // (10 * MM))) * 10,
            int(-(-(h + 2 * margin) // (10 * MM))) * 10)


def _type_scale(natural: MapLayout) -> list[Problem]:
    order = ["title", "stage", "lane", "card_title", "body"]
    sizes = [natural.sizes[k] for k in order if k in natural.sizes]
    if type_scale_ok(sizes):
        return []
    return [Problem("type-scale", "error",
                    "the type scale has a step smaller than 1.25x: "
                    + " > ".join(f"{k} {natural.sizes[k]:.1f}" for k in order))]


def _contrast(lay: MapLayout, s: float) -> list[Problem]:
    """Contrast rules; ``s`` scales the layout's text sizes to printed sizes."""
    out: list[Problem] = []
    need_of: dict[tuple[float, bool], float] = {}

    def need_for(size: float, bold: bool) -> float:
        key = (size, bold)
        need = need_of.get(key)
        if need is None:
            need = need_of[key] = required_contrast(size * s, bold)
        return need

    for st in lay.stages:
        for t in st.lines[:1]:
            need = need_for(t.size_pt, True)
            ratio = contrast_ratio(t.colour, st.fill)
            if ratio < need:
                out.append(Problem("contrast", "error",
                                   f"stage header text {t.colour} on {st.fill} has contrast "
                                   f"{ratio:.2f}:1, needs {need:g}:1", stage_id=st.stage_id))
    for card in lay.cards.values():
        seen = False
        last = None
        for t in (*card.title_lines, *card.body_lines):
            key = (t.colour, t.size_pt, t.font)
            if key == last:  # lines of a paragraph share colour, size and font
                continue
            last = key
            need = need_for(t.size_pt, t.font.startswith("bold"))
            ratio = contrast_ratio(t.colour, card.fill)
            if ratio < need and not seen:
                seen = True
                out.append(Problem("contrast", "error",
                                   f"card text {t.colour} on {card.fill} has contrast "
                                   f"{ratio:.2f}:1, needs {need:g}:1 (export with "
                                   f"--fix-contrast to repair)", card_id=card.card_id))
        for b in card.badges:
            if b.text is None:
                continue
            bg = b.fill or card.fill
            need = need_for(b.text.size_pt, b.text.font.startswith("bold"))
            ratio = contrast_ratio(b.text.colour, bg)
            if ratio < need:
                out.append(Problem("contrast", "error",
                                   f"{b.kind} label on a card has contrast {ratio:.2f}:1, needs "
                                   f"{need:g}:1", card_id=card.card_id))
        ratio = contrast_ratio(card.border, lay.background)
        if ratio < GRAPHICS_CONTRAST:
            out.append(Problem("contrast", "warning",
                               f"card border {card.border} has contrast {ratio:.2f}:1 against "
                               f"the page, needs 3:1", card_id=card.card_id))
    if lay.curve is not None:
        ratio = contrast_ratio(lay.curve.colour, lay.background)
        if ratio < GRAPHICS_CONTRAST:
            out.append(Problem("contrast", "error",
                               f"the emotion curve has contrast {ratio:.2f}:1, needs 3:1",
                               lane_id=lay.curve.lane_id))
    return out


def _overflow(natural: MapLayout, fit: tuple[float, float, float], sheet: Paper, margin: float,
              distance_m: float | None) -> list[Problem]:
    """Overflow rules; ``fit`` = (scale, dx, dy) places ``natural`` on the sheet."""
    out: list[Problem] = []
    s, dx, _dy = fit
    # At the smallest legible size, would the card still fit on the page?
    legible_scale = min_text_pt(distance_for(sheet, distance_m)) / natural.min_size
    for card in natural.cards.values():
        if card.rect.h * legible_scale > sheet.height - 2 * margin:
            out.append(Problem("overflow", "error",
                               f"card is too long to fit on {sheet.label()} at the smallest "
                               f"legible size; shorten its text or split it",
                               card_id=card.card_id))
    for card in natural.cards.values():
        for b in card.badges:
            if b.full_text:
                out.append(Problem("overflow", "warning",
                                   f"{b.kind} label {b.full_text[:40]!r} is too long for the "
                                   f"card and prints shortened", card_id=card.card_id))
        # The card and its lines as printed (the same arithmetic as fit_to_page).
        r = card.rect
        left = r.x * s + dx
        right = left + r.w * s
        for t in card.text_lines():
            x = t.x * s + dx
            if x + t.width * s > right + 0.01 or x < left - 0.01:
                out.append(Problem("overflow", "error",
                                   f"text {t.text[:30]!r} runs outside its card",
                                   card_id=card.card_id))
                break
    shrunk = [c for c in natural.cards.values() if c.shrunk]
    for card in shrunk[:3]:
        out.append(Problem("shrunk", "info",
                           f"card title set at {card.title_size * s:.1f} pt (smaller than other "
                           f"card titles) to fit; consider shortening it", card_id=card.card_id))
    if len(shrunk) > 3:
        out.append(Problem("shrunk", "info",
                           f"{len(shrunk) - 3} more card titles were set smaller to fit"))
    return out


#: At most this many cards are named by the missing-glyph rule (then a count of the rest).
GLYPH_CARDS_NAMED = 10


def _glyphs(lay: MapLayout) -> list[Problem]:
    """Characters no available font covers (shipped fallbacks and system fonts included):
    they would print as empty boxes."""
    from app.layout.fonts import has_missing_glyphs, missing_glyphs

    out: list[Problem] = []
    unnamed = 0
    for card in lay.cards.values():
        parts = [("".join([t.text for t in lines]), lines[0].font)  # one font per part
                 for lines in (card.title_lines, card.body_lines) if lines]
        if not any(has_missing_glyphs(text, font) for text, font in parts):
            continue
        if len(out) >= GLYPH_CARDS_NAMED:
            unnamed += 1
            continue
        missing = "".join(dict.fromkeys("".join(missing_glyphs(*part) for part in parts)))
        title = " ".join(t.text for t in card.title_lines)[:40]
        out.append(Problem(
            "glyphs", "warning",
            f"card {title!r} has characters no available font can print: "
            f"{missing[:12]!r}{'…' if len(missing) > 12 else ''}; they print as empty boxes",
            card_id=card.card_id))
    headers = [*lay.title.title_lines, *lay.title.meta_lines,
               *(t for p in lay.phases for t in p.lines), *(t for s in lay.stages for t in s.lines),
               *(t for ln in lay.lanes for t in ln.lines)]
    other = "".join(dict.fromkeys("".join(missing_glyphs(t.text, t.font) for t in headers)))
    if other:
        out.append(Problem("glyphs", "warning",
                           f"titles or headers have characters no available font can print: "
                           f"{other[:12]!r}; they print as empty boxes"))
    if unnamed:
        out.append(Problem("glyphs", "warning",
                           f"{unnamed} more cards have characters no available font can print"))
    return out


def _structure(data: DocumentData, map_id: int, lay: MapLayout) -> list[Problem]:
    out: list[Problem] = []
    stage_ids = {s.id for s in data.stages_of(map_id)}
    lanes = {ln.id: ln for ln in data.lanes_of(map_id)}
    counts = {sid: 0 for sid in stage_ids}
    for c in data.cards.values():
        if c.map_id != map_id:
            continue
        if c.stage_id not in stage_ids or c.lane_id not in lanes:
            out.append(Problem("orphan", "error", f"card {c.title[:40]!r} has no stage or lane "
                               "in this map", card_id=c.id))
            continue
        counts[c.stage_id] += 1
        if lanes[c.lane_id].collapsed:
            out.append(Problem("orphan", "warning",
                               f"card {c.title[:40]!r} is in the collapsed lane "
                               f"{lanes[c.lane_id].name!r} and will not print",
                               card_id=c.id, lane_id=c.lane_id))
    for st in lay.stages:
        if st.empty:
            name = data.stages[st.stage_id].name
            out.append(Problem("empty-stage", "warning", f"stage {name!r} has no cards",
                               stage_id=st.stage_id))
    for sid, n in counts.items():
        others = [m for k, m in counts.items() if k != sid]
        if len(others) >= 2 and n > 8 and n > 3 * max(1.0, sum(others) / len(others)):
            out.append(Problem("unbalanced", "warning",
                               f"stage {data.stages[sid].name!r} holds {n} cards, over three "
                               f"times the other stages' average; consider splitting it",
                               stage_id=sid))
    if not stage_ids:
        out.append(Problem("empty-stage", "warning", "the map has no stages"))
    out += _assumptions_only(data, map_id)
    return out


def _assumptions_only(data: DocumentData, map_id: int) -> list[Problem]:
    """A warning for each stage whose cards are all marked as assumptions."""
    from app.analysis.findings import evidence
    from app.layout.overlays import placed_only

    data = placed_only(data, map_id)
    out = []
    for stage, ev in zip(data.stages_of(map_id), evidence(data, map_id), strict=True):
        if ev.cards and ev.assumptions == ev.cards:
            out.append(Problem("evidence", "warning",
                               f"stage {stage.name!r} rests on assumptions only ({ev.cards} "
                               "cards); back it with research, survey data or feedback",
                               stage_id=stage.id))
    return out
