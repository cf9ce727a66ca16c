"""Backup copies of documents, kept outside the document's folder.

When a document that was edited is closed, a complete copy (SQLite backup
API, atomic rename) goes to the user's data folder. If the document is later
found damaged, the error names the backup so the user can open it. The
document itself stays one self-contained file: nothing is written beside it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from pathlib import Path

from platformdirs import user_data_dir

from app.model import fileformat


def backup_dir() -> Path:
    """Where backups go (``WAYMARK_BACKUP_DIR`` overrides, e.g. for tests)."""
    override = os.environ.get("WAYMARK_BACKUP_DIR")
    return Path(override) if override else Path(user_data_dir("waymark")) / "backups"


def backup_path(document: Path) -> Path:
    """The backup file of a document (one per document path)."""
    key = hashlib.sha256(str(document.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    # the key and the document's name, kept within a file name's 255 bytes (the name is
    # only there for people looking in the folder; the key tells documents apart)
    name = document.name.encode("utf-8", "surrogateescape")[:200].decode("utf-8", "ignore")
    return backup_dir() / f"{key[:16]}-{name}"


def write_backup(dbapi: sqlite3.Connection, document: Path) -> Path:
    """Copy the open database to its backup file."""
    dest = backup_path(document)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fileformat.backup_to(dbapi, dest, private=True)
    return dest


def describe_backup(document: Path) -> str:
    """' A backup from <time> is at <path>.' when one exists, else ''."""
    path = backup_path(document)
    try:
        if not path.is_file():
            return ""
    except OSError:
        return ""
    when = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    return f"; a backup from {when} is at {path}"
