"""Files as spreadsheets, editors and wikis really save them (the issue 17 hardening pass).

Each fixture is written here, small, in the encoding, line ends and quirks of the tool
that makes it: Excel's "CSV" in the system's code page (Windows-1252, Shift-JIS, GBK,
Windows-1256), its "Unicode text" (UTF-16, tabs), UTF-16 without a byte-order mark,
Excel's ``sep=;`` first line. Every one is imported through the public importers or the
CLI and checked for what its author meant.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from interchange_helpers import content, problems_of

from app.cli import main
from app.interchange.csv_io import import_csv
from app.interchange.formats import export_data, import_file
from app.interchange.metrics import import_metrics
from app.model.document import Document

_LONG_ES = [
    ["stage", "lane", "title", "emotion"],
    ["Descubrir", "Puntos de contacto", "Anuncio en Instagram", ""],
    ["Descubrir", "Emociones", "Curiosa", "1"],
    ["Comprar", "Puntos de dolor", "IVA oculto hasta el final (21 €)", ""],
]


def _csv(rows: list[list[str]], sep: str = ",", nl: str = "\r\n") -> str:
    def cell(c: str) -> str:
        return '"' + c.replace('"', '""') + '"' if any(x in c for x in f'{sep}"\n') else c
    return nl.join(sep.join(cell(c) for c in r) for r in rows) + nl


def _titles(path: Path) -> list[tuple[str, str, str]]:
    data = import_file(path).data
    return [(data.stages[c.stage_id].name, data.lanes[c.lane_id].name, c.title)
            for c in data.cards_of(1)]


# ---------------------------------------------------------------- encodings
@pytest.mark.parametrize(("encoding", "rows", "named"), [
    ("cp932", [["stage", "lane", "title"], ["検索", "タッチポイント", "ホテルを探す"],
               ["予約", "感情", "不安"]], "Shift-JIS"),
    ("gbk", [["stage", "lane", "title"], ["发现", "触点", "浏览小红书笔记"],
             ["购买", "痛点", "运费太贵"]], "GB18030"),
    ("cp1256", [["stage", "lane", "title"], ["الاكتشاف", "نقاط الاتصال", "إعلان على إنستغرام"],
                ["الشراء", "المشاعر", "قلق من الرسوم"]], "Windows-1256"),
    ("cp1252", [["stage", "lane", "title"], ["Entdecken", "Berührungspunkte", "Müsli für 3,50 €"],
                ["Kaufen", "Gefühle", "Ängstlich"]], "Windows-1252"),
    ("latin-1", [["stage", "lane", "title"], ["Découvrir", "Points de contact", "Publicité télé"],
                 ["Acheter", "Émotions", "Intéressée"]], "Windows-1252"),
])
def test_a_csv_in_the_systems_code_page_reads_in_its_script(
        tmp_path: Path, encoding: str, rows: list[list[str]], named: str) -> None:
    path = tmp_path / f"excel-{encoding}.csv"
    path.write_bytes(_csv(rows).encode(encoding))
    result = import_csv(path)
    assert [(s, ln, t) for s, ln, t in _titles(path)] == [tuple(r) for r in rows[1:]]
    (warning,) = result.warnings
    assert f"read as {named}" in warning and "is not UTF-8" in warning


def test_excel_unicode_text_utf16_with_tabs_and_the_same_without_a_bom(tmp_path: Path) -> None:
    text = _csv(_LONG_ES, sep="\t")
    with_bom = tmp_path / "unicode-text.txt"  # Excel's "Unicode Text (*.txt)"
    with_bom.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    bare_le = tmp_path / "exported-le.csv"
    bare_le.write_bytes(text.encode("utf-16-le"))
    bare_be = tmp_path / "exported-be.csv"
    bare_be.write_bytes(text.encode("utf-16-be"))
    expected = [tuple(r[:3]) for r in _LONG_ES[1:]]
    for path in (with_bom, bare_le, bare_be):
        assert _titles(path) == expected, path.name
        assert import_file(path).warnings == []


def test_a_binary_file_named_csv_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "logo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)))
    _message, details = problems_of(import_csv, path)
    assert details == ["this is not a text file (it holds binary data); export the "
                       "table as CSV and import that"]


# ---------------------------------------------------------------- sep= line
@pytest.mark.parametrize("bom", [False, True])
def test_excels_sep_line_names_the_delimiter_and_is_not_a_row(tmp_path: Path, bom: bool) -> None:
    rows = [["stage", "title", "metric:CSAT"], ["Kaufen", "Kasse; Gutschein", "3,5"],
            ["Liefern", "Paket", "4,25"]]
    path = tmp_path / "export.csv"
    path.write_bytes(("sep=;\r\n" + _csv(rows, sep=";")).encode("utf-8-sig" if bom else "utf-8"))
    data = import_csv(path).data
    (m,) = data.ordered_maps()
    assert m.title == "export"
    cards = data.cards_of(1)
    assert [(c.title, c.metrics) for c in cards] == [("Kasse; Gutschein", {"CSAT": 3.5}),
                                                     ("Paket", {"CSAT": 4.25})]


def test_rows_after_a_sep_line_are_numbered_as_the_spreadsheet_shows_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"sep=,\nstage,title,emotion\nBuy,Checkout,9\n")
    assert main(["import", str(path), "-o", str(tmp_path / "bad.cjm")]) == 1
    err = capsys.readouterr().err
    assert "row 2, column C (emotion): emotion 9 is outside -2..+2" in err
    assert not (tmp_path / "bad.cjm").exists()


def test_a_metrics_csv_in_windows_1252_with_a_sep_line(tmp_path: Path) -> None:
    cjm = tmp_path / "m.cjm"
    src = tmp_path / "m.csv"
    src.write_text("stage,title\nCafé,Crème brûlée\n", encoding="utf-8")
    assert main(["import", str(src), "-o", str(cjm)]) == 0
    metrics = tmp_path / "umfrage.csv"
    metrics.write_bytes("sep=;\r\nstage;title;metric;value\r\nCafé;Crème brûlée;Zufriedenheit;"
                        "4,5\r\n".encode("cp1252"))
    with Document.open(cjm) as doc:
        result = import_metrics(metrics, doc.data)
    assert any("Windows-1252" in w for w in result.warnings)
    assert [(u.metric, u.value) for u in result.updates] == [("Zufriedenheit", 4.5)]


def test_a_code_page_csv_round_trips_through_every_format(tmp_path: Path) -> None:
    path = tmp_path / "hotel.csv"
    path.write_bytes(_csv([["stage", "lane", "title", "emotion"],
                           ["検索", "タッチポイント", "駅から近いホテル", ""],
                           ["検索", "感情", "不安", "-1"],
                           ["予約", "タッチポイント", "予約サイト", ""]]).encode("cp932"))
    data = import_csv(path).data
    for ext in ("csv", "xlsx", "md", "json"):
        out = export_data(data, None, tmp_path / f"again.{ext}")
        assert content(import_file(out).data) == content(data), ext


# ---------------------------------------------------------------- headers in every language
@pytest.mark.parametrize("header", [
    ["Etapa", "Carril", "Tipo", "Título", "Descripción", "Emoción", "Votos", "Etiquetas"],
    ["Étape", "Couloir", "Type", "Titre", "Détails", "Émotion", "Votes", "Étiquettes"],
    ["Phase", "Ebene", "Typ", "Titel", "Beschreibung", "Gefühl", "Stimmen", "Schlagwörter"],
    ["ステージ", "レーン", "種類", "タイトル", "説明", "感情", "投票", "タグ"],
    ["阶段", "泳道", "类型", "标题", "描述", "情绪", "票数", "标签"],
    ["المرحلة", "المسار", "النوع", "العنوان", "الوصف", "المشاعر", "الأصوات", "الوسوم"],
    ["etapa", "carril", "tipo", "titulo", "descripcion", "emocion", "votos", "etiquetas"],
])
def test_a_long_table_with_its_header_in_the_authors_language(
        tmp_path: Path, header: list[str]) -> None:
    rows = [header, ["Comprar", "Dolores", "pain point", "Gastos de envío ocultos",
                     "Sólo en el último paso", "", "3", "precio, envío"],
            ["Comprar", "Emociones", "emotion", "Ansiosa", "", "-1", "", ""]]
    path = tmp_path / "tarjetas.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    data = import_csv(path).data
    first, second = data.cards_of(1)
    assert (first.title, first.body, first.votes, first.tags, first.kind.value) == (
        "Gastos de envío ocultos", "Sólo en el último paso", 3, ["precio", "envío"],
        "pain_point")
    assert (second.title, second.emotion) == ("Ansiosa", -1)
    assert [ln.name for ln in data.lanes_of(1)] == ["Dolores", "Emociones"]


@pytest.mark.parametrize(("header", "kinds"), [
    (["Phase", "Berührungspunkte", "Handlungen", "Gedanken", "Gefühle", "Schmerzpunkte",
      "Chancen"],
     ["touchpoints", "actions", "thoughts", "emotions", "pain_points", "opportunities"]),
    (["المرحلة", "نقاط الاتصال", "الإجراءات", "الأفكار", "المشاعر", "نقاط الألم", "الفرص"],
     ["touchpoints", "actions", "thoughts", "emotions", "pain_points", "opportunities"]),
])
def test_stage_rows_with_german_and_arabic_lane_names(
        tmp_path: Path, header: list[str], kinds: list[str]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Reise"
    ws.sheet_view.rightToLeft = header[0] == "المرحلة"
    for row in (header, ["Suchen", "Google", "Vergleicht", "Zu teuer?", "unsicher", "Filter",
                         "Preis zuerst"],
                ["Buchen", "App", "Zahlt", "Endlich", "glücklich", "", ""]):
        ws.append(row)
    wb.save(tmp_path / "reise.xlsx")
    data = import_file(tmp_path / "reise.xlsx").data
    assert [ln.kind.value for ln in data.lanes_of(1)] == kinds
    assert [s.name for s in data.stages_of(1)] == ["Suchen", "Buchen"]
    assert [c.emotion for c in data.cards_of(1) if c.kind.value == "emotion"] == [-1, 1]


@pytest.mark.parametrize(("word", "score"), [
    ("ansiosa", -1), ("agobiado", -1), ("ilusionada", 2), ("curieuse", 1), ("anxieuse", -1),
    ("ängstlich", -1), ("glücklich", 1), ("überfordert", -1), ("心配", -1), ("ワクワク", 1),
    ("焦虑", -1), ("好奇", 1), ("قلقة", -1), ("سعيد", 1), ("غاضب", -2), ("محايد", 0),
])
def test_emotion_words_in_the_authors_language(tmp_path: Path, word: str, score: int) -> None:
    path = tmp_path / "stage-rows.md"
    path.write_text(f"# Viaje\n\n| Etapa | Emoción |\n|---|---|\n| Pagar | {word} |\n",
                    encoding="utf-8")
    result = import_file(path)
    (card,) = result.data.cards.values()
    assert (card.title, card.emotion) == (word, score)
    assert result.warnings == []
