"""Workshop mode: full screen, large type, keyboard-first capture, dot voting, stage focus.

Keys (when nothing is being typed):

* arrows move the cell cursor; Tab / Shift+Tab go to the next / previous stage;
* a lowercase kind key picks the kind of the next card and moves the cursor to
  that kind's lane in the current stage: ``p`` pain point, ``o`` opportunity,
  ``g`` goal, ``t`` touchpoint, ``a`` action, ``h`` thought, ``e`` emotion,
  ``n`` note; a digit (``-`` first for negative) sets the emotion score;
* any other character starts a new card in the cursor cell (so a title starting
  with one of those letters is typed capitalised); Enter commits it and starts
  the next; Tab commits and moves to the next stage; Esc discards it;
* ``v`` adds a dot vote to the selected cards (undoable), ``r`` shows the
  ranked list of the most-voted pain points and opportunities, ``f`` focuses
  the cursor's stage (dims the others); Esc with nothing typed leaves the mode.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QListWidget

from app.layout import Style
from app.model import commands as C
from app.model.schema import LANE_FOR_CARD, CardKind
from app.ui.canvas.editor import CardTextSession
from app.ui.canvas.view import CanvasView

KIND_KEYS = {
    "p": CardKind.PAIN_POINT, "o": CardKind.OPPORTUNITY, "g": CardKind.GOAL,
    "t": CardKind.TOUCHPOINT, "a": CardKind.ACTION, "h": CardKind.THOUGHT,
    "e": CardKind.EMOTION, "n": CardKind.NOTE,
}
WORKSHOP_STYLE = Style(body_pt=12.0, fix_contrast=True)
CURSOR = "#ff8c00"
DIM = 0.22


class Workshop:
    """The keyboard capture controller installed on a CanvasView while workshop mode is on."""

    def __init__(self, view: CanvasView, on_exit=None) -> None:
        self.view = view
        self.on_exit = on_exit
        self.scene = view.map_scene
        self.stage_i = 0
        self.lane_i = 0
        self.kind: CardKind | None = None
        self.score: int | None = None
        self._minus = False
        self.focus_stage: int | None = None
        self.cursor = QGraphicsRectItem()
        pen = QPen(QColor(CURSOR))
        pen.setWidthF(3.0)
        self.cursor.setPen(pen)
        self.cursor.setBrush(QBrush(QColor(255, 140, 0, 28)))
        self.cursor.setZValue(38)  # under the cards, over the grid
        self.scene.addItem(self.cursor)
        self.ranking = QListWidget(view)
        self.ranking.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.ranking.setStyleSheet("font-size: 16pt; background: #ffffffee;")
        self.ranking.hide()
        self._old_style = self.scene.style
        self.scene.style = WORKSHOP_STYLE
        self.scene.refresh()
        self.scene.refreshed.connect(self._after_refresh)
        self._unsub = self.scene.doc.subscribe(lambda change: self._rank())
        view.key_handler = self
        self._place_cursor()
        view.fit_map()

    def close(self) -> None:
        """Leave workshop mode: restore the style, remove the cursor and overlays."""
        if self.view.session is not None:
            self.view.session.cancel()
        self.view.key_handler = None
        self._unsub()
        self.scene.refreshed.disconnect(self._after_refresh)
        self.focus_stage = None
        self._apply_focus()
        if self.cursor.scene() is not None:
            self.scene.removeItem(self.cursor)
        self.ranking.deleteLater()
        self.scene.style = self._old_style
        self.scene.refresh()

    # ---------------------------------------------------------------- geometry
    def _axes(self) -> tuple[list[int], list[int]]:
        lay = self.scene.layout
        if lay is None:
            return [], []
        return [s.stage_id for s in lay.stages], [ln.lane_id for ln in lay.lanes]

    def cell(self) -> tuple[int, int] | None:
        """The (stage_id, lane_id) under the cursor."""
        stages, lanes = self._axes()
        if not stages or not lanes:
            return None
        self.stage_i = max(0, min(self.stage_i, len(stages) - 1))
        self.lane_i = max(0, min(self.lane_i, len(lanes) - 1))
        return stages[self.stage_i], lanes[self.lane_i]

    def _place_cursor(self) -> None:
        cell = self.cell()
        r = self.scene.cell_rect(*cell) if cell else None
        if r is None:
            self.cursor.hide()
            return
        self.cursor.setRect(QRectF(r.x + 1.5, r.y + 1.5, r.w - 3, r.h - 3))
        self.cursor.show()
        self.view.ensureVisible(self.cursor.rect(), 20, 20)

    def _after_refresh(self) -> None:
        self._place_cursor()
        self._apply_focus()

    # ---------------------------------------------------------------- keys
    def _typing(self) -> CardTextSession | None:
        s = self.view.session
        return s if s is not None and s.text else None

    def key(self, event: QKeyEvent) -> bool:
        """Handle a key in workshop mode; False lets the canvas have it."""
        k, text = event.key(), event.text()
        typing = self._typing()
        if k in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            if typing is not None:
                typing.commit()
            self._reset_kind()
            self._close_empty()
            back = k == Qt.Key.Key_Backtab or bool(event.modifiers()
                                                   & Qt.KeyboardModifier.ShiftModifier)
            self.stage_i += -1 if back else 1
            stages, _ = self._axes()
            self.stage_i %= max(1, len(stages))
            self._place_cursor()
            return True
        if typing is not None:
            if k in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                typing.commit()  # on_done starts the next card
                return True
            return typing.key(event)
        # nothing typed yet
        if k in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._close_empty()
            self._reset_kind()
            self.stage_i += {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(k, 0)
            self.lane_i += {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(k, 0)
            self.cell()
            self._place_cursor()
            return True
        if k == Qt.Key.Key_Escape:
            if self.view.session is not None or self.kind is not None:
                self._close_empty()
                self._reset_kind()
                return True
            if self.on_exit is not None:
                self.on_exit()
                return True
            return False
        if text in KIND_KEYS:
            self._pick_kind(KIND_KEYS[text])
            return True
        if text == "-":
            self._minus = True
            return True
        if text in ("0", "1", "2"):
            self.score = -int(text) if self._minus else int(text)
            self._minus = False
            if self.kind is None:
                self._pick_kind(CardKind.EMOTION)
            else:
                self._open()
            return True
        if text == "v":
            self.vote(1)
            return True
        if text == "f":
            self.toggle_focus()
            return True
        if text == "r":
            self.toggle_ranking()
            return True
        if text and text.isprintable() and text != " ":
            session = self._open()
            if session is not None:
                session.type_text(text)
            return True
        return False

    def _reset_kind(self) -> None:
        self.kind, self.score, self._minus = None, None, False

    def _close_empty(self) -> None:
        s = self.view.session
        if s is not None and not s.text:
            s.on_cancel = None
            s.cancel()
            self.view.session = None
            self.view._drop_ghost()

    def _pick_kind(self, kind: CardKind) -> None:
        self.kind = kind
        if kind != CardKind.EMOTION:
            self.score = None
        want = LANE_FOR_CARD.get(kind)
        data = self.scene.doc.data
        _, lanes = self._axes()
        for i, lane_id in enumerate(lanes):
            if data.lanes[lane_id].kind == want:
                self.lane_i = i
                break
        self._place_cursor()
        self._open()

    def _open(self) -> CardTextSession | None:
        """(Re)open the new-card editor in the cursor cell with the chosen kind and score."""
        self._close_empty()
        cell = self.cell()
        if cell is None or self.scene.doc.read_only:
            return None
        fields: dict = {}
        if self.kind is not None:
            fields["kind"] = self.kind
        if self.score is not None:
            fields["emotion"] = self.score
        return self.view.new_card_session(*cell, fields, on_done=self._done)

    def _done(self, committed: bool) -> None:
        if committed:
            self._open()  # the next card, same cell and kind

    # ---------------------------------------------------------------- voting, focus
    def vote(self, delta: int) -> None:
        """Add a dot vote to each selected card (one step each... grouped as one)."""
        ids = self.scene.selected_card_ids()
        if not ids:
            return
        doc = self.scene.doc
        with doc.macro("Vote" if len(ids) > 1 else None):
            for cid in ids:
                self.view.run(C.VoteCard(cid, delta))

    def toggle_focus(self) -> None:
        """Dim every stage but the cursor's (or undim)."""
        cell = self.cell()
        new = cell[0] if cell and self.focus_stage != cell[0] else None
        self.focus_stage = new
        self._apply_focus()

    def _apply_focus(self) -> None:
        data = self.scene.doc.data
        fs = self.focus_stage
        for cid, item in self.scene.cards.items():
            card = data.cards.get(cid)
            item.setOpacity(1.0 if fs is None or (card and card.stage_id == fs) else DIM)
        for sid, item in self.scene.stages.items():
            item.setOpacity(1.0 if fs is None or sid == fs else DIM)

    def ranked(self) -> list[tuple[int, str, int, str]]:
        """(votes, kind, card_id, title) of voted pain points and opportunities, best first."""
        data = self.scene.doc.data
        map_id = self.scene.map_id
        rows = [(c.votes, c.kind.value, c.id, c.title) for c in data.cards_of(map_id)
                if c.votes > 0 and c.kind in (CardKind.PAIN_POINT, CardKind.OPPORTUNITY)] \
            if map_id is not None else []
        rows.sort(key=lambda r: (-r[0], r[2]))
        return rows

    def toggle_ranking(self) -> None:
        """Show or hide the most-voted list."""
        self.ranking.setVisible(not self.ranking.isVisible())
        self._rank()

    def _rank(self) -> None:
        if not self.ranking.isVisible():
            return
        self.ranking.clear()
        self.ranking.addItem("Most voted")
        for votes, kind, _cid, title in self.ranked()[:12]:
            label = "Pain" if kind == "pain_point" else "Opp."
            self.ranking.addItem(f"▲ {votes}  {label}: {title}")
        w = 520
        self.ranking.setGeometry(self.view.viewport().width() - w - 20, 20, w,
                                 min(40 + 34 * self.ranking.count(), 480))
        self.ranking.raise_()
