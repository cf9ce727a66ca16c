"""Every validation rule of the domain model."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.model.schema import (
    MAX_TITLE,
    Blob,
    Card,
    DocumentData,
    JourneyMap,
    Lane,
    Link,
    Persona,
    Stage,
)

CARD = {"id": 5, "map_id": 1, "stage_id": 2, "lane_id": 3, "title": "Checkout"}


def card(**kw: object) -> Card:
    return Card.model_validate({**CARD, **kw})


@pytest.mark.parametrize(("field", "value"), [
    ("title", ""), ("title", "   "), ("title", "x" * (MAX_TITLE + 1)),
    ("emotion", 3), ("emotion", -3), ("emotion", "1"), ("emotion", 1.5),
    ("votes", -1), ("votes", 10_000_000), ("colour", "red; x"), ("colour", "#12345"),
    ("metrics", {"NPS": float("nan")}), ("metrics", {"NPS": 1e300}), ("metrics", {"": 1}),
    ("kind", "sticker"), ("source", "rumour"), ("id", "5"), ("id", 0), ("tags", [""]),
    ("body", "x" * 5001), ("unknown", 1), ("image", "not-a-hash"),
])
def test_card_rejects(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        card(**{field: value})


def test_card_accepts_and_normalises() -> None:
    c = card(channel="Web", device="Mobile", colour="#AABBCC", emotion=-2,
             metrics={"CSAT": 4}, title="caf\u0065\u0301 \ud800 end\x00")
    assert c.channel == "web" and c.device == "mobile"
    assert c.colour == "#aabbcc"
    assert c.metrics == {"CSAT": 4.0}
    assert c.title == "café \ufffd end"  # NFC, lone surrogate replaced, NUL dropped
    assert card(channel="Carrier pigeon").channel == "Carrier pigeon"


def test_other_rows() -> None:
    with pytest.raises(ValidationError):
        Stage(id=1, map_id=1, name="")
    with pytest.raises(ValidationError):
        Lane(id=1, map_id=1, name="L", kind="walls")
    with pytest.raises(ValidationError):
        JourneyMap(id=1, title="M", review_interval_days=0)
    with pytest.raises(ValidationError):
        Persona(id=1, name="P", goals=["g"] * 51)
    with pytest.raises(ValidationError):
        Link(id=1, map_id=1, source_id=2, target_id=2)
    with pytest.raises(ValidationError):
        Blob(hash="a" * 64, mime="image/png", data=b"GIF89a....")
    with pytest.raises(ValidationError):
        Blob(hash="a" * 64, mime="image/png", data=b"\x89PNG\r\n\x1a\nrest")


def test_document_references() -> None:
    m = JourneyMap(id=1, title="M")
    s = Stage(id=2, map_id=1, name="S")
    ln = Lane(id=3, map_id=1, name="L")
    ok = DocumentData(maps={1: m}, stages={2: s}, lanes={3: ln}, cards={5: card()})
    assert ok.cell(2, 3)[0].title == "Checkout"
    with pytest.raises(ValidationError, match="missing stage 9"):
        DocumentData(maps={1: m}, stages={2: s}, lanes={3: ln}, cards={5: card(stage_id=9)})
    with pytest.raises(ValidationError, match="missing card"):
        DocumentData(maps={1: m}, links={7: Link(id=7, map_id=1, source_id=5, target_id=6)})
    with pytest.raises(KeyError, match="no map named"):
        ok.find_map("Other")
    assert ok.find_map("m").id == 1
