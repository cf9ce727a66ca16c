"""The palette: stages, lanes and card kinds to drag onto the canvas."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QMimeData, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from app.layout.boxes import Glyph
from app.layout.style import KIND_LABEL, KIND_STYLE, LANE_MARKER
from app.model.schema import CardKind, LaneKind
from app.ui.canvas.items.painting import draw_glyph
from app.ui.canvas.view import PALETTE_MIME

translate = QCoreApplication.translate

ROLE = Qt.ItemDataRole.UserRole


def kind_icon(kind: str, size: int = 20) -> QIcon:
    """An icon with a card kind's marker shape and colour."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour, shape = KIND_STYLE.get(kind, ("#999999", "bar"))
    draw_glyph(p, Glyph(shape, size / 2, size / 2, size * 0.8, colour, None))  # type: ignore[arg-type]
    p.end()
    return QIcon(pix)


def entries() -> list[tuple[str, str, str | None]]:
    """(label, palette code, marker kind) of every palette entry."""
    out: list[tuple[str, str, str | None]] = [
        (translate("Palette", "Stage (column)"), "stage", None)]
    for lk in LaneKind:
        label = translate("Palette", "Lane: {0}").format(lk.value.replace("_", " "))
        out.append((label, f"lane:{lk.value}", LANE_MARKER.get(lk.value)))
    for ck in CardKind:
        label = translate("Palette", "Card: {0}").format(KIND_LABEL[ck.value])
        out.append((label, f"card:{ck.value}", ck.value))
    return out


class PaletteWidget(QListWidget):
    """Drag an entry onto the canvas: a card into a cell, a stage or lane between others."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Palette"))
        self.setAccessibleDescription(
            self.tr("Stages, lanes and card kinds; drag one onto the map"))
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setIconSize(QSize(18, 18))
        for label, code, kind in entries():
            item = QListWidgetItem(label)
            item.setData(ROLE, code)
            if kind:
                item.setIcon(kind_icon(kind))
            else:
                item.setIcon(_stage_icon())
            item.setToolTip(self.tr("Drag onto the map"))
            self.addItem(item)

    def code_of(self, label_start: str) -> str:
        """The palette code of the first entry whose label starts with ``label_start``."""
        for i in range(self.count()):
            if self.item(i).text().startswith(label_start):
                return str(self.item(i).data(ROLE))
        raise KeyError(label_start)

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:
        """The drag payload: the palette code."""
        mime = QMimeData()
        if items:
            code = str(items[0].data(ROLE))
            mime.setData(PALETTE_MIME, code.encode())
            mime.setText(items[0].text())
        return mime

    def mimeTypes(self) -> list[str]:
        """What this widget drags."""
        return [PALETTE_MIME]


def palette_mime(code: str) -> QMimeData:
    """Drag payload for a palette code (what a drag from the palette carries)."""
    mime = QMimeData()
    mime.setData(PALETTE_MIME, code.encode())
    return mime


def _stage_icon() -> QIcon:
    pix = QPixmap(20, 20)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setBrush(QColor("#2b3a4a"))
    p.setPen(QColor("#8a97a6"))  # an outline that shows on light and dark themes
    p.drawRoundedRect(3, 2, 14, 16, 2, 2)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#ffffff"))
    p.drawRect(5, 5, 10, 2)
    p.end()
    _ = QPointF
    return QIcon(pix)
