"""The layout's re-layout caches, and the one way to empty them.

The canvas lays the whole map out after every edit, so the layout keeps what it measured
(word widths, wrapped lines, shaped runs, card texts, placed card boxes, link paths) and
reuses it for cards that did not change. Each module that keeps such a cache registers
how to empty it here (:func:`register`); :func:`clear_layout_caches` empties them all, so
a benchmark can measure a *first* layout (what a user waits for when opening a file)
rather than a re-layout, a font change starts afresh, and a long-running process can drop
them. This module imports no other: the caches' owners stand on it, not the reverse.
"""

from __future__ import annotations

from collections.abc import Callable

_CLEARERS: list[Callable[[], object]] = []


def register(clear: Callable[[], object]) -> Callable[[], object]:
    """Call ``clear()`` whenever the layout caches are emptied; returns it."""
    _CLEARERS.append(clear)
    return clear


def clear_layout_caches() -> None:
    """Forget every cached measurement, card text, placed box and link path."""
    for clear in _CLEARERS:
        clear()
