"""The logo and brand colour from the export dialog and Preferences: kept in the document,
shown on the canvas and printed on the poster (issue 14 point 4)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QColorDialog, QDialog, QDialogButtonBox, QFileDialog

from app.layout.logo import BRAND_SETTING, SETTING
from app.layout.paint import ImageOp
from app.ui.canvas.items.decor import OpsItem
from tests.ui.conftest import shown_window
from tests.ui.files.conftest import wait_task


def _logo(path: Path) -> Path:
    Image.new("RGB", (300, 120), (0, 88, 163)).save(path)
    return path


def _canvas_logos(window) -> list[ImageOp]:
    return [op for item in window.scene.items() if isinstance(item, OpsItem)
            for op in item.ops if isinstance(op, ImageOp)]


def test_export_dialog_takes_a_logo_and_colour_keeps_them_and_prints_them(
        qtbot, window, doc, tmp_path, monkeypatch):
    logo = _logo(tmp_path / "brand.png")
    bad = tmp_path / "brand.svg"
    bad.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    assert _canvas_logos(window) == []
    window.act_export.trigger()
    dlg = window.export_dialog
    picks = iter([(str(bad), ""), (str(logo), "")])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: next(picks))
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#0058A3"))
    qtbot.mouseClick(dlg.brand.choose_logo, Qt.MouseButton.LeftButton)
    assert "is an SVG" in dlg.brand.logo_label.text() and dlg.brand.logo is None
    qtbot.mouseClick(dlg.brand.choose_logo, Qt.MouseButton.LeftButton)
    assert dlg.brand.logo is not None and dlg.brand.logo_label.text().startswith("300 x 120")
    qtbot.mouseClick(dlg.brand.choose_colour, Qt.MouseButton.LeftButton)
    assert dlg.brand.colour == "#0058a3"
    assert dlg.keep_brand.isChecked()
    # the print preview shows the page with the logo in its top-right corner
    qtbot.waitUntil(lambda: dlg.preflight_ready and dlg.preview.image is not None,
                    timeout=60_000)
    img = dlg.preview.image
    corner = {img.pixelColor(x, y).name() for x in range(img.width() * 7 // 8, img.width())
              for y in range(img.height() // 8)}
    assert "#0058a3" in corner
    dlg.path.setText(str(tmp_path / "poster.pdf"))
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    task = wait_task(qtbot, window.export_task)
    assert task.state == "done", task.error
    page = PdfReader(tmp_path / "poster.pdf").pages[0]
    assert len(page.images) == 1
    # kept in the document, shown on the canvas, offered by the next export
    assert doc.setting(SETTING) == dlg.brand.logo.digest
    assert doc.setting(BRAND_SETTING) == "#0058a3"
    assert len(_canvas_logos(window)) == 1
    window.act_export.trigger()
    again = window.export_dialog
    assert again.brand.logo == dlg.brand.logo and again.brand.colour == "#0058a3"
    again.reject()


def test_preferences_remove_the_documents_logo(qtbot, doc, tmp_path):
    data = _logo(tmp_path / "brand.png").read_bytes()
    doc.set_setting(SETTING, doc.add_blob(data, "image/png"))
    window = shown_window(qtbot, doc)  # a window on a document that keeps a logo
    assert len(_canvas_logos(window)) == 1
    window.act_export.trigger()  # the dialog reads what the document keeps
    assert window.export_dialog.brand.logo is not None
    window.export_dialog.reject()
    seen = []

    def interact() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, QDialog):
            QTimer.singleShot(20, interact)
            return
        seen.append(dlg)
        assert dlg.brand.logo is not None
        qtbot.mouseClick(dlg.brand.no_logo, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, interact)
    window.act_preferences.trigger()
    assert seen
    assert doc.setting(SETTING) is None
    assert _canvas_logos(window) == []
