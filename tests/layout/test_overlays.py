"""Heat map, evidence bars, dimmed assumptions and the funnel band in the layout engine."""

from __future__ import annotations

import dataclasses

import pytest

from app.export.preflight import _contrast, run_preflight
from app.layout import Style, Target, layout_map, parse_paper
from app.layout.evidence import row_height
from app.layout.heat import DIVERGING, NO_DATA, SEQUENTIAL
from app.layout.paint import PolyOp, RectOp, paint_ops
from app.layout.rules import GRAPHICS_CONTRAST, contrast_ratio, luminance, required_contrast
from app.model.schema import DataSource, LaneKind
from tests.layout.layout_maps import build

STAGES = ["Find", "Compare", "Buy", "Use"]
LANES = [("Touchpoints", LaneKind.TOUCHPOINTS), ("Emotions", LaneKind.EMOTIONS),
         ("Pain points", LaneKind.PAIN_POINTS)]


def metric_map():
    """Touchpoints with NPS, drop-off, reach and an unknown metric; one card without any."""
    cards = [
        dict(stage="Find", lane="Touchpoints", title="Ad", channel="web",
             metrics={"NPS": 20, "drop-off": 0.1, "reach": 1000, "widgets": 3}),
        dict(stage="Compare", lane="Touchpoints", title="Reviews",
             metrics={"NPS": -40, "drop-off": 0.5, "reach": 600, "widgets": 9}),
        dict(stage="Buy", lane="Touchpoints", title="Checkout",
             metrics={"NPS": 60, "drop-off": 0.3, "reach": 300, "widgets": 1}),
        dict(stage="Use", lane="Touchpoints", title="Manual", metrics={"NPS": 0}),
        dict(stage="Use", lane="Pain points", title="No metric here"),
        dict(stage="Find", lane="Emotions", title="Curious", emotion=1),
        dict(stage="Compare", lane="Emotions", title="Lost", emotion=-2),
        dict(stage="Buy", lane="Emotions", title="Relieved", emotion=0),
        dict(stage="Use", lane="Emotions", title="Fine", emotion=1),
    ]
    return build(STAGES, LANES, cards)


def card_by_title(data, lay, title):
    cid = next(c.id for c in data.cards.values() if c.title == title)
    return lay.cards[cid]


def blueness(colour: str) -> int:
    r, _g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return b - r


def test_heat_colours_cards_by_value_in_the_metric_direction() -> None:
    data = metric_map()
    lay = layout_map(data, 1, style=Style(heat_metric="NPS"))
    fills = {t: card_by_title(data, lay, t).fill for t in ("Ad", "Reviews", "Checkout", "Manual")}
    assert fills["Reviews"] == DIVERGING[0]  # lowest NPS: the bad (red) end
    assert fills["Checkout"] == DIVERGING[-1]  # highest NPS: the good (blue) end
    order = sorted(fills, key=lambda t: blueness(fills[t]))
    assert order == ["Reviews", "Manual", "Ad", "Checkout"]  # NPS -40 < 0 < 20 < 60
    assert card_by_title(data, lay, "No metric here").fill == NO_DATA
    assert card_by_title(data, lay, "Curious").fill == NO_DATA


def test_drop_off_is_red_when_high_and_unknown_metrics_use_a_sequential_scale() -> None:
    data = metric_map()
    lay = layout_map(data, 1, style=Style(heat_metric="Drop-Off"))  # case-insensitive
    assert card_by_title(data, lay, "Reviews").fill == DIVERGING[0]  # 0.5: worst
    assert card_by_title(data, lay, "Ad").fill == DIVERGING[-1]  # 0.1: best
    assert "lower is better" in lay.heat.lines[0].text
    lay = layout_map(data, 1, style=Style(heat_metric="widgets"))
    assert card_by_title(data, lay, "Checkout").fill == SEQUENTIAL[0]
    assert card_by_title(data, lay, "Reviews").fill == SEQUENTIAL[-1]
    assert "darker is higher" in lay.heat.lines[0].text


def test_heat_legend_names_metric_ends_and_no_data() -> None:
    data = metric_map()
    lay = layout_map(data, 1, style=Style(heat_metric="NPS"))
    texts = [t.text for t in lay.heat.lines]
    assert texts[0] == "Heat map: NPS (higher is better)"
    assert "-40 lowest" in texts and "highest 60" in texts and "no data" in texts
    assert [s.fill for s in (lay.heat.steps[0], lay.heat.steps[-1])] == [DIVERGING[0],
                                                                         DIVERGING[-1]]
    assert lay.heat.no_data.fill == NO_DATA
    # drawn by every renderer: the swatches are paint ops, the labels are in all_text()
    fills = {op.fill for op in paint_ops(lay) if isinstance(op, RectOp)}
    assert {DIVERGING[0], DIVERGING[-1], NO_DATA} <= fills
    assert "Heat map: NPS (higher is better)" in {t.text for t in lay.all_text()}
    # the key sits below the grid, inside the layout
    assert lay.heat.rect.y >= lay.grid.bottom and lay.heat.rect.bottom <= lay.height


def test_heat_card_text_and_markers_keep_contrast() -> None:
    data = metric_map()
    for metric in ("NPS", "drop-off", "widgets"):
        lay = layout_map(data, 1, style=Style(heat_metric=metric))
        assert not [p for p in _contrast(lay, 1.0) if p.card_id is not None]
        for card in lay.cards.values():
            for t in card.title_lines + card.body_lines:
                assert contrast_ratio(t.colour, card.fill) >= required_contrast(
                    t.size_pt, t.font.startswith("bold"))
            assert contrast_ratio(card.marker.fill, card.fill) >= GRAPHICS_CONTRAST - 1e-9
    # the darkest end of the sequential scale needs light text
    lay = layout_map(data, 1, style=Style(heat_metric="widgets"))
    assert card_by_title(data, lay, "Reviews").title_lines[0].colour == "#ffffff"


def test_absent_metric_or_no_option_leaves_the_layout_as_it_was() -> None:
    data = metric_map()
    plain = layout_map(data, 1)
    assert plain.heat is None and plain.funnel is None and plain.evidence == ()
    other = layout_map(data, 1, style=Style(heat_metric="CSAT"))
    assert other.cards == plain.cards and other.heat is None


def evidence_map():
    src = DataSource
    cards = [dict(stage="Find", lane="Touchpoints", title=f"T{i}", source=s)
             for i, s in enumerate([src.OBSERVED, src.SURVEY, src.UNSOLICITED,
                                    src.ASSUMPTION, None])]
    cards += [dict(stage="Compare", lane="Touchpoints", title="Guess 1",
                   source=src.ASSUMPTION),
              dict(stage="Compare", lane="Pain points", title="Guess 2", source=src.ASSUMPTION),
              dict(stage="Buy", lane="Touchpoints", title="Seen", source=src.OBSERVED)]
    return build(STAGES, LANES, cards)


def test_evidence_bars_show_the_backed_share_per_stage() -> None:
    data = evidence_map()
    plain = layout_map(data, 1)
    lay = layout_map(data, 1, style=Style(show_evidence=True))
    bars = {b.stage_id: b for b in lay.evidence}
    sid = {s.name: s.id for s in data.stages.values()}
    find = bars[sid["Find"]]
    assert find.label.text == "3/5 backed by data" and not find.warning
    assert find.filled.rect.w == pytest.approx(find.track.rect.w * 3 / 5)
    compare = bars[sid["Compare"]]
    assert compare.warning and compare.filled is None
    assert compare.label.text.startswith("0/2 backed")
    assert bars[sid["Buy"]].label.text == "1/1 backed by data"
    assert bars[sid["Use"]].label.text == "no cards"
    # aligned with the stage columns, right under the headers; the lanes move down
    for st in lay.stages:
        b = bars[st.stage_id]
        assert st.column.x < b.track.rect.x < b.track.rect.right < st.column.right
        assert b.track.rect.y >= st.rect.bottom
    assert lay.lanes[0].row.y == pytest.approx(plain.lanes[0].row.y + row_height(Style()))
    assert "3/5 backed by data" in {t.text for t in lay.all_text()}


def test_dimmed_assumptions_are_lighter_dashed_and_still_legible() -> None:
    data = evidence_map()
    plain = layout_map(data, 1)
    lay = layout_map(data, 1, style=Style(dim_assumptions=True))
    for c in data.cards.values():
        before, after = plain.cards[c.id], lay.cards[c.id]
        if c.source is DataSource.ASSUMPTION:
            assert after.border_dash and luminance(after.fill) > luminance(before.fill)
            for t in after.title_lines + after.body_lines:
                assert contrast_ratio(t.colour, after.fill) >= 4.5
            op = next(o for o in paint_ops(lay) if isinstance(o, RectOp) and o.rect == after.rect)
            assert op.dash == after.border_dash
        else:
            assert after == before


def test_funnel_band_aligns_with_stages_and_marks_the_lowest_emotion() -> None:
    data = metric_map()
    lay = layout_map(data, 1, style=Style(funnel_metric="reach"))
    band = lay.funnel
    assert band is not None and band.rect.y > lay.grid.bottom
    steps = {s.stage_id: s for s in band.steps}
    heights = {}
    for st in lay.stages:
        step = steps[st.stage_id]
        if step.bar is not None:
            assert step.bar.rect.cx == pytest.approx(st.column.cx)
            heights[data.stages[st.stage_id].name] = step.bar.rect.h
    assert set(heights) == {"Find", "Compare", "Buy"}
    assert heights["Compare"] / heights["Find"] == pytest.approx(0.6)
    assert heights["Buy"] / heights["Find"] == pytest.approx(0.3)
    texts = {data.stages[s.stage_id].name: [t.text for t in s.lines] for s in band.steps}
    assert texts["Find"] == ["1,000"]
    assert texts["Compare"][0] == "600" and texts["Compare"][1].startswith("\u221240%")
    assert "\u25bc lowest emotion" in texts["Compare"]  # emotion -2 is the lowest
    assert steps[next(s.id for s in data.stages.values() if s.name == "Compare")].lowest
    assert texts["Use"] == ["no data"]
    # the joins between consecutive bars are drawn
    joins = [op for op in paint_ops(lay) if isinstance(op, PolyOp) and op.fill == band.connector]
    assert len(joins) == 2
    assert " ".join(t.text for t in band.lines) == "Funnel reach, summed per stage"


def test_overlays_fit_the_page_with_everything_on() -> None:
    data = metric_map()
    style = Style(heat_metric="NPS", funnel_metric="reach", show_evidence=True,
                  dim_assumptions=True)
    paper = parse_paper("A3", "landscape")
    lay = layout_map(data, 1, Target.for_paper(paper), style)
    page = dataclasses.replace(lay.grid, x=0, y=0, w=paper.width, h=paper.height)
    assert lay.stage_heat
    for r in (lay.heat.rect, lay.funnel.rect, *(b.track.rect for b in lay.evidence),
              *(s.swatch.rect for s in lay.stage_heat)):
        assert page.contains(r)
    assert all(t.size_pt >= lay.min_size - 1e-6 for t in lay.all_text())
    assert lay.funnel.rect.y > lay.grid.bottom and lay.heat.rect.y > lay.funnel.rect.bottom


def test_preflight_warns_on_a_stage_of_assumptions_only() -> None:
    problems = run_preflight(evidence_map(), 1, "A3")
    warned = [p for p in problems if p.rule == "evidence"]
    assert len(warned) == 1 and "'Compare' rests on assumptions only" in warned[0].message
    assert warned[0].severity == "warning"


def test_one_value_gets_one_swatch_and_says_so() -> None:
    data = metric_map()
    lay = layout_map(data, 1, style=Style(heat_metric="widgets"))
    assert len(lay.heat.steps) == 9
    one = build(STAGES, LANES, [dict(stage="Find", lane="Touchpoints", title="Only",
                                     metrics={"CSAT": 4.2})])
    lay = layout_map(one, 1, style=Style(heat_metric="CSAT"))
    assert len(lay.heat.steps) == 1
    texts = [t.text for t in lay.heat.lines]
    assert "4.2, the only value" in texts
    label = next(t for t in lay.heat.lines if t.text == "4.2, the only value")
    assert label.x + label.width < lay.heat.no_data.rect.x  # no overlap with 'no data'


def test_stage_strips_colour_each_column_by_the_stage_mean() -> None:
    from app.layout.heat import strip_height

    cards = [dict(stage="Find", lane="Touchpoints", title="A", metrics={"NPS": 10}),
             dict(stage="Find", lane="Pain points", title="B", metrics={"NPS": 50}),
             dict(stage="Compare", lane="Touchpoints", title="C", metrics={"NPS": -40}),
             dict(stage="Buy", lane="Touchpoints", title="D", metrics={"NPS": 60})]
    data = build(STAGES, LANES, cards)
    plain = layout_map(data, 1)
    lay = layout_map(data, 1, style=Style(heat_metric="NPS"))
    sid = {s.name: s.id for s in data.stages.values()}
    strips = {s.stage_id: s for s in lay.stage_heat}
    assert strips[sid["Find"]].label.text == "NPS mean 30"  # (10 + 50) / 2
    assert strips[sid["Compare"]].swatch.fill == DIVERGING[0]
    assert strips[sid["Buy"]].swatch.fill == DIVERGING[-1]
    assert strips[sid["Use"]].swatch.fill == NO_DATA
    assert strips[sid["Use"]].label.text == "no data"
    for st in lay.stages:
        strip = strips[st.stage_id]
        assert strip.swatch.rect.y >= st.rect.bottom and st.column.contains(strip.swatch.rect)
        assert contrast_ratio(strip.label.colour, strip.swatch.fill) >= 4.5
    assert lay.lanes[0].row.y == pytest.approx(plain.lanes[0].row.y + strip_height(Style()))
    # with the evidence row too, the strips come first and nothing overlaps
    both = layout_map(data, 1, style=Style(heat_metric="NPS", show_evidence=True))
    for strip, bar in zip(both.stage_heat, both.evidence, strict=True):
        assert strip.swatch.rect.bottom < bar.track.rect.y
        assert bar.label.box().bottom <= both.lanes[0].row.y
