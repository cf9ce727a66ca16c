"""Helpers for interchange tests: write files, compare document content without ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.errors import ImportProblem
from app.model.schema import DocumentData
from tests.real_maps import REAL_MAPS as REAL_MAPS


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    """Write a text file (newlines as given) and return its path."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def content(data: DocumentData) -> list[dict[str, Any]]:
    """A document's content as comparable values: every map with its stage and lane order
    and every card's fields, without ids."""
    out = []
    for m in data.ordered_maps():
        stages = {s.id: s.name for s in data.stages_of(m.id)}
        lanes = {ln.id: ln.name for ln in data.lanes_of(m.id)}
        out.append({
            "title": m.title,
            "persona": data.personas[m.persona_id].name if m.persona_id else None,
            "stages": list(stages.values()),
            "lanes": [(ln.name, ln.kind.value) for ln in data.lanes_of(m.id)],
            "cards": [
                (stages[c.stage_id], lanes[c.lane_id], c.position,
                 c.model_dump(exclude={"id", "map_id", "stage_id", "lane_id", "position"}))
                for c in data.cards_of(m.id)
            ],
        })
    return out


def problems_of(call: Any, *args: Any) -> tuple[str, list[str]]:
    """Run an importer expected to refuse; return its message and detail lines."""
    with pytest.raises(ImportProblem) as info:
        call(*args)
    return info.value.message, info.value.details
