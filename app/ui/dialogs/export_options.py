"""The export dialog's remembered choices: read from and written to the settings.

The dialog's names differ from the settings' in two places (``tile_paper`` is the
settings' ``tile``; a distance of 0 is "by paper size", None in the settings); this
module is the one place that translates them, and coerces every value to what the
dialog can show (anything else falls back to the default).
"""

from __future__ import annotations

from typing import Any

from app.export import registry
from app.ui.support.settings import Settings

PAPERS = ("auto", "A0", "A1", "A2", "A3", "A4", "Letter", "Legal", "Tabloid", "ARCH C",
          "ARCH D", "ARCH E")
TILES = ("", "A4", "A3", "Letter", "Legal", "Tabloid")
ORIENTATIONS = ("landscape", "portrait", "auto")
DEFAULTS: dict[str, Any] = {
    "format": "pdf", "paper": "A1", "orientation": "landscape", "dpi": 150,
    "bleed_mm": 0.0, "crop_marks": False, "tile_paper": "", "distance_m": 0.0,
}


def export_options() -> dict[str, Any]:
    """The last export choices (defaults for anything missing or unreadable), as kept by
    :class:`app.ui.support.settings.Settings` (which also brings the preferred paper and
    distance)."""
    values = Settings().export_options()
    raw = {key: value for key, value in values.items() if key in DEFAULTS}
    raw["tile_paper"] = values.get("tile", "")
    raw["distance_m"] = values.get("distance_m") or 0.0  # None: by paper size
    return clean_options(raw)


def set_export_options(options: dict[str, Any]) -> None:
    """Remember export choices in the settings (Settings' names: tile, distance None)."""
    values = clean_options(options)
    shared = {key: value for key, value in values.items() if key != "tile_paper"}
    shared["tile"] = values["tile_paper"]
    shared["distance_m"] = values["distance_m"] or None
    settings = Settings()
    settings.set_export_options(shared)
    settings.sync()


def clean_options(raw: dict[str, Any]) -> dict[str, Any]:
    """Options coerced to their types and ranges; bad values fall back to the defaults."""
    out = dict(DEFAULTS)

    def num(key: str, kind: type, lo: float, hi: float) -> None:
        try:
            value = kind(float(raw.get(key, DEFAULTS[key])))
        except (TypeError, ValueError):
            return
        if lo <= value <= hi:
            out[key] = value

    if raw.get("format") in registry.KEYS:
        out["format"] = raw["format"]
    paper = str(raw.get("paper", "")).strip().lower()
    out["paper"] = next((p for p in PAPERS if p.lower() == paper), DEFAULTS["paper"])
    if raw.get("orientation") in ORIENTATIONS:
        out["orientation"] = raw["orientation"]
    tile = str(raw.get("tile_paper", "") or "").strip().lower()
    out["tile_paper"] = next((t for t in TILES if t.lower() == tile), DEFAULTS["tile_paper"])
    crop = raw.get("crop_marks", False)
    out["crop_marks"] = crop in (True, "true", "1", 1)
    num("dpi", int, 72, 600)
    num("bleed_mm", float, 0.0, 25.4)
    num("distance_m", float, 0.0, 20.0)
    return out
