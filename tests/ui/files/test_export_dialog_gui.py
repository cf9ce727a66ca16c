"""File > Export…: the dialog writes real PDF, PNG and CSV files off the GUI thread."""

from __future__ import annotations

import csv
import re
import struct
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from app.export import pdf as pdf_module
from app.layout.paper import MM, PAPERS
from app.ui.dialogs import export_dialog as ed
from app.ui.dialogs.export_options import export_options
from tests.ui.files.conftest import wait_task

A2_LANDSCAPE = (round(PAPERS["A2"][1], 1), round(PAPERS["A2"][0], 1))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def open_dialog(qtbot, window) -> ed.ExportDialog:
    window.act_export.trigger()
    dlg = window.export_dialog
    assert dlg.isVisible()
    return dlg


def choose(combo, value) -> None:
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)


def export(qtbot, window, dlg: ed.ExportDialog, path: Path):
    dlg.path.setText(str(path))
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    return wait_task(qtbot, window.export_task)


def png_chunks(raw: bytes) -> dict[bytes, bytes]:
    out, i = {}, 8
    while i < len(raw):
        (length,) = struct.unpack(">I", raw[i:i + 4])
        kind = raw[i + 4:i + 8]
        out[kind] = raw[i + 8:i + 8 + length]
        i += 12 + length
    return out


def test_pdf_export_has_the_paper_size_and_every_card_title(qtbot, window, doc, tmp_path):
    dlg = open_dialog(qtbot, window)
    choose(dlg.format, "pdf")
    choose(dlg.paper, "A2")
    choose(dlg.orientation, "landscape")
    task = export(qtbot, window, dlg, tmp_path / "poster")  # the suffix is added
    assert task.state == "done", task.error
    out = tmp_path / "poster.pdf"
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == A2_LANDSCAPE
    text = squash(reader.pages[0].extract_text())
    map_id = window.scene.map_id
    for card in doc.data.cards_of(map_id):
        for word in card.title.split():
            assert squash(word).rstrip("-") in text, card.title
    assert window.statusBar().currentMessage().startswith("Exported poster.pdf (A2 landscape")
    assert not list(tmp_path.glob(".*.part"))
    # the choices are remembered for the next export
    assert export_options()["paper"] == "A2"
    again = open_dialog(qtbot, window)
    assert again.paper.currentData() == "A2" and again.format.currentData() == "pdf"
    again.reject()


def test_pdf_bleed_and_crop_marks_widen_the_page(qtbot, window, tmp_path):
    dlg = open_dialog(qtbot, window)
    choose(dlg.format, "pdf")
    choose(dlg.paper, "A3")
    choose(dlg.orientation, "portrait")
    dlg.bleed.setValue(3.0)
    dlg.crop_marks.setChecked(True)
    task = export(qtbot, window, dlg, tmp_path / "bleed.pdf")
    assert task.state == "done", task.error
    page = PdfReader(tmp_path / "bleed.pdf").pages[0]
    trim = page.trimbox
    assert round(float(trim.width), 1) == round(PAPERS["A3"][0], 1)
    assert float(page.mediabox.width) > float(trim.width) + 2 * 3 * MM - 0.01


def test_png_export_writes_the_chosen_dpi(qtbot, window, tmp_path):
    dlg = open_dialog(qtbot, window)
    choose(dlg.format, "png")
    choose(dlg.paper, "A4")
    choose(dlg.orientation, "landscape")
    assert dlg.dpi.isEnabled() and not dlg.bleed.isEnabled()
    dlg.dpi.setValue(100)
    task = export(qtbot, window, dlg, tmp_path / "map.png")
    assert task.state == "done", task.error
    chunks = png_chunks((tmp_path / "map.png").read_bytes())
    ppm_x, ppm_y, unit = struct.unpack(">IIB", chunks[b"pHYs"])
    assert unit == 1 and ppm_x == ppm_y == round(100 / 0.0254)
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    assert (width, height) == (round(PAPERS["A4"][1] * 100 / 72),
                               round(PAPERS["A4"][0] * 100 / 72))
    image = QImage(str(tmp_path / "map.png"))
    colours = {image.pixel(x, y) for x in range(0, width, 37) for y in range(0, height, 37)}
    assert len(colours) > 5  # the map is drawn, not a blank page


def test_cancel_during_drawing_leaves_no_file(qtbot, window, tmp_path, monkeypatch):
    """Cancel pressed while the PDF is being drawn: the temporary file is removed."""
    reached, go = threading.Event(), threading.Event()
    real = pdf_module.export_pdf

    def gated(data, map_id, path, options, **kwargs):
        inner = options.progress

        def progress(fraction, message):
            inner(fraction, message)
            if message == "drawing" and not reached.is_set():
                reached.set()
                go.wait(30)  # hold the worker here until the test has pressed Cancel

        options.progress = progress
        return real(data, map_id, path, options, **kwargs)

    monkeypatch.setattr(pdf_module, "export_pdf", gated)  # the registry loads it per export
    folder = tmp_path / "out"
    folder.mkdir()
    dlg = open_dialog(qtbot, window)
    choose(dlg.format, "pdf")
    dlg.path.setText(str(folder / "cancelled.pdf"))
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    task = window.export_task
    qtbot.waitUntil(reached.is_set, timeout=30_000)
    assert list(folder.glob(".wm-*.part"))  # the export is half-way
    progress = task.dialog
    assert progress is not None
    qtbot.waitUntil(lambda: progress.isVisible(), timeout=5000)
    cancel = progress.findChild(type(dlg.export_button))
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    go.set()
    wait_task(qtbot, task)
    assert task.state == "cancelled"
    assert task.error_box is None  # a cancel is not an error
    assert list(folder.iterdir()) == []


def test_preflight_lists_findings_for_the_chosen_paper(qtbot, window):
    dlg = open_dialog(qtbot, window)
    choose(dlg.format, "pdf")
    choose(dlg.paper, "A4")
    qtbot.waitUntil(lambda: dlg.preflight_ready, timeout=30_000)
    rules = {p.rule for p in dlg.findings}
    assert "text-size" in rules
    shown = [dlg.preflight.item(i).text() for i in range(dlg.preflight.count())]
    # Issue 14: one finding per role that fails, e.g. "map title printed at 22.6 pt on A4 ..."
    assert any(t.startswith("error: ") and " printed at " in t and "A4" in t for t in shown)
    assert "Preflight on A4" in dlg.preflight_label.text()
    # auto: the smallest standard sheet on which the composed map passes
    from app.export.common import ExportOptions
    from app.export.preflight import smallest_sheet

    want = smallest_sheet(window.doc.data, dlg.map.currentData(), ExportOptions())
    assert want is not None
    choose(dlg.paper, "auto")
    qtbot.waitUntil(lambda: dlg.preflight_ready, timeout=30_000)
    assert f"Preflight on {want.rsplit(' ', 1)[0]}" in dlg.preflight_label.text()
    dlg.reject()


def test_csv_export_of_all_maps(qtbot, window, doc, tmp_path):
    dlg = open_dialog(qtbot, window)
    choose(dlg.format, "csv")
    assert not dlg.paper.isEnabled()
    task = export(qtbot, window, dlg, tmp_path / "cards.csv")
    assert task.state == "done", task.error
    with open(tmp_path / "cards.csv", newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["title"] for r in rows) == sorted(c.title for c in doc.data.cards.values())


def test_existing_file_is_kept_when_the_user_says_no(qtbot, window, tmp_path, monkeypatch):
    out = tmp_path / "keep.pdf"
    out.write_bytes(b"precious")
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.No)
    dlg = open_dialog(qtbot, window)
    choose(dlg.format, "pdf")
    dlg.path.setText(str(out))
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible()  # still choosing
    assert out.read_bytes() == b"precious"
    dlg.reject()


def test_bad_remembered_options_fall_back_to_defaults(qtbot):
    import json

    from PySide6.QtCore import QSettings

    QSettings().setValue("export/options", json.dumps(
        {"dpi": "lots", "paper": "B7", "bleed_mm": 900, "format": "pdf"}))
    opts = export_options()
    assert opts["dpi"] == 150 and opts["paper"] == "A1" and opts["bleed_mm"] == 0.0
    assert opts["format"] == "pdf"


def test_edits_during_an_export_do_not_reach_the_file(qtbot, window, doc, tmp_path, monkeypatch):
    """The worker draws the snapshot taken when Export was pressed, not later edits."""
    from app.model import commands as C

    reached, go = threading.Event(), threading.Event()
    real = pdf_module.export_pdf

    def gated(data, map_id, path, options, **kwargs):
        reached.set()
        go.wait(30)  # the GUI thread edits the document meanwhile
        return real(data, map_id, path, options, **kwargs)

    monkeypatch.setattr(pdf_module, "export_pdf", gated)  # the registry loads it per export
    card = doc.data.cards_of(window.scene.map_id)[0]
    dlg = open_dialog(qtbot, window)
    choose(dlg.format, "pdf")
    dlg.path.setText(str(tmp_path / "snap.pdf"))
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(reached.is_set, timeout=30_000)
    doc.execute(C.UpdateCard(card.id, {"title": "Renamedwhileexporting"}))
    go.set()
    task = wait_task(qtbot, window.export_task)
    assert task.state == "done", task.error
    text = squash(PdfReader(tmp_path / "snap.pdf").pages[0].extract_text())
    assert "Renamedwhileexporting" not in text
    assert squash(card.title.split()[0]) in text


def test_a_refused_export_is_one_line_and_writes_nothing(qtbot, window, tmp_path):
    dlg = open_dialog(qtbot, window)
    choose(dlg.format, "png")
    choose(dlg.paper, "A0")
    dlg.dpi.setValue(600)  # about 560 million pixels: refused before anything is written
    folder = tmp_path / "out"
    folder.mkdir()
    task = export(qtbot, window, dlg, folder / "huge.png")
    assert task.state == "failed"
    box = task.error_box
    assert box is not None and box.isVisible()
    assert box.text().endswith("is too large an image; choose a lower --dpi or a smaller paper")
    assert "\n" not in box.text() and not box.detailedText()
    assert list(folder.iterdir()) == []
    box.close()


def test_poster_shows_what_the_canvas_shows_and_the_insights_page(qtbot, window, tmp_path):
    """The heat map chosen on the canvas is the dialog's starting choice; the PDF carries
    its legend and, when asked, the insights page."""
    window.insights.set_heat("CSAT")
    dlg = open_dialog(qtbot, window)
    assert dlg.heat.currentData() == "CSAT"
    assert dlg.funnel.currentData() is None
    assert [dlg.heat.itemData(i) for i in range(dlg.heat.count())][1:] \
        == ed_metric_names(window)
    choose(dlg.format, "png")
    assert not dlg.insights.isEnabled()  # PDF only
    choose(dlg.format, "pdf")
    choose(dlg.paper, "A2")
    dlg.insights.setChecked(True)
    task = export(qtbot, window, dlg, tmp_path / "heat.pdf")
    assert task.state == "done", task.error
    reader = PdfReader(tmp_path / "heat.pdf")
    assert len(reader.pages) >= 2
    assert "Heatmap:CSAT" in squash(reader.pages[0].extract_text())
    assert "Momentsoftruth" in squash(reader.pages[1].extract_text())
    # without the heat map and the page: one page, no legend
    window.insights.set_heat(None)
    dlg = open_dialog(qtbot, window)
    assert dlg.heat.currentData() is None
    task = export(qtbot, window, dlg, tmp_path / "plain.pdf")
    assert task.state == "done", task.error
    reader = PdfReader(tmp_path / "plain.pdf")
    assert len(reader.pages) == 1
    assert "Heatmap:" not in squash(reader.pages[0].extract_text())


def ed_metric_names(window) -> list[str]:
    from app.analysis.findings import metric_names

    return metric_names(window.doc.data, window.scene.map_id)


def test_print_preview_shows_the_composed_page_with_the_preflights_marks(qtbot, window,
                                                                         tmp_path):
    """Issue 14: a true print preview in the export dialog: the page as it will print
    (its shape is the sheet's), with the failing text marked; the role distances are
    settings of the dialog and change both the findings and the marks."""
    dlg = open_dialog(qtbot, window)
    choose(dlg.format, "pdf")
    choose(dlg.orientation, "landscape")
    choose(dlg.paper, "A1")
    qtbot.waitUntil(lambda: dlg.preflight_ready, timeout=30_000)
    img = dlg.preview.image
    assert img is not None and not img.isNull()
    assert abs(img.width() / img.height() - 841 / 594) < 0.02  # an A1 landscape sheet
    assert not [p for p in dlg.findings if p.fails] and dlg.preview.marks == (0, 0)
    # read the title from 10 m: the title fails, and its lines are marked on the page
    dlg.preflight_ready = False
    dlg.role_distance["title"].setValue(10.0)
    qtbot.waitUntil(lambda: dlg.preflight_ready, timeout=30_000)
    assert any(p.rule == "text-size" and p.message.startswith("map title")
               for p in dlg.findings)
    assert dlg.preview.marks[0] >= 1
    # a red mark is drawn on the picture where the title is
    img2 = dlg.preview.image
    colours = [img2.pixelColor(x, y) for x in range(img2.width())
               for y in range(img2.height() // 5)]
    assert any(c.red() > 150 and c.green() < 90 and c.blue() < 90 for c in colours)
    # margins are a setting: a wider margin moves the poster in from the edge
    dlg.preflight_ready = False
    dlg.role_distance["title"].setValue(0.0)
    dlg.margin.setValue(40.0)
    qtbot.waitUntil(lambda: dlg.preflight_ready, timeout=30_000)
    assert ed.job_options(dlg.values()).margin == pytest.approx(40 * 72 / 25.4)
    dlg.reject()


def test_svg_export_embeds_the_fonts_unless_told_not_to(qtbot, window, tmp_path):
    dlg = open_dialog(qtbot, window)
    choose(dlg.format, "svg")
    assert dlg.embed_fonts.isEnabled() and dlg.embed_fonts.isChecked()
    task = export(qtbot, window, dlg, tmp_path / "map.svg")
    assert task.state == "done", task.error
    text = (tmp_path / "map.svg").read_text(encoding="utf-8")
    assert "@font-face" in text and "font/woff;base64," in text
    assert '<g id="title"' in text and 'font-family="\'DejaVu Sans\', sans-serif"' in text
    dlg = open_dialog(qtbot, window)
    choose(dlg.format, "svg")
    # click the check box's indicator (its left end)
    qtbot.mouseClick(dlg.embed_fonts, Qt.MouseButton.LeftButton,
                     pos=QPoint(6, dlg.embed_fonts.height() // 2))
    assert not dlg.embed_fonts.isChecked()
    task = export(qtbot, window, dlg, tmp_path / "plain.svg")
    assert task.state == "done", task.error
    plain = (tmp_path / "plain.svg").read_text(encoding="utf-8")
    assert "@font-face" not in plain and "<text" in plain
    choose(open_dialog(qtbot, window).format, "pdf")
    assert not window.export_dialog.embed_fonts.isEnabled()
