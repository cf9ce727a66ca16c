"""Fuzz the loader with mutated valid files: only Waymark's own errors, never a hang.

The suite runs a modest budget; a longer run is
``HYPOTHESIS_PROFILE=fuzz python -m pytest tests/model/test_fuzz_loader.py``
(see tests/conftest.py for the profile).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import WaymarkError
from app.model import commands as C
from app.model.document import Document
from tests.made import new_document
from tests.model.conftest import build_small


@cache
def valid_bytes(folder: str) -> bytes:
    path = Path(folder) / "seed.cjm"
    with new_document(path, "") as doc:
        ids = build_small(doc)
        doc.execute(C.AddLink(ids["Sees ad"], ids["Checkout"]))
        doc.name_version("v1")
        doc.execute(C.VoteCard(ids["Checkout"]))
    return path.read_bytes()


mutation = st.tuples(st.integers(0, 2**31), st.integers(0, 255))


@settings(deadline=2000, max_examples=max(300, settings.default.max_examples))  # deadline: hang detector
@given(edits=st.lists(mutation, min_size=1, max_size=12), cut=st.none() | st.integers(0, 2**31))
def test_mutated_files_fail_cleanly(tmp_path_factory, edits: list[tuple[int, int]],  # type: ignore[no-untyped-def]
                                    cut: int | None) -> None:
    folder = tmp_path_factory.getbasetemp()
    data = bytearray(valid_bytes(str(folder)))
    for where, value in edits:
        # bias half the mutations into the header and first page, where parsing starts
        pos = where % (200 if where % 2 else len(data))
        data[pos] = value
    if cut is not None:
        data = data[: cut % len(data)]
    path = folder / "fuzz.cjm"
    path.write_bytes(bytes(data))
    try:
        Document.open(path).close()
    except WaymarkError as err:
        assert "\n" not in str(err)
