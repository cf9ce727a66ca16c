"""Translations: Qt's own strings and Waymark's, for the user's locale, when installed.

Only English ships now. A translation is a Qt ``.qm`` file named
``waymark_<locale>.qm`` (``waymark_de.qm``, ``waymark_pt_BR.qm``) in
``resources/translations``; the strings come from the ``tr()`` /
``QCoreApplication.translate()`` calls in app/ui::

    pyside6-lupdate app/ui/*.py app/ui/panels/*.py -ts resources/translations/waymark_de.ts
    # translate with Qt Linguist (or any .ts editor), then
    pyside6-lrelease resources/translations/waymark_de.ts -qm resources/translations/waymark_de.qm

Qt's own strings (OK, Cancel, the file dialogs) come from the translations
shipped with Qt.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.resources import resource_path

log = logging.getLogger(__name__)
TRANSLATIONS = resource_path("translations")
#: Installed translators (kept referenced: Qt does not own them).
_installed: list[QTranslator] = []


def install_translators(locale: QLocale | None = None,
                        folder: Path | None = None) -> list[str]:
    """Load Qt's and Waymark's translations for ``locale`` (default: the system's).

    Replaces translators installed before. Returns the files loaded (none for English).
    """
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_translators needs a QCoreApplication")
    remove_translators()
    locale = locale or QLocale()
    loaded: list[str] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, where in (("qtbase", qt_dir), ("waymark", str(folder or TRANSLATIONS))):
        translator = QTranslator()
        if translator.load(locale, name, "_", where):
            app.installTranslator(translator)
            _installed.append(translator)
            loaded.append(translator.filePath())
    if loaded:
        log.info("translations loaded: %s", ", ".join(loaded))
    return loaded


def remove_translators() -> None:
    """Back to the source strings (English)."""
    app = QCoreApplication.instance()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            app.removeTranslator(translator)
