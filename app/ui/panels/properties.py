"""The properties dock: every field of the selected card, each edit an UpdateCard.

Typing in a field issues one UpdateCard per keystroke with a merge key naming
the card and field, so the document merges a burst of typing into one undo step.

With several cards selected, the fields they can share (kind, channel, device, owner,
author, emotion, colour, tags, data source) edit all of them at once, one undo step per
change; a field whose cards differ shows "several values". A text field is applied when
it is left (Enter, Tab, a click elsewhere), not per keystroke.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.layout.style import KIND_LABEL
from app.model import commands as C
from app.model.commands import Command
from app.model.document import Document
from app.model.schema import (
    CHANNELS,
    DEVICES,
    MAX_NAME,
    MAX_VOTES,
    Card,
    CardKind,
    DataSource,
)
from app.ui.support.running import Runner, execute


def parse_metrics(text: str) -> dict[str, float]:
    """'NPS=-12; CSAT=4.1' -> {'NPS': -12.0, 'CSAT': 4.1}; raises ValueError on a bad entry."""
    out: dict[str, float] = {}
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"write metrics as name=value, not {part.strip()[:30]!r}")
        out[name.strip()] = float(value.strip())
    return out


def format_metrics(metrics: dict[str, float]) -> str:
    """The inverse of :func:`parse_metrics`."""
    return "; ".join(f"{k}={v:g}" for k, v in metrics.items())


class PropertiesPanel(QWidget):
    """Edit the selected card's fields."""

    def __init__(self, doc: Document, report: Callable[[str], None],
                 parent: QWidget | None = None, *, run: Runner | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.report = report
        #: The window's execute-and-report path (None: execute here, report to ``report``).
        self.runner = run
        self.card_id: int | None = None
        #: The cards edited together when several are selected (else empty).
        self.card_ids: list[int] = []
        self._loading = False
        form = QFormLayout(self)
        self.heading = QLabel(self.tr("No card selected"))
        form.addRow(self.heading)
        self.title = QLineEdit()
        self.body = QPlainTextEdit()
        self.body.setMaximumHeight(90)
        self.body.setTabChangesFocus(True)  # Tab goes to the next field, as in every form
        self.kind = QComboBox()
        for k in CardKind:
            self.kind.addItem(KIND_LABEL[k.value], k.value)
        self.channel = _editable_combo(CHANNELS)
        self.device = _editable_combo(DEVICES)
        self.owner = QLineEdit()
        self.author = QLineEdit()
        self.author.setPlaceholderText(self.tr("who contributed it"))
        self.author.setMaxLength(MAX_NAME)
        self.emotion = QComboBox()
        self.emotion.addItem(self.tr("—"), None)
        for s in (2, 1, 0, -1, -2):
            self.emotion.addItem(f"{s:+d}" if s else "0", s)
        self.colour = QLineEdit()
        self.colour.setPlaceholderText(self.tr("#rrggbb (empty: kind colour)"))
        pick = QPushButton(self.tr("Pick…"))
        pick.setAccessibleName(self.tr("Pick card colour"))
        pick.setToolTip(self.tr("Pick card colour"))
        self.pick = pick
        pick.clicked.connect(self._pick_colour)
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.colour)
        colour_row.addWidget(pick)
        self.tags = QLineEdit()
        self.tags.setPlaceholderText(self.tr("comma, separated"))
        self.metrics = QLineEdit()
        self.metrics.setPlaceholderText("NPS=-12; CSAT=4.1")
        self.source = QComboBox()
        self.source.addItem(self.tr("—"), None)
        for s in DataSource:
            self.source.addItem(s.value, s.value)
        self.votes = QSpinBox()
        self.votes.setRange(0, MAX_VOTES)
        for label, w in ((self.tr("Title"), self.title), (self.tr("Body"), self.body),
                         (self.tr("Kind"), self.kind), (self.tr("Channel"), self.channel),
                         (self.tr("Device"), self.device), (self.tr("Owner"), self.owner),
                         (self.tr("Author"), self.author), (self.tr("Emotion"), self.emotion)):
            form.addRow(label, w)
            w.setAccessibleName(self.tr("Card {0}").format(label.lower()))
        form.addRow(self.tr("Colour"), colour_row)
        self.colour.setAccessibleName(self.tr("Card colour"))
        for label, w in ((self.tr("Tags"), self.tags), (self.tr("Metrics"), self.metrics),
                         (self.tr("Data source"), self.source), (self.tr("Votes"), self.votes)):
            form.addRow(label, w)
            w.setAccessibleName(self.tr("Card {0}").format(label.lower()))
        self.title.textEdited.connect(lambda t: self._typed("title", t))
        self.body.textChanged.connect(lambda: self._typed("body", self.body.toPlainText()))
        self.owner.textEdited.connect(lambda t: self._typed("owner", t))
        self.author.textEdited.connect(lambda t: self._typed("author", t))
        self.channel.currentTextChanged.connect(lambda t: self._typed("channel", t))
        self.device.currentTextChanged.connect(lambda t: self._typed("device", t))
        self.kind.activated.connect(lambda _i: self._set("kind", self.kind.currentData()))
        self.emotion.activated.connect(
            lambda _i: self._set("emotion", self.emotion.currentData()))
        self.source.activated.connect(lambda _i: self._set("source", self.source.currentData()))
        self.colour.editingFinished.connect(lambda: self._set("colour", self.colour.text()
                                                              .strip() or None))
        self.tags.editingFinished.connect(self._tags_done)
        self.metrics.editingFinished.connect(self._metrics_done)
        self.votes.valueChanged.connect(lambda v: self._typed("votes", v))
        # several cards: a text is applied when the field is left, a choice at once
        for name, line in (("owner", self.owner), ("author", self.author),
                           ("channel", self.channel.lineEdit()),
                           ("device", self.device.lineEdit())):
            line.editingFinished.connect(lambda n=name, w=line: self._set_many(n, w.text()))
        for name, combo in (("channel", self.channel), ("device", self.device)):
            combo.activated.connect(lambda _i, n=name, c=combo: self._set_many(n, c.currentText()))
        self._placeholders = {w: w.placeholderText() for w in self._shared_lines()}
        self._unsub = doc.subscribe(lambda change: self._reload_if(change))
        self.show_card(None)

    def detach(self) -> None:
        """Stop following the document (the window is closing)."""
        self._unsub()

    def set_document(self, doc: Document) -> None:
        """Follow another document."""
        self._unsub()
        self.doc = doc
        self._unsub = doc.subscribe(lambda change: self._reload_if(change))
        self.show_card(None)

    # ---------------------------------------------------------------- showing
    def show_cards(self, ids: list[int]) -> None:
        """Show the selection: one card's fields, or the fields several cards share."""
        ids = [i for i in ids if i in self.doc.data.cards]
        if len(ids) < 2:
            self.show_card(ids[0] if ids else None)
            return
        self.card_id = None
        self.card_ids = ids
        shared = set(self._shared_fields())
        for w in self._fields():
            w.setEnabled(w in shared and not self.doc.read_only)
        self.heading.setText(self.tr("{0} cards selected: a change here applies to all")
                             .format(len(ids)))
        self._fill_many([self.doc.data.cards[i] for i in ids])

    def _shared_fields(self) -> list[QWidget]:
        """The fields several cards can be given at once (not their texts, metrics, votes)."""
        return [self.kind, self.channel, self.device, self.owner, self.author, self.emotion,
                self.colour, self.pick, self.tags, self.source]

    def _shared_texts(self) -> list[tuple[str, QLineEdit]]:
        """(field, its line edit) of the shared fields typed as text."""
        return [("owner", self.owner), ("author", self.author), ("colour", self.colour),
                ("tags", self.tags), ("channel", self.channel.lineEdit()),
                ("device", self.device.lineEdit())]

    def _shared_lines(self) -> list[QLineEdit]:
        return [line for _name, line in self._shared_texts()]

    def _fill_many(self, cards: list[Card]) -> None:
        """The value the cards share in each field, or empty with "several values"."""
        def common(name: str) -> tuple[bool, Any]:
            values = [getattr(c, name) for c in cards]
            return all(v == values[0] for v in values), values[0]

        self._loading = True
        try:
            self._fill(None)
            several = self.tr("several values")
            for name, line in self._shared_texts():
                same, value = common(name)
                if name == "tags":
                    value = ", ".join(value)
                line.setText(str(value or "") if same else "")
                line.setCursorPosition(0)
                line.setPlaceholderText(self._placeholders[line] if same else several)
            for name, combo in (("kind", self.kind), ("emotion", self.emotion),
                                ("source", self.source)):
                same, value = common(name)
                data = value.value if hasattr(value, "value") else value
                # emotion and source: item 0 is "—" (none)
                index = 0 if data is None else max(0, combo.findData(data))
                combo.setCurrentIndex(index if same else -1)
        finally:
            self._loading = False

    def _set_many(self, name: str, value: Any) -> None:
        """Give every selected card ``name`` = ``value``, as one undo step."""
        if self._loading or not self.card_ids or self.doc.read_only:
            return
        cards = self.doc.data.cards
        if name == "tags":
            value = [t.strip() for t in str(value).split(",") if t.strip()]
        elif name == "colour":
            value = (value or "").strip() or None
        elif isinstance(value, str):
            value = value.strip()
        todo = [i for i in self.card_ids if i in cards and getattr(cards[i], name) != value]
        if not todo:
            return
        label = self.tr("Set {0} of {1} cards").format(self.tr(name), len(todo))
        with self.doc.macro(label):
            for cid in todo:
                fields: dict[str, Any] = {name: value}
                if name == "kind" and value == CardKind.EMOTION.value \
                        and cards[cid].emotion is None:
                    fields["emotion"] = 0
                if self._run(C.UpdateCard(cid, fields)) is None:
                    break
        self.show_cards(self.card_ids)

    def show_card(self, card_id: int | None) -> None:
        """Fill the fields from a card (or clear and disable them)."""
        card = self.doc.data.cards.get(card_id) if card_id is not None else None
        self.card_id = card.id if card else None
        self.card_ids = []
        for line, text in self._placeholders.items():
            line.setPlaceholderText(text)
        for w in self._fields():
            w.setEnabled(card is not None and not self.doc.read_only)
        self.heading.setText(self._where(card) if card else self.tr("No card selected"))
        self._fill(card)

    def _where(self, card: Card) -> str:
        """'Pain point in Check-in › Pain points': what the user calls the card (its
        internal id means nothing to them)."""
        from app.layout.style import KIND_LABEL

        data = self.doc.data
        stage, lane = data.stages.get(card.stage_id), data.lanes.get(card.lane_id)
        kind = self.tr(KIND_LABEL.get(card.kind.value, card.kind.value))
        if stage is None or lane is None:
            return kind
        return self.tr("{0} in {1} › {2}").format(kind, stage.name, lane.name)

    def _fields(self) -> list[QWidget]:
        return [self.title, self.body, self.kind, self.channel, self.device, self.owner,
                self.author, self.emotion, self.colour, self.pick, self.tags, self.metrics,
                self.source, self.votes]

    def _fill(self, card: Card | None) -> None:
        self._loading = True
        try:
            _set_text(self.title, card.title if card else "")
            if self.body.toPlainText() != (card.body if card else ""):
                self.body.setPlainText(card.body if card else "")
            self.kind.setCurrentIndex(max(0, self.kind.findData(card.kind.value if card
                                                                else "note")))
            _set_combo_text(self.channel, card.channel if card else "")
            _set_combo_text(self.device, card.device if card else "")
            _set_text(self.owner, card.owner if card else "")
            _set_text(self.author, card.author if card else "")
            self.emotion.setCurrentIndex(max(0, self.emotion.findData(card.emotion)
                                             if card and card.emotion is not None else 0))
            _set_text(self.colour, card.colour or "" if card else "")
            _set_text(self.tags, ", ".join(card.tags) if card else "")
            _set_text(self.metrics, format_metrics(card.metrics) if card else "")
            src = card.source.value if card and card.source else None
            self.source.setCurrentIndex(max(0, self.source.findData(src)) if src else 0)
            self.votes.setValue(card.votes if card else 0)
        finally:
            self._loading = False

    def _reload_if(self, change) -> None:
        if self.card_ids:
            if set(self.card_ids) & change.ids("cards"):
                self.show_cards(self.card_ids)
            return
        if self.card_id is None:
            return
        if self.card_id not in self.doc.data.cards:
            self.show_card(None)
        else:
            card = self.doc.data.cards[self.card_id]
            if self.card_id in change.ids("cards"):
                self._fill(card)
            # where the card is: it moved, or its stage or lane was renamed
            self.heading.setText(self._where(card))

    # ---------------------------------------------------------------- editing
    def _typed(self, name: str, value: Any) -> None:
        if self._loading or self.card_id is None:
            return
        if name == "title" and not str(value).strip():
            return  # a title cannot be empty; wait for the next keystroke
        self._run(C.UpdateCard(self.card_id, {name: value},
                               merge_key=f"card:{self.card_id}:{name}"))

    def _set(self, name: str, value: Any) -> None:
        if self.card_ids:
            self._set_many(name, value)
            return
        if self._loading or self.card_id is None:
            return
        card = self.doc.data.cards.get(self.card_id)
        if card is not None and getattr(card, name) != value:
            # arrow keys through a list set the field once per press: consecutive changes
            # of one field of one card are one undo step, as typing is
            self._run(C.UpdateCard(self.card_id, {name: value},
                                   merge_key=f"card:{self.card_id}:{name}"))

    def _tags_done(self) -> None:
        if self.card_ids:
            self._set_many("tags", self.tags.text())
            return
        tags = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        self._set("tags", tags)

    def _metrics_done(self) -> None:
        if self._loading or self.card_id is None:
            return
        try:
            metrics = parse_metrics(self.metrics.text())
        except ValueError as err:
            self.report(self.tr("Metrics: {0}").format(err))
            return
        self._set("metrics", metrics)

    def _pick_colour(self) -> None:
        if self.card_id is None and not self.card_ids:
            return
        current = QColor(self.colour.text() or "#ffffff")
        chosen = QColorDialog.getColor(current, self, self.tr("Card colour"))
        if chosen.isValid():
            self._set("colour", chosen.name())

    def _run(self, cmd: Command) -> Any:
        if self.runner is not None:
            done = self.runner(cmd)
        else:
            done = execute(self.doc, cmd, self.report)
        if done is None and not self.card_ids:  # refused: the card as the document has it
            self._fill(self.doc.data.cards.get(self.card_id) if self.card_id else None)
        return done


def _editable_combo(values: tuple[str, ...]) -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.addItem("")
    box.addItems(list(values))
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return box


def _set_text(w: QLineEdit, text: str) -> None:
    if w.text() != text:
        w.setText(text)
        if not w.hasFocus():  # a long title shows its start, not its last words
            w.setCursorPosition(0)


def _set_combo_text(w: QComboBox, text: str) -> None:
    if w.currentText() != text:
        w.setCurrentText(text)


_ = Qt
