"""run_gui: start the editor (``waymark`` and ``waymark FILE``).

With no file, the sample map opens as a new untitled document in the user's
data folder (``…/Waymark/untitled``); an untitled document left there by a
session that crashed is reopened instead, so no work is lost (or, when the
user asked for it in Preferences, the last document opened). Uncaught
exceptions are logged to ``waymark.log`` in the user's log folder (platformdirs'
user_log_dir) and shown in a dialog with a button that copies the details.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path

from app.errors import DocumentLockedError, WaymarkError

log = logging.getLogger(__name__)


def display_available() -> bool:
    """False on Linux/BSD when neither X11 nor Wayland is reachable (and no Qt platform forced)."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith(("linux", "freebsd", "openbsd")):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def data_dir() -> Path:
    """The user's Waymark data folder (created)."""
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    folder = Path(base or Path.home() / ".waymark")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_dir() -> Path:
    """The user's Waymark log folder (created), e.g. ``~/.local/state/waymark/log``."""
    from platformdirs import user_log_dir

    folder = Path(user_log_dir("waymark", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def untitled_dir() -> Path:
    """Where untitled documents live until saved under a name."""
    folder = data_dir() / "untitled"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_untitled() -> tuple[object, bool]:
    """(document, recovered): a crashed session's untitled map, or a new sample map."""
    from app.model.document import Document

    folder = untitled_dir()
    for old in sorted(folder.glob("*.cjm")):
        try:
            return Document.open(old), True
        except DocumentLockedError:
            continue  # another Waymark window is using it
        except WaymarkError as err:
            log.warning("untitled file %s unusable: %s", old.name, err)
            old.rename(old.with_suffix(".cjm.damaged"))
    n = 1
    while (folder / f"Untitled-{n}.cjm").exists():
        n += 1
    return Document.create(folder / f"Untitled-{n}.cjm", template="sample"), False


def run_gui(path: Path | None) -> int:
    """Start the editor on ``path`` (None: the sample map, untitled); returns the exit code."""
    if not display_available():
        print("waymark: no display available (no DISPLAY or WAYLAND_DISPLAY); "
              "use `waymark export FILE` to render maps without a window")
        return 1
    from PySide6.QtGui import QImageReader
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.render.qtpaint import ensure_gui

    app = QApplication.instance() or QApplication(sys.argv[:1])
    # Behind app.model.images' header checks: Qt refuses to allocate more than this for
    # one decoded image, so a decompression bomb fails instead of exhausting memory.
    QImageReader.setAllocationLimit(256)  # megabytes
    QApplication.setApplicationName("Waymark")
    QApplication.setOrganizationName("Waymark")
    ensure_gui()
    install_crash_handler()
    from app.ui.support.i18n import install_translators

    install_translators()
    from app.ui.shell.desktop import startup_document
    from app.ui.shell.window import MainWindow, open_with_questions
    from app.ui.support.settings import Settings
    from app.ui.support.theme import apply_theme

    apply_theme(Settings().theme, app)  # type: ignore[arg-type]
    from app.ui.support.collector import install as install_collector

    install_collector(app)  # full garbage collections in quiet moments, after start-up's
    window: MainWindow | None = None
    if path is not None:
        opened = open_with_questions(Path(path))
        if opened is None:
            return 1
        window = MainWindow(opened)
    elif (last := startup_document(untitled_dir())) is not None:
        opened = open_with_questions(last)  # when it cannot be opened: the sample map
        window = MainWindow(opened) if opened is not None else None
    if window is None:
        try:
            doc, recovered = open_untitled()
        except WaymarkError as err:
            QMessageBox.critical(None, "Waymark", err.message)
            return 1
        window = MainWindow(doc, untitled=True)  # type: ignore[arg-type]
        if recovered:
            window.report(translate("Waymark", "Reopened the unsaved map from your last session"))
    window.show()
    window.view.fit_map()
    smoke = os.environ.get("WAYMARK_SMOKE_SECONDS")
    if smoke:  # packaging/build.sh: start, show the map, say what is shown, quit
        from PySide6.QtCore import QTimer

        def report_and_quit() -> None:
            scene = window.scene
            print(f"smoke: window '{window.windowTitle()}' shows "
                  f"{len(scene.cards)} cards of map {scene.map_id}", flush=True)
            window.ask_on_close = False
            window.close()
            app.quit()

        QTimer.singleShot(int(float(smoke) * 1000), report_and_quit)
    return int(app.exec())


_handlers: list[logging.Handler] = []


def install_crash_handler() -> Path:
    """Log uncaught exceptions and show them in a dialog instead of dying silently.

    Returns the log file. Installing again (a test, a second start) replaces the
    previous file handler instead of adding another.
    """
    log_path = log_dir() / "waymark.log"
    root = logging.getLogger()
    while _handlers:
        old = _handlers.pop()
        root.removeHandler(old)
        old.close()
    handler = logging.FileHandler(log_path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    _handlers.append(handler)

    def hook(kind, value, tb) -> None:
        details = "".join(traceback.format_exception(kind, value, tb))
        logging.getLogger("waymark.crash").error("uncaught exception\n%s", details)
        handler.flush()  # on disk before the dialog waits for the user
        if isinstance(value, WaymarkError):
            _show_error(value.message, "", log_path)
        elif isinstance(value, MemoryError):  # not a bug: too large for this computer
            _show_error(translate("Waymark", "There was not enough memory to finish. Your map "
                                             "is safe: every edit was already saved."), "",
                        log_path)
        else:
            _show_error(translate("Waymark", "Waymark hit a bug. Your map is safe: every "
                                             "edit was already saved."), details, log_path)

    sys.excepthook = hook
    return log_path


def translate(context: str, text: str) -> str:
    """QCoreApplication.translate, importing Qt only when called (pyside6-lupdate finds it)."""
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate(context, text)


def _show_error(message: str, details: str, log_path: Path) -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, "Waymark", message)
    if details:
        box.setInformativeText(translate("Waymark", "Details were written to {0}").format(log_path))
        box.setDetailedText(details)
        copy = box.addButton(translate("Waymark", "Copy details"),
                             QMessageBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
    box.addButton(QMessageBox.StandardButton.Ok)
    box.exec()
