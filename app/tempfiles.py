"""Temporary files and folders Waymark makes, named so that only ours are ever removed.

Every file written atomically (a document created or saved as, a backup, an export) is
first written to a temporary file beside it and renamed into place. Its name is short
whatever the destination's length (``.wm-<hash of the name>-<pid>-<random>.tmp``), so a
destination of 255 bytes still gets one, and it names the process that made it: a sweep
(whenever Waymark writes into a folder) removes only files of this exact pattern whose
process is gone, never a user's own ``.notes.cjm.1.tmp`` and never the file of a Waymark
that is still writing it.

Private folders (a copy made to check an unfinished change, see
:mod:`app.model.journals`) live in the system's temporary folder as
``waymark-<kind>-<pid>-<random>`` and are swept the same way when Waymark starts.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

_PREFIX = ".wm-"
#: ``.wm-<hash>-<pid>-<random>`` and its suffix: ``.tmp``, ``.part``, ``.cjm`` (Save As),
#: or a part staged with its destination's extension (``.part.csv``, a cancellable data
#: export): every name :func:`sibling` makes, and each staged name made from one.
_SIBLING = re.compile(r"^\.wm-([0-9a-f]{12})-(\d+)-[a-z0-9_]{8}(?:\.[A-Za-z0-9]{1,10}){1,2}$")
_PRIVATE = re.compile(r"^waymark-([a-z]+)-(\d+)-[a-z0-9_]{8}$")
#: Folders of older Waymarks (``waymark-view-XXXXXXXX``, no pid): removed after this long.
_LEGACY_AGE = 24 * 3600
_LEGACY = re.compile(r"^waymark-view-[a-z0-9_]{8}$")


def _key(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def alive(pid: int) -> bool:
    """Whether a process with this id exists (ours counts as alive)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except OSError:
        return True
    return True


def sibling(dest: Path, suffix: str = ".tmp") -> Path:
    """Create an empty temporary file beside ``dest`` (mode 0600) and return its path.

    Raises OSError when the folder cannot be written.
    """
    fd, name = tempfile.mkstemp(prefix=f"{_PREFIX}{_key(dest.name)}-{os.getpid()}-",
                                suffix=suffix, dir=dest.parent)
    os.close(fd)
    return Path(name)


def sweep_siblings(dest: Path) -> int:
    """Remove the temporary files killed Waymarks left in ``dest``'s folder (for any
    destination there: an export killed half-way need not be repeated to be cleaned up);
    returns how many."""
    removed = 0
    try:
        entries = list(os.scandir(dest.parent))
    except OSError:
        return 0
    for entry in entries:
        match = _SIBLING.match(entry.name)
        if match is None or alive(int(match[2])):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed += 1
    return removed


def private_dir(kind: str) -> Path:
    """A new private folder in the system's temporary folder (remove it with
    :func:`remove_dir`; :func:`sweep_private` removes those of dead processes)."""
    return Path(tempfile.mkdtemp(prefix=f"waymark-{kind}-{os.getpid()}-"))


def remove_dir(path: Path | None) -> None:
    """Remove a private folder and everything in it, ignoring what is already gone."""
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)


def sweep_private(root: Path | None = None) -> int:
    """Remove private folders of processes that are gone (and of older Waymarks after a
    day); returns how many. Run when Waymark starts."""
    root = Path(root or tempfile.gettempdir())
    removed = 0
    try:
        entries = list(os.scandir(root))
    except OSError:
        return 0
    now = time.time()
    for entry in entries:
        match = _PRIVATE.match(entry.name)
        stale = match is not None and not alive(int(match[2]))
        if match is None and _LEGACY.match(entry.name):
            with contextlib.suppress(OSError):
                stale = now - entry.stat(follow_symlinks=False).st_mtime > _LEGACY_AGE
        if not stale:
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
    return removed


def name_max(folder: Path) -> int:
    """The longest file name (in bytes) the file system of ``folder`` accepts."""
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError):
        return 255


def too_long(path: Path, extra: int = 0) -> bool:
    """Whether ``path``'s name plus ``extra`` bytes (e.g. SQLite's ``-journal``) is longer
    than its folder's file system allows."""
    size = len(path.name.encode("utf-8", "surrogateescape")) + extra
    return size > name_max(path.parent if path.parent.is_dir() else Path("."))


def is_name_too_long(err: OSError) -> bool:
    """Whether an OSError is ENAMETOOLONG."""
    return err.errno == errno.ENAMETOOLONG
