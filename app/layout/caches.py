"""The layout's caches, with an owner: one :class:`LayoutCache` per scene or export job.

The canvas lays the whole map out after every edit, so the layout keeps what it measured
(word widths, wrapped lines, card texts, placed card boxes, link paths) and reuses it for
cards that did not change. All of that lives in a :class:`LayoutCache` that its owner
creates and hands to :func:`~app.layout.layout_map` (and
:func:`~app.layout.compose.compose`): each canvas scene has its own, each export job has
its own (made on and used by its worker thread), so two open documents, or a document and
an export running beside it, never share entries, never empty each other's, and never
race on one dict. A layout given no cache uses a fresh one (or the one its caller bound
for the job with :meth:`LayoutCache.measuring`); the results are the same either way, a
cache only saves time.

How the cache reaches the text measurers: ``layout_map`` passes it explicitly to the
card-text, placement and link caches it calls, and *binds* it for the length of the call
(:meth:`LayoutCache.measuring`, a :mod:`contextvars` variable, so per thread and per
call, never process-wide) so that the word widths in :mod:`app.layout.fonts` and the
wrapped lines of :mod:`app.layout.wrap` (:func:`memoised`) are kept in it too, without
threading an argument through every ``text_width`` call. Measured outside any layout (a
test, a one-off width), nothing is kept.

The cache also carries its owner's fonts (:attr:`LayoutCache.fonts`, the font set of
the document's poster font): what :func:`app.layout.fontset.current` answers while the
cache is bound, so two windows with different poster fonts, or an export job beside
them, each measure and draw with their own. A painter working outside a layout (the
canvas at paint time) binds its owner's cache the same way.

What stays per process: the fonts themselves (faces, advance tables) and HarfBuzz's
shaped runs of a text in a face (:func:`app.layout.shaping.shape`, per font set), which the painters
need at paint time, outside any layout. They depend on the font configuration only,
never on a document; :func:`fonts_changed` (called by ``fontset.configure``) empties them
and makes every LayoutCache start afresh on its next use.

This module imports no other: the caches' users stand on it, not the reverse.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

#: Entries a cache keeps per kind before that kind is emptied (bounded memory). The kinds
#: kept per card or link hold a whole document at its limits (app.model.limits: 100,000
#: cards, 100,000 links), and the card texts two widths of it (a poster's first layout and
#: its stretched one): a smaller bound emptied them in the middle of every layout of a
#: large map, which then measured most of its cards again in each of its layouts.
CARD_TEXTS_MAX = 250_000
PLACED_MAX = 120_000
LINKS_MAX = 120_000
WORD_SUMS_MAX = 200_000
MEMO_MAX = 65_536

_CURRENT: ContextVar[LayoutCache | None] = ContextVar("waymark_layout_cache", default=None)
#: Bumped when the fonts change: a cache made for other fonts empties itself on next use.
_font_generation = 0
_FONT_MEMOS: list[Callable[[], object]] = []

F = TypeVar("F", bound=Callable[..., Any])


class LayoutCache:
    """What the layout measured and built for one owner (a scene, an export job).

    Use it from one thread at a time (its owner's). ``name`` is only for messages.

    ``fonts``: the owner's font set (an :class:`app.layout.fontset.FontSet`: its
    document's poster font), which the text measurers and painters use while the cache
    is bound; None for the process default. Setting another empties the cache.
    """

    def __init__(self, name: str = "", fonts: object | None = None) -> None:
        self.name = name
        self._font_set = fonts
        #: (card content, width, style, channel colour) -> CardText
        self.card_texts: dict[tuple, Any] = {}
        #: card id -> (card row, width, style key, channel colour, CardText) of its last
        #: layout: rows are never changed in place (an edit makes a new row), so the very
        #: same row object is the very same content, without building the content key
        self.text_of_card: dict[int, tuple] = {}
        #: card id -> (text, x, y, height, CardBox) of its last placing
        self.placed: dict[int, tuple] = {}
        #: link id -> (link, source box, target box, style key, LinkPath)
        self.links: dict[int, tuple] = {}
        #: font style -> {word or line: advance sum in 1/1000 em}
        self.word_sums: dict[str, dict[str, float]] = {}
        #: memoised function name -> {arguments: result} (:func:`memoised`)
        self.memos: dict[str, dict[tuple, Any]] = {}
        self._fonts = _font_generation
        self._style_key: tuple | None = None

    def __repr__(self) -> str:
        return f"<LayoutCache {self.name or hex(id(self))} {self.sizes()}>"

    @property
    def fonts(self) -> Any:
        """The owner's font set (None: the process default)."""
        return self._font_set

    @fonts.setter
    def fonts(self, value: object | None) -> None:
        if value is not self._font_set:
            self._font_set = value
            self.clear()

    def clear(self) -> None:
        """Forget everything (this cache only)."""
        self.card_texts.clear()
        self.text_of_card.clear()
        self.placed.clear()
        self.links.clear()
        self.word_sums.clear()
        self.memos.clear()
        self._fonts = _font_generation

    def sizes(self) -> dict[str, int]:
        """How many entries each kind holds (for tests and diagnostics)."""
        return {"card_texts": len(self.card_texts), "placed": len(self.placed),
                "links": len(self.links),
                "word_sums": sum(len(d) for d in self.word_sums.values()),
                **{name: len(d) for name, d in self.memos.items()}}

    def copy(self, name: str = "") -> LayoutCache:
        """A cache holding this one's entries so far, for another thread to go on with.

        Each kind is a new dict (the entries, never changed once made, are shared), so
        this cache's owner and the copy's thread never touch one dict. Take it on the
        owner's thread; :meth:`adopt` takes what the copy learnt back (the canvas lays a
        map out on a worker this way, ``MapScene.refresh_aside``).
        """
        other = LayoutCache(name or self.name, self._font_set)
        other.card_texts = dict(self.card_texts)
        other.text_of_card = dict(self.text_of_card)
        other.placed = dict(self.placed)
        other.links = dict(self.links)
        other.word_sums = {k: dict(v) for k, v in self.word_sums.items()}
        other.memos = {k: dict(v) for k, v in self.memos.items()}
        other._fonts = self._fonts
        other._style_key = self._style_key
        return other

    def adopt(self, other: LayoutCache) -> bool:
        """Take what ``other`` (a :meth:`copy` whose thread is done with it) learnt,
        unless it was made for other fonts; True when taken. Both sides' entries are
        kept (``other``'s where both have one): this cache may have learnt meanwhile too.
        """
        if other._font_set is not self._font_set or other._fonts != self._fonts:
            return False
        self.card_texts = {**self.card_texts, **other.card_texts}
        self.text_of_card = {**self.text_of_card, **other.text_of_card}
        self.placed = {**self.placed, **other.placed}
        self.links = {**self.links, **other.links}
        for mine, theirs in ((self.word_sums, other.word_sums), (self.memos, other.memos)):
            for kind, entries in theirs.items():
                mine[kind] = {**mine.get(kind, {}), **entries}
        if other._style_key == self._style_key:
            self._style_key = other._style_key
        return True

    def same_style_key(self, key: tuple) -> tuple:
        """``key`` (a style's key), or the equal one of the previous layout: the very same
        object, so the caches' checks are identity checks."""
        if key != self._style_key:
            self._style_key = key
        return self._style_key

    def fresh(self) -> LayoutCache:
        """This cache, emptied first if the fonts changed since it was filled."""
        if self._fonts != _font_generation:
            self.clear()
        return self

    @contextmanager
    def measuring(self) -> Iterator[LayoutCache]:
        """Bind this cache for the text measurers (this thread, this call) while inside."""
        token = _CURRENT.set(self.fresh())
        try:
            yield self
        finally:
            _CURRENT.reset(token)


def current() -> LayoutCache | None:
    """The cache bound by the innermost :meth:`LayoutCache.measuring` here, if any."""
    return _CURRENT.get()


def owner(cache: LayoutCache | None) -> LayoutCache:
    """``cache``, else the one bound for this job, else a fresh one (a one-off layout)."""
    if cache is None:
        cache = _CURRENT.get()
    return LayoutCache() if cache is None else cache.fresh()


def one_job(fn: F) -> F:
    """Run ``fn`` with the cache bound by its caller, or with a fresh one bound for its
    whole length: for an entry point (a preflight, a CLI command) whose several layouts
    should share one cache without every caller making one."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        if _CURRENT.get() is not None:
            return fn(*args, **kwargs)
        with LayoutCache(fn.__qualname__).measuring():
            return fn(*args, **kwargs)

    return run  # type: ignore[return-value]


def word_sums(style: str) -> dict[str, float] | None:
    """The bound cache's advance sums of ``style`` (None outside any layout)."""
    cache = _CURRENT.get()
    if cache is None:
        return None
    sums = cache.word_sums.get(style)
    if sums is None:
        sums = cache.word_sums[style] = {}
    elif len(sums) >= WORD_SUMS_MAX:
        sums.clear()
    return sums


def memoised(fn: F) -> F:
    """Memoise a pure function of hashable arguments in the bound cache (if any)."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        cache = _CURRENT.get()
        if cache is None:
            return fn(*args, **kwargs)
        memo = cache.memos.get(name)
        if memo is None:
            memo = cache.memos[name] = {}
        key = (args, tuple(sorted(kwargs.items()))) if kwargs else args
        try:
            return memo[key]
        except KeyError:
            pass
        value = fn(*args, **kwargs)
        if len(memo) >= MEMO_MAX:
            memo.clear()
        memo[key] = value
        return value

    return wrapper  # type: ignore[return-value]


def on_fonts_changed(clear: Callable[[], object]) -> Callable[[], object]:
    """Call ``clear()`` when the fonts change (a per-font memo such as shaped runs)."""
    _FONT_MEMOS.append(clear)
    return clear


def clear_font_memos() -> None:
    """Empty the per-font memos (a benchmark of a first layout, with a fresh cache)."""
    for clear in _FONT_MEMOS:
        clear()


def fonts_changed() -> None:
    """The fonts changed: empty the per-font memos; every LayoutCache starts afresh."""
    global _font_generation
    _font_generation += 1
    clear_font_memos()
