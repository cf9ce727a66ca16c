"""The main window: undo labels, history panel, properties dock, clipboard, find, files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from app.model import commands as C
from app.ui.shell.window import MainWindow, open_with_questions
from tests.made import new_document
from tests.ui.conftest import ids


def test_title_and_undo_label_follow_the_document(window, doc):
    assert window.windowTitle().startswith("sample")
    assert not window.act_undo.isEnabled()
    n = ids(doc)
    card = doc.data.cell(n["Discover"], n["Goals"])[0]
    doc.execute(C.MoveCards([(card.id, n["Research"], n["Goals"], 0)]))
    assert window.act_undo.text() == f"&Undo Move card '{card.title}' to Research"
    window.act_undo.trigger()
    assert doc.data.cards[card.id].stage_id == n["Discover"]
    assert window.act_redo.text().startswith("&Redo Move card")


def test_history_panel_click_jumps(window, doc):
    n = ids(doc)
    for title in ("One", "Two", "Three"):
        doc.execute(C.AddCard(n["Discover"], n["Goals"], {"title": title}))
    panel = window.history
    assert panel.count() == 4
    assert panel.item(3).text() == "Add card 'Three'"
    panel.itemClicked.emit(panel.item(1))
    titles = [c.title for c in doc.data.cell(n["Discover"], n["Goals"])]
    assert "One" in titles and "Two" not in titles
    assert panel.item(2).font().italic()  # undone steps stay listed for redo
    panel.itemClicked.emit(panel.item(0))
    assert "One" not in [c.title for c in doc.data.cell(n["Discover"], n["Goals"])]


def test_properties_typing_is_one_undo_step(qtbot, window, doc):
    n = ids(doc)
    card = doc.data.cell(n["Discover"], n["Goals"])[0]
    window.scene.select_cards([card.id])
    props = window.properties
    assert props.card_id == card.id and props.title.text() == card.title
    steps = len(doc.history())
    props.owner.setFocus()
    qtbot.keyClicks(props.owner, "Service team")
    assert doc.data.cards[card.id].owner == "Service team"
    assert len(doc.history()) == steps + 1  # merged typing
    props.emotion.setCurrentIndex(props.emotion.findData(-1))
    props.emotion.activated.emit(props.emotion.currentIndex())
    assert doc.data.cards[card.id].emotion == -1
    props.metrics.setText("NPS=-12; CSAT=4.5")
    props.metrics.editingFinished.emit()
    assert doc.data.cards[card.id].metrics == {"NPS": -12.0, "CSAT": 4.5}
    props.metrics.setText("nonsense")
    props.metrics.editingFinished.emit()
    assert "name=value" in window.statusBar().currentMessage()
    doc.undo()
    doc.undo()
    doc.undo()
    assert doc.data.cards[card.id].owner == card.owner


def test_copy_paste_between_documents_and_cut(qtbot, window, doc, tmp_path: Path):
    n = ids(doc)
    cards = doc.data.cell(n["Buy online"], n["Pain points"])
    window.scene.select_cards([c.id for c in cards])
    window.act_copy.trigger()
    assert QGuiApplication.clipboard().mimeData().hasFormat("application/x-waymark-cards")
    assert cards[0].title in QGuiApplication.clipboard().text()
    other_doc = new_document(tmp_path / "other.cjm", "b2c")
    other = MainWindow(other_doc)
    other.ask_on_close = False
    qtbot.addWidget(other)
    before = len(other_doc.data.cards)
    other.act_paste.trigger()
    assert len(other_doc.data.cards) == before + len(cards)
    pasted = [other_doc.data.cards[i] for i in sorted(set(other_doc.data.cards) - set(range(0)))]
    titles = {c.title for c in pasted}
    assert {c.title for c in cards} <= titles
    assert other_doc.undo_label.startswith("Paste")
    other.close()
    window.scene.select_cards([cards[0].id])
    window.act_cut.trigger()
    assert cards[0].id not in doc.data.cards
    window.scene.select_cards([doc.data.cell(n["Discover"], n["Goals"])[0].id])
    window.act_paste.trigger()
    assert doc.data.cell(n["Discover"], n["Goals"])[-1].title == cards[0].title


def test_plain_text_paste_makes_literal_cards(window, doc):
    n = ids(doc)
    QGuiApplication.clipboard().setText("<b>bold?</b>\n&amp; literal\n\n")
    window.scene.select_cards([doc.data.cell(n["Discover"], n["Goals"])[0].id])
    window.act_paste.trigger()
    titles = [c.title for c in doc.data.cell(n["Discover"], n["Goals"])][-2:]
    assert titles == ["<b>bold?</b>", "&amp; literal"]


def test_delete_duplicate_select_all(window, doc):
    n = ids(doc)
    card = doc.data.cell(n["Discover"], n["Goals"])[0]
    window.scene.select_cards([card.id])
    window.act_duplicate.trigger()
    cell = doc.data.cell(n["Discover"], n["Goals"])
    assert [c.title for c in cell].count(card.title) == 2
    window.act_select_all.trigger()
    assert len(window.scene.selected_card_ids()) == len(doc.data.cards_of(n["map"]))
    window.scene.select_cards([card.id])
    window.act_delete.trigger()
    assert card.id not in doc.data.cards
    doc.undo()
    assert card.id in doc.data.cards


def test_find_bar_highlights_and_steps(qtbot, window, doc):
    window.act_find.trigger()
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_field, "slot")
    hits = [cid for cid, it in window.scene.cards.items() if it.highlighted]
    assert hits and window.find_count.text().strip() == f"{len(hits)} found"
    qtbot.keyClick(window.find_field, Qt.Key.Key_Return)
    assert window.scene.selected_card_ids()[0] in hits
    window.end_find()
    assert not any(it.highlighted for it in window.scene.cards.values())


def test_workshop_toggle_hides_and_restores_chrome(window):
    window.act_workshop.setChecked(True)
    assert window.workshop is not None and not window.menuBar().isVisible()
    assert window.scene.style.body_pt > 10
    window.act_workshop.setChecked(False)
    assert window.workshop is None and window.menuBar().isVisible()
    assert window.docks[0].isVisible()


def test_switching_maps_shows_the_other_map(window, doc):
    change = doc.execute(C.DuplicateMap(ids(doc)["map"], "Copy"))
    new_id = min(change.added["maps"])
    window.maps_panel.map_chosen.emit(new_id)
    assert window.scene.map_id == new_id
    assert set(window.scene.cards) == {c.id for c in doc.data.cards_of(new_id)}
    assert window.maps_panel.maps.count() == 2


def test_locked_file_offers_read_only_view(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "busy.cjm"
    first = new_document(path, "sample")
    try:
        monkeypatch.setattr(QMessageBox, "question",
                            staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
        second = open_with_questions(path)
        assert second is not None and second.read_only
        w = MainWindow(second)
        qtbot.addWidget(w)
        assert "[read-only]" in w.windowTitle()
        assert not w.act_paste.isEnabled()
        w.close()
        monkeypatch.setattr(QMessageBox, "question",
                            staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
        assert open_with_questions(path) is None
    finally:
        first.close()
