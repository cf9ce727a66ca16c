"""Tables into maps, whatever file they come from (CSV, a workbook's sheets, Markdown).

:func:`plan_tables` detects each table's layout, header row and columns
(:mod:`app.interchange.tablelayout`) and applies the user's :class:`ImportOptions`;
:func:`import_plans` reads them all or refuses them all: every problem is listed by row
(or line) and column, and the refusal's notes say what was recognised and which option
changes it. The import dialog calls these two itself, to show and change the plan.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.errors import ImportProblem
from app.interchange.common import ImportResult, Problems, located, where
from app.interchange.grid import parse_grid
from app.interchange.json_io import renumber
from app.interchange.longtable import parse_long
from app.interchange.stagerows import parse_stage_rows
from app.interchange.tablelayout import (
    HINT,
    IGNORE,
    LANES,
    LAYOUTS,
    STAGE,
    Plan,
    Table,
    TableOptions,
    describe,
    hidden_words,
    parse_role,
    plan_table,
    role_choices,
    split_persona,
    stage_phases,
)
from app.model.schema import MAX_NAME, MAX_TEXT, DocumentData, Persona


@dataclass
class ImportOptions:
    """The user's choices for a whole file (the CLI's flags); None: detect."""

    layout: str | None = None
    header_row: int | None = None
    sheets: list[str] | None = None
    #: Column (letter, number or header text) -> role word ('title', 'pain points', 'ignore').
    columns: dict[str, str] = field(default_factory=dict)
    #: Per table name (the import dialog): replaces the choices above for that table.
    tables: dict[str, TableOptions] = field(default_factory=dict)

    def is_default(self) -> bool:
        return (self.layout is None and self.header_row is None and not self.sheets
                and not self.columns and not self.tables)


def _column_index(key: str, plan: Plan) -> int | None:
    """The 0-based column a user names: 'C', '3' or its header text."""
    key = key.strip()
    if re.fullmatch(r"[A-Za-z]{1,3}", key) and plan.table.kind != "markdown":
        n = 0
        for ch in key.upper():
            n = n * 26 + ord(ch) - 64
        return n - 1
    if key.isdigit() and int(key) >= 1:
        return int(key) - 1
    for col in range(plan.table.width):
        if plan.header_text(col).casefold() == key.casefold():
            return col
    return None


def plan_tables(tables: Sequence[Table], options: ImportOptions | None = None,
                source: str = "the file") -> list[Plan]:
    """How each table will be read (raises ImportProblem for a choice that cannot apply)."""
    options = options or ImportOptions()
    if options.layout is not None and options.layout not in LAYOUTS:
        raise ImportProblem(f"1 problem in {source}", details=[
            f"unknown layout {options.layout!r} (use {', '.join(LAYOUTS)})"])
    chosen = list(tables)
    if options.sheets and any(t.kind != "xlsx" for t in tables):
        raise ImportProblem(f"1 problem in {source}", details=[
            "--sheet picks sheets of a workbook (.xlsx); this file has none"])
    if options.sheets:
        names = {t.name.casefold(): t for t in tables}
        missing = [s for s in options.sheets if s.casefold() not in names]
        if missing:
            raise ImportProblem(f"1 problem in {source}", details=[
                f"there is no sheet {missing[0]!r} (sheets: "
                f"{', '.join(repr(t.name) for t in tables)})"])
        chosen = [names[s.casefold()] for s in options.sheets]
    plans = []
    problems: list[str] = []
    for table in chosen:
        if table.name in options.tables:
            plans.append(plan_table(table, options.tables[table.name]))
            continue
        base = TableOptions(options.layout, options.header_row)
        plan = plan_table(table, base)
        if options.columns and plan.layout is not None:
            columns: dict[int, str] = {}
            for key, word in options.columns.items():
                col = _column_index(key, plan)
                role = parse_role(word, plan.layout)
                if col is None or col >= max(plan.table.width, 1):
                    problems.append(f"--column {key}={word}: there is no column {key!r}")
                elif role is None:
                    roles = ", ".join(r for r, _label in role_choices(plan.layout)[:12])
                    problems.append(f"--column {key}={word}: {word!r} is not a column role of "
                                    f"the {plan.layout} layout (use one of {roles}, …)")
                else:
                    columns[col] = role
            plan = plan_table(table, TableOptions(options.layout, options.header_row, columns))
        plans.append(plan)
    if problems:
        raise ImportProblem(f"{len(problems)} problem{'s' if len(problems) > 1 else ''} in "
                            f"{source}", details=problems)
    return plans


def _with_persona(data: DocumentData, text: str | None) -> DocumentData:
    """The maps without a persona get the one a 'Persona: Priya, 38, busy parent' row names."""
    name, role = split_persona(text or "")
    if not name or all(m.persona_id for m in data.maps.values()):
        return data
    personas = dict(data.personas)
    pid = next((p.id for p in personas.values() if p.name.casefold() == name.casefold()), None)
    if pid is None:
        pid = max(personas, default=0) + 1
        personas[pid] = Persona(id=pid, name=name, role=role)
    maps = {k: m if m.persona_id else m.model_copy(update={"persona_id": pid})
            for k, m in data.maps.items()}
    return data.model_copy(update={"personas": personas, "maps": maps})


def _without_footer(plan: Plan) -> Plan:
    """``plan`` over its table with the footer rows blank (row numbers unchanged)."""
    if not plan.footer:
        return plan
    gone = set(plan.footer)
    rows = [[] if i in gone else row for i, row in enumerate(plan.table.rows)]
    return dataclasses.replace(plan, table=dataclasses.replace(plan.table, rows=rows))


def _with_notes(data: DocumentData | None, notes: Sequence[str]) -> DocumentData | None:
    """The maps' descriptions with the notes below their table appended."""
    if data is None or not notes:
        return data
    maps = {}
    for k, m in data.maps.items():
        text = "\n".join([m.description, *notes] if m.description else notes)
        maps[k] = m.model_copy(update={"description": text[:MAX_TEXT]})
    return data.model_copy(update={"maps": maps})


def _read_plan(plan: Plan, title: str, problems: Problems,
               warnings: list[str]) -> DocumentData | None:
    return _with_notes(_read_table(_without_footer(plan), title, problems, warnings),
                       plan.notes)


def _read_table(plan: Plan, title: str, problems: Problems,
                warnings: list[str]) -> DocumentData | None:
    table = plan.table
    rows = table.rows
    header = plan.header
    if plan.layout == "long":
        # the header's own names unless the user chose columns (then unknown ones are quiet)
        fields = ([None if r == IGNORE else r for r in plan.roles]
                  if "columns" in plan.chosen else None)
        with located(table.locator()):
            data = parse_long([("" if c is None else str(c)) for c in rows[header]],
                              ((i + 1, r) for i, r in enumerate(rows) if i > header),
                              problems=problems, warnings=warnings, default_map=title,
                              unescape=table.kind == "csv", header_row=header + 1,
                              fields=fields)
        return _with_persona(data, plan.persona) if data is not None else None
    if plan.layout == "stage-rows":
        with located(table.locator()):
            data = parse_stage_rows(plan, title=title, persona=None, problems=problems,
                                    warnings=warnings)
        return _with_persona(data, plan.persona) if data is not None else None
    # grid: the lane-name column first, then the stage columns, in the file's order
    if LANES not in plan.roles:
        with located(table.locator()):
            problems.add(where(header + 1), "no column holds the lane names (choose one with "
                                            "--column LETTER=lanes)")
        return None
    lane_col = plan.roles.index(LANES)
    keep = [lane_col] + [c for c, r in enumerate(plan.roles) if r == STAGE]
    sub = [[row[c] if c < len(row) else None for c in keep] for row in rows[header:]]
    phase_of = stage_phases(plan)
    with located(table.locator(keep)):
        data = parse_grid(sub, title=title, problems=problems, first_row=header + 1,
                          phases=[phase_of.get(c, "") for c in keep])
    return _with_persona(data, plan.persona) if data is not None else None


def import_plans(plans: Sequence[Plan], source: str, *, default_title: str,
                 warnings: list[str] | None = None) -> ImportResult:
    """Read every planned table (one map each, or more from a long table's map column)."""
    warnings = list(warnings or [])
    problems = Problems(source)
    notes: list[str] = []
    for plan in plans:
        notes.extend(describe(plan))
    readable = [p for p in plans if p.layout is not None]
    if not readable:
        problems.add("", "no table found" if len(plans) != 1 else
                     plans[0].reason if plans else "the file holds no table")
        raise ImportProblem(f"{problems.count} problem in {source}", details=problems.lines,
                            notes=[*notes, HINT])
    workbook = readable[0].table.kind == "xlsx" and len(readable) > 1
    long = [p for p in readable if p.layout == "long"]
    if workbook and long and len(long) < len(readable):
        # Waymark's own workbooks: a grid sheet per map and the Cards sheet (long).
        others = [p.table.name for p in readable if p.layout != "long"]
        warnings.append(f"sheets read as the card list: {', '.join(p.table.name for p in long)}; "
                        f"not imported: {', '.join(others)}")
        readable = long
    for plan in plans:
        if plan.layout is None and len(plans) > 1:
            warnings.append(f"{describe(plan)[0]}; not imported")
    warnings.extend(w for w in map(hidden_words, readable) if w)
    parts: list[DocumentData] = []
    for n, plan in enumerate(readable):
        table = plan.table
        title = (table.heading or plan.title or (table.name if table.kind == "xlsx" else "")
                 or default_title)
        if table.kind == "markdown" and not table.heading and not plan.title and n:
            title = f"{default_title} {n + 1}"
        prefix = f"sheet '{table.name}'" if table.kind == "xlsx" else ""
        sub = Problems(prefix or source)
        data = _read_plan(plan, title[:MAX_NAME], sub, warnings)
        for line in sub.lines:
            problems.add(prefix, line)
        for _ in range(sub.count - len(sub.lines)):
            problems.add(prefix, "(further problem)")
        if data is not None:
            parts.append(data)
    if problems:
        noun = "problem" if problems.count == 1 else "problems"
        details = list(problems.lines)
        if problems.count > len(details):
            details.append(f"... and {problems.count - len(details)} more")
        raise ImportProblem(f"{problems.count} {noun} in {source}", details=details,
                            notes=[*notes, HINT])
    result = ImportResult(data=merge(parts), warnings=warnings)
    result.plans = list(plans)
    result.notes = notes
    return result


def import_tables(tables: Sequence[Table], source: str, *, default_title: str,
                  options: ImportOptions | None = None,
                  warnings: list[str] | None = None) -> ImportResult:
    """Plan and read tables in one call (the CLI's and the formats' way)."""
    return import_plans(plan_tables(tables, options, source), source,
                        default_title=default_title, warnings=warnings)


def merge(parts: Sequence[DocumentData]) -> DocumentData:
    """Several imported contents as one, ids renumbered (personas merged by name)."""
    if len(parts) == 1:
        return parts[0]
    out: dict[str, dict[int, Any]] = {t: {} for t in
                                      ("personas", "maps", "stages", "lanes", "cards", "links")}
    persona_by_name: dict[str, int] = {}
    for part in parts:
        shift = {t: max(out[t], default=0) for t in out}
        persona_map: dict[int, int] = {}
        for p in part.personas.values():
            key = p.name.casefold()
            if key not in persona_by_name:
                new_id = len(out["personas"]) + 1
                out["personas"][new_id] = p.model_copy(update={"id": new_id})
                persona_by_name[key] = new_id
            persona_map[p.id] = persona_by_name[key]
        n_maps = len(out["maps"])
        for m in part.maps.values():
            out["maps"][m.id + shift["maps"]] = m.model_copy(update={
                "id": m.id + shift["maps"], "position": n_maps + m.position,
                "persona_id": persona_map.get(m.persona_id) if m.persona_id else None})
        for table in ("stages", "lanes"):
            for row in getattr(part, table).values():
                out[table][row.id + shift[table]] = row.model_copy(update={
                    "id": row.id + shift[table], "map_id": row.map_id + shift["maps"]})
        for c in part.cards.values():
            out["cards"][c.id + shift["cards"]] = c.model_copy(update={
                "id": c.id + shift["cards"], "map_id": c.map_id + shift["maps"],
                "stage_id": c.stage_id + shift["stages"], "lane_id": c.lane_id + shift["lanes"]})
    return renumber(DocumentData.model_validate(
        {t: {k: v.model_dump() for k, v in rows.items()} for t, rows in out.items()}))


# ---------------------------------------------------------------- export
