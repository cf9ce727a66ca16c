"""The grid layout, the spreadsheet template teams already use, in both directions.

The first row names the stages (from the second column on), the first column
names the lanes (from the second row on), and each cell holds that cell's
cards, one per line. In an emotions lane a line may end with its score in
brackets, ``Frustrated (-1)``, or be just the score.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from app.interchange.builder import DocBuilder
from app.interchange.common import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    Problems,
    cell_value_text,
    clean_name,
    lane_kind_from_name,
    pydantic_messages,
    where,
)
from app.model.schema import CARD_FOR_LANE, MAX_NAME, Card, CardKind, DocumentData, LaneKind

_BARE = re.compile(r"^[+\-\u2212]?\d+$")


def parse_grid(rows: Sequence[Sequence[Any]], *, title: str, problems: Problems,
               first_row: int = 1,
               phases: Sequence[str] | None = None) -> DocumentData | None:
    """Parse a grid into one map titled ``title``; None when problems were recorded.

    ``phases``, when given, is the phase of each column's stage ('' for none)."""
    if len(rows) > MAX_ROWS:
        problems.add(where(first_row + MAX_ROWS), f"more than {MAX_ROWS:,} rows; split the file")
        return None
    header = [cell_value_text(v) for v in rows[0]] if rows else []
    if len(header) > MAX_COLUMNS:
        problems.add(where(first_row), f"more than {MAX_COLUMNS} columns")
        return None
    builder = DocBuilder()
    mb = builder.map(title[:MAX_NAME])
    stage_of_col: dict[int, str] = {}
    for col, name in enumerate(header[1:], start=1):
        name = clean_name(name)
        if not name:
            continue
        if len(name) > MAX_NAME:
            problems.add(where(first_row, col), f"a stage name has at most {MAX_NAME} characters")
            continue
        stage_of_col[col] = name
        phase = phases[col] if phases is not None and col < len(phases) else ""
        mb.stage(name, **({"phase": phase} if phase else {}))
    if not stage_of_col:
        problems.add(where(first_row), "the first row names no stage (grid layout: stage names "
                     "from column B, lane names in column A) and no 'stage'/'title' header")
        return None
    for offset, row in enumerate(rows[1:], start=1):
        rownum = first_row + offset
        cells = [cell_value_text(v) for v in row]
        if not any(c.strip() for c in cells):
            continue
        lane_name = clean_name(cells[0]) if cells else ""
        if len(lane_name) > MAX_NAME:
            problems.add(where(rownum, 0), f"a lane name has at most {MAX_NAME} characters")
            continue
        if not lane_name:
            problems.add(where(rownum, 0), "this row has cards but no lane name in column A")
            continue
        kind = lane_kind_from_name(lane_name) or LaneKind.CUSTOM
        mb.lane(lane_name, kind)
        for col, text in enumerate(cells[1:], start=1):
            if not text.strip():
                continue
            if len(text) > MAX_CELL_CHARS:
                problems.add(where(rownum, col), f"the cell holds {len(text):,} characters "
                             f"(at most {MAX_CELL_CHARS:,})")
                continue
            if col not in stage_of_col:
                problems.add(where(rownum, col), "this cell has cards but its column has no "
                             "stage name in the first row")
                continue
            for line in text.splitlines():
                if not line.strip():
                    continue
                fields = _line_fields(line.strip(), kind)
                if "error" in fields:
                    problems.add(where(rownum, col), fields["error"])
                    continue
                try:
                    Card.model_validate({"id": 1, "map_id": 1, "stage_id": 1, "lane_id": 1,
                                         **fields})
                except ValidationError as err:
                    for fld, message in pydantic_messages(err):
                        problems.add(where(rownum, col), f"{fld}: {message}")
                    continue
                mb.add_card(stage_of_col[col], lane_name, fields)
    if problems:
        return None
    try:
        return builder.build()
    except ValidationError as err:  # a rule the cell checks did not foresee
        problems.add("", "; ".join(m for _f, m in pydantic_messages(err)[:3]))
        return None


def _line_fields(line: str, lane: LaneKind) -> dict[str, Any]:
    fields: dict[str, Any] = {"title": line, "kind": CARD_FOR_LANE[lane]}
    if lane is not LaneKind.EMOTIONS:
        return fields
    title, score_text = _score_suffix(line)
    if score_text is None:
        return fields
    digits = score_text.lstrip("+-\u2212")
    if len(digits) > 3:  # int() of thousands of digits is slow, and refused past 4,300
        return {"error": f"emotion {score_text[:12]}... is outside -2..+2"}
    score = int(score_text.replace("\u2212", "-"))
    if not -2 <= score <= 2:
        return {"error": f"emotion {score} is outside -2..+2"}
    fields["emotion"] = score
    if title:
        fields["title"] = title
    return fields


def _score_suffix(line: str) -> tuple[str, str | None]:
    """'Frustrated (-1)' -> ('Frustrated', '-1'); '-1' -> ('', '-1'); else (line, None).

    Found with rfind and one anchored match: linear in the line's length (a regex with a
    lazy title and optional spaces before the bracket was quadratic on long lines).
    """
    if _BARE.match(line):
        return "", line
    body = line.rstrip()
    if not body.endswith(")"):
        return line, None
    opening = body.rfind("(")
    inner = body[opening + 1:-1]
    if opening < 0 or not _BARE.match(inner):
        return line, None
    return body[:opening].strip(), inner


def grid_rows(data: DocumentData, map_id: int) -> list[list[str]]:
    """One map as a grid: stage names across, lane names down, cards one per line."""
    stages = data.stages_of(map_id)
    rows = [["", *(s.name for s in stages)]]
    cells: dict[tuple[int, int], list[Card]] = {}  # one pass (data.cell per cell is O(cards))
    for card in data.cards_of(map_id):  # in stage, lane and in-cell order
        cells.setdefault((card.stage_id, card.lane_id), []).append(card)
    for lane in data.lanes_of(map_id):
        row = [lane.name]
        for stage in stages:
            lines = []
            for card in cells.get((stage.id, lane.id), ()):
                line = " ".join(card.title.split())
                if card.kind is CardKind.EMOTION and card.emotion is not None:
                    line += f" ({card.emotion:+d})" if card.emotion else " (0)"
                lines.append(line)
            row.append("\n".join(lines))
        rows.append(row)
    return rows
