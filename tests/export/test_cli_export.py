"""`waymark export` and `waymark check` through app.cli.main on real .cjm files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from layout_maps import build, sample_data
from pypdf import PdfReader

from app.cli import main
from app.model.document import Document
from app.model.schema import LaneKind

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "couch.cjm"
    Document.create_from(path, sample_data()).close()
    return path


def test_check_clean_map_exits_0(sample_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(sample_file), "--paper", "A1"]) == 0
    assert "ready to print on A1 landscape" in capsys.readouterr().out


def test_check_json_lists_problems_and_exits_1(sample_file: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(sample_file), "--paper", "A4", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["distance_m"] == 0.4
    assert report["problems"][0]["rule"] == "text-size"


def test_check_distance_and_map_options(sample_file: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(sample_file), "--map", "Buying a couch", "--distance", "3m"]) == 1
    # Issue 14: per role; card titles read from D = 3 m need a 58.3 pt cap-height size.
    assert "(needs 58.3 pt from 3 m)" in capsys.readouterr().out
    assert main(["check", str(sample_file), "--map", "Nope"]) == 1
    assert "no map named 'Nope'" in capsys.readouterr().err


def test_export_pdf_png_svg(sample_file: Path, tmp_path: Path) -> None:
    pdf, png, svg = tmp_path / "m.pdf", tmp_path / "m.png", tmp_path / "m.svg"
    assert main(["export", str(sample_file), "-o", str(pdf), "--paper", "A2",
                 "--orientation", "portrait", "--quiet"]) == 0
    box = PdfReader(pdf).pages[0].mediabox
    assert float(box.width) < float(box.height)
    assert main(["export", str(sample_file), "-o", str(png), "--paper", "A5", "--dpi", "72",
                 "--quiet"]) == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert main(["export", str(sample_file), "-o", str(svg), "--paper", "A4", "--quiet"]) == 0
    assert b"<svg" in svg.read_bytes()[:400]


def test_export_refuses_overwrite_without_force(sample_file: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.pdf"
    out.write_text("keep me")
    assert main(["export", str(sample_file), "-o", str(out)]) == 1
    assert "--force" in capsys.readouterr().err
    assert out.read_text() == "keep me"
    assert main(["export", str(sample_file), "-o", str(out), "--force", "--quiet"]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_export_tile_bleed_and_bad_options(sample_file: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    tiled = tmp_path / "t.pdf"
    assert main(["export", str(sample_file), "-o", str(tiled), "--paper", "A2", "--tile", "A4",
                 "--quiet"]) == 0
    assert len(PdfReader(tiled).pages) > 1
    bled = tmp_path / "b.pdf"
    assert main(["export", str(sample_file), "-o", str(bled), "--paper", "A3", "--bleed", "3mm",
                 "--crop-marks", "--quiet"]) == 0
    assert float(PdfReader(bled).pages[0].trimbox.width) == pytest.approx(1190.55, abs=0.01)
    capsys.readouterr()
    assert main(["export", str(sample_file), "-o", str(tmp_path / "x.png"), "--tile", "A4"]) == 1
    assert "PDF output only" in capsys.readouterr().err
    assert main(["export", str(sample_file), "-o", str(tmp_path / "x.doc")]) == 1
    assert "cannot export as '.doc'" in capsys.readouterr().err
    assert main(["export", str(sample_file), "-o", str(tmp_path / "x.pdf"), "--paper", "B9"]) == 1
    assert "unknown paper" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_export_shows_preflight_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "e.cjm"
    data = build(["Full", "Empty"], [("L", LaneKind.ACTIONS)],
                 [dict(stage="Full", lane="L", title="Only card")])
    Document.create_from(path, data).close()
    out = tmp_path / "e.pdf"
    result = subprocess.run([sys.executable, "-m", "app", "export", str(path), "-o", str(out),
                             "--paper", "A4"], capture_output=True, text=True, cwd=ROOT,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "empty-stage" in result.stderr and "'Empty' has no cards" in result.stderr
    assert "wrote" in result.stdout and out.exists()
