"""Exporters are registry entries: one table that the CLI, the export dialog and the
settings read, with the capabilities that decide which options apply."""

from __future__ import annotations

from pathlib import Path

from app.cli import main
from app.export import registry
from app.interchange.formats import DATA_EXPORTS


def test_every_format_is_declared_once_and_loads() -> None:
    assert len(set(registry.KEYS)) == len(registry.EXPORTERS)
    assert [s for e in registry.EXPORTERS if not e.poster for s in e.suffixes] == list(
        DATA_EXPORTS)
    for exporter in registry.EXPORTERS:
        assert callable(exporter.load()), exporter.key
        assert set(exporter.caps) <= set(registry.CAPABILITIES)
        assert registry.for_suffix(exporter.suffix.upper()) is exporter


def test_the_cli_refuses_an_option_its_exporter_lacks(tmp_path: Path, capsys) -> None:
    doc = tmp_path / "m.cjm"
    assert main(["new", str(doc), "--template", "sample"]) == 0
    capsys.readouterr()
    assert main(["export", str(doc), "-o", str(tmp_path / "m.png"), "--tile", "A4"]) == 1
    assert capsys.readouterr().err.strip() == (
        "waymark: --tile, --bleed, --crop-marks and --insights apply to PDF output only")
    assert main(["export", str(doc), "-o", str(tmp_path / "m.docx")]) == 1
    assert ", ".join(registry.suffixes()) in capsys.readouterr().err
