"""Moments of truth, persona comparison and gaps along the path on crafted maps."""

from __future__ import annotations

from analysis_helpers import E, T, emotion, make_map, touch

from app.analysis.emotion import compare_maps, moments_of_truth, stage_emotions
from app.analysis.path import path_gaps
from app.model.schema import LaneKind

STAGES = ["Aware", "Buy", "Use"]


def test_lowest_and_highest_stage() -> None:
    data = make_map(STAGES, [T, E], [
        emotion("Aware", 1), emotion("Aware", 2), emotion("Buy", -2), emotion("Buy", 0),
        emotion("Use", 0), touch("Use", "Manual", emotion=-2)])
    curve = stage_emotions(data, 1)
    assert [(s.stage, s.average, s.count) for s in curve] == [
        ("Aware", 1.5, 2), ("Buy", -1.0, 2), ("Use", 0.0, 1)]  # emotion cards only
    mot = moments_of_truth(data, 1)
    assert [s.stage for s in mot.lowest] == ["Buy"]
    assert [s.stage for s in mot.highest] == ["Aware"]


def test_ties_and_maps_without_emotion_cards() -> None:
    data = make_map(STAGES, [T], [touch("Aware", "a", emotion=-1), touch("Buy", "b", emotion=-1),
                                  touch("Use", "c", emotion=2)])
    mot = moments_of_truth(data, 1)  # no emotion cards: any scored card counts
    assert [s.stage for s in mot.lowest] == ["Aware", "Buy"]
    assert [s.stage for s in mot.highest] == ["Use"]
    empty = make_map(STAGES, [T], [touch("Aware", "a")])
    assert moments_of_truth(empty, 1).lowest == []


def test_channel_switch_with_emotion_around_it() -> None:
    data = make_map(STAGES, [T, E], [
        touch("Aware", "Ad", channel="web"), touch("Aware", "Site", channel="web"),
        touch("Buy", "Hotline", channel="phone"), touch("Use", "No channel"),
        emotion("Aware", 1), emotion("Buy", -2)])
    (gap,) = path_gaps(data, 1)
    assert (gap.kind, gap.from_title, gap.to_title, gap.from_value, gap.to_value) == (
        "channel", "Site", "Hotline", "web", "phone")
    assert (gap.from_stage, gap.to_stage) == ("Aware", "Buy")
    assert (gap.emotion_before, gap.emotion_after) == (1.0, -2.0)
    assert "channel web -> phone" in gap.describe()


def test_device_switch_and_owner_handoff() -> None:
    data = make_map(STAGES, [T, ("Backstage", LaneKind.BACKSTAGE)], [
        touch("Aware", "Browse", device="desktop", owner="Marketing"),
        touch("Buy", "Pay", device="mobile", owner="Marketing", emotion=-1),
        ("Buy", "Backstage", {"kind": "action", "title": "Pick order", "owner": "Warehouse"}),
        touch("Use", "Deliver", device="Mobile", owner="Courier")])
    gaps = path_gaps(data, 1)
    assert [(g.kind, g.from_value, g.to_value) for g in gaps] == [
        ("device", "desktop", "mobile"),
        ("owner", "Marketing", "Warehouse"), ("owner", "Warehouse", "Courier")]
    assert gaps[1].emotion_before == -1.0  # the card's own score


def test_links_define_the_path_when_present() -> None:
    cards = [touch("Aware", "Web", channel="web"), touch("Aware", "Mail", channel="email"),
             touch("Buy", "Web again", channel="web")]
    # the customer goes Web -> Web again (no switch) and only then to Mail
    data = make_map(STAGES, [T], cards, links=[(1, 3), (3, 2)])
    gaps = path_gaps(data, 1)
    assert [(g.from_title, g.to_title) for g in gaps] == [("Web again", "Mail")]
    assert len(path_gaps(make_map(STAGES, [T], cards), 1)) == 2


def test_persona_comparison_by_stage_name() -> None:
    data = make_map(STAGES, [T, E], [emotion("Aware", 1), emotion("Buy", -2)],
                    title="Ana", persona="Ana")
    data = make_map(["aware", "Buy", "Return"], [T, E],
                    [emotion("aware", -1), emotion("Buy", 0), emotion("Return", 2)],
                    title="Ben", map_id=2, base=data, persona="Ben")
    rows = compare_maps(data, 1, 2)
    assert [(r.stage, r.a, r.b, r.difference) for r in rows] == [
        ("Aware", 1.0, -1.0, -2.0), ("Buy", -2.0, 0.0, 2.0), ("Use", None, None, None),
        ("Return", None, 2.0, None)]
