"""File > Import…: preview off the GUI thread, every problem of a bad file, one undo step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.model.document import Document
from app.ui.dialogs.import_dialog import ImportDialog
from app.ui.shell.window import WINDOWS
from tests.real_maps import REAL_MAPS
from tests.ui.files.conftest import wait_task

IKEA = REAL_MAPS / "ikea-couch.csv"


def preview(qtbot, window, path: Path) -> ImportDialog:
    window.import_file(path)
    dlg = window.import_dialog
    assert dlg.isVisible()
    wait_task(qtbot, dlg.task)
    return dlg


def table_column(dlg: ImportDialog, col: int) -> list[str]:
    return [dlg.table.item(r, col).text() for r in range(dlg.table.rowCount())]


def test_real_csv_preview_then_add_is_one_undo_step(qtbot, window, doc):
    before = doc.snapshot()
    steps = len(doc.history())
    dlg = preview(qtbot, window, IKEA)
    assert dlg.headline.text() == ("ikea-couch.csv: 1 map: 'ikea couch' (6 stages, 3 lanes, "
                                   "69 cards)")
    assert "6 stages (Research, Visit, Purchase, Setup, Use, Support)" in dlg.maps.text()
    assert table_column(dlg, 4)[:3] == ["Search for couches", "Compare features & price",
                                        "Consider location & visual fit"]
    assert dlg.add_button.isEnabled() and not dlg.problem_list.isVisible()
    qtbot.mouseClick(dlg.add_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    data = doc.data
    new_maps = [m for m in data.maps.values() if m.id not in before.maps]
    assert [m.title for m in new_maps] == ["ikea couch"]
    assert len(data.cards_of(new_maps[0].id)) == 69
    assert len(data.cards) == len(before.cards) + 69
    assert window.scene.map_id == new_maps[0].id  # the canvas shows the imported map
    assert len(doc.history()) == steps + 1
    assert doc.undo_label == "Import ikea-couch.csv"
    window.act_undo.trigger()  # one step takes the whole import back
    assert doc.data == before
    window.act_redo.trigger()
    assert len(doc.data.cards) == len(before.cards) + 69


def test_bad_csv_lists_every_problem_and_imports_nothing(qtbot, window, doc, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("stage,lane,kind,title,emotion\n"
                   "Arrive,Actions,action,Walk in,1\n"
                   "Arrive,Actions,action,Too happy,9\n"
                   "Pay,Actions,bogus,,0\n", encoding="utf-8")
    before, steps = doc.snapshot(), len(doc.history())
    dlg = preview(qtbot, window, bad)
    problems = [dlg.problem_list.item(i).text() for i in range(dlg.problem_list.count())]
    assert problems == [
        "row 3, column E (emotion): emotion 9 is outside -2..+2",
        "row 4, column D (title): the title is empty",
        "row 4, column C (kind): unknown kind 'bogus' (use one of touchpoint, action, "
        "thought, emotion, goal, pain point, opportunity, note)",
    ]
    assert dlg.headline.text().startswith("3 problems in 'bad.csv'. Nothing was imported")
    assert not dlg.add_button.isEnabled() and not dlg.new_button.isEnabled()
    assert dlg.table.rowCount() == 0
    dlg.add_to_document()  # even when called, nothing happens without a good preview
    assert doc.data == before and len(doc.history()) == steps
    dlg.reject()


def test_broken_xlsx_is_refused_in_one_line(qtbot, window, doc, tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    before = doc.snapshot()
    dlg = preview(qtbot, window, bad)
    assert dlg.problem_list.count() >= 1
    assert "Traceback" not in dlg.headline.text() + dlg.problem_list.item(0).text()
    assert not dlg.add_button.isEnabled()
    assert doc.data == before
    dlg.reject()


def test_mermaid_import_as_new_document(qtbot, window, doc, tmp_path):
    src = tmp_path / "trip.mmd"
    src.write_text("journey\n  title Trip\n  section Book\n    Find flight: 3: Me\n"
                   "    Pay: 1: Me\n  section Fly\n    Board: 4: Me\n", encoding="utf-8")
    before = doc.snapshot()
    dlg = preview(qtbot, window, src)
    assert "'Trip' (2 stages" in dlg.headline.text()
    target = tmp_path / "trip.cjm"
    task = dlg.import_as_new(target)
    wait_task(qtbot, task)
    assert task.state == "done", task.error
    opened = [w for w in WINDOWS if w.doc.path == target]
    assert len(opened) == 1
    titles = sorted(c.title for c in opened[0].doc.data.cards.values())
    assert titles == ["Board", "Find flight", "Pay"]
    assert doc.data == before  # the current document is untouched
    opened[0].close()
    with Document.open(target, read_only=True) as again:  # it is a real file on disk
        assert len(again.data.cards) == 3


def test_xlsx_exported_by_the_dialog_previews_with_every_card(qtbot, window, doc, tmp_path):
    from app.ui.dialogs.export_dialog import ExportDialog

    window.act_export.trigger()
    exp: ExportDialog = window.export_dialog
    exp.format.setCurrentIndex(exp.format.findData("xlsx"))
    exp.path.setText(str(tmp_path / "cards.xlsx"))
    qtbot.mouseClick(exp.export_button, Qt.MouseButton.LeftButton)
    assert wait_task(qtbot, window.export_task).state == "done"
    dlg = preview(qtbot, window, tmp_path / "cards.xlsx")
    assert dlg.result_ is not None, dlg.problems
    assert sorted(c.title for c in dlg.result_.data.cards.values()) == sorted(
        c.title for c in doc.data.cards.values())
    dlg.reject()


def test_closing_the_preview_while_reading_loses_nothing(qtbot, window, doc, monkeypatch,
                                                         caplog):
    """The dialog (and its task) go away mid-read; the worker's late result is dropped."""

    from app.ui.support import tasks

    gate = gated_reading(monkeypatch)
    before = doc.snapshot()
    window.import_file(IKEA)
    dlg = window.import_dialog
    task = dlg.task
    dlg.reject()  # WA_DeleteOnClose: the dialog and its task are deleted
    qtbot.waitUntil(lambda: not dlg_alive(dlg), timeout=10_000)
    with caplog.at_level("INFO", logger="app.ui.support.tasks"):
        gate.set()
        qtbot.waitUntil(lambda: task not in tasks.RUNNING, timeout=30_000)
    assert "ended after its window closed" in caplog.text
    assert doc.data == before


def test_cancel_while_reading_says_so(qtbot, window, monkeypatch):


    gate = gated_reading(monkeypatch)
    window.import_file(IKEA)
    dlg = window.import_dialog
    dlg.task.cancel()
    gate.set()
    wait_task(qtbot, dlg.task)
    assert dlg.task.state == "cancelled"
    assert dlg.headline.text() == "Reading ikea-couch.csv was cancelled; nothing was imported."
    assert not dlg.add_button.isEnabled()
    dlg.reject()


def dlg_alive(widget) -> bool:
    from shiboken6 import isValid

    return isValid(widget)


def gated_reading(monkeypatch):
    """Make the import preview's reader wait until the returned event is set."""
    import threading

    from app.ui.dialogs import import_dialog

    gate = threading.Event()
    real = import_dialog.read_import

    def slow(path, progress, cancelled, *options):
        gate.wait(30)
        return real(path, progress, cancelled, *options)

    monkeypatch.setattr(import_dialog, "read_import", slow)
    return gate


# ---------------------------------------------------------------- the table wizard (issue 17)
CHECKOUT = Path(__file__).parents[2] / "interchange" / "files" / "tables" / "checkout-stage-rows.csv"


def reread(qtbot, dlg: ImportDialog, change) -> None:
    """Make a choice the way a user does, then wait for the file to be read again."""
    old = dlg.task
    change()
    qtbot.waitUntil(lambda: dlg.task is not old and dlg.task.done, timeout=60_000)


def test_preview_shows_the_detected_layout_and_follows_every_choice(qtbot, window, doc):
    from app.ui.dialogs.import_layout import TableChoices

    before, steps = doc.snapshot(), len(doc.history())
    dlg = preview(qtbot, window, CHECKOUT)
    choices: TableChoices = dlg.choices
    assert choices.isVisible() and not choices.sheet.isVisible()  # a CSV has one table
    assert choices.layout_box.currentData() == "stage-rows"
    assert choices.header_row.value() == 5
    assert choices.recognised.text().startswith("read in the stage-rows layout")
    src = choices.source
    assert src.verticalHeaderItem(5).text() == "5" and src.item(5, 0).text() == "Stage"
    assert src.item(5, 0).font().bold()  # the header row stands out
    assert [p.currentData() for p in choices.pickers] == [
        "stage", "lane:touchpoints", "lane:actions", "lane:thoughts", "lane:emotions",
        "lane:pain_points", "lane:opportunities"]
    assert "(4 stages, 6 lanes, 30 cards)" in dlg.headline.text()

    # a column: the thoughts are not wanted (keyboard: the picker's first entry is 'ignore')
    picker = choices.pickers[3]
    picker.setFocus()
    reread(qtbot, dlg, lambda: qtbot.keyClick(picker, Qt.Key.Key_Home))
    assert "(4 stages, 5 lanes, 27 cards)" in dlg.headline.text()
    assert choices.pickers[3].currentData() == "ignore"
    assert "D 'Thought/Quote' → ignored" in choices.recognised.text()

    # the layout: read as a grid, the preview follows (and says the choice was the user's)
    reread(qtbot, dlg, lambda: choices.layout_box.setCurrentIndex(
        choices.layout_box.findData("grid")))
    assert choices.layout_box.currentData() == "grid"
    assert "grid layout" in choices.recognised.text() and "chosen" in choices.recognised.text()
    assert [p.currentData() for p in choices.pickers][:2] == ["lanes", "stage"]

    # the header row: row 1 (the title) makes no sense as stage rows; problems, nothing imported
    reread(qtbot, dlg, lambda: choices.layout_box.setCurrentIndex(
        choices.layout_box.findData("stage-rows")))
    choices.header_row.setFocus()
    reread(qtbot, dlg, lambda: (choices.header_row.selectAll(),
                                qtbot.keyClicks(choices.header_row, "1")))
    assert choices.header_row.value() == 1
    assert not dlg.add_button.isEnabled()
    assert dlg.problem_list.isVisible() and dlg.problem_list.count() >= 1
    assert "change how it is read above" in dlg.headline.text()

    # detect again: back to what the file says; then import it as one step
    reread(qtbot, dlg, lambda: qtbot.mouseClick(choices.reset, Qt.MouseButton.LeftButton))
    assert choices.header_row.value() == 5 and dlg.add_button.isEnabled()
    qtbot.mouseClick(dlg.add_button, Qt.MouseButton.LeftButton)
    new = [m for m in doc.data.maps.values() if m.id not in before.maps]
    assert [m.title for m in new] == ["Customer Journey Map – Online grocery checkout"]
    assert len(doc.data.cards_of(new[0].id)) == 30
    assert len(doc.history()) == steps + 1


def test_workbook_preview_picks_a_sheet_and_keeps_choices_per_sheet(qtbot, window, doc, tmp_path):
    from table_fixtures import banca_workbook

    dlg = preview(qtbot, window, banca_workbook(tmp_path / "banca.xlsx"))
    choices = dlg.choices
    assert choices.sheet.isVisible()
    assert [choices.sheet.itemText(i) for i in range(choices.sheet.count())] == [
        "Instrucciones", "Mapa", "Agence"]
    choices.sheet.setCurrentIndex(1)
    assert choices.layout_box.currentData() == "stage-rows" and choices.header_row.value() == 9
    assert choices.source.isRowHidden(3)  # rows between the title and the header are folded
    choices.sheet.setCurrentIndex(2)
    assert choices.layout_box.currentData() == "grid" and choices.header_row.value() == 3
    # the French sheet read as stage rows instead: only that sheet changes
    reread(qtbot, dlg, lambda: choices.layout_box.setCurrentIndex(
        choices.layout_box.findData("stage-rows")))
    maps = dlg.result_.data.ordered_maps()
    agence = next(m for m in maps if m.title == "Ouvrir un compte en agence")
    assert [s.name for s in dlg.result_.data.stages_of(agence.id)] == ["Points de contact",
                                                                       "Émotions"]
    assert len(maps) == 2 and choices.sheet.currentText() == "Agence"
    dlg.reject()


def test_preview_of_a_workbook_with_phases_and_notes_below(qtbot, window, doc, tmp_path):
    """A French stage-rows sheet with a merged Phase column and a source line under it:
    the preview greys the note row, offers the phase role, and the import keeps both."""
    from openpyxl import Workbook

    from app.ui.dialogs.import_layout import SKIPPED_TEXT

    wb = Workbook()
    ws = wb.active
    ws.title = "Parcours"
    for row in (["Phase", "Étape", "Point de contact", "Irritant"],
                ["Avant", "Rechercher", "Site web", "Trop de jargon"],
                [None, "Réserver", "Appli", "Paiement refusé"],
                ["Pendant", "Arriver", "Réception", "File d'attente"]):
        ws.append(row)
    ws["A6"] = "Source : 9 entretiens, octobre 2026"  # under a blank row
    ws.merge_cells("A2:A3")
    path = tmp_path / "parcours.xlsx"
    wb.save(path)
    before = doc.snapshot()
    dlg = preview(qtbot, window, path)
    choices = dlg.choices
    assert [p.currentData() for p in choices.pickers] == [
        "phase", "stage", "lane:touchpoints", "lane:pain_points"]
    assert choices.pickers[0].currentText() == "phase of the stage"
    note = choices.source.item(6, 0)  # row 6 (row 0 holds the role pickers)
    assert note.text() == "Source : 9 entretiens, octobre 2026"
    assert note.foreground().color() == SKIPPED_TEXT
    assert "row 6 below the table skipped (1 note kept in the map's description)" in (
        choices.recognised.text())
    qtbot.mouseClick(dlg.add_button, Qt.MouseButton.LeftButton)
    (new,) = [m for m in doc.data.maps.values() if m.id not in before.maps]
    assert new.description == "Source : 9 entretiens, octobre 2026"
    assert [(s.name, s.phase) for s in doc.data.stages_of(new.id)] == [
        ("Rechercher", "Avant"), ("Réserver", "Avant"), ("Arriver", "Pendant")]
