"""Kill -9 the editor again and again while it does real work: no acknowledged edit is
ever lost, the file always opens whole, and no temporary file is left behind.

    .venv/bin/python scripts/longcheck_kill.py [--kills 1000] [--display :16] [--seed 1]

Each round starts the real editor (MainWindow, docks shown) on one document, which then
does what a person does, at random: drags cards between cells with the mouse (press,
moves, release on the canvas), exports through File > Export… (PDF or CSV, written off
the GUI thread), imports a CSV through File > Import… (Add to this document), and deletes
an imported map when there are many. After each edit the editor prints the undo step it
acknowledged. The round is killed with SIGKILL at a random moment; the file is then
opened for editing (which applies a journal left mid-commit), checked with SQLite's
``integrity_check``, and every acknowledged step must be in its undo history, with at
most one more (committed but killed before it could say so). At the end one more round
runs to completion, and the folders are checked for temporary files (beside the
document and the exports, and in the temporary folder the rounds used).

With ``--display`` the editor runs on that X display (start ``Xvfb :16 -screen 0
1600x1000x24`` first); without it, on Qt's offscreen platform. It is a long check (about
three seconds a round), not part of the test suite: see the README's longer checks.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CSV = ("stage,lane,title,body\n"
       "Arrivée,Actions,Scanner le billet,le portique refuse parfois les billets pliés\n"
       "Arrivée,Pain points,File d'attente,\"20 minutes, sous la pluie\"\n"
       "Départ,Actions,Trouver le quai,\"écran en panne; voie 7\"\n"
       "Départ,Ideas,Plan du quai 🚆,afficher la voie sur le billet\n")


# ------------------------------------------------------------------ the editor (child)
def child(doc_path: Path, folder: Path, seed: int, rounds: int | None) -> None:
    """Run the editor and act at random until killed (or for ``rounds`` actions)."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.model import commands as C
    from app.model.document import Document
    from app.ui.shell.window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from app.ui.support.settings import Settings

    Settings().history_limit = 100_000  # the window applies it: every step stays checkable
    doc = Document.open(doc_path)
    window = MainWindow(doc)
    window.ask_on_close = False
    window.show()
    QTest.qWaitForWindowExposed(window)
    rng = random.Random(seed)
    print("ready", flush=True)

    def settle(ms: int = 5) -> None:
        QTest.qWait(ms)
        app.processEvents()

    def acknowledge(before: int) -> None:
        steps = doc.history()
        if len(steps) > before:
            print(f"ack {steps[-1].seq} {steps[-1].label}", flush=True)

    def wait_for(done, limit: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
        end = time.monotonic() + limit
        while not done():
            if time.monotonic() > end:
                return False
            settle(10)
        return True

    def drag() -> None:
        view, scene = window.view, window.scene
        lay = scene.layout
        if lay is None or not lay.cards:
            return
        card_id = rng.choice(sorted(lay.cards))
        card = doc.data.cards.get(card_id)
        if card is None:
            return
        cells = [(s.id, ln.id) for s in doc.data.stages_of(card.map_id)
                 for ln in doc.data.lanes_of(card.map_id)
                 if (s.id, ln.id) != (card.stage_id, card.lane_id)]
        if not cells:
            return
        target = scene.cell_rect(*rng.choice(cells))
        r = lay.cards[card_id].rect
        view.fit_map()  # the card and its target both on screen
        settle()
        a = view.mapFromScene(QPointF(r.x + r.w * 0.3, r.y + min(8.0, r.h / 3)))
        b = view.mapFromScene(QPointF(target.x + 30, target.bottom - 4))
        w = view.viewport()
        before = len(doc.history())
        QTest.mousePress(w, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
        for i in range(1, 6):
            p = a + (b - a) * (i / 5)
            QTest.mouseMove(w, QPoint(int(p.x()), int(p.y())), 5)
        QTest.mouseRelease(w, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)
        settle()
        acknowledge(before)

    def export() -> None:
        window.act_export.trigger()
        dlg = window.export_dialog
        fmt = rng.choice(["pdf", "csv"])
        dlg.format.setCurrentIndex(dlg.format.findData(fmt))
        out = folder / f"poster-{rng.randint(0, 3)}.{fmt}"
        out.unlink(missing_ok=True)  # the dialog would ask before replacing it
        dlg.path.setText(str(out))
        if not dlg.export_button.isEnabled():
            dlg.reject()
            return
        dlg.export_button.click()
        task = window.export_task
        wait_for(lambda: task.state != "running")
        print(f"exported {task.state}", flush=True)

    def import_csv() -> None:
        before = len(doc.history())
        window.import_file(folder / "stations.csv")
        dlg = window.import_dialog
        if not wait_for(lambda: dlg.result_ is not None or bool(dlg.problems), 30):
            dlg.reject()
            return
        if dlg.result_ is not None and dlg.add_button.isEnabled():
            dlg.add_button.click()
        else:
            dlg.reject()
        settle()
        acknowledge(before)

    def tidy() -> None:
        imported = [m for m in doc.data.ordered_maps() if m.title.casefold() == "stations"]
        if len(imported) > 3:
            before = len(doc.history())
            window.run(C.DeleteMap(imported[-1].id))
            settle()
            acknowledge(before)

    done = 0
    while rounds is None or done < rounds:
        action = rng.choices([drag, export, import_csv, tidy], weights=[12, 2, 1, 1])[0]
        if os.environ.get("LONGCHECK_VERBOSE"):
            print("action", action.__name__, file=sys.stderr, flush=True)
        action()
        done += 1
    window.close()
    settle(50)


# ------------------------------------------------------------------ the checker (parent)
def _temporaries(folders: list[Path]) -> list[str]:
    found = []
    for folder in folders:
        for p in folder.iterdir():
            if p.name.startswith((".wm-", "waymark-")) or p.name.endswith("-journal"):
                found.append(str(p))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--display", help="an X display (Xvfb); default: offscreen")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=3, metavar=("DOC", "FOLDER", "SEED"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), int(args.child[2]), args.rounds)
        return 0

    from app.model.document import Document

    work = Path(tempfile.mkdtemp(prefix="waymark-longcheck-"))
    tmp = work / "tmp"  # the temporary folder of every round
    tmp.mkdir()
    doc_path = work / "journey.cjm"
    with Document.create(doc_path, template="sample") as doc:
        doc.set_history_limit(100_000)  # every acknowledged step stays checkable
    (work / "stations.csv").write_text(CSV, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp),
           "WAYMARK_BACKUP_DIR": str(work / "backups"), "XDG_CONFIG_HOME": str(work / "config"),
           "XDG_DATA_HOME": str(work / "data"), "XDG_STATE_HOME": str(work / "state")}
    if args.display:
        env.update(DISPLAY=args.display, QT_QPA_PLATFORM="xcb")
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    rng = random.Random(args.seed)
    acknowledged: dict[int, str] = {}
    counts = {"kills": 0, "acknowledged": 0, "extra_committed": 0, "exports": 0,
              "journals_applied": 0, "max_temporaries_mid_run": 0}
    started = time.monotonic()
    for kill in range(args.kills):
        proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child",
                                 str(doc_path), str(work), str(rng.randrange(2**31))],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env, cwd=ROOT)
        assert proc.stdout is not None
        first = proc.stdout.readline()
        if first.strip() != "ready":
            print(proc.communicate()[1][-3000:], file=sys.stderr)
            raise SystemExit(f"round {kill}: the editor did not start")
        time.sleep(rng.uniform(0.1, 2.5))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
        if "Traceback" in err:
            print(err[-3000:], file=sys.stderr)
            raise SystemExit(f"round {kill}: the editor raised")
        for line in out.splitlines():
            if line.startswith("ack "):
                _, seq, label = line.split(" ", 2)
                acknowledged[int(seq)] = label
            elif line.startswith("exported done"):
                counts["exports"] += 1
        counts["kills"] += 1
        counts["max_temporaries_mid_run"] = max(counts["max_temporaries_mid_run"],
                                                len(_temporaries([work, tmp])))
        if Path(f"{doc_path}-journal").exists():
            counts["journals_applied"] += 1
        with Document.open(doc_path) as doc:  # applies a journal left mid-commit
            raw = doc._conn.connection.dbapi_connection
            assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            steps = {s.seq: s.label for s in doc.history()}
        lost = {s: lab for s, lab in acknowledged.items() if steps.get(s) != lab}
        if lost:
            raise SystemExit(f"round {kill}: acknowledged steps lost: {sorted(lost)[:10]}")
        extra = [s for s in steps if s > max(acknowledged, default=0)]
        if len(extra) > 1:
            raise SystemExit(f"round {kill}: {len(extra)} unacknowledged steps")
        for s in extra:  # committed, killed before it could print: acknowledged from now
            acknowledged[s] = steps[s]
            counts["extra_committed"] += 1
        if kill % 50 == 49:
            print(f"{kill + 1} kills, {len(acknowledged)} steps checked, "
                  f"{time.monotonic() - started:.0f} s", flush=True)
    counts["acknowledged"] = len(acknowledged)
    # one round to completion: its exports and its open sweep what killed rounds left
    result = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child",
                             str(doc_path), str(work), "7", "--rounds", "40"],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    if result.returncode != 0:
        print(result.stderr[-3000:], file=sys.stderr)
        raise SystemExit("the final round failed")
    left = _temporaries([work, tmp])
    con = sqlite3.connect(f"file:{doc_path}?mode=ro", uri=True)
    integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    con.close()
    print(f"done in {time.monotonic() - started:.0f} s: {counts}")
    print(f"integrity: {integrity}; temporary files left: {left or 'none'}")
    if integrity == "ok" and not left:
        shutil.rmtree(work, ignore_errors=True)
        return 0
    print(f"kept for a look: {work}")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
