"""Where the real journey maps live: tests/data/real-maps, inside the repository.

They are copies of the team's reference set, with their sources and licences in the README beside
them, so a lone clone runs the whole suite. Nothing here reads a file: paths only.
"""

from __future__ import annotations

from pathlib import Path

REAL_MAPS = Path(__file__).resolve().parent / "data" / "real-maps"
