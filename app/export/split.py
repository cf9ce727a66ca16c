"""A dense map split by its stages onto several sheets (``--split-stages``): the way out
for a map too dense for any one sheet of the size wanted, besides a bigger sheet, a
closer reading distance, a sheet per phase or tiling one huge poster.

The stages are cut into consecutive groups balanced by their cards (each group a sheet,
in journey order); every sheet is composed and checked like a poster of its own, its
title naming the part ("sheet 2 of 3: Research – Visit store").
"""

from __future__ import annotations

from dataclasses import replace

from app.errors import ExportError
from app.export.common import ExportOptions
from app.export.prepare import trial_passes
from app.layout.style import Style
from app.model.schema import DocumentData

#: The most sheets the search for a passing split tries.
MAX_SHEETS = 8


def stage_groups(data: DocumentData, map_id: int, sheets: int) -> list[tuple[int, ...]]:
    """The map's stages (ids, in order) cut into ``sheets`` consecutive groups whose
    largest load (cards, plus one for the stage's own column) is as small as it can be;
    ties keep the earlier cut. Fewer stages than sheets: one stage a sheet."""
    stages = data.stages_of(map_id)
    if not stages:
        raise ExportError("the map has no stages to split")
    if sheets < 1:
        raise ExportError("--split-stages needs at least one sheet")
    count = {s.id: 1 for s in stages}
    for c in data.cards.values():
        if c.map_id == map_id and c.stage_id in count:
            count[c.stage_id] += 1
    load = [count[s.id] for s in stages]
    n, k = len(load), min(sheets, len(load))
    prefix = [0]
    for v in load:
        prefix.append(prefix[-1] + v)
    inf = float("inf")
    # best[j][i]: the smallest largest load of the first i stages on j sheets; cut[j][i]:
    # the earliest m (the first j - 1 sheets take the first m stages) reaching it
    best = [[inf] * (n + 1) for _ in range(k + 1)]
    cut = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0
    for j in range(1, k + 1):
        before, here, cuts = best[j - 1], best[j], cut[j]
        for i in range(j, n + 1):
            m = _crossing(before, prefix, j - 1, i)
            # left of m the last sheet's load decides (it falls as m grows: every stage
            # weighs at least 1), from m on the first sheets' (it never falls): the least
            # largest load is at m - 1 or m, the earlier on a tie
            if m > j - 1 and prefix[i] - prefix[m - 1] <= before[m]:
                m -= 1
            here[i], cuts[i] = max(before[m], prefix[i] - prefix[m]), m
    bounds = []
    i = n
    for j in range(k, 0, -1):
        m = cut[j][i]
        bounds.append((m, i))
        i = m
    return [tuple(s.id for s in stages[a:b]) for a, b in reversed(bounds)]


def _crossing(before: list[float], prefix: list[int], lo: int, i: int) -> int:
    """The first m in [lo, i - 1] where the first sheets' largest load ``before[m]`` (never
    falling as m grows) reaches the last sheet's ``prefix[i] - prefix[m]`` (falling as
    it grows); i - 1 when none does. A binary search: the split of a 1,000-stage map
    into up to 8 sheets compared every cut with every other (seconds per split tried)."""
    hi = i - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if before[mid] >= prefix[i] - prefix[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def sheet_options(options: ExportOptions, group: tuple[int, ...]) -> ExportOptions:
    """The options printing only ``group``'s stages (no other stage selection)."""
    return replace(options, stage_ids=group, phase=None, stages=(), all_maps=False,
                   role_distances=dict(options.role_distances))


def sheet_data(data: DocumentData, map_id: int, group: tuple[int, ...], index: int,
               total: int) -> DocumentData:
    """``data`` whose map title names the sheet: "Title — sheet 2 of 3: Research – Visit"."""
    first, last = data.stages[group[0]].name.strip(), data.stages[group[-1]].name.strip()
    span = first if len(group) == 1 else f"{first} – {last}"
    jm = data.maps[map_id]
    titled = jm.model_copy(update={"title": f"{jm.title} — sheet {index} of {total}: {span}"})
    return data.model_copy(update={"maps": {**data.maps, map_id: titled}})


def describe(data: DocumentData, groups: list[tuple[int, ...]]) -> str:
    """'Discover – Research / Visit store – Assemble' for messages."""
    parts = []
    for g in groups:
        first, last = data.stages[g[0]].name.strip(), data.stages[g[-1]].name.strip()
        parts.append(first if len(g) == 1 else f"{first} – {last}")
    return " / ".join(parts)


def passing_split(data: DocumentData, map_id: int, options: ExportOptions,
                  style: Style | None = None, most: int = MAX_SHEETS
                  ) -> list[tuple[int, ...]] | None:
    """The fewest sheets (2 to ``most``) on which every group of :func:`stage_groups`
    passes the legibility rule on ``options.paper``; None when no such split exists."""
    stages = data.stages_of(map_id)
    for n in range(2, min(most, len(stages)) + 1):
        groups = stage_groups(data, map_id, n)
        if all(trial_passes(data, map_id, sheet_options(options, g), style) is not None
               for g in groups):
            return groups
    return None
