"""File > New: choose the template of the new map, with a preview of what it starts with.

The preview is the template laid out and painted exactly as a poster is (the same layout
and painter), scaled into the dialog; each template lists its stages, lanes and cards.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import WaymarkError
from app.model.schema import DocumentData
from app.model.templates import load_template
from app.wording import counted

#: The templates offered, in order, with what each is for.
TEMPLATES = (
    ("b2c", "B2C customer journey",
     "Awareness to advocacy for a consumer: touchpoints, actions, thoughts, emotions, "
     "pain points, opportunities and backstage."),
    ("b2b", "B2B customer journey",
     "Inquiry to support for a business buyer, with goals and channels lanes."),
    ("blank", "Blank map", "Three stages and five lanes to rename as you go."),
    ("sample", "Sample: buying an e-bike",
     "A finished map to explore: cards, emotions, votes, links and metrics."),
)
PREVIEW = QSize(560, 330)
_KEY = Qt.ItemDataRole.UserRole


def preview_image(data: DocumentData, size: QSize = PREVIEW) -> QImage:
    """The template's first map painted as the canvas and posters paint it, fitted into
    ``size``."""
    from app.layout import layout_map
    from app.render.qtpaint import ensure_gui, paint_layout

    ensure_gui()
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFFFF)
    maps = data.ordered_maps()
    if not maps:
        return image
    lay = layout_map(data, maps[0].id)
    scale = min(size.width() / lay.width, size.height() / lay.height)
    # the picture's resolution is what the fonts size by: one layout point is ``scale``
    # pixels, so the image is 72 * scale dpi (at Qt's default 96 dpi, the text came out
    # 96 / (72 * scale) times too large and overflowed every header and card)
    dpm = round(72.0 * scale / 0.0254)
    image.setDotsPerMeterX(dpm)
    image.setDotsPerMeterY(dpm)
    p = QPainter(image)
    try:
        p.translate((size.width() - lay.width * scale) / 2,
                    (size.height() - lay.height * scale) / 2)
        p.scale(scale, scale)
        paint_layout(p, lay, 72.0 * scale)
    finally:
        p.end()
    return image


def summary(data: DocumentData) -> str:
    """'5 stages · 7 lanes · no cards' of the template's first map."""
    maps = data.ordered_maps()
    if not maps:
        return ""
    m = maps[0].id
    n_cards = len(data.cards_of(m))
    cards = "no cards" if not n_cards else counted(n_cards, "card")
    return (f"{counted(len(data.stages_of(m)), 'stage')}: "
            f"{', '.join(s.name for s in data.stages_of(m))}\n"
            f"{counted(len(data.lanes_of(m)), 'lane')}: "
            f"{', '.join(ln.name for ln in data.lanes_of(m))}"
            f"\n{cards}")


class NewMapDialog(QDialog):
    """A list of templates beside a preview of the chosen one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New journey map"))
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Templates"))
        self.preview = QLabel()
        self.preview.setMinimumSize(PREVIEW)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setAccessibleName(self.tr("Template preview"))
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.about.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._cache: dict[str, tuple[QPixmap, str]] = {}
        for key, title, blurb in TEMPLATES:
            item = QListWidgetItem(self.tr(title))
            item.setData(_KEY, key)
            item.setToolTip(self.tr(blurb))
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _it: self.accept())
        self.list.currentItemChanged.connect(lambda cur, _prev: self._show(cur))
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.about)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(right, 3)
        lay = QVBoxLayout(self)
        lay.addLayout(row, 1)
        lay.addWidget(buttons)
        self.list.setCurrentRow(0)
        self.list.setFocus()

    def template(self) -> str:
        """The key of the chosen template (b2c, b2b, blank, sample)."""
        item = self.list.currentItem()
        return item.data(_KEY) if item is not None else "b2c"

    def _show(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        key = item.data(_KEY)
        if key not in self._cache:
            try:
                data = load_template(key)
                pixmap = QPixmap.fromImage(preview_image(data))
                text = summary(data)
            except WaymarkError as err:
                pixmap, text = QPixmap(), err.message
            self._cache[key] = (pixmap, text)
        pixmap, text = self._cache[key]
        self.preview.setPixmap(pixmap)
        blurb = next(b for k, _t, b in TEMPLATES if k == key)
        self.about.setText(f"{self.tr(blurb)}\n\n{text}")


def choose_template(parent: QWidget | None = None) -> str | None:
    """Ask which template the new map starts from; None when cancelled."""
    dialog = NewMapDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.template()
