"""kill -9 while a new file is made: what is left is refused as not a document, or it is a
complete one. ``create_file`` writes a temporary sibling in one transaction and renames it
into place, so the name asked for never holds a half-made file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.errors import NotADocumentError, WaymarkError
from app.model import fileformat, schemas
from app.model.document import Document

ROOT = Path(__file__).resolve().parents[2]
#: How many statements ``create_file`` runs on the new file's connection.
STATEMENTS = len(schemas.statements(fileformat.fmt.SCHEMA_VERSION))


def _kill_at(tmp_path: Path, moment: str) -> tuple[Path, int]:
    path = tmp_path / "new map.cjm"
    child = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("create_child.py")), str(path), moment],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.returncode == -9, (child.returncode, child.stdout, child.stderr[-2000:])
    return path, int(child.stdout.strip() or 0)


def _refusal(path: Path) -> WaymarkError | None:
    try:
        Document.open(path).close()
    except WaymarkError as err:
        assert "\n" not in str(err)
        return err
    return None


# Counted from the BEGIN (the connection's own pragmas run before the count starts): the
# BEGIN, the two header pragmas, the first, a middle and the last CREATE, the COMMIT.
_BEFORE_COMMIT = ["1", "2", "3", "4", str(3 + STATEMENTS // 2), str(3 + STATEMENTS), "commit"]


@pytest.mark.parametrize("moment", _BEFORE_COMMIT)
def test_killed_before_the_commit_leaves_nothing_taken_for_a_document(
        tmp_path: Path, moment: str) -> None:
    path, _ = _kill_at(tmp_path, moment)
    assert not path.exists()
    left = sorted(tmp_path.iterdir())
    assert left  # the temporary sibling a killed process cannot remove
    for leftover in left:
        err = _refusal(leftover)
        # nothing reached the file before the COMMIT: not even our application_id
        assert isinstance(err, NotADocumentError), (leftover.name, err)


def test_killed_after_the_commit_leaves_a_complete_file_under_another_name(
        tmp_path: Path) -> None:
    path, _ = _kill_at(tmp_path, "rename")
    assert not path.exists()
    (tmp,) = [p for p in tmp_path.iterdir() if not p.name.endswith("-journal")]
    with Document.open(tmp) as doc:
        assert doc.data.cards == {}
        assert schemas.listed(doc._conn.connection.dbapi_connection) == (
            fileformat.expected_schema())


def test_killed_once_made_the_file_is_complete(tmp_path: Path) -> None:
    path, statements = _kill_at(tmp_path, "end")
    assert statements == 3 + STATEMENTS + 1  # one BEGIN, one COMMIT: one transaction
    assert sorted(tmp_path.iterdir()) == [path]
    with Document.open(path) as doc:
        assert schemas.listed(doc._conn.connection.dbapi_connection) == (
            fileformat.expected_schema())
