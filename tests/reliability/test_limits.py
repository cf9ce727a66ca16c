"""#18 (4): small inputs that took minutes or gigabytes are refused (or read) quickly, with
a one-line message naming the limit; at the limit every command finishes.

Each test runs the command in a child with a generous time bound (bounded.py): before the
fixes these commands ran for minutes to hours."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from app.errors import ImportProblem
from app.interchange.formats import import_file
from app.model import limits
from tests.reliability.bounded import one_line_error, python, waymark


def _stages_csv(path: Path, stages: int, cards_per_stage: int = 1) -> Path:
    lines = ["stage,lane,title,emotion,source"]
    for s in range(stages):
        for k in range(cards_per_stage):
            lines.append(f"Étape {s},Actions,appeler le service n°{s}-{k},,observed")
            lines.append(f"Étape {s},Emotions,content {s}-{k},{s % 5 - 2},survey")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------ the limits themselves
def test_an_import_past_the_stage_limit_is_refused_with_the_limit_named(tmp_path: Path) -> None:
    src = _stages_csv(tmp_path / "wide.csv", limits.MAX_STAGES + 1)
    err = one_line_error(waymark("import", src, "-o", tmp_path / "wide.cjm"))
    assert f"has {limits.MAX_STAGES + 1:,} stages" in err
    assert f"a map holds at most {limits.MAX_STAGES:,} stages" in err
    assert not (tmp_path / "wide.cjm").exists()


def test_a_hundred_thousand_stage_csv_is_refused_at_once(tmp_path: Path) -> None:
    src = tmp_path / "huge.csv"
    src.write_text("stage,title\n" + "".join(f"s{i},t\n" for i in range(100_000)))
    err = one_line_error(waymark("import", src, "-o", tmp_path / "huge.cjm", timeout=60))
    assert "a map holds at most 1,000 stages" in err


def test_mermaid_with_more_actors_than_personas_allowed_is_refused(tmp_path: Path) -> None:
    lines = ["journey", "  title Many people", "  section Arrive"]
    lines += [f"    Wave {i}: 4: visitor-{i}-a, visitor-{i}-b" for i in range(600)]
    src = tmp_path / "crowd.mmd"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportProblem) as caught:
        import_file(src)
    assert "1,200 personas; a document holds at most 1,000 personas" in caught.value.details[0]


def test_json_import_counts_rows_before_validating_them(tmp_path: Path) -> None:
    stages = {str(i): {"id": i, "map_id": 1, "name": f"s{i}", "position": i}
              for i in range(1, limits.MAX_STAGES + 2)}
    body = {"format": "waymark", "version": 1, "data": {
        "maps": {"1": {"id": 1, "title": "Wide", "position": 0}}, "stages": stages}}
    src = tmp_path / "wide.json"
    src.write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(ImportProblem) as caught:
        import_file(src)
    assert caught.value.details[0] == (f"map 'Wide' has {limits.MAX_STAGES + 1:,} stages; "
                                       f"a map holds at most {limits.MAX_STAGES:,} stages")


def test_a_csv_of_millions_of_empty_cells_is_refused_before_it_is_split(tmp_path: Path) -> None:
    src = tmp_path / "commas.csv"
    src.write_bytes(b"stage,title\n" + b"," * (limits.MAX_IMPORT_CELLS + 10) + b"\n")
    err = one_line_error(waymark("import", src, "-o", tmp_path / "c.cjm", timeout=60))
    assert f"more than {limits.MAX_IMPORT_CELLS:,} cells" in err


# ------------------------------------------------------------------ quadratic parses
def test_a_long_emotion_line_in_a_grid_is_read_in_linear_time(tmp_path: Path) -> None:
    """The score regex ('Frustrated (-1)') ran before the length check and was quadratic
    on a line of spaces: a 2.6 MB grid CSV took minutes."""
    cell = '"fine' + " " * 60_000 + 'x"'
    rows = [",Before,During,After"] + [f"Emotions {n}," + ",".join([cell] * 3)
                                         for n in range(1, 5)]
    src = tmp_path / "grid.csv"
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    err = one_line_error(waymark("import", src, "-o", tmp_path / "g.cjm", timeout=60))
    assert "title: at most 200 characters" in err  # refused for its length, at once


def test_grid_scores_are_still_read(tmp_path: Path) -> None:
    src = tmp_path / "grid.csv"
    src.write_text(",Arrive,Pay\nEmotions,\"Frustrated (-1)\n+2\",Relieved ( 1 )  \n"
                   "Pain points,queue (3),\n", encoding="utf-8")
    cards = import_file(src).data.cards
    got = sorted((c.title, c.emotion) for c in cards.values())
    assert got == [("+2", 2), ("Frustrated", -1), ("Relieved ( 1 )", None), ("queue (3)", None)]


def test_a_grid_score_of_thousands_of_digits_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    src = tmp_path / "grid.csv"
    src.write_text(f",Arrive\nEmotions,tired ({'9' * 5000})\n", encoding="utf-8")
    with pytest.raises(ImportProblem) as caught:
        import_file(src)
    assert "is outside -2..+2" in caught.value.details[0]


def _workbook_with(tmp_path: Path, name: str, inject: bytes, repeat: int) -> Path:
    """A real workbook whose first sheet carries ``inject`` (``repeat`` times its middle
    byte) just after <sheetData>, written by streaming (the part is tens of MB)."""
    from openpyxl import Workbook

    plain = tmp_path / "plain.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["stage", "title"])
    ws.append(["Arrive", "find the door"])
    wb.save(plain)
    out = tmp_path / name
    head, middle, tail = inject.split(b"|")
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, data)
                continue
            before, after = data.split(b"<sheetData>", 1)
            with dst.open(info.filename, "w", force_zip64=True) as part:
                part.write(before + b"<sheetData>" + head)
                for _ in range(repeat // 65536):
                    part.write(middle * 65536)
                part.write(tail + after)
    return out


@pytest.mark.parametrize("token", [b"<!--|x|-->", b'<foo bar="|x|"/>'],
                         ids=["comment", "attribute"])
def test_a_workbook_with_one_huge_xml_token_is_refused_quickly(tmp_path: Path,
                                                                token: bytes) -> None:
    """A 40 MB comment (or attribute) compresses to a few KB; Python's expat re-read it
    from its start for each 16 KB openpyxl fed it: minutes to hours."""
    src = _workbook_with(tmp_path, "token.xlsx", token, 40 * 1024 * 1024)
    assert src.stat().st_size < 1_000_000
    err = one_line_error(waymark("import", src, "-o", tmp_path / "t.cjm", timeout=60))
    assert "refused as unsafe" in err


def test_a_workbook_with_long_cell_texts_still_imports(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["stage", "title", "body"])
    ws.append(["Arrive", "long read", "mots & «guillemets» " * 200 + "終わり" * 300])
    ws.append(["Arrive", "emoji", "😀" * 4900])
    wb.save(tmp_path / "long.xlsx")
    cards = import_file(tmp_path / "long.xlsx").data.cards
    assert sorted(c.title for c in cards.values()) == ["emoji", "long read"]


def test_paper_and_length_parsing_refuse_long_text_at_once() -> None:
    result = python("from app.layout.paper import parse_length, parse_paper\n"
                    "for f, t in ((parse_length, '1' + ' ' * 200000 + 'x'),\n"
                    "             (parse_paper, '1x1' + ' ' * 200000 + 'y')):\n"
                    "    try:\n        f(t)\n    except Exception as e:\n"
                    "        print(type(e).__name__, len(str(e)))\n", timeout=30)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[0].startswith("WaymarkError") and lines[1].startswith("WaymarkError")
    assert all(int(x.split()[1]) < 200 for x in lines[:2])  # the message stays one short line


# ------------------------------------------------------------------ at the limit
def test_check_report_and_data_exports_finish_at_the_stage_limit(tmp_path: Path) -> None:
    """A 1,000-stage map: check chose its card columns with a cubic search (hours); the
    XLSX and Mermaid exports and the report walked every card for every stage."""
    src = _stages_csv(tmp_path / "wide.csv", limits.MAX_STAGES, cards_per_stage=2)
    doc = tmp_path / "wide.cjm"
    assert waymark("import", src, "-o", doc, timeout=120).returncode == 0
    result = waymark("check", doc, "--json", timeout=120)
    assert result.returncode in (0, 1) and json.loads(result.stdout)["problems"], result.stderr
    result = waymark("report", doc, "--json", timeout=120)
    assert result.returncode == 0 and len(json.loads(result.stdout)["evidence"]) \
        == limits.MAX_STAGES
    for suffix in (".xlsx", ".mmd"):
        out = tmp_path / f"wide{suffix}"
        result = waymark("export", doc, "-o", out, timeout=120)
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 10_000
