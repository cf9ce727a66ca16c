"""Mermaid ``journey`` diagrams in and out, to Mermaid 11's own grammar.

    ---
    title: My working day
    ---
    journey
      accDescr { How a day at the office feels }
      section Go to work
        Make tea: 5: Me
        Go upstairs: 3: Me, Cat

Reading (:mod:`app.interchange.mermaid_syntax` does the grammar): each section is a stage,
in order (a repeated name stays a separate stage, as Mermaid draws it); each task an action
card whose 1..5 score becomes an emotion of -2..+2 (score - 3); each actor a persona, and a
task's actors its tags (a name over 40 characters is tagged shortened with '…', the persona
keeps it whole). ``<br>`` is a line break. The map's persona is its most frequent actor,
its title the ``title`` line, else the front matter's, else ``accTitle``, else the file name,
and ``accDescr`` its description. Scores Mermaid draws but Waymark cannot keep (0, 6, 4.5,
'X') are clamped or rounded, or left without an emotion, with one warning per kind.

Writing escapes what Mermaid would misread, with Mermaid's entity codes (``#35;`` for '#',
``#58;`` for ':', ``#59;`` for ';'); a task whose first word Mermaid takes for a keyword
(``Journey planning``, ``Section 2 recap``, ``Title page``) gets its first letter as an entity
code, so the diagram shows the text as it was and Waymark reads it back unchanged.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from app.interchange.builder import DocBuilder
from app.interchange.common import (
    ImportResult,
    Problems,
    clean_name,
    decode_text,
    pydantic_messages,
    read_bytes,
    source_name,
    write_atomic,
)
from app.interchange.csv_io import map_title
from app.interchange.mermaid_syntax import Journey, parse_journey
from app.model.schema import (
    MAX_LIST_ITEMS,
    MAX_NAME,
    MAX_TAG,
    MAX_TITLE,
    Card,
    CardKind,
    DocumentData,
    LaneKind,
)

#: The name a stage gets for tasks before the first section, or a section without a name.
UNTITLED_SECTION = "Untitled section"
MAX_MERMAID_CHARS = 4 * 1024 * 1024


def actor_tag(name: str) -> str:
    """The tag that names an actor on a task: the name, shortened with '…' past 40 characters."""
    return name if len(name) <= MAX_TAG else name[:MAX_TAG - 1].rstrip() + "…"


def _label(text: str) -> str:
    """A section or task label as stored (its ``<br>`` already a line break): each line
    single-spaced."""
    return clean_name(text)


@dataclass
class _ScoreNotes:
    """Scores that could not be kept as they were, one list per kind (for one warning each)."""

    clamped: list[str] = field(default_factory=list)
    rounded: list[str] = field(default_factory=list)
    not_number: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    def warnings(self) -> list[str]:
        out = []
        for items, one, many in (
            (self.clamped, "a score outside 1..5 was clamped to 1 or 5",
             "scores outside 1..5 were clamped to 1 or 5"),
            (self.rounded, "a score with decimals was rounded",
             "scores with decimals were rounded"),
            (self.not_number, "a score that is not a number (Mermaid draws NaN) was imported "
                              "without an emotion",
             "scores that are not numbers (Mermaid draws NaN) were imported without an emotion"),
            (self.empty, "an empty score was imported without an emotion",
             "empty scores were imported without an emotion"),
        ):
            if items:
                what = one if len(items) == 1 else f"{len(items)} {many}"
                out.append(f"{what}: {_examples(items)}")
        if self.comments:
            out.append("Mermaid reads '%%' after the start of a line as text, not as a comment "
                       f"(a comment has a line of its own): {_examples(self.comments)}")
        if self.dropped:
            out.append(f"text after a task's third ':' is ignored, as Mermaid does: "
                       f"{_examples(self.dropped)}")
        return out


def _examples(items: list[str], most: int = 5) -> str:
    shown = "; ".join(items[:most])
    return shown + (f"; … {len(items) - most} more" if len(items) > most else "")


def _emotion(score: float, text: str, where: str, notes: _ScoreNotes) -> int | None:
    """The -2..+2 emotion of a Mermaid score, noting any change."""
    if not text:
        notes.empty.append(where)
        return None
    if math.isnan(score):
        notes.not_number.append(f"{where} {text[:20]!r}")
        return None
    value = score
    if math.isfinite(score) and score != int(score):
        value = math.floor(score + 0.5)  # JavaScript's Math.round
        notes.rounded.append(f"{where} {text[:20]} → {int(value)}")
    if not 1 <= value <= 5:
        clamped = 1 if value < 1 else 5
        notes.clamped.append(f"{where} {text[:20]} → {clamped}")
        value = clamped
    return int(value) - 3


def add_journey(builder: DocBuilder, journey: Journey, *, default_title: str,
                problems: Problems, warnings: list[str], line_offset: int = 0,
                where_prefix: str = "") -> None:
    """Add one parsed journey to ``builder`` as a map, recording every problem.

    ``line_offset`` shifts line numbers (a journey inside a Markdown fence).
    """
    def at(line: int, column: int | None = None) -> str:
        loc = f"{where_prefix}line {line + line_offset}"
        return loc if column is None else f"{loc}, column {column}"

    for p in journey.problems:
        problems.add(at(p.line, p.column), p.message)
    for w in journey.warnings:
        warnings.append(w if not line_offset else f"{where_prefix}{w}")
    if journey.problems:
        return

    title = " ".join(journey.diagram_title().split()) or clean_name(
        journey.acc_title) or default_title
    if len(title) > MAX_NAME:
        warnings.append(f"the title was shortened to {MAX_NAME} characters")
        title = title[:MAX_NAME].rstrip()
    if len(journey.title_lines) > 1:
        lines = ", ".join(str(n + line_offset) for n in journey.title_lines)
        warnings.append(f"{where_prefix}'title' appears on lines {lines}; as in Mermaid the last "
                        f"one names the map ({title!r}); a task starting with 'title' is read "
                        "as a title: reword it, or write its 't' as #116;")

    notes = _ScoreNotes()
    tasks = []
    for task in journey.tasks:
        name = _label(task.name)
        place = at(task.line, task.column)
        if not name:
            problems.add(place, "the task has no name")
            continue
        if len(name) > MAX_TITLE:
            problems.add(place, f"a task name has at most {MAX_TITLE} characters, "
                                f"not {len(name)}")
            continue
        emotion = _emotion(task.score, task.score_text, f"line {task.line + line_offset}", notes)
        actors: list[str] = []
        for actor in task.actors:
            actor = clean_name(actor)
            if not actor or actor.casefold() in (a.casefold() for a in actors):
                continue
            if len(actor) > MAX_NAME:
                problems.add(at(task.line, task.actors_column),
                             f"the actor {actor[:40] + '…'!r} has {len(actor)} characters; an "
                             f"actor becomes a persona, whose name has at most {MAX_NAME}")
                continue
            actors.append(actor)
        if len(actors) > MAX_LIST_ITEMS:
            problems.add(at(task.line, task.actors_column),
                         f"a task has at most {MAX_LIST_ITEMS} actors, not {len(actors)}")
        if "%%" in task.name or any("%%" in a for a in actors):
            notes.comments.append(f"line {task.line + line_offset}")
        if task.dropped:
            notes.dropped.append(f"line {task.line + line_offset} {task.dropped[:30]!r}")
        tasks.append((task, name, emotion, actors))
    stage_names = []
    untitled: list[int] = []
    for section in journey.sections:
        name = _label(section.name)
        if not name:
            name = UNTITLED_SECTION
            untitled.append(section.line + line_offset)
        elif len(name) > MAX_NAME:
            problems.add(at(section.line, section.column),
                         f"a section name has at most {MAX_NAME} characters, not {len(name)}")
        stage_names.append(name)
    if problems:
        return

    actor_count = Counter(a for *_rest, actors in tasks for a in actors)
    persona = actor_count.most_common(1)[0][0] if actor_count else None
    mb = builder.map(title, persona)
    if journey.acc_descr:
        mb.fields["description"] = journey.acc_descr[:5000]
    for actor in actor_count:
        builder.personas.setdefault(actor.casefold(), actor)
    # Sections are stages in order, each its own even when a name repeats (as Mermaid
    # draws them); tasks before the first section get a stage of their own.
    before = None
    if any(t.section is None for t in journey.tasks):
        before = mb.new_stage(UNTITLED_SECTION)
        untitled.insert(0, journey.tasks[0].line + line_offset)
    keys = [mb.new_stage(name) for name in stage_names]
    lane = mb.lanes[mb.lane("Actions", LaneKind.ACTIONS)].name
    for task, name, emotion, actors in tasks:
        fields = {"kind": CardKind.ACTION, "title": name, "tags": [actor_tag(a) for a in actors]}
        if emotion is not None:
            fields["emotion"] = emotion
        mb.add_card(before if task.section is None else keys[task.section], lane, fields)

    lines_of: dict[str, list[int]] = {}
    for section, name in zip(journey.sections, stage_names, strict=True):
        if name != UNTITLED_SECTION:
            lines_of.setdefault(name.casefold(), []).append(section.line + line_offset)
    for section, name in zip(journey.sections, stage_names, strict=True):
        lines = lines_of.get(name.casefold(), [])
        if len(lines) > 1 and lines[0] == section.line + line_offset:
            warnings.append(f"{where_prefix}section {name!r} appears on lines "
                            f"{', '.join(map(str, lines))}: kept as {len(lines)} stages in "
                            "order, as Mermaid draws them")
    if untitled:
        warnings.append(f"{where_prefix}tasks without a section name (line "
                        f"{', '.join(map(str, untitled))}) went into a stage named "
                        f"{UNTITLED_SECTION!r}")
    warnings.extend(f"{where_prefix}{w}" for w in notes.warnings())


def import_mermaid(path: str | Path) -> ImportResult:
    """Import a Mermaid journey diagram as one map (ImportProblem lists every problem)."""
    path = Path(path)
    source = source_name(path)
    warnings: list[str] = []
    text = decode_text(read_bytes(path, source), source, warnings)
    problems = Problems(source)
    if len(text) > MAX_MERMAID_CHARS:
        problems.add("", f"the diagram has {len(text):,} characters; at most "
                         f"{MAX_MERMAID_CHARS:,} are read")
        problems.raise_if_any()
    builder = DocBuilder()
    add_journey(builder, parse_journey(text), default_title=map_title(path),
                problems=problems, warnings=warnings)
    return finish(builder, problems, warnings)


def finish(builder: DocBuilder, problems: Problems, warnings: list[str]) -> ImportResult:
    """The built result, or every problem raised at once."""
    problems.raise_if_any()
    try:
        data = builder.build()
    except ValidationError as err:  # a rule the line checks did not foresee
        problems.add("", "; ".join(m for _f, m in pydantic_messages(err)[:3]))
        problems.raise_if_any()
        raise
    return ImportResult(data=data, warnings=warnings)


# ---------------------------------------------------------------- writing


@dataclass
class OutTask:
    """A task as the exporter means it: what Mermaid must read back."""

    name: str
    score: int
    actors: list[str]


@dataclass
class OutSection:
    """A section as the exporter means it."""

    name: str
    tasks: list[OutTask]


@dataclass
class OutJourney:
    """A journey as the exporter means it (text as shown, line breaks as '\\n')."""

    title: str
    description: str
    sections: list[OutSection]


#: Characters Mermaid's journey lexer would misread, per place, as entity codes.
_ALWAYS = {"#": "#35;", ";": "#59;"}
_IN_LABEL = {**_ALWAYS, ":": "#58;"}
_IN_ACTOR = {**_IN_LABEL, ",": "#44;"}
_IN_DESCR = {**_ALWAYS, "}": "#125;"}
#: A task starting like this is a keyword to the lexer (journey.jison, case-insensitive).
#: A '%' there starts a comment (the lexer's first rule, as compiled).
_KEYWORD_START = re.compile(r"journey\b|title\s|section\s|acctitle\s*:|accdescr\s*[:{]|%",
                            re.I | re.A)
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def escape(text: str, table: dict[str, str]) -> str:
    """Text for one Mermaid label: line breaks as ``<br>``, special characters as entities."""
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    out = "<br>".join(_escape_line(line, table) for line in lines if line)
    return out or "-"


def _escape_line(line: str, table: dict[str, str]) -> str:
    line = "".join(table.get(ch, ch) for ch in line)
    line = line.replace("%%", "%#37;")  # a comment or a directive to Mermaid's preprocessor
    return _TAG_START.sub("#60;", line)  # '<br>' typed as text stays text


def _escape_task(text: str) -> str:
    out = escape(text, _IN_LABEL)
    if _KEYWORD_START.match(out):
        out = f"#{ord(out[0])};{out[1:]}"
    return out


def journey_of(data: DocumentData, map_id: int) -> OutJourney:
    """What the exporter writes for a map: its action cards (else every card) as tasks.

    A task's score is the card's emotion + 3, else that of the stage's emotion card with
    the same title, else the stage's average emotion, else 3 (neutral). Its actors are
    its tags that name personas; when no card of the map names one, every task gets the
    map's persona.
    """
    m = data.maps[map_id]
    persona_names = {p.name.casefold(): p.name for p in data.personas.values()}
    persona_names.update({actor_tag(p.name).casefold(): p.name for p in data.personas.values()
                          if len(p.name) > MAX_TAG})
    cards = data.cards_of(map_id)
    tasks = [c for c in cards if c.kind is CardKind.ACTION] or [
        c for c in cards if c.kind is not CardKind.EMOTION] or cards

    def actors_of(card) -> list[str]:
        out: list[str] = []
        for tag in card.tags:
            name = persona_names.get(tag.casefold())
            if name and name not in out:
                out.append(name)
        return out

    named = any(actors_of(c) for c in tasks)
    default = [data.personas[m.persona_id].name] if m.persona_id and not named else []
    sections = []
    felt: dict[int, list[Card]] = {}  # by stage, in one pass (not one pass per stage)
    for c in cards:
        if c.kind is CardKind.EMOTION and c.emotion is not None:
            felt.setdefault(c.stage_id, []).append(c)
    tasks_of: dict[int, list[Card]] = {}
    for c in tasks:
        tasks_of.setdefault(c.stage_id, []).append(c)
    for stage in data.stages_of(map_id):
        emotions = felt.get(stage.id, [])
        average = round(sum(c.emotion for c in emotions) / len(emotions)) if emotions else 0
        by_title = {c.title.casefold(): c.emotion for c in emotions}
        out_tasks = []
        for c in tasks_of.get(stage.id, ()):
            emotion = c.emotion if c.emotion is not None else by_title.get(
                c.title.casefold(), average)
            out_tasks.append(OutTask(c.title, emotion + 3, actors_of(c) or list(default)))
        sections.append(OutSection(stage.name, out_tasks))
    return OutJourney(m.title, m.description, sections)


def render_journey(journey: OutJourney) -> str:
    """The Mermaid text of a journey."""
    out = ["journey", f"  title {escape(journey.title, _ALWAYS).replace('<br>', ' ')}"]
    description = [" ".join(line.split()) for line in journey.description.splitlines()]
    description = [line for line in description if line]
    if description:
        out.append("  accDescr {")
        out.extend(f"    {_escape_line(line, _IN_DESCR)}" for line in description)
        out.append("  }")
    for section in journey.sections:
        out.append(f"  section {_escape_section(section.name)}")
        for task in section.tasks:
            who = ", ".join(escape(" ".join(a.split()), _IN_ACTOR) for a in task.actors)
            out.append(f"    {_escape_task(task.name)}: {task.score}" + (f": {who}" if who else ""))
    return "\n".join(out) + "\n"


def _escape_section(text: str) -> str:
    return escape(text, _IN_LABEL)


def to_mermaid(data: DocumentData, map_id: int) -> str:
    """A map as a Mermaid journey."""
    journey = journey_of(data, map_id)
    return render_journey(journey)


def export_mermaid(data: DocumentData, map_id: int, path: str | Path, *,
                   force: bool = False) -> None:
    """Write one map as a Mermaid journey atomically."""
    text = to_mermaid(data, map_id)
    write_atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"), force)
