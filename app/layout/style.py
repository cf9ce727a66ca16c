"""Style (sizes, spacing, palette) and target (canvas or paper) of a layout.

Sizes are in *natural* points: the canvas shows them at 1 scene unit = 1 pt,
and a paper target scales the whole layout uniformly to fit the sheet, so line
breaks never depend on the target. Every spacing is a multiple of the body size
so the proportions stay right when a style is made larger.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from app.layout.logo import Logo
from app.layout.paper import Paper
from app.layout.rules import OKABE_ITO, TOL_MUTED, TYPE_SCALE_STEP, mix, rules_step_sizes
from app.model.schema import CardKind, LaneKind

#: Card kind -> (base colour, marker shape). Colour *and* shape name a kind. Keyed by the
#: enum (a kind's text value finds its entry too); a test checks every kind has one.
KIND_STYLE: dict[CardKind, tuple[str, str]] = {
    CardKind.TOUCHPOINT: (OKABE_ITO["blue"], "circle"),
    CardKind.ACTION: (OKABE_ITO["sky_blue"], "square"),
    CardKind.THOUGHT: (OKABE_ITO["reddish_purple"], "hexagon"),
    CardKind.EMOTION: (OKABE_ITO["yellow"], "diamond"),
    CardKind.GOAL: (OKABE_ITO["bluish_green"], "star"),
    CardKind.PAIN_POINT: (OKABE_ITO["vermillion"], "triangle_down"),
    CardKind.OPPORTUNITY: (OKABE_ITO["orange"], "triangle_up"),
    CardKind.NOTE: (OKABE_ITO["grey"], "bar"),
}
KIND_LABEL: dict[CardKind, str] = {
    CardKind.TOUCHPOINT: "Touchpoint", CardKind.ACTION: "Action",
    CardKind.THOUGHT: "Thought", CardKind.EMOTION: "Emotion", CardKind.GOAL: "Goal",
    CardKind.PAIN_POINT: "Pain point", CardKind.OPPORTUNITY: "Opportunity",
    CardKind.NOTE: "Note",
}
#: Lane kind -> the card kind whose marker labels the lane (None: a custom lane has none).
LANE_MARKER: dict[LaneKind, CardKind | None] = {
    LaneKind.TOUCHPOINTS: CardKind.TOUCHPOINT, LaneKind.ACTIONS: CardKind.ACTION,
    LaneKind.THOUGHTS: CardKind.THOUGHT, LaneKind.EMOTIONS: CardKind.EMOTION,
    LaneKind.GOALS: CardKind.GOAL, LaneKind.PAIN_POINTS: CardKind.PAIN_POINT,
    LaneKind.OPPORTUNITIES: CardKind.OPPORTUNITY, LaneKind.CHANNELS: CardKind.TOUCHPOINT,
    LaneKind.BACKSTAGE: CardKind.ACTION, LaneKind.CUSTOM: None,
}
#: Emotion score -> (shape, colour, label). Shape and sign carry the meaning, colour repeats it.
EMOTION_STYLE: dict[int, tuple[str, str, str]] = {
    2: ("chevron_up", "#007a56", "+2 delighted"),
    1: ("triangle_up", "#009e73", "+1 pleased"),
    0: ("circle", "#6b6b6b", "0 neutral"),
    -1: ("triangle_down", "#d55e00", "−1 annoyed"),
    -2: ("chevron_down", "#a33a00", "−2 frustrated"),
}


def channel_colour(name: str, index: int) -> str:
    """A channel chip colour from Paul Tol's muted scheme (stable by first-seen order)."""
    return TOL_MUTED[index % len(TOL_MUTED)]


@dataclass(frozen=True)
class Style:
    """Everything a layout needs besides the data; sizes in natural points."""

    body_pt: float = 10.0
    step: float = TYPE_SCALE_STEP
    card_width_em: float = 14.0  # card width in body sizes
    lane_label_em: float = 9.0
    gutter_em: float = 0.7
    padding_em: float = 0.6
    empty_cell_em: float = 3.0  # height of an empty lane row
    collapsed_lane_em: float = 2.2
    curve_band_em: float = 5.0
    max_title_lines: int = 4
    max_slots: int = 2  # at most this many card columns per stage (balance ratio bound)
    slot_threshold: int = 4  # a stage gets 2 card columns when a cell holds this many cards
    column_rule: Literal["equal", "content"] = "content"
    background: str = "#ffffff"
    text: str = "#1a1a1a"
    muted_text: str = "#4d4d4d"
    grid: str = "#b3b3b3"
    header_fill: str = "#2b3a4a"
    header_text: str = "#ffffff"
    phase_fill: str = "#dfe6ee"
    lane_fill: str = "#f1f3f5"
    card_tint: float = 0.80  # how far card fills are mixed towards white
    show_legend: bool = True
    show_links: bool = True
    kind_colours: dict[str, str] = field(
        default_factory=lambda: {k: v[0] for k, v in KIND_STYLE.items()}
    )
    fix_contrast: bool = False  # repair user colours that fail WCAG (export --fix-contrast)
    # What the map tells you (app/layout/heat.py, evidence.py, funnel.py):
    heat_metric: str | None = None  # colour cards by this metric, with a scale legend
    funnel_metric: str | None = None  # draw the stages as a funnel of this metric
    show_evidence: bool = False  # evidence coverage bar under each stage header
    dim_assumptions: bool = False  # lighter, dashed cards for assumptions
    # A poster composed for the paper (app/layout/compose.py) sets every size from the
    # legibility rule per role: (size key, points) pairs; empty = the screen's type scale.
    role_sizes: tuple[tuple[str, float], ...] = ()
    # The page's printable aspect (width / height) the card columns are chosen for.
    target_aspect: float = 1.414
    # Extra room a composed poster hands out: (points added to the grid's width, points
    # added to the height: first to the emotion band, the rest shared by the lanes).
    stretch: tuple[float, float] = (0.0, 0.0)
    hero_band: float = 0.0  # the emotion band's height on a composed poster (0 = from em)
    # The canvas while editing: (stage id, card columns) a stage keeps at least, so moving
    # a card never makes columns jump narrower and back (issue 16); empty on paper.
    sticky_slots: tuple[tuple[int, int], ...] = ()
    # The brand logo at the start of the title block (app/layout/logo.py), or none.
    logo: Logo | None = None

    @property
    def sizes(self) -> dict[str, float]:
        """Size key -> points: body < card_title < lane < stage < title (and phase,
        curve labels, footer); from ``role_sizes`` on a composed poster."""
        if self.role_sizes:
            return dict(self.role_sizes)
        sizes = rules_step_sizes(self.body_pt, self.step)
        sizes.update(phase=sizes["lane"], curve=self.body_pt, footer=self.body_pt)
        return sizes

    def em(self, n: float) -> float:
        """``n`` body sizes in points."""
        return n * self.body_pt

    def card_fill(self, kind: str) -> str:
        """Light tint of a kind's colour."""
        return mix(self.kind_colours.get(kind, OKABE_ITO["grey"]), "#ffffff", self.card_tint)

    def with_body(self, body_pt: float) -> Style:
        """A copy with another body size (everything else scales with it)."""
        return replace(self, body_pt=body_pt)


@dataclass(frozen=True)
class Target:
    """Where a layout goes: the canvas (scale 1) or a sheet of paper (fit to page)."""

    kind: Literal["screen", "paper"] = "screen"
    paper: Paper | None = None
    margin: float = 0.0  # page margin in points (paper only)
    distance_m: float | None = None  # viewing distance, for the minimum text size

    @staticmethod
    def screen() -> Target:
        """The canvas: natural size, no page."""
        return Target()

    @staticmethod
    def for_paper(paper: Paper, distance_m: float | None = None) -> Target:
        """A sheet with margins scaled to its size (2 % of the short side, at least 8 mm)."""
        margin = max(8 * 72 / 25.4, min(paper.width, paper.height) * 0.02)
        return Target("paper", paper, margin, distance_m)
