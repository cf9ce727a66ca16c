"""Workshop mode: keyboard-only capture, dot voting, ranking and stage focus."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt

from app.model.schema import CardKind
from app.ui.canvas.workshop import Workshop
from tests.ui.conftest import card_centre, ids, vp

PLAN = [("p", "", CardKind.PAIN_POINT, "Pain points"),
        ("o", "", CardKind.OPPORTUNITY, "Opportunities"),
        ("g", "", CardKind.GOAL, "Goals"),
        ("e", "-2", CardKind.EMOTION, "Emotions")]


def test_twenty_cards_across_five_stages_with_keys_only(qtbot, view, doc):
    n = ids(doc)
    ws = Workshop(view)
    w = view.viewport()
    stages = [s.id for s in doc.data.stages_of(n["map"])][:5]
    before = {sid: {ln: len(doc.data.cell(sid, n[ln])) for _k, _s, _c, ln in PLAN}
              for sid in stages}
    for si in range(5):
        for key, score, _kind, _lane in PLAN:
            qtbot.keyClick(w, key)
            for ch in score:
                qtbot.keyClick(w, ch)
            qtbot.keyClicks(w, f"Idea {key.upper()}{si} with spaces")
            qtbot.keyClick(w, Qt.Key.Key_Return)
        qtbot.keyClick(w, Qt.Key.Key_Tab)
    for si, sid in enumerate(stages):
        for key, score, kind, lane in PLAN:
            cell = doc.data.cell(sid, n[lane])
            assert len(cell) == before[sid][lane] + 1
            new = cell[-1]
            assert new.title == f"Idea {key.upper()}{si} with spaces"
            assert new.kind == kind
            assert new.emotion == (int(score) if score else None)
    assert len(doc.history()) == 20
    ws.close()
    assert view.key_handler is None


def test_arrows_move_cursor_and_typing_starts_card_there(qtbot, view, doc):
    n = ids(doc)
    ws = Workshop(view)
    w = view.viewport()
    qtbot.keyClick(w, Qt.Key.Key_Right)
    qtbot.keyClick(w, Qt.Key.Key_Down)
    assert ws.cell() == (n["Research"], n["Actions"])
    qtbot.keyClicks(w, "Compares prices")
    qtbot.keyClick(w, Qt.Key.Key_Escape)  # discard
    assert all(c.title != "Compares prices" for c in doc.data.cards.values())
    qtbot.keyClicks(w, "Compares prices")
    qtbot.keyClick(w, Qt.Key.Key_Return)
    new = doc.data.cell(n["Research"], n["Actions"])[-1]
    assert (new.title, new.kind) == ("Compares prices", CardKind.ACTION)
    qtbot.keyClick(w, Qt.Key.Key_Escape)  # close the empty next-card editor
    assert view.session is None
    ws.close()


def test_dot_voting_is_undoable_and_ranked(qtbot, view, doc):
    n = ids(doc)
    ws = Workshop(view)
    w = view.viewport()
    card = doc.data.cell(n["Discover"], n["Pain points"])[0]
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=vp(view, *card_centre(view, card.id)))
    start = card.votes
    for _ in range(20):
        qtbot.keyClick(w, "v")
    assert doc.data.cards[card.id].votes == start + 20
    assert doc.undo_label.startswith("Vote for")
    doc.undo()
    assert doc.data.cards[card.id].votes == start + 19
    ranked = ws.ranked()
    assert ranked[0][2] == card.id and ranked[0][0] == start + 19
    assert all(a[0] >= b[0] for a, b in itertools.pairwise(ranked))
    assert {k for _v, k, _c, _t in ranked} <= {"pain_point", "opportunity"}
    qtbot.keyClick(w, "r")
    assert ws.ranking.isVisible()
    assert card.title in ws.ranking.item(1).text()
    ws.close()


def test_focus_dims_other_stages(qtbot, view, doc):
    n = ids(doc)
    ws = Workshop(view)
    w = view.viewport()
    qtbot.keyClick(w, Qt.Key.Key_Tab)
    qtbot.keyClick(w, "f")
    scene = view.map_scene
    for cid, item in scene.cards.items():
        in_focus = doc.data.cards[cid].stage_id == n["Research"]
        assert (item.opacity() == 1.0) == in_focus
    qtbot.keyClick(w, "f")
    assert all(item.opacity() == 1.0 for item in scene.cards.values())
    ws.close()
