"""The Report dock: the same findings as ``waymark report`` for the shown map.

The tree is rebuilt from :func:`app.analysis.report.build_report` a moment after
the canvas caught up with a change (debounced, so typing does not re-run the
analysis per key). Clicking a finding that names a card (a pain point, an
opportunity, either end of a gap) emits :attr:`ReportPanel.card_chosen`; the
window selects the card and centres the canvas on it. Under the tree, persona
comparison: pick another map and both emotion curves are drawn overlaid.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QSizePolicy,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.analysis.emotion import compare_maps
from app.analysis.report import build_report
from app.layout.overlays import placed_only
from app.model.document import Document
from app.ui.canvas.scene import MapScene
from app.ui.support.tips import literal_tip
from app.wording import counted

CARD_ROLE = Qt.ItemDataRole.UserRole
DEBOUNCE_MS = 300
#: Okabe-Ito blue (this map) and vermillion (the other), dashed for the other.
THIS_COLOUR, OTHER_COLOUR = "#0072b2", "#d55e00"


def _emo(value: float | None) -> str:
    if value is None:
        return "n/a"
    return "0" if value == 0 else f"{value:+.2f}".rstrip("0").rstrip(".").replace("-", "\u2212")


class EmotionChart(QWidget):
    """Two emotion curves (-2..+2) over the stages, this map solid, the other dashed."""

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumHeight(70)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.stages: list[str] = []
        self.a: list[float | None] = []
        self.b: list[float | None] = []
        self.names = ("", "")

    def set_curves(self, stages: list[str], a: list[float | None], b: list[float | None],
                   names: tuple[str, str]) -> None:
        """Show ``a`` and ``b`` (one value or None per stage)."""
        self.stages, self.a, self.b, self.names = stages, a, b, names
        self.update()

    def points(self, values: list[float | None], area: QRectF) -> list[QPointF]:
        """The drawn points of one curve (stages without a score are skipped)."""
        n = max(1, len(self.stages))
        out = []
        for i, v in enumerate(values):
            if v is not None:
                x = area.left() + area.width() * (i + 0.5) / n
                out.append(QPointF(x, area.top() + (2 - v) / 4 * area.height()))
        return out

    def plot_area(self) -> QRectF:
        """Where -2..+2 is drawn (inside the labels)."""
        fm = self.fontMetrics()
        return QRectF(fm.horizontalAdvance("\u22122") + 8, fm.height() * 1.4,
                      self.width() - fm.horizontalAdvance("\u22122") - 14,
                      self.height() - fm.height() * 3.2)

    def paintEvent(self, event: Any) -> None:
        # chrome, not print: the palette's colours, so the chart follows the dark theme
        pal = self.palette()
        text_colour = pal.color(QPalette.ColorRole.Text)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        if not self.stages:
            p.setPen(text_colour)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Pick a map to compare"))
            return
        area = self.plot_area()
        fm = self.fontMetrics()
        p.setPen(text_colour)
        for v, text in ((2, "+2"), (0, "0"), (-2, "\u22122")):
            y = area.top() + (2 - v) / 4 * area.height()
            p.drawText(QPointF(2, y + fm.ascent() / 2 - 1), text)
            pen = QPen(pal.color(QPalette.ColorRole.PlaceholderText))
            pen.setStyle(Qt.PenStyle.DashLine if v == 0 else Qt.PenStyle.DotLine)
            p.setPen(pen)
            p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            p.setPen(text_colour)
        n = len(self.stages)
        for i, name in enumerate(self.stages):
            x = area.left() + area.width() * (i + 0.5) / n
            text = fm.elidedText(name, Qt.TextElideMode.ElideRight, int(area.width() / n) - 2)
            p.drawText(QPointF(x - fm.horizontalAdvance(text) / 2, self.height() - 4), text)
        for values, colour, dashed in ((self.a, THIS_COLOUR, False),
                                       (self.b, OTHER_COLOUR, True)):
            pts = self.points(values, area)
            pen = QPen(QColor(colour))
            pen.setWidthF(2.0)
            if dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            if len(pts) > 1:
                path = QPainterPath(pts[0])
                for pt in pts[1:]:
                    path.lineTo(pt)
                p.drawPath(path)
            p.setBrush(QColor(colour))
            for pt in pts:
                if dashed:  # squares for the other map: shape as well as colour
                    p.drawRect(QRectF(pt.x() - 3.5, pt.y() - 3.5, 7, 7))
                else:
                    p.drawEllipse(pt, 3.5, 3.5)
            p.setBrush(Qt.BrushStyle.NoBrush)
        x = area.left()
        for (name, colour) in ((self.names[0], THIS_COLOUR), (self.names[1], OTHER_COLOUR)):
            # the key's mark in the curve's colour, the name in the text colour (the blue
            # is too dark to read as text on the dark theme's base)
            mark = "\u25cf " if colour == THIS_COLOUR else "\u25a0 "
            p.setPen(QColor(colour))
            p.drawText(QPointF(x, fm.ascent() + 2), mark)
            p.setPen(text_colour)
            text = fm.elidedText(name, Qt.TextElideMode.ElideRight, int(area.width() / 2) - 24)
            p.drawText(QPointF(x + fm.horizontalAdvance(mark), fm.ascent() + 2), text)
            x += area.width() / 2


class ReportPanel(QWidget):
    """The report of the shown map as a tree of findings, and the persona comparison."""

    #: A finding naming a card was clicked.
    card_chosen = Signal(int)

    def __init__(self, doc: Document, scene: MapScene) -> None:
        super().__init__()
        self.doc, self.scene = doc, scene
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        self.compare = QComboBox()
        self.compare.setObjectName("compare-combo")
        self.compare.activated.connect(lambda _i: self._refresh_chart())
        self.chart = EmotionChart()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.summary)
        # Tree and comparison share a splitter, so the dock stays small on a 768-pixel screen.
        self.tree.setMinimumHeight(60)
        lower = QWidget()
        low = QVBoxLayout(lower)
        low.setContentsMargins(0, 0, 0, 0)
        low.addWidget(QLabel(self.tr("Compare emotion with:")))
        low.addWidget(self.compare)
        low.addWidget(self.chart, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.tree)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay.addWidget(split, 1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.refresh)
        scene.refreshed.connect(self.timer.start)
        self.report: dict[str, Any] | None = None
        self.refresh()

    # ---------------------------------------------------------------- building
    def refresh(self) -> None:
        """Run the analysis for the shown map and rebuild the tree."""
        self.timer.stop()
        map_id = self.scene.map_id
        data = self.doc.data
        self.tree.clear()
        if map_id is None or map_id not in data.maps:
            self.report = None
            self.summary.setText("No map")
            self._fill_compare()
            return
        data = placed_only(data, map_id)
        r = self.report = build_report(data, map_id)
        m = r["map"]
        self.summary.setText(f"{m['title']}: {counted(m['stages'], 'stage')}, "
                             f"{counted(m['cards'], 'card')}"
                             + (f", persona {m['persona']}" if m["persona"] else ""))
        self._build_tree(r)
        self._fill_compare()

    def _section(self, title: str, expanded: bool = True) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title])
        f = item.font(0)
        f.setBold(True)
        item.setFont(0, f)
        item.setExpanded(expanded)
        return item

    @staticmethod
    def _row(parent: QTreeWidgetItem, text: str, card_id: int | None = None,
             tip: str = "") -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [text])
        if card_id is not None:
            text = f"{text}\n{tip or 'Click to show this card on the map'}"
        item.setToolTip(0, literal_tip(text))  # the whole finding when the dock is narrow
        if card_id is not None:
            item.setData(0, CARD_ROLE, card_id)
        return item

    def _build_tree(self, r: dict[str, Any]) -> None:
        mot = r["moments_of_truth"]
        sec = self._section("Moments of truth")
        if mot["lowest"]:
            self._row(sec, "Lowest: " + ", ".join(f"{s['stage']} ({_emo(s['average'])})"
                                                  for s in mot["lowest"]))
            if mot["highest"]:
                self._row(sec, "Highest: " + ", ".join(f"{s['stage']} ({_emo(s['average'])})"
                                                       for s in mot["highest"]))
        else:
            self._row(sec, "No emotion scores on this map")
        counts = r["gap_counts"]
        sec = self._section(f"Gaps: {counts['channel']} channel, {counts['device']} device, "
                            f"{counts['owner']} owner", expanded=False)
        for g in r["gaps"]:
            self._row(sec, f"{g['kind']} {g['from_value']} \u2192 {g['to_value']}: "
                      f"{g['from_title']} ({g['from_stage']}) \u2192 {g['to_title']} "
                      f"({g['to_stage']}); emotion {_emo(g['emotion_before'])} \u2192 "
                      f"{_emo(g['emotion_after'])}", g["to_card"])
        for key, title in (("pain_points", "Pain points, ranked"),
                           ("opportunities", "Opportunities, ranked")):
            items = r[key]
            sec = self._section(f"{title}: {len(items)}")
            for i, c in enumerate(items, start=1):
                metric = f", {c['metric']:g}" if c["metric"] is not None else ""
                votes = counted(c["votes"], "vote")
                self._row(sec, f"{i}. {c['title']} ({c['stage']}; {votes}, emotion "
                          f"{_emo(c['emotion'])}{metric})", c["card_id"])
        miss = r["missing"]
        sec = self._section("Missing", expanded=False)
        self._row(sec, "No touchpoint: " + (", ".join(miss["no_touchpoint"]) or "none"))
        self._row(sec, "No goal: " + (", ".join(miss["no_goal"]) or "none"))
        sec = self._section("Evidence per stage", expanded=False)
        for e in r["evidence"]:
            share = "empty" if e["share"] is None else f"{e['share']:.0%}"
            self._row(sec, f"{e['stage']}: {e['backed']}/{e['cards']} backed ({share}), "
                      f"{e['assumptions']} assumptions")
        if r["funnel"]:
            f = r["funnel"]
            sec = self._section(f"Funnel by {f['metric']}", expanded=False)
            for s in f["steps"]:
                value = "n/a" if s["value"] is None else f"{s['value']:g}"
                change = "" if s["change"] is None else f" ({s['change']:+.0%})"
                flag = "  \u2190 loss at a low" if s["coincides"] else ""
                self._row(sec, f"{s['stage']}: {value}{change}{flag}")
        sec = self._section("Review")
        self._row(sec, r["review"]["text"])
        if r["warnings"]:
            sec = self._section(f"Warnings: {len(r['warnings'])}")
            for w in r["warnings"]:
                self._row(sec, w)

    # ---------------------------------------------------------------- comparison
    def _fill_compare(self) -> None:
        data = self.doc.data
        keep = self.compare.currentData()
        self.compare.blockSignals(True)
        self.compare.clear()
        self.compare.addItem("(none)", None)
        for m in data.ordered_maps():
            if m.id != self.scene.map_id:
                self.compare.addItem(m.title, m.id)
        index = self.compare.findData(keep) if keep is not None else 0
        self.compare.setCurrentIndex(max(0, index))
        self.compare.blockSignals(False)
        self._refresh_chart()

    def _refresh_chart(self) -> None:
        other = self.compare.currentData()
        data = self.doc.data
        me = self.scene.map_id
        if other is None or me is None or other not in data.maps or me not in data.maps:
            self.chart.set_curves([], [], [], ("", ""))
            return
        data = placed_only(placed_only(data, me), other)
        rows = compare_maps(data, me, other)
        self.chart.set_curves([r.stage for r in rows], [r.a for r in rows],
                              [r.b for r in rows], (data.maps[me].title, data.maps[other].title))

    # ---------------------------------------------------------------- clicks
    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        card_id = item.data(0, CARD_ROLE)
        if card_id is not None:
            self.card_chosen.emit(int(card_id))
