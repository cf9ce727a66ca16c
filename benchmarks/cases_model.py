"""Document cases: open, durable edit, undo and redo, each against raw SQLite or itself."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from app.model.commands import MoveCards, UpdateCard
from app.model.document import Document
from benchmarks.context import Context
from benchmarks.harness import stats, time_call, time_samples
from benchmarks.results import Result

MODEL_TABLES = ("personas", "maps", "stages", "lanes", "cards", "links")
PRAGMAS = ("journal_mode=DELETE", "synchronous=FULL", "foreign_keys=ON", "mmap_size=0",
           "locking_mode=EXCLUSIVE")


def _raw_read(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        rows = 0
        for table in MODEL_TABLES:
            rows += len(con.execute(f"SELECT * FROM {table}").fetchall())
        return rows
    finally:
        con.close()


def case_open(ctx: Context) -> list[Result]:
    """A .cjm to a validated document in memory, against raw fetchall of the same rows."""
    out = []
    for size in ctx.sizes(("100", "1000", "10000", "40stages")):
        path = ctx.cjm(size)

        def open_doc(path: Path = path) -> None:
            doc = Document.open(path)
            try:
                assert doc.data.cards
            finally:
                doc.close()

        r = Result("open", size, baseline_name="raw sqlite3 fetchall",
                   figures=time_call(open_doc, ctx.plan),
                   baseline=time_call(lambda path=path: _raw_read(path), ctx.plan))
        if size == "10000":
            r.target = "<= 0.5 s"
            r.target_met = r.figures["median_s"] <= 0.5
        out.append(r.finish())
    return out


def _edit_doc(doc: Document, size_cards: list[int], stage_ids: list[int], lane_ids: list[int]
              ) -> Callable[[int], None]:
    def step(i: int) -> None:
        card = size_cards[i % len(size_cards)]
        if i % 2:
            doc.execute(UpdateCard(card, {"title": f"Edited title {i}"}))
        else:
            doc.execute(MoveCards([(card, stage_ids[i % len(stage_ids)],
                                    lane_ids[i % len(lane_ids)], 0)]))
    return step


def case_durable_edit(ctx: Context) -> list[Result]:
    """One command committed to disk, per edit over 200 edits; raw UPDATE+COMMIT baseline."""
    out = []
    count = ctx.plan.samples
    for size in ctx.sizes(("1000", "10000"), ("100", "1000")):
        data = ctx.data(size)
        cards = sorted(data.cards)[:count]
        stages = sorted(data.stages)
        lanes = sorted(data.lanes)
        doc = Document.open(ctx.copy(size, f"edit-{size}.cjm"))
        try:
            figures = time_samples(_edit_doc(doc, cards, stages, lanes), count)
        finally:
            doc.close()
        raw_path = ctx.copy(size, f"edit-raw-{size}.cjm")
        con = sqlite3.connect(raw_path, isolation_level=None)
        try:
            for pragma in PRAGMAS:
                con.execute(f"PRAGMA {pragma}")

            def raw(i: int, con: sqlite3.Connection = con, cards: list[int] = cards) -> None:
                con.execute("BEGIN")
                con.execute("UPDATE cards SET title=? WHERE id=?",
                            (f"Edited title {i}", cards[i % len(cards)]))
                con.execute("COMMIT")

            baseline = time_samples(raw, count)
        finally:
            con.close()
        r = Result("durable edit", size, figures=figures, baseline=baseline,
                   baseline_name="raw UPDATE+COMMIT (DELETE journal, synchronous=FULL)",
                   target="median <= 3x baseline").finish()
        r.target_met = r.ratio is not None and r.ratio <= 3
        r.notes.append(f"{count} edits alternating MoveCards and UpdateCard(title)")
        out.append(r)
    return out


def case_undo_redo(ctx: Context) -> list[Result]:
    """One undo and one redo step at each size; the baseline is the same at 100 cards."""
    reps = max(20, ctx.plan.samples // 4)
    measured: dict[str, dict[str, dict]] = {}
    for size in ctx.sizes(("100", "1000", "10000")):
        data = ctx.data(size)
        card = sorted(data.cards)[len(data.cards) // 2]
        doc = Document.open(ctx.copy(size, f"undo-{size}.cjm"))
        try:
            doc.execute(UpdateCard(card, {"title": "Edited once for undo"}))
            undo_t: list[float] = []
            redo_t: list[float] = []
            for i in range(reps + 2):
                t0 = time.perf_counter()
                doc.undo()
                t1 = time.perf_counter()
                doc.redo()
                t2 = time.perf_counter()
                if i >= 2:  # warm-up
                    undo_t.append(t1 - t0)
                    redo_t.append(t2 - t1)
            measured[size] = {"undo": stats(undo_t), "redo": stats(redo_t)}
        finally:
            doc.close()
    out = []
    for size, pair in measured.items():
        for what in ("undo", "redo"):
            r = Result(what, size, figures=pair[what], baseline=measured["100"][what],
                       baseline_name=f"{what} at 100 cards").finish()
            if size == "10000":
                r.target = "<= 1.5x of 100 cards"
                r.target_met = r.ratio is not None and r.ratio <= 1.5
            out.append(r)
    return out


def _create_statement_by_statement(path: Path) -> None:
    """How ``create_file`` made a file before it used one transaction: the same pragmas and
    frozen statements, each committed on its own (its journal and fsyncs each)."""
    from app.model import fileformat, schemas
    from app.model import rows as fmt

    con = fileformat.open_raw(path, mode="rwc")
    try:
        con.execute(f"PRAGMA application_id={fmt.APPLICATION_ID}")
        con.execute(f"PRAGMA user_version={fmt.SCHEMA_VERSION}")
        for sql in schemas.statements(fmt.SCHEMA_VERSION):
            con.execute(sql)
    finally:
        con.close()


def case_create(ctx: Context) -> list[Result]:
    """A new empty file (``fileformat.create_file``: one transaction, fsync, rename) against
    the same schema committed statement by statement, the way it was made before."""
    from app.model import fileformat

    folder = ctx.work / "create"
    folder.mkdir(exist_ok=True)
    made = iter(range(1_000_000))

    def fresh() -> Path:
        return folder / f"new-{next(made)}.cjm"

    def ours() -> None:
        fileformat.create_file(fresh())

    def before() -> None:
        _create_statement_by_statement(fresh())

    r = Result("new file", "empty", figures=time_call(ours, ctx.plan, memory=False),
               baseline=time_call(before, ctx.plan, memory=False),
               baseline_name="the same schema, a commit per statement (the former way)",
               target="ratio < 0.25").finish()
    r.target_met = r.ratio is not None and r.ratio < 0.25
    r.notes.append("ours adds the rename and the folder fsync the baseline does not do")
    shutil.rmtree(folder, ignore_errors=True)
    return [r]
