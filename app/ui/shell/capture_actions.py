"""The Map, Card and Workshop menus and the canvas's context menus.

Everything on a map can be made from the keyboard and the menus, not only by dragging
from the palette: stages and lanes are inserted before/after, renamed, moved and deleted
(with their cards, one undo step, a confirmation that says how many cards go); cards get
their kind, emotion, dots and group from keys that need a modifier (typed text is text,
see :mod:`app.ui.canvas.capture`). The Map menu acts on the selected header or label, or
on the cursor's stage and lane; the Card menu on the card being typed, the selected cards
or the focused one. The same actions fill the context menus of headers, labels, cells
and cards, so their shortcuts show there too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QPoint, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLabel, QMainWindow, QMenu, QMessageBox

from app.model import commands as C
from app.model import grouping as G
from app.model import voting as V
from app.model.schema import MAX_NAME, CardKind
from app.ui.canvas.items.axes import LaneLabelItem, StageHeaderItem
from app.ui.canvas.items.card import CardItem
from app.ui.support.actions import disable_unless, make_action, only_while_shown
from app.workshop.timer import format_seconds, parse_duration

translate = QCoreApplication.translate

#: Card kinds in the order of their Ctrl+1…8 keys (the lanes' usual order).
KIND_ORDER = (CardKind.TOUCHPOINT, CardKind.ACTION, CardKind.THOUGHT, CardKind.EMOTION,
              CardKind.GOAL, CardKind.PAIN_POINT, CardKind.OPPORTUNITY, CardKind.NOTE)
KIND_NAMES = {CardKind.TOUCHPOINT: "&Touchpoint", CardKind.ACTION: "&Action",
              CardKind.THOUGHT: "T&hought", CardKind.EMOTION: "&Emotion",
              CardKind.GOAL: "&Goal", CardKind.PAIN_POINT: "&Pain point",
              CardKind.OPPORTUNITY: "&Opportunity", CardKind.NOTE: "&Note"}
NEW_STAGE, NEW_LANE = "New stage", "New lane"


def _tr(text: str) -> str:
    return translate("MainWindow", text)


class CaptureActions:
    """Builds the three menus on ``window`` and answers their actions."""

    def __init__(self, window: QMainWindow) -> None:
        self.w = window
        self.view = window.view
        self.capture = window.view.capture
        self.doc = window.doc
        self.menu: QMenu | None = None  # the context menu being shown
        self._pending: list = []  # what waits until that menu has closed
        #: Told when reveal mode is switched here (a room turns its silent mode with it).
        self.conceal_hooks: list[Callable[[bool], None]] = []
        #: Run by the reveal; each returns how many held ideas it landed (a room's).
        self.reveal_hooks: list[Callable[[], int]] = []
        self._build_map_menu()
        self._build_card_menu()
        self._build_workshop_menu()
        for menu, update in ((self.w.map_menu, self._enable_map_actions),
                             (self.w.card_menu, self._enable_card_actions)):
            only_while_shown(menu, update)
        self.view.context_menu = self.show_context_menu
        self.status_mode = QLabel()
        self.status_mode.setObjectName("mode-indicator")
        window.statusBar().addPermanentWidget(self.status_mode)
        self.capture.listeners.append(self._mode_changed)
        self._mode_changed()
        # new cards go face down while concealing, in workshop mode or not
        self._unsubscribe = self.doc.subscribe(self._cards_added)

    def _act(self, name: str, text: str, slot, shortcut: str | None = None, tip: str = "",
             checkable: bool = False) -> QAction:
        act = make_action(self.w, _tr(text), slot, shortcut, _tr(tip) if tip else "",
                          checkable=checkable)
        act.setObjectName(name)
        return act

    # ================================================================ Map
    def _build_map_menu(self) -> None:
        a = self._act
        self.act_new_card = a("act-new-card", "&New Card", self.new_card, "Ctrl+Return",
                              "Type a new card at the cell cursor")
        # Ctrl+Alt+arrows insert where Ctrl+Shift+arrows move (a window manager that
        # takes Ctrl+Alt+arrows for its workspaces leaves the menus and context menus)
        self.act_stage_before = a("act-insert-stage-before", "Insert Stage &Before",
                                  lambda: self.insert_stage(0), "Ctrl+Alt+Left")
        self.act_stage_after = a("act-insert-stage-after", "Insert Stage &After",
                                 lambda: self.insert_stage(1), "Ctrl+Alt+Right")
        self.act_rename_stage = a("act-rename-stage", "Rena&me Stage…", self.rename_stage)
        self.act_stage_left = a("act-move-stage-left", "Move Stage &Left",
                                lambda: self.move_stage(-1), "Ctrl+Shift+Left")
        self.act_stage_right = a("act-move-stage-right", "Move Stage &Right",
                                 lambda: self.move_stage(1), "Ctrl+Shift+Right")
        self.act_delete_stage = a("act-delete-stage", "&Delete Stage…", self.delete_stage)
        self.act_lane_above = a("act-insert-lane-above", "Insert Lane Ab&ove",
                                lambda: self.insert_lane(0), "Ctrl+Alt+Up")
        self.act_lane_below = a("act-insert-lane-below", "Insert Lane Belo&w",
                                lambda: self.insert_lane(1), "Ctrl+Alt+Down")
        self.act_rename_lane = a("act-rename-lane", "Rename Lan&e…", self.rename_lane)
        self.act_lane_up = a("act-move-lane-up", "Move Lane &Up", lambda: self.move_lane(-1),
                             "Ctrl+Shift+Up")
        self.act_lane_down = a("act-move-lane-down", "Mo&ve Lane Down",
                               lambda: self.move_lane(1), "Ctrl+Shift+Down")
        self.act_delete_lane = a("act-delete-lane", "Dele&te Lane…", self.delete_lane)
        self.stage_actions = [self.act_stage_before, self.act_stage_after, self.act_rename_stage,
                              self.act_stage_left, self.act_stage_right, self.act_delete_stage]
        self.lane_actions = [self.act_lane_above, self.act_lane_below, self.act_rename_lane,
                             self.act_lane_up, self.act_lane_down, self.act_delete_lane]
        m = self.w.map_menu = self._menu_before_help(_tr("&Map"))
        m.addAction(self.act_new_card)
        m.addSeparator()
        m.addActions(self.stage_actions)
        m.addSeparator()
        m.addActions(self.lane_actions)

    def _menu_before_help(self, title: str) -> QMenu:
        bar = self.w.menuBar()
        menu = QMenu(title, self.w)
        helps = [a for a in bar.actions() if a.menu() and a.menu().objectName() == "help-menu"]
        if helps:
            bar.insertMenu(helps[0], menu)
        else:
            bar.addMenu(menu)
        return menu

    def _after_menu(self, step) -> None:
        """Run ``step`` now, or once the context menu has closed (a closing menu gives
        the focus back to the canvas, which would end a name field opened from it)."""
        if self.menu is None:
            step()
        else:
            self._pending.append(step)

    def new_card(self) -> None:
        """Ctrl+Return: type a new card at the cursor."""
        cell = self.capture.cell()
        if cell is not None:
            self.view.new_card_at(*cell)

    def _map_id(self) -> int | None:
        return self.w.scene.map_id

    def insert_stage(self, after: int) -> None:
        """Insert a stage before (0) or after (1) the current one and name it."""
        map_id = self._map_id()
        if map_id is None:
            return
        stages = [s.id for s in self.doc.data.stages_of(map_id)]
        current = self.capture.stage()
        at = stages.index(current) + after if current in stages else len(stages)
        change = self.view.execute(C.AddStage(map_id, _tr(NEW_STAGE), at))
        if change is not None:
            new = next(iter(change.added.get("stages", ())))
            self.capture.select_axis("stage", new)
            self._after_menu(lambda: self.view.rename_stage(new))

    def insert_lane(self, below: int) -> None:
        """Insert a lane above (0) or below (1) the current one (of its kind) and name it."""
        map_id = self._map_id()
        if map_id is None:
            return
        lanes = self.doc.data.lanes_of(map_id)
        ids = [ln.id for ln in lanes]
        current = self.capture.lane()
        at = ids.index(current) + below if current in ids else len(ids)
        change = self.view.execute(C.AddLane(map_id, _tr(NEW_LANE), at))
        if change is not None:
            new = next(iter(change.added.get("lanes", ())))
            self.capture.select_axis("lane", new)
            self._after_menu(lambda: self.view.rename_lane(new))

    def rename_stage(self) -> None:
        """Rename the current stage in place."""
        if (sid := self.capture.stage()) is not None:
            self.view.rename_stage(sid)

    def rename_lane(self) -> None:
        """Rename the current lane in place."""
        if (lid := self.capture.lane()) is not None:
            self.view.rename_lane(lid)

    def move_stage(self, delta: int) -> None:
        """Move the current stage one place left (-1) or right (+1)."""
        sid, map_id = self.capture.stage(), self._map_id()
        if sid is None or map_id is None:
            return
        ids = [s.id for s in self.doc.data.stages_of(map_id)]
        at = ids.index(sid) + delta
        if 0 <= at < len(ids) and self.view.run(C.MoveStage(sid, at)) is not None:
            self.capture.select_axis("stage", sid)

    def move_lane(self, delta: int) -> None:
        """Move the current lane one place up (-1) or down (+1)."""
        lid, map_id = self.capture.lane(), self._map_id()
        if lid is None or map_id is None:
            return
        ids = [ln.id for ln in self.doc.data.lanes_of(map_id)]
        at = ids.index(lid) + delta
        if 0 <= at < len(ids) and self.view.run(C.MoveLane(lid, at)) is not None:
            self.capture.select_axis("lane", lid)

    def delete_stage(self) -> None:
        """Delete the current stage with its cards, after saying how many."""
        sid = self.capture.stage()
        if sid is not None:
            self._delete_axis("stage", sid)

    def delete_lane(self) -> None:
        """Delete the current lane with its cards, after saying how many."""
        lid = self.capture.lane()
        if lid is not None:
            self._delete_axis("lane", lid)

    def _delete_axis(self, kind: str, row_id: int) -> None:
        data = self.doc.data
        row = data.stages[row_id] if kind == "stage" else data.lanes[row_id]
        siblings = (data.stages_of if kind == "stage" else data.lanes_of)(row.map_id)
        if len(siblings) == 1:
            self.w.report(_tr("A map keeps at least one {0}").format(_tr(kind)))
            return
        column = "stage_id" if kind == "stage" else "lane_id"
        count = sum(1 for c in data.cards.values() if getattr(c, column) == row_id)
        if count:
            cards = _tr("1 card") if count == 1 else _tr("{0} cards").format(count)
            answer = QMessageBox.question(
                self.w, _tr("Delete {0}").format(_tr(kind)),
                _tr("Delete the {0} '{1}' and its {2}?\n\nUndo (Ctrl+Z) brings them back.")
                .format(_tr(kind), row.name, cards),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.capture.clear_axis()
        cmd = C.DeleteStage(row_id) if kind == "stage" else C.DeleteLane(row_id)
        if self.view.run(cmd) is not None and count:
            self.w.report(_tr("Deleted '{0}' with {1} (Ctrl+Z undoes)").format(
                row.name, cards))

    # ================================================================ Card
    def _build_card_menu(self) -> None:
        a = self._act
        self.kind_actions: dict[CardKind, QAction] = {}
        m = self.w.card_menu = self._menu_before_help(_tr("&Card"))
        self.kind_menu = m.addMenu(_tr("&Kind"))
        for i, kind in enumerate(KIND_ORDER, start=1):
            act = a(f"act-kind-{kind.value}", KIND_NAMES[kind],
                    lambda k=kind: self.set_kind(k), f"Ctrl+{i}")
            self.kind_actions[kind] = act
            self.kind_menu.addAction(act)
        self.act_emotion_up = a("act-emotion-up", "Emotion &Up", lambda: self.emotion(1),
                                "Alt+Up")
        self.act_emotion_down = a("act-emotion-down", "Emotion &Down",
                                  lambda: self.emotion(-1), "Alt+Down")
        self.act_add_dot = a("act-add-dot", "Add a D&ot", lambda: self.dot(1), "Alt+=",
                             "One dot vote (from the current voter, within their budget)")
        self.act_remove_dot = a("act-remove-dot", "Take a Dot &Back", lambda: self.dot(-1),
                                "Alt+-")
        self.act_group = a("act-group", "&Group…", self.group, "Ctrl+G",
                           "Put the cards into a labelled group (affinity mapping)")
        self.act_ungroup = a("act-ungroup", "U&ngroup", self.ungroup, "Ctrl+Shift+G")
        self.act_rename_group = a("act-rename-group", "&Rename Group…", self.rename_group)
        self.act_edit_text = a("act-edit-text", "&Edit Text", self.edit_text)
        m.addAction(self.act_edit_text)
        m.addSeparator()
        m.addActions([self.act_emotion_up, self.act_emotion_down])
        m.addSeparator()
        m.addActions([self.act_add_dot, self.act_remove_dot])
        m.addSeparator()
        m.addActions([self.act_group, self.act_ungroup, self.act_rename_group])

    def edit_text(self) -> None:
        """Edit the (first) selected card's title."""
        ids = self.capture.targets()
        if ids:
            self.view.edit_card(ids[0])

    def set_kind(self, kind: CardKind) -> None:
        """Ctrl+1…8: the kind of the card typed or selected; with none, go to its lane."""
        typing = self.capture.typing
        if typing is not None:
            fields: dict[str, Any] = {"kind": kind}
            card = typing.card()
            if kind == CardKind.EMOTION and (card is None or card.emotion is None):
                fields["emotion"] = 0
            typing.set_fields(fields)
            return
        ids = self.capture.targets()
        if not ids:
            if not self.capture.jump_to_kind(kind):
                self.w.report(_tr("This map has no lane for that kind"))
            return
        name = KIND_NAMES[kind].replace("&", "").lower()
        label = _tr("Make {0} cards {1}").format(len(ids), name) if len(ids) > 1 else None
        with self.doc.macro(label):
            for cid in ids:
                fields = {"kind": kind}
                if kind == CardKind.EMOTION and self.doc.data.cards[cid].emotion is None:
                    fields["emotion"] = 0
                self.view.run(C.UpdateCard(cid, fields))

    def emotion(self, delta: int) -> None:
        """Alt+Up / Alt+Down: raise or lower the emotion score (−2 … +2)."""
        typing = self.capture.typing
        if typing is not None:
            card = typing.card()
            now = card.emotion if card is not None else typing.fields.get("emotion")
            typing.set_fields({"emotion": max(-2, min(2, (now or 0) + delta))})
            return
        ids = self.capture.targets()
        if not ids:
            return
        with self.doc.macro(_tr("Change emotion of {0} cards").format(len(ids))
                            if len(ids) > 1 else None):
            for cid in ids:
                now = self.doc.data.cards[cid].emotion
                value = max(-2, min(2, (now if now is not None else 0) + delta))
                self.view.run(C.UpdateCard(cid, {"emotion": value}))

    def dot(self, delta: int) -> None:
        """Alt+= / Alt+-: a dot on (or back off) each selected card, as the current voter."""
        self.capture.finish_typing()
        ids = self.capture.targets()
        if not ids:
            self.w.report(_tr("Select the cards to vote on (Shift+↓ and Space, or click)"))
            return
        voter = self.w.workshop_state.voter_id
        if voter is not None and voter not in self.doc.data.voters:
            voter = self.w.workshop_state.voter_id = None
        label = None if len(ids) == 1 else (_tr("Vote") if delta > 0 else _tr("Take dots back"))
        with self.doc.macro(label):
            for cid in ids:
                if voter is None:
                    cmd: C.Command = C.VoteCard(cid, delta)
                else:
                    cmd = V.CastDot(voter, cid) if delta > 0 else V.RemoveDot(voter, cid)
                if self.view.run(cmd) is None:
                    break
        self._refresh_workshop()

    def _cluster_of(self, ids: list[int]) -> int | None:
        clusters = {self.doc.data.cards[i].cluster_id for i in ids} - {None}
        return next(iter(clusters)) if len(clusters) == 1 else None

    def group(self) -> None:
        """Ctrl+G: group the selected cards under a label (asked for)."""
        self.capture.finish_typing()
        ids = self.capture.targets()
        if not ids:
            self.w.report(_tr("Select the cards to group first"))
            return
        n = len(self.doc.data.clusters) + 1
        label, ok = QInputDialog.getText(self.w, _tr("Group cards"),
                                         _tr("Label of the group:"), text=f"Group {n}")
        label = " ".join(label.split())[:MAX_NAME]
        if ok and label:
            self.view.run(G.GroupCards(ids, label))

    def ungroup(self) -> None:
        """Take the selected cards out of their groups."""
        ids = self.capture.targets()
        if ids:
            self.view.run(G.UngroupCards(ids))

    def rename_group(self) -> None:
        """Rename the group of the selected cards."""
        cluster_id = self._cluster_of(self.capture.targets())
        if cluster_id is None:
            self.w.report(_tr("Select cards of one group to rename it"))
            return
        old = self.doc.data.clusters[cluster_id].label
        label, ok = QInputDialog.getText(self.w, _tr("Rename group"), _tr("Label:"), text=old)
        label = " ".join(label.split())[:MAX_NAME]
        if ok and label and label != old:
            self.view.run(G.UpdateCluster(cluster_id, {"label": label}))

    # ================================================================ Workshop
    def _build_workshop_menu(self) -> None:
        a = self._act
        self.act_timer = a("act-timer-toggle", "&Start or Pause Timer", self.timer_toggle,
                           "Ctrl+T")
        self.act_timer_set = a("act-timer-set", "Set &Timer…", self.timer_set, "Ctrl+Shift+T")
        self.act_timer_add = a("act-timer-add", "Add a &Minute", lambda: self._timer_add(60))
        self.act_timer_reset = a("act-timer-reset", "&Reset Timer", self.timer_reset)
        self.act_voters = a("act-voters", "&Voters and Dots…", self.edit_voters)
        self.act_next_voter = a("act-next-voter", "&Next Voter", lambda: self.next_voter(1),
                                "Ctrl+PgDown")
        self.act_prev_voter = a("act-prev-voter", "&Previous Voter",
                                lambda: self.next_voter(-1), "Ctrl+PgUp")
        self.act_clear_dots = a("act-clear-dots", "&Clear All Dots…", self.clear_dots)
        self.act_conceal = a("act-conceal", "Conceal New Car&ds", self.conceal_toggled,
                             "Ctrl+Shift+H", checkable=True,
                             tip="New cards show face down until Reveal Cards")
        self.act_reveal = a("act-reveal", "Reve&al Cards", self.reveal, "Ctrl+Shift+R")
        self.act_ranking = a("act-ranking", "Most-Voted &List", self.toggle_ranking, "Ctrl+R")
        self.act_focus = a("act-focus-stage", "&Focus Stage", self.toggle_focus,
                           "Ctrl+Shift+F", tip="Dim every stage but the cursor's")
        self.act_hints = a("act-hints", "Key &Hints", self.hints_toggled, "Ctrl+H",
                           checkable=True)
        self.act_hints.setChecked(self.w.workshop_state.hints)
        m = self.w.workshop_menu = self._menu_before_help(_tr("&Workshop"))
        m.addAction(self.w.act_workshop)
        m.addSeparator()
        m.addActions([self.act_timer, self.act_timer_set, self.act_timer_add,
                      self.act_timer_reset])
        m.addSeparator()
        m.addActions([self.act_voters, self.act_next_voter, self.act_prev_voter,
                      self.act_clear_dots])
        m.addSeparator()
        m.addActions([self.act_conceal, self.act_reveal])
        m.addSeparator()
        m.addActions([self.act_ranking, self.act_focus, self.act_hints])

    def _refresh_workshop(self) -> None:
        if self.w.workshop is not None:
            self.w.workshop.update_overlays()

    def timer_toggle(self) -> None:
        """Ctrl+T: start or pause the countdown."""
        timer = self.w.workshop_state.timer
        timer.toggle()
        snap = timer.snapshot()
        self.w.report(_tr("Timer {0}: {1}").format(_tr(snap.state), snap.text))
        self._refresh_workshop()

    def timer_set(self) -> None:
        """Ask for a duration (5, 4:30, 90s) and set the timer to it."""
        timer = self.w.workshop_state.timer
        text, ok = QInputDialog.getText(
            self.w, _tr("Set timer"), _tr("Minutes, or minutes:seconds (5, 4:30, 90s):"),
            text=format_seconds(timer.duration))
        if not ok:
            return
        try:
            timer.set(parse_duration(text))
        except ValueError as err:
            self.w.report(str(err))
            return
        self._refresh_workshop()

    def _timer_add(self, seconds: float) -> None:
        self.w.workshop_state.timer.add(seconds)
        self._refresh_workshop()

    def timer_reset(self) -> None:
        """Back to the full time, stopped."""
        self.w.workshop_state.timer.reset()
        self._refresh_workshop()

    def edit_voters(self) -> None:
        """Voters and their dot budgets."""
        from app.ui.dialogs.voters import VotersDialog

        if self._map_id() is None:
            return
        VotersDialog(self.w, self.doc, self._map_id(), self.w.workshop_state,
                     self.view.run).exec()
        self._refresh_workshop()

    def next_voter(self, delta: int) -> None:
        """Ctrl+PgDown / Ctrl+PgUp: whose dots Alt+= places (or plain votes)."""
        map_id = self._map_id()
        voters = [v.id for v in self.doc.data.voters_of(map_id)] if map_id else []
        if not voters:
            self.w.report(_tr("No voters yet: Workshop > Voters and Dots… adds them"))
            return
        order: list[int | None] = [None, *voters]
        state = self.w.workshop_state
        i = order.index(state.voter_id) if state.voter_id in order else 0
        state.voter_id = order[(i + delta) % len(order)]
        who = self.doc.data.voters[state.voter_id].name if state.voter_id else None
        self.w.report(_tr("Dots now go from {0}").format(who) if who
                      else _tr("Plain votes (no voter)"))
        self._refresh_workshop()

    def clear_dots(self) -> None:
        """Take every dot back (a new round), after asking."""
        map_id = self._map_id()
        if map_id is None:
            return
        n = sum(1 for d in self.doc.data.dots.values() if d.map_id == map_id)
        if not n:
            self.w.report(_tr("No dots to clear"))
            return
        answer = QMessageBox.question(self.w, _tr("Clear dots"),
                                      _tr("Take all {0} dots back off the cards?").format(n))
        if answer == QMessageBox.StandardButton.Yes:
            self.view.run(V.ClearDots(map_id))
            self._refresh_workshop()

    def _cards_added(self, change) -> None:
        added = change.added.get("cards", set())
        if added:
            self.w.workshop_state.conceal_new(added)

    def conceal_toggled(self) -> None:
        """New cards face down (or not) until revealed."""
        self.set_concealing(self.act_conceal.isChecked())

    def set_concealing(self, on: bool, *, tell: bool = True) -> None:
        """Switch reveal mode; ``tell``: the hooks hear it (not when a room switched it)."""
        self.w.workshop_state.concealing = on
        if self.act_conceal.isChecked() != on:
            was = self.act_conceal.blockSignals(True)  # toggled would switch it again
            self.act_conceal.setChecked(on)
            self.act_conceal.blockSignals(was)
        if tell:
            for hook in list(self.conceal_hooks):
                hook(on)
        self._refresh_workshop()

    def reveal(self) -> None:
        """Turn every face-down card up and land the ideas a room holds, at once."""
        n = self.w.workshop.reveal() if self.w.workshop is not None else len(
            self.w.workshop_state.reveal())
        held = sum(hook() for hook in list(self.reveal_hooks))
        self.set_concealing(False, tell=False)  # the room's reveal ended its silent mode
        message = _tr("1 card revealed") if n == 1 else _tr("{0} cards revealed").format(n)
        if held:
            message += (_tr(", 1 idea from the room put on the map") if held == 1 else
                        _tr(", {0} ideas from the room put on the map").format(held))
        self.w.report(message)

    def shutdown(self) -> None:
        """The window closes: stop listening to the document."""
        self._unsubscribe()
        self._unsubscribe = lambda: None

    def toggle_ranking(self) -> None:
        """The most-voted list (workshop mode)."""
        if self.w.workshop is None:
            self.w.report(_tr("The most-voted list shows in workshop mode (F11); the Report "
                              "dock ranks them too"))
            return
        self.w.workshop.toggle_ranking()

    def toggle_focus(self) -> None:
        """Dim every stage but the cursor's (workshop mode)."""
        if self.w.workshop is not None:
            self.w.workshop.toggle_focus()

    def hints_toggled(self) -> None:
        """Show or hide the key hints of workshop mode."""
        self.w.workshop_state.hints = self.act_hints.isChecked()
        self._refresh_workshop()

    # ================================================================ context menus
    def show_context_menu(self, global_pos: QPoint, item: object) -> None:
        """The menu for what is under the mouse (or the keyboard's focus)."""
        w = self.w
        menu = QMenu(w)
        if isinstance(item, CardItem):
            menu.addAction(self.act_edit_text)
            menu.addMenu(self.kind_menu)
            menu.addActions([self.act_emotion_up, self.act_emotion_down])
            menu.addSeparator()
            menu.addActions([self.act_add_dot, self.act_remove_dot])
            menu.addSeparator()
            menu.addActions([self.act_group, self.act_ungroup, self.act_rename_group])
            clustered = self._cluster_of(self.capture.targets()) is not None
            self.act_ungroup.setEnabled(clustered)
            self.act_rename_group.setEnabled(clustered)
            menu.addSeparator()
            menu.addActions([w.act_cut, w.act_copy, w.act_duplicate, w.act_delete])
        elif isinstance(item, StageHeaderItem):
            menu.addActions(self.stage_actions)
        elif isinstance(item, LaneLabelItem):
            menu.addActions(self.lane_actions)
        else:
            here = menu.addAction(_tr("New Card &Here"), self.new_card)
            here.setShortcut(self.act_new_card.shortcut())
            menu.addAction(w.act_paste)
            menu.addSeparator()
            menu.addActions([self.act_stage_before, self.act_stage_after])
            menu.addActions([self.act_lane_above, self.act_lane_below])
        self.menu = menu
        menu.exec(global_pos)
        self.act_ungroup.setEnabled(True)
        self.act_rename_group.setEnabled(True)
        self.menu = None
        menu.deleteLater()
        pending, self._pending = self._pending, []
        for step in pending:  # once the closed menu has handed the focus back
            QTimer.singleShot(0, step)

    # ================================================================ what can work now
    def _enable_map_actions(self) -> list[QAction]:
        """Disable the Map menu's items that cannot work now; returns them."""
        map_id = self._map_id()
        data = self.doc.data
        stages = [s.id for s in data.stages_of(map_id)] if map_id is not None else []
        lanes = [ln.id for ln in data.lanes_of(map_id)] if map_id is not None else []
        sid, lid = self.capture.stage(), self.capture.lane()
        si = stages.index(sid) if sid in stages else -1
        li = lanes.index(lid) if lid in lanes else -1
        editable = not self.doc.read_only
        can = {self.act_new_card: editable and si >= 0 and li >= 0,
               self.act_stage_left: editable and si > 0,
               self.act_stage_right: editable and 0 <= si < len(stages) - 1,
               self.act_lane_up: editable and li > 0,
               self.act_lane_down: editable and 0 <= li < len(lanes) - 1,
               self.act_delete_stage: editable and si >= 0 and len(stages) > 1,
               self.act_delete_lane: editable and li >= 0 and len(lanes) > 1}
        for act in (self.act_stage_before, self.act_stage_after, self.act_rename_stage):
            can[act] = editable and map_id is not None
        for act in (self.act_lane_above, self.act_lane_below, self.act_rename_lane):
            can[act] = editable and map_id is not None
        return disable_unless(can)

    def _enable_card_actions(self) -> list[QAction]:
        """Disable the Card menu's items that have no card to act on; returns them."""
        ids = self.capture.targets()
        editable = not self.doc.read_only
        some = editable and (bool(ids) or self.capture.typing is not None)
        clustered = editable and self._cluster_of(ids) is not None
        can = {self.act_edit_text: editable and bool(ids),
               self.act_emotion_up: some, self.act_emotion_down: some,
               self.act_add_dot: some, self.act_remove_dot: some,
               self.act_group: some, self.act_ungroup: clustered,
               self.act_rename_group: clustered}
        for act in self.kind_actions.values():  # with no card: go to the kind's lane
            can[act] = editable or not ids
        return disable_unless(can)

    # ================================================================ indicator
    def _mode_changed(self) -> None:
        self.status_mode.setText(self.capture.describe() if self.capture.shown else "")


def install(window: QMainWindow) -> CaptureActions:
    """Add the Map, Card and Workshop menus and the context menus to ``window``."""
    return CaptureActions(window)
