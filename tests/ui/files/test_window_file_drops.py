"""Files dropped on the window (QMimeData with URLs): .cjm opens, data previews, rest refused."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt

from app.ui.panels.palette import PaletteWidget
from app.ui.shell.window import WINDOWS
from tests.made import new_file
from tests.real_maps import REAL_MAPS
from tests.ui.conftest import ids, vp
from tests.ui.files.conftest import drop_on, file_mime, wait_task


def test_dropping_a_cjm_on_the_canvas_opens_it(qtbot, window, tmp_path):
    other = tmp_path / "other.cjm"
    new_file(other, "b2b")
    enter, drop = drop_on(window.view.viewport(), file_mime(other))
    assert enter and drop
    wait_task(qtbot, window.open_task)
    opened = [w for w in WINDOWS if w.doc.path == other]
    assert len(opened) == 1 and opened[0].isVisible()
    assert opened[0].doc.data.maps  # the b2b template's content, read on the worker
    opened[0].close()


def test_dropping_the_real_csv_previews_then_imports_into_the_document(qtbot, window, doc):
    before = len(doc.data.cards)
    enter, drop = drop_on(window.view.viewport(), file_mime(REAL_MAPS / "ikea-couch.csv"))
    assert enter and drop
    dlg = window.import_dialog
    wait_task(qtbot, dlg.task)
    assert dlg.isVisible() and dlg.path.text().endswith("ikea-couch.csv")
    assert dlg.table.rowCount() == 69
    qtbot.mouseClick(dlg.add_button, Qt.MouseButton.LeftButton)
    assert len(doc.data.cards) == before + 69
    assert "ikea couch" in [m.title for m in doc.data.maps.values()]


def test_dropping_a_txt_is_refused_and_changes_nothing(qtbot, window, doc, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("stage,lane,kind,title\nA,B,action,C\n", encoding="utf-8")
    before, steps = doc.snapshot(), len(doc.history())
    enter, drop = drop_on(window.view.viewport(), file_mime(notes))
    assert not enter and not drop
    assert window.statusBar().currentMessage().startswith("Cannot open notes.txt: drop a .cjm")
    assert not hasattr(window, "import_dialog") and not hasattr(window, "open_task")
    assert doc.data == before and len(doc.history()) == steps


def test_a_drop_on_a_dock_reaches_the_window_too(qtbot, window, doc):
    enter, drop = drop_on(window.history.viewport(),
                          file_mime(REAL_MAPS / "restaurant-blueprint.csv"))
    assert enter and drop
    dlg = window.import_dialog
    wait_task(qtbot, dlg.task)
    assert dlg.result_ is not None and "restaurant-blueprint" in dlg.headline.text()
    dlg.reject()


def test_palette_drops_still_add_cards_in_the_window(qtbot, window, doc):
    n = ids(doc)
    palette = PaletteWidget()
    qtbot.addWidget(palette)
    row = next(i for i in range(palette.count()) if palette.item(i).text() == "Card: Pain point")
    mime: QMimeData = palette.mimeData([palette.item(row)])
    assert not mime.hasUrls()
    view = window.view
    cell = view.map_scene.cell_rect(n["Collect in store"], n["Goals"])
    view.centerOn(cell.x + cell.w / 2, cell.y + cell.h / 2)
    before = len(doc.data.cell(n["Collect in store"], n["Goals"]))
    point = vp(view, cell.x + 30, cell.bottom - 4)
    enter, drop = drop_on(view.viewport(), mime, QPoint(point.x(), point.y()))
    assert enter and drop
    assert len(doc.data.cell(n["Collect in store"], n["Goals"])) == before + 1
    assert not hasattr(window, "import_dialog")
