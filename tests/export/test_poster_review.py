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


def test_the_preflight_reads_as_english(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    # Seen: "map title print at 15.8 pt on LETTER landscape", "5 problem(s)", "1 more card
    # titles continue", and --title-distance's "distance the map title are read from".
    from app.cli import main
    from app.model.document import Document

    cjm = tmp_path / "s.cjm"
    Document.create_from(cjm, sample_data()).close()
    assert main(["check", str(cjm), "--paper", "Letter"]) == 1
    out = capsys.readouterr().out
    assert "map title printed at " in out and " print at " not in out
    assert "on Letter landscape" in out and "LETTER" not in out
    assert "5 problems in 'Buying a couch' on Letter landscape" in out and "(s)" not in out
    assert main(["check", str(cjm), "--paper", "tabloid", "--orientation", "portrait",
                 "--json"]) == 1
    assert '"paper": "Tabloid portrait"' in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "distance the map title is read from" in text
    assert "distance card bodies, chips, legend are read from" in text


def test_one_more_overflowing_title_is_singular() -> None:
    from app.export.preflight import run_preflight

    data = sample_data()
    m = data.ordered_maps()[0].id
    long = "a title far too long for its lines " * 6
    ids = sorted(c.id for c in data.cards.values() if c.map_id == m)[:4]
    cards = {k: c.model_copy(update={"title": long.strip()}) if k in ids else c
             for k, c in data.cards.items()}
    data = data.model_copy(update={"cards": cards})
    options = ExportOptions(paper=parse_paper("A1"))
    messages = [p.message for p in run_preflight(data, m, "A1", options=options)
                if p.rule == "title-overflow"]
    assert "1 more card title continues in its body" in messages, messages
