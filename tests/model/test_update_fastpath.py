"""An update validates only the changed fields, with the same outcome as re-validating the row."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.model.ops import row_of
from app.model.state import _updated
from benchmarks.generate import generate_size


def _whole_row(table: str, old, after: dict):
    values = old.model_dump(mode="json")
    values.update(after)
    return row_of(table, values)


GOOD = [
    {"title": "  Hello\x00 there "}, {"channel": "EMAIL"}, {"kind": "action"},
    {"metrics": {"NPS": 3}}, {"colour": "#AABBCC"}, {"tags": ["x", "y"]}, {"emotion": None},
    {"position": 4, "stage_id": 1}, {"body": "e\u0301"}, {"source": "survey"},
]
BAD = [
    {"emotion": 9}, {"emotion": True}, {"title": ""}, {"title": "x" * 100_000},
    {"colour": "red"}, {"votes": "3"}, {"stage_id": 0}, {"metrics": {"a": float("inf")}},
    {"position": -1}, {"tags": ["a" * 100]}, {"kind": "nonsense"}, {"not_a_field": 1},
]


@pytest.mark.parametrize("after", GOOD)
def test_good_updates_equal_whole_row_validation(after: dict) -> None:
    card = next(iter(generate_size("100").cards.values()))
    assert _updated("cards", card, after) == _whole_row("cards", card, after)


@pytest.mark.parametrize("after", BAD)
def test_bad_updates_are_refused_like_whole_row_validation(after: dict) -> None:
    card = next(iter(generate_size("100").cards.values()))
    with pytest.raises(ValidationError):
        _whole_row("cards", card, after)
    with pytest.raises(ValidationError):
        _updated("cards", card, after)
    assert card == next(iter(generate_size("100").cards.values()))  # the old row is untouched


def test_models_with_row_checks_are_validated_whole() -> None:
    data = generate_size("100")
    link = next(iter(data.links.values()))
    with pytest.raises(ValidationError, match="two different cards"):
        _updated("links", link, {"target_id": link.source_id})
