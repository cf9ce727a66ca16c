"""Where Waymark's shipped resources (fonts, templates, icons) live on disk."""

from __future__ import annotations

from pathlib import Path

import app

RESOURCES = Path(app.__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """The absolute path of a file under ``resources/`` (it may not exist)."""
    return RESOURCES.joinpath(*parts)
