"""Markup in card text is shown literally on the canvas and in the history panel."""

from __future__ import annotations

from app.model import commands as C
from app.ui.panels.history import HistoryPanel

HOSTILE = '<b>bold</b> <img src="/etc/passwd"> &bogus;'


def test_canvas_and_history_show_markup_as_typed(qtbot, view, doc) -> None:  # type: ignore[no-untyped-def]
    m = doc.data.ordered_maps()[0].id
    stage, lane = doc.data.stages_of(m)[0].id, doc.data.lanes_of(m)[0].id
    change = doc.execute(C.AddCard(stage, lane, {"title": HOSTILE}))
    card_id = next(iter(change.added["cards"]))
    item = view.map_scene.cards[card_id]
    # wrapped (a word wider than the line is cut with a hyphen, issue 14), never interpreted
    # and a title past its line bound continues in the body after "…"
    lines = [line.text for line in (*item.box.title_lines, *item.box.body_lines)]
    painted = "".join(t[:-1] if t.endswith("-") else t for t in lines).replace("…", "")
    assert painted.replace(" ", "") == HOSTILE.replace(" ", "")
    image = view.viewport().grab()  # painting the literal text must not fail or load files
    assert not image.isNull()
    panel = HistoryPanel(doc)
    qtbot.addWidget(panel)
    texts = [panel.item(i).text() for i in range(panel.count())]
    assert texts[-1] == f"Add card '{HOSTILE[:39]}…'"  # the label, character for character
