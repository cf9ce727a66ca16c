"""Which layout a table is in, where its header row is, and what each column holds.

Tables come from a CSV file, a workbook's sheets or a Markdown file's tables. Three
layouts are read:

- **long**: one row per card, columns named after card fields (``stage``, ``title``,
  ``lane``, ``emotion``, …; see :mod:`app.interchange.longtable`);
- **grid**: stage names across the header row, lane names down a column, cards in the
  cells, one per line (:mod:`app.interchange.grid`);
- **stage rows**: one row per stage, a column naming the stage and every other column a
  lane (Touchpoint, User action, Thought, Emotion, Pain point, …), cards in the cells.

The header row is the first row that looks like one: title rows, instruction rows,
``Persona: Maya`` rows and blank rows above it are skipped (a title row names the map, a
persona row its persona). :func:`plan_table` detects all of it; :class:`TableOptions`
overrides any part (``--layout``, ``--header-row``, ``--column``, or the import dialog),
and :func:`describe` says in words what was recognised, for previews and error messages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.interchange.common import (
    Locator,
    column_letter,
    lane_kind_from_name,
    squash,
)
from app.interchange.common import cell_value_text as cell_text  # a cell as shown
from app.interchange.footers import footer_rows
from app.interchange.longtable import FIELDS, IGNORED, header_field, phase_column
from app.model.schema import MAX_NAME, LaneKind
from app.wording import counted

LAYOUTS = ("long", "grid", "stage-rows")
LAYOUT_NAMES = {"long": "long layout (one row per card)",
                "grid": "grid layout (stages across, lanes down)",
                "stage-rows": "stage-rows layout (one row per stage, a lane per column)"}
IGNORE = "ignore"
#: Roles of a grid's columns (STAGE also in stage rows, with PHASE: the stage's phase).
LANES, STAGE, PHASE = "lanes", "stage", "phase"
#: How many rows from the top the header row is looked for in.
HEADER_SEARCH_ROWS = 60
HINT = ("to read it another way: --layout long|grid|stage-rows, --header-row N, "
        "--column LETTER=ROLE, --sheet NAME (or the Import dialog's Layout, Header row and "
        "column choices)")
_PERSONA_KEYS = {"persona", "customer", "user", "segment", "personaje", "usuario", "cliente",
                 "utilisateur", "ペルソナ", "用户画像", "人物"}
_TITLE_KEYS = {"journey", "map", "title", "scenario", "journey map", "mapa", "titulo", "título",
               "titre", "parcours", "escenario", "scénario"}
_META = re.compile(r"^\s*([^:：]{1,40}?)\s*[:：]\s*(.*)$", re.S)


def split_persona(text: str) -> tuple[str, str]:
    """'Priya, 38, busy parent' -> ('Priya', '38, busy parent'): a persona's name and role."""
    text = " ".join(text.split())
    m = re.match(r"^(.{1,60}?)\s*(?:,|\s[-–—]\s|\()\s*(.+?)\)?$", text)
    if m:
        return m.group(1)[:MAX_NAME], m.group(2)[:MAX_NAME]
    return text[:MAX_NAME], ""


@dataclass
class Table:
    """One table of a file, as read: every row from the top, cells as the file has them."""

    name: str  # a sheet's name, or "" (CSV), or "table on line 12" (Markdown)
    rows: list[list[Any]]
    kind: str = "csv"  # csv, xlsx, markdown
    lines: list[int] | None = None  # Markdown: the source line of each row
    heading: str = ""  # Markdown: the heading above the table
    #: A workbook's hidden rows and columns (0-based; read like the others, and named).
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[int] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def locator(self, columns: Sequence[int] | None = None) -> Locator:
        """How this table's rows and columns are named in messages."""
        return Locator(line_of=tuple(self.lines) if self.lines is not None else None,
                       columns=tuple(columns) if columns is not None else None,
                       letters=self.kind != "markdown")

    def row_name(self, index: int) -> str:
        """'row 9' or 'line 14' for a 0-based row index."""
        return self.locator().row(index + 1)

    def column_name(self, col: int) -> str:
        """'C' or '3' for a 0-based column."""
        return column_letter(col) if self.kind != "markdown" else str(col + 1)

    def text(self, row: int, col: int) -> str:
        cells = self.rows[row]
        return cell_text(cells[col]).strip() if col < len(cells) else ""


@dataclass
class TableOptions:
    """What the user chose instead of what was detected (None: detect)."""

    layout: str | None = None
    header_row: int | None = None  # 1-based row of the table
    columns: dict[int, str] = field(default_factory=dict)  # 0-based column -> role


@dataclass
class Plan:
    """How a table will be read."""

    table: Table
    layout: str | None  # None: no table found
    header: int  # 0-based index of the header row
    roles: list[str]  # one per column
    detected_layout: str | None
    detected_header: int | None
    reason: str
    title: str | None = None  # from a title row above the header
    persona: str | None = None  # from a 'Persona: Maya' row above the header
    skipped: list[int] = field(default_factory=list)  # rows above the header with text
    phase_row: int | None = None  # grid: the row over the header naming the stages' phases
    #: Rows below the table that are not part of it (a totals row, notes; see footers).
    footer: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the footer's notes, for the description
    chosen: set[str] = field(default_factory=set)  # what the user overrode

    def header_text(self, col: int) -> str:
        return self.table.text(self.header, col) if self.layout else ""


# ---------------------------------------------------------------- detection
def _is_stage_header(text: str) -> bool:
    return header_field(text) == "stage"


def _row_cells(table: Table, index: int) -> list[str]:
    return [cell_text(c).strip() for c in table.rows[index]]


def _meta(cells: list[str]) -> tuple[str, str] | None:
    """('persona', 'Maya') for a 'Persona: Maya' row (one or two cells), else None."""
    filled = [c for c in cells if c]
    if not filled or len(filled) > 2:
        return None
    # lstrip: leading spaces matched both '\s*' and the key's '[^:]', which made a long
    # cell of spaces take minutes (the key is the same either way)
    m = _META.match(filled[0].lstrip())
    if not m:
        return None
    key = " ".join(m.group(1).casefold().split())
    value = m.group(2).strip() or (filled[1] if len(filled) == 2 else "")
    if len(filled) == 2 and m.group(2).strip():
        return None
    if key in _PERSONA_KEYS and value:
        return "persona", value
    if key in _TITLE_KEYS and value:
        return "title", value
    if len(filled) == 2 and value:  # 'Owner:' | 'Ana': a note about the map
        return "note", value
    return None


def _looks_like_title(text: str) -> bool:
    return (0 < len(text) <= 100 and "\n" not in text and len(text.split()) <= 14
            and not text.rstrip().endswith((".", ":", "：", "。")))


def _lane_hits(names: Sequence[str]) -> int:
    return sum(1 for n in names if n and lane_kind_from_name(n) is not None)


def _long_header(cells: Sequence[str]) -> bool:
    known = {header_field(c) for c in cells if c}
    known.discard(None)
    return len(known) >= 2 and ("title" in known or bool({"lane", "kind", "lane_kind"} & known))


def _grid_or_stage_rows(table: Table, header: int, cells: list[str]) -> tuple[str, str]:
    """The layout of a header row that is not long, and why."""
    phase = phase_column(cells)  # 'Phase' beside 'Étape': the other one names the stages
    stage_cols = [i for i, c in enumerate(cells) if c and _is_stage_header(c) and i != phase]
    first = next((i for i, c in enumerate(cells) if c), 0)
    lane_col = _first_filled_column(table, header)
    below = [table.text(r, lane_col) for r in range(header + 1, len(table.rows))]
    below = [b for b in below if b]
    header_lanes = _lane_hits([c for i, c in enumerate(cells) if i != lane_col])
    column_lanes = _lane_hits(below)
    if stage_cols:
        col = stage_cols[0]
        if col == lane_col and column_lanes > header_lanes and column_lanes * 2 >= len(below):
            return "grid", (f"column {table.column_name(col)} lists lanes "
                            f"({', '.join(repr(b) for b in below[:3])}…) under "
                            f"{cells[col]!r}, and {table.row_name(header)} names stages")
        return "stage-rows", (f"column {table.column_name(col)} {cells[col]!r} names the stages "
                              "and the other columns are lanes")
    if header_lanes > column_lanes and header_lanes >= 2 and cells[first]:
        return "stage-rows", (f"the header names lanes ({header_lanes} of them look like "
                              f"lane names) and column {table.column_name(first)} the stages")
    return "grid", (f"{table.row_name(header)} names stages from column "
                    f"{table.column_name(lane_col + 1)} on and column "
                    f"{table.column_name(lane_col)} the lanes")


def _first_filled_column(table: Table, header: int) -> int:
    """The leftmost column with text at or below the header (a margin column is skipped)."""
    best = None
    for r in range(header, min(len(table.rows), header + 200)):
        for c, value in enumerate(table.rows[r]):
            if cell_text(value).strip():
                best = c if best is None else min(best, c)
                break
    return best or 0


def find_header(table: Table) -> tuple[int | None, str | None, str]:
    """(0-based header row, layout, why) of a table; (None, None, why) when none is found.

    A row naming card fields or a stage column is a header; so is, for a grid, the first
    row naming two things or more (title, note and ``Persona:`` rows hold one), or one stage
    right of an empty column A above a row of two cells. A row of two cells that a blank
    row separates from a named header below it (a CSV title with a comma) is a title.
    """
    rows = table.rows
    named: int | None = None
    generic: int | None = None
    for r in range(min(len(rows), HEADER_SEARCH_ROWS)):
        cells = _row_cells(table, r)
        filled = [i for i, c in enumerate(cells) if c]
        if not filled or _meta(cells) is not None:
            continue
        if _long_header(cells) or (len(filled) >= 2 and any(_is_stage_header(c)
                                                             for c in cells)):
            named = r
            break
        if generic is None and (len(filled) >= 2 or (filled[0] > 0 and _next_has_two(table, r))):
            generic = r
    if named is not None and (generic is None or any(
            not any(_row_cells(table, b)) for b in range(generic + 1, named))):
        cells = _row_cells(table, named)
        if _long_header(cells):
            names = [f"{c!r}" for c in cells if header_field(c)][:4]
            return named, "long", f"its columns name card fields ({', '.join(names)})"
        layout, why = _grid_or_stage_rows(table, named, cells)
        return named, layout, why
    if generic is not None:
        below = _next_filled_row(table, generic)
        if below is not None and is_phase_row(table, generic, below):
            generic = below  # phases over the stage names: the stage names are the header
        layout, why = _grid_or_stage_rows(table, generic, _row_cells(table, generic))
        return generic, layout, why
    return None, None, (f"no header row in the first {HEADER_SEARCH_ROWS} rows: every row "
                        "holds one cell of text or none")


def _next_filled_row(table: Table, row: int) -> int | None:
    return next((r for r in range(row + 1, min(len(table.rows), row + 6))
                 if any(_row_cells(table, r))), None)


def _previous_filled_row(table: Table, row: int) -> int | None:
    return next((r for r in range(row - 1, max(row - 6, -1), -1)
                 if any(_row_cells(table, r))), None)


def is_phase_row(table: Table, row: int, header: int) -> bool:
    """Whether ``row`` names phases over a grid's stage names in ``header``: two cells or
    more, each over a stage (a merged cell keeps its text in its first column), fewer than
    the stages, and none over the lane names' column."""
    if _long_header(_row_cells(table, header)):
        return False
    over, names = _row_cells(table, row), _row_cells(table, header)
    lane_col = _first_filled_column(table, header)
    phases = [i for i, c in enumerate(over) if c]
    stages = [i for i, c in enumerate(names) if c and i > lane_col]
    return (len(phases) >= 2 and len(stages) > len(phases) and min(phases) > lane_col
            and all(i < len(names) and names[i] for i in phases)
            and not (lane_col < len(names) and names[lane_col]))


def stage_phases(plan: Plan) -> dict[int, str]:
    """Column -> phase of a grid's stage columns, from its phase row (a phase runs from its
    cell to the next one, as a merged cell does)."""
    if plan.phase_row is None:
        return {}
    over = _row_cells(plan.table, plan.phase_row)
    out: dict[int, str] = {}
    current = ""
    for col, role in enumerate(plan.roles):
        if col < len(over) and over[col]:
            current = " ".join(over[col].split())[:MAX_NAME]
        if role == STAGE and current:
            out[col] = current
    return out


def _next_has_two(table: Table, header: int) -> bool:
    """Whether the first non-blank row under ``header`` holds two cells or more."""
    for r in range(header + 1, min(len(table.rows), header + 6)):
        filled = [c for c in _row_cells(table, r) if c]
        if filled:
            return len(filled) >= 2
    return False


def _above(table: Table, header: int) -> tuple[str | None, str | None, list[int]]:
    """The map title and persona that rows above the header give, and those rows."""
    title = persona = None
    named = False  # whether the title names a journey; a later row that does wins otherwise
    skipped = []
    for r in range(header):
        cells = _row_cells(table, r)
        filled = [c for c in cells if c]
        if not filled:
            continue
        skipped.append(r)
        meta = _meta(cells)
        if meta is not None:
            if meta[0] == "persona" and persona is None:
                persona = meta[1]
            elif meta[0] == "title" and title is None:
                title = meta[1]
            continue
        if len(filled) == 1 and _looks_like_title(filled[0]) and (
                title is None or (not named and _names_a_journey(filled[0]))):
            named = _names_a_journey(filled[0])
            title = filled[0]
    return title, persona, skipped


_JOURNEY_WORDS = re.compile(r"\b(journey|journeys|map|mapa|viaje|recorrido|parcours|carte|"
                            r"reise|kundenreise|experience|experiencia|expérience)\b"
                            r"|ジャーニー|旅程|رحلة", re.IGNORECASE)


def _names_a_journey(text: str) -> bool:
    """'Mapa de experiencia: siniestros', 'Customer journey – checkout' (not 'ACME Seguros')."""
    return bool(_JOURNEY_WORDS.search(text))


# ---------------------------------------------------------------- roles
def _long_role(text: str) -> str:
    fld = header_field(text) if text else None
    if fld is None or fld in IGNORED:
        return IGNORE
    return fld


def lane_role(kind: LaneKind) -> str:
    """The role of a stage-rows column that is a lane of ``kind``."""
    return f"lane:{kind.value}"


def _stage_rows_role(text: str) -> str:
    if not text:
        return IGNORE
    if _is_stage_header(text):
        return STAGE
    kind = lane_kind_from_name(text)
    if kind is None:
        fld = header_field(text)
        kind = {"emotion": LaneKind.EMOTIONS, "channel": LaneKind.CHANNELS,
                "device": LaneKind.CHANNELS}.get(fld or "", LaneKind.CUSTOM)
    return lane_role(kind)


def default_roles(table: Table, header: int, layout: str) -> list[str]:
    """What each column holds in ``layout`` with ``header`` as the header row."""
    width = table.width
    names = [table.text(header, c) for c in range(width)]
    if layout == "long":
        return [_long_role(n) for n in names]
    if layout == "stage-rows":
        roles = [_stage_rows_role(n) for n in names]
        phase = phase_column(names)
        if phase is not None:
            roles[phase] = PHASE
        if STAGE not in roles:
            first = _first_filled_column(table, header)
            if first < width:
                roles[first] = STAGE
        else:  # only the first stage column names the stage; a second is a lane
            first = roles.index(STAGE)
            roles = [r if r != STAGE or i == first else lane_role(LaneKind.CUSTOM)
                     for i, r in enumerate(roles)]
        return roles
    lane_col = _first_filled_column(table, header)
    return [IGNORE if c < lane_col else LANES if c == lane_col else STAGE if names[c]
            else IGNORE for c in range(width)]


def role_choices(layout: str) -> list[tuple[str, str]]:
    """(role, label) pairs a column can take in ``layout``, for the import dialog."""
    if layout == "long":
        return [(IGNORE, "(ignore)"), *((f, f.replace("_", " ")) for f in FIELDS
                                        if f not in IGNORED)]
    if layout == "grid":
        return [(IGNORE, "(ignore)"), (LANES, "lane names"), (STAGE, "a stage")]
    return [(IGNORE, "(ignore)"), (STAGE, "stage name"), (PHASE, "phase of the stage"),
            *((lane_role(k), f"{k.value.replace('_', ' ')} lane") for k in LaneKind)]


def parse_role(text: str, layout: str) -> str | None:
    """A role from a user's word ('title', 'pain points', 'lanes', 'ignore'), or None."""
    key = squash(text)
    if key in ("ignore", "skip", "none", "-"):
        return IGNORE
    if layout == "grid":
        return {"lanes": LANES, "lane": LANES, "lanenames": LANES, "stage": STAGE,
                "stages": STAGE}.get(key)
    if layout == "stage-rows":
        if key in ("stage", "stages", "stagename"):
            return STAGE
        if key in ("phase", "phases"):
            return PHASE
        for kind in LaneKind:
            if key in (squash(kind.value), squash(kind.value).rstrip("s"),
                       squash(kind.value) + "lane"):
                return lane_role(kind)
        kind = lane_kind_from_name(text.removesuffix(" lane"))
        return lane_role(kind) if kind is not None else None
    if text.strip().casefold().startswith("metric:") and text.strip()[7:].strip():
        return f"metric:{text.strip()[7:].strip()}"
    fld = header_field(text)
    return fld if fld and fld not in IGNORED else None


def role_label(role: str) -> str:
    """A role in words: 'touchpoints lane', 'title', 'lane names'."""
    if role.startswith("lane:"):
        return f"{role[5:].replace('_', ' ')} lane"
    return {LANES: "lane names", IGNORE: "ignored"}.get(role, role.replace("_", " "))


# ---------------------------------------------------------------- planning
def plan_table(table: Table, options: TableOptions | None = None) -> Plan:
    """How to read ``table``: detected, then the user's choices applied."""
    options = options or TableOptions()
    header, layout, reason = find_header(table)
    detected_layout, detected_header = layout, header
    chosen: set[str] = set()
    if options.header_row is not None:
        header = max(0, min(options.header_row - 1, max(len(table.rows) - 1, 0)))
        chosen.add("header")
        if layout is None or options.layout is None:
            cells = _row_cells(table, header) if table.rows else []
            if _long_header(cells):
                layout, reason = "long", "its columns name card fields"
            elif cells:
                layout, reason = _grid_or_stage_rows(table, header, cells)
    if options.layout is not None:
        layout = options.layout
        chosen.add("layout")
        reason = "chosen"
        if header is None:
            header = next((r for r in range(len(table.rows)) if any(_row_cells(table, r))), 0)
    if layout is None or header is None or not table.rows:
        return Plan(table, None, 0, [], detected_layout, detected_header, reason)
    roles = default_roles(table, header, layout)
    for col, role in options.columns.items():
        if 0 <= col < len(roles):
            roles[col] = role
            chosen.add("columns")
    title, persona, skipped = _above(table, header)
    phase_row = None
    if layout == "grid" and header > 0:
        above = _previous_filled_row(table, header)
        if above is not None and is_phase_row(table, above, header):
            phase_row = above
    footer, notes = footer_rows(table.rows, header)
    return Plan(table, layout, header, roles, detected_layout, detected_header, reason,
                title=title, persona=persona, skipped=skipped, chosen=chosen,
                footer=footer, notes=notes, phase_row=phase_row)


def _ranges(rows: list[int]) -> str:
    """'1-3, 5' for 0-based indexes [0, 1, 2, 4]."""
    out: list[str] = []
    start = prev = None
    for r in rows:
        if start is None:
            start = prev = r
        elif r == prev + 1:
            prev = r
        else:
            out.append(f"{start + 1}" if start == prev else f"{start + 1}-{prev + 1}")
            start = prev = r
    if start is not None:
        out.append(f"{start + 1}" if start == prev else f"{start + 1}-{prev + 1}")
    return ", ".join(out)


def _footer_words(plan: Plan) -> str:
    """'rows 12-14 below the table skipped (a totals row; 2 notes kept in the description)'."""
    table = plan.table
    many = "s" if len(plan.footer) > 1 else ""
    if table.kind == "markdown":
        shown = f"line{many} " + ", ".join(table.row_name(r).split()[-1] for r in plan.footer)
    else:
        shown = f"row{many} {_ranges(plan.footer)}"
    totals = len(plan.footer) - len(plan.notes)
    what = [counted(totals, "totals row") if totals else "",
            f"{counted(len(plan.notes), 'note')} kept in the map's description"
            if plan.notes else ""]
    return f"{shown} below the table skipped ({'; '.join(w for w in what if w)})"


def hidden_words(plan: Plan) -> str | None:
    """'hidden row 4 and column E were read like the others, …' for the hidden rows and
    columns of a table that hold what the import reads, or None."""
    table = plan.table
    if plan.layout is None or not (table.hidden_rows or table.hidden_columns):
        return None
    footer = set(plan.footer)
    rows = [r for r in dict.fromkeys(table.hidden_rows)
            if plan.header < r < len(table.rows) and r not in footer and any(_row_cells(table, r))]
    cols = [c for c in dict.fromkeys(table.hidden_columns)
            if c < len(plan.roles) and plan.roles[c] != IGNORE
            and any(table.text(r, c) for r in range(plan.header, len(table.rows)))]
    if not rows and not cols:
        return None
    parts = []
    if rows:
        parts.append(f"row{'s' if len(rows) > 1 else ''} "
                     + ", ".join(str(r + 1) for r in rows[:8]) + (", …" if len(rows) > 8 else ""))
    if cols:
        parts.append(f"column{'s' if len(cols) > 1 else ''} "
                     + ", ".join(table.column_name(c) for c in cols[:8])
                     + (", …" if len(cols) > 8 else ""))
    tip = f"; to leave a column out: --column {table.column_name(cols[0])}=ignore" if cols else ""
    where = f"sheet {table.name!r}: " if table.kind == "xlsx" else ""
    verb = "was" if len(rows) + len(cols) == 1 else "were"
    return (f"{where}hidden {' and '.join(parts)} {verb} read like the others, as a "
            f"spreadsheet's CSV export does{tip}")


def describe(plan: Plan) -> list[str]:
    """What was recognised in a table, in words (a preview's and an error's first lines)."""
    table = plan.table
    where = f"sheet {table.name!r}: " if table.kind == "xlsx" else (
        f"{table.name}: " if table.kind == "markdown" and table.name else "")
    if plan.layout is None:
        return [f"{where}no table found ({plan.reason})"]
    how = "chosen" if "layout" in plan.chosen else f"detected: {plan.reason}"
    lines = [f"{where}read in the {LAYOUT_NAMES[plan.layout]}; {how}"]
    header = f"header row: {table.row_name(plan.header)}"
    if "header" in plan.chosen:
        header += " (chosen)"
    if plan.skipped:
        if table.kind == "markdown":
            shown = "lines " + ", ".join(table.row_name(r).split()[-1] for r in plan.skipped)
        else:
            shown = f"rows {_ranges(plan.skipped)}"
        header += f"; {shown} above it skipped"
        found = [f"title {plan.title!r}" if plan.title else "",
                 f"persona {plan.persona!r}" if plan.persona else ""]
        found = [f for f in found if f]
        if found:
            header += f" (they give the map's {' and '.join(found)})"
    lines.append(header)
    phases = list(dict.fromkeys(stage_phases(plan).values()))
    if phases:
        lines.append(f"phases: {table.row_name(plan.phase_row or 0)} groups the stages into "
                     f"{', '.join(repr(p[:30]) for p in phases[:8])}")
    if plan.footer:
        lines.append(_footer_words(plan))
    cols = []
    for col, role in enumerate(plan.roles):
        name = plan.header_text(col)
        if role == IGNORE and not name:
            continue
        shown = f"{table.column_name(col)} {name[:30]!r}" if name else table.column_name(col)
        if plan.layout == "grid" and role == STAGE:
            continue
        cols.append(f"{shown} → {role_label(role)}")
    if plan.layout == "grid":
        stages = [plan.header_text(c) for c, r in enumerate(plan.roles) if r == STAGE]
        cols.append(f"stages: {', '.join(repr(s[:30]) for s in stages[:8])}"
                    + (f", … {len(stages) - 8} more" if len(stages) > 8 else ""))
    label = "columns" if plan.layout != "stage-rows" else "columns (lanes)"
    lines.append(f"{label}: " + "; ".join(cols))
    return lines
