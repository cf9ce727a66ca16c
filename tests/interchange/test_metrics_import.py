"""Metrics CSV: matched by card id or stage + title, every bad row named, latest date wins."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from interchange_helpers import REAL_MAPS, problems_of, write

from app.interchange.csv_io import import_csv
from app.interchange.metrics import import_metrics, metric_fields
from app.model.schema import DocumentData


@pytest.fixture
def ikea() -> DocumentData:
    return import_csv(REAL_MAPS / "ikea-couch.csv").data


def _card(data: DocumentData, title: str) -> int:
    return next(c.id for c in data.cards.values() if c.title == title)


def test_by_stage_and_title_and_by_id(tmp_path: Path, ikea: DocumentData) -> None:
    support = _card(ikea, "Contact support")
    path = write(tmp_path, "m.csv",
                 "Touchpoint,Stage,Metric,Value,n,Date\n"
                 "visit website,research,CSAT,4.1,120,2026-03-01\n"
                 ",,NPS,-12,80,2026-02-01\n")
    clean = write(tmp_path, "ok.csv",
                  "card_id,stage,title,metric,value,sample size,date\n"
                  ",Research,Visit website,CSAT,4.1,120,2026-03-01\n"
                  f"{support},,,NPS,-12,80,01/02/2026\n"
                  ",Purchase,Make payment,drop-off,35%,,\n")
    result = import_metrics(clean, ikea)
    website = _card(ikea, "Visit website")
    assert [(u.card_id, u.metric, u.value, u.sample_size, u.date) for u in result.updates] == [
        (website, "CSAT", 4.1, 120, dt.date(2026, 3, 1)),
        (support, "NPS", -12.0, 80, dt.date(2026, 2, 1)),
        (_card(ikea, "Make payment"), "drop-off", 35.0, None, None)]
    fields = metric_fields(ikea, result.updates)
    assert fields[website] == {"metrics": {"CSAT": 4.1}}
    _message, details = problems_of(import_metrics, path, ikea)
    assert details == ["row 3: the row names no card"]


def test_latest_date_wins(tmp_path: Path, ikea: DocumentData) -> None:
    path = write(tmp_path, "m.csv", "stage,title,metric,value,date\n"
                 "Research,Find sales,reach,100,2026-05-01\n"
                 "Research,Find sales,reach,90,2026-01-01\n")
    result = import_metrics(path, ikea)
    assert [u.value for u in result.updates] == [100.0]
    assert result.warnings == ["row 3: reach of the same card as row 2; kept row 2, "
                               "the later measurement"]


def test_every_bad_row_is_named(tmp_path: Path, ikea: DocumentData) -> None:
    path = write(tmp_path, "bad.csv", "card_id,stage,title,metric,value,sample_size,date\n"
                 "99999,,,NPS,1,,\n"
                 ",Research,No such card,NPS,1,,\n"
                 ",Research,Find sales,,1,,\n"
                 ",Research,Find sales,NPS,lots,,\n"
                 ",Research,Find sales,NPS,1,-5,\n"
                 ",Research,Find sales,NPS,1,,yesterday\n")
    message, details = problems_of(import_metrics, path, ikea)
    assert message == "6 problems in 'bad.csv'"
    assert details == [
        "row 2, column A (card_id): there is no card 99999",
        "row 3, column C (title): no card 'No such card' in stage 'Research'",
        "row 4, column D (metric): the metric name must have 1 to 60 characters",
        "row 5, column E (value): 'lots' is not a number",
        "row 6, column F (sample_size): '-5' is not a whole number",
        "row 7, column G (date): 'yesterday' is not a date (use YYYY-MM-DD)"]


def test_ambiguous_title_and_missing_columns(tmp_path: Path, ikea: DocumentData) -> None:
    # "Search for couches" is both the action and the emotion card of Research
    path = write(tmp_path, "amb.csv", "stage,title,metric,value\nResearch,Search for couches,x,1\n")
    assert "2 cards are called 'Search for couches'" in problems_of(import_metrics, path, ikea)[1][0]
    path = write(tmp_path, "cols.csv", "title,value\nA,1\n")
    details = problems_of(import_metrics, path, ikea)[1]
    assert details == ["row 1: the required column 'metric' is missing",
                       "row 1: name the card by a 'card_id' column or by 'stage' and 'title'"]
