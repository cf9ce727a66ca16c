"""Result records, the machine description, the JSON file and the terminal table."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sqlite3
import sys
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

OK = "ok"
NOT_AVAILABLE = "not available"
SKIPPED = "skipped"
ERROR = "error"


@dataclass
class Result:
    """One case at one size: its figures, its baseline's figures and their ratio.

    ``ratio`` is the case's median over the baseline's median (lower is better
    for the case). ``target`` states the goal in words; ``target_met`` is None
    when the figures cannot say (no baseline, not measured).
    """

    case: str
    size: str = ""
    status: str = OK
    reason: str = ""
    figures: dict[str, Any] | None = None
    baseline_name: str = ""
    baseline: dict[str, Any] | None = None
    ratio: float | None = None
    target: str = ""
    target_met: bool | None = None
    notes: list[str] = field(default_factory=list)

    def finish(self) -> Result:
        """Compute the ratio from the two medians when both exist."""
        if self.figures and self.baseline and self.baseline.get("median_s"):
            self.ratio = self.figures["median_s"] / self.baseline["median_s"]
        return self


def _ver(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


def machine_info() -> dict[str, Any]:
    """Where and with what the figures were measured."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "memory_bytes": mem,
        "python": sys.version.split()[0],
        "pyside6": _ver("PySide6-Essentials"),
        "qt": _qt_version(),
        "reportlab": _ver("reportlab"),
        "pydantic": _ver("pydantic"),
        "sqlalchemy": _ver("SQLAlchemy"),
        "sqlite": sqlite3.sqlite_version,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def _qt_version() -> str:
    try:
        from PySide6 import QtCore
    except ImportError:
        return "not installed"
    return QtCore.qVersion()


def write_json(path: Path, machine: dict[str, Any], results: list[Result],
               options: dict[str, Any]) -> None:
    """The whole run as one JSON document."""
    doc = {"machine": machine, "options": options,
           "results": [asdict(r) for r in results]}
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def _fmt_mem(fig: dict[str, Any] | None) -> str:
    if not fig:
        return "-"
    rss = fig.get("peak_rss_bytes")
    if rss:
        return f"{rss / 2**20:.0f} MB rss"
    peak = fig.get("peak_tracemalloc_bytes")
    if peak:
        return f"{peak / 2**20:.1f} MB py"
    return "-"


def table(results: list[Result]) -> str:
    """A Markdown table: one row per case and size, case beside its baseline."""
    head = ("| case | size | median | p95 | memory | baseline | baseline median | ratio | "
            "target | met |")
    lines = [head, "|" + "---|" * 10]
    for r in results:
        if r.status != OK:
            lines.append(f"| {r.case} | {r.size} | {r.status}: {r.reason} | | | | | | "
                         f"{r.target} | |")
            continue
        f, b = r.figures or {}, r.baseline or {}
        met = {True: "yes", False: "**no**", None: "-"}[r.target_met]
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
        lines.append(
            f"| {r.case} | {r.size} | {_fmt_time(f.get('median_s'))} | "
            f"{_fmt_time(f.get('p95_s'))} | {_fmt_mem(f)} | {r.baseline_name or '-'} | "
            f"{_fmt_time(b.get('median_s'))} | {ratio} | {r.target} | {met} |"
        )
    return "\n".join(lines)
