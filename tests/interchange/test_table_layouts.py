"""Spreadsheets and Markdown as people lay them out (issue 17, points 10-13).

Fixtures (files/tables/ and table_fixtures.py) are written for these tests: an English
stage-rows CSV with a title block, a French grid with title rows (semicolons), a Spanish
workbook with an instructions sheet, a title block above row 9 and a merged stage cell,
and a Markdown page with tables in two layouts and Mermaid fences (one Japanese).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from interchange_helpers import content, problems_of, write
from mermaid_check import mermaid_reads
from table_fixtures import BANCA_TITLE, banca_workbook

from app.cli import main
from app.errors import ImportProblem
from app.interchange.csv_io import import_csv
from app.interchange.formats import detect_format, export_data, import_file
from app.interchange.markdown import import_markdown, to_markdown
from app.interchange.tabular import ImportOptions
from app.model.document import Document
from app.model.schema import CardKind, LaneKind

FILES = Path(__file__).parent / "files" / "tables"
CHECKOUT = FILES / "checkout-stage-rows.csv"
SINISTRE = FILES / "sinistre-grille.csv"
ONBOARDING = FILES / "onboarding.md"


def _cells(data, map_id: int = 1) -> list[tuple[str, str, str, int | None]]:
    return [(data.stages[c.stage_id].name, data.lanes[c.lane_id].name, c.title, c.emotion)
            for c in data.cards_of(map_id)]


# ---------------------------------------------------------------- 12. stage rows
def test_stage_rows_with_a_title_block_import_as_their_author_meant() -> None:
    result = import_csv(CHECKOUT)
    data = result.data
    (m,) = data.ordered_maps()
    assert m.title == "Customer Journey Map – Online grocery checkout"
    persona = data.personas[m.persona_id]
    assert (persona.name, persona.role) == ("Priya", "38, orders for a family of five")
    assert [s.name for s in data.stages_of(1)] == ["Browse", "Delivery slot", "Pay",
                                                   "After order"]
    assert [(ln.name, ln.kind) for ln in data.lanes_of(1)] == [
        ("Touchpoint", LaneKind.TOUCHPOINTS), ("User Action", LaneKind.ACTIONS),
        ("Thought/Quote", LaneKind.THOUGHTS), ("Emotion", LaneKind.EMOTIONS),
        ("Pain Point", LaneKind.PAIN_POINTS), ("Opportunity", LaneKind.OPPORTUNITIES)]
    cells = _cells(data)
    # multi-line cells are cards, bullets dropped; the row without a stage continues 'Delivery slot'
    assert ("Browse", "User Action", 'Searches "oat milk 1L"', None) in cells
    assert ("Browse", "User Action", "Adds 23 items to basket", None) in cells
    assert ("Delivery slot", "User Action", "Changes to Friday morning", None) in cells
    # emotions from words and faces
    emotions = [(s, t, e) for s, lane, t, e in cells if lane == "Emotion"]
    assert emotions == [("Browse", "Curious 🙂", 1), ("Delivery slot", "frustrated", -1),
                        ("Delivery slot", "neutral", 0), ("Pay", "😡", -2),
                        ("After order", "anxious", -1)]
    kinds = {data.lanes[c.lane_id].name: c.kind for c in data.cards_of(1)}
    assert kinds["Pain Point"] is CardKind.PAIN_POINT and kinds["Emotion"] is CardKind.EMOTION
    assert result.warnings == []
    assert result.notes[0].startswith("read in the stage-rows layout (one row per stage, a lane "
                                      "per column); detected: column A 'Stage' names the stages")
    assert result.notes[1] == (
        "header row: row 5; rows 1-3 above it skipped (they give the map's title 'Customer "
        "Journey Map – Online grocery checkout' and persona 'Priya, 38, orders for a family of "
        "five')")


def test_stage_rows_emotion_numbers_on_a_scale_and_unknown_words(tmp_path: Path) -> None:
    src = write(tmp_path, "s.csv", "Phase,Feeling,Notes\nLlegar,4,hace frío\nPedir,2,\n"
                                   "Pagar,5,\nIrse,bemused,\n")
    result = import_csv(src)
    assert [c.emotion for c in result.data.cards_of(1) if c.kind is CardKind.EMOTION] == [
        1, -1, 2, None]
    assert "emotion numbers were read on a 1..5 scale (3 is neutral)" in result.warnings
    assert any(w.startswith("an emotion word Waymark does not know kept its card without a "
                            "score") and "row 5, column B 'bemused'" in w for w in result.warnings)
    bad = write(tmp_path, "b.csv", "Stage,Emotion\nA,-3\nB,7\n")
    _msg, details = problems_of(import_csv, bad)
    assert details == ["row 2, column B: emotion -3 is outside -2..+2 (and the column's numbers "
                       "fit no 1..5 or 0..10 scale)",
                       "row 3, column B: emotion 7 is outside -2..+2 (and the column's numbers "
                       "fit no 1..5 or 0..10 scale)"]


# ---------------------------------------------------------------- 11. header row, sheets
def test_grid_below_title_rows_with_semicolons() -> None:
    result = import_csv(SINISTRE)
    data = result.data
    assert data.maps[1].title == "Parcours client — déclaration de sinistre habitation"
    assert [s.name for s in data.stages_of(1)] == ["Découverte", "Déclaration", "Expertise",
                                                   "Indemnisation"]
    assert [(ln.name, ln.kind) for ln in data.lanes_of(1)] == [
        ("Points de contact", LaneKind.TOUCHPOINTS), ("Actions", LaneKind.ACTIONS),
        ("Émotions", LaneKind.EMOTIONS), ("Irritants", LaneKind.PAIN_POINTS)]
    assert ("Découverte", "Émotions", "Inquiète", -2) in _cells(data)
    assert result.notes[1] == ("header row: row 4; rows 1-2 above it skipped (they give the "
                               "map's title 'Parcours client — déclaration de sinistre "
                               "habitation')")


def test_workbook_title_block_merged_cells_and_several_sheets(tmp_path: Path) -> None:
    book = banca_workbook(tmp_path / "banca.xlsx")
    result = import_file(book)
    data = result.data
    maps = data.ordered_maps()
    assert [m.title for m in maps] == [BANCA_TITLE, "Ouvrir un compte en agence"]
    assert data.personas[maps[0].persona_id].name == "Marta"
    assert [s.name for s in data.stages_of(maps[0].id)] == [
        "Descubrir", "Registrarse", "Verificar", "Primer uso"]
    cells = _cells(data, maps[0].id)
    assert ("Registrarse", "Acción del usuario", "Repite el selfie tres veces", None) in cells
    assert ("Registrarse", "Emoción", "enfadada", -2) in cells
    assert ("Registrarse", "Emoción", "frustrada 😤", -1) in cells
    assert ("Registrarse", "Acción del usuario", "Escanea el DNI", None) in cells
    assert [(ln.name, ln.kind) for ln in data.lanes_of(maps[1].id)] == [
        ("Points de contact", LaneKind.TOUCHPOINTS), ("Émotions", LaneKind.EMOTIONS)]
    assert any(w.startswith("sheet 'Instrucciones': no table found") for w in result.warnings)
    assert result.notes[0].startswith("sheet 'Instrucciones': no table found")
    assert result.notes[1].startswith("sheet 'Mapa': read in the stage-rows layout")
    assert result.notes[2].startswith("header row: row 9; rows 1-2, 4-5, 7 above it skipped")
    # one sheet only
    only = import_file(book, options=ImportOptions(sheets=["agence"])).data
    assert [m.title for m in only.ordered_maps()] == ["Ouvrir un compte en agence"]
    _msg, details = problems_of(import_file, book, None, ImportOptions(sheets=["Hoja1"]))
    assert details == ["there is no sheet 'Hoja1' (sheets: 'Instrucciones', 'Mapa', 'Agence')"]


# ---------------------------------------------------------------- overrides
def test_layout_header_row_and_columns_can_be_chosen(tmp_path: Path) -> None:
    # read the title row as the header: nothing sensible, so say which row it is
    chosen = import_csv(CHECKOUT, ImportOptions(header_row=5, columns={
        "D": "ignore", "Opportunity": "ideas"}))
    lanes = [(ln.name, ln.kind) for ln in chosen.data.lanes_of(1)]
    assert ("Thought/Quote", LaneKind.THOUGHTS) not in lanes
    assert ("Opportunity", LaneKind.OPPORTUNITIES) in lanes
    # the same grid read as stage rows: its lanes become stages
    turned = import_csv(SINISTRE, ImportOptions(layout="stage-rows")).data
    assert [s.name for s in turned.stages_of(1)] == ["Points de contact", "Actions", "Émotions",
                                                     "Irritants"]
    assert [ln.name for ln in turned.lanes_of(1)] == ["Découverte", "Déclaration", "Expertise",
                                                      "Indemnisation"]
    with pytest.raises(ImportProblem) as info:
        import_csv(CHECKOUT, ImportOptions(columns={"Q": "title"}))
    assert info.value.details == ["--column Q=title: there is no column 'Q'"]
    with pytest.raises(ImportProblem) as info:
        import_csv(CHECKOUT, ImportOptions(columns={"B": "toaster"}))
    assert info.value.details[0].startswith("--column B=toaster: 'toaster' is not a column role "
                                            "of the stage-rows layout")


def test_cli_flags_choose_layout_header_row_column_and_sheet(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "c.cjm"
    assert main(["import", str(CHECKOUT), "-o", str(out), "--layout", "stage-rows",
                 "--header-row", "5", "--column", "Thought/Quote=ignore"]) == 0
    printed = capsys.readouterr().out
    assert "(4 stages, 5 lanes, 27 cards)" in printed
    assert "header row: row 5 (chosen)" in printed
    assert "D 'Thought/Quote' → ignored" in printed
    book = banca_workbook(tmp_path / "banca.xlsx")
    assert main(["import", str(book), "-o", str(tmp_path / "b.cjm"), "--sheet", "Mapa"]) == 0
    with Document.open(tmp_path / "b.cjm", read_only=True) as doc:
        assert [m.title for m in doc.data.ordered_maps()] == [BANCA_TITLE]
    assert main(["import", str(CHECKOUT), "-o", str(tmp_path / "x.cjm"), "--column", "Cx"]) == 1
    assert "--column 'Cx': write COLUMN=ROLE" in capsys.readouterr().err
    mmd = write(tmp_path, "j.mmd", "journey\n  section A\n    t: 3\n")
    assert main(["import", str(mmd), "-o", str(tmp_path / "j.cjm"), "--layout", "grid"]) == 1
    assert "apply to the tables of CSV, XLSX and Markdown files" in capsys.readouterr().err


# ---------------------------------------------------------------- 13. messages
def test_a_refusal_says_what_was_recognised_and_how_to_change_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    long_name = "A very long stage name " * 7
    src = write(tmp_path, "bad.csv", "Onboarding workshop, March\n\n"
                                     "Stage,Touchpoint,Emotion\n"
                                     f"{long_name},Website,happy\n,,\n"
                                     "Sign up,Form,\"-5\"\nUse,App,9\n")
    with pytest.raises(ImportProblem) as info:
        import_csv(src)
    err = info.value
    assert err.details[0] == (f"row 4, column A: a stage name has at most 120 characters, not "
                              f"{len(long_name.strip())}")
    assert err.details[1].startswith("row 6, column C: emotion -5 is outside -2..+2")
    assert err.notes[0].startswith("read in the stage-rows layout")
    assert err.notes[1].startswith("header row: row 3; rows 1 above it skipped") or \
        err.notes[1].startswith("header row: row 3; rows 1 above")
    assert err.notes[2] == ("columns (lanes): A 'Stage' → stage; B 'Touchpoint' → touchpoints "
                            "lane; C 'Emotion' → emotions lane")
    assert err.notes[-1].startswith("to read it another way: --layout long|grid|stage-rows, "
                                    "--header-row N, --column LETTER=ROLE, --sheet NAME (or the "
                                    "Import dialog's Layout, Header row and column choices)")
    assert main(["import", str(src), "-o", str(tmp_path / "bad.cjm")]) == 1
    stderr = capsys.readouterr().err
    assert "read in the stage-rows layout" in stderr and "--header-row N" in stderr
    assert not (tmp_path / "bad.cjm").exists()


def test_a_long_table_without_titles_points_at_the_column_option(tmp_path: Path) -> None:
    src = write(tmp_path, "l.csv", "stage,lane,description\nBuy,Touchpoints,Checkout page\n")
    with pytest.raises(ImportProblem) as info:
        import_csv(src)
    assert info.value.details[0].startswith("row 1: the required column 'title' is missing")
    assert info.value.notes[0].startswith("read in the long layout (one row per card); "
                                          "detected: its columns name card fields")
    assert "C 'description' → body" in info.value.notes[2]
    fixed = import_csv(src, ImportOptions(columns={"C": "title"})).data
    assert [c.title for c in fixed.cards.values()] == ["Checkout page"]


# ---------------------------------------------------------------- 10. Markdown in
def test_markdown_fences_and_tables_become_maps_in_document_order() -> None:
    assert detect_format(ONBOARDING) == "markdown"
    result = import_markdown(ONBOARDING)
    data = result.data
    maps = data.ordered_maps()
    assert [m.title for m in maps] == ["New employee, first week", "入社手続き（東京オフィス）",
                                       "Grid from the workshop wall"]
    first = maps[0]
    persona = data.personas[first.persona_id]
    assert (persona.name, persona.role) == ("Amara", "backend developer, remote")
    assert first.description == ("Amara joins a team in another time zone; these are the steps "
                                 "she described.")
    assert ("Day 1", "Actions", "Joins 14 Slack channels", None) in _cells(data, first.id)
    assert ("Day 1", "Emotion", "😕", -1) in _cells(data, first.id)
    japanese = maps[1]
    assert [s.name for s in data.stages_of(japanese.id)] == ["入社前", "初日"]
    assert data.personas[japanese.persona_id].name == "佐藤さん"
    assert [(ln.name, ln.kind) for ln in data.lanes_of(maps[2].id)] == [
        ("Touchpoints", LaneKind.TOUCHPOINTS), ("Emotions", LaneKind.EMOTIONS),
        ("Opportunities", LaneKind.OPPORTUNITIES)]
    assert result.warnings == ["line 38: a Mermaid flowchart diagram, not a journey; skipped"]


def test_markdown_problems_name_the_file_line(tmp_path: Path) -> None:
    page = write(tmp_path, "p.md", "# Notes\n\nSome text.\n\n```mermaid\njourney\n  section A\n"
                                   "    Section 2 recap: 4: Me\n```\n\n"
                                   "| Stage | Emotion |\n|---|---|\n| Buy | 9 |\n| Use | -4 |\n")
    _msg, details = problems_of(import_markdown, page)
    assert details[0].startswith("line 8, column 5: Mermaid reads 'Section 2 recap' as a section")
    assert details[1].startswith("line 13, column 2: emotion 9 is outside -2..+2")
    assert details[2].startswith("line 14, column 2: emotion -4 is outside -2..+2")


def test_markdown_long_table_and_escapes(tmp_path: Path) -> None:
    page = write(tmp_path, "l.md", "| stage | lane | title | emotion |\n|---|---|---|---|\n"
                                   "| Pedir | Acciones | Pide \\| paga **ya** | 1 |\n"
                                   "| Pedir | Emociones | Contenta | 2 |\n")
    data = import_markdown(page).data
    assert [(c.title, c.emotion) for c in data.cards_of(1)] == [("Pide | paga ya", 1),
                                                                ("Contenta", 2)]


# ---------------------------------------------------------------- round trips
def _sources(tmp_path: Path) -> list[Path]:
    return [CHECKOUT, SINISTRE, banca_workbook(tmp_path / "banca.xlsx"), ONBOARDING]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json", ".md"])
def test_round_trips_keep_the_maps(tmp_path: Path, suffix: str) -> None:
    for source in _sources(tmp_path):
        first = import_file(source).data
        out = export_data(first, None, tmp_path / f"{source.stem}{suffix}", force=True)
        again = import_file(out).data
        mine, theirs = content(first), content(again)
        if suffix == ".md":  # the grid carries titles, kinds, emotions: all these maps have
            for a, b in zip(mine, theirs, strict=True):
                assert (a["title"], a["persona"], a["stages"], a["lanes"]) == (
                    b["title"], b["persona"], b["stages"], b["lanes"]), source
                assert [(s, ln, c["kind"], c["title"], c["emotion"]) for s, ln, _p, c in a["cards"]] \
                    == [(s, ln, c["kind"], c["title"], c["emotion"]) for s, ln, _p, c in b["cards"]]
        else:
            assert theirs == mine, source


def test_round_trip_through_mermaid_keeps_stages_actions_and_scores(tmp_path: Path) -> None:
    for source in _sources(tmp_path):
        first = import_file(source).data
        for m in first.ordered_maps():
            out = export_data(first, m.id, tmp_path / f"{source.stem}-{m.id}.mmd", force=True)
            again = import_file(out).data
            assert [s.name for s in again.stages_of(1)] == [s.name for s in first.stages_of(m.id)]
            acts = [c.title for c in first.cards_of(m.id) if c.kind is CardKind.ACTION]
            assert [c.title for c in again.cards_of(1)] == acts or not acts


def test_markdown_export_is_a_table_and_a_journey_per_map(tmp_path: Path) -> None:
    data = import_csv(CHECKOUT).data
    text = to_markdown(data, [1])
    assert text.startswith("## Customer Journey Map – Online grocery checkout\n\nPersona: Priya\n")
    assert "| Touchpoint | App home screen<br>Weekly offers e\\-mail |" not in text  # no escaping of '-'
    assert "| Touchpoint | App home screen<br>Weekly offers e-mail | Slot picker |" in text
    assert "| Emotion | Curious 🙂 (+1) | frustrated (-1)<br>neutral (0) |" in text
    fence = text.split("```mermaid\n")[1].split("```")[0]
    assert mermaid_reads(fence)["sections"] == ["Browse", "Delivery slot", "Pay", "After order"]
    out = export_data(data, None, tmp_path / "map.md")
    again = import_markdown(out)
    assert len(again.data.maps) == 1  # the journey repeats the table: read once
    assert any("repeats the table above it" in w for w in again.warnings)
