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


# ---------------------------------------------------------------- below and above the table
def test_a_totals_row_and_a_note_below_a_long_table(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["etapa", "carril", "título", "votos"],
            ["Descubrir", "Puntos de contacto", "Anuncio en Instagram", "2"],
            ["Comprar", "Puntos de dolor", "IVA oculto hasta el final", "5"],
            ["Total", "", "", "7"],
            ["", "", "", ""],
            ["Notas: exportado de Google Sheets el 3/11/2026", "", "", ""]]
    path = tmp_path / "tarjetas.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    out = tmp_path / "t.cjm"
    assert main(["import", str(path), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert ("rows 4, 6 below the table skipped (1 totals row; 1 note kept in the map's "
            "description)") in said
    with Document.open(out, read_only=True) as doc:
        data = doc.data
    assert [s.name for s in data.stages_of(1)] == ["Descubrir", "Comprar"]
    assert [c.title for c in data.cards_of(1)] == ["Anuncio en Instagram",
                                                   "IVA oculto hasta el final"]
    assert data.maps[1].description == "Notas: exportado de Google Sheets el 3/11/2026"


def test_notes_under_stage_rows_and_a_grid_are_no_stage_or_lane(tmp_path: Path) -> None:
    stage_rows = tmp_path / "checkout.csv"
    stage_rows.write_text(_csv([
        ["Stage", "Touchpoint", "Pain Point"], ["Browse", "App home", "Offer hidden"],
        ["Pay", "Card form", "3-D Secure fails"], [""] * 3,
        ["Source: 12 interviews, March 2026", "", ""],
        ["Next workshop: bring the Miro export.", "", ""]]), encoding="utf-8")
    data = import_file(stage_rows).data
    assert [s.name for s in data.stages_of(1)] == ["Browse", "Pay"]
    assert data.maps[1].description == ("Source: 12 interviews, March 2026\n"
                                        "Next workshop: bring the Miro export.")
    grid = tmp_path / "grid.csv"  # an empty last lane stays a lane; the note under it goes
    grid.write_text(_csv([["", "Entdecken", "Kaufen"], ["Berührungspunkte", "Anzeige", "Kasse"],
                          ["Backstage", "", ""], ["", "", ""], ["Quelle: Interviews (n=8)", "", ""]]),
                    encoding="utf-8")
    data = import_file(grid).data
    assert [ln.name for ln in data.lanes_of(1)] == ["Berührungspunkte", "Backstage"]
    assert data.maps[1].description == "Quelle: Interviews (n=8)"


def test_a_totals_row_under_a_workbook_grid_whose_formula_has_no_value(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "旅程"
    for row in ([None, "发现", "购买", "使用"], ["触点", "小红书", "淘宝", "快递短信"],
                ["投票", 3, 5, 1], ["合计", "=SUM(B3:D3)"]):
        ws.append(row)
    wb.save(tmp_path / "旅程.xlsx")
    result = import_file(tmp_path / "旅程.xlsx")
    assert [ln.name for ln in result.data.lanes_of(1)] == ["触点", "投票"]
    assert "row 4 below the table skipped (1 totals row)" in result.notes


def test_the_title_row_that_names_the_journey_wins_over_a_company_name(tmp_path: Path) -> None:
    rows = [["ACME Seguros", "", ""],
            ["Mapa de experiencia del cliente: declaración de un siniestro", "", ""],
            ["Persona: Lucía, 42, autónoma", "", ""], ["", "", ""],
            ["Etapa", "Punto de contacto", "Emoción"], ["Declarar", "App móvil", "ansiosa"]]
    path = tmp_path / "siniestro.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    data = import_csv(path).data
    (m,) = data.ordered_maps()
    assert m.title == "Mapa de experiencia del cliente: declaración de un siniestro"
    assert data.personas[m.persona_id].name == "Lucía"


# ---------------------------------------------------------------- Markdown as wikis keep it
_JOURNEY = """journey
  title Reserva de hotel: de la búsqueda al check-in
  section Buscar 🔎
    Compara precios: 3: Lucía
    Lee reseñas: 4: Lucía, Marco
  section Reservar
    Paga con tarjeta: 2: Lucía
"""


def _indent(text: str, by: str) -> str:
    return "".join(by + line if line.strip() else line for line in text.splitlines(True))


@pytest.mark.parametrize("page", [
    "---\ntitle: Viaje de cliente\ntags: [cx, hotel]\nauthor: \"Ana: equipo CX\"\n---\n\n"
    "# Reserva\n\n```mermaid\n" + _JOURNEY + "```\n",
    "# Notas\n\n~~~mermaid\n" + _JOURNEY + "~~~\n",
    "# Notas\n\n```Mermaid\n" + _JOURNEY + "```\n",
    "# Notas\n\n``` MERMAID\n" + _JOURNEY + "```\n",
    "\ufeff# Notas\r\n\r\n```mermaid\r\n" + _JOURNEY.replace("\n", "\r\n") + "```\r\n",
    "# Workshop\n\n1. The journey, as drawn on the whiteboard:\n\n   ```mermaid\n"
    + _indent(_JOURNEY, "   ") + "   ```\n\n2. Next steps\n   - share it\n",
    "# Notas\n\n<!-- old version:\n```mermaid\njourney\n  section Old\n    x: 1: y\n```\n-->\n\n"
    "```mermaid\n" + _JOURNEY + "```\n",
], ids=["front-matter", "tildes", "Mermaid", "MERMAID-spaced", "bom-crlf", "in-a-list",
        "html-comment"])
def test_a_journey_fence_as_wikis_and_readmes_write_it(tmp_path: Path, page: str) -> None:
    path = tmp_path / "notas.md"
    path.write_bytes(page.encode("utf-8"))
    data = import_file(path).data
    (m,) = data.ordered_maps()
    assert m.title == "Reserva de hotel: de la búsqueda al check-in"
    assert [s.name for s in data.stages_of(1)] == ["Buscar 🔎", "Reservar"]
    assert [(c.title, c.emotion) for c in data.cards_of(1)] == [
        ("Compara precios", 0), ("Lee reseñas", 1), ("Paga con tarjeta", -1)]


def test_tables_as_wikis_write_them_keep_link_addresses(tmp_path: Path) -> None:
    path = tmp_path / "onboarding.md"
    path.write_text(
        "# Onboarding\n\n<!-- TODO after the workshop\n| stage | title |\n|---|---|\n"
        "| Old | Do not import |\n-->\n\n"
        "| **Stage** | Touchpoint | Pain point |\n|:------|:----------:|-----------:|\n"
        "| Sign up | `signup.html` form | [Captcha](https://example.com/captcha) too hard |\n"
        "| Verify | E-mail **link**, <https://example.com/v> | Expires after *10 min* |\n\n"
        "# Checkout\n\nStage | Touchpoint | Pain point\n--- | --- | ---\n"
        "Browse | App | Slow search\nPay | Card form | 3-D Secure fails\n", encoding="utf-8")
    data = import_file(path).data
    assert [m.title for m in data.ordered_maps()] == ["Onboarding", "Checkout"]
    assert [c.title for c in data.cards_of(1)] == [
        "signup.html form", "Captcha (https://example.com/captcha) too hard",
        "E-mail link, https://example.com/v", "Expires after 10 min"]
    assert [s.name for s in data.stages_of(2)] == ["Browse", "Pay"]
    for ext in ("csv", "xlsx", "md", "json"):
        out = export_data(data, None, tmp_path / f"again.{ext}")
        assert content(import_file(out).data) == content(data), ext


def test_a_notion_export_with_german_lanes_and_its_property_lines(tmp_path: Path) -> None:
    path = tmp_path / "Customer journey Kaufprozess 1f3a9c.md"
    path.write_text("# Customer journey — Kaufprozess\n\nCreated: 12. November 2026 14:03\n"
                    "Owner: Jana Weber\n\n| Phase | Berührungspunkte | Schmerzpunkte | Emotion |\n"
                    "| --- | --- | --- | --- |\n| Entdecken | Instagram-Anzeige | Preis unklar | "
                    "neugierig |\n| Kaufen | Website<br>Hotline | Versteckte Gebühren | frustriert |\n",
                    encoding="utf-8")
    data = import_file(path).data
    (m,) = data.ordered_maps()
    assert m.title == "Customer journey — Kaufprozess"
    assert "Owner: Jana Weber" in m.description
    assert [(ln.name, ln.kind.value) for ln in data.lanes_of(1)] == [
        ("Berührungspunkte", "touchpoints"), ("Schmerzpunkte", "pain_points"),
        ("Emotion", "emotions")]
    assert [c.title for c in data.cards_of(1) if c.lane_id == 1] == [
        "Instagram-Anzeige", "Website", "Hotline"]


# ---------------------------------------------------------------- Mermaid files as saved
_MMD = ("journey\n  title Hotel stay: booking to check-out\n  section Search 🔎\n"
        "    Compare prices 💶: 3: Ana\n    Read reviews: 4: Ana, Bo\n"
        "  section الحجز\n    يدفع بالبطاقة: 2: سارة\n")


@pytest.mark.parametrize("raw", [
    _MMD.replace("\n", "\r\n").encode(),
    _MMD.replace("  ", "\t").encode(),
    ("\ufeff" + _MMD).encode(),
    "".join(line + "  \t\n" for line in _MMD.splitlines()).encode(),
    b"\xff\xfe" + _MMD.encode("utf-16-le"),
    ("\n\n   \n%% drawn in the live editor\n" + _MMD).encode(),
], ids=["crlf", "tabs", "bom", "trailing-spaces", "utf16", "blank-lines-and-comment-first"])
def test_a_mermaid_file_as_editors_save_it_reads_as_mermaid_does(
        tmp_path: Path, raw: bytes) -> None:
    from mermaid_check import mermaid_reads

    path = tmp_path / "stay.mmd"
    path.write_bytes(raw)
    data = import_file(path).data
    theirs = mermaid_reads(raw.decode("utf-16" if raw[:2] == b"\xff\xfe" else "utf-8-sig"))
    assert theirs["ok"], theirs
    (m,) = data.ordered_maps()
    assert m.title == theirs["title"].strip() == "Hotel stay: booking to check-out"
    assert [s.name for s in data.stages_of(1)] == ["Search 🔎", "الحجز"]
    assert [c.title for c in data.cards_of(1)] == [t["task"] for t in theirs["tasks"]]
    again = import_file(export_data(data, None, tmp_path / "again.mmd")).data
    assert content(again) == content(data)


@pytest.mark.parametrize(("raw", "said"), [
    ("```mermaid\n" + _MMD + "```\n",
     "line 1, column 1: a Mermaid journey starts with 'journey' (found '```mermaid'); that is a "
     "Markdown code fence: a .mmd file holds the diagram alone (remove the fence lines, or "
     "import the file as .md)"),
    ("---\ntitle: Día: mañana\n---\njourney\n  section a\n    t: 3: me\n",
     "line 2, column 11: the front matter is not valid YAML (mapping values are not allowed "
     "here); a value with ': ' in it needs quotes: title: \"Día: mañana\""),
])
def test_what_mermaid_refuses_is_refused_with_what_to_do(
        tmp_path: Path, raw: str, said: str, capsys: pytest.CaptureFixture[str]) -> None:
    from mermaid_check import mermaid_reads

    assert not mermaid_reads(raw)["ok"]
    path = tmp_path / "pasted.mmd"
    path.write_bytes(raw.replace("\n", "\r\n").encode())
    assert main(["import", str(path), "-o", str(tmp_path / "p.cjm")]) == 1
    assert capsys.readouterr().err.splitlines()[1:] == [f"  {said}"]
    assert not (tmp_path / "p.cjm").exists()


# ---------------------------------------------------------------- phases over the stages
def _phases(data, map_id: int = 1) -> list[tuple[str, str]]:
    return [(s.name, s.phase) for s in data.stages_of(map_id)]


def test_a_grid_with_a_merged_phase_row_over_its_stage_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Journey"
    ws["A1"] = "Hotelbuchung – Kundenreise"
    ws["B3"], ws["D3"], ws["F3"] = "Vor der Reise", "Während", "Danach"
    ws.merge_cells("B3:C3")
    ws.merge_cells("D3:E3")
    for c, name in enumerate(["Suchen", "Buchen", "Anreisen", "Aufenthalt", "Bewerten"], 2):
        ws.cell(4, c, name)
    for r, (lane, cells) in enumerate([
            ("Berührungspunkte", ["Google", "Website", "Navi", "Rezeption", "E-Mail"]),
            ("Emotionen", ["Neugierig (1)", "Unsicher (-1)", "Gestresst (-2)", "Zufrieden (2)",
                           "Neutral (0)"])], 5):
        ws.cell(r, 1, lane)
        for c, text in enumerate(cells, 2):
            ws.cell(r, c, text)
    wb.save(tmp_path / "hotel.xlsx")
    result = import_file(tmp_path / "hotel.xlsx")
    data = result.data
    assert data.maps[1].title == "Hotelbuchung – Kundenreise"
    assert _phases(data) == [("Suchen", "Vor der Reise"), ("Buchen", "Vor der Reise"),
                             ("Anreisen", "Während"), ("Aufenthalt", "Während"),
                             ("Bewerten", "Danach")]
    assert [c.emotion for c in data.cards_of(1) if c.emotion is not None] == [1, -1, -2, 2, 0]
    assert ("phases: row 3 groups the stages into 'Vor der Reise', 'Während', 'Danach'"
            in result.notes)
    assert "header row: row 4; rows 1, 3 above it skipped (they give the map's title " \
           "'Hotelbuchung – Kundenreise')" in result.notes


def test_stage_rows_with_a_phase_column_beside_the_stage_column(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Parcours"
    for row in (["Phase", "Étape", "Point de contact", "Émotion", "Irritant"],
                ["Avant", "Rechercher", "Site web", "curieuse", ""],
                [None, "Réserver", "Appli", "inquiète", "Paiement refusé"],
                ["Pendant", "Arriver", "Réception", "agacée", "File d'attente"]):
        ws.append(row)
    ws.merge_cells("A2:A3")
    wb.save(tmp_path / "parcours.xlsx")
    result = import_file(tmp_path / "parcours.xlsx")
    data = result.data
    assert _phases(data) == [("Rechercher", "Avant"), ("Réserver", "Avant"),
                             ("Arriver", "Pendant")]
    assert [ln.name for ln in data.lanes_of(1)] == ["Point de contact", "Émotion", "Irritant"]
    assert any("A 'Phase' → phase; B 'Étape' → stage" in n for n in result.notes)
    assert any("detected: column B 'Étape' names the stages" in n for n in result.notes)


def test_a_long_table_with_phase_and_stage_columns_round_trips_its_phases(
        tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"
    path.write_text(_csv([["Phase", "Stage", "Lane", "Title"],
                          ["Before", "Discover", "Touchpoints", "Instagram ad"],
                          ["", "Compare", "Touchpoints", "Price site"],
                          ["During", "Buy", "Pain points", "Card declined"]]), encoding="utf-8")
    data = import_csv(path).data
    assert _phases(data) == [("Discover", "Before"), ("Compare", "Before"), ("Buy", "During")]
    for ext in ("csv", "xlsx", "json"):
        out = export_data(data, None, tmp_path / f"again.{ext}")
        again = import_file(out).data
        assert _phases(again) == _phases(data), ext
        assert content(again) == content(data), ext
    # a stage in no phase after one in a phase stays in none: the export writes a dash
    # there (a blank would continue the phase above, as a merged cell does)
    path.write_text(_csv([["Phase", "Stage", "Lane", "Title"],
                          ["Before", "Discover", "Touchpoints", "Instagram ad"],
                          ["-", "Wait for delivery", "Pain points", "no tracking link"],
                          ["During", "Buy", "Pain points", "Card declined"],
                          ["", "Use", "Touchpoints", "Manual"],
                          ["—", "Support", "Touchpoints", "chat bot loops"]]), encoding="utf-8")
    data = import_csv(path).data
    assert _phases(data) == [("Discover", "Before"), ("Wait for delivery", ""),
                             ("Buy", "During"), ("Use", "During"), ("Support", "")]
    for ext in ("csv", "xlsx", "json"):
        again = import_file(export_data(data, None, tmp_path / f"none.{ext}")).data
        assert _phases(again) == _phases(data), ext
    plain = tmp_path / "plain.csv"  # without phases, an export has no phase column
    plain.write_text("stage,title\nBuy,Checkout\n", encoding="utf-8")
    out = export_data(import_csv(plain).data, None, tmp_path / "plain-again.csv")
    assert "phase" not in out.read_text(encoding="utf-8-sig").splitlines()[0]


# ---------------------------------------------------------------- formulas
def test_formulas_without_a_saved_result_are_named_and_cached_ones_read(tmp_path: Path) -> None:
    import re
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Grid"
    for row in ([None, "Discover", "Buy"], ["Touchpoints", '="Instagram "&"ad"',
                                             '=UPPER("checkout")'],
                ["Emotions", "Curious (1)", "Anxious (-1)"]):
        ws.append(row)
    wb.save(tmp_path / "generated.xlsx")  # as a script writes it: formulas, no results
    result = import_file(tmp_path / "generated.xlsx")
    assert [c.title for c in result.data.cards_of(1)] == ["Curious", "Anxious"]
    assert result.warnings == [
        "sheet 'Grid': 2 cells hold formulas without their saved results (B2, C2), read as empty: "
        "the workbook was written by a program, not saved by a spreadsheet; open and save it "
        "in Excel or LibreOffice to import the values"]
    saved = tmp_path / "saved.xlsx"  # as Excel saves it: each formula with its result
    results = {b"B2": b"Instagram ad", b"C2": b"CHECKOUT"}
    with zipfile.ZipFile(tmp_path / "generated.xlsx") as zin, \
            zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rb'<c r="([BC]2)"([^>]*)><f>(.*?)</f>(?:<v\s*/>|<v></v>)?</c>',
                              lambda m: b'<c r="%s" t="str"><f>%s</f><v>%s</v></c>' % (
                                  m.group(1), m.group(3), results[m.group(1)]), body)
            zout.writestr(info, body)
    result = import_file(saved)
    assert [c.title for c in result.data.cards_of(1)] == ["Instagram ad", "Curious", "CHECKOUT",
                                                          "Anxious"]
    assert result.warnings == []


def test_hidden_rows_and_columns_are_read_and_named(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Cards"
    for row in (["stage", "lane", "title", "emotion", "Beschreibung"],
                ["Entdecken", "Berührungspunkte", "TV-Spot", None, "alt"],
                ["Entdecken", "Emotionen", "Neugierig", 1, None],
                ["Alt", "Berührungspunkte", "Veraltete Zeile", None, "löschen?"],
                ["Kaufen", "Emotionen", "Ängstlich", -1, None]):
        ws.append(row)
    ws.row_dimensions[4].hidden = True
    ws.column_dimensions["E"].hidden = True
    ws.column_dimensions["H"].hidden = True  # hidden but empty: not worth a word
    wb.save(tmp_path / "karten.xlsx")
    result = import_file(tmp_path / "karten.xlsx")
    assert [c.title for c in result.data.cards_of(1)] == ["TV-Spot", "Neugierig",
                                                          "Veraltete Zeile", "Ängstlich"]
    assert ("sheet 'Cards': hidden row 4 and column E were read like the others, as a "
            "spreadsheet's CSV export does; to leave a column out: --column E=ignore"
            ) in result.warnings


def test_dates_and_numbers_typed_as_cells_read_as_the_spreadsheet_shows_them(
        tmp_path: Path) -> None:
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Kickoff week"
    ws.append([None, dt.datetime(2026, 3, 2), dt.date(2026, 3, 3), "Mi 4.3."])
    ws.append(["Touchpoints", "Welcome e-mail at 09:30", dt.time(14, 0), 42])
    ws.append(["Emotions", 1.0, -1, "2"])
    wb.save(tmp_path / "week.xlsx")
    data = import_file(tmp_path / "week.xlsx").data
    assert [s.name for s in data.stages_of(1)] == ["2026-03-02", "2026-03-03", "Mi 4.3."]
    assert [(c.title, c.emotion) for c in data.cards_of(1)] == [
        ("Welcome e-mail at 09:30", None), ("1", 1), ("14:00", None), ("-1", -1),
        ("42", None), ("2", 2)]


@pytest.mark.parametrize(("name", "raw"), [
    ("trailing-empty-column.csv", b"stage,lane,title,\r\nBuy,Touchpoints,Checkout,\r\n"
                                  b"Use,Emotions,Relieved,\r\n"),
    ("trailing-semicolons.csv", b"stage;lane;title;;\r\nBuy;Touchpoints;Checkout;;\r\n"
                                b"Use;Emotions;Relieved;;\r\n"),
    ("old-mac.csv", b"stage,lane,title\rBuy,Touchpoints,Checkout\rUse,Emotions,Relieved\r"),
    ("journey.tsv", b"stage\tlane\ttitle\nBuy\tTouchpoints\tCheckout\nUse\tEmotions\tRelieved\n"),
    ("quoted-lines.csv", b'stage,lane,title\r\nBuy,Touchpoints,"Checkout"\r\n'
                         b'Use,Emotions,"Relieved"\r\n'),
])
def test_csv_line_ends_delimiters_and_trailing_columns_as_tools_write_them(
        tmp_path: Path, name: str, raw: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(raw)
    result = import_file(path)
    assert _titles(path) == [("Buy", "Touchpoints", "Checkout"), ("Use", "Emotions", "Relieved")]
    assert result.warnings == []


def test_a_quoted_cell_with_crlf_lines_inside_a_grid(tmp_path: Path) -> None:
    path = tmp_path / "grid.csv"
    path.write_bytes(b',Discover,Buy\r\nTouchpoints,"Instagram ad\r\nFriend\'s tip","Checkout '
                     b'""express"""\r\nEmotions,Curious (1),Anxious (-1)\r\n')
    assert [(c.title, c.emotion) for c in import_file(path).data.cards_of(1)] == [
        ("Instagram ad", None), ("Friend's tip", None), ("Curious", 1),
        ('Checkout "express"', None), ("Anxious", -1)]
