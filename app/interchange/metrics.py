"""Survey and analytics metrics (NPS, CSAT, drop-off...) from a CSV onto existing cards.

One row per measurement: ``card_id`` (or ``stage`` + ``title`` of the
touchpoint), ``metric``, ``value``, and optionally ``sample_size``, ``date``
and ``map``. Nothing is changed here: :func:`import_metrics` returns the
updates, and :func:`metric_fields` turns them into ``{card_id: {"metrics":
...}}`` for one ``UpdateCard`` command per card (run them in one macro).
When several rows give the same card and metric, the latest date wins.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.interchange.builder import key_of
from app.interchange.common import (
    MAX_CELL_CHARS,
    Problems,
    column_letter,
    decode_text,
    read_bytes,
    refuse,
    source_name,
    unescape_formula,
    where,
)
from app.interchange.csv_io import read_csv_rows
from app.interchange.longtable import normalise_header
from app.model.schema import (
    MAX_LIST_ITEMS,
    MAX_METRIC_ABS,
    MAX_METRIC_NAME,
    CardKind,
    DocumentData,
)

_HEADERS = {
    "card_id": "card id, card, id, touchpoint id, card_id",
    "map": "map, journey, map title",
    "stage": "stage, phase, step",
    "title": "title, touchpoint, card title, touchpoint title, name",
    "metric": "metric, metric name, measure, kpi, indicator",
    "value": "value, score, result",
    "sample_size": "sample size, sample, n, responses, respondents, count",
    "date": "date, measured, measured on, period, as of",
}
_SYNONYMS = {normalise_header(w): f for f, words in _HEADERS.items() for w in words.split(",")}


@dataclass(frozen=True)
class MetricUpdate:
    """One measurement for one card."""

    card_id: int
    metric: str
    value: float
    sample_size: int | None = None
    date: dt.date | None = None
    row: int = 0


@dataclass
class MetricsResult:
    """Updates to apply (one per card and metric) and warnings for the user."""

    updates: list[MetricUpdate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _parse_date(text: str) -> dt.date:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%Y-%m", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text[:10] if fmt == "%Y-%m-%d" else text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def import_metrics(path: str | Path, data: DocumentData,
                   map_id: int | None = None) -> MetricsResult:
    """Read a metrics CSV and match every row to a card of ``data`` (of ``map_id`` if given)."""
    path = Path(path)
    source = source_name(path)
    result = MetricsResult()
    text = decode_text(read_bytes(path, source), source, result.warnings)
    rows = read_csv_rows(text, source)
    if not rows:
        raise refuse(source, "the file is empty")
    problems = Problems(source)
    cols: dict[str, int] = {}
    for i, head in enumerate(rows[0]):
        fld = _SYNONYMS.get(normalise_header(head))
        if fld and fld not in cols:
            cols[fld] = i
        elif head.strip():
            result.warnings.append(f"column {column_letter(i)} '{head.strip()[:40]}' ignored")
    for fld in ("metric", "value"):
        if fld not in cols:
            problems.add(where(1), f"the required column '{fld}' is missing")
    if "card_id" not in cols and not ("stage" in cols and "title" in cols):
        problems.add(where(1), "name the card by a 'card_id' column or by 'stage' and 'title'")
    problems.raise_if_any()

    cards = [c for c in data.cards.values() if map_id is None or c.map_id == map_id]
    by_stage_title: dict[tuple[str, str], list[int]] = {}
    for c in cards:
        stage = data.stages[c.stage_id]
        by_stage_title.setdefault((key_of(stage.name), key_of(c.title)), []).append(c.id)
    card_ids = {c.id for c in cards}
    best: dict[tuple[int, str], MetricUpdate] = {}
    per_card: dict[int, set[str]] = {}

    for rownum, row in enumerate(rows[1:], start=2):
        def cell(fld: str, row: Sequence[str] = row) -> str:
            i = cols.get(fld)
            return unescape_formula(row[i]).strip() if i is not None and i < len(row) else ""

        if not any(c.strip() for c in row):
            continue
        if any(len(c) > MAX_CELL_CHARS for c in row):
            problems.add(where(rownum), "a cell is larger than 64 KB")
            continue
        card_id = _find_card(cell, rownum, cols, data, card_ids, by_stage_title, problems)
        metric = " ".join(cell("metric").split())
        if not metric or len(metric) > MAX_METRIC_NAME:
            problems.add(where(rownum, cols["metric"], "metric"),
                         f"the metric name must have 1 to {MAX_METRIC_NAME} characters")
            continue
        try:
            value = float(cell("value").replace(",", ".").rstrip("%"))
            if not math.isfinite(value) or abs(value) > MAX_METRIC_ABS:
                raise ValueError
        except ValueError:
            problems.add(where(rownum, cols["value"], "value"),
                         f"'{cell('value')[:20]}' is not a number")
            continue
        sample = None
        if cell("sample_size"):
            try:
                sample = int(cell("sample_size"))
                if sample < 0:
                    raise ValueError
            except ValueError:
                problems.add(where(rownum, cols["sample_size"], "sample_size"),
                             f"'{cell('sample_size')[:20]}' is not a whole number")
                continue
        date = None
        if cell("date"):
            try:
                date = _parse_date(cell("date"))
            except ValueError:
                problems.add(where(rownum, cols["date"], "date"),
                             f"'{cell('date')[:20]}' is not a date (use YYYY-MM-DD)")
                continue
        if card_id is None:
            continue
        update = MetricUpdate(card_id, metric, value, sample, date, rownum)
        key = (card_id, metric)
        old = best.get(key)
        if old is not None:
            newer = (date or dt.date.min) >= (old.date or dt.date.min)
            kept = rownum if newer else old.row
            result.warnings.append(f"row {rownum}: {metric} of the same card as row {old.row}; "
                                   f"kept row {kept}, the later measurement")
            if not newer:
                continue
        names = per_card.setdefault(card_id, set(data.cards[card_id].metrics))
        names.add(metric)
        if len(names) > MAX_LIST_ITEMS:
            problems.add(where(rownum), f"a card holds at most {MAX_LIST_ITEMS} metrics")
            continue
        best[key] = update
    problems.raise_if_any()
    result.updates = sorted(best.values(), key=lambda u: u.row)
    return result


def _find_card(cell: Callable[[str], str], rownum: int, cols: dict[str, int], data: DocumentData,
               card_ids: set[int], by_stage_title: dict[tuple[str, str], list[int]],
               problems: Problems) -> int | None:
    if cell("card_id"):
        try:
            card_id = int(cell("card_id"))
        except ValueError:
            card_id = -1
        if card_id not in card_ids:
            problems.add(where(rownum, cols["card_id"], "card_id"),
                         f"there is no card {cell('card_id')[:20]}")
            return None
        return card_id
    if "stage" not in cols or "title" not in cols or not (cell("stage") or cell("title")):
        problems.add(where(rownum), "the row names no card")
        return None
    found = by_stage_title.get((key_of(cell("stage")), key_of(cell("title"))), [])
    if len(found) > 1:  # prefer the touchpoint among same-titled cards
        touch = [i for i in found if data.cards[i].kind is CardKind.TOUCHPOINT]
        found = touch if len(touch) == 1 else found
    if not found:
        problems.add(where(rownum, cols["title"], "title"),
                     f"no card '{cell('title')[:40]}' in stage '{cell('stage')[:40]}'")
        return None
    if len(found) > 1:
        problems.add(where(rownum, cols["title"], "title"),
                     f"{len(found)} cards are called '{cell('title')[:40]}' in stage "
                     f"'{cell('stage')[:40]}'; use card_id")
        return None
    return found[0]


def metric_fields(data: DocumentData,
                  updates: Sequence[MetricUpdate]) -> dict[int, dict[str, Any]]:
    """``{card_id: {"metrics": merged}}``: the fields of one UpdateCard per card."""
    out: dict[int, dict[str, Any]] = {}
    for u in updates:
        fields = out.setdefault(u.card_id, {"metrics": dict(data.cards[u.card_id].metrics)})
        fields["metrics"][u.metric] = u.value
    return out
