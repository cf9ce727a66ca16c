"""The export dialog's print preview: the composed page as it will print, with the
preflight's marks on it (text of a role printed below its need, cards with a fault).

The page is drawn by the same Qt painter the PNG export uses
(:func:`app.render.qtpaint.paint_layout`) from the composition the exporter draws, so
what the preview shows is the sheet, margins and all. Drawn on the GUI thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from app.layout.compose import Composition
from app.layout.legibility import role_lines

#: Marks: red for text below its role's need, orange for a card with a fault.
TEXT_MARK = QColor(200, 0, 0)
CARD_MARK = QColor(230, 120, 0)
MAX_MARKS = 2000


class PrintPreview(QLabel):
    """A picture of the composed page, fitted to ``width`` pixels, with the marks."""

    def __init__(self, parent: QWidget | None = None, width: int = 420) -> None:
        super().__init__(parent)
        self.setObjectName("print-preview")
        self.setAccessibleName("Print preview")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(width, int(width * 0.72))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.target_width = width
        #: The font set pages are drawn in (the document's; None: the process default).
        self.fonts: Any = None
        self.image: QImage | None = None
        #: How many marks the last picture has (text lines, cards).
        self.marks: tuple[int, int] = (0, 0)
        self.setText("Print preview")

    def clear_page(self, message: str) -> None:
        """No page to show (a data format, or the preflight failed)."""
        self.image = None
        self.marks = (0, 0)
        self.setPixmap(QPixmap())
        self.setText(message)

    def show_page(self, comp: Composition, problems: list[Any]) -> None:
        """Draw ``comp``'s page and mark what the preflight found."""
        from app.export.preflight import role_report
        from app.layout.caches import LayoutCache
        from app.render.qtpaint import paint_layout

        lay = comp.layout
        scale = self.target_width / max(1.0, lay.width)
        img = QImage(max(1, round(lay.width * scale)), max(1, round(lay.height * scale)),
                     QImage.Format.Format_RGB32)
        dpm = round(72.0 * scale / 0.0254)  # the picture's resolution: fonts size by it
        img.setDotsPerMeterX(dpm)
        img.setDotsPerMeterY(dpm)
        img.fill(QColor("#ffffff"))
        p = QPainter(img)
        try:
            p.scale(scale, scale)
            # in the fonts the page was composed with (the dialog's document's)
            with LayoutCache("print preview", fonts=self.fonts).measuring():
                paint_layout(p, lay, 72.0 * scale)
                failing = {r["role"] for r in role_report(comp) if not r["ok"]}
            lines = role_lines(lay)
            pen = QPen(TEXT_MARK)
            pen.setCosmetic(True)
            pen.setWidthF(1.0)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            n_text = 0
            for role in failing:
                for t in lines[role]:
                    if n_text >= MAX_MARKS:
                        break
                    b = t.box()
                    p.drawRect(QRectF(b.x, b.y, b.w, b.h))
                    n_text += 1
            pen = QPen(CARD_MARK)
            pen.setCosmetic(True)
            pen.setWidthF(2.0)
            p.setPen(pen)
            bad_cards = {pr.card_id for pr in problems
                         if pr.card_id is not None and pr.fails}
            n_cards = 0
            for card_id in bad_cards:
                box = lay.cards.get(card_id)
                if box is not None:
                    r = box.rect
                    p.drawRect(QRectF(r.x, r.y, r.w, r.h))
                    n_cards += 1
            # the printable area: the page margin, dashed
            pen = QPen(QColor(120, 120, 120))
            pen.setCosmetic(True)
            pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            m = comp.margin
            p.drawRect(QRectF(m, m, lay.width - 2 * m, lay.height - 2 * m))
        finally:
            p.end()
        self.image = img
        self.marks = (n_text, n_cards)
        self.setPixmap(QPixmap.fromImage(img))
        tip = [f"{comp.paper.label()}, every text role at {comp.scale:.2f}x its need"]
        if n_text:
            tip.append("red: text printed below what its reading distance needs")
        if n_cards:
            tip.append("orange: a card the preflight reports")
        self.setToolTip("\n".join(tip))
