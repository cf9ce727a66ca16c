"""Round-trip properties: JSON is byte-identical, CSV keeps every card and its fields."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from interchange_helpers import REAL_MAPS, content

from app.interchange.csv_io import export_csv, import_csv
from app.interchange.json_io import export_json, import_json, to_json
from app.model.schema import (
    Card,
    CardKind,
    DataSource,
    DocumentData,
    JourneyMap,
    Lane,
    LaneKind,
    Persona,
    Stage,
)

NAME_CHARS = "abcXYZ éñü0123456789=+-@'\",;#&<>"
names = st.text(NAME_CHARS, min_size=1, max_size=12).map(lambda s: " ".join(s.split())).filter(
    bool)
texts = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
                max_size=40)
titles = texts.filter(lambda s: s.strip() != "")
# Tags are stripped on import and ';' separates them, so tags never hold ';'.
tags = st.lists(st.text("abc ,=-é", min_size=1, max_size=8).map(str.strip).filter(bool),
                max_size=3)
metrics = st.dictionaries(
    st.text("abcNPS :", min_size=1, max_size=6).map(str.strip).filter(bool),
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), max_size=2)


@st.composite
def documents(draw: Any) -> DocumentData:
    """Random documents of 1-2 maps with unique names (as CSV needs), ids from 1."""
    data: dict[str, dict[int, Any]] = {t: {} for t in ("personas", "maps", "stages", "lanes",
                                                          "cards")}
    map_titles = draw(st.lists(names, min_size=1, max_size=2, unique_by=str.casefold))
    for pos, title in enumerate(map_titles):
        map_id = pos + 1
        persona_id = None
        if draw(st.booleans()):
            persona_id = len(data["personas"]) + 1
            data["personas"][persona_id] = Persona(id=persona_id, name=f"P{persona_id} {title}")
        data["maps"][map_id] = JourneyMap(id=map_id, title=title, persona_id=persona_id,
                                          position=pos)
        stage_ids, lane_ids = [], []
        for i, name in enumerate(draw(st.lists(names, min_size=1, max_size=4,
                                               unique_by=str.casefold))):
            sid = len(data["stages"]) + 1
            data["stages"][sid] = Stage(id=sid, map_id=map_id, name=name, position=i)
            stage_ids.append(sid)
        for i, name in enumerate(draw(st.lists(names, min_size=0, max_size=3,
                                               unique_by=str.casefold))):
            lid = len(data["lanes"]) + 1
            data["lanes"][lid] = Lane(id=lid, map_id=map_id, name=name, position=i,
                                      kind=draw(st.sampled_from(LaneKind)))
            lane_ids.append(lid)
        if not lane_ids:
            continue
        cells: dict[tuple[int, int], int] = {}
        for _ in range(draw(st.integers(0, 6))):
            sid, lid = draw(st.sampled_from(stage_ids)), draw(st.sampled_from(lane_ids))
            cid = len(data["cards"]) + 1
            data["cards"][cid] = Card(
                id=cid, map_id=map_id, stage_id=sid, lane_id=lid,
                position=cells.get((sid, lid), 0), kind=draw(st.sampled_from(CardKind)),
                title=draw(titles), body=draw(texts),
                channel=draw(st.sampled_from(["", "web", "Phone", "In person", "=kiosk"])),
                device=draw(st.sampled_from(["", "mobile", "desktop", "smart TV"])),
                owner=draw(st.sampled_from(["", "Sales", "-ops", "Équipe"])),
                author=draw(st.sampled_from(["", "Aiko (participant 3)", "=p2", "참가자 7"])),
                emotion=draw(st.none() | st.integers(-2, 2)),
                tags=draw(tags), colour=draw(st.none() | st.sampled_from(["#aabbcc", "#000000"])),
                votes=draw(st.integers(0, 9999)),
                source=draw(st.none() | st.sampled_from(DataSource)), metrics=draw(metrics))
            cells[(sid, lid)] = cells.get((sid, lid), 0) + 1
    return DocumentData.model_validate({t: {k: v.model_dump() for k, v in rows.items()}
                                        for t, rows in data.items()})


@given(documents())
def test_json_export_import_export_is_identical(data: DocumentData) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d.json"
        export_json(data, None, path)
        first = path.read_text(encoding="utf-8")
        again = import_json(path).data
        assert again == data  # ids already run from 1
        assert to_json(again) == first


@given(documents())
def test_csv_round_trip_keeps_every_card_and_order(data: DocumentData) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d.csv"
        export_csv(data, [m.id for m in data.ordered_maps()], path)
        again = import_csv(path).data
    assert content(again) == content(data)


def test_real_maps_round_trip_through_csv_and_json(tmp_path: Path) -> None:
    for source in sorted(REAL_MAPS.glob("*.csv")):
        data = import_csv(source).data
        export_csv(data, [m.id for m in data.ordered_maps()], tmp_path / source.name)
        assert content(import_csv(tmp_path / source.name).data) == content(data)
        export_json(data, None, tmp_path / f"{source.stem}.json")
        assert import_json(tmp_path / f"{source.stem}.json").data == data
        text = (tmp_path / source.name).read_text(encoding="utf-8-sig")
        for card in data.cards.values():
            assert card.title.strip() in text


def _xlsx_safe(data: DocumentData) -> bool:
    """XLSX (XML) cannot hold control characters and turns CR into LF; spreadsheet numbers
    keep 15 significant digits."""
    texts = [t for c in data.cards.values() for t in (c.title, c.body)]
    numbers = [v for c in data.cards.values() for v in c.metrics.values()]
    return not any(ch < " " and ch not in "\n\t" for t in texts for ch in t) and all(
        float(f"{v:.15g}") == v for v in numbers)


@settings(max_examples=15)
@given(documents().filter(_xlsx_safe))
def test_xlsx_round_trip_keeps_every_card_and_order(data: DocumentData) -> None:
    from app.interchange.xlsx_io import export_xlsx, import_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d.xlsx"
        export_xlsx(data, [m.id for m in data.ordered_maps()], path)
        again = import_xlsx(path).data
    assert content(again) == content(data)
