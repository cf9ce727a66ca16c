"""Heat map / funnel / evidence view options, the Report dock and the Versions dialog."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from app.layout.heat import DIVERGING, NO_DATA
from app.model import commands as C
from app.model.document import Document
from app.model.schema import CardKind, DataSource
from app.ui.dialogs.versions import VersionsDialog
from app.ui.panels.report import CARD_ROLE
from app.ui.shell.window import MainWindow
from tests.made import new_document
from tests.ui.conftest import shown_window


@pytest.fixture
def window(qtbot, doc: Document) -> MainWindow:
    return shown_window(qtbot, doc, (1500, 950))


def card_id(doc: Document, title: str) -> int:
    return next(c.id for c in doc.data.cards.values() if c.title == title)


def test_heat_combo_colours_cards_and_leaves_the_document_alone(qtbot, window, doc):
    before = doc.data
    combo = window.insights.heat_combo
    names = [combo.itemText(i) for i in range(combo.count())]
    assert names[0] == "(none)" and "CSAT" in names and "NPS" in names
    chat, phone = card_id(doc, "Live chat with sales"), card_id(doc, "Support phone line")
    plain_fill = window.scene.cards[chat].box.fill
    combo.setFocus()
    while combo.currentText() != "CSAT":  # the user steps through the list with the keyboard
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert window.scene.style.heat_metric == "CSAT"
    assert window.scene.cards[chat].box.fill == DIVERGING[-1]  # CSAT 4.1: the best
    assert window.scene.cards[phone].box.fill == DIVERGING[0]  # CSAT 2.6: the worst
    other = card_id(doc, "Order confirmation email")
    assert window.scene.cards[other].box.fill == NO_DATA
    assert window.scene.layout.heat is not None
    assert doc.data == before and not doc.can_undo  # a view option, not an edit
    # back to (none) from the View menu
    ins = window.insights
    ins._fill(ins.heat_menu, "heat_metric")
    none = next(a for a in ins.heat_menu.actions() if a.text() == "(none)")
    none.trigger()
    assert window.scene.cards[chat].box.fill == plain_fill
    assert window.scene.layout.heat is None and combo.currentText() == "(none)"


def test_funnel_and_evidence_toggles_relayout_the_canvas(qtbot, window, doc):
    ins = window.insights
    ins._fill(ins.funnel_menu, "funnel_metric")
    next(a for a in ins.funnel_menu.actions() if a.text() == "CSAT").trigger()
    band = window.scene.layout.funnel
    assert band is not None and band.metric == "CSAT"
    assert window.scene.backdrop.ops  # the band is drawn with the backdrop
    first_lane_y = window.scene.layout.lanes[0].row.y
    ins.act_evidence.trigger()
    assert len(window.scene.layout.evidence) == len(doc.data.stages_of(window.scene.map_id))
    assert window.scene.layout.lanes[0].row.y > first_lane_y
    ins.act_dim.trigger()
    guesses = [c.id for c in doc.data.cards.values() if c.source is DataSource.ASSUMPTION]
    assert guesses and all(window.scene.cards[i].box.border_dash for i in guesses)
    assert not doc.can_undo
    ins.act_dim.trigger()
    assert not any(window.scene.cards[i].box.border_dash for i in guesses)


def tree_items(panel):
    out = []
    for i in range(panel.tree.topLevelItemCount()):
        top = panel.tree.topLevelItem(i)
        out.append(top)
        out += [top.child(k) for k in range(top.childCount())]
    return out


def test_report_click_selects_and_centres_the_card(qtbot, window, doc):
    window.insights.report_dock.show()
    window.insights.report_dock.raise_()
    panel = window.insights.report
    panel.refresh()
    pains = [it for it in tree_items(panel) if it.data(0, CARD_ROLE) is not None
             and doc.data.cards[it.data(0, CARD_ROLE)].kind is CardKind.PAIN_POINT]
    assert pains
    target = pains[-1]
    cid = target.data(0, CARD_ROLE)
    window.view.resetTransform()  # at 100 %: a new window shows the whole map
    window.view.centerOn(0, 0)
    panel.tree.scrollToItem(target)
    rect = panel.tree.visualItemRect(target)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.scene.selected_card_ids() == [cid]
    item = window.scene.cards[cid]
    centre = window.view.mapToScene(window.view.viewport().rect().center())
    assert item.sceneBoundingRect().adjusted(-60, -60, 60, 60).contains(centre)
    # the properties panel follows the selection
    assert window.properties.title.text() == doc.data.cards[cid].title


def test_report_follows_document_changes_debounced(qtbot, window, doc):
    panel = window.insights.report
    panel.refresh()
    last = [it for it in tree_items(panel) if it.data(0, CARD_ROLE) is not None
            and doc.data.cards[it.data(0, CARD_ROLE)].kind is CardKind.PAIN_POINT][-1]
    cid = last.data(0, CARD_ROLE)
    doc.execute(C.UpdateCard(cid, {"votes": 99}))
    assert panel.timer.isActive()  # rebuilt a moment later, not per keystroke

    def first_pain_is_it():
        section = next(it for it in tree_items(panel) if it.text(0).startswith("Pain points"))
        assert section.child(0).data(0, CARD_ROLE) == cid
    qtbot.waitUntil(first_pain_is_it, timeout=3000)


def test_persona_comparison_draws_both_curves(qtbot, window, doc):
    first = window.scene.map_id
    doc.execute(C.DuplicateMap(first))
    other = next(m.id for m in doc.data.ordered_maps() if m.id != first)
    low = next(c for c in doc.data.cards_of(other) if c.kind is CardKind.EMOTION)
    doc.execute(C.UpdateCard(low.id, {"emotion": -2 if (low.emotion or 0) > -2 else 2}))
    panel = window.insights.report
    panel.refresh()
    combo = panel.compare
    assert combo.findData(other) > 0 and combo.findData(first) < 0
    combo.setFocus()
    while combo.currentData() != other:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    chart = panel.chart
    names = [s.name for s in doc.data.stages_of(first)]
    assert chart.stages == names
    assert chart.a != chart.b  # the edited stage differs
    assert len(chart.points(chart.a, chart.plot_area())) == sum(v is not None for v in chart.a)
    chart.repaint()


def test_versions_dialog_lists_diffs_restores_and_marks_review(qtbot, window, doc):
    map_id = window.scene.map_id
    doc.name_version("Q3 review")
    cid = card_id(doc, "Live chat with sales")
    doc.execute(C.UpdateCard(cid, {"title": "Chat with a person"}))
    doc.execute(C.UpdateMap(map_id, {"last_reviewed": dt.date(2020, 1, 1),
                                     "review_interval_days": 90}))
    dlg = VersionsDialog(doc, map_id, window, window.report)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.list.count() == 1 and dlg.list.item(0).text().startswith("Q3 review")
    assert dlg.review_label.text().startswith("Overdue:")
    rect = dlg.list.visualItemRect(dlg.list.item(0))
    qtbot.mouseClick(dlg.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    text = dlg.changes.toPlainText()
    assert "1 edited" in text and "Chat with a person: title changed" in text
    qtbot.mouseClick(dlg.btn_restore, Qt.MouseButton.LeftButton)
    assert doc.data.cards[cid].title == "Live chat with sales"
    assert doc.undo_label.startswith("Restore version")
    doc.undo()
    assert doc.data.cards[cid].title == "Chat with a person"
    qtbot.mouseClick(dlg.btn_reviewed, Qt.MouseButton.LeftButton)
    assert doc.data.maps[map_id].last_reviewed == dt.date.today()
    assert not dlg.review_label.text().startswith("Overdue")
    dlg.interval.setValue(30)
    dlg.interval.editingFinished.emit()
    assert doc.data.maps[map_id].review_interval_days == 30
    doc.undo()
    assert doc.data.maps[map_id].review_interval_days == 90
    dlg.close()


def test_versions_menu_opens_the_dialog(qtbot, window):
    window.insights.act_versions.trigger()
    (dlg,) = window.findChildren(VersionsDialog)
    assert dlg.isVisible() and dlg.windowTitle() == "Versions"
    dlg.close()


def test_overdue_map_says_so_on_opening(qtbot, tmp_path):
    path = tmp_path / "old.cjm"
    with new_document(path, "sample") as d:
        d.execute(C.UpdateMap(d.data.ordered_maps()[0].id,
                              {"last_reviewed": dt.date(2020, 1, 1)}))
    with Document.open(path) as d:
        w = MainWindow(d)
        w.ask_on_close = False
        qtbot.addWidget(w)
        w.show()
        qtbot.waitUntil(lambda: "File > Versions" in w.statusBar().currentMessage(),
                        timeout=3000)
        assert "is overdue for review: last reviewed 2020-01-01" in \
            w.statusBar().currentMessage()
        w.close()


def test_report_shows_markup_in_titles_literally(qtbot, window, doc):
    cid = next(c.id for c in doc.data.cards.values() if c.kind is CardKind.PAIN_POINT)
    doc.execute(C.UpdateCard(cid, {"title": "<b>Bold</b> & <i>x</i>", "votes": 50}))
    panel = window.insights.report
    panel.refresh()
    section = next(it for it in tree_items(panel) if it.text(0).startswith("Pain points"))
    row = section.child(0)
    assert row.text(0).startswith("1. <b>Bold</b> & <i>x</i> (")
    tip = row.toolTip(0)
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;i&gt;x&lt;/i&gt;" in tip and "<b>" not in tip
