"""Import, preflight, report and start-up cases."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

from benchmarks.context import Context
from benchmarks.harness import time_call, time_process
from benchmarks.results import Result

ROOT = Path(__file__).resolve().parent.parent


def _big(ctx: Context) -> str:
    return "1000" if ctx.quick else "10000"


def case_csv_import(ctx: Context) -> list[Result]:
    """A long CSV (one row per card) parsed into a validated document; csv.reader floor."""
    from app.interchange.csv_io import export_csv, import_csv

    size = _big(ctx)
    src = ctx.work / f"long-{size}.csv"
    export_csv(ctx.data(size), [ctx.map_id(size)], src, force=True)

    def read_only() -> int:
        with open(src, encoding="utf-8-sig", newline="") as fh:
            return sum(1 for _ in csv.reader(fh))

    rows = read_only() - 1
    r = Result("csv import (long)", size,
               figures=time_call(lambda: import_csv(src), ctx.plan),
               baseline=time_call(read_only, ctx.plan),
               baseline_name="csv.reader over the same file").finish()
    r.notes.append(f"{rows} data rows, {src.stat().st_size} bytes")
    if size == "10000":
        r.target = "<= 1 s"
        r.target_met = r.figures["median_s"] <= 1.0
    return [r]


def case_check(ctx: Context) -> list[Result]:
    """The preflight at the largest size, against the A1 page layout alone (its floor)."""
    from app.export.common import ExportOptions
    from app.export.preflight import run_preflight
    from app.export.prepare import page_layout
    from app.layout.caches import clear_font_memos

    size = "100" if ctx.quick else "10000"
    data, map_id = ctx.data(size), ctx.map_id(size)
    r = Result("check (preflight A1)", size,
               figures=time_call(lambda: run_preflight(data, map_id, "A1"), ctx.plan,
                                 setup=clear_font_memos),
               baseline=time_call(lambda: page_layout(data, map_id, ExportOptions()), ctx.plan,
                                  setup=clear_font_memos),
               baseline_name="page layout alone").finish()
    if size == "10000":
        r.target = "<= 0.5 s"
        r.target_met = r.figures["median_s"] <= 0.5
    return [r]


def case_report(ctx: Context) -> list[Result]:
    """The analysis report at the largest size, against one ordered pass over the cards."""
    from app.analysis.report import build_report, format_report

    size = _big(ctx)
    data, map_id = ctx.data(size), ctx.map_id(size)

    def floor() -> int:
        return sum(c.emotion or 0 for c in data.cards_of(map_id))

    r = Result("report", size,
               figures=time_call(lambda: format_report(build_report(data, map_id)), ctx.plan),
               baseline=time_call(floor, ctx.plan),
               baseline_name="cards_of() ordered pass").finish()
    if size == "10000":
        r.target = "<= 0.5 s"
        r.target_met = r.figures["median_s"] <= 0.5
    return [r]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def case_startup(ctx: Context) -> list[Result]:
    """``waymark --version`` and ``waymark export`` of the sample map as whole processes."""
    from app.model.document import Document

    plan = ctx.plan
    env = _env()
    floor = time_process([sys.executable, "-c", "pass"], plan, env=env)
    version = Result("startup: waymark --version", "",
                     figures=time_process([sys.executable, "-m", "app", "--version"], plan,
                                          env=env),
                     baseline=floor, baseline_name="python -c pass",
                     target="<= 0.3 s").finish()
    version.target_met = version.figures["median_s"] <= 0.3
    probe = ("import sys; from app.cli import main; import contextlib, io\n"
             "with contextlib.redirect_stdout(io.StringIO()):\n"
             "    try: main(['--version'])\n"
             "    except SystemExit: pass\n"
             "print(any(m.startswith('PySide6') for m in sys.modules))")
    import subprocess

    qt = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                        check=False).stdout.strip()
    version.notes.append(f"PySide6 imported by --version: {qt or 'probe failed'}")
    sample = ctx.work / "sample.cjm"
    if not sample.exists():
        Document.create(sample, template="sample").close()
    pdf = ctx.work / "sample.pdf"
    export = Result("startup: waymark export sample (PDF A1)", "",
                    figures=time_process([sys.executable, "-m", "app", "export", str(sample),
                                          "-o", str(pdf), "--force", "--quiet"], plan, env=env),
                    baseline=floor, baseline_name="python -c pass").finish()
    return [version, export]
