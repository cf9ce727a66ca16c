"""The built-in templates and the sample map are valid and realistic."""

from __future__ import annotations

import pytest

from app.errors import WaymarkError
from app.model.schema import CardKind, DataSource, LaneKind
from app.model.templates import TEMPLATES, load_template


@pytest.mark.parametrize("name", TEMPLATES)
def test_templates_validate(name: str) -> None:
    data = load_template(name)
    m = data.ordered_maps()[0]
    assert len(data.stages_of(m.id)) >= 3 and len(data.lanes_of(m.id)) >= 5


def test_sample_is_a_real_map() -> None:
    data = load_template("sample")
    m = data.ordered_maps()[0]
    stages, lanes, cards = data.stages_of(m.id), data.lanes_of(m.id), data.cards_of(m.id)
    assert 5 <= len(stages) <= 6 and len(lanes) >= 7 and len(cards) >= 45
    # Poster-readable: short titles, short bodies.
    assert max(len(c.title) for c in cards) <= 60 and max(len(c.body) for c in cards) <= 200
    persona = data.personas[m.persona_id]  # type: ignore[index]
    assert persona.goals and persona.frustrations and persona.motivations and persona.quote
    kinds = {c.kind for c in cards}
    assert {CardKind.EMOTION, CardKind.PAIN_POINT, CardKind.OPPORTUNITY, CardKind.TOUCHPOINT} <= kinds
    emotion_lane = next(lane for lane in lanes if lane.kind == LaneKind.EMOTIONS)
    for s in stages:  # an emotion score in every stage, so the curve spans the map
        assert any(c.emotion is not None for c in data.cell(s.id, emotion_lane.id))
    assert len({c.channel for c in cards if c.channel}) >= 5
    assert {c.source for c in cards} >= {DataSource.OBSERVED, DataSource.ASSUMPTION}
    assert any(c.metrics for c in cards) and any(c.votes for c in cards)
    assert {s.phase for s in stages} == {"Pre-purchase", "Purchase", "Post-purchase"}
    assert data.links_of(m.id)


def test_unknown_template() -> None:
    with pytest.raises(WaymarkError, match="unknown template"):
        load_template("b2x")
