"""Every open document's canvas lays out with a layout cache of its own.

Two windows on two documents made from one template (so their cards have the same ids,
which the old process-wide cache keyed its placed boxes by): typing in one window's
properties re-lays out that window's map only; the other's cache keeps every entry, and
its next layout reuses every card box.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.layout import layout_map
from app.layout.caches import LayoutCache
from tests.made import new_document
from tests.ui.conftest import ids, shown_window


def _entries(cache: LayoutCache) -> dict[str, dict]:
    return {"card_texts": dict(cache.card_texts), "placed": dict(cache.placed),
            "links": dict(cache.links),
            **{k: dict(v) for k, v in cache.memos.items()},
            **{f"words {k}": dict(v) for k, v in cache.word_sums.items()}}


def test_two_open_documents_never_share_or_empty_layout_caches(qtbot, doc, tmp_path: Path):
    other_doc = new_document(tmp_path / "other.cjm", "sample")
    try:
        one = shown_window(qtbot, doc)
        two = shown_window(qtbot, other_doc)
        assert set(doc.data.cards) == set(other_doc.data.cards)  # the same card ids
        cache_one, cache_two = one.scene.layout_cache, two.scene.layout_cache
        assert cache_one is not cache_two
        held = _entries(cache_two)
        boxes = dict(two.scene.layout.cards)
        assert set(cache_two.placed) == set(boxes)

        n = ids(doc)
        card = doc.data.cell(n["Discover"], n["Goals"])[0]
        one.scene.select_cards([card.id])
        one.properties.title.setFocus()
        one.properties.title.selectAll()
        qtbot.keyClicks(one.properties.title, "weekend opening hrs: 24/7 & more (v2)")
        qtbot.keyClick(one.properties.title, Qt.Key.Key_Return)
        assert doc.data.cards[card.id].title == "weekend opening hrs: 24/7 & more (v2)"
        assert other_doc.data.cards[card.id].title == card.title
        text = " ".join(t.text for t in one.scene.layout.cards[card.id].title_lines)
        assert "weekend" in text
        assert cache_one.placed[card.id][4] is one.scene.layout.cards[card.id]

        after = _entries(cache_two)
        assert after.keys() == held.keys()
        for kind, entries in held.items():  # the same entries, the very same objects
            assert after[kind].keys() == entries.keys(), kind
            assert all(after[kind][k] is v for k, v in entries.items()), kind
        two.scene.refresh()
        assert all(two.scene.layout.cards[i] is boxes[i] for i in boxes)
        # and the canvas shows what a first layout of its document gives
        assert two.scene.layout == layout_map(other_doc.data, two.scene.map_id,
                                              style=two.scene.style, cache=LayoutCache())
        assert one.scene.layout == layout_map(doc.data, one.scene.map_id,
                                              style=one.scene.style, cache=LayoutCache())
        two.close()
        one.close()
    finally:
        other_doc.close()
