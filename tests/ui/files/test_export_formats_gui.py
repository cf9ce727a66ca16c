"""The export dialog lists the registry's formats and enables each one's options."""

from __future__ import annotations

import pytest

from app.export import registry
from tests.made import new_document


@pytest.mark.parametrize("key", registry.KEYS)
def test_the_dialog_offers_each_format_with_its_options(qtbot, key: str, tmp_path) -> None:
    from app.ui.dialogs.export_dialog import ExportDialog

    with new_document(tmp_path / "s.cjm", "sample") as doc:
        dlg = ExportDialog(None, doc.data, doc.data.ordered_maps()[0].id, tmp_path, "s")
        qtbot.addWidget(dlg)
        dlg.format.setCurrentIndex(dlg.format.findData(key))
        exporter = registry.by_key(key)
        assert dlg.path.text().endswith(exporter.suffix)
        assert dlg.paper.isEnabled() == exporter.poster
        assert dlg.dpi.isEnabled() == exporter.can(registry.DPI)
        assert dlg.tile.isEnabled() == exporter.can(registry.TILE)
        assert dlg.insights.isEnabled() == exporter.can(registry.INSIGHTS)
        dlg.reject()
