"""Paper sizes in points (ISO A, US, ARCH, custom) and lengths like '3mm' or '1.2m'.

ISO 216 sizes are defined in millimetres (A0 841 x 1189 mm) and US sizes in
inches (Letter 8.5 x 11 in, ARCH D 24 x 36 in); both convert exactly to
points at 72 pt per inch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.errors import WaymarkError

MM = 72 / 25.4
INCH = 72.0

#: How a sheet's name is written for people where it is not its key: 'Letter landscape'.
_DISPLAY = {"LETTER": "Letter", "LEGAL": "Legal", "TABLOID": "Tabloid"}
#: name -> (short side, long side) in points.
PAPERS: dict[str, tuple[float, float]] = {
    "A0": (841 * MM, 1189 * MM),
    "A1": (594 * MM, 841 * MM),
    "A2": (420 * MM, 594 * MM),
    "A3": (297 * MM, 420 * MM),
    "A4": (210 * MM, 297 * MM),
    "A5": (148 * MM, 210 * MM),
    "LETTER": (8.5 * INCH, 11 * INCH),
    "LEGAL": (8.5 * INCH, 14 * INCH),
    "TABLOID": (11 * INCH, 17 * INCH),
    "ARCH C": (18 * INCH, 24 * INCH),
    "ARCH D": (24 * INCH, 36 * INCH),
    "ARCH E": (36 * INCH, 48 * INCH),
}
#: Papers the preflight may suggest, smallest first.
SUGGESTION_ORDER = ("A4", "A3", "A2", "A1", "A0")

_LENGTH = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(mm|cm|m|in|pt)?\s*$", re.IGNORECASE)
_CUSTOM = re.compile(
    r"^\s*([0-9]+(?:\.[0-9]+)?)\s*[x×]\s*([0-9]+(?:\.[0-9]+)?)\s*(mm|cm|in|pt)\s*$",
    re.IGNORECASE,
)
#: Longest paper or length text read at all (``420 x 594 mm`` is 13 characters).
_MAX_SPEC = 200
_UNIT = {"mm": MM, "cm": 10 * MM, "m": 1000 * MM, "in": INCH, "pt": 1.0}


@dataclass(frozen=True)
class Paper:
    """A sheet: name and size in points, already oriented."""

    name: str
    width: float
    height: float

    @property
    def landscape(self) -> bool:
        """True when wider than tall."""
        return self.width > self.height

    def oriented(self, orientation: str) -> Paper:
        """This paper turned to 'landscape' or 'portrait' ('auto' leaves it)."""
        short, long = sorted((self.width, self.height))
        if orientation == "landscape":
            return Paper(self.name, long, short)
        if orientation == "portrait":
            return Paper(self.name, short, long)
        return self

    @property
    def display_name(self) -> str:
        """The sheet's name as people write it: 'A1', 'ARCH D', 'Letter'."""
        return _DISPLAY.get(self.name, self.name)

    def label(self) -> str:
        """Human name with orientation, e.g. 'A1 landscape'."""
        return f"{self.display_name} {'landscape' if self.landscape else 'portrait'}"


def parse_paper(text: str, orientation: str = "landscape") -> Paper:
    """A paper from a name ('A1', 'letter', 'arch-d') or a size ('420x594mm', '24x36in')."""
    key = re.sub(r"[\s_-]+", " ", text.strip().upper())
    key = {"ARCHC": "ARCH C", "ARCHD": "ARCH D", "ARCHE": "ARCH E", "US LETTER": "LETTER"}.get(
        key, key
    )
    if key in PAPERS:
        short, long = PAPERS[key]
        return Paper(key if not key.startswith("ARCH") else key.title().replace("Arch", "ARCH"),
                     short, long).oriented(orientation)
    # Stripped and bounded first: the pattern's optional spaces make a failed match on a
    # long run of spaces slow (a budget for the regex).
    m = _CUSTOM.match(text.strip()) if len(text) <= _MAX_SPEC else None
    if m:
        unit = _UNIT[m.group(3).lower()]
        w, h = float(m.group(1)) * unit, float(m.group(2)) * unit
        if not (36 <= w <= 14400 and 36 <= h <= 14400):
            raise WaymarkError(f"paper size {text!r} is outside 0.5 in .. 200 in")
        return Paper(text.strip(), w, h).oriented(orientation)
    names = ", ".join(n.title() if len(n) > 2 else n for n in PAPERS)
    raise WaymarkError(
        f"unknown paper {text[:40]!r} (choose {names}, or a size like 420x594mm or 24x36in)"
    )


def parse_length(text: str, default_unit: str = "mm") -> float:
    """A length like '3mm', '0.5in', '12pt' in points (bare numbers use ``default_unit``)."""
    m = _LENGTH.match(text.strip()) if len(text) <= _MAX_SPEC else None
    if not m:
        raise WaymarkError(f"cannot read the length {text[:40]!r} (write e.g. 3mm, 0.125in, "
                           "9pt)")
    return float(m.group(1)) * _UNIT[(m.group(2) or default_unit).lower()]


def parse_distance(text: str) -> float:
    """A viewing distance like '1.2m', '80cm' or '1.5' (metres) in metres."""
    points = parse_length(text, default_unit="m")
    metres = round(points / (1000 * MM), 4)
    if not 0.1 <= metres <= 20:
        raise WaymarkError(f"viewing distance {text!r} must be between 0.1 m and 20 m")
    return metres
