"""Preflight: each rule fires on a crafted map and stays silent on a good one."""

from __future__ import annotations

from layout_maps import build, csv_data, sample_data

from app.export.common import ExportOptions
from app.export.preflight import run_preflight
from app.model.schema import Card, DocumentData, LaneKind


def rules(problems) -> set[str]:
    return {p.rule for p in problems}


def test_sample_map_is_clean_at_a1() -> None:
    assert run_preflight(sample_data(), 1, "A1") == []


def test_text_too_small_names_a_larger_paper() -> None:
    # Issue 14: the rule is checked per role; the first failing role names the ways out.
    problems = run_preflight(sample_data(), 1, "A4")
    size = [p for p in problems if p.rule == "text-size"]
    assert size and all(p.severity == "error" for p in size)
    assert "--paper A3 --orientation landscape" in size[0].suggestions
    # Reading from further away needs larger paper again.
    assert "text-size" in rules(run_preflight(sample_data(), 1, "A1", distance_m=2.0))


def test_map_failing_a3_suggests_a_tiled_poster() -> None:
    problems = run_preflight(csv_data("ikea-couch.csv"), 1, "A3")
    msg = next(p.message for p in problems if p.rule == "text-size")
    assert "--tile A4" in msg and "mm" in msg


def test_the_suggested_custom_poster_passes_its_own_check() -> None:
    """The poster size named in the message is legible at the distance it names (a custom
    paper's default distance grows with its size, so the suggestion must name one)."""
    import re

    from app.layout.paper import parse_paper

    data = csv_data("ikea-couch.csv")
    msg = next(p.message for p in run_preflight(data, 1, "A3") if p.rule == "text-size")
    found = re.search(r"--paper (\d+x\d+mm) --distance ([\d.]+)m", msg)  # the tiled poster
    assert found, msg
    paper = parse_paper(found.group(1), "landscape")
    again = run_preflight(data, 1, paper, distance_m=float(found.group(2)))
    assert "text-size" not in rules(again), again


def test_contrast_rule_and_its_fix() -> None:
    data = build(["S", "T"], [("L", LaneKind.ACTIONS)],
                 [dict(stage="S", lane="L", title="Dark card", colour="#333333"),
                  dict(stage="T", lane="L", title="Fine card")])
    problems = run_preflight(data, 1, "A3")
    bad = [p for p in problems if p.rule == "contrast"]
    assert bad and bad[0].card_id == 1000
    fixed = run_preflight(data, 1, "A3", options=ExportOptions(fix_contrast=True))
    assert "contrast" not in rules(fixed)


def test_overflow_rule_for_a_card_too_long_for_the_page() -> None:
    data = build(["S"], [("L", LaneKind.ACTIONS)],
                 [dict(stage="S", lane="L", title="Essay", body="word " * 990)])
    problems = run_preflight(data, 1, "A4")
    assert any(p.rule == "overflow" and p.card_id == 1000 for p in problems)


def test_shortened_badge_is_reported() -> None:
    data = build(["S"], [("L", LaneKind.TOUCHPOINTS)],
                 [dict(stage="S", lane="L", title="Chip", channel="an extremely long channel "
                       "name that cannot fit on one card line even on a wide poster card "
                       "because it goes on and on")])
    problems = [p for p in run_preflight(data, 1, "A3") if p.rule == "overflow"]
    assert problems and problems[0].severity == "warning" and "channel label" in problems[0].message


def test_empty_stage_and_unbalanced_rules() -> None:
    cards = [dict(stage="Busy", lane="L", title=f"Card {i}") for i in range(12)]
    cards += [dict(stage="Quiet", lane="L", title="One")]
    data = build(["Busy", "Quiet", "Empty"], [("L", LaneKind.ACTIONS)], cards)
    problems = run_preflight(data, 1, "A0")
    empty = [p for p in problems if p.rule == "empty-stage"]
    assert [p.stage_id for p in empty] == [3]
    unbalanced = [p for p in problems if p.rule == "unbalanced"]
    assert [p.stage_id for p in unbalanced] == [1]


def test_orphan_rules() -> None:
    data = build(["S"], [("Open", LaneKind.ACTIONS), ("Shut", LaneKind.CUSTOM)],
                 [dict(stage="S", lane="Open", title="Seen"),
                  dict(stage="S", lane="Shut", title="Hidden")], collapsed={"Shut"})
    hidden = [p for p in run_preflight(data, 1, "A3") if p.rule == "orphan"]
    assert [p.card_id for p in hidden] == [1001]
    # A card whose stage is gone (only possible in data that skipped validation).
    stray = Card.model_construct(**{**data.cards[1000].model_dump(), "id": 7, "stage_id": 99})
    broken = DocumentData.model_construct(**{**dict(data), "cards": {**data.cards, 7: stray}})
    orphans = [p for p in run_preflight(broken, 1, "A3") if p.rule == "orphan"]
    assert any(p.card_id == 7 and p.severity == "error" for p in orphans)


def test_problems_are_sorted_and_serialisable() -> None:
    problems = run_preflight(csv_data("viaje-dos-personas.csv"), 1, "A3")
    severities = [p.severity for p in problems]
    order = {"error": 0, "warning": 1, "info": 2}
    assert severities == sorted(severities, key=order.__getitem__)
    assert all(set(p.to_dict()) >= {"rule", "severity", "message", "card_id"} for p in problems)


def test_text_the_font_cannot_print_is_named_by_card() -> None:
    """Only characters no available font covers are flagged, naming the card and the
    characters: Chinese, Arabic, Hindi, emoji, accented, Cyrillic and Greek text print
    (the shipped fallback faces cover them); a private-use character does not."""
    data = sample_data()
    cards = sorted(data.cards.values(), key=lambda c: c.id)
    latin, cjk, odd = cards[0], cards[1], cards[2]
    changed = dict(data.cards)
    changed[latin.id] = latin.model_copy(update={"title": "Café Ünïcode Привет Γειά"})
    changed[cjk.id] = cjk.model_copy(update={"title": "购买沙发 تسجيل हिन्दी 😀",
                                              "body": "Order 中文 form"})
    changed[odd.id] = odd.model_copy(update={"title": "Logo \U0010fffd in the header",
                                              "body": "icon \U0010fff0 here"})
    data = data.model_copy(update={"cards": changed})
    glyphs = [p for p in run_preflight(data, 1, "A1") if p.rule == "glyphs"]
    assert len(glyphs) == 1, glyphs
    assert glyphs[0].card_id == odd.id and glyphs[0].severity == "warning"
    assert repr("\U0010fffd\U0010fff0") in glyphs[0].message
    assert "glyphs" not in rules(run_preflight(sample_data(), 1, "A1"))
