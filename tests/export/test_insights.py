"""`waymark export` with --heat, --funnel, --evidence, --dim-assumptions and --insights."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cli import main
from app.export.insights import HEADINGS
from app.model.document import Document
from tests.layout.test_overlays import evidence_map, metric_map
from tests.real_maps import REAL_MAPS


@pytest.fixture
def metric_file(tmp_path: Path) -> Path:
    path = tmp_path / "metrics.cjm"
    Document.create_from(path, metric_map()).close()
    return path


def page_texts(pdf: Path) -> list[str]:
    return [p.extract_text() for p in PdfReader(pdf).pages]


def test_pdf_with_heat_funnel_evidence_and_insights(metric_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.pdf"
    assert main(["export", str(metric_file), "-o", str(out), "--paper", "A3", "--heat", "nps",
                 "--funnel", "reach", "--evidence", "--dim-assumptions", "--insights",
                 "--quiet"]) == 0
    pages = page_texts(out)
    assert len(pages) == 2
    poster, insights = pages
    for text in ("Heat map: NPS (higher is better)", "no data", "-40 lowest", "highest 60",
                 "Funnel", "1,000", "lowest emotion", "0/2 backed"):
        assert text in poster, text
    for heading in HEADINGS:
        assert heading in insights, heading
    # findings from the analysis: the lowest stage, the funnel values, the evidence table
    assert "Insights: Buying a couch" in insights
    assert "Compare" in insights and "lowest" in insights
    assert "\u221240%" in insights and "loss at a low" in insights
    box = PdfReader(out).pages[1].mediabox  # the same paper as the poster
    first = PdfReader(out).pages[0].mediabox
    assert (float(box.width), float(box.height)) == (float(first.width), float(first.height))


def test_unknown_metric_is_one_line_and_writes_nothing(metric_file: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.pdf"
    assert main(["export", str(metric_file), "-o", str(out), "--heat", "CSAT"]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("waymark: --heat CSAT: no card of map 'Buying a couch' has")
    assert "NPS" in err[-1] and not out.exists()
    assert main(["export", str(metric_file), "-o", str(tmp_path / "m.png"), "--insights"]) != 0
    assert "apply to PDF output only" in capsys.readouterr().err


def test_tiled_pdf_gets_the_insights_pages_too(metric_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.pdf"
    assert main(["export", str(metric_file), "-o", str(out), "--paper", "A2", "--tile", "A4",
                 "--insights", "--quiet"]) == 0
    pages = page_texts(out)
    assert "Sheet 1 of" in pages[0]
    assert any("Moments of truth" in p for p in pages[-2:])


def test_png_and_svg_carry_the_heat_legend(metric_file: Path, tmp_path: Path) -> None:
    svg = tmp_path / "m.svg"
    assert main(["export", str(metric_file), "-o", str(svg), "--paper", "A4", "--heat", "NPS",
                 "--funnel", "reach", "--quiet"]) == 0
    text = svg.read_text(encoding="utf-8")
    assert "Heat map: NPS (higher is better)" in text and "reach, summed" in text


def test_check_warns_on_assumption_only_stage(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ev.cjm"
    Document.create_from(path, evidence_map()).close()
    main(["check", str(path), "--paper", "A3"])
    assert "warning: evidence: stage 'Compare' rests on assumptions only" in \
        capsys.readouterr().out


def test_real_map_with_insights_keeps_every_card(tmp_path: Path) -> None:
    cjm, pdf = tmp_path / "ikea.cjm", tmp_path / "ikea.pdf"
    assert main(["import", str(REAL_MAPS / "ikea-couch.csv"), "-o", str(cjm)]) == 0
    assert main(["export", str(cjm), "-o", str(pdf), "--paper", "A2", "--insights",
                 "--evidence", "--quiet"]) == 0
    pages = page_texts(pdf)
    with Document.open(cjm, read_only=True) as doc:
        titles = [c.title for c in doc.data.cards.values()]
    assert len(titles) == 69
    # A word wider than its line is cut with a hyphen, and a title past its line bound
    # continues in the body after "…" (issue 14): join the pieces.
    poster = " ".join(pages[0].replace("…", " ").split()).replace("- ", "").replace("/ ", "/")
    assert all(" ".join(t.split()) in poster for t in titles)
    rest = " ".join(pages[1:])
    assert "Setup" in rest and "Support" in rest and "24 channel switches" in rest
    assert "15/15 backed by data" in poster



def test_insights_page_after_a_poster_with_bleed_has_the_trim_size(metric_file: Path,
                                                                   tmp_path: Path) -> None:
    out = tmp_path / "b.pdf"
    assert main(["export", str(metric_file), "-o", str(out), "--paper", "A3", "--bleed", "3mm",
                 "--crop-marks", "--insights", "--quiet"]) == 0
    poster, insights = PdfReader(out).pages
    assert float(poster.mediabox.width) > float(insights.mediabox.width)
    assert float(insights.mediabox.width) == pytest.approx(float(poster.trimbox.width))
    assert float(insights.trimbox.width) == pytest.approx(float(insights.mediabox.width))
    assert "Moments of truth" in insights.extract_text()
