"""The in-app user guide: the Markdown pages of docs/guide rendered by Qt's QTextBrowser.

Links between pages open in the viewer (with Back and Forward), a ``#heading`` part
scrolls to that heading (GitHub's heading slugs, so the same links work on the web),
links to the web open in the browser, and screenshots are scaled down to the page width.
Nothing is fetched from the network.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QImage, QKeySequence, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.support.scrolling import fit_to_screen

MAX_IMAGE_WIDTH = 760  # pixels: screenshots wider than this are shown scaled down


def slug(text: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def page_title(path: Path) -> str:
    """The first ``# heading`` of a Markdown page (or its file name)."""
    try:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    except OSError:
        pass
    return path.stem


class GuideBrowser(QTextBrowser):
    """A QTextBrowser for the guide: Markdown pages, heading anchors, fitted images."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(True)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._external)
        self.setAccessibleName(self.tr("User guide page"))

    def _external(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)

    def doSetSource(self, name: QUrl, type: QTextDocument.ResourceType
                    = QTextDocument.ResourceType.UnknownResource) -> None:
        """Load a page (Markdown by its suffix) and scroll to its ``#heading``."""
        if name.scheme() in ("http", "https", "mailto"):
            return  # opened in the browser by _external
        fragment = name.fragment()
        page = QUrl(name)
        page.setFragment(None)
        if page.isLocalFile() and page.toLocalFile().lower().endswith((".md", ".markdown")):
            type = QTextDocument.ResourceType.MarkdownResource
        super().doSetSource(page, type)
        if fragment:
            self.scroll_to_heading(fragment)

    def scroll_to_heading(self, anchor: str) -> bool:
        """Scroll to the heading whose slug is ``anchor``; False when there is none."""
        block = self.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() and slug(block.text()) == anchor.lower():
                cursor = QTextCursor(block)
                self.setTextCursor(cursor)
                bar = self.verticalScrollBar()
                bar.setValue(bar.maximum())  # so the heading ends up at the top
                self.ensureCursorVisible()
                return True
            block = block.next()
        return False

    def loadResource(self, type: int, name: QUrl) -> object:
        """Images are scaled down to fit the page."""
        data = super().loadResource(type, name)
        if type == QTextDocument.ResourceType.ImageResource.value and data is not None:
            image = data if isinstance(data, QImage) else QImage.fromData(data)
            if not image.isNull() and image.width() > MAX_IMAGE_WIDTH:
                return image.scaledToWidth(MAX_IMAGE_WIDTH)
            return image
        return data


class HelpViewer(QDialog):
    """The guide: a page list, Back / Forward / Contents, and the page."""

    def __init__(self, guide_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guide_dir = guide_dir
        self.setWindowTitle(self.tr("Waymark User Guide"))
        fit_to_screen(self, 1000, 760)
        self.browser = GuideBrowser(self)
        self.browser.setSearchPaths([str(guide_dir)])
        self.pages = QListWidget()
        self.pages.setAccessibleName(self.tr("Guide pages"))
        for path in self.page_files():
            item = QListWidgetItem(page_title(path))
            item.setData(256, QUrl.fromLocalFile(str(path)))
            self.pages.addItem(item)
        self.pages.itemActivated.connect(lambda it: self.browser.setSource(it.data(256)))
        self.pages.itemClicked.connect(lambda it: self.browser.setSource(it.data(256)))
        self.back = self._button(self.tr("Back"), self.browser.backward,
                                 QKeySequence.StandardKey.Back)
        self.forward = self._button(self.tr("Forward"), self.browser.forward,
                                    QKeySequence.StandardKey.Forward)
        self.home = self._button(self.tr("Contents"), self.browser.home, None)
        self.browser.backwardAvailable.connect(self.back.setEnabled)
        self.browser.forwardAvailable.connect(self.forward.setEnabled)
        self.browser.sourceChanged.connect(self._page_changed)
        self.back.setEnabled(False)
        self.forward.setEnabled(False)
        bar = QHBoxLayout()
        for b in (self.back, self.forward, self.home):
            bar.addWidget(b)
        bar.addStretch(1)
        split = QSplitter()
        split.addWidget(self.pages)
        split.addWidget(self.browser)
        split.setSizes([220, 780])
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(split, 1)
        self.open_page("README.md")

    def _button(self, text: str, slot, key) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.clicked.connect(slot)
        if key is not None:
            button.setShortcut(QKeySequence(key))
        return button

    def page_files(self) -> list[Path]:
        """The guide's pages: the contents page, then the pages in the order it links
        them, then any page it does not link (by name)."""
        files = sorted(self.guide_dir.glob("*.md"))
        contents = self.guide_dir / "README.md"
        try:
            text = contents.read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        linked = list(dict.fromkeys(re.findall(r"\]\(([\w.-]+\.md)(?:#[^)]*)?\)", text)))
        rank = {name: i for i, name in enumerate(["README.md", *linked])}
        return sorted(files, key=lambda p: (rank.get(p.name, len(rank)), p.name))

    def open_page(self, page: str) -> None:
        """Show ``page`` (``workshop.md``, ``README.md#languages``)."""
        name, _, fragment = page.partition("#")
        url = QUrl.fromLocalFile(str(self.guide_dir / name))
        if fragment:
            url.setFragment(fragment)
        self.browser.setSource(url)

    def _page_changed(self, url: QUrl) -> None:
        for i in range(self.pages.count()):
            item = self.pages.item(i)
            if item.data(256).toLocalFile() == url.toLocalFile():
                self.pages.setCurrentItem(item)
                break
        title = self.browser.documentTitle() or page_title(Path(url.toLocalFile()))
        whole = self.tr("Waymark User Guide")
        self.setWindowTitle(whole if title.casefold() == whole.casefold()
                            else self.tr("{0} — Waymark User Guide").format(title))

    def current_page(self) -> str:
        """The file name of the page shown."""
        return Path(self.browser.source().toLocalFile()).name
