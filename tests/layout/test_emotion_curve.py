"""The emotion curve made of the data (issue 14): each card's score is a point of the
curve (a dip within a stage stays visible), the stage averages a lighter line, and the
room's feelings a curve with the band of their spread, all through the one paint path."""

from __future__ import annotations

from layout_maps import build

from app.layout import Target, layout_map, parse_paper
from app.layout.paint import PathOp, PolyOp, curve_ops, paint_ops
from app.model.schema import DocumentData, Feeling, LaneKind

LANES = [("Actions", LaneKind.ACTIONS), ("Emotions", LaneKind.EMOTIONS)]
STAGES = ["Arrive", "check-in desk 2", "Wait"]


def _dip_map() -> DocumentData:
    """Stage 2 averages to +1, but its middle card is a −2: the dip the average hides."""
    cards = [
        dict(stage="Arrive", lane="Actions", title="parks in bay 14"),
        dict(stage="Arrive", lane="Emotions", title="relieved, found a spot", emotion=1),
        dict(stage="check-in desk 2", lane="Emotions", title="friendly welcome", emotion=2),
        dict(stage="check-in desk 2", lane="Emotions",
             title="asked for the booking no. again — it's on the e-mail!", emotion=-2),
        dict(stage="check-in desk 2", lane="Emotions", title="gets a window seat 😀",
             emotion=2),
        dict(stage="check-in desk 2", lane="Emotions", title="bag weighed, ok", emotion=2),
        dict(stage="Wait", lane="Emotions", title="20 min delay, no info", emotion=-1),
    ]
    return build(STAGES, LANES, cards, title="Flying out of gate 7")


def _with_room(data: DocumentData, scores: dict[int, list[int]]) -> DocumentData:
    feelings = {}
    for stage_id, values in scores.items():
        for pid, v in enumerate(values, start=1):
            fid = stage_id * 100 + pid
            feelings[fid] = Feeling(id=fid, map_id=1, stage_id=stage_id, participant_id=pid,
                                    score=v)
    return data.model_copy(update={"feelings": feelings})


def _y(curve, score: float) -> float:
    return curve.band.y + (2 - score) / 4 * curve.band.h


def test_each_card_is_a_point_and_a_dip_within_a_stage_is_a_lower_point() -> None:
    data = _dip_map()
    lay = layout_map(data, 1)
    curve = lay.curve
    assert curve is not None
    # one point per emotion card, left to right, above its own card at its score's height
    assert sorted(p.card_id for p in curve.points) == [1001, 1002, 1003, 1004, 1005, 1006]
    assert [p.x for p in curve.points] == sorted(p.x for p in curve.points)
    for p in curve.points:
        card = lay.cards[p.card_id].rect
        assert card.x < p.x < card.right
        assert abs(p.y - _y(curve, float(data.cards[p.card_id].emotion))) < 1e-6
    desk = [p for p in curve.points if p.stage_id == 2]
    column = next(s.column for s in lay.stages if s.stage_id == 2)
    assert all(column.x < p.x < column.right for p in desk)
    assert [p.x for p in desk] == sorted(p.x for p in desk)
    dip = next(p for p in desk if p.card_id == 1003)
    assert all(dip.y > p.y for p in desk if p is not dip)  # lower on the page than its stage
    assert dip.glyph.shape == "chevron_down"
    # the curve passes through the dip's point (a segment ends there)
    assert any(abs(seg[6] - dip.x) < 1e-6 and abs(seg[7] - dip.y) < 1e-6
               for seg in curve.segments)
    # the stage averages: a lighter line at the stage centres, the dip's stage at +1
    assert [round(m.score, 6) for m in curve.means] == [1.0, 1.0, -1.0]
    mean = next(m for m in curve.means if m.stage_id == 2)
    assert abs(mean.x - column.cx) < 1e-6 and abs(mean.y - _y(curve, 1.0)) < 1e-6
    assert dip.y > mean.y + curve.band.h / 2  # the dip shows well below the average
    assert curve.mean_colour != curve.colour and curve.mean_width < curve.width


def test_the_curve_ops_draw_the_average_under_the_cards_line() -> None:
    lay = layout_map(_dip_map(), 1)
    curve = lay.curve
    ops = list(curve_ops(curve, lay.scale))
    paths = [op for op in ops if isinstance(op, PathOp)]
    assert [op.stroke for op in paths] == [curve.mean_colour, curve.colour]  # average first
    mean_path, card_path = paths
    assert mean_path.width < card_path.width
    assert len(card_path.curves) == len(curve.points) - 1
    dip = next(i for i, p in enumerate(curve.points) if p.card_id == 1003)
    assert card_path.curves[dip - 1][2] == (curve.points[dip].x, curve.points[dip].y)
    assert not any(isinstance(op, PolyOp) and op.fill == curve.band_fill for op in ops)
    poster = list(paint_ops(lay))
    n = len(ops)
    assert any(poster[i:i + n] == ops for i in range(len(poster) - n + 1))
    # the legend names the lighter line
    assert "stage average" in [e.label.text for e in lay.legend.entries]


def test_one_card_per_stage_has_no_separate_average_line() -> None:
    cards = [dict(stage=s, lane="Emotions", title=f"feeling {i}", emotion=e)
             for i, (s, e) in enumerate(zip(STAGES, (1, -1, 2), strict=True))]
    lay = layout_map(build(STAGES, LANES, cards), 1)
    assert lay.curve.means == () and lay.curve.mean_segments == ()
    assert [p.score for p in lay.curve.points] == [1, -1, 2]
    assert "stage average" not in [e.label.text for e in lay.legend.entries]


def test_the_rooms_feelings_draw_a_curve_with_the_band_of_their_spread() -> None:
    scores = {1: [2, 1, 1, 0, -1], 2: [-2, -1, -1, 0, 2], 3: [0, 0, 1]}
    lay = layout_map(_with_room(_dip_map(), scores), 1)
    curve = lay.curve
    assert [p.stage_id for p in curve.room] == [1, 2, 3]
    for p in curve.room:
        values = scores[p.stage_id]
        assert abs(p.score - sum(values) / len(values)) < 1e-9
        assert abs(p.x - next(s.column.cx for s in lay.stages if s.stage_id == p.stage_id)) < 1e-6
    # the band: interquartile range per stage (inclusive quartiles), upper edge then lower
    quartiles = {1: (0.0, 1.0), 2: (-1.0, 0.0), 3: (0.0, 0.5)}
    band = curve.room_band
    for sid, (q1, q3) in quartiles.items():
        x = next(p.x for p in curve.room if p.stage_id == sid)
        at_x = sorted(y for px, y in band if abs(px - x) < 1e-6)
        assert len(at_x) == 2, sid
        assert abs(at_x[0] - _y(curve, q3)) < 1e-6 and abs(at_x[1] - _y(curve, q1)) < 1e-6
    assert all(curve.band.y - 1e-6 <= y <= curve.band.bottom + 1e-6 for _, y in band)
    # the cards' points are the cards' (the room is not mixed into them)
    assert all(p.card_id is not None for p in curve.points)
    ops = list(curve_ops(curve, lay.scale))
    assert isinstance(ops[0], PolyOp) and ops[0].fill == curve.band_fill  # the band, first
    strokes = [op.stroke for op in ops if isinstance(op, PathOp)]
    assert strokes == [curve.mean_colour, curve.room_colour, curve.colour]  # cards' on top
    labels = [e.label.text for e in lay.legend.entries]
    assert "room (mean)" in labels and "room: middle half" in labels


def test_a_room_on_one_stage_is_a_bar_and_the_poster_scales_every_part() -> None:
    lay = layout_map(_with_room(_dip_map(), {2: [-2, 2]}), 1)
    (room,) = lay.curve.room
    xs = sorted({x for x, _ in lay.curve.room_band})
    assert len(xs) == 2 and xs[0] < room.x < xs[1]
    paper = layout_map(_with_room(_dip_map(), {2: [-2, 2]}), 1,
                       Target.for_paper(parse_paper("A2")))
    c = paper.curve
    assert paper.scale != 1.0
    for p in (*c.points, *c.means, *c.room):  # scaled with the page, inside the band
        assert c.band.x <= p.x <= c.band.right and c.band.y - 1e-6 <= p.y <= c.band.bottom + 1e-6
    assert all(c.band.x <= x <= c.band.right for x, _ in c.room_band)
    assert abs(c.room_width / lay.curve.room_width - paper.scale) < 1e-9
