"""Child process for the kill -9 test of making a file: ``create_file`` killed at a chosen
moment (the Nth SQL statement it starts, its COMMIT, before the rename, or after it)."""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
from pathlib import Path

from app.model import fileformat


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main(path: Path, moment: str) -> None:
    real_open = fileformat.open_raw
    seen = 0

    def traced(sql: str) -> None:
        nonlocal seen
        seen += 1
        if moment == str(seen) or (moment == "commit" and sql == "COMMIT"):
            _die()

    def open_raw(*args, **kwargs) -> sqlite3.Connection:
        dbapi = real_open(*args, **kwargs)
        dbapi.set_trace_callback(traced)
        return dbapi

    fileformat.open_raw = open_raw
    if moment == "rename":
        fileformat.publish = lambda tmp, dest: _die()
    fileformat.create_file(path)
    print(seen, flush=True)
    if moment == "end":
        _die()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
