"""The permissions a new file should get: what the user's umask says, as other programs do.

``tempfile.mkstemp`` creates files readable by their owner only (0600), which is right for
a temporary file but wrong for an exported poster or CSV that a colleague on the same
machine or a web server should read. Files written atomically through a temporary copy
take the mode of the file they replace, or ``0666 & ~umask`` for a new one.
"""

from __future__ import annotations

import os
import threading
from functools import cache
from pathlib import Path

_LOCK = threading.Lock()


@cache
def umask() -> int:
    """The process umask (read once; /proc on Linux, so no thread ever sees it changed)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _LOCK:  # elsewhere the only way to read it is to set it for a moment
        old = os.umask(0o022)
        os.umask(old)
    return old


def mode_for(dest: Path) -> int:
    """The mode a file written at ``dest`` should have: the replaced file's, or the
    umask's for a new file."""
    try:
        return dest.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~umask()


def give_mode(tmp: Path, dest: Path) -> None:
    """Set ``tmp`` (about to be renamed to ``dest``) to the mode ``dest`` should have."""
    os.chmod(tmp, mode_for(dest))
