"""The poster font belongs to its document: two windows with different fonts lay out,
paint and export each in its own (issue 15 follow-up)."""

from __future__ import annotations

import sys
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from app.layout import fonts
from app.layout.brandfont import SETTING, load_font, to_setting
from app.ui.shell.window import MainWindow
from tests.made import new_document
from tests.ui.conftest import ids, shown_window
from tests.ui.files.conftest import wait_task
from tests.ui.files.test_export_dialog_gui import choose, export, open_dialog

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "export"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "layout"))
from test_brand_font import LETTERS, make_font

SIZE = (1400, 900)


def title_lines(window: MainWindow) -> list:
    lay = window.scene.layout
    return [t for c in lay.cards.values() for t in c.title_lines
            if t.text.strip() and set(t.text) <= set(LETTERS)]  # the test font's letters


def in_brand(window: MainWindow) -> bool:
    """Every card title line measures 0.7 em per character (the test font's boxes)."""
    return len(title_lines(window)) > 10 and all(abs(t.width - 0.7 * t.size_pt * len(t.text)) < 1e-6 for t in title_lines(window))


def in_dejavu(window: MainWindow) -> bool:
    """Every card title line measures what DejaVu Sans Bold measures."""
    return all(abs(t.width - fonts.text_width(t.text, "bold", t.size_pt)) < 1e-6
               for t in title_lines(window))


def picture(window: MainWindow) -> QImage:
    window.view.viewport().repaint()
    return window.view.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)


def ink(img: QImage) -> int:
    """How many pixels are dark (text, not the pale card fills)."""
    data = bytes(img.constBits())
    return len(data) - len(data.translate(None, bytes(range(90))))


def pdf_fonts(path: Path) -> set[str]:
    page = PdfReader(path).pages[0]
    return {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}


def test_two_windows_lay_out_paint_and_export_each_in_its_documents_font(qtbot, tmp_path):
    brand = make_font(tmp_path / "Brandy-Regular.ttf", "Brandy Sans", advance=700)
    plain_doc = new_document(tmp_path / "plain.cjm", "sample")
    brand_doc = new_document(tmp_path / "brand.cjm", "sample")
    brand_doc.set_setting(SETTING, to_setting(load_font(brand), brand))
    try:
        plain = shown_window(qtbot, plain_doc, SIZE)
        alone = picture(plain)
        assert in_dejavu(plain)

        branded = shown_window(qtbot, brand_doc, SIZE)
        assert branded.scene.fonts.family == "Brandy Sans"
        assert in_brand(branded) and not in_dejavu(branded)
        # opening the branded document changed nothing in the other window...
        assert plain.scene.fonts.family == "DejaVu Sans" and in_dejavu(plain)
        assert picture(plain) == alone  # ...not even one pixel of its canvas
        assert fonts.current_choice() is None  # and the process default is untouched
        # the branded canvas paints its solid box glyphs: far more ink than DejaVu's
        assert ink(picture(branded)) > 1.5 * ink(alone)

        # an edit in either window lays it out again in its own font
        n = ids(plain_doc)
        plain.scene.select_cards([plain_doc.data.cell(n["Discover"], n["Goals"])[0].id])
        plain.activateWindow()
        plain.view.setFocus()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is plain)
        before = len(plain_doc.data.cards)
        qtbot.keyClick(plain.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        assert len(plain_doc.data.cards) == before + 1
        assert in_dejavu(plain) and in_brand(branded)
        branded.scene.select_cards([brand_doc.data.cell(n["Discover"], n["Goals"])[0].id])
        branded.activateWindow()
        branded.view.setFocus()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is branded)
        qtbot.keyClick(branded.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        assert len(brand_doc.data.cards) == before + 1
        assert in_brand(branded) and in_dejavu(plain)

        # each window exports its poster in its own font
        for window, name in ((branded, "brand"), (plain, "plain")):
            dlg = open_dialog(qtbot, window)
            choose(dlg.format, "pdf")
            choose(dlg.paper, "A2")
            qtbot.waitUntil(lambda d=dlg: d.preflight_ready, timeout=60_000)
            task = export(qtbot, window, dlg, tmp_path / name)
            assert task.state == "done", task.error
        brand_fonts = pdf_fonts(tmp_path / "brand.pdf")
        plain_fonts = pdf_fonts(tmp_path / "plain.pdf")
        assert any("BrandySans" in f for f in brand_fonts), brand_fonts
        assert not any("DejaVuSans-Bold" in f for f in brand_fonts), brand_fonts
        assert any("DejaVuSans" in f for f in plain_fonts), plain_fonts
        assert not any("Brandy" in f for f in plain_fonts), plain_fonts
        wait_task(qtbot, plain.export_task)
    finally:
        for w in (locals().get("plain"), locals().get("branded")):
            if w is not None:
                w.close()
        plain_doc.close()
        brand_doc.close()
