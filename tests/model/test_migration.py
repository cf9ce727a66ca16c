"""Older files are migrated in order, inside one transaction, and checked afterwards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.errors import CorruptDocumentError
from app.model import fileformat, tables
from app.model.document import Document
from app.model.schema import DocumentData
from tests.model.conftest import build_small


def test_ordered_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.cjm"
    with Document.create_from(path, DocumentData()) as doc:
        build_small(doc)
    calls: list[int] = []

    def v1_to_v2(con: sqlite3.Connection) -> None:
        calls.append(1)
        con.execute("UPDATE cards SET title = upper(title)")

    def v2_to_v3(con: sqlite3.Connection) -> None:
        calls.append(2)
        con.execute("UPDATE cards SET votes = votes + 1")

    now = tables.SCHEMA_VERSION  # the file was written at today's format; pretend two newer
    monkeypatch.setattr(tables, "SCHEMA_VERSION", now + 2)
    monkeypatch.setattr(fileformat, "MIGRATIONS", {now: v1_to_v2, now + 1: v2_to_v3})
    monkeypatch.setattr(fileformat, "OLD_SCHEMAS", {now: fileformat.expected_schema()})
    original = path.read_bytes()
    with pytest.raises(CorruptDocumentError, match=f"older file format {now}"):
        Document.open(path, read_only=True)
    assert path.read_bytes() == original
    with Document.open(path) as doc:
        assert calls == [1, 2]
        assert {c.title for c in doc.data.cards.values()} >= {"SEES AD", "CHECKOUT"}
        assert {c.votes for c in doc.data.cards.values()} == {1}
    assert int.from_bytes(path.read_bytes()[60:64], "big") == now + 2


def test_failed_migration_leaves_file_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.cjm"
    with Document.create_from(path, DocumentData()) as doc:
        build_small(doc)

    def breaks_rules(con: sqlite3.Connection) -> None:
        con.execute("UPDATE cards SET emotion = 7")  # the models refuse this on load

    now = tables.SCHEMA_VERSION
    monkeypatch.setattr(tables, "SCHEMA_VERSION", now + 1)
    monkeypatch.setattr(fileformat, "MIGRATIONS", {now: breaks_rules})
    monkeypatch.setattr(fileformat, "OLD_SCHEMAS", {now: fileformat.expected_schema()})
    original = path.read_bytes()
    with pytest.raises(CorruptDocumentError, match="cards row"):
        Document.open(path)
    assert path.read_bytes() == original
