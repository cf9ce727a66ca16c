"""Mermaid ``journey`` diagrams in and out.

    journey
      title My working day
      section Go to work
        Make tea: 5: Me
        Go upstairs: 3: Me, Cat

Each section is a stage, each task an action card whose 1..5 score becomes
an emotion of -2..+2 (score - 3), and each actor a persona; a task's actors
are kept as its tags. The map's persona is its most frequent actor.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pydantic import ValidationError

from app.interchange.builder import DocBuilder
from app.interchange.common import (
    MAX_ROWS,
    ImportResult,
    Problems,
    clean_name,
    decode_text,
    pydantic_messages,
    read_bytes,
    refuse,
    source_name,
    write_atomic,
)
from app.interchange.csv_io import map_title
from app.model.schema import MAX_NAME, MAX_TITLE, Card, CardKind, DocumentData, LaneKind

_IGNORED = ("accTitle", "accDescr")


def import_mermaid(path: str | Path) -> ImportResult:
    """Import a Mermaid journey diagram as one map."""
    path = Path(path)
    source = source_name(path)
    warnings: list[str] = []
    text = decode_text(read_bytes(path, source), source, warnings)
    lines = text.splitlines()
    if len(lines) > MAX_ROWS:
        raise refuse(source, f"more than {MAX_ROWS:,} lines")
    problems = Problems(source)
    title = map_title(path)
    started = False
    stage: str | None = None
    tasks: list[tuple[int, str, str, int, list[str]]] = []
    stages: list[str] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("%%") or line.startswith("---"):
            continue
        if not started:
            if line.split()[0] != "journey":
                problems.add(f"line {number}", "a Mermaid journey starts with 'journey' "
                             f"(found {line[:40]!r})")
                break
            started = True
            continue
        word, _, rest = line.partition(" ")
        if word == "title":
            title = clean_name(rest)[:MAX_NAME] or title
        elif word == "section":
            stage = clean_name(rest)
            if not stage:
                problems.add(f"line {number}", "a section needs a name")
            elif len(stage) > MAX_NAME:
                problems.add(f"line {number}", f"a section name has at most {MAX_NAME} characters")
            else:
                stages.append(stage)
        elif word.split(":")[0] in _IGNORED or line.startswith("}"):
            continue
        else:
            parts = line.split(":")
            if len(parts) < 2:
                problems.add(f"line {number}", f"a task reads 'name: score: actors', not "
                             f"{line[:60]!r}")
                continue
            name = parts[0].strip()
            score_text = parts[1].strip()
            actors = [clean_name(a) for a in ":".join(parts[2:]).split(",") if clean_name(a)]
            if stage is None:
                problems.add(f"line {number}", "a task before the first section")
                continue
            if not name:
                problems.add(f"line {number}", "the task has no name")
                continue
            if len(name) > MAX_TITLE:
                problems.add(f"line {number}", f"a task name has at most {MAX_TITLE} characters")
                continue
            try:
                score = int(score_text)
            except ValueError:
                problems.add(f"line {number}", f"score {score_text[:20]!r} is not a number 1..5")
                continue
            if not 1 <= score <= 5:
                problems.add(f"line {number}", f"score {score} is outside 1..5")
                continue
            bad_actor = next((a for a in actors if len(a) > 40), None)
            if bad_actor:
                problems.add(f"line {number}", "an actor name has at most 40 characters")
                continue
            tasks.append((number, stage, name, score, actors))
    if not started and not problems:
        problems.add("", "the file holds no Mermaid journey")
    if started and not tasks and not stages and not problems:
        problems.add("", "the journey has no section")
    problems.raise_if_any()

    actor_count = Counter(a for *_rest, actors in tasks for a in actors)
    builder = DocBuilder()
    main = actor_count.most_common(1)[0][0] if actor_count else None
    mb = builder.map(title, main)
    for actor in actor_count:
        builder.personas.setdefault(actor.casefold(), actor)
    for stage_name in stages:
        mb.stage(stage_name)
    lane = mb.lane("Actions", LaneKind.ACTIONS)
    for _number, stage_name, name, score, actors in tasks:
        mb.add_card(stage_name, mb.lanes[lane].name, {
            "kind": CardKind.ACTION, "title": name, "emotion": score - 3, "tags": actors})
    try:
        data = builder.build()
    except ValidationError as err:  # a rule the line checks did not foresee
        problems.add("", "; ".join(m for _f, m in pydantic_messages(err)[:3]))
        problems.raise_if_any()
        raise
    return ImportResult(data=data, warnings=warnings)


_KEYWORDS = ("journey", "title", "section", "accTitle", "accDescr")


def _clean(text: str) -> str:
    """Text safe in a Mermaid line: one line, and no colon, '#', ';' or '%%' (look-alikes
    replace them); a leading keyword ('title ...') gets a capital so it stays a task."""
    text = " ".join(text.split()).replace(":", "\ua789").replace("#", "\uff03")
    text = text.replace(";", "\uff1b").replace("%%", "%\u200b%") or "-"
    first = text.split(" ")[0]
    if first in _KEYWORDS or first.startswith(("accTitle", "accDescr")):
        text = text[0].upper() + text[1:]
    return text


def to_mermaid(data: DocumentData, map_id: int) -> str:
    """A map as a Mermaid journey: its action cards (else every card) as tasks.

    A task's score is the card's emotion + 3, else that of the stage's emotion
    card with the same title, else the stage's average emotion, else 3 (neutral).
    Actors are the card's tags naming personas, else the map's persona.
    """
    m = data.maps[map_id]
    persona_names = {p.name.casefold(): p.name for p in data.personas.values()}
    default_actor = data.personas[m.persona_id].name if m.persona_id else ""
    cards = data.cards_of(map_id)
    tasks = [c for c in cards if c.kind is CardKind.ACTION] or [
        c for c in cards if c.kind is not CardKind.EMOTION] or cards
    out = ["journey", f"  title {_clean(m.title)}"]
    felt: dict[int, list[Card]] = {}  # by stage, in one pass (not one per stage)
    for c in cards:
        if c.kind is CardKind.EMOTION and c.emotion is not None:
            felt.setdefault(c.stage_id, []).append(c)
    tasks_of: dict[int, list[Card]] = {}
    for c in tasks:
        tasks_of.setdefault(c.stage_id, []).append(c)
    for stage in data.stages_of(map_id):
        here = felt.get(stage.id, [])
        scores = [c.emotion for c in here if c.emotion is not None]
        average = round(sum(scores) / len(scores)) if scores else 0
        by_title = {c.title.casefold(): c.emotion for c in here}
        out.append(f"  section {_clean(stage.name)}")
        for c in tasks_of.get(stage.id, ()):
            emotion = c.emotion if c.emotion is not None else by_title.get(
                c.title.casefold(), average)
            actors = [persona_names[t.casefold()] for t in c.tags if t.casefold() in persona_names]
            if not actors and default_actor:
                actors = [default_actor]
            who = ", ".join(_clean(a).replace(",", " ") for a in actors)
            out.append(f"    {_clean(c.title)}: {emotion + 3}" + (f": {who}" if who else ""))
    return "\n".join(out) + "\n"


def export_mermaid(data: DocumentData, map_id: int, path: str | Path, *,
                   force: bool = False) -> None:
    """Write one map as a Mermaid journey atomically."""
    text = to_mermaid(data, map_id)
    write_atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"), force)
