"""``waymark report``: the issue's done-when check on the IKEA map, JSON output, versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.analysis.report import build_report, format_report
from app.cli import main
from app.model import commands as C
from app.model.document import Document
from tests.real_maps import REAL_MAPS


@pytest.fixture
def ikea(tmp_path: Path) -> Path:
    out = tmp_path / "ikea.cjm"
    assert main(["import", str(REAL_MAPS / "ikea-couch.csv"), "-o", str(out)]) == 0
    return out


def test_done_when_ikea_report(ikea: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["report", str(ikea)]) == 0
    text = capsys.readouterr().out
    lowest = next(line for line in text.splitlines() if "lowest emotion" in line)
    assert "Setup" in lowest and "Support" in lowest
    assert "24 channel switches" in text
    assert "web -> store: 'Visit inspiration sites (Pinterest, etc)' (Research) -> " \
           "'Drive and park' (Visit); emotion -0.67 -> +0.33" in text
    assert "Stages with no goal: Research, Visit, Purchase, Setup, Use, Support" in text


def test_json_report_and_map_choice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "v.cjm"
    assert main(["import", str(REAL_MAPS / "viaje-dos-personas.csv"), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["report", str(out), "--map", "viaje de cayetana", "--json",
                 "--compare", "Viaje de Ayax"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["map"]["title"] == "Viaje de Cayetana"
    assert report["map"]["persona"] == "Cayetana Jimenez Robles"
    assert report["comparison"]["with"] == "Viaje de Ayax"
    assert report["comparison"]["stages"][0]["stage"] == "Inspiración"
    assert report["evidence"][0]["unstated"] == 4
    assert main(["report", str(out), "--map", "nobody"]) == 1
    assert "no map named 'nobody'" in capsys.readouterr().err


def test_report_since_a_named_version(ikea: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Document.open(ikea) as doc:
        doc.name_version("Q3 review")
        card = next(c for c in doc.data.cards.values() if c.title == "Assemble couch"
                    and c.kind == "emotion")
        doc.execute(C.UpdateCard(card.id, {"emotion": 1}))
    capsys.readouterr()
    assert main(["report", str(ikea), "--since", "q3 review"]) == 0
    text = capsys.readouterr().out
    assert "Changes since Q3 review: 0 added, 0 removed, 0 moved, 1 edited" in text
    assert "'Assemble couch': emotion -2 -> 1" in text
    assert "emotion of Setup: -1.5 -> 0" in text
    assert main(["report", str(ikea), "--since", "Q4"]) == 1
    assert "no version named 'Q4' (versions: 'Q3 review')" in capsys.readouterr().err


def test_overdue_review_is_a_warning(ikea: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    with Document.open(ikea) as doc:
        map_id = doc.data.ordered_maps()[0].id
        doc.execute(C.UpdateMap(map_id, {"last_reviewed": dt.date(2026, 1, 1)}))
        data = doc.data
    report = build_report(data, map_id, today=dt.date(2026, 5, 1))
    assert report["review"]["overdue_days"] == 30
    assert "map 'ikea couch' is 30 days overdue for review (due 2026-04-01)" in report["warnings"]
    assert "Warnings\n  map 'ikea couch' is 30 days overdue" in format_report(report)
    json.dumps(report)  # JSON-ready
