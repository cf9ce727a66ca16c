"""Mermaid journeys as Mermaid 11 reads them (issue 17, points 1-9).

Every fixture under files/mermaid/ (written for these tests: Spanish, French, Japanese,
Chinese) is read by Waymark's port of the grammar and by Mermaid's own parser (node), and
the two must agree; then each point of the issue is checked through the importer and the
exporter, with round trips through every data format.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from interchange_helpers import content, problems_of, write
from mermaid_check import label, mermaid_reads

from app.errors import ImportProblem
from app.interchange.csv_io import import_csv
from app.interchange.formats import export_data, import_file
from app.interchange.mermaid import import_mermaid, to_mermaid
from app.interchange.mermaid_syntax import parse_journey
from app.layout.engine import layout_map
from app.model.schema import MAX_TAG

FILES = Path(__file__).parent / "files" / "mermaid"
FIXTURES = sorted(FILES.glob("*.mmd"))

#: Grammar corners, each read by both parsers: quirks of Mermaid's lexer included.
CORNERS = [
    "journey\n  title Day\n  section A\n    Make tea: 5: Me: Cat\n",  # a third ':' drops 'Cat'
    "journey\n  section A\n    %x: 3\n    b: 4\n",  # a token starting with '%' is a comment
    "journey\n  section A\n    x%%y: 3\n    b: 4\n",  # so is '%%' after its first character
    "journey\n  section A\n    Journeys are long: 4\n",  # 'journey' only as a whole word
    "journey\n  section A\n    t: 0x10: Me\n    u: 1e0\n    v: +2\n    w: .5\n    z:  : a\n",
    "journey\n  section A\n    t: 3:\n",  # an empty actor
    "journey\n  section   spaced   name  \n    t: 3\n",
    "journey\n  title\n  section A\n    t: 3\n",  # an empty 'title' eats the next line
    "journey\ntitle a #1; b\nsection S #35; T\n  Task #35;1#59; ok: 4: A#44; B, C\n",
    "journey\n  t: 3: Me\n  section A\n    u: 4\n",  # a task before the first section
    "journey\n  section A\n    t: 3\n  accDescr: one line\n  accTitle: Acc\n",
    "journey\n  accDescr {\n    never closed\n  section A\n    t: 3\n",  # refused
    "journey\n  section A\n    Tea; cake: 4\n",  # refused: ';'
    "journey\n  section A\n    Tea #2: 4\n",  # refused: '#' starts a comment
    "journey\n  section A\n    Just words\n",  # refused
    "flowchart TD\n  A --> B\n",  # refused: another diagram
    "---\ntitle: Front\n---\njourney\n  title Line wins\n  section A\n    t: 3\n",
    "---\ntitle: yes\n---\njourney\n  section A\n    t: 3\n",
]


def _waymark_reading(text: str) -> dict | None:
    """Waymark's port, in the shape of mermaid_check's answer (None when refused)."""
    j = parse_journey(text)
    if j.problems:
        return None
    names = [s.name for s in j.sections]
    return {
        "title": j.diagram_title().strip(), "accTitle": j.acc_title, "accDescr": j.acc_descr,
        "sections": names,
        "tasks": [{"section": "" if t.section is None else names[t.section], "task": t.name,
                   "score": "NaN" if math.isnan(t.score) else t.score, "people": t.actors}
                  for t in j.tasks],
    }


def _comparable(reading: dict) -> dict:
    return {
        "title": reading["title"].strip(), "accTitle": reading["accTitle"],
        "accDescr": reading["accDescr"],
        "sections": list(reading["sections"]),
        "tasks": [(t["section"], t["task"], t["score"], t["people"]) for t in reading["tasks"]],
    }


@pytest.mark.parametrize("text", [*(p.read_text(encoding="utf-8") for p in FIXTURES), *CORNERS],
                         ids=[*(p.stem for p in FIXTURES), *(f"corner{i}" for i in
                                                             range(len(CORNERS)))])
def test_waymark_reads_journeys_as_mermaid_does(text: str) -> None:
    mermaid = mermaid_reads(text)
    ours = _waymark_reading(text)
    if not mermaid["ok"] or mermaid["type"] != "journey":
        assert ours is None, f"Mermaid refuses this ({mermaid.get('error')}), Waymark did not"
        return
    assert ours is not None, parse_journey(text).problems
    assert _comparable(ours) == _comparable(mermaid)


def _read(name: str):
    return import_mermaid(FILES / name)


# ---------------------------------------------------------------- 1. front matter, directives
def test_front_matter_and_directives_are_read() -> None:
    result = _read("reserva-front-matter.mmd")
    (m,) = result.data.ordered_maps()
    assert m.title == "Reservar una mesa en «La Tasca de Óscar»"
    assert [s.name for s in result.data.stages_of(m.id)] == ["Descubrir", "Reservar", "Cenar"]
    assert result.data.personas[m.persona_id].name == "Lucía"
    assert [c.title for c in result.data.cards_of(m.id)][3] == "Reserva por la web a las 23.40"
    assert result.warnings == []


def test_front_matter_problems_name_their_line(tmp_path: Path) -> None:
    _msg, details = problems_of(import_mermaid, write(
        tmp_path, "open.mmd", "---\ntitle: never closed\njourney\n  section A\n    t: 3\n"))
    assert details == ["line 1, column 1: the front matter that starts on line 1 is never "
                       "closed by a '---' line"]
    _msg, details = problems_of(import_mermaid, write(
        tmp_path, "bad.mmd", "---\ntitle: [unclosed\n---\njourney\n  section A\n    t: 3\n"))
    assert details[0].startswith("line 2, column 17: the front matter is not valid YAML"), details


def test_a_title_line_wins_over_the_front_matter(tmp_path: Path) -> None:
    text = "---\ntitle: Ignored\n---\njourney\n  title Voyage à Lyon\n  section Gare\n    x: 3\n"
    assert import_mermaid(write(tmp_path, "t.mmd", text)).data.maps[1].title == "Voyage à Lyon"


# ---------------------------------------------------------------- 2. accDescr blocks
def test_multi_line_acc_descr_is_the_description_not_tasks() -> None:
    result = _read("sinistre-accdescr.mmd")
    m = result.data.maps[1]
    assert m.description == ("Le parcours d'Hélène après un dégât des eaux,\n"
                             "de la découverte à l'indemnisation.")
    assert len(result.data.cards) == 6
    # the description goes back out as a block Mermaid reads the same
    text = to_mermaid(result.data, 1)
    assert "  accDescr {\n    Le parcours d'Hélène" in text
    assert mermaid_reads(text)["accDescr"] == m.description


def test_acc_title_names_a_map_without_a_title(tmp_path: Path) -> None:
    text = "journey\n  accTitle: Parcours client\n  section A\n    t: 3\n"
    assert import_mermaid(write(tmp_path, "a.mmd", text)).data.maps[1].title == "Parcours client"


# ---------------------------------------------------------------- 3. keywords in any case
def test_keywords_in_any_case() -> None:
    data = _read("sinistre-accdescr.mmd").data
    assert data.maps[1].title == "Déclarer un sinistre habitation"
    assert [s.name for s in data.stages_of(1)] == [
        "Découverte\ndu dégât", "Déclaration\nen ligne", "Expertise\net indemnisation"]


def test_journey_in_capitals_is_read_with_a_warning(tmp_path: Path) -> None:
    result = import_mermaid(write(tmp_path, "j.mmd", "Journey\n  section A\n    t: 3\n"))
    assert len(result.data.cards) == 1
    assert result.warnings == ["line 1: Mermaid itself only knows 'journey' in lower case "
                               "(found 'Journey'); read as a journey"]


# ---------------------------------------------------------------- 4. repeated sections
def test_repeated_sections_stay_separate_stages_in_order() -> None:
    result = _read("hotel-ja.mmd")
    data = result.data
    stages = data.stages_of(1)
    assert [s.name for s in stages] == ["予約", "チェックイン", "予約"]
    by_stage = [[c.title for c in data.cards_of(1) if c.stage_id == s.id] for s in stages]
    assert by_stage[2] == ["日程を変更する", "キャンセル料を確認する"]
    assert ("section '予約' appears on lines 3, 10: kept as 2 stages in order, as Mermaid "
            "draws them") in result.warnings
    # and out again: still three sections, in that order
    assert mermaid_reads(to_mermaid(data, 1))["sections"] == ["予約", "チェックイン", "予約"]


# ---------------------------------------------------------------- 5. <br> in names
def test_br_is_a_line_break_on_the_poster_and_in_the_export() -> None:
    data = _read("sinistre-accdescr.mmd").data
    layout = layout_map(data, 1)
    header_text = [[ln.text for ln in h.lines] for h in layout.stages]
    assert header_text[0] == ["Découverte", "du dégât"]
    assert not any("<br" in t for lines in header_text for t in lines)
    text = to_mermaid(data, 1)
    assert "  section Découverte<br>du dégât\n" in text
    assert next(label(s) for s in mermaid_reads(text)["sections"]) == "Découverte\ndu dégât"


# ---------------------------------------------------------------- 6. scores Mermaid draws
def test_out_of_range_and_odd_scores_import_with_one_warning_per_kind() -> None:
    result = _read("hotel-ja.mmd")
    emotions = [(c.title, c.emotion) for c in result.data.cards_of(1)]
    assert emotions == [
        ("比較サイトで検索する", 1), ("公式サイトで予約する", 2), ("確認メールが届かない", -2),
        ("フロントで30分待つ", -2), ("部屋の鍵を受け取る", 2), ("日程を変更する", None),
        ("キャンセル料を確認する", 2)]
    score_lines = [w for w in result.warnings if "score" in w]
    assert score_lines == [
        "3 scores outside 1..5 were clamped to 1 or 5: line 5 6 → 5; line 6 0 → 1; "
        "line 12 9 → 5",
        "a score with decimals was rounded: line 9 4.5 → 5",
        "a score that is not a number (Mermaid draws NaN) was imported without an emotion: "
        "line 11 'X'",
    ]


# ---------------------------------------------------------------- 7. long actor names
def test_actors_up_to_120_characters_become_personas() -> None:
    data = _read("hotel-ja.mmd").data
    long_name = "Customer service representative at the Kyoto station branch office"
    assert long_name in {p.name for p in data.personas.values()}
    card = data.cards_of(1)[-1]
    assert len(card.tags[0]) <= MAX_TAG and card.tags[0].endswith("…")
    assert long_name.startswith(card.tags[0][:-1])
    # the export names the whole actor again
    assert mermaid_reads(to_mermaid(data, 1))["tasks"][-1]["people"] == [long_name]


def test_an_actor_over_120_characters_is_named_with_its_line_and_column(tmp_path: Path) -> None:
    actor = "Señora " + "muy " * 40
    text = f"journey\n  section Visita\n    Entra: 3: Ana\n    Pregunta: 2: Ana, {actor}\n"
    _msg, details = problems_of(import_mermaid, write(tmp_path, "a.mmd", text))
    assert details == [f"line 4, column 17: the actor {actor[:40] + '…'!r}"
                       f" has {len(actor.strip())} characters; an actor becomes a persona, "
                       "whose name has at most 120"]


# ---------------------------------------------------------------- 8. no actors added
def test_round_trip_adds_no_actors() -> None:
    data = _read("returns-zh.mmd").data
    text = to_mermaid(data, 1)
    assert "    在订单页找到“退货”按钮: 3\n" in text  # no actor written for it
    people = [t["people"] for t in mermaid_reads(text)["tasks"]]
    assert people == [[], ["小王"], [], ["小王"]]


def test_a_native_map_still_gets_its_persona_as_actor(tmp_path: Path) -> None:
    src = write(tmp_path, "m.csv", "persona,stage,kind,title,emotion\n"
                                   "Priya,Buy,action,Compare plans,1\nPriya,Buy,action,Pay,-1\n")
    text = to_mermaid(import_csv(src).data, 1)
    assert [t["people"] for t in mermaid_reads(text)["tasks"]] == [["Priya"], ["Priya"]]


# ---------------------------------------------------------------- 9. keyword starts escaped
TRICKY_TITLES = ["Section 2 recap", "Journey planning", "Title page proofread",
                 "section", "SECTION 9 wrap-up", "accTitle: hidden", "accDescr { x }",
                 "%% not a comment", "50% off: ask; now #1", "Journeys are long",
                 "Call <br> support", "title", "Resumen: sección 2 — «fin»"]


def test_export_escapes_what_mermaid_would_misread(tmp_path: Path) -> None:
    rows = "".join(f'"Semana 1","action","{t}","{i % 5 - 2}"\n'
                   for i, t in enumerate(TRICKY_TITLES))
    data = import_csv(write(tmp_path, "t.csv", "stage,kind,title,emotion\n" + rows)).data
    text = to_mermaid(data, 1)
    read = mermaid_reads(text)
    assert read["ok"], read
    assert [label(t["task"]) for t in read["tasks"]] == TRICKY_TITLES
    assert read["title"] == "t"
    again = import_mermaid(write(tmp_path, "t.mmd", text)).data
    assert [c.title for c in again.cards_of(1)] == TRICKY_TITLES


def test_lines_mermaid_refuses_are_refused_with_what_it_read() -> None:
    assert not mermaid_reads((FILES / "refused-keywords.mmd").read_text())["ok"]
    with pytest.raises(ImportProblem) as info:
        _read("refused-keywords.mmd")
    details = info.value.details
    assert details[0].startswith("line 4, column 5: Mermaid reads a word starting with "
                                 "'journey' at the start of a line as its 'journey' keyword")
    assert details[1].startswith("line 5, column 5: Mermaid reads 'Section 2 recap' as a "
                                 "section")


# ---------------------------------------------------------------- round trips
@pytest.mark.parametrize("name", ["reserva-front-matter.mmd", "sinistre-accdescr.mmd",
                                  "returns-zh.mmd"])
@pytest.mark.parametrize("suffix", [".mmd", ".csv", ".xlsx", ".json"])
def test_round_trip_through_every_format_keeps_the_map(tmp_path: Path, name: str,
                                                       suffix: str) -> None:
    first = import_mermaid(FILES / name).data
    out = export_data(first, None, tmp_path / f"out{suffix}")
    again = import_file(out).data
    mine, theirs = content(first)[0], content(again)[0]
    assert theirs["stages"] == mine["stages"] and theirs["cards"] == mine["cards"]
    assert theirs["persona"] == mine["persona"] and theirs["lanes"] == mine["lanes"]
    if suffix in (".mmd", ".json"):  # these carry every persona and the description too
        assert content(again) == content(first)
        assert again.maps[1].description == first.maps[1].description
        assert to_mermaid(again, 1) == to_mermaid(first, 1)
