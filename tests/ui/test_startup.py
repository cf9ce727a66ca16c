"""The editor started as a user starts it: `waymark FILE.cjm` in a new process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.model.document import Document


def test_waymark_file_starts_the_editor_on_that_map(tmp_path: Path) -> None:
    path = tmp_path / "workshop.cjm"
    doc = Document.create(path, template="sample")
    cards = len(doc.data.cards)
    doc.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WAYMARK_SMOKE_SECONDS": "0.5",
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "WAYMARK_BACKUP_DIR": str(tmp_path / "backups")}
    run = subprocess.run([sys.executable, "-m", "app", str(path)], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert f"window 'workshop — Waymark' shows {cards} cards" in run.stdout
    assert "Traceback" not in run.stderr

