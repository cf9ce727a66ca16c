"""Fixtures for model tests: a small real document on disk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.model import commands as C
from app.model.document import Document
from app.model.schema import LaneKind
from tests.made import new_document


def build_small(doc: Document) -> dict[str, int]:
    """Three stages x three lanes and four cards; returns ids by name."""
    doc.execute(C.AddMap("Bike purchase", stages=["Aware", "Buy", "Use"], lanes=[
        ("Touchpoints", LaneKind.TOUCHPOINTS), ("Emotions", LaneKind.EMOTIONS),
        ("Pain points", LaneKind.PAIN_POINTS)]))
    data = doc.data
    m = data.ordered_maps()[0]
    ids = {"map": m.id}
    for s in data.stages_of(m.id):
        ids[s.name] = s.id
    for lane in data.lanes_of(m.id):
        ids[lane.name] = lane.id
    for stage, lane, title in [("Aware", "Touchpoints", "Sees ad"),
                               ("Aware", "Touchpoints", "Reads review"),
                               ("Buy", "Touchpoints", "Checkout"),
                               ("Use", "Pain points", "Saddle hurts")]:
        change = doc.execute(C.AddCard(ids[stage], ids[lane], {"title": title}))
        ids[title] = next(iter(change.added["cards"]))
    return ids


@pytest.fixture
def doc(tmp_path: Path) -> Iterator[Document]:
    """An empty document in its own file."""
    d = new_document(tmp_path / "t.cjm", "")
    yield d
    d.close()


@pytest.fixture
def small(doc: Document) -> tuple[Document, dict[str, int]]:
    return doc, build_small(doc)
