"""A card's author in the editor: typed in the properties dock (one undo step), carried by
Duplicate and by copy and paste, and named by the version diff."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QInputMethodEvent

from app.analysis.diff import diff_versions
from app.model.document import Document
from tests.ui.conftest import card_centre, ids, shown_window, vp


def test_typing_an_author_in_the_properties_dock(qtbot, window, doc):
    n = ids(doc)
    card = doc.data.cell(n["Discover"], n["Goals"])[0]
    version = doc.name_version("before the workshop")
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=vp(window.view, *card_centre(window.view, card.id)))
    props = window.properties
    assert props.card_id == card.id and props.author.text() == ""
    assert props.author.isEnabled() and props.author.accessibleName() == "Card author"
    steps = len(doc.history())
    props.author.setFocus()
    qtbot.keyClicks(props.author, "Aiko (participant 3) ")
    commit = QInputMethodEvent()  # how an input method types non-Latin text
    commit.setCommitString("— 東京")
    QCoreApplication.sendEvent(props.author, commit)
    assert doc.data.cards[card.id].author == "Aiko (participant 3) — 東京"
    assert len(doc.history()) == steps + 1  # the typing is one step
    diff = diff_versions(doc.version_data(version.id), doc.data)
    assert [c.detail for c in diff.edited] == ["author (none) -> Aiko (participant 3) — 東京"]

    window.act_duplicate.trigger()
    copies = [c for c in doc.data.cell(n["Discover"], n["Goals"]) if c.title == card.title]
    assert [c.author for c in copies] == ["Aiko (participant 3) — 東京"] * 2

    window.scene.select_cards([card.id])
    window.act_copy.trigger()
    window.scene.select_cards([doc.data.cell(n["Buy online"], n["Pain points"])[0].id])
    window.act_paste.trigger()
    pasted = doc.data.cell(n["Buy online"], n["Pain points"])[-1]
    assert (pasted.title, pasted.author) == (card.title, "Aiko (participant 3) — 東京")

    window.scene.select_cards([card.id])
    assert props.author.text() == "Aiko (participant 3) — 東京"
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.data.cards[card.id].author == ""
    assert props.author.text() == ""


def test_the_author_cannot_be_typed_in_a_read_only_document(qtbot, doc, tmp_path):
    doc.save_as(tmp_path / "copy.cjm", switch=False)
    with Document.open(tmp_path / "copy.cjm", read_only=True) as view:
        window = shown_window(qtbot, view)
        window.scene.select_cards([next(iter(view.data.cards))])
        assert window.properties.card_id is not None
        assert not window.properties.author.isEnabled()
        window.close()
