"""Hand-made rollback journals and write-ahead logs, as an attacker (or a crash) leaves them.

:func:`plant_journal` writes a valid hot ``-journal`` beside a database whose rollback
turns the file into exactly the bytes given (SQLite's journal format: a header sector,
then one record per page: page number, the page, and its checksum). :func:`plant_wal`
leaves a real ``-wal`` made by SQLite on a copy.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import struct
import subprocess
import sys
from pathlib import Path

JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
SECTOR = 512


def _checksum(nonce: int, page: bytes) -> int:
    total = nonce
    i = len(page) - 200
    while i > 0:
        total = (total + page[i]) & 0xFFFFFFFF
        i -= 200
    return total


def journal_bytes(target: bytes, page_size: int, *, super_journal: str | None = None,
                  nonce: int = 0x5EED1234) -> bytes:
    """A hot journal that rolls a database back to ``target`` (every page of it)."""
    pages = len(target) // page_size
    header = (JOURNAL_MAGIC + struct.pack(">IIIII", pages, nonce, pages, SECTOR, page_size))
    out = bytearray(header.ljust(SECTOR, b"\0"))
    for number in range(1, pages + 1):
        page = target[(number - 1) * page_size:number * page_size]
        out += struct.pack(">I", number) + page + struct.pack(">I", _checksum(nonce, page))
    if super_journal is not None:  # the record SQLite reads a super-journal's name from
        name = super_journal.encode()
        out += struct.pack(">I", 0x40000000 // page_size + 1) + name
        out += struct.pack(">II", len(name), sum(name) & 0xFFFFFFFF) + JOURNAL_MAGIC
    return bytes(out)


def plant_journal(path: Path, target: bytes, **kwargs: object) -> Path:
    """Write ``path``-journal so that SQLite's rollback makes ``path`` hold ``target``."""
    page_size = struct.unpack(">H", path.read_bytes()[16:18])[0]
    journal = Path(f"{path}-journal")
    journal.write_bytes(journal_bytes(target, page_size, **kwargs))  # type: ignore[arg-type]
    return journal


def altered(path: Path, sql: list[str], scratch: Path) -> bytes:
    """The bytes ``path`` would have after ``sql`` (run by SQLite on a copy)."""
    copy = scratch / "altered.cjm"
    shutil.copyfile(path, copy)
    con = sqlite3.connect(copy, isolation_level=None)
    con.execute("PRAGMA foreign_keys=OFF")
    for statement in sql:
        con.execute(statement)
    con.execute("VACUUM")  # same page size, every page rewritten: a plain file
    con.close()
    data = copy.read_bytes()
    copy.unlink()
    return data


def plant_wal(path: Path, sql: list[str], scratch: Path) -> Path:
    """Leave ``path``-wal holding ``sql``'s changes: SQLite writes the log on a copy in WAL
    mode, and a second process copies it beside ``path`` before any checkpoint."""
    copy = scratch / "walcopy.cjm"
    shutil.copyfile(path, copy)
    code = ("import shutil, sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA wal_autocheckpoint=0')\n"
            "for s in sys.argv[3:]: c.execute(s)\n"
            "shutil.copyfile(sys.argv[1] + '-wal', sys.argv[2] + '-wal')\n"
            "import os; os._exit(0)  # no checkpoint, no cleanup\n")
    subprocess.run([sys.executable, "-c", code, str(copy), str(path), *sql], check=True,
                   timeout=60)
    for leftover in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
        if leftover.exists():
            os.unlink(leftover)
    return Path(f"{path}-wal")
