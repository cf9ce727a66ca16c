"""In-place text editing on the canvas: a card's title, a stage or lane name.

A card's title is typed into the document itself: the first character adds the card
(:class:`~app.model.commands.AddCards`), every later keystroke is a
:class:`~app.model.commands.TypeTitle` with the same merge key, so the whole card is one
undo step, its lines break exactly where the poster will break them (the map is laid out
again, the cell grows), and a half-typed card is on disk like every edit: ``kill -9`` in
the middle of a word keeps it. Keys that arrive faster than one commit (a fast typist on
a slow disk, a paste of keystrokes) are written together when the event loop next runs,
so typing never lags behind the keyboard; finishing writes at once. Nothing ends a
session by throwing text away: Enter, Tab,
Esc, F11, a click elsewhere, the focus leaving the canvas and closing the window all
finish it with the text kept (Ctrl+Z takes the card back). Erasing every character
takes the card back too (a title cannot be empty).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeyEvent, QKeySequence, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QLineEdit, QWidget

from app.layout.boxes import TextLine
from app.layout.fonts import ASCENT, text_width
from app.model import commands as C
from app.model.schema import MAX_NAME, MAX_TITLE

CARET_Z = 90.0
_KEYS = itertools.count(1)
_WORD_MOD = Qt.KeyboardModifier.ControlModifier


def _spans(lines: tuple[TextLine, ...], title: str) -> list[tuple[TextLine, int, int]]:
    """Which characters of ``title`` each wrapped line shows: (line, start, end)."""
    out: list[tuple[TextLine, int, int]] = []
    pos = 0
    for line in lines:
        shown = line.text
        start = title.find(shown, pos)
        while start < 0 and shown and shown[-1] in "-\u2010\u00ad\u2026":
            shown = shown[:-1]  # a hyphen or ellipsis the wrapper added
            start = title.find(shown, pos) if shown else -1
        if start < 0:
            break
        out.append((line, start, start + len(shown)))
        pos = start + len(shown)
    return out


def caret_rect(lines: tuple[TextLine, ...], title: str, index: int,
               fallback: QRectF) -> QRectF:
    """Where the caret stands before character ``index`` of ``title`` (scene points)."""
    spans = _spans(lines, title)
    if not spans:
        return fallback
    line, start, end = spans[0]
    for span in spans:
        if span[1] <= index:
            line, start, end = span
    upto = title[start:min(index, end)]
    x = line.x + text_width(upto, line.font, line.size_pt)
    if index > end and line is spans[-1][0]:
        if title[end:index].strip() or len(spans) < len(lines):
            x = line.x + line.width  # the rest is cut off with "…": at the end of what shows
        else:  # spaces typed at the end
            x += text_width(title[end:index], line.font, line.size_pt)
    elif index > end:  # a space at a line break, which the line does not show
        x = line.x + line.width
    top = line.y_baseline - ASCENT * line.size_pt
    return QRectF(x, top, max(1.2, line.size_pt * 0.12), line.size_pt * 1.15)


class TypingSession:
    """Typing one card's title, written through the document keystroke by keystroke.

    ``card_id`` is None for a new card until its first character; ``fields`` are the new
    card's kind and emotion. ``on_end`` is called once, when the session is over.
    """

    def __init__(self, view: Any, stage_id: int, lane_id: int, *, card_id: int | None = None,
                 fields: dict[str, Any] | None = None,
                 on_end: Callable[[TypingSession], None] | None = None) -> None:
        self.view = view
        self.doc = view.map_scene.doc
        self.stage_id, self.lane_id = stage_id, lane_id
        self.card_id = card_id
        self.new = card_id is None
        self.fields = dict(fields or {})
        self.on_end = on_end
        self.key = f"type:{next(_KEYS)}"
        self.step: int | None = None  # the history step this session writes into
        card = self.doc.data.cards.get(card_id) if card_id is not None else None
        self.original = card.title if card is not None else ""
        self.text = self.original
        self.caret = len(self.text)
        self.active = True
        self._pending = False
        self._timer = QTimer(view)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.flush)
        self.caret_item = QGraphicsRectItem()
        self.caret_item.setBrush(QBrush(QColor("#1f6feb")))
        self.caret_item.setPen(QPen(Qt.PenStyle.NoPen))
        self.caret_item.setZValue(CARET_Z)
        view.map_scene.addItem(self.caret_item)
        self.place_caret()

    # ------------------------------------------------------------- state
    @property
    def typed(self) -> bool:
        """True once the session holds text (a new card exists in the document)."""
        return bool(self.text.strip())

    def card(self):
        """The card being typed, as the document has it (None before the first character)."""
        self.flush()
        return self.doc.data.cards.get(self.card_id) if self.card_id is not None else None

    # ------------------------------------------------------------- keys
    def key_press(self, event: QKeyEvent) -> bool:
        """Edit keys: printable text, Backspace/Delete, Left/Right/Home/End, Ctrl+V."""
        key, mods = event.key(), event.modifiers()
        word = bool(mods & _WORD_MOD)
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
        elif key == Qt.Key.Key_Backspace:
            self.erase(-1, word)
        elif key == Qt.Key.Key_Delete:
            self.erase(1, word)
        elif key == Qt.Key.Key_Left:
            self.move_caret(self._word_left() if word else self.caret - 1)
        elif key == Qt.Key.Key_Right:
            self.move_caret(self._word_right() if word else self.caret + 1)
        elif key == Qt.Key.Key_Home:
            self.move_caret(0)
        elif key == Qt.Key.Key_End:
            self.move_caret(len(self.text))
        else:
            typed = event.text()
            if typed and typed.isprintable() and not mods & (
                    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier):
                self.insert(typed)
            else:
                return False
        return True

    def _word_left(self) -> int:
        i = self.caret
        while i > 0 and self.text[i - 1] == " ":
            i -= 1
        while i > 0 and self.text[i - 1] != " ":
            i -= 1
        return i

    def _word_right(self) -> int:
        i, n = self.caret, len(self.text)
        while i < n and self.text[i] == " ":
            i += 1
        while i < n and self.text[i] != " ":
            i += 1
        return i

    # ------------------------------------------------------------- editing
    def insert(self, typed: str) -> None:
        """Insert text at the caret (one line; limited to the title length)."""
        typed = " ".join(typed.splitlines()) if "\n" in typed or "\r" in typed else typed
        typed = "".join(ch for ch in typed if ch.isprintable())
        if not self.text.strip():
            typed = typed.lstrip()  # a title never starts with blanks
        room = MAX_TITLE - len(self.text)
        typed = typed[:max(0, room)]
        if not typed:
            return
        self.text = self.text[:self.caret] + typed + self.text[self.caret:]
        self.caret += len(typed)
        self._write()

    def erase(self, direction: int, word: bool = False) -> None:
        """Backspace (-1) or Delete (+1) a character, or a word with Ctrl."""
        if direction < 0:
            start = self._word_left() if word else max(0, self.caret - 1)
            end = self.caret
        else:
            start = self.caret
            end = self._word_right() if word else min(len(self.text), self.caret + 1)
        if start == end:
            return
        self.text = self.text[:start] + self.text[end:]
        self.caret = start
        self._write()

    def move_caret(self, index: int) -> None:
        """Put the caret before character ``index``."""
        self.caret = max(0, min(len(self.text), index))
        self.place_caret()

    def paste(self) -> None:
        """Insert the clipboard's text at the caret (lines joined with spaces)."""
        text = QGuiApplication.clipboard().text()
        if text.strip():
            self.insert(re.sub(r"\s+", " ", text))

    def set_fields(self, fields: dict[str, Any]) -> None:
        """Change the kind or emotion of the card being typed (part of the same step)."""
        self.fields.update(fields)
        self.flush()
        if self.card_id is not None:
            self.view.run(C.UpdateCard(self.card_id, fields, merge_key=self.key))

    # ------------------------------------------------------------- the document
    def _ours(self) -> bool:
        return self.step is not None and self.doc.head == self.step

    def _write(self) -> None:
        """The text changed: write it when the event loop next runs (keys queued behind
        this one are written with it)."""
        self._pending = True
        self._timer.start()
        self.place_caret()

    def flush(self) -> None:
        """Put the text into the document now (adding the card on its first character)."""
        if not self._pending or not self.active:
            return
        self._pending = False
        self._timer.stop()
        if not self.text.strip():
            if self.card_id is not None and self._ours():
                self.doc.undo()  # back to before this session: no empty title
                self.step = None
                if self.new:
                    self.card_id = None
            self.place_caret()
            return
        if self.card_id is None:
            fields = {**self.fields, "title": self.text}
            cmd = C.AddCards([(self.stage_id, self.lane_id, fields)], merge_key=self.key)
            change = self.view.execute(cmd)
            if change is None:
                self.end()
                return
            self.card_id = next(iter(change.added["cards"]))
        else:
            cmd = C.TypeTitle(self.card_id, self.text, merge_key=self.key, new=self.new,
                              original=self.original)
            if self.view.run(cmd) is None:
                self.end()
                return
        self.step = self.doc.head
        self.place_caret()

    def finish(self) -> None:
        """Keep what was typed (spaces tidied) and end."""
        if not self.active:
            return
        tidy = " ".join(self.text.split())
        if tidy != self.text:
            self.text = tidy
            self.caret = min(self.caret, len(tidy))
            self._pending = True
        self.flush()
        if not tidy and self.card_id is not None and not self.new and self._ours():
            self.doc.undo()  # an erased title goes back to what it was
        self.end()

    def end(self) -> None:
        """Stop (the text is already in the document); tell the owner once."""
        if not self.active:
            return
        self.active = False
        self._timer.stop()
        self._timer.deleteLater()
        if self.caret_item.scene() is not None:
            self.caret_item.scene().removeItem(self.caret_item)
        if self.on_end is not None:
            self.on_end(self)

    # ------------------------------------------------------------- the caret
    def place_caret(self) -> None:
        """Draw the caret where the layout put the text (after every refresh)."""
        if not self.active:
            return
        scene = self.view.map_scene
        box = scene.layout.cards.get(self.card_id) if (
            scene.layout is not None and self.card_id is not None) else None
        if box is None:
            cell = scene.cell_rect(self.stage_id, self.lane_id)
            if cell is None:
                self.caret_item.hide()
                return
            pad = scene.style.em(scene.style.padding_em)
            size = scene.style.body_pt
            self.caret_item.setRect(QRectF(cell.x + pad, cell.bottom - size * 2.2,
                                           max(1.2, size * 0.12), size * 1.15))
        else:
            r = box.rect
            fallback = QRectF(r.x + 8, r.y + 6, 1.6, box.title_size * 1.15)
            with scene.measuring():  # measured in the scene's (its document's) font
                self.caret_item.setRect(caret_rect(box.title_lines, self.text, self.caret,
                                                   fallback))
        self.caret_item.show()

    def caret_scene_rect(self) -> QRectF:
        """The caret's rectangle in scene coordinates (for input methods)."""
        return self.caret_item.rect()


class NameEditor(QLineEdit):
    """A line edit laid over a header to rename a stage or lane; Enter commits, Esc cancels."""

    def __init__(self, parent: QWidget, text: str, rect: QRectF,
                 on_commit: Callable[[str], None], text_px: float | None = None) -> None:
        super().__init__(text, parent)
        self.on_commit = on_commit
        self.setMaxLength(MAX_NAME)
        font = self.font()
        # as large as the header's text on screen, but never tiny (a zoomed-out map) or huge
        wanted = (text_px or 16.0) * 0.75
        font.setPointSizeF(max(font.pointSizeF(), 11.0, min(26.0, wanted)))
        self.setFont(font)
        height = max(rect.height(), self.fontMetrics().height() + 10)
        rect = QRectF(rect.x(), rect.center().y() - height / 2, max(rect.width(), 160), height)
        self.setGeometry(rect.toAlignedRect())
        self.selectAll()
        self.returnPressed.connect(self._commit)
        self._done = False
        self.show()
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc cancels; Enter commits and stops there (a QLineEdit passes Enter on to its
        parent, where the canvas would open the field again)."""
        if event.key() == Qt.Key.Key_Escape:
            self._finish()
            return
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()

    def focusOutEvent(self, event) -> None:
        """Leaving the field commits, like most editors (its own context menu does not)."""
        super().focusOutEvent(event)
        if not self._done and event.reason() != Qt.FocusReason.PopupFocusReason:
            self._commit()

    def _commit(self) -> None:
        if self._done:
            return
        text = " ".join(self.text().split())
        self._finish()
        if text:
            self.on_commit(text)

    def _finish(self) -> None:
        self._done = True
        self.hide()
        self.deleteLater()
        if self.parentWidget() is not None:
            self.parentWidget().setFocus()


def header_rect_on_view(view, x: float, y: float, w: float, h: float) -> QRectF:
    """A scene rectangle mapped to viewport pixels."""
    tl = view.mapFromScene(QPointF(x, y))
    br = view.mapFromScene(QPointF(x + w, y + h))
    return QRectF(tl.x(), tl.y(), max(80, br.x() - tl.x()), max(24, br.y() - tl.y()))
