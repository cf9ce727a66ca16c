"""Hostile input never escapes as anything but ImportProblem (or a clean import)."""

from __future__ import annotations

import functools
import tempfile
import zipfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from interchange_helpers import REAL_MAPS

from app.errors import ImportProblem
from app.interchange.csv_io import import_csv
from app.interchange.formats import export_data, import_file
from app.interchange.json_io import import_json

WORDS = ["stage", "lane", "kind", "title", "emotion", "votes", "tags", "colour", "metric:x",
         "source", "lane_kind", "map", "persona", "action", "pain point", "-3", "2", "1e999",
         "nan", "#fff", "#abcdef", "=1+1", "'", '"', ",", ";", "\t", "\n", "\r\n", " ",
         "\ufeff", "é", "\x00", "x" * 130, "observed"]
csv_texts = st.lists(st.sampled_from(WORDS), max_size=60).map("".join)


def _check(call, path: Path) -> None:  # type: ignore[no-untyped-def]
    try:
        result = call(path)
    except ImportProblem as err:
        assert err.message and all(isinstance(d, str) for d in err.details)
    else:
        assert result.data.maps


@given(csv_texts)
def test_random_csv(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.csv"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _check(import_csv, path)


@given(st.binary(max_size=300))
def test_random_bytes_in_every_format(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in (".csv", ".json", ".mmd", ".xlsx"):
            path = Path(tmp) / f"f{suffix}"
            path.write_bytes(raw)
            _check(import_file, path)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                        st.sampled_from(["format", "version", "data", "maps", "cards", "1",
                                         "blobs", "id", "title"]), inner, max_size=4),
                    max_leaves=20))
def test_random_json_structures(value: object) -> None:
    import json

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.json"
        envelope = {"format": "waymark", "version": 1, "data": value}
        for doc in (value, envelope):
            path.write_text(json.dumps(doc), encoding="utf-8")
            _check(import_json, path)




@functools.cache
def _workbook_members() -> dict[str, bytes]:
    """The members of a real workbook, built on first use (never at collection time)."""
    with tempfile.TemporaryDirectory() as tmp:
        from app.interchange.csv_io import import_csv as imp

        out = export_data(imp(REAL_MAPS / "restaurant-blueprint.csv").data, None,
                          Path(tmp) / "r.xlsx")
        with zipfile.ZipFile(out) as zf:
            return {n: zf.read(n) for n in zf.namelist()}


@given(st.deferred(lambda: st.sampled_from(sorted(_workbook_members()))), st.integers(0, 10_000),
       st.binary(min_size=1, max_size=8))
def test_mutated_xlsx_members(name: str, at: int, junk: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.xlsx"
        with zipfile.ZipFile(path, "w") as zf:
            for member, body in _workbook_members().items():
                if member == name:
                    at_ = min(at, len(body))
                    body = body[:at_] + junk + body[at_ + len(junk):]
                zf.writestr(member, body)
        _check(import_file, path)


MERMAID_WORDS = ["journey", "section", "title", " ", "\n", ":", ",", "1", "5", "9", "-1",
                 "Me", "\x00", "%%", "x" * 45, "accTitle", "é", "task"]


@given(st.lists(st.sampled_from(MERMAID_WORDS), max_size=40).map("".join))
def test_random_mermaid(text: str) -> None:
    from app.interchange.mermaid import import_mermaid

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.mmd"
        path.write_text("journey\n" + text, encoding="utf-8")
        _check(import_mermaid, path)
