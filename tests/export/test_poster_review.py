"""A print designer's review of the posters (after issues 14 and 15): each fault seen on
the sheets, measured on the composed boxes, the paint operations or the PDF."""

from __future__ import annotations

import pytest

from app.export.common import ExportOptions
from app.export.prepare import compose_for
from app.layout.boxes import MapLayout
from app.layout.paper import parse_paper
from app.model.schema import DocumentData
from app.model.templates import load_template
from tests.layout.layout_maps import csv_data, sample_data


def _composed(data: DocumentData, paper: str, orientation: str) -> MapLayout:
    options = ExportOptions(paper=parse_paper(paper, orientation), orientation=orientation)
    return compose_for(data, data.ordered_maps()[0].id, options).layout


def _maps() -> dict[str, DocumentData]:
    return {"sample": sample_data(), "b2b": load_template("b2b"),
            "ikea": csv_data("ikea-couch.csv")}


@pytest.mark.parametrize("paper", ["A3", "A1", "A0"])
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_stage_and_phase_names_keep_clear_of_their_band(paper: str, orientation: str) -> None:
    # Seen: 'Comparison' and 'Installation' of the B2B template touched the edges of
    # their dark stage bands on A2-A0 (0.22 of the header's type size clear at the sides, 0.36 above the capitals).
    for name, data in _maps().items():
        lay = _composed(data, paper, orientation)
        bands = [(s.rect, s.lines) for s in lay.stages] + [(p.rect, p.lines) for p in lay.phases]
        for rect, lines in bands:
            for t in lines:
                clear = min(t.x - rect.x, rect.x + rect.w - (t.x + t.width))
                assert clear >= 0.3 * t.size_pt - 1e-6, (name, t.text, clear / t.size_pt)
