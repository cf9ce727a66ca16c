"""#18 (5): Duplicate map works on documents made by an import (``import -o``, Import as
new document), whose tables used to number their rows from 1 each."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.interchange.formats import import_file
from app.model import commands as C
from app.model.document import Document
from tests.interchange.interchange_helpers import content
from tests.real_maps import REAL_MAPS


def test_duplicate_a_map_of_an_imported_document(tmp_path: Path) -> None:
    src = tmp_path / "ikea-couch.csv"
    shutil.copy(REAL_MAPS / "ikea-couch.csv", src)
    result = import_file(src)
    with Document.create_from(tmp_path / "ikea.cjm", result.data, result.blobs) as doc:
        original = doc.data.ordered_maps()[0]
        doc.execute(C.DuplicateMap(original.id))
        maps = doc.data.ordered_maps()
        assert [m.title for m in maps] == [original.title, f"{original.title} (copy)"]
        first, second = content(doc.data)
        assert second["cards"] == first["cards"] and second["stages"] == first["stages"]
        assert len(doc.data.cards_of(maps[1].id)) == len(doc.data.cards_of(maps[0].id)) > 10
        want = doc.data
        doc.undo()
        doc.redo()
    with Document.open(tmp_path / "ikea.cjm") as again:
        assert again.data == want


def test_imported_documents_number_rows_across_the_document(tmp_path: Path) -> None:
    """The file format promises ids unique across the document, so an undo step or a
    clipboard payload names one row: an import must keep that promise too."""
    src = tmp_path / "viaje.csv"
    shutil.copy(REAL_MAPS / "viaje-dos-personas.csv", src)
    result = import_file(src)
    with Document.create_from(tmp_path / "viaje.cjm", result.data, result.blobs) as doc:
        data = doc.data
        ids = [i for table in ("personas", "maps", "stages", "lanes", "cards", "links")
               for i in getattr(data, table)]
        assert len(ids) == len(set(ids))
        assert content(data) == content(result.data)
