"""Long and grid CSV import: the real maps, synonyms, delimiters, encodings, inference."""

from __future__ import annotations

from pathlib import Path

from interchange_helpers import REAL_MAPS, write

from app.interchange.csv_io import import_csv, sniff_delimiter
from app.model.schema import CardKind, DataSource, LaneKind


def test_ikea_real_map() -> None:
    result = import_csv(REAL_MAPS / "ikea-couch.csv")
    data = result.data
    assert result.warnings == []
    (m,) = data.ordered_maps()
    assert [s.name for s in data.stages_of(m.id)] == [
        "Research", "Visit", "Purchase", "Setup", "Use", "Support"]
    assert [(ln.name, ln.kind) for ln in data.lanes_of(m.id)] == [
        ("Actions", LaneKind.ACTIONS), ("Touchpoints", LaneKind.TOUCHPOINTS),
        ("Emotions", LaneKind.EMOTIONS)]
    cards = data.cards_of(m.id)
    assert len(cards) == 69
    assert min(data.cards) == 1 and min(data.stages) == 1 and min(data.maps) == 1
    assert {c.source for c in cards} == {DataSource.OBSERVED}
    setup = next(s for s in data.stages_of(m.id) if s.name == "Setup")
    assert sorted(c.emotion for c in cards if c.stage_id == setup.id
                  and c.kind is CardKind.EMOTION) == [-2, -1]
    pinterest = next(c for c in cards if c.title.startswith("Visit inspiration"))
    assert pinterest.title == "Visit inspiration sites (Pinterest, etc)"
    assert pinterest.channel == "web"


def test_two_personas_real_map() -> None:
    data = import_csv(REAL_MAPS / "viaje-dos-personas.csv").data
    maps = data.ordered_maps()
    assert [m.title for m in maps] == ["Viaje de Ayax", "Viaje de Cayetana"]
    assert [data.personas[m.persona_id].name for m in maps] == [
        "Ayax García", "Cayetana Jimenez Robles"]
    assert [len(data.cards_of(m.id)) for m in maps] == [24, 24]
    titles = {c.title for c in data.cards.values()}
    # text as the authors wrote it: accents, the typo and the trailing space
    assert "ver cuantos días puede tener libres para organizar lugar de viaje " in titles
    assert any(c.channel == "trbaajo" for c in data.cards.values())
    lanes = {ln.name: ln.kind for ln in data.lanes_of(maps[0].id)}
    assert lanes == {"Objetivos": LaneKind.GOALS, "Puntos de contacto": LaneKind.TOUCHPOINTS,
                     "Emociones": LaneKind.EMOTIONS, "Pensamientos": LaneKind.THOUGHTS}


def test_semicolon_bom_capitalised_real_map() -> None:
    data = import_csv(REAL_MAPS / "restaurant-blueprint.csv").data
    (m,) = data.ordered_maps()
    assert [s.name for s in data.stages_of(m.id)] == ["Arrive", "Order"]
    lanes = data.lanes_of(m.id)
    assert [ln.name for ln in lanes] == [
        "Customer actions", "Visible staff / technology", "Backstage actions"]
    assert lanes[2].kind is LaneKind.BACKSTAGE
    assert [c.owner for c in data.cards_of(m.id)] == ["Guest", "Host", "Kitchen"]
    assert {c.source for c in data.cards.values()} == {DataSource.ASSUMPTION}


def test_header_synonyms_and_spellings(tmp_path: Path) -> None:
    path = write(tmp_path, "syn.csv",
                 "Phase,Swimlane,Type,Text,Department,Channel,Score,Evidence,Dots,Labels,Color,"
                 "metric:NPS,Whatever\n"
                 "Buy,Pains,Pain point,Slow checkout,Sales,E-Mail,-1,NPS,3,\"a, b\",#AABBCC,12.5,x\n"
                 "Buy,Pains,pain-point,Hidden fees,Finance,web,,reviews,,x;y,,,\n"
                 "Buy,Pains,PAIN_POINT,Card declined,Finance,Phone,,observation,,,,-3,\n")
    result = import_csv(path)
    cards = result.data.cards_of(1)
    assert [c.kind for c in cards] == [CardKind.PAIN_POINT] * 3
    first = cards[0]
    assert (first.owner, first.channel, first.emotion, first.source, first.votes) == (
        "Sales", "email", -1, DataSource.SURVEY, 3)
    assert first.tags == ["a", "b"] and cards[1].tags == ["x", "y"]
    assert first.colour == "#aabbcc"
    assert first.metrics == {"NPS": 12.5} and cards[2].metrics == {"NPS": -3.0}
    assert cards[1].source is DataSource.UNSOLICITED and cards[2].source is DataSource.OBSERVED
    assert result.data.lanes_of(1)[0].kind is LaneKind.PAIN_POINTS
    assert any("Whatever" in w for w in result.warnings)


def test_tab_delimiter_no_bom_and_kind_from_lane(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", "stage\tlane\ttitle\nA\tTouchpoints\tAd\nB\tGoals\tSave\n")
    data = import_csv(path).data
    assert [c.kind for c in data.cards_of(1)] == [CardKind.TOUCHPOINT, CardKind.GOAL]
    assert sniff_delimiter('"a;b",c,d\n') == ","
    assert sniff_delimiter("a;b;c\n") == ";"


def test_cp1252_file_is_read_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "w.csv", "stage,title\nCafé,Crème brûlée\n", encoding="cp1252")
    result = import_csv(path)
    assert result.data.cards_of(1)[0].title == "Crème brûlée"
    assert any("Windows-1252" in w for w in result.warnings)


def test_stage_and_lane_order_of_first_appearance(tmp_path: Path) -> None:
    path = write(tmp_path, "o.csv", "stage,lane,title\nB,L2,one\nA,L1,two\nB,L1,three\n"
                                    "a ,L2,four\n")
    data = import_csv(path).data
    assert [s.name for s in data.stages_of(1)] == ["B", "A"]
    assert [ln.name for ln in data.lanes_of(1)] == ["L2", "L1"]
    assert [c.title for c in data.cards_of(1)] == ["one", "three", "four", "two"]


def test_declaration_rows_keep_empty_stage_and_lane(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "stage,lane,lane_kind,title\n,Ideas,opportunities,\n"
                                    "A,Doing,,go\nEmpty,,,\n")
    data = import_csv(path).data
    assert [s.name for s in data.stages_of(1)] == ["A", "Empty"]
    assert [(ln.name, ln.kind) for ln in data.lanes_of(1)] == [
        ("Ideas", LaneKind.OPPORTUNITIES), ("Doing", LaneKind.ACTIONS)]


def test_formula_apostrophe_is_stripped_exactly_once(tmp_path: Path) -> None:
    path = write(tmp_path, "f.csv", "stage,title,body\nA,'=SUM(A1),''@x\nA,'plain,-ok\n")
    cards = import_csv(path).data.cards_of(1)
    assert (cards[0].title, cards[0].body) == ("=SUM(A1)", "'@x")
    assert (cards[1].title, cards[1].body) == ("'plain", "-ok")


def test_markup_is_kept_literally(tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", "stage,title\nA,<b>&bogus; <img src=/etc/passwd>\n")
    assert import_csv(path).data.cards_of(1)[0].title == "<b>&bogus; <img src=/etc/passwd>"


def test_grid_csv(tmp_path: Path) -> None:
    path = write(tmp_path, "grid.csv",
                 ",Aware,Buy\n"
                 "Touchpoints,\"Ad\nFriend\",Shop\n"
                 "Emotions,Curious (+1),Annoyed (−2)\n"
                 "Pain points,,Queue\n")
    data = import_csv(path).data
    (m,) = data.ordered_maps()
    assert m.title == "grid"
    assert [s.name for s in data.stages_of(m.id)] == ["Aware", "Buy"]
    cards = data.cards_of(m.id)
    assert [(c.title, c.kind, c.emotion) for c in cards] == [
        ("Ad", CardKind.TOUCHPOINT, None), ("Friend", CardKind.TOUCHPOINT, None),
        ("Curious", CardKind.EMOTION, 1), ("Shop", CardKind.TOUCHPOINT, None),
        ("Annoyed", CardKind.EMOTION, -2), ("Queue", CardKind.PAIN_POINT, None)]
