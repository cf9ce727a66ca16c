"""What one window's workshop shares with whoever shows it: timer, voter, reveal mode.

Reveal mode is one idea for the whole room: while ``concealing``, cards typed at the wall
show face down (:data:`FACE_DOWN`) on the wall and on participants' phones, and a room
in the same window holds its ideas (its *silent brainstorming*, counted in ``held``);
one reveal turns the cards up and lands the held ideas (:mod:`app.ui.room.control`).

One :class:`WorkshopState` lives as long as its window (``MainWindow.workshop_state``),
whether workshop mode is on or not, so a timer keeps running while the facilitator
leaves full screen for a moment. The room server reads the same object: the timer with
:meth:`WorkshopState.snapshot`, the dots left per voter with :func:`app.workshop.dots.dot_budget`.
Qt-free; nothing here is saved (the document holds the dots, voters and clusters).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.model.schema import DocumentData
from app.workshop.dots import dot_budget
from app.workshop.timer import WorkshopTimer

#: What a face-down card shows instead of its title (wall and phones).
FACE_DOWN = "• • •"


@dataclass
class WorkshopState:
    """Timer, the voter whose dots the keyboard places, and reveal mode."""

    timer: WorkshopTimer = field(default_factory=WorkshopTimer)
    #: The voter whose dots Vote places (None: plain votes, no budget).
    voter_id: int | None = None
    #: While True, new cards are shown face down until :meth:`reveal`.
    concealing: bool = False
    #: Cards shown face down (added while concealing).
    concealed: set[int] = field(default_factory=set)
    #: The on-screen key hints of workshop mode.
    hints: bool = True
    #: Ideas a room holds for the reveal (its silent brainstorming), shown on the wall.
    held: int = 0

    def conceal_new(self, card_ids: set[int]) -> None:
        """Cards just added: face down while concealing."""
        if self.concealing:
            self.concealed |= card_ids

    def reveal(self) -> set[int]:
        """Turn every card face up and stop concealing; returns the cards turned."""
        shown, self.concealed = self.concealed, set()
        self.concealing = False
        return shown

    def snapshot(self, data: DocumentData, map_id: int | None) -> dict[str, object]:
        """Plain values for a reader such as the room page."""
        voters = dot_budget(data, map_id) if map_id is not None else []
        return {"timer": self.timer.snapshot().as_dict(),
                "voter_id": self.voter_id,
                "voters": [v.as_dict() for v in voters],
                "concealing": self.concealing,
                "concealed": sorted(self.concealed),
                "held": self.held}
