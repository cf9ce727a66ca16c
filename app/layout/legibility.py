"""The legibility rule, per role: each text role is read from its own distance.

The rule (a product decision, documented in docs/guide/printing.md):

    cap height >= reading distance / 200

the FAA's 1/200 ratio of letter height to viewing distance (one inch of
capital letter per 200 inches of distance), the usual rule of thumb of
wayfinding and sign design. The cap height is that of the font
actually printed, read from the font file (the top of its "H" glyph), so the
size a role needs is ``distance / 200 / cap_height_em``: for DejaVu Sans
(cap height 0.729 em) about 19.4 pt per metre.

With D the poster's viewing distance:

=========================================  ===============  =================
role                                       read from        A1 (D = 1 m)
=========================================  ===============  =================
``title``: the map title                   3 D              >= 58 pt
``stage``: stage and phase headers         2 D              >= 39 pt
``label``: lane labels, card titles,       D                >= 19.4 pt
curve labels
``body``: card bodies, chips, metrics,     D / 2, never     >= 9.7 pt
legend entries                             below 8 pt
``footer``: footer, export date, tiling    in the hand,     6 pt
notes                                      never below 6 pt
=========================================  ===============  =================

D defaults by the *physical* size of the sheet (its long side), so the same
sheet gets the same D whatever its name: A0 1.2 m, A1 1.0, A2 0.8, A3 0.6,
A4/Letter 0.4, and between those sizes interpolated along the ISO series.
"""

from __future__ import annotations

import itertools
import struct
from dataclasses import dataclass, replace

from app.layout.boxes import MapLayout, TextLine
from app.layout.paper import MM

#: The roles of printed text, most distant first.
ROLES: tuple[str, ...] = ("title", "stage", "label", "body", "footer")
ROLE_LABELS: dict[str, str] = {
    "title": "map title",
    "stage": "stage and phase headers",
    "label": "lane labels, card titles, curve labels",
    "body": "card bodies, chips, metrics, legend",
    "footer": "footer and notes",
}
#: Role -> its reading distance as a multiple of the poster's D (the footer is read in
#: the hand: :data:`HAND_DISTANCE_M`, whatever D is).
ROLE_FACTORS: dict[str, float] = {"title": 3.0, "stage": 2.0, "label": 1.0, "body": 0.5}
HAND_DISTANCE_M = 0.3
#: Role -> the smallest size ever printed for it, in points.
ROLE_FLOORS: dict[str, float] = {"title": 8.0, "stage": 8.0, "label": 8.0, "body": 8.0,
                                 "footer": 6.0}
#: Role -> the font style it prints in (the cap height is that font's).
ROLE_FONTS: dict[str, str] = {"title": "bold", "stage": "bold", "label": "bold",
                              "body": "regular", "footer": "regular"}
#: Cap height >= distance / CAP_RATIO.
CAP_RATIO = 200.0

#: (long side in mm, default D in metres) along the ISO series; between them D is
#: interpolated, outside it clamped (Letter's 279 mm long side gets A4's 0.4 m).
_DISTANCE_STEPS: tuple[tuple[float, float], ...] = (
    (297.0, 0.4), (420.0, 0.6), (594.0, 0.8), (841.0, 1.0), (1189.0, 1.2),
)
MAX_DEFAULT_DISTANCE_M = 2.0


def default_distance_for_size(width_pt: float, height_pt: float) -> float:
    """The default viewing distance D (metres) of a sheet, from its physical long side."""
    long_mm = max(width_pt, height_pt) / MM
    steps = _DISTANCE_STEPS
    if long_mm <= steps[0][0] + 0.5:
        return steps[0][1]
    for (l0, d0), (l1, d1) in itertools.pairwise(steps):
        if long_mm <= l1 + 0.5:
            return round(d0 + (d1 - d0) * min(1.0, (long_mm - l0) / (l1 - l0)), 3)
    (l0, d0), (l1, d1) = steps[-2], steps[-1]
    return round(min(MAX_DEFAULT_DISTANCE_M, d1 + (d1 - d0) * (long_mm - l1) / (l1 - l0)), 3)


_CAP: dict[tuple[str, str], float] = {}


def cap_height_em(font_style: str) -> float:
    """Cap height of a poster font as a fraction of its size, from the font file (the
    primary face in use: DejaVu Sans, or the document's brand font).

    It is the top of the "H" glyph's outline (the font's OS/2 table of DejaVu Sans is
    version 1, without ``sCapHeight``, and reportlab reports the ascent instead).
    """
    from app.layout.fonts import chain

    primary = chain(font_style).primary
    key = (font_style, primary.path)
    found = _CAP.get(key)
    if found is not None:
        return found
    face = primary.pdf_font().face
    glyph = face.charToGlyph.get(ord("H"))
    if glyph is None:  # a font without Latin capitals: fall back on its ascent
        found = float(face.ascent) / 1000.0
    else:
        glyf = face.get_table_pos("glyf")[0]
        _n, _x0, _y0, _x1, y_max = struct.unpack(
            ">hhhhh", face.get_chunk(glyf + face.glyphPos[glyph], 10))
        found = y_max / face.unitsPerEm
    _CAP[key] = found
    return found


def size_for_distance(distance_m: float, font_style: str = "regular", floor: float = 0.0
                      ) -> float:
    """The point size whose cap height is ``distance_m / 200`` in ``font_style``."""
    cap_pt = distance_m * 1000.0 / CAP_RATIO * MM
    return max(floor, cap_pt / cap_height_em(font_style))


@dataclass(frozen=True)
class RoleDistances:
    """The distance (metres) each role is read from; ``None`` = the rule's default."""

    poster: float = 1.0  # D
    title: float | None = None
    stage: float | None = None
    label: float | None = None
    body: float | None = None
    footer: float | None = None

    def of(self, role: str) -> float:
        """The distance ``role`` is read from."""
        own = getattr(self, role)
        if own is not None:
            return own
        if role == "footer":
            return HAND_DISTANCE_M
        return ROLE_FACTORS[role] * self.poster

    def with_poster(self, distance_m: float) -> RoleDistances:
        """The same overrides with another D."""
        return replace(self, poster=distance_m)

    def describe(self) -> str:
        """'title 3 m, stage 2 m, ...' for messages."""
        return ", ".join(f"{r} {self.of(r):g} m" for r in ROLES)


def role_needs(distances: RoleDistances) -> dict[str, float]:
    """Role -> the smallest printed size (pt) that meets the rule at its distance."""
    return {r: size_for_distance(distances.of(r), ROLE_FONTS[r], ROLE_FLOORS[r]) for r in ROLES}


#: Layout size key (``Style.sizes``) -> the role whose rule it follows.
SIZE_ROLES: dict[str, str] = {
    "title": "title", "stage": "stage", "phase": "stage", "lane": "label",
    "card_title": "label", "curve": "label", "body": "body", "footer": "footer",
}


def style_sizes(needs: dict[str, float]) -> dict[str, float]:
    """The layout's size table (keys of :data:`SIZE_ROLES`) from role needs."""
    return {key: needs[role] for key, role in SIZE_ROLES.items()}


def role_lines(lay: MapLayout) -> dict[str, list[TextLine]]:
    """Every text line of a layout, by the role the rule reads it in.

    title: the map title; stage: stage headers and phase bands; label: lane labels,
    card titles, the curve's scale labels, the title block's meta line and legend
    headings; body: card bodies, chips, link labels, legend entries, the overlays'
    labels; footer: the footer.
    """
    out: dict[str, list[TextLine]] = {r: [] for r in ROLES}
    out["title"].extend(lay.title.title_lines)
    out["label"].extend(lay.title.meta_lines)
    for st in lay.stages:
        out["stage"].extend(st.lines)
    for p in lay.phases:
        out["stage"].extend(p.lines)
    for ln in lay.lanes:
        out["label"].extend(ln.lines)
    label, body = out["label"], out["body"]
    for c in lay.cards.values():
        label.extend(c.title_lines)
        body.extend(c.body_lines)
        body.extend(b.text for b in c.badges if b.text is not None)
    if lay.curve is not None:
        label.extend(lay.curve.labels)
    body.extend(k.label for k in lay.links if k.label is not None)
    if lay.legend is not None:
        label.extend(lay.legend.headings)
        body.extend(e.label for e in lay.legend.entries)
    body.extend(s.label for s in lay.stage_heat)
    body.extend(b.label for b in lay.evidence)
    if lay.heat is not None:
        body.extend(lay.heat.lines)
    if lay.funnel is not None:
        body.extend(lay.funnel.lines)
        for step in lay.funnel.steps:
            body.extend(step.lines)
    out["footer"].extend(lay.footer)
    return out


def role_sizes_printed(lay: MapLayout) -> dict[str, float]:
    """Role -> the smallest size (pt) any of its lines prints at (roles without text left out)."""
    return {r: min(t.size_pt for t in lines) for r, lines in role_lines(lay).items() if lines}
