"""Edit > Preferences…: theme, viewing distance, history limit, paper, recent files, reopen,
and the poster font of the window's document (:mod:`app.ui.dialogs.poster_font`).

OK writes the settings and hands them to ``on_applied``, which applies them at once
(:func:`app.ui.shell.desktop.apply_preferences`: the theme to the whole application,
the history limit to every open (writable) document; the recent list's length shows
in the menu). Cancel changes nothing; Restore Defaults fills the fields with the
defaults (still to be confirmed with OK).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QSpinBox,
    QWidget,
)

from app.errors import WaymarkError
from app.model.history import DEFAULT_LIMIT, MAX_LIMIT
from app.ui.support.settings import (
    DEFAULT_RECENT,
    DISTANCE_RANGE,
    MAX_RECENT,
    PAPER_NAMES,
    Settings,
)


class PreferencesDialog(QDialog):
    """The preferences users change; ``on_applied`` runs after OK stored them."""

    def __init__(self, parent: QWidget | None = None, settings: Settings | None = None,
                 on_applied: Callable[[Settings], None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        self.settings = settings or Settings()
        self.on_applied = on_applied
        form = QFormLayout(self)
        self.theme = QComboBox()
        for label, value in ((self.tr("Follow the system"), "system"), (self.tr("Light"), "light"),
                             (self.tr("Dark"), "dark")):
            self.theme.addItem(label, value)
        self.distance = QDoubleSpinBox()
        self.distance.setDecimals(1)
        self.distance.setSingleStep(0.1)
        self.distance.setRange(0.0, DISTANCE_RANGE[1])
        self.distance.setSuffix(" m")
        # 0 stands for "no preference": each paper's own default (A1: 1.0 m)
        self.distance.setSpecialValueText(self.tr("By paper size"))
        #: Per role reading distance (0: the rule's default, a multiple of D).
        self.role_distance: dict[str, QDoubleSpinBox] = {}
        for role, default in (("title", "3 x D"), ("stage", "2 x D"), ("label", "D"),
                              ("body", "D / 2"), ("footer", "in the hand")):
            box = QDoubleSpinBox()
            box.setDecimals(1)
            box.setSingleStep(0.1)
            box.setRange(0.0, DISTANCE_RANGE[1])
            box.setSuffix(" m")
            box.setSpecialValueText(self.tr("Default") + f" ({default})")
            self.role_distance[role] = box
        self.paper = QComboBox()
        for name in PAPER_NAMES:
            self.paper.addItem(name, name)
        self.history = QSpinBox()
        self.history.setRange(1, MAX_LIMIT)
        self.history.setSuffix(self.tr(" steps"))
        self.recent = QSpinBox()
        self.recent.setRange(0, MAX_RECENT)
        self.reopen = QCheckBox(self.tr("Reopen the last document at start"))
        from app.ui.dialogs.poster_font import PosterFontRow

        # the poster font belongs to the document of the window the dialog is for
        self.poster_font = PosterFontRow(getattr(parent, "doc", None))
        from app.ui.dialogs.brand import BrandRows, document_brand

        doc = getattr(parent, "doc", None)
        self.brand = BrandRows(*document_brand(doc), self)
        self.brand.set_enabled(doc is not None and not doc.read_only)
        rows = ((self.tr("&Theme"), self.theme),
                (self.tr("Default viewing &distance"), self.distance),
                (self.tr("Map title read from"), self.role_distance["title"]),
                (self.tr("Stage headers read from"), self.role_distance["stage"]),
                (self.tr("Card titles read from"), self.role_distance["label"]),
                (self.tr("Card bodies read from"), self.role_distance["body"]),
                (self.tr("Footer read from"), self.role_distance["footer"]),
                (self.tr("Default &paper"), self.paper),
                (self.tr("&Undo history limit"), self.history),
                (self.tr("&Recent files listed"), self.recent),
                (self.tr("Poster &font (this document)"), self.poster_font),
                (self.tr("Poster &logo (this document)"), self.brand.logo_row),
                (self.tr("&Brand colour (this document)"), self.brand.colour_row))
        for label, widget in rows:
            form.addRow(label, widget)
            widget.setAccessibleName(label.replace("&", ""))
        form.addRow(self.reopen)
        self.reopen.setAccessibleName(self.reopen.text())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.RestoreDefaults)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(
            self.restore_defaults)
        form.addRow(self.buttons)
        self.load(self.settings.theme, self.settings.viewing_distance,
                  self.settings.default_paper, self.settings.history_limit,
                  self.settings.recent_limit, self.settings.reopen_last,
                  self.settings.role_distances)

    def load(self, theme: str, distance: float | None, paper: str, history: int,
             recent: int, reopen: bool, roles: dict[str, float] | None = None) -> None:
        """Fill the fields."""
        for role, box in self.role_distance.items():
            box.setValue((roles or {}).get(role, 0.0))
        self.theme.setCurrentIndex(max(0, self.theme.findData(theme)))
        self.distance.setValue(distance or 0.0)
        if self.paper.findData(paper) < 0:  # a custom size chosen elsewhere
            self.paper.addItem(paper, paper)
        self.paper.setCurrentIndex(self.paper.findData(paper))
        self.history.setValue(history)
        self.recent.setValue(recent)
        self.reopen.setChecked(reopen)

    def restore_defaults(self) -> None:
        """Put the defaults in the fields (OK stores them)."""
        self.load("system", None, "A1", DEFAULT_LIMIT, DEFAULT_RECENT, False)

    def accept(self) -> None:
        """Store the fields, apply them, close."""
        s = self.settings
        s.theme = str(self.theme.currentData())
        value = round(self.distance.value(), 1)
        s.viewing_distance = value if value >= DISTANCE_RANGE[0] else None
        s.default_paper = str(self.paper.currentData())
        s.history_limit = self.history.value()
        s.recent_limit = self.recent.value()
        s.reopen_last = self.reopen.isChecked()
        s.role_distances = {r: round(b.value(), 1) for r, b in self.role_distance.items()
                            if round(b.value(), 1) >= DISTANCE_RANGE[0]}
        s.sync()
        self.poster_font.store()
        doc = getattr(self.parent(), "doc", None)
        scene = getattr(self.parent(), "scene", None)
        if self.brand.changed and doc is not None and not doc.read_only:
            from app.ui.dialogs.brand import apply_document_brand, store_brand

            with contextlib.suppress(WaymarkError):
                store_brand(doc, self.brand.logo, self.brand.colour)
                if scene is not None:
                    apply_document_brand(scene, doc)
        if scene is not None and (self.poster_font._changed or self.brand.changed):
            scene.refresh()
        if self.on_applied is not None:
            self.on_applied(s)
        super().accept()
