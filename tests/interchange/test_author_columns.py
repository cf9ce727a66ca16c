"""A card's author (who contributed it) travels through CSV, XLSX and JSON like its other
fields, and its header synonyms are understood."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from interchange_helpers import problems_of, write

from app.interchange.csv_io import import_csv
from app.interchange.formats import export_data, import_file

CSV = (
    "Stage,Lane,Title,Contributed by\n"
    "Arrive,Actions,finds the door code in an e-mail from 2019,Aiko (participant 3)\n"
    "Arrive,Thoughts,\"why is there no sign?!\",  Ольга  \n"
    "Order,Actions,orders for 2 + baby chair,\n"
    "Order,Thoughts,ما هذا؟,مشارك ٤\n"
)


def test_csv_reads_the_author_column_by_its_synonyms(tmp_path: Path) -> None:
    data = import_csv(write(tmp_path, "room.csv", CSV)).data
    m = data.ordered_maps()[0]
    assert [c.author for c in data.cards_of(m.id)] == [
        "Aiko (participant 3)", "Ольга", "", "مشارك ٤"]
    for header in ("Author", "participant", "Contributor", "written_by"):
        text = CSV.replace("Contributed by", header)
        again = import_csv(write(tmp_path, "again.csv", text)).data
        assert again.cards_of(again.ordered_maps()[0].id)[0].author == (
            "Aiko (participant 3)")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_the_author_survives_export_and_import(tmp_path: Path, suffix: str) -> None:
    data = import_csv(write(tmp_path, "room.csv", CSV)).data
    out = export_data(data, None, tmp_path / f"out{suffix}")
    again = import_file(out).data
    assert sorted(c.author for c in again.cards.values()) == sorted(
        c.author for c in data.cards.values())


def test_csv_export_names_the_column_and_protects_formulas(tmp_path: Path) -> None:
    text = "stage,title,author\nArrive,door code,=HYPERLINK(\"x\")\n"
    data = import_csv(write(tmp_path, "f.csv", text)).data
    out = export_data(data, None, tmp_path / "out.csv")
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0]["author"] == "'=HYPERLINK(\"x\")"  # a spreadsheet shows it as text
    assert import_csv(out).data.cards[1].author == '=HYPERLINK("x")'


def test_an_author_longer_than_a_name_is_refused_with_its_cell(tmp_path: Path) -> None:
    text = f"stage,title,author\nArrive,door code,{'x' * 121}\n"
    message, details = problems_of(import_csv, write(tmp_path, "long.csv", text))
    assert message == "1 problem in 'long.csv'"
    assert len(details) == 1 and "row 2" in details[0] and "author" in details[0], details


def test_every_card_field_has_a_long_table_column() -> None:
    """A new card field is carried by CSV and XLSX, or is named here with the reason."""
    from app.interchange.longtable import FIELDS
    from app.model.schema import Card

    not_columns = {"metrics": "one metric:NAME column per metric",
                   "image": "images stay inside the document"}
    assert set(Card.CONTENT_FIELDS) - set(FIELDS) == set(not_columns)
