"""Settings: one typed, validating wrapper over QSettings for everything Waymark remembers.

The organisation and application names (set in app/ui/app.py) choose the file;
on Linux that is ``~/.config/Waymark/Waymark.conf``. Every value is checked
on load (type, range, that a path still exists); a missing, garbage or
wrong-typed value falls back to its default with one line in the log, never
an exception. Values are written in plain types (str, int, bool, a JSON text
for the export options) so the INI file stays readable and diffable.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from app.export import registry
from app.model.history import DEFAULT_LIMIT, MAX_LIMIT

log = logging.getLogger(__name__)

THEMES = ("system", "light", "dark")
ORIENTATIONS = ("landscape", "portrait", "auto")
#: Paper names the preferences offer (any name parse_paper accepts is kept).
PAPER_NAMES = ("A0", "A1", "A2", "A3", "A4", "A5", "Letter", "Legal", "Tabloid",
               "ARCH C", "ARCH D", "ARCH E")
#: Settings files whose read error was already logged (once per file and run).
_REPORTED: set[str] = set()
DEFAULT_RECENT = 8
MAX_RECENT = 30
DISTANCE_RANGE = (0.1, 20.0)  # metres, as parse_distance accepts

#: Export options another dialog reads and writes as a plain dict.
EXPORT_DEFAULTS: dict[str, Any] = {
    "format": "pdf",         # a key of app.export.registry (pdf, png, svg, csv, ...)
    "paper": "A1",           # a paper name, a custom size like "420x594mm", or "auto"
    "orientation": "landscape",
    "dpi": 150,              # PNG resolution, 72..600
    "bleed_mm": 0.0,         # PDF bleed, 0..25.4 mm (the CLI's limit, 1 inch)
    "crop_marks": False,
    "distance_m": None,      # viewing distance; None = the paper's default
    "tile": "",              # "" or a paper name to tile the poster on
    "transparent": False,
    "fix_contrast": False,
}


def _bool(value: object) -> bool | None:
    """A bool from a bool or the strings an INI file holds; None when it is neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes", "on"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "0", "no", "off"):
        return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    return None


def _int(value: object, lo: int, hi: int) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip()) if isinstance(value, str) else int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return None
    return number if lo <= number <= hi else None


def _float(value: object, lo: float, hi: float) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) and lo <= number <= hi else None


def _paper(value: object) -> str | None:
    """A paper name or size that parse_paper accepts, as the user wrote it."""
    from app.errors import WaymarkError
    from app.layout.paper import parse_paper

    if not isinstance(value, str) or not value.strip() or len(value) > 40:
        return None
    try:
        parse_paper(value)
    except WaymarkError:
        return None
    return value.strip()


def _choice(options: tuple[str, ...]) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        return value if isinstance(value, str) and value in options else None
    return check


#: The text roles whose reading distance is a preference (app/layout/legibility.py).
ROLE_KEYS = ("title", "stage", "label", "body", "footer")


def _distance(value: object) -> float | None:
    return _float(value, *DISTANCE_RANGE)


#: How each export option is validated (returns None when invalid).
_EXPORT_CHECKS: dict[str, Callable[[object], object]] = {
    "format": _choice(registry.KEYS),
    "paper": lambda v: "auto" if v == "auto" else _paper(v),
    "orientation": _choice(ORIENTATIONS),
    "dpi": lambda v: _int(v, 72, 600),
    "bleed_mm": lambda v: _float(v, 0.0, 25.4),
    "crop_marks": _bool,
    "distance_m": _distance,
    "tile": lambda v: "" if v == "" else _paper(v),
    "transparent": _bool,
    "fix_contrast": _bool,
}


class Settings:
    """Typed access to the user's settings; construct one where needed (it is cheap).

    ``store`` defaults to ``QSettings()``, i.e. the application's settings file
    (tests point QSettings at a temporary folder or pass their own store).
    """

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings()
        status = self.store.status()
        if status != QSettings.Status.NoError and self.store.fileName() not in _REPORTED:
            _REPORTED.add(self.store.fileName())
            log.warning("settings file %s could not be read (%s); using defaults where "
                        "values are unreadable", self.store.fileName(), status.name)

    # ------------------------------------------------------------- plumbing
    def _get(self, key: str, default: Any, check: Callable[[object], Any]) -> Any:
        """The stored value if it passes ``check`` (which returns None when invalid)."""
        if not self.store.contains(key):
            return default
        try:
            raw = self.store.value(key)
        except (RuntimeError, TypeError, ValueError) as err:  # an unreadable variant
            log.warning("settings: %s unreadable (%s); using the default %r", key, err, default)
            return default
        value = check(raw)
        if value is None:
            log.warning("settings: %s=%.80r is not valid; using the default %r",
                        key, raw, default)
            return default
        return value

    def _set(self, key: str, value: Any) -> None:
        self.store.setValue(key, value)

    def sync(self) -> None:
        """Write pending changes to disk now."""
        self.store.sync()

    def reset(self) -> None:
        """Forget every preference (recent files, window layout and last export stay)."""
        for key in ("theme", "viewing_distance", "history_limit", "default_paper",
                    "recent_limit", "reopen_last", *(f"role_distance/{r}" for r in ROLE_KEYS)):
            self.store.remove(key)

    # ------------------------------------------------------------- preferences
    @property
    def theme(self) -> str:
        """'system', 'light' or 'dark'."""
        return self._get("theme", "system", _choice(THEMES))

    @theme.setter
    def theme(self, value: str) -> None:
        if value not in THEMES:
            raise ValueError(f"theme must be one of {THEMES}")
        self._set("theme", value)

    @property
    def role_distances(self) -> dict[str, float]:
        """Role -> the distance (metres) it is read from, where the user set one (the
        others follow the rule: title 3 D, stage headers 2 D, labels D, bodies D / 2,
        footer in the hand)."""
        out = {}
        for role in ROLE_KEYS:
            raw = self.store.value(f"role_distance/{role}")
            value = None if raw in ("", None) else _distance(raw)
            if value is not None:
                out[role] = value
        return out

    @role_distances.setter
    def role_distances(self, values: dict[str, float]) -> None:
        for role in ROLE_KEYS:
            value = values.get(role)
            if value is not None and _distance(value) is None:
                raise ValueError("a reading distance must be between 0.1 m and 20 m")
            self._set(f"role_distance/{role}", "" if value is None else float(value))

    @property
    def viewing_distance(self) -> float | None:
        """Default viewing distance in metres (None: by paper, A1 1.0 m)."""
        if self.store.value("viewing_distance") in ("", None):
            return None
        return self._get("viewing_distance", None, _distance)

    @viewing_distance.setter
    def viewing_distance(self, value: float | None) -> None:
        if value is not None and _distance(value) is None:
            raise ValueError("viewing distance must be between 0.1 m and 20 m")
        self._set("viewing_distance", "" if value is None else float(value))

    @property
    def history_limit(self) -> int:
        """How many undo steps documents keep."""
        return self._get("history_limit", DEFAULT_LIMIT, lambda v: _int(v, 1, MAX_LIMIT))

    @history_limit.setter
    def history_limit(self, value: int) -> None:
        if _int(value, 1, MAX_LIMIT) is None:
            raise ValueError(f"history limit must be 1..{MAX_LIMIT}")
        self._set("history_limit", int(value))

    @property
    def default_paper(self) -> str:
        """The paper new exports start with."""
        return self._get("default_paper", "A1", _paper)

    @default_paper.setter
    def default_paper(self, value: str) -> None:
        if _paper(value) is None:
            raise ValueError(f"unknown paper {value!r}")
        self._set("default_paper", value.strip())

    @property
    def recent_limit(self) -> int:
        """How many recent files File > Open Recent lists."""
        return self._get("recent_limit", DEFAULT_RECENT, lambda v: _int(v, 0, MAX_RECENT))

    @recent_limit.setter
    def recent_limit(self, value: int) -> None:
        if _int(value, 0, MAX_RECENT) is None:
            raise ValueError(f"recent files must be 0..{MAX_RECENT}")
        self._set("recent_limit", int(value))

    @property
    def reopen_last(self) -> bool:
        """Open the last document at start (instead of the sample map)."""
        return self._get("reopen_last", False, _bool)

    @reopen_last.setter
    def reopen_last(self, value: bool) -> None:
        self._set("reopen_last", bool(value))

    # ------------------------------------------------------------- recent files
    def recent_files(self) -> list[str]:
        """Recently opened files that still exist, newest first."""
        raw = self._get("recent", [], _string_list)
        return [p for p in raw if Path(p).is_file()][: self.recent_limit]

    def remember_recent(self, path: str | Path) -> None:
        """Put a file at the top of the recent list (it is also the 'last document')."""
        p = str(Path(path).resolve())
        items = [p, *[q for q in self.recent_files() if q != p]][: max(self.recent_limit, 1)]
        self._set("recent", items)

    def forget_recent(self, path: str | Path) -> None:
        """Drop one file from the recent list."""
        p = str(Path(path).resolve())
        self._set("recent", [q for q in self.recent_files() if q != p])

    def last_document(self) -> Path | None:
        """The most recently opened file if it still exists."""
        files = self._get("recent", [], _string_list)
        existing = [p for p in files if Path(p).is_file()]
        return Path(existing[0]) if existing else None

    # ------------------------------------------------------------- window state
    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        """(geometry, dock/toolbar state) saved by :meth:`set_window_state`, or Nones."""
        geometry = self._get("window/geometry", None, _bytes)
        state = self._get("window/state", None, _bytes)
        return geometry, state

    def set_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        """Remember a window's saveGeometry() and saveState()."""
        self._set("window/geometry", geometry)
        self._set("window/state", state)

    # ------------------------------------------------------------- export options
    def export_options(self) -> dict[str, Any]:
        """The last export's options (see EXPORT_DEFAULTS), each validated.

        What was never chosen comes from the defaults, the paper and viewing
        distance from the preferences. Keys this module does not know are kept
        when they hold a plain str/int/float/bool.
        """
        out = dict(EXPORT_DEFAULTS)
        out["paper"] = self.default_paper
        out["distance_m"] = self.viewing_distance
        out.update(self._stored_export())
        return out

    def set_export_options(self, options: dict[str, Any]) -> None:
        """Remember export options (merged over the stored ones); an invalid value raises."""
        merged = self._stored_export()
        for key, value in options.items():
            check = _EXPORT_CHECKS.get(key)
            if check is not None and not (key == "distance_m" and value is None):
                good = check(value)
                if good is None:
                    raise ValueError(f"export option {key}={value!r} is not valid")
                value = good
            elif check is None and not (isinstance(key, str)
                                        and isinstance(value, str | int | float | bool)):
                raise ValueError(f"export option {key!r} must be a plain value")
            merged[key] = value
        self._set("export/options", json.dumps(merged, sort_keys=True))

    def _stored_export(self) -> dict[str, Any]:
        """The valid entries of the stored export options."""
        if not self.store.contains("export/options"):
            return {}
        raw = self.store.value("export/options")
        try:
            stored = json.loads(raw) if isinstance(raw, str) else None
        except ValueError:
            stored = None
        if not isinstance(stored, dict):
            log.warning("settings: export/options=%.80r is not valid; using defaults", raw)
            return {}
        out: dict[str, Any] = {}
        for key, value in stored.items():
            check = _EXPORT_CHECKS.get(key)
            if check is None:
                if isinstance(value, str | int | float | bool):
                    out[key] = value
            elif key == "distance_m" and value is None:
                out[key] = None
            elif (good := check(value)) is None:
                log.warning("settings: export option %s=%.80r is not valid; ignored", key, value)
            else:
                out[key] = good
        return out

    def as_dict(self) -> dict[str, Any]:
        """Every preference (for logs and tests)."""
        return {"theme": self.theme, "viewing_distance": self.viewing_distance,
                "history_limit": self.history_limit, "default_paper": self.default_paper,
                "recent_limit": self.recent_limit, "reopen_last": self.reopen_last,
                "role_distances": self.role_distances}


def _string_list(value: object) -> list[str] | None:
    if isinstance(value, str):
        value = [value] if value else []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return [v for v in value if v and len(v) < 4096]


def _bytes(value: object) -> QByteArray | None:
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    if isinstance(value, bytes) and value:
        return QByteArray(value)
    return None


def export_options() -> dict[str, Any]:
    """The last export options (``app.ui.support.settings.export_options()``; see EXPORT_DEFAULTS).

    Keys: format, paper, orientation, dpi, bleed_mm, crop_marks, distance_m (None: by
    paper), tile ("" or a paper), transparent, fix_contrast, plus any plain-valued keys an
    export dialog stored itself.
    """
    return Settings().export_options()


def set_export_options(options: dict[str, Any]) -> None:
    """Remember export options (merged over the stored ones); an invalid value raises ValueError."""
    settings = Settings()
    settings.set_export_options(options)
    settings.sync()
