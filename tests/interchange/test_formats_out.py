"""Exporters: XLSX (grid sheets + Cards), JSON (+ its published schema), Mermaid, CSV safety."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from interchange_helpers import REAL_MAPS, content, write

from app.errors import ExportError, ImportProblem
from app.interchange.csv_io import import_csv
from app.interchange.formats import export_data, import_file
from app.interchange.json_io import SCHEMA_PATH, import_json, schema_text
from app.interchange.mermaid import import_mermaid, to_mermaid
from app.interchange.xlsx_io import import_xlsx
from app.model.schema import Blob, CardKind, DocumentData


def _ikea() -> DocumentData:
    return import_csv(REAL_MAPS / "ikea-couch.csv").data


def test_published_schema_is_current() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text()
    schema = json.loads(schema_text())
    assert schema["properties"]["format"]["const"] == "waymark"
    assert "Card" in schema["$defs"]


def test_xlsx_has_a_grid_sheet_per_map_and_a_cards_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    data = import_csv(REAL_MAPS / "viaje-dos-personas.csv").data
    out = export_data(data, None, tmp_path / "v.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["Viaje de Ayax", "Viaje de Cayetana", "Cards"]
    grid = wb["Viaje de Ayax"]
    assert [c.value for c in grid[1]][1:] == [
        "Inspiración", "Decisión", "Actúa", "Observa", "Analiza", "Conclusión"]
    assert grid["A2"].value == "Objetivos"
    assert content(import_xlsx(out).data) == content(data)


def test_xlsx_text_never_becomes_a_formula(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write(tmp_path, "f.csv", "stage,title,body,metric:NPS\n=A1,=SUM(1;2),+x,-5\n")
    data = import_csv(path).data
    out = export_data(data, None, tmp_path / "f.xlsx")
    cards = load_workbook(out)["Cards"]
    header = [c.value for c in cards[1]]
    row = {h: c for h, c in zip(header, cards[2], strict=True)}
    assert row["title"].value == "=SUM(1;2)" and row["title"].data_type == "s"
    assert row["stage"].data_type == "s"
    assert row["metric:NPS"].value == -5
    again = import_xlsx(out).data
    assert again.cards_of(1)[0].title == "=SUM(1;2)"
    assert again.cards_of(1)[0].metrics == {"NPS": -5.0}


def test_csv_export_escapes_formulas_and_keeps_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "f.csv", "stage,title,body,emotion,metric:drop\n"
                                    "@S,=cmd|' /C calc'!A0,\tx,-2,-0.25\n")
    out = export_data(import_csv(path).data, None, tmp_path / "out.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0]["title"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["stage"] == "'@S" and rows[0]["body"] == "'\tx"
    assert rows[0]["emotion"] == "-2" and rows[0]["metric:drop"] == "-0.25"
    card = import_csv(out).data.cards_of(1)[0]
    assert (card.title, card.body, card.emotion) == ("=cmd|' /C calc'!A0", "\tx", -2)


def test_export_refuses_existing_file_unless_forced(tmp_path: Path) -> None:
    data = _ikea()
    target = tmp_path / "x.csv"
    target.write_text("keep me")
    with pytest.raises(ExportError, match="already exists"):
        export_data(data, None, target)
    assert target.read_text() == "keep me"
    export_data(data, None, target, force=True)
    assert "Assemble couch" in target.read_text(encoding="utf-8-sig")
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]  # no temporary left behind
    with pytest.raises(ExportError, match=r"cannot export data as '\.pdf'"):
        export_data(data, None, tmp_path / "x.pdf")


def test_single_map_json_export_and_blobs(tmp_path: Path) -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 6), "teal").save(buf, "PNG")
    png = buf.getvalue()
    digest = hashlib.sha256(png).hexdigest()
    data = import_csv(REAL_MAPS / "viaje-dos-personas.csv").data
    second = data.ordered_maps()[1]
    card = data.cards_of(second.id)[0]
    data = data.model_copy(update={"cards": {**data.cards, card.id: card.model_copy(
        update={"image": digest})}})
    blob = Blob(hash=digest, mime="image/png", data=png)
    out = export_data(data, second.id, tmp_path / "one.json",
                      blob_lookup=lambda h: blob if h == digest else None)
    result = import_json(out)
    assert [m.title for m in result.data.ordered_maps()] == ["Viaje de Cayetana"]
    assert [p.name for p in result.data.personas.values()] == ["Cayetana Jimenez Robles"]
    assert result.blobs[digest].data == png
    assert content(result.data)[0]["cards"] == content(data)[1]["cards"]
    text = out.read_text(encoding="utf-8").replace(digest + '": {', "f" * 64 + '": {')
    bad = write(tmp_path, "bad.json", text)
    with pytest.raises(ImportProblem) as info:
        import_json(bad)
    assert "do not match their SHA-256 name" in info.value.details[0]


def test_mermaid_import_example(tmp_path: Path) -> None:
    path = write(tmp_path, "day.mmd", "%% a comment\njourney\n  title My working day\n"
                 "  section Go to work\n    Make tea: 5: Me\n    Go upstairs: 3: Me\n"
                 "    Do work: 1: Me, Cat\n  section Go home\n    Go downstairs: 5: Me\n"
                 "    Sit down: 5: Me\n")
    data = import_mermaid(path).data
    (m,) = data.ordered_maps()
    assert m.title == "My working day"
    assert data.personas[m.persona_id].name == "Me"
    assert sorted(p.name for p in data.personas.values()) == ["Cat", "Me"]
    assert [s.name for s in data.stages_of(m.id)] == ["Go to work", "Go home"]
    cards = data.cards_of(m.id)
    assert [(c.title, c.emotion) for c in cards] == [
        ("Make tea", 2), ("Go upstairs", 0), ("Do work", -2), ("Go downstairs", 2),
        ("Sit down", 2)]
    assert all(c.kind is CardKind.ACTION for c in cards) and cards[2].tags == ["Me", "Cat"]
    # and back: the same tasks, scores and actors
    again = import_mermaid(write(tmp_path, "again.mmd", to_mermaid(data, m.id))).data
    assert content(again) == content(data)


def test_mermaid_export_of_real_map_uses_matching_emotions(tmp_path: Path) -> None:
    data = _ikea()
    text = to_mermaid(data, 1)
    assert "  section Setup\n    Bring couch home: 2\n    Assemble couch: 1\n" in text
    with pytest.raises(ExportError, match="holds one map"):
        export_data(import_csv(REAL_MAPS / "viaje-dos-personas.csv").data, None,
                    tmp_path / "two.mmd")
    hostile = write(tmp_path, "h.csv", "stage,kind,title\nA: b,action,x: y %% z\n")
    line = to_mermaid(import_csv(hostile).data, 1)
    assert import_mermaid(write(tmp_path, "h.mmd", line)).data.cards_of(1)[0].emotion == 0


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json", ".mmd"])
def test_every_real_map_exports_every_card_text(tmp_path: Path, suffix: str) -> None:
    for source in sorted(REAL_MAPS.glob("*.csv")):
        data = import_csv(source).data
        for m in data.ordered_maps():
            out = export_data(data, m.id, tmp_path / f"{source.stem}-{m.id}{suffix}")
            again = import_file(out).data
            titles = sorted(" ".join(c.title.split()) for c in again.cards.values())
            wanted = data.cards_of(m.id)
            if suffix == ".mmd":  # Mermaid carries the action cards (else all but emotions)
                kinds = {c.kind for c in wanted}
                keep = {CardKind.ACTION} if CardKind.ACTION in kinds else kinds - {
                    CardKind.EMOTION}
                wanted = [c for c in wanted if c.kind in keep]
            assert titles == sorted(" ".join(c.title.split()) for c in wanted)


def test_csv_carries_card_ids_for_metrics_and_files_get_normal_mode(tmp_path: Path) -> None:
    data = _ikea()
    out = export_data(data, None, tmp_path / "ids.csv")
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [int(r["card_id"]) for r in rows] == [c.id for c in data.cards_of(1)]
    assert out.stat().st_mode & 0o777 == 0o644
    assert import_csv(out).warnings == []  # card_id is known, and ignored on import


def test_mermaid_keywords_in_titles_stay_tasks(tmp_path: Path) -> None:
    src = write(tmp_path, "k.csv", "stage,kind,title\nS,action,title of thing; x\n"
                                   "S,action,section 3 #1\n")
    text = to_mermaid(import_csv(src).data, 1)
    cards = import_mermaid(write(tmp_path, "k.mmd", text)).data.cards_of(1)
    assert [c.title for c in cards] == ["title of thing; x", "section 3 #1"]  # exactly
