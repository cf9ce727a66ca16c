"""Test-wide settings: Qt runs offscreen, hypothesis keeps a modest budget, garbage is
collected on the main thread only."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Backups of closed documents go to a throwaway folder, never the tester's home, removed when
# the process that made it ends (pytest-xdist's workers inherit the controller's).
if "WAYMARK_BACKUP_DIR" not in os.environ:
    os.environ["WAYMARK_BACKUP_DIR"] = tempfile.mkdtemp(prefix="waymark-backups-")
    atexit.register(shutil.rmtree, os.environ["WAYMARK_BACKUP_DIR"], True)

from hypothesis import HealthCheck, settings

settings.register_profile(
    "waymark", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60
)
settings.register_profile(
    "fuzz", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=20_000
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "waymark"))


import pytest  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    """The suite collects garbage as the editor does: never by itself in whichever thread
    allocates (room servers, simulated phones, owner threads and pool workers would
    otherwise finalise the Qt objects earlier tests left in cycles off the GUI thread: a
    segmentation fault later), only on the main thread (app/ui/support/collector.py)."""
    from app.ui.support import collector

    collector.take_over()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After each test and its fixtures' teardown: the collection that is due, on the main
    thread."""
    yield
    from app.ui.support import collector

    collector.collect_due()


@pytest.fixture(autouse=True)
def _exported_mermaid_parses(monkeypatch: pytest.MonkeyPatch):
    """Every Mermaid journey Waymark writes during a test is read back with Mermaid's own
    parser (tests/mermaid_check.py), which must see the sections, tasks, scores and actors
    the exporter meant. Checked when the test ends."""
    from app.interchange import mermaid

    written: list[tuple[object, str]] = []
    render = mermaid.render_journey

    def recording(journey):
        text = render(journey)
        written.append((journey, text))
        return text

    monkeypatch.setattr(mermaid, "render_journey", recording)
    yield
    if written:
        from mermaid_check import assert_mermaid_agrees

        for journey, text in written:
            assert_mermaid_agrees(journey, text)
