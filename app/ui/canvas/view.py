"""CanvasView: the QGraphicsView of the editor: gestures, zoom, pan, drops, in-place edits.

Every change the user makes here becomes one document command, executed through
:meth:`CanvasView.run`; a refused command is reported through ``failed`` and
the canvas snaps back to the document.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPaintEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QWidget

from app.model import commands as C
from app.model.commands import Command
from app.model.schema import LANE_FOR_CARD, CardKind, LaneKind
from app.model.state import Change
from app.ui.canvas.capture import Capture
from app.ui.canvas.clusters import ClusterFrames
from app.ui.canvas.editor import NameEditor, TypingSession, header_rect_on_view
from app.ui.canvas.gestures import (
    DropIndicator,
    Gesture,
    LinkGesture,
    MoveAxisGesture,
    MoveCardsGesture,
    ScoreGesture,
    card_slot,
    is_score_handle,
    slot_rect,
)
from app.ui.canvas.items.axes import LaneLabelItem, StageHeaderItem
from app.ui.canvas.items.card import CardItem
from app.ui.canvas.scene import MapScene
from app.ui.support.running import Runner, execute

PALETTE_MIME = "application/x-waymark-palette"
DRAG_START = 4  # pixels before a press becomes a drag
MIN_ZOOM, MAX_ZOOM = 0.03, 6.0


class CanvasView(QGraphicsView):
    """The editor canvas for one MapScene."""

    #: A command was refused or failed: the one-line message for the user.
    failed = Signal(str)
    #: The zoom factor changed.
    zoomed = Signal(float)

    def __init__(self, scene: MapScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.map_scene = scene
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.connect_mode = False  # link tool: drags from a card draw a connector
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        #: The cell cursor and the card being typed (app/ui/canvas/capture.py).
        self.capture = Capture(self)
        #: The frames and label tabs of card groups (app/ui/canvas/clusters.py).
        self.clusters = ClusterFrames(scene)
        #: Called with (viewport position, item or None) for a context menu (the window's).
        self.context_menu = None
        #: Fit the map to the window on every resize while it is still as fit_map left it.
        self.auto_fit = True
        self._fitted: tuple | None = None
        self._fit_transform = None  # the zoom fit_map chose last
        self._fitting = False
        for bar in (self.horizontalScrollBar(), self.verticalScrollBar()):
            bar.valueChanged.connect(self._scrolled)
        #: How commands run: the window sets its own path here (None: the view's own).
        self.runner: Runner | None = None
        self._press: tuple[QPointF, object, Qt.KeyboardModifier] | None = None
        self._gesture: Gesture | None = None
        self._pan: QPointF | None = None
        self._space = False
        self._drop_indicator: DropIndicator | None = None
        self._ghost: CardItem | None = None

    # ================================================================ commands
    def run(self, cmd: Command) -> Change | None:
        """Execute a command; report a refusal instead of raising (None when refused).

        In a window this is the window's one execute-and-report path (``runner``,
        :meth:`app.ui.shell.base.Shell.run`); a view on its own snaps the canvas back to
        the document and reports through ``failed``.
        """
        if self.runner is not None:
            return self.runner(cmd)

        def refused(message: str) -> None:
            self.map_scene.refresh()
            self.failed.emit(message)

        return execute(self.map_scene.doc, cmd, refused)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint with the scene's fonts (its document's poster font, not another window's)."""
        with self.map_scene.measuring():
            super().paintEvent(event)

    def execute(self, cmd: Command) -> Change | None:
        """The same as :meth:`run` (the Change, or None when refused)."""
        return self.run(cmd)

    @property
    def session(self) -> TypingSession | None:
        """The card being typed, if any."""
        return self.capture.typing

    # ================================================================ zoom
    @property
    def zoom(self) -> float:
        """Current scale (1 = one scene point per pixel)."""
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        """Zoom in (>1) or out, within limits."""
        target = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom * factor))
        f = target / self.zoom
        if abs(f - 1) > 1e-9:
            self.scale(f, f)
            self.zoomed.emit(self.zoom)

    def fit_map(self) -> None:
        """Show the whole map, with the scene's margin around it.

        The margin is fitted too: a map fitted edge to edge leaves the margin outside the
        view, so a scroll bar appears, the view shrinks, fits again, the bar goes, and a
        window of the wrong size flickered between the two forever (workshop mode on a
        1600x1000 screen hung that way)."""
        lay = self.map_scene.layout
        if lay is not None:
            self._fitting = True
            try:
                self.fitInView(self.map_scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
            finally:
                self._fitting = False
            self.zoomed.emit(self.zoom)
            self._fitted = self._view_state()
            self._fit_transform = self.transform()

    def keep_fitted(self) -> bool:
        """Fit the map again if it has outgrown the view while the zoom is still the one
        :meth:`fit_map` chose (not zoomed since); True when it did."""
        if not (self.auto_fit and self._fit_transform == self.transform()):
            return False  # zoomed since (scrolling to the cursor is no reason to stop)
        shown = self.mapFromScene(self.map_scene.sceneRect()).boundingRect()
        if self.viewport().rect().adjusted(-3, -3, 3, 3).contains(shown):
            return False
        self.fit_map()
        return True

    def set_overlay_margins(self, top: int, bottom: int) -> None:
        """Keep bands above and below the map for overlays (workshop mode's timer and key
        hints); a fitted map is fitted again between them."""
        self.setViewportMargins(0, top, 0, bottom)

    def _scrolled(self) -> None:
        if not self._fitting:
            self._fitted = None  # scrolled by hand or by code: stop fitting on resize

    def _view_state(self) -> tuple:
        return (self.transform(), self.horizontalScrollBar().value(),
                self.verticalScrollBar().value())

    def showEvent(self, event) -> None:
        """A new window shows the whole map (and keeps it whole while it settles)."""
        super().showEvent(event)
        if self.auto_fit and self._fitted is None:
            self.fit_map()

    def resizeEvent(self, event) -> None:
        """Keep the whole map in view while the window settles (a restored maximised
        window gets its final size after it is shown) until the user zooms."""
        self._fitting = True  # the scroll bars move with the size: not a scroll
        try:
            super().resizeEvent(event)
        finally:
            self._fitting = False
        # zoomed or scrolled since (by the user or by code): leave the view alone
        if self.auto_fit and self._fitted is not None and self._fitted[0] == self.transform():
            self.fit_map()

    def zoom_to_stage(self, stage_id: int) -> None:
        """Fit one stage's column."""
        lay = self.map_scene.layout
        st = next((s for s in lay.stages if s.stage_id == stage_id), None) if lay else None
        if st is not None:
            r = st.column.x, st.rect.y, st.column.w, st.column.bottom - st.rect.y
            self.fitInView(QRectF(*r).adjusted(-10, -10, 10, 10),
                           Qt.AspectRatioMode.KeepAspectRatio)
            self.zoomed.emit(self.zoom)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl+wheel zooms under the mouse; the wheel alone scrolls."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.15 ** (event.angleDelta().y() / 120))
            event.accept()
            return
        super().wheelEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        """Trackpad pinch zooms."""
        if isinstance(event, QNativeGestureEvent) and \
                event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
            self.zoom_by(1.0 + event.value())
            return True
        return super().viewportEvent(event)

    # ================================================================ mouse
    def _item_at(self, pos: QPointF):
        for item in self.items(pos.toPoint()):
            if isinstance(item, CardItem | StageHeaderItem | LaneLabelItem):
                return item
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Start a pan, a selection, or a pending gesture (keeping any card being typed)."""
        self.setFocus()
        self.capture.finish_typing()
        if event.button() == Qt.MouseButton.MiddleButton or (
                self._space and event.button() == Qt.MouseButton.LeftButton):
            self._pan = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            return
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        item = self._item_at(event.position())
        mods = event.modifiers()
        if isinstance(item, CardItem):
            toggle = mods & (Qt.KeyboardModifier.ControlModifier
                             | Qt.KeyboardModifier.ShiftModifier)
            card = self.map_scene.doc.data.cards.get(item.card_id)
            if card is not None:
                self.capture.move_to(card.stage_id, card.lane_id)
                self.capture.focus_card = card.id
            if toggle:
                item.setSelected(not item.isSelected())
            elif not item.isSelected():
                self.map_scene.select_cards([item.card_id])
            self._press = (event.position(), item, mods)
            return
        if isinstance(item, StageHeaderItem | LaneLabelItem):
            self._press = (event.position(), item, mods)
            return
        pos = self.mapToScene(event.position().toPoint())
        cell = self.map_scene.cell_at(pos.x(), pos.y())
        if cell is not None:
            self.capture.move_to(*cell)
        else:
            self.capture.clear_axis()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Pan, or start/continue the gesture."""
        if self._pan is not None:
            d = event.position() - self._pan
            self._pan = event.position()
            self.horizontalScrollBar().setValue(int(self.horizontalScrollBar().value() - d.x()))
            self.verticalScrollBar().setValue(int(self.verticalScrollBar().value() - d.y()))
            return
        pos = self.mapToScene(event.position().toPoint())
        if self._gesture is None and self._press is not None:
            start, item, mods = self._press
            if (event.position() - start).manhattanLength() >= DRAG_START:
                self._gesture = self._begin(self.mapToScene(start.toPoint()), item, mods)
        if self._gesture is not None:
            self._gesture.move(pos)
            return
        super().mouseMoveEvent(event)

    def _begin(self, start: QPointF, item, mods: Qt.KeyboardModifier) -> Gesture | None:
        scene = self.map_scene
        if isinstance(item, CardItem):
            alt = bool(mods & Qt.KeyboardModifier.AltModifier)
            if alt or self.connect_mode:
                return LinkGesture(scene, start, item)
            card = scene.doc.data.cards.get(item.card_id)
            if card is not None and is_score_handle(item, item.mapFromScene(start), card.kind):
                return ScoreGesture(scene, start, item)
            ids = scene.selected_card_ids() or [item.card_id]
            return MoveCardsGesture(scene, start, ids)
        if isinstance(item, StageHeaderItem | LaneLabelItem):
            return MoveAxisGesture(scene, start, item)
        return None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Finish the gesture: one command."""
        if self._pan is not None:
            self._pan = None
            self.viewport().unsetCursor()
            return
        gesture, self._gesture, press = self._gesture, None, self._press
        self._press = None
        if gesture is not None:
            cmd = gesture.release(self.mapToScene(event.position().toPoint()))
            if cmd is not None:
                self.run(cmd)
            return
        if press is not None and isinstance(press[1], StageHeaderItem):
            self.capture.select_axis("stage", press[1].stage_id)
        elif press is not None and isinstance(press[1], LaneLabelItem):
            self.capture.select_axis("lane", press[1].lane_id)
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Double-click a card to edit its text, a header or label to rename it, an empty
        place of a cell to type a new card there."""
        item = self._item_at(event.position())
        self._press = None
        tab = self.clusters.label_at(self.items(event.position().toPoint()))
        if tab is not None:
            self.rename_cluster(tab.cluster_id)
            return
        if isinstance(item, CardItem):
            self.edit_card(item.card_id)
        elif isinstance(item, StageHeaderItem):
            self.rename_stage(item.stage_id)
        elif isinstance(item, LaneLabelItem):
            self.rename_lane(item.lane_id)
        else:
            pos = self.mapToScene(event.position().toPoint())
            cell = self.map_scene.cell_at(pos.x(), pos.y())
            if cell is not None and not self.map_scene.doc.read_only:
                self.new_card_at(*cell)
                return
            super().mouseDoubleClickEvent(event)

    def new_card_at(self, stage_id: int, lane_id: int) -> None:
        """Get ready to type a new card into a cell (the first character adds it)."""
        self.capture.move_to(stage_id, lane_id)
        self.map_scene.clearSelection()
        self.setFocus()
        self.capture.start_typing()

    # ================================================================ editing
    def edit_card(self, card_id: int) -> None:
        """Edit a card's title in place."""
        if self.capture.edit(card_id) is not None:
            self.setFocus()

    def rename_stage(self, stage_id: int) -> None:
        """Rename a stage in a field over its header."""
        st = self.map_scene.doc.data.stages.get(stage_id)
        item = self.map_scene.stages.get(stage_id)
        if st is None or item is None:
            return
        self.capture.finish_typing()
        r = item.header.rect
        size = item.header.lines[0].size_pt if item.header.lines else 12.0
        NameEditor(self.viewport(), st.name, header_rect_on_view(self, r.x, r.y, r.w, r.h),
                   lambda text: text != st.name and self.run(
                       C.UpdateStage(stage_id, {"name": text})), size * self.zoom)

    def rename_cluster(self, cluster_id: int) -> None:
        """Rename a group in a field over its label tab."""
        from app.model.grouping import UpdateCluster

        cluster = self.map_scene.doc.data.clusters.get(cluster_id)
        frame = self.clusters.frames.get(cluster_id)
        if cluster is None or frame is None:
            return
        r = frame.tab.rect
        NameEditor(self.viewport(), cluster.label,
                   header_rect_on_view(self, r.x(), r.y(), max(r.width(), 120), r.height()),
                   lambda text: text != cluster.label and self.run(
                       UpdateCluster(cluster_id, {"label": text})),
                   frame.tab.font.pointSizeF() * self.zoom / 0.75)

    def rename_lane(self, lane_id: int) -> None:
        """Rename a lane in a field over its label."""
        ln = self.map_scene.doc.data.lanes.get(lane_id)
        item = self.map_scene.lanes.get(lane_id)
        if ln is None or item is None:
            return
        self.capture.finish_typing()
        r = item.label.rect
        size = item.label.lines[0].size_pt if item.label.lines else 11.0
        NameEditor(self.viewport(), ln.name,
                   header_rect_on_view(self, r.x, r.y, r.w, min(r.h, 30)),
                   lambda text: text != ln.name and self.run(
                       C.UpdateLane(lane_id, {"name": text})), size * self.zoom)

    # ================================================================ keys
    def event(self, event: QEvent) -> bool:
        """Tab is the capture's (next stage), never a jump to another widget; while a card
        is typed, keys without Ctrl or Alt (and Ctrl+V) are text, not shortcuts."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and \
                event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            self.keyPressEvent(event)
            return True
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and self.capture.typing is not None and _is_text_key(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """The capture first (cursor, typing), then the canvas's own keys."""
        if self.capture.key(event):
            return
        key = event.key()
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            return
        super().keyPressEvent(event)

    def inputMethodEvent(self, event) -> None:
        """Text from an input method (CJK, dictation) is typed like keys."""
        text = event.commitString()
        if text:
            self.capture.text_input(text)
        event.accept()

    def inputMethodQuery(self, query):
        """Where the caret is, so an input method's window opens beside it."""
        if query == Qt.InputMethodQuery.ImCursorRectangle and self.capture.typing is not None:
            r = self.capture.typing.caret_scene_rect()
            return self.mapFromScene(r).boundingRect()
        return super().inputMethodQuery(query)

    def focusInEvent(self, event) -> None:
        """Show the cell cursor while the canvas has the keyboard."""
        super().focusInEvent(event)
        self.capture.set_shown(True)

    def focusOutEvent(self, event) -> None:
        """The focus going elsewhere keeps the card being typed."""
        super().focusOutEvent(event)
        popup = event.reason() == Qt.FocusReason.PopupFocusReason
        if not popup:
            self.capture.finish_typing()
            self.capture.set_shown(False)

    def contextMenuEvent(self, event) -> None:
        """The window's context menu for the card, header, label or cell under the mouse."""
        if self.context_menu is None:
            super().contextMenuEvent(event)
            return
        self.capture.finish_typing()
        pos = event.pos()
        item = self._item_at(QPointF(pos))
        scene_pos = self.mapToScene(pos)
        if isinstance(item, CardItem):
            card = self.map_scene.doc.data.cards.get(item.card_id)
            if not item.isSelected():
                self.map_scene.select_cards([item.card_id])
            if card is not None:
                self.capture.move_to(card.stage_id, card.lane_id)
                self.capture.focus_card = card.id
        elif isinstance(item, StageHeaderItem):
            self.capture.select_axis("stage", item.stage_id)
        elif isinstance(item, LaneLabelItem):
            self.capture.select_axis("lane", item.lane_id)
        else:
            cell = self.map_scene.cell_at(scene_pos.x(), scene_pos.y())
            if cell is not None:
                self.capture.move_to(*cell)
                self.map_scene.clearSelection()
        self.context_menu(event.globalPos(), item)
        event.accept()

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        """Releasing Space ends Space+drag panning."""
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
            return
        super().keyReleaseEvent(event)

    # ================================================================ palette drops
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept palette items."""
        if event.mimeData().hasFormat(PALETTE_MIME):
            event.acceptProposedAction()
            self._drop_indicator = DropIndicator(self.map_scene)
        elif event.mimeData().hasUrls():
            event.ignore()  # files: the window opens or imports them (app/ui/shell/drops.py)
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        """Show where the palette item would land."""
        if not event.mimeData().hasFormat(PALETTE_MIME):
            if event.mimeData().hasUrls():
                event.ignore()
            else:
                super().dragMoveEvent(event)
            return
        event.acceptProposedAction()
        what = bytes(event.mimeData().data(PALETTE_MIME)).decode()
        pos = self.mapToScene(event.position().toPoint())
        rect = self._drop_rect(what, pos)
        if self._drop_indicator is None:
            self._drop_indicator = DropIndicator(self.map_scene)
        if rect is None:
            self._drop_indicator.hide()
        else:
            self._drop_indicator.show(rect)

    def dragLeaveEvent(self, event) -> None:
        """Hide the indicator."""
        self._end_drop()
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """Add a card, stage or lane where the palette item was dropped."""
        if not event.mimeData().hasFormat(PALETTE_MIME):
            if event.mimeData().hasUrls():
                event.ignore()
            else:
                super().dropEvent(event)
            return
        self._end_drop()
        what = bytes(event.mimeData().data(PALETTE_MIME)).decode()
        cmd = self.palette_command(what, self.mapToScene(event.position().toPoint()))
        if cmd is not None:
            event.acceptProposedAction()
            self.run(cmd)

    def _end_drop(self) -> None:
        if self._drop_indicator is not None:
            self._drop_indicator.dispose()
            self._drop_indicator = None

    def _drop_rect(self, what: str, pos: QPointF) -> QRectF | None:
        scene = self.map_scene
        lay = scene.layout
        if lay is None:
            return None
        if what.startswith("card:"):
            slot = card_slot(scene, pos, set())
            return slot_rect(scene, *slot, set()) if slot else None
        if what == "stage" and lay.stages:
            gap = scene.stage_index_at(pos.x())
            cols = [s.column for s in lay.stages]
            x = cols[gap].x if gap < len(cols) else cols[-1].right
            return QRectF(x - 2, lay.stages[0].rect.y, 4, cols[0].bottom - lay.stages[0].rect.y)
        if what.startswith("lane:") and lay.lanes:
            gap = scene.lane_index_at(pos.y())
            rows = [ln.row for ln in lay.lanes]
            y = rows[gap].y if gap < len(rows) else rows[-1].bottom
            return QRectF(rows[0].x, y - 2, rows[0].w, 4)
        return None

    def palette_command(self, what: str, pos: QPointF) -> Command | None:
        """The command a palette item dropped at ``pos`` (scene) stands for."""
        scene = self.map_scene
        if scene.map_id is None:
            return None
        if what.startswith("card:"):
            kind = CardKind(what.split(":", 1)[1])
            slot = card_slot(scene, pos, set())
            if slot is None:
                return None
            stage_id, lane_id, index = slot
            title = f"New {kind.value.replace('_', ' ')}"
            fields: dict = {"title": title, "kind": kind}
            if kind == CardKind.EMOTION:
                fields["emotion"] = 0
            return C.AddCard(stage_id, lane_id, fields, index)
        if what == "stage":
            n = len(scene.doc.data.stages_of(scene.map_id)) + 1
            return C.AddStage(scene.map_id, f"Stage {n}", scene.stage_index_at(pos.x()))
        if what.startswith("lane:"):
            kind = LaneKind(what.split(":", 1)[1])
            name = kind.value.replace("_", " ").capitalize()
            return C.AddLane(scene.map_id, name, scene.lane_index_at(pos.y()), kind=kind)
        return None

    # ================================================================ find
    def find(self, text: str) -> list[int]:
        """Highlight cards whose text contains ``text`` (case-insensitive); returns them."""
        needle = text.casefold().strip()
        scene = self.map_scene
        hits: list[int] = []
        data = scene.doc.data
        for cid, item in scene.cards.items():
            card = data.cards.get(cid)
            hay = " ".join((card.title, card.body, " ".join(card.tags), card.channel,
                            card.owner)).casefold() if card else ""
            hit = bool(needle) and needle in hay
            item.set_highlighted(hit)
            if hit:
                hits.append(cid)
        order = {c.id: i for i, c in enumerate(data.cards_of(scene.map_id))} \
            if scene.map_id else {}
        hits.sort(key=lambda c: order.get(c, 0))
        return hits

    def show_card(self, card_id: int) -> None:
        """Scroll so the card is visible."""
        item = self.map_scene.cards.get(card_id)
        if item is not None:
            self.ensureVisible(item.sceneBoundingRect(), 40, 40)


def _is_text_key(event: QKeyEvent) -> bool:
    """A key that edits the card being typed rather than triggering a shortcut."""
    mods = event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                | Qt.KeyboardModifier.AltModifier
                                | Qt.KeyboardModifier.MetaModifier)
    if event.matches(QKeySequence.StandardKey.Paste):
        return True
    if mods == Qt.KeyboardModifier.ControlModifier and event.key() in (
            Qt.Key.Key_Backspace, Qt.Key.Key_Delete, Qt.Key.Key_Left, Qt.Key.Key_Right):
        return True
    return not mods and event.key() not in _SHORTCUT_KEYS


#: Keys without modifiers that stay shortcuts while typing (F11 leaves workshop mode
#: keeping the card, F1 opens the guide).
_SHORTCUT_KEYS = {getattr(Qt.Key, f"Key_F{i}") for i in range(1, 36)}


__all__ = ["LANE_FOR_CARD", "PALETTE_MIME", "CanvasView"]
