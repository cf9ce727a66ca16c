"""The file format's versions: frozen schemas, ordered migrations inside one transaction,
checked afterwards; a real version-1 file (written by Waymark 1's own code) upgrades."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from app.errors import CorruptDocumentError
from app.model import commands as C
from app.model import fileformat, rows, schemas, tables
from app.model.document import Document
from app.model.migrations import Migration
from tests.made import new_document
from tests.model.conftest import build_small

DATA = Path(__file__).resolve().parents[1] / "data" / "files"
#: A file Waymark wrote at file format 1 (the ikea-couch real map with a persona photo, a
#: card image, tags, metrics, links, an undone step and a named version).
V1_FILE = DATA / "ikea-couch-v1.cjm"


def _shape(con: sqlite3.Connection) -> dict[str, object]:
    """What SQLite understands of each table: columns, foreign keys and indexes."""
    out: dict[str, object] = {}
    names = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")]
    for name in names:
        columns = sorted(tuple(r[1:6]) for r in con.execute(f"PRAGMA table_xinfo({name})"))
        keys = sorted(tuple(r[2:5]) for r in con.execute(f"PRAGMA foreign_key_list({name})"))
        indexes = sorted(
            (r[2], r[3], tuple(c[2] for c in con.execute(f"PRAGMA index_info('{r[1]}')")))
            for r in con.execute(f"PRAGMA index_list({name})"))
        out[name] = (columns, keys, indexes)
    return out


def test_every_version_has_a_frozen_schema_and_a_way_up() -> None:
    assert schemas.versions() == list(range(1, tables.SCHEMA_VERSION + 1))
    assert sorted(fileformat.MIGRATIONS) == list(range(1, tables.SCHEMA_VERSION))
    assert fileformat.expected_schema() == schemas.objects(tables.SCHEMA_VERSION)


def test_frozen_v1_is_exactly_what_waymark_1_wrote() -> None:
    con = sqlite3.connect(f"{V1_FILE.as_uri()}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA user_version").fetchone() == (1,)
        assert schemas.listed(con) == schemas.objects(1)
    finally:
        con.close()


def test_the_tables_describe_the_current_frozen_schema() -> None:
    """The SQLAlchemy tables the code queries through declare what the frozen file holds."""
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        tables.metadata.create_all(conn)
        declared = _shape(fileformat.raw(conn))
    engine.dispose()
    frozen = sqlite3.connect(":memory:")
    schemas.create(frozen, tables.SCHEMA_VERSION)
    assert _shape(frozen) == declared


def test_a_new_file_has_the_frozen_schema_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "new.cjm"
    fileformat.create_file(path)
    con = sqlite3.connect(path)
    try:
        assert schemas.listed(con) == fileformat.expected_schema()
        assert schemas.render(con, tables.SCHEMA_VERSION) == (
            Path(schemas.__file__).with_name(f"v{tables.SCHEMA_VERSION}.sql").read_text("utf-8"))
    finally:
        con.close()


def _older(monkeypatch: pytest.MonkeyPatch, extra: dict[int, Migration]
           ) -> None:
    """Pretend the current version is older than a few made-up later ones, whose schema is
    today's (migrations that only change rows)."""
    current = tables.SCHEMA_VERSION
    real = schemas.objects
    monkeypatch.setattr(rows, "SCHEMA_VERSION", current + len(extra))
    monkeypatch.setattr(fileformat, "MIGRATIONS", {**fileformat.MIGRATIONS, **extra})
    monkeypatch.setattr(schemas, "objects", lambda v: real(min(v, current)))


def test_ordered_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.cjm"
    with new_document(path, "") as doc:
        build_small(doc)
    calls: list[int] = []
    current = tables.SCHEMA_VERSION

    def upper_titles(con: sqlite3.Connection) -> None:
        calls.append(1)
        con.execute("UPDATE cards SET title = upper(title)")

    def one_more_vote(con: sqlite3.Connection) -> None:
        calls.append(2)
        con.execute("UPDATE cards SET votes = votes + 1")

    _older(monkeypatch, {current: upper_titles, current + 1: one_more_vote})
    original = path.read_bytes()
    with Document.open(path, read_only=True) as doc:  # a view upgrades a copy
        assert doc.read_only and "older file format" in doc.note
        assert {c.votes for c in doc.data.cards.values()} == {1}
    assert path.read_bytes() == original
    calls.clear()
    with Document.open(path) as doc:
        assert calls == [1, 2]
        assert {c.title for c in doc.data.cards.values()} >= {"SEES AD", "CHECKOUT"}
        assert {c.votes for c in doc.data.cards.values()} == {1}
    assert int.from_bytes(path.read_bytes()[60:64], "big") == current + 2


def test_failed_migration_leaves_file_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.cjm"
    with new_document(path, "") as doc:
        build_small(doc)

    def breaks_rules(con: sqlite3.Connection) -> None:
        con.execute("UPDATE cards SET emotion = 7")  # the models refuse this on load

    _older(monkeypatch, {tables.SCHEMA_VERSION: breaks_rules})
    original = path.read_bytes()
    with pytest.raises(CorruptDocumentError, match="cards row"):
        Document.open(path)
    assert path.read_bytes() == original


def test_a_migration_that_leaves_another_schema_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.cjm"
    with new_document(path, "") as doc:
        build_small(doc)

    def plants_an_index(con: sqlite3.Connection) -> None:
        con.execute("CREATE INDEX ix_sneaky ON cards (title)")

    _older(monkeypatch, {tables.SCHEMA_VERSION: plants_an_index})
    original = path.read_bytes()
    with pytest.raises(CorruptDocumentError, match="ix_sneaky"):
        Document.open(path)
    assert path.read_bytes() == original


def test_a_version_without_a_way_up_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    path = tmp_path / "old.cjm"
    shutil.copyfile(V1_FILE, path)
    monkeypatch.setattr(fileformat, "MIGRATIONS", {})
    if tables.SCHEMA_VERSION == 1:
        monkeypatch.setattr(rows, "SCHEMA_VERSION", 2)
    with pytest.raises(CorruptDocumentError, match="file format 1, which cannot be upgraded"):
        Document.open(path)


@pytest.mark.parametrize("version", range(1, tables.SCHEMA_VERSION))
def test_each_migration_gives_exactly_the_next_frozen_schema(version: int) -> None:
    con = sqlite3.connect(":memory:")
    schemas.create(con, version)
    fileformat.MIGRATIONS[version](con)
    # On a new version, this text is the schemas/v{n+1}.sql to freeze.
    assert schemas.listed(con) == schemas.objects(version + 1), schemas.render(con, version + 1)


def test_a_real_version_1_file_is_upgraded_on_open_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / V1_FILE.name
    shutil.copyfile(V1_FILE, path)
    original = path.read_bytes()
    with Document.open(path, read_only=True) as view:  # viewing (CLI export, info) upgrades a copy
        assert view.read_only and "older file format 1" in view.note
        before = view.data
    assert path.read_bytes() == original
    with Document.open(path) as doc:
        data = doc.data
        assert data == before
        assert len(data.cards) == 69 and len(data.links) == 2 and len(data.personas) == 1
        assert {c.author for c in data.cards.values()} == {""}
        card = next(c for c in data.cards.values() if c.image)
        assert card.tags == ["stairs", "größe", "尺寸"] and card.metrics["nps"] == -12.5
        assert doc.blob(card.image) is not None
        assert doc.blob(data.personas[next(iter(data.personas))].photo) is not None
        # The history written at version 1 still undoes and redoes.
        assert [s.label for s in doc.history()][-1].startswith("Edit text of card")
        assert doc.can_redo
        doc.redo()
        assert any(c.title == "typo here" for c in doc.data.cards.values())
        doc.undo()
        voted = data.cards_of(data.ordered_maps()[0].id)[1]
        assert doc.undo_label.startswith("Vote for")
        doc.undo()  # the vote, written by Waymark 1
        assert doc.data.cards[voted.id].votes == voted.votes - 1 == 0
        # So does a named version saved at version 1.
        (version,) = doc.versions()
        assert version.name == "before the workshop"
        assert doc.version_data(version.id).cards.keys() == data.cards.keys()
        # The new field works at once, and undoes.
        doc.execute(C.UpdateCard(card.id, {"author": "Aiko (participant 3)"}))
        assert doc.data.cards[card.id].author == "Aiko (participant 3)"
    assert int.from_bytes(path.read_bytes()[60:64], "big") == tables.SCHEMA_VERSION
    con = sqlite3.connect(path)
    try:
        assert schemas.listed(con) == fileformat.expected_schema()
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        con.close()
    with Document.open(path, read_only=True) as again:
        assert again.data.cards[card.id].author == "Aiko (participant 3)"
        assert again.note == ""
