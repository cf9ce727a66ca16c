"""Findings over one map: ranked pain points and opportunities, stages missing a
touchpoint or a goal, evidence coverage, the funnel by a metric, overdue reviews."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.analysis.emotion import by_stage, emotion_by_stage_id
from app.model.schema import CardKind, DataSource, DocumentData, LaneKind
from app.wording import counted


@dataclass(frozen=True)
class RankedCard:
    """A pain point or opportunity with what ranks it."""

    card_id: int
    kind: str
    title: str
    stage: str
    votes: int
    emotion: float | None  # the card's own score, else its stage's average
    metric: float | None  # the chosen metric's value on the card, when asked for


def ranked(data: DocumentData, map_id: int, kind: CardKind,
           metric: str | None = None) -> list[RankedCard]:
    """Cards of ``kind`` ranked: most votes first, then lowest emotion around them, then
    the highest value of ``metric``, then map order."""
    emotion = emotion_by_stage_id(data, map_id)
    stage_names = {s.id: s.name for s in data.stages_of(map_id)}
    out = []
    for c in data.cards_of(map_id):
        if c.kind is not kind:
            continue
        feeling = float(c.emotion) if c.emotion is not None else emotion[c.stage_id]
        out.append(RankedCard(c.id, kind.value, c.title, stage_names[c.stage_id], c.votes,
                              feeling, c.metrics.get(metric) if metric else None))
    order = {r.card_id: i for i, r in enumerate(out)}
    return sorted(out, key=lambda r: (
        -r.votes, r.emotion if r.emotion is not None else 99,
        -(r.metric if r.metric is not None else float("-inf")), order[r.card_id]))


@dataclass(frozen=True)
class MissingParts:
    """Stages with no touchpoint and stages with no goal."""

    no_touchpoint: list[str]
    no_goal: list[str]


def missing_parts(data: DocumentData, map_id: int) -> MissingParts:
    """Stages that have no touchpoint card (or card in a touchpoint lane), and no goal."""
    lane_kinds = {lane.id: lane.kind for lane in data.lanes_of(map_id)}
    no_touch, no_goal = [], []
    cards = by_stage(data.cards_of(map_id))
    for stage in data.stages_of(map_id):
        here = cards.get(stage.id, [])
        if not any(c.kind is CardKind.TOUCHPOINT or lane_kinds[c.lane_id] in (
                LaneKind.TOUCHPOINTS, LaneKind.CHANNELS) for c in here):
            no_touch.append(stage.name)
        if not any(c.kind is CardKind.GOAL or lane_kinds[c.lane_id] is LaneKind.GOALS
                   for c in here):
            no_goal.append(stage.name)
    return MissingParts(no_touch, no_goal)


@dataclass(frozen=True)
class Evidence:
    """How much of one stage rests on customer data."""

    stage: str
    cards: int
    backed: int  # source observed, survey, solicited or unsolicited
    assumptions: int  # source assumption
    unstated: int  # no source

    @property
    def share(self) -> float | None:
        """Backed cards / all cards (None for an empty stage)."""
        return round(self.backed / self.cards, 3) if self.cards else None

    @property
    def warning(self) -> str | None:
        """A warning when the stage has cards and none is backed by data."""
        if not self.cards or self.backed:
            return None
        if self.assumptions == self.cards:
            return f"stage {self.stage!r} rests on assumptions only ({counted(self.cards, 'card')})"
        return (f"stage {self.stage!r} has no card backed by research "
                f"({counted(self.assumptions, 'assumption')}, {self.unstated} without a source)")


def evidence(data: DocumentData, map_id: int) -> list[Evidence]:
    """Evidence coverage per stage, left to right."""
    cards = by_stage(data.cards_of(map_id))
    out = []
    for stage in data.stages_of(map_id):
        here = cards.get(stage.id, [])
        out.append(Evidence(
            stage.name, len(here),
            sum(1 for c in here if c.source is not None and c.source.is_evidence),
            sum(1 for c in here if c.source is DataSource.ASSUMPTION),
            sum(1 for c in here if c.source is None)))
    return out


@dataclass(frozen=True)
class FunnelStep:
    """One stage of the funnel by a metric."""

    stage: str
    value: float | None  # the metric over the stage's cards (summed or averaged)
    change: float | None  # relative to the previous stage with a value (-0.4 = 40% lost)
    emotion: float | None
    coincides: bool  # a loss where the emotion is negative too


#: Metric names that are rates or scores: averaged per stage, not summed.
RATE_WORDS = ("rate", "conversion", "drop", "nps", "csat", "ces", "score", "satisfaction", "%",
              "percent", "share", "ratio")


def aggregation_for(metric: str) -> str:
    """'mean' for rates and scores (conversion, NPS, CSAT...), else 'sum' (reach, visits)."""
    low = metric.casefold()
    return "mean" if any(word in low for word in RATE_WORDS) else "sum"


#: Metric names where a lower value is better (losses, waits, effort, complaints).
LOWER_IS_BETTER = ("drop", "churn", "abandon", "bounce", "exit", "wait", "time", "duration",
                   "complaint", "error", "fail", "cost", "effort", "ces", "contacts", "refund",
                   "return")
#: Metric names where a higher value is better (scores, conversion, retention).
HIGHER_IS_BETTER = ("nps", "csat", "satisfaction", "conversion", "retention", "success",
                    "completion", "rating", "score", "reach", "visitors", "sessions", "users",
                    "revenue", "sales", "engagement", "click", "open")


def metric_direction(metric: str) -> str | None:
    """'higher' or 'lower' (which way is better) for a metric name, None when unknown.

    Losses (drop-off, churn, wait time, effort) read as lower-is-better and are checked
    first, so 'drop-off rate' is lower-is-better although 'rate' appears elsewhere.
    """
    low = metric.casefold()
    if any(word in low for word in LOWER_IS_BETTER):
        return "lower"
    if any(word in low for word in HIGHER_IS_BETTER):
        return "higher"
    return None


def funnel(data: DocumentData, map_id: int, metric: str,
           how: str | None = None) -> list[FunnelStep]:
    """The stages as a funnel of ``metric``, with the change between stages and whether a
    loss meets a low moment of the emotion curve.

    ``how`` is 'sum' or 'mean' per stage; by default rates and scores are averaged and
    counts summed (see :func:`aggregation_for`).
    """
    how = how or aggregation_for(metric)
    emotion = emotion_by_stage_id(data, map_id)
    cards = by_stage(data.cards_of(map_id))
    key = metric.casefold()
    out: list[FunnelStep] = []
    previous: float | None = None
    for stage in data.stages_of(map_id):
        values = [v for c in cards.get(stage.id, ())
                  for name, v in c.metrics.items() if name.casefold() == key]
        value = (sum(values) if how == "sum" else sum(values) / len(values)) if values else None
        change = None
        if value is not None and previous not in (None, 0):
            assert previous is not None
            change = round((value - previous) / abs(previous), 4)
        feeling = emotion[stage.id]
        out.append(FunnelStep(stage.name, value, change, feeling,
                              bool(change is not None and change < 0
                                   and feeling is not None and feeling < 0)))
        if value is not None:
            previous = value
    return out


def metric_names(data: DocumentData, map_id: int) -> list[str]:
    """Every metric name on the map's cards, in first-seen order."""
    names: dict[str, None] = {}  # an ordered set: a list's `in` made this quadratic
    for c in data.cards_of(map_id):
        names.update(dict.fromkeys(c.metrics))
    return list(names)


@dataclass(frozen=True)
class Review:
    """Whether a map's periodic review is due."""

    map_id: int
    title: str
    last_reviewed: dt.date | None
    due: dt.date | None
    overdue_days: int  # 0 when not overdue (or never reviewed)

    def describe(self) -> str:
        """One line for the user."""
        if self.last_reviewed is None:
            return f"map {self.title!r} has never been reviewed"
        if self.overdue_days > 0:
            return (f"map {self.title!r} is {self.overdue_days} days overdue for review "
                    f"(due {self.due})")
        return f"map {self.title!r} is next due for review on {self.due}"


def review_status(data: DocumentData, map_id: int, today: dt.date | None = None) -> Review:
    """The review status of one map: last_reviewed + review_interval_days vs ``today``."""
    m = data.maps[map_id]
    today = today or dt.date.today()
    if m.last_reviewed is None:
        return Review(m.id, m.title, None, None, 0)
    due = m.last_reviewed + dt.timedelta(days=m.review_interval_days)
    return Review(m.id, m.title, m.last_reviewed, due, max(0, (today - due).days))


def overdue_reviews(data: DocumentData, today: dt.date | None = None) -> list[Review]:
    """Every map whose review is overdue."""
    reviews = [review_status(data, m.id, today) for m in data.ordered_maps()]
    return [r for r in reviews if r.overdue_days > 0]
