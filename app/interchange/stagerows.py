"""The stage-rows layout: one row per stage, every other column a lane.

    | Stage    | Touchpoint   | User action        | Thought/Quote       | Emotion      |
    | Discover | Instagram ad | Saves the post     | "Is it in my size?" | Curious 🙂   |
    | Buy      | Checkout     | Pays with PayPal   |                     | frustrated   |

Each cell's lines are cards of that stage and lane (bullets such as '- ' or '• ' dropped).
A row with an empty stage cell continues the stage above it (a merged cell in a
spreadsheet). In an emotions lane a cell is a score (-2..+2, or a 1..5 or 1..10 scale when
the whole column uses one), a word ('frustrated', 'contenta', '不安') or an emoji face;
a word Waymark does not know keeps its card without a score, with a warning.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from app.interchange.builder import DocBuilder
from app.interchange.common import (
    MAX_CELL_CHARS,
    Problems,
    clean_name,
    pydantic_messages,
    where,
)
from app.interchange.feelings import feeling_score, number_in
from app.interchange.tablelayout import PHASE, STAGE, Plan, cell_text, split_persona
from app.model.schema import CARD_FOR_LANE, MAX_NAME, Card, DocumentData, LaneKind

_BULLET = re.compile(r"^\s*(?:[-*•·‣◦–—]|\d{1,2}[.)])\s+")
_SUFFIX_SCORE = re.compile(r"\s*\(\s*[+\-\u2212]?\d+\s*\)\s*$")
_SCORE_INSIDE = re.compile(r"\s*[+\-\u2212]?\d+\s*")


def _without_score(line: str) -> str:
    """``_SUFFIX_SCORE.sub('', line)`` in linear time: the expression, searched from every
    position of a long run of spaces, was quadratic. A trailing '(score)' is found from
    the last '(' instead."""
    body = line.rstrip()
    opening = body.rfind("(")
    if not body.endswith(")") or opening < 0 or not _SCORE_INSIDE.fullmatch(
            body, opening + 1, len(body) - 1):
        return line
    return body[:opening].rstrip()


def card_lines(text: str) -> list[str]:
    """The cards a cell holds: one per non-empty line, list bullets dropped."""
    out = []
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip()
        if line:
            out.append(line)
    return out


def _scale(values: list[float]) -> tuple[str, str | None]:
    """How a column's numeric emotions are read: ('-2..2' | '1..5' | '1..10' | 'bad', note)."""
    if not values or all(-2 <= v <= 2 for v in values):
        return "-2..2", None
    if all(1 <= v <= 5 for v in values):
        return "1..5", "emotion numbers were read on a 1..5 scale (3 is neutral)"
    if all(0 <= v <= 10 for v in values):
        return "0..10", "emotion numbers were read on a 0..10 scale (5 is neutral)"
    return "bad", None


def _scaled(value: float, scale: str) -> int:
    if scale == "1..5":
        value -= 3
    elif scale == "0..10":
        value = (value - 5) * 2 / 5
    return max(-2, min(2, round(value)))


def parse_stage_rows(plan: Plan, *, title: str, persona: str | None, problems: Problems,
                     warnings: list[str]) -> DocumentData | None:
    """Read a stage-rows table into one map; None when problems were recorded."""
    table, roles = plan.table, plan.roles
    header_row = plan.header + 1
    if STAGE not in roles:
        problems.add(where(header_row), "no column names the stages (choose one with "
                                        "--column LETTER=stage)")
        return None
    stage_col = roles.index(STAGE)
    lanes: list[tuple[int, LaneKind, str]] = []
    for col, role in enumerate(roles):
        if role.startswith("lane:"):
            name = clean_name(plan.header_text(col)) or f"Column {table.column_name(col)}"
            if len(name) > MAX_NAME:
                problems.add(where(header_row, col), f"a lane name has at most {MAX_NAME} "
                                                     "characters")
                continue
            lanes.append((col, LaneKind(role[5:]), name))
    if not lanes:
        problems.add(where(header_row), "no column is a lane (choose one with --column "
                                        "LETTER=touchpoints, or another lane kind)")
        return None

    builder = DocBuilder()
    name, role = split_persona(persona or "")
    mb = builder.map(title, name or None)
    for _col, kind, name in lanes:
        mb.lane(name, kind)
    emotion_numbers: list[float] = []
    pending: list[tuple[str, str, dict[str, Any], int, int, float | None]] = []
    unknown: list[str] = []
    stage: str | None = None
    phase_col = roles.index(PHASE) if PHASE in roles else None
    phase = ""  # a blank phase cell continues the phase above (a merged cell)
    for index in range(plan.header + 1, len(table.rows)):
        rownum = index + 1
        cells = table.rows[index]
        if phase_col is not None and phase_col < len(cells) and cell_text(cells[phase_col]).strip():
            phase = " ".join(cell_text(cells[phase_col]).split())[:MAX_NAME]
        texts = {c: cell_text(cells[c]) if c < len(cells) else "" for c, _k, _n in lanes}
        name = clean_name(cell_text(cells[stage_col]) if stage_col < len(cells) else "")
        has_cards = any(t.strip() for t in texts.values())
        if name:
            if len(name) > MAX_NAME:
                problems.add(where(rownum, stage_col), f"a stage name has at most {MAX_NAME} "
                                                       f"characters, not {len(name)}")
                continue
            stage = mb.stage(name, **({"phase": phase} if phase else {}))
        elif not has_cards:
            continue
        elif stage is None:
            problems.add(where(rownum, stage_col), "this row has cards but no stage name "
                         f"(column {table.column_name(stage_col)} names the stages)")
            continue
        for col, kind, lane_name in lanes:
            text = texts[col]
            if len(text) > MAX_CELL_CHARS:
                problems.add(where(rownum, col), f"the cell holds {len(text):,} characters "
                             f"(at most {MAX_CELL_CHARS:,})")
                continue
            for line in card_lines(text):
                fields: dict[str, Any] = {"title": line, "kind": CARD_FOR_LANE[kind]}
                number = None
                if kind is LaneKind.EMOTIONS:
                    number = number_in(line)
                    if number is not None:
                        emotion_numbers.append(number)
                    else:
                        score = feeling_score(line)
                        if score is None:
                            unknown.append(f"{where(rownum, col)} {line[:30]!r}")
                        else:
                            fields["emotion"] = score
                            fields["title"] = _without_score(line) or line
                try:
                    Card.model_validate({"id": 1, "map_id": 1, "stage_id": 1, "lane_id": 1,
                                         **fields})
                except ValidationError as err:
                    for fld, message in pydantic_messages(err):
                        problems.add(where(rownum, col), f"{fld}: {message}")
                    continue
                pending.append((stage, lane_name, fields, rownum, col, number))
    scale, note = _scale(emotion_numbers)
    if scale == "bad":
        for _stage, _lane, _fields, rownum, col, number in pending:
            if number is not None and not -2 <= number <= 2:
                problems.add(where(rownum, col), f"emotion {number:g} is outside -2..+2 (and "
                             "the column's numbers fit no 1..5 or 0..10 scale)")
    if problems:
        return None
    if note:
        warnings.append(note)
    for stage_key, lane_name, fields, _rownum, _col, number in pending:
        if number is not None:
            fields["emotion"] = _scaled(number, scale)
        mb.add_card(stage_key, lane_name, fields)
    if unknown:
        one = len(unknown) == 1
        noun = "an emotion word" if one else f"{len(unknown)} emotion words"
        cards = "its card" if one else "their cards"
        warnings.append(f"{noun} Waymark does not know kept {cards} without a score (use "
                        f"-2..+2 or a word like happy, neutral, frustrated): "
                        f"{'; '.join(unknown[:5])}"
                        + (f"; … {len(unknown) - 5} more" if len(unknown) > 5 else ""))
    if not mb.stages:
        problems.add(where(header_row), "no row under the header names a stage")
        return None
    try:
        return builder.build()
    except ValidationError as err:  # a rule the cell checks did not foresee
        problems.add("", "; ".join(m for _f, m in pydantic_messages(err)[:3]))
        return None
