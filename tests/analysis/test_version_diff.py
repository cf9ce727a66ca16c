"""Version diff on a crafted edit sequence made through the real Document and its commands."""

from __future__ import annotations

from pathlib import Path

from analysis_helpers import E, T, emotion, make_map, touch

from app.analysis.diff import diff_versions
from app.model import commands as C
from app.model.document import Document
from app.model.schema import DocumentData


def _ids(data: DocumentData) -> dict[str, int]:
    out = {c.title: c.id for c in data.cards.values()}
    out.update({s.name: s.id for s in data.stages.values()})
    out.update({ln.name: ln.id for ln in data.lanes.values()})
    return out


def test_diff_after_add_remove_move_edit(tmp_path: Path) -> None:
    start = make_map(["Aware", "Buy"], [T, E], [
        touch("Aware", "Ad"), touch("Aware", "Flyer"), touch("Buy", "Checkout", channel="web"),
        emotion("Aware", 1, "happy"), emotion("Buy", -1, "meh")])
    with Document.create_from(tmp_path / "v.cjm", start) as doc:
        version = doc.name_version("Q3 review")
        ids = _ids(doc.data)
        doc.execute(C.AddCard(ids["Buy"], ids["Touchpoints"], {"title": "Coupon"}))
        doc.execute(C.DeleteCards([ids["Flyer"]]))
        doc.execute(C.MoveCards([(ids["Ad"], ids["Buy"], ids["Touchpoints"], None)]))
        doc.execute(C.UpdateCard(ids["Checkout"], {"channel": "phone", "votes": 3}))
        doc.execute(C.UpdateCard(ids["meh"], {"emotion": -2}))
        doc.execute(C.AddStage(doc.data.ordered_maps()[0].id, "Use"))
        old, new = doc.version_data(version.id), doc.data
    diff = diff_versions(old, new)
    assert [(c.title, c.detail) for c in diff.added] == [("Coupon", "added in Buy / Touchpoints")]
    assert [(c.title, c.detail) for c in diff.removed] == [
        ("Flyer", "removed from Aware / Touchpoints")]
    assert [(c.title, c.detail) for c in diff.moved] == [
        ("Ad", "moved from Aware / Touchpoints to Buy / Touchpoints")]
    assert [(c.title, c.detail) for c in diff.edited] == [
        ("Checkout", "channel web -> phone; votes 0 -> 3"), ("meh", "emotion -1 -> -2")]
    assert diff.stages_added == ["Use"] and diff.stages_removed == []
    assert [(e.stage, e.before, e.after) for e in diff.emotion] == [("Buy", -1.0, -2.0)]
    assert diff_versions(new, new).empty
