"""Test-wide settings: Qt runs offscreen, hypothesis keeps a modest budget."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Backups of closed documents go to a throwaway folder, never the tester's home.
os.environ.setdefault("WAYMARK_BACKUP_DIR", tempfile.mkdtemp(prefix="waymark-backups-"))

from hypothesis import HealthCheck, settings

settings.register_profile(
    "waymark", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60
)
settings.register_profile(
    "fuzz", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=20_000
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "waymark"))
