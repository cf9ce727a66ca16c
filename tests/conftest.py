"""Test-wide settings: Qt runs offscreen, hypothesis keeps a modest budget."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hypothesis import HealthCheck, settings

settings.register_profile(
    "waymark", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60
)
settings.register_profile(
    "fuzz", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=20_000
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "waymark"))
