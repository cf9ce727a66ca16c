"""Long work off the GUI thread: a worker in QThreadPool, a progress dialog that can cancel.

``run_task(parent, title, work, on_done=...)`` runs ``work(progress, cancelled)`` on a
pool thread. ``progress(fraction, message)`` moves the dialog's bar (fraction None: busy);
``cancelled()`` turns True once the user pressed Cancel, and cooperative work (the
exporters' ``ExportOptions.report``) then raises :class:`~app.errors.Cancelled`.

Everything the caller sees happens on the GUI thread: ``on_done(result)``, ``on_error(err)``,
``on_discard(result)`` (a result that arrived after Cancel, e.g. an opened document that
must be closed again). A user error (:class:`~app.errors.WaymarkError`, ``ValueError``,
``OSError``) is shown as one line in a message box, never a traceback; anything else is
a bug and goes to ``sys.excepthook`` (the crash dialog of app/ui/app.py).

The work must not touch the SQLite document: hand it a snapshot (``Document.snapshot()``, or
``app.export.service.frozen_snapshot`` which shares the never-mutated rows)
taken on the GUI thread.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QWidget,
)

from app.errors import Cancelled, WaymarkError
from app.model.document import Document
from app.ui.support import collector

log = logging.getLogger(__name__)

#: progress(fraction 0..1 or None for "busy", message)
Report = Callable[[float | None, str], None]
Work = Callable[[Report, Callable[[], bool]], Any]
STEPS = 1000  # resolution of the progress bar
SHOW_AFTER_MS = 300  # quick tasks finish without a dialog flashing up
#: Tasks still running (kept referenced until they finish).
RUNNING: set[Task] = set()


def user_message(err: BaseException) -> str | None:
    """The one line to show for a user error, or None when ``err`` is a bug."""
    if isinstance(err, WaymarkError):
        return err.message
    if isinstance(err, OSError):
        name = f" ({err.filename})" if err.filename else ""
        return f"{err.strerror or err}{name}"
    if isinstance(err, ValueError | MemoryError):
        text = str(err).strip().splitlines()
        return text[0][:300] if text else type(err).__name__
    return None


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        # Qt objects must be destroyed on the GUI thread: the worker never keeps the last
        # reference to anything the work closed over (a window deleted here would leave its
        # timers registered with the GUI thread and crash it). The task drops its closures
        # in _finish, on the GUI thread; here only temporaries and the task itself are held.
        task, self.task = self.task, None
        try:
            box = [task.work(task._report, task.cancel_event.is_set)]
        except BaseException as err:  # delivered to the GUI thread, never lost
            box = [err]
            self._emit(task, task._sig_failed, box)
        else:
            self._emit(task, task._sig_done, box)
        # The GUI thread may have ended the task already and let go of it: this local
        # would then be the last reference, and a task without a parent (Python owns its
        # QObject) would be destroyed here, off the GUI thread (a crash later). So the
        # reference goes to the GUI thread, which drops it (_drop_retired).
        with _RETIRE_LOCK:
            _RETIRED.append(task)
            del task

    @staticmethod
    def _emit(task: Task, signal: Any, box: list[Any]) -> None:
        with task._lock:  # see Task._abandoned: the task may be destroyed meanwhile
            if not task._destroyed:
                task._undelivered = box[0]
        try:
            signal.emit(box[0])
        except RuntimeError:  # the window (and the task with it) was closed meanwhile
            log.info("task %r ended after its window closed", task.title)
            task._undelivered = None
            _forget(task)
            if isinstance(box[0], Document):  # e.g. an open whose window went away
                box[0].close()
        finally:
            box.clear()
            with task._lock:
                task._worker_done = True
                abandoned = task._destroyed
            if abandoned:  # destroyed while this worker was finishing: nobody else will
                _forget(task)


class Task(QObject):
    """One piece of work on a pool thread with its progress dialog (GUI-thread object)."""

    _sig_progress = Signal(float, str)
    _sig_done = Signal(object)
    _sig_failed = Signal(object)
    #: Emitted on the GUI thread when the task has ended in any way.
    ended = Signal()

    def __init__(self, parent: QWidget | None, title: str, work: Work, *,
                 label: str = "", on_done: Callable[[Any], None] | None = None,
                 on_error: Callable[[BaseException], None] | None = None,
                 on_discard: Callable[[Any], None] | None = None,
                 dialog: bool = True) -> None:
        super().__init__(parent)
        self.title = title
        self.label = label or title
        self.work = work
        self.on_done = on_done
        self.on_error = on_error
        self.on_discard = on_discard
        self.cancel_event = threading.Event()
        # The task goes when its parent does. If that happens after the worker sent its
        # result but before the GUI thread received it, Qt drops the queued result: the
        # task must still leave RUNNING (or the cycle collector stays off for good) and
        # a document it opened must be closed. ``_lock`` orders that with the worker.
        self._lock = threading.Lock()
        self._destroyed = False
        self._worker_done = False
        self._undelivered: Any = None
        ref = weakref.ref(self)  # no cycle through the connection: a parentless task goes
        self.destroyed.connect(lambda *_a: (task := ref()) is not None and task._abandoned())
        #: "running", "done", "failed" or "cancelled"
        self.state = "running"
        self.result: Any = None
        self.error: BaseException | None = None
        #: The message box of a failure (kept so tests and callers can read or close it).
        self.error_box: QMessageBox | None = None
        self._sig_progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._sig_done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self._sig_failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self.dialog: QProgressDialog | None = None
        if dialog:
            d = QProgressDialog(label or title, "Cancel", 0, STEPS, parent)
            d.setWindowTitle(title)
            d.setWindowModality(Qt.WindowModality.WindowModal)
            d.setAutoClose(False)
            d.setAutoReset(False)
            d.setMinimumDuration(SHOW_AFTER_MS)
            self._bar = QProgressBar(d)  # driven directly once shown (see _on_progress)
            d.setBar(self._bar)
            d.setRange(0, STEPS)  # the new bar's own range is 0..100
            d.setValue(0)
            d.canceled.connect(self.cancel)
            self.dialog = d

    # ------------------------------------------------------------ control
    def start(self) -> Task:
        """Queue the work on the global thread pool."""
        _drop_retired()
        # No garbage collection while a worker runs: Python's cycle collector, run in the
        # worker, could finalise a closed window (a Qt object in a reference cycle) there,
        # and Qt objects destroyed off the GUI thread crash the GUI thread later.
        collector.hold()
        RUNNING.add(self)
        QThreadPool.globalInstance().start(_Runnable(self))
        return self

    def cancel(self) -> None:
        """Ask the work to stop (it stops at its next progress report)."""
        if self.state != "running":
            return
        self.cancel_event.set()
        d = self._live_dialog()
        if d is not None:
            d.setLabelText("Cancelling…")
            d.setCancelButtonText("")  # no second cancel; the dialog stays until done

    def _live_dialog(self) -> QProgressDialog | None:
        """The progress dialog, or None once it is gone.

        Qt can destroy the dialog before the task ends (with its parent window, or a
        nested event loop carrying out a deferred delete): its Python wrapper then outlives
        the C++ object, and touching it raises. The task carries on without a dialog.
        """
        d = self.dialog
        if d is not None and not shiboken6.isValid(d):
            self.dialog = d = None
        return d

    @property
    def done(self) -> bool:
        """True once the task has ended (done, failed or cancelled)."""
        return self.state != "running"

    def _abandoned(self) -> None:
        """The Qt object is being destroyed (with its parent), on the GUI thread."""
        with self._lock:
            self._destroyed = True
            finished = self._worker_done
            late, self._undelivered = self._undelivered, None
        if not finished or self not in RUNNING:
            return  # ended normally, or the worker will see the task gone (_emit)
        log.info("task %r ended after its window closed", self.title)
        self.work = None  # type: ignore[assignment]
        self.on_done = self.on_error = self.on_discard = None
        _forget(self)
        if isinstance(late, Document):  # an open whose window went away
            late.close()

    # ------------------------------------------------------------ worker side
    def _report(self, fraction: float | None, message: str) -> None:
        """Called on the worker thread; crosses to the GUI thread as a queued signal."""
        try:
            self._sig_progress.emit(-1.0 if fraction is None else float(fraction), message)
        except RuntimeError:  # the window closed: stop the work
            self.cancel_event.set()

    # ------------------------------------------------------------ GUI side
    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        d = self._live_dialog()
        if d is None or self.done:
            return
        if fraction < 0:
            d.setRange(0, 0)  # busy indicator
        else:
            if d.maximum() == 0:
                d.setRange(0, STEPS)
            value = max(0, min(STEPS - 1, round(fraction * STEPS)))
            if d.isVisible():
                # A shown modal QProgressDialog's setValue() runs processEvents(): the
                # task's own result could then be handled inside it, and the dialog
                # deleted under it (a crash in Qt's code, or "already deleted" here).
                # The bar itself does not process events.
                self._bar.setValue(value)
            else:
                d.setValue(value)  # shows the dialog once the work outlasts SHOW_AFTER_MS
        if message and not self.cancel_event.is_set():
            base = self.label.rstrip("…")
            d.setLabelText(f"{base}: {message.rstrip('…')}…")

    @Slot(object)
    def _on_done(self, result: Any) -> None:
        self._undelivered = None
        self.result = result
        on_done, on_discard = self.on_done, self.on_discard  # _finish releases them
        if self.cancel_event.is_set():
            self._finish("cancelled")
            if on_discard is not None:
                on_discard(result)
            return
        self._finish("done")
        if on_done is not None:
            on_done(result)

    @Slot(object)
    def _on_failed(self, err: BaseException) -> None:
        self._undelivered = None
        self.error = err
        if isinstance(err, Cancelled) or (self.cancel_event.is_set()
                                          and user_message(err) is not None):
            self._finish("cancelled")
            return
        on_error = self.on_error  # _finish releases it
        self._finish("failed")
        if on_error is not None:
            on_error(err)
        else:
            self.show_failure(err)

    def show_failure(self, err: BaseException) -> None:
        """The default: a user error is one line in a box; a bug goes to the crash handler."""
        message = user_message(err)
        if message is None:  # a bug: the crash handler logs it and shows the details
            sys.excepthook(type(err), err, err.__traceback__)
            return
        self.error_box = show_error(self.parent_widget(), self.title, message,
                                    getattr(err, "details", None))

    def parent_widget(self) -> QWidget | None:
        """The widget the task's dialogs belong to."""
        p = self.parent()
        return p if isinstance(p, QWidget) else None

    def _finish(self, state: str) -> None:
        self.state = state
        d = self._live_dialog()
        if d is not None:
            d.canceled.disconnect(self.cancel)
            d.reset()
            d.hide()
            d.deleteLater()
        self.dialog = None
        _leave_running(self)
        _drop_retired()
        # Release the closures here, on the GUI thread (see _Runnable.run).
        self.work = None  # type: ignore[assignment]
        self.on_done = self.on_error = self.on_discard = None
        self.ended.emit()


#: Tasks whose worker has finished, kept until the GUI thread drops them (see _Runnable.run).
_RETIRED: list[Task] = []
_RETIRE_LOCK = threading.Lock()


def _drop_retired() -> None:
    """On the GUI thread: let go of the tasks workers handed back."""
    with _RETIRE_LOCK:
        retired = _RETIRED[:]
        _RETIRED.clear()
    del retired  # the last references, if they are, go here: on the GUI thread


def _forget(task: Task) -> None:
    """``task`` has ended without reaching its slots: off the running list."""
    _leave_running(task)


def _leave_running(task: Task) -> None:
    """``task`` is off the running list; the last one to go resumes collection."""
    if task in RUNNING:
        RUNNING.discard(task)
        collector.release()


def show_error(parent: QWidget | None, title: str, message: str,
               details: list[str] | None = None) -> QMessageBox:
    """A non-blocking warning box: one line, further lines (never a traceback) on request."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message,
                      QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names and card text stay literal
    if details:
        box.setDetailedText("\n".join(details))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


@contextlib.contextmanager
def busy_cursor() -> Iterator[None]:
    """A wait cursor for GUI-thread work that cannot move to a worker (e.g. building a canvas)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def run_task(parent: QWidget | None, title: str, work: Work, **kwargs: Any) -> Task:
    """Start ``work`` on a pool thread with a progress dialog; see :class:`Task`."""
    return Task(parent, title, work, **kwargs).start()


def wait_all(timeout_ms: int = 30_000) -> bool:
    """Process events until every running task has ended (for shutdown and scripts)."""
    from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop

    deadline = QDeadlineTimer(timeout_ms)
    while RUNNING and not deadline.hasExpired():
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QThreadPool.globalInstance().waitForDone(10)
    return not RUNNING
