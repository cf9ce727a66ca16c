"""The emotion curve on a composed poster (issue 14): the focal band keeps its room on a
map that fills the sheet, and every part of the curve (each card, the stage averages,
the room's band) is printed through the one paint path."""

from __future__ import annotations

from pathlib import Path

from app.cli import main
from app.export.common import ExportOptions
from app.export.prepare import compose_for
from app.layout.compose import default_margin
from app.layout.paint import PathOp, PolyOp, curve_ops, paint_ops
from app.layout.paper import parse_paper
from app.model.commands import AddCards
from app.model.document import Document
from app.model.schema import LaneKind
from app.room.commands import SetFeeling
from tests.made import new_document


def _workshop_map(path: Path) -> None:
    """The e-bike sample, with a dip inside two stages and a room of six who gave feelings."""
    with new_document(path, "sample") as doc:
        m = doc.data.ordered_maps()[0]
        stages = doc.data.stages_of(m.id)
        lane = next(ln for ln in doc.data.lanes_of(m.id) if ln.kind == LaneKind.EMOTIONS)
        doc.execute(AddCards(items=[
            (stages[1].id, lane.id, dict(title="checkout asks for an account first",
                                         emotion=-2)),
            (stages[1].id, lane.id, dict(title="finds the size guide", emotion=1)),
            (stages[2].id, lane.id, dict(title="delivery slot only in 3 weeks", emotion=-2)),
            (stages[2].id, lane.id, dict(title="courier calls ahead 👍", emotion=2)),
        ]))
        rows = [(2, 1, 1, 0, 1, 2), (-1, -2, 0, -1, -1, 1), (0, -1, -2, -2, 0, -1)]
        for s, scores in zip(stages, rows, strict=False):
            for pid, score in enumerate(scores, start=1):
                doc.execute(SetFeeling(s.id, pid, f"P{pid}", score))


def test_a_full_sheet_still_gives_the_curve_a_focal_band(tmp_path: Path) -> None:
    cjm = tmp_path / "workshop.cjm"
    _workshop_map(cjm)
    with Document.open(cjm, read_only=True) as doc:
        data = doc.data
    map_id = data.ordered_maps()[0].id
    paper = parse_paper("A1", "landscape")
    comp = compose_for(data, map_id, ExportOptions(paper=paper, orientation="landscape"))
    lay = comp.layout
    printable = paper.height - 2 * default_margin(paper)
    assert comp.scale >= 1.0 and comp.scale >= comp.natural_fit * 0.97  # still passes
    assert lay.curve.band.h >= 0.05 * printable, lay.curve.band.h / printable
    # every part is drawn: the room's band, the averages, the room's and the cards' lines
    ops = list(curve_ops(lay.curve, lay.scale))
    assert isinstance(ops[0], PolyOp) and ops[0].fill == lay.curve.band_fill
    assert [op.stroke for op in ops if isinstance(op, PathOp)] == [
        lay.curve.mean_colour, lay.curve.room_colour, lay.curve.colour]
    poster = list(paint_ops(lay))
    assert any(poster[i:i + len(ops)] == ops for i in range(len(poster)))
    # the dips sit lower than their stage's average
    for sid in (data.stages_of(map_id)[1].id, data.stages_of(map_id)[2].id):
        mean = next(p for p in lay.curve.means if p.stage_id == sid)
        low = max((p for p in lay.curve.points if p.stage_id == sid), key=lambda p: p.y)
        assert low.score == -2 and low.y > mean.y
    pdf = tmp_path / "workshop.pdf"
    assert main(["export", str(cjm), "-o", str(pdf), "--quiet"]) == 0
    assert pdf.stat().st_size > 10_000
    assert main(["check", str(cjm)]) == 0
