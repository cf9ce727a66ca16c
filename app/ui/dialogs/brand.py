"""A document's brand on its posters: the logo in the title block and the brand colour.

Both are kept in the document (settings ``poster_logo``, the SHA-256 of an image in the
document's ``blobs``, and ``poster_brand_colour``; see :mod:`app.layout.logo`), so a
poster prints the same on every machine. :class:`BrandRows` is the pair of rows the export
dialog and Preferences show; the canvas draws the logo too (:func:`apply_document_brand`).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from app.errors import WaymarkError
from app.layout.logo import BRAND_SETTING, SETTING, Logo, LogoRefused, logo_from_blob

_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def document_brand(doc: Any) -> tuple[Logo | None, str | None]:
    """The logo and brand colour a document keeps (None for what it has not, or what is
    no longer usable)."""
    if doc is None:
        return None, None
    digest = doc.setting(SETTING)
    logo = None
    if digest:
        try:
            blob = doc.blob(digest)
        except WaymarkError:
            blob = None
        logo = logo_from_blob(blob.data if blob is not None else None)
    colour = doc.setting(BRAND_SETTING)
    return logo, colour.lower() if colour and _HEX.fullmatch(colour) else None


def store_brand(doc: Any, logo: Logo | None, colour: str | None) -> None:
    """Keep ``logo`` and ``colour`` in the document (None removes them)."""
    digest = doc.add_blob(logo.data, logo.mime) if logo is not None else None
    # one undoable step (the settings are rows of the content since file format 5)
    doc.set_settings({SETTING: digest, BRAND_SETTING: colour}, "Change logo and brand colour")


def apply_document_brand(scene: Any, doc: Any) -> None:
    """Show the document's logo in the canvas's title block (as the poster prints it)."""
    logo, _colour = document_brand(doc)
    if scene.style.logo != logo:
        scene.style = dataclasses.replace(scene.style, logo=logo)


class BrandRows:
    """Two form rows: "Logo" (file name, Choose…, None) and "Brand colour" (swatch,
    Choose…, None). ``changed`` is True once the user changed either."""

    def __init__(self, logo: Logo | None, colour: str | None, parent: QWidget | None = None,
                 on_change: Any = None) -> None:
        self.logo, self.colour = logo, colour
        self.changed = False
        self.error = ""
        self._on_change = on_change
        self.logo_row = QWidget(parent)
        self.logo_row.setObjectName("brand-logo")
        row = QHBoxLayout(self.logo_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.logo_label = QLabel()
        self.logo_label.setWordWrap(True)
        self.logo_label.setMaximumWidth(150)
        self.choose_logo = QPushButton("Choose…")
        self.choose_logo.setToolTip("A PNG or JPEG logo (a transparent PNG prints best)")
        self.no_logo = QPushButton("None")
        for w in (self.logo_label, self.choose_logo, self.no_logo):
            row.addWidget(w, 1 if w is self.logo_label else 0)
        self.choose_logo.clicked.connect(self._browse_logo)
        self.no_logo.clicked.connect(lambda: self.set_logo(None))
        self.colour_row = QWidget(parent)
        self.colour_row.setObjectName("brand-colour")
        row = QHBoxLayout(self.colour_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.swatch = QLabel()
        self.swatch.setFixedSize(28, 18)
        self.colour_label = QLabel()
        self.colour_label.setMaximumWidth(150)
        self.choose_colour = QPushButton("Choose…")
        self.no_colour = QPushButton("None")
        for w in (self.swatch, self.colour_label, self.choose_colour, self.no_colour):
            row.addWidget(w, 1 if w is self.colour_label else 0)
        self.choose_colour.clicked.connect(self._pick_colour)
        self.no_colour.clicked.connect(lambda: self.set_colour(None))
        for button in (self.choose_logo, self.no_logo, self.choose_colour, self.no_colour):
            button.setAutoDefault(False)  # Enter in the dialog is its OK, not a chooser
        self.logo_row.setAccessibleName("Logo")
        self.colour_row.setAccessibleName("Brand colour")
        self._show()

    def set_enabled(self, on: bool) -> None:
        """Grey the rows out (a read-only document, a data format)."""
        for w in (self.choose_logo, self.no_logo, self.choose_colour, self.no_colour):
            w.setEnabled(on)

    def _show(self) -> None:
        if self.error:
            self.logo_label.setText(self.error)
        elif self.logo is None:
            self.logo_label.setText("None")
        else:
            self.logo_label.setText(f"{self.logo.px_w} x {self.logo.px_h} px "
                                    f"({self.logo.mime.split('/')[1].upper()})")
        colour = self.colour
        self.colour_label.setText(colour or "None")
        self.colour_label.setToolTip("" if colour else "Stage headers and phase bands keep "
                                     "the map's own colours")
        self.swatch.setStyleSheet(f"background: {colour}; border: 1px solid #777;" if colour
                                  else "border: 1px dashed #999;")

    def _browse_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.logo_row, "Logo", str(Path.home()),
                                              "Images (*.png *.jpg *.jpeg)")
        if path:
            self.choose_logo_file(path)

    def choose_logo_file(self, path: str | Path) -> bool:
        """Take a logo file; a file that cannot be one is refused with its reason shown."""
        try:
            logo = Logo.from_file(path)
        except LogoRefused as err:
            self.error = err.message
            self._show()
            return False
        self.error = ""
        self.set_logo(logo)
        return True

    def set_logo(self, logo: Logo | None) -> None:
        """Use ``logo`` (None: no logo)."""
        self.logo, self.changed = logo, True
        if logo is None:
            self.error = ""
        self._show()
        if self._on_change is not None:
            self._on_change()

    def _pick_colour(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.colour or "#0058a3"), self.colour_row,
                                       "Brand colour")
        if chosen.isValid():
            self.set_colour(chosen.name())

    def set_colour(self, colour: str | None) -> None:
        """Use ``colour`` ('#rrggbb'; None: the map's own colours)."""
        if colour is not None and not _HEX.fullmatch(colour):
            raise ValueError(f"not a colour: {colour!r}")
        self.colour, self.changed = (colour.lower() if colour else None), True
        self._show()
        if self._on_change is not None:
            self._on_change()
