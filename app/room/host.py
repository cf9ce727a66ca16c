"""The room's single writer: what happens to a contribution, on the document's owner thread.

:class:`RoomHost` is called only on the thread that owns the Document (the GUI thread, or
the headless loop); the server thread never touches the document. Each accepted
contribution is one command, executed with its receipt (the idempotency key and the
answer) in the same transaction, so when :meth:`contribute` returns, the idea is on disk
and a retry of the same key gets the same answer instead of a second card.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from app.errors import CommandError, WaymarkError
from app.model.commands import AddCards, Command
from app.model.document import Document
from app.model.schema import LANE_FOR_CARD, CardKind, DocumentData
from app.model.state import Change
from app.model.voting import SetDotBudget
from app.room import store, tokens
from app.room.commands import FromParticipant, MergeIdea, RoomDot, SetFeeling
from app.room.protocol import MAX_NAME, AddIdea, CastDot, Contribution, Feel
from app.room.settings import Mode, RoomSettings, Session
from app.room.store import Participant
from app.room.view import map_view, my_ideas
from app.workshop.timer import WorkshopTimer

log = logging.getLogger(__name__)
ANONYMOUS = "Anonymous"


class Refused(Exception):
    """A contribution the room does not take; ``later`` when the page should retry
    (the facilitator's file could not be written), else the reason is final."""

    def __init__(self, reason: str, *, later: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.later = later


@dataclass(frozen=True)
class Joined:
    """A new participant and the token their page keeps."""

    participant: Participant
    token: str


class RoomHost:
    """The room's rules and the document's writes, for one open document."""

    def __init__(self, doc: Document, session: Session, settings: RoomSettings | None = None,
                 timer: WorkshopTimer | None = None) -> None:
        self.doc = doc
        self.session = session
        loaded = doc.read_side(store.load_settings)
        self.settings = settings or loaded
        if not self.settings.map_id or self.settings.map_id not in doc.data.maps:
            first = doc.data.ordered_maps()
            if not first:
                raise WaymarkError("the document has no map to open a room on")
            self.settings = self.settings.model_copy(update={"map_id": first[0].id})
        self.timer = timer or WorkshopTimer()
        #: The cards the wall shows face down (the window's workshop state sets it).
        self.face_down: Callable[[], Collection[int]] = tuple
        self.closed = False
        self._undone: BaseException | None = None
        self._load()
        #: Called with an event name and data after the room's state changes
        #: ("settings", "removed", "closed", "inbox"); the server listens.
        self.listeners: list[Callable[[str, Any], None]] = []
        doc.write_side(lambda conn: (store.save_session(conn, session),
                                     store.save_settings(conn, self.settings)))
        self._last_change = Change()
        self._unsubscribe = doc.subscribe(lambda change: self._emit("changed", None))

    def _load(self) -> None:
        """What the room keeps in memory of the file's room tables."""
        doc = self.doc
        self._receipts = doc.read_side(store.all_receipts)
        #: participant id -> the answers to their ideas, oldest first (``me``'s list)
        self._ideas_of: dict[int, list[dict[str, Any]]] = {}
        for (pid, _key), answer in self._receipts.items():
            if "title" in answer:
                self._ideas_of.setdefault(pid, []).append(answer)
        self._participants = doc.read_side(store.participants)
        self._ideas = doc.read_side(store.ideas_by)
        self._voters = doc.read_side(store.room_voters)
        #: Who has inbox items (``me`` reads the inbox only for them: a burst's ``me``
        #: after every contribution would otherwise query it each time).
        self._inboxed = doc.read_side(store.inbox_people)

    def durable(self, reply: Callable[[Refused | None], None]) -> None:
        """Call ``reply(None)`` once what the room wrote so far is on disk (the owner may
        run several contributions in one transaction: ``Document.batch``), or
        ``reply(Refused(later=True))`` when that transaction failed and was undone: the
        participants' pages send those contributions again."""

        def done(error: BaseException | None) -> None:
            if error is None:
                reply(None)
                return
            if error is not self._undone:  # once per failed transaction
                self._undone = error
                self._load()  # the undone contributions' receipts, people, dots are gone
            text = error.message if isinstance(error, WaymarkError) else str(error)
            reply(Refused(f"the facilitator's file could not be written ({text})", later=True))

        self.doc.durable(done)

    # ================================================================ people
    def join(self, name: str) -> Joined:
        """A new participant (durable before the page gets its token)."""
        self._check_open()
        name = " ".join(name.split())[:MAX_NAME]
        if not name:
            if not self.settings.allow_anonymous:
                raise Refused("please give a name: this room does not take anonymous ideas")
            number = self.doc.read_side(lambda c: store.count_anonymous(c, ANONYMOUS)) + 1
            name = f"{ANONYMOUS} {number}"
        token = tokens.new_participant_token()
        person = self._write(lambda c: store.add_participant(c, name, tokens.digest(token)))
        self._participants[person.id] = person
        self._emit("people", None)
        return Joined(person, token)

    def hello(self, token: str) -> Participant | None:
        """The participant holding ``token``, if they are still in the room."""
        if self.closed or not tokens.looks_like_token(token):
            return None
        return self.doc.read_side(lambda c: store.participant_by_token(c, tokens.digest(token)))

    def people(self) -> list[Participant]:
        """Everyone who joined (removed ones included, marked)."""
        return list(self._participants.values())

    def remove(self, participant_id: int) -> None:
        """Remove a participant: their token dies and their page is closed."""
        self._write(lambda c: store.remove_participant(c, participant_id))
        old = self._participants.get(participant_id)
        if old is not None:
            self._participants[participant_id] = Participant(old.id, old.name, True)
        self._emit("removed", participant_id)

    # ========================================================= contributions
    def contribute(self, participant_id: int, msg: Contribution) -> dict[str, Any]:
        """Apply one contribution (or answer its key again); Refused when not taken."""
        self._check_open()
        seen = self._receipts.get((participant_id, msg.key))
        if seen is not None:
            return {**seen, "again": True}
        person = self._participants.get(participant_id)
        if person is None or person.removed:
            raise Refused("you are no longer in this room")
        if isinstance(msg, AddIdea):
            return self._add(person, msg)
        if isinstance(msg, CastDot):
            return self._vote(person, msg)
        return self._feel(person, msg)

    def _add(self, person: Participant, msg: AddIdea) -> dict[str, Any]:
        s = self.settings
        if not s.adding_open:
            raise Refused("adding ideas is paused by the facilitator")
        if s.idea_limit and self._ideas.get(person.id, 0) >= s.idea_limit:
            raise Refused(f"you have given your {s.idea_limit} ideas for this round")
        data = self.doc.data
        stage_id, lane_id = self._cell(data, msg.kind, msg.stage, msg.lane)
        idea = {"kind": msg.kind.value, "stage": stage_id, "lane": lane_id, "title": msg.title,
                "body": msg.body}
        if s.mode is Mode.INBOX or s.silent:
            status = "pending" if s.mode is Mode.INBOX else "held"

            def file(conn: Any) -> dict[str, Any]:
                item = store.add_inbox(conn, person.id, s.map_id, idea, status)
                result = {"status": status, "item": item, "title": msg.title}
                store.put_receipt(conn, person.id, msg.key, "add", result)
                return result

            result = self._write(file)
            self._inboxed.add(person.id)
            self._emit("inbox", None)
        else:
            result = self._run(person, msg.key, "add", self._card_command(person.name, idea),
                               lambda ch: {"status": "added", "card": _new_card(ch),
                                           "title": msg.title})
        self._receipts[(person.id, msg.key)] = result
        self._ideas_of.setdefault(person.id, []).append(result)
        self._ideas[person.id] = self._ideas.get(person.id, 0) + 1
        return result

    def _vote(self, person: Participant, msg: CastDot) -> dict[str, Any]:
        s = self.settings
        if not s.voting_open:
            raise Refused("voting is paused by the facilitator")
        card = self.doc.data.cards.get(msg.card)
        if card is None or card.map_id != s.map_id:
            raise Refused("that card is not on the room's map (any more)")
        if msg.delta > 0 and self.dots_used(person.id) >= s.budget:
            raise Refused(f"no dots left: you have placed all {s.budget}")
        voter = self._voter(person.id)
        command = RoomDot(card.id, person.name, s.budget, voter, msg.delta)

        def answer(change: Change) -> dict[str, Any]:
            return {"status": "voted", "card": card.id, "delta": msg.delta}

        def record_voter(conn: Any, change: Change) -> None:
            for new in change.added.get("voters", set()):
                store.add_room_voter(conn, new, person.id)

        result = self._run(person, msg.key, "vote", command, answer, also=record_voter)
        for new in self._last_change.added.get("voters", set()):
            self._voters.setdefault(person.id, []).append(new)
        self._receipts[(person.id, msg.key)] = result
        return result

    def _voter(self, participant_id: int) -> int | None:
        """The participant's voter on the room's map, if it is (still) there."""
        voters = self.doc.data.voters
        for vid in reversed(self._voters.get(participant_id, [])):
            v = voters.get(vid)
            if v is not None and v.map_id == self.settings.map_id:
                return vid
        return None

    def _feel(self, person: Participant, msg: Feel) -> dict[str, Any]:
        if not self.settings.feelings_open:
            raise Refused("feelings are paused by the facilitator")
        stage = self.doc.data.stages.get(msg.stage)
        if stage is None or stage.map_id != self.settings.map_id:
            raise Refused("that stage is not on the room's map (any more)")
        command = SetFeeling(stage.id, person.id, person.name, msg.score)
        result = self._run(person, msg.key, "feel", command,
                           lambda ch: {"status": "felt", "stage": stage.id, "score": msg.score})
        self._receipts[(person.id, msg.key)] = result
        return result

    def _run(self, person: Participant, key: str, kind: str, command: Command,
             answer: Callable[[Change], dict[str, Any]],
             also: Callable[[Any, Change], None] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = {}

        def record(conn: Any, change: Change) -> None:
            result.update(answer(change))
            store.put_receipt(conn, person.id, key, kind, result)
            if also is not None:
                also(conn, change)

        try:
            self._last_change = self.doc.execute(command, record=record)
        except CommandError as err:
            raise Refused(err.message) from None
        except WaymarkError as err:  # disk full, file replaced: not the participant's fault
            log.warning("room contribution not written: %s", err.message)
            raise Refused(f"the facilitator's file could not be written ({err.message})",
                          later=True) from None
        return result

    def _cell(self, data: DocumentData, kind: CardKind, stage_id: int,
              lane_id: int | None) -> tuple[int, int]:
        map_id = self.settings.map_id
        stage = data.stages.get(stage_id)
        if stage is None or stage.map_id != map_id:
            raise Refused("that stage is not on the room's map (any more)")
        lanes = data.lanes_of(map_id)
        if not lanes:
            raise Refused("the room's map has no lanes yet")
        if lane_id is not None:
            lane = data.lanes.get(lane_id)
            if lane is None or lane.map_id != map_id:
                raise Refused("that lane is not on the room's map (any more)")
            return stage.id, lane.id
        wanted = LANE_FOR_CARD.get(kind)
        lane = next((x for x in lanes if x.kind == wanted), lanes[0])
        return stage.id, lane.id

    def _card_command(self, who: str, idea: dict[str, Any]) -> Command:
        fields = {"kind": idea["kind"], "title": idea["title"], "body": idea["body"],
                  "author": " ".join(who.split())[:120]}
        return FromParticipant(AddCards([(idea["stage"], idea["lane"], fields)]), who)

    def dots_used(self, participant_id: int) -> int:
        """Dots this participant has on the room's map."""
        return sum(self._my_dots(participant_id).values())

    def _my_dots(self, participant_id: int) -> dict[int, int]:
        mine = set(self._voters.get(participant_id, []))
        out: dict[int, int] = {}
        if mine:
            for d in self.doc.data.dots.values():
                if d.voter_id in mine and d.map_id == self.settings.map_id:
                    out[d.card_id] = out.get(d.card_id, 0) + 1
        return out

    # ============================================================ facilitator
    def update(self, **changes: Any) -> RoomSettings:
        """Change the room's rules (locks, mode, budget, limit, silent, language)."""
        new = self.settings.model_copy(update={})
        for key, value in changes.items():
            setattr(new, key, value)  # validated
        if new.budget != self.settings.budget and any(
                v.map_id == new.map_id for v in self.doc.data.voters.values()):
            try:  # the same budget for every voter of the map (one undo step)
                self.doc.execute(SetDotBudget(new.map_id, new.budget))
            except CommandError as err:
                raise Refused(err.message) from None
        self._write(lambda c: store.save_settings(c, new))
        self.settings = new
        self._emit("settings", new)
        return new

    def inbox(self) -> list[store.InboxItem]:
        """Ideas waiting (pending in inbox mode, held while silent)."""
        return self.doc.read_side(store.inbox)

    def accept(self, item_id: int, **edits: Any) -> int:
        """Put an inbox idea on the map (edited: title, body, kind, stage, lane)."""
        item = self._open_item(item_id)
        idea = {**item.idea, **{k: v for k, v in edits.items() if v is not None}}
        who = self._name(item.participant_id)
        card_id = 0

        def record(conn: Any, change: Change) -> None:
            nonlocal card_id
            card_id = _new_card(change)
            store.settle_inbox(conn, item.id, "accepted", card_id)

        try:
            self.doc.execute(self._card_command(who, idea), record=record)
        except CommandError as err:
            raise Refused(err.message) from None
        self._emit("inbox", None)
        return card_id

    def merge(self, item_id: int, card_id: int) -> None:
        """Fold an inbox idea into an existing card (its text joins the card's body)."""
        item = self._open_item(item_id)
        card = self.doc.data.cards.get(card_id)
        if card is None:
            raise Refused("that card is gone")
        who = self._name(item.participant_id)
        text = item.idea["title"] + (f": {item.idea['body']}" if item.idea.get("body") else "")
        command = MergeIdea(card.id, text, who)
        try:
            self.doc.execute(command, record=lambda conn, ch: store.settle_inbox(
                conn, item.id, "merged", card.id))
        except CommandError as err:
            raise Refused(err.message) from None
        self._emit("inbox", None)

    def discard(self, item_id: int) -> None:
        """Leave an inbox idea off the map (it stays listed as not taken)."""
        item = self._open_item(item_id)
        self._write(lambda c: store.settle_inbox(c, item.id, "discarded", None))
        self._emit("inbox", None)

    def reveal(self) -> int:
        """End silent brainstorming: every held idea lands, one undo step each."""
        count = 0
        for item in self.doc.read_side(lambda c: store.inbox(c, ("held",))):
            try:
                self.accept(item.id)
                count += 1
            except Refused as err:
                log.info("held idea %s not revealed: %s", item.id, err.reason)
                self._write(lambda c, i=item.id: store.settle_inbox(c, i, "discarded", None))
        self.update(silent=False)
        return count

    def close(self) -> None:
        """Close the room: the session and every participant's token die."""
        if self.closed:
            return
        self.closed = True
        self._unsubscribe()
        try:
            self.doc.write_side(store.end_session)
        except WaymarkError as err:
            log.warning("room session not cleared: %s", err.message)
        self._emit("closed", None)

    # =================================================================== views
    def view(self) -> dict[str, Any]:
        """What every participant sees of the map (shared by all pages); cards face
        down on the wall are face down here too."""
        return map_view(self.doc.data, self.settings.map_id, self.face_down())

    def public(self) -> dict[str, Any]:
        """The room's rules and timer as the pages show them."""
        s = self.settings
        return {"mode": s.mode.value, "anonymous": s.allow_anonymous, "budget": s.budget,
                "limit": s.idea_limit, "adding": s.adding_open, "voting": s.voting_open,
                "feelings": s.feelings_open, "silent": s.silent,
                "timer": self.timer.snapshot().as_dict(),
                "fingerprint": tokens.fingerprint(self.session.token)}

    def me(self, participant_id: int) -> dict[str, Any]:
        """One participant's own state: dots, feelings, ideas."""
        data = self.doc.data
        map_id = self.settings.map_id
        votes = self._my_dots(participant_id)
        feelings = {f.stage_id: f.score for f in data.feelings.values()
                    if f.participant_id == participant_id and f.map_id == map_id}
        person = self._participants.get(participant_id)
        ideas = my_ideas(data, self._ideas_of.get(participant_id, [])[-60:],
                         {i.id: i.status for i in self.doc.read_side(
                             lambda c: store.my_inbox(c, participant_id))}
                         if participant_id in self._inboxed else {})
        return {"id": participant_id, "name": person.name if person else "",
                "votes": {str(k): n for k, n in votes.items()},
                "dots_left": max(0, self.settings.budget - sum(votes.values())),
                "feelings": {str(k): s for k, s in feelings.items()},
                "ideas": ideas, "idea_count": self._ideas.get(participant_id, 0)}

    # =============================================================== helpers
    def _open_item(self, item_id: int) -> store.InboxItem:
        item = self.doc.read_side(lambda c: store.inbox_item(c, item_id))
        if item is None or item.status not in ("pending", "held"):
            raise Refused("that idea was already dealt with")
        return item

    def _name(self, participant_id: int) -> str:
        person = self._participants.get(participant_id)
        return person.name if person else f"participant {participant_id}"

    def _check_open(self) -> None:
        if self.closed:
            raise Refused("the room is closed")

    def _write(self, fn: Callable[[Any], Any]) -> Any:
        try:
            return self.doc.write_side(fn)
        except WaymarkError as err:
            raise Refused(f"the facilitator's file could not be written ({err.message})",
                          later=True) from None

    def _emit(self, event: str, data: Any) -> None:
        for listener in list(self.listeners):
            try:
                listener(event, data)
            except Exception:
                log.exception("room listener failed")


def _new_card(change: Change) -> int:
    added = sorted(change.added.get("cards", set()))
    return added[0] if added else 0
