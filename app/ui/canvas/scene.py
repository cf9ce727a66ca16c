"""MapScene: the canvas scene, a mirror of one map of a Document kept by id.

The scene subscribes to the document; after each commit it lays the map out
again (10-60 ms, with a layout cache of its own: ``layout_cache``) and updates only
the items whose boxes changed: a card whose CardBox is equal to the previous one is
not touched. Items never write the
model; gestures issue commands and the change comes back through here.

Changes told inside :meth:`MapScene.aside` (the room's bursts, issue 19) are laid out on
a worker thread instead, from the document's frozen content of that moment with a copy
of the scene's cache, and the result is applied to the items on the GUI thread when it
arrives: the same map as a refresh on the spot, a few milliseconds later, without the
layout's 20-130 ms on the GUI thread. Any other refresh (an edit of the editor's own, a
map or style change) first waits for a layout under way and takes its cache, so the
scene never applies an older layout after a newer one.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import replace

from PySide6.QtCore import QObject, QRectF, QTimer, Signal
from PySide6.QtGui import QPixmapCache
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene
from shiboken6 import isValid

from app.layout import MapLayout, Rect, Style, layout_map
from app.layout.brandfont import SETTING, fonts_of_setting
from app.layout.caches import LayoutCache
from app.layout.cardtext import measure_ahead
from app.layout.fontset import FontSet
from app.model.document import Document
from app.model.schema import DocumentData
from app.model.state import Change
from app.ui.canvas.items.axes import LaneLabelItem, StageHeaderItem
from app.ui.canvas.items.card import CardItem
from app.ui.canvas.items.decor import (
    BACKDROP_Z,
    CURVE_Z,
    LinkItem,
    LinkLayer,
    OpsItem,
    backdrop_key,
    backdrop_ops,
    curve_ops,
    curve_rect,
)
from app.ui.canvas.items.layer import CardLayer

log = logging.getLogger(__name__)

MARGIN = 60.0
STILL_CACHE_KB = 64 * 1024


class _Aside:
    """One layout on a worker thread: frozen content, style and a cache copy in; the
    MapLayout (or the error) out. Touches nothing of Qt's and nothing of the scene's."""

    def __init__(self, data: DocumentData, map_id: int, style: Style,
                 cache: LayoutCache) -> None:
        self.data, self.map_id, self.style, self.cache = data, map_id, style, cache
        self.layout: MapLayout | None = None
        self.error: BaseException | None = None
        self.finished = threading.Event()
        #: Set on the GUI thread once the scene applied it or let it go.
        self.taken = False
        self.started = False
        self.lock = threading.Lock()

    def run(self, _progress: object = None, _cancelled: object = None) -> _Aside:
        with self.lock:
            if self.taken:  # let go before a pool thread was free: nothing to do
                self.finished.set()
                return self
            self.started = True
        try:
            self.layout = layout_map(self.data, self.map_id, style=self.style,
                                     cache=self.cache)
        except Exception as err:  # handed to the GUI thread, which lays out on the spot
            self.error = err
        finally:
            self.finished.set()
        return self


class MapScene(QGraphicsScene):
    """The items of one map, named by id: cards, stage headers, lane labels, links, curve."""

    #: Emitted after the scene caught up with a document change.
    refreshed = Signal()

    def __init__(self, doc: Document, map_id: int | None = None, style: Style | None = None,
                 parent: QObject | None = None,
                 kept_columns: dict[int, int] | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.style = style or Style()
        #: Card columns per stage shown so far (a stage keeps them while cards move).
        self.kept_columns: dict[int, int] = dict(kept_columns or {})
        self._slots_key: tuple | None = None
        self.map_id = map_id if map_id is not None else _first_map(doc)
        self.layout: MapLayout | None = None
        #: This scene's own layout cache (never shared with another scene or an export);
        #: it carries the document's poster font (:meth:`sync_fonts`).
        self.layout_cache = LayoutCache(f"scene of {doc.path.name}")
        self._font_setting: str | None = None
        #: Why the document's poster font is not used here ("" when it is, or when the
        #: document names none): its font is not installed, or refused.
        self.font_note = ""
        self.sync_fonts(force=True)
        self.cards: dict[int, CardItem] = {}
        self.stages: dict[int, StageHeaderItem] = {}
        self.lanes: dict[int, LaneLabelItem] = {}
        self.links: dict[int, LinkItem] = {}
        #: One painting layer per cell: (stage_id, lane_id) -> CardLayer.
        self.layers: dict[tuple[int, int], CardLayer] = {}
        self._cell_order: dict[tuple[int, int], list[int]] | None = None
        self._selected: dict[CardLayer, list[CardItem]] | None = None
        self._ringed: set[CardItem] = set()  # cards whose selection ring is painted
        self._ring_pending = False
        # A child timer (deleted with the scene): a singleShot with the scene as context
        # crashed in Qt when the scene went while the shot was pending.
        self._ring_timer = QTimer(self)
        self._ring_timer.setSingleShot(True)
        self._ring_timer.setInterval(0)
        self._ring_timer.timeout.connect(self._repaint_rings)
        self.selectionChanged.connect(self._selection_changed)
        self._detached = False
        self.curve: OpsItem | None = None
        self.link_layer: LinkLayer | None = None
        self.backdrop: OpsItem | None = None
        self._backdrop_key: tuple | None = None
        #: How many items the last refresh touched (added, updated or removed).
        self.last_touched = 0
        self._aside_depth = 0  # inside aside(): changes are laid out on a worker
        #: (content, map, style) of the layout shown: the content is replaced, never
        #: changed, on every edit, so the very same object is the very same map
        self._shown: tuple | None = None
        self._job: _Aside | None = None  # the layout under way on a worker, if any
        self._again = False  # another change came while it ran: lay out again after
        #: Layouts done on a worker and applied; the longest apply (seconds, GUI thread).
        self.aside_applied = 0
        self.longest_apply = 0.0
        self.last_apply = 0.0
        #: Called after a layout done on a worker was applied, with the apply's seconds.
        self._on_apply: list[Callable[[float], None]] = []
        #: Where the apply of a layout that arrived from a worker is handed to run (the
        #: room's bridge runs it as a turn of the event loop of its own, never right after
        #: a slice of contributions); None: at once.
        self.apply_gate: Callable[[Callable[[], None]], None] | None = None
        self._unsubscribe: Callable[[], None] | None = doc.subscribe(self._on_change)
        self.refresh()

    # ---------------------------------------------------------------- life
    def detach(self) -> None:
        """Stop listening to the document (before closing it or switching), and to its
        own selection: Qt's scene destructor removes the selected items and emits
        selectionChanged after the Python side is gone ("Slot 'MapScene::' not found"
        in whichever test ran next)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._settle_aside()
        if not self._detached:
            self._detached = True
            with contextlib.suppress(RuntimeError, TypeError):
                self.selectionChanged.disconnect(self._selection_changed)
            self._ring_timer.stop()

    def set_map(self, map_id: int) -> None:
        """Show another map of the same document."""
        if map_id == self.map_id:
            return
        self.map_id = map_id
        self.refresh()

    def _on_change(self, change: Change) -> None:
        if not change:
            return
        if self.map_id not in self.doc.data.maps:
            self.map_id = _first_map(self.doc)
        if self._aside_depth:
            self.refresh_aside()
        else:
            self.refresh()

    # ---------------------------------------------------------------- aside
    @contextlib.contextmanager
    def aside(self) -> Iterator[None]:
        """Document changes told inside are laid out on a worker (:meth:`refresh_aside`)."""
        self._aside_depth += 1
        try:
            yield
        finally:
            self._aside_depth -= 1

    @property
    def laying_out(self) -> bool:
        """Whether a layout is under way on a worker (its result not applied yet)."""
        return self._job is not None

    def on_aside_applied(self, fn: Callable[[float], None]) -> None:
        """Call ``fn(seconds)`` after each layout from a worker was applied to the items."""
        self._on_apply.append(fn)

    def refresh_aside(self) -> None:
        """Lay the map out on a worker thread, then update the items as :meth:`refresh`
        does, on the GUI thread, when the layout arrives (a change meanwhile: once more
        after it). Where a worker cannot help (no layout yet, another map font, no map),
        this is :meth:`refresh`."""
        if self._job is not None:
            self._again = True
            return
        data = self.doc.data
        if self._shown == (data, self.map_id, self.style) and self.layout is not None:
            return  # laid out from this very content already
        if (self.layout is None or self.map_id is None or self.map_id not in data.maps
                or self.doc.setting(SETTING) != self._font_setting):
            self.refresh()
            return
        from app.ui.support.tasks import Task  # the pool, and collection paused meanwhile

        job = self._job = _Aside(data, self.map_id, self._steady_style(),
                                 self.layout_cache.copy())
        Task(None, "canvas layout", job.run, on_done=self._aside_done,
             on_error=self._aside_failed, dialog=False).start()

    def measure_ahead(self, seconds: float) -> bool:
        """Measure, for at most ``seconds``, the texts of the map's new or changed cards
        that its next layout would measure (a room's burst between two layouts); True
        when none is left. Changes nothing that is shown: the layout finds them measured."""
        if (self.map_id is None or self.layout is None
                or self.doc.setting(SETTING) != self._font_setting):
            return True
        map_id = self.map_id
        cards = (c for c in self.doc.data.cards.values() if c.map_id == map_id)
        return measure_ahead(cards, self._steady_style(), self.layout_cache,
                             until=time.perf_counter() + seconds)

    def _aside_done(self, job: _Aside) -> None:
        """On the GUI thread: the worker's layout arrived; apply it (through the gate)."""
        if job.taken or self._detached or not isValid(self):
            return
        if self.apply_gate is None:
            self._apply_aside(job)
        else:
            self.apply_gate(lambda: self._apply_aside(job))

    def _apply_aside(self, job: _Aside) -> None:
        """Apply the worker's layout (unless a refresh on the spot took it meanwhile)."""
        if job.taken or self._detached or not isValid(self):
            return
        job.taken = True
        self._job = None
        if job.error is not None or job.layout is None:
            log.warning("canvas layout on a worker failed (%s); laying out here", job.error)
            self.refresh()
            return
        start = time.perf_counter()
        self.layout_cache.adopt(job.cache)
        with self.layout_cache.measuring():
            self._apply(job.layout, job.data)
        cost = time.perf_counter() - start
        self.aside_applied += 1
        self.longest_apply = max(self.longest_apply, cost)
        self.last_apply = cost
        for fn in list(self._on_apply):
            fn(cost)
        if self._again:
            self._again = False
            self.refresh_aside()

    def _aside_failed(self, err: BaseException) -> None:  # _Aside.run catches; a bug here
        log.error("canvas layout task failed: %s", err)
        if not self._detached and isValid(self):
            self._job = None
            self.refresh()

    def _settle_aside(self) -> None:
        """A refresh on the spot is coming: a layout under way is let go (its result
        will not be shown; the refresh measures again what it measured); one that has
        arrived but waits for its turn gives its cache and the columns it chose (as if
        it had been shown), not its boxes."""
        job, self._job, self._again = self._job, None, False
        if job is None:
            return
        with job.lock:  # not waited for: the GUI thread goes on at once
            done, job.taken = job.finished.is_set() and not job.taken, True
        if done and job.layout is not None and self.layout_cache.adopt(job.cache):
            self._remember_slots(job.layout)

    # ---------------------------------------------------------------- sync
    @property
    def fonts(self) -> FontSet:
        """The font set this scene measures and paints with (its document's poster font)."""
        return self.layout_cache.fonts  # type: ignore[no-any-return]

    def sync_fonts(self, *, force: bool = False) -> bool:
        """Take the document's poster font (``poster_font`` setting) if it changed; True
        when the fonts changed. Only this scene's cache is affected: another window's
        document keeps its own font."""
        value = self.doc.setting(SETTING)
        if value == self._font_setting and not force:
            return False
        fonts, self.font_note = fonts_of_setting(value)
        self._font_setting = value
        changed = fonts is not self.layout_cache.fonts
        self.layout_cache.fonts = fonts
        return changed

    def measuring(self) -> AbstractContextManager[LayoutCache]:
        """Bind this scene's cache and fonts (for painting and one-off measuring)."""
        return self.layout_cache.measuring()

    def refresh(self) -> None:
        """Lay the map out again and update the items whose boxes changed."""
        self._settle_aside()
        selected: list[int] | None = None
        if self.sync_fonts() and self.layout is not None:
            selected = self.selected_card_ids()
            self._clear_all()  # every item compiled its text in the old font
        with self.layout_cache.measuring():  # the items measure and shape as they are made
            self._refresh()
        if selected:
            self.select_cards([i for i in selected if i in self.cards])

    def _refresh(self) -> None:
        data = self.doc.data
        if self.map_id is None or self.map_id not in data.maps:
            self.map_id = _first_map(self.doc)
        if self.map_id is None:
            self._clear_all()
            self.layout = None
            self.refreshed.emit()
            return
        self._apply(layout_map(
            data, self.map_id, style=self._steady_style(), cache=self.layout_cache
        ), data)

    def _apply(self, lay: MapLayout, data: DocumentData | None = None) -> None:
        """Show ``lay`` (of ``data``): add, update or remove the items whose boxes changed."""
        self._shown = (data, self.map_id, self.style) if data is not None else None
        self._remember_slots(lay)
        self.layout = lay
        touched = 0
        key = backdrop_key(lay)
        rect = QRectF(0, 0, lay.width, lay.height)
        if self.backdrop is None:
            self.backdrop = OpsItem(backdrop_ops(lay), rect, BACKDROP_Z, min_px=1.0)
            self.addItem(self.backdrop)
            touched += 1
        elif key != self._backdrop_key:
            self.backdrop.set_ops(backdrop_ops(lay), rect)
            touched += 1
        self._backdrop_key = key
        changed: set[int] = set()
        touched += _sync(self, self.cards, {c.card_id: c for c in lay.cards.values()},
                         CardItem, "box", CardItem.set_box, changed)
        self._cell_order = None
        if changed:
            self._selected = None
            self._sync_layers(lay, changed)
        touched += _sync(self, self.stages, {s.stage_id: s for s in lay.stages},
                         StageHeaderItem, "header", StageHeaderItem.set_header)
        touched += _sync(self, self.lanes, {ln.lane_id: ln for ln in lay.lanes},
                         LaneLabelItem, "label", LaneLabelItem.set_label)
        links_touched = _sync(self, self.links, {k.link_id: k for k in lay.links},
                              LinkItem, "link", LinkItem.set_link)
        if self.link_layer is None:
            self.link_layer = LinkLayer()
            self.addItem(self.link_layer)
        if links_touched:
            self.link_layer.set_links(list(self.links.values()))
        touched += links_touched
        if lay.curve is None:
            if self.curve is not None:
                self.removeItem(self.curve)
                self.curve = None
                touched += 1
        elif self.curve is None:
            self.curve = OpsItem(curve_ops(lay.curve), curve_rect(lay.curve), CURVE_Z, min_px=2.0)
            self.curve.setData(0, lay.curve)
            self.addItem(self.curve)
            touched += 1
        elif self.curve.data(0) != lay.curve:
            self.curve.set_ops(curve_ops(lay.curve), curve_rect(lay.curve))
            self.curve.setData(0, lay.curve)
            touched += 1
        self.last_touched = touched
        self.setSceneRect(QRectF(-MARGIN, -MARGIN, lay.width + 2 * MARGIN,
                                 lay.height + 2 * MARGIN))
        self.refreshed.emit()

    def _steady_style(self) -> Style:
        """The style with the card columns each stage already has kept (a column never
        jumps narrower and back while cards move); new after a map or style change."""
        key = (self.map_id, self.style)
        if key != self._slots_key:
            if self._slots_key is not None:
                self.kept_columns = {}
            self._slots_key = key
        if not self.kept_columns:
            return self.style
        return replace(self.style, sticky_slots=tuple(sorted(self.kept_columns.items())))

    def _remember_slots(self, lay: MapLayout) -> None:
        card, gutter = self.style.em(self.style.card_width_em), self.style.em(self.style.gutter_em)
        for st in lay.stages:
            n = max(1, round((st.column.w - gutter) / (card + gutter)))
            self.kept_columns[st.stage_id] = max(n, self.kept_columns.get(st.stage_id, 1))

    def _sync_layers(self, lay: MapLayout, changed: set[int]) -> None:
        """Give each cell's layer its cards again where a card came, went or changed."""
        cells: dict[tuple[int, int], list[CardItem]] = {}
        cards = self.cards
        for box in lay.cards.values():
            cells.setdefault((box.stage_id, box.lane_id), []).append(cards[box.card_id])
        for key in [k for k in self.layers if k not in cells]:
            self.removeItem(self.layers.pop(key))
        for key, items in cells.items():
            layer = self.layers.get(key)
            if layer is None:
                layer = self.layers[key] = CardLayer(key)
                self.addItem(layer)
            elif layer.cards == items and not any(it.card_id in changed for it in items):
                continue
            layer.set_cards(items)

    def set_still_cache(self, on: bool) -> None:
        """Cache what a gesture does not change (card layers, links, backdrop) as pixmaps.

        While a card is dragged, the items under it are repainted on every mouse move;
        from a device-coordinate cache that is a copy, not a repaint. On only for the
        length of a gesture (the cache is per zoom level, and exports never use it).
        """
        mode = QGraphicsItem.CacheMode.DeviceCoordinateCache if on else \
            QGraphicsItem.CacheMode.NoCache
        if on and QPixmapCache.cacheLimit() < STILL_CACHE_KB:
            QPixmapCache.setCacheLimit(STILL_CACHE_KB)  # a few window-sized pixmaps
        for item in (*self.layers.values(), self.link_layer, self.backdrop, self.curve):
            if item is not None:
                item.setCacheMode(mode)

    def _selection_changed(self) -> None:
        # Cards are painted by their layers (the items have no contents, so Qt does not
        # repaint them when their selection changes): repaint the rings that changed,
        # once per burst of changes (selecting many cards emits once per card).
        self._selected = None
        if not self._ring_pending:
            self._ring_pending = True
            self._ring_timer.start()

    def _repaint_rings(self) -> None:
        self._ring_pending = False
        now = {it for it in self.selectedItems() if isinstance(it, CardItem)}
        for it in now ^ self._ringed:
            if it.layer is not None:
                it.layer.card_changed(it)
        self._ringed = now

    def selected_in(self, layer: CardLayer) -> list[CardItem]:
        """The selected cards that ``layer`` paints (grouped once per selection change)."""
        if self._selected is None:
            groups: dict[CardLayer, list[CardItem]] = {}
            for it in self.selectedItems():
                if isinstance(it, CardItem) and it.layer is not None:
                    groups.setdefault(it.layer, []).append(it)
            self._selected = groups
        return self._selected.get(layer, [])

    def cell_card_ids(self, stage_id: int, lane_id: int) -> list[int]:
        """Ids of a cell's cards in order (indexed once per document change, for gestures)."""
        if self._cell_order is None:
            order: dict[tuple[int, int], list] = {}
            for c in self.doc.data.cards.values():
                order.setdefault((c.stage_id, c.lane_id), []).append((c.position, c.id))
            self._cell_order = {k: [i for _, i in sorted(v)] for k, v in order.items()}
        return self._cell_order.get((stage_id, lane_id), [])

    def _clear_all(self) -> None:
        for table in (self.cards, self.stages, self.lanes, self.links, self.layers):
            for item in table.values():
                self.removeItem(item)
            table.clear()
        for item in (self.curve, self.backdrop, self.link_layer):
            if item is not None:
                self.removeItem(item)
        self.curve = self.backdrop = self.link_layer = None
        self._backdrop_key = None
        self._selected = None
        self._ringed = set()
        self._shown = None

    # ---------------------------------------------------------------- queries
    def selected_card_ids(self) -> list[int]:
        """Selected cards in map order (stage, lane, position)."""
        if self.map_id is None:
            return []
        data = self.doc.data
        chosen = [data.cards[i.card_id] for i in self.selectedItems()
                  if isinstance(i, CardItem) and i.card_id in data.cards]
        if len(chosen) > 1:
            stages, lanes = data.stages, data.lanes
            chosen.sort(key=lambda c: (stages[c.stage_id].position, lanes[c.lane_id].position,
                                       c.position, c.id))
        return [c.id for c in chosen if c.map_id == self.map_id]

    def select_cards(self, ids: set[int] | list[int]) -> None:
        """Select exactly these cards."""
        want = set(ids)
        for cid, item in self.cards.items():
            item.setSelected(cid in want)

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The (stage_id, lane_id) of the cell containing the scene point, if any."""
        if self.layout is None:
            return None
        for key, r in self.layout.cells.items():
            if r.x <= x < r.right and r.y <= y < r.bottom:
                return key
        return None

    def cell_rect(self, stage_id: int, lane_id: int) -> Rect | None:
        """A cell's rectangle."""
        return self.layout.cells.get((stage_id, lane_id)) if self.layout else None

    def insert_index(self, stage_id: int, lane_id: int, x: float, y: float,
                     skip: set[int] = frozenset()) -> int:  # type: ignore[assignment]
        """Where a card dropped at (x, y) goes among the cell's cards (ignoring ``skip``)."""
        cards = [c for c in self.cell_card_ids(stage_id, lane_id) if c not in skip]
        for i, c in enumerate(cards):
            box = self.layout.cards.get(c) if self.layout else None
            if box is None:
                continue
            r = box.rect
            if y < r.y or (y < r.bottom and x < r.cx):
                return i
        return len(cards)

    def stage_index_at(self, x: float) -> int:
        """Insertion index among the stages for a drop at scene x."""
        if self.layout is None:
            return 0
        for i, st in enumerate(self.layout.stages):
            if x < st.column.cx:
                return i
        return len(self.layout.stages)

    def lane_index_at(self, y: float) -> int:
        """Insertion index among the lanes for a drop at scene y."""
        if self.layout is None:
            return 0
        for i, ln in enumerate(self.layout.lanes):
            if y < ln.row.cy:
                return i
        return len(self.layout.lanes)

    def snapshot(self) -> dict[str, object]:
        """What the scene shows, by id (for checking the scene against a fresh one)."""
        return {
            "cards": {i: (it.box, (it.pos().x(), it.pos().y())) for i, it in self.cards.items()},
            "stages": {i: it.header for i, it in self.stages.items()},
            "lanes": {i: it.label for i, it in self.lanes.items()},
            "links": {i: it.link for i, it in self.links.items()},
            "curve": self.curve.data(0) if self.curve is not None else None,
            "backdrop": self._backdrop_key,
            "rect": self.sceneRect(),
        }


def _sync(scene: MapScene, items: dict, boxes: dict, cls: type, attr: str,
          setter: Callable, changed: set | None = None) -> int:
    """Add, update or remove items so ``items`` mirrors ``boxes``; returns how many changed.

    The keys of the items added, updated or removed are added to ``changed``.
    """
    touched = set() if changed is None else changed
    before = len(touched)
    for gone in [i for i in items if i not in boxes]:
        scene.removeItem(items.pop(gone))
        touched.add(gone)
    for key, box in boxes.items():
        item = items.get(key)
        if item is None:
            item = items[key] = cls(box)
            scene.addItem(item)
            touched.add(key)
        elif getattr(item, attr) is not box and getattr(item, attr) != box:
            setter(item, box)
            touched.add(key)
    return len(touched) - before


def _first_map(doc: Document) -> int | None:
    maps = doc.data.ordered_maps()
    return maps[0].id if maps else None
