"""The canvas keyboard: a cell cursor, cards typed in where it stands, keyboard selection.

The capture model (chosen after Miro's and FigJam's sticky notes and vim's modes, see
docs/guide/workshop.md): typed text is always text. There are no single-letter commands.

* READY: the cursor (an orange frame) is on a cell. Any printable character starts a
  new card there with that character: a title may start with a lowercase letter, a digit,
  ``-`` or ``¿``. Non-text keys move: arrows (a cell), Tab / Shift+Tab (a stage).
  Shift+Up/Down focus a card of the cell, Space selects or unselects it. Enter or F2
  edits the focused (or the one selected) card.
* TYPING: every printable key goes into the card, and Left/Right/Home/End, Backspace,
  Delete and Ctrl+V edit it. Enter keeps it and the cursor stays for the next card; Tab
  / Shift+Tab keep it and go to the next / previous stage, Up/Down to the lane above /
  below; Esc keeps it and stops typing. Commands with Ctrl or Alt still work (Ctrl+Z
  takes the card back).
* SELECTED: cards are selected (for voting, kind, emotion, grouping); Esc clears the
  selection before it does anything else. Typing still starts a new card.

A stage header or lane label can be selected too (a click): Delete, F2 and the Map
menu then act on that stage or lane. :meth:`Capture.describe` is the mode indicator's
text; listeners hear of every change of mode or place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from app.model.schema import CARD_FOR_LANE, LANE_FOR_CARD, CardKind
from app.ui.canvas.editor import TypingSession


class CanvasLike(Protocol):
    """What the capture needs of its canvas (the CanvasView; no import, no cycle)."""

    map_scene: Any
    failed: Any

    def rename_stage(self, stage_id: int) -> None: ...
    def rename_lane(self, lane_id: int) -> None: ...
    def ensureVisible(self, *args: Any) -> None: ...
    def run(self, cmd: Any) -> Any: ...

#: The capture's own keys (not menu shortcuts), as the shortcuts dialog lists them.
KEYS: tuple[tuple[str, str], ...] = (
    ("Start a card (any letter, digit or sign)", "type"),
    ("Move the cell cursor", "Left, Right, Up, Down"),
    ("Keep the card and go to the next stage", "Tab"),
    ("Keep the card and go to the previous stage", "Shift+Tab"),
    ("Keep the card; the next one goes in the same cell", "Enter"),
    ("Keep the card and go to the lane above or below", "Up, Down (while typing)"),
    ("Stop typing (the card is kept)", "Esc"),
    ("Move the caret in the card", "Left, Right, Home, End (while typing)"),
    ("Focus the next or previous card of the cell", "Shift+Down, Shift+Up"),
    ("Select or unselect the focused card", "Space"),
    ("Edit the focused or selected card", "Enter, F2"),
    ("Clear the selection, then leave workshop mode", "Esc"),
    ("Delete the selected cards, stage or lane", "Delete"),
)
CURSOR = "#ff8c00"
FOCUS = "#1f6feb"
CURSOR_Z = 38.0  # under the cards, over the grid
FOCUS_Z = 85.0
_MODS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
         | Qt.KeyboardModifier.MetaModifier)
_ARROWS = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1),
           Qt.Key.Key_Down: (0, 1)}


class FrameItem(QGraphicsRectItem):
    """A rectangle outlined with a cosmetic pen (the same pixels wide at every zoom).

    Qt pads a rect item's bounding rect by half the pen width in scene units, which for a
    cosmetic pen on a zoomed-out map covers a fraction of the stroke: moving or hiding
    the frame then left the rest on screen (a blue bracket under a card after a drop).
    The bounds here cover the stroke down to 1/16 zoom (a fitted wall-sized map).
    """

    #: The smallest zoom the bounds are padded for.
    MIN_ZOOM = 1 / 16

    def boundingRect(self) -> QRectF:
        pad = (self.pen().widthF() / 2 + 1) / self.MIN_ZOOM
        return self.rect().adjusted(-pad, -pad, pad, pad)


def _frame(colour: str, width: float, fill: QColor | None, z: float) -> QGraphicsRectItem:
    item = FrameItem()
    pen = QPen(QColor(colour))
    pen.setWidthF(width)
    pen.setCosmetic(True)
    item.setPen(pen)
    item.setBrush(QBrush(fill) if fill is not None else QBrush(Qt.BrushStyle.NoBrush))
    item.setZValue(z)
    item.hide()
    return item


class Capture:
    """The cell cursor and the card being typed, for one canvas."""

    def __init__(self, view: CanvasLike) -> None:
        self.view = view
        self.scene = view.map_scene
        self.stage_id: int | None = None
        self.lane_id: int | None = None
        self.focus_card: int | None = None
        self.axis: tuple[str, int] | None = None  # a selected stage header or lane label
        self.typing: TypingSession | None = None
        self.workshop = False  # the cursor always shows; Esc with nothing to do leaves
        self.shown = False
        self.on_escape: Callable[[], bool] | None = None
        #: Delete with cards or a header selected (the window's Delete; in workshop mode
        #: the menus are hidden and bare keys are not shortcuts).
        self.on_delete: Callable[[], None] | None = None
        self.listeners: list[Callable[[], None]] = []
        self._detached = False
        self.cursor = _frame(CURSOR, 3.0, QColor(255, 140, 0, 28), CURSOR_Z)
        self.ring = _frame(FOCUS, 2.0, None, FOCUS_Z)
        self.axis_frame = _frame(CURSOR, 3.0, QColor(255, 140, 0, 40), FOCUS_Z)
        for item in (self.cursor, self.ring, self.axis_frame):
            self.scene.addItem(item)
        self.scene.refreshed.connect(self._after_refresh)
        self.scene.selectionChanged.connect(self._notify)
        self._place()

    # ================================================================ where
    def _axes(self) -> tuple[list[int], list[int]]:
        lay = self.scene.layout
        if lay is None:
            return [], []
        return [s.stage_id for s in lay.stages], [ln.lane_id for ln in lay.lanes]

    def cell(self) -> tuple[int, int] | None:
        """The (stage_id, lane_id) under the cursor (the first cell until it moves)."""
        stages, lanes = self._axes()
        if not stages or not lanes:
            return None
        if self.stage_id not in stages:
            self.stage_id = stages[0]
        if self.lane_id not in lanes:
            self.lane_id = lanes[0]
        return self.stage_id, self.lane_id

    def stage(self) -> int | None:
        """The stage the Map menu acts on: a selected header's, else the cursor's."""
        if self.axis is not None and self.axis[0] == "stage":
            return self.axis[1]
        cell = self.cell()
        return cell[0] if cell else None

    def lane(self) -> int | None:
        """The lane the Map menu acts on: a selected label's, else the cursor's."""
        if self.axis is not None and self.axis[0] == "lane":
            return self.axis[1]
        cell = self.cell()
        return cell[1] if cell else None

    def move_to(self, stage_id: int, lane_id: int) -> None:
        """Put the cursor on a cell (ends typing, keeps the text)."""
        self.finish_typing()
        self.stage_id, self.lane_id = stage_id, lane_id
        self.focus_card = None
        self.axis = None
        self._place()
        self.ensure_visible()
        self._notify()

    def move(self, d_stage: int, d_lane: int, wrap: bool = False) -> None:
        """Move the cursor by whole cells (Tab wraps around the stages)."""
        cell = self.cell()
        if cell is None:
            return
        stages, lanes = self._axes()
        si, li = stages.index(cell[0]) + d_stage, lanes.index(cell[1]) + d_lane
        si = si % len(stages) if wrap else max(0, min(si, len(stages) - 1))
        li = max(0, min(li, len(lanes) - 1))
        self.move_to(stages[si], lanes[li])

    def select_axis(self, kind: str, row_id: int) -> None:
        """Select a stage header ("stage") or lane label ("lane")."""
        self.finish_typing()
        self.axis = (kind, row_id)
        self.scene.clearSelection()
        cell = self.cell()
        if cell is not None:
            self.stage_id, self.lane_id = (row_id, cell[1]) if kind == "stage" else (
                cell[0], row_id)
        self._place()

    def clear_axis(self) -> None:
        """Unselect the header."""
        if self.axis is not None:
            self.axis = None
            self._place()

    # ================================================================ mode
    def mode(self) -> str:
        """typing, selected, header or ready."""
        if self.typing is not None and self.typing.typed:
            return "typing"
        if self.scene.selected_card_ids():
            return "selected"
        if self.axis is not None:
            return "header"
        return "ready"

    def where(self) -> str:
        """'Stage › Lane' of the cursor."""
        cell = self.cell()
        if cell is None:
            return ""
        data = self.scene.doc.data
        return f"{data.stages[cell[0]].name} › {data.lanes[cell[1]].name}"

    def describe(self) -> str:
        """The mode indicator's text."""
        mode = self.mode()
        if mode == "typing" and self.typing is not None:
            text = self.typing.text.strip()
            tail = text if len(text) <= 40 else "…" + text[-39:]
            return f"TYPING · {self.where()} · “{tail}”"
        if mode == "selected":
            n = len(self.scene.selected_card_ids())
            return f"{n} SELECTED · Alt+= dot · Alt+↑/↓ emotion · Esc clears · typing adds a card"
        if mode == "header" and self.axis is not None:
            data = self.scene.doc.data
            kind, row_id = self.axis
            row = data.stages.get(row_id) if kind == "stage" else data.lanes.get(row_id)
            name = row.name if row is not None else ""
            return f"{kind.upper()} {name} · F2 rename · Delete · Ctrl+Shift+arrows move"
        return f"READY · type to add a card to {self.where()}"

    def _notify(self) -> None:
        if self._detached or not shiboken6.isValid(self.scene):
            return  # the scene is going away with its window
        for listener in list(self.listeners):
            listener()

    def detach(self) -> None:
        """Stop listening to the scene (its window is closing)."""
        self.finish_typing()
        self.listeners.clear()
        self._detached = True

    # ================================================================ typing
    def new_card_fields(self, stage_id: int, lane_id: int) -> dict[str, Any]:
        """Kind (the lane's) and emotion (0 in an emotions lane) of a card typed there."""
        lane = self.scene.doc.data.lanes[lane_id]
        kind = CARD_FOR_LANE.get(lane.kind, CardKind.NOTE)
        fields: dict[str, Any] = {"kind": kind}
        if kind == CardKind.EMOTION:
            fields["emotion"] = 0
        return fields

    def start_typing(self, text: str = "") -> TypingSession | None:
        """A new card at the cursor, starting with ``text``."""
        self.finish_typing()
        cell = self.cell()
        if cell is None or self.scene.doc.read_only:
            if self.scene.doc.read_only:
                self.view.failed.emit(self.scene.doc.note or "This map is open read-only")
            return None
        self.scene.clearSelection()
        self.axis = None
        self.focus_card = None
        session = TypingSession(self.view, *cell, fields=self.new_card_fields(*cell),
                                on_end=self._ended)
        self.typing = session
        if text:
            session.insert(text)
        self._place()
        self._notify()
        return session

    def edit(self, card_id: int) -> TypingSession | None:
        """Edit an existing card's title in place (the caret at its end)."""
        card = self.scene.doc.data.cards.get(card_id)
        if card is None or self.scene.doc.read_only:
            return None
        self.finish_typing()
        self.stage_id, self.lane_id = card.stage_id, card.lane_id
        self.axis = None
        self.scene.select_cards([card_id])
        session = TypingSession(self.view, card.stage_id, card.lane_id, card_id=card_id,
                                on_end=self._ended)
        self.typing = session
        self._place()
        self._notify()
        return session

    def finish_typing(self) -> None:
        """Keep what is being typed and stop typing."""
        if self.typing is not None:
            self.typing.finish()

    def _ended(self, session: TypingSession) -> None:
        if self.typing is session:
            self.typing = None
            if session.card_id is not None and not session.new:
                self.focus_card = session.card_id
            self._place()
            self._notify()

    def text_input(self, text: str) -> None:
        """Text from an input method (CJK composition, dictation): typed at the cursor."""
        if self.typing is not None:
            self.typing.insert(text)
        elif text.strip():
            self.start_typing(text)
        self._notify()

    # ================================================================ keys
    def key(self, event: QKeyEvent) -> bool:
        """Handle a key of the canvas; False leaves it to the view."""
        if self.typing is not None:
            return self._typing_key(event)
        k, mods, text = event.key(), event.modifiers(), event.text()
        plain = not mods & _MODS
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        if k in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and plain:
            self.move(-1 if (k == Qt.Key.Key_Backtab or shift) else 1, 0, wrap=True)
            return True
        if k in _ARROWS and plain:
            d_stage, d_lane = _ARROWS[k]
            if shift and d_lane:
                self.step_focus(d_lane)
            elif not shift:
                self.scene.clearSelection()
                self.move(d_stage, d_lane)
            return True
        if k == Qt.Key.Key_Escape and plain:
            return self.escape()
        if k in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and plain and self.on_delete and (
                self.scene.selected_card_ids() or self.axis is not None):
            self.on_delete()
            return True
        if k == Qt.Key.Key_Space and plain:
            self.toggle_focused()
            return True
        if k in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2) and plain:
            return self.enter()
        if plain and text and text.isprintable() and not text.isspace():
            self.start_typing(text)
            return True
        return False

    def _typing_key(self, event: QKeyEvent) -> bool:
        session = self.typing
        assert session is not None
        k, mods = event.key(), event.modifiers()
        plain = not mods & _MODS
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        if k in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            session.finish()  # the cursor stays: the next character starts the next card
            return True
        if k in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            session.finish()
            self.move(-1 if (k == Qt.Key.Key_Backtab or shift) else 1, 0, wrap=True)
            return True
        if k in (Qt.Key.Key_Up, Qt.Key.Key_Down) and plain:
            session.finish()
            self.move(0, -1 if k == Qt.Key.Key_Up else 1)
            return True
        if k == Qt.Key.Key_Escape:
            session.finish()
            return True
        if session.key_press(event):
            self._notify()
            return True
        return plain  # other plain keys (PgUp, F-keys without actions) are swallowed

    def escape(self) -> bool:
        """Esc: clear the selection, then the header, then (workshop) leave the mode."""
        if self.scene.selected_card_ids() or self.focus_card is not None:
            self.scene.clearSelection()
            self.focus_card = None
            self._place()
            self._notify()
            return True
        if self.axis is not None:
            self.clear_axis()
            self._notify()
            return True
        if self.on_escape is not None:
            return self.on_escape()
        return False

    def enter(self) -> bool:
        """Enter / F2: edit the focused or the one selected card."""
        ids = self.scene.selected_card_ids()
        target = self.focus_card if self.focus_card is not None else (
            ids[0] if len(ids) == 1 else None)
        if target is not None and target in self.scene.doc.data.cards:
            self.edit(target)
            return True
        if self.axis is not None:
            kind, row_id = self.axis
            (self.view.rename_stage if kind == "stage" else self.view.rename_lane)(row_id)
            return True
        return False

    # ================================================================ keyboard selection
    def cell_cards(self) -> list[int]:
        """The cursor cell's cards in order."""
        cell = self.cell()
        return self.scene.cell_card_ids(*cell) if cell else []

    def step_focus(self, delta: int) -> None:
        """Focus the next (+1) or previous (-1) card of the cursor's cell."""
        cards = self.cell_cards()
        if not cards:
            return
        if self.focus_card not in cards:
            self.focus_card = cards[0] if delta > 0 else cards[-1]
        else:
            i = cards.index(self.focus_card) + delta
            self.focus_card = cards[max(0, min(i, len(cards) - 1))]
        self.axis = None
        self._place()
        self._notify()
        item = self.scene.cards.get(self.focus_card)
        if item is not None:
            self.view.ensureVisible(item.sceneBoundingRect(), 20, 20)

    def toggle_focused(self) -> None:
        """Space: select or unselect the focused card (the cell's first when none)."""
        if self.focus_card is None:
            self.step_focus(1)
        item = self.scene.cards.get(self.focus_card) if self.focus_card else None
        if item is not None:
            item.setSelected(not item.isSelected())
        self._notify()

    def targets(self) -> list[int]:
        """The cards a card command acts on: the one typed, the selected, or the focused."""
        if self.typing is not None and self.typing.card_id is not None:
            return [self.typing.card_id]
        ids = self.scene.selected_card_ids()
        if ids:
            return ids
        if self.focus_card is not None and self.focus_card in self.scene.doc.data.cards:
            return [self.focus_card]
        return []

    def jump_to_kind(self, kind: CardKind) -> bool:
        """Move the cursor to the lane of ``kind`` in its stage (True when there is one)."""
        want = LANE_FOR_CARD.get(kind)
        cell = self.cell()
        if cell is None:
            return False
        for lane in self.scene.doc.data.lanes_of(self.scene.map_id):
            if lane.kind == want:
                self.move_to(cell[0], lane.id)
                self._notify()
                return True
        return False

    # ================================================================ drawing
    def set_shown(self, shown: bool) -> None:
        """Show the cursor (the canvas has the focus, or workshop mode is on)."""
        self.shown = shown
        self._place()

    def _after_refresh(self) -> None:
        if self._detached:
            return
        if self.typing is not None:
            if self.typing.card_id is not None and \
                    self.typing.card_id not in self.scene.doc.data.cards:
                self.typing.end()  # undone or deleted elsewhere
            else:
                self.typing.place_caret()
        if self.focus_card is not None and self.focus_card not in self.scene.doc.data.cards:
            self.focus_card = None
        if self.axis is not None:
            table = self.scene.doc.data.stages if self.axis[0] == "stage" else \
                self.scene.doc.data.lanes
            if self.axis[1] not in table:
                self.axis = None
        self._place()
        self._notify()

    def _place(self) -> None:
        cell = self.cell()
        r = self.scene.cell_rect(*cell) if cell else None
        visible = (self.shown or self.workshop) and r is not None
        if visible and r is not None:
            self.cursor.setRect(QRectF(r.x + 1.5, r.y + 1.5, r.w - 3, r.h - 3))
        self.cursor.setVisible(visible)
        box = self.scene.layout.cards.get(self.focus_card) if (
            self.scene.layout is not None and self.focus_card is not None) else None
        if box is not None and (self.shown or self.workshop) and self.typing is None:
            b = box.rect
            self.ring.setRect(QRectF(b.x - 4, b.y - 4, b.w + 8, b.h + 8))
            self.ring.show()
        else:
            self.ring.hide()
        rect = self._axis_rect()
        if rect is not None:
            self.axis_frame.setRect(rect)
        self.axis_frame.setVisible(rect is not None)

    def _axis_rect(self) -> QRectF | None:
        if self.axis is None:
            return None
        kind, row_id = self.axis
        item = (self.scene.stages if kind == "stage" else self.scene.lanes).get(row_id)
        if item is None:
            return None
        r = item.header.rect if kind == "stage" else item.label.rect
        return QRectF(r.x, r.y, r.w, r.h)

    def ensure_visible(self) -> None:
        """Scroll the cursor into view."""
        if self.cursor.isVisible():
            self.view.ensureVisible(self.cursor.rect(), 20, 20)
