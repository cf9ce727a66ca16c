"""#18 (4): the preflight's ways out rule out, without a layout, the sheets on which a map
far too large cannot pass (``fit_bound``), and never one on which it passes.

Before, every way out (twenty standard sheets, the split sheets, custom sizes) laid the
whole map out: at 100,000 cards ``waymark check`` ran for more than 15 minutes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from layout_maps import build, csv_data, sample_data, scripts_data

from app.export.common import ExportOptions
from app.export.prepare import compose_for, trial_passes
from app.layout import caches
from app.layout.compose import compose, fit_bound
from app.layout.legibility import RoleDistances
from app.layout.paper import parse_paper
from app.model import limits
from app.model.schema import LaneKind

MAPS = {"sample": sample_data, "scripts": scripts_data,
        "ikea": lambda: csv_data("ikea-couch.csv"),
        "restaurant": lambda: csv_data("restaurant-blueprint.csv"),
        "viaje": lambda: csv_data("viaje-dos-personas.csv")}


@pytest.mark.parametrize("name", sorted(MAPS))
def test_no_layout_fits_better_than_the_bound(name: str) -> None:
    """The bound is an upper bound of the scale every composition reaches, on every sheet,
    orientation and distance (tight ones included: a portrait sheet is near it)."""
    data = MAPS[name]()
    closest = 0.0
    with caches.LayoutCache("bound test").measuring():
        for paper in ("A4", "A2", "A0", "Letter"):
            for turn in ("landscape", "portrait"):
                for distance in (0.3, 1.0, 2.5):
                    sheet, far = parse_paper(paper, turn), RoleDistances(distance)
                    k = compose(data, 1, sheet, far, trial=True).natural_fit
                    bound = fit_bound(data, 1, sheet, far)
                    assert k <= bound, (paper, turn, distance, k, bound)
                    closest = max(closest, k / bound)
    assert closest > 0.5  # a bound that rules nothing out would pass the test above


def _crowded(cards: int) -> object:
    stages = [f"Étape {i}" for i in range(12)]
    lanes = [("Actions", LaneKind.ACTIONS), ("Pain points", LaneKind.PAIN_POINTS),
             ("Emotions", LaneKind.EMOTIONS)]
    specs = [dict(stage=stages[i % 12], lane=lanes[i % 3][0],
                  title=f"appeler le service n°{i} 比較する", body="mesurer la porte, " * (i % 4),
                  emotion=(i % 5 - 2) if i % 3 == 2 else None, channel="web")
             for i in range(cards)]
    return build(stages, lanes, specs)


def test_a_map_far_too_large_is_ruled_out_without_laying_it_out() -> None:
    data = _crowded(3000)
    options = ExportOptions()
    options.paper = parse_paper("A3", "landscape")
    for turn in ("landscape", "portrait", "auto"):
        trial = replace(options, orientation=turn)
        with caches.LayoutCache("ruled out").measuring() as cache:
            assert trial_passes(data, 1, trial) is None
            assert cache.sizes()["card_texts"] == 0  # no card was measured
        assert not compose_for(data, 1, trial, trial=True).passes  # the same verdict
    # the same map on a sheet it fills is laid out and passes
    big = replace(options, paper=parse_paper("3400x5000mm", "portrait"),
                  orientation="portrait", distance_m=0.3)
    assert compose_for(data, 1, big, trial=True).passes
    assert trial_passes(data, 1, big) is not None


def test_the_layout_caches_hold_a_document_at_its_limits() -> None:
    """Emptied in the middle of a layout of a large map, they made it measure most of its
    cards again for each layout of one poster."""
    assert caches.CARD_TEXTS_MAX >= 2 * limits.MAX_CARDS
    assert caches.PLACED_MAX >= limits.MAX_CARDS
    assert caches.LINKS_MAX >= limits.MAX_LINKS


def _cuts_by_every_cut(load: list[int], sheets: int) -> list[tuple[int, int]]:
    """The split the preflight made before (every cut tried against every other)."""
    n, k = len(load), min(sheets, len(load))
    prefix = [0]
    for v in load:
        prefix.append(prefix[-1] + v)
    best = [[float("inf")] * (n + 1) for _ in range(k + 1)]
    cut = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0
    for j in range(1, k + 1):
        for i in range(j, n + 1):
            for m in range(j - 1, i):
                worst = max(best[j - 1][m], prefix[i] - prefix[m])
                if worst < best[j][i]:
                    best[j][i], cut[j][i] = worst, m
    out, i = [], n
    for j in range(k, 0, -1):
        out.append((cut[j][i], i))
        i = cut[j][i]
    return out[::-1]


def test_stage_groups_are_the_same_cuts_as_trying_every_cut() -> None:
    """The split search is a binary search now (a 1,000-stage map took seconds per split
    tried): the very same groups, ties included, for loads of every shape."""
    import random

    from app.export.split import stage_groups

    rng = random.Random(18)
    shapes = [[1] * 9, [5, 1, 1, 1, 5], [1, 40, 1, 1, 1, 1, 40, 1], [3] * 30]
    shapes += [[1 + rng.choice((0, 0, 1, 3, 20)) * rng.randint(0, 9) for _ in range(rng.randint(1, 60))]
               for _ in range(150)]
    for load in shapes:
        stages = [f"s{i}" for i in range(len(load))]
        cards = [dict(stage=stages[i], lane="Actions", title="t")
                 for i, v in enumerate(load) for _ in range(v - 1)]
        data = build(stages, [("Actions", LaneKind.ACTIONS)], cards)
        ids = [s.id for s in data.stages_of(1)]
        for sheets in (1, 2, 3, 5, 8, 70):
            want = [tuple(ids[a:b]) for a, b in _cuts_by_every_cut(load, sheets)]
            assert stage_groups(data, 1, sheets) == want, (load, sheets)
