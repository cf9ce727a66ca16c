"""Fuzz documents below Waymark: any value in any cell of every table (history and named
versions included), and hostile undo histories walked with undo, redo and jumps.

Whatever the file holds, opening it and using it either works or stops with one of
Waymark's one-line errors; and after every step of a walk, what the open document holds
in memory is what a fresh read of the file finds (a refused step changes neither).

The suite runs a small budget (a few seconds each); the long run is
``HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/reliability/test_fuzz_documents.py``
(20,000 examples per test; see the README's longer checks).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import tempfile
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import document_info
from app.errors import WaymarkError
from app.model import commands as C
from app.model.document import Document
from app.model.schema import DocumentData
from tests.made import new_document
from tests.model.conftest import build_small

TABLES = ("meta", "personas", "maps", "stages", "lanes", "cards", "links", "blobs", "history",
          "versions")


@cache
def _seed_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="waymark-fuzz-seed-"))


@cache
def seed() -> Path:
    """A document with every table in use: maps, personas, an image, links, a history with
    a redo branch and a merged typing step, and two named versions."""
    path = _seed_dir() / "seed.cjm"
    with new_document(path, "") as doc:
        ids = build_small(doc)
        doc.execute(C.AddPersona({"name": "Amira Haddad", "role": "commuter",
                                  "goals": ["arrive on time", "بدون تأخير"]}))
        doc.execute(C.AddLink(ids["Sees ad"], ids["Checkout"]))
        digest = doc.add_blob(_png(), "image/png")
        doc.execute(C.UpdateCard(ids["Checkout"], {"image": digest, "tags": ["支付", "web"],
                                                   "metrics": {"NPS": 31.5}}))
        doc.name_version("Q3 review")
        for text in ("s", "sa", "sad"):
            doc.execute(C.UpdateCard(ids["Saddle hurts"], {"body": text}))
        doc.execute(C.VoteCard(ids["Checkout"]))
        doc.name_version("after votes 😀")
        doc.execute(C.DuplicateMap(ids["map"]))
        doc.undo()
    return path


def _png() -> bytes:
    import struct

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    raw = b"\x00\xff\x00\x00"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _deep(n: int) -> str:
    return "[" * n + "]" * n


HOSTILE: list[Any] = [
    None, 0, -1, 1, 2**31, 2**63 - 1, -(2**63), 1.5, -0.0, 1e308, float("inf"), "", " ",
    "x" * 70_000, "\x00", "NaN", "null", "[]", "{}", '{"a": 1}', "[1, 2]", '["a", "b"]',
    _deep(50_000), '{"a": ' * 20_000 + "1" + "}" * 20_000, "9" * 5000, "2026-13-45", "1",
    "999999999999999999999", "#12345", "#ABCDEF", "observed", "pain_point", "emotions",
    b"", b"\x00\xff\xfe", zlib.compress(b"{}"), zlib.compress(b"x" * 10_000_000),
    zlib.compress(json.dumps({"maps": {"1": {"id": 1, "title": "t"}}}).encode()),
    '[["insert","cards",1,null,{}]]', '[["update","maps",999,{"title":"a"},{"title":"b"}]]',
    '[["delete","stages",1,{"id":1},null]]', "[[" + '"x",' * 4 + "1]]",
    "\ud800".encode("utf-8", "surrogatepass"),
]


def _cells(path: Path) -> list[tuple[str, str, str, Any]]:
    """(table, column, key column, key) of every cell of the document."""
    con = sqlite3.connect(path)
    out = []
    for table in TABLES:
        columns = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
        key = {"meta": "key", "blobs": "hash", "history": "seq"}.get(table, "id")
        for (row_key,) in con.execute(f"SELECT {key} FROM {table}"):
            out.extend((table, column, key, row_key) for column in columns)
    con.close()
    return out


def _poke(path: Path, table: str, column: str, key: str, row_key: Any, value: Any) -> None:
    """Set one cell through SQLite itself (a value its constraints refuse is skipped: no
    file can hold it)."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA foreign_keys=OFF")
    sql = f'UPDATE {table} SET "{column}" = ? WHERE {key} = ?'
    if isinstance(value, bytes) and value.startswith(b"\xed"):  # invalid UTF-8 as TEXT
        sql = f'UPDATE {table} SET "{column}" = CAST(? AS TEXT) WHERE {key} = ?'
    with contextlib.suppress(sqlite3.IntegrityError):
        con.execute(sql, (value, row_key))
    con.close()


def use(doc: Document, folder: Path) -> None:
    """Everything a user does with an opened document; Waymark's errors are allowed."""
    from app.analysis.report import build_report
    from app.interchange.formats import export_data

    steps: list[Any] = [
        lambda: document_info(doc), lambda: [doc.version_data(v.id) for v in doc.versions()],
        lambda: [build_report(doc.data, m.id) for m in doc.data.ordered_maps()],
        lambda: export_data(doc.data, None, folder / "out.json", force=True,
                            blob_lookup=doc.blob),
        lambda: [doc.blob(c.image) for c in doc.data.cards.values() if c.image],
        lambda: doc.jump_to(0), lambda: doc.jump_to(doc.history()[-1].seq if doc.history()
                                                     else 0),
        doc.undo, doc.redo,
    ]
    for step in steps:
        try:
            step()
        except WaymarkError as err:
            assert "\n" not in err.message


cells = st.deferred(lambda: st.sampled_from(_cells(seed())))


@settings(max_examples=max(60, settings.default.max_examples), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(cell=cells, value=st.sampled_from(HOSTILE), second=st.none() | st.tuples(
    cells, st.sampled_from(HOSTILE)))
def test_any_value_in_any_cell_fails_cleanly(cell: tuple[str, str, str, Any], value: Any,
                                             second: tuple[Any, Any] | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "fuzz.cjm"
        shutil.copyfile(seed(), path)
        _poke(path, *cell, value)
        if second is not None:
            _poke(path, *second[0], second[1])
        before = path.read_bytes()
        try:
            doc = Document.open(path)
        except WaymarkError as err:
            assert "\n" not in err.message
            assert path.read_bytes() == before  # a refused file is never changed
            return
        try:
            use(doc, folder)
        finally:
            doc.close()


# ---------------------------------------------------------------- hostile histories
FIELDS = {
    "cards": ["title", "body", "position", "stage_id", "lane_id", "map_id", "emotion", "tags",
              "votes", "colour", "kind", "image", "metrics", "id"],
    "stages": ["name", "position", "map_id", "phase", "colour"],
    "lanes": ["name", "kind", "position", "collapsed", "map_id"],
    "maps": ["title", "position", "persona_id", "owner"],
    "personas": ["name", "goals", "photo"],
    "links": ["source_id", "target_id", "map_id", "label"],
}
VALUES = st.sampled_from([None, 0, 1, 2, 3, -1, 5, 7, 99, 2**62, "", "x", "Sees ad", "#ff0000",
                          "action", "emotions", [], ["a"], {}, {"NPS": 1.0}, True, 1.5,
                          "a" * 300, [[[]]]])
IDS = st.sampled_from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 40, 2**62])


@st.composite
def ops(draw: st.DrawFn) -> list[Any]:
    table = draw(st.sampled_from(sorted(FIELDS)))
    kind = draw(st.sampled_from(["insert", "delete", "update"]))
    row_id = draw(IDS)
    keys = draw(st.lists(st.sampled_from(FIELDS[table]), min_size=1, max_size=4, unique=True))
    values = {k: draw(VALUES) for k in keys}
    other = {k: draw(VALUES) for k in keys}
    if kind == "insert":
        return [kind, table, row_id, None, {"id": row_id, **values}]
    if kind == "delete":
        return [kind, table, row_id, {"id": row_id, **values}, None]
    return [kind, table, row_id, other, values]


walks = st.lists(st.one_of(st.just("undo"), st.just("redo"), st.integers(0, 12)), max_size=12)


def _disk(path: Path) -> DocumentData:
    with Document.open(path, read_only=True) as view:
        return view.data


@settings(max_examples=max(60, settings.default.max_examples), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.lists(ops(), min_size=1, max_size=4), min_size=1, max_size=5),
       head=st.integers(0, 12), walk=walks)
def test_hostile_histories_keep_memory_and_disk_equal(steps: list[list[Any]], head: int,
                                                      walk: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.cjm"
        shutil.copyfile(seed(), path)
        con = sqlite3.connect(path, isolation_level=None)
        last = con.execute("SELECT max(seq) FROM history").fetchone()[0]
        con.execute("BEGIN")  # one commit for the whole planting (its fsyncs once)
        for i, step in enumerate(steps, start=1):
            con.execute("INSERT INTO history (seq, label, ops, merge_key, created) "
                        "VALUES (?, ?, ?, NULL, '2026-01-01T00:00:00+00:00')",
                        (last + i, f"hostile {i}", json.dumps(step)))
        con.execute("UPDATE meta SET value = ? WHERE key = 'head'", (str(min(head, last + 5)),))
        con.execute("COMMIT")
        con.close()
        try:
            doc = Document.open(path)
        except WaymarkError as err:
            assert "\n" not in err.message
            return
        with doc:
            assert doc.data == _disk(path)
            for move in walk:
                try:
                    if move == "undo":
                        doc.undo()
                    elif move == "redo":
                        doc.redo()
                    else:
                        doc.jump_to(move)
                except WaymarkError as err:
                    assert "\n" not in err.message
                assert doc.data == _disk(path), f"memory and file differ after {move!r}"
