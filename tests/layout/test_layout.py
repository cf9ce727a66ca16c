"""layout_map: geometry invariants, canvas/paper agreement, curve, lanes, no Qt."""

from __future__ import annotations

import itertools
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st
from layout_maps import build, csv_data, sample_data

from app.layout import Style, Target, layout_card_text, layout_map, parse_paper
from app.layout.boxes import MapLayout
from app.model.schema import LaneKind


def breaks(lay: MapLayout) -> dict[int, list[str]]:
    return {cid: [t.text for t in c.text_lines()] for cid, c in lay.cards.items()}


def test_every_card_sits_in_its_cell_and_its_text_in_the_card() -> None:
    lay = layout_map(sample_data(), 1)
    assert len(lay.cards) == 22
    for card in lay.cards.values():
        cell = lay.cells[(card.stage_id, card.lane_id)]
        assert cell.contains(card.rect)
        for t in card.text_lines():
            assert card.rect.contains(t.box()), (t.text, t.box(), card.rect)


def test_canvas_and_paper_break_lines_identically() -> None:
    data = sample_data()
    canvas = layout_map(data, 1)
    for paper in ("A1", "A4", "letter", "24x36in"):
        printed = layout_map(data, 1, Target.for_paper(parse_paper(paper)))
        assert breaks(printed) == breaks(canvas)
        assert printed.scale != 1.0
        # Text scales with the page; positions stay inside the sheet.
        assert printed.sizes["body"] == canvas.sizes["body"] * printed.scale
        assert all(0 <= t.x <= printed.width for t in printed.all_text())


def test_paper_layout_fits_inside_margins() -> None:
    paper = parse_paper("A3")
    target = Target.for_paper(paper)
    lay = layout_map(sample_data(), 1, target)
    assert (lay.width, lay.height) == (paper.width, paper.height)
    for box in [c.rect for c in lay.cards.values()] + [lay.grid]:
        assert box.x >= target.margin - 1e-6 and box.right <= paper.width - target.margin + 1e-6
        assert box.y >= target.margin - 1e-6
        assert box.bottom <= paper.height - target.margin + 1e-6


def test_card_text_matches_live_card_layout() -> None:
    data = sample_data()
    lay = layout_map(data, 1)
    style = Style()
    for cid, box in lay.cards.items():
        live = layout_card_text(data.cards[cid], box.rect.w, style)
        assert [t.text for t in live.title_lines] == [t.text for t in box.title_lines]
        assert [t.text for t in live.body_lines] == [t.text for t in box.body_lines]
        assert abs(live.title_lines[0].x + box.rect.x - box.title_lines[0].x) < 1e-6


def test_type_scale_steps_are_at_least_1_25() -> None:
    s = Style().sizes
    order = [s["title"], s["stage"], s["lane"], s["card_title"], s["body"]]
    assert all(a >= 1.25 * b - 1e-9 for a, b in itertools.pairwise(order))


def test_empty_cells_have_height_and_collapsed_lanes_are_thin() -> None:
    data = build(["One", "Two"], [("Actions", LaneKind.ACTIONS), ("Hidden", LaneKind.CUSTOM),
                                  ("Empty", LaneKind.GOALS)],
                 [dict(stage="One", lane="Actions", title="Do it"),
                  dict(stage="Two", lane="Hidden", title="Secret")], collapsed={"Hidden"})
    lay = layout_map(data, 1)
    rows = {ln.lane_id: ln for ln in lay.lanes}
    assert rows[101].collapsed and rows[101].row.h < rows[100].row.h
    assert rows[102].row.h >= Style().em(Style().empty_cell_em)
    assert 1001 not in lay.cards  # the collapsed lane's card is hidden
    assert all(r.h > 0 for r in lay.cells.values())
    assert next(s for s in lay.stages if s.stage_id == 2).empty is False


def test_emotion_curve_follows_stage_means() -> None:
    lay = layout_map(sample_data(), 1)
    curve = lay.curve
    assert curve is not None
    assert [p.score for p in curve.points] == [1, -1, 2, 0, -2]
    assert len(curve.segments) == 4
    top = min(curve.points, key=lambda p: p.y)
    assert top.score == 2 and abs(top.y - curve.band.y) < 1e-6
    assert curve.band.y < curve.zero_y < curve.band.bottom
    for seg in curve.segments:  # never overshoots the band
        for y in seg[1::2]:
            assert curve.band.y - 1e-6 <= y <= curve.band.bottom + 1e-6
    shapes = {p.score: p.glyph.shape for p in curve.points}
    assert len(set(shapes.values())) == 5  # emotion by shape, not colour alone


def test_phases_span_their_stages_and_headers_align_with_columns() -> None:
    lay = layout_map(sample_data(), 1)
    assert [p.name for p in lay.phases] == ["Before", "During", "After"]
    by_id = {s.stage_id: s for s in lay.stages}
    before = lay.phases[0]
    assert abs(before.rect.x - by_id[1].rect.x) < 2
    assert abs(before.rect.right - by_id[2].rect.right) < 2
    for s in lay.stages:
        for t in s.lines:
            assert s.rect.contains(t.box())


def test_busy_stage_gets_two_card_columns_bounded() -> None:
    lay = layout_map(csv_data("ikea-couch.csv"), 1)
    widths = sorted(s.rect.w for s in lay.stages)
    assert widths[-1] / widths[0] <= 2.0 + 1e-9


def test_links_join_card_edges() -> None:
    lay = layout_map(sample_data(), 1)
    assert len(lay.links) == 2
    link = lay.links[0]
    src, dst = lay.cards[link.source_id], lay.cards[link.target_id]
    assert abs(link.start[0] - src.rect.right) < 1e-6
    assert abs(link.end[0] - dst.rect.x) < 1e-6


def test_layout_is_fast_enough_for_the_canvas() -> None:
    from app.layout.caches import LayoutCache

    data = csv_data("ikea-couch.csv")
    cache = LayoutCache()
    layout_map(data, 1, cache=cache)  # warm the canvas's cache
    import time

    start = time.perf_counter()
    layout_map(data, 1, cache=cache)
    assert time.perf_counter() - start < 2.0  # generous; typically ~30 ms


def test_layout_and_pdf_never_import_qt() -> None:
    code = ("import sys; import app.layout, app.export.pdf, app.export.preflight, "
            "app.export.cli; assert 'PySide6' not in sys.modules, 'Qt imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr


WORDS = st.sampled_from([
    "Checkout", "Donaudampfschifffahrtsgesellschaftskapitän", "日本語のテキスト", "שלום עולם",
    "مرحبا بالعالم", "😀👍🏽", "👩\u200d👩\u200d👧", "<b>", "a & b", "x", "WWWWWWWWWWWWWWWWWW",
    "e\u0301te\u0301", "—", "ok",
])
TEXTS = st.lists(WORDS, min_size=1, max_size=25).map(" ".join)


@given(title=TEXTS, body=st.one_of(st.just(""), TEXTS), channel=st.sampled_from(["", "web",
       "a very long channel name indeed"]), votes=st.integers(0, 9999))
def test_no_text_leaves_its_card(title: str, body: str, channel: str, votes: int) -> None:
    data = build(["S"], [("Lane", LaneKind.ACTIONS)],
                 [dict(stage="S", lane="Lane", title=title[:200], body=body, channel=channel,
                       votes=votes, metrics={"NPS": 12.5})])
    for target in (Target.screen(), Target.for_paper(parse_paper("A4"))):
        lay = layout_map(data, 1, target)
        card = lay.cards[1000]
        for t in card.text_lines():
            assert card.rect.contains(t.box(), tol=1e-3), t


def test_degenerate_maps_still_lay_out() -> None:
    from app.model.schema import DocumentData, JourneyMap

    empty = layout_map(DocumentData(maps={1: JourneyMap(id=1, title="Empty")}), 1)
    assert empty.width > 0 and empty.height > 0 and not empty.cards
    one = build(["S"], [("E", LaneKind.EMOTIONS)],
                [dict(stage="S", lane="E", title="only", emotion=1)])
    curve = layout_map(one, 1).curve
    assert curve is not None and len(curve.points) == 1 and curve.segments == ()


def test_long_phase_names_wrap_inside_their_band() -> None:
    long = "A very long phase name that cannot possibly fit on one line of one stage"
    data = build(["S", "T"], [("L", LaneKind.ACTIONS)],
                 [dict(stage="S", lane="L", title="x")], phases=[long, "Short"])
    lay = layout_map(data, 1)
    band = lay.phases[0]
    # Issue 14: names wrap within a bounded number of lines; a longer one ends in "…".
    shown = " ".join(t.text for t in band.lines)
    assert 1 < len(band.lines) <= 3 and shown.endswith("…")
    assert long.startswith(shown[:-1].rstrip())
    for p in lay.phases:
        for t in p.lines:
            assert p.rect.contains(t.box(), tol=0.5)


def test_markers_and_borders_reach_graphics_contrast() -> None:
    from app.layout.rules import contrast_ratio

    lay = layout_map(sample_data(), 1)
    for lane in lay.lanes:
        if lane.marker is not None:
            assert contrast_ratio(lane.marker.fill, lane.fill) >= 3.0
    for card in lay.cards.values():
        assert contrast_ratio(card.border, lay.background) >= 3.0
        assert contrast_ratio(card.marker.fill, card.fill) >= 3.0
