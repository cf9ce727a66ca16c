"""Rankings, missing touchpoints and goals, evidence, funnel and review dates on crafted maps."""

from __future__ import annotations

import datetime as dt

from analysis_helpers import OPP, E, G, P, T, emotion, make_map, touch

from app.analysis.findings import (
    evidence,
    funnel,
    missing_parts,
    overdue_reviews,
    ranked,
    review_status,
)
from app.model.schema import CardKind

STAGES = ["Aware", "Buy", "Use"]


def test_pain_points_ranked_by_votes_then_emotion_then_metric() -> None:
    data = make_map(STAGES, [P, E, OPP], [
        ("Aware", "Pain points", {"kind": "pain_point", "title": "few votes", "votes": 1}),
        ("Aware", "Pain points", {"kind": "pain_point", "title": "mild", "votes": 5}),
        ("Buy", "Pain points", {"kind": "pain_point", "title": "hurts", "votes": 5}),
        ("Use", "Pain points", {"kind": "pain_point", "title": "hurts too", "votes": 5,
                                "metrics": {"tickets": 40}}),
        ("Use", "Pain points", {"kind": "pain_point", "title": "hurts less often", "votes": 5,
                                "metrics": {"tickets": 3}}),
        ("Use", "Opportunities", {"kind": "opportunity", "title": "idea", "votes": 2}),
        emotion("Aware", 1), emotion("Buy", -2), emotion("Use", -2)])
    order = [r.title for r in ranked(data, 1, CardKind.PAIN_POINT, "tickets")]
    # cards with the metric come before those without it
    assert order == ["hurts too", "hurts less often", "hurts", "mild", "few votes"]
    assert [r.title for r in ranked(data, 1, CardKind.OPPORTUNITY)] == ["idea"]


def test_stages_without_touchpoint_or_goal() -> None:
    data = make_map(STAGES, [T, G], [
        touch("Aware", "Ad"), ("Aware", "Goals", {"kind": "goal", "title": "learn"}),
        ("Buy", "Goals", {"kind": "goal", "title": "pay fast"})])
    missing = missing_parts(data, 1)
    assert missing.no_touchpoint == ["Buy", "Use"]
    assert missing.no_goal == ["Use"]


def test_evidence_coverage_and_assumption_warning() -> None:
    data = make_map(STAGES, [T], [
        touch("Aware", "a", source="observed"), touch("Aware", "b", source="assumption"),
        touch("Buy", "c", source="assumption"), touch("Buy", "d", source="assumption"),
        touch("Use", "e"), touch("Use", "f", source="survey")])
    rows = evidence(data, 1)
    assert [(e.stage, e.share) for e in rows] == [("Aware", 0.5), ("Buy", 0.0), ("Use", 0.5)]
    assert [e.warning for e in rows] == [
        None, "stage 'Buy' rests on assumptions only (2 cards)", None]
    unsourced = evidence(make_map(["S"], [T], [touch("S", "x"), touch("S", "y",
                                                                      source="assumption")]), 1)
    assert unsourced[0].warning == ("stage 'S' has no card backed by research "
                                    "(1 assumption, 1 without a source)")
    single = evidence(make_map(["S"], [T], [touch("S", "x", source="assumption")]), 1)
    assert single[0].warning == "stage 'S' rests on assumptions only (1 card)"


def test_funnel_by_metric_and_where_losses_meet_low_emotion() -> None:
    data = make_map(["Visit", "Cart", "Pay", "Thanks"], [T, E], [
        touch("Visit", "Home", metrics={"reach": 600}), touch("Visit", "Ads", metrics={"Reach": 400}),
        touch("Cart", "Basket", metrics={"reach": 400}), touch("Pay", "Checkout",
                                                               metrics={"reach": 100}),
        emotion("Visit", 1), emotion("Cart", 1), emotion("Pay", -2)])
    steps = funnel(data, 1, "reach")
    assert [(s.stage, s.value, s.change, s.coincides) for s in steps] == [
        ("Visit", 1000.0, None, False), ("Cart", 400.0, -0.6, False),
        ("Pay", 100.0, -0.75, True), ("Thanks", None, None, False)]


def test_review_dates() -> None:
    data = make_map(STAGES, [T], [], last_reviewed=dt.date(2026, 1, 1), review_interval_days=90)
    status = review_status(data, 1, dt.date(2026, 6, 1))
    assert (status.due, status.overdue_days) == (dt.date(2026, 4, 1), 61)
    assert status.describe() == "map 'Map' is 61 days overdue for review (due 2026-04-01)"
    assert review_status(data, 1, dt.date(2026, 3, 1)).overdue_days == 0
    assert [r.map_id for r in overdue_reviews(data, dt.date(2026, 6, 1))] == [1]
    never = make_map(STAGES, [T], [])
    assert review_status(never, 1).describe() == "map 'Map' has never been reviewed"
    assert overdue_reviews(never) == []


def test_rates_are_averaged_per_stage_counts_summed() -> None:
    data = make_map(["Visit", "Pay"], [T], [
        touch("Visit", "a", metrics={"conversion rate": 0.5, "visits": 10}),
        touch("Visit", "b", metrics={"conversion rate": 0.3, "visits": 30}),
        touch("Pay", "c", metrics={"conversion rate": 0.2, "visits": 5})])
    assert [s.value for s in funnel(data, 1, "conversion rate")] == [0.4, 0.2]
    assert [s.value for s in funnel(data, 1, "visits")] == [40.0, 5.0]
    assert [s.value for s in funnel(data, 1, "visits", how="mean")] == [20.0, 5.0]
