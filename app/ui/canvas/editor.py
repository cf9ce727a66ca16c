"""In-place text editing on the canvas: a card's title, a stage or lane name.

Card text is edited on the card itself: each keystroke lays the card out again
with :func:`app.layout.layout_card_text` and paints the result, so the lines
break exactly where the printed poster will break them. Enter commits one
UpdateCard (one undo step for the whole edit), Esc cancels.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QLineEdit, QWidget

from app.layout import layout_card_text
from app.layout.fonts import ASCENT
from app.model.schema import MAX_NAME, MAX_TITLE, Card
from app.ui.canvas.items.card import CardItem
from app.ui.canvas.scene import MapScene


class CardTextSession:
    """Editing one card's title in place (also used for a new card's ghost)."""

    def __init__(self, scene: MapScene, item: CardItem, card: Card,
                 on_commit: Callable[[str], None], on_cancel: Callable[[], None] | None = None,
                 text: str | None = None) -> None:
        self.scene = scene
        self.item = item
        self.card = card
        self.on_commit = on_commit
        self.on_cancel = on_cancel
        self.text = card.title if text is None else text
        self.caret = QGraphicsRectItem(item)
        self.caret.setBrush(QBrush(QColor("#1f6feb")))
        self.caret.setPen(QPen(Qt.PenStyle.NoPen))
        self.active = True
        item.setZValue(80)
        self.relayout()

    def set_card(self, card: Card) -> None:
        """Change what the card looks like (kind, score) while typing a new one."""
        self.card = card
        self.relayout()

    def relayout(self) -> None:
        """Lay the card out with the current text and show it."""
        shown = self.card.model_copy(update={"title": self.text})
        with self.scene.measuring():
            text = layout_card_text(shown, self.item.box.rect.w, self.scene.style)
            self.item.set_preview(text)
        if text.title_lines:
            last = text.title_lines[-1]
            x = last.x + last.width + 1
            top = last.y_baseline - ASCENT * last.size_pt
            h = last.size_pt * 1.1
        else:
            x, top, h = self.scene.style.em(self.scene.style.padding_em), 6.0, 13.0
        self.caret.setRect(QRectF(x, top, 1.6, h))

    def key(self, event: QKeyEvent) -> bool:
        """Handle a key press; True when consumed."""
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.commit()
        elif key == Qt.Key.Key_Escape:
            self.cancel()
        elif key == Qt.Key.Key_Backspace:
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.text = self.text.rstrip().rpartition(" ")[0]
                self.text = self.text + " " if self.text else ""
            else:
                self.text = self.text[:-1]
            self.relayout()
        else:
            typed = event.text()
            if not typed or not typed.isprintable():
                return key not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            self.type_text(typed)
        return True

    def type_text(self, typed: str) -> None:
        """Append typed text (limited to the title length)."""
        self.text = (self.text + typed)[:MAX_TITLE]
        self.relayout()

    def commit(self) -> None:
        """Finish and hand the text over (the caller issues the command)."""
        text = " ".join(self.text.split())
        self.close()
        if text:
            self.on_commit(text)
        elif self.on_cancel is not None:
            self.on_cancel()

    def cancel(self) -> None:
        """Finish without changing anything."""
        self.close()
        if self.on_cancel is not None:
            self.on_cancel()

    def close(self) -> None:
        """Remove the caret and the preview."""
        if not self.active:
            return
        self.active = False
        if self.caret.scene() is not None:
            self.caret.scene().removeItem(self.caret)
        self.item.set_preview(None)
        self.item.setZValue(40)


class NameEditor(QLineEdit):
    """A line edit laid over a header to rename a stage or lane; Enter commits, Esc cancels."""

    def __init__(self, parent: QWidget, text: str, rect: QRectF,
                 on_commit: Callable[[str], None]) -> None:
        super().__init__(text, parent)
        self.on_commit = on_commit
        self.setMaxLength(MAX_NAME)
        self.setGeometry(rect.toAlignedRect())
        self.selectAll()
        self.returnPressed.connect(self._commit)
        self._done = False
        self.show()
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc cancels."""
        if event.key() == Qt.Key.Key_Escape:
            self._finish()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        """Leaving the field commits, like most editors."""
        super().focusOutEvent(event)
        if not self._done:
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
