"""The layout's re-layout caches, and a way to empty them.

The canvas lays the whole map out after every edit, so the layout keeps what it measured
(word widths, wrapped lines, card texts, placed card boxes, link paths) and reuses it for
cards that did not change. :func:`clear_layout_caches` empties them, so a benchmark can
measure a *first* layout (what a user waits for when opening a file) rather than a
re-layout, and a long-running process can drop them.
"""

from __future__ import annotations

from app.layout import cardtext, decor, fonts, shaping, transform, wrap


def clear_layout_caches() -> None:
    """Forget every cached measurement, card text, placed box and link path."""
    cardtext._CARD_TEXTS.clear()
    decor._LINKS.clear()
    transform._PLACED.clear()
    for sums in fonts._WORD_SUMS.values():
        sums.clear()
    wrap.wrap_text.cache_clear()
    wrap.wrap_lines.cache_clear()
    shaping.shape.cache_clear()
