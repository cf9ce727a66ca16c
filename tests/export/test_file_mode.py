"""Exported files get the permissions the umask says (like every other program), not 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import filemode
from app.export.common import ExportOptions
from app.export.pdf import export_pdf
from app.export.svg import export_svg
from app.interchange.csv_io import export_csv
from app.model.templates import load_template

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


@pytest.fixture
def umask_027() -> Iterator[None]:
    old = os.umask(0o027)
    filemode.umask.cache_clear()
    try:
        yield
    finally:
        os.umask(old)
        filemode.umask.cache_clear()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_exports_follow_the_umask(tmp_path: Path, umask_027: None) -> None:
    data = load_template("sample")
    map_id = data.ordered_maps()[0].id
    export_pdf(data, map_id, tmp_path / "p.pdf", ExportOptions())
    export_svg(data, map_id, tmp_path / "p.svg", ExportOptions())
    export_csv(data, [map_id], tmp_path / "p.csv")
    assert {p.name: mode(p) for p in tmp_path.iterdir()} == {
        "p.pdf": 0o640, "p.svg": 0o640, "p.csv": 0o640}


def test_a_replaced_export_keeps_the_mode_it_had(tmp_path: Path, umask_027: None) -> None:
    data = load_template("sample")
    map_id = data.ordered_maps()[0].id
    out = tmp_path / "shared.csv"
    out.write_text("old")
    out.chmod(0o664)
    export_csv(data, [map_id], out, force=True)
    assert mode(out) == 0o664 and out.read_text() != "old"


def test_every_data_format_follows_the_umask(tmp_path: Path, umask_027: None) -> None:
    from app.interchange.formats import export_data

    data = load_template("sample")
    map_id = data.ordered_maps()[0].id
    names = ["p.xlsx", "p.json", "p.mmd", "p.md", "p.csv"]
    for name in names:
        export_data(data, map_id, tmp_path / name)
    assert {p.name: mode(p) for p in tmp_path.iterdir()} == dict.fromkeys(names, 0o640)


def test_a_png_poster_follows_the_umask(tmp_path: Path, umask_027: None) -> None:
    from app.render.png import export_png

    data = load_template("sample")
    export_png(data, data.ordered_maps()[0].id, tmp_path / "p.png", ExportOptions(dpi=72))
    assert mode(tmp_path / "p.png") == 0o640


def test_save_as_follows_the_umask_and_backups_stay_private(tmp_path: Path,
                                                             umask_027: None) -> None:
    """File > Save As wrote the copy through a temporary file that stayed 0600; the
    automatic backups (in a folder other users may see) are the owner's alone."""
    from app.model import backups
    from app.model.document import Document

    doc = Document.create(tmp_path / "first.cjm", template="sample")
    try:
        doc.save_as(tmp_path / "shared copy.cjm", switch=False)
        assert mode(tmp_path / "shared copy.cjm") == 0o640
        (tmp_path / "kept.cjm").write_bytes(b"")
        (tmp_path / "kept.cjm").chmod(0o664)
        doc.save_as(tmp_path / "kept.cjm", switch=False)  # a replaced file keeps its mode
        assert mode(tmp_path / "kept.cjm") == 0o664
    finally:
        doc.close()
    assert mode(backups.backup_path(tmp_path / "first.cjm")) == 0o600
