"""F1 shows the user guide inside Waymark: Markdown rendered, links followed, headings found."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from app.ui.dialogs.help import GUIDE_DIR
from app.ui.dialogs.help_viewer import HelpViewer, slug
from tests.ui.keyboard import activate, press


def link_point(viewer: HelpViewer, href: str) -> QPoint:
    """Where the link to ``href`` is drawn in the browser's viewport."""
    doc = viewer.browser.document()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.charFormat().isAnchor() and frag.charFormat().anchorHref() == href:
                cursor = QTextCursor(doc)
                cursor.setPosition(frag.position() + 1)
                return viewer.browser.cursorRect(cursor).center()
            it += 1
        block = block.next()
    raise AssertionError(f"no link to {href}")


def test_f1_opens_the_guide_rendered_in_the_app(qtbot, window) -> None:
    activate(qtbot, window)
    press(window, Qt.Key.Key_F1)
    viewer = window.help_viewer
    qtbot.waitExposed(viewer)
    assert viewer.current_page() == "README.md"
    text = viewer.browser.toPlainText()
    assert text.startswith("Waymark user guide")  # a heading, not "# Waymark user guide"
    assert "**" not in text and "](" not in text
    assert viewer.pages.count() == len(list(GUIDE_DIR.glob("*.md")))
    assert viewer.windowTitle() == "Waymark User Guide"  # not "Waymark user guide — Waymark …"
    # the page list in the order the contents page presents them, every page once
    contents = (GUIDE_DIR / "README.md").read_text(encoding="utf-8")
    listed = [viewer.pages.item(i).text() for i in range(viewer.pages.count())]
    linked = [viewer.pages.item(i).data(256).toLocalFile().rsplit("/", 1)[-1]
              for i in range(viewer.pages.count())]
    assert linked[0] == "README.md" and len(set(linked)) == len(linked)
    at = [contents.index(f"]({name}") for name in linked[1:] if f"]({name}" in contents]
    assert at == sorted(at) and len(at) >= 4, (listed, at)


def test_links_between_pages_back_and_forward(qtbot, window) -> None:
    viewer = window.help_viewer = HelpViewer(GUIDE_DIR, window)
    qtbot.addWidget(viewer)
    viewer.show()
    qtbot.waitExposed(viewer)
    qtbot.mouseClick(viewer.browser.viewport(), Qt.MouseButton.LeftButton,
                     pos=link_point(viewer, "workshop.md"))
    assert viewer.current_page() == "workshop.md"
    assert viewer.browser.toPlainText().startswith("Building a map in a workshop")
    assert viewer.windowTitle().startswith("Building a map in a workshop")
    assert viewer.back.isEnabled()
    viewer.back.click()
    assert viewer.current_page() == "README.md"
    viewer.forward.click()
    assert viewer.current_page() == "workshop.md"
    viewer.home.click()
    assert viewer.current_page() == "README.md"


def test_a_heading_link_scrolls_to_the_heading(qtbot, window) -> None:
    viewer = HelpViewer(GUIDE_DIR, window)
    qtbot.addWidget(viewer)
    viewer.resize(700, 300)
    viewer.show()
    qtbot.waitExposed(viewer)
    viewer.open_page("README.md#languages")
    cursor = viewer.browser.textCursor()
    assert cursor.block().text() == "Languages"
    assert viewer.browser.verticalScrollBar().value() > 0
    assert viewer.browser.scroll_to_heading("no-such-heading") is False


def test_screenshots_fit_the_page(qtbot, window) -> None:
    viewer = HelpViewer(GUIDE_DIR, window)
    qtbot.addWidget(viewer)
    viewer.open_page("workshop.md")
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    image = viewer.browser.loadResource(QTextDocument.ResourceType.ImageResource.value,
                                        QUrl.fromLocalFile(str(GUIDE_DIR.parent / "images"
                                                               / "workshop.png")))
    assert 0 < image.width() <= 760


def test_heading_slugs_match_github() -> None:
    assert slug("Preferences, themes and help") == "preferences-themes-and-help"
    assert slug("Dot voting") == "dot-voting"
    assert slug("Keyboard capture (workshop)") == "keyboard-capture-workshop"
