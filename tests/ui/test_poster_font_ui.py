"""Edit > Preferences > Poster font: stored in the window's document, used by the canvas at
once, refused with its reason when its licence forbids embedding."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from app.layout import fonts
from app.layout.brandfont import SETTING
from app.ui.dialogs.preferences import PreferencesDialog
from tests.ui.test_desktop import run_modal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "export"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "layout"))
from test_brand_font import make_font


def test_choosing_a_poster_font_stores_it_in_the_document(qtbot, window, doc, tmp_path):
    brand = make_font(tmp_path / "Brandy-Regular.ttf", "Brandy Sans", advance=700)
    locked = make_font(tmp_path / "Locked.ttf", "Locked Grotesk", fs_type=0x0002)
    seen: dict[str, str] = {}

    def interact(dlg: QDialog) -> None:
        assert isinstance(dlg, PreferencesDialog)
        row = dlg.poster_font
        assert "DejaVu Sans" in row.label.text()
        assert not row.choose_file(locked)  # refused, with the reason shown
        seen["refused"] = row.label.text()
        assert row.choose_file(brand)
        seen["chosen"] = row.label.text()
        qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    try:
        run_modal(qtbot, window.act_preferences.trigger, interact)
        assert "licence forbids embedding" in seen["refused"]
        assert seen["chosen"] == "Brandy Sans"
        assert '"family": "Brandy Sans"' in doc.setting(SETTING)
        assert window.scene.fonts.choice is not None  # this window's fonts...
        assert fonts.current_choice() is None  # ...not the process default
        # the canvas laid the map out again in the brand font: 0.7 em per letter
        lay = window.scene.layout
        line = next(t for c in lay.cards.values() for t in c.title_lines if t.text.isalpha())
        assert abs(line.width - 0.7 * line.size_pt * len(line.text)) < 1e-6
    finally:
        fonts.configure(None)


def dejavu_widths(window) -> bool:
    lines = [t for c in window.scene.layout.cards.values() for t in c.title_lines
             if t.text.isalpha()]
    return bool(lines) and all(
        abs(t.width - fonts.text_width(t.text, "bold", t.size_pt)) < 1e-6 for t in lines)


def brand_widths(window) -> bool:
    lines = [t for c in window.scene.layout.cards.values() for t in c.title_lines
             if t.text.isalpha()]
    return bool(lines) and all(abs(t.width - 0.7 * t.size_pt * len(t.text)) < 1e-6
                               for t in lines)


def test_changing_the_poster_font_is_one_undo_step(qtbot, window, doc, tmp_path):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QApplication

    brand = make_font(tmp_path / "Brandy-Regular.ttf", "Brandy Sans", advance=700)
    steps = len(doc.history())
    n_cards = len(doc.data.cards)

    def interact(dlg: QDialog) -> None:
        assert dlg.poster_font.choose_file(brand)
        qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    run_modal(qtbot, window.act_preferences.trigger, interact)
    assert len(doc.history()) == steps + 1  # one step, whatever else Preferences stored
    assert doc.history()[-1].label == "Change poster font"
    assert window.act_undo.text().replace("&", "") == "Undo Change poster font"
    assert window.scene.fonts.family == "Brandy Sans" and brand_widths(window)

    window.activateWindow()
    window.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.setting(SETTING) is None
    assert window.scene.fonts.family == "DejaVu Sans" and dejavu_widths(window)
    assert len(doc.data.cards) == n_cards  # the undo took back the font, nothing else
    assert window.act_redo.text().replace("&", "") == "Redo Change poster font"

    combo = QKeySequence(QKeySequence.StandardKey.Redo)[0]  # Ctrl+Shift+Z here
    qtbot.keyClick(window.view, combo.key(), combo.keyboardModifiers())
    assert '"family": "Brandy Sans"' in doc.setting(SETTING)
    assert window.scene.fonts.family == "Brandy Sans" and brand_widths(window)

    # the step is in the file: read back from disk, the document names its font
    from app.model.snapshot import read_snapshot

    assert '"family": "Brandy Sans"' in read_snapshot(doc.path).setting(SETTING)
