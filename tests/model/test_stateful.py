"""Random command sequences: undo all gives the start, redo all the end, reopening changes nothing."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from app.errors import CommandError
from app.model import commands as C
from app.model.document import Document
from tests.made import new_document
from tests.model.conftest import build_small

# Titles the schema accepts: not blank once NULs are dropped (clean_text removes them).
texts = st.text(min_size=1, max_size=40).filter(lambda t: t.replace("\x00", "").strip() != "")


class DocumentMachine(RuleBasedStateMachine):
    """Drives one real document file through random edits."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="waymark-fsm-"))
        self.doc = new_document(self.folder / "fsm.cjm", "")
        build_small(self.doc)
        self.doc.set_history_limit(10_000)
        self.start = self.doc.snapshot()
        self.start_head = self.doc.head
        self.saves = 0

    # ----------------------------------------------------------- helpers
    def cards(self) -> list[int]:
        return sorted(self.doc.data.cards)

    def cells(self) -> list[tuple[int, int]]:
        d = self.doc.data
        return [(s, ln) for s in sorted(d.stages) for ln in sorted(d.lanes)
                if d.stages[s].map_id == d.lanes[ln].map_id]

    # ------------------------------------------------------------- rules
    @rule(title=texts, body=st.text(max_size=60), pick=st.integers(0, 10_000),
          index=st.none() | st.integers(0, 5))
    def add_card(self, title: str, body: str, pick: int, index: int | None) -> None:
        cells = self.cells()
        if cells:
            stage, lane = cells[pick % len(cells)]
            self.doc.execute(C.AddCard(stage, lane, {"title": title, "body": body}, index))

    @precondition(lambda self: self.doc.data.cards)
    @rule(pick=st.integers(0, 10_000), title=texts, merged=st.booleans())
    def edit(self, pick: int, title: str, merged: bool) -> None:
        card = self.cards()[pick % len(self.cards())]
        key = f"type:{card}" if merged else None
        self.doc.execute(C.UpdateCard(card, {"title": title}, merge_key=key))

    @precondition(lambda self: self.doc.data.cards)
    @rule(picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=3, unique=True),
          dest=st.integers(0, 10_000), index=st.none() | st.integers(0, 4))
    def move(self, picks: list[int], dest: int, index: int | None) -> None:
        cards = self.cards()
        chosen = list(dict.fromkeys(cards[p % len(cards)] for p in picks))
        cells = self.cells()
        stage, lane = cells[dest % len(cells)]
        self.doc.execute(C.MoveCards([(c, stage, lane, index) for c in chosen]))

    @precondition(lambda self: self.doc.data.cards)
    @rule(pick=st.integers(0, 10_000), emotion=st.integers(-2, 2), votes=st.integers(-2, 3))
    def macro(self, pick: int, emotion: int, votes: int) -> None:
        card = self.cards()[pick % len(self.cards())]
        with self.doc.macro("Score and vote"):
            self.doc.execute(C.UpdateCard(card, {"emotion": emotion}))
            self.doc.execute(C.VoteCard(card, votes))

    @precondition(lambda self: len(self.doc.data.cards) > 1)
    @rule(pick=st.integers(0, 10_000))
    def delete(self, pick: int) -> None:
        self.doc.execute(C.DeleteCards([self.cards()[pick % len(self.cards())]]))

    @precondition(lambda self: len(self.doc.data.cards) > 1)
    @rule(a=st.integers(0, 10_000), b=st.integers(0, 10_000))
    def link(self, a: int, b: int) -> None:
        cards = self.cards()
        try:
            self.doc.execute(C.AddLink(cards[a % len(cards)], cards[b % len(cards)]))
        except CommandError:
            pass  # same card or already linked: refused, and nothing changed

    @rule(name=texts, index=st.integers(0, 5))
    def add_stage(self, name: str, index: int) -> None:
        m = self.doc.data.ordered_maps()[0].id
        self.doc.execute(C.AddStage(m, name, index=index))

    @precondition(lambda self: self.doc.head > self.start_head)
    @rule()
    def undo(self) -> None:
        before = self.doc.snapshot()
        self.doc.undo()
        self.doc.redo()
        assert self.doc.data == before
        self.doc.undo()

    @precondition(lambda self: self.doc.can_redo)
    @rule()
    def redo(self) -> None:
        self.doc.redo()

    @rule()
    def reopen(self) -> None:
        data, history = self.doc.snapshot(), self.doc.history()
        path = self.doc.path
        self.doc.close()
        self.doc = Document.open(path)
        assert self.doc.data == data
        assert self.doc.history() == history

    @rule()
    def save_as(self) -> None:
        data, history = self.doc.snapshot(), self.doc.history()
        self.saves += 1
        self.doc.save_as(self.folder / f"copy{self.saves}.cjm")
        assert self.doc.data == data and self.doc.history() == history

    @invariant()
    def positions_are_dense(self) -> None:
        d = self.doc.data
        for stage, lane in self.cells():
            assert [c.position for c in d.cell(stage, lane)] == list(range(len(d.cell(stage, lane))))

    def teardown(self) -> None:
        try:
            final, final_head = self.doc.snapshot(), self.doc.head
            self.doc.jump_to(self.start_head)
            assert self.doc.data == self.start
            steps = [s.seq for s in self.doc.history()]
            self.doc.jump_to(steps[-1] if steps else 0)
            self.doc.jump_to(final_head)
            assert self.doc.data == final
            raw = self.doc._conn.connection.dbapi_connection
            assert raw.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            self.doc.close()
            shutil.rmtree(self.folder, ignore_errors=True)


DocumentMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=25,
                                             deadline=None)
TestDocumentMachine = DocumentMachine.TestCase
