"""What ``waymark --version`` and Help > About say: versions and licences, without Qt.

The ground floor of the GUI and the CLI alike: it imports nothing of the application
but its version number, so both can show the same text.
"""

from __future__ import annotations

from app import __version__


def version_text() -> str:
    """Version and licences of Waymark and what it ships, without importing Qt."""
    import sqlite3
    from importlib.metadata import PackageNotFoundError, version

    def ver(dist: str) -> str:
        try:
            return version(dist)
        except PackageNotFoundError:
            return "not installed"

    qt = ver("PySide6-Essentials")
    return "\n".join([
        f"waymark {__version__} (MIT licence)",
        f"PySide6 {qt} with Qt {qt} (LGPL-3.0)",
        f"reportlab {ver('reportlab')} (BSD), pydantic {ver('pydantic')} (MIT), "
        f"SQLAlchemy {ver('SQLAlchemy')} (MIT), SQLite {sqlite3.sqlite_version} (public domain)",
        "Font: DejaVu Sans (Bitstream Vera licence; see resources/fonts/LICENSE-DejaVu.txt)",
    ])
