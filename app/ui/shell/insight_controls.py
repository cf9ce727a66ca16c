"""View controls for what the map tells you: heat map and funnel by a metric, evidence
coverage, de-emphasised assumptions; plus the Report dock and the Versions dialog.

All four view options only change the canvas scene's :class:`Style` (the
layout engine draws them, as every export does); the document is never
touched. :func:`install` adds them to a MainWindow with one call.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QComboBox, QLabel, QMenu

from app.analysis.findings import metric_names
from app.ui.dialogs.versions import VersionsDialog
from app.ui.panels.report import ReportPanel
from app.ui.shell.base import Shell

NONE = "(none)"


class InsightControls(QObject):
    """Heat map and funnel pickers (View menu and toolbar), evidence toggles, Report dock."""

    def __init__(self, win: Shell) -> None:
        super().__init__(win)
        self.win = win
        view_menu = win.menu("view")
        view_menu.addSeparator()
        self.heat_menu = QMenu(win.tr("&Heat Map"), win)
        self.heat_menu.aboutToShow.connect(lambda: self._fill(self.heat_menu, "heat_metric"))
        self.funnel_menu = QMenu(win.tr("F&unnel"), win)
        self.funnel_menu.aboutToShow.connect(
            lambda: self._fill(self.funnel_menu, "funnel_metric"))
        view_menu.addMenu(self.heat_menu)
        view_menu.addMenu(self.funnel_menu)
        self.act_evidence = QAction(win.tr("Show &Evidence Coverage"), win, checkable=True)
        self.act_evidence.toggled.connect(lambda on: self.set_option("show_evidence", on))
        self.act_dim = QAction(win.tr("De-emphasise &Assumptions"), win, checkable=True)
        self.act_dim.toggled.connect(lambda on: self.set_option("dim_assumptions", on))
        view_menu.addActions([self.act_evidence, self.act_dim])

        self.heat_combo = QComboBox()
        self.heat_combo.setObjectName("heat-combo")
        self.heat_combo.setToolTip(win.tr("Colour the cards by a metric (NPS, CSAT, drop-off...)"))
        self.heat_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.heat_combo.activated.connect(self._combo_chosen)
        win.toolbar.addSeparator()
        win.toolbar.addWidget(QLabel(" Heat map: "))
        win.toolbar.addWidget(self.heat_combo)

        self.report = ReportPanel(win.doc, win.scene)
        self.report.card_chosen.connect(self.show_card)
        self.report_dock = win.add_dock("Report", self.report,
                                        Qt.DockWidgetArea.RightDockWidgetArea, tab_with="History")
        view_menu.addAction(self.report_dock.toggleViewAction())

        self.act_versions = QAction(win.tr("&Versions…"), win)
        self.act_versions.triggered.connect(self.show_versions)
        win.menu("file").insertAction(win.action("version"), self.act_versions)
        win.scene.refreshed.connect(self._refill_combo)
        self._refill_combo()
        # after the window's own opening message; a child timer dies with the window
        self._overdue_timer = QTimer(self)
        self._overdue_timer.setSingleShot(True)
        self._overdue_timer.timeout.connect(self.note_overdue)
        self._overdue_timer.start(0)

    def note_overdue(self) -> None:
        """On opening: say which maps are overdue for review (and where to mark them)."""
        overdue = [n for n in self.win.doc.notes() if "overdue for review" in n]
        if overdue:
            self.win.report("; ".join(overdue) + " (File > Versions… to mark it reviewed)",
                            20000)

    def show_versions(self) -> VersionsDialog:
        """File > Versions…: the named versions and the map's review, modeless."""
        win = self.win
        dlg = VersionsDialog(win.doc, win.scene.map_id, win, win.report, run=win.run)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.show()
        win.keep("versions", dlg)  # keep a reference while it is open
        return dlg

    # ---------------------------------------------------------------- state
    def metrics(self) -> list[str]:
        """The metric names on the shown map's cards."""
        scene = self.win.scene
        if scene.map_id is None or scene.map_id not in scene.doc.data.maps:
            return []
        return metric_names(scene.doc.data, scene.map_id)

    def set_option(self, name: str, value: object) -> None:
        """Change one view option and lay the map out again (the document is untouched)."""
        scene = self.win.scene
        if getattr(scene.style, name) == value:
            return
        scene.style = replace(scene.style, **{name: value})
        scene.refresh()

    def set_heat(self, metric: str | None) -> None:
        """Colour the cards by ``metric`` (None: no heat map)."""
        self.set_option("heat_metric", metric or None)

    def set_funnel(self, metric: str | None) -> None:
        """Draw the funnel of ``metric`` under the map (None: none)."""
        self.set_option("funnel_metric", metric or None)

    def _fill(self, menu: QMenu, option: str) -> None:
        menu.clear()
        group = QActionGroup(menu)
        current = getattr(self.win.scene.style, option)
        for name in [NONE, *self.metrics()]:
            act = menu.addAction(name.replace("&", "&&"))  # '&' is not a mnemonic here
            act.setCheckable(True)
            act.setChecked(name == (current or NONE))
            group.addAction(act)
            value = None if name == NONE else name
            act.triggered.connect(lambda _=False, v=value, o=option: self.set_option(o, v))

    def _combo_chosen(self, index: int) -> None:
        self.set_heat(None if index <= 0 else self.heat_combo.itemText(index))

    def _refill_combo(self) -> None:
        names = self.metrics()
        current = self.win.scene.style.heat_metric
        if current and current.casefold() not in {n.casefold() for n in names}:
            self.win.scene.style = replace(self.win.scene.style, heat_metric=None)
            current = None  # the metric left this map; the next refresh drops the colours
        wanted = [NONE, *names]
        if [self.heat_combo.itemText(i) for i in range(self.heat_combo.count())] != wanted:
            self.heat_combo.blockSignals(True)
            self.heat_combo.clear()
            self.heat_combo.addItems(wanted)
            self.heat_combo.blockSignals(False)
        self.heat_combo.setCurrentIndex(wanted.index(current) if current in wanted else 0)

    def show_card(self, card_id: int) -> None:
        """Select a card and centre the canvas on it."""
        scene = self.win.scene
        card = scene.doc.data.cards.get(card_id)
        if card is None:
            return
        if card.map_id != scene.map_id:
            self.win.show_map(card.map_id)
        item = scene.cards.get(card_id)
        if item is None:  # in a collapsed lane
            self.win.report("That card is in a collapsed lane")
            return
        scene.select_cards([card_id])
        self.win.view.centerOn(item)


def install(win: Shell) -> InsightControls:
    """Add the insight controls, the Report dock and the Versions dialog to ``win``."""
    return InsightControls(win)
