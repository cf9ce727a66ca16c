"""``waymark import`` end to end: new documents, --into as one undo step, bad files change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from interchange_helpers import REAL_MAPS, write

from app.cli import main
from app.model.document import Document


def test_import_creates_a_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ikea.cjm"
    assert main(["import", str(REAL_MAPS / "ikea-couch.csv"), "-o", str(out)]) == 0
    assert "1 map: 'ikea couch' (6 stages, 3 lanes, 69 cards)" in capsys.readouterr().out
    with Document.open(out, read_only=True) as doc:
        assert len(doc.data.cards) == 69
        assert not doc.can_undo
    assert main(["import", str(REAL_MAPS / "ikea-couch.csv"), "-o", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["import", str(REAL_MAPS / "ikea-couch.csv"), "-o", str(out), "--force"]) == 0
    assert main(["import", str(REAL_MAPS / "ikea-couch.csv"), "-o", str(tmp_path / "x.db")]) == 1


def test_import_into_is_one_undo_step(tmp_path: Path) -> None:
    target = tmp_path / "t.cjm"
    assert main(["import", str(REAL_MAPS / "ikea-couch.csv"), "-o", str(target)]) == 0
    assert main(["import", str(REAL_MAPS / "viaje-dos-personas.csv"), "--into", str(target)]) == 0
    with Document.open(target) as doc:
        titles = [m.title for m in doc.data.ordered_maps()]
        assert titles == ["ikea couch", "Viaje de Ayax", "Viaje de Cayetana"]
        assert len(doc.data.personas) == 2
        assert doc.undo_label.startswith("Import viaje-dos-personas.csv")
        doc.undo()
        assert [m.title for m in doc.data.maps.values()] == ["ikea couch"]
        assert not doc.data.personas


def test_bad_file_leaves_the_document_unchanged(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "t.cjm"
    assert main(["import", str(REAL_MAPS / "ikea-couch.csv"), "-o", str(target)]) == 0
    before = target.read_bytes()
    with Document.open(target, read_only=True) as doc:
        data, history = doc.data, doc.history()
    bad = write(tmp_path, "bad.csv", "stage,kind,title,emotion\nA,action,ok,1\nB,gizmo,x,1\n"
                                     "C,emotion,y,9\n")
    assert main(["import", str(bad), "--into", str(target)]) == 1
    err = capsys.readouterr().err
    assert "waymark: 2 problems in 'bad.csv'" in err
    assert "row 3, column B (kind): unknown kind 'gizmo'" in err
    assert "row 4, column D (emotion): emotion 9 is outside -2..+2" in err
    with Document.open(target, read_only=True) as doc:
        assert doc.data == data and doc.history() == history
    assert target.read_bytes() == before
    assert main(["import", str(bad), "-o", str(tmp_path / "new.cjm")]) == 1
    assert not (tmp_path / "new.cjm").exists()


def test_every_format_imports_from_the_command_line(tmp_path: Path) -> None:
    from app.interchange.csv_io import import_csv
    from app.interchange.formats import export_data

    data = import_csv(REAL_MAPS / "restaurant-blueprint.csv").data
    for suffix in (".xlsx", ".json", ".mmd"):
        src = export_data(data, None, tmp_path / f"r{suffix}")
        out = tmp_path / f"r{suffix}.cjm"
        assert main(["import", str(src), "-o", str(out)]) == 0
        with Document.open(out, read_only=True) as doc:
            assert {c.title for c in doc.data.cards.values()} >= {"Give booking name"}


def test_metrics_import_is_one_undo_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "t.cjm"
    assert main(["import", str(REAL_MAPS / "ikea-couch.csv"), "-o", str(target)]) == 0
    metrics = write(tmp_path, "m.csv", "stage,touchpoint,metric,value,n\n"
                    "Research,Visit website,reach,1000,\nPurchase,Make payment,reach,120,\n"
                    "Purchase,Make payment,CSAT,3.2,40\n")
    assert main(["import", str(metrics), "--into", str(target), "--metrics",
                 "--map", "ikea couch"]) == 0
    assert "updated 2 cards" in capsys.readouterr().out
    with Document.open(target) as doc:
        payment = next(c for c in doc.data.cards.values() if c.title == "Make payment")
        assert payment.metrics == {"reach": 120.0, "CSAT": 3.2}
        assert doc.undo_label == "Import metrics m.csv"
        doc.undo()
        assert all(not c.metrics for c in doc.data.cards.values())
    bad = write(tmp_path, "bad.csv", "stage,title,metric,value\nResearch,Nope,reach,1\n")
    assert main(["import", str(bad), "--into", str(target), "--metrics"]) == 1
    assert "row 2, column B (title): no card 'Nope' in stage 'Research'" in capsys.readouterr().err


def test_output_in_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "nowhere" / "a.cjm"
    assert main(["import", str(REAL_MAPS / "ikea-couch.csv"), "-o", str(out)]) == 1
    assert "the folder of 'a.cjm' does not exist" in capsys.readouterr().err


def test_import_formats_match_the_importers_and_load_lazily() -> None:
    import subprocess
    import sys

    from app.interchange.cli import IMPORT_FORMATS
    from app.interchange.formats import IMPORTERS

    assert IMPORT_FORMATS == tuple(sorted(IMPORTERS))
    # Building the command line (every waymark command does) leaves the importers unloaded.
    code = ("import sys; from app.cli import build_parser; build_parser(); "
            "print('app.interchange.formats' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
