"""The canvas paints every box with the poster's own op builders (issue 14 / review §2.4):
for every box of the sample map, the canvas item's ops equal the poster's ops."""

from __future__ import annotations

from dataclasses import replace

from app.layout.paint import card_ops, curve_ops, link_label_ops, link_ops, paint_ops


def _contains(seq: list, part: list) -> bool:
    n = len(part)
    return any(seq[i:i + n] == part for i in range(len(seq) - n + 1))


def test_canvas_ops_equal_the_posters_for_every_box(view) -> None:
    scene = view.scene()
    # de-emphasised assumptions: the poster dashes their border, and so must the canvas
    scene.style = replace(scene.style, dim_assumptions=True)
    scene.refresh()
    lay = scene.layout
    poster = list(paint_ops(lay))
    assert scene.cards and len(scene.cards) == len(lay.cards)
    dashed = 0
    for card_id, item in scene.cards.items():
        box = lay.cards[card_id]
        mine = item.source_ops("full")
        assert mine == list(card_ops(box, lay.scale))
        assert _contains(poster, mine), card_id
        dashed += bool(mine[0].dash)
        # zoomed out, the box keeps the poster's border and dash
        assert item.source_ops("block")[0] == mine[0]
    assert dashed > 0  # the sample has assumption cards
    assert scene.curve is not None and lay.curve is not None
    assert scene.curve.ops == list(curve_ops(lay.curve, lay.scale))
    assert _contains(poster, scene.curve.ops)
    for link_id, item in scene.links.items():
        link = next(k for k in lay.links if k.link_id == link_id)
        assert item.source_ops() == [*link_ops(link), *link_label_ops(link)]
        assert _contains(poster, list(link_ops(link)))
