"""New documents for tests: each template's file made once per process, then copied.

Making a file and seeding it from a template costs a transaction and its fsyncs each
(the schema alone took ~40 commits, ~160 fsyncs, until create_file made it one), paid
again by every test that only wanted a new map to start from. The copy is
the file Waymark made, byte for byte, as a user's saved file is. Tests about making files
(names, folders, modes, backups of a new file) call ``Document.create`` themselves.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from app.model.document import Document
from app.model.schema import DocumentData

_made: dict[str, Path] = {}
_folder: Path | None = None


def _template_file(template: str) -> Path:
    """The file ``Document.create`` makes for ``template`` ("" is an empty document)."""
    global _folder
    if template not in _made:
        if _folder is None:
            _folder = Path(tempfile.mkdtemp(prefix="waymark-made-"))
            atexit.register(shutil.rmtree, _folder, True)
        path = _folder / f"{template or 'empty'}.cjm"
        if template:
            Document.create(path, template=template).close()
        else:
            Document.create_from(path, DocumentData()).close()
        _made[template] = path
    return _made[template]


def new_file(path: Path, template: str = "blank") -> Path:
    """A new document file from ``template`` at ``path`` (closed); returns ``path``."""
    if path.exists():
        raise FileExistsError(path)
    shutil.copyfile(_template_file(template), path)
    return path


def new_document(path: Path, template: str = "blank") -> Document:
    """A new document from ``template`` at ``path``, open."""
    return Document.open(new_file(path, template))
