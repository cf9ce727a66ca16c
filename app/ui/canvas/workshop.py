"""Workshop mode on the canvas: large type, the mode indicator, key hints, timer, dots left,
stage focus, the most-voted list and face-down cards.

The keys are the canvas's own (:mod:`app.ui.canvas.capture`: typed text is text); this
class adds what a wall display needs and leaves again without a trace. The timer, the
voter and reveal mode live in a Qt-free :class:`~app.workshop.state.WorkshopState` that
outlives the mode (and that the room page reads).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QListWidget, QWidget

from app.layout import Style, layout_card_text
from app.model.schema import CardKind
from app.ui.canvas.view import CanvasView
from app.workshop.dots import dot_budget
from app.workshop.state import FACE_DOWN, WorkshopState

WORKSHOP_STYLE = Style(body_pt=12.0, fix_contrast=True)
DIM = 0.22
TICK_MS = 250
PULSE_MS = 600
PULSES = 10  # the end signal: the timer glows softly this many times, then stays amber

_CHIP = ("QLabel {{ background: {bg}; color: {fg}; border-radius: 10px; padding: 6px 14px;"
         " font-size: {pt}pt; font-weight: 600; }}")
# Colours with alpha are written rgba(): Qt reads "#rrggbbaa" as #aarrggbb (the timer's
# "#2b3a4aee" came out 17 % opaque lavender, white on it unreadable).
_MODE_COLOURS = {"typing": ("#1a7f37", "#ffffff"), "selected": ("#1f6feb", "#ffffff"),
                 "header": ("#9a6700", "#ffffff"), "ready": ("#2b3a4a", "#ffffff")}
_TIMER = {"idle": ("#2b3a4a", "#ffffff"), "running": ("#2b3a4a", "#ffffff"),
          "paused": ("#57606a", "#ffffff"), "finished": ("#f6d28b", "#3d2a00"),
          "glow": ("#fbe7b8", "#3d2a00")}
_PAPER = "rgba(255, 255, 255, 235)"
#: Space around the overlays, in pixels.
GAP = 10

HINTS = {
    "ready": "type: new card · ←↑↓→ cell · Tab stage · Shift+↓ card · Space select · "
             "Enter edit · Ctrl+1…8 lane of a kind · Esc leave",
    "typing": "Enter: next card · Tab: next stage · ↑↓: lane · ←→ Home End: caret · "
              "Alt+↑/↓: emotion · Esc: done · Ctrl+Z: take back",
    "selected": "Alt+=: dot · Alt+−: take dot back · Alt+↑/↓: emotion · Ctrl+1…8: kind · "
                "Ctrl+G: group · Delete · Esc: clear",
    "header": "F2: rename · Delete: delete with its cards · Ctrl+Shift+arrows: move · "
              "Ctrl+Alt+arrows: insert · Esc: clear",
}
GLOBAL_HINTS = ("Ctrl+T timer · Ctrl+R ranking · Ctrl+Shift+F focus stage · "
                "Ctrl+PgDn voter · Ctrl+H hide hints · F11 leave")


def _set(label: QLabel, text: str, style: str) -> bool:
    """Set a label's text and style sheet only when they change (both re-lay it out)."""
    changed = False
    if label.text() != text:
        label.setText(text)
        changed = True
    if label.styleSheet() != style:
        label.setStyleSheet(style)
        changed = True
    if changed:
        label.adjustSize()
    return changed


def _fit_width(label: QLabel, most: int) -> None:
    """A word-wrapped label as wide as its longest line, at most ``most`` pixels, and
    as tall as its text needs at that width."""
    fm = label.fontMetrics()
    lines = label.text().split("\n")
    pad = label.contentsMargins().left() + label.contentsMargins().right() + 32
    width = max(120, min(most, max(fm.horizontalAdvance(t) for t in lines) + pad))
    label.setFixedWidth(width)
    label.setFixedHeight(label.heightForWidth(width))


def _chip(parent: QWidget, pt: int = 15) -> QLabel:
    label = QLabel(parent)
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    label.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    label.setStyleSheet(_CHIP.format(bg="#2b3a4a", fg="#ffffff", pt=pt))
    return label


class Workshop(QObject):
    """Workshop mode on one canvas; ``close`` leaves it."""

    def __init__(self, view: CanvasView, state: WorkshopState | None = None,
                 on_exit: Callable[[], None] | None = None) -> None:
        super().__init__(view)
        self.view = view
        self.state = state or WorkshopState()
        self.on_exit = on_exit
        self.scene = view.map_scene
        self.capture = view.capture
        self.focus_stage: int | None = None
        self._pulse = 0
        port = view.viewport()
        # The chips sit in bands above and below the map (the view's viewport margins),
        # so they never cover a card; the ranking list opens over the map on demand.
        self.indicator = _chip(view, 15)
        self.indicator.setWordWrap(True)
        self.hints = _chip(view, 12)
        self.hints.setWordWrap(True)
        self.timer_label = _chip(view, 30)
        self.timer_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots_label = _chip(view, 13)
        self.dots_label.setWordWrap(True)
        #: While cards are face down or a room holds ideas: how many, and how to reveal.
        self.reveal_label = _chip(view, 13)
        self.reveal_label.hide()
        self._margins = (0, 0)
        self.ranking = QListWidget(port)
        self.ranking.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.ranking.setStyleSheet(f"font-size: 16pt; background: {_PAPER};")
        self.ranking.hide()
        self._old_style = self.scene.style
        self.scene.style = WORKSHOP_STYLE
        self.capture.workshop = True
        self.capture.on_escape = self._escape
        self.capture.listeners.append(self.update_overlays)
        self.scene.refresh()
        self.scene.refreshed.connect(self._after_refresh)
        self._unsub = self.scene.doc.subscribe(self._doc_changed)
        self.tick = QTimer(self)
        self.tick.setInterval(TICK_MS)
        self.tick.timeout.connect(self._tick)
        self.tick.start()
        view.installEventFilter(self)
        for w in (self.indicator, self.hints, self.timer_label, self.dots_label):
            w.show()
        self._after_refresh()
        view.fit_map()

    def close(self) -> None:
        """Leave workshop mode: the normal style, no overlays, no dimming."""
        self.capture.finish_typing()
        self.tick.stop()
        self.view.removeEventFilter(self)
        self.view.set_overlay_margins(0, 0)
        self.capture.workshop = False
        self.capture.on_escape = None
        if self.update_overlays in self.capture.listeners:
            self.capture.listeners.remove(self.update_overlays)
        self._unsub()
        self.scene.refreshed.disconnect(self._after_refresh)
        self.focus_stage = None
        self._apply_focus()
        for item in self.scene.cards.values():
            if item.preview is not None and not item.lifted:
                item.set_preview(None)
        for w in (self.indicator, self.hints, self.timer_label, self.dots_label,
                  self.reveal_label, self.ranking):
            w.hide()
            w.deleteLater()
        self.scene.style = self._old_style
        self.scene.refresh()
        self.deleteLater()

    def _escape(self) -> bool:
        if self.on_exit is not None:
            self.on_exit()
            return True
        return False

    # ---------------------------------------------------------------- compatibility
    def cell(self) -> tuple[int, int] | None:
        """The (stage_id, lane_id) under the cursor."""
        return self.capture.cell()

    # ---------------------------------------------------------------- overlays
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keep the overlays in their corners when the canvas is resized."""
        if event.type() == QEvent.Type.Resize:
            self._layout_overlays()
        return False

    def update_overlays(self) -> None:
        """The mode indicator, key hints, dots left and timer, as they are now."""
        if self.state.concealed:
            self._apply_concealed()
        mode = self.capture.mode()
        bg, fg = _MODE_COLOURS[mode]
        text = self.capture.describe()
        changed = _set(self.indicator, text, _CHIP.format(bg=bg, fg=fg, pt=15))
        if changed:
            self.indicator.setAccessibleName(text)
        if self.hints.isVisible() != self.state.hints:
            self.hints.setVisible(self.state.hints)
            changed = True
        changed |= _set(self.hints, f"{HINTS[mode]}\n{GLOBAL_HINTS}",
                        _CHIP.format(bg=_PAPER, fg="#1a1a1a", pt=12))
        changed |= self._show_dots()
        changed |= self._show_reveal()
        changed |= self._show_timer()
        if changed:
            self._layout_overlays()
        if mode != "typing":
            self._keep_whole()

    def _show_dots(self) -> bool:
        map_id = self.scene.map_id
        voters = dot_budget(self.scene.doc.data, map_id) if map_id is not None else []
        if not voters:
            was = self.dots_label.isVisible()
            self.dots_label.hide()
            return was
        parts = []
        for v in voters:
            dots = "●" * v.remaining + "○" * min(v.used, 20)
            mark = "▶ " if v.voter_id == self.state.voter_id else ""
            parts.append(f"{mark}{v.name}  {dots}  {v.remaining} left".replace(" ", "\u00a0"))
        # one line (voters side by side), wrapping between voters only
        changed = _set(self.dots_label, "   ".join(parts),
                       _CHIP.format(bg=_PAPER, fg="#1a1a1a", pt=13))
        if not self.dots_label.isVisible():
            self.dots_label.show()
            changed = True
        return changed

    def _show_reveal(self) -> bool:
        st = self.state
        down = len(st.concealed & self.scene.doc.data.cards.keys())
        if not (st.concealing or down or st.held):
            was = self.reveal_label.isVisible()
            self.reveal_label.hide()
            return was
        text = f"FACE DOWN · {down} on the wall"
        if st.held:
            text += f" · {st.held} held in the room"
        text += " · Ctrl+Shift+R reveals"
        changed = _set(self.reveal_label, text, _CHIP.format(bg="#6639ba", fg="#ffffff", pt=13))
        if not self.reveal_label.isVisible():
            self.reveal_label.show()
            changed = True
        return changed

    def _show_timer(self) -> bool:
        snap = self.state.timer.snapshot()
        key = snap.state
        if key == "finished" and self._pulse and self._pulse % 2:
            key = "glow"
        bg, fg = _TIMER[key]
        text = snap.text if snap.state != "finished" else f"Time’s up  {snap.text}"
        if snap.state == "paused":
            text += "  ❚❚"
        changed = _set(self.timer_label, text, _CHIP.format(bg=bg, fg=fg, pt=30))
        if changed:
            self.timer_label.setAccessibleName(f"Timer {snap.state}: {snap.text}")
        return changed

    def _tick(self) -> None:
        snap = self.state.timer.snapshot()
        if snap.state == "finished":
            if self._pulse < PULSES:
                self._pulse += 1  # the gentle end signal: a soft glow a few times
        else:
            self._pulse = 0
        if self._show_timer():
            self._layout_overlays()

    @property
    def time_is_up(self) -> bool:
        """True while the end signal shows."""
        return self.state.timer.snapshot().state == "finished"

    def _layout_overlays(self) -> None:
        """The timer and the dots in a band above the map, the mode indicator and the key
        hints in a band below it; the map is fitted between the two."""
        view = self.view
        w, h, m = view.width(), view.height(), GAP
        self.timer_label.move(w - self.timer_label.width() - m, m)
        top = self.timer_label.height() + 2 * m
        right = w - self.timer_label.width() - m  # the band's free room ends here
        if self.reveal_label.isVisible():
            _fit_width(self.reveal_label, max(200, right - 2 * m - 240))
            right -= self.reveal_label.width() + m
            self.reveal_label.move(right, m + (self.timer_label.height()
                                               - self.reveal_label.height()) // 2)
            top = max(top, self.reveal_label.height() + 2 * m)
        if self.dots_label.isVisible():
            _fit_width(self.dots_label, right - 2 * m)
            self.dots_label.move(m, m)
            top = max(top, self.dots_label.height() + 2 * m)
        # below the map: the mode indicator above the key hints
        bottom = h - m
        if self.hints.isVisible():
            _fit_width(self.hints, w - 2 * m)
            bottom -= self.hints.height()
            self.hints.move(m, bottom)
            bottom -= m // 2
        _fit_width(self.indicator, w - 2 * m)
        bottom -= self.indicator.height()
        self.indicator.move(m, bottom)
        bottom -= m
        if (top, h - bottom) != self._margins:
            self._margins = (top, h - bottom)
            view.set_overlay_margins(top, h - bottom)
        if self.ranking.isVisible():
            port = view.viewport()
            rw = min(520, port.width() - 2 * m)
            self.ranking.setGeometry(port.width() - rw - m, m, rw,
                                     min(40 + 34 * self.ranking.count(), port.height() - 2 * m))
        for label in (self.indicator, self.hints, self.timer_label, self.dots_label,
                      self.reveal_label, self.ranking):
            label.raise_()

    # ---------------------------------------------------------------- document
    def _doc_changed(self, change) -> None:
        added = change.added.get("cards", set())
        if added and self.state.concealing:
            self.state.conceal_new(added)  # the card being typed shows until it is done
        self._rank()

    def _after_refresh(self) -> None:
        self._apply_focus()
        self._apply_concealed()
        self.update_overlays()
        self._keep_whole()

    def _keep_whole(self) -> None:
        """The wall shows the whole map: when it has grown out of view, fit it again
        once the card being typed is done (not under the typist's fingers)."""
        if self.capture.typing is None:
            self.view.keep_fitted()

    def _apply_concealed(self) -> None:
        data = self.scene.doc.data
        typed = self.capture.typing.card_id if self.capture.typing else None
        for cid, item in self.scene.cards.items():
            if item.lifted:
                continue
            down = cid in self.state.concealed and cid != typed and cid in data.cards
            if down:
                card = data.cards[cid].model_copy(update={"title": FACE_DOWN, "body": ""})
                with self.scene.measuring():  # in the scene's poster font
                    item.set_preview(layout_card_text(card, item.box.rect.w,
                                                      self.scene.style))
            elif item.preview is not None:
                item.set_preview(None)

    def reveal(self) -> int:
        """Turn every face-down card up; returns how many."""
        shown = self.state.reveal()
        self._apply_concealed()
        self.update_overlays()
        return len(shown)

    # ---------------------------------------------------------------- focus, ranking
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
        self._layout_overlays()
