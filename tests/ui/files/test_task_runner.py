"""The task runner: work on a pool thread, results and errors back on the GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

import shiboken6
from PySide6.QtWidgets import QMessageBox, QProgressBar

from app.errors import ImportProblem
from app.model import commands as C
from app.model.document import Document
from app.ui.shell.window import WINDOWS
from app.ui.support import tasks
from tests.made import new_document, new_file
from tests.ui.files.conftest import wait_task


def test_result_and_progress_arrive_on_the_gui_thread(qtbot, window):
    gui = threading.get_ident()
    seen: dict[str, object] = {}

    def work(progress, cancelled):
        seen["worker"] = threading.get_ident()
        progress(0.5, "half")
        return 42

    def done(result):
        seen["done_thread"] = threading.get_ident()
        seen["result"] = result

    task = wait_task(qtbot, tasks.run_task(window, "Sum", work, on_done=done))
    assert task.state == "done"
    assert seen["worker"] != gui and seen["done_thread"] == gui and seen["result"] == 42
    assert task.dialog is None  # the progress dialog is gone
    assert task not in tasks.RUNNING


def test_user_error_is_one_line_in_a_box_never_a_traceback(qtbot, window):
    def work(progress, cancelled):
        raise ImportProblem("2 problems in 'x.csv'", details=["row 2: a", "row 3: b"])

    task = wait_task(qtbot, tasks.run_task(window, "Import", work))
    assert task.state == "failed"
    box = task.error_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text() == "2 problems in 'x.csv'"
    assert box.detailedText() == "row 2: a\nrow 3: b"
    assert "Traceback" not in box.text() + box.detailedText()
    box.close()

    def bad_value(progress, cancelled):
        raise ValueError("could not convert string to float: 'abc'\nmore lines")

    task = wait_task(qtbot, tasks.run_task(window, "Read", bad_value))
    assert task.error_box is not None
    assert task.error_box.text() == "could not convert string to float: 'abc'"
    task.error_box.close()


def test_a_result_after_cancel_is_discarded(qtbot, window):
    gate = threading.Event()
    discarded = []
    done = []

    def work(progress, cancelled):
        gate.wait(30)
        return "late"

    task = tasks.run_task(window, "Slow", work, on_done=done.append, on_discard=discarded.append)
    task.cancel()
    gate.set()
    wait_task(qtbot, task)
    assert task.state == "cancelled" and discarded == ["late"] and done == []


def test_opening_happens_on_a_worker_and_the_document_works_on_the_gui_thread(
        qtbot, window, tmp_path):
    path = tmp_path / "big.cjm"
    with new_document(path, "sample") as d:
        m = d.data.ordered_maps()[0]
        s, ln = d.data.stages_of(m.id)[0], d.data.lanes_of(m.id)[0]
        d.execute(C.AddCards([(s.id, ln.id, {"title": f"Card {i}"}) for i in range(500)]))
    window.open_document(str(path))
    task = wait_task(qtbot, window.open_task)
    assert task.state == "done"
    opened = [w for w in WINDOWS if w.doc.path == path]
    assert len(opened) == 1
    other = opened[0]
    count = len(other.doc.data.cards)
    other.doc.execute(C.AddCard(s.id, ln.id, {"title": "after the hand-over"}))  # GUI thread
    other.close()
    with Document.open(path, read_only=True) as again:
        assert len(again.data.cards) == count + 1


def test_a_locked_file_offers_a_read_only_view(qtbot, window, doc, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.open_document(str(doc.path))  # this window holds the lock
    wait_task(qtbot, window.open_task)
    qtbot.waitUntil(lambda: any(w.doc.read_only and w.doc.path == doc.path for w in WINDOWS),
                    timeout=30_000)
    view = next(w for w in WINDOWS if w.doc.read_only and w.doc.path == doc.path)
    assert "read-only" in view.windowTitle()
    view.close()


def test_a_damaged_file_is_refused_in_one_line(qtbot, window, tmp_path):
    bad = tmp_path / "damaged.cjm"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 600)
    n = len(WINDOWS)
    window.open_document(str(bad))
    task = wait_task(qtbot, window.open_task)
    assert task.state == "failed" and task.error_box is not None
    assert "\n" not in task.error_box.text() and "Traceback" not in task.error_box.text()
    assert len(WINDOWS) == n
    task.error_box.close()


def test_cancelled_open_closes_the_document_again(qtbot, window, tmp_path, monkeypatch):
    path = tmp_path / "c.cjm"
    new_file(path, "blank")
    gate = threading.Event()
    real_open = Document.open.__func__

    def slow_open(cls, p, **kw):
        gate.wait(30)
        return real_open(cls, p, **kw)

    monkeypatch.setattr(Document, "open", classmethod(slow_open))
    n = len(WINDOWS)
    window.open_document(str(path))
    task = window.open_task
    task.cancel()
    gate.set()
    wait_task(qtbot, task)
    assert task.state == "cancelled" and len(WINDOWS) == n
    monkeypatch.undo()
    with Document.open(path) as again:  # not left locked by the discarded open
        assert again.path == Path(path)


def test_a_window_closed_during_a_task_is_destroyed_on_the_gui_thread(qtbot, window, tmp_path):
    """While a worker runs, Python's cycle collector must not run (it would run in the worker
    and destroy Qt objects there: their timers then crash the GUI thread), not even on the
    GUI thread's timer. A window closed and dropped while a garbage-heavy task runs is
    destroyed later, on the GUI thread."""
    import gc

    from app.ui.shell.window import MainWindow
    from app.ui.support import collector

    other = MainWindow(new_document(tmp_path / "other.cjm", "sample"))
    other.ask_on_close = False
    other.show()
    release, made, finish = threading.Event(), threading.Event(), threading.Event()
    destroyed_in: list[int] = []
    gui = threading.get_ident()

    def work(progress, cancelled):
        release.wait(10)
        junk = []
        for _ in range(20_000):  # enough allocations to trigger an automatic collection
            a: list = []
            a.append(a)
            junk.append(a)
        made.set()
        finish.wait(10)
        return len(junk)

    task = tasks.run_task(window, "Churn", work, dialog=False)
    assert collector.held() and not gc.isenabled()
    scene = other.scene
    scene.destroyed.connect(lambda *_: destroyed_in.append(threading.get_ident()))
    other.close()
    del other, scene
    release.set()
    assert made.wait(10)
    assert collector.due() is not None  # a collection is due...
    assert collector.held() and collector.collect_due() is None  # ...and waits for the worker
    finish.set()
    wait_task(qtbot, task)
    assert task.state == "done" and task.result == 20_000
    assert not collector.held()
    assert collector.collect_due() is not None  # on the GUI thread, now
    gc.collect()
    qtbot.wait(50)
    assert all(t == gui for t in destroyed_in)  # if it went, it went on the GUI thread


def test_a_result_dropped_with_its_closed_window_still_ends_the_task(qtbot, window, tmp_path):
    """The window goes after the worker sent its result but before the GUI thread read it
    (the gap a loaded machine widens): Qt drops the queued result with the task. The task
    must still leave the running list, the cycle collector must come back on, and a
    document the worker opened must be closed again (not left locked)."""
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool
    from PySide6.QtWidgets import QWidget

    from app.ui.support import collector

    path = tmp_path / "late.cjm"
    new_file(path, "blank")
    owner = QWidget()  # the dialog or window the task belongs to
    opened = []

    def work(progress, cancelled):
        return Document.open(path)

    task = tasks.run_task(owner, "Open", work, dialog=False, on_done=opened.append)
    assert task in tasks.RUNNING and collector.held() and not gc.isenabled()
    assert QThreadPool.globalInstance().waitForDone(30_000)  # the result is on its way...
    owner.deleteLater()  # ...and its window closes before the GUI thread reads it
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.waitUntil(lambda: task not in tasks.RUNNING, timeout=5_000)
    assert not collector.held() and opened == []
    with Document.open(path) as again:  # the late document was closed: not locked
        assert again.path == path


def test_a_task_whose_progress_dialog_goes_first_still_ends_normally(qtbot, window):
    """Qt can destroy the progress dialog while its task still runs and progress reports
    are queued (CI saw one: "Internal C++ object (QProgressDialog) already deleted" from a
    queued report). The reports after it are dropped, and the result still arrives."""
    release = threading.Event()
    reported = threading.Event()

    def work(progress, cancelled):
        progress(0.1, "reading cards")
        reported.set()
        release.wait(10)
        for i in range(50):  # reports queued for a dialog that is no longer there
            progress(i / 50, f"card {i} of 50")
        return "drawn"

    task = tasks.run_task(window, "Export", work)
    dialog = task.dialog
    assert dialog is not None and reported.wait(10)
    dialog.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=5_000)
    release.set()
    wait_task(qtbot, task)  # pytest-qt fails the test on an exception in a slot
    assert task.state == "done" and task.result == "drawn" and task.dialog is None
    assert task not in tasks.RUNNING



def test_an_on_done_that_runs_a_loop_of_its_own_while_progress_shows(qtbot, window):
    """A shown modal QProgressDialog runs the event loop inside ``setValue``: the task's
    result was handled in there, and an ``on_done`` that runs a loop of its own (a message
    box's ``exec()`` does; here the deferred deletes it would carry out) deleted the dialog
    under Qt's ``setValue`` (the suite's intermittent segfault, and "QProgressDialog
    already deleted" from the progress report that followed)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    ended: list[str] = []

    def work(progress, cancelled):
        threading.Event().wait(tasks.SHOW_AFTER_MS / 1000 + 0.2)  # the dialog is shown
        for i in range(40):
            progress(0.5 + i / 100, f"drawing card {i} of 40")
        return "drawn"

    def done(result):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        ended.append(result)

    for _ in range(5):  # pytest-qt fails the test on an exception in a slot
        task = wait_task(qtbot, tasks.run_task(window, "Export", work, on_done=done))
        assert task.state == "done" and task.dialog is None and task not in tasks.RUNNING
    assert ended == ["drawn"] * 5


def test_the_shown_progress_bar_follows_the_work(qtbot, window):
    """The shown dialog's bar is at the fraction the work reported, not full early."""
    reported = threading.Event()
    release = threading.Event()

    def work(progress, cancelled):
        threading.Event().wait(tasks.SHOW_AFTER_MS / 1000 + 0.2)  # the dialog is shown
        progress(0.1, "drawing card 7 of 70")
        progress(0.42, "drawing card 29 of 70")
        reported.set()
        release.wait(10)
        return "drawn"

    task = tasks.run_task(window, "Export", work)
    dialog = task.dialog
    assert reported.wait(10)
    qtbot.waitUntil(lambda: "card 29 of 70" in dialog.labelText(), timeout=5_000)
    bar = dialog.findChild(QProgressBar)
    assert dialog.isVisible()
    assert bar.minimum() == 0 and abs(bar.value() / bar.maximum() - 0.42) < 0.01
    release.set()
    assert wait_task(qtbot, task).state == "done"
