"""The suite's own settings hold in whichever process runs a test (pytest-xdist runs the
tests in worker processes: tests/conftest.py's ``pytest_configure`` runs in each)."""

from __future__ import annotations

import gc
import os
from pathlib import Path

from app.ui.support import collector


def test_the_cycle_collector_is_the_main_threads_in_this_process() -> None:
    assert collector.taken_over()
    assert not gc.isenabled()


def test_backups_go_to_a_throwaway_folder() -> None:
    folder = Path(os.environ["WAYMARK_BACKUP_DIR"])
    assert folder.name.startswith("waymark-backups-") and folder.is_dir()
