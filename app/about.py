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
        f"HarfBuzz via uharfbuzz {ver('uharfbuzz')} (MIT / Apache-2.0), "
        f"fontTools {ver('fonttools')} (MIT), pyphen {ver('pyphen')} (LGPL/GPL/MPL), "
        f"uniseg {ver('uniseg')} (MIT), ICU from Qt (Unicode licence)",
        *FONTS,
    ])


#: The faces Waymark ships, what they cover and their licences (resources/fonts/README.md).
FONTS = (
    "Fonts (resources/fonts; licences in resources/fonts and resources/fonts/fallback):",
    "  DejaVu Sans, 4 faces (Bitstream Vera licence): Latin, Greek, Cyrillic, Hebrew, Arabic",
    "  Droid Sans Fallback (Apache-2.0): Chinese and Japanese ideographs, kana",
    "  Nanum Gothic, regular and bold (SIL OFL 1.1): Korean hangul",
    "  Noto Sans Arabic, Hebrew, Devanagari, Bengali, Gujarati, Gurmukhi, Kannada, Malayalam,",
    "    Oriya, Tamil, Telugu, Sinhala, Thai, regular and bold (SIL OFL 1.1)",
    "  Symbola (free for any use): monochrome emoji and symbols",
)
